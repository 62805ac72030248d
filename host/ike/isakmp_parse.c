/*
 * ISAKMP decoding: the header, the central payload loop (modelled on
 * OpenBSD isakmpd's message_parse_payloads) and one validate function per
 * payload type. Every multi-byte field is read with isakmp_get16/32 from
 * a bounds-checked offset; nothing is cast onto the buffer.
 */
#include <string.h>

#include "ike/isakmp.h"
#include "ike/isakmp_sa.h"

/* Smallest valid payload per type, generic header included; 0 = unknown. */
static const uint8_t min_len[ISAKMP_PT_COUNT] = {
	[ISAKMP_PT_SA] = 12,          /* DOI, situation */
	[ISAKMP_PT_PROPOSAL] = 8,
	[ISAKMP_PT_TRANSFORM] = 8,
	[ISAKMP_PT_KE] = 4,
	[ISAKMP_PT_ID] = 8,           /* type, protocol, port */
	[ISAKMP_PT_CERT] = 5,         /* encoding */
	[ISAKMP_PT_CR] = 5,           /* certificate type */
	[ISAKMP_PT_HASH] = 4,
	[ISAKMP_PT_SIG] = 4,
	[ISAKMP_PT_NONCE] = 4,
	[ISAKMP_PT_NOTIFY] = 12,      /* DOI, protocol, SPI size, type */
	[ISAKMP_PT_DELETE] = 12,      /* DOI, protocol, SPI size, count */
	[ISAKMP_PT_VID] = 4,
	[ISAKMP_PT_NAT_D] = 4,
	[ISAKMP_PT_NAT_OA] = 8,       /* ID type, 3 reserved */
};

int isakmp_payload_known(unsigned type)
{
	return type < ISAKMP_PT_COUNT && min_len[type] != 0;
}

static int exchange_known(unsigned exch)
{
	switch (exch) {
	case ISAKMP_EXCH_BASE:
	case ISAKMP_EXCH_IDPROT:
	case ISAKMP_EXCH_AUTH_ONLY:
	case ISAKMP_EXCH_AGGRESSIVE:
	case ISAKMP_EXCH_INFO:
	case ISAKMP_EXCH_TRANSACTION:
	case ISAKMP_EXCH_QUICK:
	case ISAKMP_EXCH_NEW_GROUP:
		return 1;
	default:
		return 0;
	}
}

static int all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

int isakmp_hdr_parse(const uint8_t *buf, size_t len, struct isakmp_hdr *h,
		     struct isakmp_error *err)
{
	const uint8_t N = ISAKMP_PT_NONE;

	if (len < ISAKMP_HDR_LEN)
		return isakmp_error_set(err, FG_ERR_TRUNC, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, N, 0,
					"datagram of %zu bytes is shorter than the %d-byte header",
					len, ISAKMP_HDR_LEN);
	memcpy(h->icookie, buf, ISAKMP_COOKIE_LEN);
	memcpy(h->rcookie, buf + 8, ISAKMP_COOKIE_LEN);
	h->next = buf[16];
	h->major = buf[17] >> 4;
	h->minor = buf[17] & 0x0f;
	h->exch = buf[18];
	h->flags = buf[19];
	h->msgid = isakmp_get32(buf + 20);
	h->length = isakmp_get32(buf + 24);

	if (h->major != ISAKMP_VERSION_MAJOR)
		return isakmp_error_set(err, FG_ERR_UNSUPP, ISAKMP_N_INVALID_MAJOR_VERSION, N, 17,
					"major version %u, not 1", h->major);
	if (h->minor != ISAKMP_VERSION_MINOR)
		return isakmp_error_set(err, FG_ERR_UNSUPP, ISAKMP_N_INVALID_MINOR_VERSION, N, 17,
					"minor version %u, not 0", h->minor);
	if (h->length != len)
		return isakmp_error_set(err, h->length > len ? FG_ERR_TRUNC : FG_ERR_PARSE,
					ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, N, 24,
					"header length %u but datagram of %zu bytes",
					(unsigned)h->length, len);
	if (all_zero(h->icookie, ISAKMP_COOKIE_LEN))
		return isakmp_error_set(err, FG_ERR_PARSE, ISAKMP_N_INVALID_COOKIE, N, 0,
					"initiator cookie is zero");
	if (h->next == ISAKMP_PT_NONE || !isakmp_payload_known(h->next))
		return isakmp_error_set(err, FG_ERR_PARSE, ISAKMP_N_INVALID_PAYLOAD_TYPE, N, 16,
					"first payload type %u invalid", h->next);
	if (!exchange_known(h->exch))
		return isakmp_error_set(err, FG_ERR_UNSUPP, ISAKMP_N_INVALID_EXCHANGE_TYPE, N, 18,
					"exchange type %u unknown", h->exch);
	if (h->flags & ~ISAKMP_FLAGS_ALL)
		return isakmp_error_set(err, FG_ERR_PARSE, ISAKMP_N_INVALID_FLAGS, N, 19,
					"undefined flag bits 0x%02x", h->flags & ~ISAKMP_FLAGS_ALL);
	if ((h->flags & ISAKMP_FLAG_ENC) && len == ISAKMP_HDR_LEN)
		return isakmp_error_set(err, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED, N, 28,
					"encrypted message without a body");
	return 0;
}

/* --- one validate function per payload type. p is the payload (generic
 * header included), len its length (>= the type's minimum), off its offset
 * for error reports. Each fills out->u where the type has fixed fields. */

static int bad(struct isakmp_error *err, int notify, uint8_t type, size_t off, const char *what)
{
	return isakmp_error_set(err, FG_ERR_PARSE, notify, type, off, "%s payload: %s",
				isakmp_payload_name(type), what);
}

static int check_sa(const uint8_t *p, size_t len, size_t off, struct isakmp_payload *out,
		    struct isakmp_error *err)
{
	out->u.sa.doi = isakmp_get32(p + 4);
	out->u.sa.situation = isakmp_get32(p + 8);
	out->u.sa.props.ptr = p + 12;
	out->u.sa.props.len = len - 12;
	return isakmp_sa_check(p + 4, len - 4, off + 4, err);
}

static int check_data(uint8_t type, size_t len, size_t off, struct isakmp_error *err)
{
	size_t n = len - ISAKMP_GEN_LEN;

	switch (type) {
	case ISAKMP_PT_KE:
		return n ? 0 : bad(err, ISAKMP_N_INVALID_KEY_INFORMATION, type, off, "no key data");
	case ISAKMP_PT_HASH:
		return n ? 0 : bad(err, ISAKMP_N_INVALID_HASH_INFORMATION, type, off, "no hash data");
	case ISAKMP_PT_SIG:
		return n ? 0 : bad(err, ISAKMP_N_INVALID_SIGNATURE, type, off, "no signature data");
	case ISAKMP_PT_NAT_D:
		return n ? 0 : bad(err, ISAKMP_N_PAYLOAD_MALFORMED, type, off, "no hash data");
	case ISAKMP_PT_NONCE:
		if (n < ISAKMP_NONCE_MIN || n > ISAKMP_NONCE_MAX)
			return isakmp_error_set(err, FG_ERR_RANGE, ISAKMP_N_PAYLOAD_MALFORMED, type,
						off, "NONCE payload: %zu bytes, not %d..%d", n,
						ISAKMP_NONCE_MIN, ISAKMP_NONCE_MAX);
		return 0;
	default:   /* VID: any content */
		return 0;
	}
}

static int check_id(const uint8_t *p, size_t len, size_t off, struct isakmp_payload *out,
		    struct isakmp_error *err)
{
	struct isakmp_pl_id *id = &out->u.id;
	const uint8_t *d = p + 8;
	size_t n = len - 8, want = 0;

	id->type = p[4];
	id->proto = p[5];
	id->port = isakmp_get16(p + 6);
	id->data.ptr = d;
	id->data.len = n;
	switch (id->type) {
	case ISAKMP_ID_IPV4_ADDR:
		want = 4;
		break;
	case ISAKMP_ID_IPV4_ADDR_SUBNET:
	case ISAKMP_ID_IPV4_ADDR_RANGE:
		want = 8;
		break;
	case ISAKMP_ID_IPV6_ADDR:
		want = 16;
		break;
	case ISAKMP_ID_IPV6_ADDR_SUBNET:
	case ISAKMP_ID_IPV6_ADDR_RANGE:
		want = 32;
		break;
	case ISAKMP_ID_FQDN:
	case ISAKMP_ID_USER_FQDN:
	case ISAKMP_ID_DER_ASN1_DN:
	case ISAKMP_ID_DER_ASN1_GN:
	case ISAKMP_ID_KEY_ID:
		if (!n)
			return bad(err, ISAKMP_N_INVALID_ID_INFORMATION, ISAKMP_PT_ID, off + 8,
				   "empty identity");
		return 0;
	default:
		return isakmp_error_set(err, FG_ERR_UNSUPP, ISAKMP_N_INVALID_ID_INFORMATION,
					ISAKMP_PT_ID, off + 4, "ID payload: unknown ID type %u",
					id->type);
	}
	if (n != want)
		return isakmp_error_set(err, FG_ERR_PARSE, ISAKMP_N_INVALID_ID_INFORMATION,
					ISAKMP_PT_ID, off + 8, "ID payload: %s with %zu bytes, not %zu",
					isakmp_id_type_name(id->type), n, want);
	if ((id->type == ISAKMP_ID_IPV4_ADDR_RANGE || id->type == ISAKMP_ID_IPV6_ADDR_RANGE) &&
	    memcmp(d, d + want / 2, want / 2) > 0)
		return bad(err, ISAKMP_N_INVALID_ID_INFORMATION, ISAKMP_PT_ID, off + 8,
			   "address range start after its end");
	return 0;
}

static int check_cert(const uint8_t *p, size_t len, struct isakmp_payload *out)
{
	out->u.cert.encoding = p[4];
	out->u.cert.data.ptr = p + 5;
	out->u.cert.data.len = len - 5;
	return 0;   /* opaque: certificates are not used */
}

/* SPI size of a notify (0 allowed) or delete (0 not allowed) for proto. */
static int spi_size_ok(uint8_t proto, uint8_t size, int zero_ok)
{
	if (size == 0)
		return zero_ok;
	switch (proto) {
	case ISAKMP_PROTO_ISAKMP:
		return size == ISAKMP_SPI_SIZE_COOKIES || (zero_ok && size == ISAKMP_COOKIE_LEN);
	case ISAKMP_PROTO_AH:
	case ISAKMP_PROTO_ESP:
		return size == ISAKMP_SPI_SIZE_IPSEC;
	case ISAKMP_PROTO_IPCOMP:
		return size == ISAKMP_SPI_SIZE_CPI || size == ISAKMP_SPI_SIZE_IPSEC;
	default:
		return 0;
	}
}

static int check_doi(uint32_t doi, uint8_t type, size_t off, struct isakmp_error *err)
{
	if (doi == ISAKMP_DOI_ISAKMP || doi == ISAKMP_DOI_IPSEC)
		return 0;
	return isakmp_error_set(err, FG_ERR_UNSUPP, ISAKMP_N_DOI_NOT_SUPPORTED, type, off,
				"%s payload: DOI %u not supported", isakmp_payload_name(type),
				(unsigned)doi);
}

static int check_notify(const uint8_t *p, size_t len, size_t off, struct isakmp_payload *out,
			struct isakmp_error *err)
{
	struct isakmp_pl_notify *n = &out->u.notify;
	uint8_t spi_size = p[9];
	int rc;

	n->doi = isakmp_get32(p + 4);
	n->proto = p[8];
	n->type = isakmp_get16(p + 10);
	if ((rc = check_doi(n->doi, ISAKMP_PT_NOTIFY, off + 4, err)))
		return rc;
	if (n->proto > ISAKMP_PROTO_IPCOMP)
		return isakmp_error_set(err, FG_ERR_UNSUPP, ISAKMP_N_INVALID_PROTOCOL_ID,
					ISAKMP_PT_NOTIFY, off + 8, "NOTIFY payload: protocol %u",
					n->proto);
	if (12 + (size_t)spi_size > len)
		return bad(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_PT_NOTIFY, off + 9,
			   "SPI past the payload end");
	if (!spi_size_ok(n->proto, spi_size, 1))
		return isakmp_error_set(err, FG_ERR_PARSE, ISAKMP_N_INVALID_SPI, ISAKMP_PT_NOTIFY,
					off + 9, "NOTIFY payload: SPI size %u for %s", spi_size,
					isakmp_proto_name(n->proto));
	if (n->type == ISAKMP_N_NONE)
		return bad(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_PT_NOTIFY, off + 10,
			   "notify type 0");
	n->spi.ptr = p + 12;
	n->spi.len = spi_size;
	n->data.ptr = p + 12 + spi_size;
	n->data.len = len - 12 - spi_size;
	return 0;
}

static int check_delete(const uint8_t *p, size_t len, size_t off, struct isakmp_payload *out,
			struct isakmp_error *err)
{
	struct isakmp_pl_delete *d = &out->u.del;
	int rc;

	d->doi = isakmp_get32(p + 4);
	d->proto = p[8];
	d->spi_size = p[9];
	d->nspis = isakmp_get16(p + 10);
	if ((rc = check_doi(d->doi, ISAKMP_PT_DELETE, off + 4, err)))
		return rc;
	if (d->proto < ISAKMP_PROTO_ISAKMP || d->proto > ISAKMP_PROTO_IPCOMP)
		return isakmp_error_set(err, FG_ERR_UNSUPP, ISAKMP_N_INVALID_PROTOCOL_ID,
					ISAKMP_PT_DELETE, off + 8, "DELETE payload: protocol %u",
					d->proto);
	if (!spi_size_ok(d->proto, d->spi_size, 0))
		return isakmp_error_set(err, FG_ERR_PARSE, ISAKMP_N_INVALID_SPI, ISAKMP_PT_DELETE,
					off + 9, "DELETE payload: SPI size %u for %s", d->spi_size,
					isakmp_proto_name(d->proto));
	if (d->nspis == 0)
		return bad(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_PT_DELETE, off + 10, "no SPI");
	if (len - 12 != (size_t)d->nspis * d->spi_size)
		return isakmp_error_set(err, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED,
					ISAKMP_PT_DELETE, off + 12,
					"DELETE payload: %u SPIs of %u bytes in %zu bytes", d->nspis,
					d->spi_size, len - 12);
	d->spis.ptr = p + 12;
	d->spis.len = len - 12;
	return 0;
}

static int check_nat_oa(const uint8_t *p, size_t len, size_t off, struct isakmp_payload *out,
			struct isakmp_error *err)
{
	struct isakmp_pl_nat_oa *oa = &out->u.nat_oa;
	size_t want;

	oa->id_type = p[4];
	if (!all_zero(p + 5, 3))
		return bad(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_PT_NAT_OA, off + 5,
			   "reserved bytes not zero");
	if (oa->id_type == ISAKMP_ID_IPV4_ADDR)
		want = 4;
	else if (oa->id_type == ISAKMP_ID_IPV6_ADDR)
		want = 16;
	else
		return isakmp_error_set(err, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED,
					ISAKMP_PT_NAT_OA, off + 4, "NAT-OA payload: ID type %u",
					oa->id_type);
	if (len - 8 != want)
		return isakmp_error_set(err, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED,
					ISAKMP_PT_NAT_OA, off + 8,
					"NAT-OA payload: %zu address bytes, not %zu", len - 8, want);
	oa->addr.ptr = p + 8;
	oa->addr.len = want;
	return 0;
}

static int validate(uint8_t type, const uint8_t *p, size_t len, size_t off,
		    struct isakmp_payload *out, struct isakmp_error *err)
{
	switch (type) {
	case ISAKMP_PT_SA:
		return check_sa(p, len, off, out, err);
	case ISAKMP_PT_ID:
		return check_id(p, len, off, out, err);
	case ISAKMP_PT_CERT:
	case ISAKMP_PT_CR:
		return check_cert(p, len, out);
	case ISAKMP_PT_NOTIFY:
		return check_notify(p, len, off, out, err);
	case ISAKMP_PT_DELETE:
		return check_delete(p, len, off, out, err);
	case ISAKMP_PT_NAT_OA:
		return check_nat_oa(p, len, off, out, err);
	case ISAKMP_PT_PROPOSAL:
	case ISAKMP_PT_TRANSFORM:
		/* only inside an SA, where isakmp_sa_check walks them */
		return bad(err, ISAKMP_N_INVALID_PAYLOAD_TYPE, type, off, "outside an SA");
	default:
		return check_data(type, len, off, err);
	}
}

static void describe(uint8_t type, const uint8_t *p, size_t len, size_t off,
		     struct isakmp_payload *out)
{
	memset(out, 0, sizeof(*out));
	out->type = type;
	out->next = p[0];
	out->next_same = -1;
	out->offset = off;
	out->raw.ptr = p;
	out->raw.len = len;
	out->body.ptr = p + ISAKMP_GEN_LEN;
	out->body.len = len - ISAKMP_GEN_LEN;
}

int isakmp_payload_check(uint8_t type, const uint8_t *p, size_t len, size_t off,
			 struct isakmp_payload *out, struct isakmp_error *err)
{
	struct isakmp_payload tmp;

	if (!out)
		out = &tmp;
	if (!isakmp_payload_known(type))
		return isakmp_error_set(err, FG_ERR_PARSE, ISAKMP_N_INVALID_PAYLOAD_TYPE, type, off,
					"payload type %u unknown", type);
	if (len < ISAKMP_GEN_LEN || isakmp_get16(p + 2) != len)
		return bad(err, ISAKMP_N_PAYLOAD_MALFORMED, type, off, "length field wrong");
	if (!isakmp_payload_known(p[0]) && p[0] != ISAKMP_PT_NONE)
		return bad(err, ISAKMP_N_INVALID_PAYLOAD_TYPE, type, off, "unknown next payload");
	if (p[1] != 0)
		return bad(err, ISAKMP_N_PAYLOAD_MALFORMED, type, off + 1, "reserved byte not zero");
	if (len < min_len[type])
		return bad(err, ISAKMP_N_PAYLOAD_MALFORMED, type, off + 2, "shorter than its fields");
	describe(type, p, len, off, out);
	return validate(type, p, len, off, out, err);
}

static void msg_reset(struct isakmp_msg *m, const uint8_t *buf, size_t len)
{
	m->base = buf;
	m->base_len = len;
	m->chain_end = 0;
	m->npayloads = 0;
	memset(m->first, 0xff, sizeof(m->first));   /* -1 */
	memset(m->count, 0, sizeof(m->count));
}

/* The loop; base is added to error offsets (the header length when buf
 * is the body of a datagram). */
static int parse_chain(const uint8_t *buf, size_t len, uint8_t first,
		       const struct isakmp_allow *allow, size_t max_pad, size_t base,
		       struct isakmp_msg *m, struct isakmp_error *err)
{
	/* PROPOSAL and TRANSFORM live inside an SA, never at the top level */
	uint32_t allowed = allow->allowed &
			   ~(ISAKMP_PT_BIT(ISAKMP_PT_PROPOSAL) | ISAKMP_PT_BIT(ISAKMP_PT_TRANSFORM));
	int16_t last[ISAKMP_PT_COUNT] = { 0 };
	uint8_t type = first;
	size_t off = 0;
	int rc;

	msg_reset(m, buf, len);
	if (type == ISAKMP_PT_NONE)
		return isakmp_error_set(err, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED, type, base,
					"message without payloads");
	if (!isakmp_payload_known(type))
		return isakmp_error_set(err, FG_ERR_PARSE, ISAKMP_N_INVALID_PAYLOAD_TYPE, type, base,
					"first payload type %u unknown", type);
	while (type != ISAKMP_PT_NONE) {
		size_t at = base + off;   /* for error reports */
		struct isakmp_payload *pl;
		const uint8_t *p;
		uint8_t next;
		size_t plen;

		if (len - off < ISAKMP_GEN_LEN)
			return isakmp_error_set(err, FG_ERR_TRUNC, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS,
						type, at, "%s payload header past the end",
						isakmp_payload_name(type));
		p = buf + off;
		next = p[0];
		if (next != ISAKMP_PT_NONE && !isakmp_payload_known(next))
			return isakmp_error_set(err, FG_ERR_PARSE, ISAKMP_N_INVALID_PAYLOAD_TYPE, type,
						at, "%s payload: next payload type %u unknown",
						isakmp_payload_name(type), next);
		if (p[1] != 0)
			return bad(err, ISAKMP_N_PAYLOAD_MALFORMED, type, at + 1,
				   "reserved byte not zero");
		plen = isakmp_get16(p + 2);
		if (plen < min_len[type])
			return isakmp_error_set(err, FG_ERR_PARSE, ISAKMP_N_PAYLOAD_MALFORMED, type,
						at + 2, "%s payload: length %zu below %u",
						isakmp_payload_name(type), plen, min_len[type]);
		if (plen > len - off)
			return isakmp_error_set(err, FG_ERR_TRUNC, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS,
						type, at + 2,
						"%s payload: length %zu but %zu bytes left",
						isakmp_payload_name(type), plen, len - off);
		if (!(allowed & ISAKMP_PT_BIT(type)))
			return bad(err, ISAKMP_N_INVALID_PAYLOAD_TYPE, type, at,
				   "not allowed in this message");
		if (m->count[type] && !(allow->repeat & ISAKMP_PT_BIT(type)))
			return bad(err, ISAKMP_N_INVALID_PAYLOAD_TYPE, type, at,
				   "more than one in this message");
		if (m->npayloads == ISAKMP_MAX_PAYLOADS)
			return isakmp_error_set(err, FG_ERR_FULL, ISAKMP_N_PAYLOAD_MALFORMED, type, at,
						"more than %d payloads", ISAKMP_MAX_PAYLOADS);
		pl = &m->payloads[m->npayloads];
		describe(type, p, plen, off, pl);
		if ((rc = validate(type, p, plen, at, pl, err)))
			return rc;
		if (m->count[type]++)
			m->payloads[last[type]].next_same = (int16_t)m->npayloads;
		else
			m->first[type] = (int16_t)m->npayloads;
		last[type] = (int16_t)m->npayloads;
		m->npayloads++;
		off += plen;
		type = next;
	}
	if (len - off > max_pad)
		return isakmp_error_set(err, FG_ERR_PARSE, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS,
					ISAKMP_PT_NONE, base + off,
					"%zu bytes after the last payload (at most %zu)", len - off,
					max_pad);
	m->chain_end = off;
	return 0;
}

int isakmp_payloads_parse(const uint8_t *buf, size_t len, uint8_t first,
			  const struct isakmp_allow *allow, size_t max_pad,
			  struct isakmp_msg *m, struct isakmp_error *err)
{
	return parse_chain(buf, len, first, allow, max_pad, 0, m, err);
}

int isakmp_msg_parse(const uint8_t *buf, size_t len, const struct isakmp_allow *allow,
		     struct isakmp_msg *m, struct isakmp_error *err)
{
	int rc;

	memset(&m->hdr, 0, sizeof(m->hdr));
	m->body.ptr = NULL;
	m->body.len = 0;
	m->encrypted = 0;
	msg_reset(m, NULL, 0);
	if ((rc = isakmp_hdr_parse(buf, len, &m->hdr, err)))
		return rc;
	m->body.ptr = buf + ISAKMP_HDR_LEN;
	m->body.len = len - ISAKMP_HDR_LEN;
	m->encrypted = !!(m->hdr.flags & ISAKMP_FLAG_ENC);
	if (m->encrypted)
		return 0;
	/* Plaintext messages carry no padding (max_pad 0): see isakmp.h. */
	return parse_chain(m->body.ptr, m->body.len, m->hdr.next, allow, 0, ISAKMP_HDR_LEN, m,
			   err);
}

const struct isakmp_payload *isakmp_msg_get(const struct isakmp_msg *m, uint8_t type)
{
	if (type >= ISAKMP_PT_COUNT || m->first[type] < 0)
		return NULL;
	return &m->payloads[m->first[type]];
}

const struct isakmp_payload *isakmp_msg_next(const struct isakmp_msg *m,
					     const struct isakmp_payload *p)
{
	return p->next_same < 0 ? NULL : &m->payloads[p->next_same];
}

unsigned isakmp_msg_count(const struct isakmp_msg *m, uint8_t type)
{
	return type < ISAKMP_PT_COUNT ? m->count[type] : 0;
}

struct isakmp_span isakmp_msg_after(const struct isakmp_msg *m, const struct isakmp_payload *p)
{
	struct isakmp_span s;
	size_t end = p->offset + p->raw.len;

	s.ptr = m->base + end;
	s.len = m->chain_end > end ? m->chain_end - end : 0;
	return s;
}
