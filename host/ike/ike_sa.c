#include "ike/ike_sa.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "ike/dpd.h"
#include "ike/ike_mgr.h"
#include "ike/lifetime.h"

const char *ike_addr_str(uint32_t a, char buf[16])
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
	return buf;
}

static void set_name(struct ike_sa *sa)
{
	char l[16], r[16];

	snprintf(sa->name, sizeof(sa->name), "#%u %s[%u]-%s[%u]", sa->id,
		 ike_addr_str(sa->local.addr, l), sa->local.port,
		 ike_addr_str(sa->remote.addr, r), sa->remote.port);
}

void ike_sa_rename(struct ike_sa *sa)
{
	set_name(sa);
}

const char *ike_sa_name(const struct ike_sa *sa)
{
	return sa->name;
}

struct ike_sa *ike_sa_create(struct ike_mgr *mgr, const struct fg_conn *conn,
			     bool initiator, const struct ike_endpoint *local,
			     const struct ike_endpoint *remote)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));

	if (!sa)
		return NULL;
	sa->mgr = mgr;
	sa->conn = conn;
	sa->id = ++mgr->next_id;
	sa->initiator = initiator;
	sa->attempt = 1;
	sa->created_at = mgr->now ? mgr->now : 1;
	sa->last_in = mgr->now;
	sa->local = *local;
	sa->remote = *remote;
	set_name(sa);
	if (crypto_random(initiator ? sa->icookie : sa->rcookie, ISAKMP_COOKIE_LEN)) {
		free(sa);
		return NULL;
	}
	return sa;
}

static void task_free(struct ike_task *t)
{
	free(t->out);
	free(t->in);
	crypto_wipe(&t->iv, sizeof(t->iv));
	t->destroy(t);
}

void ike_sa_destroy(struct ike_sa *sa)
{
	struct child_sa *c, *cn;
	struct ike_task *t, *tn;

	if (!sa)
		return;
	for (t = sa->tasks; t; t = tn) {
		tn = t->next;
		task_free(t);
	}
	for (c = sa->children; c; c = cn) {
		cn = c->next;
		crypto_wipe(c, sizeof(*c));
		free(c);
	}
	dh_free(sa->dh);
	free(sa->sai_b);
	keys_wipe(&sa->keys);
	crypto_wipe(sa, sizeof(*sa));
	free(sa);
}

uint32_t ike_sa_new_msgid(struct ike_sa *sa)
{
	uint32_t id = 0;
	struct ike_task *t;

	while (!id) {
		if (crypto_random(&id, sizeof(id)))
			return 0;
		for (t = sa->tasks; t; t = t->next)
			if (t->msgid == id)
				id = 0;
	}
	return id;
}

int ike_sa_build_init(struct ike_sa *sa, struct isakmp_builder *b, uint8_t exch,
		      uint32_t msgid, bool encrypt)
{
	struct isakmp_hdr h = { .exch = exch, .msgid = msgid };

	memcpy(h.icookie, sa->icookie, ISAKMP_COOKIE_LEN);
	memcpy(h.rcookie, sa->rcookie, ISAKMP_COOKIE_LEN);
	h.flags = encrypt ? ISAKMP_FLAG_ENC : 0;
	return isakmp_build_init(b, &h);
}

/* Pads and encrypts the builder's message into a new buffer. */
static int seal(struct ike_sa *sa, struct isakmp_builder *b, bool encrypt,
		struct keys_iv *iv, uint8_t **out, size_t *out_len)
{
	const uint8_t *msg;
	uint8_t *buf;
	size_t len;
	int rc;

	if (encrypt && isakmp_build_pad(b, sa->keys.block) < 0)
		return b->err ? b->err : FG_ERR_INVAL;
	rc = isakmp_build_finish(b, &msg, &len);
	if (rc)
		return rc;
	buf = malloc(len);
	if (!buf)
		return FG_ERR_NOMEM;
	memcpy(buf, msg, len);
	if (encrypt) {
		buf[19] |= ISAKMP_FLAG_ENC;
		rc = keys_crypt(&sa->keys, true, iv, buf + ISAKMP_HDR_LEN,
				len - ISAKMP_HDR_LEN);
		if (rc) {
			free(buf);
			return rc;
		}
	}
	*out = buf;
	*out_len = len;
	return 0;
}

/* Builds the task's next message, sends it, arms the retransmission. */
static int send_step(struct ike_sa *sa, struct ike_task *t)
{
	struct isakmp_builder b;
	uint8_t *out = NULL;
	size_t len = 0;
	int rc, res;

	rc = ike_sa_build_init(sa, &b, t->exch, t->msgid, false);
	if (rc)
		goto out;
	res = t->build(t, sa, &b);
	if (res < 0) {
		rc = res;
		goto out;
	}
	rc = seal(sa, &b, t->encrypt, t->msgid ? &t->iv : &sa->keys.p1iv, &out, &len);
	if (rc)
		goto out;
	free(t->out);
	t->out = out;
	t->out_len = len;
	ike_mgr_send(sa->mgr, sa, out, len);
	t->tries = 0;
	t->waiting = res == TASK_WAIT;
	t->retx_at = sa->mgr->now + IKE_RETX_BASE_MS;
	if (res == TASK_DONE) {
		t->done = true;
		t->expire_at = sa->mgr->now + IKE_DONE_KEEP_MS;
	}
out:
	isakmp_build_free(&b);
	return rc;
}

int ike_sa_start_task(struct ike_sa *sa, struct ike_task *t)
{
	struct ike_task **pp = &sa->tasks;
	int rc;

	while (*pp)
		pp = &(*pp)->next;
	*pp = t;
	if (!t->initiator)
		return 0;
	rc = send_step(sa, t);
	if (rc)
		fg_err("%s: %s: cannot build the first message: %s", sa->name, t->name,
		       fg_err_name(rc));
	return rc;
}

int ike_sa_send_info(struct ike_sa *sa, struct isakmp_builder *b, uint32_t msgid)
{
	struct keys_iv iv;
	uint8_t *out = NULL;
	size_t len = 0;
	int rc;

	rc = keys_iv_for(&sa->keys, msgid, &iv);
	if (!rc)
		rc = seal(sa, b, true, &iv, &out, &len);
	if (!rc)
		rc = ike_mgr_send(sa->mgr, sa, out, len);
	free(out);
	return rc;
}

static void run_pending(struct ike_sa *sa);

static void remove_task(struct ike_sa *sa, struct ike_task *t)
{
	struct ike_task **pp;

	for (pp = &sa->tasks; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			task_free(t);
			return;
		}
	}
}

static void fail_task(struct ike_sa *sa, struct ike_task *t, int rc)
{
	fg_warn("%s: %s (%s) failed: %s", sa->name, t->name,
		t->initiator ? "initiator" : "responder", fg_err_name(rc));
	/* a responder answers a refused request (RFC 2408 5) */
	if (!t->initiator && sa->fail_notify)
		info_send_notify(sa, sa->fail_notify);
	sa->fail_notify = 0;
	if (t->msgid == 0) {
		sa->retry = sa->initiator && rc == FG_ERR_TIMEOUT && !sa->refused;
		ike_sa_delete(sa, "phase 1 failed");
	} else {
		remove_task(sa, t);
	}
}

struct ike_task *ike_sa_find_task(struct ike_sa *sa, uint32_t msgid)
{
	struct ike_task *t;

	for (t = sa->tasks; t; t = t->next)
		if (t->msgid == msgid)
			return t;
	return NULL;
}

static bool is_duplicate(const struct ike_task *t, const uint8_t *buf, size_t len)
{
	return t && t->in && t->in_len == len && memcmp(t->in, buf, len) == 0;
}

static void float_ports(struct ike_sa *sa, const struct ike_endpoint *from, uint16_t lport)
{
	if (sa->local.port == lport && sa->remote.port == from->port &&
	    sa->remote.addr == from->addr)
		return;
	sa->local.port = lport;
	sa->remote = *from;
	set_name(sa);
	fg_info("%s: peer now at this address and port", sa->name);
}

void ike_sa_input(struct ike_sa *sa, const uint8_t *buf, size_t len,
		  const struct ike_endpoint *from, uint16_t lport)
{
	static const struct isakmp_allow quick_allow = {
		.allowed = ISAKMP_PT_BIT(ISAKMP_PT_HASH) | ISAKMP_PT_BIT(ISAKMP_PT_SA) |
			   ISAKMP_PT_BIT(ISAKMP_PT_NONCE) | ISAKMP_PT_BIT(ISAKMP_PT_KE) |
			   ISAKMP_PT_BIT(ISAKMP_PT_ID) | ISAKMP_PT_BIT(ISAKMP_PT_NOTIFY) |
			   ISAKMP_PT_BIT(ISAKMP_PT_NAT_OA),
		.repeat = ISAKMP_PT_BIT(ISAKMP_PT_ID) | ISAKMP_PT_BIT(ISAKMP_PT_NOTIFY) |
			  ISAKMP_PT_BIT(ISAKMP_PT_NAT_OA),
	};
	struct isakmp_msg *msg = NULL;
	struct isakmp_error err = { 0 };
	const struct isakmp_allow *allow;
	struct ike_task *t;
	struct keys_iv iv;
	uint8_t *plain = NULL;
	int rc;

	if (sa->state == IKE_SA_DELETED)
		return;
	msg = calloc(1, sizeof(*msg));
	if (!msg)
		return;
	rc = isakmp_hdr_parse(buf, len, &msg->hdr, &err);
	if (rc)
		goto out;
	t = ike_sa_find_task(sa, msg->hdr.msgid);
	if (is_duplicate(t, buf, len)) {
		if (t->out) {
			fg_debug("%s: %s: duplicate message, sending our last one again",
				 sa->name, t->name);
			ike_mgr_send(sa->mgr, sa, t->out, t->out_len);
		}
		goto out;
	}
	if (t && t->done && t->msgid == 0 && sa->state == IKE_SA_ESTABLISHED &&
	    msg->hdr.exch != ISAKMP_EXCH_INFO) {
		fg_debug("%s: late phase 1 message ignored", sa->name);
		goto out;
	}
	if (t)
		allow = &t->expect;
	else if (msg->hdr.exch == ISAKMP_EXCH_QUICK)
		allow = &quick_allow;
	else
		allow = &info_allow;
	if (msg->hdr.flags & ISAKMP_FLAG_ENC) {
		size_t blen = len - ISAKMP_HDR_LEN;

		if (!sa->have_keys) {
			fg_warn("%s: encrypted message before keys exist: dropped", sa->name);
			goto out;
		}
		if (msg->hdr.msgid == 0)
			iv = sa->keys.p1iv;
		else if (t)
			iv = t->iv;
		else if (keys_iv_for(&sa->keys, msg->hdr.msgid, &iv))
			goto out;
		plain = malloc(blen);
		if (!plain)
			goto out;
		memcpy(plain, buf + ISAKMP_HDR_LEN, blen);
		rc = keys_crypt(&sa->keys, false, &iv, plain, blen);
		if (rc) {
			fg_warn("%s: cannot decrypt %s message (%zu bytes): %s", sa->name,
				isakmp_exchange_name(msg->hdr.exch), blen, fg_err_name(rc));
			goto out;
		}
		msg->encrypted = 1;
		rc = isakmp_payloads_parse(plain, blen, msg->hdr.next, allow, sa->keys.block,
					   msg, &err);
	} else {
		if (sa->have_keys && msg->hdr.exch != ISAKMP_EXCH_IDPROT &&
		    msg->hdr.exch != ISAKMP_EXCH_AGGRESSIVE) {
			fg_warn("%s: unencrypted %s message dropped", sa->name,
				isakmp_exchange_name(msg->hdr.exch));
			goto out;
		}
		rc = isakmp_msg_parse(buf, len, allow, msg, &err);
	}
	if (rc)
		goto out;
	if (!t) {
		if (msg->hdr.exch == ISAKMP_EXCH_INFO) {
			if (!msg->encrypted && sa->have_keys)
				goto out;
			if (info_process(sa, msg) && lport == IKE_NATT_PORT &&
			    sa->state != IKE_SA_DELETED)
				float_ports(sa, from, lport);
			goto out;
		}
		if (msg->hdr.exch != ISAKMP_EXCH_QUICK || sa->state != IKE_SA_ESTABLISHED) {
			fg_warn("%s: unexpected %s exchange (message ID %08x) dropped", sa->name,
				isakmp_exchange_name(msg->hdr.exch), msg->hdr.msgid);
			goto out;
		}
		t = quick_mode_create(false, msg->hdr.msgid, NULL);
		if (!t)
			goto out;
		if (keys_iv_for(&sa->keys, msg->hdr.msgid, &t->iv)) {
			task_free(t);
			goto out;
		}
		ike_sa_start_task(sa, t);
	}
	if (msg->hdr.exch != t->exch) {
		fg_warn("%s: %s message on the message ID of %s dropped", sa->name,
			isakmp_exchange_name(msg->hdr.exch), t->name);
		goto out;
	}
	if (t->done && !t->waiting) {
		fg_debug("%s: %s already finished: message dropped", sa->name, t->name);
		goto out;
	}
	rc = t->process(t, sa, msg);
	if (rc < 0) {
		fail_task(sa, t, rc);
		goto out;
	}
	if (msg->encrypted) {
		if (msg->hdr.msgid == 0)
			sa->keys.p1iv = iv;
		else
			t->iv = iv;
	}
	free(t->in);
	t->in = malloc(len);
	if (t->in) {
		memcpy(t->in, buf, len);
		t->in_len = len;
	}
	t->waiting = false;
	sa->last_in = sa->mgr->now;
	/* a verified message on 4500: the peer floated (RFC 3947 4); we never
	 * float back to 500 */
	if (lport == IKE_NATT_PORT)
		float_ports(sa, from, lport);
	if (rc == TASK_REPLY) {
		rc = send_step(sa, t);
		if (rc)
			fail_task(sa, t, rc);
	} else if (rc == TASK_DONE) {
		t->done = true;
		t->expire_at = sa->mgr->now + IKE_DONE_KEEP_MS;
	}
	run_pending(sa);
out:
	if (rc && err.reason[0])
		fg_warn("%s: %s message dropped: %s", sa->name,
			isakmp_exchange_name(msg->hdr.exch), err.reason);
	if (plain) {
		crypto_wipe(plain, len - ISAKMP_HDR_LEN);
		free(plain);
	}
	free(msg);
}

void ike_sa_tick(struct ike_sa *sa, uint64_t now)
{
	struct ike_task *t, *tn;

	for (t = sa->tasks; t && sa->state != IKE_SA_DELETED; t = tn) {
		tn = t->next;
		if (t->waiting && now >= t->retx_at) {
			if (t->tries >= IKE_RETX_TRIES) {
				fg_warn("%s: %s: no answer after %u retransmissions", sa->name,
					t->name, t->tries);
				fail_task(sa, t, FG_ERR_TIMEOUT);
				continue;
			}
			t->tries++;
			fg_info("%s: %s: retransmit %u of %u", sa->name, t->name, t->tries,
				IKE_RETX_TRIES);
			ike_mgr_send(sa->mgr, sa, t->out, t->out_len);
			t->retx_at = now + ((uint64_t)IKE_RETX_BASE_MS << t->tries);
		} else if (t->done && !t->waiting && now >= t->expire_at) {
			remove_task(sa, t);
		}
	}
}

void ike_sa_established(struct ike_sa *sa)
{
	char e[PROPOSAL_STR_MAX];
	struct proposal p = { .proto = PROPOSAL_IKE, .n_encr = 1, .n_integ = 1, .n_dh = 1 };
	char ic[17], rc[17];
	unsigned i;

	p.encr[0] = sa->xf.encr;
	p.integ[0] = sa->xf.integ;
	p.dh[0] = sa->xf.dh;
	proposal_format(&p, e, sizeof(e));
	for (i = 0; i < 8; i++) {
		snprintf(ic + 2 * i, 3, "%02x", sa->icookie[i]);
		snprintf(rc + 2 * i, 3, "%02x", sa->rcookie[i]);
	}
	sa->state = IKE_SA_ESTABLISHED;
	fg_info("%s: IKE_SA %s established: %s, cookies %s_i %s_r, %s, peer %s, "
		"lifetime %llus%s", sa->name, sa->conn->name,
		sa->aggressive ? "Aggressive Mode" : "Main Mode", ic, rc, e, sa->remote_id,
		(unsigned long long)sa->life_time, sa->nat ? ", NAT-T" : "");
	dh_free(sa->dh);
	sa->dh = NULL;
	lifetime_ike_start(sa);
	dpd_start(sa);
	if (sa->initial_contact)
		ike_mgr_initial_contact(sa->mgr, sa);
	else
		lifetime_ike_adopt(sa);
}

/* Children wait until the message that completes phase 1 has left. */
static void run_pending(struct ike_sa *sa)
{
	unsigned i, n = sa->n_pending;

	if (sa->state != IKE_SA_ESTABLISHED || !n)
		return;
	sa->n_pending = 0;
	for (i = 0; i < n; i++)
		ike_sa_start_child(sa, sa->pending[i], NULL);
}

int ike_sa_start_child(struct ike_sa *sa, const struct fg_child *child, uint32_t *msgid_out)
{
	struct ike_task *t;
	uint32_t msgid = ike_sa_new_msgid(sa);
	int rc;

	if (!msgid)
		return FG_ERR_CRYPTO;
	t = quick_mode_create(true, msgid, child);
	if (!t)
		return FG_ERR_NOMEM;
	rc = keys_iv_for(&sa->keys, msgid, &t->iv);
	if (rc) {
		task_free(t);
		return rc;
	}
	if (msgid_out)
		*msgid_out = msgid;
	return ike_sa_start_task(sa, t);
}

void ike_sa_remove_child(struct ike_sa *sa, struct child_sa *c, bool send_delete,
			 const char *why)
{
	struct child_sa **pp;

	for (pp = &sa->children; *pp && *pp != c; pp = &(*pp)->next)
		;
	if (!*pp)
		return;
	*pp = c->next;
	if (send_delete && sa->have_keys && sa->state == IKE_SA_ESTABLISHED)
		info_send_delete_child(sa, c);
	child_sa_uninstall(sa, c, why);
	crypto_wipe(c, sizeof(*c));
	free(c);
}

void ike_sa_close(struct ike_sa *sa, const char *why)
{
	if (sa->state == IKE_SA_DELETED)
		return;
	while (sa->children)
		ike_sa_remove_child(sa, sa->children, true, why);
	if (sa->have_keys && sa->state == IKE_SA_ESTABLISHED)
		info_send_delete_ike(sa);
	ike_sa_delete(sa, why);
}

void ike_sa_delete(struct ike_sa *sa, const char *why)
{
	struct child_sa *c;

	if (sa->state == IKE_SA_DELETED)
		return;
	for (c = sa->children; c; c = c->next)
		child_sa_uninstall(sa, c, why);
	fg_info("%s: IKE_SA %s deleted: %s", sa->name, sa->conn ? sa->conn->name : "?", why);
	sa->state = IKE_SA_DELETED;
}
