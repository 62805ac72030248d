/*
 * The grammar of strongSwan's settings syntax (settings_parser.y) as a
 * recursive-descent parser over conf_lex.c's tokens: statements, sections
 * with references, includes (glob, relative to the including file), reading
 * files, and the public parse entry points. See conf.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/conf_priv.h"
#include "common/err.h"

static int parse_file(struct conf_parser *p, const char *path,
		      struct conf_section *sec, int depth, const char *from_file,
		      int from_line);

static bool has_wildcard(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static int do_include(struct conf_parser *p, struct conf_lexer *lx,
		      struct conf_section *sec, int depth, const char *pattern,
		      int line)
{
	char full[PATH_MAX + 1];
	const char *slash = strrchr(lx->file, '/');
	glob_t g;
	size_t i;
	int n, rc;

	if (!*pattern)
		return conf_fail(p, FG_ERR_PARSE, lx->file, line,
				 "include without a file pattern");
	if (pattern[0] == '/' || !slash)
		n = snprintf(full, sizeof(full), "%s", pattern);
	else
		n = snprintf(full, sizeof(full), "%.*s/%s",
			     (int)(slash - lx->file), lx->file, pattern);
	if (n < 0 || (size_t)n >= sizeof(full))
		return conf_fail(p, FG_ERR_PARSE, lx->file, line,
				 "include pattern too long");
	if (p->include_depth >= CONF_INCLUDE_DEPTH_MAX)
		return conf_fail(p, FG_ERR_PARSE, lx->file, line,
				 "include '%s': includes nested deeper than %d "
				 "(does a file include itself?)", pattern,
				 CONF_INCLUDE_DEPTH_MAX);
	memset(&g, 0, sizeof(g));
	rc = glob(full, 0, NULL, &g);   /* unreadable directories: skipped */
	if (rc == GLOB_NOMATCH) {
		globfree(&g);
		if (has_wildcard(pattern))
			return 0;       /* an empty conf.d is fine */
		return conf_fail(p, FG_ERR_PARSE, lx->file, line,
				 "include '%s': no such file", pattern);
	}
	if (rc) {
		globfree(&g);
		return conf_fail(p, rc == GLOB_NOSPACE ? FG_ERR_NOMEM : FG_ERR_IO,
				 lx->file, line, "include '%s': cannot read the directory",
				 pattern);
	}
	p->include_depth++;
	for (i = 0, rc = 0; i < g.gl_pathc && !rc; i++)
		rc = parse_file(p, g.gl_pathv[i], sec, depth, lx->file, line);
	p->include_depth--;
	globfree(&g);
	return rc;
}

static int parse_refs(struct conf_parser *p, struct conf_lexer *lx,
		      struct conf_section *sec)
{
	struct conf_token t;
	struct conf_str path = { 0 };
	struct conf_ref *r, **tail = &sec->refs;
	unsigned n = 0;
	int rc, line;

	while (*tail) {
		tail = &(*tail)->next;
		n++;
	}
	for (;;) {
		if ((rc = conf_lex_next(p, lx, &t)))
			goto out;
		if (t.type != T_NAME) {
			rc = conf_fail(p, FG_ERR_PARSE, lx->file, t.line,
				       "expected a section name after ':' or ',', got %s",
				       conf_tok_desc(&t));
			goto out;
		}
		line = t.line;
		for (;;) {
			if ((rc = conf_str_add(&path, t.text, t.len)))
				goto nomem;
			if ((rc = conf_lex_next(p, lx, &t)))
				goto out;
			if (t.type != T_DOT)
				break;
			if ((rc = conf_str_add(&path, ".", 1)))
				goto nomem;
			if ((rc = conf_lex_next(p, lx, &t)))
				goto out;
			if (t.type != T_NAME) {
				rc = conf_fail(p, FG_ERR_PARSE, lx->file, t.line,
					       "expected a name after '.', got %s",
					       conf_tok_desc(&t));
				goto out;
			}
		}
		if (++n > CONF_REFS_MAX) {
			rc = conf_fail(p, FG_ERR_PARSE, lx->file, line,
				       "more than %d references on section '%s'",
				       CONF_REFS_MAX, sec->name);
			goto out;
		}
		r = calloc(1, sizeof(*r));
		if (!r)
			goto nomem;
		r->path = path.p;
		r->file = lx->file;
		r->line = line;
		path.p = NULL;
		path.len = path.cap = 0;
		*tail = r;
		tail = &r->next;
		if (t.type == T_LBRACE)
			return 0;
		if (t.type != T_COMMA) {
			rc = conf_fail(p, FG_ERR_PARSE, lx->file, t.line,
				       "expected ',' or '{' after a reference, got %s",
				       conf_tok_desc(&t));
			goto out;
		}
	}
nomem:
	rc = conf_fail(p, FG_ERR_NOMEM, lx->file, lx->line, "out of memory");
out:
	conf_str_wipe(&path);
	return rc;
}

/* Parses statements into sec until end of file (open == NULL) or until the
 * '}' closing the section opened at open/open_line. */
static int parse_statements(struct conf_parser *p, struct conf_lexer *lx,
			    struct conf_section *sec, int depth,
			    const char *open, int open_line)
{
	struct conf_section *child;
	struct conf_token t, name;
	struct conf_str pat = { 0 };
	char *value;
	int rc;

	for (;;) {
		if ((rc = conf_lex_next(p, lx, &t)))
			return rc;
		switch (t.type) {
		case T_EOF:
			if (open)
				return conf_fail(p, FG_ERR_PARSE, lx->file, open_line,
						 "section '%s' is not closed before "
						 "the end of the file", open);
			return 0;
		case T_RBRACE:
			if (open)
				return 0;
			return conf_fail(p, FG_ERR_PARSE, lx->file, t.line,
					 "unexpected '}' (no section is open)");
		case T_INCLUDE:
			rc = conf_lex_pattern(p, lx, &pat);
			if (!rc)
				rc = do_include(p, lx, sec, depth,
						pat.p ? pat.p : "", t.line);
			conf_str_wipe(&pat);
			if (rc)
				return rc;
			continue;
		case T_NAME:
			break;
		default:
			return conf_fail(p, FG_ERR_PARSE, lx->file, t.line,
					 "unexpected %s", conf_tok_desc(&t));
		}
		name = t;
		if ((rc = conf_lex_next(p, lx, &t)))
			return rc;
		switch (t.type) {
		case T_EQ:
			rc = conf_lex_value(p, lx, &value);
			if (!rc)
				rc = conf_set_value(p, sec, name.text, name.len, value,
						    lx->file, name.line);
			if (rc)
				return rc;
			continue;
		case T_LBRACE:
		case T_COLON:
			if (depth >= CONF_DEPTH_MAX)
				return conf_fail(p, FG_ERR_PARSE, lx->file, name.line,
						 "sections nested deeper than %d",
						 CONF_DEPTH_MAX);
			rc = conf_get_section(p, sec, name.text, name.len, lx->file,
					      name.line, &child);
			if (!rc && t.type == T_COLON)
				rc = parse_refs(p, lx, child);
			if (!rc)
				rc = parse_statements(p, lx, child, depth + 1,
						      child->name, name.line);
			if (rc)
				return rc;
			continue;
		case T_DOT:
			return conf_fail(p, FG_ERR_PARSE, lx->file, t.line,
					 "'.' is not allowed in names ('%.*s.')",
					 (int)name.len, name.text);
		default:
			return conf_fail(p, FG_ERR_PARSE, lx->file, name.line,
					 "expected '=', '{' or ':' after '%.*s', got %s",
					 (int)name.len, name.text, conf_tok_desc(&t));
		}
	}
}

static int parse_text(struct conf_parser *p, const char *file, const char *buf,
		      size_t len, struct conf_section *sec, int depth)
{
	struct conf_lexer lx = { .buf = buf, .len = len, .file = file, .line = 1 };
	int rc;

	if (len > CONF_FILE_MAX)
		return conf_fail(p, FG_ERR_PARSE, file, 0, "larger than %d bytes",
				 CONF_FILE_MAX);
	if (++p->nfiles > CONF_FILES_MAX)
		return conf_fail(p, FG_ERR_PARSE, file, 0, "more than %d files included",
				 CONF_FILES_MAX);
	rc = conf_prescan(p, file, buf, len);
	if (rc)
		return rc;
	return parse_statements(p, &lx, sec, depth, NULL, 0);
}

/* Reads the whole file; *buf must be freed (wiped) by the caller. */
static int read_file(const char *path, char **buf, size_t *len, const char **why)
{
	struct stat st;
	size_t cap = 0, n = 0;
	ssize_t r;
	char *b = NULL, *nb;
	int fd, rc = FG_ERR_IO;

	*why = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*why = strerror(errno);
		return errno == ENOENT ? FG_ERR_NOTFOUND : FG_ERR_IO;
	}
	if (fstat(fd, &st) < 0) {
		*why = strerror(errno);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		*why = "not a regular file";
		goto out;
	}
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			if (cap > (size_t)CONF_FILE_MAX + 1)
				cap = (size_t)CONF_FILE_MAX + 1;
			if (n == cap) {
				*why = "file too large";
				goto out;
			}
			nb = realloc(b, cap);
			if (!nb) {
				*why = "out of memory";
				rc = FG_ERR_NOMEM;
				goto out;
			}
			b = nb;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			*why = strerror(errno);
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*buf = b;
	*len = n;
	b = NULL;
	rc = 0;
out:
	if (b) {
		explicit_bzero(b, n);
		free(b);
	}
	close(fd);
	return rc;
}

static int parse_file(struct conf_parser *p, const char *path,
		      struct conf_section *sec, int depth, const char *from_file,
		      int from_line)
{
	const char *file, *why;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	rc = read_file(path, &buf, &len, &why);
	if (rc) {
		if (!why)
			why = "read failed";
		if (from_file)
			return conf_fail(p, rc, from_file, from_line, "include '%s': %s",
					 path, why);
		return conf_fail(p, rc, path, 0, "%s", why);
	}
	file = conf_intern_file(p->conf, path);
	if (!file)
		rc = conf_fail(p, FG_ERR_NOMEM, path, 0, "out of memory");
	else
		rc = parse_text(p, file, buf, len, sec, depth);
	explicit_bzero(buf, len);
	free(buf);
	return rc;
}

static int parse(const char *name, const char *buf, size_t len, bool is_file,
		 struct conf **out, char *err, size_t errlen)
{
	struct conf_parser p = { .err = err, .errlen = errlen };
	const char *file;
	int rc;

	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	p.conf = calloc(1, sizeof(*p.conf));
	if (!p.conf || !(p.conf->root.name = strdup(""))) {
		rc = conf_fail(&p, FG_ERR_NOMEM, name, 0, "out of memory");
		goto out;
	}
	if (is_file) {
		rc = parse_file(&p, name, &p.conf->root, 0, NULL, 0);
	} else {
		file = conf_intern_file(p.conf, name);
		rc = file ? parse_text(&p, file, buf, len, &p.conf->root, 0)
			  : conf_fail(&p, FG_ERR_NOMEM, name, 0, "out of memory");
	}
	if (!rc)
		rc = conf_resolve(&p);
	if (!rc) {
		*out = p.conf;
		return 0;
	}
out:
	conf_free(p.conf);
	return rc;
}

int conf_parse_file(const char *path, struct conf **out, char *err, size_t errlen)
{
	return parse(path, NULL, 0, true, out, err, errlen);
}

int conf_parse_buffer(const char *name, const char *buf, size_t len,
		      struct conf **out, char *err, size_t errlen)
{
	return parse(name ? name : "<buffer>", buf ? buf : "", buf ? len : 0, false,
		     out, err, errlen);
}
