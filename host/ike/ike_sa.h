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
 * lost). The IV chain moves only when a message verified. A phase 1 that
 * timed out as initiator is marked for another keying try (ike_mgr.c).
 * Lifetimes, DPD and NAT-T keepalives keep their state here and run from
 * lifetime.c, dpd.c and natt.c.
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
	IKE_HALF_OPEN_TIMEOUT_MS = 30000,   /* a responder SA must be up by then */
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

/* A child SA's place in its rekeying (lifetime.h). */
enum child_sa_state {
	CHILD_SA_INSTALLED = 0,
	CHILD_SA_REKEYING,                  /* our Quick Mode for its successor runs */
	CHILD_SA_REKEYED,                   /* replaced: kept until delete_at/DELETE */
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
	/* lifetimes (lifetime.c); times in ms of the manager's clock, 0: never */
	enum child_sa_state lstate;
	bool initiated;                     /* we ran its Quick Mode as initiator */
	uint32_t rekey_msgid;               /* REKEYING: the successor's Quick Mode */
	uint32_t nat_oa_peer;               /* the peer's NAT-OA (transport), 0: none */
	uint64_t life_kb;                   /* negotiated kilobytes, 0: none */
	uint64_t installed_at, rekey_at, expire_at, delete_at;
	uint64_t rekey_bytes, expire_bytes; /* in + out, 0: none */
	uint64_t bytes_in, bytes_out;       /* reported by the datapath */
	uint64_t packets_in, packets_out;
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
	/* lifetimes (lifetime.c), DPD (dpd.c), NAT-T keepalives (natt.c);
	 * times in ms of the manager's clock, 0: never */
	uint64_t created_at, established_at, renew_at, expire_at;
	bool renewing;                      /* a successor ISAKMP SA is on its way */
	bool replaced;                      /* a successor took over the children */
	unsigned attempt;                   /* keyingtries: 1 for the first */
	bool retry;                         /* phase 1 timed out: try again */
	bool refused;                       /* the peer sent an error notify */
	uint64_t restart_mask;              /* close_action = start: children
					     * (bit i: conn->children[i]) to start
					     * again at the next tick */
	bool dpd;                           /* the peer sent the RFC 3706 vendor ID */
	uint32_t dpd_seq;                   /* our last R-U-THERE sequence number */
	uint32_t dpd_peer_seq;              /* the peer's last one (0: none yet) */
	bool dpd_waiting;                   /* R-U-THERE sent, no ACK yet */
	unsigned dpd_tries;                 /* R-U-THERE sent without answer */
	uint64_t last_in;                   /* last verified message or ESP packet */
	uint64_t dpd_at, dpd_sent_at;       /* next R-U-THERE; the last one sent */
	bool nat_here;                      /* our NAT-D did not match: send keepalives */
	uint64_t keepalive_at;
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
/* Start Quick Mode for a child config (phase 1 must be up); *msgid (if
 * not NULL) gets the exchange's message ID. */
int ike_sa_start_child(struct ike_sa *sa, const struct fg_child *child, uint32_t *msgid);
/* The task with this message ID, or NULL. */
struct ike_task *ike_sa_find_task(struct ike_sa *sa, uint32_t msgid);
/* Unlinks c from sa, sends DELETE for it when send_delete (and the SA is
 * up), hands it to child_sa_uninstall() and frees it. */
void ike_sa_remove_child(struct ike_sa *sa, struct child_sa *c, bool send_delete,
			 const char *why);
/* Sends DELETE for every child and for the ISAKMP SA, then deletes it. */
void ike_sa_close(struct ike_sa *sa, const char *why);

/* --- child SAs (child_sa.c): the hand-off to the datapath (child_sa.h's
 * sink), which loads them into the offload device. Logs the SA, and its
 * keys at key level. */
int child_sa_install(struct ike_sa *sa, struct child_sa *c);
void child_sa_uninstall(struct ike_sa *sa, struct child_sa *c, const char *why);

/* --- Informational exchanges (informational.c) */
int info_send_delete_child(struct ike_sa *sa, const struct child_sa *c);
int info_send_delete_ike(struct ike_sa *sa);
/* An error notify about this ISAKMP SA (SPI: the cookies); protected by it
 * once keys exist, plain before. */
int info_send_notify(struct ike_sa *sa, uint16_t type);
/* A protected notify with its own protocol, SPI and data (DPD). */
int info_send_notify_data(struct ike_sa *sa, uint8_t proto, uint16_t type, const uint8_t *spi,
			  size_t spi_len, const uint8_t *data, size_t data_len);
/* An Informational message decrypted and parsed by the driver; true if
 * it was authenticated (HASH(1) verified). */
bool info_process(struct ike_sa *sa, const struct isakmp_msg *m);
/* Allowed payloads of an Informational message. */
extern const struct isakmp_allow info_allow;

#endif
