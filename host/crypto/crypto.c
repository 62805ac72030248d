#include "crypto.h"

#include <pthread.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

#include "../common/err.h"
#include "../common/log.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_result;

static void load_providers(void)
{
	/* Loading any provider explicitly disables the implicit default one,
	 * so load both. */
	if (!OSSL_PROVIDER_load(NULL, "default")) {
		fg_err("crypto: cannot load the OpenSSL default provider");
		init_result = FG_ERR_CRYPTO;
		return;
	}
	if (!OSSL_PROVIDER_load(NULL, "legacy"))
		fg_warn("crypto: OpenSSL legacy provider missing: single DES unavailable");
}

int crypto_init(void)
{
	pthread_once(&init_once, load_providers);
	return init_result;
}

size_t crypto_cipher_block_size(enum crypto_cipher c)
{
	switch (c) {
	case CRYPTO_CIPHER_NULL:
		return 1;
	case CRYPTO_CIPHER_DES_CBC:
	case CRYPTO_CIPHER_3DES_CBC:
		return 8;
	case CRYPTO_CIPHER_AES_CBC:
		return 16;
	}
	return 0;
}

static const char *cipher_name(enum crypto_cipher c, size_t keylen)
{
	switch (c) {
	case CRYPTO_CIPHER_DES_CBC:
		return keylen == 8 ? "DES-CBC" : NULL;
	case CRYPTO_CIPHER_3DES_CBC:
		return keylen == 24 ? "DES-EDE3-CBC" : keylen == 16 ? "DES-EDE-CBC" : NULL;
	case CRYPTO_CIPHER_AES_CBC:
		return keylen == 16 ? "AES-128-CBC" : keylen == 24 ? "AES-192-CBC"
		     : keylen == 32 ? "AES-256-CBC" : NULL;
	case CRYPTO_CIPHER_NULL:
		break;
	}
	return NULL;
}

int crypto_cipher_check_key(enum crypto_cipher c, size_t keylen)
{
	if (c == CRYPTO_CIPHER_NULL)
		return keylen == 0 ? 0 : FG_ERR_INVAL;
	return cipher_name(c, keylen) ? 0 : FG_ERR_INVAL;
}

int crypto_cbc(enum crypto_cipher c, int encrypt, const uint8_t *key, size_t keylen,
	       const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len)
{
	EVP_CIPHER_CTX *ctx = NULL;
	EVP_CIPHER *cipher = NULL;
	const char *name;
	int outl, rc = FG_ERR_CRYPTO;

	if (crypto_init())
		return FG_ERR_CRYPTO;
	if (c == CRYPTO_CIPHER_NULL) {
		if (keylen)
			return FG_ERR_INVAL;
		memmove(out, in, len);
		return 0;
	}
	name = cipher_name(c, keylen);
	if (!name || len % crypto_cipher_block_size(c) || len > (size_t)INT32_MAX)
		return FG_ERR_INVAL;
	cipher = EVP_CIPHER_fetch(NULL, name, NULL);
	ctx = EVP_CIPHER_CTX_new();
	if (!cipher || !ctx)
		goto out;
	if (!EVP_CipherInit_ex2(ctx, cipher, key, iv, encrypt, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0) ||
	    !EVP_CipherUpdate(ctx, out, &outl, in, (int)len) || (size_t)outl != len)
		goto out;
	rc = 0;
out:
	EVP_CIPHER_CTX_free(ctx);   /* also cleanses the key schedule */
	EVP_CIPHER_free(cipher);
	return rc;
}

static const char *hash_name(enum crypto_hash h)
{
	switch (h) {
	case CRYPTO_HASH_MD5:
		return "MD5";
	case CRYPTO_HASH_SHA1:
		return "SHA1";
	case CRYPTO_HASH_SHA256:
		return "SHA2-256";
	}
	return NULL;
}

size_t crypto_hash_len(enum crypto_hash h)
{
	switch (h) {
	case CRYPTO_HASH_MD5:
		return 16;
	case CRYPTO_HASH_SHA1:
		return 20;
	case CRYPTO_HASH_SHA256:
		return 32;
	}
	return 0;
}

size_t crypto_hash_block_size(enum crypto_hash h)
{
	return hash_name(h) ? 64 : 0;
}

int crypto_hash(enum crypto_hash h, const struct crypto_part *parts, size_t nparts,
		uint8_t *out)
{
	EVP_MD_CTX *ctx = NULL;
	EVP_MD *md = NULL;
	int rc = FG_ERR_CRYPTO;
	size_t i;

	if (crypto_init() || !hash_name(h))
		return FG_ERR_CRYPTO;
	md = EVP_MD_fetch(NULL, hash_name(h), NULL);
	ctx = EVP_MD_CTX_new();
	if (!md || !ctx || !EVP_DigestInit_ex2(ctx, md, NULL))
		goto out;
	for (i = 0; i < nparts; i++)
		if (!EVP_DigestUpdate(ctx, parts[i].data, parts[i].len))
			goto out;
	if (!EVP_DigestFinal_ex(ctx, out, NULL))
		goto out;
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(md);
	return rc;
}

int crypto_hmac(enum crypto_hash h, const uint8_t *key, size_t keylen,
		const struct crypto_part *parts, size_t nparts, uint8_t *out)
{
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx = NULL;
	EVP_MAC *mac = NULL;
	int rc = FG_ERR_CRYPTO;
	size_t i, outl;

	if (crypto_init() || !hash_name(h))
		return FG_ERR_CRYPTO;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)hash_name(h), 0);
	params[1] = OSSL_PARAM_construct_end();
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	/* OpenSSL rejects a NULL key even when keylen is 0. */
	if (!ctx || !EVP_MAC_init(ctx, keylen ? key : (const uint8_t *)"", keylen, params))
		goto out;
	for (i = 0; i < nparts; i++)
		if (!EVP_MAC_update(ctx, parts[i].data, parts[i].len))
			goto out;
	if (!EVP_MAC_final(ctx, out, &outl, crypto_hash_len(h)))
		goto out;
	rc = 0;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return rc;
}

int crypto_random(void *buf, size_t len)
{
	if (crypto_init() || len > (size_t)INT32_MAX)
		return FG_ERR_CRYPTO;
	return RAND_bytes(buf, (int)len) == 1 ? 0 : FG_ERR_CRYPTO;
}

int crypto_equal(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}

void crypto_wipe(void *p, size_t len)
{
	OPENSSL_cleanse(p, len);
}
