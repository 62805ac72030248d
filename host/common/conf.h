/*
 * strongSwan's settings syntax (strongswan.conf(5), used by swanctl.conf(5)):
 * a tree of named sections holding "key = value" settings.
 *
 *   # comment                      (to end of line, anywhere outside quotes)
 *   name {  settings  }            sections nest; a name may reopen a section,
 *                                  which merges into the first one
 *   name : a.b, c {  ...  }        inherit the settings and subsections of the
 *                                  sections at these absolute paths; own
 *                                  settings win (resolved after parsing)
 *   key = value                    the value runs to end of line, '#' or '}';
 *                                  its words are joined by one space; a later
 *                                  assignment replaces the value (and where it
 *                                  was set); "key =" alone unsets it
 *   key = "quoted \"value\"\n"     \n \r \t escapes, any other \x is x, a
 *                                  backslash before a newline joins the lines;
 *                                  may span lines
 *   include PATTERN                shell glob, relative to the directory of
 *                                  the including file; the files' settings go
 *                                  into the section holding the include
 *
 * Names (keys, sections) may hold any printable byte except
 * . , : { } = " # and blanks, exactly like strongSwan's lexer.
 * Where fgated is stricter than strongSwan (errors instead of silence):
 * every file must balance its own braces; an include without wildcards must
 * name an existing file (a pattern with wildcards may match nothing, as the
 * default swanctl.conf's include of an empty conf.d does); a reference must
 * name an existing section;
 * control characters and NUL bytes are refused. Limits are in conf_limits.
 *
 * Every setting and section remembers FILE:LINE. A parse error is one line,
 * "FILE:LINE: reason", logged with fg_err() and copied to the caller's
 * buffer (for a control-socket reply or a test); the parse then fails as a
 * whole and returns FG_ERR_PARSE (or FG_ERR_NOMEM / FG_ERR_IO).
 *
 * A parsed tree is read-only and owned by its struct conf; values are wiped
 * when it is freed (they may be pre-shared keys).
 */
#ifndef FGATE_COMMON_CONF_H
#define FGATE_COMMON_CONF_H

#include <stddef.h>

enum conf_limits {
	CONF_LINE_MAX = 4096,          /* bytes in one physical line */
	CONF_NAME_MAX = 255,           /* bytes in a key or section name */
	CONF_VALUE_MAX = 16384,        /* bytes in one value (quoted: all lines) */
	CONF_DEPTH_MAX = 32,           /* nested sections */
	CONF_ENTRIES_MAX = 4096,       /* settings + subsections in one section */
	CONF_TOTAL_MAX = 65536,        /* entries in the whole tree, inherited
					* copies included (references can
					* otherwise multiply a small file) */
	CONF_REFS_MAX = 16,            /* references on one section */
	CONF_REF_DEPTH_MAX = 16,       /* chained references */
	CONF_INCLUDE_DEPTH_MAX = 8,    /* nested includes */
	CONF_FILES_MAX = 128,          /* files read by one parse */
	CONF_FILE_MAX = 1 << 20,       /* bytes in one file */
	CONF_ERR_MAX = 512,            /* a buffer that holds any error line */
};

struct conf_setting {
	struct conf_setting *next;
	char *key;
	char *value;            /* NULL after "key =": unset, the default applies */
	const char *file;       /* where last assigned (owned by the struct conf) */
	int line;
};

struct conf_ref;

struct conf_section {
	struct conf_section *next;      /* next sibling, in order of first opening */
	struct conf_section *parent;    /* NULL for the root */
	char *name;                     /* "" for the root */
	const char *file;               /* where first opened */
	int line;
	struct conf_setting *settings;  /* in order of first assignment */
	struct conf_section *sections;
	unsigned nentries;              /* settings + subsections */
	unsigned referenced;            /* references naming this section */
	struct conf_ref *refs;          /* private: references still to resolve */
	int resolved;                   /* private */
};

struct conf_file;

struct conf {
	struct conf_section root;
	struct conf_file *files;        /* interned file names */
};

/* Parses the file at path (and what it includes) into *out. */
int conf_parse_file(const char *path, struct conf **out, char *err, size_t errlen);
/* Parses len bytes of buf; name is used in messages and relative includes
 * resolve against its directory (or the working directory without one). */
int conf_parse_buffer(const char *name, const char *buf, size_t len,
		      struct conf **out, char *err, size_t errlen);
void conf_free(struct conf *conf);

/* Direct child lookups (NULL if absent). */
const struct conf_section *conf_section_find(const struct conf_section *sec,
					     const char *name);
const struct conf_setting *conf_setting_find(const struct conf_section *sec,
					     const char *key);
/* Lookups by dotted path from the root: "connections.gw" is a section,
 * "connections.gw.version" a value (NULL if absent or unset). */
const struct conf_section *conf_find(const struct conf *conf, const char *path);
const char *conf_get(const struct conf *conf, const char *path);
/* Writes "connections.gw.children.net" for a section; returns the length
 * that was needed (like snprintf), the output always terminated. */
size_t conf_section_path(const struct conf_section *sec, char *buf, size_t len);

#endif
