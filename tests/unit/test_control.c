/* The control socket's pure parts (host/daemon/control.h, control_list.h)
 * and the IKE manager's functions behind fgatectl (ike_mgr.h): request
 * parsing (every malformed line gets a defined error), reply framing,
 * the reply buffer, list-sas / list-conns / stats rendered from a fake
 * manager (text checked for swanctl's shapes, JSON parsed back with
 * json-c), terminate, the SA iterator and the reload bookkeeping
 * (ike_mgr_set_config, ike_mgr_uses_config). The socket server runs on a
 * real loop: stale socket replaced, a file or a live daemon left alone,
 * mode 0600, requests in pieces, too long, cut off, a reply larger than
 * the socket buffer to a slow reader, too many clients. */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/config.h"
#include "common/err.h"
#include "common/log.h"
#include "crypto/crypto.h"
#include "daemon/control.h"
#include "daemon/control_list.h"
#include "ike/ike_mgr.h"
#include "unit.h"

enum { A_ADDR = 0xc0000201, B_ADDR = 0xc0000202 };

/* ---- request parsing ---- */

struct parse_case {
	const char *line;
	size_t len;                     /* 0: strlen(line) */
	int rc;
	enum control_cmd cmd;
	bool json, ike;
	const char *name;
	const char *err;                /* a part of the error text */
};

static const struct parse_case parse_cases[] = {
	{ "initiate --child net", 0, 0, CONTROL_INITIATE, false, false, "net", NULL },
	{ "initiate --ike fg", 0, 0, CONTROL_INITIATE, false, true, "fg", NULL },
	{ "terminate --child net", 0, 0, CONTROL_TERMINATE, false, false, "net", NULL },
	{ "terminate --ike fg", 0, 0, CONTROL_TERMINATE, false, true, "fg", NULL },
	{ "list-sas", 0, 0, CONTROL_LIST_SAS, false, false, "", NULL },
	{ "list-sas --json", 0, 0, CONTROL_LIST_SAS, true, false, "", NULL },
	{ "list-conns", 0, 0, CONTROL_LIST_CONNS, false, false, "", NULL },
	{ "stats", 0, 0, CONTROL_STATS, false, false, "", NULL },
	{ "stats --json", 0, 0, CONTROL_STATS, true, false, "", NULL },
	{ "reload", 0, 0, CONTROL_RELOAD, false, false, "", NULL },
	{ "  \tstats\t --json  ", 0, 0, CONTROL_STATS, true, false, "", NULL },
	/* malformed */
	{ "", 0, FG_ERR_PARSE, 0, false, false, NULL, "empty request" },
	{ "   \t ", 0, FG_ERR_PARSE, 0, false, false, NULL, "empty request" },
	{ "frobnicate", 0, FG_ERR_PARSE, 0, false, false, NULL, "unknown command 'frobnicate'" },
	{ "LIST-SAS", 0, FG_ERR_PARSE, 0, false, false, NULL, "unknown command" },
	{ "list", 0, FG_ERR_PARSE, 0, false, false, NULL, "unknown command 'list'" },
	{ "list-sasx", 0, FG_ERR_PARSE, 0, false, false, NULL, "unknown command" },
	{ "list-sas --xml", 0, FG_ERR_PARSE, 0, false, false, NULL, "list-sas: unexpected '--xml'" },
	{ "list-sas --json --json", 0, FG_ERR_PARSE, 0, false, false, NULL, "unexpected" },
	{ "list-conns --json", 0, FG_ERR_PARSE, 0, false, false, NULL, "list-conns: unexpected" },
	{ "reload now", 0, FG_ERR_PARSE, 0, false, false, NULL, "reload: unexpected 'now'" },
	{ "stats x", 0, FG_ERR_PARSE, 0, false, false, NULL, "stats: unexpected 'x'" },
	{ "initiate", 0, FG_ERR_PARSE, 0, false, false, NULL, "usage: initiate" },
	{ "initiate --child", 0, FG_ERR_PARSE, 0, false, false, NULL, "usage: initiate" },
	{ "initiate net", 0, FG_ERR_PARSE, 0, false, false, NULL, "usage: initiate" },
	{ "initiate --json net", 0, FG_ERR_PARSE, 0, false, false, NULL, "usage" },
	{ "terminate --child a b", 0, FG_ERR_PARSE, 0, false, false, NULL, "usage: terminate" },
	{ "terminate --ike a b c", 0, FG_ERR_PARSE, 0, false, false, NULL, "too many words" },
	{ "a b c d e f g", 0, FG_ERR_PARSE, 0, false, false, NULL, "too many words" },
	{ "stats\r", 0, FG_ERR_PARSE, 0, false, false, NULL, "byte 0x0d" },
	{ "stats\x7f", 0, FG_ERR_PARSE, 0, false, false, NULL, "byte 0x7f" },
	{ "st\xc3\xa4ts", 0, FG_ERR_PARSE, 0, false, false, NULL, "byte 0xc3" },
	{ "stats\0--json", 12, FG_ERR_PARSE, 0, false, false, NULL, "byte 0x00 at offset 5" },
	{ "\0", 1, FG_ERR_PARSE, 0, false, false, NULL, "byte 0x00" },
	{ "list-sas\n", 0, FG_ERR_PARSE, 0, false, false, NULL, "byte 0x0a" },
};

static void test_parse_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *t = &parse_cases[i];
		size_t len = t->len ? t->len : strlen(t->line);
		struct control_req req;
		char err[256] = "";
		int rc = control_parse(t->line, len, &req, err, sizeof(err));

		if (rc != t->rc)
			fprintf(stderr, "case %zu '%s': rc %d (%s)\n", i, t->line, rc, err);
		CU_ASSERT_EQUAL(rc, t->rc);
		if (rc == 0 && t->rc == 0) {
			CU_ASSERT_EQUAL(req.cmd, t->cmd);
			CU_ASSERT_EQUAL(req.json, t->json);
			CU_ASSERT_EQUAL(req.ike, t->ike);
			CU_ASSERT_STRING_EQUAL(req.name, t->name);
		}
		if (t->err) {
			if (!strstr(err, t->err))
				fprintf(stderr, "case %zu: error '%s', want '%s'\n", i, err, t->err);
			CU_ASSERT_PTR_NOT_NULL(strstr(err, t->err));
		}
	}
}

static void test_parse_name_limits(void)
{
	char line[CONTROL_REQ_MAX], err[256];
	struct control_req req;
	int n;

	/* the longest name that fits, then one byte more */
	n = snprintf(line, sizeof(line), "initiate --child %0*d", CONTROL_NAME_MAX - 1, 7);
	CU_ASSERT_EQUAL(control_parse(line, (size_t)n, &req, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(strlen(req.name), CONTROL_NAME_MAX - 1);
	n = snprintf(line, sizeof(line), "initiate --child %0*d", CONTROL_NAME_MAX, 7);
	CU_ASSERT_EQUAL(control_parse(line, (size_t)n, &req, err, sizeof(err)), FG_ERR_PARSE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "name longer than"));
	/* an unknown command of any length is quoted shortened */
	memset(line, 'x', sizeof(line));
	CU_ASSERT_EQUAL(control_parse(line, sizeof(line), &req, err, sizeof(err)), FG_ERR_PARSE);
	CU_ASSERT(strlen(err) < 200);
	/* a tiny error buffer is not overrun */
	CU_ASSERT_EQUAL(control_parse("bogus", 5, &req, err, 8), FG_ERR_PARSE);
	CU_ASSERT_EQUAL(strlen(err), 7);
	CU_ASSERT_STRING_EQUAL(control_cmd_name(CONTROL_LIST_SAS), "list-sas");
	CU_ASSERT_STRING_EQUAL(control_cmd_name((enum control_cmd)99), "?");
}

/* ---- framing ---- */

struct fake {
	int rc;
	const char *text;
	bool oom;
	unsigned calls;
	struct control_req last;
};

static int fake_fn(void *ctx, const struct control_req *req, struct control_buf *out)
{
	struct fake *f = ctx;

	f->calls++;
	f->last = *req;
	if (f->text)
		control_buf_printf(out, "%s", f->text);
	if (f->oom)
		out->oom = true;
	return f->rc;
}

struct frame_case {
	const char *line;
	struct fake fake;
	int rc;
	unsigned calls;
	const char *wire;
};

static const struct frame_case frame_cases[] = {
	{ "stats", { 0, "a: 1\nb: 2\n", false, 0, { 0 } }, 0, 1, "ok\na: 1\nb: 2\n" },
	{ "reload", { 0, NULL, false, 0, { 0 } }, 0, 1, "ok\n" },
	{ "initiate --child x", { FG_ERR_NOTFOUND, "no CHILD_SA config named 'x'", false, 0,
				  { 0 } }, FG_ERR_NOTFOUND, 1,
	  "error: no CHILD_SA config named 'x'\n" },
	{ "initiate --child x", { FG_ERR_NOTFOUND, NULL, false, 0, { 0 } }, FG_ERR_NOTFOUND, 1,
	  "error: initiate: not found\n" },
	/* a multi-line reason stays one line */
	{ "reload", { FG_ERR_PARSE, "f.conf:3: bad\nsecond line\r", false, 0, { 0 } },
	  FG_ERR_PARSE, 1, "error: f.conf:3: bad second line \n" },
	{ "list-sas", { 0, "partial", true, 0, { 0 } }, FG_ERR_NOMEM, 1,
	  "error: list-sas: reply too long or out of memory\n" },
	{ "bogus", { 0, "never", false, 0, { 0 } }, FG_ERR_PARSE, 0,
	  "error: unknown command 'bogus'" },
	{ "", { 0, "never", false, 0, { 0 } }, FG_ERR_PARSE, 0, "error: empty request\n" },
};

static void test_framing(void)
{
	size_t i;

	for (i = 0; i < sizeof(frame_cases) / sizeof(frame_cases[0]); i++) {
		const struct frame_case *t = &frame_cases[i];
		struct fake f = t->fake;
		struct control_buf wire = { 0 };
		int rc = control_handle_line(t->line, strlen(t->line), fake_fn, &f, &wire);

		CU_ASSERT_EQUAL(rc, t->rc);
		CU_ASSERT_EQUAL(f.calls, t->calls);
		CU_ASSERT_PTR_NOT_NULL_FATAL(wire.s);
		CU_ASSERT_EQUAL(strncmp(wire.s, t->wire, strlen(t->wire)), 0);
		if (strncmp(wire.s, t->wire, strlen(t->wire)) != 0)
			fprintf(stderr, "frame case %zu: got '%s'\n", i, wire.s);
		/* every error reply is exactly one line */
		if (rc)
			CU_ASSERT_PTR_EQUAL(strchr(wire.s, '\n'), wire.s + wire.len - 1);
		control_buf_free(&wire);
	}
}

static void test_buf(void)
{
	struct control_buf b = { 0 };
	char big[1000];
	unsigned i;

	for (i = 0; i < 1000; i++)
		control_buf_printf(&b, "%u,", i % 10);
	CU_ASSERT_FALSE(b.oom);
	CU_ASSERT_EQUAL(b.len, 2000);
	CU_ASSERT_EQUAL(strlen(b.s), 2000);
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	control_buf_printf(&b, "[%s]", big);   /* longer than the stack buffer */
	CU_ASSERT_EQUAL(b.len, 2000 + 1001);
	CU_ASSERT_EQUAL(b.s[b.len - 1], ']');
	control_buf_add(&b, big, (size_t)CONTROL_REPLY_MAX);   /* past the limit */
	CU_ASSERT_TRUE(b.oom);
	CU_ASSERT_EQUAL(b.len, 3001);
	control_buf_printf(&b, "more");         /* dropped */
	CU_ASSERT_EQUAL(b.len, 3001);
	control_buf_free(&b);
	CU_ASSERT_PTR_NULL(b.s);
	CU_ASSERT_EQUAL(b.len, 0);
	CU_ASSERT_FALSE(b.oom);
}

/* ---- a fake manager ---- */

static const char conf_text[] =
	"connections {\n"
	"  fg {\n"
	"    version = 1\n"
	"    local_addrs = 192.0.2.1\n"
	"    remote_addrs = 192.0.2.2\n"
	"    proposals = 3des-sha1-modp1024\n"
	"    local { auth = psk }\n"
	"    remote { auth = psk }\n"
	"    children {\n"
	"      net {\n"
	"        local_ts = 10.1.0.0/24\n"
	"        remote_ts = 10.2.0.0/24\n"
	"        esp_proposals = 3des-sha1\n"
	"      }\n"
	"      web {\n"
	"        local_ts = 10.1.0.5[tcp/80]\n"
	"        remote_ts = 10.2.0.0/16\n"
	"        esp_proposals = des-md5-modp1024\n"
	"        start_action = trap\n"
	"      }\n"
	"    }\n"
	"  }\n"
	"  other {\n"
	"    version = 1\n"
	"    local_addrs = 192.0.2.1\n"
	"    remote_addrs = 192.0.2.9\n"
	"    aggressive = yes\n"
	"    local { auth = psk }\n"
	"    remote { auth = psk }\n"
	"    children { t { mode = transport } }\n"
	"  }\n"
	"}\n"
	"secrets { ike { secret = \"x\" } }\n";

static unsigned sends;

static int send_cb(void *ctx, const struct ike_endpoint *l, const struct ike_endpoint *r,
		   const uint8_t *buf, size_t len)
{
	(void)ctx, (void)l, (void)r, (void)buf, (void)len;
	sends++;
	return 0;
}

static struct fg_config *load(const char *text)
{
	struct fg_config *cfg = NULL;
	char err[256];

	if (config_load_buffer("test.conf", text, strlen(text), &cfg, err, sizeof(err)))
		fprintf(stderr, "config: %s\n", err);
	return cfg;
}

static struct child_sa *add_child(struct ike_sa *sa, const struct fg_child *cfg,
				  uint32_t spi_in, uint32_t spi_out)
{
	struct child_sa *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->cfg = cfg;
	c->proto = ISAKMP_PROTO_ESP;
	c->spi_in = spi_in;
	c->spi_out = spi_out;
	c->xf = (struct proposal_xform){ PROPOSAL_ENCR_3DES, PROPOSAL_INTEG_SHA1,
					 PROPOSAL_DH_NONE };
	c->encap = true;
	c->mode = cfg->mode;
	c->ts_local = (struct fg_ts){ .addr = { 0x0a010000, 0x0a0100ff } };
	c->ts_remote = (struct fg_ts){ .addr = { 0x0a020000, 0x0a0200ff } };
	c->installed_at = 2000;
	c->rekey_at = 62000;
	c->expire_at = 92000;
	c->bytes_in = 840;
	c->packets_in = 10;
	c->bytes_out = 1680;
	c->packets_out = 20;
	c->next = sa->children;
	sa->children = c;
	return c;
}

/* The manager (clock at 12 s) with: #1 fg ESTABLISHED (initiator, child
 * net), #2 fg CONNECTING, #3 other DELETED. */
static struct ike_sa *add_sa(struct ike_mgr *m, const struct fg_conn *conn, uint32_t remote,
			     enum ike_sa_state state)
{
	struct ike_endpoint l = { A_ADDR, 4500 }, r = { remote, 4500 };
	struct ike_sa *sa = ike_sa_create(m, conn, true, &l, &r);

	if (!sa)
		return NULL;
	sa->state = state;
	memcpy(sa->icookie, "\x01\x23\x45\x67\x89\xab\xcd\xef", ISAKMP_COOKIE_LEN);
	memcpy(sa->rcookie, "\xfe\xdc\xba\x98\x76\x54\x32\x10", ISAKMP_COOKIE_LEN);
	snprintf(sa->local_id, sizeof(sa->local_id), "192.0.2.1");
	snprintf(sa->remote_id, sizeof(sa->remote_id), "192.0.2.2");
	sa->xf = (struct proposal_xform){ PROPOSAL_ENCR_3DES, PROPOSAL_INTEG_SHA1,
					  PROPOSAL_DH_MODP1024 };
	sa->established_at = 0 + 1;
	sa->renew_at = 112000;
	sa->next = m->sas;
	m->sas = sa;
	return sa;
}

struct world {
	struct fg_config *cfg;
	struct ike_mgr m;
	struct ike_sa *up, *connecting, *dead;
};

static bool world_init(struct world *w)
{
	memset(w, 0, sizeof(*w));
	w->cfg = load(conf_text);
	if (!w->cfg)
		return false;
	ike_mgr_init(&w->m, w->cfg, send_cb, NULL);
	w->m.now = 12000;
	w->dead = add_sa(&w->m, &w->cfg->conns[1], 0xc0000209, IKE_SA_DELETED);
	w->connecting = add_sa(&w->m, &w->cfg->conns[0], B_ADDR, IKE_SA_CONNECTING);
	w->up = add_sa(&w->m, &w->cfg->conns[0], B_ADDR, IKE_SA_ESTABLISHED);
	return w->dead && w->connecting && w->up &&
	       add_child(w->up, &w->cfg->conns[0].children[0], 0xc1234567, 0xc7654321);
}

static void world_free(struct world *w)
{
	ike_mgr_free(&w->m);
	config_free(w->cfg);
}

static void test_names(void)
{
	CU_ASSERT_STRING_EQUAL(control_encr_name(PROPOSAL_ENCR_3DES), "3DES_CBC");
	CU_ASSERT_STRING_EQUAL(control_encr_name(PROPOSAL_ENCR_DES), "DES_CBC");
	CU_ASSERT_STRING_EQUAL(control_encr_name(PROPOSAL_ENCR_AES256), "AES_CBC");
	CU_ASSERT_STRING_EQUAL(control_encr_name((enum proposal_encr)77), "?");
	CU_ASSERT_STRING_EQUAL(control_integ_name(PROPOSAL_INTEG_SHA1), "HMAC_SHA1_96");
	CU_ASSERT_STRING_EQUAL(control_integ_name(PROPOSAL_INTEG_MD5), "HMAC_MD5_96");
	CU_ASSERT_STRING_EQUAL(control_integ_name(PROPOSAL_INTEG_SHA2_256), "HMAC_SHA2_256_128");
	CU_ASSERT_STRING_EQUAL(control_integ_name(PROPOSAL_INTEG_NONE), "?");
	CU_ASSERT_STRING_EQUAL(control_prf_name(PROPOSAL_INTEG_SHA1), "PRF_HMAC_SHA1");
	CU_ASSERT_STRING_EQUAL(control_prf_name(PROPOSAL_INTEG_SHA2_256), "PRF_HMAC_SHA2_256");
	CU_ASSERT_STRING_EQUAL(control_dh_name(PROPOSAL_DH_MODP1024), "MODP_1024");
	CU_ASSERT_STRING_EQUAL(control_dh_name(PROPOSAL_DH_MODP2048), "MODP_2048");
	CU_ASSERT_STRING_EQUAL(control_dh_name(PROPOSAL_DH_NONE), "?");
}

static void test_list_sas_text(void)
{
	struct control_buf out = { 0 };
	struct world w;

	CU_ASSERT_TRUE_FATAL(world_init(&w));
	CU_ASSERT_EQUAL(control_list_sas(&w.m, 12000, false, &out), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out.s);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "fg: #3, ESTABLISHED, IKEv1, "
					     "0123456789abcdef_i* fedcba9876543210_r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "  local  '192.0.2.1' @ 192.0.2.1[4500]\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "  remote '192.0.2.2' @ 192.0.2.2[4500]\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "  3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024\n"
					     "  established 11s ago, rekeying in 100s\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "  net: #1, INSTALLED, TUNNEL-in-UDP, "
					     "ESP:3DES_CBC/HMAC_SHA1_96\n"
					     "    installed 10s ago, rekeying in 50s, expires in 80s\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "    in  c1234567,    840 bytes,    10 packets\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "    out c7654321,   1680 bytes,    20 packets\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "    local  10.1.0.0/24\n    remote 10.2.0.0/24\n"));
	/* the CONNECTING SA has no algorithms yet; the DELETED one is not listed */
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "fg: #2, CONNECTING, IKEv1"));
	CU_ASSERT_PTR_NULL(strstr(out.s, "other"));
	CU_ASSERT_PTR_NULL(strstr(strstr(out.s, "fg: #2") ? strstr(out.s, "fg: #2") : "",
				  "MODP_1024"));
	control_buf_free(&out);
	world_free(&w);
}

static const char *jstr(json_object *o, const char *path)
{
	char key[64];
	const char *dot;

	while ((dot = strchr(path, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		if (!json_object_object_get_ex(o, key, &o))
			return NULL;
		path = dot + 1;
	}
	if (!json_object_object_get_ex(o, path, &o))
		return NULL;
	return json_object_get_string(o);
}

static void check_str(json_object *o, const char *path, const char *want)
{
	const char *got = jstr(o, path);

	if (!got || strcmp(got, want) != 0)
		fprintf(stderr, "%s: got '%s', want '%s'\n", path, got ? got : "(none)", want);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_STRING_EQUAL(got, want);
}

static void test_list_sas_json(void)
{
	struct control_buf out = { 0 };
	json_object *root, *ts, *o;
	struct world w;

	CU_ASSERT_TRUE_FATAL(world_init(&w));
	CU_ASSERT_EQUAL(control_list_sas(&w.m, 12000, true, &out), 0);
	root = json_tokener_parse(out.s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_EQUAL(json_object_object_length(root), 2);   /* DELETED not listed */
	/* the first SA listed keeps the plain name, the second gets -uniqueid */
	check_str(root, "fg.uniqueid", "3");
	check_str(root, "fg.version", "1");
	check_str(root, "fg.state", "ESTABLISHED");
	check_str(root, "fg.local-host", "192.0.2.1");
	check_str(root, "fg.local-port", "4500");
	check_str(root, "fg.remote-host", "192.0.2.2");
	check_str(root, "fg.remote-port", "4500");
	check_str(root, "fg.initiator", "yes");
	check_str(root, "fg.initiator-spi", "0123456789abcdef");
	check_str(root, "fg.responder-spi", "fedcba9876543210");
	check_str(root, "fg.encr-alg", "3DES_CBC");
	check_str(root, "fg.integ-alg", "HMAC_SHA1_96");
	check_str(root, "fg.prf-alg", "PRF_HMAC_SHA1");
	check_str(root, "fg.dh-group", "MODP_1024");
	check_str(root, "fg.established", "11");
	check_str(root, "fg.rekey-time", "100");
	CU_ASSERT_PTR_NULL(jstr(root, "fg.encr-keysize"));      /* 3DES: none, as VICI */
	check_str(root, "fg.child-sas.net-1.name", "net");
	check_str(root, "fg.child-sas.net-1.state", "INSTALLED");
	check_str(root, "fg.child-sas.net-1.mode", "TUNNEL");
	check_str(root, "fg.child-sas.net-1.protocol", "ESP");
	check_str(root, "fg.child-sas.net-1.encap", "yes");
	check_str(root, "fg.child-sas.net-1.spi-in", "c1234567");
	check_str(root, "fg.child-sas.net-1.spi-out", "c7654321");
	check_str(root, "fg.child-sas.net-1.encr-alg", "3DES_CBC");
	check_str(root, "fg.child-sas.net-1.integ-alg", "HMAC_SHA1_96");
	check_str(root, "fg.child-sas.net-1.bytes-in", "840");
	check_str(root, "fg.child-sas.net-1.packets-in", "10");
	check_str(root, "fg.child-sas.net-1.bytes-out", "1680");
	check_str(root, "fg.child-sas.net-1.packets-out", "20");
	check_str(root, "fg.child-sas.net-1.rekey-time", "50");
	CU_ASSERT_TRUE(json_object_object_get_ex(root, "fg", &o) &&
		       json_object_object_get_ex(o, "child-sas", &o) &&
		       json_object_object_get_ex(o, "net-1", &o) &&
		       json_object_object_get_ex(o, "local-ts", &ts) &&
		       json_object_is_type(ts, json_type_array) &&
		       json_object_array_length(ts) == 1 &&
		       strcmp(json_object_get_string(json_object_array_get_idx(ts, 0)),
			      "10.1.0.0/24") == 0);
	check_str(root, "fg-2.state", "CONNECTING");
	CU_ASSERT_PTR_NULL(jstr(root, "fg-2.encr-alg"));
	CU_ASSERT_TRUE(json_object_object_get_ex(root, "fg-2", &o) &&
		       json_object_object_get_ex(o, "child-sas", &o) &&
		       json_object_object_length(o) == 0);
	json_object_put(root);
	control_buf_free(&out);

	/* no SA at all: an empty object, and empty text */
	ike_mgr_free(&w.m);
	CU_ASSERT_EQUAL(control_list_sas(&w.m, 12000, true, &out), 0);
	CU_ASSERT_STRING_EQUAL(out.s, "{\n}\n");
	control_buf_free(&out);
	CU_ASSERT_EQUAL(control_list_sas(&w.m, 12000, false, &out), 0);
	CU_ASSERT_EQUAL(out.len, 0);
	world_free(&w);
}

static void test_list_conns(void)
{
	struct control_buf out = { 0 };
	struct fg_config *cfg = load(conf_text);

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_EQUAL(control_list_conns(cfg, &out), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out.s);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "fg: IKEv1, Main Mode, no reauthentication, "
					     "rekeying every 14400s\n"
					     "  local:  192.0.2.1\n  remote: 192.0.2.2\n"
					     "  proposals: 3des-sha1-modp1024\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "  net: TUNNEL, rekeying every 3600s, start_action "
					     "none, dpd_action clear, close_action none\n"
					     "    esp_proposals: 3des-sha1\n"
					     "    local:  10.1.0.0/24\n    remote: 10.2.0.0/24\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "  web: TUNNEL, rekeying every 3600s, start_action "
					     "trap"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "    local:  10.1.0.5/32[6/80]\n"
					     "    remote: 10.2.0.0/16\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "other: IKEv1, Aggressive Mode"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "  t: TRANSPORT"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "    local:  dynamic\n    remote: dynamic\n"));
	control_buf_free(&out);
	config_free(cfg);
}

static void test_stats(void)
{
	struct control_stats st = { .datapath = true, .tx_packets = 123, .rx_packets = 45,
				    .backend = "soft", .have_dev = true,
				    .dev = { 10, 11, 1, 2, 3 }, .bad_results = 4 };
	struct control_buf out = { 0 };
	json_object *root, *o;
	struct world w;

	CU_ASSERT_TRUE_FATAL(world_init(&w));
	st.drops[DP_DROP_NO_POLICY] = 3;
	st.drops[DP_DROP_REPLAY] = 1;
	CU_ASSERT_EQUAL(control_list_stats(&st, &w.m, false, &out), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out.s);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "traffic: tx 123 packets, rx 45 packets\n"
					     "drops: 4\n  no_policy: 3\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "  replay: 1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "  auth_fail: 0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "offload: soft\n  frames in 10, out 11, malformed 1, "
					     "no_sa 2, resync bytes 3, bad results 4\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "IKE SAs: 2, child SAs: 1\n"));
	control_buf_free(&out);

	CU_ASSERT_EQUAL(control_list_stats(&st, &w.m, true, &out), 0);
	root = json_tokener_parse(out.s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_TRUE(json_object_object_get_ex(root, "traffic", &o) &&
		       json_object_object_get_ex(o, "tx-packets", &o) &&
		       json_object_get_int64(o) == 123);
	CU_ASSERT_TRUE(json_object_object_get_ex(root, "drops", &o) &&
		       json_object_object_length(o) == DP_DROP_COUNT_ &&
		       json_object_object_get_ex(o, "no_policy", &o) &&
		       json_object_get_int64(o) == 3);
	CU_ASSERT_TRUE(json_object_object_get_ex(root, "drops-total", &o) &&
		       json_object_get_int64(o) == 4);
	check_str(root, "offload.backend", "soft");
	CU_ASSERT_TRUE(json_object_object_get_ex(root, "offload", &o) &&
		       json_object_object_get_ex(o, "no-sa", &o) && json_object_get_int64(o) == 2);
	CU_ASSERT_TRUE(json_object_object_get_ex(root, "ike-sas", &o) &&
		       json_object_get_int64(o) == 2);
	CU_ASSERT_TRUE(json_object_object_get_ex(root, "child-sas", &o) &&
		       json_object_get_int64(o) == 1);
	json_object_put(root);
	control_buf_free(&out);

	/* no datapath, no device */
	memset(&st, 0, sizeof(st));
	CU_ASSERT_EQUAL(control_list_stats(&st, &w.m, false, &out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.s, "offload: none\nIKE SAs"));
	control_buf_free(&out);
	world_free(&w);
}

/* ---- the manager's side of fgatectl ---- */

static unsigned count_children(const struct ike_mgr *m)
{
	const struct ike_sa *sa;
	const struct child_sa *c;
	unsigned n = 0;

	for (sa = ike_mgr_sa_next(m, NULL); sa; sa = ike_mgr_sa_next(m, sa))
		for (c = sa->children; c; c = c->next)
			n++;
	return n;
}

static void test_terminate(void)
{
	const struct ike_sa *sa;
	struct world w;
	unsigned n = 0;

	CU_ASSERT_TRUE_FATAL(world_init(&w));
	for (sa = ike_mgr_sa_next(&w.m, NULL); sa; sa = ike_mgr_sa_next(&w.m, sa))
		n++;
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_TRUE_FATAL(add_child(w.up, &w.cfg->conns[0].children[1], 0xc2, 0xd2) != NULL);
	CU_ASSERT_EQUAL(ike_mgr_terminate_child(&w.m, "nope", "test"), FG_ERR_NOTFOUND);
	CU_ASSERT_EQUAL(ike_mgr_terminate_child(&w.m, "net", "test"), 1);
	CU_ASSERT_EQUAL(count_children(&w.m), 1);
	CU_ASSERT_EQUAL(ike_mgr_terminate_child(&w.m, "net", "test"), FG_ERR_NOTFOUND);
	CU_ASSERT_EQUAL(ike_mgr_terminate_ike(&w.m, "other", "test"), FG_ERR_NOTFOUND);
	CU_ASSERT_EQUAL(ike_mgr_terminate_ike(&w.m, "fg", "test"), 2);
	CU_ASSERT_PTR_NULL(ike_mgr_sa_next(&w.m, NULL));
	CU_ASSERT_EQUAL(ike_mgr_terminate_ike(&w.m, "fg", "test"), FG_ERR_NOTFOUND);
	ike_mgr_tick(&w.m, 13000);      /* frees the deleted SAs, no retry */
	CU_ASSERT_PTR_NULL(w.m.sas);
	CU_ASSERT_EQUAL(w.m.n_sched, 0);
	world_free(&w);
}

static void test_start_child(void)
{
	struct world w;

	CU_ASSERT_TRUE_FATAL(world_init(&w));
	sends = 0;
	/* no established SA of fg: a new Main Mode with the child pending
	 * (Quick Mode on an established SA is checked by system-ctl) */
	w.up->state = IKE_SA_CONNECTING;
	CU_ASSERT_EQUAL(ike_mgr_start_child(&w.m, &w.cfg->conns[0], &w.cfg->conns[0].children[1]),
			0);
	CU_ASSERT_PTR_EQUAL(w.m.sas->conn, &w.cfg->conns[0]);
	CU_ASSERT_EQUAL(w.m.sas->n_pending, 1);
	CU_ASSERT_PTR_EQUAL(w.m.sas->pending[0], &w.cfg->conns[0].children[1]);
	CU_ASSERT_EQUAL(sends, 1);
	/* the whole connection "other": a phase 1 with its child pending */
	CU_ASSERT_EQUAL(ike_mgr_start_child(&w.m, &w.cfg->conns[1], NULL), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.m.sas);
	CU_ASSERT_PTR_EQUAL(w.m.sas->conn, &w.cfg->conns[1]);
	CU_ASSERT_EQUAL(w.m.sas->n_pending, 1);
	CU_ASSERT_PTR_EQUAL(w.m.sas->pending[0], &w.cfg->conns[1].children[0]);
	CU_ASSERT_EQUAL(sends, 2);
	/* a child of another connection is refused */
	CU_ASSERT_EQUAL(ike_mgr_start_child(&w.m, &w.cfg->conns[1], &w.cfg->conns[0].children[0]),
			FG_ERR_INVAL);
	world_free(&w);
}

static void test_set_config(void)
{
	static const char only_other[] =
		"connections {\n"
		"  other {\n"
		"    version = 1\n"
		"    local_addrs = 192.0.2.1\n"
		"    remote_addrs = 192.0.2.9\n"
		"    local { auth = psk }\n"
		"    remote { auth = psk }\n"
		"    children {\n"
		"      t {\n"
		"        mode = transport\n"
		"        start_action = trap\n"
		"      }\n"
		"    }\n"
		"  }\n"
		"}\n"
		"secrets { ike { secret = \"y\" } }\n";
	struct fg_config *n;
	struct world w;
	unsigned closed;

	CU_ASSERT_TRUE_FATAL(world_init(&w));
	ike_mgr_trap(&w.m, &w.cfg->conns[0], &w.cfg->conns[0].children[1]);
	CU_ASSERT_EQUAL(w.m.n_traps, 1);
	n = load(only_other);
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	CU_ASSERT_TRUE(ike_mgr_uses_config(&w.m, w.cfg));
	CU_ASSERT_FALSE(ike_mgr_uses_config(&w.m, n));
	closed = ike_mgr_set_config(&w.m, n);
	CU_ASSERT_EQUAL(closed, 2);     /* both live SAs of fg; the DELETED one is not counted */
	CU_ASSERT_PTR_NULL(ike_mgr_sa_next(&w.m, NULL));
	CU_ASSERT_PTR_EQUAL(w.m.cfg, n);
	/* fg's trap is gone, other's trap child came in with the new file */
	CU_ASSERT_EQUAL(w.m.n_traps, 1);
	CU_ASSERT_PTR_EQUAL(w.m.traps[0].conn, &n->conns[0]);
	CU_ASSERT_TRUE(ike_mgr_uses_config(&w.m, n));
	/* the old file is still pointed into until the deleted SAs are freed */
	CU_ASSERT_TRUE(ike_mgr_uses_config(&w.m, w.cfg));
	ike_mgr_tick(&w.m, 13000);
	CU_ASSERT_FALSE(ike_mgr_uses_config(&w.m, w.cfg));
	CU_ASSERT_EQUAL(w.m.n_sched, 0);
	ike_mgr_free(&w.m);
	config_free(w.cfg);
	config_free(n);
}

/* ---- the socket server ---- */

struct srv {
	struct loop *loop;
	struct control *ctl;
	char path[108];
	size_t big;                     /* stats replies this many bytes */
	unsigned calls;
};

static int srv_fn(void *ctx, const struct control_req *req, struct control_buf *out)
{
	struct srv *s = ctx;
	size_t i;

	s->calls++;
	if (req->cmd == CONTROL_STATS && s->big) {
		for (i = 0; i < s->big / 64; i++)
			control_buf_printf(out, "%063zu\n", i);
		return 0;
	}
	if (req->cmd == CONTROL_INITIATE) {
		control_buf_printf(out, "no CHILD_SA config named '%s'", req->name);
		return FG_ERR_NOTFOUND;
	}
	control_buf_printf(out, "%s done\n", control_cmd_name(req->cmd));
	return 0;
}

static int client(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Runs the loop until fd's peer closed; the reply into buf (NUL-ended),
 * its length or -1. */
static long exchange(struct srv *s, int fd, char *buf, size_t cap)
{
	size_t len = 0;
	unsigned rounds;

	fcntl(fd, F_SETFL, O_NONBLOCK);
	for (rounds = 0; rounds < 2000; rounds++) {
		ssize_t n;

		loop_run_once(s->loop, 5);
		while ((n = recv(fd, buf + len, cap - 1 - len, 0)) > 0)
			len += (size_t)n;
		if (n == 0) {
			buf[len] = '\0';
			close(fd);
			return (long)len;
		}
		if (len + 1 >= cap)
			break;
	}
	close(fd);
	return -1;
}

static long request(struct srv *s, const char *line, char *buf, size_t cap)
{
	int fd = client(s->path);

	if (fd < 0)
		return -1;
	if (send(fd, line, strlen(line), MSG_NOSIGNAL) != (ssize_t)strlen(line)) {
		close(fd);
		return -1;
	}
	return exchange(s, fd, buf, cap);
}

static bool srv_open(struct srv *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->path, sizeof(s->path), "/tmp/fgate-unit-ctl-%d.sock", (int)getpid());
	unlink(s->path);
	return loop_create(&s->loop) == 0 &&
	       control_open(s->loop, s->path, srv_fn, s, &s->ctl) == 0;
}

static void srv_close(struct srv *s)
{
	control_close(s->ctl);
	loop_free(s->loop);
}

static void test_socket_path(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct control *c2 = NULL;
	struct stat st;
	struct srv s;
	int fd;

	CU_ASSERT_TRUE_FATAL(srv_open(&s));
	CU_ASSERT_EQUAL_FATAL(stat(s.path, &st), 0);
	CU_ASSERT_TRUE(S_ISSOCK(st.st_mode));
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
	/* a daemon answers there: a second one keeps away */
	CU_ASSERT_EQUAL(control_open(s.loop, s.path, srv_fn, &s, &c2), FG_ERR_EXISTS);
	CU_ASSERT_PTR_NULL(c2);
	CU_ASSERT_EQUAL(stat(s.path, &st), 0);
	srv_close(&s);
	CU_ASSERT_NOT_EQUAL(stat(s.path, &st), 0);     /* removed at close */

	/* a stale socket (bound, nobody listening) is replaced */
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", s.path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	CU_ASSERT_EQUAL_FATAL(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	CU_ASSERT_TRUE_FATAL(srv_open(&s) || (srv_close(&s), false));
	srv_close(&s);

	/* a regular file is not ours to remove */
	fd = open(s.path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	CU_ASSERT_TRUE_FATAL(fd >= 0);
	close(fd);
	CU_ASSERT_EQUAL_FATAL(loop_create(&s.loop), 0);
	CU_ASSERT_EQUAL(control_open(s.loop, s.path, srv_fn, &s, &s.ctl), FG_ERR_EXISTS);
	CU_ASSERT_EQUAL(stat(s.path, &st), 0);
	CU_ASSERT_TRUE(S_ISREG(st.st_mode));
	unlink(s.path);
	/* an empty or too long path */
	CU_ASSERT_EQUAL(control_open(s.loop, "", srv_fn, &s, &c2), FG_ERR_INVAL);
	{
		char longp[sizeof(sa.sun_path) + 8];

		memset(longp, 'p', sizeof(longp) - 1);
		longp[0] = '/';
		longp[sizeof(longp) - 1] = '\0';
		CU_ASSERT_EQUAL(control_open(s.loop, longp, srv_fn, &s, &c2), FG_ERR_INVAL);
	}
	loop_free(s.loop);
}

static void test_socket_requests(void)
{
	static char buf[2 << 20];
	char line[CONTROL_REQ_MAX + 100];
	int fd, fds[CONTROL_CLIENTS_MAX];
	struct srv s;
	unsigned i;
	long n;

	CU_ASSERT_TRUE_FATAL(srv_open(&s));
	n = request(&s, "reload\n", buf, sizeof(buf));
	CU_ASSERT_EQUAL(n, 15);
	CU_ASSERT_STRING_EQUAL(buf, "ok\nreload done\n");
	n = request(&s, "initiate --child x\n", buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "error: no CHILD_SA config named 'x'\n");
	n = request(&s, "bogus --frob\n", buf, sizeof(buf));
	CU_ASSERT_EQUAL(strncmp(buf, "error: unknown command 'bogus'", 30), 0);
	/* what follows the newline is ignored */
	n = request(&s, "list-conns\nreload\n", buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "ok\nlist-conns done\n");
	/* a NUL inside the line */
	fd = client(s.path);
	CU_ASSERT_TRUE_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(send(fd, "stats\0x\n", 8, 0), 8);
	CU_ASSERT_TRUE(exchange(&s, fd, buf, sizeof(buf)) > 0);
	CU_ASSERT_EQUAL(strncmp(buf, "error: byte 0x00", 16), 0);
	/* in pieces */
	fd = client(s.path);
	CU_ASSERT_TRUE_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(send(fd, "sta", 3, 0), 3);
	for (i = 0; i < 5; i++)
		loop_run_once(s.loop, 1);
	CU_ASSERT_EQUAL(send(fd, "ts --json\n", 10, 0), 10);
	CU_ASSERT_TRUE(exchange(&s, fd, buf, sizeof(buf)) > 0);
	CU_ASSERT_STRING_EQUAL(buf, "ok\nstats done\n");
	/* too long, without a newline in the first CONTROL_REQ_MAX bytes */
	memset(line, 'x', sizeof(line) - 2);
	line[sizeof(line) - 2] = '\n';
	line[sizeof(line) - 1] = '\0';
	n = request(&s, line, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "error: request longer than 511 bytes\n");
	/* a client that goes away before its newline */
	s.calls = 0;
	fd = client(s.path);
	CU_ASSERT_TRUE_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(send(fd, "stat", 4, 0), 4);
	close(fd);
	for (i = 0; i < 5; i++)
		loop_run_once(s.loop, 1);
	CU_ASSERT_EQUAL(s.calls, 0);
	/* every slot taken: one more is told so */
	for (i = 0; i < CONTROL_CLIENTS_MAX; i++) {
		fds[i] = client(s.path);
		CU_ASSERT_TRUE_FATAL(fds[i] >= 0);
	}
	for (i = 0; i < 5; i++)
		loop_run_once(s.loop, 1);
	fd = client(s.path);
	CU_ASSERT_TRUE_FATAL(fd >= 0);
	CU_ASSERT_TRUE(exchange(&s, fd, buf, sizeof(buf)) > 0);
	CU_ASSERT_EQUAL(strncmp(buf, "error: busy", 11), 0);
	for (i = 0; i < CONTROL_CLIENTS_MAX; i++) {
		CU_ASSERT_EQUAL(send(fds[i], "reload\n", 7, 0), 7);
		CU_ASSERT_TRUE(exchange(&s, fds[i], buf, sizeof(buf)) > 0);
		CU_ASSERT_STRING_EQUAL(buf, "ok\nreload done\n");
	}
	/* a reply much larger than the socket buffer, read as the loop runs */
	s.big = 1 << 20;
	n = request(&s, "stats\n", buf, sizeof(buf));
	CU_ASSERT_EQUAL(n, 3 + (1 << 20));
	snprintf(line, sizeof(line), "%063u\n", (1u << 20) / 64 - 1);
	CU_ASSERT_TRUE(n == 3 + (1 << 20) && strcmp(buf + n - 64, line) == 0);
	/* and a client that leaves in the middle of it */
	fd = client(s.path);
	CU_ASSERT_TRUE_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(send(fd, "stats\n", 6, 0), 6);
	for (i = 0; i < 3; i++)
		loop_run_once(s.loop, 1);
	close(fd);
	for (i = 0; i < 10; i++)
		loop_run_once(s.loop, 5);
	n = request(&s, "reload\n", buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "ok\nreload done\n");
	srv_close(&s);
}

/* LeakSanitizer reads this hook. OpenSSL 3.0's legacy provider (loaded by
 * crypto_init()) never frees the child library context it creates
 * (openssl/openssl#16516); whether LSan still finds a pointer to it at exit
 * depends on the address layout, and with json-c linked in it often does
 * not (test_crypto linked with -ljson-c shows the same 1064 bytes in 19
 * blocks). Only allocations made under legacy.so are suppressed; for their
 * stacks to show it (libcrypto has no frame pointers) malloc stacks are
 * unwound the slow way. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:legacy.so\n";
}

const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "parse_table", test_parse_table },
		{ "parse_name_limits", test_parse_name_limits },
		{ "framing", test_framing },
		{ "buf", test_buf },
		{ "names", test_names },
		{ "list_sas_text", test_list_sas_text },
		{ "list_sas_json", test_list_sas_json },
		{ "list_conns", test_list_conns },
		{ "stats", test_stats },
		{ "terminate", test_terminate },
		{ "start_child", test_start_child },
		{ "set_config", test_set_config },
		{ "socket_path", test_socket_path },
		{ "socket_requests", test_socket_requests },
		{ NULL, NULL },
	};

	fg_log_set_level(FG_LOG_ERROR);
	if (crypto_init())
		return 1;
	unit_add_suite("control", tests);
	return unit_run("unit-control");
}
