#include "ike/ike_mgr.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "crypto/crypto.h"

static const uint8_t zero_cookie[ISAKMP_COOKIE_LEN];

void ike_mgr_init(struct ike_mgr *m, const struct fg_config *cfg, ike_send_fn send, void *ctx)
{
	memset(m, 0, sizeof(*m));
	m->cfg = cfg;
	m->send = send;
	m->send_ctx = ctx;
}

void ike_mgr_free(struct ike_mgr *m)
{
	struct ike_sa *sa, *n;

	for (sa = m->sas; sa; sa = n) {
		n = sa->next;
		ike_sa_destroy(sa);
	}
	m->sas = NULL;
}

int ike_mgr_send(struct ike_mgr *m, const struct ike_sa *sa, const uint8_t *buf, size_t len)
{
	int rc = m->send(m->send_ctx, &sa->local, &sa->remote, buf, len);

	if (rc)
		fg_warn("%s: send failed: %s", ike_sa_name(sa), fg_err_name(rc));
	return rc;
}

static bool addrs_has(const struct fg_addrs *a, uint32_t addr)
{
	unsigned i;

	if (a->any)
		return true;
	for (i = 0; i < a->n; i++)
		if (addr >= a->r[i].first && addr <= a->r[i].last)
			return true;
	return false;
}

static void link_sa(struct ike_mgr *m, struct ike_sa *sa)
{
	sa->next = m->sas;
	m->sas = sa;
}

int ike_mgr_initiate(struct ike_mgr *m, const struct fg_conn *conn, const struct fg_child *child)
{
	struct ike_endpoint l, r;
	struct ike_task *t;
	struct ike_sa *sa;
	unsigned i;

	if (conn->local_addrs.any || !conn->local_addrs.n || conn->remote_addrs.any ||
	    !conn->remote_addrs.n) {
		fg_err("connection %s: initiating needs one local and one remote address",
		       conn->name);
		return FG_ERR_INVAL;
	}
	l = (struct ike_endpoint){ conn->local_addrs.r[0].first, conn->local_port };
	r = (struct ike_endpoint){ conn->remote_addrs.r[0].first, conn->remote_port };
	sa = ike_sa_create(m, conn, true, &l, &r);
	if (!sa)
		return FG_ERR_NOMEM;
	sa->aggressive = conn->aggressive;
	if (child) {
		sa->pending[sa->n_pending++] = child;
	} else {
		for (i = 0; i < conn->n_children && i < CONFIG_CHILDREN_MAX; i++)
			sa->pending[sa->n_pending++] = &conn->children[i];
	}
	t = sa->aggressive ? aggressive_mode_create(true) : main_mode_create(true);
	if (!t) {
		ike_sa_destroy(sa);
		return FG_ERR_NOMEM;
	}
	link_sa(m, sa);
	fg_info("%s: initiating %s for connection %s", ike_sa_name(sa),
		sa->aggressive ? "Aggressive Mode" : "Main Mode", conn->name);
	return ike_sa_start_task(sa, t);
}

void ike_mgr_start_all(struct ike_mgr *m)
{
	unsigned i, j;

	for (i = 0; i < m->cfg->n_conns; i++) {
		const struct fg_conn *c = &m->cfg->conns[i];
		bool start = false;

		for (j = 0; j < c->n_children; j++)
			if (c->children[j].start_action == FG_ACTION_START)
				start = true;
		if (!start)
			continue;
		ike_mgr_initiate(m, c, NULL);
	}
}

static struct ike_sa *find_sa(struct ike_mgr *m, const struct isakmp_hdr *h)
{
	bool rzero = memcmp(h->rcookie, zero_cookie, ISAKMP_COOKIE_LEN) == 0;
	struct ike_sa *sa;

	for (sa = m->sas; sa; sa = sa->next) {
		if (sa->state == IKE_SA_DELETED ||
		    memcmp(sa->icookie, h->icookie, ISAKMP_COOKIE_LEN) != 0)
			continue;
		if (rzero || memcmp(sa->rcookie, h->rcookie, ISAKMP_COOKIE_LEN) == 0)
			return sa;
		if (sa->initiator && memcmp(sa->rcookie, zero_cookie, ISAKMP_COOKIE_LEN) == 0)
			return sa;
	}
	return NULL;
}

static const struct fg_conn *find_conn(struct ike_mgr *m, const struct ike_endpoint *local,
				       const struct ike_endpoint *remote, bool aggressive)
{
	unsigned i;

	for (i = 0; i < m->cfg->n_conns; i++) {
		const struct fg_conn *c = &m->cfg->conns[i];

		if (c->aggressive == aggressive && addrs_has(&c->local_addrs, local->addr) &&
		    addrs_has(&c->remote_addrs, remote->addr))
			return c;
	}
	return NULL;
}

static struct ike_sa *new_responder(struct ike_mgr *m, const struct isakmp_hdr *h,
				    const struct ike_endpoint *from,
				    const struct ike_endpoint *to)
{
	bool aggr = h->exch == ISAKMP_EXCH_AGGRESSIVE;
	const struct fg_conn *conn;
	struct ike_task *t;
	struct ike_sa *sa;
	char a[16];

	if ((h->exch != ISAKMP_EXCH_IDPROT && !aggr) || h->msgid != 0 ||
	    h->next != ISAKMP_PT_SA) {
		fg_info("%s exchange from %s with unknown cookies dropped",
			isakmp_exchange_name(h->exch), ike_addr_str(from->addr, a));
		return NULL;
	}
	{
		unsigned half = 0;

		for (sa = m->sas; sa; sa = sa->next)
			half += !sa->initiator && sa->state == IKE_SA_CONNECTING;
		if (half >= IKE_HALF_OPEN_MAX) {
			fg_warn("%u half-open SAs: %s request from %s dropped", half,
				isakmp_exchange_name(h->exch), ike_addr_str(from->addr, a));
			return NULL;
		}
	}
	conn = find_conn(m, to, from, aggr);
	if (!conn) {
		fg_warn("no %s connection for peer %s: request dropped",
			aggr ? "Aggressive Mode" : "Main Mode", ike_addr_str(from->addr, a));
		return NULL;
	}
	sa = ike_sa_create(m, conn, false, to, from);
	if (!sa)
		return NULL;
	sa->aggressive = aggr;
	memcpy(sa->icookie, h->icookie, ISAKMP_COOKIE_LEN);
	t = aggr ? aggressive_mode_create(false) : main_mode_create(false);
	if (!t) {
		ike_sa_destroy(sa);
		return NULL;
	}
	link_sa(m, sa);
	ike_sa_start_task(sa, t);
	fg_info("%s: %s request for connection %s", ike_sa_name(sa),
		aggr ? "Aggressive Mode" : "Main Mode", conn->name);
	return sa;
}

void ike_mgr_input(struct ike_mgr *m, const uint8_t *buf, size_t len,
		   const struct ike_endpoint *from, const struct ike_endpoint *to, uint64_t now)
{
	struct isakmp_error err = { 0 };
	struct isakmp_hdr h;
	struct ike_sa *sa;
	char a[16];

	m->now = now;
	if (isakmp_hdr_parse(buf, len, &h, &err)) {
		fg_info("message from %s[%u] dropped: %s", ike_addr_str(from->addr, a), from->port,
			err.reason);
		return;
	}
	sa = find_sa(m, &h);
	if (!sa && memcmp(h.rcookie, zero_cookie, ISAKMP_COOKIE_LEN) == 0)
		sa = new_responder(m, &h, from, to);
	if (!sa) {
		fg_debug("%s message from %s for unknown cookies dropped",
			 isakmp_exchange_name(h.exch), ike_addr_str(from->addr, a));
		return;
	}
	ike_sa_input(sa, buf, len, from, to->port);
}

void ike_mgr_tick(struct ike_mgr *m, uint64_t now)
{
	struct ike_sa **pp, *sa;

	m->now = now;
	for (sa = m->sas; sa; sa = sa->next)
		ike_sa_tick(sa, now);
	for (pp = &m->sas; (sa = *pp);) {
		if (sa->state == IKE_SA_DELETED) {
			*pp = sa->next;
			ike_sa_destroy(sa);
		} else {
			pp = &sa->next;
		}
	}
}

void ike_mgr_delete_all(struct ike_mgr *m)
{
	struct ike_sa *sa;
	struct child_sa *c;

	for (sa = m->sas; sa; sa = sa->next) {
		if (sa->state != IKE_SA_ESTABLISHED)
			continue;
		for (c = sa->children; c; c = c->next)
			info_send_delete_child(sa, c);
		info_send_delete_ike(sa);
		ike_sa_delete(sa, "deleted locally");
	}
}

void ike_mgr_delete_children(struct ike_mgr *m)
{
	struct ike_sa *sa;
	struct child_sa *c;

	for (sa = m->sas; sa; sa = sa->next) {
		if (sa->state != IKE_SA_ESTABLISHED)
			continue;
		while ((c = sa->children)) {
			info_send_delete_child(sa, c);
			sa->children = c->next;
			child_sa_uninstall(sa, c, "deleted locally");
			crypto_wipe(c, sizeof(*c));
			free(c);
		}
	}
}

void ike_mgr_initial_contact(struct ike_mgr *m, struct ike_sa *sa)
{
	struct ike_sa *o;

	for (o = m->sas; o; o = o->next)
		if (o != sa && o->state != IKE_SA_DELETED && o->remote.addr == sa->remote.addr)
			ike_sa_delete(o, "INITIAL-CONTACT from the peer");
}

bool ike_mgr_has_peer(const struct ike_mgr *m, const struct ike_sa *sa)
{
	const struct ike_sa *o;

	for (o = m->sas; o; o = o->next)
		if (o != sa && o->state == IKE_SA_ESTABLISHED && o->remote.addr == sa->remote.addr)
			return true;
	return false;
}
