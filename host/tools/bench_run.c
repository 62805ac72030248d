/*
 * One fgate-bench row: SAs loaded with random keys, packets pushed through
 * the offload API with up to OFFLOAD_INFLIGHT_MAX in flight, spread round
 * robin over the SAs, and every result checked.
 *
 * encap: timed ENCAP of n packets (outbound SA i % sas), then an untimed
 *        DECAP of every result through the inbound twin, which must give
 *        the original payload and next header back.
 * decap: untimed ENCAP to prepare n ESP packets, then timed DECAP of them,
 *        checked against the originals.
 * The payloads come from a pool of POOL random packets (packet i uses
 * entry i % POOL, its IV included); ESP results are kept per packet.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/err.h"
#include "crypto/crypto.h"
#include "tools/bench.h"

enum {
	POOL = 256,
	COLLECT_BATCH = OFFLOAD_INFLIGHT_MAX,
	COLLECT_TIMEOUT_MS = 120000,    /* a simulated device is slow, not hung */
	PROGRESS_EVERY = 256,
	SPI_BASE = 0x1000,
	TDES_KEY = 24,
	SHA1_KEY = 20,
	REPLAY_WINDOW = 64,
	ESP_OVERHEAD = 64,              /* SPI, seq, IV, pad, trailer, ICV; rounded up */
};

/* Everything one row needs; freed by run_free(). */
struct run {
	struct offload *o;
	enum bench_op op;
	size_t size;
	unsigned sas;
	unsigned long n;
	const struct bench_progress *prog;
	uint8_t *pool;                  /* POOL x (IV | payload) */
	uint8_t *store;                 /* n x stride: ESP packets */
	uint32_t *len;                  /* per packet: bytes in store */
	size_t stride;
};

const char *bench_op_name(enum bench_op op)
{
	return op == BENCH_ENCAP ? "encap" : "decap";
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *label(const struct run *r)
{
	return offload_backend(r->o);
}

static int load_sas(struct run *r, const struct offload_caps *caps)
{
	struct offload_sa sa;
	enum fgp_status st = FGP_STATUS_OK;
	unsigned i;
	int rc = 0;

	if (2u * r->sas > caps->sa_entries) {
		fprintf(stderr, "fgate-bench: %s: %u SAs and their inbound twins need %u slots, the"
			" device has %u\n", label(r), r->sas, 2 * r->sas, caps->sa_entries);
		return FG_ERR_RANGE;
	}
	for (i = 0; i < r->sas && !rc; i++) {
		memset(&sa, 0, sizeof(sa));
		sa.index = (uint16_t)i;
		sa.cipher = FGP_CIPHER_TDES_CBC;
		sa.auth = FGP_AUTH_HMAC_SHA1;
		sa.spi = SPI_BASE + i;
		sa.seq = 1;
		sa.cipher_key_len = TDES_KEY;
		sa.auth_key_len = SHA1_KEY;
		rc = crypto_random(sa.cipher_key, TDES_KEY);
		if (!rc)
			rc = crypto_random(sa.auth_key, SHA1_KEY);
		if (!rc)
			rc = offload_sa_load(r->o, &sa, &st);
		if (!rc) {
			sa.index = (uint16_t)(r->sas + i);
			sa.inbound = true;
			sa.seq = 0;
			sa.replay_window = caps->replay_max < REPLAY_WINDOW ?
					   (uint16_t)caps->replay_max : REPLAY_WINDOW;
			rc = offload_sa_load(r->o, &sa, &st);
		}
		if (rc)
			fprintf(stderr, "fgate-bench: %s: loading SA %u: %s (status %s)\n", label(r),
				sa.index, fg_err_name(rc), fgp_status_name(st));
	}
	crypto_wipe(&sa, sizeof(sa));
	return rc;
}

static const uint8_t *plain(const struct run *r, unsigned long i)
{
	return r->pool + (i % POOL) * (BENCH_IV + r->size);
}

/* Checks one result and keeps what the next pass needs. */
static int handle(struct run *r, enum fgp_type type, const struct offload_result *res)
{
	unsigned long i = res->tag;
	const char *what = type == FGP_TYPE_ENCAP ? "encap" : "decap";

	if (i >= r->n || res->type != type) {
		fprintf(stderr, "fgate-bench: %s: unexpected %s result tag %lu\n", label(r),
			fgp_type_name(res->type), i);
		return FG_ERR_STATE;
	}
	if (res->status != FGP_STATUS_OK) {
		fprintf(stderr, "fgate-bench: %s %s %zu B: packet %lu (sa %u) failed: %s\n",
			label(r), what, r->size, i, res->sa, fgp_status_name(res->status));
		return FG_ERR_AUTH;
	}
	if (type == FGP_TYPE_ENCAP) {
		/* Sequence numbers count per SA in submission order from 1. */
		if (res->aux != i / r->sas + 1 || res->len > r->stride) {
			fprintf(stderr, "fgate-bench: %s encap %zu B: packet %lu (sa %u) got sequence"
				" %u (want %lu), %zu bytes\n", label(r), r->size, i, res->sa,
				res->aux, i / r->sas + 1, res->len);
			return FG_ERR_AUTH;
		}
		memcpy(r->store + i * r->stride, res->data, res->len);
		r->len[i] = (uint32_t)res->len;
		return 0;
	}
	if (res->len != r->size || res->aux != BENCH_NEXT_HEADER ||
	    memcmp(res->data, plain(r, i) + BENCH_IV, r->size)) {
		fprintf(stderr, "fgate-bench: %s decap %zu B: packet %lu (sa %u): got %zu bytes, next"
			" header %u: not the original\n", label(r), r->size, i, res->sa, res->len,
			res->aux);
		return FG_ERR_AUTH;
	}
	return 0;
}

/* Pushes packets 0..n-1 through as type, keeping the device full. */
static int pass(struct run *r, enum fgp_type type, const char *phase)
{
	struct offload_result res[COLLECT_BATCH];
	unsigned long next = 0, done = 0, shown = 0;
	int k, j, rc;

	while (done < r->n) {
		while (next < r->n && offload_inflight(r->o) < OFFLOAD_INFLIGHT_MAX) {
			unsigned sa = (unsigned)(next % r->sas);

			if (type == FGP_TYPE_ENCAP)
				rc = offload_submit(r->o, type, (uint16_t)sa, (uint32_t)next,
						    BENCH_NEXT_HEADER, plain(r, next),
						    BENCH_IV + r->size);
			else
				rc = offload_submit(r->o, type, (uint16_t)(r->sas + sa),
						    (uint32_t)next, 0, r->store + next * r->stride,
						    r->len[next]);
			if (rc == FG_ERR_FULL)
				break;
			if (rc) {
				fprintf(stderr, "fgate-bench: %s: submit of packet %lu failed: %s\n",
					label(r), next, fg_err_name(rc));
				return rc;
			}
			next++;
		}
		k = offload_collect(r->o, res, COLLECT_BATCH, COLLECT_TIMEOUT_MS);
		if (k < 0 || (k == 0 && offload_inflight(r->o))) {
			fprintf(stderr, "fgate-bench: %s: collect failed: %s\n", label(r),
				k < 0 ? fg_err_name(k) : "no result in time");
			return k < 0 ? k : FG_ERR_TIMEOUT;
		}
		for (j = 0; j < k; j++) {
			rc = handle(r, type, &res[j]);
			if (rc)
				return rc;
		}
		done += (unsigned long)k;
		if (r->prog && r->prog->fn && done - shown >= PROGRESS_EVERY) {
			r->prog->fn(r->prog->arg, phase, done, r->n);
			shown = done;
		}
	}
	return 0;
}

static int run_alloc(struct run *r)
{
	size_t i;
	int rc;

	r->stride = r->size + ESP_OVERHEAD;
	r->pool = malloc(POOL * (BENCH_IV + r->size));
	r->store = malloc(r->n * r->stride);
	r->len = calloc(r->n, sizeof(*r->len));
	if (!r->pool || !r->store || !r->len) {
		fprintf(stderr, "fgate-bench: %lu packets of %zu bytes: out of memory\n", r->n,
			r->size);
		return FG_ERR_NOMEM;
	}
	for (i = 0; i < POOL; i++) {
		rc = crypto_random(r->pool + i * (BENCH_IV + r->size), BENCH_IV + r->size);
		if (rc)
			return rc;
	}
	return 0;
}

static void run_free(struct run *r)
{
	free(r->pool);
	free(r->store);
	free(r->len);
}

static void fill_row(struct run *r, const struct offload_caps *caps, double fmax_mhz,
		     double wall, bool clocked, uint64_t cycles, struct bench_row *row)
{
	double bytes = (double)r->size * (double)r->n;

	memset(row, 0, sizeof(*row));
	snprintf(row->backend, sizeof(row->backend), "%s", label(r));
	row->op = r->op;
	row->size = r->size;
	row->sas = r->sas;
	row->packets = r->n;
	row->wall_s = wall;
	row->mbps = wall > 0 ? bytes * 8 / wall / 1e6 : 0;
	row->pps = wall > 0 ? (double)r->n / wall : 0;
	row->cores = caps->cipher_cores;
	row->fmax_mhz = fmax_mhz > 0 ? fmax_mhz :
			(caps->clock_khz ? caps->clock_khz : BENCH_FMAX_KHZ) / 1000.0;
	if (!clocked || !cycles)
		return;
	row->has_cycles = true;
	row->cycles = cycles;
	row->bytes_per_cycle = bytes / (double)cycles;
	row->packets_per_cycle = (double)r->n / (double)cycles;
	row->sim_cycles_per_s = wall > 0 ? (double)cycles / wall : 0;
	row->gbps_board = row->bytes_per_cycle * 8 * BENCH_BOARD_KHZ / 1e6;
	row->gbps_fmax = row->bytes_per_cycle * 8 * row->fmax_mhz / 1e3;
}

int bench_run(struct offload *o, const struct bench_params *bp,
	      const struct bench_progress *prog, struct bench_row *row)
{
	enum bench_op op = bp->op;
	size_t size = bp->size;
	unsigned sas = bp->sas;
	unsigned long packets = bp->packets;
	struct run r = { .o = o, .op = op, .size = size, .sas = sas, .n = packets, .prog = prog };
	struct offload_caps caps;
	uint64_t c0 = 0, c1 = 0;
	bool clocked;
	double t0, t1;
	int rc;

	if (!sas || !packets || !size || size > BENCH_MAX_SIZE || packets > UINT32_MAX)
		return FG_ERR_INVAL;
	rc = offload_caps(o, &caps);
	if (rc) {
		fprintf(stderr, "fgate-bench: %s: CAPS failed: %s\n", label(&r), fg_err_name(rc));
		goto out;
	}
	rc = run_alloc(&r);
	if (!rc)
		rc = load_sas(&r, &caps);
	if (rc)
		goto out;
	if (op == BENCH_DECAP) {
		rc = pass(&r, FGP_TYPE_ENCAP, "prepare");
		if (rc)
			goto out;
	}
	/* CAPS is a barrier: nothing is in flight when the clock starts. */
	clocked = offload_device_cycles(o, &c0) == 0;
	t0 = now_s();
	rc = pass(&r, op == BENCH_ENCAP ? FGP_TYPE_ENCAP : FGP_TYPE_DECAP,
		  op == BENCH_ENCAP ? "encap" : "decap");
	t1 = now_s();
	if (clocked)
		offload_device_cycles(o, &c1);
	if (rc)
		goto out;
	if (op == BENCH_ENCAP) {
		rc = pass(&r, FGP_TYPE_DECAP, "verify");
		if (rc)
			goto out;
	}
	fill_row(&r, &caps, bp->fmax_mhz, t1 - t0, clocked, c1 - c0, row);
out:
	run_free(&r);
	return rc;
}
