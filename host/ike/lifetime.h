/*
 * When SAs are rekeyed, renewed and expire, with swanctl.conf's meanings
 * (host/common/config.h holds the values and charon's defaults):
 *
 * CHILD SAs. The Quick Mode offer carries the hard lifetime (life_time,
 * and life_bytes as kilobytes when set), like charon. Soft limit: rekey at
 * rekey_time minus a random part of rand_time (rekey_bytes minus a random
 * part of rand_bytes); if the negotiated lifetime is shorter than that,
 * at 90% of it. Rekeying is a new Quick Mode for the same child config;
 * when its SA is installed, the one it replaces (same config and
 * selectors) becomes REKEYED. Whoever initiated the rekeying deletes the
 * old SA (DELETE sent) as soon as the new one carries inbound traffic
 * (lifetime_child_bytes) or after LIFETIME_OVERLAP_MS; the other side
 * keeps it until that DELETE or its hard limit (charon's delete_rekeyed
 * default). Hard limit (life_time or life_bytes): DELETE sent, SA removed.
 * A failed rekey is retried after LIFETIME_REKEY_RETRY_MS until the hard
 * limit.
 *
 * ISAKMP SAs. IKEv1 cannot rekey them: rekey_time and reauth_time both
 * mean "build a new one" (the shorter non-zero one counts), minus a random
 * part of rand_time; over_time later the SA is closed. The phase 1 offer
 * carries that hard lifetime (renewal time + over_time). A new ISAKMP SA
 * with the same peer, identity and connection adopts the children of the
 * old one when it is established (what charon does on an IKEv1
 * reauthentication), unless the peer sent INITIAL-CONTACT. If we started
 * the renewal we DELETE the old ISAKMP SA at the next tick (after the
 * message that completes the new phase 1); otherwise the peer does.
 *
 * Times are ms of the manager's clock; 0 means never.
 */
#ifndef FGATE_IKE_LIFETIME_H
#define FGATE_IKE_LIFETIME_H

#include <stdint.h>

#include "ike/ike_sa.h"

enum lifetime_limits {
	LIFETIME_OVERLAP_MS = 10000,       /* old child SA kept after a rekey */
	LIFETIME_REKEY_RETRY_MS = 10000,   /* a failed rekey is tried again */
	LIFETIME_MIN_S = 1,                /* shortest soft limit we schedule */
};

/* A random value in [0, range] (ms or bytes). */
uint64_t lifetime_jitter(uint64_t range);
/* The phase 1 lifetime we offer, in seconds (renewal + over_time). */
uint64_t lifetime_ike_offer(const struct fg_conn *conn);
/* Phase 1 is up: schedule its renewal and expiry. */
void lifetime_ike_start(struct ike_sa *sa);
/* The new SA is up: adopt the children of older SAs with the same peer
 * (when no INITIAL-CONTACT came); lifetime_tick() deletes the ones we
 * renewed. */
void lifetime_ike_adopt(struct ike_sa *sa);
/* A child SA was installed on sa: schedule it, retire its predecessor. */
void lifetime_child_start(struct ike_sa *sa, struct child_sa *c);
/* The datapath's counters for c grew: byte limits, traffic on a rekeyed
 * SA's successor, DPD liveness. */
void lifetime_child_bytes(struct ike_sa *sa, struct child_sa *c, uint64_t bytes_in,
			  uint64_t bytes_out, uint64_t packets_in, uint64_t packets_out);
/* Rekeying, renewal and expiry due at now. */
void lifetime_tick(struct ike_sa *sa, uint64_t now);

#endif
