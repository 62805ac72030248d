/*
 * fgate-pcap's SA specification (sa_spec.h): one handler per key, then the
 * checks that involve several keys.
 */
#include "tools/sa_spec.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "crypto/crypto.h"

enum {
	SPEC_TEXT_MAX = 1024,   /* longest spec accepted */
};

/* One key's handler: parses value into spec, or writes why it cannot. */
typedef int (*field_fn)(struct sa_spec *spec, const char *value, char *why, size_t whylen);

static int why_set(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int why_set(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return FG_ERR_PARSE;
}

/* Decimal, or hex after 0x; no sign, no spaces, within 32 bits. */
static int parse_u32(const char *s, uint32_t *out)
{
	int base = 10, d;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return FG_ERR_PARSE;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return FG_ERR_PARSE;
		v = v * (uint64_t)base + (uint64_t)d;
		if (v > UINT32_MAX)
			return FG_ERR_RANGE;
	}
	*out = (uint32_t)v;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "0x" then exactly 2 x want hex digits into out. */
static int parse_key(const char *alg, const char *s, uint8_t *out, size_t want, char *why,
		     size_t whylen)
{
	size_t n, i;
	int hi, lo;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	n = strlen(s);
	if (n != 2 * want)
		return why_set(why, whylen, "%s key must be 0x and %zu hex digits (got %zu)", alg,
			       2 * want, n);
	for (i = 0; i < want; i++) {
		hi = hexval(s[2 * i]);
		lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			crypto_wipe(out, want);
			return why_set(why, whylen, "%s key has a non-hex digit", alg);
		}
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* "name" or "name:key" against a table of algorithms. */
struct alg {
	const char *name;
	unsigned code;
	size_t key_len;         /* 0: no key */
};

static const struct alg ciphers[] = {
	{ "3des-cbc", FGP_CIPHER_TDES_CBC, 24 },
	{ "des-cbc", FGP_CIPHER_DES_CBC, 8 },
	{ "null", FGP_CIPHER_NULL, 0 },
};

static const struct alg auths[] = {
	{ "hmac-sha1-96", FGP_AUTH_HMAC_SHA1, 20 },
	{ "hmac-md5-96", FGP_AUTH_HMAC_MD5, 16 },
	{ "none", FGP_AUTH_NONE, 0 },
};

static int parse_alg(const struct alg *algs, size_t n, const char *value, unsigned *code,
		     uint8_t *key, size_t *key_len, char *why, size_t whylen)
{
	const char *colon = strchr(value, ':');
	size_t name_len = colon ? (size_t)(colon - value) : strlen(value), i;

	for (i = 0; i < n; i++) {
		if (strlen(algs[i].name) != name_len || strncmp(value, algs[i].name, name_len))
			continue;
		if (!algs[i].key_len) {
			if (colon)
				return why_set(why, whylen, "%s takes no key", algs[i].name);
			*code = algs[i].code;
			*key_len = 0;
			return 0;
		}
		if (!colon)
			return why_set(why, whylen, "%s needs a key (%s:0x...)", algs[i].name,
				       algs[i].name);
		if (parse_key(algs[i].name, colon + 1, key, algs[i].key_len, why, whylen))
			return FG_ERR_PARSE;
		*code = algs[i].code;
		*key_len = algs[i].key_len;
		return 0;
	}
	return why_set(why, whylen, "unknown algorithm \"%.*s\" (%s, %s or %s)", (int)name_len,
		       value, algs[0].name, algs[1].name, algs[2].name);
}

static int f_proto(struct sa_spec *s, const char *v, char *why, size_t wl)
{
	if (!strcmp(v, "esp") || !strcmp(v, "ah")) {
		s->ah = v[0] == 'a';
		return 0;
	}
	return why_set(why, wl, "\"%s\" is not esp or ah", v);
}

static int f_mode(struct sa_spec *s, const char *v, char *why, size_t wl)
{
	if (!strcmp(v, "tunnel") || !strcmp(v, "transport")) {
		s->transport = v[1] == 'r';
		return 0;
	}
	return why_set(why, wl, "\"%s\" is not tunnel or transport", v);
}

static int f_spi(struct sa_spec *s, const char *v, char *why, size_t wl)
{
	if (parse_u32(v, &s->spi))
		return why_set(why, wl, "\"%s\" is not a 32-bit number", v);
	if (s->spi < SA_SPEC_SPI_MIN)
		return why_set(why, wl, "%s is reserved (0..255, RFC 4303 2.1)", v);
	return 0;
}

static int addr(const char *v, uint32_t *out, char *why, size_t wl)
{
	struct in_addr a;

	if (inet_pton(AF_INET, v, &a) != 1)
		return why_set(why, wl, "\"%s\" is not an IPv4 address", v);
	*out = ntohl(a.s_addr);
	return 0;
}

static int f_src(struct sa_spec *s, const char *v, char *why, size_t wl)
{
	return addr(v, &s->src, why, wl);
}

static int f_dst(struct sa_spec *s, const char *v, char *why, size_t wl)
{
	return addr(v, &s->dst, why, wl);
}

static int f_enc(struct sa_spec *s, const char *v, char *why, size_t wl)
{
	unsigned code;
	int rc = parse_alg(ciphers, 3, v, &code, s->cipher_key, &s->cipher_key_len, why, wl);

	s->cipher = (enum fgp_cipher)code;
	return rc;
}

static int f_auth(struct sa_spec *s, const char *v, char *why, size_t wl)
{
	unsigned code;
	int rc = parse_alg(auths, 3, v, &code, s->auth_key, &s->auth_key_len, why, wl);

	s->auth = (enum fgp_auth)code;
	return rc;
}

static int f_encap(struct sa_spec *s, const char *v, char *why, size_t wl)
{
	if (strcmp(v, "udp"))
		return why_set(why, wl, "\"%s\" is not udp", v);
	s->udp_encap = true;
	return 0;
}

static int f_seq(struct sa_spec *s, const char *v, char *why, size_t wl)
{
	if (parse_u32(v, &s->seq) || s->seq == 0)
		return why_set(why, wl, "\"%s\" is not a number in 1..4294967295", v);
	return 0;
}

static int f_replay(struct sa_spec *s, const char *v, char *why, size_t wl)
{
	uint32_t n;

	if (parse_u32(v, &n) || n > SA_SPEC_REPLAY_LIMIT)
		return why_set(why, wl, "\"%s\" is not a window of 0..%u packets", v,
			       SA_SPEC_REPLAY_LIMIT);
	s->replay = n;
	return 0;
}

static const struct field {
	const char *key;
	field_fn fn;
} fields[] = {
	{ "proto", f_proto }, { "mode", f_mode }, { "spi", f_spi },
	{ "src", f_src },     { "dst", f_dst },   { "enc", f_enc },
	{ "auth", f_auth },   { "encap", f_encap }, { "seq", f_seq },
	{ "replay", f_replay },
};

enum { NFIELDS = sizeof(fields) / sizeof(fields[0]) };

static int field_index(const char *key)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		if (!strcmp(fields[i].key, key))
			return (int)i;
	return -1;
}

/* Checks that involve several keys; seen[i] tells whether fields[i] was
 * given. */
static int cross_check(const struct sa_spec *s, const bool *seen, char *err, size_t errlen)
{
#define SEEN(k) seen[field_index(k)]
	if (!SEEN("spi"))
		return why_set(err, errlen, "spi: missing (required)");
	if (!s->transport && !SEEN("src"))
		return why_set(err, errlen, "src: missing (required in tunnel mode)");
	if (!s->transport && !SEEN("dst"))
		return why_set(err, errlen, "dst: missing (required in tunnel mode)");
	if (s->transport && SEEN("src"))
		return why_set(err, errlen, "src: only in tunnel mode");
	if (s->transport && SEEN("dst"))
		return why_set(err, errlen, "dst: only in tunnel mode");
	if (s->ah && SEEN("enc"))
		return why_set(err, errlen, "enc: AH does not encrypt (proto=ah)");
	if (!s->ah && !SEEN("enc"))
		return why_set(err, errlen, "enc: missing (required for ESP)");
	if (s->ah && s->auth == FGP_AUTH_NONE)
		return why_set(err, errlen, "auth: AH needs hmac-sha1-96 or hmac-md5-96");
	if (!s->ah && s->cipher == FGP_CIPHER_NULL && s->auth == FGP_AUTH_NONE)
		return why_set(err, errlen, "auth: ESP with enc=null needs an ICV (RFC 4303 3.2)");
	if (s->ah && s->udp_encap)
		return why_set(err, errlen, "encap: UDP encapsulation is for ESP only (RFC 3948)");
	return 0;
#undef SEEN
}

int sa_spec_parse(const char *text, struct sa_spec *spec, char *err, size_t errlen)
{
	char buf[SPEC_TEXT_MAX + 1], why[SA_SPEC_ERR_MAX], *elem, *next, *eq;
	bool seen[NFIELDS] = { false };
	size_t len = strlen(text);
	int rc = FG_ERR_PARSE, i;

	memset(spec, 0, sizeof(*spec));
	spec->seq = 1;
	spec->replay = SA_SPEC_REPLAY_DEFAULT;
	spec->cipher = FGP_CIPHER_NULL;
	spec->auth = FGP_AUTH_NONE;
	if (len > SPEC_TEXT_MAX) {
		why_set(err, errlen, "spec: longer than %d characters", SPEC_TEXT_MAX);
		goto out;
	}
	memcpy(buf, text, len + 1);
	for (elem = buf; elem; elem = next) {
		next = strchr(elem, ',');
		if (next)
			*next++ = '\0';
		eq = strchr(elem, '=');
		if (!eq || eq == elem) {
			why_set(err, errlen, "spec: \"%s\" is not key=value", elem);
			goto out;
		}
		*eq = '\0';
		i = field_index(elem);
		if (i < 0) {
			why_set(err, errlen, "%s: unknown field (proto, mode, spi, src, dst, enc,"
				" auth, encap, seq, replay)", elem);
			goto out;
		}
		if (seen[i]) {
			why_set(err, errlen, "%s: given twice", elem);
			goto out;
		}
		seen[i] = true;
		if (!eq[1]) {
			why_set(err, errlen, "%s: empty value", elem);
			goto out;
		}
		if (fields[i].fn(spec, eq + 1, why, sizeof(why))) {
			why_set(err, errlen, "%s: %s", elem, why);
			goto out;
		}
	}
	rc = cross_check(spec, seen, err, errlen);
out:
	crypto_wipe(buf, sizeof(buf));
	if (rc)
		sa_spec_wipe(spec);
	return rc;
}

void sa_spec_offload(const struct sa_spec *spec, bool inbound, uint16_t index,
		     struct offload_sa *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->index = index;
	sa->inbound = inbound;
	sa->ah = spec->ah;
	sa->transport = spec->transport;
	sa->cipher = spec->cipher;
	sa->auth = spec->auth;
	sa->spi = spec->spi;
	sa->seq = spec->seq;
	sa->replay_window = inbound ? (uint16_t)spec->replay : 0;
	memcpy(sa->cipher_key, spec->cipher_key, spec->cipher_key_len);
	sa->cipher_key_len = spec->cipher_key_len;
	memcpy(sa->auth_key, spec->auth_key, spec->auth_key_len);
	sa->auth_key_len = spec->auth_key_len;
}

void sa_spec_wire(const struct sa_spec *spec, struct esp_wire_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ah = spec->ah;
	cfg->transport = spec->transport;
	cfg->udp_encap = spec->udp_encap;
	cfg->src = spec->src;
	cfg->dst = spec->dst;
	cfg->df = ESP_WIRE_DF_COPY;
	cfg->ttl = IPV4_TTL_DEFAULT;
}

void sa_spec_wipe(struct sa_spec *spec)
{
	crypto_wipe(spec, sizeof(*spec));
}
