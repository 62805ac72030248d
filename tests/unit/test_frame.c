/* host/offload/frame: the frame codec against hand-built byte arrays
 * (docs/protocol.md, the generated offsets), every truncated or malformed
 * header, and the SA/CAPS/CNT/STATS layouts both ways. */
#include <string.h>

#include "common/err.h"
#include "offload/frame.h"
#include "unit.h"

static void test_big_endian(void)
{
	uint8_t b[8];

	frame_put16(b, 0x1234);
	CU_ASSERT(b[0] == 0x12 && b[1] == 0x34);
	CU_ASSERT_EQUAL(frame_get16(b), 0x1234);
	frame_put32(b, 0xdeadbeef);
	CU_ASSERT(b[0] == 0xde && b[1] == 0xad && b[2] == 0xbe && b[3] == 0xef);
	CU_ASSERT_EQUAL(frame_get32(b), 0xdeadbeef);
	frame_put64(b, 0x0102030405060708ull);
	CU_ASSERT(b[0] == 1 && b[7] == 8);
	CU_ASSERT_EQUAL(frame_get64(b), 0x0102030405060708ull);
	frame_put32(b, 0xffffffff);
	CU_ASSERT_EQUAL(frame_get32(b), 0xffffffffu);
}

static void test_sizes(void)
{
	static const struct { size_t len, padded, size; } t[] = {
		{ 0, 0, 16 }, { 1, 8, 24 }, { 7, 8, 24 }, { 8, 8, 24 }, { 9, 16, 32 },
		{ 64, 64, 80 }, { 2047, 2048, 2064 }, { 2048, 2048, 2064 },
		{ 65535, 65536, 65552 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CU_ASSERT_EQUAL(frame_padded(t[i].len), t[i].padded);
		CU_ASSERT_EQUAL(frame_size(t[i].len), t[i].size);
	}
	CU_ASSERT_EQUAL(FRAME_HDR, 16);
	CU_ASSERT_EQUAL(FRAME_REQUEST_MAX, 16 + 2048);
	CU_ASSERT_EQUAL(FRAME_RESULT_MAX % 8, 0);
	/* The largest ESP encap result fits OFFLOAD_MAX_RESULT: SPI, seq,
	 * request (IV + data), 7 pad, pad length, next header, ICV. */
	CU_ASSERT(8 + FGP_MAX_PAYLOAD + 7 + 2 + 12 <= OFFLOAD_MAX_RESULT);
	CU_ASSERT(FGP_MAX_PAYLOAD + FGP_AH_HDR_BYTES <= OFFLOAD_MAX_RESULT);
}

static const uint8_t hdr_bytes[16] = {
	0xfa, 0x01, 0x05, 0x00, 0x01, 0x23, 0x00, 0x07,
	0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x00, 0x04,
};

static void test_hdr_put(void)
{
	struct frame_hdr h = {
		.type = FGP_TYPE_ENCAP, .length = 0x123, .sa = 7, .tag = 0xdeadbeef, .aux = 4,
	};
	uint8_t out[16];

	memset(out, 0xaa, sizeof(out));
	frame_hdr_put(out, &h);
	CU_ASSERT_EQUAL(memcmp(out, hdr_bytes, 16), 0);
}

static void test_hdr_get(void)
{
	struct frame_hdr h;
	uint8_t b[16];
	size_t len;

	CU_ASSERT_EQUAL(frame_hdr_get(hdr_bytes, 16, &h), 0);
	CU_ASSERT_EQUAL(h.type, FGP_TYPE_ENCAP);
	CU_ASSERT_EQUAL(h.status, 0);
	CU_ASSERT_EQUAL(h.length, 0x123);
	CU_ASSERT_EQUAL(h.sa, 7);
	CU_ASSERT_EQUAL(h.tag, 0xdeadbeef);
	CU_ASSERT_EQUAL(h.aux, 4);
	for (len = 0; len < 16; len++)
		CU_ASSERT_EQUAL(frame_hdr_get(hdr_bytes, len, &h), FG_ERR_TRUNC);
	memcpy(b, hdr_bytes, 16);
	b[0] = 0xfb;
	CU_ASSERT_EQUAL(frame_hdr_get(b, 16, &h), FG_ERR_PARSE);
	CU_ASSERT_EQUAL(h.tag, 0xdeadbeef);     /* filled anyway, for logs */
	memcpy(b, hdr_bytes, 16);
	b[1] = 2;
	CU_ASSERT_EQUAL(frame_hdr_get(b, 16, &h), FG_ERR_PARSE);
	b[1] = 0;
	CU_ASSERT_EQUAL(frame_hdr_get(b, 16, &h), FG_ERR_PARSE);
	/* A result header with every status round-trips. */
	memcpy(b, hdr_bytes, 16);
	b[2] = FGP_TYPE_DECAP | FGP_RESULT_BIT;
	b[3] = FGP_STATUS_BAD_SA;
	CU_ASSERT_EQUAL(frame_hdr_get(b, 16, &h), 0);
	CU_ASSERT_EQUAL(h.type, 0x86);
	CU_ASSERT_EQUAL(h.status, FGP_STATUS_BAD_SA);
}

static void test_word_starts_header(void)
{
	static const struct {
		uint8_t w[8];
		size_t max;
		bool want;
	} t[] = {
		{ { 0xfa, 1, 1, 0, 0x00, 0x00, 0xff, 0xff }, 2048, true },
		{ { 0xfa, 1, 0x55, 0x66, 0x08, 0x00, 0, 0 }, 2048, true },    /* 2048 */
		{ { 0xfa, 1, 5, 0, 0x08, 0x01, 0, 0 }, 2048, false },         /* 2049 */
		{ { 0xfa, 1, 5, 0, 0xff, 0xff, 0, 0 }, 2048, false },
		{ { 0xfa, 1, 5, 0, 0xff, 0xff, 0, 0 }, 65535, true },
		{ { 0xfb, 1, 5, 0, 0, 0, 0, 0 }, 2048, false },
		{ { 0xfa, 0, 5, 0, 0, 0, 0, 0 }, 2048, false },
		{ { 0xfa, 2, 5, 0, 0, 0, 0, 0 }, 2048, false },
		{ { 0, 0, 0, 0, 0, 0, 0, 0 }, 2048, false },
		{ { 1, 0xfa, 1, 0, 0, 0, 0, 0 }, 2048, false },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CU_ASSERT_EQUAL(frame_word_starts_header(t[i].w, t[i].max), t[i].want);
}

static void test_encode(void)
{
	static const uint8_t payload[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct frame_hdr h = { .type = FGP_TYPE_DECAP, .sa = 3, .tag = 77, .length = 999 };
	uint8_t out[64];
	long n;
	size_t i;

	memset(out, 0xaa, sizeof(out));
	n = frame_encode(out, sizeof(out), &h, payload, sizeof(payload));
	CU_ASSERT_EQUAL(n, 32);
	CU_ASSERT_EQUAL(h.length, 9);
	CU_ASSERT_EQUAL(frame_get16(out + FGP_HDR_LENGTH_OFF), 9);
	CU_ASSERT_EQUAL(memcmp(out + 16, payload, 9), 0);
	for (i = 25; i < 32; i++)
		CU_ASSERT_EQUAL(out[i], 0);     /* zero padding */
	CU_ASSERT_EQUAL(out[32], 0xaa);         /* nothing beyond the frame */

	CU_ASSERT_EQUAL(frame_encode(out, 31, &h, payload, 9), FG_ERR_FULL);
	CU_ASSERT_EQUAL(frame_encode(out, 16, &h, NULL, 0), 16);
	CU_ASSERT_EQUAL(h.length, 0);
	CU_ASSERT_EQUAL(frame_encode(out, 15, &h, NULL, 0), FG_ERR_FULL);
	CU_ASSERT_EQUAL(frame_encode(out, sizeof(out), &h, NULL, 5), FG_ERR_RANGE);
	CU_ASSERT_EQUAL(frame_encode(out, sizeof(out), &h, payload, 65536), FG_ERR_RANGE);

	/* In place: the payload already sits after the header. */
	memcpy(out + 16, payload, 9);
	CU_ASSERT_EQUAL(frame_encode(out, sizeof(out), &h, out + 16, 9), 32);
	CU_ASSERT_EQUAL(memcmp(out + 16, payload, 9), 0);
}

static void fill_sa(struct offload_sa *sa)
{
	size_t i;

	memset(sa, 0, sizeof(*sa));
	sa->index = 9;
	sa->inbound = true;
	sa->transport = true;
	sa->cipher = FGP_CIPHER_TDES_CBC;
	sa->auth = FGP_AUTH_HMAC_SHA1;
	sa->spi = 0x11223344;
	sa->seq = 0x55667788;
	sa->replay_window = 64;
	for (i = 0; i < 24; i++)
		sa->cipher_key[i] = (uint8_t)(0x80 + i);
	sa->cipher_key_len = 24;
	for (i = 0; i < 20; i++)
		sa->auth_key[i] = (uint8_t)(0x40 + i);
	sa->auth_key_len = 20;
}

static void test_sa_put_bytes(void)
{
	uint8_t want[64] = {
		0x05, 0x02, 0x01, 0x00, 0x11, 0x22, 0x33, 0x44,
		0x55, 0x66, 0x77, 0x88, 0x00, 0x40, 0x00, 0x00,
	};
	struct offload_sa sa;
	uint8_t out[64];
	size_t i;

	for (i = 0; i < 24; i++)
		want[16 + i] = (uint8_t)(0x80 + i);
	for (i = 0; i < 20; i++)
		want[40 + i] = (uint8_t)(0x40 + i);
	fill_sa(&sa);
	memset(out, 0xaa, sizeof(out));
	CU_ASSERT_EQUAL(frame_sa_put(out, &sa), 0);
	CU_ASSERT_EQUAL(memcmp(out, want, 64), 0);

	/* Two-key 3DES goes out as K1 K2 K1. */
	sa.cipher_key_len = 16;
	CU_ASSERT_EQUAL(frame_sa_put(out, &sa), 0);
	CU_ASSERT_EQUAL(memcmp(out + 16, sa.cipher_key, 16), 0);
	CU_ASSERT_EQUAL(memcmp(out + 32, sa.cipher_key, 8), 0);

	/* DES and MD5: the unused key bytes are zero; outbound ESP tunnel. */
	sa.inbound = sa.transport = false;
	sa.cipher = FGP_CIPHER_DES_CBC;
	sa.cipher_key_len = 8;
	sa.auth = FGP_AUTH_HMAC_MD5;
	sa.auth_key_len = 16;
	CU_ASSERT_EQUAL(frame_sa_put(out, &sa), 0);
	CU_ASSERT_EQUAL(out[0], 0);
	for (i = 24; i < 40; i++)
		CU_ASSERT_EQUAL(out[i], 0);
	for (i = 56; i < 64; i++)
		CU_ASSERT_EQUAL(out[i], 0);

	/* AH flag. */
	sa.ah = true;
	sa.cipher = FGP_CIPHER_NULL;
	sa.cipher_key_len = 0;
	CU_ASSERT_EQUAL(frame_sa_put(out, &sa), 0);
	CU_ASSERT_EQUAL(out[0], FGP_SAFLAG_AH);
	for (i = 16; i < 40; i++)
		CU_ASSERT_EQUAL(out[i], 0);
}

static void test_sa_put_rejects(void)
{
	static const struct {
		unsigned cipher, auth;
		size_t ck, ak;
		int want;
	} t[] = {
		{ FGP_CIPHER_NULL, FGP_AUTH_HMAC_SHA1, 0, 20, 0 },
		{ FGP_CIPHER_NULL, FGP_AUTH_HMAC_SHA1, 8, 20, FG_ERR_INVAL },
		{ FGP_CIPHER_DES_CBC, FGP_AUTH_NONE, 8, 0, 0 },
		{ FGP_CIPHER_DES_CBC, FGP_AUTH_NONE, 16, 0, FG_ERR_INVAL },
		{ FGP_CIPHER_DES_CBC, FGP_AUTH_NONE, 0, 0, FG_ERR_INVAL },
		{ FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_MD5, 24, 16, 0 },
		{ FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_MD5, 16, 16, 0 },
		{ FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_MD5, 8, 16, FG_ERR_INVAL },
		{ FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_MD5, 24, 20, FG_ERR_INVAL },
		{ FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1, 24, 16, FG_ERR_INVAL },
		{ FGP_CIPHER_TDES_CBC, FGP_AUTH_NONE, 24, 20, FG_ERR_INVAL },
		{ FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1, 25, 20, FG_ERR_INVAL },
		{ FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1, 24, 21, FG_ERR_INVAL },
		/* Unknown codes pass (the device answers BAD_SA) if they fit. */
		{ 7, FGP_AUTH_HMAC_SHA1, 0, 20, 0 },
		{ FGP_CIPHER_NULL, 9, 0, 5, 0 },
		{ 256, FGP_AUTH_HMAC_SHA1, 0, 20, FG_ERR_INVAL },
		{ FGP_CIPHER_NULL, 300, 0, 20, FG_ERR_INVAL },
	};
	struct offload_sa sa;
	uint8_t out[64];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		fill_sa(&sa);
		sa.cipher = (enum fgp_cipher)t[i].cipher;
		sa.auth = (enum fgp_auth)t[i].auth;
		sa.cipher_key_len = t[i].ck;
		sa.auth_key_len = t[i].ak;
		if (frame_sa_put(out, &sa) != t[i].want) {
			CU_FAIL("frame_sa_put row");
			fprintf(stderr, "frame_sa_put row %zu\n", i);
		}
	}
	/* The device may be sent a window above REPLAY_MAX: it judges. */
	fill_sa(&sa);
	sa.replay_window = 65535;
	CU_ASSERT_EQUAL(frame_sa_put(out, &sa), 0);
	CU_ASSERT_EQUAL(frame_get16(out + FGP_SA_REPLAY_WINDOW_OFF), 65535);
}

static void test_sa_get(void)
{
	static const size_t reserved[] = { 3, 14, 15, 60, 61, 62, 63 };
	struct offload_sa sa;
	struct frame_sa f;
	uint8_t buf[65];
	size_t i;

	fill_sa(&sa);
	CU_ASSERT_EQUAL(frame_sa_put(buf, &sa), 0);
	CU_ASSERT_EQUAL(frame_sa_get(buf, 64, &f), 0);
	CU_ASSERT_EQUAL(f.flags, FGP_SAFLAG_INBOUND | FGP_SAFLAG_TRANSPORT);
	CU_ASSERT_EQUAL(f.cipher, FGP_CIPHER_TDES_CBC);
	CU_ASSERT_EQUAL(f.auth, FGP_AUTH_HMAC_SHA1);
	CU_ASSERT_EQUAL(f.spi, 0x11223344);
	CU_ASSERT_EQUAL(f.seq, 0x55667788);
	CU_ASSERT_EQUAL(f.replay_window, 64);
	CU_ASSERT(f.reserved_zero);
	CU_ASSERT_EQUAL(memcmp(f.cipher_key, sa.cipher_key, 24), 0);
	CU_ASSERT_EQUAL(memcmp(f.auth_key, sa.auth_key, 20), 0);
	CU_ASSERT_EQUAL(frame_sa_get(buf, 63, &f), FG_ERR_PARSE);
	CU_ASSERT_EQUAL(frame_sa_get(buf, 65, &f), FG_ERR_PARSE);
	CU_ASSERT_EQUAL(frame_sa_get(buf, 0, &f), FG_ERR_PARSE);
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		CU_ASSERT_EQUAL(frame_sa_put(buf, &sa), 0);
		buf[reserved[i]] = 0x01;
		CU_ASSERT_EQUAL(frame_sa_get(buf, 64, &f), 0);
		CU_ASSERT(!f.reserved_zero);
	}
}

static void test_caps(void)
{
	static const uint8_t want[32] = {
		1, 4, 2, 0, 0x01, 0x00, 0x00, 0x40, 0x08, 0x00, 0x07, 0x07,
		0x00, 0x01, 0x86, 0xa0, 0x20, 0x26, 0x01, 0x31,
	};
	struct offload_caps c = {
		.version = 1, .cipher_cores = 4, .auth_cores = 2, .sa_entries = 256,
		.replay_max = 64, .max_payload = 2048, .algs = 0x0707,
		.clock_khz = 100000, .build_id = 0x20260131,
	}, d;
	uint8_t out[33];

	memset(out, 0xaa, sizeof(out));
	frame_caps_put(out, &c);
	CU_ASSERT_EQUAL(memcmp(out, want, 32), 0);
	CU_ASSERT_EQUAL(out[32], 0xaa);
	memset(&d, 0x55, sizeof(d));
	CU_ASSERT_EQUAL(frame_caps_get(want, 32, &d), 0);
	CU_ASSERT(d.version == c.version && d.cipher_cores == c.cipher_cores &&
		  d.auth_cores == c.auth_cores && d.sa_entries == c.sa_entries &&
		  d.replay_max == c.replay_max && d.max_payload == c.max_payload &&
		  d.algs == c.algs && d.clock_khz == c.clock_khz && d.build_id == c.build_id);
	CU_ASSERT_EQUAL(frame_caps_get(want, 31, &d), FG_ERR_PARSE);
	CU_ASSERT_EQUAL(frame_caps_get(out, 33, &d), FG_ERR_PARSE);
}

static void test_cnt(void)
{
	static const uint8_t want[40] = {
		0, 0, 0, 1, 0, 0, 0, 2,  0, 0, 0, 0, 0, 0, 5, 0xdc,
		0, 0, 0, 3,  0, 0, 0, 4,  0, 0, 0, 5,  0, 0, 0, 6,
		0xff, 0xff, 0xff, 0xff,
	};
	struct offload_counters c = {
		.packets = 0x100000002ull, .bytes = 1500, .auth_fail = 3, .replay = 4,
		.bad_pad = 5, .other_err = 6, .seq = 0xffffffff,
	}, d;
	uint8_t out[40];

	memset(out, 0xaa, sizeof(out));
	frame_cnt_put(out, &c);
	CU_ASSERT_EQUAL(memcmp(out, want, 40), 0);
	CU_ASSERT_EQUAL(frame_cnt_get(want, 40, &d), 0);
	CU_ASSERT_EQUAL(d.packets, c.packets);
	CU_ASSERT_EQUAL(d.bytes, c.bytes);
	CU_ASSERT_EQUAL(d.auth_fail, 3);
	CU_ASSERT_EQUAL(d.replay, 4);
	CU_ASSERT_EQUAL(d.bad_pad, 5);
	CU_ASSERT_EQUAL(d.other_err, 6);
	CU_ASSERT_EQUAL(d.seq, 0xffffffff);
	CU_ASSERT_EQUAL(frame_cnt_get(want, 32, &d), FG_ERR_PARSE);
}

static void test_stats(void)
{
	static const uint8_t want[32] = {
		0, 0, 0, 10, 0, 0, 0, 11, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 24,
	};
	struct offload_stats s = {
		.frames_in = 10, .frames_out = 11, .malformed = 1, .no_sa = 2, .resync_bytes = 24,
	}, t;
	uint8_t out[32];

	memset(out, 0xaa, sizeof(out));
	frame_stats_put(out, &s);
	CU_ASSERT_EQUAL(memcmp(out, want, 32), 0);
	CU_ASSERT_EQUAL(frame_stats_get(want, 32, &t), 0);
	CU_ASSERT(t.frames_in == 10 && t.frames_out == 11 && t.malformed == 1 && t.no_sa == 2 &&
		  t.resync_bytes == 24);
	CU_ASSERT_EQUAL(frame_stats_get(want, 40, &t), FG_ERR_PARSE);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "big-endian helpers", test_big_endian },
		{ "frame sizes and padding", test_sizes },
		{ "header to bytes", test_hdr_put },
		{ "header from bytes, truncated and bad", test_hdr_get },
		{ "resync word test", test_word_starts_header },
		{ "whole frame encode", test_encode },
		{ "SA layout bytes", test_sa_put_bytes },
		{ "SA layout key length checks", test_sa_put_rejects },
		{ "SA layout read back, reserved fields", test_sa_get },
		{ "CAPS layout", test_caps },
		{ "CNT layout", test_cnt },
		{ "STATS layout", test_stats },
		{ NULL, NULL },
	};

	unit_add_suite("offload frame codec", tests);
	return unit_run("unit-frame");
}
