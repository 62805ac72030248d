/*
 * IPv4 header parse, build, checksum and the AH mutable-field helpers
 * (ipv4.h).
 */
#include "net/ipv4.h"

#include <string.h>

#include "common/err.h"

/* Option types RFC 4302 appendix A1 lists as immutable (whole type byte). */
static const uint8_t immutable_opts[] = {
	IPV4_OPT_EOL, IPV4_OPT_NOP,
	130,    /* Security (RFC 1108) */
	133,    /* Extended Security (RFC 1108) */
	134,    /* Commercial Security */
	148,    /* Router Alert (RFC 2113) */
	149,    /* Sender Directed Multi-Destination Delivery (RFC 1770) */
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static bool is_immutable(uint8_t type)
{
	size_t i;

	for (i = 0; i < sizeof(immutable_opts); i++)
		if (immutable_opts[i] == type)
			return true;
	return false;
}

/* Walks the option area opts[0..len) up to End of Option List. When zero
 * is not NULL it is the same area, writable, and the mutable options are
 * zeroed in it. Returns 0 or FG_ERR_PARSE for an option whose length byte
 * is missing, under 2, or runs past the area. */
static int walk_options(const uint8_t *opts, size_t len, uint8_t *zero)
{
	size_t off = 0, olen;
	uint8_t type;

	while (off < len) {
		type = opts[off];
		if (type == IPV4_OPT_EOL)
			return 0;
		if (type == IPV4_OPT_NOP) {
			off++;
			continue;
		}
		if (len - off < 2)
			return FG_ERR_PARSE;
		olen = opts[off + 1];
		if (olen < 2 || olen > len - off)
			return FG_ERR_PARSE;
		if (zero && !is_immutable(type))
			memset(zero + off, 0, olen);
		off += olen;
	}
	return 0;
}

int ipv4_parse(const uint8_t *buf, size_t len, struct ipv4_hdr *h)
{
	size_t hl;
	int rc;

	memset(h, 0, sizeof(*h));
	if (len < IPV4_HDR_MIN)
		return FG_ERR_TRUNC;
	hl = (size_t)(buf[0] & 0x0f) * 4;
	if (buf[0] >> 4 != 4 || hl < IPV4_HDR_MIN)
		return FG_ERR_PARSE;
	if (hl > len)
		return FG_ERR_TRUNC;
	h->total_len = get16(buf + IPV4_OFF_LEN);
	if (h->total_len < hl)
		return FG_ERR_PARSE;
	if (h->total_len > len)
		return FG_ERR_TRUNC;
	rc = walk_options(buf + IPV4_HDR_MIN, hl - IPV4_HDR_MIN, NULL);
	if (rc)
		return rc;
	h->hdr_len = hl;
	h->tos = buf[IPV4_OFF_TOS];
	h->id = get16(buf + IPV4_OFF_ID);
	h->frag = get16(buf + IPV4_OFF_FRAG);
	h->ttl = buf[IPV4_OFF_TTL];
	h->proto = buf[IPV4_OFF_PROTO];
	h->csum = get16(buf + IPV4_OFF_CSUM);
	h->src = get32(buf + IPV4_OFF_SRC);
	h->dst = get32(buf + IPV4_OFF_DST);
	h->fragment = (h->frag & (IPV4_MF | IPV4_FRAG_OFF_MASK)) != 0;
	h->csum_ok = ipv4_checksum(buf, hl) == 0;
	return 0;
}

int ipv4_build(uint8_t *buf, size_t cap, const struct ipv4_hdr *h)
{
	if (cap < IPV4_HDR_MIN || h->total_len < IPV4_HDR_MIN)
		return FG_ERR_RANGE;
	buf[0] = 0x45;
	buf[IPV4_OFF_TOS] = h->tos;
	put16(buf + IPV4_OFF_LEN, h->total_len);
	put16(buf + IPV4_OFF_ID, h->id);
	put16(buf + IPV4_OFF_FRAG, h->frag);
	buf[IPV4_OFF_TTL] = h->ttl;
	buf[IPV4_OFF_PROTO] = h->proto;
	put32(buf + IPV4_OFF_SRC, h->src);
	put32(buf + IPV4_OFF_DST, h->dst);
	ipv4_set_checksum(buf);
	return IPV4_HDR_MIN;
}

uint16_t ipv4_checksum(const uint8_t *data, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(data + i);
	if (len & 1)
		sum += (uint32_t)data[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

void ipv4_set_checksum(uint8_t *hdr)
{
	size_t hl = (size_t)(hdr[0] & 0x0f) * 4;

	put16(hdr + IPV4_OFF_CSUM, 0);
	put16(hdr + IPV4_OFF_CSUM, ipv4_checksum(hdr, hl));
}

void ipv4_set_proto_len(uint8_t *hdr, uint8_t proto, uint16_t total_len)
{
	hdr[IPV4_OFF_PROTO] = proto;
	put16(hdr + IPV4_OFF_LEN, total_len);
	ipv4_set_checksum(hdr);
}

int ipv4_ah_zero(uint8_t *hdr, size_t len, struct ipv4_mutable *m)
{
	size_t hl;
	int rc;

	memset(m, 0, sizeof(*m));
	if (len < IPV4_HDR_MIN)
		return FG_ERR_TRUNC;
	hl = (size_t)(hdr[0] & 0x0f) * 4;
	if (hdr[0] >> 4 != 4 || hl < IPV4_HDR_MIN)
		return FG_ERR_PARSE;
	if (hl > len)
		return FG_ERR_TRUNC;
	/* Validate before changing anything. */
	rc = walk_options(hdr + IPV4_HDR_MIN, hl - IPV4_HDR_MIN, NULL);
	if (rc)
		return rc;
	m->hdr_len = hl;
	m->tos = hdr[IPV4_OFF_TOS];
	m->frag = get16(hdr + IPV4_OFF_FRAG);
	m->ttl = hdr[IPV4_OFF_TTL];
	memcpy(m->opts, hdr + IPV4_HDR_MIN, hl - IPV4_HDR_MIN);
	hdr[IPV4_OFF_TOS] = 0;
	put16(hdr + IPV4_OFF_FRAG, 0);
	hdr[IPV4_OFF_TTL] = 0;
	put16(hdr + IPV4_OFF_CSUM, 0);
	walk_options(hdr + IPV4_HDR_MIN, hl - IPV4_HDR_MIN, hdr + IPV4_HDR_MIN);
	return 0;
}

void ipv4_ah_restore(uint8_t *hdr, const struct ipv4_mutable *m)
{
	hdr[IPV4_OFF_TOS] = m->tos;
	put16(hdr + IPV4_OFF_FRAG, m->frag);
	hdr[IPV4_OFF_TTL] = m->ttl;
	memcpy(hdr + IPV4_HDR_MIN, m->opts, m->hdr_len - IPV4_HDR_MIN);
	ipv4_set_checksum(hdr);
}
