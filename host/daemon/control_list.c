/* list-sas, list-conns and stats rendered as text and JSON (control_list.h).
 * JSON goes through json-c only; as in VICI, every list-sas value is a
 * string. Times are whole seconds of the manager's clock. */
#include "daemon/control_list.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "ike/isakmp.h"
#include "ike/ts.h"

const char *control_encr_name(enum proposal_encr e)
{
	switch (e) {
	case PROPOSAL_ENCR_DES:
		return "DES_CBC";
	case PROPOSAL_ENCR_3DES:
		return "3DES_CBC";
	case PROPOSAL_ENCR_AES128:
	case PROPOSAL_ENCR_AES192:
	case PROPOSAL_ENCR_AES256:
		return "AES_CBC";
	case PROPOSAL_ENCR_NULL:
		return "NULL";
	default:
		return "?";
	}
}

/* Bits for AES (VICI's encr-keysize), 0 for fixed-size ciphers. */
static unsigned encr_keysize(enum proposal_encr e)
{
	return e == PROPOSAL_ENCR_AES128 ? 128 : e == PROPOSAL_ENCR_AES192 ? 192 :
	       e == PROPOSAL_ENCR_AES256 ? 256 : 0;
}

const char *control_integ_name(enum proposal_integ i)
{
	switch (i) {
	case PROPOSAL_INTEG_MD5:
		return "HMAC_MD5_96";
	case PROPOSAL_INTEG_SHA1:
		return "HMAC_SHA1_96";
	case PROPOSAL_INTEG_SHA2_256:
		return "HMAC_SHA2_256_128";
	default:
		return "?";
	}
}

const char *control_prf_name(enum proposal_integ i)
{
	switch (i) {
	case PROPOSAL_INTEG_MD5:
		return "PRF_HMAC_MD5";
	case PROPOSAL_INTEG_SHA1:
		return "PRF_HMAC_SHA1";
	case PROPOSAL_INTEG_SHA2_256:
		return "PRF_HMAC_SHA2_256";
	default:
		return "?";
	}
}

const char *control_dh_name(enum proposal_dh d)
{
	switch (d) {
	case PROPOSAL_DH_MODP768:
		return "MODP_768";
	case PROPOSAL_DH_MODP1024:
		return "MODP_1024";
	case PROPOSAL_DH_MODP1536:
		return "MODP_1536";
	case PROPOSAL_DH_MODP2048:
		return "MODP_2048";
	default:
		return "?";
	}
}

static const char *ike_state(const struct ike_sa *sa)
{
	return sa->state == IKE_SA_ESTABLISHED ? "ESTABLISHED" :
	       sa->state == IKE_SA_CONNECTING ? "CONNECTING" : "DELETING";
}

static const char *child_state(const struct child_sa *c)
{
	return c->lstate == CHILD_SA_REKEYING ? "REKEYING" :
	       c->lstate == CHILD_SA_REKEYED ? "REKEYED" : "INSTALLED";
}

/* Seconds from a to b (ms), 0 if b is not after a. */
static uint64_t secs(uint64_t a, uint64_t b)
{
	return b > a ? (b - a) / 1000 : 0;
}

static void cookie_hex(const uint8_t c[ISAKMP_COOKIE_LEN], char out[2 * ISAKMP_COOKIE_LEN + 1])
{
	unsigned i;

	for (i = 0; i < ISAKMP_COOKIE_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", c[i]);
}

/* "dynamic", "10.1.0.0/24", "10.1.0.0/24[6/80]", "10.0.0.1..10.0.0.9". */
static void fmt_ts(const struct fg_ts *ts, char *buf, size_t len)
{
	size_t n;

	if (ts->dynamic) {
		snprintf(buf, len, "dynamic");
		return;
	}
	ts_format(ts, buf, len);
	n = strlen(buf);
	if (ts->proto && ts->port_first == 0 && ts->port_last == 65535)
		snprintf(buf + n, len - n, "[%u]", ts->proto);
	else if (ts->proto && ts->port_first == ts->port_last)
		snprintf(buf + n, len - n, "[%u/%u]", ts->proto, ts->port_first);
	else if (ts->proto)
		snprintf(buf + n, len - n, "[%u/%u-%u]", ts->proto, ts->port_first, ts->port_last);
}

/* ---- JSON helpers: any failed allocation sets *bad ---- */

static void put(json_object *o, const char *key, json_object *v, bool *bad)
{
	if (!o || !v || json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		*bad = true;
	}
}

static void put_str(json_object *o, const char *key, const char *s, bool *bad)
{
	put(o, key, json_object_new_string(s), bad);
}

static void put_u64s(json_object *o, const char *key, uint64_t v, bool *bad)
{
	char s[24];

	snprintf(s, sizeof(s), "%" PRIu64, v);
	put_str(o, key, s, bad);
}

static void put_u64(json_object *o, const char *key, uint64_t v, bool *bad)
{
	put(o, key, json_object_new_uint64(v), bad);
}

static void put_bool(json_object *o, const char *key, bool v, bool *bad)
{
	put(o, key, json_object_new_boolean(v), bad);
}

static json_object *ts_array(const struct fg_ts *ts, bool *bad)
{
	json_object *a = json_object_new_array();
	char s[64];

	fmt_ts(ts, s, sizeof(s));
	if (!a || json_object_array_add(a, json_object_new_string(s)) != 0)
		*bad = true;
	return a;
}

static int emit_json(json_object *root, bool bad, struct control_buf *out)
{
	const char *s;

	if (!bad && root) {
		s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							 JSON_C_TO_STRING_SPACED |
							 JSON_C_TO_STRING_NOSLASHESCAPE);
		if (s) {
			control_buf_add(out, s, strlen(s));
			control_buf_add(out, "\n", 1);
		} else {
			bad = true;
		}
	}
	json_object_put(root);
	return bad || out->oom ? FG_ERR_NOMEM : 0;
}

/* ---- list-sas ---- */

static json_object *child_json(const struct ike_sa *sa, const struct child_sa *c, unsigned id,
			       uint64_t now, bool *bad)
{
	json_object *o = json_object_new_object();
	char s[16];

	put_str(o, "name", c->cfg->name, bad);
	put_u64s(o, "uniqueid", id, bad);
	put_str(o, "state", child_state(c), bad);
	put_str(o, "mode", c->mode == FG_MODE_TRANSPORT ? "TRANSPORT" : "TUNNEL", bad);
	put_str(o, "protocol", c->proto == ISAKMP_PROTO_AH ? "AH" : "ESP", bad);
	put_str(o, "encap", c->encap ? "yes" : "no", bad);
	snprintf(s, sizeof(s), "%08x", c->spi_in);
	put_str(o, "spi-in", s, bad);
	snprintf(s, sizeof(s), "%08x", c->spi_out);
	put_str(o, "spi-out", s, bad);
	if (c->proto != ISAKMP_PROTO_AH) {
		put_str(o, "encr-alg", control_encr_name(c->xf.encr), bad);
		if (encr_keysize(c->xf.encr))
			put_u64s(o, "encr-keysize", encr_keysize(c->xf.encr), bad);
	}
	if (c->xf.integ != PROPOSAL_INTEG_NONE)
		put_str(o, "integ-alg", control_integ_name(c->xf.integ), bad);
	if (c->xf.dh != PROPOSAL_DH_NONE)
		put_str(o, "dh-group", control_dh_name(c->xf.dh), bad);
	put_u64s(o, "bytes-in", c->bytes_in, bad);
	put_u64s(o, "packets-in", c->packets_in, bad);
	put_u64s(o, "bytes-out", c->bytes_out, bad);
	put_u64s(o, "packets-out", c->packets_out, bad);
	if (c->rekey_at)
		put_u64s(o, "rekey-time", secs(now, c->rekey_at), bad);
	if (c->expire_at)
		put_u64s(o, "life-time", secs(now, c->expire_at), bad);
	put_u64s(o, "install-time", secs(c->installed_at, now), bad);
	put(o, "local-ts", ts_array(&c->ts_local, bad), bad);
	put(o, "remote-ts", ts_array(&c->ts_remote, bad), bad);
	(void)sa;
	return o;
}

static json_object *ike_json(const struct ike_sa *sa, unsigned *child_id, uint64_t now,
			     bool *bad)
{
	json_object *o = json_object_new_object(), *children = json_object_new_object();
	const struct child_sa *c;
	char s[2 * ISAKMP_COOKIE_LEN + 1], a[16];

	put_u64s(o, "uniqueid", sa->id, bad);
	put_str(o, "version", "1", bad);
	put_str(o, "state", ike_state(sa), bad);
	put_str(o, "local-host", ike_addr_str(sa->local.addr, a), bad);
	put_u64s(o, "local-port", sa->local.port, bad);
	put_str(o, "local-id", sa->local_id, bad);
	put_str(o, "remote-host", ike_addr_str(sa->remote.addr, a), bad);
	put_u64s(o, "remote-port", sa->remote.port, bad);
	put_str(o, "remote-id", sa->remote_id, bad);
	put_str(o, "initiator", sa->initiator ? "yes" : "no", bad);
	cookie_hex(sa->icookie, s);
	put_str(o, "initiator-spi", s, bad);
	cookie_hex(sa->rcookie, s);
	put_str(o, "responder-spi", s, bad);
	if (sa->nat)
		put_str(o, "nat-any", "yes", bad);
	if (sa->state == IKE_SA_ESTABLISHED) {
		put_str(o, "encr-alg", control_encr_name(sa->xf.encr), bad);
		if (encr_keysize(sa->xf.encr))
			put_u64s(o, "encr-keysize", encr_keysize(sa->xf.encr), bad);
		put_str(o, "integ-alg", control_integ_name(sa->xf.integ), bad);
		put_str(o, "prf-alg", control_prf_name(sa->xf.integ), bad);
		put_str(o, "dh-group", control_dh_name(sa->xf.dh), bad);
		put_u64s(o, "established", secs(sa->established_at, now), bad);
		if (sa->renew_at)
			put_u64s(o, "rekey-time", secs(now, sa->renew_at), bad);
	}
	for (c = sa->children; c; c = c->next) {
		char key[CONTROL_NAME_MAX + 16];

		snprintf(key, sizeof(key), "%s-%u", c->cfg->name, ++*child_id);
		put(children, key, child_json(sa, c, *child_id, now, bad), bad);
	}
	put(o, "child-sas", children, bad);
	return o;
}

static void child_text(const struct child_sa *c, unsigned id, uint64_t now,
		       struct control_buf *out)
{
	char l[64], r[64];

	control_buf_printf(out, "  %s: #%u, %s, %s%s, %s:", c->cfg->name, id, child_state(c),
			   c->mode == FG_MODE_TRANSPORT ? "TRANSPORT" : "TUNNEL",
			   c->encap ? "-in-UDP" : "", c->proto == ISAKMP_PROTO_AH ? "AH" : "ESP");
	if (c->proto != ISAKMP_PROTO_AH)
		control_buf_printf(out, "%s%s", control_encr_name(c->xf.encr),
				   c->xf.integ != PROPOSAL_INTEG_NONE ? "/" : "");
	if (c->xf.integ != PROPOSAL_INTEG_NONE)
		control_buf_printf(out, "%s", control_integ_name(c->xf.integ));
	if (c->xf.dh != PROPOSAL_DH_NONE)
		control_buf_printf(out, "/%s", control_dh_name(c->xf.dh));
	control_buf_printf(out, "\n    installed %" PRIu64 "s ago", secs(c->installed_at, now));
	if (c->rekey_at)
		control_buf_printf(out, ", rekeying in %" PRIu64 "s", secs(now, c->rekey_at));
	if (c->expire_at)
		control_buf_printf(out, ", expires in %" PRIu64 "s", secs(now, c->expire_at));
	fmt_ts(&c->ts_local, l, sizeof(l));
	fmt_ts(&c->ts_remote, r, sizeof(r));
	control_buf_printf(out, "\n    in  %08x, %6" PRIu64 " bytes, %5" PRIu64 " packets\n"
			   "    out %08x, %6" PRIu64 " bytes, %5" PRIu64 " packets\n"
			   "    local  %s\n    remote %s\n", c->spi_in, c->bytes_in, c->packets_in,
			   c->spi_out, c->bytes_out, c->packets_out, l, r);
}

static void ike_text(const struct ike_sa *sa, unsigned *child_id, uint64_t now,
		     struct control_buf *out)
{
	char i[2 * ISAKMP_COOKIE_LEN + 1], r[2 * ISAKMP_COOKIE_LEN + 1], la[16], ra[16];
	const struct child_sa *c;

	cookie_hex(sa->icookie, i);
	cookie_hex(sa->rcookie, r);
	control_buf_printf(out, "%s: #%u, %s, IKEv1, %s_i%s %s_r%s\n", sa->conn->name, sa->id,
			   ike_state(sa), i, sa->initiator ? "*" : "", r, sa->initiator ? "" : "*");
	control_buf_printf(out, "  local  '%s' @ %s[%u]\n  remote '%s' @ %s[%u]\n",
			   sa->local_id, ike_addr_str(sa->local.addr, la), sa->local.port,
			   sa->remote_id, ike_addr_str(sa->remote.addr, ra), sa->remote.port);
	if (sa->state == IKE_SA_ESTABLISHED) {
		control_buf_printf(out, "  %s", control_encr_name(sa->xf.encr));
		if (encr_keysize(sa->xf.encr))
			control_buf_printf(out, "-%u", encr_keysize(sa->xf.encr));
		control_buf_printf(out, "/%s/%s/%s\n  established %" PRIu64 "s ago",
				   control_integ_name(sa->xf.integ), control_prf_name(sa->xf.integ),
				   control_dh_name(sa->xf.dh), secs(sa->established_at, now));
		if (sa->renew_at)
			control_buf_printf(out, ", rekeying in %" PRIu64 "s", secs(now, sa->renew_at));
		control_buf_add(out, "\n", 1);
	}
	for (c = sa->children; c; c = c->next)
		child_text(c, ++*child_id, now, out);
}

int control_list_sas(const struct ike_mgr *m, uint64_t now, bool json, struct control_buf *out)
{
	const struct ike_sa *sa;
	json_object *root = json ? json_object_new_object() : NULL;
	unsigned child_id = 0;
	bool bad = json && !root;

	for (sa = ike_mgr_sa_next(m, NULL); sa; sa = ike_mgr_sa_next(m, sa)) {
		char key[CONTROL_NAME_MAX + 16];

		if (!json) {
			ike_text(sa, &child_id, now, out);
			continue;
		}
		/* keyed by name as VICI's list-sa; a second SA of the same
		 * connection (a renewal) gets "-uniqueid" */
		snprintf(key, sizeof(key), "%s", sa->conn->name);
		if (root && json_object_object_get_ex(root, key, NULL))
			snprintf(key, sizeof(key), "%s-%u", sa->conn->name, sa->id);
		put(root, key, ike_json(sa, &child_id, now, &bad), &bad);
	}
	if (json)
		return emit_json(root, bad, out);
	return out->oom ? FG_ERR_NOMEM : 0;
}

/* ---- list-conns ---- */

static const char *action_name(enum fg_action a, bool dpd)
{
	return a == FG_ACTION_TRAP ? "trap" : a == FG_ACTION_START ? (dpd ? "restart" : "start") :
	       dpd ? "clear" : "none";
}

static void addrs_text(const struct fg_addrs *a, struct control_buf *out)
{
	char f[16], l[16];
	unsigned i;

	if (a->any) {
		control_buf_add(out, "%any", 4);
		return;
	}
	for (i = 0; i < a->n; i++) {
		control_buf_printf(out, "%s%s", i ? ", " : "", ike_addr_str(a->r[i].first, f));
		if (a->r[i].last != a->r[i].first)
			control_buf_printf(out, "-%s", ike_addr_str(a->r[i].last, l));
	}
}

static void ts_list_text(const struct fg_ts *ts, unsigned n, struct control_buf *out)
{
	char s[64];
	unsigned i;

	for (i = 0; i < n; i++) {
		fmt_ts(&ts[i], s, sizeof(s));
		control_buf_printf(out, "%s%s", i ? ", " : "", s);
	}
	control_buf_add(out, "\n", 1);
}

int control_list_conns(const struct fg_config *cfg, struct control_buf *out)
{
	char p[PROPOSAL_STR_MAX];
	unsigned i, j;

	for (i = 0; i < cfg->n_conns; i++) {
		const struct fg_conn *c = &cfg->conns[i];

		control_buf_printf(out, "%s: IKEv1, %s Mode, ", c->name,
				   c->aggressive ? "Aggressive" : "Main");
		if (c->reauth_time)
			control_buf_printf(out, "reauthentication every %" PRIu64 "s",
					   c->reauth_time);
		else
			control_buf_add(out, "no reauthentication", 19);
		if (c->rekey_time)
			control_buf_printf(out, ", rekeying every %" PRIu64 "s", c->rekey_time);
		control_buf_add(out, "\n  local:  ", 11);
		addrs_text(&c->local_addrs, out);
		control_buf_add(out, "\n  remote: ", 11);
		addrs_text(&c->remote_addrs, out);
		proposal_list_format(&c->proposals, p, sizeof(p));
		control_buf_printf(out, "\n  proposals: %s\n  local pre-shared key authentication:\n"
				   "    id: %s\n  remote pre-shared key authentication:\n"
				   "    id: %s\n", p, c->local_id[0] ? c->local_id : "%any",
				   c->remote_id);
		for (j = 0; j < c->n_children; j++) {
			const struct fg_child *ch = &c->children[j];
			bool ah = ch->ah.n && !ch->esp.n;

			control_buf_printf(out, "  %s: %s, rekeying every %" PRIu64 "s, start_action "
					   "%s, dpd_action %s, close_action %s\n", ch->name,
					   ch->mode == FG_MODE_TRANSPORT ? "TRANSPORT" : "TUNNEL",
					   ch->rekey_time, action_name(ch->start_action, false),
					   action_name(ch->dpd_action, true),
					   action_name(ch->close_action, false));
			proposal_list_format(ah ? &ch->ah : &ch->esp, p, sizeof(p));
			control_buf_printf(out, "    %s_proposals: %s\n    local:  ", ah ? "ah" : "esp",
					   p);
			ts_list_text(ch->local_ts, ch->n_local_ts ? ch->n_local_ts : 1, out);
			control_buf_add(out, "    remote: ", 12);
			ts_list_text(ch->remote_ts, ch->n_remote_ts ? ch->n_remote_ts : 1, out);
		}
	}
	return out->oom ? FG_ERR_NOMEM : 0;
}

/* ---- stats ---- */

static void count_sas(const struct ike_mgr *m, unsigned *ike, unsigned *child)
{
	const struct ike_sa *sa;
	const struct child_sa *c;

	*ike = *child = 0;
	for (sa = ike_mgr_sa_next(m, NULL); sa; sa = ike_mgr_sa_next(m, sa)) {
		(*ike)++;
		for (c = sa->children; c; c = c->next)
			(*child)++;
	}
}

static int stats_json(const struct control_stats *st, unsigned ike, unsigned child,
		      struct control_buf *out)
{
	json_object *root = json_object_new_object(), *o;
	uint64_t total = 0;
	bool bad = !root;
	unsigned i;

	o = json_object_new_object();
	put_u64(o, "tx-packets", st->tx_packets, &bad);
	put_u64(o, "rx-packets", st->rx_packets, &bad);
	put(root, "traffic", o, &bad);
	o = json_object_new_object();
	for (i = 0; i < DP_DROP_COUNT_; i++) {
		put_u64(o, datapath_drop_name((enum datapath_drop)i), st->drops[i], &bad);
		total += st->drops[i];
	}
	put(root, "drops", o, &bad);
	put_u64(root, "drops-total", total, &bad);
	o = json_object_new_object();
	put_str(o, "backend", st->backend ? st->backend : "none", &bad);
	if (st->have_dev) {
		put_u64(o, "frames-in", st->dev.frames_in, &bad);
		put_u64(o, "frames-out", st->dev.frames_out, &bad);
		put_u64(o, "malformed", st->dev.malformed, &bad);
		put_u64(o, "no-sa", st->dev.no_sa, &bad);
		put_u64(o, "resync-bytes", st->dev.resync_bytes, &bad);
		put_u64(o, "bad-results", st->bad_results, &bad);
	}
	if (st->backend) {
		put_bool(o, "connected", !st->health.gone, &bad);
		put_u64(o, "disconnects", st->health.disconnects, &bad);
		put_u64(o, "reconnects", st->health.reconnects, &bad);
		put_u64(o, "dropped-at-disconnect", st->health.dropped, &bad);
		put_u64(o, "sas-reloaded", st->health.reloaded, &bad);
		put_u64(o, "stale-replays", st->health.stale_replays, &bad);
	}
	put(root, "offload", o, &bad);
	put_u64(root, "ike-sas", ike, &bad);
	put_u64(root, "child-sas", child, &bad);
	return emit_json(root, bad, out);
}

int control_list_stats(const struct control_stats *st, const struct ike_mgr *m, bool json,
		       struct control_buf *out)
{
	unsigned ike, child, i;
	uint64_t total = 0;

	count_sas(m, &ike, &child);
	if (json)
		return stats_json(st, ike, child, out);
	for (i = 0; i < DP_DROP_COUNT_; i++)
		total += st->drops[i];
	control_buf_printf(out, "traffic: tx %" PRIu64 " packets, rx %" PRIu64 " packets\n"
			   "drops: %" PRIu64 "\n", st->tx_packets, st->rx_packets, total);
	for (i = 0; i < DP_DROP_COUNT_; i++)
		control_buf_printf(out, "  %s: %" PRIu64 "\n",
				   datapath_drop_name((enum datapath_drop)i), st->drops[i]);
	control_buf_printf(out, "offload: %s\n", st->backend ? st->backend : "none");
	if (st->have_dev)
		control_buf_printf(out, "  frames in %u, out %u, malformed %u, no_sa %u, "
				   "resync bytes %u, bad results %u\n", st->dev.frames_in,
				   st->dev.frames_out, st->dev.malformed, st->dev.no_sa,
				   st->dev.resync_bytes, st->bad_results);
	if (st->health.gone || st->health.disconnects)
		control_buf_printf(out, "  device %s: disconnects %u, reconnects %u, dropped %u, "
				   "SAs reloaded %u, stale replays %u\n",
				   st->health.gone ? "GONE" : "connected", st->health.disconnects,
				   st->health.reconnects, st->health.dropped, st->health.reloaded,
				   st->health.stale_replays);
	control_buf_printf(out, "IKE SAs: %u, child SAs: %u\n", ike, child);
	return out->oom ? FG_ERR_NOMEM : 0;
}
