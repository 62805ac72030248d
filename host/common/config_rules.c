/*
 * The rule tables' engine: a section's settings are looked up in its table
 * (config_conn.c, config.c) and each value is checked and stored into its
 * typed field by kind, or accepted, ignored, or refused as unsupported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/config_priv.h"
#include "common/err.h"
#include "common/log.h"

static int set_props(struct config_ctx *v, const struct conf_setting *s,
		     enum proposal_proto proto, struct proposal_list *out)
{
	char msg[PROPOSAL_ERR_MAX];
	int rc;

	rc = proposal_parse(proto, s->value, out, msg, sizeof(msg));
	if (rc)
		return config_fail(v, rc, s->file, s->line, s->key, "%s", msg);
	return 0;
}

int config_set_string(struct config_ctx *v, const struct conf_setting *s, char *out,
		      size_t size, const char *what)
{
	if (!*s->value || strlen(s->value) >= size)
		return config_fail(v, FG_ERR_PARSE, s->file, s->line, s->key,
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

/* auth = psk; the other methods strongSwan knows are refused as such. */
static int set_auth(struct config_ctx *v, const struct conf_setting *s, bool *psk)
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
			return config_fail(v, FG_ERR_UNSUPP, s->file, s->line, s->key,
					   "'%.64s' not supported by fgated (fgated does "
					   "psk only)", s->value);
	return config_bad(v, s, "psk");
}

static int apply(struct config_ctx *v, const struct config_rule *r,
		 const struct conf_setting *s, void *base)
{
	char *field = (char *)base + r->off, words[64];
	enum fg_log_level level;
	uint64_t n;
	bool b;
	int i;

	switch (r->kind) {
	case V_BOOL:
		if (!config_parse_bool(s->value, (bool *)field))
			return config_bad(v, s, "yes or no");
		return 0;
	case V_TIME:
		if (!config_parse_time(s->value, (uint64_t *)field))
			return config_bad(v, s, "a time in seconds, with s, m, h or d");
		return 0;
	case V_BYTES:
		if (!config_parse_bytes(s->value, (uint64_t *)field))
			return config_bad(v, s, "a byte count, with k, m or g");
		return 0;
	case V_U64:
		if (!config_parse_u64(s->value, (uint64_t *)field))
			return config_bad(v, s, "a number");
		return 0;
	case V_U32:
		if (!config_parse_u64(s->value, &n) || n > UINT32_MAX)
			return config_bad(v, s, "a number up to 4294967295");
		*(uint32_t *)field = (uint32_t)n;
		return 0;
	case V_PORT:
		if (!config_parse_port(s->value, (uint16_t *)field))
			return config_bad(v, s, "a port number");
		if (*(uint16_t *)field == 0)    /* 0: the default port */
			*(uint16_t *)field = CONFIG_DEFAULT_IKE_PORT;
		return 0;
	case V_ADDRS:
		return config_set_addrs(v, s, (struct fg_addrs *)field);
	case V_TS:
		return config_set_ts(v, s, (struct fg_ts *)field,
				     (unsigned *)((char *)base + r->off2));
	case V_IKE_PROPS:
		return set_props(v, s, PROPOSAL_IKE, (struct proposal_list *)field);
	case V_ESP_PROPS:
		return set_props(v, s, PROPOSAL_ESP, (struct proposal_list *)field);
	case V_AH_PROPS:
		return set_props(v, s, PROPOSAL_AH, (struct proposal_list *)field);
	case V_MODE:
		i = config_word_index(s->value, "tunnel|transport");
		if (i >= 0) {
			*(enum fg_mode *)field = (enum fg_mode)i;
			return 0;
		}
		if (config_word_index(s->value, "transport_proxy|beet|pass|drop") >= 0)
			return config_unsupported(v, s, "fgated does tunnel and transport");
		return config_bad(v, s, "tunnel or transport");
	case V_ACTION:
		i = config_word_index(s->value, "none|clear|trap|route|start|restart");
		if (i < 0)
			return config_bad(v, s, r->arg);
		*(enum fg_action *)field = (enum fg_action)(i / 2);
		return 0;
	case V_UNIQUE:
		i = config_word_index(s->value, "no|never|keep|replace");
		if (i < 0)
			return config_bad(v, s, "no, never, keep or replace");
		*(enum fg_unique *)field = (enum fg_unique)i;
		return 0;
	case V_DSCP:
		if (!*s->value || strlen(s->value) > 6 ||
		    strspn(s->value, "01") != strlen(s->value))
			return config_bad(v, s, "six binary digits");
		*(uint8_t *)field = (uint8_t)strtoul(s->value, NULL, 2);
		return 0;
	case V_PATH:
		if (s->value[0] != '/')
			return config_bad(v, s, "an absolute path");
		return config_set_string(v, s, field, CONFIG_PATH_MAX, "a path");
	case V_OFFLOAD:
		/* in enum fg_offload's order */
		i = config_word_index(s->value, "soft|sim|usb|pcie|sim-ft601");
		if (i < 0)
			return config_bad(v, s, "soft, sim, sim-ft601, usb or pcie");
		*(enum fg_offload *)field = (enum fg_offload)i;
		return 0;
	case V_IFNAME:
		if (strpbrk(s->value, "/: \t") || strcmp(s->value, ".") == 0 ||
		    strcmp(s->value, "..") == 0)
			return config_bad(v, s, "an interface name");
		return config_set_string(v, s, field, CONFIG_IFNAME_MAX,
					 "an interface name");
	case V_LOGLEVEL:
		if (fg_log_level_parse(s->value, &level))
			return config_bad(v, s, "error, warn, info, debug or keys");
		*(enum fg_log_level *)field = level;
		return 0;
	case V_AUTH:
		return set_auth(v, s, (bool *)field);
	case V_ID:
		return config_set_string(v, s, field, CONFIG_ID_MAX, "an identity");
	case V_SKIP:
		return 0;
	case V_IGNORE:
		fg_debug("%s:%d: %s.%s: no effect in IKEv1, ignored", s->file,
			 s->line, v->path, s->key);
		return 0;
	case V_ONLY:
		if (config_word_index(s->value, r->arg) >= 0)
			return 0;
		if (!config_parse_bool(s->value, &b) && (strstr(r->arg, "|enabled|") ||
							 strstr(r->arg, "|disabled|")))
			return config_bad(v, s, "yes or no");
		only_text(r->arg, words, sizeof(words));
		return config_fail(v, FG_ERR_UNSUPP, s->file, s->line, s->key,
				   "'%.64s' not supported by fgated (only %s)", s->value,
				   words);
	case V_UNSUPP:
		return config_unsupported(v, s, r->arg);
	}
	return FG_ERR_INVAL;
}

static const struct config_rule *find_rule(const struct config_rule *rules,
					   const char *key)
{
	for (; rules->key; rules++)
		if (strcmp(rules->key, key) == 0)
			return rules;
	return NULL;
}

int config_apply_all(struct config_ctx *v, const struct conf_section *sec,
		     const struct config_rule *rules, void *base)
{
	const struct conf_setting *s;
	const struct config_rule *r;
	int rc;

	for (s = sec->settings; s; s = s->next) {
		r = find_rule(rules, s->key);
		if (!r)
			return config_fail(v, FG_ERR_PARSE, s->file, s->line, s->key,
					   "unknown key");
		if (!s->value)
			continue;
		rc = apply(v, r, s, base);
		if (rc)
			return rc;
	}
	return 0;
}

