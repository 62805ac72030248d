/*
 * Private to the config module: what its files share. config.c loads the
 * top level and the fgate section and reports errors; config_rules.c turns
 * a setting into a typed field through a rule table; config_values.c reads
 * numbers, times, byte counts, booleans, addresses and traffic selectors;
 * config_conn.c loads connections, authentication rounds and children;
 * config_secrets.c the secrets section; config_ids.c matches identities
 * and chooses a PSK. Other modules use config.h only.
 */
#ifndef FGATE_COMMON_CONFIG_PRIV_H
#define FGATE_COMMON_CONFIG_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/config.h"

#define CONFIG_UNDEF UINT64_MAX         /* a lifetime not configured */

enum config_defaults {
	CONFIG_DEFAULT_IKE_PORT = 500,
	CONFIG_DEFAULT_IKE_REKEY = 4 * 3600,
	CONFIG_DEFAULT_CHILD_REKEY = 3600,
	CONFIG_DEFAULT_REPLAY_WINDOW = 32,
	CONFIG_KEYPATH_MAX = 512,       /* "connections.gw.children.net" */
	CONFIG_LIST_MAX = 1024,         /* bytes of an address or selector list */
};

/* One load: where the error line goes and the section being checked. */
struct config_ctx {
	char *err;
	size_t errlen;
	char path[CONFIG_KEYPATH_MAX];
};

/* How a value is checked and stored. */
enum config_kind {
	V_BOOL, V_TIME, V_BYTES, V_U64, V_U32, V_PORT, V_ADDRS, V_TS,
	V_IKE_PROPS, V_ESP_PROPS, V_AH_PROPS, V_MODE, V_ACTION, V_UNIQUE, V_DSCP,
	V_PATH, V_OFFLOAD, V_IFNAME, V_LOGLEVEL, V_AUTH, V_ID,
	V_IGNORE,       /* valid in swanctl.conf, changes nothing in IKEv1 */
	V_SKIP,         /* handled by the section's loader itself */
	V_ONLY,         /* accepted only as one of the words in arg */
	V_UNSUPP,       /* a feature fgated lacks; arg: a note or NULL */
};

/* One key of a section; a table ends with a NULL key. */
struct config_rule {
	const char *key;
	enum config_kind kind;
	size_t off;             /* field in the target struct */
	size_t off2;            /* V_TS: the count field */
	const char *arg;        /* V_ONLY words "a|b", V_ACTION's expected words */
};

/* The target of an authentication round's rules (local<suffix> or
 * remote<suffix>). */
struct config_round {
	char id[CONFIG_ID_MAX];
	bool psk;               /* auth = psk */
};

/* config.c: messages, "FILE:LINE: path.key: ...", and the key path. */
int config_fail(struct config_ctx *v, int rc, const char *file, int line,
		const char *key, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* "expected X, got 'value'" */
int config_bad(struct config_ctx *v, const struct conf_setting *s, const char *expected);
int config_unsupported(struct config_ctx *v, const struct conf_setting *s,
		       const char *note);
/* Appends ".name" to the path; config_path_pop(v, returned) takes it off. */
size_t config_path_push(struct config_ctx *v, const char *name);
void config_path_pop(struct config_ctx *v, size_t n);
/* Fails if sec has a subsection (leaves hold settings only). */
int config_no_subsections(struct config_ctx *v, const struct conf_section *sec);
/* For a section whose subsections are what (connections, children,
 * secrets): an array for them all (zeroed, elements of size bytes, one
 * spare), or NULL with *rc set if sec has a setting or more than max of
 * them, or memory runs out. */
void *config_list_alloc(struct config_ctx *v, const struct conf_section *sec,
			const char *what, unsigned max, size_t size, int *rc);

/* config_rules.c */
int config_set_string(struct config_ctx *v, const struct conf_setting *s, char *out,
		      size_t size, const char *what);
/* Applies every setting of sec through rules to base ("key =" settings
 * keep their default; a key without a rule is an error). */
int config_apply_all(struct config_ctx *v, const struct conf_section *sec,
		     const struct config_rule *rules, void *base);

/* config_values.c: parsers return false on a malformed value. */
bool config_parse_u64(const char *s, uint64_t *out);
bool config_parse_time(const char *s, uint64_t *out);
bool config_parse_bytes(const char *s, uint64_t *out);
bool config_parse_bool(const char *s, bool *out);
bool config_parse_port(const char *s, uint16_t *out);
bool config_parse_ipv4(const char *s, uint32_t *out);
/* Index of s among the '|' separated words (case-insensitive), or -1. */
int config_word_index(const char *s, const char *words);
int config_set_addrs(struct config_ctx *v, const struct conf_setting *s,
		     struct fg_addrs *a);
int config_set_ts(struct config_ctx *v, const struct conf_setting *s, struct fg_ts *ts,
		  unsigned *count);

/* config_conn.c */
int config_load_connections(struct config_ctx *v, const struct conf_section *sec,
			    struct fg_config *cfg);

/* config_secrets.c */
int config_load_secrets(struct config_ctx *v, const struct conf_section *sec,
			struct fg_config *cfg);
/* The decoded keys live in cfg->secrets; this wipes their text in the tree. */
void config_wipe_secret_text(struct conf *conf);

#endif
