/* Rekeying, renewal and expiry of child and ISAKMP SAs (lifetime.h). */
#include "ike/lifetime.h"

#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "crypto/crypto.h"
#include "ike/ike_mgr.h"

uint64_t lifetime_jitter(uint64_t range)
{
	uint64_t r = 0;

	if (!range || crypto_random(&r, sizeof(r)))
		return 0;
	return range == UINT64_MAX ? r : r % (range + 1);
}

/* Seconds to ms without overflow. */
static uint64_t ms(uint64_t s)
{
	return s > UINT64_MAX / 2000 ? UINT64_MAX / 2 : s * 1000;
}

/* The shorter non-zero of rekey_time and reauth_time (0: neither). */
static uint64_t renew_time(const struct fg_conn *c)
{
	uint64_t a = c->rekey_time, b = c->reauth_time;

	if (a && b)
		return a < b ? a : b;
	return a ? a : b;
}

uint64_t lifetime_ike_offer(const struct fg_conn *conn)
{
	uint64_t r = renew_time(conn);

	return r ? r + conn->over_time : 10800;
}

/* A soft limit: cfg minus up to rand, but under the negotiated hard one. */
static uint64_t soft(uint64_t cfg, uint64_t rand, uint64_t hard)
{
	uint64_t s;

	if (!cfg)
		return 0;
	if (rand > cfg - LIFETIME_MIN_S)
		rand = cfg > LIFETIME_MIN_S ? cfg - LIFETIME_MIN_S : 0;
	s = cfg - lifetime_jitter(rand);
	if (hard && s >= hard) {
		/* at least a second before the hard limit, or the SA expires
		 * before it is rekeyed (rekey_time 5s gives life_time 5s) */
		uint64_t margin = hard / 10 ? hard / 10 : 1;

		s = hard > margin ? hard - margin : 0;
	}
	return s ? s : LIFETIME_MIN_S;
}

/* --- ISAKMP SAs */

void lifetime_ike_start(struct ike_sa *sa)
{
	const struct fg_conn *c = sa->conn;
	uint64_t now = sa->mgr->now, r;

	sa->established_at = now;
	sa->expire_at = sa->life_time ? now + ms(sa->life_time) : 0;
	r = soft(renew_time(c), c->rand_time, sa->life_time);
	if (r && sa->life_time && sa->life_time > c->over_time && r + c->over_time > sa->life_time)
		r = sa->life_time - c->over_time;   /* the peer offered less */
	sa->renew_at = r ? now + ms(r) : 0;
	fg_debug("%s: renewal in %llus, expiry in %llus", ike_sa_name(sa),
		 (unsigned long long)r, (unsigned long long)sa->life_time);
}

static bool same_peer(const struct ike_sa *a, const struct ike_sa *b)
{
	return a->conn == b->conn && a->remote.addr == b->remote.addr &&
	       strcmp(a->remote_id, b->remote_id) == 0;
}

void lifetime_ike_adopt(struct ike_sa *sa)
{
	struct ike_sa *o;
	struct child_sa *c;
	unsigned n;

	for (o = sa->mgr->sas; o; o = o->next) {
		if (o == sa || o->state != IKE_SA_ESTABLISHED || !same_peer(o, sa))
			continue;
		for (n = 0; (c = o->children); n++) {
			o->children = c->next;
			c->next = sa->children;
			sa->children = c;
		}
		/* one we renewed is deleted at the next tick: after the
		 * message completing this phase 1 (Aggressive Mode's third) */
		o->replaced = true;
		if (n)
			fg_info("%s: took over %u CHILD_SA(s) of %s", ike_sa_name(sa), n,
				ike_sa_name(o));
	}
}

static void renew(struct ike_sa *sa)
{
	const struct fg_conn *c = sa->conn;
	struct ike_endpoint l = { sa->local.addr, c->local_port };
	struct ike_endpoint r = { sa->remote.addr, c->remote_port };

	sa->renewing = true;
	fg_info("%s: IKE_SA %s renewal: new %s", ike_sa_name(sa), c->name,
		sa->aggressive ? "Aggressive Mode" : "Main Mode");
	if (ike_mgr_initiate_at(sa->mgr, c, 0, &l, &r, sa->aggressive))
		fg_warn("%s: cannot start the renewal", ike_sa_name(sa));
}

/* --- CHILD SAs */

/* Field by field: the structs have padding. */
static bool same_ts(const struct fg_ts *a, const struct fg_ts *b)
{
	return a->addr.first == b->addr.first && a->addr.last == b->addr.last &&
	       a->proto == b->proto && a->port_first == b->port_first &&
	       a->port_last == b->port_last;
}

static bool same_child(const struct child_sa *a, const struct child_sa *b)
{
	return a->cfg == b->cfg && a->proto == b->proto && same_ts(&a->ts_local, &b->ts_local) &&
	       same_ts(&a->ts_remote, &b->ts_remote);
}

void lifetime_child_start(struct ike_sa *sa, struct child_sa *c)
{
	const struct fg_child *cfg = c->cfg;
	uint64_t now = sa->mgr->now, hard_b, r;
	struct ike_sa *s;
	struct child_sa *o;

	c->installed_at = now;
	c->lstate = CHILD_SA_INSTALLED;
	c->expire_at = c->life_time ? now + ms(c->life_time) : 0;
	r = soft(cfg->rekey_time, cfg->rand_time, c->life_time);
	c->rekey_at = r ? now + ms(r) : 0;
	hard_b = c->life_kb ? c->life_kb * 1024 : cfg->life_bytes;
	c->expire_bytes = hard_b;
	c->rekey_bytes = cfg->rekey_bytes ? soft(cfg->rekey_bytes, cfg->rand_bytes, hard_b) : 0;
	/* the SA this one replaces */
	for (s = sa->mgr->sas; s; s = s->next) {
		if (s->state == IKE_SA_DELETED || !same_peer(s, sa))
			continue;
		for (o = s->children; o; o = o->next) {
			if (o == c || o->lstate == CHILD_SA_REKEYED || !same_child(o, c))
				continue;
			o->lstate = CHILD_SA_REKEYED;
			o->delete_at = c->initiated ? now + LIFETIME_OVERLAP_MS : 0;
			fg_info("%s: CHILD_SA %s %08x_i rekeyed by %08x_i", ike_sa_name(sa),
				cfg->name, o->spi_in, c->spi_in);
		}
	}
}

void lifetime_child_bytes(struct ike_sa *sa, struct child_sa *c, uint64_t bytes_in,
			  uint64_t bytes_out, uint64_t packets_in, uint64_t packets_out)
{
	struct child_sa *o;
	bool traffic = bytes_in > c->bytes_in;

	c->bytes_in = bytes_in;
	c->bytes_out = bytes_out;
	c->packets_in = packets_in;
	c->packets_out = packets_out;
	if (!traffic)
		return;
	sa->last_in = sa->mgr->now;
	if (c->lstate == CHILD_SA_REKEYED)
		return;
	/* the peer uses the new SA: the old one can go now */
	for (o = sa->children; o; o = o->next)
		if (o != c && o->lstate == CHILD_SA_REKEYED && o->delete_at && same_child(o, c))
			o->delete_at = sa->mgr->now;
}

static void rekey_child(struct ike_sa *sa, struct child_sa *c)
{
	uint32_t msgid = 0;

	fg_info("%s: CHILD_SA %s %08x_i: rekeying", ike_sa_name(sa), c->cfg->name, c->spi_in);
	if (ike_sa_start_child(sa, c->cfg, &msgid) || !msgid) {
		c->rekey_at = sa->mgr->now + LIFETIME_REKEY_RETRY_MS;
		return;
	}
	c->lstate = CHILD_SA_REKEYING;
	c->rekey_msgid = msgid;
}

static void child_tick(struct ike_sa *sa, struct child_sa *c, uint64_t now)
{
	uint64_t bytes = c->bytes_in + c->bytes_out;

	if (c->lstate == CHILD_SA_REKEYED && c->delete_at && now >= c->delete_at) {
		ike_sa_remove_child(sa, c, true, "rekeyed");
		return;
	}
	if ((c->expire_at && now >= c->expire_at) ||
	    (c->expire_bytes && bytes >= c->expire_bytes)) {
		ike_sa_remove_child(sa, c, true, c->expire_at && now >= c->expire_at
					? "hard lifetime expired" : "hard byte limit reached");
		return;
	}
	if (c->lstate == CHILD_SA_REKEYING && !ike_sa_find_task(sa, c->rekey_msgid)) {
		c->lstate = CHILD_SA_INSTALLED;   /* the Quick Mode failed */
		c->rekey_at = now + LIFETIME_REKEY_RETRY_MS;
		c->rekey_bytes = 0;
		return;
	}
	if (c->lstate == CHILD_SA_INSTALLED && !sa->replaced &&
	    ((c->rekey_at && now >= c->rekey_at) || (c->rekey_bytes && bytes >= c->rekey_bytes)))
		rekey_child(sa, c);
}

void lifetime_tick(struct ike_sa *sa, uint64_t now)
{
	struct child_sa *c, *n;

	if (sa->state == IKE_SA_CONNECTING && !sa->initiator && sa->created_at &&
	    now >= sa->created_at + IKE_HALF_OPEN_TIMEOUT_MS) {
		ike_sa_delete(sa, "half-open SA timed out");
		return;
	}
	if (sa->state != IKE_SA_ESTABLISHED)
		return;
	if (sa->restart_mask && !sa->replaced) {
		uint64_t mask = sa->restart_mask;
		unsigned i;

		sa->restart_mask = 0;
		for (i = 0; i < sa->conn->n_children && i < CONFIG_CHILDREN_MAX; i++)
			if (mask >> i & 1)
				ike_sa_start_child(sa, &sa->conn->children[i], NULL);
	}
	for (c = sa->children; c; c = n) {
		n = c->next;
		child_tick(sa, c, now);
	}
	if (sa->expire_at && now >= sa->expire_at) {
		ike_sa_close(sa, "ISAKMP SA lifetime expired");
		return;
	}
	if (sa->replaced && !sa->children && sa->renewing) {
		info_send_delete_ike(sa);
		ike_sa_delete(sa, "renewed");
		return;
	}
	if (sa->renew_at && now >= sa->renew_at && !sa->renewing && !sa->replaced)
		renew(sa);
}
