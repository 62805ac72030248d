/*
 * Writes the seed corpus of fuzz_isakmp into a directory: IKEv1 messages
 * of each exchange, made with the codec's own builder (so each one parses).
 * The files are committed; rerun only to change them:
 *   cc -std=c11 -D_GNU_SOURCE -Ihost tests/fuzz/gen_isakmp_corpus.c \
 *     host/ike/isakmp_*.c -o build/gen_isakmp_corpus
 *   build/gen_isakmp_corpus tests/fuzz/corpus/isakmp
 */
#include <stdio.h>
#include <string.h>

#include "ike/isakmp.h"
#include "ike/isakmp_sa.h"

static const uint8_t vid_xauth[] = { 0x09, 0x00, 0x26, 0x89, 0xdf, 0xd6, 0xb7, 0x12 };
static const uint8_t vid_dpd[] = { 0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
				   0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00 };
static const uint8_t vid_natt[] = { 0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
				    0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f };
static uint8_t fill[256];

static int save(const char *dir, const char *name, struct isakmp_builder *b)
{
	const uint8_t *msg;
	char path[512];
	size_t len;
	FILE *f;
	int rc = isakmp_build_finish(b, &msg, &len);

	if (rc) {
		fprintf(stderr, "%s: build failed (%d)\n", name, rc);
		isakmp_build_free(b);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = fopen(path, "wb")) || fwrite(msg, 1, len, f) != len || fclose(f)) {
		perror(path);
		isakmp_build_free(b);
		return 1;
	}
	printf("%s: %zu bytes\n", path, len);
	isakmp_build_free(b);
	return 0;
}

static void hdr(struct isakmp_hdr *h, uint8_t exch, uint8_t flags, uint32_t msgid, int responder)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->icookie, "\x5b\x2e\x1d\x9a\x4c\x07\x3f\x11", 8);
	if (responder)
		memcpy(h->rcookie, "\x91\x3a\x0c\x77\xe2\x40\x18\x65", 8);
	h->exch = exch;
	h->flags = flags;
	h->msgid = msgid;
}

/* Phase 1 offer: 3DES/SHA1/PSK/MODP1024 28800 s, and AES-128/SHA1 86400 s. */
static void ike_sa(struct isakmp_sa *sa, struct isakmp_proposal *p, struct isakmp_transform *x,
		   struct isakmp_attr a[2][7])
{
	a[0][0] = isakmp_attr_num(ISAKMP_OAKLEY_ENCRYPTION, ISAKMP_OAKLEY_ENC_3DES_CBC);
	a[0][1] = isakmp_attr_num(ISAKMP_OAKLEY_HASH, ISAKMP_OAKLEY_HASH_SHA);
	a[0][2] = isakmp_attr_num(ISAKMP_OAKLEY_AUTH_METHOD, ISAKMP_OAKLEY_AUTH_PSK);
	a[0][3] = isakmp_attr_num(ISAKMP_OAKLEY_GROUP_DESC, ISAKMP_OAKLEY_GROUP_MODP1024);
	a[0][4] = isakmp_attr_num(ISAKMP_OAKLEY_LIFE_TYPE, ISAKMP_OAKLEY_LIFE_SECONDS);
	a[0][5] = isakmp_attr_num(ISAKMP_OAKLEY_LIFE_DURATION, 28800);
	a[1][0] = isakmp_attr_num(ISAKMP_OAKLEY_ENCRYPTION, ISAKMP_OAKLEY_ENC_AES_CBC);
	a[1][1] = isakmp_attr_num(ISAKMP_OAKLEY_KEY_LENGTH, 128);
	a[1][2] = isakmp_attr_num(ISAKMP_OAKLEY_HASH, ISAKMP_OAKLEY_HASH_SHA);
	a[1][3] = isakmp_attr_num(ISAKMP_OAKLEY_AUTH_METHOD, ISAKMP_OAKLEY_AUTH_PSK);
	a[1][4] = isakmp_attr_num(ISAKMP_OAKLEY_GROUP_DESC, ISAKMP_OAKLEY_GROUP_MODP1024);
	a[1][5] = isakmp_attr_num(ISAKMP_OAKLEY_LIFE_TYPE, ISAKMP_OAKLEY_LIFE_SECONDS);
	a[1][6] = isakmp_attr_num(ISAKMP_OAKLEY_LIFE_DURATION, 86400);
	memset(x, 0, 2 * sizeof(*x));
	x[0].num = 1, x[0].id = ISAKMP_KEY_IKE, x[0].nattrs = 6, x[0].attrs = a[0];
	x[1].num = 2, x[1].id = ISAKMP_KEY_IKE, x[1].nattrs = 7, x[1].attrs = a[1];
	memset(p, 0, sizeof(*p));
	p->num = 1, p->proto = ISAKMP_PROTO_ISAKMP, p->nxforms = 2, p->xforms = x;
	memset(sa, 0, sizeof(*sa));
	sa->doi = ISAKMP_DOI_IPSEC, sa->situation = ISAKMP_SIT_IDENTITY_ONLY;
	sa->nprops = 1, sa->props = p;
}

/* Phase 2 offer: ESP 3DES/HMAC-SHA tunnel, 3600 s and 86400 s (TLV). */
static void esp_sa(struct isakmp_sa *sa, struct isakmp_proposal *p, struct isakmp_transform *x,
		   struct isakmp_attr a[4])
{
	static const uint8_t spi[4] = { 0xc1, 0x2f, 0x00, 0x01 };

	a[0] = isakmp_attr_num(ISAKMP_IPSEC_LIFE_TYPE, ISAKMP_IPSEC_LIFE_SECONDS);
	a[1] = isakmp_attr_num(ISAKMP_IPSEC_LIFE_DURATION, 86400);
	a[2] = isakmp_attr_num(ISAKMP_IPSEC_ENCAP_MODE, ISAKMP_IPSEC_ENCAP_UDP_TUNNEL);
	a[3] = isakmp_attr_num(ISAKMP_IPSEC_AUTH_ALG, ISAKMP_IPSEC_AUTH_HMAC_SHA);
	memset(x, 0, sizeof(*x));
	x->num = 1, x->id = ISAKMP_ESP_3DES, x->nattrs = 4, x->attrs = a;
	memset(p, 0, sizeof(*p));
	p->num = 1, p->proto = ISAKMP_PROTO_ESP, p->spi_size = 4, p->spi = spi;
	p->nxforms = 1, p->xforms = x;
	memset(sa, 0, sizeof(*sa));
	sa->doi = ISAKMP_DOI_IPSEC, sa->situation = ISAKMP_SIT_IDENTITY_ONLY;
	sa->nprops = 1, sa->props = p;
}

int main(int argc, char **argv)
{
	static const uint8_t net1[8] = { 10, 1, 0, 0, 255, 255, 0, 0 };
	static const uint8_t net2[8] = { 10, 2, 0, 0, 255, 255, 0, 0 };
	static const uint8_t addr[4] = { 192, 0, 2, 1 };
	static const uint8_t cookies[16] = { 0x5b, 0x2e, 0x1d, 0x9a, 0x4c, 0x07, 0x3f, 0x11,
					     0x91, 0x3a, 0x0c, 0x77, 0xe2, 0x40, 0x18, 0x65 };
	static const uint8_t spis[8] = { 0xc1, 0x2f, 0x00, 0x01, 0xc1, 0x2f, 0x00, 0x02 };
	static const uint8_t seq[4] = { 0, 0, 0x12, 0x34 };
	struct isakmp_attr ia[2][7], ea[4];
	struct isakmp_transform ix[2], ex;
	struct isakmp_proposal ip, ep;
	struct isakmp_sa isa, esa;
	struct isakmp_builder b;
	struct isakmp_hdr h;
	const char *dir = argc > 1 ? argv[1] : "tests/fuzz/corpus/isakmp";
	int bad = 0;
	size_t i;

	for (i = 0; i < sizeof(fill); i++)
		fill[i] = (uint8_t)(i * 37 + 11);
	ike_sa(&isa, &ip, ix, ia);
	esp_sa(&esa, &ep, &ex, ea);

	/* Main Mode 1: SA + vendor IDs */
	hdr(&h, ISAKMP_EXCH_IDPROT, 0, 0, 0);
	isakmp_build_init(&b, &h);
	isakmp_build_sa(&b, &isa);
	isakmp_build_data(&b, ISAKMP_PT_VID, vid_xauth, sizeof(vid_xauth));
	isakmp_build_data(&b, ISAKMP_PT_VID, vid_dpd, sizeof(vid_dpd));
	isakmp_build_data(&b, ISAKMP_PT_VID, vid_natt, sizeof(vid_natt));
	bad |= save(dir, "mm1-sa-vid", &b);

	/* Main Mode 3: KE, NONCE, NAT-D x2 */
	hdr(&h, ISAKMP_EXCH_IDPROT, 0, 0, 1);
	isakmp_build_init(&b, &h);
	isakmp_build_data(&b, ISAKMP_PT_KE, fill, 128);
	isakmp_build_data(&b, ISAKMP_PT_NONCE, fill + 7, 32);
	isakmp_build_data(&b, ISAKMP_PT_NAT_D, fill + 3, 20);
	isakmp_build_data(&b, ISAKMP_PT_NAT_D, fill + 5, 20);
	bad |= save(dir, "mm3-ke-nonce-natd", &b);

	/* Main Mode 5 with E set; the body is plaintext ID + HASH + padding,
	 * which the fuzzer parses as if it had been decrypted */
	{
		const struct isakmp_pl_id id = { ISAKMP_ID_IPV4_ADDR, 17, 500, { addr, 4 } };

		hdr(&h, ISAKMP_EXCH_IDPROT, ISAKMP_FLAG_ENC, 0, 1);
		isakmp_build_init(&b, &h);
		isakmp_build_id(&b, &id);
		isakmp_build_data(&b, ISAKMP_PT_HASH, fill, 20);
		isakmp_build_pad(&b, 8);
		bad |= save(dir, "mm5-enc-id-hash", &b);
	}

	/* Aggressive Mode 1: SA, KE, NONCE, ID (FQDN), VID */
	{
		const struct isakmp_pl_id id = { ISAKMP_ID_FQDN, 0, 0, { (const uint8_t *)"gw.example", 10 } };

		hdr(&h, ISAKMP_EXCH_AGGRESSIVE, 0, 0, 0);
		isakmp_build_init(&b, &h);
		isakmp_build_sa(&b, &isa);
		isakmp_build_data(&b, ISAKMP_PT_KE, fill, 128);
		isakmp_build_data(&b, ISAKMP_PT_NONCE, fill, 16);
		isakmp_build_id(&b, &id);
		isakmp_build_data(&b, ISAKMP_PT_VID, vid_dpd, sizeof(vid_dpd));
		bad |= save(dir, "am1-sa-ke-nonce-id", &b);
	}

	/* Quick Mode 1 (as plaintext): HASH, SA, NONCE, IDci, IDcr, NAT-OA */
	{
		const struct isakmp_pl_id id1 = { ISAKMP_ID_IPV4_ADDR_SUBNET, 0, 0, { net1, 8 } };
		const struct isakmp_pl_id id2 = { ISAKMP_ID_IPV4_ADDR_SUBNET, 0, 0, { net2, 8 } };
		const struct isakmp_pl_nat_oa oa = { ISAKMP_ID_IPV4_ADDR, { addr, 4 } };

		hdr(&h, ISAKMP_EXCH_QUICK, 0, 0x7a3c9e01, 1);
		isakmp_build_init(&b, &h);
		isakmp_build_data(&b, ISAKMP_PT_HASH, fill, 20);
		isakmp_build_sa(&b, &esa);
		isakmp_build_data(&b, ISAKMP_PT_NONCE, fill + 9, 16);
		isakmp_build_id(&b, &id1);
		isakmp_build_id(&b, &id2);
		isakmp_build_nat_oa(&b, &oa);
		bad |= save(dir, "qm1-hash-sa-nonce-id-natoa", &b);
	}

	/* Informational: DPD R-U-THERE, INITIAL-CONTACT */
	{
		const struct isakmp_pl_notify dpd = { ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP,
						      ISAKMP_N_DPD_R_U_THERE, { cookies, 16 }, { seq, 4 } };
		const struct isakmp_pl_notify ic = { ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP,
						     ISAKMP_N_INITIAL_CONTACT, { cookies, 16 }, { NULL, 0 } };

		hdr(&h, ISAKMP_EXCH_INFO, 0, 0x11223344, 1);
		isakmp_build_init(&b, &h);
		isakmp_build_data(&b, ISAKMP_PT_HASH, fill, 20);
		isakmp_build_notify(&b, &dpd);
		isakmp_build_notify(&b, &ic);
		bad |= save(dir, "info-notify-dpd", &b);
	}

	/* Informational: DELETE of two ESP SAs and of the ISAKMP SA */
	{
		const struct isakmp_pl_delete esp = { ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ESP, 4, 2, { spis, 8 } };
		const struct isakmp_pl_delete ike = { ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, 16, 1,
						      { cookies, 16 } };

		hdr(&h, ISAKMP_EXCH_INFO, 0, 0x55667788, 1);
		isakmp_build_init(&b, &h);
		isakmp_build_data(&b, ISAKMP_PT_HASH, fill, 20);
		isakmp_build_delete(&b, &esp);
		isakmp_build_delete(&b, &ike);
		bad |= save(dir, "info-delete", &b);
	}

	/* Certificates (opaque): CR, CERT, SIG */
	{
		const struct isakmp_pl_cert cr = { 4, { NULL, 0 } };
		const struct isakmp_pl_cert cert = { 4, { fill, 64 } };

		hdr(&h, ISAKMP_EXCH_IDPROT, 0, 0, 1);
		isakmp_build_init(&b, &h);
		isakmp_build_cert(&b, ISAKMP_PT_CR, &cr);
		isakmp_build_cert(&b, ISAKMP_PT_CERT, &cert);
		isakmp_build_data(&b, ISAKMP_PT_SIG, fill, 64);
		bad |= save(dir, "mm-cert-cr-sig", &b);
	}
	/* a bare SA body (the fuzzer also feeds its input to the SA walker) */
	{
		uint8_t body[512];
		size_t len;
		char path[512];
		FILE *f;

		snprintf(path, sizeof(path), "%s/sa-body-ike", dir);
		if (isakmp_sa_encode(&isa, body, sizeof(body), &len) || !(f = fopen(path, "wb")) ||
		    fwrite(body, 1, len, f) != len || fclose(f)) {
			perror(path);
			bad = 1;
		} else {
			printf("%s: %zu bytes\n", path, len);
		}
	}
	return bad;
}
