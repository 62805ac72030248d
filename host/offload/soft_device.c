/*
 * Soft device: the byte stream, frame parsing and resynchronisation, the
 * dispatch of every frame type, control frames and the bounded result
 * queue. The packet transforms are in soft_esp.c and soft_ah.c, the SA
 * table in soft_sa.c.
 *
 * Counting rules (the RTL engine must count the same way):
 * - STATS.FRAMES_IN: headers accepted (MAGIC and VERSION right), counted
 *   when the header is in, whatever the frame turns out to be;
 * - STATS.FRAMES_OUT: result frames, counted once each is complete (a STATS
 *   result does not include itself; RESET clears everything before its own
 *   result, which is then the first frame counted);
 * - STATS.MALFORMED: MALFORMED results (ERROR results of a resync, unknown
 *   types, control frames of the wrong length);
 * - STATS.NO_SA: ENCAP and DECAP results with NO_SA;
 * - STATS.RESYNC_BYTES: every 8-byte word dropped, the bad header word that
 *   started the resync included.
 */
#include "offload/soft_device.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "offload/soft_priv.h"

static struct soft_device *soft(struct fg_device *dev)
{
	return (struct soft_device *)dev;     /* base is the first member */
}

/* ---- result queue ---- */

static size_t out_room(struct soft_device *d)
{
	if (d->out_head == d->out_tail)
		d->out_head = d->out_tail = 0;
	if (SOFT_OUT_CAP - d->out_tail < FRAME_RESULT_MAX && d->out_head) {
		memmove(d->out, d->out + d->out_head, d->out_tail - d->out_head);
		d->out_tail -= d->out_head;
		d->out_head = 0;
	}
	return SOFT_OUT_CAP - d->out_tail;
}

/* The result payload is built in place, after the header slot at the
 * queue's tail; write() made sure one whole result frame fits. */
static uint8_t *result_payload(struct soft_device *d)
{
	return d->out + d->out_tail + FRAME_HDR;
}

/* Completes the result at the tail: header, zero padding. A failed result
 * carries no payload and AUX 0. */
static void emit(struct soft_device *d, struct frame_hdr *r, size_t len)
{
	uint8_t *f = d->out + d->out_tail;

	if (r->status != FGP_STATUS_OK) {
		len = 0;
		r->aux = 0;
	}
	if (r->status == FGP_STATUS_MALFORMED)
		d->stats.malformed++;
	r->length = (uint16_t)len;
	frame_hdr_put(f, r);
	memset(f + FRAME_HDR + len, 0, frame_padded(len) - len);
	d->out_tail += frame_size(len);
	d->stats.frames_out++;
}

/* One ERROR result for a header the device cannot parse. */
static void emit_error(struct soft_device *d)
{
	struct frame_hdr r = {
		.type = FGP_TYPE_ERROR | FGP_RESULT_BIT,
		.status = FGP_STATUS_MALFORMED,
		.sa = FGP_SA_NONE,
	};

	emit(d, &r, 0);
}

/* ---- frame handlers ---- */

static uint8_t packet(struct soft_device *d, const struct frame_hdr *h, const uint8_t *in,
		      struct frame_hdr *r, size_t *rlen)
{
	struct soft_sa *sa = soft_sa_find(d, h->sa);
	struct soft_pkt p = {
		.in = in,
		.in_len = h->length,
		.next_header = (uint8_t)h->aux,
		.out = result_payload(d),
	};
	bool encap = h->type == FGP_TYPE_ENCAP;
	uint8_t status;

	if (!sa) {
		d->stats.no_sa++;
		return FGP_STATUS_NO_SA;
	}
	if (!!(sa->flags & FGP_SAFLAG_INBOUND) == encap)
		status = FGP_STATUS_WRONG_DIR;
	else if (sa->flags & FGP_SAFLAG_AH)
		status = encap ? soft_ah_encap(sa, &p) : soft_ah_decap(sa, &p);
	else
		status = encap ? soft_esp_encap(sa, &p) : soft_esp_decap(sa, &p);
	soft_sa_count(sa, status, p.bytes);
	if (status == FGP_STATUS_OK) {
		*rlen = p.out_len;
		r->aux = p.aux;
	}
	return status;
}

static void caps(const struct soft_device *d, uint8_t *out)
{
	struct offload_caps c = {
		.version = FGP_VERSION,
		.cipher_cores = SOFT_CIPHER_CORES,
		.auth_cores = SOFT_AUTH_CORES,
		.sa_entries = SOFT_SA_ENTRIES,
		.replay_max = REPLAY_MAX,
		.max_payload = FGP_MAX_PAYLOAD,
		.algs = d->algs,
	};

	frame_caps_put(out, &c);
}

static uint8_t counters(struct soft_device *d, uint16_t slot, uint8_t *out)
{
	const struct soft_sa *sa = soft_sa_find(d, slot);
	struct offload_counters c;

	if (!sa)
		return FGP_STATUS_NO_SA;
	soft_sa_counters(sa, &c);
	frame_cnt_put(out, &c);
	return FGP_STATUS_OK;
}

/* Payload size each control request must have. */
static bool control_length_ok(uint8_t type, size_t len)
{
	return len == (type == FGP_TYPE_SA_LOAD ? FGP_SA_SIZE : 0);
}

/* A whole frame is in d->frame: answer it. */
static void process(struct soft_device *d)
{
	const struct frame_hdr *h = &d->hdr;
	const uint8_t *in = d->frame + FRAME_HDR;
	uint8_t *out = result_payload(d);
	struct frame_hdr r = {
		.type = h->type | FGP_RESULT_BIT,
		.sa = h->sa,
		.tag = h->tag,
	};
	size_t rlen = 0;

	switch (h->type) {
	case FGP_TYPE_ENCAP:
	case FGP_TYPE_DECAP:
		r.status = packet(d, h, in, &r, &rlen);
		break;
	case FGP_TYPE_CAPS:
	case FGP_TYPE_RESET:
	case FGP_TYPE_SA_LOAD:
	case FGP_TYPE_SA_CLEAR:
	case FGP_TYPE_COUNTERS:
	case FGP_TYPE_STATS:
		if (!control_length_ok(h->type, h->length)) {
			r.status = FGP_STATUS_MALFORMED;
			break;
		}
		if (h->type == FGP_TYPE_CAPS) {
			caps(d, out);
			rlen = FGP_CAPS_SIZE;
		} else if (h->type == FGP_TYPE_RESET) {
			soft_sa_clear_all(d);
			memset(&d->stats, 0, sizeof(d->stats));
		} else if (h->type == FGP_TYPE_SA_LOAD) {
			r.status = soft_sa_load(d, h->sa, in, h->length);
			crypto_wipe(d->frame, frame_size(h->length));   /* keys */
		} else if (h->type == FGP_TYPE_SA_CLEAR) {
			r.status = soft_sa_clear(d, h->sa);
		} else if (h->type == FGP_TYPE_COUNTERS) {
			r.status = counters(d, h->sa, out);
			rlen = FGP_CNT_SIZE;
		} else {
			frame_stats_put(out, &d->stats);
			rlen = FGP_STATS_SIZE;
		}
		break;
	default:
		fg_debug("soft device: unknown frame type 0x%02x (tag %u)", h->type, h->tag);
		r.status = FGP_STATUS_MALFORMED;
		break;
	}
	emit(d, &r, rlen);
}

static void too_big(struct soft_device *d)
{
	struct frame_hdr r = {
		.type = d->hdr.type | FGP_RESULT_BIT,
		.status = FGP_STATUS_TOO_BIG,
		.sa = d->hdr.sa,
		.tag = d->hdr.tag,
	};

	emit(d, &r, 0);
}

/* ---- input state machine ---- */

/* Copies up to want - d->have bytes into frame[]; returns how many. */
static size_t fill(struct soft_device *d, const uint8_t *buf, size_t len, size_t want)
{
	size_t n = want - d->have;

	if (n > len)
		n = len;
	memcpy(d->frame + d->have, buf, n);
	d->have += n;
	return n;
}

/* The header is complete: decide what the rest of the frame is. */
static void header_in(struct soft_device *d)
{
	frame_hdr_get(d->frame, FRAME_HDR, &d->hdr);  /* MAGIC and VERSION checked */
	d->stats.frames_in++;
	if (d->hdr.length > FGP_MAX_PAYLOAD) {
		fg_debug("soft device: frame of %u payload bytes (tag %u) is too big",
			 d->hdr.length, d->hdr.tag);
		d->rx = RX_SKIP;
		d->skip = frame_padded(d->hdr.length);
		d->have = 0;
		return;
	}
	d->rx = RX_PAYLOAD;
}

/* Takes bytes up to and including the next event (a header word checked,
 * a frame complete, a word dropped) and handles it, producing at most one
 * result. Returns the number of bytes taken (at least one). */
static size_t feed(struct soft_device *d, const uint8_t *buf, size_t len)
{
	size_t n = 0;

	switch (d->rx) {
	case RX_SKIP:
		n = len < d->skip ? len : d->skip;
		d->skip -= n;
		if (!d->skip) {
			too_big(d);
			d->rx = RX_HDR;
		}
		return n;
	case RX_RESYNC:
		n = fill(d, buf, len, FRAME_WORD);
		if (d->have < FRAME_WORD)
			return n;
		if (frame_word_starts_header(d->frame, FGP_MAX_PAYLOAD)) {
			d->rx = RX_HDR;         /* word 0 of the next header */
		} else {
			d->stats.resync_bytes += FRAME_WORD;
			d->have = 0;
		}
		return n;
	case RX_HDR:
		if (d->have < FRAME_WORD) {
			n = fill(d, buf, len, FRAME_WORD);
			if (d->have == FRAME_WORD &&
			    (d->frame[FGP_HDR_MAGIC_OFF] != FGP_MAGIC ||
			     d->frame[FGP_HDR_VERSION_OFF] != FGP_VERSION)) {
				fg_debug("soft device: bad frame header (magic 0x%02x version %u): resync",
					 d->frame[FGP_HDR_MAGIC_OFF], d->frame[FGP_HDR_VERSION_OFF]);
				emit_error(d);
				d->stats.resync_bytes += FRAME_WORD;
				d->have = 0;
				d->rx = RX_RESYNC;
			}
			return n;
		}
		n = fill(d, buf, len, FRAME_HDR);
		if (d->have == FRAME_HDR)
			header_in(d);
		break;
	case RX_PAYLOAD:
		n = fill(d, buf, len, frame_size(d->hdr.length));
		break;
	}
	/* A frame with an empty payload is complete with its header. */
	if (d->rx == RX_PAYLOAD && d->have == frame_size(d->hdr.length)) {
		process(d);
		d->have = 0;
		d->rx = RX_HDR;
	}
	return n;
}

/* ---- device ops ---- */

static long soft_write(struct fg_device *dev, const uint8_t *buf, size_t len)
{
	struct soft_device *d = soft(dev);
	size_t used = 0;

	if (!buf && len)
		return FG_ERR_INVAL;
	while (used < len && out_room(d) >= FRAME_RESULT_MAX)
		used += feed(d, buf + used, len - used);
	return (long)used;
}

static long soft_read(struct fg_device *dev, uint8_t *buf, size_t max)
{
	struct soft_device *d = soft(dev);
	size_t n = d->out_tail - d->out_head;

	if (!buf && max)
		return FG_ERR_INVAL;
	if (n > max)
		n = max;
	memcpy(buf, d->out + d->out_head, n);
	d->out_head += n;
	return (long)n;
}

static int soft_poll(struct fg_device *dev, int timeout_ms)
{
	/* Every frame is processed as soon as it is complete. */
	(void)dev;
	(void)timeout_ms;
	return 0;
}

static void soft_close(struct fg_device *dev)
{
	struct soft_device *d = soft(dev);

	if (!d)
		return;
	soft_sa_clear_all(d);
	crypto_wipe(d->frame, sizeof(d->frame));
	free(d->out);
	free(d);
}

static const struct fg_device_ops soft_ops = {
	.write = soft_write,
	.read = soft_read,
	.poll = soft_poll,
	.close = soft_close,
};

/* CAPS.ALGS: every algorithm, less single DES when OpenSSL's legacy
 * provider is missing (SA_LOAD then answers UNSUPPORTED for it). */
static uint16_t probe_algs(void)
{
	static const uint8_t key[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t block[SOFT_BLOCK] = { 0 };
	uint16_t algs = 1u << FGP_CIPHER_NULL | 1u << FGP_CIPHER_TDES_CBC |
			1u << (8 + FGP_AUTH_NONE) | 1u << (8 + FGP_AUTH_HMAC_SHA1) |
			1u << (8 + FGP_AUTH_HMAC_MD5);

	if (crypto_cbc(CRYPTO_CIPHER_DES_CBC, 1, key, 8, block, block, block, SOFT_BLOCK) == 0)
		algs |= 1u << FGP_CIPHER_DES_CBC;
	else
		fg_warn("soft device: DES-CBC unavailable in OpenSSL: DES SAs will be refused");
	return algs;
}

struct fg_device *soft_device_open(void)
{
	struct soft_device *d;
	int rc = crypto_init();

	if (rc) {
		fg_err("soft device: OpenSSL unusable: %s", fg_err_name(rc));
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (d)
		d->out = malloc(SOFT_OUT_CAP);
	if (!d || !d->out) {
		fg_err("soft device: cannot allocate its state: %s", fg_err_name(FG_ERR_NOMEM));
		free(d);
		return NULL;
	}
	d->base.ops = &soft_ops;
	d->base.name = "soft";
	d->algs = probe_algs();
	d->rx = RX_HDR;
	return &d->base;
}
