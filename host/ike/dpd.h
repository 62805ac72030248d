/*
 * Dead Peer Detection (RFC 3706). Both sides send the DPD vendor ID in
 * phase 1 (as charon does); we answer every authenticated R-U-THERE with
 * an R-U-THERE-ACK carrying its sequence number, whatever our own
 * configuration. We ask only when dpd_delay is set and the peer sent the
 * vendor ID: after dpd_delay without any verified IKE message or inbound
 * ESP/AH traffic (ike_mgr_child_bytes), an R-U-THERE goes out (sequence
 * numbers start at a random 31-bit value and grow by one per message).
 *   - dpd_timeout set (IKEv1 only, as in charon): R-U-THERE again every
 *     dpd_delay; the peer is dead when nothing came for dpd_timeout.
 *   - dpd_timeout 0: the R-U-THERE is retransmitted like any request
 *     (4, 8, 16, 32, 64 s; new sequence number each time); dead when the
 *     last one is unanswered after 128 s.
 * Any verified message or the matching ACK ends a check. A dead peer's
 * ISAKMP SA is deleted without sending anything, and each child runs its
 * dpd_action: clear (nothing more), trap (ike_mgr_trap: re-initiated on
 * traffic through ike_mgr_acquire) or restart (initiated again at once).
 */
#ifndef FGATE_IKE_DPD_H
#define FGATE_IKE_DPD_H

#include "ike/ike_sa.h"

int dpd_build_vid(struct ike_sa *sa, struct isakmp_builder *b);
/* Sets sa->dpd when the peer sent the DPD vendor ID. */
void dpd_process_vid(struct ike_sa *sa, const struct isakmp_msg *m);
/* An authenticated R-U-THERE or R-U-THERE-ACK notify. */
void dpd_process_notify(struct ike_sa *sa, const struct isakmp_pl_notify *n);
/* Phase 1 is up: first check after dpd_delay. */
void dpd_start(struct ike_sa *sa);
void dpd_tick(struct ike_sa *sa, uint64_t now);

#endif
