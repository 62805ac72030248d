/*
 * SA payload bodies: proposals, transforms, data attributes. Hand-built
 * bodies (RFC 2408 3.4-3.6 layouts), one malformed case per rule, the
 * decode -> encode identity, and the attribute helpers.
 */
#include <stdio.h>
#include <string.h>

#include "ike/isakmp_sa.h"
#include "unit.h"

/* strongSwan Main Mode SA body: 3DES, SHA1, PSK, MODP1024, 28800 s (TV). */
static const uint8_t mm_sa[] = {
	0, 0, 0, 1, 0, 0, 0, 1,
	0x00, 0x00, 0x00, 0x28, 0x01, 0x01, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x20, 0x01, 0x01, 0x00, 0x00,
	0x80, 0x01, 0x00, 0x05, 0x80, 0x02, 0x00, 0x02, 0x80, 0x03, 0x00, 0x01,
	0x80, 0x04, 0x00, 0x02, 0x80, 0x0b, 0x00, 0x01, 0x80, 0x0c, 0x70, 0x80,
};

/* Same with life 86400 s, which needs a 4-byte TLV, and a second transform
 * (AES-128 via key length, SHA1, PSK, MODP1024). */
static const uint8_t mm_sa_tlv[] = {
	0, 0, 0, 1, 0, 0, 0, 1,
	/* proposal 1, ISAKMP, no SPI, 2 transforms, len 8 + 36 + 36 = 80 */
	0x00, 0x00, 0x00, 0x50, 0x01, 0x01, 0x00, 0x02,
	/* transform 1: 8 + 5*4 + 8 = 36 */
	0x03, 0x00, 0x00, 0x24, 0x01, 0x01, 0x00, 0x00,
	0x80, 0x01, 0x00, 0x05, 0x80, 0x02, 0x00, 0x02, 0x80, 0x03, 0x00, 0x01,
	0x80, 0x04, 0x00, 0x02, 0x80, 0x0b, 0x00, 0x01,
	0x00, 0x0c, 0x00, 0x04, 0x00, 0x01, 0x51, 0x80,
	/* transform 2: 8 + 7*4 = 36 */
	0x00, 0x00, 0x00, 0x24, 0x02, 0x01, 0x00, 0x00,
	0x80, 0x01, 0x00, 0x07, 0x80, 0x0e, 0x00, 0x80, 0x80, 0x02, 0x00, 0x02,
	0x80, 0x03, 0x00, 0x01, 0x80, 0x04, 0x00, 0x02, 0x80, 0x0b, 0x00, 0x01,
	0x80, 0x0c, 0x70, 0x80,
};

/* Quick Mode: proposal 1 = AH + ESP (same number: AND), proposal 2 = ESP
 * with two transforms. */
static const uint8_t qm_sa[] = {
	0, 0, 0, 1, 0, 0, 0, 1,
	/* @8 proposal 1 AH, SPI 4, 1 transform: 8 + 4 + 16 = 28 */
	0x02, 0x00, 0x00, 0x1c, 0x01, 0x02, 0x04, 0x01, 0xaa, 0xbb, 0xcc, 0x01,
	0x00, 0x00, 0x00, 0x10, 0x01, ISAKMP_AH_SHA, 0x00, 0x00,
	0x80, 0x05, 0x00, 0x02, 0x80, 0x04, 0x00, 0x01,
	/* @36 proposal 1 ESP, SPI 4, 1 transform: 8 + 4 + 20 = 32 */
	0x02, 0x00, 0x00, 0x20, 0x01, 0x03, 0x04, 0x01, 0xaa, 0xbb, 0xcc, 0x02,
	0x00, 0x00, 0x00, 0x14, 0x01, ISAKMP_ESP_3DES, 0x00, 0x00,
	0x80, 0x01, 0x00, 0x01, 0x80, 0x02, 0x0e, 0x10, 0x80, 0x04, 0x00, 0x01,
	/* @68 proposal 2 ESP, SPI 4, 2 transforms: 8 + 4 + 20 + 16 = 48 */
	0x00, 0x00, 0x00, 0x30, 0x02, 0x03, 0x04, 0x02, 0xaa, 0xbb, 0xcc, 0x03,
	0x03, 0x00, 0x00, 0x14, 0x01, ISAKMP_ESP_AES, 0x00, 0x00,
	0x80, 0x06, 0x01, 0x00, 0x00, 0x02, 0x00, 0x04, 0x00, 0x01, 0x51, 0x80,
	0x00, 0x00, 0x00, 0x10, 0x02, ISAKMP_ESP_DES, 0x00, 0x00,
	0x80, 0x05, 0x00, 0x01, 0x80, 0x04, 0x00, 0x02,
};

static void test_decode_mm(void)
{
	struct isakmp_sa sa;
	struct isakmp_error e;
	const struct isakmp_transform *x;
	uint64_t v;

	CU_ASSERT_EQUAL_FATAL(isakmp_sa_decode(mm_sa, sizeof(mm_sa), &sa, &e), 0);
	CU_ASSERT_EQUAL(sa.doi, ISAKMP_DOI_IPSEC);
	CU_ASSERT_EQUAL(sa.situation, ISAKMP_SIT_IDENTITY_ONLY);
	CU_ASSERT_EQUAL_FATAL(sa.nprops, 1);
	CU_ASSERT_EQUAL(sa.props[0].num, 1);
	CU_ASSERT_EQUAL(sa.props[0].proto, ISAKMP_PROTO_ISAKMP);
	CU_ASSERT_EQUAL(sa.props[0].spi_size, 0);
	CU_ASSERT_PTR_EQUAL(sa.props[0].raw.ptr, mm_sa + 8);
	CU_ASSERT_EQUAL(sa.props[0].raw.len, 40);
	CU_ASSERT_EQUAL_FATAL(sa.props[0].nxforms, 1);
	x = &sa.props[0].xforms[0];
	CU_ASSERT_EQUAL(x->num, 1);
	CU_ASSERT_EQUAL(x->id, ISAKMP_KEY_IKE);
	CU_ASSERT_PTR_EQUAL(x->raw.ptr, mm_sa + 16);
	CU_ASSERT_EQUAL(x->raw.len, 32);
	CU_ASSERT_EQUAL_FATAL(x->nattrs, 6);
	CU_ASSERT_EQUAL(x->attrs[0].type, ISAKMP_OAKLEY_ENCRYPTION);
	CU_ASSERT_EQUAL(x->attrs[0].num, ISAKMP_OAKLEY_ENC_3DES_CBC);
	CU_ASSERT_TRUE(x->attrs[0].basic);
	CU_ASSERT_PTR_EQUAL(x->attrs[0].val, mm_sa + 26);   /* zero copy */
	CU_ASSERT_EQUAL(isakmp_xform_num(x, ISAKMP_OAKLEY_HASH, &v), 0);
	CU_ASSERT_EQUAL(v, ISAKMP_OAKLEY_HASH_SHA);
	CU_ASSERT_EQUAL(isakmp_xform_num(x, ISAKMP_OAKLEY_AUTH_METHOD, &v), 0);
	CU_ASSERT_EQUAL(v, ISAKMP_OAKLEY_AUTH_PSK);
	CU_ASSERT_EQUAL(isakmp_xform_num(x, ISAKMP_OAKLEY_GROUP_DESC, &v), 0);
	CU_ASSERT_EQUAL(v, ISAKMP_OAKLEY_GROUP_MODP1024);
	CU_ASSERT_EQUAL(isakmp_xform_num(x, ISAKMP_OAKLEY_LIFE_TYPE, &v), 0);
	CU_ASSERT_EQUAL(v, ISAKMP_OAKLEY_LIFE_SECONDS);
	CU_ASSERT_EQUAL(isakmp_xform_num(x, ISAKMP_OAKLEY_LIFE_DURATION, &v), 0);
	CU_ASSERT_EQUAL(v, 28800);
	CU_ASSERT_EQUAL(isakmp_xform_num(x, ISAKMP_OAKLEY_KEY_LENGTH, &v), FG_ERR_NOTFOUND);
	CU_ASSERT_PTR_NULL(isakmp_xform_attr(x, ISAKMP_OAKLEY_PRF));
	isakmp_sa_free(&sa);
	CU_ASSERT_PTR_NULL(sa.props);
	isakmp_sa_free(&sa);   /* twice is harmless */
	isakmp_sa_free(NULL);
}

/* Life duration as a 4-byte TLV (86400 does not fit 16 bits). */
static void test_decode_life_tlv(void)
{
	struct isakmp_sa sa;
	struct isakmp_error e;
	const struct isakmp_attr *a;
	uint64_t v;

	CU_ASSERT_EQUAL_FATAL(isakmp_sa_decode(mm_sa_tlv, sizeof(mm_sa_tlv), &sa, &e), 0);
	CU_ASSERT_EQUAL_FATAL(sa.props[0].nxforms, 2);
	a = isakmp_xform_attr(&sa.props[0].xforms[0], ISAKMP_OAKLEY_LIFE_DURATION);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_FALSE(a->basic);
	CU_ASSERT_EQUAL(a->len, 4);
	CU_ASSERT_EQUAL(a->num, 86400);
	CU_ASSERT_EQUAL(isakmp_xform_num(&sa.props[0].xforms[1], ISAKMP_OAKLEY_LIFE_DURATION, &v), 0);
	CU_ASSERT_EQUAL(v, 28800);
	CU_ASSERT_EQUAL(isakmp_xform_num(&sa.props[0].xforms[1], ISAKMP_OAKLEY_KEY_LENGTH, &v), 0);
	CU_ASSERT_EQUAL(v, 128);
	CU_ASSERT_EQUAL(sa.props[0].xforms[1].nattrs, 7);
	isakmp_sa_free(&sa);
}

static void test_decode_qm(void)
{
	struct isakmp_sa sa;
	struct isakmp_error e;
	uint64_t v;

	CU_ASSERT_EQUAL_FATAL(isakmp_sa_decode(qm_sa, sizeof(qm_sa), &sa, &e), 0);
	CU_ASSERT_EQUAL_FATAL(sa.nprops, 3);
	CU_ASSERT_EQUAL(sa.props[0].num, 1);
	CU_ASSERT_EQUAL(sa.props[0].proto, ISAKMP_PROTO_AH);
	CU_ASSERT_EQUAL(sa.props[1].num, 1);
	CU_ASSERT_EQUAL(sa.props[1].proto, ISAKMP_PROTO_ESP);
	CU_ASSERT_EQUAL(sa.props[1].spi_size, 4);
	CU_ASSERT_EQUAL(sa.props[1].spi[3], 0x02);
	CU_ASSERT_EQUAL(sa.props[2].num, 2);
	CU_ASSERT_EQUAL_FATAL(sa.props[2].nxforms, 2);
	CU_ASSERT_EQUAL(sa.props[2].xforms[0].id, ISAKMP_ESP_AES);
	CU_ASSERT_EQUAL(isakmp_xform_num(&sa.props[2].xforms[0], ISAKMP_IPSEC_KEY_LENGTH, &v), 0);
	CU_ASSERT_EQUAL(v, 256);
	CU_ASSERT_EQUAL(isakmp_xform_num(&sa.props[2].xforms[0], ISAKMP_IPSEC_LIFE_DURATION, &v), 0);
	CU_ASSERT_EQUAL(v, 86400);
	CU_ASSERT_EQUAL(sa.props[2].xforms[1].id, ISAKMP_ESP_DES);
	CU_ASSERT_EQUAL(isakmp_xform_num(&sa.props[1].xforms[0], ISAKMP_IPSEC_LIFE_DURATION, &v), 0);
	CU_ASSERT_EQUAL(v, 3600);
	isakmp_sa_free(&sa);
}

/* Body of mm_sa_tlv / qm_sa with bytes changed. */
struct sa_case {
	const char *name;
	const uint8_t *base;
	size_t base_len;
	size_t at;
	uint8_t val;
	size_t len;    /* 0 = base_len */
	int rc, notify;
	size_t offset;
};

#define MM mm_sa_tlv, sizeof(mm_sa_tlv)
#define QM qm_sa, sizeof(qm_sa)
#define NOCHANGE ((size_t)-1)

static const struct sa_case sa_cases[] = {
	{ "valid mm", MM, NOCHANGE, 0, 0, 0, 0, 0 },
	{ "valid qm", QM, NOCHANGE, 0, 0, 0, 0, 0 },
	{ "body of 7 bytes", MM, NOCHANGE, 0, 7, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 0 },
	{ "no proposal", MM, NOCHANGE, 0, 8, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 8 },
	{ "DOI ISAKMP (0)", MM, 3, 0, 0, FG_ERR_UNSUPP, ISAKMP_N_DOI_NOT_SUPPORTED, 0 },
	{ "situation 0", MM, 7, 0, 0, FG_ERR_UNSUPP, ISAKMP_N_SITUATION_NOT_SUPPORTED, 4 },
	{ "situation INTEGRITY", MM, 7, 4, 0, FG_ERR_UNSUPP, ISAKMP_N_SITUATION_NOT_SUPPORTED, 4 },
	{ "proposal header cut", MM, NOCHANGE, 0, 15, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 8 },
	{ "proposal length past SA", MM, NOCHANGE, 0, 87, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 10 },
	{ "bytes after the last proposal", MM, NOCHANGE, 0, 89, FG_ERR_PARSE,
	  ISAKMP_N_BAD_PROPOSAL_SYNTAX, 88 },
	{ "proposal next VID", MM, 8, 13, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 8 },
	{ "SPI size 16 eats transform bytes", MM, 14, 16, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 32 },
	{ "ISAKMP SPI size 1", MM, 14, 1, 0, FG_ERR_PARSE, ISAKMP_N_INVALID_SPI, 14 },
	{ "transform count 1 of 2", MM, 15, 1, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 15 },
	{ "transform count 3 of 2", MM, 15, 3, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 15 },
	{ "transform 1 says last", MM, 16, 0, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 52 },
	{ "transform numbers repeat", MM, 56, 1, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 56 },
	{ "transform reserved", MM, 17, 9, 0, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED, 17 },
	{ "transform reserved2", MM, 22, 1, 0, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED, 22 },
	{ "life TLV length 9", MM, 47, 9, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 44 },
	{ "life TLV length 0", MM, 47, 0, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 44 },
	{ "life TLV past transform", MM, 47, 5, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 44 },
	{ "key length as TLV", MM, 64, 0x00, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 64 },
	{ "attribute repeated", MM, 69, 0x01, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 68 },
	{ "attribute header cut", MM, 19, 31, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 44 },
	{ "AH+ESP numbers 1,1 then 0", QM, 72, 0, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 72 },
	{ "ESP SPI size 0", QM, 42, 0, 0, FG_ERR_PARSE, ISAKMP_N_INVALID_SPI, 42 },
	{ "ESP SPI size 8", QM, 42, 8, 0, FG_ERR_PARSE, ISAKMP_N_INVALID_SPI, 42 },
	{ "AH SPI size 16", QM, 14, 16, 0, FG_ERR_PARSE, ISAKMP_N_INVALID_SPI, 14 },
	{ "IPCOMP with a 4-byte CPI", QM, 13, 4, 0, 0, 0, 0 },
	{ "protocol 7", QM, 41, 7, 0, FG_ERR_UNSUPP, ISAKMP_N_INVALID_PROTOCOL_ID, 41 },
	{ "proposal reserved", QM, 37, 1, 0, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED, 37 },
	{ "proposal length 7", QM, 71, 7, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 70 },
	{ "transform length 7", QM, 83, 7, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 82 },
	{ "transform length past proposal", QM, 83, 41, 0, FG_ERR_PARSE,
	  ISAKMP_N_BAD_PROPOSAL_SYNTAX, 82 },
	{ "ESP life TLV past transform", QM, 95, 9, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 92 },
	{ "IPsec encap mode as TLV", QM, 32, 0x00, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 32 },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, 0 }
};

static void test_malformed_table(void)
{
	const struct sa_case *t;

	for (t = sa_cases; t->name; t++) {
		uint8_t buf[256];
		struct isakmp_error e;
		struct isakmp_sa sa;
		size_t len = t->len ? t->len : t->base_len;
		int rc, rc2;

		memset(buf, 0, sizeof(buf));
		memcpy(buf, t->base, t->base_len);
		if (t->at != NOCHANGE)
			buf[t->at] = t->val;
		memset(&e, 0, sizeof(e));
		rc = isakmp_sa_check(buf, len, 0, &e);
		if (rc != t->rc || e.notify != t->notify || (rc && e.offset != t->offset))
			printf("\n  %s: rc %d notify %s offset %zu: %s\n", t->name, rc,
			       isakmp_notify_name((unsigned)e.notify), e.offset, e.reason);
		CU_ASSERT_EQUAL(rc, t->rc);
		CU_ASSERT_EQUAL(e.notify, t->notify);
		if (rc)
			CU_ASSERT_EQUAL(e.offset, t->offset);
		/* decode agrees with check and allocates nothing on failure */
		rc2 = isakmp_sa_decode(buf, len, &sa, NULL);
		CU_ASSERT_EQUAL(rc2, rc);
		if (rc2)
			CU_ASSERT_PTR_NULL(sa.props);
		isakmp_sa_free(&sa);
		/* base_off moves the reported offset */
		if (rc) {
			CU_ASSERT_EQUAL(isakmp_sa_check(buf, len, 100, &e), rc);
			CU_ASSERT_EQUAL(e.offset, t->offset + 100);
		}
	}
}

/* Decoding then encoding a valid body gives back its exact bytes. */
static void test_decode_encode_identity(void)
{
	static const struct { const uint8_t *p; size_t n; } bodies[] = {
		{ mm_sa, sizeof(mm_sa) }, { mm_sa_tlv, sizeof(mm_sa_tlv) }, { qm_sa, sizeof(qm_sa) },
	};
	size_t i;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct isakmp_sa sa;
		uint8_t out[256];
		size_t len = 0;

		CU_ASSERT_EQUAL_FATAL(isakmp_sa_decode(bodies[i].p, bodies[i].n, &sa, NULL), 0);
		CU_ASSERT_EQUAL(isakmp_sa_encoded_len(&sa), bodies[i].n);
		CU_ASSERT_EQUAL(isakmp_sa_encode(&sa, out, sizeof(out), &len), 0);
		CU_ASSERT_EQUAL(len, bodies[i].n);
		CU_ASSERT(len == bodies[i].n && memcmp(out, bodies[i].p, len) == 0);
		CU_ASSERT_EQUAL(isakmp_sa_encode(&sa, out, bodies[i].n - 1, &len), FG_ERR_RANGE);
		isakmp_sa_free(&sa);
	}
}

/* Hand-built SAs: the ESP proposal a Quick Mode initiator offers. */
static void test_encode_by_hand(void)
{
	static const uint8_t spi[4] = { 0xc1, 0x2f, 0x00, 0x01 };
	static const uint8_t prime[128] = { 0xff };
	struct isakmp_attr attrs[4] = {
		isakmp_attr_num(ISAKMP_IPSEC_LIFE_TYPE, ISAKMP_IPSEC_LIFE_SECONDS),
		isakmp_attr_num(ISAKMP_IPSEC_LIFE_DURATION, 86400),
		isakmp_attr_num(ISAKMP_IPSEC_ENCAP_MODE, ISAKMP_IPSEC_ENCAP_TUNNEL),
		isakmp_attr_num(ISAKMP_IPSEC_AUTH_ALG, ISAKMP_IPSEC_AUTH_HMAC_SHA),
	};
	struct isakmp_transform x = { 1, ISAKMP_ESP_3DES, 4, attrs, { NULL, 0 } };
	struct isakmp_proposal p = { 1, ISAKMP_PROTO_ESP, 4, spi, 1, &x, { NULL, 0 } };
	struct isakmp_sa sa = { ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY, 1, &p, NULL, NULL, NULL };
	struct isakmp_sa dec;
	uint8_t out[512];
	size_t len;
	uint64_t v;

	/* 8 + (8 + 4 + (8 + 4 + 8 + 4 + 4)) = 48 */
	CU_ASSERT_EQUAL(attrs[1].basic, 0);
	CU_ASSERT_EQUAL(attrs[1].len, 4);
	CU_ASSERT_EQUAL(attrs[0].basic, 1);
	CU_ASSERT_EQUAL_FATAL(isakmp_sa_encode(&sa, out, sizeof(out), &len), 0);
	CU_ASSERT_EQUAL(len, 48);
	CU_ASSERT_EQUAL(out[32], 0x00);   /* life duration: AF clear */
	CU_ASSERT_EQUAL(out[33], 0x02);
	CU_ASSERT_EQUAL(isakmp_get16(out + 34), 4);
	CU_ASSERT_EQUAL(isakmp_get32(out + 36), 86400);
	CU_ASSERT_EQUAL_FATAL(isakmp_sa_decode(out, len, &dec, NULL), 0);
	CU_ASSERT_EQUAL(isakmp_xform_num(&dec.props[0].xforms[0], ISAKMP_IPSEC_LIFE_DURATION, &v), 0);
	CU_ASSERT_EQUAL(v, 86400);
	isakmp_sa_free(&dec);

	/* 28800 fits: TV */
	attrs[1] = isakmp_attr_num(ISAKMP_IPSEC_LIFE_DURATION, 28800);
	CU_ASSERT_EQUAL(attrs[1].basic, 1);
	CU_ASSERT_EQUAL(isakmp_sa_encode(&sa, out, sizeof(out), &len), 0);
	CU_ASSERT_EQUAL(len, 44);
	CU_ASSERT_EQUAL(isakmp_get16(out + 32), 0x8002);
	CU_ASSERT_EQUAL(isakmp_get16(out + 34), 28800);

	/* 64-bit lifetime: 8-byte TLV */
	attrs[1] = isakmp_attr_num(ISAKMP_IPSEC_LIFE_DURATION, 0x100000000ull);
	CU_ASSERT_EQUAL(attrs[1].len, 8);
	CU_ASSERT_EQUAL(isakmp_sa_encode(&sa, out, sizeof(out), &len), 0);
	CU_ASSERT_EQUAL_FATAL(isakmp_sa_decode(out, len, &dec, NULL), 0);
	CU_ASSERT_EQUAL(isakmp_xform_num(&dec.props[0].xforms[0], ISAKMP_IPSEC_LIFE_DURATION, &v), 0);
	CU_ASSERT_EQUAL(v, 0x100000000ull);
	isakmp_sa_free(&dec);

	/* a basic-only attribute with a value over 16 bits cannot be encoded */
	attrs[1] = isakmp_attr_num(ISAKMP_IPSEC_LIFE_DURATION, 3600);
	attrs[2].num = 70000;
	CU_ASSERT_EQUAL(isakmp_sa_encode(&sa, out, sizeof(out), &len), FG_ERR_RANGE);
	attrs[2] = isakmp_attr_num(ISAKMP_IPSEC_ENCAP_MODE, 70000);   /* picks TLV: rule broken */
	CU_ASSERT_EQUAL(isakmp_sa_encode(&sa, out, sizeof(out), &len), FG_ERR_INVAL);
	attrs[2] = isakmp_attr_num(ISAKMP_IPSEC_ENCAP_MODE, ISAKMP_IPSEC_ENCAP_TUNNEL);
	/* a repeated attribute, an SPI of the wrong size, no transform */
	attrs[3] = isakmp_attr_num(ISAKMP_IPSEC_ENCAP_MODE, ISAKMP_IPSEC_ENCAP_TUNNEL);
	CU_ASSERT_EQUAL(isakmp_sa_encode(&sa, out, sizeof(out), &len), FG_ERR_INVAL);
	attrs[3] = isakmp_attr_num(ISAKMP_IPSEC_AUTH_ALG, ISAKMP_IPSEC_AUTH_HMAC_SHA);
	p.spi_size = 2;
	CU_ASSERT_EQUAL(isakmp_sa_encode(&sa, out, sizeof(out), &len), FG_ERR_INVAL);
	p.spi_size = 4;
	p.nxforms = 0;
	CU_ASSERT_EQUAL(isakmp_sa_encode(&sa, out, sizeof(out), &len), FG_ERR_INVAL);
	p.nxforms = 1;
	CU_ASSERT_EQUAL(isakmp_sa_encode(&sa, out, sizeof(out), &len), 0);

	/* a wide variable attribute (group prime) is carried but has no number */
	{
		struct isakmp_attr oak[2] = {
			isakmp_attr_num(ISAKMP_OAKLEY_ENCRYPTION, ISAKMP_OAKLEY_ENC_3DES_CBC),
			{ ISAKMP_OAKLEY_GROUP_PRIME, 0, sizeof(prime), prime, 0 },
		};
		struct isakmp_transform ox = { 1, ISAKMP_KEY_IKE, 2, oak, { NULL, 0 } };
		struct isakmp_proposal op = { 1, ISAKMP_PROTO_ISAKMP, 0, NULL, 1, &ox, { NULL, 0 } };
		struct isakmp_sa osa = { ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY, 1, &op, NULL, NULL, NULL };

		CU_ASSERT_EQUAL_FATAL(isakmp_sa_encode(&osa, out, sizeof(out), &len), 0);
		CU_ASSERT_EQUAL(len, 8 + 8 + 8 + 4 + 4 + 128);
		CU_ASSERT_EQUAL_FATAL(isakmp_sa_decode(out, len, &dec, NULL), 0);
		CU_ASSERT_EQUAL(isakmp_xform_num(&dec.props[0].xforms[0], ISAKMP_OAKLEY_GROUP_PRIME, &v),
				FG_ERR_RANGE);
		CU_ASSERT_EQUAL(isakmp_xform_attr(&dec.props[0].xforms[0], ISAKMP_OAKLEY_GROUP_PRIME)->len,
				128);
		isakmp_sa_free(&dec);
		/* decreasing proposal numbers are refused */
		{
			struct isakmp_proposal two[2] = { op, op };

			two[1].num = 0;
			osa.props = two;
			osa.nprops = 2;
			CU_ASSERT_EQUAL(isakmp_sa_encode(&osa, out, sizeof(out), &len), FG_ERR_INVAL);
			two[1].num = 2;
			CU_ASSERT_EQUAL(isakmp_sa_encode(&osa, out, sizeof(out), &len), 0);
		}
		/* no proposal at all */
		osa.nprops = 0;
		CU_ASSERT_EQUAL(isakmp_sa_encode(&osa, out, sizeof(out), &len), FG_ERR_INVAL);
	}
}

/* A large offer (strongSwan expands algorithm lists into many transforms):
 * 255 transforms in one proposal decode and re-encode. */
static void test_many_transforms(void)
{
	static struct isakmp_attr attrs[255][3];
	static struct isakmp_transform xf[256];
	static uint8_t out[16384];
	struct isakmp_proposal p = { 1, ISAKMP_PROTO_ISAKMP, 0, NULL, 255, xf, { NULL, 0 } };
	struct isakmp_sa sa = { ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY, 1, &p, NULL, NULL, NULL };
	struct isakmp_sa dec;
	size_t len, i;

	for (i = 0; i < 255; i++) {
		attrs[i][0] = isakmp_attr_num(ISAKMP_OAKLEY_ENCRYPTION, 1 + i % 7);
		attrs[i][1] = isakmp_attr_num(ISAKMP_OAKLEY_HASH, 1 + i % 2);
		attrs[i][2] = isakmp_attr_num(ISAKMP_OAKLEY_LIFE_DURATION, 86400);
		xf[i].num = (uint8_t)(i + 1);
		xf[i].id = ISAKMP_KEY_IKE;
		xf[i].nattrs = 3;
		xf[i].attrs = attrs[i];
	}
	CU_ASSERT_EQUAL_FATAL(isakmp_sa_encode(&sa, out, sizeof(out), &len), 0);
	CU_ASSERT_EQUAL(len, 8 + 8 + 255 * (8 + 4 + 4 + 8));
	CU_ASSERT_EQUAL_FATAL(isakmp_sa_decode(out, len, &dec, NULL), 0);
	CU_ASSERT_EQUAL(dec.props[0].nxforms, 255);
	CU_ASSERT_EQUAL(dec.props[0].xforms[254].num, 255);
	CU_ASSERT_EQUAL(dec.props[0].xforms[254].attrs[2].num, 86400);
	isakmp_sa_free(&dec);
	/* 256 do not fit the count field */
	xf[255] = xf[0];
	xf[255].num = 0;
	p.nxforms = 256;
	CU_ASSERT_EQUAL(isakmp_sa_encode(&sa, out, sizeof(out), &len), FG_ERR_INVAL);
}

/* The builder wraps the encoded body in an SA payload. */
static void test_build_sa_payload(void)
{
	static struct isakmp_msg m;
	struct isakmp_builder b;
	struct isakmp_hdr h;
	struct isakmp_sa sa, bad;
	struct isakmp_error e;
	const struct isakmp_allow allow = { ISAKMP_PT_BIT(ISAKMP_PT_SA), 0 };
	const uint8_t *out;
	size_t len;

	memset(&h, 0, sizeof(h));
	h.icookie[0] = 1;
	h.exch = ISAKMP_EXCH_AGGRESSIVE;
	CU_ASSERT_EQUAL_FATAL(isakmp_sa_decode(qm_sa, sizeof(qm_sa), &sa, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(isakmp_build_init(&b, &h), 0);
	CU_ASSERT_EQUAL(isakmp_build_sa(&b, &sa), 0);
	CU_ASSERT_EQUAL_FATAL(isakmp_build_finish(&b, &out, &len), 0);
	CU_ASSERT_EQUAL(len, ISAKMP_HDR_LEN + 4 + sizeof(qm_sa));
	CU_ASSERT_EQUAL_FATAL(isakmp_msg_parse(out, len, &allow, &m, &e), 0);
	CU_ASSERT(memcmp(isakmp_msg_get(&m, ISAKMP_PT_SA)->body.ptr, qm_sa, sizeof(qm_sa)) == 0);
	isakmp_build_free(&b);

	bad = sa;
	bad.doi = 2;
	CU_ASSERT_EQUAL_FATAL(isakmp_build_init(&b, &h), 0);
	CU_ASSERT_EQUAL(isakmp_build_sa(&b, &bad), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(isakmp_build_finish(&b, &out, &len), FG_ERR_INVAL);
	isakmp_build_free(&b);
	isakmp_sa_free(&sa);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "decode main mode SA", test_decode_mm },
		{ "life duration as TLV", test_decode_life_tlv },
		{ "decode quick mode SA", test_decode_qm },
		{ "malformed SA bodies", test_malformed_table },
		{ "decode then encode is identity", test_decode_encode_identity },
		{ "encode hand-built SAs", test_encode_by_hand },
		{ "255 transforms", test_many_transforms },
		{ "SA payload in a builder", test_build_sa_payload },
		{ NULL, NULL },
	};

	unit_add_suite("isakmp_sa", tests);
	return unit_run("unit-isakmp_sa");
}
