/* host/sa/spd: selector construction, specificity order, newest-first among
 * equals, port and protocol matching, removal, packet extraction. */
#include <string.h>

#include "common/err.h"
#include "sa/spd.h"
#include "unit.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static struct fg_ts net(uint32_t first, uint32_t last, uint8_t proto, uint16_t pf, uint16_t pl)
{
	return (struct fg_ts){ .addr = { first, last }, .proto = proto,
			       .port_first = pf, .port_last = pl };
}

static struct fg_ts any_net(uint32_t first, uint32_t last)
{
	return net(first, last, 0, 0, 0xffff);
}

static void add(struct spd *s, struct fg_ts src, struct fg_ts dst, unsigned sa)
{
	struct spd_sel sel;

	CU_ASSERT_EQUAL_FATAL(spd_sel_from_ts(&src, &dst, &sel), 0);
	CU_ASSERT_EQUAL_FATAL(spd_add(s, &sel, sa), 0);
}

static struct spd_pkt pkt(uint32_t src, uint32_t dst, uint8_t proto, uint16_t sp, uint16_t dp)
{
	return (struct spd_pkt){ .src = src, .dst = dst, .proto = proto,
				 .ports = proto == 6 || proto == 17, .sport = sp, .dport = dp };
}

static void test_sel_from_ts(void)
{
	struct fg_ts a = net(IP(10, 1, 0, 0), IP(10, 1, 0, 255), 6, 0, 0xffff);
	struct fg_ts b = net(IP(10, 2, 0, 0), IP(10, 2, 0, 255), 0, 80, 80);
	struct fg_ts c = net(IP(10, 2, 0, 0), IP(10, 2, 0, 255), 17, 0, 0xffff);
	struct fg_ts d = b;
	struct spd_sel sel;

	CU_ASSERT_EQUAL(spd_sel_from_ts(&a, &b, &sel), 0);
	CU_ASSERT_EQUAL(sel.proto, 6);
	CU_ASSERT_EQUAL(sel.src.first, IP(10, 1, 0, 0));
	CU_ASSERT_EQUAL(sel.dst.last, IP(10, 2, 0, 255));
	CU_ASSERT_EQUAL(sel.dport_first, 80);
	CU_ASSERT_EQUAL(sel.dport_last, 80);
	CU_ASSERT_EQUAL(sel.sport_last, 0xffff);
	CU_ASSERT_EQUAL(spd_sel_from_ts(&a, &c, &sel), FG_ERR_INVAL);   /* tcp vs udp */
	d.dynamic = true;
	CU_ASSERT_EQUAL(spd_sel_from_ts(&a, &d, &sel), FG_ERR_INVAL);
}

static void test_most_specific_first(void)
{
	struct spd s;

	spd_init(&s);
	/* added least specific first, so order comes from sorting */
	add(&s, any_net(IP(10, 1, 0, 0), IP(10, 1, 255, 255)), any_net(IP(10, 0, 0, 0), IP(10, 255, 255, 255)), 1);
	add(&s, any_net(IP(10, 1, 0, 0), IP(10, 1, 0, 255)), any_net(IP(10, 2, 0, 0), IP(10, 2, 0, 255)), 2);
	add(&s, any_net(IP(10, 1, 0, 0), IP(10, 1, 0, 255)), any_net(IP(10, 2, 0, 7), IP(10, 2, 0, 7)), 3);
	add(&s, any_net(IP(10, 1, 0, 0), IP(10, 1, 0, 255)),
	    net(IP(10, 2, 0, 0), IP(10, 2, 0, 255), 6, 22, 22), 4);
	CU_ASSERT_EQUAL(s.n, 4);
	struct {
		struct spd_pkt p;
		int want;
	} rows[] = {
		{ pkt(IP(10, 1, 0, 2), IP(10, 2, 0, 7), 1, 0, 0), 3 },
		{ pkt(IP(10, 1, 0, 2), IP(10, 2, 0, 7), 6, 1000, 22), 3 },   /* /32 beats the port */
		{ pkt(IP(10, 1, 0, 2), IP(10, 2, 0, 9), 6, 1000, 22), 4 },
		{ pkt(IP(10, 1, 0, 2), IP(10, 2, 0, 9), 6, 1000, 23), 2 },
		{ pkt(IP(10, 1, 0, 2), IP(10, 2, 0, 9), 17, 1000, 22), 2 },
		{ pkt(IP(10, 1, 0, 2), IP(10, 9, 0, 9), 1, 0, 0), 1 },
		{ pkt(IP(10, 1, 9, 2), IP(10, 2, 0, 9), 1, 0, 0), 1 },
		{ pkt(IP(10, 3, 0, 2), IP(10, 2, 0, 9), 1, 0, 0), FG_ERR_NOTFOUND },
		{ pkt(IP(10, 1, 0, 2), IP(11, 2, 0, 9), 1, 0, 0), FG_ERR_NOTFOUND },
		{ pkt(IP(10, 1, 0, 2), IP(9, 255, 255, 255), 1, 0, 0), FG_ERR_NOTFOUND },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		CU_ASSERT_EQUAL(spd_lookup(&s, &rows[i].p), rows[i].want);
	CU_ASSERT_EQUAL(spd_del_sa(&s, 3), 1);
	CU_ASSERT_EQUAL(spd_lookup(&s, &rows[0].p), 2);
	CU_ASSERT_EQUAL(spd_del_sa(&s, 3), 0);
	CU_ASSERT_EQUAL(s.n, 3);
}

static void test_newest_wins_among_equals(void)
{
	struct spd s;
	struct spd_pkt p = pkt(IP(10, 1, 0, 2), IP(10, 2, 0, 2), 1, 0, 0);

	spd_init(&s);
	add(&s, any_net(IP(10, 1, 0, 0), IP(10, 1, 0, 255)), any_net(IP(10, 2, 0, 0), IP(10, 2, 0, 255)), 5);
	CU_ASSERT_EQUAL(spd_lookup(&s, &p), 5);
	/* a rekey: same selectors, new SA */
	add(&s, any_net(IP(10, 1, 0, 0), IP(10, 1, 0, 255)), any_net(IP(10, 2, 0, 0), IP(10, 2, 0, 255)), 6);
	CU_ASSERT_EQUAL(spd_lookup(&s, &p), 6);
	CU_ASSERT_EQUAL(spd_del_sa(&s, 6), 1);
	CU_ASSERT_EQUAL(spd_lookup(&s, &p), 5);
	CU_ASSERT_EQUAL(spd_del_sa(&s, 5), 1);
	CU_ASSERT_EQUAL(spd_lookup(&s, &p), FG_ERR_NOTFOUND);
}

static void test_ports_unknown(void)
{
	struct spd_sel sel;
	struct fg_ts a = any_net(IP(10, 1, 0, 0), IP(10, 1, 0, 255));
	struct fg_ts b = net(IP(10, 2, 0, 0), IP(10, 2, 0, 255), 17, 53, 53);
	struct spd_pkt p = pkt(IP(10, 1, 0, 1), IP(10, 2, 0, 1), 17, 999, 53);

	CU_ASSERT_EQUAL_FATAL(spd_sel_from_ts(&a, &b, &sel), 0);
	CU_ASSERT_TRUE(spd_sel_match(&sel, &p));
	p.ports = false;        /* a later fragment: no ports, cannot match */
	CU_ASSERT_FALSE(spd_sel_match(&sel, &p));
	p.ports = true;
	p.dport = 54;
	CU_ASSERT_FALSE(spd_sel_match(&sel, &p));
}

static void test_full(void)
{
	struct spd s;
	struct spd_sel sel = { .src = { 0, 0xffffffff }, .dst = { 0, 0xffffffff },
			       .sport_last = 0xffff, .dport_last = 0xffff };
	unsigned i;

	spd_init(&s);
	for (i = 0; i < SPD_POLICIES_MAX; i++)
		CU_ASSERT_EQUAL_FATAL(spd_add(&s, &sel, i), 0);
	CU_ASSERT_EQUAL(spd_add(&s, &sel, 9999), FG_ERR_FULL);
	CU_ASSERT_EQUAL(spd_del_sa(&s, 17), 1);
	CU_ASSERT_EQUAL(spd_add(&s, &sel, 9999), 0);
}

static void test_pkt_from_ipv4(void)
{
	/* UDP 10.1.0.2:5000 -> 10.2.0.2:53, then the same as a later fragment
	 * and cut before the ports */
	uint8_t b[28] = { 0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 1, 0, 2, 10, 2, 0, 2,
			  0x13, 0x88, 0, 53, 0, 8, 0, 0 };
	struct ipv4_hdr ip;
	struct spd_pkt p;

	ipv4_set_checksum(b);
	CU_ASSERT_EQUAL_FATAL(ipv4_parse(b, sizeof(b), &ip), 0);
	spd_pkt_from_ipv4(b, sizeof(b), &ip, &p);
	CU_ASSERT_TRUE(p.ports);
	CU_ASSERT_EQUAL(p.sport, 5000);
	CU_ASSERT_EQUAL(p.dport, 53);
	CU_ASSERT_EQUAL(p.src, IP(10, 1, 0, 2));
	CU_ASSERT_EQUAL(p.proto, 17);
	ip.frag = 1;            /* offset 8 bytes */
	spd_pkt_from_ipv4(b, sizeof(b), &ip, &p);
	CU_ASSERT_FALSE(p.ports);
	ip.frag = 0;
	ip.total_len = 22;
	spd_pkt_from_ipv4(b, sizeof(b), &ip, &p);
	CU_ASSERT_FALSE(p.ports);
	ip.total_len = 28;
	ip.proto = 1;
	spd_pkt_from_ipv4(b, sizeof(b), &ip, &p);
	CU_ASSERT_FALSE(p.ports);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "sel_from_ts", test_sel_from_ts },
		{ "most_specific_first", test_most_specific_first },
		{ "newest_wins_among_equals", test_newest_wins_among_equals },
		{ "ports_unknown", test_ports_unknown },
		{ "full", test_full },
		{ "pkt_from_ipv4", test_pkt_from_ipv4 },
		{ NULL, NULL },
	};

	unit_add_suite("spd", tests);
	return unit_run("unit-spd");
}
