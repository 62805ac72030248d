/*
 * strongSwan proposal strings into algorithm lists (host/ike/proposal.c):
 * every keyword, the "default" lists, each error message, the expansion to
 * IKEv1 transforms, and the IKEv1 wire numbers against the RFC tables.
 */
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "ike/proposal.h"
#include "unit.h"

struct ok_case {
	enum proposal_proto proto;
	const char *in;
	const char *out;        /* proposal_list_format() */
	unsigned n;             /* proposals */
	size_t xforms;          /* proposal_expand() count */
};

static const struct ok_case ok_cases[] = {
	{ PROPOSAL_IKE, "3des-sha1-modp1024", "3des-sha1-modp1024", 1, 1 },
	{ PROPOSAL_IKE, "aes128-sha256-modp2048", "aes128-sha256-modp2048", 1, 1 },
	{ PROPOSAL_IKE, "des-md5-modp768", "des-md5-modp768", 1, 1 },
	{ PROPOSAL_IKE, "aes192-sha1-modp1536", "aes192-sha1-modp1536", 1, 1 },
	{ PROPOSAL_IKE, "aes128-aes256-sha1-md5-modp1536-modp2048",
	  "aes128-aes256-sha1-md5-modp1536-modp2048", 1, 8 },
	{ PROPOSAL_IKE, "aes128-sha1-modp2048, 3des-md5-modp1024",
	  "aes128-sha1-modp2048, 3des-md5-modp1024", 2, 2 },
	{ PROPOSAL_IKE, "aes128-sha1-modp2048,3des-md5-modp1024",
	  "aes128-sha1-modp2048, 3des-md5-modp1024", 2, 2 },
	{ PROPOSAL_IKE, "default", "aes128-aes192-aes256-3des-sha256-sha1-modp2048", 1, 8 },
	{ PROPOSAL_IKE, "DEFAULT", "aes128-aes192-aes256-3des-sha256-sha1-modp2048", 1, 8 },
	{ PROPOSAL_IKE, "3des-sha1-modp1024, default",
	  "3des-sha1-modp1024, aes128-aes192-aes256-3des-sha256-sha1-modp2048", 2, 9 },
	{ PROPOSAL_IKE, "aes-sha-modp1024", "aes128-sha1-modp1024", 1, 1 },
	{ PROPOSAL_IKE, "aes256-sha2_256-modp2048", "aes256-sha256-modp2048", 1, 1 },
	{ PROPOSAL_IKE, "AES128-SHA1-MODP2048", "aes128-sha1-modp2048", 1, 1 },
	{ PROPOSAL_IKE, "  aes128 - sha1 - modp2048  ", "aes128-sha1-modp2048", 1, 1 },
	{ PROPOSAL_IKE, "aes128-aes-sha1-sha-modp2048", "aes128-sha1-modp2048", 1, 1 },
	{ PROPOSAL_IKE, "aes128-sha1-prfsha1-modp2048", "aes128-sha1-prfsha1-modp2048", 1, 1 },
	{ PROPOSAL_IKE, "modp2048-sha1-3des", "3des-sha1-modp2048", 1, 1 },
	{ PROPOSAL_ESP, "3des-sha1", "3des-sha1", 1, 1 },
	{ PROPOSAL_ESP, "des-md5", "des-md5", 1, 1 },
	{ PROPOSAL_ESP, "null-md5", "null-md5", 1, 1 },
	{ PROPOSAL_ESP, "aes256-sha1-modp1024", "aes256-sha1-modp1024", 1, 1 },
	{ PROPOSAL_ESP, "3des-sha1-noesn", "3des-sha1", 1, 1 },
	{ PROPOSAL_ESP, "3des-sha1-esn-noesn", "3des-sha1-esn-noesn", 1, 1 },
	{ PROPOSAL_ESP, "3des", "3des", 1, 1 },
	{ PROPOSAL_ESP, "3des-des-md5-sha1", "3des-des-md5-sha1", 1, 4 },
	{ PROPOSAL_ESP, "default", "aes128-aes192-aes256-sha256-sha1, 3des-sha1", 2, 7 },
	{ PROPOSAL_AH, "sha1", "sha1", 1, 1 },
	{ PROPOSAL_AH, "md5", "md5", 1, 1 },
	{ PROPOSAL_AH, "sha256-modp1024", "sha256-modp1024", 1, 1 },
	{ PROPOSAL_AH, "sha1-noesn", "sha1", 1, 1 },
	{ PROPOSAL_AH, "default", "sha256-sha1", 1, 2 },
};

static void test_ok(void)
{
	struct proposal_list l;
	struct proposal_xform x[64];
	char err[PROPOSAL_ERR_MAX], out[PROPOSAL_STR_MAX];
	const char *want;
	size_t i, n;
	int rc;

	for (i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
		const struct ok_case *c = &ok_cases[i];

		err[0] = '\0';
		rc = proposal_parse(c->proto, c->in, &l, err, sizeof(err));
		CU_ASSERT_EQUAL(rc, 0);
		if (rc) {
			printf("\n  '%s': %s\n", c->in, err);
			continue;
		}
		want = c->out;
		proposal_list_format(&l, out, sizeof(out));
		CU_ASSERT_STRING_EQUAL(out, want);
		if (strcmp(out, want))
			printf("\n  '%s': got '%s', want '%s'\n", c->in, out, want);
		CU_ASSERT_EQUAL(l.n, c->n);
		n = proposal_expand(&l, x, 64);
		CU_ASSERT_EQUAL(n, c->xforms);
		CU_ASSERT_EQUAL(l.p[0].proto, c->proto);
	}
}

static void test_fields(void)
{
	struct proposal_list l;

	CU_ASSERT_EQUAL(proposal_parse(PROPOSAL_IKE,
		"aes128-aes256-sha1-md5-modp1536-modp2048", &l, NULL, 0), 0);
	CU_ASSERT_EQUAL(l.n, 1);
	CU_ASSERT_EQUAL(l.p[0].n_encr, 2);
	CU_ASSERT_EQUAL(l.p[0].encr[0], PROPOSAL_ENCR_AES128);
	CU_ASSERT_EQUAL(l.p[0].encr[1], PROPOSAL_ENCR_AES256);
	CU_ASSERT_EQUAL(l.p[0].n_integ, 2);
	CU_ASSERT_EQUAL(l.p[0].integ[0], PROPOSAL_INTEG_SHA1);
	CU_ASSERT_EQUAL(l.p[0].integ[1], PROPOSAL_INTEG_MD5);
	CU_ASSERT_EQUAL(l.p[0].n_dh, 2);
	CU_ASSERT_EQUAL(l.p[0].dh[0], PROPOSAL_DH_MODP1536);
	CU_ASSERT_EQUAL(l.p[0].dh[1], PROPOSAL_DH_MODP2048);
	CU_ASSERT_EQUAL(l.p[0].n_prf, 0);

	CU_ASSERT_EQUAL(proposal_parse(PROPOSAL_ESP, "null-md5", &l, NULL, 0), 0);
	CU_ASSERT_EQUAL(l.p[0].encr[0], PROPOSAL_ENCR_NULL);
	CU_ASSERT_EQUAL(l.p[0].integ[0], PROPOSAL_INTEG_MD5);
	CU_ASSERT_EQUAL(l.p[0].n_dh, 0);
	CU_ASSERT_FALSE(l.p[0].esn);

	CU_ASSERT_EQUAL(proposal_parse(PROPOSAL_ESP, "3des-sha1-esn-noesn", &l, NULL, 0), 0);
	CU_ASSERT_TRUE(l.p[0].esn);

	CU_ASSERT_EQUAL(proposal_parse(PROPOSAL_AH, "sha256-modp1024", &l, NULL, 0), 0);
	CU_ASSERT_EQUAL(l.p[0].n_encr, 0);
	CU_ASSERT_EQUAL(l.p[0].integ[0], PROPOSAL_INTEG_SHA2_256);
	CU_ASSERT_EQUAL(l.p[0].dh[0], PROPOSAL_DH_MODP1024);

	proposal_default(PROPOSAL_IKE, &l);
	CU_ASSERT_EQUAL(l.n, 1);
	CU_ASSERT_EQUAL(l.p[0].n_encr, 4);
	CU_ASSERT_EQUAL(l.p[0].encr[3], PROPOSAL_ENCR_3DES);
	CU_ASSERT_EQUAL(l.p[0].dh[0], PROPOSAL_DH_MODP2048);
}

struct err_case {
	enum proposal_proto proto;
	const char *in;
	int rc;
	const char *msg;
};

static const struct err_case err_cases[] = {
	{ PROPOSAL_IKE, "3des-sha1-ecp256", FG_ERR_UNSUPP,
	  "proposal '3des-sha1-ecp256': ecp256 not supported (fgated does MODP groups 1, 2, 5, 14)" },
	{ PROPOSAL_IKE, "aes128-sha1-modp3072", FG_ERR_UNSUPP,
	  "proposal 'aes128-sha1-modp3072': modp3072 not supported (fgated does MODP groups 1, 2, 5, 14)" },
	{ PROPOSAL_IKE, "aes128-sha1-curve25519", FG_ERR_UNSUPP,
	  "proposal 'aes128-sha1-curve25519': curve25519 not supported (fgated does MODP groups 1, 2, 5, 14)" },
	{ PROPOSAL_IKE, "aes128-sha1-modp2048s256", FG_ERR_UNSUPP,
	  "proposal 'aes128-sha1-modp2048s256': modp2048s256 not supported (fgated does MODP groups 1, 2, 5, 14)" },
	{ PROPOSAL_IKE, "aes128gcm16-prfsha256-modp2048", FG_ERR_UNSUPP,
	  "proposal 'aes128gcm16-prfsha256-modp2048': aes128gcm16 not supported (fgated does des, 3des, aes128, aes192, aes256, null)" },
	{ PROPOSAL_IKE, "camellia128-sha1-modp2048", FG_ERR_UNSUPP,
	  "proposal 'camellia128-sha1-modp2048': camellia128 not supported (fgated does des, 3des, aes128, aes192, aes256, null)" },
	{ PROPOSAL_IKE, "aes128-sha384-modp2048", FG_ERR_UNSUPP,
	  "proposal 'aes128-sha384-modp2048': sha384 not supported (fgated does md5, sha1, sha256)" },
	{ PROPOSAL_IKE, "aes128-aesxcbc-modp2048", FG_ERR_UNSUPP,
	  "proposal 'aes128-aesxcbc-modp2048': aesxcbc not supported (fgated does md5, sha1, sha256)" },
	{ PROPOSAL_IKE, "aes128-sha1-prfsha512-modp2048", FG_ERR_UNSUPP,
	  "proposal 'aes128-sha1-prfsha512-modp2048': prfsha512 not supported (fgated does prfmd5, prfsha1, prfsha256)" },
	{ PROPOSAL_IKE, "aes128-foo-modp2048", FG_ERR_PARSE,
	  "proposal 'aes128-foo-modp2048': unknown algorithm 'foo'" },
	{ PROPOSAL_IKE, "aes128-sha1", FG_ERR_PARSE,
	  "proposal 'aes128-sha1': a DH group is mandatory in IKE proposals" },
	{ PROPOSAL_IKE, "aes128-modp2048", FG_ERR_PARSE,
	  "proposal 'aes128-modp2048': an integrity (hash) algorithm is mandatory in IKE proposals" },
	{ PROPOSAL_IKE, "sha1-modp2048", FG_ERR_PARSE,
	  "proposal 'sha1-modp2048': an encryption algorithm is mandatory in IKE proposals" },
	{ PROPOSAL_IKE, "null-sha1-modp2048", FG_ERR_PARSE,
	  "proposal 'null-sha1-modp2048': null encryption is not allowed in IKE proposals" },
	{ PROPOSAL_IKE, "aes128--sha1-modp2048", FG_ERR_PARSE,
	  "proposal 'aes128--sha1-modp2048': empty algorithm name" },
	{ PROPOSAL_IKE, "-aes128-sha1-modp2048", FG_ERR_PARSE,
	  "proposal '-aes128-sha1-modp2048': empty algorithm name" },
	{ PROPOSAL_IKE, "aes128-sha1-modp2048-", FG_ERR_PARSE,
	  "proposal 'aes128-sha1-modp2048-': empty algorithm name" },
	{ PROPOSAL_IKE, "aes128- -sha1", FG_ERR_PARSE,
	  "proposal 'aes128- -sha1': empty algorithm name" },
	{ PROPOSAL_IKE, "aes128-sha1-modp2048,", FG_ERR_PARSE,
	  "proposal 'aes128-sha1-modp2048,': empty proposal in the list" },
	{ PROPOSAL_IKE, "", FG_ERR_PARSE, "proposal '': empty proposal in the list" },
	{ PROPOSAL_IKE, "aes128-sha1-modp2048-noesn", FG_ERR_PARSE,
	  "proposal 'aes128-sha1-modp2048-noesn': esn/noesn apply to ESP and AH only" },
	{ PROPOSAL_ESP, "3des-sha1-esn", FG_ERR_UNSUPP,
	  "proposal '3des-sha1-esn': esn not supported (fgated does 32-bit sequence numbers: use noesn)" },
	{ PROPOSAL_ESP, "null", FG_ERR_PARSE,
	  "proposal 'null': null encryption needs an integrity algorithm" },
	{ PROPOSAL_ESP, "sha1", FG_ERR_PARSE,
	  "proposal 'sha1': an encryption algorithm is mandatory in ESP proposals" },
	{ PROPOSAL_ESP, "3des-sha1-prfsha1", FG_ERR_PARSE,
	  "proposal '3des-sha1-prfsha1': a PRF applies to IKE proposals only" },
	{ PROPOSAL_ESP, "aes128ctr-sha1", FG_ERR_UNSUPP,
	  "proposal 'aes128ctr-sha1': aes128ctr not supported (fgated does des, 3des, aes128, aes192, aes256, null)" },
	{ PROPOSAL_ESP, "aes128gmac", FG_ERR_UNSUPP,
	  "proposal 'aes128gmac': aes128gmac not supported (fgated does md5, sha1, sha256)" },
	{ PROPOSAL_ESP, "3des-sha1, 3des-sha1-ecp384", FG_ERR_UNSUPP,
	  "proposal '3des-sha1-ecp384': ecp384 not supported (fgated does MODP groups 1, 2, 5, 14)" },
	{ PROPOSAL_AH, "3des-sha1", FG_ERR_PARSE,
	  "proposal '3des-sha1': AH proposals take no encryption algorithm" },
	{ PROPOSAL_AH, "modp1024", FG_ERR_PARSE,
	  "proposal 'modp1024': an integrity algorithm is mandatory in AH proposals" },
	/* every keyword at once, repeats folded */
	{ PROPOSAL_ESP, "des-3des-aes-aes128-aes192-aes256-null-des-md5", 0, NULL },
	{ PROPOSAL_ESP, "des-3des-aes128-aes192-aes256-null-md5-sha1-sha256-modp768-modp1024-"
	  "modp1536-modp2048", 0, NULL },
};

static void test_errors(void)
{
	struct proposal_list l;
	char err[PROPOSAL_ERR_MAX];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(err_cases) / sizeof(err_cases[0]); i++) {
		const struct err_case *c = &err_cases[i];

		strcpy(err, "untouched");
		rc = proposal_parse(c->proto, c->in, &l, err, sizeof(err));
		CU_ASSERT_EQUAL(rc, c->rc);
		if (rc != c->rc)
			printf("\n  '%s': rc %d, want %d (%s)\n", c->in, rc, c->rc, err);
		if (!c->msg)
			continue;
		CU_ASSERT_STRING_EQUAL(err, c->msg);
		if (strcmp(err, c->msg))
			printf("\n  got  '%s'\n  want '%s'\n", err, c->msg);
		CU_ASSERT_EQUAL(l.n, 0);        /* nothing half-parsed */
	}
}

static void test_limits(void)
{
	struct proposal_list l;
	char in[4 * PROPOSAL_STR_MAX], err[PROPOSAL_ERR_MAX];
	size_t i;

	/* 16 proposals fit, 17 do not */
	CU_ASSERT_EQUAL(proposal_parse(PROPOSAL_AH, "md5-sha1-sha256", &l, NULL, 0), 0);
	in[0] = '\0';
	for (i = 0; i < 16; i++)
		strcat(in, i ? ",3des-sha1" : "3des-sha1");
	CU_ASSERT_EQUAL(proposal_parse(PROPOSAL_ESP, in, &l, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(l.n, 16);
	strcat(in, ",des-md5");
	CU_ASSERT_EQUAL(proposal_parse(PROPOSAL_ESP, in, &l, err, sizeof(err)), FG_ERR_PARSE);
	CU_ASSERT_STRING_EQUAL(err, "proposal 'des-md5': more than 16 proposals");
	/* default expands past the limit too */
	in[0] = '\0';
	for (i = 0; i < 15; i++)
		strcat(in, "3des-sha1,");
	strcat(in, "default");
	CU_ASSERT_EQUAL(proposal_parse(PROPOSAL_ESP, in, &l, err, sizeof(err)), FG_ERR_PARSE);
	CU_ASSERT_STRING_EQUAL(err, "proposal 'default': more than 16 proposals");
	/* too long */
	memset(in, 'a', PROPOSAL_STR_MAX + 1);
	in[PROPOSAL_STR_MAX + 1] = '\0';
	CU_ASSERT_EQUAL(proposal_parse(PROPOSAL_IKE, in, &l, err, sizeof(err)), FG_ERR_PARSE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "longer than 1024 bytes"));
	CU_ASSERT_EQUAL(proposal_parse(PROPOSAL_IKE, NULL, &l, err, sizeof(err)), FG_ERR_PARSE);
	CU_ASSERT_EQUAL(proposal_parse((enum proposal_proto)9, "sha1", &l, err, sizeof(err)),
			FG_ERR_INVAL);
	/* a long unknown token is cut in the message */
	memset(in, 'x', 200);
	strcpy(in + 200, "-sha1-modp2048");
	CU_ASSERT_EQUAL(proposal_parse(PROPOSAL_IKE, in, &l, err, sizeof(err)), FG_ERR_PARSE);
	CU_ASSERT(strlen(err) < sizeof(err));
	/* a truncating error buffer is still terminated */
	CU_ASSERT_EQUAL(proposal_parse(PROPOSAL_IKE, "3des-sha1-ecp256", &l, err, 10), FG_ERR_UNSUPP);
	CU_ASSERT_STRING_EQUAL(err, "proposal ");
}

static void test_expand(void)
{
	struct proposal_list l;
	struct proposal_xform x[8];
	const struct proposal_xform want[8] = {
		{ PROPOSAL_ENCR_AES128, PROPOSAL_INTEG_SHA1, PROPOSAL_DH_MODP1536 },
		{ PROPOSAL_ENCR_AES128, PROPOSAL_INTEG_SHA1, PROPOSAL_DH_MODP2048 },
		{ PROPOSAL_ENCR_AES128, PROPOSAL_INTEG_MD5, PROPOSAL_DH_MODP1536 },
		{ PROPOSAL_ENCR_AES128, PROPOSAL_INTEG_MD5, PROPOSAL_DH_MODP2048 },
		{ PROPOSAL_ENCR_AES256, PROPOSAL_INTEG_SHA1, PROPOSAL_DH_MODP1536 },
		{ PROPOSAL_ENCR_AES256, PROPOSAL_INTEG_SHA1, PROPOSAL_DH_MODP2048 },
		{ PROPOSAL_ENCR_AES256, PROPOSAL_INTEG_MD5, PROPOSAL_DH_MODP1536 },
		{ PROPOSAL_ENCR_AES256, PROPOSAL_INTEG_MD5, PROPOSAL_DH_MODP2048 },
	};
	struct proposal_xform t;
	size_t i;

	CU_ASSERT_EQUAL(proposal_parse(PROPOSAL_IKE,
		"aes128-aes256-sha1-md5-modp1536-modp2048", &l, NULL, 0), 0);
	CU_ASSERT_EQUAL(proposal_expand(&l, x, 8), 8);
	for (i = 0; i < 8; i++) {
		CU_ASSERT_EQUAL(x[i].encr, want[i].encr);
		CU_ASSERT_EQUAL(x[i].integ, want[i].integ);
		CU_ASSERT_EQUAL(x[i].dh, want[i].dh);
		CU_ASSERT_TRUE(proposal_accepts(&l, PROPOSAL_IKE, &want[i]));
	}
	/* a short output array: the count is still the whole list */
	memset(x, 0, sizeof(x));
	CU_ASSERT_EQUAL(proposal_expand(&l, x, 3), 8);
	CU_ASSERT_EQUAL(x[2].integ, PROPOSAL_INTEG_MD5);
	CU_ASSERT_EQUAL(x[3].encr, PROPOSAL_ENCR_NONE);

	t = (struct proposal_xform){ PROPOSAL_ENCR_3DES, PROPOSAL_INTEG_SHA1, PROPOSAL_DH_MODP2048 };
	CU_ASSERT_FALSE(proposal_accepts(&l, PROPOSAL_IKE, &t));
	t = (struct proposal_xform){ PROPOSAL_ENCR_AES128, PROPOSAL_INTEG_SHA1, PROPOSAL_DH_MODP1024 };
	CU_ASSERT_FALSE(proposal_accepts(&l, PROPOSAL_IKE, &t));
	t = (struct proposal_xform){ PROPOSAL_ENCR_AES128, PROPOSAL_INTEG_SHA1, PROPOSAL_DH_NONE };
	CU_ASSERT_FALSE(proposal_accepts(&l, PROPOSAL_IKE, &t));
	t = (struct proposal_xform){ PROPOSAL_ENCR_AES128, PROPOSAL_INTEG_SHA1, PROPOSAL_DH_MODP2048 };
	CU_ASSERT_FALSE(proposal_accepts(&l, PROPOSAL_ESP, &t));

	/* ESP without integrity or PFS: only the encryption-only transform */
	CU_ASSERT_EQUAL(proposal_parse(PROPOSAL_ESP, "3des, des-md5-modp1024", &l, NULL, 0), 0);
	CU_ASSERT_EQUAL(proposal_expand(&l, x, 8), 2);
	CU_ASSERT_EQUAL(x[0].encr, PROPOSAL_ENCR_3DES);
	CU_ASSERT_EQUAL(x[0].integ, PROPOSAL_INTEG_NONE);
	CU_ASSERT_EQUAL(x[0].dh, PROPOSAL_DH_NONE);
	CU_ASSERT_EQUAL(x[1].dh, PROPOSAL_DH_MODP1024);
	t = (struct proposal_xform){ PROPOSAL_ENCR_3DES, PROPOSAL_INTEG_NONE, PROPOSAL_DH_NONE };
	CU_ASSERT_TRUE(proposal_accepts(&l, PROPOSAL_ESP, &t));
	t.integ = PROPOSAL_INTEG_SHA1;
	CU_ASSERT_FALSE(proposal_accepts(&l, PROPOSAL_ESP, &t));
	t = (struct proposal_xform){ PROPOSAL_ENCR_DES, PROPOSAL_INTEG_MD5, PROPOSAL_DH_NONE };
	CU_ASSERT_FALSE(proposal_accepts(&l, PROPOSAL_ESP, &t));     /* PFS required */
}

static void test_format(void)
{
	struct proposal_list l;
	char buf[8];
	size_t n;

	CU_ASSERT_EQUAL(proposal_parse(PROPOSAL_IKE, "3des-sha1-modp1024,des-md5-modp768",
				       &l, NULL, 0), 0);
	n = proposal_list_format(&l, buf, sizeof(buf));
	CU_ASSERT_EQUAL(n, strlen("3des-sha1-modp1024, des-md5-modp768"));
	CU_ASSERT_STRING_EQUAL(buf, "3des-sh");
	CU_ASSERT_EQUAL(proposal_format(&l.p[1], buf, sizeof(buf)), strlen("des-md5-modp768"));
	CU_ASSERT_EQUAL(proposal_format(&l.p[1], NULL, 0), strlen("des-md5-modp768"));
	CU_ASSERT_STRING_EQUAL(proposal_encr_name(PROPOSAL_ENCR_AES192), "aes192");
	CU_ASSERT_STRING_EQUAL(proposal_encr_name((enum proposal_encr)77), "?");
	CU_ASSERT_STRING_EQUAL(proposal_integ_name(PROPOSAL_INTEG_SHA2_256), "sha256");
	CU_ASSERT_STRING_EQUAL(proposal_integ_name((enum proposal_integ)9), "?");
	CU_ASSERT_STRING_EQUAL(proposal_dh_name(PROPOSAL_DH_MODP1536), "modp1536");
	CU_ASSERT_STRING_EQUAL(proposal_dh_name((enum proposal_dh)3), "?");
}

/* RFC 2409 appendix A, RFC 3602, RFC 4868 (phase 1 attributes) */
static void test_wire_ike(void)
{
	static const struct { enum proposal_encr e; int id; uint16_t keylen; } encr[] = {
		{ PROPOSAL_ENCR_DES, 1, 0 }, { PROPOSAL_ENCR_3DES, 5, 0 },
		{ PROPOSAL_ENCR_AES128, 7, 128 }, { PROPOSAL_ENCR_AES192, 7, 192 },
		{ PROPOSAL_ENCR_AES256, 7, 256 },
	};
	static const struct { enum proposal_integ i; int id; } hash[] = {
		{ PROPOSAL_INTEG_MD5, 1 }, { PROPOSAL_INTEG_SHA1, 2 },
		{ PROPOSAL_INTEG_SHA2_256, 4 },
	};
	static const struct { enum proposal_dh d; int id; } dh[] = {
		{ PROPOSAL_DH_MODP768, 1 }, { PROPOSAL_DH_MODP1024, 2 },
		{ PROPOSAL_DH_MODP1536, 5 }, { PROPOSAL_DH_MODP2048, 14 },
	};
	enum proposal_encr e;
	enum proposal_integ h;
	enum proposal_dh d;
	uint16_t keylen;
	size_t i;

	for (i = 0; i < sizeof(encr) / sizeof(encr[0]); i++) {
		CU_ASSERT_EQUAL(proposal_ike_encr_to_wire(encr[i].e, &keylen), encr[i].id);
		CU_ASSERT_EQUAL(keylen, encr[i].keylen);
		CU_ASSERT_EQUAL(proposal_ike_encr_from_wire((unsigned)encr[i].id,
							    encr[i].keylen, &e), 0);
		CU_ASSERT_EQUAL(e, encr[i].e);
	}
	CU_ASSERT_EQUAL(proposal_ike_encr_to_wire(PROPOSAL_ENCR_NULL, &keylen), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(proposal_ike_encr_to_wire(PROPOSAL_ENCR_NONE, &keylen), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(proposal_ike_encr_from_wire(7, 0, &e), FG_ERR_UNSUPP);
	CU_ASSERT_EQUAL(proposal_ike_encr_from_wire(7, 64, &e), FG_ERR_UNSUPP);
	CU_ASSERT_EQUAL(proposal_ike_encr_from_wire(5, 192, &e), FG_ERR_UNSUPP);
	CU_ASSERT_EQUAL(proposal_ike_encr_from_wire(2, 0, &e), FG_ERR_UNSUPP);  /* IDEA */
	CU_ASSERT_EQUAL(proposal_ike_encr_from_wire(0, 0, &e), FG_ERR_UNSUPP);
	CU_ASSERT_EQUAL(proposal_ike_encr_from_wire(65535, 0, &e), FG_ERR_UNSUPP);

	for (i = 0; i < sizeof(hash) / sizeof(hash[0]); i++) {
		CU_ASSERT_EQUAL(proposal_ike_hash_to_wire(hash[i].i), hash[i].id);
		CU_ASSERT_EQUAL(proposal_ike_hash_from_wire((unsigned)hash[i].id, &h), 0);
		CU_ASSERT_EQUAL(h, hash[i].i);
	}
	CU_ASSERT_EQUAL(proposal_ike_hash_to_wire(PROPOSAL_INTEG_NONE), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(proposal_ike_hash_from_wire(3, &h), FG_ERR_UNSUPP);     /* Tiger */
	CU_ASSERT_EQUAL(proposal_ike_hash_from_wire(5, &h), FG_ERR_UNSUPP);     /* SHA2-384 */

	for (i = 0; i < sizeof(dh) / sizeof(dh[0]); i++) {
		CU_ASSERT_EQUAL(proposal_dh_to_wire(dh[i].d), dh[i].id);
		CU_ASSERT_EQUAL(proposal_dh_from_wire((unsigned)dh[i].id, &d), 0);
		CU_ASSERT_EQUAL(d, dh[i].d);
	}
	CU_ASSERT_EQUAL(proposal_dh_to_wire(PROPOSAL_DH_NONE), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(proposal_dh_to_wire((enum proposal_dh)3), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(proposal_dh_from_wire(3, &d), FG_ERR_UNSUPP);   /* EC2N 155 */
	CU_ASSERT_EQUAL(proposal_dh_from_wire(15, &d), FG_ERR_UNSUPP);  /* MODP 3072 */
	CU_ASSERT_EQUAL(proposal_dh_from_wire(19, &d), FG_ERR_UNSUPP);  /* ECP 256 */
}

/* RFC 2407 4.4.3, 4.4.4, 4.5; RFC 3602; RFC 4868 */
static void test_wire_ipsec(void)
{
	static const struct { enum proposal_encr e; int id; uint16_t keylen; } esp[] = {
		{ PROPOSAL_ENCR_DES, 2, 0 }, { PROPOSAL_ENCR_3DES, 3, 0 },
		{ PROPOSAL_ENCR_NULL, 11, 0 }, { PROPOSAL_ENCR_AES128, 12, 128 },
		{ PROPOSAL_ENCR_AES192, 12, 192 }, { PROPOSAL_ENCR_AES256, 12, 256 },
	};
	static const struct { enum proposal_integ i; int ah, auth; } integ[] = {
		{ PROPOSAL_INTEG_MD5, 2, 1 }, { PROPOSAL_INTEG_SHA1, 3, 2 },
		{ PROPOSAL_INTEG_SHA2_256, 5, 5 },
	};
	enum proposal_encr e;
	enum proposal_integ a;
	uint16_t keylen;
	size_t i;

	for (i = 0; i < sizeof(esp) / sizeof(esp[0]); i++) {
		CU_ASSERT_EQUAL(proposal_esp_to_wire(esp[i].e, &keylen), esp[i].id);
		CU_ASSERT_EQUAL(keylen, esp[i].keylen);
		CU_ASSERT_EQUAL(proposal_esp_from_wire((unsigned)esp[i].id, esp[i].keylen, &e), 0);
		CU_ASSERT_EQUAL(e, esp[i].e);
	}
	CU_ASSERT_EQUAL(proposal_esp_to_wire(PROPOSAL_ENCR_NONE, &keylen), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(proposal_esp_from_wire(12, 0, &e), FG_ERR_UNSUPP);
	CU_ASSERT_EQUAL(proposal_esp_from_wire(3, 128, &e), FG_ERR_UNSUPP);
	CU_ASSERT_EQUAL(proposal_esp_from_wire(1, 0, &e), FG_ERR_UNSUPP);      /* DES_IV64 */
	CU_ASSERT_EQUAL(proposal_esp_from_wire(20, 128, &e), FG_ERR_UNSUPP);   /* AES-GCM */

	for (i = 0; i < sizeof(integ) / sizeof(integ[0]); i++) {
		CU_ASSERT_EQUAL(proposal_ah_to_wire(integ[i].i), integ[i].ah);
		CU_ASSERT_EQUAL(proposal_ah_from_wire((unsigned)integ[i].ah, &a), 0);
		CU_ASSERT_EQUAL(a, integ[i].i);
		CU_ASSERT_EQUAL(proposal_auth_to_wire(integ[i].i), integ[i].auth);
		CU_ASSERT_EQUAL(proposal_auth_from_wire((unsigned)integ[i].auth, &a), 0);
		CU_ASSERT_EQUAL(a, integ[i].i);
	}
	CU_ASSERT_EQUAL(proposal_ah_to_wire(PROPOSAL_INTEG_NONE), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(proposal_auth_to_wire(PROPOSAL_INTEG_NONE), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(proposal_ah_from_wire(4, &a), FG_ERR_UNSUPP);          /* AH_DES */
	CU_ASSERT_EQUAL(proposal_auth_from_wire(3, &a), FG_ERR_UNSUPP);        /* DES-MAC */
	CU_ASSERT_EQUAL(proposal_auth_from_wire(0, &a), FG_ERR_UNSUPP);
}

static void test_sizes(void)
{
	CU_ASSERT_EQUAL(proposal_encr_key_size(PROPOSAL_ENCR_DES), 8);
	CU_ASSERT_EQUAL(proposal_encr_key_size(PROPOSAL_ENCR_3DES), 24);
	CU_ASSERT_EQUAL(proposal_encr_key_size(PROPOSAL_ENCR_AES192), 24);
	CU_ASSERT_EQUAL(proposal_encr_key_size(PROPOSAL_ENCR_AES256), 32);
	CU_ASSERT_EQUAL(proposal_encr_key_size(PROPOSAL_ENCR_NULL), 0);
	CU_ASSERT_EQUAL(proposal_encr_block_size(PROPOSAL_ENCR_3DES), 8);
	CU_ASSERT_EQUAL(proposal_encr_block_size(PROPOSAL_ENCR_AES128), 16);
	CU_ASSERT_EQUAL(proposal_encr_block_size(PROPOSAL_ENCR_NULL), 1);
	CU_ASSERT_EQUAL(proposal_hash_size(PROPOSAL_INTEG_MD5), 16);
	CU_ASSERT_EQUAL(proposal_hash_size(PROPOSAL_INTEG_SHA1), 20);
	CU_ASSERT_EQUAL(proposal_hash_size(PROPOSAL_INTEG_SHA2_256), 32);
	CU_ASSERT_EQUAL(proposal_integ_key_size(PROPOSAL_INTEG_SHA1), 20);
	CU_ASSERT_EQUAL(proposal_integ_icv_size(PROPOSAL_INTEG_MD5), 12);
	CU_ASSERT_EQUAL(proposal_integ_icv_size(PROPOSAL_INTEG_SHA1), 12);
	CU_ASSERT_EQUAL(proposal_integ_icv_size(PROPOSAL_INTEG_SHA2_256), 16);
	CU_ASSERT_EQUAL(proposal_integ_icv_size(PROPOSAL_INTEG_NONE), 0);
}

/* Random strings over the proposal alphabet: a defined result, no crash. */
static void test_garbage(void)
{
	static const char *const parts[] = {
		"aes128", "3des", "des", "null", "sha1", "md5", "sha256", "modp1024",
		"modp2048", "esn", "noesn", "prfsha1", "ecp256", "default", "-", ",",
		" ", "--", "x", "aes", "", "\xff", "modp",
	};
	struct proposal_list l;
	char in[PROPOSAL_STR_MAX + 64], err[PROPOSAL_ERR_MAX], out[PROPOSAL_STR_MAX * 2];
	uint32_t seed = 12345;
	unsigned iter, k, nparts;
	int rc, proto;

	for (iter = 0; iter < 20000; iter++) {
		in[0] = '\0';
		seed = seed * 1103515245u + 12345u;
		nparts = (seed >> 16) % 24;
		for (k = 0; k < nparts; k++) {
			seed = seed * 1103515245u + 12345u;
			strcat(in, parts[(seed >> 16) % (sizeof(parts) / sizeof(parts[0]))]);
		}
		proto = 1 + (int)(iter % 3);
		rc = proposal_parse((enum proposal_proto)proto, in, &l, err, sizeof(err));
		CU_ASSERT(rc == 0 || rc == FG_ERR_PARSE || rc == FG_ERR_UNSUPP);
		if (rc == 0) {
			CU_ASSERT(l.n >= 1 && l.n <= PROPOSAL_LIST_MAX);
			proposal_list_format(&l, out, sizeof(out));
			/* what the formatter writes parses back to the same */
			{
				struct proposal_list l2;
				char out2[PROPOSAL_STR_MAX * 2];

				if (strlen(out) <= PROPOSAL_STR_MAX) {
					CU_ASSERT_EQUAL(proposal_parse((enum proposal_proto)proto,
								       out, &l2, NULL, 0), 0);
					proposal_list_format(&l2, out2, sizeof(out2));
					CU_ASSERT_STRING_EQUAL(out, out2);
				}
			}
		} else {
			CU_ASSERT(strncmp(err, "proposal '", 10) == 0);
		}
	}
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "parse ok", test_ok },
		{ "parsed fields", test_fields },
		{ "errors", test_errors },
		{ "limits", test_limits },
		{ "expand and accept", test_expand },
		{ "format", test_format },
		{ "IKE wire numbers", test_wire_ike },
		{ "ESP/AH wire numbers", test_wire_ipsec },
		{ "sizes", test_sizes },
		{ "random input", test_garbage },
		{ NULL, NULL },
	};

	unit_add_suite("proposal", tests);
	return unit_run("unit-proposal");
}
