/*
 * The IKE SA manager: owns every ISAKMP SA, dispatches received datagrams
 * to them by cookies (creating responder SAs for new Main/Aggressive Mode
 * requests that match a configured connection), initiates connections and
 * drives timers through ike_mgr_tick(). Sockets and the clock stay
 * outside: datagrams leave through the send callback, time comes in as
 * milliseconds of a monotonic clock.
 */
#ifndef FGATE_IKE_IKE_MGR_H
#define FGATE_IKE_IKE_MGR_H

#include <stddef.h>
#include <stdint.h>

#include "common/config.h"
#include "ike/ike_sa.h"

enum ike_mgr_limits {
	IKE_HALF_OPEN_MAX = 32,       /* responder SAs not yet established */
};

/* Sends one IKE datagram (without the non-ESP marker: the socket layer
 * adds it on port 4500). Returns 0 or a negative fg_err. */
typedef int (*ike_send_fn)(void *ctx, const struct ike_endpoint *local,
			   const struct ike_endpoint *remote, const uint8_t *buf,
			   size_t len);

struct ike_mgr {
	const struct fg_config *cfg;
	ike_send_fn send;
	void *send_ctx;
	uint64_t now;                 /* ms, updated by input and tick */
	unsigned next_id;
	struct ike_sa *sas;
};

void ike_mgr_init(struct ike_mgr *m, const struct fg_config *cfg, ike_send_fn send,
		  void *ctx);
/* Deletes nothing on the wire; frees all SAs. */
void ike_mgr_free(struct ike_mgr *m);
/* Initiates a connection with the given children (all of conn's when
 * child is NULL). */
int ike_mgr_initiate(struct ike_mgr *m, const struct fg_conn *conn,
		     const struct fg_child *child);
/* Every connection with a child whose start_action is start. */
void ike_mgr_start_all(struct ike_mgr *m);
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

#endif
