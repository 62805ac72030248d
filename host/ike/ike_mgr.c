#include "ike/ike_mgr.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "crypto/crypto.h"
#include "ike/dpd.h"
#include "ike/lifetime.h"
#include "ike/natt.h"

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

static int initiate(struct ike_mgr *m, const struct fg_conn *conn, uint64_t children,
		    const struct ike_endpoint *l, const struct ike_endpoint *r, bool aggressive,
		    unsigned attempt)
{
	struct ike_task *t;
	struct ike_sa *sa;
	unsigned i;

	sa = ike_sa_create(m, conn, true, l, r);
	if (!sa)
		return FG_ERR_NOMEM;
	sa->aggressive = aggressive;
	sa->attempt = attempt;
	for (i = 0; i < conn->n_children && i < CONFIG_CHILDREN_MAX; i++)
		if (children >> i & 1)
			sa->pending[sa->n_pending++] = &conn->children[i];
	t = sa->aggressive ? aggressive_mode_create(true) : main_mode_create(true);
	if (!t) {
		ike_sa_destroy(sa);
		return FG_ERR_NOMEM;
	}
	link_sa(m, sa);
	fg_info("%s: initiating %s for connection %s%s", ike_sa_name(sa),
		sa->aggressive ? "Aggressive Mode" : "Main Mode", conn->name,
		attempt > 1 ? " (another keying try)" : "");
	return ike_sa_start_task(sa, t);
}

int ike_mgr_initiate_at(struct ike_mgr *m, const struct fg_conn *conn, uint64_t children,
			const struct ike_endpoint *l, const struct ike_endpoint *r,
			bool aggressive)
{
	return initiate(m, conn, children, l, r, aggressive, 1);
}

static int child_index(const struct fg_conn *conn, const struct fg_child *child)
{
	ptrdiff_t i = child - conn->children;

	return i >= 0 && i < (ptrdiff_t)conn->n_children && i < CONFIG_CHILDREN_MAX ? (int)i : -1;
}

static uint64_t all_children(const struct fg_conn *conn)
{
	return conn->n_children >= 64 ? UINT64_MAX : (UINT64_C(1) << conn->n_children) - 1;
}

int ike_mgr_initiate(struct ike_mgr *m, const struct fg_conn *conn, const struct fg_child *child)
{
	struct ike_endpoint l, r;
	uint64_t mask = all_children(conn);

	if (conn->local_addrs.any || !conn->local_addrs.n || conn->remote_addrs.any ||
	    !conn->remote_addrs.n) {
		fg_err("connection %s: initiating needs one local and one remote address",
		       conn->name);
		return FG_ERR_INVAL;
	}
	if (child) {
		int i = child_index(conn, child);

		if (i < 0)
			return FG_ERR_INVAL;
		mask = UINT64_C(1) << i;
	}
	l = (struct ike_endpoint){ conn->local_addrs.r[0].first, conn->local_port };
	r = (struct ike_endpoint){ conn->remote_addrs.r[0].first, conn->remote_port };
	return initiate(m, conn, mask, &l, &r, conn->aggressive, 1);
}

void ike_mgr_start_all(struct ike_mgr *m)
{
	unsigned i, j;

	for (i = 0; i < m->cfg->n_conns; i++) {
		const struct fg_conn *c = &m->cfg->conns[i];
		bool start = false;

		for (j = 0; j < c->n_children; j++) {
			if (c->children[j].start_action == FG_ACTION_START)
				start = true;
			else if (c->children[j].start_action == FG_ACTION_TRAP)
				ike_mgr_trap(m, c, &c->children[j]);
		}
		if (!start)
			continue;
		ike_mgr_initiate(m, c, NULL);
	}
}

void ike_mgr_set_keepalive(struct ike_mgr *m, ike_keepalive_fn fn)
{
	m->keepalive = fn;
}

/* --- later initiations: keyingtries and restarts */

static void schedule(struct ike_mgr *m, const struct fg_conn *conn, uint64_t children,
		     const struct ike_endpoint *l, const struct ike_endpoint *r, bool aggressive,
		     unsigned attempt, uint64_t at)
{
	struct ike_sched *s;
	unsigned i;

	for (i = 0; i < m->n_sched; i++) {
		s = &m->sched[i];
		if (s->conn == conn && s->remote.addr == r->addr) {
			s->children |= children;   /* one initiation per peer */
			return;
		}
	}
	if (m->n_sched >= IKE_SCHED_MAX) {
		fg_warn("connection %s: too many initiations waiting: not retried", conn->name);
		return;
	}
	m->sched[m->n_sched++] = (struct ike_sched){ conn, children, *l, *r, aggressive,
						     attempt, at };
}

static uint64_t pending_mask(const struct ike_sa *sa)
{
	uint64_t mask = 0;
	unsigned i;

	for (i = 0; i < sa->n_pending; i++) {
		int k = child_index(sa->conn, sa->pending[i]);

		if (k >= 0)
			mask |= UINT64_C(1) << k;
	}
	return mask;
}

/* An initiator SA timed out in phase 1: keyingtries (0: forever). */
static void keying_retry(struct ike_mgr *m, const struct ike_sa *sa)
{
	unsigned tries = sa->conn->keyingtries;
	uint64_t delay;
	struct ike_endpoint l = { sa->local.addr, sa->conn->local_port };
	struct ike_endpoint r = { sa->remote.addr, sa->conn->remote_port };

	if (tries && sa->attempt >= tries) {
		fg_info("%s: connection %s: giving up after %u keying tries", ike_sa_name(sa),
			sa->conn->name, sa->attempt);
		return;
	}
	delay = sa->attempt >= 7 ? IKE_RETRY_MAX_MS
				 : (uint64_t)IKE_RETRY_BASE_MS << (sa->attempt - 1);
	if (delay > IKE_RETRY_MAX_MS)
		delay = IKE_RETRY_MAX_MS;
	fg_info("%s: connection %s: keying try %u of %u in %llu ms", ike_sa_name(sa),
		sa->conn->name, sa->attempt + 1, tries, (unsigned long long)delay);
	schedule(m, sa->conn, pending_mask(sa), &l, &r, sa->aggressive, sa->attempt + 1,
		 m->now + delay);
}

static void run_sched(struct ike_mgr *m)
{
	unsigned i = 0;

	while (i < m->n_sched) {
		struct ike_sched s = m->sched[i];

		if (m->now < s.at) {
			i++;
			continue;
		}
		m->sched[i] = m->sched[--m->n_sched];
		initiate(m, s.conn, s.children, &s.local, &s.remote, s.aggressive, s.attempt);
	}
}

/* --- traps and actions */

void ike_mgr_trap(struct ike_mgr *m, const struct fg_conn *conn, const struct fg_child *child)
{
	unsigned i;

	for (i = 0; i < m->n_traps; i++)
		if (m->traps[i].child == child)
			return;
	if (m->n_traps >= IKE_TRAPS_MAX) {
		fg_warn("connection %s: too many traps: %s not trapped", conn->name, child->name);
		return;
	}
	m->traps[m->n_traps++] = (struct ike_trap){ conn, child };
	fg_info("connection %s: CHILD_SA %s waits for traffic (trap)", conn->name, child->name);
}

static bool ts_has(const struct fg_ts *ts, uint32_t addr)
{
	return ts->dynamic || (addr >= ts->addr.first && addr <= ts->addr.last);
}

/* Is an SA for conn with this child up or on its way? */
static bool busy(const struct ike_mgr *m, const struct fg_conn *conn, const struct fg_child *ch)
{
	const struct ike_sa *sa;
	const struct child_sa *c;
	unsigned i;

	for (sa = m->sas; sa; sa = sa->next) {
		if (sa->conn != conn || sa->state == IKE_SA_DELETED)
			continue;
		if (sa->state == IKE_SA_CONNECTING)
			return true;
		for (i = 0; i < sa->n_pending; i++)
			if (sa->pending[i] == ch)
				return true;
		for (c = sa->children; c; c = c->next)
			if (c->cfg == ch)
				return true;
	}
	return false;
}

int ike_mgr_acquire(struct ike_mgr *m, uint32_t src, uint32_t dst)
{
	unsigned i;

	for (i = 0; i < m->n_traps; i++) {
		const struct ike_trap *t = &m->traps[i];
		struct ike_sa *sa;

		if (!ts_has(&t->child->local_ts[0], src) || !ts_has(&t->child->remote_ts[0], dst))
			continue;
		if (busy(m, t->conn, t->child))
			return 0;
		for (sa = m->sas; sa; sa = sa->next)
			if (sa->conn == t->conn && sa->state == IKE_SA_ESTABLISHED && !sa->replaced)
				return ike_sa_start_child(sa, t->child, NULL);
		fg_info("connection %s: traffic for CHILD_SA %s: initiating", t->conn->name,
			t->child->name);
		return ike_mgr_initiate(m, t->conn, t->child);
	}
	return FG_ERR_NOTFOUND;
}

void ike_mgr_child_action(struct ike_mgr *m, struct ike_sa *sa, const struct fg_child *cfg,
			  enum fg_action action)
{
	struct ike_endpoint l = { sa->local.addr, sa->conn->local_port };
	struct ike_endpoint r = { sa->remote.addr, sa->conn->remote_port };
	int k = child_index(sa->conn, cfg);

	if (action == FG_ACTION_TRAP) {
		ike_mgr_trap(m, sa->conn, cfg);
	} else if (action == FG_ACTION_START && k >= 0) {
		if (sa->state == IKE_SA_ESTABLISHED && !sa->replaced) {
			/* at the next tick: a DELETE of the ISAKMP SA may follow */
			fg_info("%s: CHILD_SA %s: starting it again", ike_sa_name(sa), cfg->name);
			sa->restart_mask |= UINT64_C(1) << k;
		} else {
			fg_info("%s: CHILD_SA %s: restarting under a new ISAKMP SA",
				ike_sa_name(sa), cfg->name);
			schedule(m, sa->conn, UINT64_C(1) << k, &l, &r, sa->aggressive, 1, m->now);
		}
	}
}

int ike_mgr_child_bytes(struct ike_mgr *m, uint32_t spi_in, uint64_t bytes_in,
			uint64_t bytes_out, uint64_t packets_in, uint64_t packets_out)
{
	struct ike_sa *sa;
	struct child_sa *c;

	for (sa = m->sas; sa; sa = sa->next) {
		if (sa->state == IKE_SA_DELETED)
			continue;
		for (c = sa->children; c; c = c->next) {
			if (c->spi_in == spi_in) {
				lifetime_child_bytes(sa, c, bytes_in, bytes_out, packets_in,
						     packets_out);
				return 0;
			}
		}
	}
	return FG_ERR_NOTFOUND;
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
	for (sa = m->sas; sa; sa = sa->next) {
		ike_sa_tick(sa, now);
		lifetime_tick(sa, now);
		dpd_tick(sa, now);
		natt_tick(sa, now);
	}
	for (pp = &m->sas; (sa = *pp);) {
		if (sa->state == IKE_SA_DELETED) {
			*pp = sa->next;
			if (sa->retry)
				keying_retry(m, sa);
			if (sa->restart_mask) {
				struct ike_endpoint l = { sa->local.addr, sa->conn->local_port };
				struct ike_endpoint r = { sa->remote.addr, sa->conn->remote_port };

				schedule(m, sa->conn, sa->restart_mask, &l, &r, sa->aggressive, 1,
					 now);
			}
			ike_sa_destroy(sa);
		} else {
			pp = &sa->next;
		}
	}
	run_sched(m);
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
		while ((c = sa->children))
			ike_sa_remove_child(sa, c, true, "deleted locally");
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

/* --- the control socket (fgatectl) */

/* Quick Mode on sa for every child config of its connection that has no
 * SA there yet; how many were started. */
static int start_missing(struct ike_sa *sa)
{
	const struct child_sa *c;
	unsigned j;
	int n = 0;

	for (j = 0; j < sa->conn->n_children; j++) {
		const struct fg_child *ch = &sa->conn->children[j];

		for (c = sa->children; c && c->cfg != ch; c = c->next)
			;
		if (!c && ike_sa_start_child(sa, ch, NULL) == 0)
			n++;
	}
	return n;
}

int ike_mgr_start_child(struct ike_mgr *m, const struct fg_conn *conn,
			const struct fg_child *child)
{
	struct ike_sa *sa;

	if (child && child_index(conn, child) < 0)
		return FG_ERR_INVAL;
	for (sa = m->sas; sa; sa = sa->next) {
		if (sa->conn != conn || sa->state != IKE_SA_ESTABLISHED || sa->replaced)
			continue;
		if (child)
			return ike_sa_start_child(sa, child, NULL);
		return start_missing(sa) ? 0 : FG_ERR_EXISTS;
	}
	return ike_mgr_initiate(m, conn, child);
}

int ike_mgr_terminate_ike(struct ike_mgr *m, const char *name, const char *why)
{
	struct ike_sa *sa;
	int n = 0;

	for (sa = m->sas; sa; sa = sa->next) {
		if (sa->state == IKE_SA_DELETED || strcmp(sa->conn->name, name) != 0)
			continue;
		ike_sa_close(sa, why);
		sa->retry = false;              /* terminated: no keying try, */
		sa->restart_mask = 0;           /* no restart */
		n++;
	}
	return n ? n : FG_ERR_NOTFOUND;
}

int ike_mgr_terminate_child(struct ike_mgr *m, const char *name, const char *why)
{
	struct ike_sa *sa;
	struct child_sa *c, *next;
	int n = 0;

	for (sa = m->sas; sa; sa = sa->next) {
		if (sa->state == IKE_SA_DELETED)
			continue;
		for (c = sa->children; c; c = next) {
			next = c->next;
			if (strcmp(c->cfg->name, name) != 0)
				continue;
			ike_sa_remove_child(sa, c, true, why);
			n++;
		}
	}
	return n ? n : FG_ERR_NOTFOUND;
}

const struct ike_sa *ike_mgr_sa_next(const struct ike_mgr *m, const struct ike_sa *prev)
{
	const struct ike_sa *sa = prev ? prev->next : m->sas;

	while (sa && sa->state == IKE_SA_DELETED)
		sa = sa->next;
	return sa;
}

unsigned ike_mgr_set_config(struct ike_mgr *m, const struct fg_config *cfg)
{
	struct ike_trap old[IKE_TRAPS_MAX];
	unsigned i, j, n_old = m->n_traps, closed = 0;
	struct ike_sa *sa;

	for (sa = m->sas; sa; sa = sa->next) {
		if (sa->state == IKE_SA_DELETED || config_find_conn(cfg, sa->conn->name))
			continue;
		ike_sa_close(sa, "its connection was removed by a reload");
		sa->retry = false;
		sa->restart_mask = 0;
		closed++;
	}
	for (i = 0; i < m->n_sched;) {
		if (config_find_conn(cfg, m->sched[i].conn->name)) {
			i++;
			continue;
		}
		fg_info("connection %s: removed by a reload: waiting initiation dropped",
			m->sched[i].conn->name);
		m->sched[i] = m->sched[--m->n_sched];
	}
	memcpy(old, m->traps, sizeof(old[0]) * n_old);
	m->n_traps = 0;
	m->cfg = cfg;
	for (i = 0; i < n_old; i++) {
		const struct fg_conn *c = config_find_conn(cfg, old[i].conn->name);
		const struct fg_child *ch = c ? config_find_child(c, old[i].child->name) : NULL;

		if (ch)
			ike_mgr_trap(m, c, ch);
	}
	for (i = 0; i < cfg->n_conns; i++)
		for (j = 0; j < cfg->conns[i].n_children; j++)
			if (cfg->conns[i].children[j].start_action == FG_ACTION_TRAP)
				ike_mgr_trap(m, &cfg->conns[i], &cfg->conns[i].children[j]);
	return closed;
}

static bool conn_in(const struct fg_config *cfg, const struct fg_conn *conn)
{
	unsigned i;

	for (i = 0; i < cfg->n_conns; i++)
		if (conn == &cfg->conns[i])
			return true;
	return false;
}

bool ike_mgr_uses_config(const struct ike_mgr *m, const struct fg_config *cfg)
{
	const struct ike_sa *sa;
	unsigned i;

	if (m->cfg == cfg)
		return true;
	for (sa = m->sas; sa; sa = sa->next)
		if (conn_in(cfg, sa->conn))
			return true;
	for (i = 0; i < m->n_sched; i++)
		if (conn_in(cfg, m->sched[i].conn))
			return true;
	for (i = 0; i < m->n_traps; i++)
		if (conn_in(cfg, m->traps[i].conn))
			return true;
	return false;
}
