/*
 * The host's part of the ESP and AH wire formats around the device
 * (esp_wire.h): outer headers, UDP encapsulation, AH mutable fields, and
 * the parse of received packets.
 */
#include "net/esp_wire.h"

#include <string.h>

#include "common/err.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

int esp_wire_cfg_check(const struct esp_wire_cfg *cfg)
{
	return cfg->ah && cfg->udp_encap ? FG_ERR_INVAL : 0;
}

/* Writes the 20-byte outer header of tunnel mode for a packet of total
 * bytes carrying inner (RFC 4301 5.1.2.1: TOS copied, DF per the
 * configuration, a fresh TTL). */
static int outer_hdr(const struct esp_wire_cfg *cfg, const struct ipv4_hdr *inner, uint8_t proto,
		     size_t total, uint16_t id, uint8_t *out)
{
	struct ipv4_hdr h;
	bool df;

	if (total > IPV4_TOTAL_MAX)
		return FG_ERR_RANGE;
	switch (cfg->df) {
	case ESP_WIRE_DF_COPY:
		df = (inner->frag & IPV4_DF) != 0;
		break;
	case ESP_WIRE_DF_SET:
		df = true;
		break;
	default:
		df = false;
		break;
	}
	memset(&h, 0, sizeof(h));
	h.tos = inner->tos;
	h.total_len = (uint16_t)total;
	h.id = id;
	h.frag = df ? IPV4_DF : 0;
	h.ttl = cfg->ttl ? cfg->ttl : IPV4_TTL_DEFAULT;
	h.proto = proto;
	h.src = cfg->src;
	h.dst = cfg->dst;
	return ipv4_build(out, IPV4_HDR_MIN, &h) < 0 ? FG_ERR_RANGE : 0;
}

int esp_wire_esp_data(const struct esp_wire_cfg *cfg, const uint8_t *pkt,
		      const struct ipv4_hdr *ip, const uint8_t **data, size_t *len,
		      uint8_t *next_header)
{
	if (cfg->ah)
		return FG_ERR_INVAL;
	if (!cfg->transport) {
		*data = pkt;
		*len = ip->total_len;
		*next_header = IPV4_PROTO_IPIP;
		return 0;
	}
	if (ip->fragment)
		return FG_ERR_UNSUPP;
	*data = pkt + ip->hdr_len;
	*len = ip->total_len - ip->hdr_len;
	*next_header = ip->proto;
	return 0;
}

int esp_wire_esp_wrap(const struct esp_wire_cfg *cfg, const uint8_t *pkt,
		      const struct ipv4_hdr *ip, uint16_t id, const uint8_t *esp,
		      size_t esp_len, uint8_t *out, size_t cap, size_t *out_len)
{
	size_t hl = cfg->transport ? ip->hdr_len : IPV4_HDR_MIN;
	size_t udp = cfg->udp_encap ? ESP_WIRE_UDP_HDR : 0;
	size_t total = hl + udp + esp_len;
	uint8_t proto = cfg->udp_encap ? IPV4_PROTO_UDP : IPV4_PROTO_ESP;
	int rc;

	*out_len = 0;
	if (cfg->ah)
		return FG_ERR_INVAL;
	if (cfg->transport && ip->fragment)
		return FG_ERR_UNSUPP;
	if (total > IPV4_TOTAL_MAX || total > cap)
		return FG_ERR_RANGE;
	/* The ESP bytes may already sit where they belong. */
	memmove(out + hl + udp, esp, esp_len);
	if (cfg->transport) {
		memcpy(out, pkt, hl);
		ipv4_set_proto_len(out, proto, (uint16_t)total);
	} else {
		rc = outer_hdr(cfg, ip, proto, total, id, out);
		if (rc)
			return rc;
	}
	if (udp) {
		/* RFC 3948 2.1: checksum 0 over IPv4. */
		put16(out + hl, ESP_WIRE_NATT_PORT);
		put16(out + hl + 2, ESP_WIRE_NATT_PORT);
		put16(out + hl + 4, (uint16_t)(udp + esp_len));
		put16(out + hl + 6, 0);
	}
	*out_len = total;
	return 0;
}

int esp_wire_ah_request(const struct esp_wire_cfg *cfg, const uint8_t *pkt,
			const struct ipv4_hdr *ip, uint16_t id, uint8_t *out, size_t cap,
			size_t *out_len, uint8_t *next_header, struct ipv4_mutable *m)
{
	size_t hl, total, req;
	int rc;

	*out_len = 0;
	if (!cfg->ah || cfg->udp_encap)
		return FG_ERR_INVAL;
	if (cfg->transport) {
		if (ip->fragment)
			return FG_ERR_UNSUPP;
		hl = ip->hdr_len;
		total = (size_t)ip->total_len + ESP_WIRE_AH_BYTES;
	} else {
		hl = IPV4_HDR_MIN;
		total = hl + ESP_WIRE_AH_BYTES + ip->total_len;
	}
	req = total - ESP_WIRE_AH_BYTES;
	if (total > IPV4_TOTAL_MAX || req > cap)
		return FG_ERR_RANGE;
	if (cfg->transport) {
		memcpy(out, pkt, ip->total_len);
		ipv4_set_proto_len(out, IPV4_PROTO_AH, (uint16_t)total);
		*next_header = ip->proto;
	} else {
		rc = outer_hdr(cfg, ip, IPV4_PROTO_AH, total, id, out);
		if (rc)
			return rc;
		memcpy(out + hl, pkt, ip->total_len);
		*next_header = IPV4_PROTO_IPIP;
	}
	rc = ipv4_ah_zero(out, hl, m);
	if (rc)
		return rc;
	*out_len = req;
	return 0;
}

int esp_wire_ah_finish(uint8_t *pkt, size_t len, const struct ipv4_mutable *m)
{
	if (m->hdr_len < IPV4_HDR_MIN)
		return FG_ERR_INVAL;
	if (len < m->hdr_len + ESP_WIRE_AH_BYTES)
		return FG_ERR_TRUNC;
	ipv4_ah_restore(pkt, m);
	return 0;
}

/* The payload of a UDP datagram to port 4500 (RFC 3948 2.2, 2.3). */
static int parse_natt(const uint8_t *p, size_t n, struct esp_wire_rx *rx)
{
	static const uint8_t marker[ESP_WIRE_MARKER];

	rx->payload = p;
	rx->payload_len = n;
	if (n == 1 && p[0] == ESP_WIRE_KEEPALIVE_BYTE) {
		rx->kind = ESP_WIRE_KEEPALIVE;
		return 0;
	}
	if (n >= ESP_WIRE_MARKER && !memcmp(p, marker, ESP_WIRE_MARKER)) {
		rx->kind = ESP_WIRE_IKE;
		rx->payload += ESP_WIRE_MARKER;
		rx->payload_len -= ESP_WIRE_MARKER;
		return 0;
	}
	if (n < ESP_WIRE_ESP_MIN)
		return FG_ERR_TRUNC;
	rx->kind = ESP_WIRE_ESP;
	rx->spi = get32(p);
	return 0;
}

int esp_wire_parse(const uint8_t *pkt, size_t len, struct esp_wire_rx *rx)
{
	const uint8_t *p;
	size_t n;
	int rc;

	memset(rx, 0, sizeof(*rx));
	rc = ipv4_parse(pkt, len, &rx->ip);
	if (rc)
		return rc;
	if (!rx->ip.csum_ok)
		return FG_ERR_PARSE;
	if (rx->ip.fragment)
		return FG_ERR_UNSUPP;
	p = pkt + rx->ip.hdr_len;
	n = rx->ip.total_len - rx->ip.hdr_len;
	rx->kind = ESP_WIRE_OTHER;
	rx->payload = p;
	rx->payload_len = n;
	switch (rx->ip.proto) {
	case IPV4_PROTO_ESP:
		if (n < ESP_WIRE_ESP_MIN)
			return FG_ERR_TRUNC;
		rx->kind = ESP_WIRE_ESP;
		rx->spi = get32(p);
		return 0;
	case IPV4_PROTO_AH:
		if (n < ESP_WIRE_AH_MIN)
			return FG_ERR_TRUNC;
		rx->kind = ESP_WIRE_AH;
		rx->spi = get32(p + 4);
		return 0;
	case IPV4_PROTO_UDP:
		if (n < ESP_WIRE_UDP_HDR)
			return FG_ERR_TRUNC;
		if (get16(p + 4) != n)
			return FG_ERR_PARSE;
		if (get16(p + 2) != ESP_WIRE_NATT_PORT)
			return 0;
		rx->udp_encap = true;
		rx->sport = get16(p);
		rx->dport = get16(p + 2);
		return parse_natt(p + ESP_WIRE_UDP_HDR, n - ESP_WIRE_UDP_HDR, rx);
	}
	return 0;
}

/* Tunnel mode inbound: the inner IPv4 packet from data (at most len bytes,
 * TFC padding cut) into out, with RFC 6040 ECN decapsulation against the
 * outer TOS byte. */
static int inner_out(uint8_t outer_tos, uint8_t next_header, const uint8_t *data, size_t len,
		     uint8_t *out, size_t cap, size_t *out_len)
{
	struct ipv4_hdr in;
	uint8_t ecn;
	int rc;

	if (next_header == IPV4_PROTO_NONE)
		return 0;
	if (next_header != IPV4_PROTO_IPIP)
		return FG_ERR_PARSE;
	rc = ipv4_parse(data, len, &in);
	if (rc)
		return FG_ERR_PARSE;
	if (in.total_len > cap)
		return FG_ERR_RANGE;
	memcpy(out, data, in.total_len);
	ecn = in.tos & IPV4_ECN_MASK;
	if ((outer_tos & IPV4_ECN_MASK) == IPV4_ECN_CE && ecn != IPV4_ECN_CE) {
		if (ecn == IPV4_ECN_NOT_ECT)
			return FG_ERR_PARSE;
		out[IPV4_OFF_TOS] |= IPV4_ECN_CE;
		ipv4_set_checksum(out);
	}
	*out_len = in.total_len;
	return 0;
}

int esp_wire_esp_unwrap(const struct esp_wire_cfg *cfg, const uint8_t *pkt,
			const struct esp_wire_rx *rx, uint8_t next_header, const uint8_t *data,
			size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
	size_t hl = rx->ip.hdr_len, total = hl + len;

	*out_len = 0;
	if (cfg->ah || rx->kind != ESP_WIRE_ESP)
		return FG_ERR_INVAL;
	if (!cfg->transport)
		return inner_out(rx->ip.tos, next_header, data, len, out, cap, out_len);
	if (next_header == IPV4_PROTO_NONE)
		return 0;
	if (total > IPV4_TOTAL_MAX || total > cap)
		return FG_ERR_RANGE;
	memmove(out + hl, data, len);
	memcpy(out, pkt, hl);
	ipv4_set_proto_len(out, next_header, (uint16_t)total);
	*out_len = total;
	return 0;
}

int esp_wire_ah_request_in(const uint8_t *pkt, const struct esp_wire_rx *rx, uint8_t *out,
			   size_t cap, size_t *out_len, struct ipv4_mutable *m)
{
	int rc;

	*out_len = 0;
	if (rx->kind != ESP_WIRE_AH)
		return FG_ERR_INVAL;
	if (rx->ip.total_len > cap)
		return FG_ERR_RANGE;
	memcpy(out, pkt, rx->ip.total_len);
	rc = ipv4_ah_zero(out, rx->ip.total_len, m);
	if (rc)
		return rc;
	*out_len = rx->ip.total_len;
	return 0;
}

int esp_wire_ah_unwrap(const struct esp_wire_cfg *cfg, const struct ipv4_mutable *m,
		       uint8_t next_header, const uint8_t *res, size_t len, uint8_t *out,
		       size_t cap, size_t *out_len)
{
	size_t hl = m->hdr_len;

	*out_len = 0;
	if (!cfg->ah || hl < IPV4_HDR_MIN)
		return FG_ERR_INVAL;
	if (len < hl)
		return FG_ERR_TRUNC;
	if (!cfg->transport)
		return inner_out(m->tos, next_header, res + hl, len - hl, out, cap, out_len);
	if (next_header == IPV4_PROTO_NONE)
		return 0;
	if (len > IPV4_TOTAL_MAX || len > cap)
		return FG_ERR_RANGE;
	memmove(out, res, len);
	out[IPV4_OFF_PROTO] = next_header;
	put16(out + IPV4_OFF_LEN, (uint16_t)len);
	ipv4_ah_restore(out, m);
	*out_len = len;
	return 0;
}
