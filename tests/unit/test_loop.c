/* host/common/loop: timers fire in time order (ties in the order added),
 * cancelled ones never; a timer added by a callback waits for the next
 * round; fds are served when readable and not after removal; tables fill
 * with FG_ERR_FULL. */
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "common/loop.h"
#include "unit.h"

static char order[32];
static size_t norder;
static struct loop *lp;

static void mark(void *ctx)
{
	if (norder < sizeof(order) - 1)
		order[norder++] = *(const char *)ctx;
}

static void test_timer_order(void)
{
	static const char a = 'a', b = 'b', c = 'c', d = 'd';
	uint64_t now = loop_now();
	int id;

	norder = 0;
	memset(order, 0, sizeof(order));
	CU_ASSERT_EQUAL_FATAL(loop_create(&lp), 0);
	CU_ASSERT(loop_add_timer(lp, now + 20, mark, (void *)&c) > 0);
	CU_ASSERT(loop_add_timer(lp, now, mark, (void *)&a) > 0);
	CU_ASSERT(loop_add_timer(lp, now, mark, (void *)&b) > 0);
	id = loop_add_timer(lp, now + 10, mark, (void *)&d);
	CU_ASSERT(id > 0);
	loop_cancel_timer(lp, id);
	loop_cancel_timer(lp, 12345);           /* unknown id: ignored */
	while (norder < 3 && loop_now() < now + 2000)
		CU_ASSERT_EQUAL(loop_run_once(lp, 50), 0);
	CU_ASSERT_STRING_EQUAL(order, "abc");
	loop_free(lp);
}

static void rearm(void *ctx)
{
	mark(ctx);
	if (norder < 3)
		loop_add_timer(lp, 0, rearm, ctx);     /* due at once: next round */
}

static void test_timer_from_callback(void)
{
	static const char x = 'x';

	norder = 0;
	memset(order, 0, sizeof(order));
	CU_ASSERT_EQUAL_FATAL(loop_create(&lp), 0);
	loop_add_timer(lp, 0, rearm, (void *)&x);
	CU_ASSERT_EQUAL(loop_run_once(lp, 0), 0);
	CU_ASSERT_STRING_EQUAL(order, "x");
	CU_ASSERT_EQUAL(loop_run_once(lp, 0), 0);
	CU_ASSERT_EQUAL(loop_run_once(lp, 0), 0);
	CU_ASSERT_EQUAL(loop_run_once(lp, 0), 0);
	CU_ASSERT_STRING_EQUAL(order, "xxx");
	loop_free(lp);
}

static int reads;

static void on_read(void *ctx, int fd)
{
	char buf[16];

	(void)ctx;
	if (read(fd, buf, sizeof(buf)) > 0)
		reads++;
	loop_stop(lp);
}

static void test_fd(void)
{
	int p[2];

	reads = 0;
	CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
	CU_ASSERT_EQUAL_FATAL(loop_create(&lp), 0);
	CU_ASSERT_EQUAL(loop_add_fd(lp, p[0], on_read, NULL), 0);
	CU_ASSERT_EQUAL(loop_add_fd(lp, p[0], on_read, NULL), FG_ERR_EXISTS);
	CU_ASSERT_EQUAL(loop_run_once(lp, 0), 0);       /* nothing yet */
	CU_ASSERT_EQUAL(reads, 0);
	CU_ASSERT_EQUAL(write(p[1], "x", 1), 1);
	CU_ASSERT_EQUAL(loop_run(lp), 0);               /* stops in on_read */
	CU_ASSERT_EQUAL(reads, 1);
	loop_del_fd(lp, p[0]);
	CU_ASSERT_EQUAL(write(p[1], "y", 1), 1);
	CU_ASSERT_EQUAL(loop_run_once(lp, 0), 0);
	CU_ASSERT_EQUAL(reads, 1);
	loop_free(lp);
	close(p[0]);
	close(p[1]);
}

static void test_full(void)
{
	static const char z = 'z';
	int i, rc = 0;

	CU_ASSERT_EQUAL_FATAL(loop_create(&lp), 0);
	for (i = 0; i < LOOP_TIMERS_MAX && rc >= 0; i++)
		rc = loop_add_timer(lp, UINT64_MAX, mark, (void *)&z);
	CU_ASSERT(rc > 0);
	CU_ASSERT_EQUAL(loop_add_timer(lp, UINT64_MAX, mark, (void *)&z), FG_ERR_FULL);
	for (i = 0; i < LOOP_FDS_MAX; i++)
		CU_ASSERT_EQUAL(loop_add_fd(lp, 1000 + i, on_read, NULL), 0);
	CU_ASSERT_EQUAL(loop_add_fd(lp, 999, on_read, NULL), FG_ERR_FULL);
	loop_free(lp);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "timer_order", test_timer_order },
		{ "timer_from_callback", test_timer_from_callback },
		{ "fd", test_fd },
		{ "full", test_full },
		{ NULL, NULL },
	};

	unit_add_suite("loop", tests);
	return unit_run("unit-loop");
}
