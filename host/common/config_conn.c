/*
 * connections { }: each connection, its local and remote authentication
 * rounds and its children, with charon's defaults (vici_config.c) applied
 * after the settings and fgated's IKEv1-only checks. See config.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/config_priv.h"
#include "common/err.h"
#include "common/log.h"

#define C(f) offsetof(struct fg_conn, f)
#define H(f) offsetof(struct fg_child, f)
#define A(f) offsetof(struct config_round, f)

static const struct config_rule conn_rules[] = {
	{ "version", V_SKIP, 0, 0, NULL },      /* checked first, by load_conn */
	{ "local_addrs", V_ADDRS, C(local_addrs), 0, NULL },
	{ "remote_addrs", V_ADDRS, C(remote_addrs), 0, NULL },
	{ "local_port", V_PORT, C(local_port), 0, NULL },
	{ "remote_port", V_PORT, C(remote_port), 0, NULL },
	{ "proposals", V_IKE_PROPS, C(proposals), 0, NULL },
	{ "aggressive", V_BOOL, C(aggressive), 0, NULL },
	{ "encap", V_BOOL, C(encap), 0, NULL },
	{ "dscp", V_DSCP, C(dscp), 0, NULL },
	{ "unique", V_UNIQUE, C(unique), 0, NULL },
	{ "keyingtries", V_U32, C(keyingtries), 0, NULL },
	{ "dpd_delay", V_TIME, C(dpd_delay), 0, NULL },
	{ "dpd_timeout", V_TIME, C(dpd_timeout), 0, NULL },
	{ "rekey_time", V_TIME, C(rekey_time), 0, NULL },
	{ "reauth_time", V_TIME, C(reauth_time), 0, NULL },
	{ "over_time", V_TIME, C(over_time), 0, NULL },
	{ "rand_time", V_TIME, C(rand_time), 0, NULL },
	{ "fragmentation", V_ONLY, 0, 0, "yes|no" },
	{ "mobike", V_IGNORE, 0, 0, NULL },
	{ "childless", V_IGNORE, 0, 0, NULL },
	{ "send_certreq", V_IGNORE, 0, 0, NULL },
	{ "send_cert", V_IGNORE, 0, 0, NULL },
	{ "pull", V_IGNORE, 0, 0, NULL },
	{ "ppk_required", V_IGNORE, 0, 0, NULL },
	{ "vips", V_UNSUPP, 0, 0, "fgated has no Mode Config" },
	{ "pools", V_UNSUPP, 0, 0, "fgated has no Mode Config" },
	{ "ppk_id", V_UNSUPP, 0, 0, NULL },
	{ "if_id_in", V_UNSUPP, 0, 0, NULL },
	{ "if_id_out", V_UNSUPP, 0, 0, NULL },
	{ "mediation", V_UNSUPP, 0, 0, NULL },
	{ "mediated_by", V_UNSUPP, 0, 0, NULL },
	{ "mediation_peer", V_UNSUPP, 0, 0, NULL },
	{ "ocsp", V_UNSUPP, 0, 0, NULL },
	{ NULL, 0, 0, 0, NULL },
};

static const struct config_rule auth_rules[] = {
	{ "auth", V_AUTH, A(psk), 0, NULL },
	{ "id", V_ID, A(id), 0, NULL },
	{ "round", V_IGNORE, 0, 0, NULL },
	{ "certs", V_UNSUPP, 0, 0, "fgated does psk only" },
	{ "cacerts", V_UNSUPP, 0, 0, "fgated does psk only" },
	{ "pubkeys", V_UNSUPP, 0, 0, "fgated does psk only" },
	{ "groups", V_UNSUPP, 0, 0, NULL },
	{ "cert_policy", V_UNSUPP, 0, 0, "fgated does psk only" },
	{ "revocation", V_UNSUPP, 0, 0, "fgated does psk only" },
	{ "eap_id", V_UNSUPP, 0, 0, "fgated has no EAP" },
	{ "aaa_id", V_UNSUPP, 0, 0, "fgated has no EAP" },
	{ "xauth_id", V_UNSUPP, 0, 0, "fgated has no XAuth" },
	{ NULL, 0, 0, 0, NULL },
};

static const struct config_rule child_rules[] = {
	{ "esp_proposals", V_ESP_PROPS, H(esp), 0, NULL },
	{ "ah_proposals", V_AH_PROPS, H(ah), 0, NULL },
	{ "local_ts", V_TS, H(local_ts), H(n_local_ts), NULL },
	{ "remote_ts", V_TS, H(remote_ts), H(n_remote_ts), NULL },
	{ "mode", V_MODE, H(mode), 0, NULL },
	{ "start_action", V_ACTION, H(start_action), 0, "none, trap or start" },
	{ "dpd_action", V_ACTION, H(dpd_action), 0, "clear, trap or restart" },
	{ "close_action", V_ACTION, H(close_action), 0, "none, trap or start" },
	{ "rekey_time", V_TIME, H(rekey_time), 0, NULL },
	{ "life_time", V_TIME, H(life_time), 0, NULL },
	{ "rand_time", V_TIME, H(rand_time), 0, NULL },
	{ "rekey_bytes", V_BYTES, H(rekey_bytes), 0, NULL },
	{ "life_bytes", V_BYTES, H(life_bytes), 0, NULL },
	{ "rand_bytes", V_BYTES, H(rand_bytes), 0, NULL },
	{ "rekey_packets", V_U64, H(rekey_packets), 0, NULL },
	{ "life_packets", V_U64, H(life_packets), 0, NULL },
	{ "rand_packets", V_U64, H(rand_packets), 0, NULL },
	{ "inactivity", V_TIME, H(inactivity), 0, NULL },
	{ "replay_window", V_U32, H(replay_window), 0, NULL },
	{ "ipcomp", V_ONLY, 0, 0, "no|false|disabled|0" },
	{ "policies", V_ONLY, 0, 0, "yes|true|enabled|1" },
	{ "policies_fwd_out", V_ONLY, 0, 0, "no|false|disabled|0" },
	{ "sha256_96", V_ONLY, 0, 0, "no|false|disabled|0" },
	{ "tfc_padding", V_ONLY, 0, 0, "0" },
	{ "copy_df", V_ONLY, 0, 0, "yes|true|enabled|1" },
	{ "copy_ecn", V_ONLY, 0, 0, "yes|true|enabled|1" },
	{ "copy_dscp", V_ONLY, 0, 0, "out" },
	{ "hostaccess", V_IGNORE, 0, 0, NULL },
	{ "hw_offload", V_IGNORE, 0, 0, NULL },
	{ "updown", V_UNSUPP, 0, 0, "fgated runs no updown scripts" },
	{ "reqid", V_UNSUPP, 0, 0, NULL },
	{ "priority", V_UNSUPP, 0, 0, NULL },
	{ "interface", V_UNSUPP, 0, 0, NULL },
	{ "mark_in", V_UNSUPP, 0, 0, NULL },
	{ "mark_in_sa", V_UNSUPP, 0, 0, NULL },
	{ "mark_out", V_UNSUPP, 0, 0, NULL },
	{ "set_mark_in", V_UNSUPP, 0, 0, NULL },
	{ "set_mark_out", V_UNSUPP, 0, 0, NULL },
	{ "if_id_in", V_UNSUPP, 0, 0, NULL },
	{ "if_id_out", V_UNSUPP, 0, 0, NULL },
	{ "label", V_UNSUPP, 0, 0, NULL },
	{ "label_mode", V_UNSUPP, 0, 0, NULL },
	{ "per_cpu_sas", V_UNSUPP, 0, 0, NULL },
	{ NULL, 0, 0, 0, NULL },
};

/* local_ts/remote_ts when not set, and local_addrs/remote_addrs */
static const struct fg_ts ts_dynamic = { .dynamic = true, .port_last = 65535 };
static const struct fg_addrs addrs_any = { .n = 1, .any = true,
					   .r = { { 0, UINT32_MAX } } };

/* ---- children ---- */

/* charon's check_lifetimes(): hard limit +10%, jitter the difference. */
static void fix_lifetimes(uint64_t rekey, uint64_t *life, uint64_t *rand)
{
	if (*life == CONFIG_UNDEF)
		*life = rekey > UINT64_MAX / 110 ? rekey : rekey * 110 / 100;
	if (*rand == CONFIG_UNDEF)
		*rand = *life - (*life < rekey ? *life : rekey);
}

static int load_child(struct config_ctx *v, const struct conf_section *sec,
		      struct fg_child *ch)
{
	int rc;

	ch->file = sec->file;
	ch->line = sec->line;
	ch->name = strdup(sec->name);
	if (!ch->name)
		return config_fail(v, FG_ERR_NOMEM, sec->file, sec->line, NULL,
				   "out of memory");
	ch->rekey_time = CONFIG_DEFAULT_CHILD_REKEY;
	ch->life_time = ch->rand_time = CONFIG_UNDEF;
	ch->life_bytes = ch->rand_bytes = CONFIG_UNDEF;
	ch->life_packets = ch->rand_packets = CONFIG_UNDEF;
	ch->replay_window = CONFIG_DEFAULT_REPLAY_WINDOW;
	rc = config_apply_all(v, sec, child_rules, ch);
	if (!rc)
		rc = config_no_subsections(v, sec);
	if (rc)
		return rc;
	if (!ch->n_local_ts) {
		ch->n_local_ts = 1;
		ch->local_ts[0] = ts_dynamic;
	}
	if (!ch->n_remote_ts) {
		ch->n_remote_ts = 1;
		ch->remote_ts[0] = ts_dynamic;
	}
	if (!ch->esp.n && !ch->ah.n)
		proposal_default(PROPOSAL_ESP, &ch->esp);
	fix_lifetimes(ch->rekey_time, &ch->life_time, &ch->rand_time);
	fix_lifetimes(ch->rekey_bytes, &ch->life_bytes, &ch->rand_bytes);
	fix_lifetimes(ch->rekey_packets, &ch->life_packets, &ch->rand_packets);
	if (ch->life_time < ch->rekey_time)
		fg_warn("%s:%d: %s: life_time %llu is shorter than rekey_time %llu",
			sec->file, sec->line, v->path,
			(unsigned long long)ch->life_time,
			(unsigned long long)ch->rekey_time);
	return 0;
}

static int load_children(struct config_ctx *v, const struct conf_section *sec,
			 struct fg_conn *c)
{
	const struct conf_section *cs;
	size_t n;
	int rc;

	c->children = config_list_alloc(v, sec, "children", CONFIG_CHILDREN_MAX,
					sizeof(*c->children), &rc);
	if (!c->children)
		return rc;
	for (cs = sec->sections; cs; cs = cs->next) {
		n = config_path_push(v, cs->name);
		rc = load_child(v, cs, &c->children[c->n_children++]);
		config_path_pop(v, n);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- connections ---- */

/* A local<suffix> or remote<suffix> section: one authentication round.
 * id keeps its default unless the round sets one. */
static int load_auth(struct config_ctx *v, const struct conf_section *sec, char *id,
		     bool *psk)
{
	const struct conf_section *c = sec->sections;
	struct config_round round = { .psk = false };
	int rc;

	memcpy(round.id, id, sizeof(round.id));
	rc = config_apply_all(v, sec, auth_rules, &round);
	memcpy(id, round.id, sizeof(round.id));
	*psk = round.psk;
	if (rc || !c)
		return rc;
	if (strncasecmp(c->name, "cert", 4) == 0 || strncasecmp(c->name, "cacert", 6) == 0)
		return config_fail(v, FG_ERR_UNSUPP, c->file, c->line, c->name,
				   "not supported by fgated (fgated does psk only)");
	return config_fail(v, FG_ERR_PARSE, c->file, c->line, c->name, "unknown section");
}

/* charon's defaults for the IKE SA lifetimes (vici_config.c config_sn). */
static void fix_ike_lifetimes(struct fg_conn *c)
{
	uint64_t longer, base;

	if (c->rekey_time == CONFIG_UNDEF && c->reauth_time == CONFIG_UNDEF)
		c->rekey_time = CONFIG_DEFAULT_IKE_REKEY;
	if (c->rekey_time == CONFIG_UNDEF)
		c->rekey_time = 0;
	if (c->reauth_time == CONFIG_UNDEF)
		c->reauth_time = 0;
	longer = c->rekey_time > c->reauth_time ? c->rekey_time : c->reauth_time;
	if (c->over_time == CONFIG_UNDEF)
		c->over_time = longer / 10;
	if (c->rand_time == CONFIG_UNDEF) {
		base = c->rekey_time && c->reauth_time ?
		       (c->rekey_time < c->reauth_time ? c->rekey_time : c->reauth_time) :
		       longer;
		c->rand_time = c->over_time < base / 2 ? c->over_time : base / 2;
	}
}

/* children, and one local<suffix> and one remote<suffix> round. */
static int load_conn_sections(struct config_ctx *v, const struct conf_section *sec,
			      struct fg_conn *c, bool psk[2])
{
	const struct conf_section *cs;
	int rounds[2] = { 0, 0 }, side, rc;
	size_t n;

	for (cs = sec->sections; cs; cs = cs->next) {
		side = strncasecmp(cs->name, "local", 5) == 0 ? 0 :
		       strncasecmp(cs->name, "remote", 6) == 0 ? 1 : -1;
		if (side < 0 && strcmp(cs->name, "children") != 0)
			return config_fail(v, FG_ERR_PARSE, cs->file, cs->line, cs->name,
					   "unknown section");
		if (side >= 0 && rounds[side]++)
			return config_fail(v, FG_ERR_UNSUPP, cs->file, cs->line, cs->name,
					   "a second authentication round (XAuth) "
					   "is not supported by fgated");
		n = config_path_push(v, cs->name);
		if (side < 0)
			rc = load_children(v, cs, c);
		else
			rc = load_auth(v, cs, side ? c->remote_id : c->local_id,
				       &psk[side]);
		config_path_pop(v, n);
		if (rc)
			return rc;
	}
	return 0;
}

static int load_conn(struct config_ctx *v, const struct conf_section *sec,
		     struct fg_conn *c)
{
	const struct conf_setting *ver = conf_setting_find(sec, "version");
	static const char *const side[2] = { "local", "remote" };
	const struct conf_section *cs;
	bool psk[2] = { false, false };
	uint64_t n;
	int rc, i;

	c->name = strdup(sec->name);
	if (!c->name)
		return config_fail(v, FG_ERR_NOMEM, sec->file, sec->line, NULL,
				   "out of memory");
	c->file = sec->file;
	c->line = sec->line;
	c->local_port = c->remote_port = CONFIG_DEFAULT_IKE_PORT;
	c->keyingtries = 1;
	c->rekey_time = c->reauth_time = c->over_time = c->rand_time = CONFIG_UNDEF;
	snprintf(c->remote_id, sizeof(c->remote_id), "%%any");

	if (!ver || !ver->value)
		return config_fail(v, FG_ERR_UNSUPP, ver ? ver->file : sec->file,
				   ver ? ver->line : sec->line, "version",
				   "not set, and strongSwan's default 0 means IKEv2: "
				   "fgated speaks IKEv1 only (set version = 1)");
	if (!config_parse_u64(ver->value, &n))
		return config_bad(v, ver, "1 (IKEv1)");
	if (n != 1)
		return config_fail(v, FG_ERR_UNSUPP, ver->file, ver->line, "version",
				   "fgated speaks IKEv1 only (version = 1), got '%.16s'",
				   ver->value);
	rc = config_apply_all(v, sec, conn_rules, c);
	if (!rc)
		rc = load_conn_sections(v, sec, c, psk);
	if (rc)
		return rc;
	for (i = 0; i < 2; i++) {
		if (psk[i])
			continue;
		for (cs = sec->sections; cs; cs = cs->next)
			if (strncasecmp(cs->name, side[i], strlen(side[i])) == 0)
				break;
		return config_fail(v, FG_ERR_UNSUPP, cs ? cs->file : sec->file,
				   cs ? cs->line : sec->line, cs ? cs->name : side[i],
				   "auth not set, and strongSwan's default pubkey is not "
				   "supported by fgated (set auth = psk)");
	}
	if (!c->local_addrs.n)
		c->local_addrs = addrs_any;
	if (!c->remote_addrs.n)
		c->remote_addrs = addrs_any;
	if (!c->proposals.n)
		proposal_default(PROPOSAL_IKE, &c->proposals);
	fix_ike_lifetimes(c);
	return 0;
}

int config_load_connections(struct config_ctx *v, const struct conf_section *sec,
			    struct fg_config *cfg)
{
	const struct conf_section *cs;
	size_t len;
	int rc;

	cfg->conns = config_list_alloc(v, sec, "connections", CONFIG_CONNS_MAX,
				       sizeof(*cfg->conns), &rc);
	if (!cfg->conns)
		return rc;
	for (cs = sec->sections; cs; cs = cs->next) {
		len = config_path_push(v, cs->name);
		rc = load_conn(v, cs, &cfg->conns[cfg->n_conns++]);
		config_path_pop(v, len);
		if (rc)
			return rc;
	}
	return 0;
}
