/*
 * Soft device: the result ring and the worker threads that transform its
 * packets, one per online CPU (struct soft_pool in soft_priv.h says who
 * owns what). The caller's thread parses frames and queues packets here;
 * workers take the oldest queued packet, whatever its SA (an ENCAP's
 * sequence number was given at queueing, a DECAP's anti-replay check waits
 * for its retire); results are retired (replay-checked, framed and
 * counted) and read back in request order.
 * A caller that must wait for a result runs a runnable packet itself
 * first.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "offload/soft_priv.h"

enum {
	IN_BYTES = FGP_MAX_PAYLOAD,
	SLOT_BYTES = IN_BYTES + FRAME_RESULT_MAX,
	/* Sleeping workers are woken once this many packets wait, or when
	 * the caller waits for a result: small packets then cost one wake-up
	 * per batch, not one per packet. */
	WAKE_BATCH = 8,
};

static struct soft_slot *at(struct soft_pool *p, uint64_t n)
{
	return &p->slots[n % SOFT_RING];
}

/* ---- workers ---- */

/* The oldest queued slot, or NULL. Called with the lock held. */
static struct soft_slot *runnable(struct soft_pool *p)
{
	uint64_t n;

	if (!p->pending)
		return NULL;
	for (n = p->retired; n < p->tail; n++)
		if (at(p, n)->state == SLOT_QUEUED)
			return at(p, n);
	return NULL;
}

/* Runs one runnable slot: called and returns with the lock held, which
 * is dropped around the transform. */
static void run(struct soft_pool *p, struct soft_slot *s)
{
	s->state = SLOT_RUNNING;
	pthread_mutex_unlock(&p->lock);

	soft_packet(s);

	pthread_mutex_lock(&p->lock);
	s->state = SLOT_DONE;
	p->pending--;
	/* The caller waits only for the oldest result, or for all. */
	if (s == at(p, p->retired) || !p->pending)
		pthread_cond_broadcast(&p->done);
}

static void *worker(void *arg)
{
	struct soft_pool *p = arg;
	struct soft_slot *s = NULL;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->stop && !(s = runnable(p))) {
			p->idle++;
			pthread_cond_wait(&p->work, &p->lock);
			p->idle--;
		}
		if (p->stop)
			break;
		run(p, s);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* The caller, about to wait for results, runs a packet itself when one is
 * runnable (its core works instead of sleeping). Lock held; returns false
 * when there was none. */
static bool help(struct soft_pool *p)
{
	struct soft_slot *s = runnable(p);

	if (!s)
		return false;
	run(p, s);
	return true;
}

/* Wakes the sleeping workers when packets wait. Lock held. */
static void wake(struct soft_pool *p)
{
	if (p->pending && p->idle)
		pthread_cond_broadcast(&p->work);
}

/* ---- retiring and reading ---- */

/* Frames a done result, a DECAP checked against its replay window first:
 * a failed result carries no payload and AUX 0; padding is zero. Counts
 * it as the serial device counted each result as it left (STATS.MALFORMED,
 * FRAMES_OUT, the SA's counters). */
static void retire_one(struct soft_device *d, struct soft_slot *s)
{
	size_t len;

	/* A DECAP's anti-replay check, in request order: a sequence number
	 * already seen (or left of the window) is REPLAY whatever else the
	 * packet did wrong after it; an authentic one moves the window. */
	if (s->sa && s->replay_check) {
		if (replay_check(&s->sa->replay, s->seq))
			s->res.status = FGP_STATUS_REPLAY;
		else if (s->authentic)
			replay_update(&s->sa->replay, s->seq);
	}
	len = s->res_len;
	if (s->res.status != FGP_STATUS_OK) {
		len = 0;
		s->res.aux = 0;
	}
	if (s->res.status == FGP_STATUS_MALFORMED)
		d->stats.malformed++;
	if (s->sa)
		soft_sa_count(s->sa, s->res.status, s->bytes);
	s->res.length = (uint16_t)len;
	s->res_len = len;
	frame_hdr_put(s->frame, &s->res);
	memset(s->frame + FRAME_HDR + len, 0, frame_padded(len) - len);
	d->stats.frames_out++;
}

/* Retires the done slots at the front. Called with the lock held; the
 * slots it frames are done, so no worker touches them. */
static void retire_ready(struct soft_device *d)
{
	struct soft_pool *p = &d->pool;

	while (p->retired < p->tail && at(p, p->retired)->state == SLOT_DONE)
		retire_one(d, at(p, p->retired++));
}

void soft_pool_barrier(struct soft_device *d)
{
	struct soft_pool *p = &d->pool;

	pthread_mutex_lock(&p->lock);
	wake(p);
	while (p->pending)
		if (!help(p))
			pthread_cond_wait(&p->done, &p->lock);
	retire_ready(d);
	pthread_mutex_unlock(&p->lock);
}

size_t soft_pool_read(struct soft_device *d, uint8_t *buf, size_t max)
{
	struct soft_pool *p = &d->pool;
	size_t got = 0, n, size;
	struct soft_slot *s;

	pthread_mutex_lock(&p->lock);
	retire_ready(d);
	wake(p);
	while (p->head == p->retired && p->retired < p->tail) {
		if (!help(p))
			pthread_cond_wait(&p->done, &p->lock);
		retire_ready(d);
	}
	pthread_mutex_unlock(&p->lock);
	/* [head, retired) and head are the caller's: no worker looks at
	 * them (struct soft_pool). */
	while (got < max && p->head < p->retired) {
		s = at(p, p->head);
		size = frame_size(s->res_len);
		n = size - p->head_off;
		if (n > max - got)
			n = max - got;
		memcpy(buf + got, s->frame + p->head_off, n);
		got += n;
		p->head_off += n;
		if (p->head_off == size) {
			p->head_off = 0;
			s->state = SLOT_FREE;
			p->head++;
		}
	}
	return got;
}

void soft_pool_wait(struct soft_device *d, int timeout_ms)
{
	struct soft_pool *p = &d->pool;
	struct timespec until;

	if (timeout_ms <= 0) {
		pthread_mutex_lock(&p->lock);
		wake(p);
		pthread_mutex_unlock(&p->lock);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&p->lock);
	wake(p);
	while (p->pending && at(p, p->retired)->state != SLOT_DONE)
		if (pthread_cond_timedwait(&p->done, &p->lock, &until) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&p->lock);
}

/* ---- filling ---- */

bool soft_pool_room(struct soft_device *d)
{
	/* head and tail move only in the caller's thread. */
	return d->pool.tail - d->pool.head < SOFT_RING;
}

struct soft_slot *soft_pool_next(struct soft_device *d)
{
	return at(&d->pool, d->pool.tail);
}

void soft_pool_finish(struct soft_device *d)
{
	struct soft_pool *p = &d->pool;

	pthread_mutex_lock(&p->lock);
	at(p, p->tail)->state = SLOT_DONE;
	p->tail++;
	pthread_mutex_unlock(&p->lock);
}

void soft_pool_queue(struct soft_device *d)
{
	struct soft_pool *p = &d->pool;

	pthread_mutex_lock(&p->lock);
	at(p, p->tail)->state = SLOT_QUEUED;
	p->tail++;
	p->pending++;
	if (p->pending >= WAKE_BATCH)
		wake(p);
	pthread_mutex_unlock(&p->lock);
}

/* ---- start, stop ---- */

static size_t worker_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > SOFT_WORKERS_MAX ? SOFT_WORKERS_MAX : (size_t)n;
}

int soft_pool_start(struct soft_device *d)
{
	struct soft_pool *p = &d->pool;
	size_t i, want = worker_count();
	int rc;

	p->mem = calloc(SOFT_RING, SLOT_BYTES);
	if (!p->mem)
		return FG_ERR_NOMEM;
	for (i = 0; i < SOFT_RING; i++) {
		p->slots[i].in = p->mem + i * SLOT_BYTES;
		p->slots[i].frame = p->slots[i].in + IN_BYTES;
	}
	if (pthread_mutex_init(&p->lock, NULL)) {
		free(p->mem);
		p->mem = NULL;
		return FG_ERR_NOMEM;
	}
	if (pthread_cond_init(&p->work, NULL))
		goto out_lock;
	if (pthread_cond_init(&p->done, NULL))
		goto out_work;
	for (i = 0; i < want; i++) {
		rc = pthread_create(&p->threads[i], NULL, worker, p);
		if (rc) {
			fg_warn("soft device: worker thread %zu of %zu not started: %s", i + 1, want,
				strerror(rc));
			break;
		}
		p->nthreads++;
	}
	if (p->nthreads)
		return 0;
	pthread_cond_destroy(&p->done);
out_work:
	pthread_cond_destroy(&p->work);
out_lock:
	pthread_mutex_destroy(&p->lock);
	free(p->mem);
	p->mem = NULL;
	return FG_ERR_NOMEM;
}

void soft_pool_stop(struct soft_device *d)
{
	struct soft_pool *p = &d->pool;
	size_t i;

	if (!p->mem)
		return;
	soft_pool_barrier(d);
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->lock);
	crypto_wipe(p->mem, (size_t)SOFT_RING * SLOT_BYTES);    /* plaintext */
	free(p->mem);
	p->mem = NULL;
}
