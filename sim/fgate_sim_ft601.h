/*
 * fgate_sim_ft601: the device as the board builds it, reached over USB: the
 * Verilator model of hdl/rtl/top/fgate_ft601_top.v (the ft601_fifo bridge,
 * the clock crossing and fgate_engine, on a 100 MHz bridge clock and a
 * 50 MHz engine clock) with its FT601 pins driven by the chip's cycle model
 * (sim/ft601_model.h: 245 FIFO mode, 1024-byte SuperSpeed packets, 2
 * buffers each way, no random throttling). The caller sees the chip's USB
 * side as bulk transfers, as libusb would: request bytes go out in OUT
 * transfers, result bytes come back in IN transfers. Part of
 * build/sim/libfgate_sim.a, beside fgate_sim.h (the engine alone, straight
 * into the framed stream: faster, no bridge).
 *
 * IN transfers: the library keeps FGATE_SIM_FT601_IN_XFERS transfers of
 * FGATE_SIM_FT601_XFER_SIZE bytes posted to the chip and posts the next one
 * when the caller has taken a completed one, so a caller that stops reading
 * stops the device (the chip's buffers fill, TXE_N stays high).
 *
 * Errors (the bridge's sticky err_order/err_overflow/err_partial, the
 * chip's protocol errors: bus contention, a read without OE_N, a write
 * without BE) are checked every cycle of a run; the first one is printed as one
 * line on stderr and from then on every call that can fail fails.
 *
 * Linking as fgate_sim.h. One handle is used by one thread at a time.
 */
#ifndef FGATE_SIM_FT601_H
#define FGATE_SIM_FT601_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
	FGATE_SIM_FT601_PACKET = 1024,          /* USB max packet (SuperSpeed) */
	FGATE_SIM_FT601_IN_XFERS = 4,           /* IN transfers kept posted */
	FGATE_SIM_FT601_XFER_SIZE = 16384,      /* bytes per IN transfer */
};

struct fgate_sim_ft601;

/* Builds the model, resets both clock domains and runs until the engine
 * has wiped its SA table and everything is quiet. trace_path: NULL, or a
 * ".vcd" file for a waveform of the bridge and the engine. Returns NULL,
 * with one line on stderr, on failure. */
struct fgate_sim_ft601 *fgate_sim_ft601_open(const char *trace_path);
void fgate_sim_ft601_close(struct fgate_sim_ft601 *sim);

/* Submits one bulk OUT transfer of len bytes (copied: buf is free again on
 * return). The chip takes it packet by packet as the bridge reads its
 * buffers; it completes when the last packet is in the chip. Returns 0, or
 * -1 after an error or when buf is NULL and len is not 0. */
int fgate_sim_ft601_out(struct fgate_sim_ft601 *sim, const uint8_t *buf, size_t len);
/* OUT transfers submitted and not yet completed (they complete in order). */
unsigned fgate_sim_ft601_out_pending(const struct fgate_sim_ft601 *sim);
/* Copies the bytes of the oldest completed IN transfer not yet taken and
 * returns their count (1..FGATE_SIM_FT601_XFER_SIZE), 0 when none has
 * completed yet, -1 after an error or when cap is less than the
 * transfer's length (take with cap FGATE_SIM_FT601_XFER_SIZE). */
long fgate_sim_ft601_in(struct fgate_sim_ft601 *sim, uint8_t *buf, size_t cap);

/* Runs bridge clock cycles (the engine clock's edges in between) until
 * the device is quiet or max_cycles have run. Quiet: nothing (bus word,
 * USB packet, transfer) has moved for a few dozen cycles and either there
 * is nothing left to do (no OUT transfer pending, nothing in the chip's
 * buffers that could move, the engine idle) or nothing can move before the
 * caller takes a completed IN transfer (every posted one has completed).
 * Returns the bridge cycles run (0 when it was quiet already) or -1 when an
 * error was found. */
int64_t fgate_sim_ft601_run(struct fgate_sim_ft601 *sim, uint64_t max_cycles);
/* 1 when quiet as fgate_sim_ft601_run() defines it. */
int fgate_sim_ft601_idle(const struct fgate_sim_ft601 *sim);
/* Engine clock cycles since open (comparable with fgate_sim_cycles()). */
uint64_t fgate_sim_ft601_cycles(const struct fgate_sim_ft601 *sim);
/* Bridge clock cycles since open. */
uint64_t fgate_sim_ft601_bridge_cycles(const struct fgate_sim_ft601 *sim);

#ifdef __cplusplus
}
#endif

#endif
