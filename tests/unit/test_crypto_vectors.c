/*
 * Runs every known-answer file in tests/vectors through the host's OpenSSL
 * wrappers (host/crypto). The RTL benches run the same files, so a vector
 * typed wrong fails here independently of the hardware.
 * FGATE_VECTORS=DIR points at another copy (the mutation suite uses that).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/crypto.h"
#include "unit.h"
#include "vectors.h"

static const char *vectors_dir(void)
{
	const char *d = getenv("FGATE_VECTORS");

	return d ? d : "tests/vectors";
}

/* Loads DIR/name; fails the test (and returns -1) if it cannot. */
static int load(const char *name, struct vec_file *f)
{
	char path[512], err[256];

	snprintf(path, sizeof(path), "%s/%s", vectors_dir(), name);
	if (vec_load(path, f, err, sizeof(err))) {
		printf("\n  %s\n", err);
		CU_FAIL("vector file unreadable");
		return -1;
	}
	CU_ASSERT(f->has_source);
	CU_ASSERT(f->nrecs > 0);
	if (!f->has_source)
		printf("\n  %s: no '# Source:' line\n", path);
	return 0;
}

static const uint8_t *need(const struct vec_file *f, const struct vec_record *r,
			   const char *field, size_t *len)
{
	const struct vec_field *v = vec_get(r, field);

	if (!v || !v->data) {
		printf("\n  %s:%d: record lacks field '%s'\n", f->path, r->line, field);
		CU_FAIL("missing field");
		return NULL;
	}
	*len = v->len;
	return v->data;
}

static void report(const struct vec_file *f, const struct vec_record *r, int ok, const char *what)
{
	CU_ASSERT(ok);
	if (!ok)
		printf("\n  %s:%d: %s mismatch\n", f->path, r->line, what);
}

/* CBC over the whole message, or with iv NULL, ECB: each 8-byte block on
 * its own, as a one-block CBC with a zero IV. 1 if the output is want. */
static int run_blocks(enum crypto_cipher c, int encrypt, const uint8_t *key, size_t klen,
		      const uint8_t *iv, const uint8_t *in, const uint8_t *want, size_t len)
{
	static const uint8_t zero_iv[8];
	uint8_t out[4096];
	size_t off;

	if (iv)
		return crypto_cbc(c, encrypt, key, klen, iv, in, out, len) == 0 &&
		       memcmp(out, want, len) == 0;
	for (off = 0; off < len; off += 8)
		if (crypto_cbc(c, encrypt, key, klen, zero_iv, in + off, out + off, 8))
			return 0;
	return memcmp(out, want, len) == 0;
}

static void run_cipher_file(const char *name, enum crypto_cipher c)
{
	struct vec_file f;
	size_t i;

	if (load(name, &f))
		return;
	for (i = 0; i < f.nrecs; i++) {
		const struct vec_record *r = &f.recs[i];
		const uint8_t *key, *iv = NULL, *pt, *ct;
		size_t klen, ivlen = 8, ptlen, ctlen;
		int cbc = strcmp(r->section, "cbc") == 0;

		if (!(key = need(&f, r, "key", &klen)) || !(pt = need(&f, r, "pt", &ptlen)) ||
		    !(ct = need(&f, r, "ct", &ctlen)))
			continue;
		if (cbc && !(iv = need(&f, r, "iv", &ivlen)))
			continue;
		if (!cbc && strcmp(r->section, "ecb")) {
			report(&f, r, 0, "section (expect [ecb] or [cbc])");
			continue;
		}
		if (ptlen != ctlen || ptlen > 4096 || ptlen % 8 || ivlen != 8) {
			report(&f, r, 0, "lengths");
			continue;
		}
		report(&f, r, run_blocks(c, 1, key, klen, cbc ? iv : NULL, pt, ct, ptlen), "encrypt");
		report(&f, r, run_blocks(c, 0, key, klen, cbc ? iv : NULL, ct, pt, ptlen), "decrypt");
	}
	vec_free(&f);
}

/* msg repeated `repeat` times (default once), hashed or MACed in parts. */
static int digest(enum crypto_hash h, const uint8_t *key, size_t klen, int hmac,
		  const uint8_t *msg, size_t mlen, unsigned long repeat, uint8_t *out)
{
	enum { CHUNK = 1000 };
	struct crypto_part parts[CHUNK];
	unsigned long done = 0;
	uint8_t *buf = NULL;
	int rc;

	if (repeat <= 1) {
		parts[0].data = msg;
		parts[0].len = mlen;
		return hmac ? crypto_hmac(h, key, klen, parts, 1, out) : crypto_hash(h, parts, 1, out);
	}
	/* Long repeated messages: build one buffer (1,000,000 x 'a' is 1 MB). */
	buf = malloc(mlen * repeat);
	if (!buf)
		return -1;
	for (; done < repeat; done++)
		memcpy(buf + done * mlen, msg, mlen);
	parts[0].data = buf;
	parts[0].len = mlen * repeat;
	rc = hmac ? crypto_hmac(h, key, klen, parts, 1, out) : crypto_hash(h, parts, 1, out);
	free(buf);
	return rc;
}

static void run_hash_file(const char *name, enum crypto_hash h, int hmac)
{
	struct vec_file f;
	size_t i;

	if (load(name, &f))
		return;
	for (i = 0; i < f.nrecs; i++) {
		const struct vec_record *r = &f.recs[i];
		const struct vec_field *mac96 = vec_get(r, "mac96");
		const uint8_t *key = NULL, *msg, *want;
		size_t klen = 0, mlen, wlen;
		uint8_t out[CRYPTO_MAX_HASH];

		if (hmac && !(key = need(&f, r, "key", &klen)))
			continue;
		if (!(msg = need(&f, r, "msg", &mlen)) ||
		    !(want = need(&f, r, hmac ? "mac" : "md", &wlen)))
			continue;
		if (digest(h, key, klen, hmac, msg, mlen, vec_uint(r, "repeat", 1), out)) {
			report(&f, r, 0, "OpenSSL call");
			continue;
		}
		report(&f, r, wlen <= crypto_hash_len(h) && memcmp(out, want, wlen) == 0,
		       hmac ? "mac" : "digest");
		/* RFC 2403/2404: the ICV is the first 96 bits. */
		if (mac96)
			report(&f, r, mac96->data && mac96->len == 12 && memcmp(out, mac96->data, 12) == 0,
			       "mac96");
	}
	vec_free(&f);
}

static void test_des(void) { run_cipher_file("des.txt", CRYPTO_CIPHER_DES_CBC); }
static void test_tdes(void) { run_cipher_file("tdes.txt", CRYPTO_CIPHER_3DES_CBC); }
static void test_sha1(void) { run_hash_file("sha1.txt", CRYPTO_HASH_SHA1, 0); }
static void test_md5(void) { run_hash_file("md5.txt", CRYPTO_HASH_MD5, 0); }
static void test_hmac_sha1(void) { run_hash_file("hmac-sha1.txt", CRYPTO_HASH_SHA1, 1); }
static void test_hmac_md5(void) { run_hash_file("hmac-md5.txt", CRYPTO_HASH_MD5, 1); }

/* The reader itself: malformed files give file:line errors, not crashes. */
static void expect_parse_error(const char *text, const char *needle)
{
	char path[] = "/tmp/fgate-vec-XXXXXX", err[256] = "";
	struct vec_file f;
	FILE *fp;
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	fp = fdopen(fd, "w");
	CU_ASSERT_FATAL(fp != NULL);
	fputs(text, fp);
	fclose(fp);
	CU_ASSERT_EQUAL(vec_load(path, &f, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, needle));
	unlink(path);
}

static void test_reader_rejects_bad_files(void)
{
	expect_parse_error("# Source: x\nkey = 0g\n", ":2: field 'key'");
	expect_parse_error("key = 00\nkey = 01\n", ":2: field 'key' twice");
	expect_parse_error("[ecb\nkey = 00\n", ":1: bad section");
	expect_parse_error("key 00\n", ":1: expected 'name = value'");
}

static void test_reader_fields(void)
{
	char path[] = "/tmp/fgate-vec-XXXXXX", err[256];
	struct vec_file f;
	FILE *fp;
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	fp = fdopen(fd, "w");
	fputs("# Source: test\n[cbc]\nkey = 0aFF\nmsg = \"abc\"\nrepeat = 1000000\n\n"
	      "[ecb]\npt = \n", fp);
	fclose(fp);
	CU_ASSERT_EQUAL_FATAL(vec_load(path, &f, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(f.nrecs, 2);
	CU_ASSERT(f.has_source);
	CU_ASSERT_STRING_EQUAL(f.recs[0].section, "cbc");
	CU_ASSERT_EQUAL(vec_get(&f.recs[0], "key")->len, 2);
	CU_ASSERT_EQUAL(vec_get(&f.recs[0], "key")->data[1], 0xff);
	CU_ASSERT_EQUAL(memcmp(vec_get(&f.recs[0], "msg")->data, "abc", 3), 0);
	CU_ASSERT_EQUAL(vec_uint(&f.recs[0], "repeat", 1), 1000000);
	CU_ASSERT_STRING_EQUAL(f.recs[1].section, "ecb");
	CU_ASSERT_EQUAL(vec_get(&f.recs[1], "pt")->len, 0);
	vec_free(&f);
	unlink(path);
}

int main(void)
{
	static const struct unit_test files[] = {
		{ "des.txt (DES-CBC)", test_des },
		{ "tdes.txt (3DES-CBC)", test_tdes },
		{ "sha1.txt", test_sha1 },
		{ "md5.txt", test_md5 },
		{ "hmac-sha1.txt", test_hmac_sha1 },
		{ "hmac-md5.txt", test_hmac_md5 },
		{ NULL, NULL },
	};
	static const struct unit_test reader[] = {
		{ "rejects malformed files", test_reader_rejects_bad_files },
		{ "decodes hex, strings, counts", test_reader_fields },
		{ NULL, NULL },
	};

	unit_add_suite("known answers through OpenSSL", files);
	unit_add_suite("vector file reader", reader);
	return unit_run("unit-crypto_vectors");
}
