/*
 * fgate-bench: ESP 3DES-CBC + HMAC-SHA1-96 tunnel throughput through the
 * offload API, per backend, operation and packet size, every result
 * verified (bench_run.c).
 *
 *   fgate-bench [--offload soft|sim|sim-ft601|all] [--op encap|decap|both]
 *               [--sizes 64,512,1400] [--sas N] [--packets N]
 *               [--json FILE] [--svg FILE] [--quiet]
 *
 * Prints a table on stdout. Exits 0 when every row ran and verified, 1 when
 * a result was wrong or the device failed, 2 for a bad command line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "crypto/crypto.h"
#include "offload/offload.h"
#include "tools/bench.h"

enum {
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
	SIZES_MAX = 32,
	BACKENDS_MAX = 2,
	SAS_DEFAULT = 8,
	SAS_MAX = 128,
	/* Default packets per row: these many bytes of payload, at least
	 * PACKETS_MIN packets. The sim simulates ~1 M cycles/s, so it gets far
	 * fewer than the soft device; sim-ft601 (the engine behind the
	 * simulated FT601 bridge) about a third of that again. */
	SOFT_BYTES = 16 << 20,
	SIM_BYTES = 1 << 20,
	SIM_FT601_BYTES = 256 << 10,
	PACKETS_MIN = 64,
	PER_PACKET = 64,                /* framing and ESP overhead, for the scale */
	PROGRESS_S = 3,
};

struct opts {
	const char *backends[BACKENDS_MAX];
	size_t nbackends;
	bool encap, decap, quiet;
	size_t sizes[SIZES_MAX];
	size_t nsizes;
	unsigned sas;
	unsigned long packets;          /* 0: default per backend and size */
	double fmax_mhz;                /* 0: CAPS clock, else BENCH_FMAX_KHZ */
	const char *json, *svg;
};

struct progress {
	bool tty, quiet;
	const char *backend;
	enum bench_op op;
	size_t size;
	time_t last;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: fgate-bench [--offload soft|sim|sim-ft601|all] [--op encap|decap|both]\n"
		"                   [--sizes 64,512,1400] [--sas N] [--packets N]\n"
		"                   [--json FILE] [--svg FILE] [--fmax-mhz F] [--quiet]\n"
		"\n"
		"ESP 3DES-CBC + HMAC-SHA1-96 tunnel SAs (random keys), packets spread round\n"
		"robin over N SAs (default %d) with up to %d in flight; every result is\n"
		"verified (decap of encap gives the original back), a mismatch exits 1.\n"
		"--offload all runs soft and sim; sim-ft601 is the engine behind the simulated\n"
		"FT601 USB bridge (the board's bridge RTL and the usb transport's framing).\n"
		"Default packets per row: %d MiB of payload for soft, %d MiB for sim, %d KiB for\n"
		"sim-ft601 (the simulation is slow), i.e. about N = bytes / (size + %d), at least\n"
		"%d; --packets sets one count for every row. Sim rows (sim, sim-ft601: engine\n"
		"clock cycles) add device cycles, bytes and packets per\n"
		"cycle, simulated cycles per second and the projection at the %d MHz board clock\n"
		"and at the engine Fmax (--fmax-mhz, e.g. what make synth-engine measured;\n"
		"else the CAPS clock; else %.1f MHz: tdes_cbc's ECP5 Fmax from docs/hdl.md).\n",
		SAS_DEFAULT, OFFLOAD_INFLIGHT_MAX, SOFT_BYTES >> 20, SIM_BYTES >> 20,
		SIM_FT601_BYTES >> 10, PER_PACKET,
		PACKETS_MIN, BENCH_BOARD_KHZ / 1000, BENCH_FMAX_KHZ / 1000.0);
}

static int parse_count(const char *what, const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	*v = strtoul(s, &end, 10);
	if (!*s || *end || *s == '-' || *v == 0 || *v > max) {
		fprintf(stderr, "fgate-bench: %s: \"%s\" is not a number in 1..%lu\n", what, s, max);
		return EXIT_USAGE;
	}
	return 0;
}

static int parse_sizes(const char *s, struct opts *op)
{
	char buf[256], *tok, *save = NULL;
	unsigned long v;

	if (strlen(s) >= sizeof(buf)) {
		fprintf(stderr, "fgate-bench: --sizes: list too long\n");
		return EXIT_USAGE;
	}
	strcpy(buf, s);
	op->nsizes = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (op->nsizes == SIZES_MAX) {
			fprintf(stderr, "fgate-bench: --sizes: at most %d sizes\n", SIZES_MAX);
			return EXIT_USAGE;
		}
		if (parse_count("--sizes", tok, BENCH_MAX_SIZE, &v))
			return EXIT_USAGE;
		op->sizes[op->nsizes++] = v;
	}
	if (!op->nsizes) {
		fprintf(stderr, "fgate-bench: --sizes: no size given\n");
		return EXIT_USAGE;
	}
	return 0;
}

static int parse_opts(int argc, char **argv, struct opts *op)
{
	static const struct option longs[] = {
		{ "offload", required_argument, NULL, 'o' },
		{ "op", required_argument, NULL, 'p' },
		{ "sizes", required_argument, NULL, 'z' },
		{ "sas", required_argument, NULL, 's' },
		{ "packets", required_argument, NULL, 'n' },
		{ "json", required_argument, NULL, 'j' },
		{ "svg", required_argument, NULL, 'g' },
		{ "fmax-mhz", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	char *end;
	int c;

	memset(op, 0, sizeof(*op));
	op->backends[0] = "soft";
	op->nbackends = 1;
	op->encap = op->decap = true;
	op->sas = SAS_DEFAULT;
	op->sizes[0] = 64;
	op->sizes[1] = 512;
	op->sizes[2] = 1400;
	op->nsizes = 3;
	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (!strcmp(optarg, "all")) {
				op->backends[0] = "soft";
				op->backends[1] = "sim";
				op->nbackends = 2;
			} else if (!strcmp(optarg, "soft") || !strcmp(optarg, "sim") ||
				   !strcmp(optarg, "sim-ft601")) {
				op->backends[0] = optarg;
				op->nbackends = 1;
			} else {
				fprintf(stderr, "fgate-bench: --offload: \"%s\" is not soft, sim, sim-ft601 or all\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'p':
			op->encap = !strcmp(optarg, "encap") || !strcmp(optarg, "both");
			op->decap = !strcmp(optarg, "decap") || !strcmp(optarg, "both");
			if (!op->encap && !op->decap) {
				fprintf(stderr, "fgate-bench: --op: \"%s\" is not encap, decap or both\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'z':
			if (parse_sizes(optarg, op))
				return EXIT_USAGE;
			break;
		case 's':
			if (parse_count("--sas", optarg, SAS_MAX, &v))
				return EXIT_USAGE;
			op->sas = (unsigned)v;
			break;
		case 'n':
			if (parse_count("--packets", optarg, UINT32_MAX, &op->packets))
				return EXIT_USAGE;
			break;
		case 'j': op->json = optarg; break;
		case 'g': op->svg = optarg; break;
		case 'f':
			op->fmax_mhz = strtod(optarg, &end);
			if (!*optarg || *end || !(op->fmax_mhz > 0 && op->fmax_mhz < 10000)) {
				fprintf(stderr, "fgate-bench: --fmax-mhz: \"%s\" is not a clock in MHz\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'q': op->quiet = true; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "fgate-bench: unexpected argument \"%s\" (--help for usage)\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	return 0;
}

static unsigned long default_packets(const char *backend, size_t size)
{
	unsigned long bytes = !strcmp(backend, "sim") ? SIM_BYTES :
			      !strcmp(backend, "sim-ft601") ? SIM_FT601_BYTES : SOFT_BYTES;
	unsigned long n = bytes / (size + PER_PACKET);

	return n < PACKETS_MIN ? PACKETS_MIN : n;
}

/* On a tty: one line rewritten in place; else a line every PROGRESS_S. */
static void show_progress(void *arg, const char *phase, unsigned long done, unsigned long total)
{
	struct progress *p = arg;
	time_t now = time(NULL);

	if (p->quiet || (!p->tty && now - p->last < PROGRESS_S))
		return;
	p->last = now;
	fprintf(stderr, "%s[%s %s %zu B] %s %lu/%lu%s", p->tty ? "\r" : "", p->backend,
		bench_op_name(p->op), p->size, phase, done, total, p->tty ? "\033[K" : "\n");
}

static void end_progress(const struct progress *p)
{
	if (p->tty && !p->quiet)
		fprintf(stderr, "\r\033[K");
}

/* Every row of one backend, appended to rows. */
static int run_backend(const struct opts *op, const char *backend, struct bench_row *rows,
		       size_t *nrows)
{
	struct progress pr = { .tty = isatty(2), .quiet = op->quiet, .backend = backend };
	struct bench_progress prog = { .fn = show_progress, .arg = &pr };
	struct offload *o = NULL;
	size_t s, k;
	int rc;

	rc = offload_open(backend, NULL, &o);
	if (rc) {
		fprintf(stderr, "fgate-bench: cannot open backend %s: %s\n", backend,
			fg_err_name(rc));
		return rc;
	}
	for (s = 0; s < op->nsizes && !rc; s++) {
		for (k = 0; k < 2 && !rc; k++) {
			enum bench_op bop = k ? BENCH_DECAP : BENCH_ENCAP;
			unsigned long n = op->packets ? op->packets :
					  default_packets(backend, op->sizes[s]);

			if ((bop == BENCH_ENCAP && !op->encap) || (bop == BENCH_DECAP && !op->decap))
				continue;
			struct bench_params bp = {
				.op = bop, .size = op->sizes[s], .sas = op->sas, .packets = n,
				.fmax_mhz = op->fmax_mhz,
			};

			pr.op = bop;
			pr.size = op->sizes[s];
			pr.last = time(NULL);
			rc = bench_run(o, &bp, &prog, &rows[*nrows]);
			end_progress(&pr);
			if (rc)
				break;
			bench_table_row(stdout, &rows[*nrows]);
			fflush(stdout);
			(*nrows)++;
		}
	}
	offload_close(o);
	return rc;
}

int main(int argc, char **argv)
{
	struct bench_row *rows = NULL;
	size_t nrows = 0, b;
	struct opts op;
	int rc;

	fg_log_set_level(FG_LOG_WARN);
	rc = parse_opts(argc, argv, &op);
	if (rc)
		return rc;
	if (crypto_init()) {
		fprintf(stderr, "fgate-bench: OpenSSL unusable\n");
		return EXIT_FAILED;
	}
	rows = calloc(BACKENDS_MAX * SIZES_MAX * 2, sizeof(*rows));
	if (!rows)
		return EXIT_FAILED;
	printf("# fgate-bench: ESP tunnel 3DES-CBC + HMAC-SHA1-96, %u SAs, up to %d in flight;"
	       " Gb@100M: projected Gbit/s at the %d MHz board clock; Gb@Fmax: at ", op.sas,
	       OFFLOAD_INFLIGHT_MAX, BENCH_BOARD_KHZ / 1000);
	if (op.fmax_mhz > 0)
		printf("%.1f MHz (--fmax-mhz)\n", op.fmax_mhz);
	else
		printf("the CAPS clock, else %.1f MHz (tdes_cbc ECP5 Fmax, docs/hdl.md)\n",
		       BENCH_FMAX_KHZ / 1000.0);
	bench_table_header(stdout);
	for (b = 0; b < op.nbackends && !rc; b++)
		rc = run_backend(&op, op.backends[b], rows, &nrows);
	if (!rc && op.json)
		rc = bench_json_write(op.json, rows, nrows);
	if (!rc && op.svg)
		rc = bench_svg_write(op.svg, rows, nrows);
	free(rows);
	return rc ? EXIT_FAILED : 0;
}
