/*
 * The parsed tree of strongSwan's settings syntax: building it (sections
 * merge when reopened, a later value replaces an earlier one), resolving
 * "name : a.b" references after the parse, freeing it (values wiped), the
 * lookups of conf.h, and the one-line error report every conf file uses.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/conf_priv.h"
#include "common/err.h"
#include "common/log.h"

/* conf_section.resolved while references are resolved */
enum { REF_ACTIVE = 1, REF_DONE = 2 };

int conf_fail(struct conf_parser *p, int err, const char *file, int line,
	      const char *fmt, ...)
{
	char msg[CONF_ERR_MAX];
	int n = 0;
	va_list ap;

	if (file && line > 0)
		n = snprintf(msg, sizeof(msg), "%s:%d: ", file, line);
	else if (file)
		n = snprintf(msg, sizeof(msg), "%s: ", file);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	fg_err("%s", msg);
	if (p->err && p->errlen)
		snprintf(p->err, p->errlen, "%s", msg);
	return err;
}

/* ---- tree ---- */

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static void free_value(char *v)
{
	if (v) {
		explicit_bzero(v, strlen(v));
		free(v);
	}
}

const char *conf_intern_file(struct conf *conf, const char *name)
{
	struct conf_file *f;
	size_t n = strlen(name);

	for (f = conf->files; f; f = f->next)
		if (strcmp(f->name, name) == 0)
			return f->name;
	f = malloc(sizeof(*f) + n + 1);
	if (!f)
		return NULL;
	memcpy(f->name, name, n + 1);
	f->next = conf->files;
	conf->files = f;
	return f->name;
}

static int count_entry(struct conf_parser *p, struct conf_section *sec,
		       const char *file, int line)
{
	if (sec->nentries >= CONF_ENTRIES_MAX)
		return conf_fail(p, FG_ERR_PARSE, file, line,
				 "more than %d entries in one section", CONF_ENTRIES_MAX);
	if (p->nentries >= CONF_TOTAL_MAX)
		return conf_fail(p, FG_ERR_PARSE, file, line,
				 "more than %d entries in the configuration (references included)",
				 CONF_TOTAL_MAX);
	sec->nentries++;
	p->nentries++;
	return 0;
}

/* Sets key (taking value) in sec, replacing an earlier value. */
int conf_set_value(struct conf_parser *p, struct conf_section *sec,
		   const char *key, size_t keylen, char *value, const char *file,
		   int line)
{
	struct conf_setting *s, **tail = &sec->settings;
	int rc;

	for (s = sec->settings; s; tail = &s->next, s = s->next) {
		if (strlen(s->key) == keylen && memcmp(s->key, key, keylen) == 0) {
			free_value(s->value);
			s->value = value;
			s->file = file;
			s->line = line;
			return 0;
		}
	}
	rc = count_entry(p, sec, file, line);
	if (rc)
		goto out;
	s = calloc(1, sizeof(*s));
	if (!s || !(s->key = dup_n(key, keylen))) {
		free(s);
		rc = conf_fail(p, FG_ERR_NOMEM, file, line, "out of memory");
		goto out;
	}
	s->value = value;
	s->file = file;
	s->line = line;
	*tail = s;
	return 0;
out:
	free_value(value);
	return rc;
}

/* Finds or adds the subsection name of sec. */
int conf_get_section(struct conf_parser *p, struct conf_section *sec,
		     const char *name, size_t len, const char *file, int line,
		     struct conf_section **out)
{
	struct conf_section *c, **tail = &sec->sections;
	int rc;

	for (c = sec->sections; c; tail = &c->next, c = c->next) {
		if (strlen(c->name) == len && memcmp(c->name, name, len) == 0) {
			*out = c;
			return 0;
		}
	}
	rc = count_entry(p, sec, file, line);
	if (rc)
		return rc;
	c = calloc(1, sizeof(*c));
	if (!c || !(c->name = dup_n(name, len))) {
		free(c);
		return conf_fail(p, FG_ERR_NOMEM, file, line, "out of memory");
	}
	c->parent = sec;
	c->file = file;
	c->line = line;
	*tail = c;
	*out = c;
	return 0;
}

static void free_section(struct conf_section *sec)
{
	struct conf_setting *s, *sn;
	struct conf_section *c, *cn;
	struct conf_ref *r, *rn;

	for (s = sec->settings; s; s = sn) {
		sn = s->next;
		free(s->key);
		free_value(s->value);
		free(s);
	}
	for (c = sec->sections; c; c = cn) {
		cn = c->next;
		free_section(c);
		free(c->name);
		free(c);
	}
	for (r = sec->refs; r; r = rn) {
		rn = r->next;
		free(r->path);
		free(r);
	}
}

void conf_free(struct conf *conf)
{
	struct conf_file *f, *fn;

	if (!conf)
		return;
	free_section(&conf->root);
	free(conf->root.name);
	for (f = conf->files; f; f = fn) {
		fn = f->next;
		free(f);
	}
	free(conf);
}

/* ---- references ---- */

/* The section at the dotted path of len bytes below sec, or NULL. */
static struct conf_section *find_path(struct conf_section *sec, const char *path,
				      size_t len)
{
	const char *end = path + len, *dot;
	struct conf_section *c;
	size_t n;

	while (sec && path < end) {
		dot = memchr(path, '.', (size_t)(end - path));
		n = dot ? (size_t)(dot - path) : (size_t)(end - path);
		for (c = sec->sections; c; c = c->next)
			if (strlen(c->name) == n && memcmp(c->name, path, n) == 0)
				break;
		sec = c;
		path += n + (dot ? 1 : 0);
	}
	return sec;
}

/* Copies what src has and dst lacks into dst (recursively). */
static int inherit(struct conf_parser *p, struct conf_section *dst,
		   const struct conf_section *src, const struct conf_ref *r)
{
	const struct conf_setting *s;
	const struct conf_section *c;
	struct conf_section *d;
	char *value;
	int rc;

	if (src->resolved == REF_ACTIVE)
		return conf_fail(p, FG_ERR_PARSE, r->file, r->line,
				 "reference to '%s' loops back through section '%s'",
				 r->path, src->name);
	for (s = src->settings; s; s = s->next) {
		if (conf_setting_find(dst, s->key))
			continue;
		value = NULL;
		if (s->value && !(value = strdup(s->value)))
			return conf_fail(p, FG_ERR_NOMEM, s->file, s->line,
					 "out of memory");
		rc = conf_set_value(p, dst, s->key, strlen(s->key), value, s->file,
				    s->line);
		if (rc)
			return rc;
	}
	for (c = src->sections; c; c = c->next) {
		rc = conf_get_section(p, dst, c->name, strlen(c->name), c->file,
				      c->line, &d);
		if (!rc)
			rc = inherit(p, d, c, r);
		if (rc)
			return rc;
	}
	return 0;
}

static int resolve(struct conf_parser *p, struct conf_section *sec, int level)
{
	struct conf_section *target, *a, *c;
	struct conf_ref *r;
	int rc;

	if (sec->resolved == REF_DONE)
		return 0;
	sec->resolved = REF_ACTIVE;
	for (r = sec->refs; r; r = r->next) {
		target = find_path(&p->conf->root, r->path, strlen(r->path));
		if (!target)
			return conf_fail(p, FG_ERR_PARSE, r->file, r->line,
					 "referenced section '%s' does not exist", r->path);
		for (a = sec; a && a != target; a = a->parent)
			;
		if (a || target->resolved == REF_ACTIVE)
			return conf_fail(p, FG_ERR_PARSE, r->file, r->line, "reference to "
					 "'%s' loops back through section '%s'",
					 r->path, sec->name);
		if (level >= CONF_REF_DEPTH_MAX)
			return conf_fail(p, FG_ERR_PARSE, r->file, r->line,
					 "references chained deeper than %d",
					 CONF_REF_DEPTH_MAX);
		target->referenced++;
		rc = resolve(p, target, level + 1);
		if (!rc)
			rc = inherit(p, sec, target, r);
		if (rc)
			return rc;
	}
	sec->resolved = REF_DONE;
	for (c = sec->sections; c; c = c->next) {
		rc = resolve(p, c, level);
		if (rc)
			return rc;
	}
	return 0;
}

int conf_resolve(struct conf_parser *p)
{
	return resolve(p, &p->conf->root, 0);
}

/* ---- lookups ---- */

const struct conf_section *conf_section_find(const struct conf_section *sec,
					     const char *name)
{
	const struct conf_section *c;

	for (c = sec ? sec->sections : NULL; c; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

const struct conf_setting *conf_setting_find(const struct conf_section *sec,
					     const char *key)
{
	const struct conf_setting *s;

	for (s = sec ? sec->settings : NULL; s; s = s->next)
		if (strcmp(s->key, key) == 0)
			return s;
	return NULL;
}

const struct conf_section *conf_find(const struct conf *conf, const char *path)
{
	return conf ? find_path((struct conf_section *)&conf->root, path, strlen(path))
		    : NULL;
}

const char *conf_get(const struct conf *conf, const char *path)
{
	const struct conf_section *sec = conf ? &conf->root : NULL;
	const struct conf_setting *s;
	const char *dot = strrchr(path, '.');

	if (dot) {
		sec = conf ? find_path((struct conf_section *)&conf->root, path,
				       (size_t)(dot - path)) : NULL;
		path = dot + 1;
	}
	s = conf_setting_find(sec, path);
	return s ? s->value : NULL;
}

size_t conf_section_path(const struct conf_section *sec, char *buf, size_t len)
{
	size_t need;

	if (!sec || !sec->parent) {
		if (len)
			buf[0] = '\0';
		return 0;
	}
	need = conf_section_path(sec->parent, buf, len);
	if (need)
		need += (size_t)snprintf(need < len ? buf + need : NULL,
					 need < len ? len - need : 0, ".");
	need += (size_t)snprintf(need < len ? buf + need : NULL,
				 need < len ? len - need : 0, "%s", sec->name);
	return need;
}
