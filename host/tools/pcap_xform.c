/*
 * fgate-pcap: one packet's request and result (pcap_xform.h).
 */
#include "tools/pcap_xform.h"

#include <string.h>

#include "common/err.h"
#include "crypto/crypto.h"

static const char *const host_names[] = {
	[XFORM_BAD_IPV4 - XFORM_BAD_IPV4] = "BAD_IPV4",
	[XFORM_NOT_IPSEC - XFORM_BAD_IPV4] = "NOT_IPSEC",
	[XFORM_FRAGMENT - XFORM_BAD_IPV4] = "FRAGMENT",
	[XFORM_BAD_INNER - XFORM_BAD_IPV4] = "BAD_INNER",
	[XFORM_SKIPPED - XFORM_BAD_IPV4] = "SKIPPED",
};

const char *xform_outcome_name(int outcome)
{
	if (outcome >= XFORM_BAD_IPV4 && outcome < XFORM_OUTCOME_END)
		return host_names[outcome - XFORM_BAD_IPV4];
	if (outcome >= 0 && outcome < XFORM_BAD_IPV4)
		return fgp_status_name((unsigned)outcome);
	return "PENDING";
}

bool xform_outcome_failed(int outcome)
{
	return outcome != FGP_STATUS_OK && outcome != XFORM_SKIPPED;
}

/* Host parse errors as outcomes: a length that does not fit is the
 * device's BAD_LENGTH, anything else malformed is BAD_IPV4. */
static int parse_outcome(int rc)
{
	switch (rc) {
	case FG_ERR_TRUNC:
		return FGP_STATUS_BAD_LENGTH;
	case FG_ERR_UNSUPP:
		return XFORM_FRAGMENT;
	case FG_ERR_RANGE:
		return FGP_STATUS_TOO_BIG;
	}
	return XFORM_BAD_IPV4;
}

static int make_iv(const struct xform *x, uint32_t index, uint8_t *iv)
{
	uint8_t msg[8], mac[CRYPTO_MAX_HASH];
	struct crypto_part part = { msg, sizeof(msg) };
	int i, rc;

	if (!x->seeded)
		return crypto_random(iv, XFORM_IV_LEN);
	for (i = 0; i < 8; i++)
		msg[i] = (uint8_t)((uint64_t)index >> (56 - 8 * i));
	rc = crypto_hmac(CRYPTO_HASH_SHA1, x->seed, sizeof(x->seed), &part, 1, mac);
	if (!rc)
		memcpy(iv, mac, XFORM_IV_LEN);
	return rc;
}

static int prepare_encrypt(struct xform *x, struct xform_pkt *p, const uint8_t *pkt, size_t len,
			   size_t *req_len, uint8_t *nh)
{
	const uint8_t *data;
	size_t n, ivlen = x->has_iv ? XFORM_IV_LEN : 0;
	int rc;

	if (len && pkt[0] >> 4 != 4)
		return XFORM_SKIPPED;
	rc = ipv4_parse(pkt, len, &p->ip);
	if (rc)
		return parse_outcome(rc);
	memcpy(p->hdr, pkt, p->ip.hdr_len);
	if (x->cfg.ah) {
		rc = esp_wire_ah_request(&x->cfg, pkt, &p->ip, (uint16_t)(p->index + 1), x->req,
					 sizeof(x->req), req_len, nh, &p->m);
		return rc ? parse_outcome(rc) : XFORM_PENDING;
	}
	rc = esp_wire_esp_data(&x->cfg, pkt, &p->ip, &data, &n, nh);
	if (rc)
		return parse_outcome(rc);
	if (ivlen) {
		rc = make_iv(x, p->index, x->req);
		if (rc)
			return rc;
	}
	memcpy(x->req + ivlen, data, n);
	*req_len = ivlen + n;
	return XFORM_PENDING;
}

static int prepare_decrypt(struct xform *x, struct xform_pkt *p, const uint8_t *pkt, size_t len,
			   size_t *req_len)
{
	struct esp_wire_rx *rx = &p->rx;
	int rc;

	if (len && pkt[0] >> 4 != 4)
		return XFORM_SKIPPED;
	rc = esp_wire_parse(pkt, len, rx);
	if (rc)
		return parse_outcome(rc);
	memcpy(p->hdr, pkt, rx->ip.hdr_len);
	if (rx->kind == ESP_WIRE_KEEPALIVE || rx->kind == ESP_WIRE_IKE)
		return XFORM_SKIPPED;
	if (rx->kind != (x->cfg.ah ? ESP_WIRE_AH : ESP_WIRE_ESP))
		return XFORM_NOT_IPSEC;
	if (x->cfg.ah) {
		rc = esp_wire_ah_request_in(pkt, rx, x->req, sizeof(x->req), req_len, &p->m);
		if (rc)
			return parse_outcome(rc);
	} else {
		memcpy(x->req, rx->payload, rx->payload_len);
		*req_len = rx->payload_len;
	}
	/* The input buffer goes away: keep nothing that points into it. */
	rx->payload = NULL;
	return XFORM_PENDING;
}

int xform_prepare(struct xform *x, struct xform_pkt *p, uint32_t index, const uint8_t *pkt,
		  size_t len, const uint8_t **req, size_t *req_len, uint8_t *nh)
{
	int outcome;

	memset(p, 0, offsetof(struct xform_pkt, out));
	p->index = index;
	*req = x->req;
	*req_len = 0;
	*nh = 0;
	if (x->decrypt)
		outcome = prepare_decrypt(x, p, pkt, len, req_len);
	else
		outcome = prepare_encrypt(x, p, pkt, len, req_len, nh);
	if (outcome < 0)
		return outcome;         /* the host's own failure */
	if (outcome == XFORM_PENDING && *req_len > FGP_MAX_PAYLOAD)
		outcome = FGP_STATUS_TOO_BIG;
	p->outcome = outcome;
	return 0;
}

static int finish_encrypt(const struct xform *x, struct xform_pkt *p,
			  const struct offload_result *r)
{
	int rc;

	if (x->cfg.ah) {
		if (r->len > sizeof(p->out))
			return FGP_STATUS_TOO_BIG;
		memcpy(p->out, r->data, r->len);
		rc = esp_wire_ah_finish(p->out, r->len, &p->m);
		p->out_len = rc ? 0 : r->len;
		return rc ? XFORM_BAD_INNER : FGP_STATUS_OK;
	}
	rc = esp_wire_esp_wrap(&x->cfg, p->hdr, &p->ip, (uint16_t)(p->index + 1), r->data, r->len,
			       p->out, sizeof(p->out), &p->out_len);
	return rc ? parse_outcome(rc) : FGP_STATUS_OK;
}

static int finish_decrypt(const struct xform *x, struct xform_pkt *p,
			  const struct offload_result *r)
{
	uint8_t nh = (uint8_t)r->aux;
	int rc;

	if (x->cfg.ah)
		rc = esp_wire_ah_unwrap(&x->cfg, &p->m, nh, r->data, r->len, p->out,
					sizeof(p->out), &p->out_len);
	else
		rc = esp_wire_esp_unwrap(&x->cfg, p->hdr, &p->rx, nh, r->data, r->len, p->out,
					 sizeof(p->out), &p->out_len);
	if (rc)
		return XFORM_BAD_INNER;
	return p->out_len ? FGP_STATUS_OK : XFORM_SKIPPED;     /* dummy packet */
}

void xform_finish(const struct xform *x, struct xform_pkt *p, const struct offload_result *r)
{
	p->out_len = 0;
	if ((unsigned)r->status >= XFORM_BAD_IPV4)
		p->outcome = FGP_STATUS_MALFORMED;     /* no status we know */
	else if (r->status != FGP_STATUS_OK)
		p->outcome = r->status;
	else if (x->decrypt)
		p->outcome = finish_decrypt(x, p, r);
	else
		p->outcome = finish_encrypt(x, p, r);
	if (p->outcome != FGP_STATUS_OK)
		p->out_len = 0;
}
