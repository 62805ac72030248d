/* host/sa/sad: slot allocation, inbound lookup by SPI + protocol +
 * destination, duplicates, exhaustion, removal, wire formats. */
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "sa/sad.h"
#include "unit.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static struct sad_sa mk(uint32_t spi_in, uint32_t spi_out)
{
	struct sad_sa sa = { .encap = true, .local = IP(192, 0, 2, 1),
			     .remote = IP(192, 0, 2, 2), .remote_port = 4500,
			     .spi_in = spi_in, .spi_out = spi_out };

	snprintf(sa.name, sizeof(sa.name), "test %08x", spi_in);
	return sa;
}

static void test_add_find_del(void)
{
	static struct sad s;
	struct sad_sa a = mk(0x1000, 0x2000), b = mk(0x1001, 0x2001);
	struct sad_entry *e;
	unsigned ia, ib;

	sad_init(&s, 16);
	CU_ASSERT_EQUAL_FATAL(sad_add(&s, &a, &ia), 0);
	CU_ASSERT_EQUAL_FATAL(sad_add(&s, &b, &ib), 0);
	CU_ASSERT_NOT_EQUAL(ia, ib);
	CU_ASSERT_EQUAL(sad_count(&s), 2);
	e = sad_find_in(&s, false, 0x1001, IP(192, 0, 2, 1));
	CU_ASSERT_PTR_EQUAL(e, sad_get(&s, ib));
	/* four distinct slots */
	CU_ASSERT_NOT_EQUAL(e->slot_in, e->slot_out);
	CU_ASSERT_NOT_EQUAL(sad_get(&s, ia)->slot_in, e->slot_in);
	CU_ASSERT_NOT_EQUAL(sad_get(&s, ia)->slot_out, e->slot_in);
	CU_ASSERT_NOT_EQUAL(sad_get(&s, ia)->slot_in, e->slot_out);
	/* wrong protocol, destination or SPI: nothing */
	CU_ASSERT_PTR_NULL(sad_find_in(&s, true, 0x1001, IP(192, 0, 2, 1)));
	CU_ASSERT_PTR_NULL(sad_find_in(&s, false, 0x1001, IP(192, 0, 2, 9)));
	CU_ASSERT_PTR_NULL(sad_find_in(&s, false, 0x2001, IP(192, 0, 2, 1)));
	CU_ASSERT_EQUAL(sad_find_pair(&s, false, 0x1000, 0x2000), (int)ia);
	CU_ASSERT_EQUAL(sad_find_pair(&s, false, 0x1000, 0x2001), FG_ERR_NOTFOUND);
	/* the same inbound SPI again */
	CU_ASSERT_EQUAL(sad_add(&s, &a, &ia), FG_ERR_EXISTS);
	sad_del(&s, ia);
	CU_ASSERT_PTR_NULL(sad_get(&s, ia));
	CU_ASSERT_PTR_NULL(sad_find_in(&s, false, 0x1000, IP(192, 0, 2, 1)));
	CU_ASSERT_EQUAL(sad_count(&s), 1);
	sad_del(&s, ia);                /* twice: harmless */
	sad_del(&s, SAD_ENTRIES_MAX + 5);
	CU_ASSERT_PTR_NULL(sad_get(&s, SAD_ENTRIES_MAX));
}

static void test_wire_cfg(void)
{
	static struct sad s;
	struct sad_sa a = mk(1, 2);
	struct sad_entry *e;
	unsigned i;

	sad_init(&s, 4);
	CU_ASSERT_EQUAL_FATAL(sad_add(&s, &a, &i), 0);
	e = sad_get(&s, i);
	CU_ASSERT_TRUE(e->wire_out.udp_encap);
	CU_ASSERT_EQUAL(e->wire_out.src, IP(192, 0, 2, 1));
	CU_ASSERT_EQUAL(e->wire_out.dst, IP(192, 0, 2, 2));
	CU_ASSERT_EQUAL(e->wire_in.src, IP(192, 0, 2, 2));
	CU_ASSERT_EQUAL(e->wire_in.dst, IP(192, 0, 2, 1));
	CU_ASSERT_EQUAL(esp_wire_cfg_check(&e->wire_out), 0);
	a = mk(3, 4);
	a.ah = true;            /* AH cannot be UDP-encapsulated */
	CU_ASSERT_EQUAL(sad_add(&s, &a, &i), FG_ERR_INVAL);
}

static void test_slots_run_out(void)
{
	static struct sad s;
	struct sad_sa a;
	unsigned i, idx[3];

	sad_init(&s, 5);        /* room for two pairs */
	for (i = 0; i < 2; i++) {
		a = mk(10 + i, 20 + i);
		CU_ASSERT_EQUAL_FATAL(sad_add(&s, &a, &idx[i]), 0);
	}
	a = mk(30, 40);
	CU_ASSERT_EQUAL(sad_add(&s, &a, &idx[2]), FG_ERR_FULL);
	CU_ASSERT_EQUAL(sad_count(&s), 2);
	sad_del(&s, idx[0]);
	CU_ASSERT_EQUAL(sad_add(&s, &a, &idx[2]), 0);
	CU_ASSERT_TRUE(sad_get(&s, idx[2])->slot_in < 5 && sad_get(&s, idx[2])->slot_out < 5);
	/* a device larger than the bitmap is capped */
	sad_init(&s, 100000);
	CU_ASSERT_EQUAL(s.nslots, SAD_SLOTS_MAX);
	sad_init(&s, 0);
	a = mk(1, 2);
	CU_ASSERT_EQUAL(sad_add(&s, &a, &idx[0]), FG_ERR_FULL);
}

static void test_entries_run_out(void)
{
	static struct sad s;
	struct sad_sa a;
	unsigned i, idx;

	sad_init(&s, SAD_SLOTS_MAX);
	for (i = 0; i < SAD_ENTRIES_MAX; i++) {
		a = mk(0x100 + i, 0x900 + i);
		CU_ASSERT_EQUAL_FATAL(sad_add(&s, &a, &idx), 0);
	}
	a = mk(0x5000, 0x6000);
	CU_ASSERT_EQUAL(sad_add(&s, &a, &idx), FG_ERR_FULL);
	/* every one still found */
	for (i = 0; i < SAD_ENTRIES_MAX; i++)
		CU_ASSERT_PTR_NOT_NULL(sad_find_in(&s, false, 0x100 + i, IP(192, 0, 2, 1)));
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "add_find_del", test_add_find_del },
		{ "wire_cfg", test_wire_cfg },
		{ "slots_run_out", test_slots_run_out },
		{ "entries_run_out", test_entries_run_out },
		{ NULL, NULL },
	};

	unit_add_suite("sad", tests);
	return unit_run("unit-sad");
}
