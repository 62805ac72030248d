/*
 * Frame codec for the host <-> device protocol (docs/protocol.md), on the
 * offsets generated from hdl/protocol/protocol.def into fgate_protocol.h.
 * The host encodes requests and decodes results; the soft device does the
 * reverse with the same functions, so both sides share one codec.
 *
 * Nothing here trusts a length: decoders take the buffer length and fail
 * with a negative fg_err instead of reading past it. Fields are read and
 * written byte by byte, big-endian; nothing is cast onto a buffer.
 */
#ifndef FGATE_OFFLOAD_FRAME_H
#define FGATE_OFFLOAD_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fgate_protocol.h"
#include "offload/offload.h"

enum {
	FRAME_HDR = FGP_HDR_BYTES,
	FRAME_ALIGN = FGP_ALIGN,
	FRAME_WORD = 8,                 /* device datapath width; resync unit */
	/* Largest request frame the device accepts, padding included. */
	FRAME_REQUEST_MAX = FGP_HDR_BYTES + FGP_MAX_PAYLOAD,
	/* Largest result frame a device sends, padding included. */
	FRAME_RESULT_MAX = FGP_HDR_BYTES + OFFLOAD_MAX_RESULT,
	FRAME_LENGTH_MAX = 0xffff,      /* the LENGTH field is 16 bits */
};

/* The header fields a frame carries besides MAGIC and VERSION. */
struct frame_hdr {
	uint8_t type;           /* enum fgp_type, | FGP_RESULT_BIT in results */
	uint8_t status;         /* enum fgp_status; 0 in requests */
	uint16_t length;        /* payload bytes, before padding */
	uint16_t sa;            /* slot or FGP_SA_NONE */
	uint32_t tag;
	uint32_t aux;
};

static inline uint16_t frame_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t frame_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t frame_get64(const uint8_t *p)
{
	return (uint64_t)frame_get32(p) << 32 | frame_get32(p + 4);
}

static inline void frame_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void frame_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void frame_put64(uint8_t *p, uint64_t v)
{
	frame_put32(p, (uint32_t)(v >> 32));
	frame_put32(p + 4, (uint32_t)v);
}

/* Bytes of the payload on the wire: length rounded up to FRAME_ALIGN. */
static inline size_t frame_padded(size_t length)
{
	return (length + FRAME_ALIGN - 1) & ~(size_t)(FRAME_ALIGN - 1);
}

/* Whole frame size for a payload of length bytes, header included. */
static inline size_t frame_size(size_t length)
{
	return FRAME_HDR + frame_padded(length);
}

/* true when the first 8-byte word of a header has MAGIC, VERSION and a
 * LENGTH of at most max_length: the test the device applies while it
 * resynchronises (it needs only word 0 of the header). */
bool frame_word_starts_header(const uint8_t word[FRAME_WORD], size_t max_length);

/* Writes the 16-byte header (MAGIC and VERSION included). */
void frame_hdr_put(uint8_t out[FRAME_HDR], const struct frame_hdr *h);
/* Reads a header from buf. Returns 0, FG_ERR_TRUNC when len < FRAME_HDR,
 * or FG_ERR_PARSE for a wrong MAGIC or VERSION (h is filled anyway). */
int frame_hdr_get(const uint8_t *buf, size_t len, struct frame_hdr *h);

/* Encodes a whole frame: header (h->length is set to len), payload and zero
 * padding. Returns the frame size, or a negative fg_err: FG_ERR_RANGE when
 * len exceeds FRAME_LENGTH_MAX, FG_ERR_FULL when cap is too small. payload
 * may be NULL when len is 0. */
long frame_encode(uint8_t *out, size_t cap, struct frame_hdr *h,
		  const uint8_t *payload, size_t len);

/* SA layout (FGP_SA_SIZE bytes). frame_sa_put checks only what it needs to
 * encode: key lengths that fit their fields and match a known cipher or
 * auth (DES 8, 3DES 16 or 24, SHA-1 20, MD5 16, none 0; a 16-byte 3DES
 * key is written K1 K2 K1) and codes that fit a byte; FG_ERR_INVAL
 * otherwise. Everything else (unknown codes, window size, AH with a
 * cipher) is the device's to judge. Unused key bytes and reserved fields
 * are zero. */
int frame_sa_put(uint8_t out[FGP_SA_SIZE], const struct offload_sa *sa);

/* The SA layout as the device reads it, raw, for it to validate. */
struct frame_sa {
	uint8_t flags, cipher, auth;
	uint32_t spi, seq;
	uint16_t replay_window;
	bool reserved_zero;     /* RESERVED, RESERVED2, RESERVED3 all zero */
	uint8_t cipher_key[FGP_SA_CIPHER_KEY_LEN];
	uint8_t auth_key[FGP_SA_AUTH_KEY_LEN];
};

/* Returns 0, or FG_ERR_PARSE when len is not FGP_SA_SIZE. */
int frame_sa_get(const uint8_t *buf, size_t len, struct frame_sa *sa);

/* Result layouts: the device puts them, the host gets them. The getters
 * return 0 or FG_ERR_PARSE when len is not the layout's size. */
void frame_caps_put(uint8_t out[FGP_CAPS_SIZE], const struct offload_caps *c);
int frame_caps_get(const uint8_t *buf, size_t len, struct offload_caps *c);
void frame_cnt_put(uint8_t out[FGP_CNT_SIZE], const struct offload_counters *c);
int frame_cnt_get(const uint8_t *buf, size_t len, struct offload_counters *c);
void frame_stats_put(uint8_t out[FGP_STATS_SIZE], const struct offload_stats *s);
int frame_stats_get(const uint8_t *buf, size_t len, struct offload_stats *s);

#endif
