/*
 * The offload API: the one interface through which the datapath, fgated and
 * the tools use a crypto device, whatever the backend (soft, sim, usb, pcie).
 *
 * Control calls (caps, reset, SA load/clear, counters, stats) are
 * synchronous: each sends one frame and waits for its result, and acts as a
 * barrier behind every packet submitted before it (docs/protocol.md).
 * Packets are asynchronous: offload_submit() queues a packet with a host tag
 * and returns at once; offload_collect() returns finished packets, matched
 * to their submissions by tag. Many packets are in flight at once.
 *
 * An offload handle is used by one thread at a time.
 */
#ifndef FGATE_OFFLOAD_H
#define FGATE_OFFLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fgate_protocol.h"

struct offload;
struct fg_device;

enum {
	/* Largest result payload: MAX_PAYLOAD plus what ENCAP adds at most
	 * (SPI, sequence, IV, 7 pad bytes, pad length, next header, ICV). */
	OFFLOAD_MAX_RESULT = FGP_MAX_PAYLOAD + 64,
	OFFLOAD_CIPHER_KEY_MAX = 24,
	OFFLOAD_AUTH_KEY_MAX = 20,
	/* Packets submitted and not yet collected, per handle. */
	OFFLOAD_INFLIGHT_MAX = 256,
};

struct offload_caps {
	unsigned version;
	unsigned cipher_cores, auth_cores;
	unsigned sa_entries, replay_max, max_payload;
	uint16_t algs;          /* FGP CAPS.ALGS bits */
	uint32_t clock_khz, build_id;
};

struct offload_sa {
	uint16_t index;         /* table slot, < caps.sa_entries */
	bool inbound, ah, transport;
	enum fgp_cipher cipher;
	enum fgp_auth auth;
	uint32_t spi;
	uint32_t seq;           /* outbound: first sequence number (normally 1) */
	uint16_t replay_window; /* inbound: packets, 0 = off */
	uint8_t cipher_key[OFFLOAD_CIPHER_KEY_MAX];
	size_t cipher_key_len;  /* 0 NULL, 8 DES, 16 or 24 3DES */
	uint8_t auth_key[OFFLOAD_AUTH_KEY_MAX];
	size_t auth_key_len;    /* 0 none, 16 MD5, 20 SHA-1 */
};

struct offload_counters {
	uint64_t packets, bytes;
	uint32_t auth_fail, replay, bad_pad, other_err;
	uint32_t seq;
};

struct offload_stats {
	uint32_t frames_in, frames_out, malformed, no_sa, resync_bytes;
};

/* The device's connection, as the library saw it (never reset). */
struct offload_health {
	bool gone;                      /* disconnected now, not back yet */
	uint32_t disconnects, reconnects;
	uint32_t dropped;               /* packets lost in flight at a disconnect */
	uint32_t reloaded;              /* SA loads repeated after reconnects */
	uint32_t stale_replays;         /* answered REPLAY by the library (below) */
};

/* One finished packet. data points into the handle and stays valid until
 * the next offload_collect() call. */
struct offload_result {
	uint32_t tag;
	uint16_t sa;
	enum fgp_type type;     /* FGP_TYPE_ENCAP or FGP_TYPE_DECAP */
	enum fgp_status status;
	uint32_t aux;           /* next header (decap) or sequence number (encap) */
	const uint8_t *data;
	size_t len;
};

/* Opens a backend by name ("soft", "sim"; later "usb", "pcie"). args is
 * backend-specific and may be NULL (sim: "trace=FILE"). Returns 0 or a
 * negative fg_err, with one log line saying why. */
int offload_open(const char *backend, const char *args, struct offload **out);
/* Opens a handle over a device already open (a backend's constructor, or a
 * test's fake device). The handle owns dev from now on, also on failure. */
int offload_open_device(struct fg_device *dev, struct offload **out);
/* Drains what is in flight (results are discarded) and frees everything. */
void offload_close(struct offload *o);
const char *offload_backend(const struct offload *o);

int offload_caps(struct offload *o, struct offload_caps *caps);
int offload_reset(struct offload *o);
/* Returns 0, or a negative fg_err; *status (if not NULL) gets the device's
 * status (e.g. FGP_STATUS_BAD_SA).
 *
 * Disconnects: the library keeps a copy of every SA loaded (keys included,
 * wiped when the SA is cleared, the device reset or the handle closed). When
 * a device op reports FG_ERR_GONE (a usb board unplugged), what was in flight
 * is dropped (the next offload_collect() returns FG_ERR_GONE once, then
 * offload_health().dropped counts them) and every later call first tries, at
 * most every 250 ms, to reopen the device; when it is back the library
 * resets it and loads every SA again, outbound ones from the sequence number
 * after the last one the device sent, inbound ones with an empty window
 * behind which the library answers REPLAY for any sequence number at or
 * below the last one accepted before. Meanwhile SA loads and clears are
 * recorded and return 0, the other calls FG_ERR_GONE. */
int offload_sa_load(struct offload *o, const struct offload_sa *sa, enum fgp_status *status);
int offload_sa_clear(struct offload *o, uint16_t index);
void offload_health(const struct offload *o, struct offload_health *h);
int offload_counters(struct offload *o, uint16_t index, struct offload_counters *c);
int offload_stats(struct offload *o, struct offload_stats *s);

/* Queues one packet: type FGP_TYPE_ENCAP (data = IV | payload for ESP, the
 * IPv4 packet for AH; next_header used) or FGP_TYPE_DECAP (data = ESP packet
 * from the SPI, or the IPv4 packet for AH). Returns 0, FG_ERR_FULL when
 * offload_inflight() has reached the limit (collect first), or another
 * negative fg_err. */
int offload_submit(struct offload *o, enum fgp_type type, uint16_t sa, uint32_t tag,
		   uint8_t next_header, const uint8_t *data, size_t len);
/* Waits up to timeout_ms (0: do not wait, -1: until at least one) for
 * finished packets; fills up to max results and returns their number, or a
 * negative fg_err. */
int offload_collect(struct offload *o, struct offload_result *res, size_t max, int timeout_ms);
size_t offload_inflight(const struct offload *o);
/* Result frames from the device that were malformed or matched no request
 * (ERROR results included); each was logged and dropped. */
uint32_t offload_bad_results(const struct offload *o);
/* Device clock cycles run since the device was opened, for throughput per
 * cycle (fgate-bench). Only a simulated device counts them: the others
 * return FG_ERR_UNSUPP. */
int offload_device_cycles(struct offload *o, uint64_t *cycles);

#endif
