/*
 * libFuzzer target for the ISAKMP codec: header, payload loop, every
 * payload validator, SA decoding, and the builder as an oracle.
 *
 * Build by hand (not wired into the Makefile):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Ihost \
 *     tests/fuzz/fuzz_isakmp.c host/ike/isakmp_*.c -o build/fuzz_isakmp
 *   build/fuzz_isakmp -max_total_time=60 tests/fuzz/corpus/isakmp
 * Seeds: tests/fuzz/corpus/isakmp, made by tests/fuzz/gen_isakmp_corpus.c.
 *
 * Beyond "no crash, no leak, no UB", it checks properties and traps when
 * one fails:
 *  - an error always names a notify and an offset inside the input;
 *  - every accepted span lies inside the input;
 *  - an accepted SA payload always decodes, and re-encodes to its bytes;
 *  - an accepted message rebuilt from its parsed views with the builder is
 *    byte-identical (for an encrypted one the body is parsed as if it were
 *    the decrypted plaintext, with up to 16 bytes of padding).
 * The raw input is also fed to the SA body walker directly.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ike/isakmp.h"
#include "ike/isakmp_sa.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

enum { FUZZ_MAX_PAD = 16 };

static int inside(const uint8_t *base, size_t len, struct isakmp_span s)
{
	return s.len == 0 || (s.ptr >= base && s.len <= len && (size_t)(s.ptr - base) <= len - s.len);
}

static void sa_round_trip(const uint8_t *body, size_t len, int must_decode)
{
	struct isakmp_sa sa;
	struct isakmp_error e;
	uint8_t *out;
	size_t got;
	int rc = isakmp_sa_decode(body, len, &sa, &e);

	if (rc) {
		CHECK(!must_decode || rc == FG_ERR_NOMEM);
		CHECK(e.notify != 0 || rc == FG_ERR_NOMEM);
		CHECK(sa.props == NULL);
		return;
	}
	CHECK(isakmp_sa_check(body, len, 0, NULL) == 0);
	CHECK(isakmp_sa_encoded_len(&sa) == len);
	out = malloc(len);
	if (out) {
		CHECK(isakmp_sa_encode(&sa, out, len, &got) == 0);
		CHECK(got == len && memcmp(out, body, len) == 0);
		free(out);
	}
	isakmp_sa_free(&sa);
}

/* Rebuilds the payload chain of m with the typed builders. */
static int rebuild(const struct isakmp_msg *m, struct isakmp_builder *b)
{
	size_t i;
	int rc = isakmp_build_init(b, &m->hdr);

	for (i = 0; !rc && i < m->npayloads; i++) {
		const struct isakmp_payload *p = &m->payloads[i];
		struct isakmp_sa sa;

		switch (p->type) {
		case ISAKMP_PT_SA:
			if (isakmp_sa_decode(p->body.ptr, p->body.len, &sa, NULL))
				return -1;
			rc = isakmp_build_sa(b, &sa);
			isakmp_sa_free(&sa);
			break;
		case ISAKMP_PT_ID:
			rc = isakmp_build_id(b, &p->u.id);
			break;
		case ISAKMP_PT_CERT:
		case ISAKMP_PT_CR:
			rc = isakmp_build_cert(b, p->type, &p->u.cert);
			break;
		case ISAKMP_PT_NOTIFY:
			rc = isakmp_build_notify(b, &p->u.notify);
			break;
		case ISAKMP_PT_DELETE:
			rc = isakmp_build_delete(b, &p->u.del);
			break;
		case ISAKMP_PT_NAT_OA:
			rc = isakmp_build_nat_oa(b, &p->u.nat_oa);
			break;
		default:
			rc = isakmp_build_data(b, p->type, p->body.ptr, p->body.len);
		}
		rc = rc < 0 ? rc : 0;
	}
	return rc;
}

static void check_payloads(const struct isakmp_msg *m, const uint8_t *data, size_t size)
{
	size_t i, n = 0;

	for (i = 0; i < m->npayloads; i++) {
		const struct isakmp_payload *p = &m->payloads[i];

		CHECK(inside(data, size, p->raw));
		CHECK(inside(data, size, p->body));
		if (p->type == ISAKMP_PT_SA)
			sa_round_trip(p->body.ptr, p->body.len, 1);
		if (p->type == ISAKMP_PT_NOTIFY) {
			CHECK(inside(data, size, p->u.notify.spi));
			CHECK(inside(data, size, p->u.notify.data));
		}
		if (p->type == ISAKMP_PT_DELETE)
			CHECK(p->u.del.spis.len == (size_t)p->u.del.nspis * p->u.del.spi_size);
		if (p->type == ISAKMP_PT_NONCE)
			CHECK(p->body.len >= ISAKMP_NONCE_MIN && p->body.len <= ISAKMP_NONCE_MAX);
	}
	for (i = 0; i < ISAKMP_PT_COUNT; i++)
		n += isakmp_msg_count(m, (uint8_t)i);
	CHECK(n == m->npayloads);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct isakmp_allow allow = { 0xffffffffu, ISAKMP_PT_REPEATABLE };
	struct isakmp_msg *m = malloc(sizeof(*m));
	struct isakmp_builder b;
	struct isakmp_error e;
	const uint8_t *out;
	size_t outlen;
	int rc;

	sa_round_trip(data, size, 0);
	if (!m)
		return 0;
	memset(&e, 0, sizeof(e));
	rc = isakmp_msg_parse(data, size, &allow, m, &e);
	if (rc == 0 && m->encrypted)
		rc = isakmp_payloads_parse(m->body.ptr, m->body.len, m->hdr.next, &allow,
					   FUZZ_MAX_PAD, m, &e);
	if (rc) {
		CHECK(rc < 0);
		CHECK(e.notify > 0);
		CHECK(e.offset <= size);
		CHECK(memchr(e.reason, 0, sizeof(e.reason)) != NULL);
		goto out;
	}
	check_payloads(m, data, size);
	CHECK(rebuild(m, &b) == 0);
	CHECK(isakmp_build_finish(&b, &out, &outlen) == 0);
	if (m->encrypted) {
		/* the rebuilt plaintext chain equals the body up to the padding */
		CHECK(outlen - ISAKMP_HDR_LEN == m->chain_end);
		CHECK(memcmp(out + ISAKMP_HDR_LEN, m->body.ptr, m->chain_end) == 0);
	} else {
		CHECK(outlen == size && memcmp(out, data, size) == 0);
	}
	isakmp_build_free(&b);
out:
	free(m);
	return 0;
}
