#include "common/loop.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/err.h"
#include "common/log.h"

struct loop_fd {
	int fd;
	loop_fd_fn fn;
	void *ctx;
};

struct loop_timer {
	int id;                 /* 0: free slot */
	uint64_t at, seq;
	loop_timer_fn fn;
	void *ctx;
};

struct loop {
	unsigned nfds;
	struct loop_fd fds[LOOP_FDS_MAX];
	struct loop_timer timers[LOOP_TIMERS_MAX];
	int next_id;
	uint64_t seq;
	bool stop;
};

uint64_t loop_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int loop_create(struct loop **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : FG_ERR_NOMEM;
}

void loop_free(struct loop *l)
{
	free(l);
}

int loop_add_fd(struct loop *l, int fd, loop_fd_fn fn, void *ctx)
{
	unsigned i;

	for (i = 0; i < l->nfds; i++)
		if (l->fds[i].fd == fd)
			return FG_ERR_EXISTS;
	if (l->nfds >= LOOP_FDS_MAX)
		return FG_ERR_FULL;
	l->fds[l->nfds++] = (struct loop_fd){ fd, fn, ctx };
	return 0;
}

void loop_del_fd(struct loop *l, int fd)
{
	unsigned i;

	for (i = 0; i < l->nfds; i++) {
		if (l->fds[i].fd == fd) {
			l->fds[i] = l->fds[--l->nfds];
			return;
		}
	}
}

int loop_add_timer(struct loop *l, uint64_t at_ms, loop_timer_fn fn, void *ctx)
{
	unsigned i;

	for (i = 0; i < LOOP_TIMERS_MAX; i++) {
		if (!l->timers[i].id) {
			if (++l->next_id <= 0)
				l->next_id = 1;
			l->timers[i] = (struct loop_timer){ l->next_id, at_ms, ++l->seq, fn, ctx };
			return l->next_id;
		}
	}
	return FG_ERR_FULL;
}

void loop_cancel_timer(struct loop *l, int id)
{
	unsigned i;

	for (i = 0; i < LOOP_TIMERS_MAX && id > 0; i++)
		if (l->timers[i].id == id)
			l->timers[i].id = 0;
}

/* The earliest due timer (ties: the first added), or NULL. */
static struct loop_timer *next_timer(struct loop *l)
{
	struct loop_timer *best = NULL;
	unsigned i;

	for (i = 0; i < LOOP_TIMERS_MAX; i++) {
		struct loop_timer *t = &l->timers[i];

		if (t->id && (!best || t->at < best->at || (t->at == best->at && t->seq < best->seq)))
			best = t;
	}
	return best;
}

int loop_run_once(struct loop *l, int max_wait_ms)
{
	struct pollfd pfd[LOOP_FDS_MAX];
	struct loop_fd snap[LOOP_FDS_MAX];
	struct loop_timer *t;
	uint64_t now = loop_now();
	unsigned i, n = l->nfds;
	int wait = max_wait_ms, rc;

	t = next_timer(l);
	if (t) {
		int until = t->at <= now ? 0 : (int)(t->at - now > 60000 ? 60000 : t->at - now);

		if (wait < 0 || until < wait)
			wait = until;
	}
	for (i = 0; i < n; i++) {
		snap[i] = l->fds[i];
		pfd[i] = (struct pollfd){ .fd = snap[i].fd, .events = POLLIN };
	}
	rc = poll(pfd, n, wait);
	if (rc < 0 && errno != EINTR) {
		fg_err("event loop: poll failed: %s", strerror(errno));
		return FG_ERR_IO;
	}
	/* timers due now, in order; ones added meanwhile wait for the next round */
	now = loop_now();
	{
		uint64_t limit = l->seq;

		while ((t = next_timer(l)) && t->at <= now && t->seq <= limit) {
			loop_timer_fn fn = t->fn;
			void *ctx = t->ctx;

			t->id = 0;
			fn(ctx);
		}
	}
	for (i = 0; rc > 0 && i < n; i++) {
		unsigned j;
		bool still = false;

		if (!(pfd[i].revents & (POLLIN | POLLERR | POLLHUP)))
			continue;
		for (j = 0; j < l->nfds; j++)   /* skip fds removed by a callback */
			if (l->fds[j].fd == snap[i].fd && l->fds[j].fn == snap[i].fn)
				still = true;
		if (still)
			snap[i].fn(snap[i].ctx, snap[i].fd);
	}
	return 0;
}

int loop_run(struct loop *l)
{
	int rc = 0;

	l->stop = false;
	while (!l->stop && !rc)
		rc = loop_run_once(l, -1);
	return rc;
}

void loop_stop(struct loop *l)
{
	l->stop = true;
}
