/*
 * MODP Diffie-Hellman for IKEv1 through OpenSSL 3 (EVP_PKEY "DH" with
 * explicit p and g = 2): OAKLEY groups 1 and 2 (RFC 2409 6.1, 6.2), 5
 * (RFC 3526 2) and 14 (RFC 3526 3). The primes are OpenSSL's own copies of
 * the RFC constants (BN_get_rfc2409_prime_*, BN_get_rfc3526_prime_*).
 *
 * Public values and shared secrets are always exactly dh_len() bytes, zero
 * padded on the left, as RFC 2409 5 requires for the KE payload and g^xy.
 * A peer's public value must satisfy 1 < y < p-1 (FG_ERR_INVAL otherwise).
 * A struct dh owns its private key and wipes it in dh_free().
 */
#ifndef FGATE_CRYPTO_DH_H
#define FGATE_CRYPTO_DH_H

#include <stddef.h>
#include <stdint.h>

enum { DH_MAX_LEN = 256 };   /* bytes of the largest prime (group 14) */

struct dh;

/* 1, 2, 5 or 14. Returns 0, FG_ERR_UNSUPP for another group, FG_ERR_NOMEM
 * or FG_ERR_CRYPTO. */
int dh_create(unsigned group, struct dh **out);
/* The same with a given private exponent x (big-endian, 1 < x < p-1), for
 * known-answer tests: the public value is computed from it. */
int dh_create_fixed(unsigned group, const uint8_t *priv, size_t priv_len,
		    struct dh **out);
void dh_free(struct dh *dh);
/* Bytes of the prime (96, 128, 192, 256); 0 for an unknown group. */
size_t dh_group_len(unsigned group);
size_t dh_len(const struct dh *dh);
unsigned dh_group(const struct dh *dh);
/* Our public value g^x mod p, dh_len() bytes into out (cap >= dh_len()). */
int dh_public(const struct dh *dh, uint8_t *out, size_t cap);
/* g^xy mod p from the peer's public value (exactly dh_len() bytes), into
 * out (cap >= dh_len()). FG_ERR_INVAL for a wrong length or a value
 * outside 1 < y < p-1. */
int dh_shared(const struct dh *dh, const uint8_t *peer, size_t peer_len,
	      uint8_t *out, size_t cap);
/* The prime, big-endian into out (for tests and checks). */
int dh_prime(unsigned group, uint8_t *out, size_t cap);

#endif
