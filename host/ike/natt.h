/*
 * NAT-T detection for phase 1 (RFC 3947): the "RFC 3947" vendor ID (the
 * draft IDs are neither sent nor recognised), NAT-D = HASH(CKY-I | CKY-R |
 * IP | port) for the peer's endpoint first and ours second, and floating
 * to port 4500 once a NAT is seen. The socket layer (net/udp.h) adds and
 * strips the non-ESP marker. Quick Mode then asks for UDP-encapsulated
 * tunnel or transport mode (3/4).
 */
#ifndef FGATE_IKE_NATT_H
#define FGATE_IKE_NATT_H

#include "ike/ike_sa.h"

/* Initiator: always; responder: when the initiator sent it. */
int natt_build_vid(struct ike_sa *sa, struct isakmp_builder *b);
/* Sets sa->natt when the peer sent the RFC 3947 vendor ID. */
void natt_process_vid(struct ike_sa *sa, const struct isakmp_msg *m);
/* Two NAT-D payloads (when sa->natt); ours is random with encap = yes. */
int natt_build_natd(struct ike_sa *sa, struct isakmp_builder *b);
/* Sets sa->nat if a hash does not match (or encap = yes). */
void natt_process_natd(struct ike_sa *sa, const struct isakmp_msg *m);
/* Initiator: both ports to 4500 when sa->nat. */
void natt_float(struct ike_sa *sa);

#endif
