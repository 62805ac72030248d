/* host/ike/keys: RFC 2409 derivation for PSK. Every expectation is
 * recomputed here from the RFC formulas with OpenSSL's one-shot HMAC() and
 * EVP_Digest() over concatenated buffers (not through crypto.h), for
 * SHA-1 + 3DES (appendix B expansion), MD5 + DES and SHA-1 + AES-128. */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/err.h"
#include "ike/keys.h"
#include "unit.h"

static uint8_t psk[] = "interop-test-psk";
static uint8_t ni[16], nr[20], gxy[128], gxi[128], gxr[128];
static const uint8_t icky[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t rcky[8] = { 0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 0x10, 0x11 };

static void fill(void)
{
	size_t i;

	for (i = 0; i < sizeof(ni); i++)
		ni[i] = (uint8_t)(0x30 + i);
	for (i = 0; i < sizeof(nr); i++)
		nr[i] = (uint8_t)(0x80 ^ i);
	for (i = 0; i < sizeof(gxy); i++) {
		gxy[i] = (uint8_t)(i * 7 + 1);
		gxi[i] = (uint8_t)(i * 3 + 5);
		gxr[i] = (uint8_t)(255 - i);
	}
}

/* One-shot HMAC over the concatenation of up to 6 pieces. */
static size_t hm(const EVP_MD *md, const uint8_t *key, size_t klen, uint8_t *out,
		 const void *a, size_t al, const void *b, size_t bl, const void *c,
		 size_t cl, const void *d, size_t dl, const void *e, size_t el,
		 const void *f, size_t fl)
{
	uint8_t buf[2048];
	size_t n = 0;
	unsigned olen = 0;

#define CAT(x, l) do { if (l) { memcpy(buf + n, x, l); n += l; } } while (0)
	CAT(a, al); CAT(b, bl); CAT(c, cl); CAT(d, dl); CAT(e, el); CAT(f, fl);
#undef CAT
	HMAC(md, key, (int)klen, buf, n, out, &olen);
	return olen;
}

struct kcase {
	const char *name;
	enum crypto_hash hash;
	const char *md;
	enum crypto_cipher cipher;
	size_t key_len, block;
};

static const struct kcase kcases[] = {
	{ "sha1-3des", CRYPTO_HASH_SHA1, "SHA1", CRYPTO_CIPHER_3DES_CBC, 24, 8 },
	{ "md5-des", CRYPTO_HASH_MD5, "MD5", CRYPTO_CIPHER_DES_CBC, 8, 8 },
	{ "sha1-aes128", CRYPTO_HASH_SHA1, "SHA1", CRYPTO_CIPHER_AES_CBC, 16, 16 },
	{ "md5-aes256", CRYPTO_HASH_MD5, "MD5", CRYPTO_CIPHER_AES_CBC, 32, 16 },
	{ "sha256-3des", CRYPTO_HASH_SHA256, "SHA256", CRYPTO_CIPHER_3DES_CBC, 24, 8 },
};

static int derive(const struct kcase *c, struct ike_keys *k)
{
	struct keys_input in = {
		.hash = c->hash, .cipher = c->cipher, .key_len = c->key_len,
		.psk = psk, .psk_len = sizeof(psk) - 1, .ni = ni, .ni_len = sizeof(ni),
		.nr = nr, .nr_len = sizeof(nr), .gxy = gxy, .gxy_len = sizeof(gxy),
		.gxi = gxi, .gxi_len = sizeof(gxi), .gxr = gxr, .gxr_len = sizeof(gxr),
		.icookie = icky, .rcookie = rcky,
	};

	return keys_derive(k, &in);
}

static void test_skeyids(void)
{
	size_t i;

	fill();
	for (i = 0; i < sizeof(kcases) / sizeof(kcases[0]); i++) {
		const struct kcase *c = &kcases[i];
		const EVP_MD *md = EVP_get_digestbyname(c->md);
		uint8_t s[32], d[32], a[32], e[32], ka[64], iv[32];
		uint8_t zero = 0, one = 1, two = 2;
		struct ike_keys k;
		size_t hl, have;
		unsigned ivl;

		CU_ASSERT_EQUAL_FATAL(derive(c, &k), 0);
		hl = hm(md, psk, sizeof(psk) - 1, s, ni, sizeof(ni), nr, sizeof(nr),
			NULL, 0, NULL, 0, NULL, 0, NULL, 0);
		CU_ASSERT_EQUAL(k.prf_len, hl);
		CU_ASSERT(memcmp(k.skeyid, s, hl) == 0);
		hm(md, s, hl, d, gxy, sizeof(gxy), icky, 8, rcky, 8, &zero, 1, NULL, 0, NULL, 0);
		CU_ASSERT(memcmp(k.skeyid_d, d, hl) == 0);
		hm(md, s, hl, a, d, hl, gxy, sizeof(gxy), icky, 8, rcky, 8, &one, 1, NULL, 0);
		CU_ASSERT(memcmp(k.skeyid_a, a, hl) == 0);
		hm(md, s, hl, e, a, hl, gxy, sizeof(gxy), icky, 8, rcky, 8, &two, 1, NULL, 0);
		CU_ASSERT(memcmp(k.skeyid_e, e, hl) == 0);
		/* appendix B */
		if (c->key_len <= hl) {
			memcpy(ka, e, c->key_len);
		} else {
			hm(md, e, hl, ka, &zero, 1, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0);
			for (have = hl; have < c->key_len; have += hl)
				hm(md, e, hl, ka + have, ka + have - hl, hl, NULL, 0, NULL, 0,
				   NULL, 0, NULL, 0, NULL, 0);
		}
		CU_ASSERT(memcmp(k.enc_key, ka, c->key_len) == 0);
		/* phase 1 IV = hash(g^xi | g^xr) */
		{
			uint8_t cat[256];

			memcpy(cat, gxi, 128);
			memcpy(cat + 128, gxr, 128);
			EVP_Digest(cat, 256, iv, &ivl, md, NULL);
		}
		CU_ASSERT_EQUAL(k.p1iv.len, c->block);
		CU_ASSERT(memcmp(k.p1iv.iv, iv, c->block) == 0);
		keys_wipe(&k);
	}
}

static void test_bad_input(void)
{
	struct kcase bad = kcases[0];
	struct ike_keys k;

	fill();
	bad.key_len = 20;
	CU_ASSERT_EQUAL(derive(&bad, &k), FG_ERR_INVAL);
	bad = kcases[0];
	bad.cipher = CRYPTO_CIPHER_NULL;   /* block 1, key 24: invalid */
	CU_ASSERT_EQUAL(derive(&bad, &k), FG_ERR_INVAL);
}

static void test_hashes(void)
{
	const struct kcase *c = &kcases[0];
	const EVP_MD *md = EVP_get_digestbyname(c->md);
	static const uint8_t sai[] = { 0, 0, 0, 1, 0, 0, 0, 1, 0xde, 0xad };
	static const uint8_t id[] = { 1, 17, 1, 244, 192, 0, 2, 1 };
	static const uint8_t rest[] = "SA|Ni|IDci|IDcr";
	static const uint8_t mid[4] = { 0x12, 0x34, 0x56, 0x78 };
	uint8_t want[32], got[32], zero = 0;
	struct ike_keys k;
	size_t hl;

	fill();
	CU_ASSERT_EQUAL_FATAL(derive(c, &k), 0);
	hl = k.prf_len;
	/* HASH_I */
	hm(md, k.skeyid, hl, want, gxi, 128, gxr, 128, icky, 8, rcky, 8, sai, sizeof(sai),
	   id, sizeof(id));
	CU_ASSERT_EQUAL(keys_hash_auth(&k, gxi, gxr, 128, icky, rcky, sai, sizeof(sai),
				       id, sizeof(id), got), 0);
	CU_ASSERT(memcmp(got, want, hl) == 0);
	/* HASH_R */
	hm(md, k.skeyid, hl, want, gxr, 128, gxi, 128, rcky, 8, icky, 8, sai, sizeof(sai),
	   id, sizeof(id));
	CU_ASSERT_EQUAL(keys_hash_auth(&k, gxr, gxi, 128, rcky, icky, sai, sizeof(sai),
				       id, sizeof(id), got), 0);
	CU_ASSERT(memcmp(got, want, hl) == 0);
	/* Quick Mode HASH(1), HASH(2), HASH(3) */
	hm(md, k.skeyid_a, hl, want, mid, 4, rest, sizeof(rest), NULL, 0, NULL, 0, NULL, 0,
	   NULL, 0);
	CU_ASSERT_EQUAL(keys_hash1(&k, 0x12345678, rest, sizeof(rest), got), 0);
	CU_ASSERT(memcmp(got, want, hl) == 0);
	hm(md, k.skeyid_a, hl, want, mid, 4, ni, sizeof(ni), rest, sizeof(rest), NULL, 0,
	   NULL, 0, NULL, 0);
	CU_ASSERT_EQUAL(keys_hash2(&k, 0x12345678, ni, sizeof(ni), rest, sizeof(rest), got), 0);
	CU_ASSERT(memcmp(got, want, hl) == 0);
	hm(md, k.skeyid_a, hl, want, &zero, 1, mid, 4, ni, sizeof(ni), nr, sizeof(nr), NULL,
	   0, NULL, 0);
	CU_ASSERT_EQUAL(keys_hash3(&k, 0x12345678, ni, sizeof(ni), nr, sizeof(nr), got), 0);
	CU_ASSERT(memcmp(got, want, hl) == 0);
	keys_wipe(&k);
}

static void test_keymat(void)
{
	const struct kcase *c = &kcases[0];
	const EVP_MD *md = EVP_get_digestbyname(c->md);
	static const uint8_t spi[4] = { 0xc0, 0x01, 0xd0, 0x0d };
	uint8_t want[64], got[64], proto = 3;
	struct ike_keys k;
	size_t hl;

	fill();
	CU_ASSERT_EQUAL_FATAL(derive(c, &k), 0);
	hl = k.prf_len;
	/* no PFS, 44 bytes (3DES + HMAC-SHA1): K1 | K2 | K3 cut */
	hm(md, k.skeyid_d, hl, want, &proto, 1, spi, 4, ni, sizeof(ni), nr, sizeof(nr), NULL,
	   0, NULL, 0);
	hm(md, k.skeyid_d, hl, want + hl, want, hl, &proto, 1, spi, 4, ni, sizeof(ni), nr,
	   sizeof(nr), NULL, 0);
	hm(md, k.skeyid_d, hl, want + 2 * hl, want + hl, hl, &proto, 1, spi, 4, ni, sizeof(ni),
	   nr, sizeof(nr), NULL, 0);
	CU_ASSERT_EQUAL(keys_keymat(&k, NULL, 0, proto, spi, ni, sizeof(ni), nr, sizeof(nr),
				    got, 44), 0);
	CU_ASSERT(memcmp(got, want, 44) == 0);
	/* PFS: g(qm)^xy first (after Kn-1) */
	hm(md, k.skeyid_d, hl, want, gxy, 128, &proto, 1, spi, 4, ni, sizeof(ni), nr,
	   sizeof(nr), NULL, 0);
	hm(md, k.skeyid_d, hl, want + hl, want, hl, gxy, 128, &proto, 1, spi, 4, ni,
	   sizeof(ni), nr, sizeof(nr));
	CU_ASSERT_EQUAL(keys_keymat(&k, gxy, 128, proto, spi, ni, sizeof(ni), nr, sizeof(nr),
				    got, 36), 0);
	CU_ASSERT(memcmp(got, want, 36) == 0);
	CU_ASSERT_EQUAL(keys_keymat(&k, NULL, 0, proto, spi, ni, sizeof(ni), nr, sizeof(nr),
				    got, 65), FG_ERR_RANGE);
	keys_wipe(&k);
}

/* The IV chain: the phase 2 IV is hash(last phase 1 block | M-ID); CBC
 * chaining across messages means two messages encrypted one after the other
 * equal one message encrypted in one go. */
static void test_iv_chain(void)
{
	const struct kcase *c = &kcases[0];
	const EVP_MD *md = EVP_get_digestbyname(c->md);
	uint8_t msg[48], one[48], two[48], want[32], cat[12];
	struct keys_iv iv1, iv2, save;
	struct ike_keys k;
	unsigned l;
	size_t i;

	fill();
	CU_ASSERT_EQUAL_FATAL(derive(c, &k), 0);
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)i;
	memcpy(one, msg, 48);
	iv1 = k.p1iv;
	CU_ASSERT_EQUAL(keys_crypt(&k, true, &iv1, one, 48), 0);
	CU_ASSERT(memcmp(iv1.iv, one + 40, 8) == 0);
	memcpy(two, msg, 48);
	iv2 = k.p1iv;
	CU_ASSERT_EQUAL(keys_crypt(&k, true, &iv2, two, 16), 0);
	CU_ASSERT_EQUAL(keys_crypt(&k, true, &iv2, two + 16, 32), 0);
	CU_ASSERT(memcmp(one, two, 48) == 0);
	/* decryption chains on the ciphertext */
	save = k.p1iv;
	CU_ASSERT_EQUAL(keys_crypt(&k, false, &save, two, 48), 0);
	CU_ASSERT(memcmp(two, msg, 48) == 0);
	CU_ASSERT(memcmp(save.iv, one + 40, 8) == 0);
	/* bad lengths leave the IV alone */
	save = iv1;
	CU_ASSERT_EQUAL(keys_crypt(&k, true, &iv1, two, 12), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(keys_crypt(&k, true, &iv1, two, 0), FG_ERR_INVAL);
	CU_ASSERT(memcmp(save.iv, iv1.iv, 8) == 0);
	/* phase 2 IV */
	k.p1iv = iv1;
	memcpy(cat, iv1.iv, 8);
	memcpy(cat + 8, "\xde\xad\xbe\xef", 4);
	EVP_Digest(cat, 12, want, &l, md, NULL);
	CU_ASSERT_EQUAL(keys_iv_for(&k, 0xdeadbeef, &iv2), 0);
	CU_ASSERT_EQUAL(iv2.len, 8);
	CU_ASSERT(memcmp(iv2.iv, want, 8) == 0);
	keys_wipe(&k);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "skeyids", test_skeyids },
		{ "bad_input", test_bad_input },
		{ "hashes", test_hashes },
		{ "keymat", test_keymat },
		{ "iv_chain", test_iv_chain },
		{ NULL, NULL },
	};

	unit_add_suite("keys", tests);
	return unit_run("unit-keys");
}
