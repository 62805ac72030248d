/*
 * swanctl.conf schema: walks the conf tree section by section with one rule
 * table per section kind (connection, auth round, child, fgate), converts
 * each value to its typed field, then applies charon's defaults
 * (vici_config.c) and fgated's IKEv1-only checks. See config.h.
 */
#include "common/config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/err.h"

#define UNDEF UINT64_MAX        /* a lifetime not configured */

enum {
	DEFAULT_IKE_PORT = 500,
	DEFAULT_IKE_REKEY = 4 * 3600,
	DEFAULT_CHILD_REKEY = 3600,
	DEFAULT_REPLAY_WINDOW = 32,
	PATH_BUF = 512,
	LIST_MAX = 1024,        /* bytes of an address or selector list */
};

/* How a value is checked and stored. */
enum vkind {
	V_BOOL, V_TIME, V_BYTES, V_U64, V_U32, V_PORT, V_ADDRS, V_TS,
	V_IKE_PROPS, V_ESP_PROPS, V_AH_PROPS, V_MODE, V_ACTION, V_UNIQUE, V_DSCP,
	V_PATH, V_OFFLOAD, V_IFNAME, V_LOGLEVEL,
	V_IGNORE,       /* valid in swanctl.conf, changes nothing in IKEv1 */
	V_SKIP,         /* handled by the section's loader itself */
	V_ONLY,         /* accepted only as one of the words in arg */
	V_UNSUPP,       /* a feature fgated lacks; arg: a note or NULL */
};

struct rule {
	const char *key;
	enum vkind kind;
	size_t off;             /* field in the target struct */
	size_t off2;            /* V_TS: the count field */
	const char *arg;        /* V_ONLY words "a|b", V_ACTION's expected words */
};

#define C(f) offsetof(struct fg_conn, f)
#define H(f) offsetof(struct fg_child, f)
#define F(f) offsetof(struct fg_fgate_cfg, f)

static const struct rule conn_rules[] = {
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

static const struct rule auth_rules[] = {
	{ "auth", V_SKIP, 0, 0, NULL },
	{ "id", V_SKIP, 0, 0, NULL },
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

static const struct rule child_rules[] = {
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

static const struct rule fgate_rules[] = {
	{ "control", V_PATH, F(control), 0, NULL },
	{ "offload", V_OFFLOAD, F(offload), 0, NULL },
	{ "tun", V_IFNAME, F(tun), 0, NULL },
	{ "install_routes", V_BOOL, F(install_routes), 0, NULL },
	{ "log_level", V_LOGLEVEL, F(log_level), 0, NULL },
	{ NULL, 0, 0, 0, NULL },
};

struct vctx {
	char *err;
	size_t errlen;
	char path[PATH_BUF];    /* the section being checked */
};

/* ---- messages ---- */

static int vfail(struct vctx *v, int rc, const char *file, int line,
		 const char *key, const char *fmt, va_list ap)
{
	char msg[CONF_ERR_MAX];
	int n;

	n = snprintf(msg, sizeof(msg), "%s:%d: %s%s%s: ", file, line, v->path,
		     key && *v->path ? "." : "", key ? key : "");
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = 0;
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	fg_err("%s", msg);
	if (v->err && v->errlen)
		snprintf(v->err, v->errlen, "%s", msg);
	return rc;
}

static int fail(struct vctx *v, int rc, const char *file, int line,
		const char *key, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static int fail(struct vctx *v, int rc, const char *file, int line,
		const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rc = vfail(v, rc, file, line, key, fmt, ap);
	va_end(ap);
	return rc;
}

/* "FILE:LINE: path.key: expected X, got 'value'" */
static int bad(struct vctx *v, const struct conf_setting *s, const char *expected)
{
	return fail(v, FG_ERR_PARSE, s->file, s->line, s->key,
		    "expected %s, got '%.64s'", expected, s->value);
}

static int unsupported(struct vctx *v, const struct conf_setting *s, const char *note)
{
	return fail(v, FG_ERR_UNSUPP, s->file, s->line, s->key,
		    "not supported by fgated%s%s%s", note ? " (" : "",
		    note ? note : "", note ? ")" : "");
}

/* Appends ".name" to the path for the duration of a subsection. */
static size_t path_push(struct vctx *v, const char *name)
{
	size_t n = strlen(v->path);

	snprintf(v->path + n, sizeof(v->path) - n, "%s%s", n ? "." : "", name);
	return n;
}

static void path_pop(struct vctx *v, size_t n)
{
	v->path[n] = '\0';
}

/* ---- scalar values ---- */

/* A number as strtoull(base 0) reads it, digits first: no sign or blanks. */
static bool parse_number(const char *s, uint64_t *out, const char **end)
{
	unsigned long long n;
	char *e;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	n = strtoull(s, &e, 0);
	if (errno)
		return false;
	*out = n;
	*end = e;
	return true;
}

static bool parse_u64(const char *s, uint64_t *out)
{
	const char *end;

	return parse_number(s, out, &end) && !*end;
}

static bool mul_ok(uint64_t *n, uint64_t m)
{
	if (*n > UINT64_MAX / m)
		return false;
	*n *= m;
	return true;
}

/* Seconds, with an optional s, m, h or d suffix (vici_config.c parse_time). */
static bool parse_time(const char *s, uint64_t *out)
{
	const char *end;
	uint64_t n, m = 1;

	if (!parse_number(s, &n, &end))
		return false;
	while (*end == ' ')
		end++;
	switch (*end) {
	case 'd': case 'D': m = 86400; end++; break;
	case 'h': case 'H': m = 3600; end++; break;
	case 'm': case 'M': m = 60; end++; break;
	case 's': case 'S': end++; break;
	default: break;
	}
	if (*end || !mul_ok(&n, m))
		return false;
	*out = n;
	return true;
}

/* Bytes, with an optional k, m or g suffix (powers of 1024). */
static bool parse_bytes(const char *s, uint64_t *out)
{
	const char *end;
	uint64_t n, m = 1;

	if (!parse_number(s, &n, &end))
		return false;
	while (*end == ' ')
		end++;
	switch (*end) {
	case 'g': case 'G': m = 1u << 30; end++; break;
	case 'm': case 'M': m = 1u << 20; end++; break;
	case 'k': case 'K': m = 1u << 10; end++; break;
	default: break;
	}
	if (*end || !mul_ok(&n, m))
		return false;
	*out = n;
	return true;
}

static bool parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "enabled", "1" };
	static const char *const no[] = { "no", "false", "disabled", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

/* True if s is one of the '|' separated words (case-insensitive). */
static bool is_word(const char *s, const char *words)
{
	size_t n = strlen(s);
	const char *w, *e;

	for (w = words; *w; w = *e ? e + 1 : e) {
		e = strchr(w, '|');
		if (!e)
			e = w + strlen(w);
		if ((size_t)(e - w) == n && strncasecmp(w, s, n) == 0)
			return true;
	}
	return false;
}

/* Index of s among the '|' separated words, or -1. */
static int word_index(const char *s, const char *words)
{
	char one[32];
	const char *w, *e;
	int i = 0;

	for (w = words; *w; w = *e ? e + 1 : e, i++) {
		e = strchr(w, '|');
		if (!e)
			e = w + strlen(w);
		snprintf(one, sizeof(one), "%.*s", (int)(e - w), w);
		if (strcasecmp(one, s) == 0)
			return i;
	}
	return -1;
}

/* ---- addresses and selectors ---- */

static bool parse_ipv4(const char *s, uint32_t *out)
{
	struct in_addr in;

	if (inet_pton(AF_INET, s, &in) != 1)
		return false;
	*out = ntohl(in.s_addr);
	return true;
}

/* An address, CIDR subnet or "a-b" range into r; why explains a failure. */
static bool parse_range(char *s, struct fg_addr_range *r, const char **why)
{
	char *sep, *end;
	unsigned long bits;
	uint32_t a, b, mask;

	*why = "an IPv4 address, subnet or range";
	if (strchr(s, ':') || strcasecmp(s, "%any6") == 0) {
		*why = "IPv4 (IPv6 is not supported by fgated)";
		return false;
	}
	if ((sep = strchr(s, '/'))) {
		*sep = '\0';
		if (!parse_ipv4(s, &a) || sep[1] < '0' || sep[1] > '9')
			return false;
		bits = strtoul(sep + 1, &end, 10);
		if (*end || bits > 32)
			return false;
		mask = bits ? ~0u << (32 - bits) : 0;
		r->first = a & mask;
		r->last = r->first | ~mask;
		return true;
	}
	if ((sep = strchr(s, '-'))) {
		*sep = '\0';
		if (!parse_ipv4(s, &a) || !parse_ipv4(sep + 1, &b) || a > b)
			return false;
		r->first = a;
		r->last = b;
		return true;
	}
	if (!parse_ipv4(s, &a)) {
		if (strspn(s, "0123456789.") != strlen(s))
			*why = "an IPv4 address (DNS names are not supported by fgated)";
		return false;
	}
	r->first = r->last = a;
	return true;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* Splits a comma separated list in place; returns the count or -1 if one
 * entry is empty or there are more than max. */
static int split(char *s, char **items, int max)
{
	int n = 0;
	char *next;

	for (; s; s = next) {
		next = strchr(s, ',');
		if (next)
			*next++ = '\0';
		if (n >= max)
			return -1;
		items[n] = trim(s);
		if (!*items[n])
			return -1;
		n++;
	}
	return n;
}

static int set_addrs(struct vctx *v, const struct conf_setting *s, struct fg_addrs *a)
{
	char buf[LIST_MAX], *items[CONFIG_ADDRS_MAX + 1];
	const char *why;
	int i, n = -1;

	if (strlen(s->value) < sizeof(buf)) {
		memcpy(buf, s->value, strlen(s->value) + 1);
		n = split(buf, items, CONFIG_ADDRS_MAX);
	}
	if (n < 0)
		return fail(v, FG_ERR_PARSE, s->file, s->line, s->key,
			    "expected up to %d comma separated addresses, got '%.64s'",
			    CONFIG_ADDRS_MAX, s->value);
	memset(a, 0, sizeof(*a));
	for (i = 0; i < n; i++) {
		if (strcasecmp(items[i], "%any") == 0 || strcasecmp(items[i], "%any4") == 0) {
			a->any = true;
			a->r[i].first = 0;
			a->r[i].last = UINT32_MAX;
		} else if (!parse_range(items[i], &a->r[i], &why)) {
			return bad(v, s, why);
		}
	}
	a->n = (unsigned)n;
	return 0;
}

static bool parse_port(const char *s, uint16_t *out)
{
	uint64_t n;

	if (!parse_u64(s, &n) || n > 65535)
		return false;
	*out = (uint16_t)n;
	return true;
}

/* "[proto]" or "[proto/port]" or "[proto/from-to]" (the brackets removed). */
static bool parse_protoport(char *s, struct fg_ts *ts, const char **why)
{
	static const struct { const char *name; uint8_t num; } protos[] = {
		{ "any", 0 }, { "icmp", 1 }, { "igmp", 2 }, { "tcp", 6 },
		{ "udp", 17 }, { "gre", 47 }, { "esp", 50 }, { "ah", 51 },
		{ "sctp", 132 },
	};
	char *port = strchr(s, '/'), *dash;
	uint64_t n;
	size_t i;

	*why = "a selector like 10.1.0.0/16 or 10.1.0.0/16[tcp/80]";
	if (port)
		*port++ = '\0';
	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (strcasecmp(s, protos[i].name) == 0)
			break;
	if (i < sizeof(protos) / sizeof(protos[0]))
		ts->proto = protos[i].num;
	else if (parse_u64(s, &n) && n <= 255)
		ts->proto = (uint8_t)n;
	else
		return false;
	if (!port || !*port || strcasecmp(port, "any") == 0)
		return true;
	if (strcasecmp(port, "opaque") == 0) {
		*why = "a port (OPAQUE ports are not supported by fgated)";
		return false;
	}
	dash = strchr(port, '-');
	if (dash)
		*dash++ = '\0';
	if (!parse_port(port, &ts->port_first) ||
	    !parse_port(dash ? dash : port, &ts->port_last) ||
	    ts->port_first > ts->port_last) {
		if (*port < '0' || *port > '9')
			*why = "a port number (service names are not supported by fgated)";
		return false;
	}
	return true;
}

static int set_ts(struct vctx *v, const struct conf_setting *s, struct fg_ts *ts,
		  unsigned *count)
{
	char buf[LIST_MAX], *items[CONFIG_TS_MAX + 1], *pp, *close;
	const char *why = "a selector like 10.1.0.0/16, 10.1.0.1 or dynamic";
	int i, n = -1;

	if (strlen(s->value) < sizeof(buf)) {
		memcpy(buf, s->value, strlen(s->value) + 1);
		n = split(buf, items, CONFIG_TS_MAX);
	}
	if (n < 0)
		return fail(v, FG_ERR_PARSE, s->file, s->line, s->key,
			    "expected up to %d comma separated selectors, got '%.64s'",
			    CONFIG_TS_MAX, s->value);
	for (i = 0; i < n; i++) {
		memset(&ts[i], 0, sizeof(ts[i]));
		ts[i].port_last = 65535;
		pp = strchr(items[i], '[');
		if (pp) {
			close = strrchr(pp, ']');
			if (!close || close[1])
				return bad(v, s, why);
			*pp++ = '\0';
			*close = '\0';
			if (!parse_protoport(trim(pp), &ts[i], &why))
				return bad(v, s, why);
		}
		pp = trim(items[i]);
		if (strcasecmp(pp, "dynamic") == 0)
			ts[i].dynamic = true;
		else if (!parse_range(pp, &ts[i].addr, &why))
			return bad(v, s, why);
	}
	*count = (unsigned)n;
	if (n > 1)
		fg_warn("%s:%d: %s.%s: IKEv1 negotiates only the first of %d "
			"selectors", s->file, s->line, v->path, s->key, n);
	return 0;
}

/* ---- applying a rule ---- */

static int set_props(struct vctx *v, const struct conf_setting *s,
		     enum proposal_proto proto, struct proposal_list *out)
{
	char msg[PROPOSAL_ERR_MAX];
	int rc;

	rc = proposal_parse(proto, s->value, out, msg, sizeof(msg));
	if (rc)
		return fail(v, rc, s->file, s->line, s->key, "%s", msg);
	return 0;
}

static int set_string(struct vctx *v, const struct conf_setting *s, char *out,
		      size_t size, const char *what)
{
	if (!*s->value || strlen(s->value) >= size)
		return fail(v, FG_ERR_PARSE, s->file, s->line, s->key,
			    "expected %s of 1 to %zu bytes, got '%.64s'", what,
			    size - 1, s->value);
	memcpy(out, s->value, strlen(s->value) + 1);
	return 0;
}

/* "'no'" for a boolean's synonyms "no|false|disabled|0", else "'a' or 'b'". */
static void only_text(const char *words, char *buf, size_t len)
{
	const char *bar = strchr(words, '|');

	if (!bar || strstr(words, "|enabled|") || strstr(words, "|disabled|"))
		snprintf(buf, len, "'%.*s'", (int)strcspn(words, "|"), words);
	else
		snprintf(buf, len, "'%.*s' or '%s'", (int)(bar - words), words, bar + 1);
}

static int apply(struct vctx *v, const struct rule *r, const struct conf_setting *s,
		 void *base)
{
	char *field = (char *)base + r->off, words[64];
	enum fg_log_level level;
	uint64_t n;
	bool b;
	int i;

	switch (r->kind) {
	case V_BOOL:
		if (!parse_bool(s->value, (bool *)field))
			return bad(v, s, "yes or no");
		return 0;
	case V_TIME:
		if (!parse_time(s->value, (uint64_t *)field))
			return bad(v, s, "a time in seconds, with s, m, h or d");
		return 0;
	case V_BYTES:
		if (!parse_bytes(s->value, (uint64_t *)field))
			return bad(v, s, "a byte count, with k, m or g");
		return 0;
	case V_U64:
		if (!parse_u64(s->value, (uint64_t *)field))
			return bad(v, s, "a number");
		return 0;
	case V_U32:
		if (!parse_u64(s->value, &n) || n > UINT32_MAX)
			return bad(v, s, "a number up to 4294967295");
		*(uint32_t *)field = (uint32_t)n;
		return 0;
	case V_PORT:
		if (!parse_port(s->value, (uint16_t *)field))
			return bad(v, s, "a port number");
		if (*(uint16_t *)field == 0)    /* 0: the default port */
			*(uint16_t *)field = DEFAULT_IKE_PORT;
		return 0;
	case V_ADDRS:
		return set_addrs(v, s, (struct fg_addrs *)field);
	case V_TS:
		return set_ts(v, s, (struct fg_ts *)field,
			      (unsigned *)((char *)base + r->off2));
	case V_IKE_PROPS:
		return set_props(v, s, PROPOSAL_IKE, (struct proposal_list *)field);
	case V_ESP_PROPS:
		return set_props(v, s, PROPOSAL_ESP, (struct proposal_list *)field);
	case V_AH_PROPS:
		return set_props(v, s, PROPOSAL_AH, (struct proposal_list *)field);
	case V_MODE:
		i = word_index(s->value, "tunnel|transport");
		if (i >= 0) {
			*(enum fg_mode *)field = (enum fg_mode)i;
			return 0;
		}
		if (is_word(s->value, "transport_proxy|beet|pass|drop"))
			return unsupported(v, s, "fgated does tunnel and transport");
		return bad(v, s, "tunnel or transport");
	case V_ACTION:
		i = word_index(s->value, "none|clear|trap|route|start|restart");
		if (i < 0)
			return bad(v, s, r->arg);
		*(enum fg_action *)field = (enum fg_action)(i / 2);
		return 0;
	case V_UNIQUE:
		i = word_index(s->value, "no|never|keep|replace");
		if (i < 0)
			return bad(v, s, "no, never, keep or replace");
		*(enum fg_unique *)field = (enum fg_unique)i;
		return 0;
	case V_DSCP:
		if (!*s->value || strlen(s->value) > 6 ||
		    strspn(s->value, "01") != strlen(s->value))
			return bad(v, s, "six binary digits");
		*(uint8_t *)field = (uint8_t)strtoul(s->value, NULL, 2);
		return 0;
	case V_PATH:
		if (s->value[0] != '/')
			return bad(v, s, "an absolute path");
		return set_string(v, s, field, CONFIG_PATH_MAX, "a path");
	case V_OFFLOAD:
		i = word_index(s->value, "soft|sim|usb|pcie");
		if (i < 0)
			return bad(v, s, "soft, sim, usb or pcie");
		*(enum fg_offload *)field = (enum fg_offload)i;
		return 0;
	case V_IFNAME:
		if (strpbrk(s->value, "/: \t") || strcmp(s->value, ".") == 0 ||
		    strcmp(s->value, "..") == 0)
			return bad(v, s, "an interface name");
		return set_string(v, s, field, CONFIG_IFNAME_MAX, "an interface name");
	case V_LOGLEVEL:
		if (fg_log_level_parse(s->value, &level))
			return bad(v, s, "error, warn, info, debug or keys");
		*(enum fg_log_level *)field = level;
		return 0;
	case V_SKIP:
		return 0;
	case V_IGNORE:
		fg_debug("%s:%d: %s.%s: no effect in IKEv1, ignored", s->file,
			 s->line, v->path, s->key);
		return 0;
	case V_ONLY:
		if (is_word(s->value, r->arg))
			return 0;
		if (!parse_bool(s->value, &b) && (strstr(r->arg, "|enabled|") ||
						  strstr(r->arg, "|disabled|")))
			return bad(v, s, "yes or no");
		only_text(r->arg, words, sizeof(words));
		return fail(v, FG_ERR_UNSUPP, s->file, s->line, s->key,
			    "'%.64s' not supported by fgated (only %s)", s->value,
			    words);
	case V_UNSUPP:
		return unsupported(v, s, r->arg);
	}
	return FG_ERR_INVAL;
}

static const struct rule *find_rule(const struct rule *rules, const char *key)
{
	for (; rules->key; rules++)
		if (strcmp(rules->key, key) == 0)
			return rules;
	return NULL;
}

/* Applies every setting of sec through rules (settings without a value keep
 * their default). */
static int apply_all(struct vctx *v, const struct conf_section *sec,
		     const struct rule *rules, void *base)
{
	const struct conf_setting *s;
	const struct rule *r;
	int rc;

	for (s = sec->settings; s; s = s->next) {
		r = find_rule(rules, s->key);
		if (!r)
			return fail(v, FG_ERR_PARSE, s->file, s->line, s->key,
				    "unknown key");
		if (!s->value)
			continue;
		rc = apply(v, r, s, base);
		if (rc)
			return rc;
	}
	return 0;
}

static unsigned count_sections(const struct conf_section *sec)
{
	const struct conf_section *c;
	unsigned n = 0;

	for (c = sec ? sec->sections : NULL; c; c = c->next)
		n++;
	return n;
}

/* ---- children ---- */

/* charon's check_lifetimes(): hard limit +10%, jitter the difference. */
static void fix_lifetimes(uint64_t rekey, uint64_t *life, uint64_t *rand)
{
	if (*life == UNDEF)
		*life = rekey > UINT64_MAX / 110 ? rekey : rekey * 110 / 100;
	if (*rand == UNDEF)
		*rand = *life - (*life < rekey ? *life : rekey);
}

static int load_child(struct vctx *v, const struct conf_section *sec,
		      struct fg_child *ch)
{
	int rc;

	ch->file = sec->file;
	ch->line = sec->line;
	ch->name = strdup(sec->name);
	if (!ch->name)
		return fail(v, FG_ERR_NOMEM, sec->file, sec->line, NULL, "out of memory");
	ch->rekey_time = DEFAULT_CHILD_REKEY;
	ch->life_time = ch->rand_time = UNDEF;
	ch->life_bytes = ch->rand_bytes = UNDEF;
	ch->life_packets = ch->rand_packets = UNDEF;
	ch->replay_window = DEFAULT_REPLAY_WINDOW;
	rc = apply_all(v, sec, child_rules, ch);
	if (rc)
		return rc;
	if (sec->sections)
		return fail(v, FG_ERR_PARSE, sec->sections->file, sec->sections->line,
			    sec->sections->name, "unknown section");
	if (!ch->n_local_ts) {
		ch->n_local_ts = 1;
		ch->local_ts[0] = (struct fg_ts){ .dynamic = true, .port_last = 65535 };
	}
	if (!ch->n_remote_ts) {
		ch->n_remote_ts = 1;
		ch->remote_ts[0] = (struct fg_ts){ .dynamic = true, .port_last = 65535 };
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

static int load_children(struct vctx *v, const struct conf_section *sec,
			 struct fg_conn *c)
{
	const struct conf_section *cs;
	size_t n;
	int rc;

	if (sec->settings)
		return fail(v, FG_ERR_PARSE, sec->settings->file, sec->settings->line,
			    sec->settings->key, "unknown key (children are sections)");
	if (count_sections(sec) > CONFIG_CHILDREN_MAX)
		return fail(v, FG_ERR_PARSE, sec->file, sec->line, NULL,
			    "more than %d children", CONFIG_CHILDREN_MAX);
	c->children = calloc(count_sections(sec) + 1, sizeof(*c->children));
	if (!c->children)
		return fail(v, FG_ERR_NOMEM, sec->file, sec->line, NULL, "out of memory");
	for (cs = sec->sections; cs; cs = cs->next) {
		n = path_push(v, cs->name);
		rc = load_child(v, cs, &c->children[c->n_children++]);
		path_pop(v, n);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- connections ---- */

static int set_auth(struct vctx *v, const struct conf_setting *s, bool *psk)
{
	static const char *const others[] = {
		"pubkey", "rsa", "ecdsa", "bliss", "ike:", "xauth", "eap",
	};
	size_t i;

	if (strcasecmp(s->value, "psk") == 0) {
		*psk = true;
		return 0;
	}
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (strncasecmp(s->value, others[i], strlen(others[i])) == 0)
			return fail(v, FG_ERR_UNSUPP, s->file, s->line, s->key,
				    "'%.64s' not supported by fgated (fgated does "
				    "psk only)", s->value);
	return bad(v, s, "psk");
}

/* A local<suffix> or remote<suffix> section: one authentication round. */
static int load_auth(struct vctx *v, const struct conf_section *sec, char *id,
		     bool *psk)
{
	const struct conf_setting *s;
	const struct conf_section *c = sec->sections;
	const struct rule *r;
	int rc;

	for (s = sec->settings; s; s = s->next) {
		r = find_rule(auth_rules, s->key);
		if (!r)
			return fail(v, FG_ERR_PARSE, s->file, s->line, s->key,
				    "unknown key");
		if (!s->value)
			continue;
		if (strcmp(s->key, "auth") == 0)
			rc = set_auth(v, s, psk);
		else if (strcmp(s->key, "id") == 0)
			rc = set_string(v, s, id, CONFIG_ID_MAX, "an identity");
		else
			rc = apply(v, r, s, NULL);
		if (rc)
			return rc;
	}
	if (!c)
		return 0;
	if (strncasecmp(c->name, "cert", 4) == 0 || strncasecmp(c->name, "cacert", 6) == 0)
		return fail(v, FG_ERR_UNSUPP, c->file, c->line, c->name,
			    "not supported by fgated (fgated does psk only)");
	return fail(v, FG_ERR_PARSE, c->file, c->line, c->name, "unknown section");
}

/* charon's defaults for the IKE SA lifetimes (vici_config.c config_sn). */
static void fix_ike_lifetimes(struct fg_conn *c)
{
	uint64_t longer, base;

	if (c->rekey_time == UNDEF && c->reauth_time == UNDEF)
		c->rekey_time = DEFAULT_IKE_REKEY;
	if (c->rekey_time == UNDEF)
		c->rekey_time = 0;
	if (c->reauth_time == UNDEF)
		c->reauth_time = 0;
	longer = c->rekey_time > c->reauth_time ? c->rekey_time : c->reauth_time;
	if (c->over_time == UNDEF)
		c->over_time = longer / 10;
	if (c->rand_time == UNDEF) {
		base = c->rekey_time && c->reauth_time ?
		       (c->rekey_time < c->reauth_time ? c->rekey_time : c->reauth_time) :
		       longer;
		c->rand_time = c->over_time < base / 2 ? c->over_time : base / 2;
	}
}

static int load_conn_sections(struct vctx *v, const struct conf_section *sec,
			      struct fg_conn *c, bool psk[2])
{
	const struct conf_section *cs;
	int rounds[2] = { 0, 0 }, side, rc;
	size_t n;

	for (cs = sec->sections; cs; cs = cs->next) {
		n = path_push(v, cs->name);
		if (strcmp(cs->name, "children") == 0) {
			rc = load_children(v, cs, c);
		} else if (strncasecmp(cs->name, "local", 5) == 0 ||
			   strncasecmp(cs->name, "remote", 6) == 0) {
			side = strncasecmp(cs->name, "local", 5) == 0 ? 0 : 1;
			path_pop(v, n);
			if (rounds[side]++)
				return fail(v, FG_ERR_UNSUPP, cs->file, cs->line, cs->name,
					    "a second authentication round (XAuth) "
					    "is not supported by fgated");
			n = path_push(v, cs->name);
			rc = load_auth(v, cs, side ? c->remote_id : c->local_id,
				       &psk[side]);
		} else {
			path_pop(v, n);
			return fail(v, FG_ERR_PARSE, cs->file, cs->line, cs->name,
				    "unknown section");
		}
		path_pop(v, n);
		if (rc)
			return rc;
	}
	return 0;
}

static int load_conn(struct vctx *v, const struct conf_section *sec,
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
		return fail(v, FG_ERR_NOMEM, sec->file, sec->line, NULL, "out of memory");
	c->file = sec->file;
	c->line = sec->line;
	c->local_port = c->remote_port = DEFAULT_IKE_PORT;
	c->keyingtries = 1;
	c->rekey_time = c->reauth_time = c->over_time = c->rand_time = UNDEF;
	snprintf(c->remote_id, sizeof(c->remote_id), "%%any");

	if (!ver || !ver->value)
		return fail(v, FG_ERR_UNSUPP, ver ? ver->file : sec->file,
			    ver ? ver->line : sec->line, "version",
			    "not set, and strongSwan's default 0 means IKEv2: "
			    "fgated speaks IKEv1 only (set version = 1)");
	if (!parse_u64(ver->value, &n))
		return bad(v, ver, "1 (IKEv1)");
	if (n != 1)
		return fail(v, FG_ERR_UNSUPP, ver->file, ver->line, "version",
			    "fgated speaks IKEv1 only (version = 1), got '%.16s'",
			    ver->value);
	for (const struct conf_setting *s = sec->settings; s; s = s->next) {
		if (strcmp(s->key, "version") == 0)
			continue;
		if (!find_rule(conn_rules, s->key))
			return fail(v, FG_ERR_PARSE, s->file, s->line, s->key,
				    "unknown key");
		if (s->value && (rc = apply(v, find_rule(conn_rules, s->key), s, c)))
			return rc;
	}
	rc = load_conn_sections(v, sec, c, psk);
	if (rc)
		return rc;
	for (i = 0; i < 2; i++) {
		if (psk[i])
			continue;
		for (cs = sec->sections; cs; cs = cs->next)
			if (strncasecmp(cs->name, side[i], strlen(side[i])) == 0)
				break;
		return fail(v, FG_ERR_UNSUPP, cs ? cs->file : sec->file,
			    cs ? cs->line : sec->line, cs ? cs->name : side[i],
			    "auth not set, and strongSwan's default pubkey is not "
			    "supported by fgated (set auth = psk)");
	}
	if (!c->local_addrs.n)
		c->local_addrs = (struct fg_addrs){ .n = 1, .any = true,
						    .r = { { 0, UINT32_MAX } } };
	if (!c->remote_addrs.n)
		c->remote_addrs = (struct fg_addrs){ .n = 1, .any = true,
						     .r = { { 0, UINT32_MAX } } };
	if (!c->proposals.n)
		proposal_default(PROPOSAL_IKE, &c->proposals);
	fix_ike_lifetimes(c);
	return 0;
}

static int load_connections(struct vctx *v, const struct conf_section *sec,
			    struct fg_config *cfg)
{
	const struct conf_section *cs;
	unsigned n = count_sections(sec);
	size_t len;
	int rc;

	if (sec->settings)
		return fail(v, FG_ERR_PARSE, sec->settings->file, sec->settings->line,
			    sec->settings->key, "unknown key (connections are sections)");
	if (n > CONFIG_CONNS_MAX)
		return fail(v, FG_ERR_PARSE, sec->file, sec->line, NULL,
			    "more than %d connections", CONFIG_CONNS_MAX);
	cfg->conns = calloc(n + 1, sizeof(*cfg->conns));
	if (!cfg->conns)
		return fail(v, FG_ERR_NOMEM, sec->file, sec->line, NULL, "out of memory");
	for (cs = sec->sections; cs; cs = cs->next) {
		len = path_push(v, cs->name);
		rc = load_conn(v, cs, &cfg->conns[cfg->n_conns++]);
		path_pop(v, len);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- secrets ---- */

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Hex digits with optional ':' separators; an odd count gets a leading 0
 * nibble, as strongSwan's chunk_from_hex does. */
static bool decode_hex(const char *s, uint8_t *out, size_t max, size_t *len)
{
	size_t digits = 0, n = 0, i;
	int v, hi = -1;

	for (i = 0; s[i]; i++)
		if (s[i] != ':')
			digits++;
	if (!digits || (digits + 1) / 2 > max)
		return false;
	if (digits % 2)
		hi = 0;
	for (i = 0; s[i]; i++) {
		if (s[i] == ':')
			continue;
		v = hexval((unsigned char)s[i]);
		if (v < 0)
			return false;
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	*len = n;
	return true;
}

/* RFC 4648 base64, '=' padding optional. */
static bool decode_base64(const char *s, uint8_t *out, size_t max, size_t *len)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t acc = 0;
	size_t n = 0, pad = 0;
	int bits = 0;
	const char *p;

	for (; *s; s++) {
		if (*s == '=') {
			pad++;
			continue;
		}
		p = strchr(alphabet, *s);
		if (!p || pad)
			return false;
		acc = acc << 6 | (uint32_t)(p - alphabet);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= max)
				return false;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	if (pad > 2 || n == 0 || bits >= 6)
		return false;
	*len = n;
	return true;
}

static int set_secret(struct vctx *v, const struct conf_setting *s,
		      struct fg_secret *sec)
{
	uint8_t buf[CONFIG_PSK_MAX];
	const char *why = NULL;
	size_t len = 0;

	if (strncasecmp(s->value, "0x", 2) == 0) {
		if (!decode_hex(s->value + 2, buf, sizeof(buf), &len))
			why = "hex digits after 0x";
	} else if (strncasecmp(s->value, "0s", 2) == 0) {
		if (!decode_base64(s->value + 2, buf, sizeof(buf), &len))
			why = "base64 after 0s";
	} else {
		len = strlen(s->value);
		if (len > sizeof(buf))
			why = "a shorter secret";
		else
			memcpy(buf, s->value, len);
	}
	if (!why && !len)
		why = "a non-empty secret";
	if (why) {
		explicit_bzero(buf, sizeof(buf));
		return fail(v, FG_ERR_PARSE, s->file, s->line, s->key,
			    "expected %s (of up to %d bytes)", why, CONFIG_PSK_MAX);
	}
	if (sec->psk) {
		explicit_bzero(sec->psk, sec->psk_len);
		free(sec->psk);
	}
	sec->psk = malloc(len);
	if (sec->psk) {
		memcpy(sec->psk, buf, len);
		sec->psk_len = len;
	}
	explicit_bzero(buf, sizeof(buf));
	if (!sec->psk)
		return fail(v, FG_ERR_NOMEM, s->file, s->line, s->key, "out of memory");
	return 0;
}

static int load_secret(struct vctx *v, const struct conf_section *sec,
		       struct fg_secret *out)
{
	const struct conf_setting *s;
	int rc;

	out->name = strdup(sec->name);
	if (!out->name)
		return fail(v, FG_ERR_NOMEM, sec->file, sec->line, NULL, "out of memory");
	out->file = sec->file;
	out->line = sec->line;
	for (s = sec->settings; s; s = s->next) {
		if (strcmp(s->key, "secret") == 0) {
			rc = s->value ? set_secret(v, s, out) : 0;
		} else if (strncmp(s->key, "id", 2) == 0) {
			if (!s->value)
				continue;
			if (out->n_ids >= CONFIG_SECRET_IDS_MAX)
				return fail(v, FG_ERR_PARSE, s->file, s->line, s->key,
					    "more than %d identities",
					    CONFIG_SECRET_IDS_MAX);
			rc = set_string(v, s, out->ids[out->n_ids], CONFIG_ID_MAX,
					"an identity");
			if (!rc)
				out->n_ids++;
		} else {
			rc = fail(v, FG_ERR_PARSE, s->file, s->line, s->key,
				  "unknown key (expected secret or id<suffix>)");
		}
		if (rc)
			return rc;
	}
	if (sec->sections)
		return fail(v, FG_ERR_PARSE, sec->sections->file, sec->sections->line,
			    sec->sections->name, "unknown section");
	if (!out->psk)
		return fail(v, FG_ERR_PARSE, sec->file, sec->line, "secret",
			    "missing");
	return 0;
}

static int load_secrets(struct vctx *v, const struct conf_section *sec,
			struct fg_config *cfg)
{
	static const char *const others[] = {
		"eap", "xauth", "ntlm", "private", "rsa", "ecdsa", "bliss", "pkcs8",
		"pkcs12", "token", "ppk",
	};
	const struct conf_section *cs;
	unsigned n = count_sections(sec);
	size_t len, i;
	int rc;

	if (sec->settings)
		return fail(v, FG_ERR_PARSE, sec->settings->file, sec->settings->line,
			    sec->settings->key, "unknown key (secrets are sections)");
	if (n > CONFIG_SECRETS_MAX)
		return fail(v, FG_ERR_PARSE, sec->file, sec->line, NULL,
			    "more than %d secrets", CONFIG_SECRETS_MAX);
	cfg->secrets = calloc(n + 1, sizeof(*cfg->secrets));
	if (!cfg->secrets)
		return fail(v, FG_ERR_NOMEM, sec->file, sec->line, NULL, "out of memory");
	for (cs = sec->sections; cs; cs = cs->next) {
		if (strncmp(cs->name, "ike", 3) != 0) {
			for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
				if (strncmp(cs->name, others[i], strlen(others[i])) == 0)
					return fail(v, FG_ERR_UNSUPP, cs->file, cs->line,
						    cs->name, "not supported by fgated "
						    "(fgated does ike<suffix> "
						    "pre-shared keys only)");
			return fail(v, FG_ERR_PARSE, cs->file, cs->line, cs->name,
				    "unknown secret type (expected ike<suffix>)");
		}
		len = path_push(v, cs->name);
		rc = load_secret(v, cs, &cfg->secrets[cfg->n_secrets++]);
		path_pop(v, len);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- top level ---- */

static int load_fgate(struct vctx *v, const struct conf_section *sec,
		      struct fg_fgate_cfg *f)
{
	int rc = apply_all(v, sec, fgate_rules, f);

	if (!rc && sec->sections)
		return fail(v, FG_ERR_PARSE, sec->sections->file, sec->sections->line,
			    sec->sections->name, "unknown section");
	return rc;
}

static int validate(struct vctx *v, const struct conf *conf, struct fg_config *cfg)
{
	const struct conf_section *sec;
	size_t n;
	int rc;

	if (conf->root.settings)
		return fail(v, FG_ERR_PARSE, conf->root.settings->file,
			    conf->root.settings->line, conf->root.settings->key,
			    "unknown key");
	for (sec = conf->root.sections; sec; sec = sec->next) {
		n = path_push(v, sec->name);
		if (strcmp(sec->name, "connections") == 0)
			rc = load_connections(v, sec, cfg);
		else if (strcmp(sec->name, "secrets") == 0)
			rc = load_secrets(v, sec, cfg);
		else if (strcmp(sec->name, "fgate") == 0)
			rc = load_fgate(v, sec, &cfg->fgate);
		else if (sec->referenced)
			rc = 0;         /* a template for references: checked where
					 * it is inherited */
		else if (strcmp(sec->name, "pools") == 0 ||
			 strcmp(sec->name, "authorities") == 0)
			rc = fail(v, FG_ERR_UNSUPP, sec->file, sec->line, NULL,
				  "not supported by fgated");
		else
			rc = fail(v, FG_ERR_PARSE, sec->file, sec->line, NULL,
				  "unknown section");
		path_pop(v, n);
		if (rc)
			return rc;
	}
	return 0;
}

/* The decoded keys live in cfg->secrets; the text in the tree goes. */
static void wipe_secret_text(struct conf *conf)
{
	struct conf_section *sec = (struct conf_section *)conf_find(conf, "secrets");
	struct conf_section *c;
	struct conf_setting *s;

	for (c = sec ? sec->sections : NULL; c; c = c->next) {
		for (s = c->settings; s; s = s->next) {
			if (strcmp(s->key, "secret") == 0 && s->value) {
				explicit_bzero(s->value, strlen(s->value));
				free(s->value);
				s->value = NULL;
			}
		}
	}
}

static int load(struct conf *conf, struct fg_config **out, char *err, size_t errlen)
{
	struct vctx v = { .err = err, .errlen = errlen };
	struct fg_config *cfg;
	int rc;

	cfg = calloc(1, sizeof(*cfg));
	if (!cfg) {
		conf_free(conf);
		return FG_ERR_NOMEM;
	}
	cfg->conf = conf;
	snprintf(cfg->fgate.control, sizeof(cfg->fgate.control), "/run/fgated.ctl");
	cfg->fgate.offload = FG_OFFLOAD_SIM;
	snprintf(cfg->fgate.tun, sizeof(cfg->fgate.tun), "fgate0");
	cfg->fgate.install_routes = true;
	cfg->fgate.log_level = FG_LOG_INFO;
	rc = validate(&v, conf, cfg);
	if (rc) {
		config_free(cfg);
		return rc;
	}
	wipe_secret_text(conf);
	*out = cfg;
	return 0;
}

int config_load_file(const char *path, struct fg_config **out, char *err,
		     size_t errlen)
{
	struct conf *conf;
	int rc;

	*out = NULL;
	rc = conf_parse_file(path, &conf, err, errlen);
	return rc ? rc : load(conf, out, err, errlen);
}

int config_load_buffer(const char *name, const char *buf, size_t len,
		       struct fg_config **out, char *err, size_t errlen)
{
	struct conf *conf;
	int rc;

	*out = NULL;
	rc = conf_parse_buffer(name, buf, len, &conf, err, errlen);
	return rc ? rc : load(conf, out, err, errlen);
}

void config_free(struct fg_config *cfg)
{
	unsigned i, j;

	if (!cfg)
		return;
	for (i = 0; i < cfg->n_conns; i++) {
		for (j = 0; j < cfg->conns[i].n_children; j++)
			free(cfg->conns[i].children[j].name);
		free(cfg->conns[i].children);
		free(cfg->conns[i].name);
	}
	free(cfg->conns);
	for (i = 0; i < cfg->n_secrets; i++) {
		if (cfg->secrets[i].psk) {
			explicit_bzero(cfg->secrets[i].psk, cfg->secrets[i].psk_len);
			free(cfg->secrets[i].psk);
		}
		free(cfg->secrets[i].name);
	}
	free(cfg->secrets);
	conf_free(cfg->conf);
	explicit_bzero(cfg, sizeof(*cfg));
	free(cfg);
}

/* ---- lookups ---- */

const struct fg_conn *config_find_conn(const struct fg_config *cfg, const char *name)
{
	unsigned i;

	for (i = 0; cfg && name && i < cfg->n_conns; i++)
		if (strcmp(cfg->conns[i].name, name) == 0)
			return &cfg->conns[i];
	return NULL;
}

const struct fg_child *config_find_child(const struct fg_conn *conn, const char *name)
{
	unsigned i;

	for (i = 0; conn && name && i < conn->n_children; i++)
		if (strcmp(conn->children[i].name, name) == 0)
			return &conn->children[i];
	return NULL;
}

/* Identity classes as strongSwan's identification_create_from_string()
 * tells them apart, and its match levels (identification.h). */
enum id_kind { ID_ANY, ID_IPV4, ID_FQDN, ID_RFC822, ID_DN, ID_KEYID, ID_OTHER };
enum { MATCH_NONE = 0, MATCH_ANY = 1, MATCH_ONE_WILDCARD = 19, MATCH_PERFECT = 20 };

struct id {
	enum id_kind kind;
	const char *value;
	uint32_t ipv4;
};

static void id_parse(const char *s, struct id *id)
{
	static const struct { const char *prefix; enum id_kind kind; } typed[] = {
		{ "fqdn:", ID_FQDN }, { "dns:", ID_FQDN }, { "rfc822:", ID_RFC822 },
		{ "email:", ID_RFC822 }, { "userfqdn:", ID_RFC822 },
		{ "keyid:", ID_KEYID }, { "ipv4:", ID_OTHER }, { "ipv6:", ID_OTHER },
		{ "asn1dn:", ID_OTHER }, { "asn1gn:", ID_OTHER },
	};
	size_t i;

	id->value = s;
	if (!*s || !strcmp(s, "%any") || !strcmp(s, "%any6") || !strcmp(s, "*") ||
	    !strcmp(s, "0.0.0.0") || !strcmp(s, "::") || !strcmp(s, "0::0")) {
		id->kind = ID_ANY;
		return;
	}
	for (i = 0; i < sizeof(typed) / sizeof(typed[0]); i++) {
		if (strncasecmp(s, typed[i].prefix, strlen(typed[i].prefix)) == 0) {
			id->kind = typed[i].kind;
			if (id->kind != ID_OTHER)
				id->value = s + strlen(typed[i].prefix);
			return;
		}
	}
	if (strchr(s, '=')) {
		id->kind = ID_DN;
	} else if (!strchr(s, '@')) {
		id->kind = parse_ipv4(s, &id->ipv4) ? ID_IPV4 :
			   strchr(s, ':') ? ID_OTHER : ID_FQDN;
	} else if (strncmp(s, "@#", 2) == 0) {
		id->kind = ID_KEYID;
		id->value = s + 2;
	} else if (strncmp(s, "@@", 2) == 0) {
		id->kind = ID_RFC822;
		id->value = s + 2;
	} else if (s[0] == '@') {
		id->kind = ID_FQDN;
		id->value = s + 1;
	} else {
		id->kind = ID_RFC822;
	}
}

/* How well the identity have matches the pattern want (strongSwan's
 * have->matches(have, want)). */
static int id_match(const char *have, const char *want)
{
	struct id h, w;
	size_t hl, wl;

	id_parse(have, &h);
	id_parse(want, &w);
	if (w.kind == ID_ANY)
		return MATCH_ANY;
	if (h.kind != w.kind)
		return MATCH_NONE;
	switch (h.kind) {
	case ID_IPV4:
		return h.ipv4 == w.ipv4 ? MATCH_PERFECT : MATCH_NONE;
	case ID_FQDN:
	case ID_RFC822:
		if (strcasecmp(h.value, w.value) == 0)
			return MATCH_PERFECT;
		hl = strlen(h.value);
		wl = strlen(w.value);
		if (w.value[0] == '*' && wl - 1 <= hl &&
		    strcasecmp(h.value + hl - (wl - 1), w.value + 1) == 0)
			return MATCH_ONE_WILDCARD;
		return MATCH_NONE;
	case ID_KEYID:
		return strcasecmp(h.value, w.value) == 0 ? MATCH_PERFECT : MATCH_NONE;
	default:
		return strcmp(h.value, w.value) == 0 ? MATCH_PERFECT : MATCH_NONE;
	}
}

static int best_owner(const struct fg_secret *s, const char *id)
{
	int best = MATCH_NONE, m;
	unsigned i;

	if (!id)
		return MATCH_NONE;
	if (!s->n_ids)
		return id_match(id, "%any");
	for (i = 0; i < s->n_ids; i++) {
		m = id_match(id, s->ids[i]);
		if (m > best)
			best = m;
	}
	return best;
}

const struct fg_secret *config_find_psk(const struct fg_config *cfg,
					const char *local_id, const char *remote_id)
{
	const struct fg_secret *found = NULL;
	int best_me = MATCH_NONE, best_other = MATCH_NONE, me, other;
	unsigned i;

	/* charon puts each loaded secret first: later definitions win ties */
	for (i = cfg ? cfg->n_secrets : 0; i-- > 0;) {
		me = best_owner(&cfg->secrets[i], local_id);
		other = best_owner(&cfg->secrets[i], remote_id);
		if (me == MATCH_NONE && other == MATCH_NONE)
			continue;
		if (other > best_other || (other == best_other && me > best_me)) {
			found = &cfg->secrets[i];
			best_me = me;
			best_other = other;
		}
	}
	return found;
}
