/* host/sa/replay: the anti-replay window, table-driven like WireGuard's
 * counter selftest (drivers/net/wireguard/selftest/counter.c): each row
 * offers one sequence number; the window records it when the check passes,
 * as the device does after the ICV verified. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "sa/replay.h"
#include "unit.h"

enum { OK = 0, DUP = FG_ERR_EXISTS, OLD = FG_ERR_RANGE };

struct row {
	uint32_t seq;
	int want;
};

/* Runs rows through a fresh window; on failure names the row. */
static void run(unsigned window, const struct row *rows, size_t n)
{
	struct replay r;
	size_t i;
	int got;

	CU_ASSERT_EQUAL_FATAL(replay_init(&r, window), 0);
	for (i = 0; i < n; i++) {
		got = replay_check(&r, rows[i].seq);
		if (got != rows[i].want) {
			CU_FAIL("replay row mismatch");
			fprintf(stderr, "window %u row %zu: seq %u gave %d, want %d\n", window, i,
				rows[i].seq, got, rows[i].want);
		}
		if (got == 0)
			replay_update(&r, rows[i].seq);
	}
}

static void test_window_64(void)
{
	enum { W = 64 };
	static const struct row rows[] = {
		{ 0, OLD },             /* never sent (RFC 4303 3.3.3) */
		{ 1, OK },
		{ 1, DUP },
		{ 9, OK },
		{ 8, OK },
		{ 7, OK },
		{ 7, DUP },
		{ W, OK },              /* 1 is now at the left edge */
		{ 1, DUP },
		{ W - 1, OK },
		{ W - 1, DUP },
		{ W - 2, OK },
		{ 2, OK },
		{ 2, DUP },
		{ W + 1, OK },          /* 1 falls off the window */
		{ 1, OLD },
		{ 2, DUP },
		{ 3, OK },
		{ 3, DUP },
		{ W + 16, OK },
		{ 16, OLD },            /* top - 64 */
		{ 17, OK },             /* top - 63 */
		{ 17, DUP },
		{ W * 4, OK },          /* a jump wider than the window */
		{ W * 4 - (W - 1), OK },
		{ 10, OLD },
		{ W * 4 - W, OLD },
		{ W * 4 - (W + 1), OLD },
		{ W * 4 - (W - 2), OK },
		{ W * 4 - (W - 1), DUP },
		{ W * 4, DUP },
		{ W * 4 + 1, OK },
		{ W * 4 + 1 - W, OLD },
		{ 0, OLD },
		{ UINT32_MAX, OK },     /* no ESN: the last number there is */
		{ UINT32_MAX, DUP },
		{ UINT32_MAX - (W - 1), OK },
		{ UINT32_MAX - W, OLD },
		{ UINT32_MAX - 1, OK },
		{ UINT32_MAX - 1, DUP },
		{ W * 4 + 2, OLD },
	};

	run(W, rows, sizeof(rows) / sizeof(rows[0]));
}

static void test_window_32(void)
{
	static const struct row rows[] = {
		{ 5, OK }, { 40, OK }, { 9, OK }, { 8, OLD }, { 9, DUP }, { 39, OK },
		{ 41, OK }, { 9, OLD }, { 10, OK }, { 72, OK }, { 40, OLD }, { 41, DUP },
		{ 42, OK }, { 42, DUP }, { 100, OK }, { 69, OK }, { 68, OLD },
	};

	run(32, rows, sizeof(rows) / sizeof(rows[0]));
}

static void test_window_1(void)
{
	static const struct row rows[] = {
		{ 1, OK }, { 1, DUP }, { 3, OK }, { 2, OLD }, { 3, DUP }, { 4, OK },
		{ 1000, OK }, { 999, OLD }, { 1000, DUP },
	};

	run(1, rows, sizeof(rows) / sizeof(rows[0]));
}

/* Window 0: anti-replay off, everything passes, the top still moves. */
static void test_window_off(void)
{
	static const struct row rows[] = {
		{ 0, OK }, { 5, OK }, { 5, OK }, { 1, OK }, { UINT32_MAX, OK }, { 3, OK },
	};
	struct replay r;

	run(0, rows, sizeof(rows) / sizeof(rows[0]));
	CU_ASSERT_EQUAL(replay_init(&r, 0), 0);
	replay_update(&r, 7);
	replay_update(&r, 3);
	CU_ASSERT_EQUAL(r.top, 7);
	CU_ASSERT_EQUAL(replay_check(&r, 7), 0);
}

/* The check alone never moves the window: a forged packet (check passed,
 * ICV failed, no update) leaves the number free for the real one. */
static void test_check_changes_nothing(void)
{
	struct replay r, before;

	CU_ASSERT_EQUAL(replay_init(&r, 64), 0);
	replay_update(&r, 10);
	before = r;
	CU_ASSERT_EQUAL(replay_check(&r, 200), 0);
	CU_ASSERT_EQUAL(replay_check(&r, 5), 0);
	CU_ASSERT_EQUAL(replay_check(&r, 10), DUP);
	CU_ASSERT_EQUAL(r.top, before.top);
	CU_ASSERT_EQUAL(r.bitmap, before.bitmap);
	CU_ASSERT_EQUAL(replay_check(&r, 200), 0);
	replay_update(&r, 200);
	CU_ASSERT_EQUAL(r.top, 200);
	CU_ASSERT_EQUAL(replay_check(&r, 200), DUP);
	CU_ASSERT_EQUAL(replay_check(&r, 10), OLD);
}

static void test_init_limits(void)
{
	struct replay r;

	CU_ASSERT_EQUAL(replay_init(&r, REPLAY_MAX), 0);
	CU_ASSERT_EQUAL(r.window, REPLAY_MAX);
	CU_ASSERT_EQUAL(replay_init(&r, REPLAY_MAX + 1), FG_ERR_RANGE);
	CU_ASSERT_EQUAL(r.window, 0);
	CU_ASSERT_EQUAL(replay_init(&r, 65535), FG_ERR_RANGE);
	CU_ASSERT_EQUAL(r.top, 0);
	CU_ASSERT_EQUAL(r.bitmap, 0);
}

/* Every window size against a brute-force model: a set of seen numbers. */
static void test_against_model(void)
{
	enum { N = 300 };
	static uint8_t seen[N + 1];
	uint32_t x = 12345, seq;
	unsigned w, i, top;
	struct replay r;
	int want, got, bad = 0;

	for (w = 1; w <= REPLAY_MAX; w++) {
		CU_ASSERT_EQUAL_FATAL(replay_init(&r, w), 0);
		memset(seen, 0, sizeof(seen));
		top = 0;
		for (i = 0; i < 2000; i++) {
			x = x * 1103515245 + 12345;
			seq = (x >> 8) % (N + 1);
			if (seq == 0 || (top >= w && seq <= top - w))
				want = OLD;
			else
				want = seen[seq] ? DUP : OK;
			got = replay_check(&r, seq);
			bad += got != want;
			if (got == 0) {
				replay_update(&r, seq);
				seen[seq] = 1;
				if (seq > top)
					top = seq;
			}
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "window of 64", test_window_64 },
		{ "window of 32", test_window_32 },
		{ "window of 1", test_window_1 },
		{ "window off", test_window_off },
		{ "check changes nothing", test_check_changes_nothing },
		{ "init limits", test_init_limits },
		{ "every window size against a model", test_against_model },
		{ NULL, NULL },
	};

	unit_add_suite("anti-replay window", tests);
	return unit_run("unit-replay");
}
