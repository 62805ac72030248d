/*
 * A single-threaded poll() event loop with one-shot timers. Callbacks run
 * in the loop's thread; a callback may add or cancel fds and timers (also
 * its own). Times are milliseconds of CLOCK_MONOTONIC. The loop holds fixed
 * tables (no allocation after loop_create()).
 */
#ifndef FGATE_COMMON_LOOP_H
#define FGATE_COMMON_LOOP_H

#include <stdbool.h>
#include <stdint.h>

enum loop_limits {
	LOOP_FDS_MAX = 32,
	LOOP_TIMERS_MAX = 128,
};

struct loop;

typedef void (*loop_fd_fn)(void *ctx, int fd);
typedef void (*loop_timer_fn)(void *ctx);

int loop_create(struct loop **out);
void loop_free(struct loop *l);
uint64_t loop_now(void);

/* Calls fn when fd is readable. FG_ERR_FULL, FG_ERR_EXISTS. */
int loop_add_fd(struct loop *l, int fd, loop_fd_fn fn, void *ctx);
void loop_del_fd(struct loop *l, int fd);
/* Calls fn once at (or after) at_ms; returns a timer id > 0 or FG_ERR_FULL.
 * Timers due at the same time fire in the order they were added. */
int loop_add_timer(struct loop *l, uint64_t at_ms, loop_timer_fn fn, void *ctx);
void loop_cancel_timer(struct loop *l, int id);

/* One round: waits up to max_wait_ms (-1: until the next timer or fd),
 * runs due timers and ready fds. Returns 0 or FG_ERR_IO. */
int loop_run_once(struct loop *l, int max_wait_ms);
/* Runs rounds until loop_stop(). */
int loop_run(struct loop *l);
void loop_stop(struct loop *l);

#endif
