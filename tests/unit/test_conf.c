/*
 * strongSwan settings syntax (host/common/conf.c): values, quoting, merges,
 * references and includes as strongswan.conf(5) describes them, every error
 * with its FILE:LINE, and random input that must give a defined result.
 * Runs from the top of the tree (tests/unit/conf holds the include files).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/conf.h"
#include "common/err.h"
#include "common/log.h"
#include "unit.h"

#define DIR "tests/unit/conf/"

static FILE *log_file;

/* Lines logged since the last call. */
static int log_lines(void)
{
	char line[1024];
	int n = 0;

	fflush(log_file);
	rewind(log_file);
	while (fgets(line, sizeof(line), log_file))
		n++;
	fclose(log_file);
	log_file = tmpfile();
	fg_log_set_stream(log_file);
	return n;
}

static struct conf *parse_ok(const char *text)
{
	struct conf *c = NULL;
	char err[CONF_ERR_MAX];
	int rc;

	rc = conf_parse_buffer("t.conf", text, strlen(text), &c, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, 0);
	if (rc)
		printf("\n  unexpected error: %s\n", err);
	return c;
}

static void check_value(const struct conf *c, const char *path, const char *want)
{
	const char *got = conf_get(c, path);

	if (!want) {
		CU_ASSERT_PTR_NULL(got);
		if (got)
			printf("\n  %s: got '%s', want none\n", path, got);
		return;
	}
	CU_ASSERT_PTR_NOT_NULL(got);
	if (!got) {
		printf("\n  %s: missing, want '%s'\n", path, want);
		return;
	}
	CU_ASSERT_STRING_EQUAL(got, want);
	if (strcmp(got, want))
		printf("\n  %s: got '%s', want '%s'\n", path, got, want);
}

struct value_case {
	const char *text;
	const char *path;
	const char *value;      /* NULL: absent or unset */
};

static const struct value_case value_cases[] = {
	{ "a = b\n", "a", "b" },
	{ "a = b", "a", "b" },                          /* no final newline */
	{ "a=b\n", "a", "b" },
	{ "a =   foo   bar \t baz  \n", "a", "foo bar baz" },
	{ "a = b # comment\n", "a", "b" },
	{ "# only a comment\n\n\na = b\n", "a", "b" },
	{ "a = x=y{z\n", "a", "x=y{z" },                /* '=' and '{' in values */
	{ "a = b\"c\"\n", "a", "b c" },                 /* words joined by a space */
	{ "a = \"x # not a comment\"\n", "a", "x # not a comment" },
	{ "a = \"  keep  blanks \"\n", "a", "  keep  blanks " },
	{ "a = \"q\\\"b\\\\c\\nd\\te\\rf\\xg\"\n", "a", "q\"b\\c\nd\te\rfxg" },
	{ "a = \"two\nlines\"\n", "a", "two\nlines" },
	{ "a = \"joined \\\nline\"\n", "a", "joined line" },
	{ "a = \"joined \\\r\nline\"\n", "a", "joined line" },
	{ "a = \"\"\n", "a", "" },
	{ "a = \"\" \"\"\n", "a", " " },
	{ "a = \"x\"y\n", "a", "x y" },
	{ "a =\n", "a", NULL },                         /* empty: unset */
	{ "a = \n", "a", NULL },
	{ "a = # comment\n", "a", NULL },
	{ "a = 1\na = 2\n", "a", "2" },                 /* later replaces */
	{ "a = 1\na =\n", "a", NULL },                  /* and can unset */
	{ "a = b\r\nc = d\r\n", "c", "d" },             /* CRLF */
	{ "a = b\r\nc = d\r\n", "a", "b" },
	{ "s { a = 1 }\n", "s.a", "1" },                /* '}' ends a value */
	{ "s { a = 1 } t { b = 2 }\n", "t.b", "2" },
	{ "s {\n a = 1\n}\ns {\n b = 2\n}\n", "s.a", "1" },     /* merge */
	{ "s {\n a = 1\n}\ns {\n b = 2\n}\n", "s.b", "2" },
	{ "s {\n a = 1\n}\ns {\n a = 3\n}\n", "s.a", "3" },
	{ "s\n{\n a = 1\n}\n", "s.a", "1" },            /* brace on its own line */
	{ "s { t { u { v = deep } } }\n", "s.t.u.v", "deep" },
	{ "a\n= b\n", "a", "b" },                        /* newline before '=' */
	{ "a =\nb = 2\n", "b", "2" },                    /* a value ends at the newline */
	{ "include = x\n", "include", "x" },            /* a key named include */
	{ "include=x\n", "include", "x" },
	{ "k-1_x/y@z+%* = v\n", "k-1_x/y@z+%*", "v" },  /* printable names */
	{ "a = 1\ns {\n}\n", "s.a", NULL },             /* no inheritance by nesting */
	{ "s { a = 1 }\n", "a", NULL },
	{ "a { }\na = b\n", "a", "b" },                 /* keys and sections apart */
	{ "x = \"\xc3\xa9t\xc3\xa9\"\n", "x", "\xc3\xa9t\xc3\xa9" },    /* UTF-8 */
	{ "base {\n a = 1\n b = 2\n sub {\n  c = 3\n }\n}\nconn : base {\n b = 9\n}\n",
	  "conn.a", "1" },
	{ "base {\n a = 1\n b = 2\n sub {\n  c = 3\n }\n}\nconn : base {\n b = 9\n}\n",
	  "conn.b", "9" },
	{ "base {\n a = 1\n b = 2\n sub {\n  c = 3\n }\n}\nconn : base {\n b = 9\n}\n",
	  "conn.sub.c", "3" },
	{ "x {\n y {\n  a = 1\n }\n}\nz : x.y {\n}\n", "z.a", "1" },
	{ "z : x.y {\n}\nx {\n y {\n  a = 1\n }\n}\n", "z.a", "1" },    /* forward */
	{ "a {\n p = 1\n}\nb {\n q = 2\n}\nc : a, b {\n}\n", "c.q", "2" },
	{ "a {\n p = 1\n}\nb : a {\n}\nc : b {\n}\n", "c.p", "1" },      /* chained */
	{ "a {\n p = 1\n}\nb : a {\n p =\n}\n", "b.p", NULL },           /* cleared */
	{ "d {\n s {\n  x = 1\n }\n}\nc : d {\n s {\n  y = 2\n }\n}\n", "c.s.x", "1" },
	{ "", "a", NULL },
};

static void test_values(void)
{
	struct conf *c;
	size_t i;

	for (i = 0; i < sizeof(value_cases) / sizeof(value_cases[0]); i++) {
		c = parse_ok(value_cases[i].text);
		if (!c) {
			printf("  case %zu: %s\n", i, value_cases[i].text);
			continue;
		}
		check_value(c, value_cases[i].path, value_cases[i].value);
		conf_free(c);
	}
	CU_ASSERT_EQUAL(log_lines(), 0);
}

static void test_structure(void)
{
	const struct conf_section *s, *sub;
	const struct conf_setting *kv;
	struct conf *c;
	char path[64];

	c = parse_ok("# header\n"
		     "a = 1\n"
		     "s {\n"
		     "  x = 1\n"
		     "  t {\n"
		     "    y = 2\n"
		     "  }\n"
		     "}\n"
		     "u {\n"
		     "}\n"
		     "s {\n"
		     "  z = 3\n"
		     "  x = 4\n"
		     "  e =\n"
		     "}\n");
	if (!c)
		return;
	s = conf_find(c, "s");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(s->file, "t.conf");
	CU_ASSERT_EQUAL(s->line, 3);            /* where first opened */
	CU_ASSERT_PTR_EQUAL(s->parent, &c->root);
	/* settings in order of first assignment, lines of the last one */
	kv = s->settings;
	CU_ASSERT_STRING_EQUAL(kv->key, "x");
	CU_ASSERT_STRING_EQUAL(kv->value, "4");
	CU_ASSERT_EQUAL(kv->line, 13);
	kv = kv->next;
	CU_ASSERT_STRING_EQUAL(kv->key, "z");
	CU_ASSERT_EQUAL(kv->line, 12);
	kv = kv->next;
	CU_ASSERT_STRING_EQUAL(kv->key, "e");
	CU_ASSERT_PTR_NULL(kv->value);
	CU_ASSERT_PTR_NULL(kv->next);
	CU_ASSERT_EQUAL(s->nentries, 4);        /* x, z, e, t */
	/* sections in order of first opening, merged once */
	CU_ASSERT_STRING_EQUAL(c->root.sections->name, "s");
	CU_ASSERT_STRING_EQUAL(c->root.sections->next->name, "u");
	CU_ASSERT_PTR_NULL(c->root.sections->next->next);
	sub = conf_section_find(s, "t");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sub);
	CU_ASSERT_EQUAL(sub->line, 5);
	CU_ASSERT_PTR_EQUAL(conf_find(c, "s.t"), sub);
	CU_ASSERT_EQUAL(conf_setting_find(sub, "y")->line, 6);
	CU_ASSERT_PTR_NULL(conf_find(c, "s.nope"));
	CU_ASSERT_PTR_NULL(conf_find(c, "nope.t"));
	CU_ASSERT_PTR_NULL(conf_section_find(s, "x"));  /* a key, not a section */
	CU_ASSERT_EQUAL(conf_setting_find(&c->root, "a")->line, 2);
	CU_ASSERT_EQUAL(conf_section_path(sub, path, sizeof(path)), 3);
	CU_ASSERT_STRING_EQUAL(path, "s.t");
	CU_ASSERT_EQUAL(conf_section_path(sub, path, 2), 3);
	CU_ASSERT_STRING_EQUAL(path, "s");
	CU_ASSERT_EQUAL(conf_section_path(&c->root, path, sizeof(path)), 0);
	CU_ASSERT_STRING_EQUAL(path, "");
	conf_free(c);
	conf_free(NULL);
}

static void test_references(void)
{
	const struct conf_setting *kv;
	struct conf *c;

	c = parse_ok("conn-defaults {\n"          /* 1 */
		     "  version = 1\n"             /* 2 */
		     "  local {\n"                 /* 3 */
		     "    auth = psk\n"            /* 4 */
		     "  }\n"
		     "}\n"
		     "connections {\n"             /* 7 */
		     "  a : conn-defaults {\n"     /* 8 */
		     "    version = 2\n"           /* 9 */
		     "  }\n"
		     "  b : connections.a {\n"     /* 11 */
		     "  }\n"
		     "}\n");
	if (!c)
		return;
	check_value(c, "connections.a.version", "2");
	check_value(c, "connections.a.local.auth", "psk");
	check_value(c, "connections.b.version", "2");
	check_value(c, "connections.b.local.auth", "psk");
	/* an inherited value keeps the place where it was written */
	kv = conf_setting_find(conf_find(c, "connections.b.local"), "auth");
	CU_ASSERT_EQUAL(kv->line, 4);
	kv = conf_setting_find(conf_find(c, "connections.b"), "version");
	CU_ASSERT_EQUAL(kv->line, 9);
	/* the referenced section itself is unchanged */
	check_value(c, "conn-defaults.version", "1");
	conf_free(c);
}

static void test_includes(void)
{
	const struct conf_setting *kv;
	struct conf *c = NULL;
	char err[CONF_ERR_MAX];
	int rc;

	rc = conf_parse_file(DIR "include-main.conf", &c, err, sizeof(err));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	check_value(c, "top", "main");
	check_value(c, "section-one.somevalue", "asdf");
	check_value(c, "section-one.subsection.othervalue", "xxx");
	check_value(c, "section-one.yetanother", "zz");
	check_value(c, "section-two.x", "12");
	check_value(c, "order", "b");           /* glob order: 10-a, 20-b */
	check_value(c, "from-a", "yes");
	check_value(c, "quoted", "yes");
	check_value(c, "somevalue", NULL);      /* went into section-one */
	kv = conf_setting_find(conf_find(c, "section-one"), "somevalue");
	CU_ASSERT_STRING_EQUAL(kv->file, DIR "include-one.conf");
	CU_ASSERT_EQUAL(kv->line, 3);
	kv = conf_setting_find(conf_find(c, "section-one.subsection"), "othervalue");
	CU_ASSERT_STRING_EQUAL(kv->file, DIR "include-other.conf");
	CU_ASSERT_EQUAL(kv->line, 5);
	CU_ASSERT_STRING_EQUAL(conf_find(c, "section-one")->file, DIR "include-main.conf");
	conf_free(c);

	/* a buffer resolves includes against the directory of its name */
	c = NULL;
	rc = conf_parse_buffer(DIR "buffer.conf", "include subdir/nested.conf\n", 27,
			       &c, err, sizeof(err));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	check_value(c, "nested", "yes");
	check_value(c, "somevalue", "asdf");    /* ../include-one.conf from subdir */
	conf_free(c);
	CU_ASSERT_EQUAL(log_lines(), 0);
}

struct err_case {
	const char *name;       /* buffer name */
	const char *text;
	int rc;
	const char *msg;
};

static const struct err_case err_cases[] = {
	{ "t.conf", "}\n", FG_ERR_PARSE, "t.conf:1: unexpected '}' (no section is open)" },
	{ "t.conf", "a = 1\n\n}\n", FG_ERR_PARSE,
	  "t.conf:3: unexpected '}' (no section is open)" },
	{ "t.conf", "s {\n a = 1\n", FG_ERR_PARSE,
	  "t.conf:1: section 's' is not closed before the end of the file" },
	{ "t.conf", "s {\n t {\n }\n", FG_ERR_PARSE,
	  "t.conf:1: section 's' is not closed before the end of the file" },
	{ "t.conf", "s {\n t {\n", FG_ERR_PARSE,
	  "t.conf:2: section 't' is not closed before the end of the file" },
	{ "t.conf", "a b\n", FG_ERR_PARSE,
	  "t.conf:1: expected '=', '{' or ':' after 'a', got name" },
	{ "t.conf", "x = 1\nlonely\n", FG_ERR_PARSE,
	  "t.conf:2: expected '=', '{' or ':' after 'lonely', got end of file" },
	{ "t.conf", "s {\n a\n}\n", FG_ERR_PARSE,
	  "t.conf:2: expected '=', '{' or ':' after 'a', got '}'" },
	{ "t.conf", "a , b\n", FG_ERR_PARSE,
	  "t.conf:1: expected '=', '{' or ':' after 'a', got ','" },
	{ "t.conf", "= b\n", FG_ERR_PARSE, "t.conf:1: unexpected '='" },
	{ "t.conf", "{\n}\n", FG_ERR_PARSE, "t.conf:1: unexpected '{'" },
	{ "t.conf", ": b\n", FG_ERR_PARSE, "t.conf:1: unexpected ':'" },
	{ "t.conf", "\n\n.x = 1\n", FG_ERR_PARSE, "t.conf:3: unexpected '.'" },
	{ "t.conf", "a.b = c\n", FG_ERR_PARSE, "t.conf:1: '.' is not allowed in names ('a.')" },
	{ "t.conf", "connections.gw.version = 1\n", FG_ERR_PARSE,
	  "t.conf:1: '.' is not allowed in names ('connections.')" },
	{ "t.conf", "\"a\" = b\n", FG_ERR_PARSE,
	  "t.conf:1: unexpected '\"' (quotes are allowed in values only)" },
	{ "t.conf", "a = \"abc\n", FG_ERR_PARSE, "t.conf:1: unterminated string" },
	{ "t.conf", "\n\na = \"abc\nd\ne\n", FG_ERR_PARSE, "t.conf:3: unterminated string" },
	{ "t.conf", "a = \"abc\\", FG_ERR_PARSE, "t.conf:1: unterminated string" },
	{ "t.conf", "include \n", FG_ERR_PARSE, "t.conf:1: include without a file pattern" },
	{ "t.conf", "include \"\"\n", FG_ERR_PARSE, "t.conf:1: include without a file pattern" },
	{ "t.conf", "include \"abc\n", FG_ERR_PARSE, "t.conf:1: unterminated string" },
	{ "t.conf", "include a\"b\"\n", FG_ERR_PARSE,
	  "t.conf:1: unexpected '\"' in include pattern" },
	{ DIR "t.conf", "a = 1\ninclude missing.conf\n", FG_ERR_PARSE,
	  DIR "t.conf:2: include 'missing.conf': no such file" },
	{ DIR "t.conf", "include subdir\n", FG_ERR_IO,
	  DIR "t.conf:1: include '" DIR "subdir': not a regular file" },
	{ DIR "t.conf", "include loop.conf\n", FG_ERR_PARSE,
	  DIR "loop.conf:2: include 'loop.conf': includes nested deeper than 8 "
	  "(does a file include itself?)" },
	{ DIR "t.conf", "include unclosed.conf\n", FG_ERR_PARSE,
	  DIR "unclosed.conf:2: section 's' is not closed before the end of the file" },
	{ DIR "t.conf", "s {\n include stray-brace.conf\n}\n", FG_ERR_PARSE,
	  DIR "stray-brace.conf:2: unexpected '}' (no section is open)" },
	{ "t.conf", "a : nope {\n}\n", FG_ERR_PARSE,
	  "t.conf:1: referenced section 'nope' does not exist" },
	{ "t.conf", "x { }\na : x.nope {\n}\n", FG_ERR_PARSE,
	  "t.conf:2: referenced section 'x.nope' does not exist" },
	{ "t.conf", "a : a {\n}\n", FG_ERR_PARSE,
	  "t.conf:1: reference to 'a' loops back through section 'a'" },
	{ "t.conf", "a {\n b : a {\n }\n}\n", FG_ERR_PARSE,
	  "t.conf:2: reference to 'a' loops back through section 'b'" },
	{ "t.conf", "a : b {\n}\nb : a {\n}\n", FG_ERR_PARSE,
	  "t.conf:3: reference to 'a' loops back through section 'b'" },
	{ "t.conf", "a : {\n}\n", FG_ERR_PARSE,
	  "t.conf:1: expected a section name after ':' or ',', got '{'" },
	{ "t.conf", "a : b c {\n}\n", FG_ERR_PARSE,
	  "t.conf:1: expected ',' or '{' after a reference, got name" },
	{ "t.conf", "a : b. {\n}\n", FG_ERR_PARSE,
	  "t.conf:1: expected a name after '.', got '{'" },
	{ "t.conf", "a : b,\n", FG_ERR_PARSE,
	  "t.conf:2: expected a section name after ':' or ',', got end of file" },
	{ "t.conf", "a = b\x01\n", FG_ERR_PARSE, "t.conf:1: control character 0x01" },
	{ "t.conf", "\n\x7f = 1\n", FG_ERR_PARSE, "t.conf:2: control character 0x7f" },
	{ "t.conf", "a = \"\x1b[0m\"\n", FG_ERR_PARSE, "t.conf:1: control character 0x1b" },
};

static void test_errors(void)
{
	struct conf *c;
	char err[CONF_ERR_MAX];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(err_cases) / sizeof(err_cases[0]); i++) {
		const struct err_case *e = &err_cases[i];

		c = (struct conf *)1;
		strcpy(err, "untouched");
		rc = conf_parse_buffer(e->name, e->text, strlen(e->text), &c, err,
				       sizeof(err));
		CU_ASSERT_EQUAL(rc, e->rc);
		CU_ASSERT_PTR_NULL(c);
		CU_ASSERT_STRING_EQUAL(err, e->msg);
		if (rc != e->rc || strcmp(err, e->msg))
			printf("\n  case %zu: rc %d\n  got  '%s'\n  want '%s'\n", i, rc,
			       err, e->msg);
		/* exactly one log line per failure */
		CU_ASSERT_EQUAL(log_lines(), 1);
	}
}

/* Errors that need generated input: limits, NUL bytes, missing files. */
static void test_limits(void)
{
	struct conf *c = NULL;
	char err[CONF_ERR_MAX], *buf;
	size_t n, i;
	int rc;

	buf = malloc(200000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);

	/* a line of exactly CONF_LINE_MAX bytes is fine, one more is not */
	n = (size_t)sprintf(buf, "a = ");
	memset(buf + n, 'x', CONF_LINE_MAX - n);
	buf[CONF_LINE_MAX] = '\n';
	rc = conf_parse_buffer("t.conf", buf, CONF_LINE_MAX + 1, &c, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, 0);
	conf_free(c);
	buf[CONF_LINE_MAX] = 'x';
	buf[CONF_LINE_MAX + 1] = '\n';
	rc = conf_parse_buffer("t.conf", buf, CONF_LINE_MAX + 2, &c, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, FG_ERR_PARSE);
	CU_ASSERT_STRING_EQUAL(err, "t.conf:1: line longer than 4096 bytes");

	/* NUL bytes (the length is explicit) */
	rc = conf_parse_buffer("t.conf", "a = 1\nb = \0\n", 12, &c, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, FG_ERR_PARSE);
	CU_ASSERT_STRING_EQUAL(err, "t.conf:2: NUL byte");
	/* only len bytes are read */
	rc = conf_parse_buffer("t.conf", "a = 1\nb = 2\n", 7, &c, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, FG_ERR_PARSE);
	CU_ASSERT_STRING_EQUAL(err, "t.conf:2: expected '=', '{' or ':' after 'b', got end of file");

	/* names */
	memset(buf, 'k', 256);
	strcpy(buf + 256, " = v\n");
	rc = conf_parse_buffer("t.conf", buf, strlen(buf), &c, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, FG_ERR_PARSE);
	CU_ASSERT_STRING_EQUAL(err, "t.conf:1: name longer than 255 bytes");
	strcpy(buf + 255, " = v\n");
	rc = conf_parse_buffer("t.conf", buf, strlen(buf), &c, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, 0);
	conf_free(c);

	/* a quoted value over many lines */
	n = (size_t)sprintf(buf, "\na = \"");
	for (i = 0; i < 5; i++) {
		memset(buf + n, 'v', 4000);
		n += 4000;
		buf[n++] = '\n';
	}
	buf[n++] = '"';
	rc = conf_parse_buffer("t.conf", buf, n, &c, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, FG_ERR_PARSE);
	CU_ASSERT_STRING_EQUAL(err, "t.conf:2: value longer than 16384 bytes");

	/* nesting */
	n = 0;
	for (i = 0; i < CONF_DEPTH_MAX; i++)
		n += (size_t)sprintf(buf + n, "s%zu {\n", i);
	n += (size_t)sprintf(buf + n, "v = 1\n");
	for (i = 0; i < CONF_DEPTH_MAX; i++)
		buf[n++] = '}';
	rc = conf_parse_buffer("t.conf", buf, n, &c, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, 0);
	conf_free(c);
	n = 0;
	for (i = 0; i <= CONF_DEPTH_MAX; i++)
		n += (size_t)sprintf(buf + n, "s {\n");
	rc = conf_parse_buffer("t.conf", buf, n, &c, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, FG_ERR_PARSE);
	CU_ASSERT_STRING_EQUAL(err, "t.conf:33: sections nested deeper than 32");

	/* entries in one section */
	n = 0;
	for (i = 0; i <= CONF_ENTRIES_MAX; i++)
		n += (size_t)sprintf(buf + n, "k%zu = v\n", i);
	rc = conf_parse_buffer("t.conf", buf, n, &c, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, FG_ERR_PARSE);
	CU_ASSERT_STRING_EQUAL(err, "t.conf:4097: more than 4096 entries in one section");

	/* references on one section */
	n = (size_t)sprintf(buf, "b { }\na : b");
	for (i = 0; i < CONF_REFS_MAX; i++)
		n += (size_t)sprintf(buf + n, ", b");
	n += (size_t)sprintf(buf + n, " {\n}\n");
	rc = conf_parse_buffer("t.conf", buf, n, &c, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, FG_ERR_PARSE);
	CU_ASSERT_STRING_EQUAL(err, "t.conf:2: more than 16 references on section 'a'");

	/* chained references: r0 : r1, r1 : r2, ... each resolved in turn */
	n = 0;
	for (i = 0; i < CONF_REF_DEPTH_MAX; i++)
		n += (size_t)sprintf(buf + n, "r%zu : r%zu {\n}\n", i, i + 1);
	n += (size_t)sprintf(buf + n, "r%d {\n v = 1\n}\n", CONF_REF_DEPTH_MAX);
	rc = conf_parse_buffer("t.conf", buf, n, &c, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(conf_get(c, "r0.v"), "1");
	conf_free(c);
	n = 0;
	for (i = 0; i <= CONF_REF_DEPTH_MAX; i++)
		n += (size_t)sprintf(buf + n, "r%zu : r%zu {\n}\n", i, i + 1);
	n += (size_t)sprintf(buf + n, "r%d {\n v = 1\n}\n", CONF_REF_DEPTH_MAX + 1);
	rc = conf_parse_buffer("t.conf", buf, n, &c, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, FG_ERR_PARSE);
	CU_ASSERT_STRING_EQUAL(err, "t.conf:33: references chained deeper than 16");

	/* references that multiply: level k has 16 copies of level k-1, so a
	 * 1.4 KB file would expand to 16^8 entries without the total limit */
	n = (size_t)sprintf(buf, "s0 {\n a = 1\n}\n");
	for (i = 1; i <= 8; i++) {
		size_t j;

		n += (size_t)sprintf(buf + n, "s%zu {\n", i);
		for (j = 0; j < 16; j++)
			n += (size_t)sprintf(buf + n, " x%zu : s%zu {\n }\n", j, i - 1);
		n += (size_t)sprintf(buf + n, "}\n");
	}
	rc = conf_parse_buffer("t.conf", buf, n, &c, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, FG_ERR_PARSE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "more than 65536 entries in the configuration"));

	/* too large a buffer */
	rc = conf_parse_buffer("t.conf", buf, (size_t)CONF_FILE_MAX + 1, &c, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, FG_ERR_PARSE);
	CU_ASSERT_STRING_EQUAL(err, "t.conf: larger than 1048576 bytes");

	/* files */
	rc = conf_parse_file(DIR "missing.conf", &c, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, FG_ERR_NOTFOUND);
	CU_ASSERT_STRING_EQUAL(err, DIR "missing.conf: No such file or directory");
	rc = conf_parse_file(DIR "subdir", &c, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, FG_ERR_IO);
	CU_ASSERT_STRING_EQUAL(err, DIR "subdir: not a regular file");
	rc = conf_parse_file(DIR "unclosed.conf", &c, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, FG_ERR_PARSE);
	CU_ASSERT_STRING_EQUAL(err, DIR "unclosed.conf:2: section 's' is not closed "
			       "before the end of the file");

	/* a NULL or short error buffer */
	rc = conf_parse_buffer("t.conf", "}", 1, &c, NULL, 0);
	CU_ASSERT_EQUAL(rc, FG_ERR_PARSE);
	rc = conf_parse_buffer("t.conf", "}", 1, &c, err, 5);
	CU_ASSERT_STRING_EQUAL(err, "t.co");
	rc = conf_parse_buffer(NULL, NULL, 0, &c, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, 0);
	conf_free(c);
	free(buf);
	log_lines();
}

static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void fuzz_one(const char *buf, size_t len)
{
	struct conf *c = NULL;
	char err[CONF_ERR_MAX];
	int rc;

	rc = conf_parse_buffer(DIR "fuzz.conf", buf, len, &c, err, sizeof(err));
	CU_ASSERT(rc == 0 || rc == FG_ERR_PARSE || rc == FG_ERR_IO);
	CU_ASSERT((rc == 0) == (c != NULL));
	if (rc)
		CU_ASSERT(strncmp(err, DIR "fuzz.conf", strlen(DIR "fuzz.conf")) == 0 ||
			  strncmp(err, DIR, strlen(DIR)) == 0);
	conf_free(c);
}

/* Random bytes, random syntax tokens, and mutations of a valid file: each
 * gives 0 or an error, never a crash or a leak (the -asan build checks). */
static void test_garbage(void)
{
	static const char *const toks[] = {
		"{", "}", "=", ":", ",", ".", "\"", "#", "\\", "\n", " ", "\t",
		"a", "b", "include ", "x.conf", "\r\n", "\"q\\\"", "s {", "k = v\n",
		"a : b {", "*", "include-one.conf", "\xff",
	};
	static const char valid[] =
		"connections {\n gw : defaults {\n  version = 1\n  local {\n"
		"   auth = psk\n  }\n  children {\n   net {\n    local_ts = 10.1.0.0/16\n"
		"   }\n  }\n }\n}\ndefaults {\n x = \"y\\n\"\n}\n# end\n";
	char buf[512];
	uint32_t seed = 0x9e3779b9u;
	size_t len, i;
	unsigned iter;

	for (iter = 0; iter < 3000; iter++) {
		len = rnd(&seed) % sizeof(buf);
		for (i = 0; i < len; i++)
			buf[i] = (char)(rnd(&seed) & 0xff);
		fuzz_one(buf, len);
	}
	for (iter = 0; iter < 5000; iter++) {
		len = 0;
		while (len < sizeof(buf) - 32 && rnd(&seed) % 40) {
			const char *t = toks[rnd(&seed) % (sizeof(toks) / sizeof(toks[0]))];

			memcpy(buf + len, t, strlen(t));
			len += strlen(t);
		}
		fuzz_one(buf, len);
	}
	for (iter = 0; iter < 5000; iter++) {
		len = sizeof(valid) - 1;
		memcpy(buf, valid, len);
		for (i = rnd(&seed) % 4 + 1; i > 0 && len > 0; i--) {
			switch (rnd(&seed) % 3) {
			case 0:
				buf[rnd(&seed) % len] = (char)(rnd(&seed) & 0xff);
				break;
			case 1:
				buf[rnd(&seed) % len] = "{}=:,.\"#\\\n "[rnd(&seed) % 12];
				break;
			default:
				len = rnd(&seed) % (len + 1);
				break;
			}
		}
		fuzz_one(buf, len);
	}
	log_lines();
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "values", test_values },
		{ "structure and positions", test_structure },
		{ "references", test_references },
		{ "includes", test_includes },
		{ "errors", test_errors },
		{ "limits", test_limits },
		{ "random input", test_garbage },
		{ NULL, NULL },
	};
	int rc;

	log_file = tmpfile();
	fg_log_set_stream(log_file);
	unit_add_suite("conf", tests);
	rc = unit_run("unit-conf");
	fg_log_set_stream(NULL);
	fclose(log_file);
	return rc;
}
