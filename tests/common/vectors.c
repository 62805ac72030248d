/* Reader for tests/vectors/NAME.txt; format in vectors.h. Also compiles as
 * C++ (the Verilator benches build it with their harness). */
#include "vectors.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode a hex or quoted value; a decimal-looking value with an odd number
 * of digits is left undecoded (data NULL) for vec_uint(). */
static int decode(struct vec_field *f)
{
	size_t n = strlen(f->text), i;

	if (n >= 2 && f->text[0] == '"' && f->text[n - 1] == '"') {
		f->len = n - 2;
		f->data = (uint8_t *)malloc(f->len + 1);
		if (!f->data)
			return -1;
		memcpy(f->data, f->text + 1, f->len);
		return 0;
	}
	for (i = 0; i < n; i++)
		if (hexval(f->text[i]) < 0)
			return -1;
	if (n % 2)
		return 0;
	f->len = n / 2;
	f->data = (uint8_t *)malloc(f->len + 1);
	if (!f->data)
		return -1;
	for (i = 0; i < f->len; i++)
		f->data[i] = (uint8_t)(hexval(f->text[2 * i]) << 4 | hexval(f->text[2 * i + 1]));
	return 0;
}

static void free_record(struct vec_record *r)
{
	size_t i;

	for (i = 0; i < r->nfields; i++) {
		free(r->fields[i].text);
		free(r->fields[i].data);
	}
	r->nfields = 0;
}

void vec_free(struct vec_file *f)
{
	size_t i;

	for (i = 0; i < f->nrecs; i++)
		free_record(&f->recs[i]);
	free(f->recs);
	free(f->path);
	memset(f, 0, sizeof(*f));
}

static int push_record(struct vec_file *f, struct vec_record *cur)
{
	struct vec_record *n;

	if (cur->nfields == 0)
		return 0;
	n = (struct vec_record *)realloc(f->recs, (f->nrecs + 1) * sizeof(*n));
	if (!n)
		return -1;
	f->recs = n;
	f->recs[f->nrecs++] = *cur;
	cur->nfields = 0;
	return 0;
}

int vec_load(const char *path, struct vec_file *out, char *err, size_t errlen)
{
	struct vec_record cur;
	char section[VEC_SECTION_MAX] = "";
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, rc = -1;
	FILE *fp;

	memset(out, 0, sizeof(*out));
	memset(&cur, 0, sizeof(cur));
	fp = fopen(path, "r");
	if (!fp) {
		seterr(err, errlen, "%s: cannot open", path);
		return -1;
	}
	out->path = strdup(path);
	while (getline(&line, &cap, fp) != -1) {
		char *s = trim(line), *eq, *name, *val;
		struct vec_field *fld;

		lineno++;
		if (*s == '#') {
			if (strstr(s, "Source:"))
				out->has_source = 1;
			continue;
		}
		if (*s == '\0') {
			if (push_record(out, &cur))
				goto oom;
			continue;
		}
		if (*s == '[') {
			size_t n = strlen(s);

			if (s[n - 1] != ']' || n - 2 >= sizeof(section)) {
				seterr(err, errlen, "%s:%d: bad section line", path, lineno);
				goto fail;
			}
			if (push_record(out, &cur))
				goto oom;
			memcpy(section, s + 1, n - 2);
			section[n - 2] = '\0';
			continue;
		}
		eq = strchr(s, '=');
		if (!eq) {
			seterr(err, errlen, "%s:%d: expected 'name = value'", path, lineno);
			goto fail;
		}
		*eq = '\0';
		name = trim(s);
		val = trim(eq + 1);
		if (!*name || strlen(name) >= VEC_NAME_MAX) {
			seterr(err, errlen, "%s:%d: bad field name", path, lineno);
			goto fail;
		}
		if (vec_get(&cur, name)) {
			seterr(err, errlen, "%s:%d: field '%s' twice in one record (missing blank line?)",
			       path, lineno, name);
			goto fail;
		}
		if (cur.nfields == VEC_MAX_FIELDS) {
			seterr(err, errlen, "%s:%d: too many fields", path, lineno);
			goto fail;
		}
		if (cur.nfields == 0) {
			cur.line = lineno;
			snprintf(cur.section, sizeof(cur.section), "%s", section);
		}
		fld = &cur.fields[cur.nfields];
		memset(fld, 0, sizeof(*fld));
		snprintf(fld->name, sizeof(fld->name), "%s", name);
		fld->text = strdup(val);
		if (!fld->text)
			goto oom;
		cur.nfields++;
		if (decode(fld)) {
			seterr(err, errlen, "%s:%d: field '%s' is neither hex nor a quoted string",
			       path, lineno, name);
			goto fail;
		}
	}
	if (push_record(out, &cur))
		goto oom;
	rc = 0;
	goto out;
oom:
	seterr(err, errlen, "%s:%d: out of memory", path, lineno);
fail:
	free_record(&cur);
	vec_free(out);
out:
	free(line);
	fclose(fp);
	return rc;
}

const struct vec_field *vec_get(const struct vec_record *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nfields; i++)
		if (strcmp(r->fields[i].name, name) == 0)
			return &r->fields[i];
	return NULL;
}

unsigned long vec_uint(const struct vec_record *r, const char *name, unsigned long dflt)
{
	const struct vec_field *f = vec_get(r, name);

	return f ? strtoul(f->text, NULL, 10) : dflt;
}
