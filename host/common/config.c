/*
 * swanctl.conf schema, top level: parses the file (conf.h), walks the root
 * sections (connections, secrets, fgate) and hands each to its loader, each
 * of which checks its settings through a rule table (config_rules.c) and
 * applies charon's defaults (vici_config.c) and fgated's IKEv1-only checks.
 * Also the error lines every config file reports through, the fgate { }
 * section, freeing, and the lookups of config.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config_priv.h"
#include "common/err.h"

#define F(f) offsetof(struct fg_fgate_cfg, f)

static const struct config_rule fgate_rules[] = {
	{ "control", V_PATH, F(control), 0, NULL },
	{ "offload", V_OFFLOAD, F(offload), 0, NULL },
	{ "tun", V_IFNAME, F(tun), 0, NULL },
	{ "install_routes", V_BOOL, F(install_routes), 0, NULL },
	{ "log_level", V_LOGLEVEL, F(log_level), 0, NULL },
	{ NULL, 0, 0, 0, NULL },
};

/* ---- messages ---- */

int config_fail(struct config_ctx *v, int rc, const char *file, int line,
		const char *key, const char *fmt, ...)
{
	char msg[CONF_ERR_MAX];
	va_list ap;
	int n;

	n = snprintf(msg, sizeof(msg), "%s:%d: %s%s%s: ", file, line, v->path,
		     key && *v->path ? "." : "", key ? key : "");
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	fg_err("%s", msg);
	if (v->err && v->errlen)
		snprintf(v->err, v->errlen, "%s", msg);
	return rc;
}

int config_bad(struct config_ctx *v, const struct conf_setting *s,
	       const char *expected)
{
	return config_fail(v, FG_ERR_PARSE, s->file, s->line, s->key,
			   "expected %s, got '%.64s'", expected, s->value);
}

int config_unsupported(struct config_ctx *v, const struct conf_setting *s,
		       const char *note)
{
	return config_fail(v, FG_ERR_UNSUPP, s->file, s->line, s->key,
			   "not supported by fgated%s%s%s", note ? " (" : "",
			   note ? note : "", note ? ")" : "");
}

size_t config_path_push(struct config_ctx *v, const char *name)
{
	size_t n = strlen(v->path);

	snprintf(v->path + n, sizeof(v->path) - n, "%s%s", n ? "." : "", name);
	return n;
}

void config_path_pop(struct config_ctx *v, size_t n)
{
	v->path[n] = '\0';
}

static unsigned count_sections(const struct conf_section *sec)
{
	const struct conf_section *c;
	unsigned n = 0;

	for (c = sec ? sec->sections : NULL; c; c = c->next)
		n++;
	return n;
}

int config_no_subsections(struct config_ctx *v, const struct conf_section *sec)
{
	const struct conf_section *c = sec->sections;

	if (!c)
		return 0;
	return config_fail(v, FG_ERR_PARSE, c->file, c->line, c->name, "unknown section");
}

void *config_list_alloc(struct config_ctx *v, const struct conf_section *sec,
			const char *what, unsigned max, size_t size, int *rc)
{
	const struct conf_setting *s = sec->settings;
	unsigned n = count_sections(sec);
	void *list;

	if (s) {
		*rc = config_fail(v, FG_ERR_PARSE, s->file, s->line, s->key,
				  "unknown key (%s are sections)", what);
		return NULL;
	}
	if (n > max) {
		*rc = config_fail(v, FG_ERR_PARSE, sec->file, sec->line, NULL,
				  "more than %u %s", max, what);
		return NULL;
	}
	list = calloc(n + 1, size);
	if (!list)
		*rc = config_fail(v, FG_ERR_NOMEM, sec->file, sec->line, NULL,
				  "out of memory");
	return list;
}

/* ---- top level ---- */

static int load_fgate(struct config_ctx *v, const struct conf_section *sec,
		      struct fg_fgate_cfg *f)
{
	int rc = config_apply_all(v, sec, fgate_rules, f);

	return rc ? rc : config_no_subsections(v, sec);
}

static int validate(struct config_ctx *v, const struct conf *conf, struct fg_config *cfg)
{
	const struct conf_section *sec;
	size_t n;
	int rc;

	if (conf->root.settings)
		return config_fail(v, FG_ERR_PARSE, conf->root.settings->file,
				   conf->root.settings->line, conf->root.settings->key,
				   "unknown key");
	for (sec = conf->root.sections; sec; sec = sec->next) {
		n = config_path_push(v, sec->name);
		if (strcmp(sec->name, "connections") == 0)
			rc = config_load_connections(v, sec, cfg);
		else if (strcmp(sec->name, "secrets") == 0)
			rc = config_load_secrets(v, sec, cfg);
		else if (strcmp(sec->name, "fgate") == 0)
			rc = load_fgate(v, sec, &cfg->fgate);
		else if (sec->referenced)
			rc = 0;         /* a template for references: checked where
					 * it is inherited */
		else if (strcmp(sec->name, "pools") == 0 ||
			 strcmp(sec->name, "authorities") == 0)
			rc = config_fail(v, FG_ERR_UNSUPP, sec->file, sec->line, NULL,
					 "not supported by fgated");
		else
			rc = config_fail(v, FG_ERR_PARSE, sec->file, sec->line, NULL,
					 "unknown section");
		config_path_pop(v, n);
		if (rc)
			return rc;
	}
	return 0;
}

static int load(struct conf *conf, struct fg_config **out, char *err, size_t errlen)
{
	struct config_ctx v = { .err = err, .errlen = errlen };
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
	config_wipe_secret_text(conf);
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
