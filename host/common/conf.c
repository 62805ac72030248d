/*
 * Parser for strongSwan's settings syntax: a hand-written lexer that follows
 * strongSwan's settings_lexer.l state by state (names, values, include
 * patterns, quoted strings) and a recursive-descent parser for its grammar.
 * See conf.h for the syntax and where fgated is stricter.
 */
#include "common/conf.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"

struct conf_file {
	struct conf_file *next;
	char name[];
};

struct conf_ref {
	struct conf_ref *next;
	char *path;             /* absolute, dotted */
	const char *file;
	int line;
};

enum tok_type {
	T_EOF, T_NAME, T_LBRACE, T_RBRACE, T_EQ, T_COLON, T_COMMA, T_DOT,
	T_QUOTE, T_INCLUDE,
};

struct token {
	enum tok_type type;
	const char *text;       /* T_NAME: not terminated */
	size_t len;
	int line;
};

struct lexer {
	const char *buf;
	size_t len;
	size_t pos;
	const char *file;       /* interned */
	int line;
};

struct parser {
	struct conf *conf;
	char *err;
	size_t errlen;
	int include_depth;
	unsigned nfiles;
};

/* A growable byte string for values and include patterns. */
struct str {
	char *p;
	size_t len, cap;
};

enum { REF_ACTIVE = 1, REF_DONE = 2 };

static int fail(struct parser *p, int err, const char *file, int line,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int fail(struct parser *p, int err, const char *file, int line,
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

static int str_add(struct str *s, const char *data, size_t n)
{
	char *np;
	size_t cap;

	if (s->len + n + 1 > s->cap) {
		cap = s->cap ? s->cap : 64;
		while (cap < s->len + n + 1)
			cap *= 2;
		np = realloc(s->p, cap);
		if (!np)
			return FG_ERR_NOMEM;
		s->p = np;
		s->cap = cap;
	}
	memcpy(s->p + s->len, data, n);
	s->len += n;
	s->p[s->len] = '\0';
	return 0;
}

static void str_wipe(struct str *s)
{
	if (s->p)
		explicit_bzero(s->p, s->cap);
	free(s->p);
	s->p = NULL;
	s->len = s->cap = 0;
}

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

/* ---- lexer ---- */

static int peek(const struct lexer *lx)
{
	return lx->pos < lx->len ? (unsigned char)lx->buf[lx->pos] : -1;
}

static bool is_name_char(int c)
{
	return c > ' ' && !strchr("#{}:.,=\"", c);
}

/* Skips blanks, newlines and comments (the lexer's INITIAL state). */
static void skip_space(struct lexer *lx)
{
	int c;

	while ((c = peek(lx)) >= 0) {
		if (c == '\n') {
			lx->line++;
		} else if (c == '#') {
			while (lx->pos < lx->len && lx->buf[lx->pos] != '\n')
				lx->pos++;
			continue;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			return;
		}
		lx->pos++;
	}
}

static int next_token(struct parser *p, struct lexer *lx, struct token *t)
{
	static const char singles[] = "{}=:,.\"";
	static const enum tok_type types[] = {
		T_LBRACE, T_RBRACE, T_EQ, T_COLON, T_COMMA, T_DOT, T_QUOTE,
	};
	const char *s;
	size_t save;
	int c;

	skip_space(lx);
	t->line = lx->line;
	t->text = lx->buf + lx->pos;
	t->len = 0;
	c = peek(lx);
	if (c < 0) {
		t->type = T_EOF;
		return 0;
	}
	s = strchr(singles, c);
	if (s) {
		t->type = types[s - singles];
		t->len = 1;
		lx->pos++;
		return 0;
	}
	while (is_name_char(peek(lx)))
		lx->pos++;
	t->len = (size_t)(lx->buf + lx->pos - t->text);
	if (t->len > CONF_NAME_MAX)
		return fail(p, FG_ERR_PARSE, lx->file, t->line,
			    "name longer than %d bytes", CONF_NAME_MAX);
	t->type = T_NAME;
	/* "include" followed by blanks and anything but '=' starts an include
	 * (strongSwan: "include"[\t ]+/[^=]); "include = x" is a setting. */
	if (t->len == 7 && memcmp(t->text, "include", 7) == 0 &&
	    (peek(lx) == ' ' || peek(lx) == '\t')) {
		save = lx->pos;
		while (peek(lx) == ' ' || peek(lx) == '\t')
			lx->pos++;
		if (peek(lx) != '=')
			t->type = T_INCLUDE;
		else
			lx->pos = save;
	}
	return 0;
}

/* Reads a quoted string; the opening quote is already consumed. */
static int read_quoted(struct parser *p, struct lexer *lx, struct str *out)
{
	int start = lx->line, c, rc;
	char ch;

	for (;;) {
		c = peek(lx);
		if (c < 0)
			return fail(p, FG_ERR_PARSE, lx->file, start,
				    "unterminated string");
		lx->pos++;
		if (c == '"')
			return 0;
		if (c == '\r')
			continue;
		if (c == '\\') {
			c = peek(lx);
			if (c < 0)
				return fail(p, FG_ERR_PARSE, lx->file, start,
					    "unterminated string");
			lx->pos++;
			if (c == '\r' && peek(lx) == '\n') {
				lx->pos++;
				c = '\n';
			}
			if (c == '\n') {        /* escaped end of line: join */
				lx->line++;
				continue;
			}
			ch = c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : (char)c;
		} else {
			if (c == '\n')
				lx->line++;
			ch = (char)c;
		}
		if (out->len >= CONF_VALUE_MAX)
			return fail(p, FG_ERR_PARSE, lx->file, start,
				    "value longer than %d bytes", CONF_VALUE_MAX);
		rc = str_add(out, &ch, 1);
		if (rc)
			return fail(p, rc, lx->file, start, "out of memory");
	}
}

/* Reads a value after '=' (the lexer's "val" state). *out is NULL if the
 * value is empty, otherwise its words joined by single spaces. */
static int read_value(struct parser *p, struct lexer *lx, char **out)
{
	struct str v = { 0 };
	bool any = false;
	size_t start;
	int c, rc = 0, line = lx->line;

	*out = NULL;
	for (;;) {
		while ((c = peek(lx)) == ' ' || c == '\t' || c == '\r')
			lx->pos++;
		if (c < 0 || c == '\n' || c == '#' || c == '}')
			break;          /* left for the statement loop */
		if (any && (rc = str_add(&v, " ", 1)))
			goto nomem;
		if (c == '"') {
			lx->pos++;
			if (!any && (rc = str_add(&v, "", 0)))
				goto nomem;
			rc = read_quoted(p, lx, &v);
			if (rc)
				goto out;
		} else {
			start = lx->pos;
			while ((c = peek(lx)) >= 0 && !strchr("#}\"\r\n\t ", c))
				lx->pos++;
			if ((rc = str_add(&v, lx->buf + start, lx->pos - start)))
				goto nomem;
		}
		any = true;
		if (v.len > CONF_VALUE_MAX) {
			rc = fail(p, FG_ERR_PARSE, lx->file, line,
				  "value longer than %d bytes", CONF_VALUE_MAX);
			goto out;
		}
	}
	if (any) {
		*out = v.p;
		return 0;
	}
	goto out;
nomem:
	rc = fail(p, rc, lx->file, line, "out of memory");
out:
	str_wipe(&v);
	return rc;
}

/* Reads an include pattern (the lexer's "inc" state). */
static int read_pattern(struct parser *p, struct lexer *lx, struct str *out)
{
	size_t start;
	int c, rc;

	if (peek(lx) == '"') {
		lx->pos++;
		return read_quoted(p, lx, out);
	}
	for (;;) {
		c = peek(lx);
		if (c < 0 || strchr("#}\n\t ", c))
			return 0;
		if (c == '\r') {
			lx->pos++;
			continue;
		}
		start = lx->pos;
		if (c == '\\') {
			lx->pos++;
			c = peek(lx);
			if (c >= 0 && strchr("\"#} ", c)) {
				start = lx->pos;
				lx->pos++;
			}
		} else {
			while ((c = peek(lx)) >= 0 && !strchr("\"\\#}\r\n\t ", c))
				lx->pos++;
			if (c == '"')   /* strongSwan: a quote starts a string */
				return fail(p, FG_ERR_PARSE, lx->file, lx->line,
					    "unexpected '\"' in include pattern");
		}
		if (out->len + (lx->pos - start) > PATH_MAX)
			return fail(p, FG_ERR_PARSE, lx->file, lx->line,
				    "include pattern too long");
		rc = str_add(out, lx->buf + start, lx->pos - start);
		if (rc)
			return fail(p, rc, lx->file, lx->line, "out of memory");
	}
}

/* ---- tree ---- */

static const char *intern_file(struct conf *conf, const char *name)
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

static int count_entry(struct parser *p, struct conf_section *sec,
		       const char *file, int line)
{
	if (sec->nentries >= CONF_ENTRIES_MAX)
		return fail(p, FG_ERR_PARSE, file, line,
			    "more than %d entries in one section", CONF_ENTRIES_MAX);
	sec->nentries++;
	return 0;
}

/* Sets key (taking value) in sec, replacing an earlier value. */
static int set_value(struct parser *p, struct conf_section *sec, const char *key,
		     size_t keylen, char *value, const char *file, int line)
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
		rc = fail(p, FG_ERR_NOMEM, file, line, "out of memory");
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
static int get_section(struct parser *p, struct conf_section *sec, const char *name,
		       size_t len, const char *file, int line,
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
		return fail(p, FG_ERR_NOMEM, file, line, "out of memory");
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

/* ---- parser ---- */

static int parse_file(struct parser *p, const char *path, struct conf_section *sec,
		      int depth, const char *from_file, int from_line);

static const char *tok_desc(const struct token *t)
{
	switch (t->type) {
	case T_EOF: return "end of file";
	case T_LBRACE: return "'{'";
	case T_RBRACE: return "'}'";
	case T_EQ: return "'='";
	case T_COLON: return "':'";
	case T_COMMA: return "','";
	case T_DOT: return "'.'";
	case T_QUOTE: return "'\"' (quotes are allowed in values only)";
	default: return "name";
	}
}

static bool has_wildcard(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static int do_include(struct parser *p, struct lexer *lx, struct conf_section *sec,
		      int depth, const char *pattern, int line)
{
	char full[PATH_MAX + 1];
	const char *slash = strrchr(lx->file, '/');
	glob_t g;
	size_t i;
	int n, rc;

	if (!*pattern)
		return fail(p, FG_ERR_PARSE, lx->file, line,
			    "include without a file pattern");
	if (pattern[0] == '/' || !slash)
		n = snprintf(full, sizeof(full), "%s", pattern);
	else
		n = snprintf(full, sizeof(full), "%.*s/%s",
			     (int)(slash - lx->file), lx->file, pattern);
	if (n < 0 || (size_t)n >= sizeof(full))
		return fail(p, FG_ERR_PARSE, lx->file, line, "include pattern too long");
	if (p->include_depth >= CONF_INCLUDE_DEPTH_MAX)
		return fail(p, FG_ERR_PARSE, lx->file, line,
			    "include '%s': includes nested deeper than %d "
			    "(does a file include itself?)", pattern,
			    CONF_INCLUDE_DEPTH_MAX);
	memset(&g, 0, sizeof(g));
	rc = glob(full, 0, NULL, &g);   /* unreadable directories: skipped */
	if (rc == GLOB_NOMATCH) {
		globfree(&g);
		if (has_wildcard(pattern))
			return 0;       /* an empty conf.d is fine */
		return fail(p, FG_ERR_PARSE, lx->file, line,
			    "include '%s': no such file", pattern);
	}
	if (rc) {
		globfree(&g);
		return fail(p, rc == GLOB_NOSPACE ? FG_ERR_NOMEM : FG_ERR_IO,
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

static int parse_refs(struct parser *p, struct lexer *lx, struct conf_section *sec)
{
	struct token t;
	struct str path = { 0 };
	struct conf_ref *r, **tail = &sec->refs;
	unsigned n = 0;
	int rc, line;

	while (*tail) {
		tail = &(*tail)->next;
		n++;
	}
	for (;;) {
		if ((rc = next_token(p, lx, &t)))
			goto out;
		if (t.type != T_NAME) {
			rc = fail(p, FG_ERR_PARSE, lx->file, t.line,
				  "expected a section name after ':' or ',', got %s",
				  tok_desc(&t));
			goto out;
		}
		line = t.line;
		for (;;) {
			if ((rc = str_add(&path, t.text, t.len)))
				goto nomem;
			if ((rc = next_token(p, lx, &t)))
				goto out;
			if (t.type != T_DOT)
				break;
			if ((rc = str_add(&path, ".", 1)))
				goto nomem;
			if ((rc = next_token(p, lx, &t)))
				goto out;
			if (t.type != T_NAME) {
				rc = fail(p, FG_ERR_PARSE, lx->file, t.line,
					  "expected a name after '.', got %s",
					  tok_desc(&t));
				goto out;
			}
		}
		if (++n > CONF_REFS_MAX) {
			rc = fail(p, FG_ERR_PARSE, lx->file, line,
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
			rc = fail(p, FG_ERR_PARSE, lx->file, t.line,
				  "expected ',' or '{' after a reference, got %s",
				  tok_desc(&t));
			goto out;
		}
	}
nomem:
	rc = fail(p, FG_ERR_NOMEM, lx->file, lx->line, "out of memory");
out:
	str_wipe(&path);
	return rc;
}

/* Parses statements into sec until end of file (open == NULL) or until the
 * '}' closing the section opened at open/open_line. */
static int parse_statements(struct parser *p, struct lexer *lx,
			    struct conf_section *sec, int depth,
			    const char *open, int open_line)
{
	struct conf_section *child;
	struct token t, name;
	struct str pat = { 0 };
	char *value;
	int rc;

	for (;;) {
		if ((rc = next_token(p, lx, &t)))
			return rc;
		switch (t.type) {
		case T_EOF:
			if (open)
				return fail(p, FG_ERR_PARSE, lx->file, open_line,
					    "section '%s' is not closed before "
					    "the end of the file", open);
			return 0;
		case T_RBRACE:
			if (open)
				return 0;
			return fail(p, FG_ERR_PARSE, lx->file, t.line,
				    "unexpected '}' (no section is open)");
		case T_INCLUDE:
			rc = read_pattern(p, lx, &pat);
			if (!rc)
				rc = do_include(p, lx, sec, depth,
						pat.p ? pat.p : "", t.line);
			str_wipe(&pat);
			if (rc)
				return rc;
			continue;
		case T_NAME:
			break;
		default:
			return fail(p, FG_ERR_PARSE, lx->file, t.line,
				    "unexpected %s", tok_desc(&t));
		}
		name = t;
		if ((rc = next_token(p, lx, &t)))
			return rc;
		switch (t.type) {
		case T_EQ:
			rc = read_value(p, lx, &value);
			if (!rc)
				rc = set_value(p, sec, name.text, name.len, value,
					       lx->file, name.line);
			if (rc)
				return rc;
			continue;
		case T_LBRACE:
		case T_COLON:
			if (depth >= CONF_DEPTH_MAX)
				return fail(p, FG_ERR_PARSE, lx->file, name.line,
					    "sections nested deeper than %d",
					    CONF_DEPTH_MAX);
			rc = get_section(p, sec, name.text, name.len, lx->file,
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
			return fail(p, FG_ERR_PARSE, lx->file, t.line,
				    "'.' is not allowed in names ('%.*s.')",
				    (int)name.len, name.text);
		default:
			return fail(p, FG_ERR_PARSE, lx->file, name.line,
				    "expected '=', '{' or ':' after '%.*s', got %s",
				    (int)name.len, name.text, tok_desc(&t));
		}
	}
}

/* Refuses NUL bytes, control characters and overlong lines up front. */
static int prescan(struct parser *p, const char *file, const char *buf, size_t len)
{
	size_t i, col = 0;
	int line = 1;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)buf[i];
		if (c == '\n') {
			line++;
			col = 0;
			continue;
		}
		if (++col > CONF_LINE_MAX)
			return fail(p, FG_ERR_PARSE, file, line,
				    "line longer than %d bytes", CONF_LINE_MAX);
		if (c == 0)
			return fail(p, FG_ERR_PARSE, file, line, "NUL byte");
		if ((c < ' ' && c != '\t' && c != '\r') || c == 0x7f)
			return fail(p, FG_ERR_PARSE, file, line,
				    "control character 0x%02x", c);
	}
	return 0;
}

static int parse_text(struct parser *p, const char *file, const char *buf,
		      size_t len, struct conf_section *sec, int depth)
{
	struct lexer lx = { .buf = buf, .len = len, .file = file, .line = 1 };
	int rc;

	if (len > CONF_FILE_MAX)
		return fail(p, FG_ERR_PARSE, file, 0, "larger than %d bytes",
			    CONF_FILE_MAX);
	if (++p->nfiles > CONF_FILES_MAX)
		return fail(p, FG_ERR_PARSE, file, 0, "more than %d files included",
			    CONF_FILES_MAX);
	rc = prescan(p, file, buf, len);
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

static int parse_file(struct parser *p, const char *path, struct conf_section *sec,
		      int depth, const char *from_file, int from_line)
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
			return fail(p, rc, from_file, from_line, "include '%s': %s",
				    path, why);
		return fail(p, rc, path, 0, "%s", why);
	}
	file = intern_file(p->conf, path);
	if (!file)
		rc = fail(p, FG_ERR_NOMEM, path, 0, "out of memory");
	else
		rc = parse_text(p, file, buf, len, sec, depth);
	explicit_bzero(buf, len);
	free(buf);
	return rc;
}

/* ---- references ---- */

static struct conf_section *find_path(struct conf_section *sec, const char *path)
{
	const char *dot;
	struct conf_section *c;
	size_t n;

	while (sec && *path) {
		dot = strchr(path, '.');
		n = dot ? (size_t)(dot - path) : strlen(path);
		for (c = sec->sections; c; c = c->next)
			if (strlen(c->name) == n && memcmp(c->name, path, n) == 0)
				break;
		sec = c;
		path += n + (dot ? 1 : 0);
	}
	return sec;
}

/* Copies what src has and dst lacks into dst (recursively). */
static int inherit(struct parser *p, struct conf_section *dst,
		   const struct conf_section *src, const struct conf_ref *r)
{
	const struct conf_setting *s;
	const struct conf_section *c;
	struct conf_section *d;
	char *value;
	int rc;

	if (src->resolved == REF_ACTIVE)
		return fail(p, FG_ERR_PARSE, r->file, r->line,
			    "reference to '%s' loops back through section '%s'",
			    r->path, src->name);
	for (s = src->settings; s; s = s->next) {
		if (conf_setting_find(dst, s->key))
			continue;
		value = NULL;
		if (s->value && !(value = strdup(s->value)))
			return fail(p, FG_ERR_NOMEM, s->file, s->line, "out of memory");
		rc = set_value(p, dst, s->key, strlen(s->key), value, s->file,
			       s->line);
		if (rc)
			return rc;
	}
	for (c = src->sections; c; c = c->next) {
		rc = get_section(p, dst, c->name, strlen(c->name), c->file,
				 c->line, &d);
		if (!rc)
			rc = inherit(p, d, c, r);
		if (rc)
			return rc;
	}
	return 0;
}

static int resolve(struct parser *p, struct conf_section *sec, int level)
{
	struct conf_section *target, *a, *c;
	struct conf_ref *r;
	int rc;

	if (sec->resolved == REF_DONE)
		return 0;
	sec->resolved = REF_ACTIVE;
	for (r = sec->refs; r; r = r->next) {
		target = find_path(&p->conf->root, r->path);
		if (!target)
			return fail(p, FG_ERR_PARSE, r->file, r->line,
				    "referenced section '%s' does not exist", r->path);
		for (a = sec; a && a != target; a = a->parent)
			;
		if (a || target->resolved == REF_ACTIVE)
			return fail(p, FG_ERR_PARSE, r->file, r->line,
				    "reference to '%s' loops back through section '%s'",
				    r->path, sec->name);
		if (level >= CONF_REF_DEPTH_MAX)
			return fail(p, FG_ERR_PARSE, r->file, r->line,
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

/* ---- public ---- */

static int parse(const char *name, const char *buf, size_t len, bool is_file,
		 struct conf **out, char *err, size_t errlen)
{
	struct parser p = { .err = err, .errlen = errlen };
	const char *file;
	int rc;

	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	p.conf = calloc(1, sizeof(*p.conf));
	if (!p.conf || !(p.conf->root.name = strdup(""))) {
		rc = fail(&p, FG_ERR_NOMEM, name, 0, "out of memory");
		goto out;
	}
	if (is_file) {
		rc = parse_file(&p, name, &p.conf->root, 0, NULL, 0);
	} else {
		file = intern_file(p.conf, name);
		rc = file ? parse_text(&p, file, buf, len, &p.conf->root, 0)
			  : fail(&p, FG_ERR_NOMEM, name, 0, "out of memory");
	}
	if (!rc)
		rc = resolve(&p, &p.conf->root, 0);
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
	return conf ? find_path((struct conf_section *)&conf->root, path) : NULL;
}

const char *conf_get(const struct conf *conf, const char *path)
{
	const struct conf_section *sec = conf ? &conf->root : NULL;
	const struct conf_setting *s;
	const char *dot = strrchr(path, '.');
	char *head;

	if (dot) {
		head = dup_n(path, (size_t)(dot - path));
		if (!head)
			return NULL;
		sec = conf_find(conf, head);
		free(head);
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
