#include "ike/phase1.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/err.h"
#include "common/log.h"
#include "ike/ike_mgr.h"
#include "ike/isakmp_sa.h"
#include "ike/lifetime.h"

enum {
	P1_MAX_XFORMS = 64,
	P1_ATTRS = 8,
};

enum crypto_hash phase1_hash(enum proposal_integ i)
{
	switch (i) {
	case PROPOSAL_INTEG_MD5:
		return CRYPTO_HASH_MD5;
	case PROPOSAL_INTEG_SHA2_256:
		return CRYPTO_HASH_SHA256;
	default:
		return CRYPTO_HASH_SHA1;
	}
}

enum crypto_cipher phase1_cipher(enum proposal_encr e)
{
	switch (e) {
	case PROPOSAL_ENCR_DES:
		return CRYPTO_CIPHER_DES_CBC;
	case PROPOSAL_ENCR_3DES:
		return CRYPTO_CIPHER_3DES_CBC;
	case PROPOSAL_ENCR_AES128:
	case PROPOSAL_ENCR_AES192:
	case PROPOSAL_ENCR_AES256:
		return CRYPTO_CIPHER_AES_CBC;
	default:
		return CRYPTO_CIPHER_NULL;
	}
}

/* Attributes of one phase 1 transform; returns their count. */
static size_t xform_attrs(const struct proposal_xform *x, uint64_t life,
			  struct isakmp_attr *a)
{
	uint16_t keylen = 0;
	size_t n = 0;
	int enc = proposal_ike_encr_to_wire(x->encr, &keylen);

	a[n++] = isakmp_attr_num(ISAKMP_OAKLEY_ENCRYPTION, (uint64_t)enc);
	if (keylen)
		a[n++] = isakmp_attr_num(ISAKMP_OAKLEY_KEY_LENGTH, keylen);
	a[n++] = isakmp_attr_num(ISAKMP_OAKLEY_HASH, (uint64_t)proposal_ike_hash_to_wire(x->integ));
	a[n++] = isakmp_attr_num(ISAKMP_OAKLEY_AUTH_METHOD, ISAKMP_OAKLEY_AUTH_PSK);
	a[n++] = isakmp_attr_num(ISAKMP_OAKLEY_GROUP_DESC, (uint64_t)proposal_dh_to_wire(x->dh));
	a[n++] = isakmp_attr_num(ISAKMP_OAKLEY_LIFE_TYPE, ISAKMP_OAKLEY_LIFE_SECONDS);
	a[n++] = isakmp_attr_num(ISAKMP_OAKLEY_LIFE_DURATION, life);
	return n;
}

static int keep_sai(struct ike_sa *sa, const uint8_t *p, size_t len)
{
	free(sa->sai_b);
	sa->sai_b = malloc(len);
	if (!sa->sai_b)
		return FG_ERR_NOMEM;
	memcpy(sa->sai_b, p, len);
	sa->sai_len = len;
	return 0;
}

int phase1_build_sa_offer(struct ike_sa *sa, struct isakmp_builder *b)
{
	struct proposal_xform xf[P1_MAX_XFORMS];
	struct isakmp_transform xforms[P1_MAX_XFORMS];
	struct isakmp_attr attrs[P1_MAX_XFORMS][P1_ATTRS];
	struct isakmp_proposal prop = { .num = 1, .proto = ISAKMP_PROTO_ISAKMP };
	struct isakmp_sa s = { .doi = ISAKMP_DOI_IPSEC, .situation = ISAKMP_SIT_IDENTITY_ONLY,
			       .nprops = 1, .props = &prop };
	size_t n = proposal_expand(&sa->conn->proposals, xf, P1_MAX_XFORMS), i;
	uint8_t *body;
	size_t len;
	int idx, rc;

	if (n > P1_MAX_XFORMS)
		n = P1_MAX_XFORMS;
	if (!n)
		return FG_ERR_INVAL;
	sa->life_time = lifetime_ike_offer(sa->conn);
	for (i = 0; i < n; i++) {
		xforms[i] = (struct isakmp_transform){ .num = (uint8_t)(i + 1),
						       .id = ISAKMP_KEY_IKE, .attrs = attrs[i] };
		xforms[i].nattrs = xform_attrs(&xf[i], sa->life_time, attrs[i]);
	}
	prop.nxforms = n;
	prop.xforms = xforms;
	idx = isakmp_build_sa(b, &s);
	if (idx < 0)
		return idx;
	rc = isakmp_build_span(b, idx, ISAKMP_SPAN_BODY, &body, &len);
	return rc ? rc : keep_sai(sa, body, len);
}

int phase1_first_group(const struct ike_sa *sa, enum proposal_dh *out)
{
	struct proposal_xform xf[1];

	if (!proposal_expand(&sa->conn->proposals, xf, 1))
		return FG_ERR_INVAL;
	*out = xf[0].dh;
	return 0;
}

/* A received phase 1 transform as a proposal_xform and lifetime. */
static int read_xform(const struct isakmp_transform *x, struct proposal_xform *xf,
		      uint64_t *life)
{
	uint64_t enc, hash, auth, group, keylen = 0, ltype = ISAKMP_OAKLEY_LIFE_SECONDS;

	*life = 0;
	if (x->id != ISAKMP_KEY_IKE ||
	    isakmp_xform_num(x, ISAKMP_OAKLEY_ENCRYPTION, &enc) ||
	    isakmp_xform_num(x, ISAKMP_OAKLEY_HASH, &hash) ||
	    isakmp_xform_num(x, ISAKMP_OAKLEY_AUTH_METHOD, &auth) ||
	    isakmp_xform_num(x, ISAKMP_OAKLEY_GROUP_DESC, &group))
		return FG_ERR_UNSUPP;
	isakmp_xform_num(x, ISAKMP_OAKLEY_KEY_LENGTH, &keylen);
	isakmp_xform_num(x, ISAKMP_OAKLEY_LIFE_TYPE, &ltype);
	if (ltype == ISAKMP_OAKLEY_LIFE_SECONDS)
		isakmp_xform_num(x, ISAKMP_OAKLEY_LIFE_DURATION, life);
	if (auth != ISAKMP_OAKLEY_AUTH_PSK || enc > 0xffff || keylen > 0xffff ||
	    proposal_ike_encr_from_wire((unsigned)enc, (unsigned)keylen, &xf->encr) ||
	    proposal_ike_hash_from_wire((unsigned)hash, &xf->integ) ||
	    proposal_dh_from_wire((unsigned)group, &xf->dh))
		return FG_ERR_UNSUPP;
	return 0;
}

int phase1_select(struct ike_sa *sa, const struct isakmp_msg *m)
{
	const struct isakmp_payload *p = isakmp_msg_get(m, ISAKMP_PT_SA);
	struct isakmp_sa s;
	struct isakmp_error err = { 0 };
	size_t i, j;
	int rc;

	if (!p)
		return FG_ERR_PARSE;
	rc = isakmp_sa_decode(p->body.ptr, p->body.len, &s, &err);
	if (rc) {
		fg_warn("%s: bad SA payload: %s", ike_sa_name(sa), err.reason);
		return rc;
	}
	rc = FG_ERR_NOTFOUND;
	for (i = 0; i < s.nprops && rc; i++) {
		if (s.props[i].proto != ISAKMP_PROTO_ISAKMP)
			continue;
		for (j = 0; j < s.props[i].nxforms && rc; j++) {
			struct proposal_xform xf = { 0 };
			uint64_t life;

			if (read_xform(&s.props[i].xforms[j], &xf, &life))
				continue;
			if (!proposal_accepts(&sa->conn->proposals, PROPOSAL_IKE, &xf))
				continue;
			sa->xf = xf;
			/* the shorter of the offer and ours, as for Quick Mode */
			sa->life_time = lifetime_ike_offer(sa->conn);
			if (life && life < sa->life_time)
				sa->life_time = life;
			sa->p1_xform_num = s.props[i].xforms[j].num;
			rc = 0;
		}
	}
	isakmp_sa_free(&s);
	if (rc) {
		fg_warn("%s: no acceptable phase 1 proposal for connection %s",
			ike_sa_name(sa), sa->conn->name);
		sa->fail_notify = ISAKMP_N_NO_PROPOSAL_CHOSEN;
		return rc;
	}
	return keep_sai(sa, p->body.ptr, p->body.len);
}

int phase1_build_sa_reply(struct ike_sa *sa, struct isakmp_builder *b)
{
	struct isakmp_attr attrs[P1_ATTRS];
	struct isakmp_transform x = { .num = sa->p1_xform_num, .id = ISAKMP_KEY_IKE,
				      .attrs = attrs };
	struct isakmp_proposal prop = { .num = 1, .proto = ISAKMP_PROTO_ISAKMP,
					.nxforms = 1, .xforms = &x };
	struct isakmp_sa s = { .doi = ISAKMP_DOI_IPSEC, .situation = ISAKMP_SIT_IDENTITY_ONLY,
			       .nprops = 1, .props = &prop };
	int idx;

	x.nattrs = xform_attrs(&sa->xf, sa->life_time, attrs);
	idx = isakmp_build_sa(b, &s);
	return idx < 0 ? idx : 0;
}

int phase1_process_sa_reply(struct ike_sa *sa, const struct isakmp_msg *m)
{
	const struct isakmp_payload *p = isakmp_msg_get(m, ISAKMP_PT_SA);
	struct isakmp_error err = { 0 };
	struct proposal_xform xf = { 0 };
	struct isakmp_sa s;
	uint64_t life;
	int rc;

	if (!p)
		return FG_ERR_PARSE;
	rc = isakmp_sa_decode(p->body.ptr, p->body.len, &s, &err);
	if (rc) {
		fg_warn("%s: bad SA payload: %s", ike_sa_name(sa), err.reason);
		return rc;
	}
	if (s.nprops != 1 || s.props[0].nxforms != 1 ||
	    s.props[0].proto != ISAKMP_PROTO_ISAKMP ||
	    read_xform(&s.props[0].xforms[0], &xf, &life) ||
	    !proposal_accepts(&sa->conn->proposals, PROPOSAL_IKE, &xf)) {
		fg_warn("%s: the responder chose a transform we did not offer",
			ike_sa_name(sa));
		rc = FG_ERR_AUTH;
	} else {
		sa->xf = xf;
		if (life && life < sa->life_time)
			sa->life_time = life;
	}
	isakmp_sa_free(&s);
	return rc;
}

int phase1_build_ke_nonce(struct ike_sa *sa, struct isakmp_builder *b)
{
	uint8_t *gx = sa->initiator ? sa->gxi : sa->gxr;
	uint8_t *n = sa->initiator ? sa->ni : sa->nr;
	size_t *nlen = sa->initiator ? &sa->ni_len : &sa->nr_len;
	int rc;

	if (!sa->dh) {
		rc = dh_create(sa->xf.dh, &sa->dh);
		if (rc)
			return rc;
	}
	sa->gx_len = dh_len(sa->dh);
	rc = dh_public(sa->dh, gx, DH_MAX_LEN);
	if (!rc)
		rc = crypto_random(n, IKE_NONCE_LEN);
	if (rc)
		return rc;
	*nlen = IKE_NONCE_LEN;
	if (isakmp_build_data(b, ISAKMP_PT_KE, gx, sa->gx_len) < 0 ||
	    isakmp_build_data(b, ISAKMP_PT_NONCE, n, *nlen) < 0)
		return b->err;
	return 0;
}

int phase1_process_ke_nonce(struct ike_sa *sa, const struct isakmp_msg *m)
{
	const struct isakmp_payload *ke = isakmp_msg_get(m, ISAKMP_PT_KE);
	const struct isakmp_payload *no = isakmp_msg_get(m, ISAKMP_PT_NONCE);
	size_t want = dh_group_len(sa->xf.dh);

	if (!ke || !no) {
		fg_warn("%s: KE or nonce payload missing", ike_sa_name(sa));
		return FG_ERR_PARSE;
	}
	if (ke->body.len != want) {
		fg_warn("%s: KE payload of %zu bytes, group %s needs %zu", ike_sa_name(sa),
			ke->body.len, proposal_dh_name(sa->xf.dh), want);
		return FG_ERR_INVAL;
	}
	sa->gx_len = want;
	memcpy(sa->initiator ? sa->gxr : sa->gxi, ke->body.ptr, want);
	if (sa->initiator) {
		memcpy(sa->nr, no->body.ptr, no->body.len);
		sa->nr_len = no->body.len;
	} else {
		memcpy(sa->ni, no->body.ptr, no->body.len);
		sa->ni_len = no->body.len;
	}
	return 0;
}

static const char *local_id(struct ike_sa *sa)
{
	char a[16];

	if (!sa->local_id[0]) {
		if (sa->conn->local_id[0])
			snprintf(sa->local_id, sizeof(sa->local_id), "%s", sa->conn->local_id);
		else
			snprintf(sa->local_id, sizeof(sa->local_id), "%s",
				 ike_addr_str(sa->local.addr, a));
	}
	return sa->local_id;
}

/* The identity we authenticate the peer as before its ID arrives. */
static const char *expected_remote(struct ike_sa *sa, char buf[16])
{
	if (sa->remote_id[0])
		return sa->remote_id;
	if (strcmp(sa->conn->remote_id, "%any") != 0 && sa->conn->remote_id[0])
		return sa->conn->remote_id;
	return ike_addr_str(sa->remote.addr, buf);
}

int phase1_derive(struct ike_sa *sa)
{
	uint8_t gxy[DH_MAX_LEN];
	char buf[16];
	struct keys_input in;
	int rc;

	sa->psk = config_find_psk(sa->mgr->cfg, local_id(sa), expected_remote(sa, buf));
	if (!sa->psk) {
		fg_warn("%s: no pre-shared key for %s - %s", ike_sa_name(sa), local_id(sa),
			expected_remote(sa, buf));
		return FG_ERR_NOTFOUND;
	}
	rc = dh_shared(sa->dh, sa->initiator ? sa->gxr : sa->gxi, sa->gx_len, gxy, sizeof(gxy));
	if (rc) {
		fg_warn("%s: invalid DH public value from the peer", ike_sa_name(sa));
		return rc;
	}
	in = (struct keys_input){
		.hash = phase1_hash(sa->xf.integ), .cipher = phase1_cipher(sa->xf.encr),
		.key_len = proposal_encr_key_size(sa->xf.encr),
		.psk = sa->psk->psk, .psk_len = sa->psk->psk_len,
		.ni = sa->ni, .ni_len = sa->ni_len, .nr = sa->nr, .nr_len = sa->nr_len,
		.gxy = gxy, .gxy_len = sa->gx_len, .gxi = sa->gxi, .gxi_len = sa->gx_len,
		.gxr = sa->gxr, .gxr_len = sa->gx_len,
		.icookie = sa->icookie, .rcookie = sa->rcookie,
	};
	fg_log_keys("g^xy", gxy, sa->gx_len);
	rc = keys_derive(&sa->keys, &in);
	crypto_wipe(gxy, sizeof(gxy));
	if (rc)
		return rc;
	sa->have_keys = true;
	keys_log(&sa->keys, ike_sa_name(sa));
	return 0;
}

int phase1_build_id(struct ike_sa *sa, struct isakmp_builder *b)
{
	const char *id = local_id(sa);
	struct isakmp_pl_id p = { 0 };
	uint8_t addr[4];
	struct in_addr ia;

	if (inet_pton(AF_INET, id, &ia) == 1) {
		memcpy(addr, &ia, 4);
		p.type = ISAKMP_ID_IPV4_ADDR;
		p.data = (struct isakmp_span){ addr, 4 };
	} else if (id[0] == '@') {
		p.type = ISAKMP_ID_FQDN;
		p.data = (struct isakmp_span){ (const uint8_t *)id + 1, strlen(id) - 1 };
	} else {
		p.type = strchr(id, '@') ? ISAKMP_ID_USER_FQDN : ISAKMP_ID_FQDN;
		p.data = (struct isakmp_span){ (const uint8_t *)id, strlen(id) };
	}
	int idx = isakmp_build_id(b, &p);
	uint8_t *body;
	size_t len;

	if (idx < 0)
		return idx;
	if (isakmp_build_span(b, idx, ISAKMP_SPAN_BODY, &body, &len) ||
	    len > sizeof(sa->my_id_b))
		return FG_ERR_RANGE;
	memcpy(sa->my_id_b, body, len);
	sa->my_id_len = len;
	return 0;
}

int phase1_process_id(struct ike_sa *sa, const struct isakmp_msg *m)
{
	const struct isakmp_payload *p = isakmp_msg_get(m, ISAKMP_PT_ID);
	const struct isakmp_pl_id *id;
	char s[CONFIG_ID_MAX];

	if (!p) {
		fg_warn("%s: ID payload missing", ike_sa_name(sa));
		return FG_ERR_PARSE;
	}
	id = &p->u.id;
	if (id->type == ISAKMP_ID_IPV4_ADDR && id->data.len == 4) {
		snprintf(s, sizeof(s), "%u.%u.%u.%u", id->data.ptr[0], id->data.ptr[1],
			 id->data.ptr[2], id->data.ptr[3]);
	} else if ((id->type == ISAKMP_ID_FQDN || id->type == ISAKMP_ID_USER_FQDN ||
		    id->type == ISAKMP_ID_KEY_ID) && id->data.len < sizeof(s) - 1 &&
		   !memchr(id->data.ptr, 0, id->data.len)) {
		memcpy(s, id->data.ptr, id->data.len);
		s[id->data.len] = '\0';
	} else {
		fg_warn("%s: peer identity of type %s not supported", ike_sa_name(sa),
			isakmp_id_type_name(id->type));
		return FG_ERR_UNSUPP;
	}
	if (strcmp(sa->conn->remote_id, "%any") != 0 && sa->conn->remote_id[0] &&
	    strcasecmp(sa->conn->remote_id, s) != 0 &&
	    !(sa->conn->remote_id[0] == '@' && strcasecmp(sa->conn->remote_id + 1, s) == 0)) {
		fg_warn("%s: peer identity '%s' is not '%s'", ike_sa_name(sa), s,
			sa->conn->remote_id);
		sa->fail_notify = ISAKMP_N_INVALID_ID_INFORMATION;
		return FG_ERR_AUTH;
	}
	if (p->body.len > sizeof(sa->peer_id_b))
		return FG_ERR_RANGE;
	memcpy(sa->peer_id_b, p->body.ptr, p->body.len);
	sa->peer_id_len = p->body.len;
	snprintf(sa->remote_id, sizeof(sa->remote_id), "%s", s);
	return 0;
}

static int auth_hash(struct ike_sa *sa, bool of_initiator, const uint8_t *id, size_t id_len,
		     uint8_t *out)
{
	if (of_initiator)
		return keys_hash_auth(&sa->keys, sa->gxi, sa->gxr, sa->gx_len, sa->icookie,
				      sa->rcookie, sa->sai_b, sa->sai_len, id, id_len, out);
	return keys_hash_auth(&sa->keys, sa->gxr, sa->gxi, sa->gx_len, sa->rcookie,
			      sa->icookie, sa->sai_b, sa->sai_len, id, id_len, out);
}

int phase1_build_hash(struct ike_sa *sa, struct isakmp_builder *b)
{
	uint8_t h[CRYPTO_MAX_HASH];
	int rc;

	rc = auth_hash(sa, sa->initiator, sa->my_id_b, sa->my_id_len, h);
	if (!rc && isakmp_build_data(b, ISAKMP_PT_HASH, h, sa->keys.prf_len) < 0)
		rc = b->err;
	return rc;
}

int phase1_verify_hash(struct ike_sa *sa, const struct isakmp_msg *m, const uint8_t *id,
		       size_t id_len)
{
	const struct isakmp_payload *p = isakmp_msg_get(m, ISAKMP_PT_HASH);
	uint8_t h[CRYPTO_MAX_HASH];
	int rc;

	if (!p) {
		fg_warn("%s: HASH payload missing", ike_sa_name(sa));
		return FG_ERR_PARSE;
	}
	rc = auth_hash(sa, !sa->initiator, id, id_len, h);
	if (rc)
		return rc;
	if (p->body.len != sa->keys.prf_len || !crypto_equal(h, p->body.ptr, p->body.len)) {
		fg_warn("%s: %s does not verify: wrong pre-shared key for %s?", ike_sa_name(sa),
			sa->initiator ? "HASH_R" : "HASH_I", sa->remote_id);
		sa->fail_notify = ISAKMP_N_AUTHENTICATION_FAILED;
		return FG_ERR_AUTH;
	}
	return 0;
}

int phase1_build_initial_contact(struct ike_sa *sa, struct isakmp_builder *b)
{
	uint8_t spi[16];
	struct isakmp_pl_notify n = {
		.doi = ISAKMP_DOI_IPSEC, .proto = ISAKMP_PROTO_ISAKMP,
		.type = ISAKMP_N_INITIAL_CONTACT, .spi = { spi, 16 },
	};

	if (ike_mgr_has_peer(sa->mgr, sa))
		return 0;
	memcpy(spi, sa->icookie, 8);
	memcpy(spi + 8, sa->rcookie, 8);
	return isakmp_build_notify(b, &n) < 0 ? b->err : 0;
}

int phase1_process_notify(struct ike_sa *sa, const struct isakmp_msg *m)
{
	const struct isakmp_payload *p;

	for (p = isakmp_msg_get(m, ISAKMP_PT_NOTIFY); p; p = isakmp_msg_next(m, p)) {
		if (p->u.notify.type == ISAKMP_N_INITIAL_CONTACT) {
			sa->initial_contact = true;
		} else if (p->u.notify.type <= ISAKMP_N_ERROR_MAX) {
			fg_warn("%s: peer reports %s", ike_sa_name(sa),
				isakmp_notify_name(p->u.notify.type));
			return FG_ERR_AUTH;
		}
	}
	return 0;
}
