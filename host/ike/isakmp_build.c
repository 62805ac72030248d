/*
 * ISAKMP encoding: a growable buffer that payloads are appended to. Each
 * append writes the new type into the previous next-payload field (the
 * header's for the first payload) and rewrites the header length, so the
 * buffer is a complete message after every call. The typed builders run
 * the decoder's own check on what they wrote (isakmp_payload_check), so a
 * built message always parses back.
 */
#include <stdlib.h>
#include <string.h>

#include "ike/isakmp.h"

enum { BUILD_FIRST_CAP = 512 };

static int fail(struct isakmp_builder *b, int rc)
{
	if (!b->err)
		b->err = rc;
	return b->err;
}

/* Room for need more bytes. No realloc: the old copy is wiped, since it
 * may hold plaintext that is about to be encrypted. */
static int grow(struct isakmp_builder *b, size_t need)
{
	size_t cap;
	uint8_t *nb;

	if (need > ISAKMP_MSG_MAX - b->len)
		return fail(b, FG_ERR_RANGE);
	if (b->len + need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : BUILD_FIRST_CAP;
	while (cap < b->len + need)
		cap *= 2;
	if (cap > ISAKMP_MSG_MAX)
		cap = ISAKMP_MSG_MAX;
	if (!(nb = malloc(cap)))
		return fail(b, FG_ERR_NOMEM);
	if (b->buf) {
		memcpy(nb, b->buf, b->len);
		explicit_bzero(b->buf, b->cap);
		free(b->buf);
	}
	b->buf = nb;
	b->cap = cap;
	return 0;
}

int isakmp_build_init(struct isakmp_builder *b, const struct isakmp_hdr *h)
{
	int rc;

	memset(b, 0, sizeof(*b));
	if ((rc = grow(b, ISAKMP_HDR_LEN)))
		return rc;
	memcpy(b->buf, h->icookie, ISAKMP_COOKIE_LEN);
	memcpy(b->buf + 8, h->rcookie, ISAKMP_COOKIE_LEN);
	b->buf[16] = ISAKMP_PT_NONE;
	b->buf[17] = ISAKMP_VERSION_MAJOR << 4 | ISAKMP_VERSION_MINOR;
	b->buf[18] = h->exch;
	b->buf[19] = h->flags;
	isakmp_put32(b->buf + 20, h->msgid);
	b->len = ISAKMP_HDR_LEN;
	isakmp_put32(b->buf + 24, (uint32_t)b->len);
	b->next_at = 16;
	return 0;
}

void isakmp_build_free(struct isakmp_builder *b)
{
	if (b->buf) {
		explicit_bzero(b->buf, b->cap);
		free(b->buf);
	}
	memset(b, 0, sizeof(*b));
}

int isakmp_build_add(struct isakmp_builder *b, uint8_t type, size_t body_len, uint8_t **body)
{
	size_t off;
	int rc;

	if (b->err)
		return b->err;
	if (!b->buf || b->sealed)
		return fail(b, FG_ERR_STATE);
	if (b->npayloads == ISAKMP_MAX_PAYLOADS)
		return fail(b, FG_ERR_FULL);
	if (body_len > ISAKMP_PAYLOAD_MAX - ISAKMP_GEN_LEN)
		return fail(b, FG_ERR_RANGE);
	if ((rc = grow(b, ISAKMP_GEN_LEN + body_len)))
		return rc;
	off = b->len;
	b->buf[b->next_at] = type;
	b->buf[off] = ISAKMP_PT_NONE;
	b->buf[off + 1] = 0;
	isakmp_put16(b->buf + off + 2, (uint16_t)(ISAKMP_GEN_LEN + body_len));
	memset(b->buf + off + ISAKMP_GEN_LEN, 0, body_len);
	b->len += ISAKMP_GEN_LEN + body_len;
	isakmp_put32(b->buf + 24, (uint32_t)b->len);
	b->next_at = off;
	b->off[b->npayloads] = off;
	if (body)
		*body = b->buf + off + ISAKMP_GEN_LEN;
	return (int)b->npayloads++;
}

/* Runs the decoder's validation on payload idx of type; returns idx or
 * makes FG_ERR_INVAL the sticky error. */
static int checked(struct isakmp_builder *b, int idx, uint8_t type)
{
	const uint8_t *p;

	if (idx < 0)
		return idx;
	p = b->buf + b->off[idx];
	if (isakmp_payload_check(type, p, isakmp_get16(p + 2), b->off[idx], NULL, NULL))
		return fail(b, FG_ERR_INVAL);
	return idx;
}

int isakmp_build_data(struct isakmp_builder *b, uint8_t type, const void *data, size_t len)
{
	uint8_t *body;
	int idx;

	switch (type) {
	case ISAKMP_PT_KE:
	case ISAKMP_PT_HASH:
	case ISAKMP_PT_SIG:
	case ISAKMP_PT_NONCE:
	case ISAKMP_PT_VID:
	case ISAKMP_PT_NAT_D:
		break;
	default:
		return fail(b, FG_ERR_INVAL);
	}
	if ((idx = isakmp_build_add(b, type, len, &body)) < 0)
		return idx;
	if (len)
		memcpy(body, data, len);
	return checked(b, idx, type);
}

int isakmp_build_id(struct isakmp_builder *b, const struct isakmp_pl_id *id)
{
	uint8_t *body;
	int idx;

	if ((idx = isakmp_build_add(b, ISAKMP_PT_ID, 4 + id->data.len, &body)) < 0)
		return idx;
	body[0] = id->type;
	body[1] = id->proto;
	isakmp_put16(body + 2, id->port);
	if (id->data.len)
		memcpy(body + 4, id->data.ptr, id->data.len);
	return checked(b, idx, ISAKMP_PT_ID);
}

int isakmp_build_cert(struct isakmp_builder *b, uint8_t type, const struct isakmp_pl_cert *c)
{
	uint8_t *body;
	int idx;

	if (type != ISAKMP_PT_CERT && type != ISAKMP_PT_CR)
		return fail(b, FG_ERR_INVAL);
	if ((idx = isakmp_build_add(b, type, 1 + c->data.len, &body)) < 0)
		return idx;
	body[0] = c->encoding;
	if (c->data.len)
		memcpy(body + 1, c->data.ptr, c->data.len);
	return checked(b, idx, type);
}

int isakmp_build_notify(struct isakmp_builder *b, const struct isakmp_pl_notify *n)
{
	uint8_t *body;
	int idx;

	if (n->spi.len > 255)
		return fail(b, FG_ERR_INVAL);
	if ((idx = isakmp_build_add(b, ISAKMP_PT_NOTIFY, 8 + n->spi.len + n->data.len, &body)) < 0)
		return idx;
	isakmp_put32(body, n->doi);
	body[4] = n->proto;
	body[5] = (uint8_t)n->spi.len;
	isakmp_put16(body + 6, n->type);
	if (n->spi.len)
		memcpy(body + 8, n->spi.ptr, n->spi.len);
	if (n->data.len)
		memcpy(body + 8 + n->spi.len, n->data.ptr, n->data.len);
	return checked(b, idx, ISAKMP_PT_NOTIFY);
}

int isakmp_build_delete(struct isakmp_builder *b, const struct isakmp_pl_delete *d)
{
	uint8_t *body;
	int idx;

	if (d->spis.len != (size_t)d->nspis * d->spi_size)
		return fail(b, FG_ERR_INVAL);
	if ((idx = isakmp_build_add(b, ISAKMP_PT_DELETE, 8 + d->spis.len, &body)) < 0)
		return idx;
	isakmp_put32(body, d->doi);
	body[4] = d->proto;
	body[5] = d->spi_size;
	isakmp_put16(body + 6, d->nspis);
	if (d->spis.len)
		memcpy(body + 8, d->spis.ptr, d->spis.len);
	return checked(b, idx, ISAKMP_PT_DELETE);
}

int isakmp_build_nat_oa(struct isakmp_builder *b, const struct isakmp_pl_nat_oa *n)
{
	uint8_t *body;
	int idx;

	if ((idx = isakmp_build_add(b, ISAKMP_PT_NAT_OA, 4 + n->addr.len, &body)) < 0)
		return idx;
	body[0] = n->id_type;
	if (n->addr.len)
		memcpy(body + 4, n->addr.ptr, n->addr.len);
	return checked(b, idx, ISAKMP_PT_NAT_OA);
}

int isakmp_build_pad(struct isakmp_builder *b, size_t block)
{
	size_t pad;
	int rc;

	if (b->err)
		return b->err;
	if (!b->buf || b->sealed || block == 0 || block > 255)
		return fail(b, block == 0 || block > 255 ? FG_ERR_INVAL : FG_ERR_STATE);
	pad = block - (b->len - ISAKMP_HDR_LEN) % block;
	if ((rc = grow(b, pad)))
		return rc;
	memset(b->buf + b->len, 0, pad);
	b->len += pad;
	isakmp_put32(b->buf + 24, (uint32_t)b->len);
	b->sealed = 1;
	return 0;
}

int isakmp_build_span(const struct isakmp_builder *b, int idx, enum isakmp_span_kind kind,
		      uint8_t **ptr, size_t *len)
{
	size_t off, plen, end;

	if (b->err)
		return b->err;
	if (idx < 0 || (size_t)idx >= b->npayloads)
		return FG_ERR_INVAL;
	off = b->off[idx];
	plen = isakmp_get16(b->buf + off + 2);
	switch (kind) {
	case ISAKMP_SPAN_BODY:
		*ptr = b->buf + off + ISAKMP_GEN_LEN;
		*len = plen - ISAKMP_GEN_LEN;
		return 0;
	case ISAKMP_SPAN_PAYLOAD:
		*ptr = b->buf + off;
		*len = plen;
		return 0;
	case ISAKMP_SPAN_AFTER:
		/* up to the end of the last payload: padding is not covered */
		end = b->off[b->npayloads - 1] + isakmp_get16(b->buf + b->off[b->npayloads - 1] + 2);
		*ptr = b->buf + off + plen;
		*len = end - off - plen;
		return 0;
	default:
		return FG_ERR_INVAL;
	}
}

int isakmp_build_finish(const struct isakmp_builder *b, const uint8_t **msg, size_t *len)
{
	if (b->err)
		return b->err;
	if (!b->buf)
		return FG_ERR_STATE;
	*msg = b->buf;
	*len = b->len;
	return 0;
}
