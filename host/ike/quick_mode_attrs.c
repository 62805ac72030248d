/* Quick Mode's lifetime attributes, RESPONDER-LIFETIME and NAT-OA
 * (quick_mode.c uses them; see its header for the rules). */
#include "ike/quick_mode_attrs.h"

#include "common/err.h"
#include "common/log.h"
#include "ike/isakmp_sa.h"

/* life_bytes in kilobytes, rounded up (0: no byte limit). */
uint64_t qm_attr_cfg_kb(const struct fg_child *c)
{
	return c->life_bytes ? (c->life_bytes + 1023) / 1024 : 0;
}

/* Life type/duration pairs (RFC 2407 4.5): seconds and kilobytes, 0 when
 * absent. A duration before any type counts as seconds. */
void qm_attr_lifes(const struct isakmp_attr *a, size_t n, uint64_t *secs, uint64_t *kb)
{
	uint64_t type = ISAKMP_IPSEC_LIFE_SECONDS;
	size_t i;

	*secs = *kb = 0;
	for (i = 0; i < n; i++) {
		if (a[i].type == ISAKMP_IPSEC_LIFE_TYPE)
			type = a[i].num;
		else if (a[i].type == ISAKMP_IPSEC_LIFE_DURATION && type == ISAKMP_IPSEC_LIFE_SECONDS)
			*secs = a[i].num;
		else if (a[i].type == ISAKMP_IPSEC_LIFE_DURATION &&
			 type == ISAKMP_IPSEC_LIFE_KILOBYTES)
			*kb = a[i].num;
	}
}

/* The shorter non-zero one. */
uint64_t qm_attr_shorter(uint64_t a, uint64_t b)
{
	return a && b ? (a < b ? a : b) : a ? a : b;
}

/* RESPONDER-LIFETIME (RFC 2407 4.6.3.1): SPI = the initiator's inbound
 * SPI (the SA it proposed), data = life type/duration attributes. */
int qm_attr_build_responder_lifetime(const struct child_sa *ch, struct isakmp_builder *b)
{
	uint8_t spi[4], data[24], *d = data;
	struct isakmp_pl_notify n = { .doi = ISAKMP_DOI_IPSEC, .proto = ch->proto,
				      .type = ISAKMP_N_RESPONDER_LIFETIME, .spi = { spi, 4 } };
	uint64_t v[2] = { ch->life_time, ch->life_kb };
	uint16_t t[2] = { ISAKMP_IPSEC_LIFE_SECONDS, ISAKMP_IPSEC_LIFE_KILOBYTES };
	unsigned i;

	isakmp_put32(spi, ch->spi_out);
	for (i = 0; i < 2; i++) {
		if (!v[i])
			continue;
		isakmp_put16(d, 0x8000 | ISAKMP_IPSEC_LIFE_TYPE);
		isakmp_put16(d + 2, t[i]);
		isakmp_put16(d + 4, ISAKMP_IPSEC_LIFE_DURATION);   /* TLV, 4 bytes */
		isakmp_put16(d + 6, 4);
		isakmp_put32(d + 8, v[i] > 0xffffffffu ? 0xffffffffu : (uint32_t)v[i]);
		d += 12;
	}
	n.data = (struct isakmp_span){ data, (size_t)(d - data) };
	return isakmp_build_notify(b, &n) < 0 ? b->err : 0;
}

/* Initiator: a RESPONDER-LIFETIME in message 2 can only shorten. Malformed
 * attributes are ignored with a warning. */
void qm_attr_read_responder_lifetime(struct ike_sa *sa, const struct isakmp_msg *m,
				     struct child_sa *ch)
{
	const struct isakmp_payload *p;

	for (p = isakmp_msg_get(m, ISAKMP_PT_NOTIFY); p; p = isakmp_msg_next(m, p)) {
		const struct isakmp_pl_notify *n = &p->u.notify;
		const uint8_t *d = n->data.ptr;
		size_t left = n->data.len;
		uint64_t type = ISAKMP_IPSEC_LIFE_SECONDS;

		if (n->type != ISAKMP_N_RESPONDER_LIFETIME)
			continue;
		while (left >= 4) {
			uint16_t at = isakmp_get16(d), val = isakmp_get16(d + 2);
			uint64_t num = val;
			size_t len = 4, i;

			if (!(at & 0x8000)) {
				if (val > 8 || 4u + val > left)
					break;
				for (num = 0, i = 0; i < val; i++)
					num = num << 8 | d[4 + i];
				len = 4u + val;
			}
			at &= 0x7fff;
			if (at == ISAKMP_IPSEC_LIFE_TYPE)
				type = num;
			else if (at == ISAKMP_IPSEC_LIFE_DURATION && type == ISAKMP_IPSEC_LIFE_SECONDS)
				ch->life_time = qm_attr_shorter(ch->life_time, num);
			else if (at == ISAKMP_IPSEC_LIFE_DURATION &&
				 type == ISAKMP_IPSEC_LIFE_KILOBYTES)
				ch->life_kb = qm_attr_shorter(ch->life_kb, num);
			d += len;
			left -= len;
		}
		if (left)
			fg_warn("%s: Quick Mode: malformed RESPONDER-LIFETIME ignored in part",
				ike_sa_name(sa));
		fg_info("%s: Quick Mode: responder lifetime %llus, %llu kB", ike_sa_name(sa),
			(unsigned long long)ch->life_time,
			(unsigned long long)ch->life_kb);
	}
}

/* NAT-OA (RFC 3947 5.2) when transport mode runs over NAT-T: the
 * initiator's original address first, then the responder's. */
int qm_attr_build_nat_oa(struct ike_sa *sa, bool initiator, enum fg_mode mode,
			 struct isakmp_builder *b)
{
	uint8_t ai[4], ar[4];
	struct isakmp_pl_nat_oa nat_i = { .id_type = ISAKMP_ID_IPV4_ADDR, .addr = { ai, 4 } };
	struct isakmp_pl_nat_oa nat_r = { .id_type = ISAKMP_ID_IPV4_ADDR, .addr = { ar, 4 } };

	if (!sa->nat || mode != FG_MODE_TRANSPORT)
		return 0;
	isakmp_put32(ai, initiator ? sa->local.addr : sa->remote.addr);
	isakmp_put32(ar, initiator ? sa->remote.addr : sa->local.addr);
	if (isakmp_build_nat_oa(b, &nat_i) < 0 || isakmp_build_nat_oa(b, &nat_r) < 0)
		return b->err;
	return 0;
}

/* The peer's NAT-OA: the first for an initiator, the second otherwise. */
void qm_attr_read_nat_oa(const struct isakmp_msg *m, bool initiator, struct child_sa *ch)
{
	const struct isakmp_payload *p = isakmp_msg_get(m, ISAKMP_PT_NAT_OA);

	if (p && initiator)
		p = isakmp_msg_next(m, p);
	if (p && p->u.nat_oa.id_type == ISAKMP_ID_IPV4_ADDR && p->u.nat_oa.addr.len == 4)
		ch->nat_oa_peer = isakmp_get32(p->u.nat_oa.addr.ptr);
}
