/*
 * SA payload bodies: proposals, transforms and data attributes (RFC 2408
 * 3.4-3.6), with the Oakley attribute numbers of RFC 2409 appendix A and
 * the IPsec DOI ones of RFC 2407 4.5.
 *
 * isakmp_sa_check() validates a body without allocating (the payload loop
 * runs it on every SA payload); isakmp_sa_decode() does the same walk and
 * returns the proposals for the negotiation code to pick from. The decoded
 * struct points into the caller's buffer. The same struct, filled by hand
 * or taken from a decode, is what isakmp_build_sa() encodes, and decoding
 * then re-encoding any valid body gives back the same bytes.
 *
 * Checks, each with its notify: DOI is IPsec (DOI-NOT-SUPPORTED), situation
 * is SIT_IDENTITY_ONLY (SITUATION-NOT-SUPPORTED); per proposal: its header
 * fits, next is PROPOSAL or NONE and agrees with what follows, reserved
 * zero, length fits, numbers non-decreasing (equal numbers are one logical
 * AND-ed proposal), protocol ISAKMP/AH/ESP/IPCOMP (INVALID-PROTOCOL-ID),
 * SPI size valid for it (INVALID-SPI: ISAKMP 0/8/16, AH/ESP 4, IPCOMP 2/4),
 * at least one transform and the count field equal to the transforms
 * present; per transform: the same chaining rules, unique numbers, reserved
 * zero; per attribute: the TLV fits, no type repeated, and for the known
 * Oakley/IPsec attributes of the proposal's protocol a basic-only one is in
 * TV form and a life duration in TLV form has 1..8 value bytes.
 * Structural faults answer BAD-PROPOSAL-SYNTAX, reserved bytes
 * PAYLOAD-MALFORMED.
 */
#ifndef FGATE_IKE_ISAKMP_SA_H
#define FGATE_IKE_ISAKMP_SA_H

#include <stddef.h>
#include <stdint.h>

#include "ike/isakmp.h"

enum isakmp_sa_limits {
	ISAKMP_PROP_HDR_LEN = 8,
	ISAKMP_XFORM_HDR_LEN = 8,
	ISAKMP_ATTR_HDR_LEN = 4,
	ISAKMP_ATTR_AF = 0x8000,          /* attribute format bit: 1 = TV */
	ISAKMP_ATTR_TYPE_MASK = 0x7fff,
	ISAKMP_ATTR_NUM_MAX_LEN = 8,      /* a TLV value decodes as a number up to this */
	ISAKMP_SA_MAX_XFORMS = 255,       /* the count field is one byte */
};

/* Transform ids: KEY_IKE for ISAKMP (RFC 2407 4.4.2), ESP (4.4.4), AH (4.4.3). */
enum isakmp_transform_id {
	ISAKMP_KEY_IKE = 1,
	ISAKMP_ESP_DES = 2,
	ISAKMP_ESP_3DES = 3,
	ISAKMP_ESP_NULL = 11,
	ISAKMP_ESP_AES = 12,                 /* RFC 3602, key length attribute */
	ISAKMP_AH_MD5 = 2,
	ISAKMP_AH_SHA = 3,
	ISAKMP_AH_SHA2_256 = 5,              /* RFC 4868 */
	ISAKMP_IPCOMP_DEFLATE = 2,
};

/* Oakley (phase 1) attribute types, RFC 2409 appendix A. B = basic only,
 * V = variable (may be sent as TV when the value fits 16 bits). */
enum isakmp_oakley_attr {
	ISAKMP_OAKLEY_ENCRYPTION = 1,     /* B */
	ISAKMP_OAKLEY_HASH = 2,           /* B */
	ISAKMP_OAKLEY_AUTH_METHOD = 3,    /* B */
	ISAKMP_OAKLEY_GROUP_DESC = 4,     /* B */
	ISAKMP_OAKLEY_GROUP_TYPE = 5,     /* B */
	ISAKMP_OAKLEY_GROUP_PRIME = 6,    /* V */
	ISAKMP_OAKLEY_GROUP_GEN_ONE = 7,  /* V */
	ISAKMP_OAKLEY_GROUP_GEN_TWO = 8,  /* V */
	ISAKMP_OAKLEY_GROUP_CURVE_A = 9,  /* V */
	ISAKMP_OAKLEY_GROUP_CURVE_B = 10, /* V */
	ISAKMP_OAKLEY_LIFE_TYPE = 11,     /* B */
	ISAKMP_OAKLEY_LIFE_DURATION = 12, /* V */
	ISAKMP_OAKLEY_PRF = 13,           /* B */
	ISAKMP_OAKLEY_KEY_LENGTH = 14,    /* B */
	ISAKMP_OAKLEY_FIELD_SIZE = 15,    /* B */
	ISAKMP_OAKLEY_GROUP_ORDER = 16,   /* V */
};

enum isakmp_oakley_value {
	ISAKMP_OAKLEY_ENC_DES_CBC = 1,
	ISAKMP_OAKLEY_ENC_IDEA_CBC = 2,
	ISAKMP_OAKLEY_ENC_BLOWFISH_CBC = 3,
	ISAKMP_OAKLEY_ENC_RC5_CBC = 4,
	ISAKMP_OAKLEY_ENC_3DES_CBC = 5,
	ISAKMP_OAKLEY_ENC_CAST_CBC = 6,
	ISAKMP_OAKLEY_ENC_AES_CBC = 7,    /* RFC 3602 */
	ISAKMP_OAKLEY_HASH_MD5 = 1,
	ISAKMP_OAKLEY_HASH_SHA = 2,
	ISAKMP_OAKLEY_HASH_TIGER = 3,
	ISAKMP_OAKLEY_HASH_SHA2_256 = 4,  /* RFC 4868 */
	ISAKMP_OAKLEY_HASH_SHA2_384 = 5,
	ISAKMP_OAKLEY_HASH_SHA2_512 = 6,
	ISAKMP_OAKLEY_AUTH_PSK = 1,
	ISAKMP_OAKLEY_AUTH_DSS_SIG = 2,
	ISAKMP_OAKLEY_AUTH_RSA_SIG = 3,
	ISAKMP_OAKLEY_AUTH_RSA_ENC = 4,
	ISAKMP_OAKLEY_AUTH_RSA_ENC_REV = 5,
	ISAKMP_OAKLEY_GROUP_MODP768 = 1,
	ISAKMP_OAKLEY_GROUP_MODP1024 = 2,
	ISAKMP_OAKLEY_GROUP_EC2N155 = 3,
	ISAKMP_OAKLEY_GROUP_EC2N185 = 4,
	ISAKMP_OAKLEY_GROUP_MODP1536 = 5, /* RFC 3526 */
	ISAKMP_OAKLEY_GROUP_MODP2048 = 14,
	ISAKMP_OAKLEY_GROUP_TYPE_MODP = 1,
	ISAKMP_OAKLEY_GROUP_TYPE_ECP = 2,
	ISAKMP_OAKLEY_GROUP_TYPE_EC2N = 3,
	ISAKMP_OAKLEY_LIFE_SECONDS = 1,
	ISAKMP_OAKLEY_LIFE_KILOBYTES = 2,
};

/* IPsec DOI (phase 2) attribute types, RFC 2407 4.5. */
enum isakmp_ipsec_attr {
	ISAKMP_IPSEC_LIFE_TYPE = 1,       /* B */
	ISAKMP_IPSEC_LIFE_DURATION = 2,   /* V */
	ISAKMP_IPSEC_GROUP_DESC = 3,      /* B */
	ISAKMP_IPSEC_ENCAP_MODE = 4,      /* B */
	ISAKMP_IPSEC_AUTH_ALG = 5,        /* B */
	ISAKMP_IPSEC_KEY_LENGTH = 6,      /* B */
	ISAKMP_IPSEC_KEY_ROUNDS = 7,      /* B */
	ISAKMP_IPSEC_COMP_DICT_SIZE = 8,  /* B */
	ISAKMP_IPSEC_COMP_PRIV_ALG = 9,   /* V */
};

enum isakmp_ipsec_value {
	ISAKMP_IPSEC_LIFE_SECONDS = 1,
	ISAKMP_IPSEC_LIFE_KILOBYTES = 2,
	ISAKMP_IPSEC_ENCAP_TUNNEL = 1,
	ISAKMP_IPSEC_ENCAP_TRANSPORT = 2,
	ISAKMP_IPSEC_ENCAP_UDP_TUNNEL = 3,          /* RFC 3947 */
	ISAKMP_IPSEC_ENCAP_UDP_TRANSPORT = 4,       /* RFC 3947 */
	ISAKMP_IPSEC_ENCAP_UDP_TUNNEL_DRAFT = 61443,    /* draft-ietf-ipsec-nat-t-ike */
	ISAKMP_IPSEC_ENCAP_UDP_TRANSPORT_DRAFT = 61444,
	ISAKMP_IPSEC_AUTH_HMAC_MD5 = 1,
	ISAKMP_IPSEC_AUTH_HMAC_SHA = 2,
	ISAKMP_IPSEC_AUTH_DES_MAC = 3,
	ISAKMP_IPSEC_AUTH_KPDK = 4,
	ISAKMP_IPSEC_AUTH_HMAC_SHA2_256 = 5,   /* RFC 4868 */
};

/*
 * One data attribute. Decoded: val points at the value bytes in the buffer
 * (the 2 bytes of a TV attribute, or the TLV value), len is their count,
 * num their big-endian value when 1 <= len <= 8 (else 0). For encoding,
 * val may be NULL: num is then written, as 2 bytes when basic, else in len
 * bytes (4, or 8 when num needs it, if len is 0). isakmp_attr_num() picks
 * the form RFC 2409 allows for a variable attribute: TV if it fits 16 bits.
 */
struct isakmp_attr {
	uint16_t type;       /* without the AF bit */
	uint8_t basic;       /* 1: TV form */
	uint16_t len;
	const uint8_t *val;
	uint64_t num;
};

struct isakmp_transform {
	uint8_t num;
	uint8_t id;          /* enum isakmp_transform_id for the protocol */
	size_t nattrs;
	struct isakmp_attr *attrs;
	struct isakmp_span raw;   /* decoded only: the transform substructure */
};

struct isakmp_proposal {
	uint8_t num;
	uint8_t proto;       /* enum isakmp_proto */
	uint8_t spi_size;
	const uint8_t *spi;  /* spi_size bytes */
	size_t nxforms;      /* 1..255 */
	struct isakmp_transform *xforms;
	struct isakmp_span raw;
};

struct isakmp_sa {
	uint32_t doi;
	uint32_t situation;
	size_t nprops;
	struct isakmp_proposal *props;
	/* owned by a decode, freed by isakmp_sa_free(); NULL when built by hand */
	void *mem_props, *mem_xforms, *mem_attrs;
};

/* body: the SA payload body (DOI onwards). base_off is added to offsets. */
int isakmp_sa_check(const uint8_t *body, size_t len, size_t base_off, struct isakmp_error *err);
/* On success *sa owns its arrays; free with isakmp_sa_free(). On failure
 * nothing is allocated. */
int isakmp_sa_decode(const uint8_t *body, size_t len, struct isakmp_sa *sa,
		     struct isakmp_error *err);
void isakmp_sa_free(struct isakmp_sa *sa);

/* The attribute of a type in a transform, or NULL. */
const struct isakmp_attr *isakmp_xform_attr(const struct isakmp_transform *x, uint16_t type);
/* Its value as a number: 0, FG_ERR_NOTFOUND, or FG_ERR_RANGE (wider than 8). */
int isakmp_xform_num(const struct isakmp_transform *x, uint16_t type, uint64_t *out);
/* An attribute holding v, TV when v fits 16 bits, else TLV of 4 or 8 bytes. */
struct isakmp_attr isakmp_attr_num(uint16_t type, uint64_t v);

/* Encoded body size, 0 if sa cannot be encoded (then see isakmp_sa_encode). */
size_t isakmp_sa_encoded_len(const struct isakmp_sa *sa);
/* Encodes the body into out (cap bytes), then checks the result with
 * isakmp_sa_check: FG_ERR_INVAL if sa breaks a rule, FG_ERR_RANGE if a
 * length overflows its field or cap. */
int isakmp_sa_encode(const struct isakmp_sa *sa, uint8_t *out, size_t cap, size_t *len);
/* Appends an SA payload; returns its index or a negative fg_err. */
int isakmp_build_sa(struct isakmp_builder *b, const struct isakmp_sa *sa);

#endif
