/* Informational exchanges protected by the ISAKMP SA (RFC 2408 4.8, RFC
 * 2409 5.7): HDR*, HASH(1), N/D with HASH(1) = prf(SKEYID_a, M-ID | N/D).
 * DELETE for IPsec SAs (our inbound SPI, as strongSwan sends it; a received
 * one may name either SPI) and for the ISAKMP SA (the two cookies);
 * INITIAL-CONTACT and error notifies are logged; R-U-THERE(-ACK) go to
 * dpd.c. One-way: no reply, no retransmission (DPD retransmits itself). */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "ike/ike_mgr.h"
#include "ike/dpd.h"
#include "ike/ike_sa.h"

const struct isakmp_allow info_allow = {
	.allowed = ISAKMP_PT_BIT(ISAKMP_PT_HASH) | ISAKMP_PT_BIT(ISAKMP_PT_NOTIFY) |
		   ISAKMP_PT_BIT(ISAKMP_PT_DELETE),
	.repeat = ISAKMP_PT_BIT(ISAKMP_PT_NOTIFY) | ISAKMP_PT_BIT(ISAKMP_PT_DELETE),
};

/* HDR*, HASH(1), then a DELETE (d) or a NOTIFY (n). */
static int send_info(struct ike_sa *sa, const struct isakmp_pl_delete *d,
		     const struct isakmp_pl_notify *n)
{
	struct isakmp_builder b;
	uint8_t *rest, *body, h[CRYPTO_MAX_HASH];
	size_t rlen, blen;
	uint32_t msgid = ike_sa_new_msgid(sa);
	int idx, rc;

	rc = ike_sa_build_init(sa, &b, ISAKMP_EXCH_INFO, msgid, true);
	if (rc)
		goto out;
	idx = isakmp_build_add(&b, ISAKMP_PT_HASH, sa->keys.prf_len, NULL);
	if (d)
		isakmp_build_delete(&b, d);
	else
		isakmp_build_notify(&b, n);
	rc = isakmp_build_span(&b, idx, ISAKMP_SPAN_AFTER, &rest, &rlen);
	if (!rc)
		rc = keys_hash1(&sa->keys, msgid, rest, rlen, h);
	if (!rc)
		rc = isakmp_build_span(&b, idx, ISAKMP_SPAN_BODY, &body, &blen);
	if (rc)
		goto out;
	memcpy(body, h, blen);
	rc = ike_sa_send_info(sa, &b, msgid);
out:
	isakmp_build_free(&b);
	if (rc)
		fg_warn("%s: cannot send %s: %s", ike_sa_name(sa), d ? "DELETE" : "a notify",
			fg_err_name(rc));
	return rc;
}

static int send_delete(struct ike_sa *sa, const struct isakmp_pl_delete *d)
{
	return send_info(sa, d, NULL);
}

int info_send_notify(struct ike_sa *sa, uint16_t type)
{
	uint8_t spi[16];
	struct isakmp_pl_notify n = { .doi = ISAKMP_DOI_IPSEC, .proto = ISAKMP_PROTO_ISAKMP,
				      .type = type, .spi = { spi, 16 } };
	struct isakmp_builder b;
	const uint8_t *msg;
	size_t len;
	int rc;

	memcpy(spi, sa->icookie, 8);
	memcpy(spi + 8, sa->rcookie, 8);
	fg_info("%s: sending %s notify", ike_sa_name(sa), isakmp_notify_name(type));
	if (sa->have_keys)
		return send_info(sa, NULL, &n);
	/* before phase 1 keys exist: unprotected, like charon's */
	rc = ike_sa_build_init(sa, &b, ISAKMP_EXCH_INFO, ike_sa_new_msgid(sa), false);
	if (!rc && isakmp_build_notify(&b, &n) < 0)
		rc = b.err;
	if (!rc)
		rc = isakmp_build_finish(&b, &msg, &len);
	if (!rc)
		rc = ike_mgr_send(sa->mgr, sa, msg, len);
	isakmp_build_free(&b);
	return rc;
}

int info_send_notify_data(struct ike_sa *sa, uint8_t proto, uint16_t type, const uint8_t *spi,
			  size_t spi_len, const uint8_t *data, size_t data_len)
{
	struct isakmp_pl_notify n = { .doi = ISAKMP_DOI_IPSEC, .proto = proto, .type = type,
				      .spi = { spi, spi_len }, .data = { data, data_len } };

	if (!sa->have_keys)
		return FG_ERR_STATE;
	return send_info(sa, NULL, &n);
}

int info_send_delete_child(struct ike_sa *sa, const struct child_sa *c)
{
	uint8_t spi[4];
	struct isakmp_pl_delete d = { .doi = ISAKMP_DOI_IPSEC, .proto = c->proto,
				      .spi_size = 4, .nspis = 1, .spis = { spi, 4 } };

	isakmp_put32(spi, c->spi_in);
	fg_info("%s: sending DELETE for CHILD_SA %s %08x_i", ike_sa_name(sa), c->cfg->name,
		c->spi_in);
	return send_delete(sa, &d);
}

int info_send_delete_ike(struct ike_sa *sa)
{
	uint8_t spi[16];
	struct isakmp_pl_delete d = { .doi = ISAKMP_DOI_IPSEC, .proto = ISAKMP_PROTO_ISAKMP,
				      .spi_size = 16, .nspis = 1, .spis = { spi, 16 } };

	memcpy(spi, sa->icookie, 8);
	memcpy(spi + 8, sa->rcookie, 8);
	fg_info("%s: sending DELETE for the ISAKMP SA", ike_sa_name(sa));
	return send_delete(sa, &d);
}

static void delete_child(struct ike_sa *sa, uint8_t proto, uint32_t spi)
{
	struct child_sa *c;

	for (c = sa->children; c; c = c->next) {
		if (c->proto == proto && (c->spi_out == spi || c->spi_in == spi)) {
			const struct fg_child *cfg = c->cfg;
			bool replaced = c->lstate == CHILD_SA_REKEYED;

			ike_sa_remove_child(sa, c, false, "DELETE from the peer");
			/* close_action acts on SAs the peer closed, not on rekeyed ones */
			if (!replaced)
				ike_mgr_child_action(sa->mgr, sa, cfg, cfg->close_action);
			return;
		}
	}
	fg_info("%s: DELETE for unknown %s SPI %08x ignored", ike_sa_name(sa),
		isakmp_proto_name(proto), spi);
}

/* The peer deleted the ISAKMP SA: its children go with it (unless a
 * newer SA adopted them), each running its close_action. */
static void delete_ike(struct ike_sa *sa)
{
	const struct fg_child *acts[CONFIG_CHILDREN_MAX];
	struct child_sa *c;
	unsigned n = 0, i, j;

	for (c = sa->children; c && n < CONFIG_CHILDREN_MAX; c = c->next) {
		if (c->lstate == CHILD_SA_REKEYED)
			continue;
		for (j = 0; j < n && acts[j] != c->cfg; j++)
			;
		if (j == n)
			acts[n++] = c->cfg;
	}
	ike_sa_delete(sa, "DELETE from the peer");
	for (i = 0; i < n; i++)
		ike_mgr_child_action(sa->mgr, sa, acts[i], acts[i]->close_action);
}

static void process_delete(struct ike_sa *sa, const struct isakmp_pl_delete *d)
{
	unsigned i;

	if (d->proto == ISAKMP_PROTO_ISAKMP) {
		if (d->spi_size == 16 && d->nspis >= 1 &&
		    memcmp(d->spis.ptr, sa->icookie, 8) == 0 &&
		    memcmp(d->spis.ptr + 8, sa->rcookie, 8) == 0)
			delete_ike(sa);
		else
			fg_info("%s: DELETE for another ISAKMP SA ignored", ike_sa_name(sa));
		return;
	}
	if ((d->proto != ISAKMP_PROTO_ESP && d->proto != ISAKMP_PROTO_AH) || d->spi_size != 4)
		return;
	for (i = 0; i < d->nspis; i++)
		delete_child(sa, d->proto, isakmp_get32(d->spis.ptr + 4 * i));
}

bool info_process(struct ike_sa *sa, const struct isakmp_msg *m)
{
	const struct isakmp_payload *p = m->npayloads ? &m->payloads[0] : NULL;
	uint8_t h[CRYPTO_MAX_HASH];
	struct isakmp_span rest;

	if (!sa->have_keys) {
		/* unauthenticated: only logged (RFC 2408 5.1 leaves it to us) */
		p = isakmp_msg_get(m, ISAKMP_PT_NOTIFY);
		fg_warn("%s: unprotected Informational before phase 1 ignored%s%s",
			ike_sa_name(sa), p ? ": peer notifies " : "",
			p ? isakmp_notify_name(p->u.notify.type) : "");
		/* not acted on, but no more keying tries after a refusal */
		if (p && p->u.notify.type <= ISAKMP_N_ERROR_MAX)
			sa->refused = true;
		return false;
	}
	if (!p || p->type != ISAKMP_PT_HASH || p->body.len != sa->keys.prf_len) {
		fg_warn("%s: Informational without HASH(1) dropped", ike_sa_name(sa));
		return false;
	}
	rest = isakmp_msg_after(m, p);
	if (keys_hash1(&sa->keys, m->hdr.msgid, rest.ptr, rest.len, h) ||
	    !crypto_equal(h, p->body.ptr, p->body.len)) {
		fg_warn("%s: Informational HASH(1) does not verify: dropped", ike_sa_name(sa));
		return false;
	}
	sa->last_in = sa->mgr->now;
	for (p = isakmp_msg_get(m, ISAKMP_PT_NOTIFY); p; p = isakmp_msg_next(m, p)) {
		if (p->u.notify.type == ISAKMP_N_INITIAL_CONTACT) {
			sa->initial_contact = true;
			ike_mgr_initial_contact(sa->mgr, sa);
		} else if (p->u.notify.type == ISAKMP_N_DPD_R_U_THERE ||
			   p->u.notify.type == ISAKMP_N_DPD_R_U_THERE_ACK) {
			dpd_process_notify(sa, &p->u.notify);
		} else {
			fg_info("%s: peer notifies %s", ike_sa_name(sa),
				isakmp_notify_name(p->u.notify.type));
		}
	}
	for (p = isakmp_msg_get(m, ISAKMP_PT_DELETE); p; p = isakmp_msg_next(m, p))
		process_delete(sa, &p->u.del);
	return true;
}
