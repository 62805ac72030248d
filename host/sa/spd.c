/* The security policy database (spd.h): a sorted array, linear lookup. */
#include "sa/spd.h"

#include <string.h>

#include "common/err.h"

enum { PROTO_SCTP = 132 };

void spd_init(struct spd *s)
{
	s->n = 0;
}

int spd_sel_from_ts(const struct fg_ts *src, const struct fg_ts *dst, struct spd_sel *sel)
{
	if (src->dynamic || dst->dynamic)
		return FG_ERR_INVAL;
	if (src->proto && dst->proto && src->proto != dst->proto)
		return FG_ERR_INVAL;
	memset(sel, 0, sizeof(*sel));
	sel->src = src->addr;
	sel->dst = dst->addr;
	sel->proto = src->proto ? src->proto : dst->proto;
	sel->sport_first = src->port_first;
	sel->sport_last = src->port_last;
	sel->dport_first = dst->port_first;
	sel->dport_last = dst->port_last;
	return 0;
}

/* <0: a is more specific than b, >0: less, 0: as specific. */
static int cmp_specific(const struct spd_sel *a, const struct spd_sel *b)
{
	uint32_t da = a->dst.last - a->dst.first, db = b->dst.last - b->dst.first;
	uint32_t sa = a->src.last - a->src.first, sb = b->src.last - b->src.first;
	unsigned pa = (unsigned)(a->dport_last - a->dport_first);
	unsigned pb = (unsigned)(b->dport_last - b->dport_first);
	unsigned qa = (unsigned)(a->sport_last - a->sport_first);
	unsigned qb = (unsigned)(b->sport_last - b->sport_first);

	if (da != db)
		return da < db ? -1 : 1;
	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (!a->proto != !b->proto)
		return a->proto ? -1 : 1;
	if (pa != pb)
		return pa < pb ? -1 : 1;
	if (qa != qb)
		return qa < qb ? -1 : 1;
	return 0;
}

int spd_add(struct spd *s, const struct spd_sel *sel, unsigned sa)
{
	unsigned i;

	if (s->n >= SPD_POLICIES_MAX)
		return FG_ERR_FULL;
	/* Before the first policy that is as specific or less: newest first
	 * among equals. */
	for (i = 0; i < s->n && cmp_specific(&s->p[i].sel, sel) < 0; i++)
		;
	memmove(&s->p[i + 1], &s->p[i], (s->n - i) * sizeof(s->p[0]));
	s->p[i].sel = *sel;
	s->p[i].sa = sa;
	s->n++;
	return 0;
}

unsigned spd_del_sa(struct spd *s, unsigned sa)
{
	unsigned i = 0, gone = 0;

	while (i < s->n) {
		if (s->p[i].sa == sa) {
			memmove(&s->p[i], &s->p[i + 1], (s->n - i - 1) * sizeof(s->p[0]));
			s->n--;
			gone++;
		} else {
			i++;
		}
	}
	return gone;
}

static bool in_ports(uint16_t first, uint16_t last, bool known, uint16_t port)
{
	if (first == 0 && last == 0xffff)
		return true;
	return known && port >= first && port <= last;
}

bool spd_sel_match(const struct spd_sel *sel, const struct spd_pkt *pkt)
{
	if (pkt->src < sel->src.first || pkt->src > sel->src.last ||
	    pkt->dst < sel->dst.first || pkt->dst > sel->dst.last)
		return false;
	if (sel->proto && sel->proto != pkt->proto)
		return false;
	return in_ports(sel->sport_first, sel->sport_last, pkt->ports, pkt->sport) &&
	       in_ports(sel->dport_first, sel->dport_last, pkt->ports, pkt->dport);
}

int spd_lookup(const struct spd *s, const struct spd_pkt *pkt)
{
	unsigned i;

	for (i = 0; i < s->n; i++)
		if (spd_sel_match(&s->p[i].sel, pkt))
			return (int)s->p[i].sa;
	return FG_ERR_NOTFOUND;
}

void spd_pkt_from_ipv4(const uint8_t *buf, size_t len, const struct ipv4_hdr *ip,
		       struct spd_pkt *pkt)
{
	size_t end = ip->total_len < len ? ip->total_len : len;
	const uint8_t *t = buf + ip->hdr_len;

	memset(pkt, 0, sizeof(*pkt));
	pkt->src = ip->src;
	pkt->dst = ip->dst;
	pkt->proto = ip->proto;
	if ((ip->frag & IPV4_FRAG_OFF_MASK) != 0 || end < ip->hdr_len + 4)
		return;
	if (ip->proto != IPV4_PROTO_TCP && ip->proto != IPV4_PROTO_UDP && ip->proto != PROTO_SCTP)
		return;
	pkt->ports = true;
	pkt->sport = (uint16_t)(t[0] << 8 | t[1]);
	pkt->dport = (uint16_t)(t[2] << 8 | t[3]);
}
