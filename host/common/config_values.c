/*
 * Values as strongSwan's vici_config.c reads them: numbers (strtoull base
 * 0), times with s/m/h/d, byte counts with k/m/g, booleans, words, IPv4
 * addresses, subnets and ranges, and traffic selectors with their optional
 * [proto/port] part. IPv6, DNS names and service names are refused with a
 * reason, since fgated does not support them.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/config_priv.h"
#include "common/err.h"
#include "common/log.h"

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

bool config_parse_u64(const char *s, uint64_t *out)
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
bool config_parse_time(const char *s, uint64_t *out)
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
bool config_parse_bytes(const char *s, uint64_t *out)
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

/* yes/true/enabled/1 or no/false/disabled/0 (vici_config.c parse_bool) */
bool config_parse_bool(const char *s, bool *out)
{
	int i = config_word_index(s, "no|false|disabled|0|yes|true|enabled|1");

	if (i < 0)
		return false;
	*out = i >= 4;
	return true;
}

int config_word_index(const char *s, const char *words)
{
	size_t n = strlen(s);
	const char *w, *e;
	int i = 0;

	for (w = words; *w; w = *e ? e + 1 : e, i++) {
		e = strchr(w, '|');
		if (!e)
			e = w + strlen(w);
		if ((size_t)(e - w) == n && strncasecmp(w, s, n) == 0)
			return i;
	}
	return -1;
}

/* ---- addresses and selectors ---- */

bool config_parse_ipv4(const char *s, uint32_t *out)
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
		if (!config_parse_ipv4(s, &a) || sep[1] < '0' || sep[1] > '9')
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
		if (!config_parse_ipv4(s, &a) || !config_parse_ipv4(sep + 1, &b) || a > b)
			return false;
		r->first = a;
		r->last = b;
		return true;
	}
	if (!config_parse_ipv4(s, &a)) {
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

int config_set_addrs(struct config_ctx *v, const struct conf_setting *s,
		     struct fg_addrs *a)
{
	char buf[CONFIG_LIST_MAX], *items[CONFIG_ADDRS_MAX + 1];
	const char *why;
	int i, n = -1;

	if (strlen(s->value) < sizeof(buf)) {
		memcpy(buf, s->value, strlen(s->value) + 1);
		n = split(buf, items, CONFIG_ADDRS_MAX);
	}
	if (n < 0)
		return config_fail(v, FG_ERR_PARSE, s->file, s->line, s->key,
				   "expected up to %d comma separated addresses, "
				   "got '%.64s'",
				   CONFIG_ADDRS_MAX, s->value);
	memset(a, 0, sizeof(*a));
	for (i = 0; i < n; i++) {
		if (config_word_index(items[i], "%any|%any4") >= 0) {
			a->any = true;
			a->r[i].first = 0;
			a->r[i].last = UINT32_MAX;
		} else if (!parse_range(items[i], &a->r[i], &why)) {
			return config_bad(v, s, why);
		}
	}
	a->n = (unsigned)n;
	return 0;
}

bool config_parse_port(const char *s, uint16_t *out)
{
	uint64_t n;

	if (!config_parse_u64(s, &n) || n > 65535)
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
	else if (config_parse_u64(s, &n) && n <= 255)
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
	if (!config_parse_port(port, &ts->port_first) ||
	    !config_parse_port(dash ? dash : port, &ts->port_last) ||
	    ts->port_first > ts->port_last) {
		if (*port < '0' || *port > '9')
			*why = "a port number (service names are not supported by fgated)";
		return false;
	}
	return true;
}

int config_set_ts(struct config_ctx *v, const struct conf_setting *s, struct fg_ts *ts,
		  unsigned *count)
{
	char buf[CONFIG_LIST_MAX], *items[CONFIG_TS_MAX + 1], *pp, *close;
	const char *why = "a selector like 10.1.0.0/16, 10.1.0.1 or dynamic";
	int i, n = -1;

	if (strlen(s->value) < sizeof(buf)) {
		memcpy(buf, s->value, strlen(s->value) + 1);
		n = split(buf, items, CONFIG_TS_MAX);
	}
	if (n < 0)
		return config_fail(v, FG_ERR_PARSE, s->file, s->line, s->key,
				   "expected up to %d comma separated selectors, "
				   "got '%.64s'",
				   CONFIG_TS_MAX, s->value);
	for (i = 0; i < n; i++) {
		memset(&ts[i], 0, sizeof(ts[i]));
		ts[i].port_last = 65535;
		pp = strchr(items[i], '[');
		if (pp) {
			close = strrchr(pp, ']');
			if (!close || close[1])
				return config_bad(v, s, why);
			*pp++ = '\0';
			*close = '\0';
			if (!parse_protoport(trim(pp), &ts[i], &why))
				return config_bad(v, s, why);
		}
		pp = trim(items[i]);
		if (strcasecmp(pp, "dynamic") == 0)
			ts[i].dynamic = true;
		else if (!parse_range(pp, &ts[i].addr, &why))
			return config_bad(v, s, why);
	}
	*count = (unsigned)n;
	if (n > 1)
		fg_warn("%s:%d: %s.%s: IKEv1 negotiates only the first of %d "
			"selectors", s->file, s->line, v->path, s->key, n);
	return 0;
}
