/*
 * IKEv1 key material for pre-shared keys (RFC 2409 5, 5.5, 5.7, appendix
 * B): SKEYID and SKEYID_d/a/e, the phase 1 encryption key, the CBC IV
 * chains, HASH_I/HASH_R, the Quick Mode and Informational hashes and
 * KEYMAT. All PRFs are HMAC of the negotiated hash (crypto_hmac).
 *
 * IV handling (RFC 2409 appendix B, as strongSwan's keymat_v1 does it):
 * the phase 1 IV is hash(g^xi | g^xr) cut to the cipher block; after each
 * encrypted phase 1 message the IV is that message's last ciphertext
 * block. Each Quick Mode or Informational exchange starts its own chain at
 * hash(last phase 1 IV | M-ID) and then chains the same way. keys_crypt()
 * takes the chain by pointer and moves it only on success, so a caller that
 * must not commit (a message that fails its hash) works on a copy.
 *
 * struct ike_keys holds secrets: keys_wipe() clears it.
 */
#ifndef FGATE_IKE_KEYS_H
#define FGATE_IKE_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"

enum keys_limits {
	KEYS_ENC_MAX = 32,        /* AES-256 */
	KEYS_IV_MAX = CRYPTO_MAX_BLOCK,
	KEYS_KEYMAT_MAX = 64,     /* encryption + integrity key of one SA */
	KEYS_COOKIE_LEN = 8,
};

struct keys_iv {
	uint8_t iv[KEYS_IV_MAX];
	size_t len;
};

struct ike_keys {
	enum crypto_hash hash;     /* the phase 1 hash; PRF = HMAC of it */
	enum crypto_cipher cipher;
	size_t prf_len;            /* hash output bytes */
	size_t key_len;            /* cipher key bytes */
	size_t block;              /* cipher block bytes */
	uint8_t skeyid[CRYPTO_MAX_HASH];
	uint8_t skeyid_d[CRYPTO_MAX_HASH];
	uint8_t skeyid_a[CRYPTO_MAX_HASH];
	uint8_t skeyid_e[CRYPTO_MAX_HASH];
	uint8_t enc_key[KEYS_ENC_MAX];
	struct keys_iv p1iv;       /* phase 1 chain: IV of the next message */
};

/* prf(key, parts...) = HMAC-hash; out gets crypto_hash_len(h) bytes. */
int keys_prf(enum crypto_hash h, const uint8_t *key, size_t keylen,
	     const struct crypto_part *parts, size_t nparts, uint8_t *out);

/*
 * SKEYID = prf(psk, Ni_b | Nr_b); SKEYID_d = prf(SKEYID, g^xy | CKY-I |
 * CKY-R | 0); SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1);
 * SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2); the cipher
 * key is SKEYID_e cut to key_len, or when shorter K1 | K2 | ... with
 * K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e, Kn-1) (appendix B). Also sets
 * the phase 1 IV from g^xi and g^xr.
 */
struct keys_input {
	enum crypto_hash hash;
	enum crypto_cipher cipher;
	size_t key_len;
	const uint8_t *psk; size_t psk_len;
	const uint8_t *ni; size_t ni_len;       /* nonce bodies */
	const uint8_t *nr; size_t nr_len;
	const uint8_t *gxy; size_t gxy_len;     /* shared secret */
	const uint8_t *gxi; size_t gxi_len;     /* initiator's public value */
	const uint8_t *gxr; size_t gxr_len;
	const uint8_t *icookie, *rcookie;       /* 8 bytes each */
};
int keys_derive(struct ike_keys *k, const struct keys_input *in);
void keys_wipe(struct ike_keys *k);
/* SKEYID, SKEYID_d/a/e and the encryption key through fg_log_keys. */
void keys_log(const struct ike_keys *k, const char *who);

/* HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b) and
 * HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b):
 * pass "mine first" accordingly (initiator: gxi, gxr, icky, rcky). sai is
 * the initiator's SA payload body, id the ID payload body. */
int keys_hash_auth(const struct ike_keys *k, const uint8_t *gx_a, const uint8_t *gx_b,
		   size_t gx_len, const uint8_t *cky_a, const uint8_t *cky_b,
		   const uint8_t *sai, size_t sai_len, const uint8_t *id,
		   size_t id_len, uint8_t *out);

/* hash(phase 1 IV | M-ID) cut to the block: the start of a new exchange. */
int keys_iv_for(const struct ike_keys *k, uint32_t msgid, struct keys_iv *out);
/* CBC with the phase 1 key over len bytes (a multiple of the block) in
 * place; on success iv becomes the last ciphertext block. */
int keys_crypt(const struct ike_keys *k, bool encrypt, struct keys_iv *iv,
	       uint8_t *buf, size_t len);

/* HASH(1) = prf(SKEYID_a, M-ID | rest) (Quick Mode and Informational),
 * HASH(2) = prf(SKEYID_a, M-ID | Ni_b | rest),
 * HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b). */
int keys_hash1(const struct ike_keys *k, uint32_t msgid, const uint8_t *rest,
	       size_t rest_len, uint8_t *out);
int keys_hash2(const struct ike_keys *k, uint32_t msgid, const uint8_t *ni,
	       size_t ni_len, const uint8_t *rest, size_t rest_len, uint8_t *out);
int keys_hash3(const struct ike_keys *k, uint32_t msgid, const uint8_t *ni,
	       size_t ni_len, const uint8_t *nr, size_t nr_len, uint8_t *out);

/* KEYMAT = K1 | K2 | ... cut to len, K1 = prf(SKEYID_d, [g(qm)^xy |]
 * protocol | SPI | Ni_b | Nr_b), Kn = prf(SKEYID_d, Kn-1 | [g(qm)^xy |]
 * protocol | SPI | Ni_b | Nr_b). gqm may be NULL (no PFS). spi is the
 * 4-byte SPI of the SA in network order (the receiver's choice). */
int keys_keymat(const struct ike_keys *k, const uint8_t *gqm, size_t gqm_len,
		uint8_t proto, const uint8_t spi[4], const uint8_t *ni, size_t ni_len,
		const uint8_t *nr, size_t nr_len, uint8_t *out, size_t len);

#endif
