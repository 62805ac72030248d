/*
 * fgate_sim: the Verilator model of the device (hdl/rtl/top/fgate_engine.v)
 * as a C library, build/sim/libfgate_sim.a. The caller writes request bytes
 * (frames of docs/protocol.md, in any split), runs clock cycles and reads
 * the result bytes; the library drives the engine's request stream from its
 * input queue and drains the result stream into its output queue.
 *
 * Linking: the library is C++ inside; link with a C++ driver or add
 * -lstdc++ -lpthread (and -lm) after it.
 *
 * One handle is used by one thread at a time; separate handles are
 * independent models (each has its own Verilator context).
 */
#ifndef FGATE_SIM_H
#define FGATE_SIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct fgate_sim;

/* Builds a model, resets it and runs it until its SA table is wiped and it
 * is idle. trace_path: NULL for no waveform, else a VCD file (".vcd"; FST
 * is not built in: a ".fst" path fails). Returns NULL, with one line on
 * stderr saying why, on failure. */
struct fgate_sim *fgate_sim_open(const char *trace_path);
void fgate_sim_close(struct fgate_sim *sim);

/* Hardware reset: both byte queues are emptied and rst is held for a few
 * cycles; the engine then wipes its SA table during the next cycles run
 * (requests written meanwhile wait for it). */
void fgate_sim_reset(struct fgate_sim *sim);

/* Queues request bytes; always takes all of them (the queue grows). The
 * engine sees them 8 bytes at a time, so a trailing partial word waits for
 * the rest. Returns len, or -1 when buf is NULL and len is not 0. */
long fgate_sim_write(struct fgate_sim *sim, const uint8_t *buf, size_t len);
/* Copies up to max result bytes produced so far; returns the count. */
long fgate_sim_read(struct fgate_sim *sim, uint8_t *buf, size_t max);
/* Result bytes waiting to be read. */
size_t fgate_sim_pending(const struct fgate_sim *sim);

/* Runs clock cycles until the model is idle (no whole request word queued,
 * the engine can make no progress without more input, nothing in flight on
 * the result stream) or max_cycles have run. Returns the cycles run; 0
 * when it was idle already. */
uint64_t fgate_sim_run(struct fgate_sim *sim, uint64_t max_cycles);
/* 1 when the model is idle as fgate_sim_run() defines it. */
int fgate_sim_idle(struct fgate_sim *sim);
/* Cycles since open, reset and SA table wipe included. */
uint64_t fgate_sim_cycles(const struct fgate_sim *sim);

/* Random stalls from now on: the request stream's tvalid is held low in
 * in_percent of the cycles, the result stream's tready in out_percent
 * (0..100; 100 stops the stream), from a generator seeded with seed. 0, 0
 * (the default) streams at full rate. */
void fgate_sim_set_stalls(struct fgate_sim *sim, unsigned in_percent, unsigned out_percent,
			  uint64_t seed);

#ifdef __cplusplus
}
#endif

#endif
