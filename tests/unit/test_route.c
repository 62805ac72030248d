/* host/net/route: the pure helpers (prefix of a range, local source
 * lookup); adding and removing routes needs CAP_NET_ADMIN and is covered
 * by tests/system/tunnel.sh. */
#include "common/err.h"
#include "net/route.h"
#include "unit.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static void test_prefix(void)
{
	static const struct {
		uint32_t first, last;
		int rc;
		uint32_t dst;
		unsigned plen;
	} rows[] = {
		{ IP(10, 2, 0, 0), IP(10, 2, 0, 255), 0, IP(10, 2, 0, 0), 24 },
		{ IP(10, 2, 0, 7), IP(10, 2, 0, 7), 0, IP(10, 2, 0, 7), 32 },
		{ IP(10, 0, 0, 0), IP(10, 255, 255, 255), 0, IP(10, 0, 0, 0), 8 },
		{ 0, 0xffffffff, 0, 0, 0 },
		{ IP(10, 2, 0, 4), IP(10, 2, 0, 5), 0, IP(10, 2, 0, 4), 31 },
		{ IP(10, 2, 0, 1), IP(10, 2, 0, 255), FG_ERR_INVAL, 0, 0 },   /* not aligned */
		{ IP(10, 2, 0, 0), IP(10, 2, 0, 254), FG_ERR_INVAL, 0, 0 },   /* not 2^n */
		{ IP(10, 2, 0, 2), IP(10, 2, 0, 5), FG_ERR_INVAL, 0, 0 },
		{ IP(10, 2, 0, 9), IP(10, 2, 0, 8), FG_ERR_INVAL, 0, 0 },     /* reversed */
		{ IP(10, 2, 0, 128), IP(10, 2, 1, 127), FG_ERR_INVAL, 0, 0 }, /* straddles */
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint32_t dst = 0x12345678;
		unsigned plen = 99;
		int rc = route_prefix(rows[i].first, rows[i].last, &dst, &plen);

		CU_ASSERT_EQUAL(rc, rows[i].rc);
		if (!rc && !rows[i].rc) {
			CU_ASSERT_EQUAL(dst, rows[i].dst);
			CU_ASSERT_EQUAL(plen, rows[i].plen);
		}
	}
}

static void test_local_src(void)
{
	uint32_t src = 0;

	/* every Linux host has 127.0.0.1 on lo */
	CU_ASSERT_EQUAL(route_local_src(IP(127, 0, 0, 0), IP(127, 255, 255, 255), &src), 0);
	CU_ASSERT_EQUAL(src >> 24, 127);
	/* TEST-NET-3 is never configured by the test machines */
	CU_ASSERT_EQUAL(route_local_src(IP(203, 0, 113, 250), IP(203, 0, 113, 250), &src),
			FG_ERR_NOTFOUND);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "prefix", test_prefix },
		{ "local_src", test_local_src },
		{ NULL, NULL },
	};

	unit_add_suite("route", tests);
	return unit_run("unit-route");
}
