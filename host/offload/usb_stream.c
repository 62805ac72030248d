/*
 * Bulk-transfer framing of the request and result byte streams
 * (usb_stream.h).
 */
#include "offload/usb_stream.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"

int usb_stream_init(struct usb_stream *s, const struct usb_stream_ops *ops, void *ctx)
{
	unsigned i;

	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->ctx = ctx;
	s->stage = malloc(USB_STREAM_XFER_SIZE);
	s->rx = malloc(USB_STREAM_RX_CAP);
	if (!s->stage || !s->rx)
		goto fail;
	for (i = 0; i < USB_STREAM_XFERS; i++) {
		s->out[i].buf = malloc(USB_STREAM_XFER_SIZE);
		s->in[i].buf = malloc(USB_STREAM_XFER_SIZE);
		if (!s->out[i].buf || !s->in[i].buf)
			goto fail;
	}
	return 0;
fail:
	usb_stream_free(s);
	return FG_ERR_NOMEM;
}

void usb_stream_free(struct usb_stream *s)
{
	unsigned i;

	for (i = 0; i < USB_STREAM_XFERS; i++) {
		free(s->out[i].buf);
		free(s->in[i].buf);
		s->out[i].buf = s->in[i].buf = NULL;
	}
	free(s->stage);
	free(s->rx);
	s->stage = s->rx = NULL;
}

static int free_out_slot(const struct usb_stream *s)
{
	unsigned i;

	for (i = 0; i < USB_STREAM_XFERS; i++)
		if (s->out[i].state == USB_XFER_FREE)
			return (int)i;
	return -1;
}

static int submit_staged(struct usb_stream *s)
{
	int slot;
	size_t n;
	int rc;

	while (s->stage_len >= USB_STREAM_WORD && (slot = free_out_slot(s)) >= 0) {
		struct usb_xfer *x = &s->out[slot];

		n = s->stage_len - s->stage_len % USB_STREAM_WORD;
		memcpy(x->buf, s->stage, n);
		memmove(s->stage, s->stage + n, s->stage_len - n);
		s->stage_len -= n;
		x->len = n;
		x->state = USB_XFER_BUSY;
		rc = s->ops->submit_out(s->ctx, (unsigned)slot, x->buf, n);
		if (rc) {
			x->state = USB_XFER_FREE;
			s->err = rc;
			return rc;
		}
	}
	return 0;
}

/* Posts IN transfers while the ring could take every posted one full. */
static int post_in(struct usb_stream *s)
{
	int rc;

	while (s->in_posted < USB_STREAM_XFERS &&
	       s->rx_len + (s->in_posted + 1) * (size_t)USB_STREAM_XFER_SIZE <= USB_STREAM_RX_CAP) {
		unsigned slot = (s->in_head + s->in_posted) % USB_STREAM_XFERS;
		struct usb_xfer *x = &s->in[slot];

		x->state = USB_XFER_BUSY;
		x->len = 0;
		s->in_posted++;
		rc = s->ops->submit_in(s->ctx, slot, x->buf, USB_STREAM_XFER_SIZE);
		if (rc) {
			x->state = USB_XFER_FREE;
			s->in_posted--;
			s->err = rc;
			return rc;
		}
	}
	return 0;
}

int usb_stream_kick(struct usb_stream *s)
{
	if (s->err)
		return s->err;
	if (submit_staged(s))
		return s->err;
	return post_in(s);
}

long usb_stream_write(struct usb_stream *s, const uint8_t *buf, size_t len)
{
	size_t n;

	if (s->err)
		return s->err;
	n = USB_STREAM_XFER_SIZE - s->stage_len;
	if (n > len)
		n = len;
	memcpy(s->stage + s->stage_len, buf, n);
	s->stage_len += n;
	if (usb_stream_kick(s))
		return s->err;
	return (long)n;
}

long usb_stream_read(struct usb_stream *s, uint8_t *buf, size_t max)
{
	size_t n = s->rx_len < max ? s->rx_len : max, first;

	if (!n) {
		if (!s->err)
			usb_stream_kick(s);     /* keep IN transfers posted */
		return s->err;
	}
	first = USB_STREAM_RX_CAP - s->rx_head;
	if (first > n)
		first = n;
	memcpy(buf, s->rx + s->rx_head, first);
	memcpy(buf + first, s->rx, n - first);
	s->rx_head = (s->rx_head + n) % USB_STREAM_RX_CAP;
	s->rx_len -= n;
	if (!s->err)
		usb_stream_kick(s);
	return (long)n;
}

void usb_stream_out_done(struct usb_stream *s, unsigned slot, int err, size_t actual)
{
	struct usb_xfer *x = &s->out[slot % USB_STREAM_XFERS];

	if (!s->err && (err || actual != x->len))
		s->err = err ? err : FG_ERR_IO;
	if (!err) {
		s->bytes_out += actual;
		s->xfers_out++;
	}
	x->state = USB_XFER_FREE;
}

/* Appends the completed transfers at the head of the ring, in post order. */
static void deliver_in(struct usb_stream *s)
{
	while (s->in_posted && s->in[s->in_head].state == USB_XFER_DONE) {
		struct usb_xfer *x = &s->in[s->in_head];
		size_t tail = (s->rx_head + s->rx_len) % USB_STREAM_RX_CAP;
		size_t first = USB_STREAM_RX_CAP - tail;

		if (first > x->len)
			first = x->len;
		memcpy(s->rx + tail, x->buf, first);
		memcpy(s->rx, x->buf + first, x->len - first);
		s->rx_len += x->len;
		s->bytes_in += x->len;
		s->xfers_in++;
		x->state = USB_XFER_FREE;
		s->in_head = (s->in_head + 1) % USB_STREAM_XFERS;
		s->in_posted--;
	}
}

void usb_stream_in_done(struct usb_stream *s, unsigned slot, int err, size_t actual)
{
	struct usb_xfer *x = &s->in[slot % USB_STREAM_XFERS];

	if (!s->err && err)
		s->err = err;
	x->len = actual <= USB_STREAM_XFER_SIZE ? actual : USB_STREAM_XFER_SIZE;
	x->state = USB_XFER_DONE;
	deliver_in(s);
}

unsigned usb_stream_busy(const struct usb_stream *s)
{
	unsigned i, n = 0;

	for (i = 0; i < USB_STREAM_XFERS; i++) {
		n += s->out[i].state == USB_XFER_BUSY;
		n += s->in[i].state == USB_XFER_BUSY;
	}
	return n;
}

size_t usb_stream_unsent(const struct usb_stream *s)
{
	size_t n = s->stage_len;
	unsigned i;

	for (i = 0; i < USB_STREAM_XFERS; i++)
		if (s->out[i].state == USB_XFER_BUSY)
			n += s->out[i].len;
	return n;
}
