/*
 * Private to the offload library (offload.c, offload_stream.c,
 * offload_reload.c): the handle, its slot table of packets in flight, the
 * result stream, and the copy of the loaded SAs a device gets back after a
 * disconnect.
 */
#ifndef FGATE_OFFLOAD_PRIV_H
#define FGATE_OFFLOAD_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "offload/device.h"
#include "offload/frame.h"
#include "offload/offload.h"

enum {
	OFFLOAD_TIMEOUT_MS = 10000,     /* control result, or the device taking bytes */
	OFFLOAD_POLL_SLICE_MS = 10,
	OFFLOAD_RX_CAP = 2 * FRAME_RESULT_MAX,  /* always room for one whole result */
	OFFLOAD_CONTROL_RESULT_MAX = 64,        /* largest control result payload */
	OFFLOAD_REOPEN_MS = 250,        /* between attempts to reopen a device that went */
};

enum slot_state { SLOT_FREE, SLOT_SENT, SLOT_DONE };

struct slot {
	enum slot_state state;
	uint8_t type;                   /* FGP_TYPE_ENCAP or FGP_TYPE_DECAP */
	uint8_t status;
	uint16_t sa;
	uint32_t tag, aux;
	uint32_t req_seq;               /* DECAP: the packet's sequence number, else 0 */
	size_t len;
	uint8_t *data;                  /* OFFLOAD_MAX_RESULT bytes */
};

/* A loaded SA as the device should have it, to load it again after a
 * disconnect. seq_hi: the highest sequence number of an OK result (outbound:
 * sent by the device; inbound: accepted). After a reload an inbound SA's
 * window starts empty on the device, so the library itself answers REPLAY
 * for a sequence number at or below floor. */
struct shadow_sa {
	bool used, floor_set;
	struct offload_sa sa;
	uint32_t seq_hi, floor;
};

/* One thread at a time (offload.h): no lock. */
struct offload {
	struct fg_device *dev;
	bool broken;                    /* a frame went out half: stream lost */
	uint32_t bad_results;

	struct shadow_sa *shadow;       /* by slot index, nshadow entries */
	size_t nshadow;
	bool gone;                      /* the device disconnected; not back yet */
	bool lost_unreported;           /* collect has not yet said so */
	long long next_reopen;          /* offload_now_ms() of the next attempt */
	struct offload_health health;

	struct slot slots[OFFLOAD_INFLIGHT_MAX];
	uint16_t free_idx[OFFLOAD_INFLIGHT_MAX];  /* stack of free slots */
	size_t nfree;
	uint16_t done[OFFLOAD_INFLIGHT_MAX];      /* ring: done slots, arrival order */
	size_t done_head, ndone;
	uint8_t *slot_data;             /* backing store of every slot's data */
	uint8_t *deliver;               /* copies handed out by collect */
	size_t deliver_cap;

	/* The control call waiting for its result. */
	struct {
		bool waiting, got;
		uint8_t type;
		uint32_t tag;
		struct frame_hdr hdr;
		uint8_t payload[OFFLOAD_CONTROL_RESULT_MAX];
	} ctl;
	uint32_t ctl_tag;

	uint8_t rx[OFFLOAD_RX_CAP];
	size_t rx_len;
	bool rx_lost;                   /* resynchronising: log once per run */
	uint8_t tx[FRAME_REQUEST_MAX];
};

/* offload_stream.c */
long long offload_now_ms(void);
/* Reads and dispatches whatever results the device has ready: packet
 * results into their slots, the waiting control call's into o->ctl.
 * Returns the bytes read or a negative fg_err. */
long offload_pump(struct offload *o);
/* Reads results, else lets the device run for one slice. Returns 1 when
 * something arrived, 0 when not, or a negative fg_err. */
int offload_wait(struct offload *o);
/* Writes one whole frame, reading results while the device is full; a
 * frame that goes out only in part marks the handle broken. */
int offload_send(struct offload *o, const uint8_t *buf, size_t len);

/* offload.c: RESET without forgetting the recorded SAs. */
int offload_reset_device(struct offload *o);

/* offload_reload.c */
/* Records a loaded SA (keys included) / forgets one (keys wiped) / all. */
int offload_shadow_put(struct offload *o, const struct offload_sa *sa);
void offload_shadow_drop(struct offload *o, uint16_t index);
void offload_shadow_clear(struct offload *o);
/* The sequence number of a DECAP request's packet (0 if it has none). */
uint32_t offload_shadow_req_seq(const struct offload *o, uint16_t sa, const uint8_t *data,
				size_t len);
/* A packet result arrived in s: follows its sequence number, and answers
 * REPLAY for an old inbound one after a reload. */
void offload_shadow_result(struct offload *o, struct slot *s);
/* A device op returned FG_ERR_GONE: everything in flight is dropped. */
void offload_lost(struct offload *o);
/* 0 when the device can be used; after a disconnect, tries (at most every
 * OFFLOAD_REOPEN_MS) to reopen it, reset it and reload every SA, and
 * returns FG_ERR_GONE while it is not back. */
int offload_ready(struct offload *o);

#endif
