/*
 * SA payload bodies: one walker validates proposals, transforms and
 * attributes (see isakmp_sa.h for the rules). It runs in count mode for
 * isakmp_sa_check() and the first pass of isakmp_sa_decode(), then in fill
 * mode into arrays sized by that count, so both passes apply the same
 * checks. The encoder writes the same layout and re-checks its output.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike/isakmp_sa.h"

#define BIT(t) (1u << (t))

/* Attributes that RFC 2409 appendix A / RFC 2407 4.5 define as basic. */
static const uint32_t oakley_basic =
	BIT(ISAKMP_OAKLEY_ENCRYPTION) | BIT(ISAKMP_OAKLEY_HASH) | BIT(ISAKMP_OAKLEY_AUTH_METHOD) |
	BIT(ISAKMP_OAKLEY_GROUP_DESC) | BIT(ISAKMP_OAKLEY_GROUP_TYPE) |
	BIT(ISAKMP_OAKLEY_LIFE_TYPE) | BIT(ISAKMP_OAKLEY_PRF) | BIT(ISAKMP_OAKLEY_KEY_LENGTH) |
	BIT(ISAKMP_OAKLEY_FIELD_SIZE);
static const uint32_t ipsec_basic =
	BIT(ISAKMP_IPSEC_LIFE_TYPE) | BIT(ISAKMP_IPSEC_GROUP_DESC) | BIT(ISAKMP_IPSEC_ENCAP_MODE) |
	BIT(ISAKMP_IPSEC_AUTH_ALG) | BIT(ISAKMP_IPSEC_KEY_LENGTH) | BIT(ISAKMP_IPSEC_KEY_ROUNDS) |
	BIT(ISAKMP_IPSEC_COMP_DICT_SIZE);

struct walk {
	const uint8_t *body;
	size_t base;                 /* added to offsets in errors */
	struct isakmp_error *err;
	struct isakmp_sa *sa;        /* NULL: count only */
	size_t np, nx, na;           /* counts, or fill cursors */
	uint8_t seen[4096];          /* attribute types of the current transform */
};

static int syntax(struct walk *w, const uint8_t *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* BAD-PROPOSAL-SYNTAX at byte at of the body. */
static int syntax(struct walk *w, const uint8_t *at, const char *fmt, ...)
{
	char what[ISAKMP_REASON_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return isakmp_error_set(w->err, FG_ERR_PARSE, ISAKMP_N_BAD_PROPOSAL_SYNTAX, ISAKMP_PT_SA,
				w->base + (size_t)(at - w->body), "SA payload: %s", what);
}

static int reserved(struct walk *w, const uint8_t *at, const char *what)
{
	return isakmp_error_set(w->err, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_PT_SA,
				w->base + (size_t)(at - w->body), "SA payload: %s reserved not zero",
				what);
}

static int is_basic_class(uint8_t proto, uint16_t type)
{
	uint32_t mask = proto == ISAKMP_PROTO_ISAKMP ? oakley_basic : ipsec_basic;

	return type < 32 && (mask & BIT(type));
}

static int is_life_duration(uint8_t proto, uint16_t type)
{
	return proto == ISAKMP_PROTO_ISAKMP ? type == ISAKMP_OAKLEY_LIFE_DURATION
					    : type == ISAKMP_IPSEC_LIFE_DURATION;
}

/* RFC 2407 4.5 / RFC 2409 Appendix A: a transform may carry several
 * life type/duration pairs (seconds and kilobytes); a life type starts a
 * new pair, so it may repeat, each followed by at most one duration. */
static int is_life_type(uint8_t proto, uint16_t type)
{
	return proto == ISAKMP_PROTO_ISAKMP ? type == ISAKMP_OAKLEY_LIFE_TYPE
					    : type == ISAKMP_IPSEC_LIFE_TYPE;
}

static int spi_size_ok(uint8_t proto, uint8_t size)
{
	switch (proto) {
	case ISAKMP_PROTO_ISAKMP:
		return size == 0 || size == ISAKMP_COOKIE_LEN || size == ISAKMP_SPI_SIZE_COOKIES;
	case ISAKMP_PROTO_AH:
	case ISAKMP_PROTO_ESP:
		return size == ISAKMP_SPI_SIZE_IPSEC;
	case ISAKMP_PROTO_IPCOMP:
		return size == ISAKMP_SPI_SIZE_CPI || size == ISAKMP_SPI_SIZE_IPSEC;
	default:
		return 0;
	}
}

static uint64_t be_num(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | *p++;
	return v;
}

/* Attributes of one transform: p..p+len. */
static int walk_attrs(struct walk *w, uint8_t proto, const uint8_t *p, size_t len,
		      struct isakmp_transform *x)
{
	size_t pos = 0, first = w->na;
	int rc = 0;

	while (pos < len) {
		const uint8_t *a = p + pos;
		uint16_t word, type, vlen;
		int basic;

		if (len - pos < ISAKMP_ATTR_HDR_LEN) {
			rc = syntax(w, a, "attribute header past the transform end");
			break;
		}
		word = isakmp_get16(a);
		type = word & ISAKMP_ATTR_TYPE_MASK;
		basic = !!(word & ISAKMP_ATTR_AF);
		vlen = basic ? 2 : isakmp_get16(a + 2);
		if (!basic && vlen > len - pos - ISAKMP_ATTR_HDR_LEN) {
			rc = syntax(w, a, "attribute %u value of %u bytes past the transform end",
				    type, vlen);
			break;
		}
		if (is_life_type(proto, type)) {
			uint16_t d = proto == ISAKMP_PROTO_ISAKMP ? ISAKMP_OAKLEY_LIFE_DURATION
								  : ISAKMP_IPSEC_LIFE_DURATION;

			w->seen[type >> 3] &= (uint8_t)~(1u << (type & 7));
			w->seen[d >> 3] &= (uint8_t)~(1u << (d & 7));
		}
		if (w->seen[type >> 3] & (1u << (type & 7))) {
			rc = syntax(w, a, "attribute %u repeated in a transform", type);
			break;
		}
		if (!basic && is_basic_class(proto, type)) {
			rc = syntax(w, a, "basic attribute %u in TLV form", type);
			break;
		}
		if (!basic && is_life_duration(proto, type) &&
		    (vlen == 0 || vlen > ISAKMP_ATTR_NUM_MAX_LEN)) {
			rc = syntax(w, a, "life duration of %u bytes", vlen);
			break;
		}
		w->seen[type >> 3] |= (uint8_t)(1u << (type & 7));
		if (w->sa) {
			struct isakmp_attr *out = &((struct isakmp_attr *)w->sa->mem_attrs)[w->na];

			out->type = type;
			out->basic = (uint8_t)basic;
			out->len = vlen;
			out->val = basic ? a + 2 : a + 4;
			out->num = vlen <= ISAKMP_ATTR_NUM_MAX_LEN ? be_num(out->val, vlen) : 0;
		}
		w->na++;
		pos += basic ? ISAKMP_ATTR_HDR_LEN : ISAKMP_ATTR_HDR_LEN + (size_t)vlen;
	}
	/* forget this transform's types for the next one */
	for (size_t q = 0; q + ISAKMP_ATTR_HDR_LEN <= pos; ) {
		uint16_t word = isakmp_get16(p + q), type = word & ISAKMP_ATTR_TYPE_MASK;

		w->seen[type >> 3] = 0;
		q += (word & ISAKMP_ATTR_AF) ? ISAKMP_ATTR_HDR_LEN
					     : ISAKMP_ATTR_HDR_LEN + (size_t)isakmp_get16(p + q + 2);
	}
	if (!rc && x) {
		x->attrs = &((struct isakmp_attr *)w->sa->mem_attrs)[first];
		x->nattrs = w->na - first;
	}
	return rc;
}

/* Transforms of the proposal at q (plen bytes), after its SPI. */
static int walk_xforms(struct walk *w, const uint8_t *q, size_t plen, struct isakmp_proposal *pr)
{
	uint8_t proto = q[5], count = q[7];
	const uint8_t *p = q + ISAKMP_PROP_HDR_LEN + q[6];
	size_t len = plen - ISAKMP_PROP_HDR_LEN - q[6];
	uint8_t nums[32] = { 0 };
	size_t pos = 0, first = w->nx;
	unsigned n = 0;
	uint8_t next;
	int rc;

	do {
		const uint8_t *t = p + pos;
		struct isakmp_transform *x = NULL;
		size_t tlen;

		if (len - pos < ISAKMP_XFORM_HDR_LEN)
			return syntax(w, t, "transform %u header past the proposal end",
				      n + 1);
		next = t[0];
		if (next != ISAKMP_PT_TRANSFORM && next != ISAKMP_PT_NONE)
			return syntax(w, t, "next payload %u in transform %u", next, n + 1);
		if (t[1])
			return reserved(w, t + 1, "transform");
		tlen = isakmp_get16(t + 2);
		if (tlen < ISAKMP_XFORM_HDR_LEN || tlen > len - pos)
			return syntax(w, t + 2, "transform length %u, %u bytes left",
				      (unsigned)tlen, (unsigned)(len - pos));
		if (isakmp_get16(t + 6))
			return reserved(w, t + 6, "transform");
		if (nums[t[4] >> 3] & (1u << (t[4] & 7)))
			return syntax(w, t + 4, "transform number %u repeated", t[4]);
		nums[t[4] >> 3] |= (uint8_t)(1u << (t[4] & 7));
		if (w->sa) {
			x = &((struct isakmp_transform *)w->sa->mem_xforms)[w->nx];
			x->num = t[4];
			x->id = t[5];
			x->raw.ptr = t;
			x->raw.len = tlen;
		}
		if ((rc = walk_attrs(w, proto, t + ISAKMP_XFORM_HDR_LEN, tlen - ISAKMP_XFORM_HDR_LEN, x)))
			return rc;
		w->nx++;
		n++;
		pos += tlen;
	} while (next == ISAKMP_PT_TRANSFORM);
	if (pos != len)
		return syntax(w, p + pos, "%u bytes after the last transform",
			      (unsigned)(len - pos));
	if (n != count)
		return syntax(w, q + 7, "transform count %u but %u transforms", count, n);
	if (pr) {
		pr->xforms = &((struct isakmp_transform *)w->sa->mem_xforms)[first];
		pr->nxforms = n;
	}
	return 0;
}

static int walk_sa(struct walk *w, size_t len)
{
	const uint8_t *p = w->body;
	size_t pos = 8;
	unsigned last_num = 0;
	uint32_t doi, sit;
	uint8_t next;
	int rc;

	if (len < 8)
		return syntax(w, p, "body of %u bytes", (unsigned)len);
	doi = isakmp_get32(p);
	sit = isakmp_get32(p + 4);
	if (doi != ISAKMP_DOI_IPSEC)
		return isakmp_error_set(w->err, FG_ERR_UNSUPP, ISAKMP_N_DOI_NOT_SUPPORTED, ISAKMP_PT_SA,
					w->base, "SA payload: DOI %u not supported", (unsigned)doi);
	if (sit != ISAKMP_SIT_IDENTITY_ONLY)
		return isakmp_error_set(w->err, FG_ERR_UNSUPP, ISAKMP_N_SITUATION_NOT_SUPPORTED,
					ISAKMP_PT_SA, w->base + 4,
					"SA payload: situation 0x%x not supported", (unsigned)sit);
	if (w->sa) {
		w->sa->doi = doi;
		w->sa->situation = sit;
		w->sa->props = w->sa->mem_props;
		w->sa->nprops = 0;
	}
	do {
		const uint8_t *q = p + pos;
		struct isakmp_proposal *pr = NULL;
		uint8_t proto, spi_size;
		size_t plen;

		if (len - pos < ISAKMP_PROP_HDR_LEN)
			return syntax(w, q, "proposal header past the SA end");
		next = q[0];
		if (next != ISAKMP_PT_PROPOSAL && next != ISAKMP_PT_NONE)
			return syntax(w, q, "next payload %u in proposal %u", next, q[4]);
		if (q[1])
			return reserved(w, q + 1, "proposal");
		plen = isakmp_get16(q + 2);
		if (plen < ISAKMP_PROP_HDR_LEN || plen > len - pos)
			return syntax(w, q + 2, "proposal length %u, %u bytes left",
				      (unsigned)plen, (unsigned)(len - pos));
		if (q[4] < last_num)
			return syntax(w, q + 4, "proposal %u after proposal %u", q[4],
				      last_num);
		last_num = q[4];
		proto = q[5];
		spi_size = q[6];
		if (proto < ISAKMP_PROTO_ISAKMP || proto > ISAKMP_PROTO_IPCOMP)
			return isakmp_error_set(w->err, FG_ERR_UNSUPP, ISAKMP_N_INVALID_PROTOCOL_ID,
						ISAKMP_PT_SA, w->base + pos + 5,
						"SA payload: proposal %u protocol %u", q[4], proto);
		if (!spi_size_ok(proto, spi_size))
			return isakmp_error_set(w->err, FG_ERR_PARSE, ISAKMP_N_INVALID_SPI, ISAKMP_PT_SA,
						w->base + pos + 6, "SA payload: SPI size %u for %s",
						spi_size, isakmp_proto_name(proto));
		if (q[7] == 0)
			return syntax(w, q + 7, "proposal %u without transforms", q[4]);
		if (ISAKMP_PROP_HDR_LEN + (size_t)spi_size > plen)
			return syntax(w, q + 6, "SPI of %u bytes past proposal %u", spi_size,
				      q[4]);
		if (w->sa) {
			pr = &w->sa->props[w->np];
			pr->num = q[4];
			pr->proto = proto;
			pr->spi_size = spi_size;
			pr->spi = q + ISAKMP_PROP_HDR_LEN;
			pr->raw.ptr = q;
			pr->raw.len = plen;
		}
		if ((rc = walk_xforms(w, q, plen, pr)))
			return rc;
		w->np++;
		pos += plen;
	} while (next == ISAKMP_PT_PROPOSAL);
	if (pos != len)
		return syntax(w, p + pos, "%u bytes after the last proposal",
			      (unsigned)(len - pos));
	if (w->sa)
		w->sa->nprops = w->np;
	return 0;
}

int isakmp_sa_check(const uint8_t *body, size_t len, size_t base_off, struct isakmp_error *err)
{
	struct walk w;

	memset(&w, 0, sizeof(w));
	w.body = body;
	w.base = base_off;
	w.err = err;
	return walk_sa(&w, len);
}

int isakmp_sa_decode(const uint8_t *body, size_t len, struct isakmp_sa *sa,
		     struct isakmp_error *err)
{
	struct walk w;
	int rc;

	memset(sa, 0, sizeof(*sa));
	memset(&w, 0, sizeof(w));
	w.body = body;
	w.err = err;
	if ((rc = walk_sa(&w, len)))
		return rc;
	/* +1: calloc(0) may return NULL */
	sa->mem_props = calloc(w.np + 1, sizeof(struct isakmp_proposal));
	sa->mem_xforms = calloc(w.nx + 1, sizeof(struct isakmp_transform));
	sa->mem_attrs = calloc(w.na + 1, sizeof(struct isakmp_attr));
	if (!sa->mem_props || !sa->mem_xforms || !sa->mem_attrs) {
		rc = isakmp_error_set(err, FG_ERR_NOMEM, ISAKMP_N_NONE, ISAKMP_PT_SA, 0,
				      "SA payload: no memory for %zu transforms", w.nx);
		goto out;
	}
	memset(&w, 0, sizeof(w));
	w.body = body;
	w.err = err;
	w.sa = sa;
	rc = walk_sa(&w, len);
out:
	if (rc)
		isakmp_sa_free(sa);
	return rc;
}

void isakmp_sa_free(struct isakmp_sa *sa)
{
	if (!sa)
		return;
	free(sa->mem_attrs);
	free(sa->mem_xforms);
	free(sa->mem_props);
	memset(sa, 0, sizeof(*sa));
}

const struct isakmp_attr *isakmp_xform_attr(const struct isakmp_transform *x, uint16_t type)
{
	size_t i;

	for (i = 0; i < x->nattrs; i++)
		if (x->attrs[i].type == type)
			return &x->attrs[i];
	return NULL;
}

int isakmp_xform_num(const struct isakmp_transform *x, uint16_t type, uint64_t *out)
{
	const struct isakmp_attr *a = isakmp_xform_attr(x, type);

	if (!a)
		return FG_ERR_NOTFOUND;
	if (a->val && (a->len == 0 || a->len > ISAKMP_ATTR_NUM_MAX_LEN))
		return FG_ERR_RANGE;
	*out = a->num;
	return 0;
}

struct isakmp_attr isakmp_attr_num(uint16_t type, uint64_t v)
{
	struct isakmp_attr a;

	memset(&a, 0, sizeof(a));
	a.type = type;
	a.num = v;
	a.basic = v <= 0xffff;
	a.len = a.basic ? 2 : v > 0xffffffffu ? 8 : 4;
	return a;
}

/* --- encoding */

static size_t attr_vlen(const struct isakmp_attr *a)
{
	if (a->basic)
		return 2;
	if (a->val || a->len)
		return a->len;
	return a->num > 0xffffffffu ? 8 : 4;
}

static size_t xform_len(const struct isakmp_transform *x)
{
	size_t n = ISAKMP_XFORM_HDR_LEN, i;

	for (i = 0; i < x->nattrs; i++)
		n += x->attrs[i].basic ? ISAKMP_ATTR_HDR_LEN : ISAKMP_ATTR_HDR_LEN + attr_vlen(&x->attrs[i]);
	return n;
}

static size_t prop_len(const struct isakmp_proposal *pr)
{
	size_t n = ISAKMP_PROP_HDR_LEN + pr->spi_size, i;

	for (i = 0; i < pr->nxforms; i++) {
		size_t t = xform_len(&pr->xforms[i]);

		if (t > ISAKMP_PAYLOAD_MAX)
			return 0;
		n += t;
	}
	return n;
}

size_t isakmp_sa_encoded_len(const struct isakmp_sa *sa)
{
	size_t n = 8, i;

	for (i = 0; i < sa->nprops; i++) {
		size_t p = prop_len(&sa->props[i]);

		if (p == 0 || p > ISAKMP_PAYLOAD_MAX)
			return 0;
		n += p;
	}
	return n > ISAKMP_PAYLOAD_MAX - ISAKMP_GEN_LEN ? 0 : n;
}

static int put_attr(const struct isakmp_attr *a, uint8_t *p, size_t *pos)
{
	size_t vlen = attr_vlen(a), i;
	uint8_t *v;

	if (a->type > ISAKMP_ATTR_TYPE_MASK || vlen > 0xffff)
		return FG_ERR_RANGE;
	if (a->basic) {
		if (a->val && a->len != 2)
			return FG_ERR_INVAL;
		if (!a->val && a->num > 0xffff)
			return FG_ERR_RANGE;
		isakmp_put16(p + *pos, (uint16_t)(ISAKMP_ATTR_AF | a->type));
		v = p + *pos + 2;
	} else {
		isakmp_put16(p + *pos, a->type);
		isakmp_put16(p + *pos + 2, (uint16_t)vlen);
		v = p + *pos + 4;
	}
	if (a->val) {
		memcpy(v, a->val, vlen);
	} else {
		if (vlen < 8 && (a->num >> (8 * vlen)))
			return FG_ERR_RANGE;
		for (i = 0; i < vlen; i++)
			v[vlen - 1 - i] = i < 8 ? (uint8_t)(a->num >> (8 * i)) : 0;
	}
	*pos += a->basic ? ISAKMP_ATTR_HDR_LEN : ISAKMP_ATTR_HDR_LEN + vlen;
	return 0;
}

int isakmp_sa_encode(const struct isakmp_sa *sa, uint8_t *out, size_t cap, size_t *len)
{
	size_t total = isakmp_sa_encoded_len(sa), pos = 8, i, j, k;
	int rc;

	if (total == 0 || total > cap)
		return FG_ERR_RANGE;
	isakmp_put32(out, sa->doi);
	isakmp_put32(out + 4, sa->situation);
	for (i = 0; i < sa->nprops; i++) {
		const struct isakmp_proposal *pr = &sa->props[i];
		uint8_t *q = out + pos;

		if (pr->nxforms > ISAKMP_SA_MAX_XFORMS || (pr->spi_size && !pr->spi))
			return FG_ERR_INVAL;
		q[0] = i + 1 < sa->nprops ? ISAKMP_PT_PROPOSAL : ISAKMP_PT_NONE;
		q[1] = 0;
		isakmp_put16(q + 2, (uint16_t)prop_len(pr));
		q[4] = pr->num;
		q[5] = pr->proto;
		q[6] = pr->spi_size;
		q[7] = (uint8_t)pr->nxforms;
		if (pr->spi_size)
			memcpy(q + ISAKMP_PROP_HDR_LEN, pr->spi, pr->spi_size);
		pos += ISAKMP_PROP_HDR_LEN + pr->spi_size;
		for (j = 0; j < pr->nxforms; j++) {
			const struct isakmp_transform *x = &pr->xforms[j];
			uint8_t *t = out + pos;

			t[0] = j + 1 < pr->nxforms ? ISAKMP_PT_TRANSFORM : ISAKMP_PT_NONE;
			t[1] = 0;
			isakmp_put16(t + 2, (uint16_t)xform_len(x));
			t[4] = x->num;
			t[5] = x->id;
			t[6] = t[7] = 0;
			pos += ISAKMP_XFORM_HDR_LEN;
			for (k = 0; k < x->nattrs; k++)
				if ((rc = put_attr(&x->attrs[k], out, &pos)))
					return rc;
		}
	}
	/* what we emit must parse: catches decreasing numbers, repeats, ... */
	if (isakmp_sa_check(out, total, 0, NULL))
		return FG_ERR_INVAL;
	*len = total;
	return 0;
}

int isakmp_build_sa(struct isakmp_builder *b, const struct isakmp_sa *sa)
{
	size_t n = isakmp_sa_encoded_len(sa), got;
	uint8_t *body;
	int idx, rc;

	if (b->err)
		return b->err;
	if (n == 0)
		return b->err = FG_ERR_RANGE;
	if ((idx = isakmp_build_add(b, ISAKMP_PT_SA, n, &body)) < 0)
		return idx;
	if ((rc = isakmp_sa_encode(sa, body, n, &got)))
		return b->err = rc;
	return idx;
}
