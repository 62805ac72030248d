/*
 * strongSwan proposal keywords (libstrongswan proposal_keywords_static.txt)
 * for the algorithms fgated implements, and a list of keywords strongSwan
 * knows that fgated does not, so that those get "not supported" instead of
 * "unknown"; parsing, formatting, and the IKEv1 transforms of a list. The
 * wire numbers and sizes are in proposal_wire.c.
 */
#include "ike/proposal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/err.h"

#define N(t) (sizeof(t) / sizeof((t)[0]))

enum kind { K_ENCR, K_INTEG, K_PRF, K_DH, K_ESN, K_NOESN };

struct keyword {
	const char *name;
	enum kind kind;
	int alg;
};

static const struct keyword keywords[] = {
	{ "des",        K_ENCR,  PROPOSAL_ENCR_DES },
	{ "3des",       K_ENCR,  PROPOSAL_ENCR_3DES },
	{ "aes",        K_ENCR,  PROPOSAL_ENCR_AES128 },
	{ "aes128",     K_ENCR,  PROPOSAL_ENCR_AES128 },
	{ "aes192",     K_ENCR,  PROPOSAL_ENCR_AES192 },
	{ "aes256",     K_ENCR,  PROPOSAL_ENCR_AES256 },
	{ "null",       K_ENCR,  PROPOSAL_ENCR_NULL },
	{ "md5",        K_INTEG, PROPOSAL_INTEG_MD5 },
	{ "sha",        K_INTEG, PROPOSAL_INTEG_SHA1 },
	{ "sha1",       K_INTEG, PROPOSAL_INTEG_SHA1 },
	{ "sha256",     K_INTEG, PROPOSAL_INTEG_SHA2_256 },
	{ "sha2_256",   K_INTEG, PROPOSAL_INTEG_SHA2_256 },
	{ "prfmd5",     K_PRF,   PROPOSAL_INTEG_MD5 },
	{ "prfsha1",    K_PRF,   PROPOSAL_INTEG_SHA1 },
	{ "prfsha256",  K_PRF,   PROPOSAL_INTEG_SHA2_256 },
	{ "modp768",    K_DH,    PROPOSAL_DH_MODP768 },
	{ "modp1024",   K_DH,    PROPOSAL_DH_MODP1024 },
	{ "modp1536",   K_DH,    PROPOSAL_DH_MODP1536 },
	{ "modp2048",   K_DH,    PROPOSAL_DH_MODP2048 },
	{ "esn",        K_ESN,   0 },
	{ "noesn",      K_NOESN, 0 },
};

/* Keywords (or keyword prefixes, ending in '*') strongSwan accepts that
 * fgated does not implement, checked in this order. */
struct unsupported {
	const char *pattern;
	const char *does;
};

static const char does_encr[] = "des, 3des, aes128, aes192, aes256, null";
static const char does_integ[] = "md5, sha1, sha256";
static const char does_prf[] = "prfmd5, prfsha1, prfsha256";
static const char does_dh[] = "MODP groups 1, 2, 5, 14";

static const struct unsupported unsupported[] = {
	{ "sha384", does_integ }, { "sha512", does_integ },
	{ "sha2_384", does_integ }, { "sha2_512", does_integ },
	{ "sha256_96", does_integ }, { "sha2_256_96", does_integ },
	{ "md5_128", does_integ }, { "sha1_160", does_integ },
	{ "aesxcbc", does_integ }, { "aescmac", does_integ },
	{ "camelliaxcbc", does_integ }, { "aes*gmac", does_integ },
	{ "prf*", does_prf },
	{ "aes*", does_encr }, { "camellia*", does_encr },
	{ "chacha20poly1305*", does_encr }, { "blowfish*", does_encr },
	{ "cast128", does_encr }, { "serpent*", does_encr },
	{ "twofish*", does_encr }, { "idea", does_encr }, { "rc5", does_encr },
	{ "null_aes*", does_encr },
	{ "modp*", does_dh }, { "ecp*", does_dh }, { "curve25519", does_dh },
	{ "x25519", does_dh }, { "curve448", does_dh }, { "x448", does_dh },
	{ "ntru*", does_dh }, { "newhope*", does_dh }, { "mlkem*", does_dh },
	{ "ke*_*", does_dh },
};

struct ctx {
	const char *item;       /* the proposal being parsed, for messages */
	char *err;
	size_t errlen;
};

static int fail(struct ctx *c, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct ctx *c, int rc, const char *fmt, ...)
{
	char msg[PROPOSAL_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->err && c->errlen)
		snprintf(c->err, c->errlen, "proposal '%.64s': %s", c->item, msg);
	return rc;
}

/* Glob-like match of a lower-case pattern with '*' against a token. */
static bool matches(const char *pat, const char *s)
{
	if (!*pat)
		return !*s;
	if (*pat == '*') {
		for (;; s++) {
			if (matches(pat + 1, s))
				return true;
			if (!*s)
				return false;
		}
	}
	return *s && (*pat == *s || (*s >= 'A' && *s <= 'Z' && *pat == *s + 32)) &&
	       matches(pat + 1, s + 1);
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

static uint8_t *count_of(struct proposal *p, enum kind kind)
{
	return kind == K_ENCR ? &p->n_encr : kind == K_INTEG ? &p->n_integ :
	       kind == K_PRF ? &p->n_prf : &p->n_dh;
}

static uint8_t n_of(const struct proposal *p, enum kind kind)
{
	return kind == K_ENCR ? p->n_encr : kind == K_INTEG ? p->n_integ :
	       kind == K_PRF ? p->n_prf : p->n_dh;
}

static int alg_at(const struct proposal *p, enum kind kind, unsigned i)
{
	return kind == K_ENCR ? (int)p->encr[i] : kind == K_INTEG ? (int)p->integ[i] :
	       kind == K_PRF ? (int)p->prf[i] : (int)p->dh[i];
}

/* Appends alg to a kind's array unless already present. */
static int add_alg(struct ctx *c, struct proposal *p, enum kind kind, int alg,
		   const char *tok)
{
	uint8_t *n = count_of(p, kind), i;

	for (i = 0; i < *n; i++)
		if (alg_at(p, kind, i) == alg)
			return 0;
	if (*n >= PROPOSAL_ALGS_MAX)
		return fail(c, FG_ERR_PARSE, "more than %d algorithms of the kind "
			    "of '%.32s'", PROPOSAL_ALGS_MAX, tok);
	switch (kind) {
	case K_ENCR: p->encr[*n] = (enum proposal_encr)alg; break;
	case K_INTEG: p->integ[*n] = (enum proposal_integ)alg; break;
	case K_PRF: p->prf[*n] = (enum proposal_integ)alg; break;
	default: p->dh[*n] = (enum proposal_dh)alg; break;
	}
	(*n)++;
	return 0;
}

static int add_token(struct ctx *c, struct proposal *p, const char *tok,
		     bool *noesn)
{
	const struct keyword *k;
	size_t i;

	if (!*tok)
		return fail(c, FG_ERR_PARSE, "empty algorithm name");
	for (i = 0; i < N(keywords); i++) {
		k = &keywords[i];
		if (strcasecmp(k->name, tok) != 0)
			continue;
		if (k->kind == K_ESN)
			p->esn = true;
		else if (k->kind == K_NOESN)
			*noesn = true;
		else
			return add_alg(c, p, k->kind, k->alg, tok);
		return 0;
	}
	for (i = 0; i < N(unsupported); i++)
		if (matches(unsupported[i].pattern, tok))
			return fail(c, FG_ERR_UNSUPP, "%.32s not supported (fgated does %s)",
				    tok, unsupported[i].does);
	return fail(c, FG_ERR_PARSE, "unknown algorithm '%.32s'", tok);
}

static int check(struct ctx *c, const struct proposal *p, bool noesn)
{
	uint8_t i;

	if ((p->esn || noesn) && p->proto == PROPOSAL_IKE)
		return fail(c, FG_ERR_PARSE, "esn/noesn apply to ESP and AH only");
	if (p->esn && !noesn)
		return fail(c, FG_ERR_UNSUPP, "esn not supported (fgated does 32-bit "
			    "sequence numbers: use noesn)");
	if (p->n_prf && p->proto != PROPOSAL_IKE)
		return fail(c, FG_ERR_PARSE, "a PRF applies to IKE proposals only");
	switch (p->proto) {
	case PROPOSAL_IKE:
		if (!p->n_encr)
			return fail(c, FG_ERR_PARSE, "an encryption algorithm is "
				    "mandatory in IKE proposals");
		for (i = 0; i < p->n_encr; i++)
			if (p->encr[i] == PROPOSAL_ENCR_NULL)
				return fail(c, FG_ERR_PARSE, "null encryption is not "
					    "allowed in IKE proposals");
		if (!p->n_integ)
			return fail(c, FG_ERR_PARSE, "an integrity (hash) algorithm "
				    "is mandatory in IKE proposals");
		if (!p->n_dh)
			return fail(c, FG_ERR_PARSE, "a DH group is mandatory in IKE "
				    "proposals");
		return 0;
	case PROPOSAL_ESP:
		if (!p->n_encr)
			return fail(c, FG_ERR_PARSE, "an encryption algorithm is "
				    "mandatory in ESP proposals");
		for (i = 0; i < p->n_encr && p->n_integ == 0; i++)
			if (p->encr[i] == PROPOSAL_ENCR_NULL)
				return fail(c, FG_ERR_PARSE, "null encryption needs an "
					    "integrity algorithm");
		return 0;
	case PROPOSAL_AH:
		if (p->n_encr)
			return fail(c, FG_ERR_PARSE, "AH proposals take no encryption "
				    "algorithm");
		if (!p->n_integ)
			return fail(c, FG_ERR_PARSE, "an integrity algorithm is "
				    "mandatory in AH proposals");
		return 0;
	}
	return fail(c, FG_ERR_INVAL, "bad protocol");
}

/* item is trimmed and at most PROPOSAL_STR_MAX long. */
static int parse_one(struct ctx *c, enum proposal_proto proto, const char *item,
		     struct proposal *p)
{
	char buf[PROPOSAL_STR_MAX + 1], *tok, *save = NULL;
	bool noesn = false;
	int rc;

	memset(p, 0, sizeof(*p));
	p->proto = proto;
	if (item[0] == '-' || (*item && item[strlen(item) - 1] == '-') ||
	    strstr(item, "--"))
		return fail(c, FG_ERR_PARSE, "empty algorithm name");
	snprintf(buf, sizeof(buf), "%s", item);
	for (tok = strtok_r(buf, "-", &save); tok; tok = strtok_r(NULL, "-", &save)) {
		rc = add_token(c, p, trim(tok), &noesn);
		if (rc)
			return rc;
	}
	return check(c, p, noesn);
}

static const char *const defaults_ike[] = {
	"aes128-aes192-aes256-3des-sha256-sha1-modp2048", NULL,
};
static const char *const defaults_esp[] = {
	"aes128-aes192-aes256-sha256-sha1", "3des-sha1", NULL,
};
static const char *const defaults_ah[] = { "sha256-sha1", NULL };

static const char *const *defaults(enum proposal_proto proto)
{
	return proto == PROPOSAL_IKE ? defaults_ike :
	       proto == PROPOSAL_ESP ? defaults_esp : defaults_ah;
}

static int append_defaults(struct ctx *c, enum proposal_proto proto,
			   struct proposal_list *out)
{
	const char *const *d;
	int rc;

	for (d = defaults(proto); *d; d++) {
		if (out->n >= PROPOSAL_LIST_MAX)
			return fail(c, FG_ERR_PARSE, "more than %d proposals",
				    PROPOSAL_LIST_MAX);
		rc = parse_one(c, proto, *d, &out->p[out->n]);
		if (rc)
			return rc;
		out->n++;
	}
	return 0;
}

int proposal_parse(enum proposal_proto proto, const char *str,
		   struct proposal_list *out, char *err, size_t errlen)
{
	char buf[PROPOSAL_STR_MAX + 1], *item, *next;
	struct ctx c = { .item = str ? str : "", .err = err, .errlen = errlen };
	int rc;

	memset(out, 0, sizeof(*out));
	if (proto != PROPOSAL_IKE && proto != PROPOSAL_ESP && proto != PROPOSAL_AH)
		return fail(&c, FG_ERR_INVAL, "bad protocol");
	if (!str || strlen(str) > PROPOSAL_STR_MAX)
		return fail(&c, FG_ERR_PARSE, "longer than %d bytes", PROPOSAL_STR_MAX);
	memcpy(buf, str, strlen(str) + 1);
	for (item = buf; item; item = next) {
		next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		item = trim(item);
		c.item = item;
		if (!*item) {
			c.item = str;
			rc = fail(&c, FG_ERR_PARSE, "empty proposal in the list");
		} else if (strcasecmp(item, "default") == 0) {
			rc = append_defaults(&c, proto, out);
		} else if (out->n >= PROPOSAL_LIST_MAX) {
			rc = fail(&c, FG_ERR_PARSE, "more than %d proposals",
				  PROPOSAL_LIST_MAX);
		} else {
			rc = parse_one(&c, proto, item, &out->p[out->n]);
			if (!rc)
				out->n++;
		}
		if (rc) {
			memset(out, 0, sizeof(*out));
			return rc;
		}
	}
	return 0;
}

void proposal_default(enum proposal_proto proto, struct proposal_list *out)
{
	struct ctx c = { .item = "default" };

	memset(out, 0, sizeof(*out));
	append_defaults(&c, proto, out);
}

/* ---- formatting ---- */

const char *proposal_encr_name(enum proposal_encr e)
{
	static const char *const names[] = {
		"?", "des", "3des", "aes128", "aes192", "aes256", "null",
	};

	return (unsigned)e < N(names) ? names[e] : "?";
}

const char *proposal_integ_name(enum proposal_integ i)
{
	static const char *const names[] = { "?", "md5", "sha1", "sha256" };

	return (unsigned)i < N(names) ? names[i] : "?";
}

const char *proposal_dh_name(enum proposal_dh d)
{
	switch (d) {
	case PROPOSAL_DH_MODP768: return "modp768";
	case PROPOSAL_DH_MODP1024: return "modp1024";
	case PROPOSAL_DH_MODP1536: return "modp1536";
	case PROPOSAL_DH_MODP2048: return "modp2048";
	default: return "?";
	}
}

struct out {
	char *buf;
	size_t len, need;
};

static void put(struct out *o, const char *s)
{
	size_t n = strlen(s);

	if (o->need < o->len)
		snprintf(o->buf + o->need, o->len - o->need, "%s", s);
	o->need += n;
}

static void put_alg(struct out *o, bool *first, const char *prefix, const char *name)
{
	if (!*first)
		put(o, "-");
	*first = false;
	put(o, prefix);
	put(o, name);
}

static void format_one(struct out *o, const struct proposal *p)
{
	bool first = true;
	uint8_t i;

	for (i = 0; i < p->n_encr; i++)
		put_alg(o, &first, "", proposal_encr_name(p->encr[i]));
	for (i = 0; i < p->n_integ; i++)
		put_alg(o, &first, "", proposal_integ_name(p->integ[i]));
	for (i = 0; i < p->n_prf; i++)
		put_alg(o, &first, "prf", proposal_integ_name(p->prf[i]));
	for (i = 0; i < p->n_dh; i++)
		put_alg(o, &first, "", proposal_dh_name(p->dh[i]));
	if (p->esn) {
		put_alg(o, &first, "", "esn");
		put_alg(o, &first, "", "noesn");
	}
}

size_t proposal_format(const struct proposal *p, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };

	if (len)
		buf[0] = '\0';
	format_one(&o, p);
	return o.need;
}

size_t proposal_list_format(const struct proposal_list *l, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };
	unsigned i;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < l->n; i++) {
		if (i)
			put(&o, ", ");
		format_one(&o, &l->p[i]);
	}
	return o.need;
}

/* ---- transforms ---- */

size_t proposal_expand(const struct proposal_list *l, struct proposal_xform *out,
		       size_t max)
{
	const struct proposal *p;
	size_t n = 0;
	unsigned i, e, a, d;

	for (i = 0; i < l->n; i++) {
		p = &l->p[i];
		for (e = 0; e < (p->n_encr ? p->n_encr : 1u); e++)
			for (a = 0; a < (p->n_integ ? p->n_integ : 1u); a++)
				for (d = 0; d < (p->n_dh ? p->n_dh : 1u); d++, n++) {
					if (n >= max)
						continue;
					out[n].encr = p->n_encr ? p->encr[e] : PROPOSAL_ENCR_NONE;
					out[n].integ = p->n_integ ? p->integ[a] : PROPOSAL_INTEG_NONE;
					out[n].dh = p->n_dh ? p->dh[d] : PROPOSAL_DH_NONE;
				}
	}
	return n;
}

/* True if the proposal lists v among its algorithms of a kind, or has
 * none of that kind and v is NONE (0). */
static bool has(const struct proposal *p, enum kind kind, int v)
{
	uint8_t n = n_of(p, kind), i;

	if (n == 0)
		return v == 0;
	for (i = 0; i < n; i++)
		if (alg_at(p, kind, i) == v)
			return true;
	return false;
}

bool proposal_accepts(const struct proposal_list *l, enum proposal_proto proto,
		      const struct proposal_xform *x)
{
	const struct proposal *p;
	unsigned i;

	for (i = 0; i < l->n; i++) {
		p = &l->p[i];
		if (p->proto == proto && has(p, K_ENCR, (int)x->encr) &&
		    has(p, K_INTEG, (int)x->integ) && has(p, K_DH, (int)x->dh))
			return true;
	}
	return false;
}
