/*
 * NAT-T detection for phase 1 (RFC 3947): the "RFC 3947" vendor ID (the
 * draft IDs are neither sent nor recognised), NAT-D = HASH(CKY-I | CKY-R |
 * IP | port) for the peer's endpoint first and ours second, and floating
 * to port 4500 once a NAT is seen. The socket layer (net/udp.h) adds and
 * strips the non-ESP marker. Quick Mode then asks for UDP-encapsulated
 * tunnel or transport mode (3/4), with NAT-OA in transport mode
 * (quick_mode.c).
 *
 * Keepalives (RFC 3948 2.3, 4): when our own NAT-D did not match (we are
 * behind a NAT; encap = yes alone does not count, as in charon), an
 * established SA sends one 0xff byte from port 4500 to the peer every
 * NATT_KEEPALIVE_MS through the manager's keepalive callback, to keep the
 * NAT mapping open. A verified message from a new address or port on 4500
 * moves the SA there (ike_sa.c: the peer's NAT mapping changed).
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
/* Keepalives due at now. */
void natt_tick(struct ike_sa *sa, uint64_t now);

enum { NATT_KEEPALIVE_MS = 20000 };

#endif
