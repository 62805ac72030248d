/* host/net/esp_wire: the outer headers of tunnel mode (TOS, DF, TTL, UDP
 * encapsulation), the rewritten header of transport mode, the AH request
 * with its mutable fields zeroed and restored, the parse of received
 * packets (ESP, AH, NAT-T ESP, keepalive, IKE marker and every malformed
 * length), the unwrap (TFC padding, dummy packets, RFC 6040 ECN), and a
 * round trip of every mode through the soft offload device. */
#include <string.h>

#include "common/err.h"
#include "net/esp_wire.h"
#include "offload/offload.h"
#include "unit.h"

enum { SRC = 0xc0000201, DST = 0xc0000202 };

/* Inner packet: 10.1.0.1 -> 10.2.0.1 UDP, total bytes, given TOS and
 * flags, payload pattern. */
static size_t inner(uint8_t *b, size_t total, uint8_t tos, uint16_t frag)
{
	struct ipv4_hdr h = { .tos = tos, .total_len = (uint16_t)total, .id = 77, .frag = frag,
			      .ttl = 33, .proto = IPV4_PROTO_UDP, .src = 0x0a010001,
			      .dst = 0x0a020001 };
	size_t i;

	CU_ASSERT_EQUAL_FATAL(ipv4_build(b, total, &h), 20);
	for (i = 20; i < total; i++)
		b[i] = (uint8_t)(i * 3 + 1);
	return total;
}

static struct esp_wire_cfg cfg(bool ah, bool transport, bool udp)
{
	struct esp_wire_cfg c = { .ah = ah, .transport = transport, .udp_encap = udp,
				  .src = SRC, .dst = DST, .df = ESP_WIRE_DF_COPY, .ttl = 0 };
	return c;
}

static const uint8_t esp_bytes[40] = { 0x00, 0x00, 0x10, 0x01, 0, 0, 0, 1, 0xaa, 0xbb };

static void test_cfg_check(void)
{
	struct esp_wire_cfg c = cfg(true, false, true);

	CU_ASSERT_EQUAL(esp_wire_cfg_check(&c), FG_ERR_INVAL);
	c = cfg(false, false, true);
	CU_ASSERT_EQUAL(esp_wire_cfg_check(&c), 0);
	c = cfg(true, true, false);
	CU_ASSERT_EQUAL(esp_wire_cfg_check(&c), 0);
}

static void test_esp_data(void)
{
	uint8_t p[60];
	struct ipv4_hdr ip;
	struct esp_wire_cfg c = cfg(false, false, false);
	const uint8_t *d;
	size_t n;
	uint8_t nh;

	inner(p, sizeof(p), 0, 0);
	CU_ASSERT_EQUAL_FATAL(ipv4_parse(p, sizeof(p), &ip), 0);
	CU_ASSERT_EQUAL(esp_wire_esp_data(&c, p, &ip, &d, &n, &nh), 0);
	CU_ASSERT(d == p && n == 60 && nh == IPV4_PROTO_IPIP);
	c.transport = true;
	CU_ASSERT_EQUAL(esp_wire_esp_data(&c, p, &ip, &d, &n, &nh), 0);
	CU_ASSERT(d == p + 20 && n == 40 && nh == IPV4_PROTO_UDP);
	ip.fragment = true;
	CU_ASSERT_EQUAL(esp_wire_esp_data(&c, p, &ip, &d, &n, &nh), FG_ERR_UNSUPP);
	c.transport = false;    /* tunnel mode carries fragments */
	CU_ASSERT_EQUAL(esp_wire_esp_data(&c, p, &ip, &d, &n, &nh), 0);
	c.ah = true;
	CU_ASSERT_EQUAL(esp_wire_esp_data(&c, p, &ip, &d, &n, &nh), FG_ERR_INVAL);
}

static void test_tunnel_outer(void)
{
	static const struct {
		uint8_t tos;
		uint16_t frag;
		enum esp_wire_df df;
		uint16_t want_frag;
	} t[] = {
		{ 0xb8, IPV4_DF, ESP_WIRE_DF_COPY, IPV4_DF },
		{ 0x02, 0, ESP_WIRE_DF_COPY, 0 },
		{ 0x03, IPV4_MF | 5, ESP_WIRE_DF_COPY, 0 },     /* a fragment inside */
		{ 0x00, IPV4_DF, ESP_WIRE_DF_CLEAR, 0 },
		{ 0x00, 0, ESP_WIRE_DF_SET, IPV4_DF },
	};
	uint8_t p[60], out[200];
	struct ipv4_hdr ip, o;
	struct esp_wire_cfg c;
	size_t i, n;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		c = cfg(false, false, false);
		c.df = t[i].df;
		inner(p, sizeof(p), t[i].tos, t[i].frag);
		CU_ASSERT_EQUAL_FATAL(ipv4_parse(p, sizeof(p), &ip), 0);
		CU_ASSERT_EQUAL_FATAL(esp_wire_esp_wrap(&c, p, &ip, 0x4242, esp_bytes, 40, out,
							sizeof(out), &n), 0);
		CU_ASSERT_EQUAL(n, 60);
		CU_ASSERT_EQUAL_FATAL(ipv4_parse(out, n, &o), 0);
		CU_ASSERT_TRUE(o.csum_ok);
		CU_ASSERT_EQUAL(o.hdr_len, 20);
		CU_ASSERT_EQUAL(o.tos, t[i].tos);
		CU_ASSERT_EQUAL(o.frag, t[i].want_frag);
		CU_ASSERT_EQUAL(o.ttl, IPV4_TTL_DEFAULT);
		CU_ASSERT_EQUAL(o.id, 0x4242);
		CU_ASSERT_EQUAL(o.proto, IPV4_PROTO_ESP);
		CU_ASSERT_EQUAL(o.src, SRC);
		CU_ASSERT_EQUAL(o.dst, DST);
		CU_ASSERT_EQUAL(o.total_len, 60);
		CU_ASSERT_EQUAL(memcmp(out + 20, esp_bytes, 40), 0);
	}
	/* TTL from the configuration; UDP encapsulation. */
	c = cfg(false, false, true);
	c.ttl = 9;
	CU_ASSERT_EQUAL_FATAL(esp_wire_esp_wrap(&c, p, &ip, 1, esp_bytes, 40, out, sizeof(out), &n),
			      0);
	CU_ASSERT_EQUAL(n, 68);
	CU_ASSERT_EQUAL_FATAL(ipv4_parse(out, n, &o), 0);
	CU_ASSERT_EQUAL(o.ttl, 9);
	CU_ASSERT_EQUAL(o.proto, IPV4_PROTO_UDP);
	CU_ASSERT_EQUAL(o.total_len, 68);
	CU_ASSERT_EQUAL(memcmp(out + 20, "\x11\x94\x11\x94\x00\x30\x00\x00", 8), 0);
	CU_ASSERT_EQUAL(memcmp(out + 28, esp_bytes, 40), 0);
	/* Capacity and the 64 KiB limit. */
	CU_ASSERT_EQUAL(esp_wire_esp_wrap(&c, p, &ip, 1, esp_bytes, 40, out, 67, &n), FG_ERR_RANGE);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(esp_wire_esp_wrap(&c, p, &ip, 1, esp_bytes, 65535 - 27, out, 1u << 20, &n),
			FG_ERR_RANGE);
	c.ah = true;
	CU_ASSERT_EQUAL(esp_wire_esp_wrap(&c, p, &ip, 1, esp_bytes, 40, out, sizeof(out), &n),
			FG_ERR_INVAL);
}

static void test_transport_wrap(void)
{
	uint8_t p[64], out[200];
	struct ipv4_hdr ip, o;
	struct esp_wire_cfg c = cfg(false, true, false);
	size_t n;

	/* A header with options (NOP x 4) is kept as it is. */
	inner(p, sizeof(p), 0x10, IPV4_DF);
	p[0] = 0x46;
	memset(p + 20, 1, 4);
	ipv4_set_checksum(p);
	CU_ASSERT_EQUAL_FATAL(ipv4_parse(p, sizeof(p), &ip), 0);
	CU_ASSERT_EQUAL_FATAL(esp_wire_esp_wrap(&c, p, &ip, 9, esp_bytes, 40, out, sizeof(out), &n),
			      0);
	CU_ASSERT_EQUAL(n, 64);
	CU_ASSERT_EQUAL_FATAL(ipv4_parse(out, n, &o), 0);
	CU_ASSERT_TRUE(o.csum_ok);
	CU_ASSERT_EQUAL(o.hdr_len, 24);
	CU_ASSERT_EQUAL(o.proto, IPV4_PROTO_ESP);
	CU_ASSERT_EQUAL(o.id, 77);              /* the original id, not ours */
	CU_ASSERT_EQUAL(o.ttl, 33);
	CU_ASSERT_EQUAL(o.tos, 0x10);
	CU_ASSERT_EQUAL(o.src, 0x0a010001);
	CU_ASSERT_EQUAL(memcmp(out + 20, p + 20, 4), 0);
	CU_ASSERT_EQUAL(memcmp(out + 24, esp_bytes, 40), 0);
	c.udp_encap = true;
	CU_ASSERT_EQUAL_FATAL(esp_wire_esp_wrap(&c, p, &ip, 9, esp_bytes, 40, out, sizeof(out), &n),
			      0);
	CU_ASSERT_EQUAL(n, 72);
	CU_ASSERT_EQUAL_FATAL(ipv4_parse(out, n, &o), 0);
	CU_ASSERT_EQUAL(o.proto, IPV4_PROTO_UDP);
	CU_ASSERT_EQUAL(memcmp(out + 24, "\x11\x94\x11\x94\x00\x30\x00\x00", 8), 0);
	ip.fragment = true;
	CU_ASSERT_EQUAL(esp_wire_esp_wrap(&c, p, &ip, 9, esp_bytes, 40, out, sizeof(out), &n),
			FG_ERR_UNSUPP);
}

static void test_ah_request(void)
{
	uint8_t p[60], req[200];
	struct ipv4_hdr ip, o;
	struct ipv4_mutable m;
	struct esp_wire_cfg c = cfg(true, false, false);
	size_t n;
	uint8_t nh;

	inner(p, sizeof(p), 0xb8, IPV4_DF);
	CU_ASSERT_EQUAL_FATAL(ipv4_parse(p, sizeof(p), &ip), 0);
	/* Tunnel: outer header, total counting AH, mutable fields zero. */
	CU_ASSERT_EQUAL_FATAL(esp_wire_ah_request(&c, p, &ip, 5, req, sizeof(req), &n, &nh, &m), 0);
	CU_ASSERT_EQUAL(n, 80);
	CU_ASSERT_EQUAL(nh, IPV4_PROTO_IPIP);
	CU_ASSERT_EQUAL(req[0], 0x45);
	CU_ASSERT_EQUAL(req[1], 0);
	CU_ASSERT(req[2] == 0 && req[3] == 104);
	CU_ASSERT(req[6] == 0 && req[7] == 0 && req[8] == 0 && req[10] == 0 && req[11] == 0);
	CU_ASSERT_EQUAL(req[9], IPV4_PROTO_AH);
	CU_ASSERT_EQUAL(memcmp(req + 20, p, 60), 0);
	/* The device's result: header | AH | inner; finish restores. */
	{
		uint8_t res[104];

		memcpy(res, req, 20);
		memset(res + 20, 0x5a, 24);
		memcpy(res + 44, p, 60);
		CU_ASSERT_EQUAL(esp_wire_ah_finish(res, 43, &m), FG_ERR_TRUNC);
		CU_ASSERT_EQUAL_FATAL(esp_wire_ah_finish(res, sizeof(res), &m), 0);
		CU_ASSERT_EQUAL_FATAL(ipv4_parse(res, sizeof(res), &o), 0);
		CU_ASSERT_TRUE(o.csum_ok);
		CU_ASSERT_EQUAL(o.tos, 0xb8);
		CU_ASSERT_EQUAL(o.frag, IPV4_DF);
		CU_ASSERT_EQUAL(o.ttl, 64);
		CU_ASSERT_EQUAL(o.id, 5);
		CU_ASSERT_EQUAL(o.total_len, 104);
	}
	/* Transport: the packet's own header. */
	c.transport = true;
	CU_ASSERT_EQUAL_FATAL(esp_wire_ah_request(&c, p, &ip, 5, req, sizeof(req), &n, &nh, &m), 0);
	CU_ASSERT_EQUAL(n, 60);
	CU_ASSERT_EQUAL(nh, IPV4_PROTO_UDP);
	CU_ASSERT(req[2] == 0 && req[3] == 84);
	CU_ASSERT_EQUAL(req[9], IPV4_PROTO_AH);
	CU_ASSERT(req[1] == 0 && req[8] == 0);
	CU_ASSERT_EQUAL(memcmp(req + 20, p + 20, 40), 0);
	CU_ASSERT_EQUAL(esp_wire_ah_request(&c, p, &ip, 5, req, 59, &n, &nh, &m), FG_ERR_RANGE);
	ip.fragment = true;
	CU_ASSERT_EQUAL(esp_wire_ah_request(&c, p, &ip, 5, req, sizeof(req), &n, &nh, &m),
			FG_ERR_UNSUPP);
	c = cfg(false, false, false);
	CU_ASSERT_EQUAL(esp_wire_ah_request(&c, p, &ip, 5, req, sizeof(req), &n, &nh, &m),
			FG_ERR_INVAL);
	memset(&m, 0, sizeof(m));
	CU_ASSERT_EQUAL(esp_wire_ah_finish(req, sizeof(req), &m), FG_ERR_INVAL);
}

/* An outer IPv4 header of proto with payload pl (n bytes) into b. */
static size_t rx_pkt(uint8_t *b, uint8_t proto, const uint8_t *pl, size_t n)
{
	struct ipv4_hdr h = { .total_len = (uint16_t)(20 + n), .ttl = 60, .proto = proto,
			      .src = DST, .dst = SRC };

	ipv4_build(b, 20, &h);
	memcpy(b + 20, pl, n);
	return 20 + n;
}

static void test_parse(void)
{
	static const uint8_t esp[16] = { 0, 0, 0x10, 0x01, 0, 0, 0, 7, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t ah[24] = { 4, 4, 0, 0, 0, 0, 0x20, 0x02, 0, 0, 0, 1 };
	static const struct {
		const char *what;
		uint8_t proto;
		uint8_t pl[24];
		size_t n;
		int want;
		enum esp_wire_kind kind;
		size_t off, len;        /* payload in the packet */
	} t[] = {
		{ "ESP", 50, { 0, 0, 0x10, 1, 0, 0, 0, 7 }, 8, 0, ESP_WIRE_ESP, 20, 8 },
		{ "ESP of 7", 50, { 0, 0, 0x10, 1 }, 7, FG_ERR_TRUNC, 0, 0, 0 },
		{ "AH of 11", 51, { 4, 4 }, 11, FG_ERR_TRUNC, 0, 0, 0 },
		{ "UDP 4500 ESP", 17, { 0x11, 0x94, 0x11, 0x94, 0, 16, 0, 0, 0, 0, 0x10, 1, 0, 0, 0, 9 },
		  16, 0, ESP_WIRE_ESP, 28, 8 },
		{ "UDP from any port to 4500", 17, { 0x7a, 0x69, 0x11, 0x94, 0, 16, 0, 0, 1, 0, 0, 1, 0, 0, 0, 9 },
		  16, 0, ESP_WIRE_ESP, 28, 8 },
		{ "keepalive", 17, { 0x11, 0x94, 0x11, 0x94, 0, 9, 0, 0, 0xff }, 9, 0,
		  ESP_WIRE_KEEPALIVE, 28, 1 },
		{ "IKE marker", 17, { 0x11, 0x94, 0x11, 0x94, 0, 14, 0, 0, 0, 0, 0, 0, 0xaa, 0xbb }, 14, 0,
		  ESP_WIRE_IKE, 32, 2 },
		{ "marker alone", 17, { 0x11, 0x94, 0x11, 0x94, 0, 12, 0, 0, 0, 0, 0, 0 }, 12, 0,
		  ESP_WIRE_IKE, 32, 0 },
		{ "UDP 4500 empty", 17, { 0x11, 0x94, 0x11, 0x94, 0, 8, 0, 0 }, 8, FG_ERR_TRUNC, 0, 0, 0 },
		{ "one byte not 0xff", 17, { 0x11, 0x94, 0x11, 0x94, 0, 9, 0, 0, 0xfe }, 9, FG_ERR_TRUNC,
		  0, 0, 0 },
		{ "ESP of 7 in UDP", 17, { 0x11, 0x94, 0x11, 0x94, 0, 15, 0, 0, 0, 0, 0x10, 1, 0, 0, 0 },
		  15, FG_ERR_TRUNC, 0, 0, 0 },
		{ "UDP header of 7", 17, { 0x11, 0x94, 0x11, 0x94, 0, 7, 0 }, 7, FG_ERR_TRUNC, 0, 0, 0 },
		{ "UDP length short", 17, { 0x11, 0x94, 0x11, 0x94, 0, 9, 0, 0, 0xff, 0 }, 10,
		  FG_ERR_PARSE, 0, 0, 0 },
		{ "UDP length long", 17, { 0x11, 0x94, 0x11, 0x94, 0, 11, 0, 0, 0xff, 0 }, 10,
		  FG_ERR_PARSE, 0, 0, 0 },
		{ "UDP length under 8", 17, { 0x11, 0x94, 0x11, 0x94, 0, 2, 0, 0, 0xff, 0 }, 10,
		  FG_ERR_PARSE, 0, 0, 0 },
		{ "UDP other port", 17, { 0x11, 0x94, 0x01, 0xf4, 0, 9, 0, 0, 0xff }, 9, 0,
		  ESP_WIRE_OTHER, 20, 9 },
		{ "TCP", 6, { 0 }, 20, 0, ESP_WIRE_OTHER, 20, 20 },
		{ "empty payload", 4, { 0 }, 0, 0, ESP_WIRE_OTHER, 20, 0 },
	};
	uint8_t b[128];
	struct esp_wire_rx rx;
	size_t i, n;
	int rc;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		n = rx_pkt(b, t[i].proto, t[i].pl, t[i].n);
		rc = esp_wire_parse(b, n, &rx);
		if (rc != t[i].want) {
			CU_FAIL(t[i].what);
			continue;
		}
		if (rc)
			continue;
		if (rx.kind != t[i].kind || rx.payload != b + t[i].off || rx.payload_len != t[i].len)
			CU_FAIL(t[i].what);
	}
	/* Fields. */
	n = rx_pkt(b, 50, esp, sizeof(esp));
	CU_ASSERT_EQUAL_FATAL(esp_wire_parse(b, n, &rx), 0);
	CU_ASSERT_EQUAL(rx.spi, 0x1001);
	CU_ASSERT_FALSE(rx.udp_encap);
	CU_ASSERT_EQUAL(rx.ip.src, DST);
	n = rx_pkt(b, 51, ah, sizeof(ah));
	CU_ASSERT_EQUAL_FATAL(esp_wire_parse(b, n, &rx), 0);
	CU_ASSERT_EQUAL(rx.kind, ESP_WIRE_AH);
	CU_ASSERT_EQUAL(rx.spi, 0x2002);
	CU_ASSERT_EQUAL(rx.payload, b + 20);
	n = rx_pkt(b, 17, t[4].pl, t[4].n);
	CU_ASSERT_EQUAL_FATAL(esp_wire_parse(b, n, &rx), 0);
	CU_ASSERT_TRUE(rx.udp_encap);
	CU_ASSERT_EQUAL(rx.sport, 0x7a69);
	CU_ASSERT_EQUAL(rx.dport, 4500);
	CU_ASSERT_EQUAL(rx.spi, 0x01000001);
	/* Outer header errors: truncated, bad checksum, fragment, not IPv4;
	 * trailing link padding is fine. */
	n = rx_pkt(b, 50, esp, sizeof(esp));
	CU_ASSERT_EQUAL(esp_wire_parse(b, n - 1, &rx), FG_ERR_TRUNC);
	CU_ASSERT_EQUAL(esp_wire_parse(b, 10, &rx), FG_ERR_TRUNC);
	CU_ASSERT_EQUAL(esp_wire_parse(b, n + 6, &rx), 0);
	b[8] ^= 1;
	CU_ASSERT_EQUAL(esp_wire_parse(b, n, &rx), FG_ERR_PARSE);
	b[8] ^= 1;
	b[6] = 0x20;
	ipv4_set_checksum(b);
	CU_ASSERT_EQUAL(esp_wire_parse(b, n, &rx), FG_ERR_UNSUPP);
	b[0] = 0x60;
	CU_ASSERT_EQUAL(esp_wire_parse(b, n, &rx), FG_ERR_PARSE);
}

static void test_esp_unwrap(void)
{
	uint8_t in[60], data[80], out[200], rxb[100];
	struct esp_wire_rx rx;
	struct esp_wire_cfg c = cfg(false, false, false);
	struct ipv4_hdr o;
	size_t n;

	n = rx_pkt(rxb, 50, esp_bytes, 40);
	rxb[1] = 0x03;                  /* outer CE */
	ipv4_set_checksum(rxb);
	CU_ASSERT_EQUAL_FATAL(esp_wire_parse(rxb, n, &rx), 0);
	/* Tunnel: inner packet, TFC padding cut, CE onto an ECT inner. */
	inner(in, sizeof(in), 0xb8 | 0x02, 0);
	memcpy(data, in, 60);
	memset(data + 60, 0x77, 20);
	CU_ASSERT_EQUAL_FATAL(esp_wire_esp_unwrap(&c, rxb, &rx, 4, data, 80, out, sizeof(out), &n), 0);
	CU_ASSERT_EQUAL(n, 60);
	CU_ASSERT_EQUAL_FATAL(ipv4_parse(out, n, &o), 0);
	CU_ASSERT_TRUE(o.csum_ok);
	CU_ASSERT_EQUAL(o.tos, 0xbb);
	CU_ASSERT_EQUAL(memcmp(out + 2, in + 2, 8), 0);
	CU_ASSERT_EQUAL(memcmp(out + 12, in + 12, 48), 0);
	/* CE on a Not-ECT inner packet: drop. */
	inner(data, 60, 0xb8, 0);
	CU_ASSERT_EQUAL(esp_wire_esp_unwrap(&c, rxb, &rx, 4, data, 60, out, sizeof(out), &n),
			FG_ERR_PARSE);
	/* Without CE outside, the inner packet is untouched. */
	rxb[1] = 0x02;
	ipv4_set_checksum(rxb);
	CU_ASSERT_EQUAL_FATAL(esp_wire_parse(rxb, 60, &rx), 0);
	CU_ASSERT_EQUAL(esp_wire_esp_unwrap(&c, rxb, &rx, 4, data, 60, out, sizeof(out), &n), 0);
	CU_ASSERT_EQUAL(memcmp(out, data, 60), 0);
	/* Dummy packet; other next headers; not IPv4; short; capacity. */
	CU_ASSERT_EQUAL(esp_wire_esp_unwrap(&c, rxb, &rx, 59, data, 60, out, sizeof(out), &n), 0);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(esp_wire_esp_unwrap(&c, rxb, &rx, 6, data, 60, out, sizeof(out), &n),
			FG_ERR_PARSE);
	CU_ASSERT_EQUAL(esp_wire_esp_unwrap(&c, rxb, &rx, 4, data, 59, out, sizeof(out), &n),
			FG_ERR_PARSE);
	CU_ASSERT_EQUAL(esp_wire_esp_unwrap(&c, rxb, &rx, 4, data, 0, out, sizeof(out), &n),
			FG_ERR_PARSE);
	CU_ASSERT_EQUAL(esp_wire_esp_unwrap(&c, rxb, &rx, 4, data, 60, out, 59, &n), FG_ERR_RANGE);
	data[0] = 0x65;
	CU_ASSERT_EQUAL(esp_wire_esp_unwrap(&c, rxb, &rx, 4, data, 60, out, sizeof(out), &n),
			FG_ERR_PARSE);
	/* Transport: the received header, protocol = next header. */
	c.transport = true;
	memset(data, 0x42, 30);
	CU_ASSERT_EQUAL_FATAL(esp_wire_esp_unwrap(&c, rxb, &rx, 6, data, 30, out, sizeof(out), &n), 0);
	CU_ASSERT_EQUAL(n, 50);
	CU_ASSERT_EQUAL_FATAL(ipv4_parse(out, n, &o), 0);
	CU_ASSERT_TRUE(o.csum_ok);
	CU_ASSERT_EQUAL(o.proto, 6);
	CU_ASSERT_EQUAL(o.total_len, 50);
	CU_ASSERT_EQUAL(o.tos, 0x02);
	CU_ASSERT_EQUAL(memcmp(out + 20, data, 30), 0);
	CU_ASSERT_EQUAL(esp_wire_esp_unwrap(&c, rxb, &rx, 6, data, 30, out, 49, &n), FG_ERR_RANGE);
	CU_ASSERT_EQUAL(esp_wire_esp_unwrap(&c, rxb, &rx, 59, data, 30, out, sizeof(out), &n), 0);
	CU_ASSERT_EQUAL(n, 0);
	rx.kind = ESP_WIRE_AH;
	CU_ASSERT_EQUAL(esp_wire_esp_unwrap(&c, rxb, &rx, 6, data, 30, out, sizeof(out), &n),
			FG_ERR_INVAL);
}

static void test_ah_inbound(void)
{
	uint8_t pkt[128], req[128], res[128], out[128], pl[54];
	static const uint8_t ahdr[24] = { 6, 4, 0, 0, 0, 0, 0x20, 0x02, 0, 0, 0, 1 };
	struct esp_wire_cfg c = cfg(true, true, false);
	struct esp_wire_rx rx;
	struct ipv4_mutable m;
	struct ipv4_hdr o;
	size_t n;

	/* Transport: 20 header | AH | 30 bytes TCP-ish, with TOS and TTL. */
	memcpy(pl, ahdr, 24);
	memset(pl + 24, 0x33, 30);
	rx_pkt(pkt, 51, pl, sizeof(pl));
	pkt[1] = 0x28;
	pkt[6] = 0x40;
	ipv4_set_checksum(pkt);
	CU_ASSERT_EQUAL_FATAL(esp_wire_parse(pkt, 74, &rx), 0);
	CU_ASSERT_EQUAL(esp_wire_ah_request_in(pkt, &rx, req, 73, &n, &m), FG_ERR_RANGE);
	CU_ASSERT_EQUAL_FATAL(esp_wire_ah_request_in(pkt, &rx, req, sizeof(req), &n, &m), 0);
	CU_ASSERT_EQUAL(n, 74);
	CU_ASSERT(req[1] == 0 && req[6] == 0 && req[8] == 0 && req[10] == 0 && req[11] == 0);
	CU_ASSERT_EQUAL(memcmp(req + 20, pkt + 20, 54), 0);
	/* The device answers header | data. */
	memcpy(res, req, 20);
	memcpy(res + 20, pkt + 44, 30);
	CU_ASSERT_EQUAL_FATAL(esp_wire_ah_unwrap(&c, &m, 6, res, 50, out, sizeof(out), &n), 0);
	CU_ASSERT_EQUAL(n, 50);
	CU_ASSERT_EQUAL_FATAL(ipv4_parse(out, n, &o), 0);
	CU_ASSERT_TRUE(o.csum_ok);
	CU_ASSERT_EQUAL(o.proto, 6);
	CU_ASSERT_EQUAL(o.tos, 0x28);
	CU_ASSERT_EQUAL(o.frag, IPV4_DF);
	CU_ASSERT_EQUAL(o.ttl, 60);
	CU_ASSERT_EQUAL(o.total_len, 50);
	CU_ASSERT_EQUAL(esp_wire_ah_unwrap(&c, &m, 6, res, 19, out, sizeof(out), &n), FG_ERR_TRUNC);
	CU_ASSERT_EQUAL(esp_wire_ah_unwrap(&c, &m, 6, res, 50, out, 49, &n), FG_ERR_RANGE);
	CU_ASSERT_EQUAL(esp_wire_ah_unwrap(&c, &m, 59, res, 50, out, sizeof(out), &n), 0);
	CU_ASSERT_EQUAL(n, 0);
	/* Tunnel: the inner packet after the header. */
	c.transport = false;
	inner(res + 20, 40, 0x01, 0);
	CU_ASSERT_EQUAL_FATAL(esp_wire_ah_unwrap(&c, &m, 4, res, 60, out, sizeof(out), &n), 0);
	CU_ASSERT_EQUAL(n, 40);
	CU_ASSERT_EQUAL(memcmp(out, res + 20, 40), 0);
	CU_ASSERT_EQUAL(esp_wire_ah_unwrap(&c, &m, 41, res, 60, out, sizeof(out), &n), FG_ERR_PARSE);
	/* Not AH. */
	rx.kind = ESP_WIRE_ESP;
	CU_ASSERT_EQUAL(esp_wire_ah_request_in(pkt, &rx, req, sizeof(req), &n, &m), FG_ERR_INVAL);
	c.ah = false;
	CU_ASSERT_EQUAL(esp_wire_ah_unwrap(&c, &m, 4, res, 60, out, sizeof(out), &n), FG_ERR_INVAL);
}

/* ---- a round trip of every mode through the soft device ---- */

static const uint8_t ckey[24] = "0123456789abcdefghijklmn";
static const uint8_t akey[20] = "ABCDEFGHIJKLMNOPQRST";

static void load(struct offload *o, uint16_t slot, bool inbound, const struct esp_wire_cfg *c)
{
	struct offload_sa sa;

	memset(&sa, 0, sizeof(sa));
	sa.index = slot;
	sa.inbound = inbound;
	sa.ah = c->ah;
	sa.transport = c->transport;
	sa.cipher = c->ah ? FGP_CIPHER_NULL : FGP_CIPHER_TDES_CBC;
	sa.auth = FGP_AUTH_HMAC_SHA1;
	sa.spi = 0x3003;
	sa.seq = 1;
	sa.replay_window = inbound ? 32 : 0;
	if (!c->ah) {
		memcpy(sa.cipher_key, ckey, 24);
		sa.cipher_key_len = 24;
	}
	memcpy(sa.auth_key, akey, 20);
	sa.auth_key_len = 20;
	CU_ASSERT_EQUAL_FATAL(offload_sa_load(o, &sa, NULL), 0);
}

static int one(struct offload *o, uint16_t slot, enum fgp_type type, uint8_t nh,
	       const uint8_t *d, size_t n, struct offload_result *r)
{
	CU_ASSERT_EQUAL_FATAL(offload_submit(o, type, slot, 1, nh, d, n), 0);
	CU_ASSERT_EQUAL_FATAL(offload_collect(o, r, 1, -1), 1);
	return r->status;
}

/* DECAP of the received packet w (parsed into rx) on slot 1. */
static int decap(struct offload *o, const struct esp_wire_cfg *c, const uint8_t *w,
		 const struct esp_wire_rx *rx, struct offload_result *r, struct ipv4_mutable *m)
{
	uint8_t req[400];
	size_t n;

	if (!c->ah)
		return one(o, 1, FGP_TYPE_DECAP, 0, rx->payload, rx->payload_len, r);
	CU_ASSERT_EQUAL_FATAL(esp_wire_ah_request_in(w, rx, req, sizeof(req), &n, m), 0);
	return one(o, 1, FGP_TYPE_DECAP, 0, req, n, r);
}

static void round_trip(struct offload *o, const struct esp_wire_cfg *c)
{
	uint8_t p[300], req[400], wire[400], bad[400], back[400];
	struct ipv4_hdr ip;
	struct ipv4_mutable m;
	struct esp_wire_rx rx;
	struct offload_result r;
	const uint8_t *d;
	size_t n, wn;
	uint8_t nh;

	load(o, 0, false, c);
	load(o, 1, true, c);
	inner(p, 123, 0x2a, IPV4_DF);
	CU_ASSERT_EQUAL_FATAL(ipv4_parse(p, 123, &ip), 0);
	if (c->ah) {
		CU_ASSERT_EQUAL_FATAL(esp_wire_ah_request(c, p, &ip, 7, req, sizeof(req), &n, &nh, &m), 0);
		CU_ASSERT_EQUAL_FATAL(one(o, 0, FGP_TYPE_ENCAP, nh, req, n, &r), FGP_STATUS_OK);
		memcpy(wire, r.data, r.len);
		wn = r.len;
		CU_ASSERT_EQUAL_FATAL(esp_wire_ah_finish(wire, wn, &m), 0);
	} else {
		CU_ASSERT_EQUAL_FATAL(esp_wire_esp_data(c, p, &ip, &d, &n, &nh), 0);
		memset(req, 0x11, 8);   /* IV */
		memcpy(req + 8, d, n);
		CU_ASSERT_EQUAL_FATAL(one(o, 0, FGP_TYPE_ENCAP, nh, req, n + 8, &r), FGP_STATUS_OK);
		CU_ASSERT_EQUAL_FATAL(esp_wire_esp_wrap(c, p, &ip, 7, r.data, r.len, wire, sizeof(wire),
							&wn), 0);
	}
	/* First a copy with one flipped byte after the headers: AUTH_FAIL,
	 * and the window does not move, so the good packet still passes. */
	memcpy(bad, wire, wn);
	bad[wn - 20] ^= 0x80;
	CU_ASSERT_EQUAL_FATAL(esp_wire_parse(bad, wn, &rx), 0);
	CU_ASSERT_EQUAL(decap(o, c, bad, &rx, &r, &m), FGP_STATUS_AUTH_FAIL);
	CU_ASSERT_EQUAL_FATAL(esp_wire_parse(wire, wn, &rx), 0);
	CU_ASSERT_EQUAL(rx.kind, c->ah ? ESP_WIRE_AH : ESP_WIRE_ESP);
	CU_ASSERT_EQUAL(rx.udp_encap, c->udp_encap);
	CU_ASSERT_EQUAL(rx.spi, 0x3003);
	CU_ASSERT_EQUAL(rx.ip.src, c->transport ? 0x0a010001u : (uint32_t)SRC);
	CU_ASSERT_EQUAL(rx.ip.tos, 0x2a);
	CU_ASSERT_EQUAL(rx.ip.frag, IPV4_DF);
	CU_ASSERT_EQUAL_FATAL(decap(o, c, wire, &rx, &r, &m), FGP_STATUS_OK);
	if (c->ah) {
		CU_ASSERT_EQUAL_FATAL(esp_wire_ah_unwrap(c, &m, (uint8_t)r.aux, r.data, r.len, back,
							 sizeof(back), &n), 0);
	} else {
		CU_ASSERT_EQUAL_FATAL(esp_wire_esp_unwrap(c, wire, &rx, (uint8_t)r.aux, r.data, r.len,
							  back, sizeof(back), &n), 0);
	}
	CU_ASSERT_EQUAL(n, 123);
	CU_ASSERT_EQUAL(memcmp(back, p, 123), 0);
	/* The same packet again: REPLAY. */
	CU_ASSERT_EQUAL(decap(o, c, wire, &rx, &r, &m), FGP_STATUS_REPLAY);
}

static void test_soft_round_trip(void)
{
	static const struct { bool ah, transport, udp; } t[] = {
		{ false, false, false }, { false, false, true }, { false, true, false },
		{ false, true, true },   { true, false, false }, { true, true, false },
	};
	struct offload *o = NULL;
	struct esp_wire_cfg c;
	size_t i;

	CU_ASSERT_EQUAL_FATAL(offload_open("soft", NULL, &o), 0);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		c = cfg(t[i].ah, t[i].transport, t[i].udp);
		round_trip(o, &c);
	}
	offload_close(o);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "configuration check", test_cfg_check },
		{ "ESP data to protect", test_esp_data },
		{ "tunnel outer header", test_tunnel_outer },
		{ "transport header", test_transport_wrap },
		{ "AH request and finish", test_ah_request },
		{ "parse received packets", test_parse },
		{ "ESP unwrap", test_esp_unwrap },
		{ "AH inbound", test_ah_inbound },
		{ "round trip through the soft device", test_soft_round_trip },
		{ NULL, NULL },
	};

	unit_add_suite("esp_wire", tests);
	return unit_run("unit-esp_wire");
}
