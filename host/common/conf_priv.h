/*
 * Private to the conf module: what its three files share. conf_lex.c is
 * the tokenizer (strongSwan's settings_lexer.l states), conf_parse.c the
 * grammar, includes and the public parse entry points, conf.c the tree,
 * references, lookups and error reporting. Other modules use conf.h only.
 */
#ifndef FGATE_COMMON_CONF_PRIV_H
#define FGATE_COMMON_CONF_PRIV_H

#include <stddef.h>

#include "common/conf.h"

/* An interned file name; settings and sections point into it. */
struct conf_file {
	struct conf_file *next;
	char name[];
};

/* A "name : a.b, c" reference, resolved after the whole parse. */
struct conf_ref {
	struct conf_ref *next;
	char *path;             /* absolute, dotted */
	const char *file;
	int line;
};

/* One parse: the tree being built and where the error line goes. */
struct conf_parser {
	struct conf *conf;
	char *err;
	size_t errlen;
	int include_depth;
	unsigned nfiles;
	unsigned nentries;      /* in the whole tree, against CONF_TOTAL_MAX */
};

/* A growable byte string for values, include patterns and reference paths. */
struct conf_str {
	char *p;
	size_t len, cap;
};

enum conf_tok_type {
	T_EOF, T_NAME, T_LBRACE, T_RBRACE, T_EQ, T_COLON, T_COMMA, T_DOT,
	T_QUOTE, T_INCLUDE,
};

struct conf_token {
	enum conf_tok_type type;
	const char *text;       /* T_NAME: not terminated */
	size_t len;
	int line;
};

/* The position in one file's text. */
struct conf_lexer {
	const char *buf;
	size_t len;
	size_t pos;
	const char *file;       /* interned */
	int line;
};

/* conf.c: logs "FILE:LINE: message", copies it to p's buffer, returns err. */
int conf_fail(struct conf_parser *p, int err, const char *file, int line,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* conf.c: the tree. conf_set_value takes value (also on failure). */
const char *conf_intern_file(struct conf *conf, const char *name);
int conf_set_value(struct conf_parser *p, struct conf_section *sec,
		   const char *key, size_t keylen, char *value, const char *file,
		   int line);
int conf_get_section(struct conf_parser *p, struct conf_section *sec,
		     const char *name, size_t len, const char *file, int line,
		     struct conf_section **out);
/* conf.c: resolves every reference in the tree, after the parse. */
int conf_resolve(struct conf_parser *p);

/* conf_lex.c */
int conf_str_add(struct conf_str *s, const char *data, size_t n);
void conf_str_wipe(struct conf_str *s);
/* Refuses NUL bytes, control characters and overlong lines up front. */
int conf_prescan(struct conf_parser *p, const char *file, const char *buf,
		 size_t len);
int conf_lex_next(struct conf_parser *p, struct conf_lexer *lx,
		  struct conf_token *t);
/* The value after '=': *out is NULL when empty, else its words joined by
 * single spaces (the caller owns it). */
int conf_lex_value(struct conf_parser *p, struct conf_lexer *lx, char **out);
/* The pattern after "include". */
int conf_lex_pattern(struct conf_parser *p, struct conf_lexer *lx,
		     struct conf_str *out);
const char *conf_tok_desc(const struct conf_token *t);

#endif
