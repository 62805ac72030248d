/*
 * secrets { }: ike<suffix> sections, each a pre-shared key (text, 0x hex or
 * 0s base64, as strongSwan decodes them) for the identities in its
 * id<suffix> keys. Other secret types strongSwan knows are refused. Which
 * secret a pair of identities uses is config_ids.c's business.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/config_priv.h"
#include "common/err.h"

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

static int set_secret(struct config_ctx *v, const struct conf_setting *s,
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
		return config_fail(v, FG_ERR_PARSE, s->file, s->line, s->key,
				   "expected %s (of up to %d bytes)", why, CONFIG_PSK_MAX);
	}
	sec->psk = malloc(len);     /* the first: keys in a section are unique */
	if (sec->psk) {
		memcpy(sec->psk, buf, len);
		sec->psk_len = len;
	}
	explicit_bzero(buf, sizeof(buf));
	if (!sec->psk)
		return config_fail(v, FG_ERR_NOMEM, s->file, s->line, s->key,
				   "out of memory");
	return 0;
}

static int load_secret(struct config_ctx *v, const struct conf_section *sec,
		       struct fg_secret *out)
{
	const struct conf_setting *s;
	int rc;

	out->name = strdup(sec->name);
	if (!out->name)
		return config_fail(v, FG_ERR_NOMEM, sec->file, sec->line, NULL,
				   "out of memory");
	out->file = sec->file;
	out->line = sec->line;
	for (s = sec->settings; s; s = s->next) {
		if (strcmp(s->key, "secret") == 0) {
			rc = s->value ? set_secret(v, s, out) : 0;
		} else if (strncmp(s->key, "id", 2) == 0) {
			if (!s->value)
				continue;
			if (out->n_ids >= CONFIG_SECRET_IDS_MAX)
				return config_fail(v, FG_ERR_PARSE, s->file, s->line,
						   s->key, "more than %d identities",
						   CONFIG_SECRET_IDS_MAX);
			rc = config_set_string(v, s, out->ids[out->n_ids], CONFIG_ID_MAX,
					       "an identity");
			if (!rc)
				out->n_ids++;
		} else {
			rc = config_fail(v, FG_ERR_PARSE, s->file, s->line, s->key,
					 "unknown key (expected secret or id<suffix>)");
		}
		if (rc)
			return rc;
	}
	rc = config_no_subsections(v, sec);
	if (rc)
		return rc;
	if (!out->psk)
		return config_fail(v, FG_ERR_PARSE, sec->file, sec->line, "secret",
				   "missing");
	return 0;
}

/* A secrets subsection other than ike<suffix>. */
static int unknown_type(struct config_ctx *v, const struct conf_section *cs)
{
	static const char *const others[] = {
		"eap", "xauth", "ntlm", "private", "rsa", "ecdsa", "bliss", "pkcs8",
		"pkcs12", "token", "ppk",
	};
	size_t i;

	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (strncmp(cs->name, others[i], strlen(others[i])) == 0)
			return config_fail(v, FG_ERR_UNSUPP, cs->file, cs->line, cs->name,
					   "not supported by fgated (fgated does "
					   "ike<suffix> pre-shared keys only)");
	return config_fail(v, FG_ERR_PARSE, cs->file, cs->line, cs->name,
			   "unknown secret type (expected ike<suffix>)");
}

int config_load_secrets(struct config_ctx *v, const struct conf_section *sec,
			struct fg_config *cfg)
{
	const struct conf_section *cs;
	size_t len;
	int rc;

	cfg->secrets = config_list_alloc(v, sec, "secrets", CONFIG_SECRETS_MAX,
					 sizeof(*cfg->secrets), &rc);
	if (!cfg->secrets)
		return rc;
	for (cs = sec->sections; cs; cs = cs->next) {
		if (strncmp(cs->name, "ike", 3) != 0)
			return unknown_type(v, cs);
		len = config_path_push(v, cs->name);
		rc = load_secret(v, cs, &cfg->secrets[cfg->n_secrets++]);
		config_path_pop(v, len);
		if (rc)
			return rc;
	}
	return 0;
}

void config_wipe_secret_text(struct conf *conf)
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
