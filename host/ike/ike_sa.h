/*
 * An ISAKMP SA (phase 1) with its child (IPsec) SAs and the exchanges in
 * progress on it. The driver here runs tasks (task.h): it writes headers,
 * pads and encrypts outgoing messages with the IV chain of their message ID,
 * decrypts and parses incoming ones, drops duplicates (answering them with
 * the last reply) and retransmits. It owns no socket: messages leave
 * through the manager's send callback (ike_mgr.h).
 *
 * Retransmission: a message that expects a reply is sent again after 4, 8,
 * 16, 32 and 64 s; 128 s after the fifth resend the exchange fails (in
 * phase 1 the whole SA is deleted). A received message identical to the
 * last one of its exchange is answered with our last message, also for 30 s
 * after the exchange finished (the peer's final message may have been
 * lost). The IV chain moves only when a message verified.
 *
 * Addresses and ports are in host byte order. One thread (the event loop)
 * uses an SA at a time.
 */
#ifndef FGATE_IKE_IKE_SA_H
#define FGATE_IKE_IKE_SA_H

#include <stdbool.h>
#include <stdint.h>

#include "common/config.h"
#include "crypto/dh.h"
#include "ike/isakmp.h"
#include "ike/keys.h"
#include "ike/proposal.h"
#include "ike/task.h"

struct ike_mgr;

enum ike_sa_limits {
	IKE_NONCE_LEN = 32,          /* nonces we send */
	IKE_RETX_BASE_MS = 4000,     /* first retransmission after 4 s */
	IKE_RETX_TRIES = 5,          /* retransmissions before giving up */
	IKE_DONE_KEEP_MS = 30000,    /* finished tasks answer duplicates this long */
	IKE_PORT = 500,
	IKE_NATT_PORT = 4500,
};

enum ike_sa_state {
	IKE_SA_CONNECTING = 0,
	IKE_SA_ESTABLISHED,
	IKE_SA_DELETED,              /* removed at the next manager tick */
};

struct ike_endpoint {
	uint32_t addr;
	uint16_t port;
};

/* One negotiated IPsec SA pair (inbound and outbound). */
struct child_sa {
	struct child_sa *next;
	const struct fg_child *cfg;
	uint8_t proto;                      /* ISAKMP_PROTO_ESP or _AH */
	uint32_t spi_in, spi_out;
	struct proposal_xform xf;           /* dh: the PFS group or NONE */
	bool encap;                         /* UDP encapsulation (NAT-T) */
	enum fg_mode mode;
	uint64_t life_time;                 /* seconds */
	struct fg_ts ts_local, ts_remote;   /* resolved, never dynamic */
	size_t enc_len, integ_len;
	uint8_t key_in[KEYS_KEYMAT_MAX];    /* enc key | integ key */
	uint8_t key_out[KEYS_KEYMAT_MAX];
};

struct ike_sa {
	struct ike_sa *next;                /* in the manager's list */
	struct ike_mgr *mgr;
	const struct fg_conn *conn;
	unsigned id;                        /* #N in logs */
	char name[80];                      /* "#N 192.0.2.1[500]-192.0.2.2[500]" */
	bool initiator;
	bool aggressive;
	enum ike_sa_state state;
	uint8_t icookie[ISAKMP_COOKIE_LEN], rcookie[ISAKMP_COOKIE_LEN];
	struct ike_endpoint local, remote;
	char local_id[CONFIG_ID_MAX], remote_id[CONFIG_ID_MAX];
	/* negotiated phase 1 */
	struct proposal_xform xf;
	uint64_t life_time;
	uint8_t p1_xform_num;               /* the chosen transform's number */
	uint8_t peer_id_b[CONFIG_ID_MAX + 4];   /* peer's ID payload body */
	size_t peer_id_len;
	uint8_t my_id_b[CONFIG_ID_MAX + 4];     /* our ID payload body */
	size_t my_id_len;
	bool natt;                          /* RFC 3947 vendor ID on both sides */
	bool nat;                           /* NAT seen (or forced): use 4500 */
	bool initial_contact;               /* the peer sent INITIAL-CONTACT */
	uint16_t fail_notify;               /* error notify to answer a failed
					     * request with (set by the checks) */
	struct ike_keys keys;
	bool have_keys;
	/* phase 1 material, kept until the SA is established */
	struct dh *dh;
	uint8_t gxi[DH_MAX_LEN], gxr[DH_MAX_LEN];
	size_t gx_len;
	uint8_t ni[ISAKMP_NONCE_MAX], nr[ISAKMP_NONCE_MAX];
	size_t ni_len, nr_len;
	uint8_t *sai_b;                     /* initiator's SA payload body */
	size_t sai_len;
	const struct fg_secret *psk;
	/* children to negotiate once phase 1 is up, and those that are */
	const struct fg_child *pending[CONFIG_CHILDREN_MAX];
	unsigned n_pending;
	struct child_sa *children;
	struct ike_task *tasks;
};

/* A new SA (not yet in the manager's list). */
struct ike_sa *ike_sa_create(struct ike_mgr *mgr, const struct fg_conn *conn,
			     bool initiator, const struct ike_endpoint *local,
			     const struct ike_endpoint *remote);
/* Frees everything, wiping keys; does not unlink or send anything. */
void ike_sa_destroy(struct ike_sa *sa);

/* Adds t and, as initiator, builds and sends its first message. */
int ike_sa_start_task(struct ike_sa *sa, struct ike_task *t);
/* A datagram for this SA (cookies matched), received on local port lport
 * from the given peer endpoint. Never fails the caller: problems are
 * logged and the message dropped. */
void ike_sa_input(struct ike_sa *sa, const uint8_t *buf, size_t len,
		  const struct ike_endpoint *from, uint16_t lport);
/* Retransmissions and expiry of finished tasks; now in ms. */
void ike_sa_tick(struct ike_sa *sa, uint64_t now);
/* Sends a message outside of any task (Informational): builds header,
 * encrypts with the chain of msgid starting at keys_iv_for(). */
int ike_sa_send_info(struct ike_sa *sa, struct isakmp_builder *b, uint32_t msgid);
/* Writes the header for a message of this SA into b. */
int ike_sa_build_init(struct ike_sa *sa, struct isakmp_builder *b, uint8_t exch,
		      uint32_t msgid, bool encrypt);
/* Phase 1 finished: log it, start pending children. */
void ike_sa_established(struct ike_sa *sa);
/* Marks the SA deleted (the manager frees it); removes its children
 * through child_sa_uninstall(). */
void ike_sa_delete(struct ike_sa *sa, const char *why);
/* "#3 192.0.2.1[500]-192.0.2.2[500]": the prefix of this SA's log lines. */
const char *ike_sa_name(const struct ike_sa *sa);
/* Recomputes the name after the endpoints changed. */
void ike_sa_rename(struct ike_sa *sa);
/* Dotted quad of a host-order address into buf (16 bytes). */
const char *ike_addr_str(uint32_t addr, char buf[16]);
/* A random non-zero message ID not used by a task of this SA. */
uint32_t ike_sa_new_msgid(struct ike_sa *sa);
/* Start Quick Mode for a child config (phase 1 must be up). */
int ike_sa_start_child(struct ike_sa *sa, const struct fg_child *child);

/* --- child SAs (child_sa.c): the hand-off to the datapath. Until the
 * offload API is usable this logs the SA, and its keys at key level. */
int child_sa_install(struct ike_sa *sa, struct child_sa *c);
void child_sa_uninstall(struct ike_sa *sa, struct child_sa *c, const char *why);

/* --- Informational exchanges (informational.c) */
int info_send_delete_child(struct ike_sa *sa, const struct child_sa *c);
int info_send_delete_ike(struct ike_sa *sa);
/* An error notify about this ISAKMP SA (SPI: the cookies); protected by it
 * once keys exist, plain before. */
int info_send_notify(struct ike_sa *sa, uint16_t type);
/* An Informational message decrypted and parsed by the driver. */
void info_process(struct ike_sa *sa, const struct isakmp_msg *m);
/* Allowed payloads of an Informational message. */
extern const struct isakmp_allow info_allow;

#endif
