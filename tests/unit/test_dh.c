/* host/crypto/dh: MODP groups 1, 2, 5, 14. Two parties agree; a fixed
 * private exponent gives the public value and secret computed here with
 * independent BIGNUM arithmetic; the primes carry the RFC 2409/3526 head
 * and tail; bad peer values (0, 1, p-1, p, >p, wrong length) are refused. */
#include <string.h>

#include <openssl/bn.h>

#include "common/err.h"
#include "crypto/dh.h"
#include "unit.h"

static const unsigned groups[] = { 1, 2, 5, 14 };
#define NGROUPS (sizeof(groups) / sizeof(groups[0]))

/* RFC 2409 6.1/6.2 and RFC 3526 2/3: every prime starts with 2^64-1 then
 * the digits of pi, and ends with 2^64-1; the 8 bytes before that tail. */
static const struct {
	unsigned group;
	size_t len;
	uint8_t tail[8];
} primes[] = {
	{ 1, 96, { 0xF4, 0x4C, 0x42, 0xE9, 0xA6, 0x3A, 0x36, 0x20 } },
	{ 2, 128, { 0x49, 0x28, 0x66, 0x51, 0xEC, 0xE6, 0x53, 0x81 } },
	{ 5, 192, { 0xF1, 0x74, 0x6C, 0x08, 0xCA, 0x23, 0x73, 0x27 } },
	{ 14, 256, { 0x15, 0x72, 0x8E, 0x5A, 0x8A, 0xAC, 0xAA, 0x68 } },
};

static void test_primes(void)
{
	static const uint8_t head[16] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
					  0xC9, 0x0F, 0xDA, 0xA2, 0x21, 0x68, 0xC2, 0x34 };
	uint8_t p[DH_MAX_LEN];
	size_t i;

	for (i = 0; i < sizeof(primes) / sizeof(primes[0]); i++) {
		size_t n = primes[i].len;

		CU_ASSERT_EQUAL(dh_group_len(primes[i].group), n);
		CU_ASSERT_EQUAL_FATAL(dh_prime(primes[i].group, p, sizeof(p)), 0);
		CU_ASSERT(memcmp(p, head, 16) == 0);
		CU_ASSERT(memcmp(p + n - 16, primes[i].tail, 8) == 0);
		CU_ASSERT(memcmp(p + n - 8, "\xff\xff\xff\xff\xff\xff\xff\xff", 8) == 0);
	}
	CU_ASSERT_EQUAL(dh_prime(3, p, sizeof(p)), FG_ERR_UNSUPP);
	CU_ASSERT_EQUAL(dh_prime(14, p, 255), FG_ERR_RANGE);
}

static void test_unsupported_group(void)
{
	struct dh *dh = (struct dh *)1;

	CU_ASSERT_EQUAL(dh_create(0, &dh), FG_ERR_UNSUPP);
	CU_ASSERT_PTR_NULL(dh);
	CU_ASSERT_EQUAL(dh_create(3, &dh), FG_ERR_UNSUPP);
	CU_ASSERT_EQUAL(dh_create(15, &dh), FG_ERR_UNSUPP);
	CU_ASSERT_EQUAL(dh_group_len(24), 0);
}

static void test_two_parties_agree(void)
{
	uint8_t pa[DH_MAX_LEN], pb[DH_MAX_LEN], sa[DH_MAX_LEN], sb[DH_MAX_LEN];
	size_t i;

	for (i = 0; i < NGROUPS; i++) {
		struct dh *a = NULL, *b = NULL;
		size_t n = dh_group_len(groups[i]);

		CU_ASSERT_EQUAL_FATAL(dh_create(groups[i], &a), 0);
		CU_ASSERT_EQUAL_FATAL(dh_create(groups[i], &b), 0);
		CU_ASSERT_EQUAL(dh_len(a), n);
		CU_ASSERT_EQUAL(dh_group(a), groups[i]);
		CU_ASSERT_EQUAL(dh_public(a, pa, sizeof(pa)), 0);
		CU_ASSERT_EQUAL(dh_public(b, pb, sizeof(pb)), 0);
		CU_ASSERT(memcmp(pa, pb, n) != 0);
		CU_ASSERT_EQUAL(dh_shared(a, pb, n, sa, sizeof(sa)), 0);
		CU_ASSERT_EQUAL(dh_shared(b, pa, n, sb, sizeof(sb)), 0);
		CU_ASSERT(memcmp(sa, sb, n) == 0);
		CU_ASSERT_EQUAL(dh_public(a, pa, n - 1), FG_ERR_RANGE);
		dh_free(a);
		dh_free(b);
	}
}

/* y = 2^x mod p and 2^(xy) computed with BN_mod_exp from the same prime. */
static void test_known_answer(void)
{
	static const uint8_t xa[] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
				      0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe };
	static const uint8_t xb[] = { 0x7f, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88,
				      0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x01 };
	uint8_t p[DH_MAX_LEN], pub[DH_MAX_LEN], want[DH_MAX_LEN], s[DH_MAX_LEN];
	size_t i;

	for (i = 0; i < NGROUPS; i++) {
		size_t n = dh_group_len(groups[i]);
		BN_CTX *ctx = BN_CTX_new();
		BIGNUM *bp = NULL, *g = BN_new(), *a = BN_bin2bn(xa, sizeof(xa), NULL);
		BIGNUM *b = BN_bin2bn(xb, sizeof(xb), NULL), *r = BN_new();
		struct dh *da = NULL, *db = NULL;

		CU_ASSERT_EQUAL_FATAL(dh_prime(groups[i], p, sizeof(p)), 0);
		bp = BN_bin2bn(p, (int)n, NULL);
		CU_ASSERT_FATAL(ctx && bp && g && a && b && r && BN_set_word(g, 2));
		CU_ASSERT_EQUAL_FATAL(dh_create_fixed(groups[i], xa, sizeof(xa), &da), 0);
		CU_ASSERT_EQUAL_FATAL(dh_create_fixed(groups[i], xb, sizeof(xb), &db), 0);
		/* public value of a */
		CU_ASSERT_FATAL(BN_mod_exp(r, g, a, bp, ctx));
		CU_ASSERT_FATAL(BN_bn2binpad(r, want, (int)n) == (int)n);
		CU_ASSERT_EQUAL(dh_public(da, pub, sizeof(pub)), 0);
		CU_ASSERT(memcmp(pub, want, n) == 0);
		/* shared secret: (2^b)^a */
		CU_ASSERT_EQUAL(dh_public(db, pub, sizeof(pub)), 0);
		CU_ASSERT_FATAL(BN_mul(r, a, b, ctx));
		CU_ASSERT_FATAL(BN_mod_exp(r, g, r, bp, ctx));
		CU_ASSERT_FATAL(BN_bn2binpad(r, want, (int)n) == (int)n);
		CU_ASSERT_EQUAL(dh_shared(da, pub, n, s, sizeof(s)), 0);
		CU_ASSERT(memcmp(s, want, n) == 0);
		dh_free(da);
		dh_free(db);
		BN_free(bp);
		BN_free(g);
		BN_free(a);
		BN_free(b);
		BN_free(r);
		BN_CTX_free(ctx);
	}
}

/* A secret with leading zero bytes keeps the prime's length: find a peer
 * value 2^k whose shared secret starts with 0x00 (1 in 256 tries). */
static void test_shared_is_padded(void)
{
	static const uint8_t x[] = { 0x03 };   /* secret = y^3 */
	uint8_t p[96], y[96], s[96];
	struct dh *d = NULL;
	int k, found = 0;

	CU_ASSERT_EQUAL_FATAL(dh_prime(1, p, sizeof(p)), 0);
	CU_ASSERT_EQUAL_FATAL(dh_create_fixed(1, x, sizeof(x), &d), 0);
	/* y = 2^k with k < 256: y^3 = 2^(3k) < p when 3k < 767: small values
	 * whose leading bytes are zero, padded to 96 bytes */
	for (k = 8; k < 200 && !found; k++) {
		memset(y, 0, sizeof(y));
		y[95 - k / 8] = (uint8_t)(1u << (k % 8));
		CU_ASSERT_EQUAL_FATAL(dh_shared(d, y, 96, s, sizeof(s)), 0);
		{
			int bit = 3 * k, i;
			uint8_t want[96] = { 0 };

			want[95 - bit / 8] = (uint8_t)(1u << (bit % 8));
			for (i = 0; i < 96; i++)
				if (s[i] != want[i])
					break;
			CU_ASSERT_EQUAL(i, 96);
		}
		found = k > 100;
	}
	CU_ASSERT(found);
	dh_free(d);
}

static void test_bad_peer_values(void)
{
	uint8_t p[DH_MAX_LEN], y[DH_MAX_LEN], s[DH_MAX_LEN];
	size_t i;

	for (i = 0; i < NGROUPS; i++) {
		size_t n = dh_group_len(groups[i]);
		struct dh *d = NULL;

		CU_ASSERT_EQUAL_FATAL(dh_prime(groups[i], p, sizeof(p)), 0);
		CU_ASSERT_EQUAL_FATAL(dh_create(groups[i], &d), 0);
		memset(y, 0, n);                                     /* 0 */
		CU_ASSERT_EQUAL(dh_shared(d, y, n, s, sizeof(s)), FG_ERR_INVAL);
		y[n - 1] = 1;                                        /* 1 */
		CU_ASSERT_EQUAL(dh_shared(d, y, n, s, sizeof(s)), FG_ERR_INVAL);
		memcpy(y, p, n);                                     /* p */
		CU_ASSERT_EQUAL(dh_shared(d, y, n, s, sizeof(s)), FG_ERR_INVAL);
		y[n - 1] = 0xfe;                                     /* p - 1 */
		CU_ASSERT_EQUAL(dh_shared(d, y, n, s, sizeof(s)), FG_ERR_INVAL);
		y[n - 1] = 0xfd;                                     /* p - 2: fine */
		CU_ASSERT_EQUAL(dh_shared(d, y, n, s, sizeof(s)), 0);
		memset(y, 0xff, n);                                  /* > p */
		CU_ASSERT_EQUAL(dh_shared(d, y, n, s, sizeof(s)), FG_ERR_INVAL);
		memset(y, 0, n);
		y[n - 1] = 2;                                        /* 2: fine */
		CU_ASSERT_EQUAL(dh_shared(d, y, n, s, sizeof(s)), 0);
		CU_ASSERT_EQUAL(dh_shared(d, y, n - 1, s, sizeof(s)), FG_ERR_INVAL);
		CU_ASSERT_EQUAL(dh_shared(d, y, n + 1 > DH_MAX_LEN ? n - 2 : n + 1, s,
					  sizeof(s)), FG_ERR_INVAL);
		CU_ASSERT_EQUAL(dh_shared(d, y, n, s, n - 1), FG_ERR_INVAL);
		dh_free(d);
	}
}

static void test_fixed_bad_private(void)
{
	static const uint8_t one[] = { 0x01 }, zero[] = { 0x00, 0x00 };
	struct dh *d = (struct dh *)1;

	CU_ASSERT_EQUAL(dh_create_fixed(2, one, 1, &d), FG_ERR_INVAL);
	CU_ASSERT_PTR_NULL(d);
	CU_ASSERT_EQUAL(dh_create_fixed(2, zero, 2, &d), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(dh_create_fixed(2, NULL, 0, &d), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(dh_create_fixed(7, one, 1, &d), FG_ERR_UNSUPP);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "primes", test_primes },
		{ "unsupported_group", test_unsupported_group },
		{ "two_parties_agree", test_two_parties_agree },
		{ "known_answer", test_known_answer },
		{ "shared_is_padded", test_shared_is_padded },
		{ "bad_peer_values", test_bad_peer_values },
		{ "fixed_bad_private", test_fixed_bad_private },
		{ NULL, NULL },
	};

	unit_add_suite("dh", tests);
	return unit_run("unit-dh");
}
