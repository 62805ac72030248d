/*
 * fgate-bench internals: one measured row (bench_run.c) and its reports
 * (bench_report.c: the table on stdout, JSON, SVG). fgate_bench.c holds the
 * command line and the loop over backends, operations and sizes.
 */
#ifndef FGATE_TOOLS_BENCH_H
#define FGATE_TOOLS_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "offload/offload.h"

enum bench_op { BENCH_ENCAP, BENCH_DECAP };

enum {
	BENCH_BOARD_KHZ = 100000,       /* LimeSDR Mini v2 / FT601 clock */
	/* Engine Fmax when CAPS reports no clock: the ECP5 Fmax of tdes_cbc
	 * with ROUNDS = 2 (the lanes' TDES_ROUNDS default), the slowest core
	 * of an ESP lane (docs/hdl.md). */
	BENCH_FMAX_KHZ = 81800,
	BENCH_NEXT_HEADER = 4,          /* IPv4 in IPv4 (tunnel mode) */
	BENCH_IV = 8,
	/* Largest payload whose ESP packet (SPI, seq, IV, payload padded with
	 * its trailer to 8 bytes, ICV) still fits a DECAP request. */
	BENCH_MAX_SIZE = ((FGP_MAX_PAYLOAD - 8 - BENCH_IV - 12) & ~7u) - 2,
};

/* One measured backend / operation / size. */
struct bench_row {
	char backend[16];
	enum bench_op op;
	size_t size;                    /* payload bytes per packet */
	unsigned sas;
	unsigned long packets;
	double wall_s, mbps, pps;
	/* A device with a clock (sim) only. */
	bool has_cycles;
	uint64_t cycles;
	double bytes_per_cycle, packets_per_cycle, sim_cycles_per_s;
	double gbps_board, gbps_fmax;
	double fmax_mhz;                /* --fmax-mhz, else CAPS, else BENCH_FMAX_KHZ */
	unsigned cores;                 /* CAPS cipher cores (engine lanes) */
};

/* Progress of a run: called every few hundred packets. */
struct bench_progress {
	void (*fn)(void *arg, const char *phase, unsigned long done, unsigned long total);
	void *arg;
};

const char *bench_op_name(enum bench_op op);

/* Measures one row on an open handle: loads sas outbound SAs (slots
 * 0..sas-1) and their inbound twins (sas..2*sas-1) with fresh random keys,
 * pushes packets through with many in flight, verifies every result and
 * fills row. Returns 0, or a negative fg_err after an error line on stderr
 * (a wrong result is FG_ERR_AUTH). */
struct bench_params {
	enum bench_op op;
	size_t size;                    /* payload bytes, 1..BENCH_MAX_SIZE */
	unsigned sas;
	unsigned long packets;
	double fmax_mhz;                /* for gbps_fmax; 0: CAPS clock, else BENCH_FMAX_KHZ */
};

int bench_run(struct offload *o, const struct bench_params *bp,
	      const struct bench_progress *prog, struct bench_row *row);

/* bench_report.c */
void bench_table_header(FILE *f);
void bench_table_row(FILE *f, const struct bench_row *r);
int bench_json_write(const char *path, const struct bench_row *rows, size_t n);
int bench_svg_write(const char *path, const struct bench_row *rows, size_t n);

#endif
