/*
 * The IKE SA manager: owns every ISAKMP SA, dispatches received datagrams
 * to them by cookies (creating responder SAs for new Main/Aggressive Mode
 * requests that match a configured connection), initiates connections and
 * drives timers through ike_mgr_tick(): retransmissions (ike_sa.c),
 * lifetimes (lifetime.h), DPD (dpd.h), NAT-T keepalives (natt.h), the
 * half-open timeout, keyingtries retries and restarts. Sockets and the
 * clock stay outside: datagrams leave through the send (and keepalive)
 * callback, time comes in as milliseconds of a monotonic clock.
 *
 * For the datapath: ike_mgr_child_bytes() (counters per child SA) and
 * ike_mgr_acquire() (traffic for a trapped child). For the control socket
 * (fgatectl): ike_mgr_start_child(), ike_mgr_terminate_ike/_child(),
 * ike_mgr_sa_next() to list SAs, ike_mgr_set_config() and
 * ike_mgr_uses_config() for a reload. docs/ike.md describes the behaviour
 * as a whole.
 */
#ifndef FGATE_IKE_IKE_MGR_H
#define FGATE_IKE_IKE_MGR_H

#include <stddef.h>
#include <stdint.h>

#include "common/config.h"
#include "ike/ike_sa.h"

enum ike_mgr_limits {
	IKE_HALF_OPEN_MAX = 32,       /* responder SAs not yet established */
	IKE_SCHED_MAX = 64,           /* initiations waiting (keyingtries, restart) */
	IKE_TRAPS_MAX = 64,           /* children waiting for traffic (trap) */
	IKE_RETRY_BASE_MS = 1000,     /* keyingtries backoff: 1, 2, 4 .. 60 s */
	IKE_RETRY_MAX_MS = 60000,
};

/* Sends one IKE datagram (without the non-ESP marker: the socket layer
 * adds it on port 4500). Returns 0 or a negative fg_err. */
typedef int (*ike_send_fn)(void *ctx, const struct ike_endpoint *local,
			   const struct ike_endpoint *remote, const uint8_t *buf,
			   size_t len);

/* Sends one NAT-T keepalive (RFC 3948 2.3: one 0xff byte, no non-ESP
 * marker) from local to remote. */
typedef int (*ike_keepalive_fn)(void *ctx, const struct ike_endpoint *local,
				const struct ike_endpoint *remote);

/* An initiation to run later: a keyingtries retry or a restart. */
struct ike_sched {
	const struct fg_conn *conn;
	uint64_t children;            /* bit i: conn->children[i] */
	struct ike_endpoint local, remote;
	bool aggressive;
	unsigned attempt;
	uint64_t at;
};

/* A child config waiting for traffic (start/dpd/close_action = trap). */
struct ike_trap {
	const struct fg_conn *conn;
	const struct fg_child *child;
};

struct ike_mgr {
	const struct fg_config *cfg;
	ike_send_fn send;
	void *send_ctx;
	ike_keepalive_fn keepalive;   /* NULL: keepalives are not sent */
	uint64_t now;                 /* ms, updated by input and tick */
	unsigned next_id;
	struct ike_sa *sas;
	unsigned n_sched;
	struct ike_sched sched[IKE_SCHED_MAX];
	unsigned n_traps;
	struct ike_trap traps[IKE_TRAPS_MAX];
};

void ike_mgr_init(struct ike_mgr *m, const struct fg_config *cfg, ike_send_fn send,
		  void *ctx);
/* Deletes nothing on the wire; frees all SAs. */
void ike_mgr_free(struct ike_mgr *m);
/* Initiates a connection with the given children (all of conn's when
 * child is NULL). */
int ike_mgr_initiate(struct ike_mgr *m, const struct fg_conn *conn,
		     const struct fg_child *child);
/* The same with explicit endpoints and children (bit i: conn->children[i];
 * 0: none, as for a renewal); a first keying try. */
int ike_mgr_initiate_at(struct ike_mgr *m, const struct fg_conn *conn, uint64_t children,
			const struct ike_endpoint *local, const struct ike_endpoint *remote,
			bool aggressive);
/* Every connection with a child whose start_action is start; children
 * with start_action = trap wait for ike_mgr_acquire(). */
void ike_mgr_start_all(struct ike_mgr *m);
/* Keepalives go out through fn (with the send callback's ctx). */
void ike_mgr_set_keepalive(struct ike_mgr *m, ike_keepalive_fn fn);
/* For the datapath: the counters of the child SA with inbound SPI spi_in
 * (totals since it was installed). Drives byte lifetimes, the end of a
 * rekeying overlap and DPD's idea of liveness. FG_ERR_NOTFOUND if no such
 * SA. */
int ike_mgr_child_bytes(struct ike_mgr *m, uint32_t spi_in, uint64_t bytes_in,
			uint64_t bytes_out, uint64_t packets_in, uint64_t packets_out);
/* For the datapath: a packet from src to dst (host order) matched no SA.
 * If a trapped child config covers it and its connection is not already
 * being set up, initiate it. FG_ERR_NOTFOUND if no trap matches. */
int ike_mgr_acquire(struct ike_mgr *m, uint32_t src, uint32_t dst);
/* Installs a trap for child (idempotent). */
void ike_mgr_trap(struct ike_mgr *m, const struct fg_conn *conn, const struct fg_child *child);
/* Runs action (dpd_action or close_action of cfg) after the child SAs of
 * cfg on sa went away: FG_ACTION_START restarts them (on sa if it is
 * still up, else under a new ISAKMP SA), FG_ACTION_TRAP installs a trap. */
void ike_mgr_child_action(struct ike_mgr *m, struct ike_sa *sa, const struct fg_child *cfg,
			  enum fg_action action);
void ike_mgr_input(struct ike_mgr *m, const uint8_t *buf, size_t len,
		   const struct ike_endpoint *from, const struct ike_endpoint *to,
		   uint64_t now);
void ike_mgr_tick(struct ike_mgr *m, uint64_t now);
/* Sends DELETE for every child and ISAKMP SA and drops them. */
void ike_mgr_delete_all(struct ike_mgr *m);
/* Sends DELETE for every child SA and drops them; ISAKMP SAs stay. */
void ike_mgr_delete_children(struct ike_mgr *m);
/* INITIAL-CONTACT from the peer of sa: drop the other SAs with that peer. */
void ike_mgr_initial_contact(struct ike_mgr *m, struct ike_sa *sa);
/* Is there another established SA with this peer address? */
bool ike_mgr_has_peer(const struct ike_mgr *m, const struct ike_sa *sa);
int ike_mgr_send(struct ike_mgr *m, const struct ike_sa *sa, const uint8_t *buf,
		 size_t len);

/* --- for the control socket */
/* Starts child (of conn) as charon's initiate does: Quick Mode on an
 * established ISAKMP SA of conn if there is one, else a new Main or
 * Aggressive Mode with this child pending. child NULL: the whole
 * connection, i.e. every child config that has no SA on the established
 * ISAKMP SA (FG_ERR_EXISTS if none is missing), or a new phase 1 with all
 * of them pending. Returns once the exchange started. */
int ike_mgr_start_child(struct ike_mgr *m, const struct fg_conn *conn,
			const struct fg_child *child);
/* Every ISAKMP SA of the connection named name: DELETE for its children and
 * itself (if it is established), then deleted. Returns how many SAs, or
 * FG_ERR_NOTFOUND if none. */
int ike_mgr_terminate_ike(struct ike_mgr *m, const char *name, const char *why);
/* Every child SA of the child config named name (any connection): DELETE
 * sent, removed. Returns how many, or FG_ERR_NOTFOUND. */
int ike_mgr_terminate_child(struct ike_mgr *m, const char *name, const char *why);
/* Iterates over the SAs that are not DELETED: prev NULL gives the first;
 * NULL at the end. */
const struct ike_sa *ike_mgr_sa_next(const struct ike_mgr *m, const struct ike_sa *prev);
/* A reloaded configuration: new negotiations use cfg from now on. SAs of
 * connections whose name is not in cfg are closed (DELETE sent) and their
 * waiting initiations dropped; the SAs of the other connections stay, on
 * the settings they were negotiated with (their conn pointers still point
 * into the old configuration, which the caller must keep until
 * ike_mgr_uses_config() says no). Traps are moved to cfg by name; cfg's
 * trap children are added. Returns the number of SAs closed. */
unsigned ike_mgr_set_config(struct ike_mgr *m, const struct fg_config *cfg);
/* Does an SA, a waiting initiation or a trap point into cfg? */
bool ike_mgr_uses_config(const struct ike_mgr *m, const struct fg_config *cfg);

#endif
