/* Quick Mode (RFC 2409 5.5), both roles, ESP or AH, tunnel or transport,
 * optional PFS, IDs for hosts, subnets and ranges:
 *   1 I->R  *HASH(1), SA, Ni, [KE], [IDci, IDcr]
 *   2 R->I  *HASH(2), SA, Nr, [KE], [IDci, IDcr]
 *   3 I->R  *HASH(3)
 * The initiator installs its SAs once message 3 is built, the responder
 * when message 3 verifies. Lifetimes: the initiator offers life_time (and
 * life_bytes in kilobytes when set); the responder takes the shorter of the
 * offer and its own, answers with it in the SA payload and, when it
 * shortened the offer, adds a RESPONDER-LIFETIME notify (RFC 2407 4.5.4)
 * to message 2; the initiator takes the shortest of its offer, the answer
 * and that notify. With NAT-T in transport mode both sides send NAT-OA
 * (RFC 3947 5.2: the initiator's address, then the responder's); the
 * peer's original address is kept for the datapath's checksum fix-up.
 * The commit bit is neither sent nor honoured (see docs/ike.md). */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "ike/ike_sa.h"
#include "ike/isakmp_sa.h"
#include "ike/lifetime.h"
#include "ike/child_sa.h"
#include "ike/quick_mode_attrs.h"
#include "ike/phase1.h"
#include "ike/ts.h"

enum qm_state {
	QM_START = 0,
	QM_SENT1,       /* I: message 1 sent */
	QM_SENT2,       /* R: message 2 sent */
	QM_DONE,
};

enum { QM_MAX_XFORMS = 64, QM_ATTRS = 10 };

struct quick_mode {
	struct ike_task task;
	enum qm_state state;
	const struct fg_child *cfg;
	struct child_sa *child;         /* until installed */
	uint8_t ni[ISAKMP_NONCE_MAX], nr[ISAKMP_NONCE_MAX];
	size_t ni_len, nr_len;
	struct dh *dh;
	uint8_t gx_peer[DH_MAX_LEN];
	size_t gx_len;
	uint8_t prop_num, xform_num;
	uint16_t encap_mode;
	bool ids;                       /* IDs were exchanged */
	bool shortened;                 /* R: we cut the offered lifetime */
};

#define BIT ISAKMP_PT_BIT

/* --- SA payloads */

static bool use_ah(const struct fg_child *c)
{
	return c->esp.n == 0 && c->ah.n > 0;
}

static uint16_t encap_mode(const struct ike_sa *sa, enum fg_mode mode)
{
	if (sa->nat)
		return mode == FG_MODE_TUNNEL ? ISAKMP_IPSEC_ENCAP_UDP_TUNNEL
					      : ISAKMP_IPSEC_ENCAP_UDP_TRANSPORT;
	return mode == FG_MODE_TUNNEL ? ISAKMP_IPSEC_ENCAP_TUNNEL : ISAKMP_IPSEC_ENCAP_TRANSPORT;
}

static size_t xform_attrs(const struct proposal_xform *x, bool ah, uint64_t life,
			  uint64_t kb, uint16_t mode, struct isakmp_attr *a, uint8_t *id)
{
	uint16_t keylen = 0;
	size_t n = 0;

	if (ah) {
		*id = (uint8_t)proposal_ah_to_wire(x->integ);
	} else {
		*id = (uint8_t)proposal_esp_to_wire(x->encr, &keylen);
	}
	a[n++] = isakmp_attr_num(ISAKMP_IPSEC_LIFE_TYPE, ISAKMP_IPSEC_LIFE_SECONDS);
	a[n++] = isakmp_attr_num(ISAKMP_IPSEC_LIFE_DURATION, life);
	if (kb) {
		a[n++] = isakmp_attr_num(ISAKMP_IPSEC_LIFE_TYPE, ISAKMP_IPSEC_LIFE_KILOBYTES);
		a[n++] = isakmp_attr_num(ISAKMP_IPSEC_LIFE_DURATION, kb);
	}
	if (x->dh)
		a[n++] = isakmp_attr_num(ISAKMP_IPSEC_GROUP_DESC,
					 (uint64_t)proposal_dh_to_wire(x->dh));
	a[n++] = isakmp_attr_num(ISAKMP_IPSEC_ENCAP_MODE, mode);
	if (x->integ)
		a[n++] = isakmp_attr_num(ISAKMP_IPSEC_AUTH_ALG,
					 (uint64_t)proposal_auth_to_wire(x->integ));
	if (keylen)
		a[n++] = isakmp_attr_num(ISAKMP_IPSEC_KEY_LENGTH, keylen);
	return n;
}

static int build_sa_offer(struct quick_mode *qm, struct ike_sa *sa, struct isakmp_builder *b)
{
	const struct fg_child *c = qm->cfg;
	bool ah = use_ah(c);
	struct proposal_xform xf[QM_MAX_XFORMS];
	struct isakmp_transform xforms[QM_MAX_XFORMS];
	struct isakmp_attr attrs[QM_MAX_XFORMS][QM_ATTRS];
	uint8_t spi[4];
	struct isakmp_proposal prop = { .num = 1, .spi_size = 4, .spi = spi,
					.proto = ah ? ISAKMP_PROTO_AH : ISAKMP_PROTO_ESP };
	struct isakmp_sa s = { .doi = ISAKMP_DOI_IPSEC, .situation = ISAKMP_SIT_IDENTITY_ONLY,
			       .nprops = 1, .props = &prop };
	size_t n = proposal_expand(ah ? &c->ah : &c->esp, xf, QM_MAX_XFORMS), i, k = 0;

	if (n > QM_MAX_XFORMS)
		n = QM_MAX_XFORMS;
	isakmp_put32(spi, qm->child->spi_in);
	for (i = 0; i < n; i++) {
		/* one PFS group per offer: the first transform's; and only
		 * what the offload device runs */
		if (xf[i].dh != xf[0].dh || !child_sa_offloadable(&xf[i]))
			continue;
		xforms[k] = (struct isakmp_transform){ .num = (uint8_t)(k + 1),
						       .attrs = attrs[k] };
		xforms[k].nattrs = xform_attrs(&xf[i], ah, c->life_time, qm_attr_cfg_kb(c),
					       encap_mode(sa, c->mode), attrs[k], &xforms[k].id);
		k++;
	}
	if (!k)
		return FG_ERR_INVAL;
	qm->child->xf.dh = xf[0].dh;
	prop.nxforms = k;
	prop.xforms = xforms;
	return isakmp_build_sa(b, &s) < 0 ? b->err : 0;
}

/* A received transform; FG_ERR_UNSUPP if fgated cannot do it. */
static int read_xform(uint8_t proto, const struct isakmp_transform *x,
		      struct proposal_xform *xf, uint64_t *life, uint64_t *kb, uint64_t *mode)
{
	uint64_t auth = 0, group = 0, keylen = 0;

	memset(xf, 0, sizeof(*xf));
	*mode = ISAKMP_IPSEC_ENCAP_TUNNEL;
	qm_attr_lifes(x->attrs, x->nattrs, life, kb);
	isakmp_xform_num(x, ISAKMP_IPSEC_AUTH_ALG, &auth);
	isakmp_xform_num(x, ISAKMP_IPSEC_GROUP_DESC, &group);
	isakmp_xform_num(x, ISAKMP_IPSEC_KEY_LENGTH, &keylen);
	isakmp_xform_num(x, ISAKMP_IPSEC_ENCAP_MODE, mode);
	if (keylen > 0xffff || auth > 0xffff || group > 0xffff)
		return FG_ERR_UNSUPP;
	if (proto == ISAKMP_PROTO_ESP &&
	    proposal_esp_from_wire(x->id, (unsigned)keylen, &xf->encr))
		return FG_ERR_UNSUPP;
	if (proto == ISAKMP_PROTO_AH && proposal_ah_from_wire(x->id, &xf->integ))
		return FG_ERR_UNSUPP;
	if (auth && proposal_auth_from_wire((unsigned)auth, &xf->integ))
		return FG_ERR_UNSUPP;
	if (group && proposal_dh_from_wire((unsigned)group, &xf->dh))
		return FG_ERR_UNSUPP;
	return 0;
}

static bool mode_ok(uint64_t mode, enum fg_mode want)
{
	if (want == FG_MODE_TUNNEL)
		return mode == ISAKMP_IPSEC_ENCAP_TUNNEL || mode == ISAKMP_IPSEC_ENCAP_UDP_TUNNEL ||
		       mode == ISAKMP_IPSEC_ENCAP_UDP_TUNNEL_DRAFT;
	return mode == ISAKMP_IPSEC_ENCAP_TRANSPORT || mode == ISAKMP_IPSEC_ENCAP_UDP_TRANSPORT ||
	       mode == ISAKMP_IPSEC_ENCAP_UDP_TRANSPORT_DRAFT;
}

/* Responder: first acceptable transform; initiator: the one chosen. */
static int select_sa(struct quick_mode *qm, struct ike_sa *sa, const struct isakmp_msg *m)
{
	const struct isakmp_payload *p = isakmp_msg_get(m, ISAKMP_PT_SA);
	const struct fg_child *c = qm->cfg;
	struct isakmp_error err = { 0 };
	struct isakmp_sa s;
	size_t i, j;
	int rc;

	if (!p)
		return FG_ERR_PARSE;
	rc = isakmp_sa_decode(p->body.ptr, p->body.len, &s, &err);
	if (rc) {
		fg_warn("%s: Quick Mode: bad SA payload: %s", ike_sa_name(sa), err.reason);
		return rc;
	}
	rc = FG_ERR_NOTFOUND;
	for (i = 0; i < s.nprops && rc; i++) {
		const struct isakmp_proposal *pr = &s.props[i];
		bool ah = pr->proto == ISAKMP_PROTO_AH;

		if ((pr->proto != ISAKMP_PROTO_ESP && !ah) || pr->spi_size != 4 ||
		    ah != use_ah(c))
			continue;
		if (qm->task.initiator && (s.nprops != 1 || pr->nxforms != 1))
			break;
		for (j = 0; j < pr->nxforms && rc; j++) {
			struct proposal_xform xf;
			uint64_t life, kb, mode;

			if (read_xform(pr->proto, &pr->xforms[j], &xf, &life, &kb, &mode) ||
			    !mode_ok(mode, c->mode) || !child_sa_offloadable(&xf) ||
			    !proposal_accepts(ah ? &c->ah : &c->esp,
					      ah ? PROPOSAL_AH : PROPOSAL_ESP, &xf))
				continue;
			qm->child->xf = xf;
			qm->child->proto = pr->proto;
			qm->child->spi_out = isakmp_get32(pr->spi);
			/* the shorter of offer and policy (RFC 2407 4.5.4) */
			qm->child->life_time = qm_attr_shorter(life, c->life_time);
			qm->child->life_kb = qm_attr_shorter(kb, qm_attr_cfg_kb(c));
			qm->shortened = !qm->task.initiator &&
					((life && qm->child->life_time < life) ||
					 (kb && qm->child->life_kb < kb));
			qm->child->encap = mode != ISAKMP_IPSEC_ENCAP_TUNNEL &&
					   mode != ISAKMP_IPSEC_ENCAP_TRANSPORT;
			qm->encap_mode = (uint16_t)mode;
			qm->prop_num = pr->num;
			qm->xform_num = pr->xforms[j].num;
			rc = 0;
		}
	}
	isakmp_sa_free(&s);
	if (rc) {
		fg_warn("%s: Quick Mode: no acceptable %s proposal for %s", ike_sa_name(sa),
			use_ah(c) ? "AH" : "ESP", c->name);
		sa->fail_notify = ISAKMP_N_NO_PROPOSAL_CHOSEN;
	}
	return rc;
}

static int build_sa_reply(struct quick_mode *qm, struct isakmp_builder *b)
{
	struct child_sa *ch = qm->child;
	bool ah = ch->proto == ISAKMP_PROTO_AH;
	struct isakmp_attr attrs[QM_ATTRS];
	uint8_t spi[4];
	struct isakmp_transform x = { .num = qm->xform_num, .attrs = attrs };
	struct isakmp_proposal prop = { .num = qm->prop_num, .proto = ch->proto, .spi_size = 4,
					.spi = spi, .nxforms = 1, .xforms = &x };
	struct isakmp_sa s = { .doi = ISAKMP_DOI_IPSEC, .situation = ISAKMP_SIT_IDENTITY_ONLY,
			       .nprops = 1, .props = &prop };

	isakmp_put32(spi, ch->spi_in);
	x.nattrs = xform_attrs(&ch->xf, ah, ch->life_time, ch->life_kb, qm->encap_mode, attrs,
			       &x.id);
	return isakmp_build_sa(b, &s) < 0 ? b->err : 0;
}

/* --- hashes */

/* Appends a HASH placeholder; returns its index. */
static int add_hash(struct ike_sa *sa, struct isakmp_builder *b)
{
	return isakmp_build_add(b, ISAKMP_PT_HASH, sa->keys.prf_len, NULL);
}

static int fill_hash(struct quick_mode *qm, struct ike_sa *sa, struct isakmp_builder *b,
		     int idx, bool with_ni)
{
	uint8_t h[CRYPTO_MAX_HASH], *rest, *body;
	size_t rlen, blen;
	int rc;

	rc = isakmp_build_span(b, idx, ISAKMP_SPAN_AFTER, &rest, &rlen);
	if (rc)
		return rc;
	rc = with_ni ? keys_hash2(&sa->keys, qm->task.msgid, qm->ni, qm->ni_len, rest, rlen, h)
		     : keys_hash1(&sa->keys, qm->task.msgid, rest, rlen, h);
	if (!rc)
		rc = isakmp_build_span(b, idx, ISAKMP_SPAN_BODY, &body, &blen);
	if (!rc)
		memcpy(body, h, blen);
	return rc;
}

/* HASH must be the first payload; with_ni: HASH(2), else HASH(1). */
static int verify_hash(struct quick_mode *qm, struct ike_sa *sa, const struct isakmp_msg *m,
		       bool with_ni)
{
	const struct isakmp_payload *p = m->npayloads ? &m->payloads[0] : NULL;
	uint8_t h[CRYPTO_MAX_HASH];
	struct isakmp_span rest;
	int rc;

	if (!p || p->type != ISAKMP_PT_HASH) {
		fg_warn("%s: Quick Mode message without leading HASH", ike_sa_name(sa));
		return FG_ERR_AUTH;
	}
	rest = isakmp_msg_after(m, p);
	rc = with_ni ? keys_hash2(&sa->keys, qm->task.msgid, qm->ni, qm->ni_len, rest.ptr,
				  rest.len, h)
		     : keys_hash1(&sa->keys, qm->task.msgid, rest.ptr, rest.len, h);
	if (rc)
		return rc;
	if (p->body.len != sa->keys.prf_len || !crypto_equal(h, p->body.ptr, p->body.len)) {
		fg_warn("%s: Quick Mode HASH(%d) does not verify", ike_sa_name(sa),
			with_ni ? 2 : 1);
		sa->fail_notify = ISAKMP_N_INVALID_HASH_INFORMATION;
		return FG_ERR_AUTH;
	}
	return 0;
}

static int hash3(struct quick_mode *qm, struct ike_sa *sa, uint8_t *out)
{
	return keys_hash3(&sa->keys, qm->task.msgid, qm->ni, qm->ni_len, qm->nr, qm->nr_len,
			  out);
}

/* --- payload helpers */

static int nonce_ke(struct quick_mode *qm, struct ike_sa *sa, struct isakmp_builder *b)
{
	uint8_t *n = qm->task.initiator ? qm->ni : qm->nr;
	size_t *nlen = qm->task.initiator ? &qm->ni_len : &qm->nr_len;
	uint8_t gx[DH_MAX_LEN];
	int rc;

	(void)sa;
	rc = crypto_random(n, IKE_NONCE_LEN);
	if (rc)
		return rc;
	*nlen = IKE_NONCE_LEN;
	if (isakmp_build_data(b, ISAKMP_PT_NONCE, n, *nlen) < 0)
		return b->err;
	if (!qm->child->xf.dh)
		return 0;
	if (!qm->dh && (rc = dh_create(qm->child->xf.dh, &qm->dh)))
		return rc;
	rc = dh_public(qm->dh, gx, sizeof(gx));
	if (!rc && isakmp_build_data(b, ISAKMP_PT_KE, gx, dh_len(qm->dh)) < 0)
		rc = b->err;
	return rc;
}

static int read_nonce_ke(struct quick_mode *qm, struct ike_sa *sa, const struct isakmp_msg *m)
{
	const struct isakmp_payload *n = isakmp_msg_get(m, ISAKMP_PT_NONCE);
	const struct isakmp_payload *ke = isakmp_msg_get(m, ISAKMP_PT_KE);

	if (!n) {
		fg_warn("%s: Quick Mode without nonce", ike_sa_name(sa));
		return FG_ERR_PARSE;
	}
	if (qm->task.initiator) {
		memcpy(qm->nr, n->body.ptr, n->body.len);
		qm->nr_len = n->body.len;
	} else {
		memcpy(qm->ni, n->body.ptr, n->body.len);
		qm->ni_len = n->body.len;
	}
	if (!qm->child->xf.dh)
		return ke ? FG_ERR_INVAL : 0;
	if (!ke || ke->body.len != dh_group_len(qm->child->xf.dh)) {
		fg_warn("%s: Quick Mode PFS: KE missing or of the wrong size", ike_sa_name(sa));
		return FG_ERR_INVAL;
	}
	memcpy(qm->gx_peer, ke->body.ptr, ke->body.len);
	qm->gx_len = ke->body.len;
	return 0;
}

/* IDci, IDcr (in the initiator's view). */
static int read_ids(struct quick_mode *qm, struct ike_sa *sa, const struct isakmp_msg *m,
		    struct fg_ts *tsi, struct fg_ts *tsr)
{
	const struct isakmp_payload *p = isakmp_msg_get(m, ISAKMP_PT_ID), *q;

	if (!p) {
		struct fg_ts ih = { .port_last = 65535 }, rh = { .port_last = 65535 };
		uint32_t i = qm->task.initiator ? sa->local.addr : sa->remote.addr;
		uint32_t r = qm->task.initiator ? sa->remote.addr : sa->local.addr;

		ih.addr.first = ih.addr.last = i;
		rh.addr.first = rh.addr.last = r;
		*tsi = ih;
		*tsr = rh;
		return 0;
	}
	q = isakmp_msg_next(m, p);
	if (!q || isakmp_msg_next(m, q) || ts_parse_id(p, tsi) || ts_parse_id(q, tsr)) {
		fg_warn("%s: Quick Mode IDs malformed or unsupported", ike_sa_name(sa));
		return FG_ERR_INVAL;
	}
	qm->ids = true;
	return 0;
}

/* Both directions' keys, then hand-off. */
static int derive_install(struct quick_mode *qm, struct ike_sa *sa)
{
	struct child_sa *c = qm->child;
	uint8_t gxy[DH_MAX_LEN], spi[4];
	size_t gl = 0;
	int rc = 0;

	c->enc_len = proposal_encr_key_size(c->xf.encr);
	c->integ_len = proposal_integ_key_size(c->xf.integ);
	if (qm->dh) {
		rc = dh_shared(qm->dh, qm->gx_peer, qm->gx_len, gxy, sizeof(gxy));
		if (rc) {
			fg_warn("%s: Quick Mode PFS: invalid DH value", ike_sa_name(sa));
			return rc;
		}
		gl = dh_len(qm->dh);
	}
	isakmp_put32(spi, c->spi_in);
	rc = keys_keymat(&sa->keys, gl ? gxy : NULL, gl, c->proto, spi, qm->ni, qm->ni_len,
			 qm->nr, qm->nr_len, c->key_in, c->enc_len + c->integ_len);
	isakmp_put32(spi, c->spi_out);
	if (!rc)
		rc = keys_keymat(&sa->keys, gl ? gxy : NULL, gl, c->proto, spi, qm->ni, qm->ni_len,
				 qm->nr, qm->nr_len, c->key_out, c->enc_len + c->integ_len);
	crypto_wipe(gxy, sizeof(gxy));
	if (rc)
		return rc;
	c->initiated = qm->task.initiator;
	rc = child_sa_install(sa, c);
	if (rc)
		return rc;
	qm->child = NULL;   /* the SA owns it now */
	{
		struct child_sa *o;

		for (o = sa->children; o && o != c; o = o->next)
			;
		if (!o) {           /* the hand-off did not link it */
			c->next = sa->children;
			sa->children = c;
		}
	}
	lifetime_child_start(sa, c);
	return 0;
}

/* --- the exchange */

static int build(struct ike_task *t, struct ike_sa *sa, struct isakmp_builder *b)
{
	struct quick_mode *qm = (struct quick_mode *)t;
	uint8_t h[CRYPTO_MAX_HASH];
	int idx, rc;

	t->encrypt = true;
	switch (qm->state) {
	case QM_START:
		if (t->initiator) {                                 /* message 1 */
			qm->child->ts_local = ts_resolve(&qm->cfg->local_ts[0], sa->local.addr);
			qm->child->ts_remote = ts_resolve(&qm->cfg->remote_ts[0], sa->remote.addr);
			idx = add_hash(sa, b);
			if (idx < 0)
				return idx;
			rc = build_sa_offer(qm, sa, b);
			if (!rc)
				rc = nonce_ke(qm, sa, b);
			if (!rc)
				rc = ts_build_id(b, &qm->child->ts_local);
			if (!rc)
				rc = ts_build_id(b, &qm->child->ts_remote);
			if (!rc)
				rc = qm_attr_build_nat_oa(sa, t->initiator, qm->cfg->mode, b);
			if (!rc)
				rc = fill_hash(qm, sa, b, idx, false);
			qm->state = QM_SENT1;
			t->expect.allowed = BIT(ISAKMP_PT_HASH) | BIT(ISAKMP_PT_SA) |
					    BIT(ISAKMP_PT_NONCE) | BIT(ISAKMP_PT_KE) |
					    BIT(ISAKMP_PT_ID) | BIT(ISAKMP_PT_NOTIFY) |
					    BIT(ISAKMP_PT_NAT_OA);
			t->expect.repeat = BIT(ISAKMP_PT_ID) | BIT(ISAKMP_PT_NOTIFY) |
					   BIT(ISAKMP_PT_NAT_OA);
			return rc ? rc : TASK_WAIT;
		}
		/* responder: message 2 */
		idx = add_hash(sa, b);
		if (idx < 0)
			return idx;
		rc = build_sa_reply(qm, b);
		if (!rc)
			rc = nonce_ke(qm, sa, b);
		if (!rc && qm->ids) {
			/* echo: IDci is the peer's side */
			rc = ts_build_id(b, &qm->child->ts_remote);
			if (!rc)
				rc = ts_build_id(b, &qm->child->ts_local);
		}
		if (!rc)
			rc = qm_attr_build_nat_oa(sa, t->initiator, qm->cfg->mode, b);
		if (!rc && qm->shortened)
			rc = qm_attr_build_responder_lifetime(qm->child, b);
		if (!rc)
			rc = fill_hash(qm, sa, b, idx, true);
		qm->state = QM_SENT2;
		t->expect.allowed = BIT(ISAKMP_PT_HASH) | BIT(ISAKMP_PT_NOTIFY);
		t->expect.repeat = BIT(ISAKMP_PT_NOTIFY);
		return rc ? rc : TASK_WAIT;
	case QM_SENT1:                                              /* message 3 */
		rc = hash3(qm, sa, h);
		if (!rc && isakmp_build_data(b, ISAKMP_PT_HASH, h, sa->keys.prf_len) < 0)
			rc = b->err;
		if (!rc)
			rc = derive_install(qm, sa);
		qm->state = QM_DONE;
		return rc ? rc : TASK_DONE;
	default:
		return FG_ERR_STATE;
	}
}

/* Responder: the child config whose selectors hold the peer's IDs. */
static const struct fg_child *find_child(struct ike_sa *sa, const struct fg_ts *tsi,
					 const struct fg_ts *tsr)
{
	unsigned i;

	for (i = 0; i < sa->conn->n_children; i++) {
		const struct fg_child *c = &sa->conn->children[i];
		struct fg_ts l = ts_resolve(&c->local_ts[0], sa->local.addr);
		struct fg_ts r = ts_resolve(&c->remote_ts[0], sa->remote.addr);

		if (ts_within(tsi, &r) && ts_within(tsr, &l))
			return c;
	}
	return NULL;
}

static int process(struct ike_task *t, struct ike_sa *sa, const struct isakmp_msg *m)
{
	struct quick_mode *qm = (struct quick_mode *)t;
	struct fg_ts tsi, tsr;
	uint8_t h[CRYPTO_MAX_HASH];
	const struct isakmp_payload *p;
	int rc;

	if (!m->encrypted)
		return FG_ERR_AUTH;
	switch (qm->state) {
	case QM_START:                                              /* R: message 1 */
		rc = verify_hash(qm, sa, m, false);
		if (!rc)
			rc = read_ids(qm, sa, m, &tsi, &tsr);
		if (rc)
			return rc;
		qm->cfg = find_child(sa, &tsi, &tsr);
		if (!qm->cfg) {
			fg_warn("%s: Quick Mode: no child config for the proposed selectors",
				ike_sa_name(sa));
			sa->fail_notify = ISAKMP_N_INVALID_ID_INFORMATION;
			return FG_ERR_NOTFOUND;
		}
		qm->child = calloc(1, sizeof(*qm->child));
		if (!qm->child)
			return FG_ERR_NOMEM;
		qm->child->cfg = qm->cfg;
		qm->child->mode = qm->cfg->mode;
		qm->child->ts_local = tsr;
		qm->child->ts_remote = tsi;
		rc = select_sa(qm, sa, m);
		if (!rc)
			rc = read_nonce_ke(qm, sa, m);
		if (!rc)
			qm_attr_read_nat_oa(m, t->initiator, qm->child);
		if (!rc)
			rc = crypto_random(&qm->child->spi_in, 4);
		qm->child->spi_in |= 0x100;   /* SPIs 0..255 are reserved */
		return rc ? rc : TASK_REPLY;
	case QM_SENT1:                                              /* I: message 2 */
		/* HASH(2) needs Ni only: verify before trusting anything */
		rc = verify_hash(qm, sa, m, true);
		if (!rc)
			rc = select_sa(qm, sa, m);
		if (!rc)
			rc = read_nonce_ke(qm, sa, m);
		if (rc)
			return rc;
		qm_attr_read_responder_lifetime(sa, m, qm->child);
		qm_attr_read_nat_oa(m, t->initiator, qm->child);
		return TASK_REPLY;
	case QM_SENT2:                                              /* R: message 3 */
		p = isakmp_msg_get(m, ISAKMP_PT_HASH);
		rc = hash3(qm, sa, h);
		if (rc)
			return rc;
		if (!p || p->body.len != sa->keys.prf_len ||
		    !crypto_equal(h, p->body.ptr, p->body.len)) {
			fg_warn("%s: Quick Mode HASH(3) does not verify", ike_sa_name(sa));
			return FG_ERR_AUTH;
		}
		rc = derive_install(qm, sa);
		qm->state = QM_DONE;
		return rc ? rc : TASK_DONE;
	default:
		return FG_ERR_STATE;
	}
}

static void destroy(struct ike_task *t)
{
	struct quick_mode *qm = (struct quick_mode *)t;

	dh_free(qm->dh);
	if (qm->child) {
		crypto_wipe(qm->child, sizeof(*qm->child));
		free(qm->child);
	}
	crypto_wipe(qm, sizeof(*qm));
	free(qm);
}

struct ike_task *quick_mode_create(bool initiator, uint32_t msgid,
				   const struct fg_child *child_cfg)
{
	struct quick_mode *qm = calloc(1, sizeof(*qm));

	if (!qm)
		return NULL;
	qm->task = (struct ike_task){
		.name = "Quick Mode", .exch = ISAKMP_EXCH_QUICK, .msgid = msgid,
		.initiator = initiator, .encrypt = true, .build = build,
		.process = process, .destroy = destroy,
	};
	qm->task.expect.allowed = BIT(ISAKMP_PT_HASH) | BIT(ISAKMP_PT_SA) |
				  BIT(ISAKMP_PT_NONCE) | BIT(ISAKMP_PT_KE) | BIT(ISAKMP_PT_ID) |
				  BIT(ISAKMP_PT_NOTIFY) | BIT(ISAKMP_PT_NAT_OA);
	qm->task.expect.repeat = BIT(ISAKMP_PT_ID) | BIT(ISAKMP_PT_NOTIFY) |
				 BIT(ISAKMP_PT_NAT_OA);
	if (initiator) {
		qm->cfg = child_cfg;
		qm->child = calloc(1, sizeof(*qm->child));
		if (!qm->child || crypto_random(&qm->child->spi_in, 4)) {
			destroy(&qm->task);
			return NULL;
		}
		qm->child->spi_in |= 0x100;
		qm->child->cfg = qm->cfg;
		qm->child->mode = qm->cfg->mode;
	}
	return &qm->task;
}
