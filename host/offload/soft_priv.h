/*
 * Private to the soft device (soft_device.c, soft_pool.c, soft_sa.c,
 * soft_esp.c, soft_ah.c): the SA table entry, the result ring and its
 * worker threads, and the device state. Not for other modules: they see
 * only device.h and soft_device.h.
 */
#ifndef FGATE_OFFLOAD_SOFT_PRIV_H
#define FGATE_OFFLOAD_SOFT_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "fgate_protocol.h"
#include "offload/device.h"
#include "offload/frame.h"
#include "offload/offload.h"
#include "sa/replay.h"

enum {
	SOFT_SA_ENTRIES = 256,
	SOFT_CIPHER_CORES = 1,
	SOFT_AUTH_CORES = 1,
	/* Result ring: frames taken and not yet read back. A full ring stops
	 * write() like a full hardware FIFO. */
	SOFT_RING = 64,
	SOFT_WORKERS_MAX = 64,          /* worker threads: one per online CPU */
	SOFT_BLOCK = 8,                 /* DES/3DES block and IV */
	SOFT_NULL_ALIGN = 4,            /* RFC 2410 / RFC 4303 2.4 */
	SOFT_IPV4_MIN = 20,             /* IPv4 header without options */
	SOFT_AH_PLEN = 4,               /* AH payload length with a 96-bit ICV */
};

/* One SA table slot. Keys are wiped when the slot is cleared or replaced,
 * on RESET and on close. */
struct soft_sa {
	bool used;
	uint8_t flags;                  /* FGP_SAFLAG_* */
	uint8_t cipher, auth;           /* enum fgp_cipher, enum fgp_auth */
	uint32_t spi;
	uint64_t next_seq;              /* outbound; above 2^32-1: exhausted */
	struct replay replay;           /* inbound */
	uint8_t cipher_key[FGP_SA_CIPHER_KEY_LEN];
	uint8_t auth_key[FGP_SA_AUTH_KEY_LEN];
	struct offload_counters cnt;    /* cnt.seq is filled in when read */
};

/* Input state: where the byte stream is in the current frame. */
enum soft_rx {
	RX_HDR,                         /* filling a header */
	RX_PAYLOAD,                     /* filling a payload and its padding */
	RX_SKIP,                        /* discarding a TOO_BIG payload */
	RX_RESYNC,                      /* looking for a header word */
};

enum soft_slot_state {
	SLOT_FREE,
	SLOT_QUEUED,                    /* a packet waiting for a worker */
	SLOT_RUNNING,                   /* a worker is transforming it */
	SLOT_DONE,                      /* result complete, not yet retired */
};

/* One result in the ring, in request order. A packet slot is filled by the
 * caller (request; for ENCAP its sequence number), then by one worker
 * (result payload, status, aux). */
struct soft_slot {
	enum soft_slot_state state;
	struct soft_sa *sa;             /* packets: the SA, found at dispatch; else NULL */
	struct frame_hdr req;           /* packets: the request header */
	uint32_t seq;                   /* ENCAP: the sequence number it was given;
					 * DECAP: the packet's */
	bool replay_check;              /* DECAP: checked against the window at retire */
	bool authentic;                 /* DECAP: ICV good: the window moves at retire */
	struct frame_hdr res;           /* type, status, sa, tag, aux */
	size_t res_len;                 /* result payload bytes */
	size_t bytes;                   /* packets: CNT.BYTES of an OK result */
	uint8_t *in;                    /* packets: FGP_MAX_PAYLOAD request bytes */
	uint8_t *frame;                 /* FRAME_RESULT_MAX: the result frame */
};

/*
 * The ring and its workers. Slots are numbered by ever-growing counters
 * (slot n is slots[n % SOFT_RING]): [head, retired) are retired (framed
 * and counted, being read back), [retired, tail) are queued, running or
 * done. Packets run in parallel, also on one SA: ENCAPs get their sequence
 * number from the caller in request order (soft_encap_reserve); DECAPs
 * leave the anti-replay check and the window's move to the caller, when
 * the result retires, in request order, so the window moves exactly as in
 * a serial device. Results leave in request order whatever order they
 * finish in, and the SA counters are counted then, by the caller.
 *
 * lock guards: the state and sa of the slots in [retired, tail), retired,
 * tail, pending, idle and stop. A RUNNING slot's in, frame, res, res_len,
 * bytes, seq, replay_check and authentic belong to the thread that runs
 * it (a worker, or the caller helping while it waits), outside the lock;
 * SA keys are only read while packets run. head, head_off, the slots in
 * [head, retired) and outside [head, tail), d->stats and the rest of the
 * device (next_seq, replay windows and counters of the SAs included)
 * belong to the caller's thread (device.h: one thread at a time). Control frames are barriers: they wait until pending is 0,
 * so no worker touches an SA while the table changes.
 */
struct soft_pool {
	pthread_mutex_t lock;
	pthread_cond_t work;            /* to workers: a slot was queued, or stop */
	pthread_cond_t done;            /* to the caller: a slot is done */
	struct soft_slot slots[SOFT_RING];
	uint8_t *mem;                   /* backing store of every slot's buffers */
	uint64_t head, retired, tail;
	size_t head_off;                /* bytes of slot head already read */
	size_t pending;                 /* slots queued or running */
	size_t idle;                    /* workers waiting on work */
	bool stop;
	pthread_t threads[SOFT_WORKERS_MAX];
	size_t nthreads;
};

/* The device. Used by one thread at a time (device.h); its worker threads
 * share only what struct soft_pool says. */
struct soft_device {
	struct fg_device base;          /* first: ops and name */
	struct soft_sa sa[SOFT_SA_ENTRIES];
	struct offload_stats stats;
	uint16_t algs;                  /* CAPS.ALGS of this build */

	enum soft_rx rx;
	uint8_t frame[FRAME_REQUEST_MAX]; /* header, payload, padding */
	size_t have;                    /* bytes of frame[] filled */
	size_t skip;                    /* RX_SKIP: bytes left to discard */
	struct frame_hdr hdr;           /* decoded once the header is in */

	struct soft_pool pool;
};

/* One packet operation: the request payload in, the result payload out
 * (room for OFFLOAD_MAX_RESULT bytes). The handlers set out_len, aux and
 * bytes (for CNT.BYTES) on success and return an enum fgp_status. */
struct soft_pkt {
	const uint8_t *in;
	size_t in_len;
	uint8_t next_header;            /* ENCAP: AUX bits 7:0 */
	uint32_t seq;                   /* ENCAP: from soft_encap_reserve; DECAP: the packet's */
	bool replay_check;              /* DECAP: seq is to be checked against the window */
	bool authentic;                 /* DECAP: the ICV matched (the window moves) */
	uint8_t *out;
	size_t out_len;
	uint32_t aux;
	size_t bytes;
};

/* soft_device.c: one packet, run by a worker on its slot. */
void soft_packet(struct soft_slot *slot);
/* The caller's part of an ENCAP, in request order: the checks before the
 * transform (WRONG_DIR, BAD_LENGTH, SEQ_OVERFLOW, in docs/protocol.md's
 * order) and, when they pass (FGP_STATUS_OK), the SA's next sequence
 * number into *seq. The transform itself cannot fail but for an OpenSSL
 * error, which then leaves a gap in the sequence. */
uint8_t soft_encap_reserve(struct soft_sa *sa, const uint8_t *in, size_t len, uint32_t *seq);

/* soft_pool.c. Caller-side calls are made from the device's one caller
 * thread. */
int soft_pool_start(struct soft_device *d);
/* Stops and joins the workers (after what runs has finished), wipes and
 * frees the slots. */
void soft_pool_stop(struct soft_device *d);
/* True when the ring has a free slot for one more result. */
bool soft_pool_room(struct soft_device *d);
/* The free slot the next result goes into; its payload is built at
 * slot->frame + FRAME_HDR. */
struct soft_slot *soft_pool_next(struct soft_device *d);
/* The next slot holds a finished result (res set, res_len bytes). */
void soft_pool_finish(struct soft_device *d);
/* The next slot holds a packet (req, in, sa set): hand it to a worker. */
void soft_pool_queue(struct soft_device *d);
/* Waits until no packet is queued or running and retires every result:
 * the device state is then the caller's alone, and its counters are
 * those of a device that handled each frame in turn. */
void soft_pool_barrier(struct soft_device *d);
/* Copies up to max result bytes, in request order; waits for the oldest
 * result when a packet is on its way and nothing is ready. */
size_t soft_pool_read(struct soft_device *d, uint8_t *buf, size_t max);
/* Waits up to timeout_ms for a result while packets are on their way. */
void soft_pool_wait(struct soft_device *d, int timeout_ms);

/* soft_sa.c */
struct soft_sa *soft_sa_find(struct soft_device *d, uint16_t slot);
uint8_t soft_sa_load(struct soft_device *d, uint16_t slot, const uint8_t *buf, size_t len);
uint8_t soft_sa_clear(struct soft_device *d, uint16_t slot);
void soft_sa_clear_all(struct soft_device *d);
/* Counts one packet result on the SA (CNT layout). */
void soft_sa_count(struct soft_sa *sa, uint8_t status, size_t bytes);
void soft_sa_counters(const struct soft_sa *sa, struct offload_counters *c);
/* Shared by ESP and AH: key lengths and the HMAC-96 ICV over parts. */
size_t soft_sa_icv_len(const struct soft_sa *sa);
int soft_sa_icv(const struct soft_sa *sa, const struct crypto_part *parts, size_t nparts,
		uint8_t icv[FGP_ICV_BYTES]);

/* soft_esp.c, soft_ah.c: the checks after NO_SA and WRONG_DIR. */
/* ENCAP after soft_encap_reserve passed; the *_encap_len_ok checks are
 * its BAD_LENGTH part. */
bool soft_esp_encap_len_ok(const struct soft_sa *sa, size_t len);
bool soft_ah_encap_len_ok(const uint8_t *in, size_t len);
uint8_t soft_esp_encap(struct soft_sa *sa, struct soft_pkt *p);
uint8_t soft_esp_decap(struct soft_sa *sa, struct soft_pkt *p);
uint8_t soft_ah_encap(struct soft_sa *sa, struct soft_pkt *p);
uint8_t soft_ah_decap(struct soft_sa *sa, struct soft_pkt *p);

#endif
