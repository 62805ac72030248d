/* host/crypto wrappers: argument checks, in-place operation, NULL cipher,
 * HMAC in parts, constant-time compare. Known answers are in
 * test_crypto_vectors.c. */
#include <string.h>

#include "common/err.h"
#include "crypto/crypto.h"
#include "unit.h"

static void test_key_lengths(void)
{
	CU_ASSERT_EQUAL(crypto_cipher_check_key(CRYPTO_CIPHER_DES_CBC, 8), 0);
	CU_ASSERT_EQUAL(crypto_cipher_check_key(CRYPTO_CIPHER_DES_CBC, 16), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(crypto_cipher_check_key(CRYPTO_CIPHER_3DES_CBC, 24), 0);
	CU_ASSERT_EQUAL(crypto_cipher_check_key(CRYPTO_CIPHER_3DES_CBC, 16), 0);
	CU_ASSERT_EQUAL(crypto_cipher_check_key(CRYPTO_CIPHER_3DES_CBC, 8), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(crypto_cipher_check_key(CRYPTO_CIPHER_AES_CBC, 32), 0);
	CU_ASSERT_EQUAL(crypto_cipher_check_key(CRYPTO_CIPHER_AES_CBC, 20), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(crypto_cipher_check_key(CRYPTO_CIPHER_NULL, 0), 0);
	CU_ASSERT_EQUAL(crypto_cipher_check_key(CRYPTO_CIPHER_NULL, 8), FG_ERR_INVAL);
}

static void test_cbc_rejects_partial_block(void)
{
	uint8_t key[24] = { 1 }, iv[8] = { 0 }, buf[24] = { 0 };

	CU_ASSERT_EQUAL(crypto_cbc(CRYPTO_CIPHER_3DES_CBC, 1, key, 24, iv, buf, buf, 12), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(crypto_cbc(CRYPTO_CIPHER_3DES_CBC, 1, key, 20, iv, buf, buf, 16), FG_ERR_INVAL);
}

static void test_cbc_in_place_round_trip(void)
{
	uint8_t key[16], iv[16], orig[64], buf[64];

	CU_ASSERT_EQUAL(crypto_random(key, sizeof(key)), 0);
	CU_ASSERT_EQUAL(crypto_random(iv, sizeof(iv)), 0);
	CU_ASSERT_EQUAL(crypto_random(orig, sizeof(orig)), 0);
	memcpy(buf, orig, sizeof(buf));
	CU_ASSERT_EQUAL(crypto_cbc(CRYPTO_CIPHER_AES_CBC, 1, key, 16, iv, buf, buf, 64), 0);
	CU_ASSERT(memcmp(buf, orig, 64) != 0);
	CU_ASSERT_EQUAL(crypto_cbc(CRYPTO_CIPHER_AES_CBC, 0, key, 16, iv, buf, buf, 64), 0);
	CU_ASSERT_EQUAL(memcmp(buf, orig, 64), 0);
}

static void test_null_cipher_copies(void)
{
	uint8_t in[5] = { 1, 2, 3, 4, 5 }, out[5] = { 0 };

	CU_ASSERT_EQUAL(crypto_cbc(CRYPTO_CIPHER_NULL, 1, NULL, 0, NULL, in, out, 5), 0);
	CU_ASSERT_EQUAL(memcmp(in, out, 5), 0);
}

static void test_hmac_parts_equal_whole(void)
{
	static const uint8_t key[20] = { 0x0b, [19] = 0x42 };  /* HMAC zero-pads keys */
	const char *msg = "what do ya want for nothing?";
	struct crypto_part whole = { msg, strlen(msg) };
	struct crypto_part split[3] = { { msg, 4 }, { msg + 4, 0 }, { msg + 4, strlen(msg) - 4 } };
	uint8_t a[CRYPTO_MAX_HASH], b[CRYPTO_MAX_HASH];

	CU_ASSERT_EQUAL(crypto_hmac(CRYPTO_HASH_SHA1, key, 20, &whole, 1, a), 0);
	CU_ASSERT_EQUAL(crypto_hmac(CRYPTO_HASH_SHA1, key, 20, split, 3, b), 0);
	CU_ASSERT_EQUAL(memcmp(a, b, 20), 0);
	CU_ASSERT_EQUAL(crypto_hmac(CRYPTO_HASH_SHA1, key, 19, &whole, 1, b), 0);
	CU_ASSERT(memcmp(a, b, 20) != 0);
	CU_ASSERT_EQUAL(crypto_hmac(CRYPTO_HASH_MD5, NULL, 0, &whole, 1, b), 0);
}

static void test_equal(void)
{
	uint8_t a[12] = { 0 }, b[12] = { 0 };

	CU_ASSERT(crypto_equal(a, b, 12));
	b[11] ^= 0x80;
	CU_ASSERT(!crypto_equal(a, b, 12));
	CU_ASSERT(crypto_equal(a, b, 11));
}

static void test_lengths(void)
{
	CU_ASSERT_EQUAL(crypto_hash_len(CRYPTO_HASH_MD5), 16);
	CU_ASSERT_EQUAL(crypto_hash_len(CRYPTO_HASH_SHA1), 20);
	CU_ASSERT_EQUAL(crypto_hash_len(CRYPTO_HASH_SHA256), 32);
	CU_ASSERT_EQUAL(crypto_cipher_block_size(CRYPTO_CIPHER_3DES_CBC), 8);
	CU_ASSERT_EQUAL(crypto_cipher_block_size(CRYPTO_CIPHER_AES_CBC), 16);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "key lengths", test_key_lengths },
		{ "CBC rejects partial blocks and bad keys", test_cbc_rejects_partial_block },
		{ "CBC in place round trip", test_cbc_in_place_round_trip },
		{ "NULL cipher copies", test_null_cipher_copies },
		{ "HMAC in parts equals HMAC of the whole", test_hmac_parts_equal_whole },
		{ "constant-time equal", test_equal },
		{ "sizes", test_lengths },
		{ NULL, NULL },
	};

	unit_add_suite("host crypto wrappers", tests);
	return unit_run("unit-crypto");
}
