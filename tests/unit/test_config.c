/*
 * fgated's swanctl.conf schema (host/common/config.c): a complete IKEv1 PSK
 * gateway configuration with every value checked, charon's defaults, each
 * error message with its FILE:LINE and key path, the PSK lookup rules, and
 * random input. Runs from the top of the tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "common/err.h"
#include "common/log.h"
#include "unit.h"

#define DIR "tests/unit/conf/"
#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

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

static struct fg_config *load_ok(const char *text)
{
	struct fg_config *cfg = NULL;
	char err[CONF_ERR_MAX];
	int rc;

	rc = config_load_buffer("fgated.conf", text, strlen(text), &cfg, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, 0);
	if (rc)
		printf("\n  unexpected error: %s\n", err);
	return cfg;
}

static void check_props(const struct proposal_list *l, const char *want)
{
	char buf[PROPOSAL_STR_MAX];

	proposal_list_format(l, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, want);
	if (strcmp(buf, want))
		printf("\n  proposals '%s', want '%s'\n", buf, want);
}

static void check_ts(const struct fg_ts *ts, uint32_t first, uint32_t last,
		     uint8_t proto, uint16_t pf, uint16_t pl)
{
	CU_ASSERT_FALSE(ts->dynamic);
	CU_ASSERT_EQUAL(ts->addr.first, first);
	CU_ASSERT_EQUAL(ts->addr.last, last);
	CU_ASSERT_EQUAL(ts->proto, proto);
	CU_ASSERT_EQUAL(ts->port_first, pf);
	CU_ASSERT_EQUAL(ts->port_last, pl);
}

static void check_dynamic(const struct fg_ts *ts)
{
	CU_ASSERT_TRUE(ts->dynamic);
	CU_ASSERT_EQUAL(ts->proto, 0);
	CU_ASSERT_EQUAL(ts->port_first, 0);
	CU_ASSERT_EQUAL(ts->port_last, 65535);
}

static const char *const default_esp = "aes128-aes192-aes256-sha256-sha1, 3des-sha1";
static const char *const default_ike = "aes128-aes192-aes256-3des-sha256-sha1-modp2048";

static void check_gw(const struct fg_conn *c, uint32_t remote, const char *remote_id)
{
	const struct fg_child *ch;

	CU_ASSERT_EQUAL(c->local_addrs.n, 1);
	CU_ASSERT_FALSE(c->local_addrs.any);
	CU_ASSERT_EQUAL(c->local_addrs.r[0].first, IP(192, 168, 0, 1));
	CU_ASSERT_EQUAL(c->local_addrs.r[0].last, IP(192, 168, 0, 1));
	CU_ASSERT_EQUAL(c->remote_addrs.n, 1);
	CU_ASSERT_EQUAL(c->remote_addrs.r[0].first, remote);
	CU_ASSERT_EQUAL(c->remote_addrs.r[0].last, remote);
	CU_ASSERT_EQUAL(c->local_port, 500);
	CU_ASSERT_EQUAL(c->remote_port, 500);
	check_props(&c->proposals, "aes128-sha256-modp2048, 3des-sha1-modp1024");
	CU_ASSERT_FALSE(c->aggressive);
	CU_ASSERT_FALSE(c->encap);
	CU_ASSERT_EQUAL(c->dscp, 0);
	CU_ASSERT_EQUAL(c->unique, FG_UNIQUE_NO);
	CU_ASSERT_EQUAL(c->keyingtries, 0);
	CU_ASSERT_EQUAL(c->dpd_delay, 30);
	CU_ASSERT_EQUAL(c->dpd_timeout, 150);
	CU_ASSERT_EQUAL(c->reauth_time, 3 * 3600);
	CU_ASSERT_EQUAL(c->rekey_time, 0);      /* reauth_time set: no default */
	CU_ASSERT_EQUAL(c->over_time, 1080);    /* 10% of the longer */
	CU_ASSERT_EQUAL(c->rand_time, 300);
	CU_ASSERT_STRING_EQUAL(c->local_id, "moon.strongswan.org");
	CU_ASSERT_STRING_EQUAL(c->remote_id, remote_id);
	CU_ASSERT_EQUAL_FATAL(c->n_children, 2);

	ch = config_find_child(c, "net-net");
	CU_ASSERT_PTR_EQUAL_FATAL(ch, &c->children[0]);
	CU_ASSERT_EQUAL(ch->n_local_ts, 1);
	check_ts(&ch->local_ts[0], IP(10, 1, 0, 0), IP(10, 1, 255, 255), 0, 0, 65535);
	CU_ASSERT_EQUAL(ch->n_remote_ts, 1);
	check_ts(&ch->remote_ts[0], IP(10, 2, 0, 0), IP(10, 2, 255, 255), 0, 0, 65535);
	check_props(&ch->esp, "3des-sha1-modp1024, aes128-sha1-modp1024");
	CU_ASSERT_EQUAL(ch->ah.n, 0);
	CU_ASSERT_EQUAL(ch->rekey_time, 1200);
	CU_ASSERT_EQUAL(ch->life_time, 1800);
	CU_ASSERT_EQUAL(ch->rand_time, 600);
	CU_ASSERT_EQUAL(ch->rekey_bytes, 500ull << 20);
	CU_ASSERT_EQUAL(ch->life_bytes, (500ull << 20) * 110 / 100);
	CU_ASSERT_EQUAL(ch->rand_bytes, (500ull << 20) / 10);
	CU_ASSERT_EQUAL(ch->rekey_packets, 0);
	CU_ASSERT_EQUAL(ch->life_packets, 0);
	CU_ASSERT_EQUAL(ch->replay_window, 64);
	CU_ASSERT_EQUAL(ch->start_action, FG_ACTION_TRAP);
	CU_ASSERT_EQUAL(ch->dpd_action, FG_ACTION_START);
	CU_ASSERT_EQUAL(ch->close_action, FG_ACTION_START);
	CU_ASSERT_EQUAL(ch->mode, FG_MODE_TUNNEL);
	CU_ASSERT_EQUAL(ch->inactivity, 0);

	ch = config_find_child(c, "host-host");
	CU_ASSERT_PTR_EQUAL_FATAL(ch, &c->children[1]);
	check_ts(&ch->local_ts[0], IP(192, 168, 0, 1), IP(192, 168, 0, 1), 17, 1701, 1701);
	check_ts(&ch->remote_ts[0], IP(192, 168, 0, 2), IP(192, 168, 0, 2), 17, 1701, 1701);
	check_props(&ch->esp, "des-md5");
	CU_ASSERT_EQUAL(ch->mode, FG_MODE_TRANSPORT);
	CU_ASSERT_EQUAL(ch->rekey_time, 3600);
	CU_ASSERT_EQUAL(ch->life_time, 3960);
	CU_ASSERT_EQUAL(ch->rand_time, 360);
	CU_ASSERT_EQUAL(ch->replay_window, 32);
	CU_ASSERT_EQUAL(ch->start_action, FG_ACTION_NONE);
	CU_ASSERT_EQUAL(ch->dpd_action, FG_ACTION_NONE);
	CU_ASSERT_EQUAL(ch->close_action, FG_ACTION_NONE);
}

static void test_gateway(void)
{
	static const uint8_t psk_moon[] = {
		0xbf, 0xe3, 0x64, 0xc5, 0x8f, 0x4b, 0x2d, 0x9b, 0xf0, 0x8f, 0x8a, 0x82,
		0x0b, 0x6a, 0x3f, 0x80, 0x6a, 0xd6, 0x0c, 0x5d, 0x9d, 0xdb, 0x58, 0xcb,
	};
	static const uint8_t psk_backup[] = {
		0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
		0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
	};
	struct fg_config *cfg = NULL;
	const struct fg_conn *c;
	const struct fg_child *ch;
	const struct fg_secret *s;
	char err[CONF_ERR_MAX];
	int rc;

	rc = config_load_file(DIR "gateway.conf", &cfg, err, sizeof(err));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_EQUAL_FATAL(cfg->n_conns, 3);

	c = config_find_conn(cfg, "gw-gw");
	CU_ASSERT_PTR_EQUAL_FATAL(c, &cfg->conns[0]);
	CU_ASSERT_STRING_EQUAL(c->file, DIR "gateway.conf");
	CU_ASSERT_EQUAL(c->line, 11);
	CU_ASSERT_EQUAL(c->children[0].line, 33);
	check_gw(c, IP(192, 168, 0, 2), "sun.strongswan.org");

	c = config_find_conn(cfg, "rw");
	CU_ASSERT_PTR_EQUAL_FATAL(c, &cfg->conns[1]);
	CU_ASSERT_TRUE(c->aggressive);
	CU_ASSERT_TRUE(c->local_addrs.any);
	CU_ASSERT_EQUAL(c->local_addrs.r[0].first, 0);
	CU_ASSERT_EQUAL(c->local_addrs.r[0].last, UINT32_MAX);
	CU_ASSERT_TRUE(c->remote_addrs.any);
	check_props(&c->proposals, default_ike);
	CU_ASSERT_EQUAL(c->rekey_time, 4 * 3600);
	CU_ASSERT_EQUAL(c->reauth_time, 0);
	CU_ASSERT_EQUAL(c->over_time, 1440);
	CU_ASSERT_EQUAL(c->rand_time, 1440);
	CU_ASSERT_EQUAL(c->keyingtries, 1);
	CU_ASSERT_STRING_EQUAL(c->local_id, "");
	CU_ASSERT_STRING_EQUAL(c->remote_id, "*@strongswan.org");
	CU_ASSERT_EQUAL_FATAL(c->n_children, 1);
	ch = &c->children[0];
	CU_ASSERT_STRING_EQUAL(ch->name, "rw");
	check_ts(&ch->local_ts[0], IP(10, 1, 0, 0), IP(10, 1, 255, 255), 0, 0, 65535);
	check_dynamic(&ch->remote_ts[0]);
	check_props(&ch->esp, default_esp);

	/* from conf.d, inheriting gw-gw by reference */
	c = config_find_conn(cfg, "backup");
	CU_ASSERT_PTR_EQUAL_FATAL(c, &cfg->conns[2]);
	CU_ASSERT_STRING_EQUAL(c->file, DIR "conf.d/extra.conf");
	check_gw(c, IP(192, 168, 0, 3), "backup.strongswan.org");
	CU_ASSERT_PTR_NULL(config_find_conn(cfg, "nope"));
	CU_ASSERT_PTR_NULL(config_find_child(c, "nope"));

	CU_ASSERT_EQUAL_FATAL(cfg->n_secrets, 3);
	s = &cfg->secrets[0];
	CU_ASSERT_STRING_EQUAL(s->name, "ike-moon-sun");
	CU_ASSERT_EQUAL(s->n_ids, 2);
	CU_ASSERT_STRING_EQUAL(s->ids[0], "moon.strongswan.org");
	CU_ASSERT_STRING_EQUAL(s->ids[1], "sun.strongswan.org");
	CU_ASSERT_EQUAL(s->psk_len, sizeof(psk_moon));
	CU_ASSERT(memcmp(s->psk, psk_moon, sizeof(psk_moon)) == 0);
	s = &cfg->secrets[1];
	CU_ASSERT_EQUAL(s->psk_len, strlen("The PSK of the road warriors"));
	CU_ASSERT(memcmp(s->psk, "The PSK of the road warriors", s->psk_len) == 0);
	s = &cfg->secrets[2];
	CU_ASSERT_STRING_EQUAL(s->name, "ike-backup");
	CU_ASSERT_EQUAL(s->psk_len, sizeof(psk_backup));
	CU_ASSERT(memcmp(s->psk, psk_backup, sizeof(psk_backup)) == 0);

	CU_ASSERT_PTR_EQUAL(config_find_psk(cfg, "moon.strongswan.org", "sun.strongswan.org"),
			    &cfg->secrets[0]);
	CU_ASSERT_PTR_EQUAL(config_find_psk(cfg, "moon.strongswan.org",
					    "backup.strongswan.org"), &cfg->secrets[2]);
	CU_ASSERT_PTR_EQUAL(config_find_psk(cfg, "192.168.0.1", "carol@strongswan.org"),
			    &cfg->secrets[1]);
	CU_ASSERT_PTR_NULL(config_find_psk(cfg, "192.168.0.1", "mallory@example.com"));

	/* the text of the keys is gone from the kept tree */
	CU_ASSERT_PTR_NULL(conf_get(cfg->conf, "secrets.ike-rw.secret"));
	CU_ASSERT_STRING_EQUAL(conf_get(cfg->conf, "secrets.ike-rw.id"), "*@strongswan.org");

	CU_ASSERT_STRING_EQUAL(cfg->fgate.control, "/run/fgated-test.ctl");
	CU_ASSERT_EQUAL(cfg->fgate.offload, FG_OFFLOAD_USB);
	CU_ASSERT_STRING_EQUAL(cfg->fgate.tun, "fgate1");
	CU_ASSERT_FALSE(cfg->fgate.install_routes);
	CU_ASSERT_EQUAL(cfg->fgate.log_level, FG_LOG_DEBUG);
	config_free(cfg);
	CU_ASSERT_EQUAL(log_lines(), 0);
}

static void test_defaults(void)
{
	struct fg_config *cfg;
	const struct fg_conn *c;
	const struct fg_child *ch;

	cfg = load_ok("connections {\n"
		      " c {\n"
		      "  version = 1\n"
		      "  local { auth = psk }\n"
		      "  remote { auth = PSK }\n"
		      "  children { x { } }\n"
		      " }\n"
		      "}\n");
	if (!cfg)
		return;
	c = &cfg->conns[0];
	CU_ASSERT_STRING_EQUAL(c->name, "c");
	CU_ASSERT_TRUE(c->local_addrs.any);
	CU_ASSERT_EQUAL(c->local_addrs.n, 1);
	CU_ASSERT_TRUE(c->remote_addrs.any);
	CU_ASSERT_EQUAL(c->local_port, 500);
	CU_ASSERT_EQUAL(c->remote_port, 500);
	check_props(&c->proposals, default_ike);
	CU_ASSERT_FALSE(c->aggressive);
	CU_ASSERT_FALSE(c->encap);
	CU_ASSERT_EQUAL(c->dpd_delay, 0);
	CU_ASSERT_EQUAL(c->dpd_timeout, 0);
	CU_ASSERT_EQUAL(c->rekey_time, 14400);
	CU_ASSERT_EQUAL(c->reauth_time, 0);
	CU_ASSERT_EQUAL(c->over_time, 1440);
	CU_ASSERT_EQUAL(c->rand_time, 1440);
	CU_ASSERT_EQUAL(c->keyingtries, 1);
	CU_ASSERT_EQUAL(c->unique, FG_UNIQUE_NO);
	CU_ASSERT_STRING_EQUAL(c->local_id, "");
	CU_ASSERT_STRING_EQUAL(c->remote_id, "%any");
	ch = &c->children[0];
	CU_ASSERT_EQUAL(ch->n_local_ts, 1);
	check_dynamic(&ch->local_ts[0]);
	CU_ASSERT_EQUAL(ch->n_remote_ts, 1);
	check_dynamic(&ch->remote_ts[0]);
	check_props(&ch->esp, default_esp);
	CU_ASSERT_EQUAL(ch->ah.n, 0);
	CU_ASSERT_EQUAL(ch->mode, FG_MODE_TUNNEL);
	CU_ASSERT_EQUAL(ch->start_action, FG_ACTION_NONE);
	CU_ASSERT_EQUAL(ch->dpd_action, FG_ACTION_NONE);
	CU_ASSERT_EQUAL(ch->close_action, FG_ACTION_NONE);
	CU_ASSERT_EQUAL(ch->rekey_time, 3600);
	CU_ASSERT_EQUAL(ch->life_time, 3960);
	CU_ASSERT_EQUAL(ch->rand_time, 360);
	CU_ASSERT_EQUAL(ch->rekey_bytes, 0);
	CU_ASSERT_EQUAL(ch->life_bytes, 0);
	CU_ASSERT_EQUAL(ch->rand_bytes, 0);
	CU_ASSERT_EQUAL(ch->replay_window, 32);
	CU_ASSERT_STRING_EQUAL(cfg->fgate.control, "/run/fgated.ctl");
	CU_ASSERT_EQUAL(cfg->fgate.offload, FG_OFFLOAD_SIM);
	CU_ASSERT_STRING_EQUAL(cfg->fgate.tun, "fgate0");
	CU_ASSERT_TRUE(cfg->fgate.install_routes);
	CU_ASSERT_EQUAL(cfg->fgate.log_level, FG_LOG_INFO);
	config_free(cfg);

	cfg = load_ok("");
	if (cfg) {
		CU_ASSERT_EQUAL(cfg->n_conns, 0);
		CU_ASSERT_EQUAL(cfg->n_secrets, 0);
		CU_ASSERT_EQUAL(cfg->fgate.offload, FG_OFFLOAD_SIM);
		CU_ASSERT_PTR_NULL(config_find_psk(cfg, "a", "b"));
		config_free(cfg);
	}
	config_free(NULL);
}

#define HEAD "connections {\n gw {\n  version = 1\n  local {\n   auth = psk\n  }\n" \
	     "  remote {\n   auth = psk\n  }\n"      /* lines 1-9 */
#define TAIL " }\n}\n"
#define CHILD(x) HEAD "  children {\n   net {\n    " x "\n   }\n  }\n" TAIL  /* line 12 */
#define CONN(x) HEAD "  " x "\n" TAIL        /* line 10 */

/* Values that load, and what they load as. */
static void test_values(void)
{
	struct fg_config *cfg;
	const struct fg_conn *c;
	const struct fg_child *ch;

	cfg = load_ok(HEAD
		      "  local_addrs = 10.0.0.1, 10.1.0.0/16, 10.2.0.1-10.2.0.9, %any4\n"
		      "  remote_addrs = 0.0.0.0/0\n"
		      "  local_port = 4500\n"
		      "  remote_port = 0\n"
		      "  encap = true\n"
		      "  aggressive = 0\n"
		      "  dscp = 101110\n"
		      "  unique = replace\n"
		      "  keyingtries = 0x10\n"
		      "  dpd_delay = 2m\n"
		      "  dpd_timeout = 1 d\n"
		      "  rekey_time = 7200\n"
		      "  reauth_time = 3600s\n"
		      "  over_time = 10m\n"
		      "  fragmentation = no\n"
		      "  mobike = no\n"
		      "  pools =\n"             /* unset: fine */
		      "  children {\n"
		      "   net {\n"
		      "    local_ts = 10.1.0.5/16, 10.3.0.0/24[tcp/80-8080]\n"
		      "    remote_ts = 10.9.0.1-10.9.0.5[17], dynamic[icmp/any]\n"
		      "    ah_proposals = sha1\n"
		      "    mode = TRANSPORT\n"
		      "    start_action = start\n"
		      "    dpd_action = clear\n"
		      "    close_action = route\n"
		      "    rekey_bytes = 1g\n"
		      "    life_bytes = 2G\n"
		      "    rand_bytes = 0\n"
		      "    rekey_packets = 1000\n"
		      "    inactivity = 5m\n"
		      "    replay_window = 0\n"
		      "    ipcomp = no\n"
		      "    policies = yes\n"
		      "    tfc_padding = 0\n"
		      "    hw_offload = auto\n"
		      "   }\n"
		      "  }\n" TAIL);
	if (!cfg)
		return;
	c = &cfg->conns[0];
	CU_ASSERT_EQUAL(c->local_addrs.n, 4);
	CU_ASSERT_TRUE(c->local_addrs.any);
	CU_ASSERT_EQUAL(c->local_addrs.r[1].first, IP(10, 1, 0, 0));
	CU_ASSERT_EQUAL(c->local_addrs.r[1].last, IP(10, 1, 255, 255));
	CU_ASSERT_EQUAL(c->local_addrs.r[2].first, IP(10, 2, 0, 1));
	CU_ASSERT_EQUAL(c->local_addrs.r[2].last, IP(10, 2, 0, 9));
	CU_ASSERT_EQUAL(c->local_addrs.r[3].last, UINT32_MAX);
	CU_ASSERT_FALSE(c->remote_addrs.any);
	CU_ASSERT_EQUAL(c->remote_addrs.r[0].first, 0);
	CU_ASSERT_EQUAL(c->remote_addrs.r[0].last, UINT32_MAX);
	CU_ASSERT_EQUAL(c->local_port, 4500);
	CU_ASSERT_EQUAL(c->remote_port, 500);
	CU_ASSERT_TRUE(c->encap);
	CU_ASSERT_FALSE(c->aggressive);
	CU_ASSERT_EQUAL(c->dscp, 0x2e);
	CU_ASSERT_EQUAL(c->unique, FG_UNIQUE_REPLACE);
	CU_ASSERT_EQUAL(c->keyingtries, 16);
	CU_ASSERT_EQUAL(c->dpd_delay, 120);
	CU_ASSERT_EQUAL(c->dpd_timeout, 86400);
	CU_ASSERT_EQUAL(c->rekey_time, 7200);
	CU_ASSERT_EQUAL(c->reauth_time, 3600);
	CU_ASSERT_EQUAL(c->over_time, 600);
	CU_ASSERT_EQUAL(c->rand_time, 600);     /* min(over_time, 3600 / 2) */
	ch = &c->children[0];
	CU_ASSERT_EQUAL(ch->n_local_ts, 2);
	check_ts(&ch->local_ts[0], IP(10, 1, 0, 0), IP(10, 1, 255, 255), 0, 0, 65535);
	check_ts(&ch->local_ts[1], IP(10, 3, 0, 0), IP(10, 3, 0, 255), 6, 80, 8080);
	CU_ASSERT_EQUAL(ch->n_remote_ts, 2);
	check_ts(&ch->remote_ts[0], IP(10, 9, 0, 1), IP(10, 9, 0, 5), 17, 0, 65535);
	CU_ASSERT_TRUE(ch->remote_ts[1].dynamic);
	CU_ASSERT_EQUAL(ch->remote_ts[1].proto, 1);
	CU_ASSERT_EQUAL(ch->esp.n, 0);          /* AH only */
	check_props(&ch->ah, "sha1");
	CU_ASSERT_EQUAL(ch->mode, FG_MODE_TRANSPORT);
	CU_ASSERT_EQUAL(ch->start_action, FG_ACTION_START);
	CU_ASSERT_EQUAL(ch->dpd_action, FG_ACTION_NONE);
	CU_ASSERT_EQUAL(ch->close_action, FG_ACTION_TRAP);
	CU_ASSERT_EQUAL(ch->rekey_bytes, 1ull << 30);
	CU_ASSERT_EQUAL(ch->life_bytes, 2ull << 30);
	CU_ASSERT_EQUAL(ch->rand_bytes, 0);
	CU_ASSERT_EQUAL(ch->rekey_packets, 1000);
	CU_ASSERT_EQUAL(ch->life_packets, 1100);
	CU_ASSERT_EQUAL(ch->rand_packets, 100);
	CU_ASSERT_EQUAL(ch->inactivity, 300);
	CU_ASSERT_EQUAL(ch->replay_window, 0);
	config_free(cfg);
	/* two selectors: one warning each that IKEv1 uses the first */
	CU_ASSERT_EQUAL(log_lines(), 2);

	/* reauth only: rekey off; both off: nothing derived */
	cfg = load_ok(CONN("reauth_time = 1h"));
	if (cfg) {
		CU_ASSERT_EQUAL(cfg->conns[0].rekey_time, 0);
		CU_ASSERT_EQUAL(cfg->conns[0].over_time, 360);
		CU_ASSERT_EQUAL(cfg->conns[0].rand_time, 360);
		config_free(cfg);
	}
	cfg = load_ok(HEAD "  rekey_time = 0\n  reauth_time = 0\n" TAIL);
	if (cfg) {
		CU_ASSERT_EQUAL(cfg->conns[0].rekey_time, 0);
		CU_ASSERT_EQUAL(cfg->conns[0].over_time, 0);
		CU_ASSERT_EQUAL(cfg->conns[0].rand_time, 0);
		config_free(cfg);
	}
	/* secrets: hex with an odd digit count, base64, a quoted string */
	cfg = load_ok("secrets {\n ike-1 {\n  secret = 0xABC\n }\n"
		      " ike-2 {\n  secret = 0sAAEC\n }\n"
		      " ike-3 {\n  secret = \"0 x\"\n  id-1 = a\n  id-2 =\n }\n}\n");
	if (cfg) {
		CU_ASSERT_EQUAL(cfg->secrets[0].psk_len, 2);
		CU_ASSERT_EQUAL(cfg->secrets[0].psk[0], 0x0a);
		CU_ASSERT_EQUAL(cfg->secrets[0].psk[1], 0xbc);
		CU_ASSERT_EQUAL(cfg->secrets[0].n_ids, 0);
		CU_ASSERT_EQUAL(cfg->secrets[1].psk_len, 3);
		CU_ASSERT_EQUAL(cfg->secrets[1].psk[2], 2);
		CU_ASSERT_EQUAL(cfg->secrets[2].psk_len, 3);
		CU_ASSERT_EQUAL(cfg->secrets[2].n_ids, 1);
		config_free(cfg);
	}
	/* top-level template sections, as in strongswan.conf(5)'s example */
	cfg = load_ok("conn-defaults {\n version = 1\n local {\n  auth = psk\n }\n"
		      " remote {\n  auth = psk\n }\n}\n"
		      "child-defaults {\n esp_proposals = 3des-sha1\n}\n"
		      "connections {\n a : conn-defaults {\n  children {\n"
		      "   net : child-defaults {\n   }\n  }\n }\n"
		      " b : conn-defaults {\n  aggressive = yes\n }\n}\n");
	if (cfg) {
		CU_ASSERT_EQUAL(cfg->n_conns, 2);
		check_props(&cfg->conns[0].children[0].esp, "3des-sha1");
		CU_ASSERT_TRUE(cfg->conns[1].aggressive);
		config_free(cfg);
	}
	/* a life_time shorter than rekey_time loads with a warning */
	cfg = load_ok(CHILD("rekey_time = 2h\n    life_time = 1h"));
	config_free(cfg);
	CU_ASSERT_EQUAL(log_lines(), 1);
}

struct err_case {
	const char *text;
	int rc;
	const char *msg;
};

#define P "fgated.conf:"

static const struct err_case err_cases[] = {
	{ CHILD("mode = tunel"), FG_ERR_PARSE,
	  P "12: connections.gw.children.net.mode: expected tunnel or transport, got 'tunel'" },
	{ CHILD("mode = beet"), FG_ERR_UNSUPP,
	  P "12: connections.gw.children.net.mode: not supported by fgated (fgated does tunnel and transport)" },
	{ "connections {\n gw {\n  version = 2\n }\n}\n", FG_ERR_UNSUPP,
	  P "3: connections.gw.version: fgated speaks IKEv1 only (version = 1), got '2'" },
	{ "connections {\n gw {\n  version = 0\n }\n}\n", FG_ERR_UNSUPP,
	  P "3: connections.gw.version: fgated speaks IKEv1 only (version = 1), got '0'" },
	{ "connections {\n gw {\n  version = one\n }\n}\n", FG_ERR_PARSE,
	  P "3: connections.gw.version: expected 1 (IKEv1), got 'one'" },
	{ "connections {\n gw {\n  local_addrs = 10.0.0.1\n }\n}\n", FG_ERR_UNSUPP,
	  P "2: connections.gw.version: not set, and strongSwan's default 0 means IKEv2: "
	  "fgated speaks IKEv1 only (set version = 1)" },
	{ "connections {\n gw {\n  version = 1\n  version =\n }\n}\n", FG_ERR_UNSUPP,
	  P "4: connections.gw.version: not set, and strongSwan's default 0 means IKEv2: "
	  "fgated speaks IKEv1 only (set version = 1)" },
	{ CONN("pools = pool1"), FG_ERR_UNSUPP,
	  P "10: connections.gw.pools: not supported by fgated (fgated has no Mode Config)" },
	{ CONN("if_id_in = 1"), FG_ERR_UNSUPP,
	  P "10: connections.gw.if_id_in: not supported by fgated" },
	{ CONN("foo = bar"), FG_ERR_PARSE, P "10: connections.gw.foo: unknown key" },
	{ CONN("foo {\n  }"), FG_ERR_PARSE, P "10: connections.gw.foo: unknown section" },
	{ CONN("fragmentation = force"), FG_ERR_UNSUPP,
	  P "10: connections.gw.fragmentation: 'force' not supported by fgated (only 'yes' or 'no')" },
	{ CONN("aggressive = maybe"), FG_ERR_PARSE,
	  P "10: connections.gw.aggressive: expected yes or no, got 'maybe'" },
	{ CONN("local_port = 70000"), FG_ERR_PARSE,
	  P "10: connections.gw.local_port: expected a port number, got '70000'" },
	{ CONN("keyingtries = -1"), FG_ERR_PARSE,
	  P "10: connections.gw.keyingtries: expected a number up to 4294967295, got '-1'" },
	{ CONN("keyingtries = 4294967296"), FG_ERR_PARSE,
	  P "10: connections.gw.keyingtries: expected a number up to 4294967295, got '4294967296'" },
	{ CONN("dscp = 2"), FG_ERR_PARSE, P "10: connections.gw.dscp: expected six binary digits, got '2'" },
	{ CONN("dscp = 1011101"), FG_ERR_PARSE,
	  P "10: connections.gw.dscp: expected six binary digits, got '1011101'" },
	{ CONN("unique = always"), FG_ERR_PARSE,
	  P "10: connections.gw.unique: expected no, never, keep or replace, got 'always'" },
	{ CONN("dpd_delay = 1w"), FG_ERR_PARSE,
	  P "10: connections.gw.dpd_delay: expected a time in seconds, with s, m, h or d, got '1w'" },
	{ CONN("dpd_delay = 10 s s"), FG_ERR_PARSE,
	  P "10: connections.gw.dpd_delay: expected a time in seconds, with s, m, h or d, got '10 s s'" },
	{ CONN("dpd_delay = -5"), FG_ERR_PARSE,
	  P "10: connections.gw.dpd_delay: expected a time in seconds, with s, m, h or d, got '-5'" },
	{ CONN("rekey_time = 300000000000000000d"), FG_ERR_PARSE,
	  P "10: connections.gw.rekey_time: expected a time in seconds, with s, m, h or d, "
	  "got '300000000000000000d'" },
	{ CONN("rekey_time = 99999999999999999999"), FG_ERR_PARSE,
	  P "10: connections.gw.rekey_time: expected a time in seconds, with s, m, h or d, "
	  "got '99999999999999999999'" },
	{ CONN("remote_addrs = moon.strongswan.org"), FG_ERR_PARSE,
	  P "10: connections.gw.remote_addrs: expected an IPv4 address (DNS names are not "
	  "supported by fgated), got 'moon.strongswan.org'" },
	{ CONN("remote_addrs = fec0::1"), FG_ERR_PARSE,
	  P "10: connections.gw.remote_addrs: expected IPv4 (IPv6 is not supported by fgated), "
	  "got 'fec0::1'" },
	{ CONN("remote_addrs = 10.0.0.300"), FG_ERR_PARSE,
	  P "10: connections.gw.remote_addrs: expected an IPv4 address, subnet or range, "
	  "got '10.0.0.300'" },
	{ CONN("remote_addrs = 10.0.0.5-10.0.0.1"), FG_ERR_PARSE,
	  P "10: connections.gw.remote_addrs: expected an IPv4 address, subnet or range, "
	  "got '10.0.0.5-10.0.0.1'" },
	{ CONN("remote_addrs = 10.0.0.0/33"), FG_ERR_PARSE,
	  P "10: connections.gw.remote_addrs: expected an IPv4 address, subnet or range, "
	  "got '10.0.0.0/33'" },
	{ CONN("remote_addrs = 10.0.0.1,"), FG_ERR_PARSE,
	  P "10: connections.gw.remote_addrs: expected up to 8 comma separated addresses, "
	  "got '10.0.0.1,'" },
	{ CONN("remote_addrs = 1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4,5.5.5.5,6.6.6.6,7.7.7.7,8.8.8.8,9.9.9.9"),
	  FG_ERR_PARSE,
	  P "10: connections.gw.remote_addrs: expected up to 8 comma separated addresses, "
	  "got '1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4,5.5.5.5,6.6.6.6,7.7.7.7,8.8.8.8,'" },
	{ CONN("remote_addrs = %any6"), FG_ERR_PARSE,
	  P "10: connections.gw.remote_addrs: expected IPv4 (IPv6 is not supported by fgated), "
	  "got '%any6'" },
	{ CONN("proposals = 3des-sha1-ecp256"), FG_ERR_UNSUPP,
	  P "10: connections.gw.proposals: proposal '3des-sha1-ecp256': ecp256 not supported "
	  "(fgated does MODP groups 1, 2, 5, 14)" },
	{ CONN("proposals = aes128-sha1"), FG_ERR_PARSE,
	  P "10: connections.gw.proposals: proposal 'aes128-sha1': a DH group is mandatory in "
	  "IKE proposals" },
	{ "connections {\n gw {\n  version = 1\n  local {\n   auth = pubkey\n  }\n }\n}\n",
	  FG_ERR_UNSUPP,
	  P "5: connections.gw.local.auth: 'pubkey' not supported by fgated (fgated does psk only)" },
	{ "connections {\n gw {\n  version = 1\n  remote {\n   auth = eap-md5\n  }\n }\n}\n",
	  FG_ERR_UNSUPP,
	  P "5: connections.gw.remote.auth: 'eap-md5' not supported by fgated (fgated does psk only)" },
	{ "connections {\n gw {\n  version = 1\n  local {\n   auth = secret\n  }\n }\n}\n",
	  FG_ERR_PARSE, P "5: connections.gw.local.auth: expected psk, got 'secret'" },
	{ "connections {\n gw {\n  version = 1\n  local {\n   id = moon\n  }\n"
	  "  remote {\n   auth = psk\n  }\n }\n}\n", FG_ERR_UNSUPP,
	  P "4: connections.gw.local: auth not set, and strongSwan's default pubkey is not "
	  "supported by fgated (set auth = psk)" },
	{ "connections {\n gw {\n  version = 1\n  local {\n   auth = psk\n  }\n }\n}\n",
	  FG_ERR_UNSUPP,
	  P "2: connections.gw.remote: auth not set, and strongSwan's default pubkey is not "
	  "supported by fgated (set auth = psk)" },
	{ CONN("local-xauth {\n   auth = xauth\n  }"), FG_ERR_UNSUPP,
	  P "10: connections.gw.local-xauth: a second authentication round (XAuth) is not "
	  "supported by fgated" },
	{ "connections {\n gw {\n  version = 1\n  local {\n   auth = psk\n   certs = moon.pem\n"
	  "  }\n }\n}\n", FG_ERR_UNSUPP,
	  P "6: connections.gw.local.certs: not supported by fgated (fgated does psk only)" },
	{ "connections {\n gw {\n  version = 1\n  remote {\n   cacert-1 {\n   }\n  }\n }\n}\n",
	  FG_ERR_UNSUPP,
	  P "5: connections.gw.remote.cacert-1: not supported by fgated (fgated does psk only)" },
	{ "connections {\n gw {\n  version = 1\n  remote {\n   idx = 1\n  }\n }\n}\n",
	  FG_ERR_PARSE, P "5: connections.gw.remote.idx: unknown key" },
	{ "connections {\n gw {\n  version = 1\n  remote {\n   id = \"\"\n  }\n }\n}\n",
	  FG_ERR_PARSE,
	  P "5: connections.gw.remote.id: expected an identity of 1 to 255 bytes, got ''" },
	{ HEAD "  children {\n   x = 1\n  }\n" TAIL, FG_ERR_PARSE,
	  P "11: connections.gw.children.x: unknown key (children are sections)" },
	{ CHILD("sub {\n    }"), FG_ERR_PARSE,
	  P "12: connections.gw.children.net.sub: unknown section" },
	{ CHILD("rekey_bytes = 5t"), FG_ERR_PARSE,
	  P "12: connections.gw.children.net.rekey_bytes: expected a byte count, with k, m or g, "
	  "got '5t'" },
	{ CHILD("life_bytes = 17179869184g"), FG_ERR_PARSE,
	  P "12: connections.gw.children.net.life_bytes: expected a byte count, with k, m or g, "
	  "got '17179869184g'" },
	{ CHILD("rekey_packets = 1k"), FG_ERR_PARSE,
	  P "12: connections.gw.children.net.rekey_packets: expected a number, got '1k'" },
	{ CHILD("local_ts = 10.1.0.0/16[tcp/http]"), FG_ERR_PARSE,
	  P "12: connections.gw.children.net.local_ts: expected a port number (service names are "
	  "not supported by fgated), got '10.1.0.0/16[tcp/http]'" },
	{ CHILD("local_ts = 10.1.0.0/16[tcp/opaque]"), FG_ERR_PARSE,
	  P "12: connections.gw.children.net.local_ts: expected a port (OPAQUE ports are not "
	  "supported by fgated), got '10.1.0.0/16[tcp/opaque]'" },
	{ CHILD("local_ts = 10.1.0.0/16[tcp"), FG_ERR_PARSE,
	  P "12: connections.gw.children.net.local_ts: expected a selector like 10.1.0.0/16, "
	  "10.1.0.1 or dynamic, got '10.1.0.0/16[tcp'" },
	{ CHILD("local_ts = 10.1.0.0/16[foo]"), FG_ERR_PARSE,
	  P "12: connections.gw.children.net.local_ts: expected a selector like 10.1.0.0/16 or "
	  "10.1.0.0/16[tcp/80], got '10.1.0.0/16[foo]'" },
	{ CHILD("local_ts = 10.1.0.0/16[tcp/90-80]"), FG_ERR_PARSE,
	  P "12: connections.gw.children.net.local_ts: expected a selector like 10.1.0.0/16 or "
	  "10.1.0.0/16[tcp/80], got '10.1.0.0/16[tcp/90-80]'" },
	{ CHILD("remote_ts = fec0::/16"), FG_ERR_PARSE,
	  P "12: connections.gw.children.net.remote_ts: expected IPv4 (IPv6 is not supported by "
	  "fgated), got 'fec0::/16'" },
	{ CHILD("esp_proposals = 3des-sha1-esn"), FG_ERR_UNSUPP,
	  P "12: connections.gw.children.net.esp_proposals: proposal '3des-sha1-esn': esn not "
	  "supported (fgated does 32-bit sequence numbers: use noesn)" },
	{ CHILD("ah_proposals = 3des-sha1"), FG_ERR_PARSE,
	  P "12: connections.gw.children.net.ah_proposals: proposal '3des-sha1': AH proposals "
	  "take no encryption algorithm" },
	{ CHILD("start_action = go"), FG_ERR_PARSE,
	  P "12: connections.gw.children.net.start_action: expected none, trap or start, got 'go'" },
	{ CHILD("dpd_action = hold"), FG_ERR_PARSE,
	  P "12: connections.gw.children.net.dpd_action: expected clear, trap or restart, "
	  "got 'hold'" },
	{ CHILD("ipcomp = yes"), FG_ERR_UNSUPP,
	  P "12: connections.gw.children.net.ipcomp: 'yes' not supported by fgated (only 'no')" },
	{ CHILD("ipcomp = perhaps"), FG_ERR_PARSE,
	  P "12: connections.gw.children.net.ipcomp: expected yes or no, got 'perhaps'" },
	{ CHILD("tfc_padding = mtu"), FG_ERR_UNSUPP,
	  P "12: connections.gw.children.net.tfc_padding: 'mtu' not supported by fgated (only '0')" },
	{ CHILD("updown = /usr/lib/ipsec/_updown iptables"), FG_ERR_UNSUPP,
	  P "12: connections.gw.children.net.updown: not supported by fgated (fgated runs no "
	  "updown scripts)" },
	{ CHILD("mark_in = 42"), FG_ERR_UNSUPP,
	  P "12: connections.gw.children.net.mark_in: not supported by fgated" },
	{ CHILD("replay_window = lots"), FG_ERR_PARSE,
	  P "12: connections.gw.children.net.replay_window: expected a number up to 4294967295, "
	  "got 'lots'" },
	{ "secrets {\n ike-a {\n  id = a\n }\n}\n", FG_ERR_PARSE,
	  P "2: secrets.ike-a.secret: missing" },
	{ "secrets {\n ike-a {\n  secret = 0xzz\n }\n}\n", FG_ERR_PARSE,
	  P "3: secrets.ike-a.secret: expected hex digits after 0x (of up to 512 bytes)" },
	{ "secrets {\n ike-a {\n  secret = 0x\n }\n}\n", FG_ERR_PARSE,
	  P "3: secrets.ike-a.secret: expected hex digits after 0x (of up to 512 bytes)" },
	{ "secrets {\n ike-a {\n  secret = 0s!!!!\n }\n}\n", FG_ERR_PARSE,
	  P "3: secrets.ike-a.secret: expected base64 after 0s (of up to 512 bytes)" },
	{ "secrets {\n ike-a {\n  secret = 0sAA=A\n }\n}\n", FG_ERR_PARSE,
	  P "3: secrets.ike-a.secret: expected base64 after 0s (of up to 512 bytes)" },
	{ "secrets {\n ike-a {\n  secret = \"\"\n }\n}\n", FG_ERR_PARSE,
	  P "3: secrets.ike-a.secret: expected a non-empty secret (of up to 512 bytes)" },
	{ "secrets {\n ike-a {\n  secret = x\n  foo = 1\n }\n}\n", FG_ERR_PARSE,
	  P "4: secrets.ike-a.foo: unknown key (expected secret or id<suffix>)" },
	{ "secrets {\n eap-carol {\n  secret = x\n }\n}\n", FG_ERR_UNSUPP,
	  P "2: secrets.eap-carol: not supported by fgated (fgated does ike<suffix> pre-shared "
	  "keys only)" },
	{ "secrets {\n private-1 {\n }\n}\n", FG_ERR_UNSUPP,
	  P "2: secrets.private-1: not supported by fgated (fgated does ike<suffix> pre-shared "
	  "keys only)" },
	{ "secrets {\n psk-1 {\n }\n}\n", FG_ERR_PARSE,
	  P "2: secrets.psk-1: unknown secret type (expected ike<suffix>)" },
	{ "secrets {\n secret = x\n}\n", FG_ERR_PARSE,
	  P "2: secrets.secret: unknown key (secrets are sections)" },
	{ "connections {\n version = 1\n}\n", FG_ERR_PARSE,
	  P "2: connections.version: unknown key (connections are sections)" },
	{ "fgate {\n offload = fpga\n}\n", FG_ERR_PARSE,
	  P "2: fgate.offload: expected soft, sim, sim-ft601, usb or pcie, got 'fpga'" },
	{ "fgate {\n log_level = loud\n}\n", FG_ERR_PARSE,
	  P "2: fgate.log_level: expected error, warn, info, debug or keys, got 'loud'" },
	{ "fgate {\n tun = a/b\n}\n", FG_ERR_PARSE,
	  P "2: fgate.tun: expected an interface name, got 'a/b'" },
	{ "fgate {\n tun = abcdefghijklmnop\n}\n", FG_ERR_PARSE,
	  P "2: fgate.tun: expected an interface name of 1 to 15 bytes, got 'abcdefghijklmnop'" },
	{ "fgate {\n control = fgated.ctl\n}\n", FG_ERR_PARSE,
	  P "2: fgate.control: expected an absolute path, got 'fgated.ctl'" },
	{ "fgate {\n install_routes = 2\n}\n", FG_ERR_PARSE,
	  P "2: fgate.install_routes: expected yes or no, got '2'" },
	{ "fgate {\n offload = sim\n backend = usb\n}\n", FG_ERR_PARSE,
	  P "3: fgate.backend: unknown key" },
	{ "fgate {\n usb {\n }\n}\n", FG_ERR_PARSE, P "2: fgate.usb: unknown section" },
	{ "pools {\n p {\n  addrs = 10.3.0.0/24\n }\n}\n", FG_ERR_UNSUPP,
	  P "1: pools: not supported by fgated" },
	{ "\nauthorities {\n}\n", FG_ERR_UNSUPP, P "2: authorities: not supported by fgated" },
	{ "connection {\n}\n", FG_ERR_PARSE, P "1: connection: unknown section" },
	{ "version = 1\n", FG_ERR_PARSE, P "1: version: unknown key" },
	/* syntax errors come through unchanged */
	{ "connections {\n", FG_ERR_PARSE,
	  P "1: section 'connections' is not closed before the end of the file" },
};

static void test_errors(void)
{
	struct fg_config *cfg;
	char err[CONF_ERR_MAX];
	size_t i;
	int rc;

	log_lines();
	for (i = 0; i < sizeof(err_cases) / sizeof(err_cases[0]); i++) {
		const struct err_case *e = &err_cases[i];

		cfg = (struct fg_config *)1;
		strcpy(err, "untouched");
		rc = config_load_buffer("fgated.conf", e->text, strlen(e->text), &cfg, err,
					sizeof(err));
		CU_ASSERT_EQUAL(rc, e->rc);
		CU_ASSERT_PTR_NULL(cfg);
		CU_ASSERT_STRING_EQUAL(err, e->msg);
		if (rc != e->rc || strcmp(err, e->msg))
			printf("\n  case %zu: rc %d\n  got  '%s'\n  want '%s'\n", i, rc, err,
			       e->msg);
		CU_ASSERT_EQUAL(log_lines(), 1);        /* one line per failure */
	}
}

/* Errors in an included file name that file; the key path is still whole. */
static void test_error_positions(void)
{
	struct fg_config *cfg;
	char err[CONF_ERR_MAX], text[512];
	int rc;

	snprintf(text, sizeof(text), HEAD "  children {\n   include bad-child.conf\n  }\n" TAIL);
	rc = config_load_buffer(DIR "t.conf", text, strlen(text), &cfg, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, FG_ERR_PARSE);
	CU_ASSERT_STRING_EQUAL(err, DIR "bad-child.conf:3: connections.gw.children.net.mode: "
			       "expected tunnel or transport, got 'tunel'");
	/* an inherited bad value is reported where it was written */
	snprintf(text, sizeof(text),
		 "defaults {\n  dpd_delay = soon\n}\n"
		 "connections {\n gw : defaults {\n  version = 1\n }\n}\n");
	rc = config_load_buffer("fgated.conf", text, strlen(text), &cfg, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, FG_ERR_PARSE);
	CU_ASSERT_STRING_EQUAL(err, "fgated.conf:2: connections.gw.dpd_delay: expected a time "
			       "in seconds, with s, m, h or d, got 'soon'");
	rc = config_load_file(DIR "missing.conf", &cfg, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, FG_ERR_NOTFOUND);
	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_STRING_EQUAL(err, DIR "missing.conf: No such file or directory");
	log_lines();
}

static void test_psk(void)
{
	struct fg_config *cfg;
	const struct fg_secret *s;
	size_t i;
	static const struct { const char *me, *other, *want; } cases[] = {
		{ "moon.strongswan.org", "sun.strongswan.org", "ike-pair" },
		{ "MOON.strongswan.org", "Sun.StrongSwan.org", "ike-pair" },
		{ "@moon.strongswan.org", "fqdn:sun.strongswan.org", "ike-pair" },
		{ NULL, "sun.strongswan.org", "ike-pair" },     /* tie: later wins */
		{ "venus.strongswan.org", "sun.strongswan.org", "ike-pair" },
		{ "moon.strongswan.org", "venus.strongswan.org", "ike-wild" },
		{ "192.168.0.1", "192.168.0.2", "ike-ip" },
		{ "moon.strongswan.org", "@@carol@strongswan.org", "ike-email" },
		{ "moon.strongswan.org", "carol@strongswan.org", "ike-email" },
		{ "x", "C=CH, O=strongSwan, CN=carol", "ike-dn" },
		{ "x", "C=CH, O=strongSwan, CN=dave", "ike-any" },
		{ "x", "stranger", "ike-any" },
		{ "x", "%any", "ike-any" },
		{ "x", "strongswan.org", "ike-any" },           /* "*." needs a label */
		{ "x", "192.168.0.3", "ike-any" },
		{ "x", "@#0a0b", "ike-keyid" },
		{ "x", "keyid:0A0B", "ike-keyid" },
	};

	cfg = load_ok("secrets {\n"
		      " ike-any {\n  secret = any\n }\n"
		      " ike-sun {\n  id = sun.strongswan.org\n  secret = sun\n }\n"
		      " ike-pair {\n  id-a = moon.strongswan.org\n  id-b = sun.strongswan.org\n"
		      "  secret = pair\n }\n"
		      " ike-wild {\n  id = *.strongswan.org\n  secret = wild\n }\n"
		      " ike-email {\n  id = *@strongswan.org\n  secret = email\n }\n"
		      " ike-ip {\n  id = 192.168.0.2\n  secret = ip\n }\n"
		      " ike-dn {\n  id = \"C=CH, O=strongSwan, CN=carol\"\n  secret = dn\n }\n"
		      " ike-keyid {\n  id = \"@#0A0B\"\n  secret = keyid\n }\n"
		      "}\n");
	if (!cfg)
		return;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = config_find_psk(cfg, cases[i].me, cases[i].other);
		CU_ASSERT_PTR_NOT_NULL(s);
		if (!s) {
			printf("\n  (%s, %s): none, want %s\n", cases[i].me, cases[i].other,
			       cases[i].want);
			continue;
		}
		CU_ASSERT_STRING_EQUAL(s->name, cases[i].want);
		if (strcmp(s->name, cases[i].want))
			printf("\n  (%s, %s): %s, want %s\n", cases[i].me, cases[i].other,
			       s->name, cases[i].want);
	}
	config_free(cfg);

	/* without a catch-all, an unknown pair has no key */
	cfg = load_ok("secrets {\n ike-sun {\n  id = sun.strongswan.org\n  secret = sun\n }\n}\n");
	if (!cfg)
		return;
	CU_ASSERT_PTR_NULL(config_find_psk(cfg, "moon.strongswan.org", "venus.strongswan.org"));
	CU_ASSERT_PTR_NULL(config_find_psk(cfg, NULL, NULL));
	CU_ASSERT_PTR_NOT_NULL(config_find_psk(cfg, "sun.strongswan.org", NULL));
	CU_ASSERT_PTR_NULL(config_find_psk(NULL, "a", "b"));
	config_free(cfg);
}

static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Mutations of the gateway file: a defined result, never a crash or leak,
 * and every error names a file and line. */
static void test_garbage(void)
{
	static const char *const words[] = {
		"version", "1", "2", "psk", "auth", "=", "{", "}", "\n", " ", ",", "-",
		"local_ts", "10.1.0.0/16", "[tcp/80]", "esp_proposals", "3des-sha1",
		"modp1024", "0x", "0s", "secret", "children", "%any", ":", "\"", "#",
		"yes", "1h", "99999999999999999999", "mode", "tunnel", "ike-x", "id",
	};
	struct fg_config *cfg;
	char err[CONF_ERR_MAX], *base, *buf;
	size_t len, blen, i, w;
	unsigned iter;
	uint32_t seed = 77;
	FILE *f;
	int rc;

	f = fopen(DIR "gateway.conf", "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	base = malloc(8192);
	buf = malloc(16384);
	blen = fread(base, 1, 8191, f);
	fclose(f);
	for (iter = 0; iter < 4000; iter++) {
		memcpy(buf, base, blen);
		len = blen;
		for (i = rnd(&seed) % 6 + 1; i > 0 && len > 0; i--) {
			size_t at = rnd(&seed) % len;

			switch (rnd(&seed) % 3) {
			case 0:
				buf[at] = (char)(rnd(&seed) & 0xff);
				break;
			case 1:
				w = rnd(&seed) % (sizeof(words) / sizeof(words[0]));
				if (len + strlen(words[w]) < 16384) {
					memmove(buf + at + strlen(words[w]), buf + at, len - at);
					memcpy(buf + at, words[w], strlen(words[w]));
					len += strlen(words[w]);
				}
				break;
			default:
				memmove(buf + at, buf + at + 1, len - at - 1);
				len--;
				break;
			}
		}
		cfg = NULL;
		rc = config_load_buffer(DIR "fuzz.conf", buf, len, &cfg, err, sizeof(err));
		CU_ASSERT(rc == 0 || rc == FG_ERR_PARSE || rc == FG_ERR_UNSUPP ||
			  rc == FG_ERR_IO);
		CU_ASSERT((rc == 0) == (cfg != NULL));
		if (rc)
			CU_ASSERT(strncmp(err, DIR, strlen(DIR)) == 0 && strchr(err, ':'));
		config_free(cfg);
	}
	free(base);
	free(buf);
	log_lines();
}

/* The example that make install puts in /etc/fgate loads, and says what
 * docs/configuration.md says it does. */
static void test_installed_example(void)
{
	struct fg_config *cfg = NULL;
	const struct fg_conn *c;
	char err[256] = "";

	CU_ASSERT_EQUAL_FATAL(config_load_file("docs/examples/fgated.conf", &cfg, err,
					       sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(cfg->n_conns, 1);
	c = &cfg->conns[0];
	CU_ASSERT_STRING_EQUAL(c->name, "sun");
	CU_ASSERT_EQUAL_FATAL(c->n_children, 1);
	CU_ASSERT_EQUAL(c->children[0].start_action, FG_ACTION_TRAP);
	CU_ASSERT_EQUAL(cfg->fgate.offload, FG_OFFLOAD_SIM);
	config_free(cfg);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "installed example", test_installed_example },
		{ "gateway config", test_gateway },
		{ "defaults", test_defaults },
		{ "values", test_values },
		{ "errors", test_errors },
		{ "error positions", test_error_positions },
		{ "PSK lookup", test_psk },
		{ "random input", test_garbage },
		{ NULL, NULL },
	};
	int rc;

	log_file = tmpfile();
	fg_log_set_stream(log_file);
	unit_add_suite("config", tests);
	rc = unit_run("unit-config");
	fg_log_set_stream(NULL);
	fclose(log_file);
	return rc;
}
