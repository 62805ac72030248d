/*
 * Host-side cryptography, all through OpenSSL 3: CBC ciphers, hashes, HMAC,
 * random bytes and constant-time comparison. The soft offload backend and
 * the IKE key derivation use only these functions; nothing here is
 * hand-written crypto.
 */
#ifndef FGATE_CRYPTO_H
#define FGATE_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

enum crypto_cipher {
	CRYPTO_CIPHER_NULL,      /* RFC 2410: output = input */
	CRYPTO_CIPHER_DES_CBC,   /* 8-byte key */
	CRYPTO_CIPHER_3DES_CBC,  /* 24-byte K1||K2||K3, or 16-byte K1||K2 (K3 = K1) */
	CRYPTO_CIPHER_AES_CBC,   /* 16, 24 or 32-byte key */
};

enum crypto_hash {
	CRYPTO_HASH_MD5,
	CRYPTO_HASH_SHA1,
	CRYPTO_HASH_SHA256,
};

enum { CRYPTO_MAX_HASH = 32, CRYPTO_MAX_BLOCK = 16 };

/* A piece of a message given in parts (hashes over concatenations). */
struct crypto_part {
	const void *data;
	size_t len;
};

/* Loads the providers (the legacy one holds single DES). Idempotent and
 * thread-safe; every function below calls it. Returns 0 or FG_ERR_CRYPTO. */
int crypto_init(void);

size_t crypto_cipher_block_size(enum crypto_cipher c);
/* 0 when keylen is valid for c, else FG_ERR_INVAL. */
int crypto_cipher_check_key(enum crypto_cipher c, size_t keylen);
/* CBC without padding: len must be a multiple of the block size. in and out
 * may be the same buffer. Returns 0 or a negative fg_err. */
int crypto_cbc(enum crypto_cipher c, int encrypt, const uint8_t *key, size_t keylen,
	       const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len);

size_t crypto_hash_len(enum crypto_hash h);
size_t crypto_hash_block_size(enum crypto_hash h);
int crypto_hash(enum crypto_hash h, const struct crypto_part *parts, size_t nparts,
		uint8_t *out);
int crypto_hmac(enum crypto_hash h, const uint8_t *key, size_t keylen,
		const struct crypto_part *parts, size_t nparts, uint8_t *out);

/* Cryptographically strong random bytes. */
int crypto_random(void *buf, size_t len);
/* 1 if equal, 0 if not; time depends only on len. */
int crypto_equal(const void *a, const void *b, size_t len);
/* Wipe key material (not optimised away). */
void crypto_wipe(void *p, size_t len);

#endif
