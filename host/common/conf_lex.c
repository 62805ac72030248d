/*
 * The tokenizer of strongSwan's settings syntax, state by state as in
 * strongSwan's settings_lexer.l: names and punctuation (INITIAL), values
 * after '=' (val), include patterns (inc) and quoted strings (str); plus the
 * byte-level checks every file gets first. See conf.h for the syntax.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/conf_priv.h"
#include "common/err.h"

int conf_str_add(struct conf_str *s, const char *data, size_t n)
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

void conf_str_wipe(struct conf_str *s)
{
	if (s->p)
		explicit_bzero(s->p, s->cap);
	free(s->p);
	s->p = NULL;
	s->len = s->cap = 0;
}

/* Refuses NUL bytes, control characters and overlong lines up front. */
int conf_prescan(struct conf_parser *p, const char *file, const char *buf,
		 size_t len)
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
			return conf_fail(p, FG_ERR_PARSE, file, line,
					 "line longer than %d bytes", CONF_LINE_MAX);
		if (c == 0)
			return conf_fail(p, FG_ERR_PARSE, file, line, "NUL byte");
		if ((c < ' ' && c != '\t' && c != '\r') || c == 0x7f)
			return conf_fail(p, FG_ERR_PARSE, file, line,
					 "control character 0x%02x", c);
	}
	return 0;
}

static int peek(const struct conf_lexer *lx)
{
	return lx->pos < lx->len ? (unsigned char)lx->buf[lx->pos] : -1;
}

static bool is_name_char(int c)
{
	return c > ' ' && !strchr("#{}:.,=\"", c);
}

/* Skips blanks, newlines and comments (the lexer's INITIAL state). */
static void skip_space(struct conf_lexer *lx)
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

int conf_lex_next(struct conf_parser *p, struct conf_lexer *lx,
		  struct conf_token *t)
{
	static const char singles[] = "{}=:,.\"";
	static const enum conf_tok_type types[] = {
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
		return conf_fail(p, FG_ERR_PARSE, lx->file, t->line,
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
static int read_quoted(struct conf_parser *p, struct conf_lexer *lx,
		       struct conf_str *out)
{
	int start = lx->line, c, rc;
	char ch;

	for (;;) {
		c = peek(lx);
		if (c < 0)
			return conf_fail(p, FG_ERR_PARSE, lx->file, start,
					 "unterminated string");
		lx->pos++;
		if (c == '"')
			return 0;
		if (c == '\r')
			continue;
		if (c == '\\') {
			c = peek(lx);
			if (c < 0)
				return conf_fail(p, FG_ERR_PARSE, lx->file, start,
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
			return conf_fail(p, FG_ERR_PARSE, lx->file, start,
					 "value longer than %d bytes", CONF_VALUE_MAX);
		rc = conf_str_add(out, &ch, 1);
		if (rc)
			return conf_fail(p, rc, lx->file, start, "out of memory");
	}
}

/* Reads a value after '=' (the lexer's "val" state). *out is NULL if the
 * value is empty, otherwise its words joined by single spaces. */
int conf_lex_value(struct conf_parser *p, struct conf_lexer *lx, char **out)
{
	struct conf_str v = { 0 };
	bool any = false;
	size_t start;
	int c, rc = 0, line = lx->line;

	*out = NULL;
	for (;;) {
		while ((c = peek(lx)) == ' ' || c == '\t' || c == '\r')
			lx->pos++;
		if (c < 0 || c == '\n' || c == '#' || c == '}')
			break;          /* left for the statement loop */
		if (any && (rc = conf_str_add(&v, " ", 1)))
			goto nomem;
		if (c == '"') {
			lx->pos++;
			if (!any && (rc = conf_str_add(&v, "", 0)))
				goto nomem;
			rc = read_quoted(p, lx, &v);
			if (rc)
				goto out;
		} else {
			start = lx->pos;
			while ((c = peek(lx)) >= 0 && !strchr("#}\"\r\n\t ", c))
				lx->pos++;
			if ((rc = conf_str_add(&v, lx->buf + start, lx->pos - start)))
				goto nomem;
		}
		any = true;
		if (v.len > CONF_VALUE_MAX) {
			rc = conf_fail(p, FG_ERR_PARSE, lx->file, line,
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
	rc = conf_fail(p, rc, lx->file, line, "out of memory");
out:
	conf_str_wipe(&v);
	return rc;
}

/* Reads an include pattern (the lexer's "inc" state). */
int conf_lex_pattern(struct conf_parser *p, struct conf_lexer *lx,
		     struct conf_str *out)
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
				return conf_fail(p, FG_ERR_PARSE, lx->file, lx->line,
						 "unexpected '\"' in include pattern");
		}
		if (out->len + (lx->pos - start) > PATH_MAX)
			return conf_fail(p, FG_ERR_PARSE, lx->file, lx->line,
					 "include pattern too long");
		rc = conf_str_add(out, lx->buf + start, lx->pos - start);
		if (rc)
			return conf_fail(p, rc, lx->file, lx->line, "out of memory");
	}
}

const char *conf_tok_desc(const struct conf_token *t)
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
