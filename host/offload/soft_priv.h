/*
 * Private to the soft device (soft_device.c, soft_sa.c, soft_esp.c,
 * soft_ah.c): the SA table entry and the device state. Not for other
 * modules: they see only device.h and soft_device.h.
 */
#ifndef FGATE_OFFLOAD_SOFT_PRIV_H
#define FGATE_OFFLOAD_SOFT_PRIV_H

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
	SOFT_OUT_CAP = 64 * 1024,       /* result queue, bytes */
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

/* The device. Used by one thread at a time (device.h). */
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

	uint8_t *out;                   /* result queue: [out_head, out_tail) */
	size_t out_head, out_tail;
};

/* One packet operation: the request payload in, the result payload out
 * (room for OFFLOAD_MAX_RESULT bytes). The handlers set out_len, aux and
 * bytes (for CNT.BYTES) on success and return an enum fgp_status. */
struct soft_pkt {
	const uint8_t *in;
	size_t in_len;
	uint8_t next_header;            /* ENCAP: AUX bits 7:0 */
	uint8_t *out;
	size_t out_len;
	uint32_t aux;
	size_t bytes;
};

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
uint8_t soft_esp_encap(struct soft_sa *sa, struct soft_pkt *p);
uint8_t soft_esp_decap(struct soft_sa *sa, struct soft_pkt *p);
uint8_t soft_ah_encap(struct soft_sa *sa, struct soft_pkt *p);
uint8_t soft_ah_decap(struct soft_sa *sa, struct soft_pkt *p);

#endif
