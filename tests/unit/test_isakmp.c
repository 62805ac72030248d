/*
 * ISAKMP codec: header, payload loop, per-payload validation, builder.
 * Fixtures are hand-built byte arrays from the RFC 2408/2407/3947 layouts;
 * mm1 reconstructs the first Main Mode message strongSwan 5.9 sends for
 * ike=3des-sha1-modp1024 with PSK and a 28800 s lifetime (SA with one
 * ISAKMP proposal of one KEY_IKE transform, then the XAuth, DPD and
 * RFC 3947 NAT-T vendor IDs). SA body details are in test_isakmp_sa.c.
 */
#include <stdio.h>
#include <string.h>

#include "ike/isakmp.h"
#include "ike/isakmp_sa.h"
#include "unit.h"

#define BIT ISAKMP_PT_BIT

static const uint8_t mm1[] = {
	/* header: icookie, rcookie 0, next SA, 1.0, ID_PROT, flags 0, msgid 0, len 132 */
	0x5b, 0x2e, 0x1d, 0x9a, 0x4c, 0x07, 0x3f, 0x11,
	0, 0, 0, 0, 0, 0, 0, 0,
	0x01, 0x10, 0x02, 0x00, 0, 0, 0, 0, 0, 0, 0, 132,
	/* @28 SA: next VID, len 52, DOI IPsec, SIT_IDENTITY_ONLY */
	0x0d, 0x00, 0x00, 0x34, 0, 0, 0, 1, 0, 0, 0, 1,
	/* @40 proposal 1: last, len 40, ISAKMP, SPI size 0, 1 transform */
	0x00, 0x00, 0x00, 0x28, 0x01, 0x01, 0x00, 0x01,
	/* @48 transform 1: last, len 32, KEY_IKE */
	0x00, 0x00, 0x00, 0x20, 0x01, 0x01, 0x00, 0x00,
	0x80, 0x01, 0x00, 0x05,   /* @56 encryption 3DES-CBC */
	0x80, 0x02, 0x00, 0x02,   /* @60 hash SHA */
	0x80, 0x03, 0x00, 0x01,   /* @64 auth PSK */
	0x80, 0x04, 0x00, 0x02,   /* @68 group 2 (MODP 1024) */
	0x80, 0x0b, 0x00, 0x01,   /* @72 life type seconds */
	0x80, 0x0c, 0x70, 0x80,   /* @76 life duration 28800 */
	/* @80 VID XAuth */
	0x0d, 0x00, 0x00, 0x0c, 0x09, 0x00, 0x26, 0x89, 0xdf, 0xd6, 0xb7, 0x12,
	/* @92 VID DPD (RFC 3706) */
	0x0d, 0x00, 0x00, 0x14, 0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
	0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00,
	/* @112 VID RFC 3947 */
	0x00, 0x00, 0x00, 0x14, 0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
	0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f,
};

static const struct isakmp_allow allow_mm1 = {
	BIT(ISAKMP_PT_SA) | BIT(ISAKMP_PT_VID), BIT(ISAKMP_PT_VID)
};
static const struct isakmp_allow allow_all = { 0xffffffffu, ISAKMP_PT_REPEATABLE };

/* Quick Mode SA body: ESP SPI c12f0001, ESP_3DES, life 86400 s as a TLV. */
static const uint8_t qm_sa[] = {
	0, 0, 0, 1, 0, 0, 0, 1,
	0x00, 0x00, 0x00, 0x28, 0x01, 0x03, 0x04, 0x01, 0xc1, 0x2f, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x1c, 0x01, 0x03, 0x00, 0x00,
	0x80, 0x01, 0x00, 0x01,                          /* life type seconds */
	0x00, 0x02, 0x00, 0x04, 0x00, 0x01, 0x51, 0x80,  /* life 86400 (TLV) */
	0x80, 0x04, 0x00, 0x01,                          /* tunnel */
	0x80, 0x05, 0x00, 0x02,                          /* HMAC-SHA */
};
static const uint8_t id_net1[] = { ISAKMP_ID_IPV4_ADDR_SUBNET, 0, 0, 0, 10, 1, 0, 0, 255, 255, 0, 0 };
static const uint8_t id_net2[] = { ISAKMP_ID_IPV4_ADDR_SUBNET, 0, 0, 0, 10, 2, 0, 0, 255, 255, 0, 0 };
static const uint8_t hash20[20] = { 0xa5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 0x5a };
static const uint8_t nonce16[16] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
				     0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x01 };

/* A payload body for chain()/assemble(): the generic headers are added. */
struct part {
	uint8_t type;
	const uint8_t *body;
	size_t len;
};

/* Payloads chained with correct next/length fields; returns the length.
 * Written here independently of the builder under test. */
static size_t chain(uint8_t *out, const struct part *parts, size_t n)
{
	size_t pos = 0, i;

	for (i = 0; i < n; i++) {
		out[pos] = i + 1 < n ? parts[i + 1].type : 0;
		out[pos + 1] = 0;
		out[pos + 2] = (uint8_t)((parts[i].len + 4) >> 8);
		out[pos + 3] = (uint8_t)(parts[i].len + 4);
		if (parts[i].len)
			memcpy(out + pos + 4, parts[i].body, parts[i].len);
		pos += 4 + parts[i].len;
	}
	return pos;
}

/* Header (cookies from mm1) + chain; the header length covers extra bytes
 * of zero padding appended after the chain. */
static size_t assemble(uint8_t *out, uint8_t exch, uint8_t flags, const struct part *parts,
		       size_t n, size_t extra)
{
	size_t len;

	memcpy(out, mm1, ISAKMP_HDR_LEN);
	out[16] = n ? parts[0].type : 0;
	out[18] = exch;
	out[19] = flags;
	len = ISAKMP_HDR_LEN + chain(out + ISAKMP_HDR_LEN, parts, n);
	memset(out + len, 0, extra);
	len += extra;
	isakmp_put32(out + 24, (uint32_t)len);
	return len;
}

static void test_mm1_decodes(void)
{
	static struct isakmp_msg m;
	struct isakmp_error e;
	const struct isakmp_payload *sa, *v;
	int rc = isakmp_msg_parse(mm1, sizeof(mm1), &allow_mm1, &m, &e);

	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_EQUAL(m.hdr.major, 1);
	CU_ASSERT_EQUAL(m.hdr.minor, 0);
	CU_ASSERT_EQUAL(m.hdr.exch, ISAKMP_EXCH_IDPROT);
	CU_ASSERT_EQUAL(m.hdr.next, ISAKMP_PT_SA);
	CU_ASSERT_EQUAL(m.hdr.length, sizeof(mm1));
	CU_ASSERT_EQUAL(m.hdr.msgid, 0);
	CU_ASSERT(memcmp(m.hdr.icookie, mm1, 8) == 0);
	CU_ASSERT_FALSE(m.encrypted);
	CU_ASSERT_EQUAL(m.npayloads, 4);
	CU_ASSERT_EQUAL(isakmp_msg_count(&m, ISAKMP_PT_SA), 1);
	CU_ASSERT_EQUAL(isakmp_msg_count(&m, ISAKMP_PT_VID), 3);
	CU_ASSERT_EQUAL(isakmp_msg_count(&m, ISAKMP_PT_KE), 0);
	CU_ASSERT_PTR_NULL(isakmp_msg_get(&m, ISAKMP_PT_KE));
	CU_ASSERT_PTR_NULL(isakmp_msg_get(&m, 200));

	sa = isakmp_msg_get(&m, ISAKMP_PT_SA);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sa);
	CU_ASSERT_EQUAL(sa->offset, 0);                /* from the body start */
	CU_ASSERT_PTR_EQUAL(sa->raw.ptr, mm1 + 28);    /* zero copy */
	CU_ASSERT_EQUAL(sa->raw.len, 52);
	CU_ASSERT_PTR_EQUAL(sa->body.ptr, mm1 + 32);   /* "SAi_b" for HASH_I */
	CU_ASSERT_EQUAL(sa->body.len, 48);
	CU_ASSERT_EQUAL(sa->u.sa.doi, ISAKMP_DOI_IPSEC);
	CU_ASSERT_EQUAL(sa->u.sa.situation, ISAKMP_SIT_IDENTITY_ONLY);
	CU_ASSERT_PTR_EQUAL(sa->u.sa.props.ptr, mm1 + 40);
	CU_ASSERT_EQUAL(sa->u.sa.props.len, 40);
	CU_ASSERT_EQUAL(sa->next, ISAKMP_PT_VID);

	v = isakmp_msg_get(&m, ISAKMP_PT_VID);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL(v->body.len, 8);
	CU_ASSERT_PTR_EQUAL(v->body.ptr, mm1 + 84);
	v = isakmp_msg_next(&m, v);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL(v->body.len, 16);
	CU_ASSERT_EQUAL(v->body.ptr[0], 0xaf);
	v = isakmp_msg_next(&m, v);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL(v->body.ptr[0], 0x4a);
	CU_ASSERT_EQUAL(v->next, ISAKMP_PT_NONE);
	CU_ASSERT_PTR_NULL(isakmp_msg_next(&m, v));
	CU_ASSERT_EQUAL(m.chain_end, sizeof(mm1) - ISAKMP_HDR_LEN);
}

/* One byte (or n bytes) of mm1 changed, or the datagram cut short. */
#define EMPTY ((size_t)-1)

struct mutation {
	const char *name;
	size_t at, n;       /* n bytes at 'at' set to val (n 0: none) */
	uint8_t val;
	size_t len;         /* datagram length, 0 = whole, EMPTY = 0 bytes */
	int rc, notify;
	size_t offset;
};

static const struct mutation mutations[] = {
	{ "empty datagram", 0, 0, 0, EMPTY, FG_ERR_TRUNC, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, 0 },
	{ "header of 27 bytes", 0, 0, 0, 27, FG_ERR_TRUNC, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, 0 },
	{ "major version 2", 17, 1, 0x20, 0, FG_ERR_UNSUPP, ISAKMP_N_INVALID_MAJOR_VERSION, 17 },
	{ "major version 0", 17, 1, 0x00, 0, FG_ERR_UNSUPP, ISAKMP_N_INVALID_MAJOR_VERSION, 17 },
	{ "minor version 1", 17, 1, 0x11, 0, FG_ERR_UNSUPP, ISAKMP_N_INVALID_MINOR_VERSION, 17 },
	{ "length > datagram", 27, 1, 133, 0, FG_ERR_TRUNC, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, 24 },
	{ "length < datagram", 27, 1, 131, 0, FG_ERR_PARSE, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, 24 },
	{ "datagram cut by one", 0, 0, 0, 131, FG_ERR_TRUNC, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, 24 },
	{ "length 2^32-1", 24, 4, 0xff, 0, FG_ERR_TRUNC, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, 24 },
	{ "zero initiator cookie", 0, 8, 0, 0, FG_ERR_PARSE, ISAKMP_N_INVALID_COOKIE, 0 },
	{ "first payload unknown", 16, 1, 14, 0, FG_ERR_PARSE, ISAKMP_N_INVALID_PAYLOAD_TYPE, 16 },
	{ "first payload NONE", 16, 1, 0, 0, FG_ERR_PARSE, ISAKMP_N_INVALID_PAYLOAD_TYPE, 16 },
	{ "first payload 255", 16, 1, 255, 0, FG_ERR_PARSE, ISAKMP_N_INVALID_PAYLOAD_TYPE, 16 },
	{ "exchange type 7", 18, 1, 7, 0, FG_ERR_UNSUPP, ISAKMP_N_INVALID_EXCHANGE_TYPE, 18 },
	{ "exchange type 0", 18, 1, 0, 0, FG_ERR_UNSUPP, ISAKMP_N_INVALID_EXCHANGE_TYPE, 18 },
	{ "undefined flag", 19, 1, 0x08, 0, FG_ERR_PARSE, ISAKMP_N_INVALID_FLAGS, 19 },
	{ "SA next unknown", 28, 1, 14, 0, FG_ERR_PARSE, ISAKMP_N_INVALID_PAYLOAD_TYPE, 28 },
	{ "SA next draft NAT-D 130", 28, 1, 130, 0, FG_ERR_PARSE, ISAKMP_N_INVALID_PAYLOAD_TYPE, 28 },
	{ "SA reserved non-zero", 29, 1, 1, 0, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED, 29 },
	{ "SA length 8 < 12", 31, 1, 8, 0, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED, 30 },
	{ "SA length 3 < 4", 31, 1, 3, 0, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED, 30 },
	{ "SA length past end", 30, 1, 1, 0, FG_ERR_TRUNC, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, 30 },
	{ "SA followed by PROPOSAL", 28, 1, 2, 0, FG_ERR_PARSE, ISAKMP_N_INVALID_PAYLOAD_TYPE, 80 },
	{ "DOI 2", 35, 1, 2, 0, FG_ERR_UNSUPP, ISAKMP_N_DOI_NOT_SUPPORTED, 32 },
	{ "situation SECRECY", 39, 1, 2, 0, FG_ERR_UNSUPP, ISAKMP_N_SITUATION_NOT_SUPPORTED, 36 },
	{ "proposal next TRANSFORM", 40, 1, 3, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 40 },
	{ "proposal next PROPOSAL, none", 40, 1, 2, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 80 },
	{ "proposal reserved", 41, 1, 1, 0, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED, 41 },
	{ "proposal length past SA", 43, 1, 41, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 42 },
	{ "proposal length 7", 43, 1, 7, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 42 },
	{ "protocol 5", 45, 1, 5, 0, FG_ERR_UNSUPP, ISAKMP_N_INVALID_PROTOCOL_ID, 45 },
	{ "protocol 0", 45, 1, 0, 0, FG_ERR_UNSUPP, ISAKMP_N_INVALID_PROTOCOL_ID, 45 },
	{ "ISAKMP SPI size 4", 46, 1, 4, 0, FG_ERR_PARSE, ISAKMP_N_INVALID_SPI, 46 },
	{ "transform count 2", 47, 1, 2, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 47 },
	{ "transform count 0", 47, 1, 0, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 47 },
	{ "transform next T, none", 48, 1, 3, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 80 },
	{ "transform next SA", 48, 1, 1, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 48 },
	{ "transform reserved", 49, 1, 1, 0, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED, 49 },
	{ "transform length 33", 51, 1, 33, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 50 },
	{ "transform length 7", 51, 1, 7, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 50 },
	{ "transform length 31", 51, 1, 31, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 76 },
	{ "transform reserved2", 55, 1, 1, 0, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED, 54 },
	{ "basic attribute as TLV", 56, 1, 0, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 56 },
	{ "attribute repeated", 61, 1, 1, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 60 },
	{ "attribute TLV past end", 76, 1, 0, 0, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 76 },
	{ "VID length past end", 115, 1, 21, 0, FG_ERR_TRUNC, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, 114 },
	{ "VID length 3", 115, 1, 3, 0, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED, 114 },
	{ "last VID next VID", 112, 1, 13, 0, FG_ERR_TRUNC, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, 132 },
	{ "VID next unknown 99", 92, 1, 99, 0, FG_ERR_PARSE, ISAKMP_N_INVALID_PAYLOAD_TYPE, 92 },
	{ "VID reserved", 93, 1, 0x80, 0, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED, 93 },
	{ "VID becomes KE (not allowed)", 28, 1, 4, 0, FG_ERR_PARSE, ISAKMP_N_INVALID_PAYLOAD_TYPE, 80 },
	{ NULL, 0, 0, 0, 0, 0, 0, 0 }
};

static void test_mm1_mutations(void)
{
	const struct mutation *t;

	for (t = mutations; t->name; t++) {
		static struct isakmp_msg m;
		uint8_t buf[sizeof(mm1)];
		struct isakmp_error e;
		size_t len = t->len == EMPTY ? 0 : t->len ? t->len : sizeof(mm1);
		int rc;

		memcpy(buf, mm1, sizeof(mm1));
		memset(buf + t->at, t->val, t->n);
		memset(&e, 0, sizeof(e));
		rc = isakmp_msg_parse(buf, len, &allow_mm1, &m, &e);
		if (rc != t->rc || e.notify != t->notify || e.offset != t->offset)
			printf("\n  %s: rc %d (%s) notify %s offset %zu: %s\n", t->name, rc,
			       fg_err_name(rc), isakmp_notify_name((unsigned)e.notify), e.offset,
			       e.reason);
		CU_ASSERT_EQUAL(rc, t->rc);
		CU_ASSERT_EQUAL(e.notify, t->notify);
		CU_ASSERT_EQUAL(e.offset, t->offset);
		CU_ASSERT(strstr(e.reason, "(offset ") != NULL);
	}
}

/* Not allowed at this step, and duplicates. */
static void test_allowed_and_repeat(void)
{
	static struct isakmp_msg m;
	const struct isakmp_allow sa_only = { BIT(ISAKMP_PT_SA), 0 };
	const struct isakmp_allow no_repeat = { BIT(ISAKMP_PT_SA) | BIT(ISAKMP_PT_VID), 0 };
	const struct isakmp_allow qm = {
		BIT(ISAKMP_PT_HASH) | BIT(ISAKMP_PT_SA) | BIT(ISAKMP_PT_NONCE) | BIT(ISAKMP_PT_ID),
		BIT(ISAKMP_PT_ID)
	};
	const struct part two_sa[] = { { ISAKMP_PT_SA, mm1 + 32, 48 }, { ISAKMP_PT_SA, mm1 + 32, 48 } };
	const struct part qm_parts[] = {
		{ ISAKMP_PT_HASH, hash20, 20 }, { ISAKMP_PT_SA, qm_sa, sizeof(qm_sa) },
		{ ISAKMP_PT_NONCE, nonce16, 16 }, { ISAKMP_PT_ID, id_net1, 12 },
		{ ISAKMP_PT_ID, id_net2, 12 },
	};
	struct isakmp_error e;
	uint8_t buf[512];
	size_t len;

	CU_ASSERT_EQUAL(isakmp_msg_parse(mm1, sizeof(mm1), &sa_only, &m, &e), FG_ERR_PARSE);
	CU_ASSERT_EQUAL(e.notify, ISAKMP_N_INVALID_PAYLOAD_TYPE);
	CU_ASSERT_EQUAL(e.offset, 80);
	CU_ASSERT_EQUAL(e.payload, ISAKMP_PT_VID);

	CU_ASSERT_EQUAL(isakmp_msg_parse(mm1, sizeof(mm1), &no_repeat, &m, &e), FG_ERR_PARSE);
	CU_ASSERT_EQUAL(e.notify, ISAKMP_N_INVALID_PAYLOAD_TYPE);
	CU_ASSERT_EQUAL(e.offset, 92);   /* the second VID */

	len = assemble(buf, ISAKMP_EXCH_IDPROT, 0, two_sa, 2, 0);
	CU_ASSERT_EQUAL(isakmp_msg_parse(buf, len, &allow_all, &m, &e), FG_ERR_PARSE);
	CU_ASSERT_EQUAL(e.notify, ISAKMP_N_INVALID_PAYLOAD_TYPE);
	CU_ASSERT_EQUAL(e.offset, 80);

	/* Quick Mode: two IDs allowed because the caller says ID repeats */
	len = assemble(buf, ISAKMP_EXCH_QUICK, 0, qm_parts, 5, 0);
	CU_ASSERT_EQUAL(isakmp_msg_parse(buf, len, &qm, &m, &e), 0);
	CU_ASSERT_EQUAL(isakmp_msg_count(&m, ISAKMP_PT_ID), 2);
	{
		const struct isakmp_payload *id = isakmp_msg_get(&m, ISAKMP_PT_ID);

		CU_ASSERT_PTR_NOT_NULL_FATAL(id);
		CU_ASSERT_EQUAL(id->u.id.type, ISAKMP_ID_IPV4_ADDR_SUBNET);
		CU_ASSERT_EQUAL(id->u.id.data.len, 8);
		CU_ASSERT_EQUAL(id->u.id.data.ptr[1], 1);
		id = isakmp_msg_next(&m, id);
		CU_ASSERT_PTR_NOT_NULL_FATAL(id);
		CU_ASSERT_EQUAL(id->u.id.data.ptr[1], 2);
	}
	/* ... and rejected when it does not */
	{
		struct isakmp_allow qm1 = qm;

		qm1.repeat = 0;
		CU_ASSERT_EQUAL(isakmp_msg_parse(buf, len, &qm1, &m, &e), FG_ERR_PARSE);
		CU_ASSERT_EQUAL(e.notify, ISAKMP_N_INVALID_PAYLOAD_TYPE);
		CU_ASSERT_EQUAL(e.payload, ISAKMP_PT_ID);
	}
	/* PROPOSAL/TRANSFORM never at the top level, even if the caller allows all */
	{
		const struct part prop[] = { { ISAKMP_PT_PROPOSAL, mm1 + 44, 36 } };

		len = assemble(buf, ISAKMP_EXCH_IDPROT, 0, prop, 1, 0);
		CU_ASSERT_EQUAL(isakmp_msg_parse(buf, len, &allow_all, &m, &e), FG_ERR_PARSE);
		CU_ASSERT_EQUAL(e.notify, ISAKMP_N_INVALID_PAYLOAD_TYPE);
	}
}

/* A single-payload message of type with body; returns parse rc. */
static int parse_one(uint8_t type, const uint8_t *body, size_t blen, struct isakmp_msg *m,
		     struct isakmp_error *e)
{
	static uint8_t buf[1024];
	const struct part p = { type, body, blen };
	size_t len = assemble(buf, ISAKMP_EXCH_INFO, 0, &p, 1, 0);

	memset(e, 0, sizeof(*e));
	return isakmp_msg_parse(buf, len, &allow_all, m, e);
}

struct payload_case {
	const char *name;
	uint8_t type;
	const uint8_t *body;
	size_t len;
	int rc, notify;
};

static uint8_t zeros[300];
static const uint8_t id_v4[] = { ISAKMP_ID_IPV4_ADDR, 17, 0x01, 0xf4, 192, 0, 2, 1 };
static const uint8_t id_v4_short[] = { ISAKMP_ID_IPV4_ADDR, 0, 0, 0, 192, 0, 2 };
static const uint8_t id_v4_range[] = { ISAKMP_ID_IPV4_ADDR_RANGE, 0, 0, 0, 10, 0, 0, 1, 10, 0, 0, 9 };
static const uint8_t id_v4_range_bad[] = { ISAKMP_ID_IPV4_ADDR_RANGE, 0, 0, 0, 10, 0, 0, 9, 10, 0, 0, 1 };
static const uint8_t id_v4_subnet_long[] = { ISAKMP_ID_IPV4_ADDR_SUBNET, 0, 0, 0, 10, 0, 0, 0, 255, 0, 0, 0, 0 };
static const uint8_t id_fqdn[] = { ISAKMP_ID_FQDN, 0, 0, 0, 'g', 'w', '.', 'e', 'x' };
static const uint8_t id_fqdn_empty[] = { ISAKMP_ID_FQDN, 0, 0, 0 };
static const uint8_t id_ufqdn[] = { ISAKMP_ID_USER_FQDN, 0, 0, 0, 'a', '@', 'b' };
static const uint8_t id_keyid[] = { ISAKMP_ID_KEY_ID, 0, 0, 0, 0x01, 0x02 };
static const uint8_t id_v6[] = { ISAKMP_ID_IPV6_ADDR, 0, 0, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
				 0, 0, 0, 0, 0, 0, 0, 1 };
static const uint8_t id_type12[] = { 12, 0, 0, 0, 1, 2, 3, 4 };
static const uint8_t id_type0[] = { 0, 0, 0, 0, 1, 2, 3, 4 };
/* DPD R-U-THERE: DOI 1, ISAKMP, SPI = both cookies, sequence number */
static const uint8_t n_dpd[] = { 0, 0, 0, 1, 1, 16, 0x8d, 0x28,
				 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
				 0, 0, 0x12, 0x34 };
static const uint8_t n_ic[] = { 0, 0, 0, 1, 1, 0, 0x60, 0x02 };            /* INITIAL-CONTACT */
static const uint8_t n_esp_spi3[] = { 0, 0, 0, 1, 3, 3, 0, 14, 1, 2, 3 };
static const uint8_t n_spi_past[] = { 0, 0, 0, 1, 3, 4, 0, 14, 1, 2 };
static const uint8_t n_doi7[] = { 0, 0, 0, 7, 1, 0, 0, 14 };
static const uint8_t n_proto9[] = { 0, 0, 0, 1, 9, 0, 0, 14 };
static const uint8_t n_type0[] = { 0, 0, 0, 1, 1, 0, 0, 0 };
static const uint8_t n_isakmp_spi8[] = { 0, 0, 0, 1, 1, 8, 0x8d, 0x29, 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t d_esp2[] = { 0, 0, 0, 1, 3, 4, 0, 2, 0xc1, 0x2f, 0, 1, 0xc1, 0x2f, 0, 2 };
static const uint8_t d_isakmp[] = { 0, 0, 0, 1, 1, 16, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8,
				    9, 10, 11, 12, 13, 14, 15, 16 };
static const uint8_t d_count3[] = { 0, 0, 0, 1, 3, 4, 0, 3, 0xc1, 0x2f, 0, 1, 0xc1, 0x2f, 0, 2 };
static const uint8_t d_count0[] = { 0, 0, 0, 1, 3, 4, 0, 0 };
static const uint8_t d_esp16[] = { 0, 0, 0, 1, 3, 16, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8,
				   9, 10, 11, 12, 13, 14, 15, 16 };
static const uint8_t d_isakmp4[] = { 0, 0, 0, 1, 1, 4, 0, 1, 1, 2, 3, 4 };
static const uint8_t d_proto0[] = { 0, 0, 0, 1, 0, 4, 0, 1, 1, 2, 3, 4 };
static const uint8_t d_doi9[] = { 0, 0, 0, 9, 3, 4, 0, 1, 1, 2, 3, 4 };
static const uint8_t oa_v4[] = { ISAKMP_ID_IPV4_ADDR, 0, 0, 0, 192, 168, 1, 10 };
static const uint8_t oa_v6[] = { ISAKMP_ID_IPV6_ADDR, 0, 0, 0, 0xfe, 0x80, 0, 0, 0, 0, 0, 0,
				 0, 0, 0, 0, 0, 0, 0, 1 };
static const uint8_t oa_v4_long[] = { ISAKMP_ID_IPV4_ADDR, 0, 0, 0, 192, 168, 1, 10, 0 };
static const uint8_t oa_fqdn[] = { ISAKMP_ID_FQDN, 0, 0, 0, 'a', 'b', 'c', 'd' };
static const uint8_t oa_reserved[] = { ISAKMP_ID_IPV4_ADDR, 0, 1, 0, 192, 168, 1, 10 };
static const uint8_t cert_x509[] = { 4, 0x30, 0x82, 0x01, 0x00 };
static const uint8_t cr_any[] = { 4 };
static const uint8_t sa_short[] = { 0, 0, 0, 1, 0, 0, 0 };

static const struct payload_case payload_cases[] = {
	{ "nonce 7 bytes", ISAKMP_PT_NONCE, zeros, 7, FG_ERR_RANGE, ISAKMP_N_PAYLOAD_MALFORMED },
	{ "nonce 8 bytes", ISAKMP_PT_NONCE, zeros, 8, 0, 0 },
	{ "nonce 256 bytes", ISAKMP_PT_NONCE, zeros, 256, 0, 0 },
	{ "nonce 257 bytes", ISAKMP_PT_NONCE, zeros, 257, FG_ERR_RANGE, ISAKMP_N_PAYLOAD_MALFORMED },
	{ "nonce empty", ISAKMP_PT_NONCE, zeros, 0, FG_ERR_RANGE, ISAKMP_N_PAYLOAD_MALFORMED },
	{ "KE 128 bytes", ISAKMP_PT_KE, zeros, 128, 0, 0 },
	{ "KE empty", ISAKMP_PT_KE, zeros, 0, FG_ERR_PARSE, ISAKMP_N_INVALID_KEY_INFORMATION },
	{ "HASH 20 bytes", ISAKMP_PT_HASH, hash20, 20, 0, 0 },
	{ "HASH empty", ISAKMP_PT_HASH, zeros, 0, FG_ERR_PARSE, ISAKMP_N_INVALID_HASH_INFORMATION },
	{ "SIG empty", ISAKMP_PT_SIG, zeros, 0, FG_ERR_PARSE, ISAKMP_N_INVALID_SIGNATURE },
	{ "SIG opaque", ISAKMP_PT_SIG, zeros, 64, 0, 0 },
	{ "NAT-D 20 bytes", ISAKMP_PT_NAT_D, hash20, 20, 0, 0 },
	{ "NAT-D empty", ISAKMP_PT_NAT_D, zeros, 0, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED },
	{ "VID empty", ISAKMP_PT_VID, zeros, 0, 0, 0 },
	{ "CERT x509", ISAKMP_PT_CERT, cert_x509, sizeof(cert_x509), 0, 0 },
	{ "CERT without encoding", ISAKMP_PT_CERT, zeros, 0, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED },
	{ "CR any CA", ISAKMP_PT_CR, cr_any, 1, 0, 0 },
	{ "SA body 7 bytes", ISAKMP_PT_SA, sa_short, 7, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED },
	{ "SA without proposals", ISAKMP_PT_SA, mm1 + 32, 8, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX },
	{ "ID IPv4 addr", ISAKMP_PT_ID, id_v4, sizeof(id_v4), 0, 0 },
	{ "ID IPv4 addr 3 bytes", ISAKMP_PT_ID, id_v4_short, sizeof(id_v4_short), FG_ERR_PARSE,
	  ISAKMP_N_INVALID_ID_INFORMATION },
	{ "ID IPv4 range", ISAKMP_PT_ID, id_v4_range, sizeof(id_v4_range), 0, 0 },
	{ "ID IPv4 range reversed", ISAKMP_PT_ID, id_v4_range_bad, sizeof(id_v4_range_bad),
	  FG_ERR_PARSE, ISAKMP_N_INVALID_ID_INFORMATION },
	{ "ID IPv4 subnet 9 bytes", ISAKMP_PT_ID, id_v4_subnet_long, sizeof(id_v4_subnet_long),
	  FG_ERR_PARSE, ISAKMP_N_INVALID_ID_INFORMATION },
	{ "ID IPv4 subnet", ISAKMP_PT_ID, id_net1, sizeof(id_net1), 0, 0 },
	{ "ID FQDN", ISAKMP_PT_ID, id_fqdn, sizeof(id_fqdn), 0, 0 },
	{ "ID FQDN empty", ISAKMP_PT_ID, id_fqdn_empty, sizeof(id_fqdn_empty), FG_ERR_PARSE,
	  ISAKMP_N_INVALID_ID_INFORMATION },
	{ "ID USER_FQDN", ISAKMP_PT_ID, id_ufqdn, sizeof(id_ufqdn), 0, 0 },
	{ "ID KEY_ID", ISAKMP_PT_ID, id_keyid, sizeof(id_keyid), 0, 0 },
	{ "ID IPv6 addr", ISAKMP_PT_ID, id_v6, sizeof(id_v6), 0, 0 },
	{ "ID type 12", ISAKMP_PT_ID, id_type12, sizeof(id_type12), FG_ERR_UNSUPP,
	  ISAKMP_N_INVALID_ID_INFORMATION },
	{ "ID type 0", ISAKMP_PT_ID, id_type0, sizeof(id_type0), FG_ERR_UNSUPP,
	  ISAKMP_N_INVALID_ID_INFORMATION },
	{ "ID 3 bytes", ISAKMP_PT_ID, id_v4, 3, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED },
	{ "NOTIFY R-U-THERE", ISAKMP_PT_NOTIFY, n_dpd, sizeof(n_dpd), 0, 0 },
	{ "NOTIFY INITIAL-CONTACT", ISAKMP_PT_NOTIFY, n_ic, sizeof(n_ic), 0, 0 },
	{ "NOTIFY ISAKMP SPI 8", ISAKMP_PT_NOTIFY, n_isakmp_spi8, sizeof(n_isakmp_spi8), 0, 0 },
	{ "NOTIFY ESP SPI size 3", ISAKMP_PT_NOTIFY, n_esp_spi3, sizeof(n_esp_spi3), FG_ERR_PARSE,
	  ISAKMP_N_INVALID_SPI },
	{ "NOTIFY SPI past end", ISAKMP_PT_NOTIFY, n_spi_past, sizeof(n_spi_past), FG_ERR_PARSE,
	  ISAKMP_N_PAYLOAD_MALFORMED },
	{ "NOTIFY DOI 7", ISAKMP_PT_NOTIFY, n_doi7, sizeof(n_doi7), FG_ERR_UNSUPP,
	  ISAKMP_N_DOI_NOT_SUPPORTED },
	{ "NOTIFY protocol 9", ISAKMP_PT_NOTIFY, n_proto9, sizeof(n_proto9), FG_ERR_UNSUPP,
	  ISAKMP_N_INVALID_PROTOCOL_ID },
	{ "NOTIFY type 0", ISAKMP_PT_NOTIFY, n_type0, sizeof(n_type0), FG_ERR_PARSE,
	  ISAKMP_N_PAYLOAD_MALFORMED },
	{ "NOTIFY 7 bytes", ISAKMP_PT_NOTIFY, n_ic, 7, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED },
	{ "DELETE 2 ESP SPIs", ISAKMP_PT_DELETE, d_esp2, sizeof(d_esp2), 0, 0 },
	{ "DELETE ISAKMP SA", ISAKMP_PT_DELETE, d_isakmp, sizeof(d_isakmp), 0, 0 },
	{ "DELETE count 3 of 2", ISAKMP_PT_DELETE, d_count3, sizeof(d_count3), FG_ERR_PARSE,
	  ISAKMP_N_PAYLOAD_MALFORMED },
	{ "DELETE count 0", ISAKMP_PT_DELETE, d_count0, sizeof(d_count0), FG_ERR_PARSE,
	  ISAKMP_N_PAYLOAD_MALFORMED },
	{ "DELETE ESP SPI size 16", ISAKMP_PT_DELETE, d_esp16, sizeof(d_esp16), FG_ERR_PARSE,
	  ISAKMP_N_INVALID_SPI },
	{ "DELETE ISAKMP SPI size 4", ISAKMP_PT_DELETE, d_isakmp4, sizeof(d_isakmp4), FG_ERR_PARSE,
	  ISAKMP_N_INVALID_SPI },
	{ "DELETE protocol 0", ISAKMP_PT_DELETE, d_proto0, sizeof(d_proto0), FG_ERR_UNSUPP,
	  ISAKMP_N_INVALID_PROTOCOL_ID },
	{ "DELETE DOI 9", ISAKMP_PT_DELETE, d_doi9, sizeof(d_doi9), FG_ERR_UNSUPP,
	  ISAKMP_N_DOI_NOT_SUPPORTED },
	{ "NAT-OA IPv4", ISAKMP_PT_NAT_OA, oa_v4, sizeof(oa_v4), 0, 0 },
	{ "NAT-OA IPv6", ISAKMP_PT_NAT_OA, oa_v6, sizeof(oa_v6), 0, 0 },
	{ "NAT-OA IPv4 5 bytes", ISAKMP_PT_NAT_OA, oa_v4_long, sizeof(oa_v4_long), FG_ERR_PARSE,
	  ISAKMP_N_PAYLOAD_MALFORMED },
	{ "NAT-OA FQDN", ISAKMP_PT_NAT_OA, oa_fqdn, sizeof(oa_fqdn), FG_ERR_PARSE,
	  ISAKMP_N_PAYLOAD_MALFORMED },
	{ "NAT-OA reserved", ISAKMP_PT_NAT_OA, oa_reserved, sizeof(oa_reserved), FG_ERR_PARSE,
	  ISAKMP_N_PAYLOAD_MALFORMED },
	{ "NAT-OA 3 bytes", ISAKMP_PT_NAT_OA, oa_v4, 3, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED },
	{ NULL, 0, NULL, 0, 0, 0 }
};

static void test_payload_table(void)
{
	const struct payload_case *t;

	for (t = payload_cases; t->name; t++) {
		static struct isakmp_msg m;
		struct isakmp_error e;
		int rc = parse_one(t->type, t->body, t->len, &m, &e);

		if (rc != t->rc || e.notify != t->notify)
			printf("\n  %s: rc %d notify %s: %s\n", t->name, rc,
			       isakmp_notify_name((unsigned)e.notify), e.reason);
		CU_ASSERT_EQUAL(rc, t->rc);
		CU_ASSERT_EQUAL(e.notify, t->notify);
		if (rc == 0) {
			CU_ASSERT_EQUAL(m.npayloads, 1);
			CU_ASSERT_EQUAL(m.payloads[0].body.len, t->len);
		} else {
			CU_ASSERT_EQUAL(e.payload, t->type);
			CU_ASSERT(e.offset >= ISAKMP_HDR_LEN);
		}
	}
}

/* The decoded fields of the typed payloads. */
static void test_payload_fields(void)
{
	static struct isakmp_msg m;
	struct isakmp_error e;
	const struct isakmp_payload *p;

	CU_ASSERT_EQUAL_FATAL(parse_one(ISAKMP_PT_NOTIFY, n_dpd, sizeof(n_dpd), &m, &e), 0);
	p = isakmp_msg_get(&m, ISAKMP_PT_NOTIFY);
	CU_ASSERT_EQUAL(p->u.notify.doi, ISAKMP_DOI_IPSEC);
	CU_ASSERT_EQUAL(p->u.notify.proto, ISAKMP_PROTO_ISAKMP);
	CU_ASSERT_EQUAL(p->u.notify.type, ISAKMP_N_DPD_R_U_THERE);
	CU_ASSERT_EQUAL(p->u.notify.spi.len, 16);
	CU_ASSERT_EQUAL(p->u.notify.spi.ptr[0], 1);
	CU_ASSERT_EQUAL(p->u.notify.data.len, 4);
	CU_ASSERT_EQUAL(isakmp_get32(p->u.notify.data.ptr), 0x1234);

	CU_ASSERT_EQUAL_FATAL(parse_one(ISAKMP_PT_DELETE, d_esp2, sizeof(d_esp2), &m, &e), 0);
	p = isakmp_msg_get(&m, ISAKMP_PT_DELETE);
	CU_ASSERT_EQUAL(p->u.del.proto, ISAKMP_PROTO_ESP);
	CU_ASSERT_EQUAL(p->u.del.spi_size, 4);
	CU_ASSERT_EQUAL(p->u.del.nspis, 2);
	CU_ASSERT_EQUAL(p->u.del.spis.len, 8);
	CU_ASSERT_EQUAL(isakmp_get32(p->u.del.spis.ptr + 4), 0xc12f0002);

	CU_ASSERT_EQUAL_FATAL(parse_one(ISAKMP_PT_ID, id_v4, sizeof(id_v4), &m, &e), 0);
	p = isakmp_msg_get(&m, ISAKMP_PT_ID);
	CU_ASSERT_EQUAL(p->u.id.type, ISAKMP_ID_IPV4_ADDR);
	CU_ASSERT_EQUAL(p->u.id.proto, 17);
	CU_ASSERT_EQUAL(p->u.id.port, 500);
	CU_ASSERT_EQUAL(p->u.id.data.len, 4);
	CU_ASSERT_EQUAL(p->u.id.data.ptr[0], 192);

	CU_ASSERT_EQUAL_FATAL(parse_one(ISAKMP_PT_NAT_OA, oa_v6, sizeof(oa_v6), &m, &e), 0);
	p = isakmp_msg_get(&m, ISAKMP_PT_NAT_OA);
	CU_ASSERT_EQUAL(p->u.nat_oa.id_type, ISAKMP_ID_IPV6_ADDR);
	CU_ASSERT_EQUAL(p->u.nat_oa.addr.len, 16);
	CU_ASSERT_EQUAL(p->u.nat_oa.addr.ptr[0], 0xfe);

	CU_ASSERT_EQUAL_FATAL(parse_one(ISAKMP_PT_CERT, cert_x509, sizeof(cert_x509), &m, &e), 0);
	p = isakmp_msg_get(&m, ISAKMP_PT_CERT);
	CU_ASSERT_EQUAL(p->u.cert.encoding, 4);
	CU_ASSERT_EQUAL(p->u.cert.data.len, 4);
}

/* E flag: only the body is exposed; the decrypted body then goes through
 * the loop with trailing padding up to the block size. */
static void test_encrypted_and_padding(void)
{
	static struct isakmp_msg m;
	const struct isakmp_allow mm5 = { BIT(ISAKMP_PT_ID) | BIT(ISAKMP_PT_HASH), 0 };
	const struct part parts[] = { { ISAKMP_PT_ID, id_v4, sizeof(id_v4) },
				      { ISAKMP_PT_HASH, hash20, 20 } };
	uint8_t dgram[128], plain[64];
	struct isakmp_error e;
	size_t len, plen, pad;

	/* the "ciphertext": 40 bytes, a multiple of 8 */
	plen = chain(plain, parts, 2);          /* 12 + 24 = 36 */
	CU_ASSERT_EQUAL_FATAL(plen, 36);
	memcpy(dgram, mm1, ISAKMP_HDR_LEN);
	dgram[16] = ISAKMP_PT_ID;
	dgram[19] = ISAKMP_FLAG_ENC;
	memset(dgram + ISAKMP_HDR_LEN, 0xee, 40);
	isakmp_put32(dgram + 24, ISAKMP_HDR_LEN + 40);
	CU_ASSERT_EQUAL_FATAL(isakmp_msg_parse(dgram, ISAKMP_HDR_LEN + 40, &mm5, &m, &e), 0);
	CU_ASSERT_TRUE(m.encrypted);
	CU_ASSERT_EQUAL(m.npayloads, 0);
	CU_ASSERT_PTR_EQUAL(m.body.ptr, dgram + ISAKMP_HDR_LEN);
	CU_ASSERT_EQUAL(m.body.len, 40);
	CU_ASSERT_PTR_NULL(isakmp_msg_get(&m, ISAKMP_PT_ID));

	/* strongSwan pads 1..bs zero bytes; RFC 2409 5.3 puts the count last */
	for (pad = 0; pad <= 9; pad++) {
		memset(plain + plen, 0, pad);
		if (pad)
			plain[plen + pad - 1] = (uint8_t)(pad - 1);
		len = plen + pad;
		memset(&e, 0, sizeof(e));
		if (pad <= 8) {
			CU_ASSERT_EQUAL(isakmp_payloads_parse(plain, len, m.hdr.next, &mm5, 8, &m, &e), 0);
			CU_ASSERT_EQUAL(m.npayloads, 2);
			CU_ASSERT_EQUAL(m.chain_end, plen);
			CU_ASSERT_EQUAL(m.hdr.exch, ISAKMP_EXCH_IDPROT);   /* header kept */
		} else {
			CU_ASSERT_EQUAL(isakmp_payloads_parse(plain, len, m.hdr.next, &mm5, 8, &m, &e),
					FG_ERR_PARSE);
			CU_ASSERT_EQUAL(e.notify, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS);
			CU_ASSERT_EQUAL(e.offset, plen);
		}
	}

	/* a plaintext message accepts no trailing bytes at all */
	len = assemble(dgram, ISAKMP_EXCH_IDPROT, 0, parts, 2, 1);
	CU_ASSERT_EQUAL(isakmp_msg_parse(dgram, len, &mm5, &m, &e), FG_ERR_PARSE);
	CU_ASSERT_EQUAL(e.notify, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS);
	CU_ASSERT_EQUAL(e.offset, ISAKMP_HDR_LEN + 36);

	/* encrypted without a body */
	len = assemble(dgram, ISAKMP_EXCH_IDPROT, ISAKMP_FLAG_ENC, parts, 0, 0);
	dgram[16] = ISAKMP_PT_ID;
	CU_ASSERT_EQUAL(isakmp_msg_parse(dgram, len, &mm5, &m, &e), FG_ERR_PARSE);
	CU_ASSERT_EQUAL(e.notify, ISAKMP_N_PAYLOAD_MALFORMED);

	/* the loop alone: no payload, an unknown first type, a cut header */
	CU_ASSERT_EQUAL(isakmp_payloads_parse(plain, plen, ISAKMP_PT_NONE, &mm5, 8, &m, &e),
			FG_ERR_PARSE);
	CU_ASSERT_EQUAL(isakmp_payloads_parse(plain, plen, 77, &mm5, 8, &m, &e), FG_ERR_PARSE);
	CU_ASSERT_EQUAL(e.notify, ISAKMP_N_INVALID_PAYLOAD_TYPE);
	CU_ASSERT_EQUAL(isakmp_payloads_parse(plain, 3, ISAKMP_PT_ID, &mm5, 8, &m, &e), FG_ERR_TRUNC);
	CU_ASSERT_EQUAL(isakmp_payloads_parse(NULL, 0, ISAKMP_PT_ID, &mm5, 8, &m, &e), FG_ERR_TRUNC);
}

static void test_too_many_payloads(void)
{
	static struct isakmp_msg m;
	static uint8_t buf[ISAKMP_HDR_LEN + 70 * 8];
	struct part parts[70];
	struct isakmp_error e;
	size_t i, len;

	for (i = 0; i < 70; i++) {
		parts[i].type = ISAKMP_PT_VID;
		parts[i].body = hash20;
		parts[i].len = 4;
	}
	len = assemble(buf, ISAKMP_EXCH_IDPROT, 0, parts, ISAKMP_MAX_PAYLOADS, 0);
	CU_ASSERT_EQUAL(isakmp_msg_parse(buf, len, &allow_all, &m, &e), 0);
	CU_ASSERT_EQUAL(isakmp_msg_count(&m, ISAKMP_PT_VID), ISAKMP_MAX_PAYLOADS);
	len = assemble(buf, ISAKMP_EXCH_IDPROT, 0, parts, ISAKMP_MAX_PAYLOADS + 1, 0);
	CU_ASSERT_EQUAL(isakmp_msg_parse(buf, len, &allow_all, &m, &e), FG_ERR_FULL);
	CU_ASSERT_EQUAL(e.notify, ISAKMP_N_PAYLOAD_MALFORMED);
}

/* Quick Mode HASH(1) covers everything after the HASH payload, headers
 * included, padding excluded. */
static void test_after_span(void)
{
	static struct isakmp_msg m;
	const struct isakmp_allow qm = {
		BIT(ISAKMP_PT_HASH) | BIT(ISAKMP_PT_SA) | BIT(ISAKMP_PT_NONCE) | BIT(ISAKMP_PT_ID),
		BIT(ISAKMP_PT_ID)
	};
	const struct part parts[] = {
		{ ISAKMP_PT_HASH, hash20, 20 }, { ISAKMP_PT_SA, qm_sa, sizeof(qm_sa) },
		{ ISAKMP_PT_NONCE, nonce16, 16 }, { ISAKMP_PT_ID, id_net1, 12 },
		{ ISAKMP_PT_ID, id_net2, 12 },
	};
	uint8_t plain[256];
	struct isakmp_error e;
	struct isakmp_span s;
	size_t len = chain(plain, parts, 5);

	memset(plain + len, 0, 8);   /* padding after the chain */
	CU_ASSERT_EQUAL_FATAL(isakmp_payloads_parse(plain, len + 8, ISAKMP_PT_HASH, &qm, 8, &m, &e), 0);
	s = isakmp_msg_after(&m, isakmp_msg_get(&m, ISAKMP_PT_HASH));
	CU_ASSERT_PTR_EQUAL(s.ptr, plain + 24);
	CU_ASSERT_EQUAL(s.len, len - 24);
	s = isakmp_msg_after(&m, m.payloads + m.npayloads - 1);
	CU_ASSERT_EQUAL(s.len, 0);
}

/* --- builder */

static struct isakmp_attr mm1_attrs[6];
static struct isakmp_transform mm1_xf = { 1, ISAKMP_KEY_IKE, 6, mm1_attrs, { NULL, 0 } };
static struct isakmp_proposal mm1_prop = { 1, ISAKMP_PROTO_ISAKMP, 0, NULL, 1, &mm1_xf, { NULL, 0 } };

static void mm1_sa(struct isakmp_sa *sa)
{
	mm1_attrs[0] = isakmp_attr_num(ISAKMP_OAKLEY_ENCRYPTION, ISAKMP_OAKLEY_ENC_3DES_CBC);
	mm1_attrs[1] = isakmp_attr_num(ISAKMP_OAKLEY_HASH, ISAKMP_OAKLEY_HASH_SHA);
	mm1_attrs[2] = isakmp_attr_num(ISAKMP_OAKLEY_AUTH_METHOD, ISAKMP_OAKLEY_AUTH_PSK);
	mm1_attrs[3] = isakmp_attr_num(ISAKMP_OAKLEY_GROUP_DESC, ISAKMP_OAKLEY_GROUP_MODP1024);
	mm1_attrs[4] = isakmp_attr_num(ISAKMP_OAKLEY_LIFE_TYPE, ISAKMP_OAKLEY_LIFE_SECONDS);
	mm1_attrs[5] = isakmp_attr_num(ISAKMP_OAKLEY_LIFE_DURATION, 28800);
	memset(sa, 0, sizeof(*sa));
	sa->doi = ISAKMP_DOI_IPSEC;
	sa->situation = ISAKMP_SIT_IDENTITY_ONLY;
	sa->nprops = 1;
	sa->props = &mm1_prop;
}

static void mm1_hdr(struct isakmp_hdr *h)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->icookie, mm1, 8);
	h->exch = ISAKMP_EXCH_IDPROT;
}

/* The builder reproduces the hand-built strongSwan message byte for byte. */
static void test_build_mm1(void)
{
	struct isakmp_builder b;
	struct isakmp_hdr h;
	struct isakmp_sa sa;
	const uint8_t *out;
	uint8_t *body;
	size_t len;

	mm1_hdr(&h);
	mm1_sa(&sa);
	CU_ASSERT_EQUAL_FATAL(isakmp_build_init(&b, &h), 0);
	CU_ASSERT_EQUAL(isakmp_build_sa(&b, &sa), 0);
	CU_ASSERT_EQUAL(isakmp_build_data(&b, ISAKMP_PT_VID, mm1 + 84, 8), 1);
	CU_ASSERT_EQUAL(isakmp_build_data(&b, ISAKMP_PT_VID, mm1 + 96, 16), 2);
	CU_ASSERT_EQUAL(isakmp_build_data(&b, ISAKMP_PT_VID, mm1 + 116, 16), 3);
	CU_ASSERT_EQUAL_FATAL(isakmp_build_finish(&b, &out, &len), 0);
	CU_ASSERT_EQUAL(len, sizeof(mm1));
	CU_ASSERT(len == sizeof(mm1) && memcmp(out, mm1, len) == 0);
	/* the SA body span is what HASH_I covers */
	CU_ASSERT_EQUAL(isakmp_build_span(&b, 0, ISAKMP_SPAN_BODY, &body, &len), 0);
	CU_ASSERT_EQUAL(len, 48);
	CU_ASSERT(memcmp(body, mm1 + 32, 48) == 0);
	CU_ASSERT_EQUAL(isakmp_build_span(&b, 4, ISAKMP_SPAN_BODY, &body, &len), FG_ERR_INVAL);
	isakmp_build_free(&b);
}

/* Every payload type: build, parse, compare fields, rebuild from the parse. */
static void test_round_trip_all(void)
{
	static struct isakmp_msg m, m2;
	struct isakmp_builder b, b2;
	struct isakmp_hdr h;
	struct isakmp_sa sa, dec;
	struct isakmp_error e;
	const struct isakmp_pl_id id = { ISAKMP_ID_IPV4_ADDR_SUBNET, 6, 443, { id_net1 + 4, 8 } };
	const struct isakmp_pl_cert cert = { 4, { cert_x509 + 1, 4 } }, cr = { 4, { NULL, 0 } };
	const struct isakmp_pl_notify n = { ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP,
					    ISAKMP_N_DPD_R_U_THERE, { n_dpd + 8, 16 },
					    { n_dpd + 24, 4 } };
	const struct isakmp_pl_delete d = { ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ESP, 4, 2, { d_esp2 + 8, 8 } };
	const struct isakmp_pl_nat_oa oa = { ISAKMP_ID_IPV4_ADDR, { oa_v4 + 4, 4 } };
	const uint8_t *out, *out2;
	size_t len, len2, i;
	const struct isakmp_payload *p;

	mm1_hdr(&h);
	h.exch = ISAKMP_EXCH_QUICK;
	h.msgid = 0xdeadbeef;
	h.flags = ISAKMP_FLAG_COMMIT;
	mm1_sa(&sa);
	CU_ASSERT_EQUAL_FATAL(isakmp_build_init(&b, &h), 0);
	isakmp_build_data(&b, ISAKMP_PT_HASH, hash20, 20);
	isakmp_build_sa(&b, &sa);
	isakmp_build_data(&b, ISAKMP_PT_KE, zeros, 128);
	isakmp_build_data(&b, ISAKMP_PT_NONCE, nonce16, 16);
	isakmp_build_id(&b, &id);
	isakmp_build_cert(&b, ISAKMP_PT_CERT, &cert);
	isakmp_build_cert(&b, ISAKMP_PT_CR, &cr);
	isakmp_build_data(&b, ISAKMP_PT_SIG, hash20, 20);
	isakmp_build_notify(&b, &n);
	isakmp_build_delete(&b, &d);
	isakmp_build_data(&b, ISAKMP_PT_VID, mm1 + 96, 16);
	isakmp_build_data(&b, ISAKMP_PT_NAT_D, hash20, 20);
	isakmp_build_data(&b, ISAKMP_PT_NAT_D, hash20, 20);
	isakmp_build_nat_oa(&b, &oa);
	CU_ASSERT_EQUAL_FATAL(isakmp_build_finish(&b, &out, &len), 0);
	CU_ASSERT_EQUAL(b.npayloads, 14);
	CU_ASSERT_EQUAL(isakmp_get32(out + 24), len);

	CU_ASSERT_EQUAL_FATAL(isakmp_msg_parse(out, len, &allow_all, &m, &e), 0);
	CU_ASSERT_EQUAL(m.hdr.exch, ISAKMP_EXCH_QUICK);
	CU_ASSERT_EQUAL(m.hdr.msgid, 0xdeadbeef);
	CU_ASSERT_EQUAL(m.hdr.flags, ISAKMP_FLAG_COMMIT);
	CU_ASSERT_EQUAL(m.npayloads, 14);
	CU_ASSERT_EQUAL(isakmp_msg_count(&m, ISAKMP_PT_NAT_D), 2);
	p = isakmp_msg_get(&m, ISAKMP_PT_ID);
	CU_ASSERT_EQUAL(p->u.id.port, 443);
	CU_ASSERT_EQUAL(p->u.id.proto, 6);
	p = isakmp_msg_get(&m, ISAKMP_PT_NOTIFY);
	CU_ASSERT_EQUAL(p->u.notify.type, ISAKMP_N_DPD_R_U_THERE);
	CU_ASSERT_EQUAL(p->u.notify.spi.len, 16);
	p = isakmp_msg_get(&m, ISAKMP_PT_DELETE);
	CU_ASSERT_EQUAL(p->u.del.nspis, 2);
	p = isakmp_msg_get(&m, ISAKMP_PT_SA);
	CU_ASSERT_EQUAL_FATAL(isakmp_sa_decode(p->body.ptr, p->body.len, &dec, &e), 0);
	CU_ASSERT_EQUAL(dec.props[0].xforms[0].nattrs, 6);
	CU_ASSERT_EQUAL(dec.props[0].xforms[0].attrs[5].num, 28800);

	/* rebuild from what was parsed: identical bytes */
	CU_ASSERT_EQUAL_FATAL(isakmp_build_init(&b2, &m.hdr), 0);
	for (i = 0; i < m.npayloads; i++) {
		const struct isakmp_payload *q = &m.payloads[i];

		switch (q->type) {
		case ISAKMP_PT_SA:
			isakmp_build_sa(&b2, &dec);
			break;
		case ISAKMP_PT_ID:
			isakmp_build_id(&b2, &q->u.id);
			break;
		case ISAKMP_PT_CERT:
		case ISAKMP_PT_CR:
			isakmp_build_cert(&b2, q->type, &q->u.cert);
			break;
		case ISAKMP_PT_NOTIFY:
			isakmp_build_notify(&b2, &q->u.notify);
			break;
		case ISAKMP_PT_DELETE:
			isakmp_build_delete(&b2, &q->u.del);
			break;
		case ISAKMP_PT_NAT_OA:
			isakmp_build_nat_oa(&b2, &q->u.nat_oa);
			break;
		default:
			isakmp_build_data(&b2, q->type, q->body.ptr, q->body.len);
		}
	}
	CU_ASSERT_EQUAL_FATAL(isakmp_build_finish(&b2, &out2, &len2), 0);
	CU_ASSERT_EQUAL(len2, len);
	CU_ASSERT(len2 == len && memcmp(out, out2, len) == 0);
	CU_ASSERT_EQUAL(isakmp_msg_parse(out2, len2, &allow_all, &m2, &e), 0);
	isakmp_sa_free(&dec);
	isakmp_build_free(&b2);
	isakmp_build_free(&b);
}

/* Invalid input to a typed builder is a sticky error. */
static void test_build_errors(void)
{
	struct isakmp_builder b;
	struct isakmp_hdr h;
	const struct isakmp_pl_delete d = { ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ESP, 4, 3, { d_esp2 + 8, 8 } };
	const struct isakmp_pl_id bad_id = { ISAKMP_ID_IPV4_ADDR, 0, 0, { id_net1, 3 } };
	const uint8_t *out;
	size_t len;

	mm1_hdr(&h);
	CU_ASSERT_EQUAL_FATAL(isakmp_build_init(&b, &h), 0);
	CU_ASSERT_EQUAL(isakmp_build_data(&b, ISAKMP_PT_NONCE, zeros, 7), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(isakmp_build_data(&b, ISAKMP_PT_VID, zeros, 4), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(isakmp_build_finish(&b, &out, &len), FG_ERR_INVAL);
	isakmp_build_free(&b);

	CU_ASSERT_EQUAL_FATAL(isakmp_build_init(&b, &h), 0);
	CU_ASSERT_EQUAL(isakmp_build_data(&b, ISAKMP_PT_NONCE, zeros, 257), FG_ERR_INVAL);
	isakmp_build_free(&b);
	CU_ASSERT_EQUAL_FATAL(isakmp_build_init(&b, &h), 0);
	CU_ASSERT_EQUAL(isakmp_build_data(&b, ISAKMP_PT_SA, zeros, 8), FG_ERR_INVAL);
	isakmp_build_free(&b);
	CU_ASSERT_EQUAL_FATAL(isakmp_build_init(&b, &h), 0);
	CU_ASSERT_EQUAL(isakmp_build_delete(&b, &d), FG_ERR_INVAL);
	isakmp_build_free(&b);
	CU_ASSERT_EQUAL_FATAL(isakmp_build_init(&b, &h), 0);
	CU_ASSERT_EQUAL(isakmp_build_id(&b, &bad_id), FG_ERR_INVAL);
	isakmp_build_free(&b);
	/* too large */
	CU_ASSERT_EQUAL_FATAL(isakmp_build_init(&b, &h), 0);
	CU_ASSERT_EQUAL(isakmp_build_add(&b, ISAKMP_PT_VID, 70000, NULL), FG_ERR_RANGE);
	isakmp_build_free(&b);
	CU_ASSERT_EQUAL_FATAL(isakmp_build_init(&b, &h), 0);
	CU_ASSERT_EQUAL(isakmp_build_add(&b, ISAKMP_PT_VID, 40000, NULL), 0);
	CU_ASSERT_EQUAL(isakmp_build_add(&b, ISAKMP_PT_VID, 40000, NULL), FG_ERR_RANGE);
	isakmp_build_free(&b);
	/* a builder that was never initialised */
	memset(&b, 0, sizeof(b));
	CU_ASSERT_EQUAL(isakmp_build_add(&b, ISAKMP_PT_VID, 4, NULL), FG_ERR_STATE);
	isakmp_build_free(&b);
}

/* Padding for encryption, and a HASH placeholder filled in afterwards. */
static void test_build_pad_and_hash(void)
{
	static struct isakmp_msg m;
	struct isakmp_builder b;
	struct isakmp_hdr h;
	struct isakmp_error e;
	const struct isakmp_allow qm = {
		BIT(ISAKMP_PT_HASH) | BIT(ISAKMP_PT_NONCE) | BIT(ISAKMP_PT_ID), BIT(ISAKMP_PT_ID)
	};
	const struct isakmp_pl_id id1 = { ISAKMP_ID_IPV4_ADDR_SUBNET, 0, 0, { id_net1 + 4, 8 } };
	const struct isakmp_pl_id id2 = { ISAKMP_ID_IPV4_ADDR_SUBNET, 0, 0, { id_net2 + 4, 8 } };
	const uint8_t *out;
	uint8_t *hp, *after;
	size_t len, hlen, alen, blen;
	int hidx;

	mm1_hdr(&h);
	h.exch = ISAKMP_EXCH_QUICK;
	h.flags = ISAKMP_FLAG_ENC;
	CU_ASSERT_EQUAL_FATAL(isakmp_build_init(&b, &h), 0);
	hidx = isakmp_build_add(&b, ISAKMP_PT_HASH, 20, NULL);
	CU_ASSERT_EQUAL(hidx, 0);
	isakmp_build_data(&b, ISAKMP_PT_NONCE, nonce16, 16);
	isakmp_build_id(&b, &id1);
	isakmp_build_id(&b, &id2);
	CU_ASSERT_EQUAL_FATAL(isakmp_build_span(&b, hidx, ISAKMP_SPAN_AFTER, &after, &alen), 0);
	CU_ASSERT_EQUAL(alen, 20 + 16 + 16);
	CU_ASSERT_EQUAL_FATAL(isakmp_build_span(&b, hidx, ISAKMP_SPAN_BODY, &hp, &hlen), 0);
	CU_ASSERT_EQUAL(hlen, 20);
	memcpy(hp, hash20, 20);   /* the prf output would go here */
	blen = b.len - ISAKMP_HDR_LEN;   /* 24 + 52 = 76 */
	CU_ASSERT_EQUAL(isakmp_build_pad(&b, 8), 0);
	CU_ASSERT_EQUAL(b.len - ISAKMP_HDR_LEN, 80);
	CU_ASSERT_EQUAL(isakmp_build_span(&b, hidx, ISAKMP_SPAN_AFTER, &after, &alen), 0);
	CU_ASSERT_EQUAL(alen, 52);   /* padding not covered */
	CU_ASSERT_EQUAL(isakmp_build_add(&b, ISAKMP_PT_VID, 4, NULL), FG_ERR_STATE);
	CU_ASSERT_EQUAL(isakmp_build_finish(&b, &out, &len), FG_ERR_STATE);
	isakmp_build_free(&b);

	/* the same without the failed add: parse header, then the "decrypted" body */
	CU_ASSERT_EQUAL_FATAL(isakmp_build_init(&b, &h), 0);
	isakmp_build_data(&b, ISAKMP_PT_HASH, hash20, 20);
	isakmp_build_data(&b, ISAKMP_PT_NONCE, nonce16, 16);
	isakmp_build_id(&b, &id1);
	isakmp_build_id(&b, &id2);
	CU_ASSERT_EQUAL(isakmp_build_pad(&b, 8), 0);
	CU_ASSERT_EQUAL_FATAL(isakmp_build_finish(&b, &out, &len), 0);
	CU_ASSERT_EQUAL(len, ISAKMP_HDR_LEN + 80);
	CU_ASSERT_EQUAL((len - ISAKMP_HDR_LEN) % 8, 0);
	CU_ASSERT_EQUAL_FATAL(isakmp_msg_parse(out, len, &qm, &m, &e), 0);
	CU_ASSERT_TRUE(m.encrypted);
	CU_ASSERT_EQUAL(isakmp_payloads_parse(m.body.ptr, m.body.len, m.hdr.next, &qm, 8, &m, &e), 0);
	CU_ASSERT_EQUAL(m.npayloads, 4);
	CU_ASSERT_EQUAL(m.chain_end, blen);
	isakmp_build_free(&b);

	/* a body already block-aligned gets a whole block (strongSwan) */
	CU_ASSERT_EQUAL_FATAL(isakmp_build_init(&b, &h), 0);
	isakmp_build_data(&b, ISAKMP_PT_HASH, hash20, 12);   /* 16 bytes */
	CU_ASSERT_EQUAL(isakmp_build_pad(&b, 8), 0);
	CU_ASSERT_EQUAL(b.len - ISAKMP_HDR_LEN, 24);
	CU_ASSERT_EQUAL(isakmp_build_pad(&b, 8), FG_ERR_STATE);
	isakmp_build_free(&b);
	CU_ASSERT_EQUAL_FATAL(isakmp_build_init(&b, &h), 0);
	CU_ASSERT_EQUAL(isakmp_build_pad(&b, 0), FG_ERR_INVAL);
	isakmp_build_free(&b);
}

static void test_names(void)
{
	CU_ASSERT_STRING_EQUAL(isakmp_exchange_name(ISAKMP_EXCH_IDPROT), "ID_PROT");
	CU_ASSERT_STRING_EQUAL(isakmp_exchange_name(ISAKMP_EXCH_QUICK), "QUICK_MODE");
	CU_ASSERT_STRING_EQUAL(isakmp_exchange_name(99), "UNKNOWN-EXCHANGE");
	CU_ASSERT_STRING_EQUAL(isakmp_payload_name(ISAKMP_PT_NAT_D), "NAT-D");
	CU_ASSERT_STRING_EQUAL(isakmp_payload_name(ISAKMP_PT_SA), "SA");
	CU_ASSERT_STRING_EQUAL(isakmp_payload_name(130), "UNKNOWN-PAYLOAD");
	CU_ASSERT_STRING_EQUAL(isakmp_notify_name(ISAKMP_N_INITIAL_CONTACT), "INITIAL-CONTACT");
	CU_ASSERT_STRING_EQUAL(isakmp_notify_name(36137), "R-U-THERE-ACK");
	CU_ASSERT_STRING_EQUAL(isakmp_notify_name(30), "UNEQUAL-PAYLOAD-LENGTHS");
	CU_ASSERT_STRING_EQUAL(isakmp_notify_name(9000), "UNKNOWN-ERROR-NOTIFY");
	CU_ASSERT_STRING_EQUAL(isakmp_notify_name(40000), "UNKNOWN-STATUS-NOTIFY");
	CU_ASSERT_STRING_EQUAL(isakmp_proto_name(ISAKMP_PROTO_ESP), "ESP");
	CU_ASSERT_STRING_EQUAL(isakmp_id_type_name(ISAKMP_ID_USER_FQDN), "ID_USER_FQDN");
}

static void test_error_reason(void)
{
	struct isakmp_error e;
	char longtext[300];

	memset(longtext, 'x', sizeof(longtext) - 1);
	longtext[sizeof(longtext) - 1] = 0;
	CU_ASSERT_EQUAL(isakmp_error_set(&e, FG_ERR_PARSE, 16, 10, 12345, "%s", longtext),
			FG_ERR_PARSE);
	CU_ASSERT(strlen(e.reason) < sizeof(e.reason));
	CU_ASSERT(strstr(e.reason, "(offset 12345)") != NULL);   /* survives truncation */
	CU_ASSERT_EQUAL(isakmp_error_set(NULL, FG_ERR_TRUNC, 30, 0, 0, "x"), FG_ERR_TRUNC);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "mm1 decodes", test_mm1_decodes },
		{ "mm1 mutations", test_mm1_mutations },
		{ "allowed and repeated payloads", test_allowed_and_repeat },
		{ "payload validation table", test_payload_table },
		{ "payload fields", test_payload_fields },
		{ "encrypted body and padding", test_encrypted_and_padding },
		{ "too many payloads", test_too_many_payloads },
		{ "span after a payload", test_after_span },
		{ "builder reproduces mm1", test_build_mm1 },
		{ "round trip of every payload", test_round_trip_all },
		{ "builder errors", test_build_errors },
		{ "builder padding and hash", test_build_pad_and_hash },
		{ "names", test_names },
		{ "error reason", test_error_reason },
		{ NULL, NULL },
	};

	unit_add_suite("isakmp", tests);
	return unit_run("unit-isakmp");
}
