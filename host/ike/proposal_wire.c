/*
 * The numbers IKEv1 puts on the wire for the algorithms of proposal.h, as
 * tables over isakmp_sa.h's enums (each number is written there once), and
 * the key, block, ICV and digest sizes of those algorithms.
 */
#include "ike/proposal.h"

#include "common/err.h"
#include "ike/isakmp_sa.h"

#define N(t) (sizeof(t) / sizeof((t)[0]))

/* ---- sizes ---- */

size_t proposal_encr_key_size(enum proposal_encr e)
{
	switch (e) {
	case PROPOSAL_ENCR_DES: return 8;
	case PROPOSAL_ENCR_3DES: return 24;
	case PROPOSAL_ENCR_AES128: return 16;
	case PROPOSAL_ENCR_AES192: return 24;
	case PROPOSAL_ENCR_AES256: return 32;
	default: return 0;
	}
}

size_t proposal_encr_block_size(enum proposal_encr e)
{
	switch (e) {
	case PROPOSAL_ENCR_DES:
	case PROPOSAL_ENCR_3DES: return 8;
	case PROPOSAL_ENCR_AES128:
	case PROPOSAL_ENCR_AES192:
	case PROPOSAL_ENCR_AES256: return 16;
	case PROPOSAL_ENCR_NULL: return 1;
	default: return 0;
	}
}

size_t proposal_hash_size(enum proposal_integ i)
{
	switch (i) {
	case PROPOSAL_INTEG_MD5: return 16;
	case PROPOSAL_INTEG_SHA1: return 20;
	case PROPOSAL_INTEG_SHA2_256: return 32;
	default: return 0;
	}
}

size_t proposal_integ_key_size(enum proposal_integ i)
{
	return proposal_hash_size(i);   /* RFC 2403, 2404, 4868 */
}

size_t proposal_integ_icv_size(enum proposal_integ i)
{
	switch (i) {
	case PROPOSAL_INTEG_MD5:
	case PROPOSAL_INTEG_SHA1: return 12;          /* -96 */
	case PROPOSAL_INTEG_SHA2_256: return 16;      /* -128 */
	default: return 0;
	}
}

/* ---- wire numbers ---- */

/* One algorithm and its IKEv1 number (isakmp_sa.h), with the Key Length
 * attribute it goes with (bits; 0 for a fixed key). */
struct wire {
	int alg;                /* enum proposal_encr, _integ or _dh */
	unsigned id;
	unsigned keylen;
};

/* Phase 1 Encryption Algorithm (RFC 2409 appendix A, RFC 3602) */
static const struct wire ike_encr_ids[] = {
	{ PROPOSAL_ENCR_DES, ISAKMP_OAKLEY_ENC_DES_CBC, 0 },
	{ PROPOSAL_ENCR_3DES, ISAKMP_OAKLEY_ENC_3DES_CBC, 0 },
	{ PROPOSAL_ENCR_AES128, ISAKMP_OAKLEY_ENC_AES_CBC, 128 },
	{ PROPOSAL_ENCR_AES192, ISAKMP_OAKLEY_ENC_AES_CBC, 192 },
	{ PROPOSAL_ENCR_AES256, ISAKMP_OAKLEY_ENC_AES_CBC, 256 },
};

/* ESP transform IDs (RFC 2407 4.4.4, RFC 3602) */
static const struct wire esp_ids[] = {
	{ PROPOSAL_ENCR_DES, ISAKMP_ESP_DES, 0 },
	{ PROPOSAL_ENCR_3DES, ISAKMP_ESP_3DES, 0 },
	{ PROPOSAL_ENCR_NULL, ISAKMP_ESP_NULL, 0 },
	{ PROPOSAL_ENCR_AES128, ISAKMP_ESP_AES, 128 },
	{ PROPOSAL_ENCR_AES192, ISAKMP_ESP_AES, 192 },
	{ PROPOSAL_ENCR_AES256, ISAKMP_ESP_AES, 256 },
};

/* Phase 1 Hash Algorithm (RFC 2409 appendix A, RFC 4868) */
static const struct wire ike_hash_ids[] = {
	{ PROPOSAL_INTEG_MD5, ISAKMP_OAKLEY_HASH_MD5, 0 },
	{ PROPOSAL_INTEG_SHA1, ISAKMP_OAKLEY_HASH_SHA, 0 },
	{ PROPOSAL_INTEG_SHA2_256, ISAKMP_OAKLEY_HASH_SHA2_256, 0 },
};

/* AH transform IDs (RFC 2407 4.4.3, RFC 4868) */
static const struct wire ah_ids[] = {
	{ PROPOSAL_INTEG_MD5, ISAKMP_AH_MD5, 0 },
	{ PROPOSAL_INTEG_SHA1, ISAKMP_AH_SHA, 0 },
	{ PROPOSAL_INTEG_SHA2_256, ISAKMP_AH_SHA2_256, 0 },
};

/* IPsec DOI Authentication Algorithm (RFC 2407 4.5, RFC 4868) */
static const struct wire auth_ids[] = {
	{ PROPOSAL_INTEG_MD5, ISAKMP_IPSEC_AUTH_HMAC_MD5, 0 },
	{ PROPOSAL_INTEG_SHA1, ISAKMP_IPSEC_AUTH_HMAC_SHA, 0 },
	{ PROPOSAL_INTEG_SHA2_256, ISAKMP_IPSEC_AUTH_HMAC_SHA2_256, 0 },
};

/* Group Description, phase 1 and IPsec DOI alike (RFC 2409 6, RFC 3526) */
static const struct wire dh_ids[] = {
	{ PROPOSAL_DH_MODP768, ISAKMP_OAKLEY_GROUP_MODP768, 0 },
	{ PROPOSAL_DH_MODP1024, ISAKMP_OAKLEY_GROUP_MODP1024, 0 },
	{ PROPOSAL_DH_MODP1536, ISAKMP_OAKLEY_GROUP_MODP1536, 0 },
	{ PROPOSAL_DH_MODP2048, ISAKMP_OAKLEY_GROUP_MODP2048, 0 },
};

/* proposal.h promises that enum proposal_dh holds the group numbers. */
_Static_assert((int)PROPOSAL_DH_MODP768 == (int)ISAKMP_OAKLEY_GROUP_MODP768 &&
	       (int)PROPOSAL_DH_MODP1024 == (int)ISAKMP_OAKLEY_GROUP_MODP1024 &&
	       (int)PROPOSAL_DH_MODP1536 == (int)ISAKMP_OAKLEY_GROUP_MODP1536 &&
	       (int)PROPOSAL_DH_MODP2048 == (int)ISAKMP_OAKLEY_GROUP_MODP2048,
	       "enum proposal_dh values are the IKEv1 group numbers");

/* The number of alg and its key length, or FG_ERR_INVAL (keylen 0). */
static int to_wire(const struct wire *t, size_t n, int alg, uint16_t *keylen)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (t[i].alg == alg) {
			if (keylen)
				*keylen = (uint16_t)t[i].keylen;
			return (int)t[i].id;
		}
	}
	if (keylen)
		*keylen = 0;
	return FG_ERR_INVAL;
}

/* The algorithm of number id with that key length, or FG_ERR_UNSUPP. */
static int from_wire(const struct wire *t, size_t n, unsigned id, unsigned keylen,
		     int *alg)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (t[i].id == id && t[i].keylen == keylen) {
			*alg = t[i].alg;
			return 0;
		}
	}
	return FG_ERR_UNSUPP;
}

static int encr_from_wire(const struct wire *t, size_t n, unsigned id,
			  unsigned keylen, enum proposal_encr *out)
{
	int alg, rc = from_wire(t, n, id, keylen, &alg);

	if (!rc)
		*out = (enum proposal_encr)alg;
	return rc;
}

static int integ_from_wire(const struct wire *t, size_t n, unsigned id,
			   enum proposal_integ *out)
{
	int alg, rc = from_wire(t, n, id, 0, &alg);

	if (!rc)
		*out = (enum proposal_integ)alg;
	return rc;
}

int proposal_ike_encr_to_wire(enum proposal_encr e, uint16_t *keylen)
{
	return to_wire(ike_encr_ids, N(ike_encr_ids), (int)e, keylen);
}

int proposal_ike_encr_from_wire(unsigned id, unsigned keylen, enum proposal_encr *out)
{
	return encr_from_wire(ike_encr_ids, N(ike_encr_ids), id, keylen, out);
}

int proposal_ike_hash_to_wire(enum proposal_integ i)
{
	return to_wire(ike_hash_ids, N(ike_hash_ids), (int)i, NULL);
}

int proposal_ike_hash_from_wire(unsigned id, enum proposal_integ *out)
{
	return integ_from_wire(ike_hash_ids, N(ike_hash_ids), id, out);
}

int proposal_dh_to_wire(enum proposal_dh d)
{
	return to_wire(dh_ids, N(dh_ids), (int)d, NULL);
}

int proposal_dh_from_wire(unsigned id, enum proposal_dh *out)
{
	int alg, rc = from_wire(dh_ids, N(dh_ids), id, 0, &alg);

	if (!rc)
		*out = (enum proposal_dh)alg;
	return rc;
}

int proposal_esp_to_wire(enum proposal_encr e, uint16_t *keylen)
{
	return to_wire(esp_ids, N(esp_ids), (int)e, keylen);
}

int proposal_esp_from_wire(unsigned id, unsigned keylen, enum proposal_encr *out)
{
	return encr_from_wire(esp_ids, N(esp_ids), id, keylen, out);
}

int proposal_ah_to_wire(enum proposal_integ i)
{
	return to_wire(ah_ids, N(ah_ids), (int)i, NULL);
}

int proposal_ah_from_wire(unsigned id, enum proposal_integ *out)
{
	return integ_from_wire(ah_ids, N(ah_ids), id, out);
}

int proposal_auth_to_wire(enum proposal_integ i)
{
	return to_wire(auth_ids, N(auth_ids), (int)i, NULL);
}

int proposal_auth_from_wire(unsigned id, enum proposal_integ *out)
{
	return integ_from_wire(auth_ids, N(auth_ids), id, out);
}
