/*
 * The offload library's result stream: reading result frames from the
 * device, matching them to the packets in flight by tag or to the waiting
 * control call, and writing request frames while the device is full.
 * Result frames are trusted no more than packets: a header that does not
 * parse, a length beyond OFFLOAD_MAX_RESULT or a tag nobody waits for is
 * logged, counted (offload_bad_results) and dropped.
 */
#include <string.h>
#include <time.h>

#include "common/err.h"
#include "common/log.h"
#include "offload/offload_priv.h"

long long offload_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void bad_result(struct offload *o, const struct frame_hdr *h, const char *why)
{
	o->bad_results++;
	fg_warn("offload %s: dropped result frame (type 0x%02x status %s sa %u tag %u): %s",
		o->dev->name, h->type, fgp_status_name(h->status), h->sa, h->tag, why);
}

/* ---- results ---- */

static struct slot *find_sent(struct offload *o, uint32_t tag)
{
	size_t i;

	for (i = 0; i < OFFLOAD_INFLIGHT_MAX; i++)
		if (o->slots[i].state == SLOT_SENT && o->slots[i].tag == tag)
			return &o->slots[i];
	return NULL;
}

static void packet_result(struct offload *o, const struct frame_hdr *h, const uint8_t *payload)
{
	struct slot *s = find_sent(o, h->tag);

	if (!s) {
		bad_result(o, h, "no packet in flight has this tag");
		return;
	}
	if (s->type != (h->type & ~FGP_RESULT_BIT) || s->sa != h->sa) {
		bad_result(o, h, "type or SA differ from the request with this tag");
		return;
	}
	s->status = h->status;
	s->aux = h->aux;
	s->len = h->length;
	memcpy(s->data, payload, h->length);
	offload_shadow_result(o, s);
	s->state = SLOT_DONE;
	o->done[(o->done_head + o->ndone) % OFFLOAD_INFLIGHT_MAX] = (uint16_t)(s - o->slots);
	o->ndone++;
}

static void control_result(struct offload *o, const struct frame_hdr *h, const uint8_t *payload)
{
	if (!o->ctl.waiting || o->ctl.got || h->type != (o->ctl.type | FGP_RESULT_BIT) ||
	    h->tag != o->ctl.tag) {
		bad_result(o, h, "no control request waits for it");
		return;
	}
	if (h->length > OFFLOAD_CONTROL_RESULT_MAX) {
		bad_result(o, h, "control result payload too long");
		return;
	}
	o->ctl.hdr = *h;
	memcpy(o->ctl.payload, payload, h->length);
	o->ctl.got = true;
}

static void dispatch(struct offload *o, const struct frame_hdr *h, const uint8_t *payload)
{
	switch (h->type) {
	case FGP_TYPE_ENCAP | FGP_RESULT_BIT:
	case FGP_TYPE_DECAP | FGP_RESULT_BIT:
		packet_result(o, h, payload);
		break;
	case FGP_TYPE_CAPS | FGP_RESULT_BIT:
	case FGP_TYPE_RESET | FGP_RESULT_BIT:
	case FGP_TYPE_SA_LOAD | FGP_RESULT_BIT:
	case FGP_TYPE_SA_CLEAR | FGP_RESULT_BIT:
	case FGP_TYPE_COUNTERS | FGP_RESULT_BIT:
	case FGP_TYPE_STATS | FGP_RESULT_BIT:
		control_result(o, h, payload);
		break;
	case FGP_TYPE_ERROR | FGP_RESULT_BIT:
		bad_result(o, h, "the device could not parse a request");
		break;
	default:
		bad_result(o, h, "unknown result type");
		break;
	}
}

/* Takes every complete frame out of rx. A header that does not parse is
 * dropped one 8-byte word at a time until one does. */
static void parse_rx(struct offload *o)
{
	struct frame_hdr h;
	size_t off = 0, size;

	while (o->rx_len - off >= FRAME_HDR) {
		if (frame_hdr_get(o->rx + off, o->rx_len - off, &h) ||
		    !(h.type & FGP_RESULT_BIT) || h.length > OFFLOAD_MAX_RESULT) {
			if (!o->rx_lost)
				bad_result(o, &h, "bad header: skipping to the next one");
			o->rx_lost = true;
			off += FRAME_WORD;
			continue;
		}
		o->rx_lost = false;
		size = frame_size(h.length);
		if (o->rx_len - off < size)
			break;
		dispatch(o, &h, o->rx + off + FRAME_HDR);
		off += size;
	}
	memmove(o->rx, o->rx + off, o->rx_len - off);
	o->rx_len -= off;
}

/* Reads whatever the device has ready. Returns the bytes read or a
 * negative fg_err. */
long offload_pump(struct offload *o)
{
	long n, total = 0;

	for (;;) {
		n = o->dev->ops->read(o->dev, o->rx + o->rx_len, OFFLOAD_RX_CAP - o->rx_len);
		if (n == FG_ERR_GONE) {
			offload_lost(o);
			return n;
		}
		if (n < 0) {
			fg_err("offload %s: reading results failed: %s", o->dev->name,
			       fg_err_name((int)n));
			return n;
		}
		if (n == 0)
			return total;
		o->rx_len += (size_t)n;
		total += n;
		parse_rx(o);
	}
}

/* Waits for the device for one slice: it reads results first. Returns 0,
 * 1 when something arrived, or a negative fg_err. */
int offload_wait(struct offload *o)
{
	long n = offload_pump(o);
	int rc;

	if (n)
		return n < 0 ? (int)n : 1;
	rc = o->dev->ops->poll(o->dev, OFFLOAD_POLL_SLICE_MS);
	if (rc == FG_ERR_GONE)
		offload_lost(o);
	if (rc)
		return rc;
	n = offload_pump(o);
	return n < 0 ? (int)n : n > 0;
}

/* Writes one whole frame, reading results while the device is full. A
 * frame that goes out only in part leaves the stream unusable. */
int offload_send(struct offload *o, const uint8_t *buf, size_t len)
{
	long long deadline = offload_now_ms() + OFFLOAD_TIMEOUT_MS;
	size_t off = 0;
	long n;
	int rc = 0;

	while (off < len) {
		n = o->dev->ops->write(o->dev, buf + off, len - off);
		if (n == FG_ERR_GONE) {
			offload_lost(o);
			return (int)n;
		}
		if (n < 0) {
			rc = (int)n;
			fg_err("offload %s: writing a frame failed: %s", o->dev->name, fg_err_name(rc));
			break;
		}
		off += (size_t)n;
		if (n > 0) {
			deadline = offload_now_ms() + OFFLOAD_TIMEOUT_MS;
			continue;
		}
		rc = offload_wait(o);
		if (rc < 0)
			break;
		if (offload_now_ms() > deadline) {
			rc = FG_ERR_TIMEOUT;
			fg_err("offload %s: the device took no bytes for %d ms", o->dev->name,
			       OFFLOAD_TIMEOUT_MS);
			break;
		}
		rc = 0;
	}
	if (rc && off && !o->gone)
		o->broken = true;
	return rc;
}

