/*
 * Soft device: the byte stream, frame parsing and resynchronisation, the
 * dispatch of every frame type and control frames. Packets go to worker
 * threads through the result ring (soft_pool.c: one SA's packets in
 * request order, SAs in parallel, results in request order; control
 * frames wait for every packet before them). The packet transforms are in
 * soft_esp.c and soft_ah.c, the SA table in soft_sa.c.
 *
 * Counting rules (the RTL engine must count the same way):
 * - STATS.FRAMES_IN: headers accepted (MAGIC and VERSION right), counted
 *   when the header is in, whatever the frame turns out to be;
 * - STATS.FRAMES_OUT: result frames, counted as each leaves in order (a STATS
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

/* ---- results ---- */

/* Results go into the ring's next slot (soft_pool.c), which write() made
 * sure is free; the payload is built in place after the header. */
static uint8_t *result_payload(struct soft_device *d)
{
	return soft_pool_next(d)->frame + FRAME_HDR;
}

/* A result complete now (control frames, errors, NO_SA; a packet refused
 * before its transform counts on sa): it leaves after every earlier one.
 * The ring frames and counts it (STATS.FRAMES_OUT, MALFORMED, the SA's
 * counters) when it retires. */
static void emit_sa(struct soft_device *d, const struct frame_hdr *r, size_t len,
		    struct soft_sa *sa)
{
	struct soft_slot *s = soft_pool_next(d);

	s->sa = sa;
	s->bytes = 0;
	s->replay_check = false;
	s->res = *r;
	s->res_len = len;
	soft_pool_finish(d);
}

static void emit(struct soft_device *d, const struct frame_hdr *r, size_t len)
{
	emit_sa(d, r, len, NULL);
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

uint8_t soft_encap_reserve(struct soft_sa *sa, const uint8_t *in, size_t len, uint32_t *seq)
{
	bool ah = sa->flags & FGP_SAFLAG_AH;

	if (sa->flags & FGP_SAFLAG_INBOUND)
		return FGP_STATUS_WRONG_DIR;
	if (ah ? !soft_ah_encap_len_ok(in, len) : !soft_esp_encap_len_ok(sa, len))
		return FGP_STATUS_BAD_LENGTH;
	if (sa->next_seq > UINT32_MAX)
		return FGP_STATUS_SEQ_OVERFLOW;
	*seq = (uint32_t)sa->next_seq++;
	return FGP_STATUS_OK;
}

/* Runs on a worker, alongside other packets of its SA: an ENCAP that
 * soft_encap_reserve passed, or a DECAP with the checks after NO_SA (the
 * anti-replay one left for the retire). The counters are the caller's,
 * when the result retires. */
void soft_packet(struct soft_slot *s)
{
	struct soft_sa *sa = s->sa;
	struct soft_pkt p = {
		.in = s->in,
		.in_len = s->req.length,
		.next_header = (uint8_t)s->req.aux,
		.seq = s->seq,
		.out = s->frame + FRAME_HDR,
	};
	bool ah = sa->flags & FGP_SAFLAG_AH;
	uint8_t status;

	if (s->req.type == FGP_TYPE_ENCAP)
		status = ah ? soft_ah_encap(sa, &p) : soft_esp_encap(sa, &p);
	else if (!(sa->flags & FGP_SAFLAG_INBOUND))
		status = FGP_STATUS_WRONG_DIR;
	else
		status = ah ? soft_ah_decap(sa, &p) : soft_esp_decap(sa, &p);
	s->bytes = p.bytes;
	s->replay_check = p.replay_check;
	s->authentic = p.authentic;
	if (p.replay_check)
		s->seq = p.seq;
	s->res.status = status;
	s->res_len = 0;
	if (status == FGP_STATUS_OK) {
		s->res_len = p.out_len;
		s->res.aux = p.aux;
	}
}

/* ENCAP or DECAP: NO_SA at once, else to a worker. */
static void packet(struct soft_device *d, const struct frame_hdr *h, const uint8_t *in,
		   const struct frame_hdr *r)
{
	struct soft_sa *sa = soft_sa_find(d, h->sa);
	struct soft_slot *s;
	struct frame_hdr res = *r;
	uint32_t seq = 0;

	if (!sa) {
		d->stats.no_sa++;
		res.status = FGP_STATUS_NO_SA;
		emit(d, &res, 0);
		return;
	}
	if (h->type == FGP_TYPE_ENCAP) {
		res.status = soft_encap_reserve(sa, in, h->length, &seq);
		if (res.status != FGP_STATUS_OK) {
			emit_sa(d, &res, 0, sa);
			return;
		}
	}
	s = soft_pool_next(d);
	s->sa = sa;
	s->seq = seq;
	s->req = *h;
	s->res = res;
	memcpy(s->in, in, h->length);
	soft_pool_queue(d);
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
		packet(d, h, in, &r);
		return;
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
		/* A barrier behind every packet before it (docs/protocol.md). */
		soft_pool_barrier(d);
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
	/* feed() makes at most one result per call. */
	while (used < len && soft_pool_room(d))
		used += feed(d, buf + used, len - used);
	return (long)used;
}

static long soft_read(struct fg_device *dev, uint8_t *buf, size_t max)
{
	if (!buf && max)
		return FG_ERR_INVAL;
	if (!max)
		return 0;
	return (long)soft_pool_read(soft(dev), buf, max);
}

static int soft_poll(struct fg_device *dev, int timeout_ms)
{
	soft_pool_wait(soft(dev), timeout_ms);
	return 0;
}

static void soft_close(struct fg_device *dev)
{
	struct soft_device *d = soft(dev);

	if (!d)
		return;
	soft_pool_stop(d);
	soft_sa_clear_all(d);
	crypto_wipe(d->frame, sizeof(d->frame));
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
	rc = d ? soft_pool_start(d) : FG_ERR_NOMEM;
	if (rc) {
		fg_err("soft device: cannot allocate its state or start its workers: %s",
		       fg_err_name(rc));
		free(d);
		return NULL;
	}
	d->base.ops = &soft_ops;
	d->base.name = "soft";
	d->algs = probe_algs();
	d->rx = RX_HDR;
	return &d->base;
}
