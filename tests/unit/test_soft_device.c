/* host/offload/soft_device: the golden model of the device, driven through
 * its byte-stream interface (device.h) with frames built here. ESP and AH
 * round trips for every algorithm and mode, ESP and AH output checked
 * independently with host/crypto, every status code and its counter, the
 * resync rules, TOO_BIG, unknown types, streams split at every byte, a
 * full result queue, and key wiping. */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "crypto/crypto.h"
#include "offload/frame.h"
#include "offload/soft_device.h"
#include "offload/soft_priv.h"
#include "unit.h"

enum { BIG = 70000, OUTBOUND = 1, INBOUND = 2 };

struct res {
	struct frame_hdr h;
	uint8_t p[OFFLOAD_MAX_RESULT];
};

static const uint8_t ckey[24] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98,
	0x76, 0x54, 0x32, 0x10, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67,
};
static const uint8_t akey[20] = {
	0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b,
	0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0c,
};

static uint8_t *frame_buf;      /* BIG bytes, for requests */

/* ---- plumbing ---- */

static struct fg_device *dev_open(void)
{
	struct fg_device *d = soft_device_open();

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_STRING_EQUAL(d->name, "soft");
	return d;
}

static void dev_write_all(struct fg_device *d, const uint8_t *buf, size_t len)
{
	long n;

	while (len) {
		n = d->ops->write(d, buf, len);
		CU_ASSERT_FATAL(n > 0);
		buf += n;
		len -= (size_t)n;
	}
}

static size_t dev_read_all(struct fg_device *d, uint8_t *buf, size_t cap)
{
	size_t got = 0;
	long n;

	while ((n = d->ops->read(d, buf + got, cap - got)) > 0)
		got += (size_t)n;
	CU_ASSERT(n == 0);
	return got;
}

/* Reads one result frame; 0 when none is there. Checks the padding. */
static int dev_recv(struct fg_device *d, struct res *r)
{
	uint8_t hdr[FRAME_HDR], pad[8];
	size_t padded, i;
	long n;

	n = d->ops->read(d, hdr, sizeof(hdr));
	if (n == 0)
		return 0;
	CU_ASSERT_EQUAL_FATAL(n, FRAME_HDR);
	CU_ASSERT_EQUAL_FATAL(frame_hdr_get(hdr, FRAME_HDR, &r->h), 0);
	CU_ASSERT_FATAL(r->h.length <= OFFLOAD_MAX_RESULT);
	if (r->h.length) {
		n = d->ops->read(d, r->p, r->h.length);
		CU_ASSERT_EQUAL_FATAL(n, r->h.length);
	}
	padded = frame_padded(r->h.length) - r->h.length;
	if (padded) {
		n = d->ops->read(d, pad, padded);
		CU_ASSERT_EQUAL_FATAL((size_t)n, padded);
		for (i = 0; i < padded; i++)
			CU_ASSERT_EQUAL(pad[i], 0);
	}
	return 1;
}

static size_t build(uint8_t type, uint16_t sa, uint32_t tag, uint32_t aux,
		    const uint8_t *payload, size_t len)
{
	struct frame_hdr h = { .type = type, .sa = sa, .tag = tag, .aux = aux };
	long n = frame_encode(frame_buf, BIG, &h, payload, len);

	CU_ASSERT_FATAL(n > 0);
	return (size_t)n;
}

/* Sends one frame, expects exactly one result echoing type, SA and tag;
 * returns its status. */
static uint8_t xact(struct fg_device *d, uint8_t type, uint16_t sa, uint32_t tag, uint32_t aux,
		    const uint8_t *payload, size_t len, struct res *r)
{
	struct res spare;

	dev_write_all(d, frame_buf, build(type, sa, tag, aux, payload, len));
	CU_ASSERT_EQUAL_FATAL(dev_recv(d, r), 1);
	CU_ASSERT_EQUAL(r->h.type, type | FGP_RESULT_BIT);
	CU_ASSERT_EQUAL(r->h.sa, sa);
	CU_ASSERT_EQUAL(r->h.tag, tag);
	if (r->h.status != FGP_STATUS_OK) {
		CU_ASSERT_EQUAL(r->h.length, 0);
		CU_ASSERT_EQUAL(r->h.aux, 0);
	}
	CU_ASSERT_EQUAL(dev_recv(d, &spare), 0);
	return r->h.status;
}

static size_t cipher_keylen(unsigned cipher)
{
	return cipher == FGP_CIPHER_DES_CBC ? 8 : cipher == FGP_CIPHER_TDES_CBC ? 24 : 0;
}

static size_t auth_keylen(unsigned auth)
{
	return auth == FGP_AUTH_HMAC_SHA1 ? 20 : auth == FGP_AUTH_HMAC_MD5 ? 16 : 0;
}

static struct offload_sa mk_sa(uint16_t slot, bool inbound, bool ah, unsigned cipher,
			       unsigned auth)
{
	struct offload_sa sa;

	memset(&sa, 0, sizeof(sa));
	sa.index = slot;
	sa.inbound = inbound;
	sa.ah = ah;
	sa.cipher = (enum fgp_cipher)cipher;
	sa.auth = (enum fgp_auth)auth;
	sa.spi = 0xc0ffee01;
	sa.seq = 1;
	sa.replay_window = inbound ? 64 : 0;
	sa.cipher_key_len = cipher_keylen(cipher);
	memcpy(sa.cipher_key, ckey, sa.cipher_key_len);
	sa.auth_key_len = auth_keylen(auth);
	memcpy(sa.auth_key, akey, sa.auth_key_len);
	return sa;
}

static uint8_t load_raw(struct fg_device *d, uint16_t slot, const uint8_t *layout, size_t len)
{
	struct res r;

	return xact(d, FGP_TYPE_SA_LOAD, slot, 0x5a000000u | slot, 0, layout, len, &r);
}

static uint8_t load(struct fg_device *d, const struct offload_sa *sa)
{
	uint8_t layout[FGP_SA_SIZE];

	CU_ASSERT_EQUAL_FATAL(frame_sa_put(layout, sa), 0);
	return load_raw(d, sa->index, layout, sizeof(layout));
}

/* An outbound (slot 1) and inbound (slot 2) pair with the same keys. */
static void load_pair(struct fg_device *d, bool ah, unsigned cipher, unsigned auth, bool transport)
{
	struct offload_sa sa = mk_sa(OUTBOUND, false, ah, cipher, auth);

	sa.transport = transport;
	CU_ASSERT_EQUAL_FATAL(load(d, &sa), FGP_STATUS_OK);
	sa.index = INBOUND;
	sa.inbound = true;
	sa.replay_window = 64;
	CU_ASSERT_EQUAL_FATAL(load(d, &sa), FGP_STATUS_OK);
}

static struct offload_counters counters(struct fg_device *d, uint16_t slot)
{
	struct offload_counters c;
	struct res r;

	memset(&c, 0, sizeof(c));
	CU_ASSERT_EQUAL_FATAL(xact(d, FGP_TYPE_COUNTERS, slot, 0xc0, 0, NULL, 0, &r), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(frame_cnt_get(r.p, r.h.length, &c), 0);
	CU_ASSERT_EQUAL(frame_get32(r.p + FGP_CNT_RESERVED_OFF), 0);
	return c;
}

static struct offload_stats stats(struct fg_device *d)
{
	struct offload_stats s;
	struct res r;

	memset(&s, 0, sizeof(s));
	CU_ASSERT_EQUAL_FATAL(xact(d, FGP_TYPE_STATS, FGP_SA_NONE, 0x57, 0, NULL, 0, &r),
			      FGP_STATUS_OK);
	CU_ASSERT_EQUAL(frame_stats_get(r.p, r.h.length, &s), 0);
	return s;
}

static uint32_t lcg = 1;

static void fill(uint8_t *p, size_t n)
{
	while (n--) {
		lcg = lcg * 1664525u + 1013904223u;
		*p++ = (uint8_t)(lcg >> 24);
	}
}

static size_t iv_len(unsigned cipher)
{
	return cipher == FGP_CIPHER_NULL ? 0 : 8;
}

static size_t block_len(unsigned cipher)
{
	return cipher == FGP_CIPHER_NULL ? 4 : 8;
}

/* ENCAP request payload IV | data; returns its length. */
static size_t esp_request(uint8_t *req, unsigned cipher, const uint8_t *iv, const uint8_t *data,
			  size_t n)
{
	size_t ivlen = iv_len(cipher);

	memcpy(req, iv, ivlen);
	memcpy(req + ivlen, data, n);
	return ivlen + n;
}

static uint8_t encap(struct fg_device *d, uint16_t slot, uint32_t tag, uint8_t nh,
		     const uint8_t *payload, size_t len, struct res *r)
{
	return xact(d, FGP_TYPE_ENCAP, slot, tag, nh, payload, len, r);
}

static uint8_t decap(struct fg_device *d, uint16_t slot, uint32_t tag, const uint8_t *pkt,
		     size_t len, struct res *r)
{
	return xact(d, FGP_TYPE_DECAP, slot, tag, 0, pkt, len, r);
}

static enum crypto_hash hash_of(unsigned auth)
{
	return auth == FGP_AUTH_HMAC_SHA1 ? CRYPTO_HASH_SHA1 : CRYPTO_HASH_MD5;
}

static enum crypto_cipher cipher_of(unsigned cipher)
{
	return cipher == FGP_CIPHER_DES_CBC ? CRYPTO_CIPHER_DES_CBC
	     : cipher == FGP_CIPHER_TDES_CBC ? CRYPTO_CIPHER_3DES_CBC : CRYPTO_CIPHER_NULL;
}

/* HMAC-*-96 of parts, computed here. */
static void icv96(unsigned auth, const struct crypto_part *parts, size_t n, uint8_t out[12])
{
	uint8_t md[CRYPTO_MAX_HASH];

	CU_ASSERT_EQUAL_FATAL(crypto_hmac(hash_of(auth), akey, auth_keylen(auth), parts, n, md), 0);
	memcpy(out, md, 12);
}

/* ---- CAPS ---- */

static void test_caps(void)
{
	struct fg_device *d = dev_open();
	struct offload_caps c;
	struct res r;
	uint8_t one = 0;

	CU_ASSERT_EQUAL(xact(d, FGP_TYPE_CAPS, FGP_SA_NONE, 0x11223344, 0, NULL, 0, &r),
			FGP_STATUS_OK);
	CU_ASSERT_EQUAL(r.h.length, FGP_CAPS_SIZE);
	CU_ASSERT_EQUAL(r.h.aux, 0);
	CU_ASSERT_EQUAL(frame_caps_get(r.p, r.h.length, &c), 0);
	CU_ASSERT_EQUAL(c.version, 1);
	CU_ASSERT_EQUAL(c.cipher_cores, 1);
	CU_ASSERT_EQUAL(c.auth_cores, 1);
	CU_ASSERT_EQUAL(c.sa_entries, 256);
	CU_ASSERT_EQUAL(c.replay_max, 64);
	CU_ASSERT_EQUAL(c.max_payload, 2048);
	CU_ASSERT_EQUAL(c.algs, 0x0707);
	CU_ASSERT_EQUAL(c.clock_khz, 0);
	CU_ASSERT_EQUAL(c.build_id, 0);
	CU_ASSERT_EQUAL(r.p[FGP_CAPS_RESERVED_OFF], 0);
	/* The SA field is echoed whatever it is. */
	CU_ASSERT_EQUAL(xact(d, FGP_TYPE_CAPS, 17, 1, 0, NULL, 0, &r), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(xact(d, FGP_TYPE_CAPS, FGP_SA_NONE, 2, 0, &one, 1, &r),
			FGP_STATUS_MALFORMED);
	d->ops->close(d);
}

/* ---- round trips ---- */

static const unsigned ciphers[] = { FGP_CIPHER_NULL, FGP_CIPHER_DES_CBC, FGP_CIPHER_TDES_CBC };
static const unsigned auths[] = { FGP_AUTH_NONE, FGP_AUTH_HMAC_SHA1, FGP_AUTH_HMAC_MD5 };

static void esp_round_trip(unsigned cipher, unsigned auth, bool transport)
{
	enum { MAXN = 1500 };
	struct fg_device *d = dev_open();
	static uint8_t data[MAXN], req[MAXN + 8], pkt[OFFLOAD_MAX_RESULT];
	size_t n, len, want, bytes = 0, bad = 0;
	uint8_t iv[8], nh;
	struct offload_counters c;
	struct res r;

	load_pair(d, false, cipher, auth, transport);
	for (n = 0; n <= MAXN; n++) {
		fill(data, n);
		fill(iv, 8);
		nh = transport ? 6 : 4;
		len = esp_request(req, cipher, iv, data, n);
		if (encap(d, OUTBOUND, (uint32_t)n, 0xabcd0000u | nh, req, len, &r) != FGP_STATUS_OK) {
			bad++;
			continue;
		}
		want = 8 + iv_len(cipher) + (n + 2 + block_len(cipher) - 1) / block_len(cipher) *
		       block_len(cipher) + (auth ? 12 : 0);
		bad += r.h.length != want || r.h.aux != n + 1 || frame_get32(r.p) != 0xc0ffee01 ||
		       frame_get32(r.p + 4) != n + 1;
		memcpy(pkt, r.p, r.h.length);
		len = r.h.length;
		if (decap(d, INBOUND, 0x80000000u | (uint32_t)n, pkt, len, &r) != FGP_STATUS_OK) {
			bad++;
			continue;
		}
		bad += r.h.length != n || r.h.aux != nh || memcmp(r.p, data, n) != 0;
		bytes += n;
	}
	CU_ASSERT_EQUAL(bad, 0);
	c = counters(d, OUTBOUND);
	CU_ASSERT_EQUAL(c.packets, MAXN + 1);
	CU_ASSERT_EQUAL(c.bytes, bytes);
	CU_ASSERT_EQUAL(c.seq, MAXN + 1);
	c = counters(d, INBOUND);
	CU_ASSERT_EQUAL(c.packets, MAXN + 1);
	CU_ASSERT_EQUAL(c.bytes, bytes);
	CU_ASSERT_EQUAL(c.seq, MAXN + 1);
	CU_ASSERT(c.auth_fail == 0 && c.replay == 0 && c.bad_pad == 0 && c.other_err == 0);
	d->ops->close(d);
}

static void test_esp_round_trips(void)
{
	size_t i, j;
	int mode;

	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			for (mode = 0; mode < 2; mode++)
				if (ciphers[i] != FGP_CIPHER_NULL || auths[j] != FGP_AUTH_NONE)
					esp_round_trip(ciphers[i], auths[j], mode);
}

/* IPv4 header of ihl words (mutable fields zero, protocol 51). */
static void ip_header(uint8_t *p, unsigned ihl, size_t total)
{
	memset(p, 0, ihl * 4);
	p[0] = (uint8_t)(0x40 | ihl);
	frame_put16(p + 2, (uint16_t)total);
	frame_put16(p + 4, 0x1234);
	p[9] = 51;
	memcpy(p + 12, "\xc0\x00\x02\x01\xc6\x33\x64\x02", 8);
	if (ihl > 5)
		memset(p + 20, 0x01, ihl * 4 - 20);     /* NOP options */
}

static void ah_round_trip(unsigned auth, bool transport, unsigned ihl)
{
	enum { MAXN = 1500 };
	struct fg_device *d = dev_open();
	static uint8_t req[MAXN + 60], pkt[OFFLOAD_MAX_RESULT];
	size_t n, hl = ihl * 4, bad = 0;
	struct res r;
	uint8_t nh = (uint8_t)(transport ? 17 : 4);

	load_pair(d, true, FGP_CIPHER_NULL, auth, transport);
	for (n = 0; n <= MAXN; n++) {
		ip_header(req, ihl, hl + 24 + n);
		fill(req + hl, n);
		if (encap(d, OUTBOUND, (uint32_t)n, nh, req, hl + n, &r) != FGP_STATUS_OK) {
			bad++;
			continue;
		}
		bad += r.h.length != hl + n + 24 || r.h.aux != n + 1 || memcmp(r.p, req, hl) ||
		       r.p[hl] != nh || r.p[hl + 1] != 4 || frame_get32(r.p + hl + 4) != 0xc0ffee01 ||
		       frame_get32(r.p + hl + 8) != n + 1 || memcmp(r.p + hl + 24, req + hl, n);
		memcpy(pkt, r.p, r.h.length);
		if (decap(d, INBOUND, (uint32_t)n, pkt, hl + n + 24, &r) != FGP_STATUS_OK) {
			bad++;
			continue;
		}
		bad += r.h.length != hl + n || r.h.aux != nh || memcmp(r.p, req, hl + n) != 0;
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(counters(d, OUTBOUND).packets, MAXN + 1);
	CU_ASSERT_EQUAL(counters(d, INBOUND).seq, MAXN + 1);
	d->ops->close(d);
}

static void test_ah_round_trips(void)
{
	ah_round_trip(FGP_AUTH_HMAC_SHA1, false, 5);
	ah_round_trip(FGP_AUTH_HMAC_SHA1, true, 5);
	ah_round_trip(FGP_AUTH_HMAC_MD5, false, 5);
	ah_round_trip(FGP_AUTH_HMAC_MD5, true, 7);
	ah_round_trip(FGP_AUTH_HMAC_SHA1, true, 15);
}

/* ---- independent checks with host/crypto ---- */

/* Checks an ESP packet from the device without the device: SPI, sequence,
 * IV, ICV recomputed, ciphertext decrypted with the test's own key (two-key
 * 3DES with a 16-byte key), padding 1, 2, 3, ... of minimal length. */
static void check_esp(unsigned cipher, unsigned auth, size_t keylen, const uint8_t *iv,
		      const uint8_t *data, size_t n, uint8_t nh, uint32_t seq,
		      const uint8_t *pkt, size_t len)
{
	size_t ivlen = iv_len(cipher), icvlen = auth ? 12 : 0, clen, pad, i;
	uint8_t plain[2100], icv[12];
	struct crypto_part part = { pkt, len - icvlen };

	CU_ASSERT_FATAL(len >= 8 + ivlen + icvlen);
	CU_ASSERT_EQUAL(frame_get32(pkt), 0xc0ffee01);
	CU_ASSERT_EQUAL(frame_get32(pkt + 4), seq);
	CU_ASSERT_EQUAL(memcmp(pkt + 8, iv, ivlen), 0);
	if (auth) {
		icv96(auth, &part, 1, icv);
		CU_ASSERT_EQUAL(memcmp(icv, pkt + len - 12, 12), 0);
	}
	clen = len - 8 - ivlen - icvlen;
	CU_ASSERT_FATAL(clen >= 2 && clen % block_len(cipher) == 0 && clen <= sizeof(plain));
	CU_ASSERT_EQUAL_FATAL(crypto_cbc(cipher_of(cipher), 0, ckey, keylen, iv, pkt + 8 + ivlen,
					 plain, clen), 0);
	pad = plain[clen - 2];
	CU_ASSERT_EQUAL(plain[clen - 1], nh);
	CU_ASSERT_EQUAL(n + pad + 2, clen);
	CU_ASSERT(pad < block_len(cipher));
	CU_ASSERT_EQUAL(memcmp(plain, data, n), 0);
	for (i = 0; i < pad; i++)
		CU_ASSERT_EQUAL(plain[n + i], i + 1);
}

static void test_esp_independent_encap(void)
{
	static const struct {
		unsigned cipher, auth;
		size_t keylen, n;
	} t[] = {
		{ FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1, 24, 0 },
		{ FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1, 24, 64 },
		{ FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_MD5, 24, 1 },
		{ FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1, 16, 21 },   /* K3 = K1 */
		{ FGP_CIPHER_DES_CBC, FGP_AUTH_HMAC_SHA1, 8, 6 },
		{ FGP_CIPHER_DES_CBC, FGP_AUTH_HMAC_MD5, 8, 1400 },
		{ FGP_CIPHER_DES_CBC, FGP_AUTH_NONE, 8, 13 },
		{ FGP_CIPHER_NULL, FGP_AUTH_HMAC_SHA1, 0, 0 },
		{ FGP_CIPHER_NULL, FGP_AUTH_HMAC_MD5, 0, 3 },
		{ FGP_CIPHER_NULL, FGP_AUTH_HMAC_SHA1, 0, 5 },
	};
	static uint8_t data[1500], req[1508];
	uint8_t iv[8];
	struct offload_sa sa;
	struct res r;
	size_t i, len;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct fg_device *d = dev_open();

		sa = mk_sa(OUTBOUND, false, false, t[i].cipher, t[i].auth);
		sa.cipher_key_len = t[i].keylen;
		sa.seq = 1000 + (uint32_t)i;
		CU_ASSERT_EQUAL_FATAL(load(d, &sa), FGP_STATUS_OK);
		fill(data, t[i].n);
		fill(iv, 8);
		len = esp_request(req, t[i].cipher, iv, data, t[i].n);
		CU_ASSERT_EQUAL_FATAL(encap(d, OUTBOUND, 7, 41, req, len, &r), FGP_STATUS_OK);
		CU_ASSERT_EQUAL(r.h.aux, 1000 + i);
		check_esp(t[i].cipher, t[i].auth, t[i].keylen, iv, data, t[i].n, 41,
			  1000 + (uint32_t)i, r.p, r.h.length);
		d->ops->close(d);
	}
}

/* Builds an ESP packet here, with pad bytes and pad length as given
 * (pad_ok false corrupts the last pad byte). Returns its length. */
static size_t make_esp(unsigned cipher, unsigned auth, uint32_t spi, uint32_t seq,
		       const uint8_t *iv, const uint8_t *data, size_t n, size_t pad,
		       uint8_t padlen_byte, bool pad_ok, uint8_t nh, uint8_t *out)
{
	size_t ivlen = iv_len(cipher), clen = n + pad + 2, i;
	uint8_t *c = out + 8 + ivlen;
	struct crypto_part part;

	frame_put32(out, spi);
	frame_put32(out + 4, seq);
	memcpy(out + 8, iv, ivlen);
	memcpy(c, data, n);
	for (i = 0; i < pad; i++)
		c[n + i] = (uint8_t)(i + 1);
	if (!pad_ok && pad)
		c[n + pad - 1] ^= 0x40;
	c[n + pad] = padlen_byte;
	c[n + pad + 1] = nh;
	CU_ASSERT_EQUAL_FATAL(crypto_cbc(cipher_of(cipher), 1, ckey, cipher_keylen(cipher), iv, c, c,
					 clen), 0);
	part.data = out;
	part.len = 8 + ivlen + clen;
	if (auth)
		icv96(auth, &part, 1, out + part.len);
	return part.len + (auth ? 12 : 0);
}

static void test_esp_independent_decap(void)
{
	struct fg_device *d = dev_open();
	static uint8_t data[300], pkt[400];
	uint8_t iv[8];
	struct res r;
	size_t len;

	load_pair(d, false, FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1, false);
	fill(data, sizeof(data));
	fill(iv, 8);
	/* Minimal padding, then longer padding (RFC 4303 allows up to 255). */
	len = make_esp(FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1, 0xc0ffee01, 1, iv, data, 20, 2, 2,
		       true, 4, pkt);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 1, pkt, len, &r), FGP_STATUS_OK);
	CU_ASSERT(r.h.length == 20 && r.h.aux == 4 && memcmp(r.p, data, 20) == 0);
	len = make_esp(FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1, 0xc0ffee01, 2, iv, data, 20, 10, 10,
		       true, 17, pkt);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 2, pkt, len, &r), FGP_STATUS_OK);
	CU_ASSERT(r.h.length == 20 && r.h.aux == 17 && memcmp(r.p, data, 20) == 0);
	len = make_esp(FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1, 0xc0ffee01, 3, iv, data, 2, 252, 252,
		       true, 41, pkt);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 3, pkt, len, &r), FGP_STATUS_OK);
	CU_ASSERT(r.h.length == 2 && r.h.aux == 41 && memcmp(r.p, data, 2) == 0);
	/* Everything is padding: no data at all. */
	len = make_esp(FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1, 0xc0ffee01, 4, iv, data, 0, 6, 6,
		       true, 59, pkt);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 4, pkt, len, &r), FGP_STATUS_OK);
	CU_ASSERT(r.h.length == 0 && r.h.aux == 59);
	d->ops->close(d);
}

/* AH output computed entirely here and compared byte for byte. */
static void test_ah_independent(void)
{
	static const unsigned as[] = { FGP_AUTH_HMAC_SHA1, FGP_AUTH_HMAC_MD5 };
	uint8_t req[100], want[130], pkt[130];
	struct crypto_part part;
	struct res r;
	size_t i, n = 37;

	for (i = 0; i < 2; i++) {
		struct fg_device *d = dev_open();

		load_pair(d, true, FGP_CIPHER_NULL, as[i], false);
		ip_header(req, 5, 20 + 24 + n);
		fill(req + 20, n);
		memcpy(want, req, 20);
		memcpy(want + 20, "\x04\x04\x00\x00\xc0\xff\xee\x01\x00\x00\x00\x01", 12);
		memset(want + 32, 0, 12);
		memcpy(want + 44, req + 20, n);
		part.data = want;
		part.len = 44 + n;
		icv96(as[i], &part, 1, want + 32);
		CU_ASSERT_EQUAL_FATAL(encap(d, OUTBOUND, 1, 4, req, 20 + n, &r), FGP_STATUS_OK);
		CU_ASSERT_EQUAL(r.h.length, 44 + n);
		CU_ASSERT_EQUAL(memcmp(r.p, want, 44 + n), 0);

		/* And a packet built here decapsulates. */
		memcpy(pkt, want, 44 + n);
		frame_put32(pkt + 28, 9);
		memset(pkt + 32, 0, 12);
		part.data = pkt;
		icv96(as[i], &part, 1, pkt + 32);
		CU_ASSERT_EQUAL(decap(d, INBOUND, 2, pkt, 44 + n, &r), FGP_STATUS_OK);
		CU_ASSERT(r.h.length == 20 + n && r.h.aux == 4 && memcmp(r.p, req, 20 + n) == 0);
		d->ops->close(d);
	}
}

/* ---- status codes ---- */

/* Encapsulates n data bytes on OUTBOUND; returns the packet length. */
static size_t esp_packet(struct fg_device *d, unsigned cipher, size_t n, uint8_t *pkt)
{
	uint8_t data[256], iv[8], req[300];
	struct res r;
	size_t len;

	fill(data, n);
	fill(iv, 8);
	len = esp_request(req, cipher, iv, data, n);
	CU_ASSERT_EQUAL_FATAL(encap(d, OUTBOUND, 0xe, 4, req, len, &r), FGP_STATUS_OK);
	memcpy(pkt, r.p, r.h.length);
	return r.h.length;
}

static void test_auth_fail(void)
{
	struct fg_device *d = dev_open();
	uint8_t pkt[300], bad[300];
	struct offload_counters c;
	struct res r;
	size_t len, i;

	load_pair(d, false, FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1, false);
	len = esp_packet(d, FGP_CIPHER_TDES_CBC, 50, pkt);
	/* Any flipped bit after the SPI: ICV, ciphertext, IV, sequence. */
	for (i = 4; i < len; i += 7) {
		memcpy(bad, pkt, len);
		bad[i] ^= (uint8_t)(1u << (i % 8));
		CU_ASSERT_EQUAL(decap(d, INBOUND, (uint32_t)i, bad, len, &r), FGP_STATUS_AUTH_FAIL);
	}
	memcpy(bad, pkt, len);
	bad[len - 1] ^= 0x01;
	CU_ASSERT_EQUAL(decap(d, INBOUND, 1, bad, len, &r), FGP_STATUS_AUTH_FAIL);
	/* The failures did not move the window: the real packet passes. */
	CU_ASSERT_EQUAL(decap(d, INBOUND, 2, pkt, len, &r), FGP_STATUS_OK);
	c = counters(d, INBOUND);
	CU_ASSERT_EQUAL(c.auth_fail, (len - 4 + 6) / 7 + 1);
	CU_ASSERT_EQUAL(c.packets, 1);
	CU_ASSERT_EQUAL(c.seq, 1);
	d->ops->close(d);

	/* AH: a flipped data or header byte. */
	d = dev_open();
	load_pair(d, true, FGP_CIPHER_NULL, FGP_AUTH_HMAC_MD5, false);
	ip_header(bad, 5, 20 + 24 + 10);
	fill(bad + 20, 10);
	CU_ASSERT_EQUAL_FATAL(encap(d, OUTBOUND, 1, 4, bad, 30, &r), FGP_STATUS_OK);
	memcpy(pkt, r.p, 54);
	pkt[53] ^= 0x80;
	CU_ASSERT_EQUAL(decap(d, INBOUND, 2, pkt, 54, &r), FGP_STATUS_AUTH_FAIL);
	pkt[53] ^= 0x80;
	pkt[8] ^= 0x01;         /* TTL: the host should have zeroed it */
	CU_ASSERT_EQUAL(decap(d, INBOUND, 3, pkt, 54, &r), FGP_STATUS_AUTH_FAIL);
	pkt[8] ^= 0x01;
	CU_ASSERT_EQUAL(decap(d, INBOUND, 4, pkt, 54, &r), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(counters(d, INBOUND).auth_fail, 2);
	d->ops->close(d);
}

static void test_replay(void)
{
	enum { N = 70 };
	struct fg_device *d = dev_open();
	static uint8_t pkts[N + 1][100];
	size_t lens[N + 1], i;
	struct offload_counters c;
	struct offload_sa sa;
	struct res r;

	load_pair(d, false, FGP_CIPHER_DES_CBC, FGP_AUTH_HMAC_MD5, false);
	for (i = 1; i <= N; i++)
		lens[i] = esp_packet(d, FGP_CIPHER_DES_CBC, 30, pkts[i]);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 70, pkts[70], lens[70], &r), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 1, pkts[1], lens[1], &r), FGP_STATUS_REPLAY);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 6, pkts[6], lens[6], &r), FGP_STATUS_REPLAY);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 7, pkts[7], lens[7], &r), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 7, pkts[7], lens[7], &r), FGP_STATUS_REPLAY);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 70, pkts[70], lens[70], &r), FGP_STATUS_REPLAY);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 69, pkts[69], lens[69], &r), FGP_STATUS_OK);
	/* A forged copy of a fresh number fails the ICV first... */
	pkts[68][lens[68] - 1] ^= 1;
	CU_ASSERT_EQUAL(decap(d, INBOUND, 68, pkts[68], lens[68], &r), FGP_STATUS_AUTH_FAIL);
	/* ...and a forged copy of a seen number is a replay before that. */
	pkts[69][lens[69] - 1] ^= 1;
	CU_ASSERT_EQUAL(decap(d, INBOUND, 69, pkts[69], lens[69], &r), FGP_STATUS_REPLAY);
	c = counters(d, INBOUND);
	CU_ASSERT_EQUAL(c.replay, 5);
	CU_ASSERT_EQUAL(c.auth_fail, 1);
	CU_ASSERT_EQUAL(c.packets, 3);
	CU_ASSERT_EQUAL(c.bytes, 90);
	CU_ASSERT_EQUAL(c.seq, 70);

	/* Window 0: anti-replay off, duplicates pass. */
	sa = mk_sa(3, true, false, FGP_CIPHER_DES_CBC, FGP_AUTH_HMAC_MD5);
	sa.replay_window = 0;
	CU_ASSERT_EQUAL_FATAL(load(d, &sa), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(decap(d, 3, 1, pkts[2], lens[2], &r), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(decap(d, 3, 2, pkts[2], lens[2], &r), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(decap(d, 3, 3, pkts[1], lens[1], &r), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(counters(d, 3).seq, 2);
	d->ops->close(d);
}

static void test_bad_pad(void)
{
	struct fg_device *d = dev_open();
	uint8_t data[40], iv[8], pkt[120];
	struct offload_counters c;
	struct res r;
	size_t len;

	load_pair(d, false, FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1, false);
	fill(data, sizeof(data));
	fill(iv, 8);
	/* A pad byte out of sequence. */
	len = make_esp(FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1, 0xc0ffee01, 1, iv, data, 5, 1, 1,
		       false, 4, pkt);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 1, pkt, len, &r), FGP_STATUS_BAD_PAD);
	/* The packet was authentic: the window moved before the pad check. */
	CU_ASSERT_EQUAL(decap(d, INBOUND, 2, pkt, len, &r), FGP_STATUS_REPLAY);
	/* A pad length longer than the plaintext (14 = 16 - 2 is the most). */
	len = make_esp(FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1, 0xc0ffee01, 2, iv, data, 8, 6, 15,
		       true, 4, pkt);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 3, pkt, len, &r), FGP_STATUS_BAD_PAD);
	len = make_esp(FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1, 0xc0ffee01, 3, iv, data, 8, 6, 255,
		       true, 4, pkt);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 4, pkt, len, &r), FGP_STATUS_BAD_PAD);
	/* Pad length 14 of a 16-byte plaintext whose bytes are 1..14: OK. */
	len = make_esp(FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1, 0xc0ffee01, 4, iv, data, 0, 14, 14,
		       true, 4, pkt);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 5, pkt, len, &r), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(r.h.length, 0);
	c = counters(d, INBOUND);
	CU_ASSERT_EQUAL(c.bad_pad, 3);
	CU_ASSERT_EQUAL(c.replay, 1);
	CU_ASSERT_EQUAL(c.packets, 1);
	CU_ASSERT_EQUAL(c.seq, 4);
	d->ops->close(d);

	/* NULL encryption: the padding is in clear, 4-byte aligned. */
	d = dev_open();
	load_pair(d, false, FGP_CIPHER_NULL, FGP_AUTH_HMAC_SHA1, false);
	len = make_esp(FGP_CIPHER_NULL, FGP_AUTH_HMAC_SHA1, 0xc0ffee01, 1, iv, data, 3, 3, 3, false,
		       4, pkt);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 1, pkt, len, &r), FGP_STATUS_BAD_PAD);
	len = make_esp(FGP_CIPHER_NULL, FGP_AUTH_HMAC_SHA1, 0xc0ffee01, 2, iv, data, 3, 3, 3, true,
		       4, pkt);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 2, pkt, len, &r), FGP_STATUS_OK);
	CU_ASSERT(r.h.length == 3 && memcmp(r.p, data, 3) == 0);
	d->ops->close(d);
}

static void test_no_sa(void)
{
	struct fg_device *d = dev_open();
	uint8_t req[40] = { 0 };
	struct offload_sa sa;
	struct res r;

	CU_ASSERT_EQUAL(encap(d, 3, 1, 4, req, 40, &r), FGP_STATUS_NO_SA);
	CU_ASSERT_EQUAL(encap(d, 256, 2, 4, req, 40, &r), FGP_STATUS_NO_SA);
	CU_ASSERT_EQUAL(encap(d, FGP_SA_NONE, 3, 4, req, 40, &r), FGP_STATUS_NO_SA);
	CU_ASSERT_EQUAL(decap(d, 300, 4, req, 40, &r), FGP_STATUS_NO_SA);
	CU_ASSERT_EQUAL(decap(d, 255, 5, req, 40, &r), FGP_STATUS_NO_SA);
	CU_ASSERT_EQUAL(xact(d, FGP_TYPE_COUNTERS, 3, 6, 0, NULL, 0, &r), FGP_STATUS_NO_SA);
	CU_ASSERT_EQUAL(xact(d, FGP_TYPE_COUNTERS, 999, 6, 0, NULL, 0, &r), FGP_STATUS_NO_SA);
	CU_ASSERT_EQUAL(xact(d, FGP_TYPE_SA_CLEAR, 3, 7, 0, NULL, 0, &r), FGP_STATUS_NO_SA);
	CU_ASSERT_EQUAL(xact(d, FGP_TYPE_SA_CLEAR, 256, 7, 0, NULL, 0, &r), FGP_STATUS_NO_SA);
	sa = mk_sa(256, false, false, FGP_CIPHER_DES_CBC, FGP_AUTH_HMAC_SHA1);
	CU_ASSERT_EQUAL(load(d, &sa), FGP_STATUS_NO_SA);
	sa.index = 255;         /* the last slot exists */
	CU_ASSERT_EQUAL(load(d, &sa), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(xact(d, FGP_TYPE_SA_CLEAR, 255, 8, 0, NULL, 0, &r), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(encap(d, 255, 9, 4, req, 40, &r), FGP_STATUS_NO_SA);
	/* Only packets count in STATS.NO_SA. */
	CU_ASSERT_EQUAL(stats(d).no_sa, 6);
	d->ops->close(d);
}

static void test_wrong_dir_and_spi(void)
{
	struct fg_device *d = dev_open();
	uint8_t pkt[200], req[60];
	struct offload_counters c;
	struct res r;
	size_t len;

	load_pair(d, false, FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1, false);
	len = esp_packet(d, FGP_CIPHER_TDES_CBC, 20, pkt);
	CU_ASSERT_EQUAL(decap(d, OUTBOUND, 1, pkt, len, &r), FGP_STATUS_WRONG_DIR);
	CU_ASSERT_EQUAL(encap(d, INBOUND, 2, 4, pkt, 16, &r), FGP_STATUS_WRONG_DIR);
	pkt[3] ^= 1;
	CU_ASSERT_EQUAL(decap(d, INBOUND, 3, pkt, len, &r), FGP_STATUS_SPI_MISMATCH);
	/* SPI before length: a short packet with a wrong SPI. */
	CU_ASSERT_EQUAL(decap(d, INBOUND, 4, pkt, 10, &r), FGP_STATUS_SPI_MISMATCH);
	pkt[3] ^= 1;
	CU_ASSERT_EQUAL(decap(d, INBOUND, 5, pkt, len, &r), FGP_STATUS_OK);
	c = counters(d, OUTBOUND);
	CU_ASSERT_EQUAL(c.other_err, 1);
	CU_ASSERT_EQUAL(c.packets, 1);
	c = counters(d, INBOUND);
	CU_ASSERT_EQUAL(c.other_err, 3);
	CU_ASSERT_EQUAL(c.packets, 1);
	d->ops->close(d);

	/* AH: SPI at IHL x 4 + 4. */
	d = dev_open();
	load_pair(d, true, FGP_CIPHER_NULL, FGP_AUTH_HMAC_SHA1, false);
	ip_header(req, 6, 24 + 24 + 4);
	fill(req + 24, 4);
	CU_ASSERT_EQUAL_FATAL(encap(d, OUTBOUND, 1, 4, req, 28, &r), FGP_STATUS_OK);
	memcpy(pkt, r.p, 52);
	CU_ASSERT_EQUAL(frame_get32(pkt + 28), 0xc0ffee01);
	CU_ASSERT_EQUAL(decap(d, OUTBOUND, 2, pkt, 52, &r), FGP_STATUS_WRONG_DIR);
	CU_ASSERT_EQUAL(encap(d, INBOUND, 3, 4, req, 28, &r), FGP_STATUS_WRONG_DIR);
	pkt[31] ^= 0x10;
	CU_ASSERT_EQUAL(decap(d, INBOUND, 4, pkt, 52, &r), FGP_STATUS_SPI_MISMATCH);
	pkt[31] ^= 0x10;
	CU_ASSERT_EQUAL(decap(d, INBOUND, 5, pkt, 52, &r), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(counters(d, INBOUND).other_err, 2);
	d->ops->close(d);
}

static void test_bad_length_esp(void)
{
	struct fg_device *d = dev_open();
	uint8_t pkt[200];
	struct offload_counters c;
	struct res r;
	size_t len, errs = 0;

	/* 3DES-SHA1: SPI 4 + seq 4 + IV 8 + one block 8 + ICV 12 = 36. */
	load_pair(d, false, FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1, false);
	len = esp_packet(d, FGP_CIPHER_TDES_CBC, 0, pkt);
	CU_ASSERT_EQUAL(len, 36);
	for (size_t l = 0; l < 36; l++) {
		CU_ASSERT_EQUAL(decap(d, INBOUND, (uint32_t)l, pkt, l, &r), FGP_STATUS_BAD_LENGTH);
		errs++;
	}
	memset(pkt + 36, 0, 8);
	for (size_t l = 37; l < 44; l++) {
		CU_ASSERT_EQUAL(decap(d, INBOUND, (uint32_t)l, pkt, l, &r), FGP_STATUS_BAD_LENGTH);
		errs++;
	}
	/* A whole number of blocks passes the length check, fails the ICV. */
	CU_ASSERT_EQUAL(decap(d, INBOUND, 44, pkt, 44, &r), FGP_STATUS_AUTH_FAIL);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 45, pkt, 36, &r), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(r.h.length, 0);
	/* ENCAP without its IV. */
	for (size_t l = 0; l < 8; l++) {
		CU_ASSERT_EQUAL(encap(d, OUTBOUND, (uint32_t)l, 4, pkt, l, &r), FGP_STATUS_BAD_LENGTH);
	}
	CU_ASSERT_EQUAL(encap(d, OUTBOUND, 8, 4, pkt, 8, &r), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(r.h.aux, 2);    /* the failures took no sequence number */
	c = counters(d, INBOUND);
	CU_ASSERT_EQUAL(c.other_err, errs);
	CU_ASSERT_EQUAL(c.auth_fail, 1);
	CU_ASSERT_EQUAL(counters(d, OUTBOUND).other_err, 8);
	d->ops->close(d);

	/* NULL-SHA1: 8 + 4 + 12 = 24 minimum, 4-byte units. */
	d = dev_open();
	load_pair(d, false, FGP_CIPHER_NULL, FGP_AUTH_HMAC_SHA1, false);
	len = esp_packet(d, FGP_CIPHER_NULL, 2, pkt);
	CU_ASSERT_EQUAL(len, 24);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 1, pkt, 23, &r), FGP_STATUS_BAD_LENGTH);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 2, pkt, 26, &r), FGP_STATUS_BAD_LENGTH);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 3, pkt, 24, &r), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(encap(d, OUTBOUND, 4, 4, pkt, 0, &r), FGP_STATUS_OK);  /* no IV */
	CU_ASSERT_EQUAL(r.h.length, 24);
	d->ops->close(d);

	/* DES, no ICV: 8 + 8 + 8 = 24 minimum. */
	d = dev_open();
	load_pair(d, false, FGP_CIPHER_DES_CBC, FGP_AUTH_NONE, false);
	len = esp_packet(d, FGP_CIPHER_DES_CBC, 6, pkt);
	CU_ASSERT_EQUAL(len, 24);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 1, pkt, 23, &r), FGP_STATUS_BAD_LENGTH);
	CU_ASSERT_EQUAL(decap(d, INBOUND, 2, pkt, 24, &r), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(r.h.length, 6);
	d->ops->close(d);
}

static void test_bad_length_ah(void)
{
	struct fg_device *d = dev_open();
	uint8_t req[100], pkt[100];
	struct res r;
	size_t l;

	load_pair(d, true, FGP_CIPHER_NULL, FGP_AUTH_HMAC_SHA1, false);
	ip_header(req, 5, 20 + 24 + 8);
	fill(req + 20, 8);
	for (l = 0; l < 20; l++)
		CU_ASSERT_EQUAL(encap(d, OUTBOUND, (uint32_t)l, 4, req, l, &r), FGP_STATUS_BAD_LENGTH);
	req[0] = 0x44;          /* IHL 4 */
	CU_ASSERT_EQUAL(encap(d, OUTBOUND, 20, 4, req, 28, &r), FGP_STATUS_BAD_LENGTH);
	req[0] = 0x4f;          /* IHL 15: 60 bytes, more than the packet */
	CU_ASSERT_EQUAL(encap(d, OUTBOUND, 21, 4, req, 28, &r), FGP_STATUS_BAD_LENGTH);
	req[0] = 0x45;
	CU_ASSERT_EQUAL(encap(d, OUTBOUND, 22, 4, req, 20, &r), FGP_STATUS_OK);  /* no data */
	CU_ASSERT_EQUAL(r.h.aux, 1);
	CU_ASSERT_EQUAL(encap(d, OUTBOUND, 23, 4, req, 28, &r), FGP_STATUS_OK);
	memcpy(pkt, r.p, 52);
	CU_ASSERT_EQUAL(counters(d, OUTBOUND).other_err, 22);

	for (l = 0; l < 44; l++)
		CU_ASSERT_EQUAL(decap(d, INBOUND, (uint32_t)l, pkt, l, &r), FGP_STATUS_BAD_LENGTH);
	pkt[21] = 5;            /* AH payload length must be 4 */
	CU_ASSERT_EQUAL(decap(d, INBOUND, 44, pkt, 52, &r), FGP_STATUS_BAD_LENGTH);
	pkt[21] = 4;
	pkt[0] = 0x46;          /* IHL 6: the SPI is elsewhere now */
	CU_ASSERT_EQUAL(decap(d, INBOUND, 45, pkt, 52, &r), FGP_STATUS_SPI_MISMATCH);
	pkt[0] = 0x43;
	CU_ASSERT_EQUAL(decap(d, INBOUND, 46, pkt, 52, &r), FGP_STATUS_BAD_LENGTH);
	pkt[0] = 0x45;
	CU_ASSERT_EQUAL(decap(d, INBOUND, 47, pkt, 52, &r), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(r.h.length, 28);
	CU_ASSERT_EQUAL(counters(d, INBOUND).other_err, 47);
	d->ops->close(d);
}

static void test_seq_overflow(void)
{
	static const bool ah[] = { false, true };
	uint8_t req[64], pkt[128];
	struct offload_counters c;
	struct offload_sa sa;
	struct res r;
	size_t i, len;

	for (i = 0; i < 2; i++) {
		struct fg_device *d = dev_open();

		sa = mk_sa(OUTBOUND, false, ah[i], ah[i] ? FGP_CIPHER_NULL : FGP_CIPHER_TDES_CBC,
			   FGP_AUTH_HMAC_SHA1);
		sa.seq = 0xffffffff;
		CU_ASSERT_EQUAL_FATAL(load(d, &sa), FGP_STATUS_OK);
		sa.index = INBOUND;
		sa.inbound = true;
		sa.replay_window = 64;
		CU_ASSERT_EQUAL_FATAL(load(d, &sa), FGP_STATUS_OK);
		c = counters(d, OUTBOUND);
		CU_ASSERT_EQUAL(c.seq, 0xfffffffe);     /* next - 1 before any packet */
		ip_header(req, 5, 20 + 24 + 16);
		len = 36;
		CU_ASSERT_EQUAL(encap(d, OUTBOUND, 1, 4, req, len, &r), FGP_STATUS_OK);
		CU_ASSERT_EQUAL(r.h.aux, 0xffffffff);
		memcpy(pkt, r.p, r.h.length);
		len = r.h.length;
		CU_ASSERT_EQUAL(encap(d, OUTBOUND, 2, 4, req, 36, &r), FGP_STATUS_SEQ_OVERFLOW);
		CU_ASSERT_EQUAL(encap(d, OUTBOUND, 3, 4, req, 36, &r), FGP_STATUS_SEQ_OVERFLOW);
		c = counters(d, OUTBOUND);
		CU_ASSERT_EQUAL(c.packets, 1);
		CU_ASSERT_EQUAL(c.other_err, 2);
		CU_ASSERT_EQUAL(c.seq, 0xffffffff);
		CU_ASSERT_EQUAL(decap(d, INBOUND, 4, pkt, len, &r), FGP_STATUS_OK);
		CU_ASSERT_EQUAL(counters(d, INBOUND).seq, 0xffffffff);
		/* Reloading the slot (a rekey) starts again. */
		sa = mk_sa(OUTBOUND, false, ah[i], ah[i] ? FGP_CIPHER_NULL : FGP_CIPHER_TDES_CBC,
			   FGP_AUTH_HMAC_SHA1);
		CU_ASSERT_EQUAL_FATAL(load(d, &sa), FGP_STATUS_OK);
		CU_ASSERT_EQUAL(encap(d, OUTBOUND, 5, 4, req, 36, &r), FGP_STATUS_OK);
		CU_ASSERT_EQUAL(r.h.aux, 1);
		d->ops->close(d);
	}
}

static void test_bad_sa(void)
{
	enum { REF = FGP_SA_SIZE };
	static const struct {
		size_t off;
		uint8_t val;
		uint8_t want;
	} t[] = {
		{ FGP_SA_CIPHER_OFF, 3, FGP_STATUS_BAD_SA },
		{ FGP_SA_CIPHER_OFF, 0xff, FGP_STATUS_BAD_SA },
		{ FGP_SA_AUTH_OFF, 3, FGP_STATUS_BAD_SA },
		{ FGP_SA_FLAGS_OFF, 0x08, FGP_STATUS_BAD_SA },
		{ FGP_SA_FLAGS_OFF, 0x81, FGP_STATUS_BAD_SA },
		{ FGP_SA_RESERVED_OFF, 1, FGP_STATUS_BAD_SA },
		{ FGP_SA_RESERVED2_OFF + 1, 1, FGP_STATUS_BAD_SA },
		{ FGP_SA_RESERVED3_OFF + 3, 0x80, FGP_STATUS_BAD_SA },
		{ FGP_SA_REPLAY_WINDOW_OFF + 1, 65, FGP_STATUS_BAD_SA },
		{ FGP_SA_REPLAY_WINDOW_OFF, 1, FGP_STATUS_BAD_SA },     /* 256 */
		{ FGP_SA_REPLAY_WINDOW_OFF + 1, 63, FGP_STATUS_OK },
		{ FGP_SA_FLAGS_OFF, FGP_SAFLAG_AH, FGP_STATUS_BAD_SA },  /* AH with 3DES */
		{ FGP_SA_AUTH_OFF, FGP_AUTH_NONE, FGP_STATUS_OK },      /* ESP 3DES, no ICV */
		{ FGP_SA_CIPHER_OFF, FGP_CIPHER_NULL, FGP_STATUS_OK },
		{ FGP_SA_FLAGS_OFF, 7, FGP_STATUS_BAD_SA },
	};
	struct fg_device *d = dev_open();
	uint8_t good[REF], buf[REF], req[16] = { 0 };
	struct offload_sa sa = mk_sa(4, false, false, FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1);
	struct res r;
	size_t i;

	CU_ASSERT_EQUAL_FATAL(frame_sa_put(good, &sa), 0);
	CU_ASSERT_EQUAL_FATAL(load_raw(d, 4, good, REF), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(encap(d, 4, 1, 4, req, 8, &r), FGP_STATUS_OK);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memcpy(buf, good, REF);
		buf[t[i].off] = t[i].val;
		if (load_raw(d, 5, buf, REF) != t[i].want) {
			CU_FAIL("SA_LOAD status");
			fprintf(stderr, "bad SA row %zu\n", i);
		}
	}
	/* AH without an ICV, ESP with neither cipher nor ICV. */
	sa = mk_sa(5, false, true, FGP_CIPHER_NULL, FGP_AUTH_NONE);
	CU_ASSERT_EQUAL(load(d, &sa), FGP_STATUS_BAD_SA);
	sa = mk_sa(5, false, false, FGP_CIPHER_NULL, FGP_AUTH_NONE);
	CU_ASSERT_EQUAL(load(d, &sa), FGP_STATUS_BAD_SA);
	/* Wrong lengths are MALFORMED, checked before the slot. */
	CU_ASSERT_EQUAL(load_raw(d, 4, good, REF - 1), FGP_STATUS_MALFORMED);
	CU_ASSERT_EQUAL(load_raw(d, 4, good, 0), FGP_STATUS_MALFORMED);
	CU_ASSERT_EQUAL(load_raw(d, 999, good, REF - 1), FGP_STATUS_MALFORMED);
	/* Refused loads over slot 4 leave the SA in place and running. */
	memcpy(buf, good, REF);
	buf[FGP_SA_CIPHER_OFF] = 9;
	CU_ASSERT_EQUAL(load_raw(d, 4, buf, REF), FGP_STATUS_BAD_SA);
	CU_ASSERT_EQUAL(encap(d, 4, 2, 4, req, 8, &r), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(r.h.aux, 2);
	/* A good load over it restarts sequence and counters. */
	CU_ASSERT_EQUAL(load_raw(d, 4, good, REF), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(counters(d, 4).packets, 0);
	CU_ASSERT_EQUAL(encap(d, 4, 3, 4, req, 8, &r), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(r.h.aux, 1);
	CU_ASSERT_EQUAL(stats(d).malformed, 3);
	d->ops->close(d);
}

/* ---- framing: resync, TOO_BIG, unknown types, control lengths ---- */

static void test_resync(void)
{
	struct fg_device *d = dev_open();
	static const uint8_t junk[24] = {
		0xfb, 0x01, 0x01, 0x00, 0x00, 0x00, 0xff, 0xff,
		0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
		0xfa, 0x01, 0x01, 0x00, 0x08, 0x01, 0xff, 0xff,  /* LENGTH 2049: no header */
	};
	struct frame_hdr h = { .type = FGP_TYPE_CAPS, .sa = FGP_SA_NONE, .tag = 42 };
	struct offload_stats s;
	uint8_t caps[16];
	struct res r;
	size_t n = 16;

	CU_ASSERT_EQUAL_FATAL(frame_encode(caps, sizeof(caps), &h, NULL, 0), 16);
	/* Bad magic, then a CAPS frame that still works. */
	dev_write_all(d, junk, 16);
	dev_write_all(d, caps, n);
	CU_ASSERT_EQUAL_FATAL(dev_recv(d, &r), 1);
	CU_ASSERT_EQUAL(r.h.type, 0xff);
	CU_ASSERT_EQUAL(r.h.status, FGP_STATUS_MALFORMED);
	CU_ASSERT_EQUAL(r.h.tag, 0);
	CU_ASSERT_EQUAL(r.h.sa, FGP_SA_NONE);
	CU_ASSERT_EQUAL(r.h.length, 0);
	CU_ASSERT_EQUAL_FATAL(dev_recv(d, &r), 1);
	CU_ASSERT_EQUAL(r.h.type, FGP_TYPE_CAPS | FGP_RESULT_BIT);
	CU_ASSERT_EQUAL(r.h.status, FGP_STATUS_OK);
	CU_ASSERT_EQUAL(r.h.tag, 42);
	CU_ASSERT_EQUAL(dev_recv(d, &r), 0);
	s = stats(d);
	CU_ASSERT_EQUAL(s.resync_bytes, 16);
	CU_ASSERT_EQUAL(s.malformed, 1);
	CU_ASSERT_EQUAL(s.frames_in, 2);        /* CAPS and STATS */
	CU_ASSERT_EQUAL(s.frames_out, 2);       /* ERROR and CAPS */

	/* Three bad words (one a header with LENGTH over the limit): still
	 * one ERROR only. Bad version too. */
	dev_write_all(d, junk, 24);
	dev_write_all(d, caps, n);
	CU_ASSERT_EQUAL_FATAL(dev_recv(d, &r), 1);
	CU_ASSERT_EQUAL(r.h.type, 0xff);
	CU_ASSERT_EQUAL_FATAL(dev_recv(d, &r), 1);
	CU_ASSERT_EQUAL(r.h.type, 0x81);
	CU_ASSERT_EQUAL(dev_recv(d, &r), 0);
	caps[1] = 2;
	dev_write_all(d, caps, n);
	caps[1] = 1;
	dev_write_all(d, caps, n);
	CU_ASSERT_EQUAL_FATAL(dev_recv(d, &r), 1);
	CU_ASSERT_EQUAL(r.h.type, 0xff);
	CU_ASSERT_EQUAL_FATAL(dev_recv(d, &r), 1);
	CU_ASSERT_EQUAL(r.h.type, 0x81);
	CU_ASSERT_EQUAL(r.h.tag, 42);
	s = stats(d);
	CU_ASSERT_EQUAL(s.resync_bytes, 16 + 24 + 16);
	CU_ASSERT_EQUAL(s.malformed, 3);

	/* Four stray bytes put frames off the 8-byte grid: the device finds
	 * no header until four more bring the stream back onto it. */
	dev_write_all(d, junk + 8, 4);
	dev_write_all(d, caps, n);
	dev_write_all(d, junk + 8, 4);
	dev_write_all(d, caps, n);
	CU_ASSERT_EQUAL_FATAL(dev_recv(d, &r), 1);
	CU_ASSERT_EQUAL(r.h.type, 0xff);
	CU_ASSERT_EQUAL_FATAL(dev_recv(d, &r), 1);
	CU_ASSERT_EQUAL(r.h.type, 0x81);
	CU_ASSERT_EQUAL(dev_recv(d, &r), 0);
	s = stats(d);
	CU_ASSERT_EQUAL(s.resync_bytes, 16 + 24 + 16 + 24);
	CU_ASSERT_EQUAL(s.malformed, 4);
	d->ops->close(d);
}

static void test_too_big(void)
{
	struct fg_device *d = dev_open();
	struct frame_hdr h = { .type = FGP_TYPE_ENCAP, .sa = 1, .tag = 9 };
	struct offload_stats s;
	struct res r;
	size_t n, off;
	long len;

	/* LENGTH 2049: the payload (full of CAPS frames) is skipped. */
	{
		static uint8_t payload[65535];
		struct frame_hdr caps = { .type = FGP_TYPE_CAPS, .sa = FGP_SA_NONE, .tag = 5 };

		for (off = 0; off + 16 <= sizeof(payload); off += 16)
			CU_ASSERT_EQUAL_FATAL(frame_encode(payload + off, 16, &caps, NULL, 0), 16);
		len = frame_encode(frame_buf, BIG, &h, payload, 2049);
		CU_ASSERT_EQUAL_FATAL(len, 16 + 2056);
		dev_write_all(d, frame_buf, (size_t)len);
		CU_ASSERT_EQUAL_FATAL(dev_recv(d, &r), 1);
		CU_ASSERT_EQUAL(r.h.type, FGP_TYPE_ENCAP | FGP_RESULT_BIT);
		CU_ASSERT_EQUAL(r.h.status, FGP_STATUS_TOO_BIG);
		CU_ASSERT_EQUAL(r.h.tag, 9);
		CU_ASSERT_EQUAL(r.h.sa, 1);
		CU_ASSERT_EQUAL(dev_recv(d, &r), 0);
		/* The largest LENGTH, written a byte at a time at the end. */
		h.type = 0x42;
		len = frame_encode(frame_buf, BIG, &h, payload, 65535);
		CU_ASSERT_EQUAL_FATAL(len, 16 + 65536);
		dev_write_all(d, frame_buf, (size_t)len - 5);
		CU_ASSERT_EQUAL(dev_recv(d, &r), 0);
		for (n = (size_t)len - 5; n < (size_t)len; n++)
			dev_write_all(d, frame_buf + n, 1);
		CU_ASSERT_EQUAL_FATAL(dev_recv(d, &r), 1);
		CU_ASSERT_EQUAL(r.h.type, 0x42 | FGP_RESULT_BIT);
		CU_ASSERT_EQUAL(r.h.status, FGP_STATUS_TOO_BIG);
	}
	/* MAX_PAYLOAD itself is fine. */
	n = build(FGP_TYPE_DECAP, 7, 10, 0, frame_buf + 4096, 2048);
	CU_ASSERT_EQUAL(n, 16 + 2048);
	dev_write_all(d, frame_buf, n);
	CU_ASSERT_EQUAL_FATAL(dev_recv(d, &r), 1);
	CU_ASSERT_EQUAL(r.h.status, FGP_STATUS_NO_SA);
	CU_ASSERT_EQUAL(xact(d, FGP_TYPE_CAPS, FGP_SA_NONE, 11, 0, NULL, 0, &r), FGP_STATUS_OK);
	s = stats(d);
	CU_ASSERT_EQUAL(s.frames_in, 5);
	CU_ASSERT_EQUAL(s.malformed, 0);
	CU_ASSERT_EQUAL(s.resync_bytes, 0);
	d->ops->close(d);
}

static void test_unknown_type(void)
{
	static const uint8_t types[] = { 0x00, 0x09, 0x7f, 0x80, 0x85, 0xff };
	static const uint8_t payload[3] = { 0xfa, 0x01, 0x01 };
	struct fg_device *d = dev_open();
	struct res r;
	size_t i;

	for (i = 0; i < sizeof(types); i++) {
		CU_ASSERT_EQUAL(xact(d, types[i], 12, 100 + (uint32_t)i, 0x77, payload, 3, &r),
				FGP_STATUS_MALFORMED);
		CU_ASSERT_EQUAL(xact(d, FGP_TYPE_CAPS, FGP_SA_NONE, 200 + (uint32_t)i, 0, NULL, 0,
				     &r), FGP_STATUS_OK);
	}
	CU_ASSERT_EQUAL(stats(d).malformed, sizeof(types));
	d->ops->close(d);
}

static void test_control_lengths(void)
{
	static const uint8_t types[] = {
		FGP_TYPE_CAPS, FGP_TYPE_RESET, FGP_TYPE_SA_CLEAR, FGP_TYPE_COUNTERS, FGP_TYPE_STATS,
	};
	struct fg_device *d = dev_open();
	struct offload_sa sa = mk_sa(OUTBOUND, false, false, FGP_CIPHER_DES_CBC, FGP_AUTH_HMAC_MD5);
	uint8_t payload[8] = { 0 };
	struct res r;
	size_t i;

	CU_ASSERT_EQUAL_FATAL(load(d, &sa), FGP_STATUS_OK);
	for (i = 0; i < sizeof(types); i++)
		CU_ASSERT_EQUAL(xact(d, types[i], OUTBOUND, (uint32_t)i, 0, payload, 1 + i, &r),
				FGP_STATUS_MALFORMED);
	/* Neither the bad RESET nor the bad SA_CLEAR acted. */
	CU_ASSERT_EQUAL(counters(d, OUTBOUND).packets, 0);
	CU_ASSERT_EQUAL(stats(d).malformed, sizeof(types));
	d->ops->close(d);
}

static void test_reset_and_stats(void)
{
	struct fg_device *d = dev_open();
	struct offload_sa sa = mk_sa(OUTBOUND, false, false, FGP_CIPHER_DES_CBC, FGP_AUTH_HMAC_MD5);
	uint8_t req[8] = { 0 };
	struct offload_stats s;
	struct res r;

	CU_ASSERT_EQUAL(xact(d, FGP_TYPE_CAPS, FGP_SA_NONE, 1, 0, NULL, 0, &r), FGP_STATUS_OK);
	s = stats(d);
	CU_ASSERT(s.frames_in == 2 && s.frames_out == 1 && s.malformed == 0 && s.no_sa == 0);
	CU_ASSERT_EQUAL(load(d, &sa), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(encap(d, OUTBOUND, 2, 4, req, 8, &r), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(encap(d, 9, 3, 4, req, 8, &r), FGP_STATUS_NO_SA);
	s = stats(d);
	CU_ASSERT(s.frames_in == 6 && s.frames_out == 5 && s.no_sa == 1);
	CU_ASSERT_EQUAL(xact(d, FGP_TYPE_RESET, FGP_SA_NONE, 4, 0, NULL, 0, &r), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(r.h.length, 0);
	/* RESET cleared everything before its own result was counted. */
	s = stats(d);
	CU_ASSERT(s.frames_in == 1 && s.frames_out == 1 && s.no_sa == 0);
	CU_ASSERT_EQUAL(encap(d, OUTBOUND, 5, 4, req, 8, &r), FGP_STATUS_NO_SA);
	CU_ASSERT_EQUAL(xact(d, FGP_TYPE_COUNTERS, OUTBOUND, 6, 0, NULL, 0, &r), FGP_STATUS_NO_SA);
	d->ops->close(d);
}

/* ---- byte streams ---- */

static void put(uint8_t *s, size_t *n, uint8_t type, uint16_t slot, uint32_t tag, uint32_t aux,
		const uint8_t *p, size_t len)
{
	struct frame_hdr h = { .type = type, .sa = slot, .tag = tag, .aux = aux };
	long size = frame_encode(s + *n, BIG - *n, &h, p, len);

	CU_ASSERT_FATAL(size > 0);
	*n += (size_t)size;
}

/* A stream of every kind of frame, good and bad. */
static size_t make_stream(uint8_t *s)
{
	struct offload_sa sa = mk_sa(OUTBOUND, false, false, FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1);
	uint8_t layout[FGP_SA_SIZE], req[64], pkt[128], payload[2100];
	struct fg_device *d = dev_open();
	struct res r;
	size_t n = 0, plen;

	/* A packet for the inbound SA, made on another device. */
	CU_ASSERT_EQUAL_FATAL(load(d, &sa), FGP_STATUS_OK);
	fill(req, sizeof(req));
	CU_ASSERT_EQUAL_FATAL(encap(d, OUTBOUND, 0, 4, req, 45, &r), FGP_STATUS_OK);
	plen = r.h.length;
	memcpy(pkt, r.p, plen);
	d->ops->close(d);

	frame_sa_put(layout, &sa);
	put(s, &n, FGP_TYPE_SA_LOAD, OUTBOUND, 1, 0, layout, sizeof(layout));
	sa.inbound = true;
	sa.replay_window = 32;
	frame_sa_put(layout, &sa);
	put(s, &n, FGP_TYPE_SA_LOAD, INBOUND, 2, 0, layout, sizeof(layout));
	put(s, &n, FGP_TYPE_ENCAP, OUTBOUND, 3, 4, req, 45);
	put(s, &n, FGP_TYPE_DECAP, INBOUND, 4, 0, pkt, plen);
	memcpy(s + n, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f", 16);
	n += 16;
	put(s, &n, FGP_TYPE_CAPS, FGP_SA_NONE, 5, 0, NULL, 0);
	memset(payload, 0xfa, sizeof(payload));
	put(s, &n, FGP_TYPE_ENCAP, OUTBOUND, 6, 4, payload, 2060);
	put(s, &n, 0x42, 3, 7, 0, payload, 5);
	put(s, &n, FGP_TYPE_COUNTERS, OUTBOUND, 8, 0, NULL, 0);
	put(s, &n, FGP_TYPE_DECAP, INBOUND, 9, 0, pkt, plen);     /* replay */
	put(s, &n, FGP_TYPE_STATS, FGP_SA_NONE, 10, 0, NULL, 0);
	put(s, &n, FGP_TYPE_SA_CLEAR, OUTBOUND, 11, 0, NULL, 0);
	put(s, &n, FGP_TYPE_ENCAP, OUTBOUND, 12, 4, req, 45);
	return n;
}

static void test_stream_splits(void)
{
	static const struct {
		uint8_t type, status;
	} want[] = {
		{ 0x83, FGP_STATUS_OK }, { 0x83, FGP_STATUS_OK }, { 0x85, FGP_STATUS_OK },
		{ 0x86, FGP_STATUS_OK }, { 0xff, FGP_STATUS_MALFORMED }, { 0x81, FGP_STATUS_OK },
		{ 0x85, FGP_STATUS_TOO_BIG }, { 0xc2, FGP_STATUS_MALFORMED }, { 0x87, FGP_STATUS_OK },
		{ 0x86, FGP_STATUS_REPLAY }, { 0x88, FGP_STATUS_OK }, { 0x84, FGP_STATUS_OK },
		{ 0x85, FGP_STATUS_NO_SA },
	};
	uint8_t *stream = malloc(BIG), *ref = malloc(BIG), *out = malloc(BIG);
	struct offload_stats st;
	struct frame_hdr h;
	size_t n, ref_len, out_len, k, off, i, bad = 0;
	struct fg_device *d;

	CU_ASSERT_FATAL(stream && ref && out);
	n = make_stream(stream);
	d = dev_open();
	dev_write_all(d, stream, n);
	ref_len = dev_read_all(d, ref, BIG);
	d->ops->close(d);

	/* The reference itself is what the protocol says. */
	for (off = 0, i = 0; off < ref_len; i++) {
		CU_ASSERT_EQUAL_FATAL(frame_hdr_get(ref + off, ref_len - off, &h), 0);
		CU_ASSERT_FATAL(i < sizeof(want) / sizeof(want[0]));
		CU_ASSERT_EQUAL(h.type, want[i].type);
		CU_ASSERT_EQUAL(h.status, want[i].status);
		if (h.type == 0x88) {
			CU_ASSERT_EQUAL(frame_stats_get(ref + off + 16, h.length, &st), 0);
			CU_ASSERT_EQUAL(st.frames_in, 10);
			CU_ASSERT_EQUAL(st.frames_out, 10);
			CU_ASSERT_EQUAL(st.malformed, 2);
			CU_ASSERT_EQUAL(st.resync_bytes, 16);
		}
		off += frame_size(h.length);
	}
	CU_ASSERT_EQUAL(i, sizeof(want) / sizeof(want[0]));
	CU_ASSERT_EQUAL(off, ref_len);

	/* Split in two at every position. */
	for (k = 0; k <= n; k++) {
		d = dev_open();
		dev_write_all(d, stream, k);
		out_len = dev_read_all(d, out, BIG);
		dev_write_all(d, stream + k, n - k);
		out_len += dev_read_all(d, out + out_len, BIG - out_len);
		bad += out_len != ref_len || memcmp(out, ref, ref_len) != 0;
		d->ops->close(d);
	}
	CU_ASSERT_EQUAL(bad, 0);
	/* One byte at a time, reading after each. */
	d = dev_open();
	for (k = 0, out_len = 0; k < n; k++) {
		dev_write_all(d, stream + k, 1);
		out_len += dev_read_all(d, out + out_len, BIG - out_len);
	}
	CU_ASSERT_EQUAL(out_len, ref_len);
	CU_ASSERT_EQUAL(memcmp(out, ref, ref_len), 0);
	d->ops->close(d);
	free(stream);
	free(ref);
	free(out);
}

/* One SA's ENCAPs in one burst run on several workers at once: each gets
 * its sequence number in request order, a refused one (too short) takes
 * none, results leave in request order, each decapsulates back, and the
 * counters are those of a serial device. */
static void test_one_sa_burst(void)
{
	enum { N = 60, BAD = 20 };
	static uint8_t stream[N * 1600], pkts[N][1600];
	struct fg_device *d = dev_open();
	uint8_t data[1400], req[1500];
	struct offload_counters c;
	size_t n = 0, lens[N], i;
	uint32_t seq = 0;
	struct res r;

	load_pair(d, false, FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1, false);
	for (i = 0; i < N; i++) {
		size_t len = i == BAD ? 5 : 8 + 100 + (i * 37) % 1300;

		fill(req, len);
		put(stream, &n, FGP_TYPE_ENCAP, OUTBOUND, (uint32_t)i + 1, 4, req, len);
	}
	dev_write_all(d, stream, n);
	for (i = 0; i < N; i++) {
		CU_ASSERT_EQUAL_FATAL(dev_recv(d, &r), 1);
		CU_ASSERT_EQUAL(r.h.tag, i + 1);
		if (i == BAD) {
			CU_ASSERT_EQUAL(r.h.status, FGP_STATUS_BAD_LENGTH);
			continue;
		}
		CU_ASSERT_EQUAL_FATAL(r.h.status, FGP_STATUS_OK);
		CU_ASSERT_EQUAL(r.h.aux, ++seq);
		memcpy(pkts[i], r.p, r.h.length);
		lens[i] = r.h.length;
	}
	CU_ASSERT_EQUAL(dev_recv(d, &r), 0);
	c = counters(d, OUTBOUND);
	CU_ASSERT_EQUAL(c.packets, N - 1);
	CU_ASSERT_EQUAL(c.other_err, 1);
	CU_ASSERT_EQUAL(c.seq, N - 1);
	for (i = 0; i < N; i++) {
		if (i == BAD)
			continue;
		CU_ASSERT_EQUAL(decap(d, INBOUND, 1000 + (uint32_t)i, pkts[i], lens[i], &r),
				FGP_STATUS_OK);
		CU_ASSERT(r.h.length >= 100 && r.h.length <= sizeof(data));
	}
	CU_ASSERT_EQUAL(counters(d, INBOUND).packets, N - 1);
	d->ops->close(d);
}

/* One SA's DECAPs in one burst, on several workers: the anti-replay check
 * still happens in request order. The burst holds every packet of an
 * encapsulated run, then a duplicate (REPLAY), a corrupted packet
 * (AUTH_FAIL, window unchanged), the corrupted one again after its good
 * twin (REPLAY wins over AUTH_FAIL) and a duplicate of the first. */
static void test_one_sa_decap_burst(void)
{
	enum { N = 40 };
	static uint8_t stream[(N + 4) * 1700], pkts[N][1600];
	static const uint8_t want_tail[4] = { FGP_STATUS_REPLAY, FGP_STATUS_AUTH_FAIL,
					      FGP_STATUS_REPLAY, FGP_STATUS_REPLAY };
	struct fg_device *d = dev_open();
	uint8_t req[1500], bad[1600];
	size_t n = 0, lens[N], i;
	struct offload_counters c;
	struct res r;

	load_pair(d, false, FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1, false);
	for (i = 0; i < N; i++) {
		size_t len = 8 + 64 + (i * 53) % 1300;

		fill(req, len);
		CU_ASSERT_EQUAL_FATAL(encap(d, OUTBOUND, (uint32_t)i + 1, 4, req, len, &r),
				      FGP_STATUS_OK);
		memcpy(pkts[i], r.p, r.h.length);
		lens[i] = r.h.length;
	}
	/* Packet N-1 corrupted, sent before its good twin. */
	memcpy(bad, pkts[N - 1], lens[N - 1]);
	bad[lens[N - 1] - 1] ^= 1;
	for (i = 0; i + 1 < N; i++)
		put(stream, &n, FGP_TYPE_DECAP, INBOUND, (uint32_t)i + 1, 0, pkts[i], lens[i]);
	put(stream, &n, FGP_TYPE_DECAP, INBOUND, 100, 0, pkts[5], lens[5]);
	put(stream, &n, FGP_TYPE_DECAP, INBOUND, 101, 0, bad, lens[N - 1]);
	put(stream, &n, FGP_TYPE_DECAP, INBOUND, 102, 0, pkts[N - 1], lens[N - 1]);
	put(stream, &n, FGP_TYPE_DECAP, INBOUND, 103, 0, bad, lens[N - 1]);
	put(stream, &n, FGP_TYPE_DECAP, INBOUND, 104, 0, pkts[0], lens[0]);
	dev_write_all(d, stream, n);
	for (i = 0; i + 1 < N; i++) {
		CU_ASSERT_EQUAL_FATAL(dev_recv(d, &r), 1);
		CU_ASSERT_EQUAL(r.h.tag, i + 1);
		CU_ASSERT_EQUAL(r.h.status, FGP_STATUS_OK);
	}
	for (i = 0; i < 5; i++) {
		CU_ASSERT_EQUAL_FATAL(dev_recv(d, &r), 1);
		CU_ASSERT_EQUAL(r.h.tag, 100 + i);
		/* 102 is the good twin of the corrupted packet */
		CU_ASSERT_EQUAL(r.h.status, i == 2 ? FGP_STATUS_OK : want_tail[i < 2 ? i : i - 1]);
		if (r.h.status != FGP_STATUS_OK)
			CU_ASSERT_EQUAL(r.h.length, 0);
	}
	CU_ASSERT_EQUAL(dev_recv(d, &r), 0);
	c = counters(d, INBOUND);
	CU_ASSERT_EQUAL(c.packets, N);
	CU_ASSERT_EQUAL(c.replay, 3);
	CU_ASSERT_EQUAL(c.auth_fail, 1);
	CU_ASSERT_EQUAL(c.seq, N);
	d->ops->close(d);
}

/* More results than the result queue holds: write stops taking bytes
 * until they are read; nothing is lost or reordered. */
static void test_backpressure(void)
{
	enum { N = 80, DATA = 2040 };
	struct fg_device *d = dev_open();
	struct offload_sa sa = mk_sa(OUTBOUND, false, false, FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1);
	uint8_t *stream = malloc(N * (16 + DATA + 8)), req[DATA + 8];
	size_t n = 0, off = 0, i, stalls = 0, got = 0;
	struct frame_hdr h;
	struct res r;
	long w;

	CU_ASSERT_FATAL(stream != NULL);
	CU_ASSERT_EQUAL_FATAL(load(d, &sa), FGP_STATUS_OK);
	fill(req, sizeof(req));
	for (i = 0; i < N; i++) {
		h = (struct frame_hdr){ .type = FGP_TYPE_ENCAP, .sa = OUTBOUND, .tag = (uint32_t)i,
					.aux = 4 };
		n += (size_t)frame_encode(stream + n, 16 + DATA + 8, &h, req, DATA + 8);
	}
	while (off < n) {
		w = d->ops->write(d, stream + off, n - off);
		CU_ASSERT_FATAL(w >= 0);
		off += (size_t)w;
		if (off < n) {
			stalls++;
			CU_ASSERT_EQUAL(d->ops->write(d, stream + off, n - off), 0);
		}
		while (dev_recv(d, &r)) {
			CU_ASSERT_EQUAL(r.h.tag, got);
			CU_ASSERT_EQUAL(r.h.status, FGP_STATUS_OK);
			CU_ASSERT_EQUAL(r.h.aux, got + 1);
			got++;
		}
	}
	CU_ASSERT(stalls > 0);
	CU_ASSERT_EQUAL(got, N);
	free(stream);
	d->ops->close(d);
}

/* ---- key hygiene ---- */

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

static bool contains(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
	return memmem(hay, n, needle, m) != NULL;
}

static void test_keys_wiped(void)
{
	struct fg_device *d = dev_open();
	struct soft_device *s = (struct soft_device *)d;
	struct offload_sa sa = mk_sa(5, false, false, FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1);
	struct res r;

	CU_ASSERT_EQUAL_FATAL(load(d, &sa), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(memcmp(s->sa[5].cipher_key, ckey, 24), 0);
	CU_ASSERT_EQUAL(memcmp(s->sa[5].auth_key, akey, 20), 0);
	/* The request buffer no longer holds the keys. */
	CU_ASSERT(!contains(s->frame, sizeof(s->frame), ckey, 8));
	CU_ASSERT(!contains(s->frame, sizeof(s->frame), akey + 12, 8));
	CU_ASSERT_EQUAL(xact(d, FGP_TYPE_SA_CLEAR, 5, 1, 0, NULL, 0, &r), FGP_STATUS_OK);
	CU_ASSERT(all_zero(&s->sa[5], sizeof(s->sa[5])));
	/* Replacing an SA wipes the old keys. */
	CU_ASSERT_EQUAL_FATAL(load(d, &sa), FGP_STATUS_OK);
	sa.cipher = FGP_CIPHER_DES_CBC;
	sa.cipher_key_len = 8;
	sa.auth = FGP_AUTH_HMAC_MD5;
	sa.auth_key_len = 16;
	CU_ASSERT_EQUAL_FATAL(load(d, &sa), FGP_STATUS_OK);
	CU_ASSERT(all_zero(s->sa[5].cipher_key + 8, 16));
	CU_ASSERT(all_zero(s->sa[5].auth_key + 16, 4));
	sa.index = 200;
	CU_ASSERT_EQUAL_FATAL(load(d, &sa), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(xact(d, FGP_TYPE_RESET, FGP_SA_NONE, 2, 0, NULL, 0, &r), FGP_STATUS_OK);
	CU_ASSERT(all_zero(s->sa, sizeof(s->sa)));
	d->ops->close(d);
}

static void test_bad_args(void)
{
	struct fg_device *d = dev_open();
	uint8_t b[4];

	CU_ASSERT_EQUAL(d->ops->write(d, NULL, 5), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(d->ops->write(d, NULL, 0), 0);
	CU_ASSERT_EQUAL(d->ops->read(d, NULL, 5), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(d->ops->read(d, b, sizeof(b)), 0);
	CU_ASSERT_EQUAL(d->ops->poll(d, 100), 0);
	d->ops->close(d);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "CAPS", test_caps },
		{ "ESP round trips: every cipher, auth, mode, sizes 0..1500", test_esp_round_trips },
		{ "AH round trips: both ICVs, modes, IP options", test_ah_round_trips },
		{ "ESP encap checked with host/crypto", test_esp_independent_encap },
		{ "ESP built with host/crypto decapsulates", test_esp_independent_decap },
		{ "AH checked with host/crypto", test_ah_independent },
		{ "AUTH_FAIL", test_auth_fail },
		{ "REPLAY duplicate and too old", test_replay },
		{ "BAD_PAD", test_bad_pad },
		{ "NO_SA", test_no_sa },
		{ "WRONG_DIR and SPI_MISMATCH", test_wrong_dir_and_spi },
		{ "BAD_LENGTH, ESP", test_bad_length_esp },
		{ "BAD_LENGTH, AH", test_bad_length_ah },
		{ "SEQ_OVERFLOW", test_seq_overflow },
		{ "one SA's ENCAP burst on several workers", test_one_sa_burst },
		{ "one SA's DECAP burst: replay checked in order", test_one_sa_decap_burst },
		{ "BAD_SA and SA replacement", test_bad_sa },
		{ "MALFORMED header, resync", test_resync },
		{ "TOO_BIG", test_too_big },
		{ "unknown types", test_unknown_type },
		{ "control frames of the wrong length", test_control_lengths },
		{ "RESET and STATS", test_reset_and_stats },
		{ "byte streams split at every position", test_stream_splits },
		{ "full result queue", test_backpressure },
		{ "keys wiped", test_keys_wiped },
		{ "bad arguments", test_bad_args },
		{ NULL, NULL },
	};
	int rc;

	fg_log_set_level(FG_LOG_WARN);
	frame_buf = malloc(BIG);
	if (!frame_buf)
		return 2;
	unit_add_suite("soft device", tests);
	rc = unit_run("unit-soft_device");
	free(frame_buf);
	return rc;
}
