/* host/net/ipv4: header parse against hand-built headers (every length and
 * option malformation), the RFC 1071 checksum, build, and the AH
 * mutable-field helpers (RFC 4302 3.3.3.1.1.1, appendix A1). */
#include <string.h>

#include "common/err.h"
#include "net/ipv4.h"
#include "unit.h"

/* A well-known header: 192.168.0.1 -> 192.168.0.199, UDP, DF, checksum
 * 0xb861. */
static const uint8_t hdr20[20] = {
	0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
	0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
};

/* A packet of total bytes whose header is hdr20 (total length patched,
 * checksum fixed) followed by a pattern. */
static size_t make_pkt(uint8_t *buf, size_t total)
{
	size_t i;

	memcpy(buf, hdr20, sizeof(hdr20));
	for (i = 20; i < total; i++)
		buf[i] = (uint8_t)i;
	ipv4_set_proto_len(buf, 17, (uint16_t)total);
	return total;
}

static void test_parse_good(void)
{
	uint8_t b[0x73 + 10];
	struct ipv4_hdr h;

	memset(b, 0xee, sizeof(b));
	memcpy(b, hdr20, sizeof(hdr20));
	/* Ten bytes of link-layer padding after the packet are fine. */
	CU_ASSERT_EQUAL_FATAL(ipv4_parse(b, sizeof(b), &h), 0);
	CU_ASSERT_EQUAL(h.hdr_len, 20);
	CU_ASSERT_EQUAL(h.total_len, 0x73);
	CU_ASSERT_EQUAL(h.tos, 0);
	CU_ASSERT_EQUAL(h.id, 0);
	CU_ASSERT_EQUAL(h.frag, IPV4_DF);
	CU_ASSERT_EQUAL(h.ttl, 64);
	CU_ASSERT_EQUAL(h.proto, IPV4_PROTO_UDP);
	CU_ASSERT_EQUAL(h.csum, 0xb861);
	CU_ASSERT_EQUAL(h.src, 0xc0a80001u);
	CU_ASSERT_EQUAL(h.dst, 0xc0a800c7u);
	CU_ASSERT_FALSE(h.fragment);
	CU_ASSERT_TRUE(h.csum_ok);
	CU_ASSERT_EQUAL(ipv4_checksum(hdr20, 20), 0);
	/* Exactly total_len bytes. */
	CU_ASSERT_EQUAL(ipv4_parse(b, 0x73, &h), 0);
	b[11] ^= 1;
	CU_ASSERT_EQUAL(ipv4_parse(b, sizeof(b), &h), 0);
	CU_ASSERT_FALSE(h.csum_ok);
}

static void test_parse_bad(void)
{
	static const struct {
		const char *what;
		uint8_t b0;             /* version and IHL */
		uint16_t total;
		size_t buflen;
		uint8_t opt[8];         /* option bytes, when IHL > 5 */
		int want;
	} t[] = {
		{ "empty", 0x45, 20, 0, { 0 }, FG_ERR_TRUNC },
		{ "19 bytes", 0x45, 20, 19, { 0 }, FG_ERR_TRUNC },
		{ "version 6", 0x65, 20, 20, { 0 }, FG_ERR_PARSE },
		{ "version 0", 0x05, 20, 20, { 0 }, FG_ERR_PARSE },
		{ "IHL 4", 0x44, 20, 20, { 0 }, FG_ERR_PARSE },
		{ "IHL 0", 0x40, 20, 20, { 0 }, FG_ERR_PARSE },
		{ "IHL 6 in 20 bytes", 0x46, 24, 20, { 0 }, FG_ERR_TRUNC },
		{ "IHL 15 in 40 bytes", 0x4f, 60, 40, { 0 }, FG_ERR_TRUNC },
		{ "total under 20", 0x45, 19, 40, { 0 }, FG_ERR_PARSE },
		{ "total 0", 0x45, 0, 40, { 0 }, FG_ERR_PARSE },
		{ "total under IHL", 0x46, 20, 40, { 1, 1, 1, 1 }, FG_ERR_PARSE },
		{ "total past buffer", 0x45, 41, 40, { 0 }, FG_ERR_TRUNC },
		{ "total 65535 in 40", 0x45, 65535, 40, { 0 }, FG_ERR_TRUNC },
		{ "option length 1", 0x46, 24, 24, { 7, 1, 0, 0 }, FG_ERR_PARSE },
		{ "option length 0", 0x46, 24, 24, { 68, 0, 0, 0 }, FG_ERR_PARSE },
		{ "option past header", 0x46, 24, 24, { 7, 5, 0, 0 }, FG_ERR_PARSE },
		{ "option without length", 0x46, 24, 24, { 1, 1, 1, 7 }, FG_ERR_PARSE },
		{ "second option past", 0x47, 28, 28, { 148, 4, 0, 0, 7, 9, 0, 0 }, FG_ERR_PARSE },
		{ "NOPs", 0x46, 24, 24, { 1, 1, 1, 1 }, 0 },
		{ "EOL then anything", 0x46, 24, 24, { 0, 7, 99, 1 }, 0 },
		{ "router alert", 0x46, 24, 24, { 148, 4, 0, 0 }, 0 },
		{ "exact options", 0x47, 28, 28, { 7, 7, 4, 0, 0, 0, 0, 0 }, 0 },
	};
	uint8_t b[64];
	struct ipv4_hdr h;
	size_t i, hl;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(b, 0, sizeof(b));
		memcpy(b, hdr20, 20);
		b[0] = t[i].b0;
		b[2] = (uint8_t)(t[i].total >> 8);
		b[3] = (uint8_t)t[i].total;
		hl = (size_t)(t[i].b0 & 15) * 4;
		if (hl > 20 && hl <= sizeof(b))
			memcpy(b + 20, t[i].opt, hl - 20 < 8 ? hl - 20 : 8);
		if (ipv4_parse(b, t[i].buflen, &h) != t[i].want)
			CU_FAIL(t[i].what);
	}
}

static void test_fragments(void)
{
	static const struct { uint16_t frag; bool fragment; } t[] = {
		{ 0, false }, { IPV4_DF, false }, { IPV4_MF, true }, { 1, true },
		{ IPV4_DF | 0x100, true }, { IPV4_FRAG_OFF_MASK, true }, { 0x8000, false },
	};
	uint8_t b[40];
	struct ipv4_hdr h;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		make_pkt(b, sizeof(b));
		b[6] = (uint8_t)(t[i].frag >> 8);
		b[7] = (uint8_t)t[i].frag;
		CU_ASSERT_EQUAL_FATAL(ipv4_parse(b, sizeof(b), &h), 0);
		CU_ASSERT_EQUAL(h.fragment, t[i].fragment);
		CU_ASSERT_EQUAL(h.frag, t[i].frag);
	}
}

static void test_checksum(void)
{
	/* RFC 1071 section 3: the sum of these is 0xddf2. */
	static const uint8_t rfc[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	static const uint8_t odd[3] = { 0x12, 0x34, 0x56 };
	static const uint8_t ones[4] = { 0xff, 0xff, 0xff, 0xff };

	CU_ASSERT_EQUAL(ipv4_checksum(rfc, sizeof(rfc)), (uint16_t)~0xddf2);
	/* Odd length: the last byte is padded with zero: 0x1234 + 0x5600. */
	CU_ASSERT_EQUAL(ipv4_checksum(odd, sizeof(odd)), (uint16_t)~0x6834);
	CU_ASSERT_EQUAL(ipv4_checksum(odd, 0), 0xffff);
	CU_ASSERT_EQUAL(ipv4_checksum(ones, sizeof(ones)), 0);
	/* Header with the field zeroed gives the stored value. */
	{
		uint8_t b[20];

		memcpy(b, hdr20, 20);
		b[10] = b[11] = 0;
		CU_ASSERT_EQUAL(ipv4_checksum(b, 20), 0xb861);
		ipv4_set_checksum(b);
		CU_ASSERT_EQUAL(memcmp(b, hdr20, 20), 0);
	}
}

static void test_build(void)
{
	struct ipv4_hdr h = {
		.tos = 0xb9, .total_len = 100, .id = 0x1234, .frag = IPV4_DF, .ttl = 64,
		.proto = IPV4_PROTO_ESP, .src = 0xc0000201, .dst = 0xc0000202,
		.csum = 0xdead, .hdr_len = 44,  /* ignored */
	};
	uint8_t b[120];
	struct ipv4_hdr p;

	memset(b, 0, sizeof(b));
	CU_ASSERT_EQUAL(ipv4_build(b, 19, &h), FG_ERR_RANGE);
	CU_ASSERT_EQUAL(ipv4_build(b, sizeof(b), &h), 20);
	CU_ASSERT_EQUAL(b[0], 0x45);
	CU_ASSERT_EQUAL_FATAL(ipv4_parse(b, sizeof(b), &p), 0);
	CU_ASSERT_TRUE(p.csum_ok);
	CU_ASSERT_EQUAL(p.hdr_len, 20);
	CU_ASSERT_EQUAL(p.tos, 0xb9);
	CU_ASSERT_EQUAL(p.total_len, 100);
	CU_ASSERT_EQUAL(p.id, 0x1234);
	CU_ASSERT_EQUAL(p.frag, IPV4_DF);
	CU_ASSERT_EQUAL(p.ttl, 64);
	CU_ASSERT_EQUAL(p.proto, IPV4_PROTO_ESP);
	CU_ASSERT_EQUAL(p.src, 0xc0000201);
	CU_ASSERT_EQUAL(p.dst, 0xc0000202);
	h.total_len = 19;
	CU_ASSERT_EQUAL(ipv4_build(b, sizeof(b), &h), FG_ERR_RANGE);

	ipv4_set_proto_len(b, IPV4_PROTO_UDP, 60);
	CU_ASSERT_EQUAL_FATAL(ipv4_parse(b, sizeof(b), &p), 0);
	CU_ASSERT_TRUE(p.csum_ok);
	CU_ASSERT_EQUAL(p.proto, IPV4_PROTO_UDP);
	CU_ASSERT_EQUAL(p.total_len, 60);
}

/* A 40-byte header: TOS, DF + offset, TTL set, and options
 * RR(7) len 7 | NOP | Router Alert 148 | Timestamp 68 len 8 | Security 130
 * len 3 | type 2 (no copy bit) len 2 | EOL | pad 1 (left as it is). */
static const uint8_t opts[20] = {
	7, 7, 4, 10, 0, 0, 1,           /* record route: mutable */
	1,                              /* NOP */
	148, 4, 0, 0,                   /* router alert: immutable */
	130, 3, 0xab,                   /* security: immutable */
	2, 2,                           /* option 2 without the copied bit: unknown */
	0, 0, 0,                        /* EOL, padding */
};

static size_t make_opts_hdr(uint8_t *b, size_t total)
{
	size_t i;

	memcpy(b, hdr20, 20);
	b[0] = 0x4a;                    /* IHL 10: 40 bytes */
	b[1] = 0xbb;
	b[6] = 0x40 | 0x01;
	b[7] = 0x23;
	b[8] = 17;
	memcpy(b + 20, opts, sizeof(opts));
	for (i = 40; i < total; i++)
		b[i] = (uint8_t)(i * 7);
	ipv4_set_proto_len(b, 17, (uint16_t)total);
	return total;
}

static void test_ah_zero_restore(void)
{
	uint8_t b[64], orig[64];
	struct ipv4_mutable m;
	struct ipv4_hdr h;

	make_opts_hdr(b, sizeof(b));
	memcpy(orig, b, sizeof(b));
	CU_ASSERT_EQUAL_FATAL(ipv4_parse(b, sizeof(b), &h), 0);
	CU_ASSERT_EQUAL(h.hdr_len, 40);
	CU_ASSERT_EQUAL_FATAL(ipv4_ah_zero(b, sizeof(b), &m), 0);
	CU_ASSERT_EQUAL(b[1], 0);                       /* TOS */
	CU_ASSERT(b[6] == 0 && b[7] == 0);              /* flags, offset */
	CU_ASSERT_EQUAL(b[8], 0);                       /* TTL */
	CU_ASSERT(b[10] == 0 && b[11] == 0);            /* checksum */
	/* Immutable: version/IHL, length, id, protocol, addresses. */
	CU_ASSERT_EQUAL(b[0], orig[0]);
	CU_ASSERT_EQUAL(memcmp(b + 2, orig + 2, 4), 0);
	CU_ASSERT_EQUAL(b[9], orig[9]);
	CU_ASSERT_EQUAL(memcmp(b + 12, orig + 12, 8), 0);
	/* Record route zeroed as a unit, type and length included. */
	CU_ASSERT_EQUAL(memcmp(b + 20, "\0\0\0\0\0\0\0", 7), 0);
	CU_ASSERT_EQUAL(b[27], 1);                      /* NOP */
	CU_ASSERT_EQUAL(memcmp(b + 28, opts + 8, 4), 0);        /* router alert */
	CU_ASSERT_EQUAL(memcmp(b + 32, opts + 12, 3), 0);       /* security */
	CU_ASSERT(b[35] == 0 && b[36] == 0);            /* unknown type 2: zeroed */
	CU_ASSERT_EQUAL(memcmp(b + 37, opts + 17, 3), 0);       /* EOL, padding */
	CU_ASSERT_EQUAL(memcmp(b + 40, orig + 40, 24), 0);      /* payload untouched */
	ipv4_ah_restore(b, &m);
	CU_ASSERT_EQUAL(memcmp(b, orig, sizeof(b)), 0);

	/* Restore after the caller changed protocol and length: the checksum
	 * covers the new header. */
	CU_ASSERT_EQUAL_FATAL(ipv4_ah_zero(b, sizeof(b), &m), 0);
	b[9] = IPV4_PROTO_AH;
	b[3] = 60;
	ipv4_ah_restore(b, &m);
	CU_ASSERT_EQUAL_FATAL(ipv4_parse(b, sizeof(b), &h), 0);
	CU_ASSERT_TRUE(h.csum_ok);
	CU_ASSERT_EQUAL(h.tos, 0xbb);
	CU_ASSERT_EQUAL(h.frag, 0x4123);
	CU_ASSERT_EQUAL(h.ttl, 17);
	CU_ASSERT_EQUAL(memcmp(b + 20, opts, sizeof(opts)), 0);
}

static void test_ah_zero_bad(void)
{
	uint8_t b[64], orig[64];
	struct ipv4_mutable m;

	make_opts_hdr(b, sizeof(b));
	CU_ASSERT_EQUAL(ipv4_ah_zero(b, 19, &m), FG_ERR_TRUNC);
	CU_ASSERT_EQUAL(ipv4_ah_zero(b, 39, &m), FG_ERR_TRUNC);
	b[0] = 0x44;
	CU_ASSERT_EQUAL(ipv4_ah_zero(b, sizeof(b), &m), FG_ERR_PARSE);
	b[0] = 0x6a;
	CU_ASSERT_EQUAL(ipv4_ah_zero(b, sizeof(b), &m), FG_ERR_PARSE);
	/* A malformed option: nothing changes. */
	make_opts_hdr(b, sizeof(b));
	b[33] = 9;                      /* security length past the header */
	memcpy(orig, b, sizeof(b));
	CU_ASSERT_EQUAL(ipv4_ah_zero(b, sizeof(b), &m), FG_ERR_PARSE);
	CU_ASSERT_EQUAL(memcmp(b, orig, sizeof(b)), 0);
	/* Option-less header: only the fixed fields. */
	make_pkt(b, 30);
	memcpy(orig, b, 30);
	CU_ASSERT_EQUAL_FATAL(ipv4_ah_zero(b, 30, &m), 0);
	CU_ASSERT_EQUAL(m.hdr_len, 20);
	ipv4_ah_restore(b, &m);
	CU_ASSERT_EQUAL(memcmp(b, orig, 30), 0);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "parse a good header", test_parse_good },
		{ "parse malformed headers", test_parse_bad },
		{ "fragments flagged", test_fragments },
		{ "RFC 1071 checksum", test_checksum },
		{ "build", test_build },
		{ "AH: zero and restore mutable fields", test_ah_zero_restore },
		{ "AH: malformed headers", test_ah_zero_bad },
		{ NULL, NULL },
	};

	unit_add_suite("ipv4", tests);
	return unit_run("unit-ipv4");
}
