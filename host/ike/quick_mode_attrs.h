/*
 * Quick Mode's lifetime handling and NAT-OA, kept out of quick_mode.c:
 * life type/duration pairs in transforms (RFC 2407 4.5), the
 * RESPONDER-LIFETIME notify (RFC 2407 4.6.3.1) and the NAT-OA payloads of
 * transport mode over NAT-T (RFC 3947 5.2). Parsers trust no length:
 * malformed attributes are skipped with a warning, never read past.
 */
#ifndef FGATE_IKE_QUICK_MODE_ATTRS_H
#define FGATE_IKE_QUICK_MODE_ATTRS_H

#include "ike/ike_sa.h"
#include "ike/isakmp_sa.h"

/* life_bytes in kilobytes, rounded up (0: no byte limit). */
uint64_t qm_attr_cfg_kb(const struct fg_child *c);
/* Seconds and kilobytes of a transform's attributes (0 when absent); a
 * duration before any type counts as seconds. */
void qm_attr_lifes(const struct isakmp_attr *a, size_t n, uint64_t *secs, uint64_t *kb);
/* The shorter non-zero one of a and b (0 if both are). */
uint64_t qm_attr_shorter(uint64_t a, uint64_t b);
/* RESPONDER-LIFETIME for ch: SPI = ch->spi_out (the initiator's), data =
 * its seconds and kilobytes. */
int qm_attr_build_responder_lifetime(const struct child_sa *ch, struct isakmp_builder *b);
/* Initiator: each RESPONDER-LIFETIME in m can only shorten ch's lifetimes. */
void qm_attr_read_responder_lifetime(struct ike_sa *sa, const struct isakmp_msg *m,
				     struct child_sa *ch);
/* Two NAT-OA payloads (initiator's address, responder's) when sa uses
 * NAT-T and mode is transport; nothing otherwise. */
int qm_attr_build_nat_oa(struct ike_sa *sa, bool initiator, enum fg_mode mode,
			 struct isakmp_builder *b);
/* The peer's original address from its NAT-OA into ch->nat_oa_peer. */
void qm_attr_read_nat_oa(const struct isakmp_msg *m, bool initiator, struct child_sa *ch);

#endif
