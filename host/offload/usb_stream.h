/*
 * The byte stream of the framed protocol over USB bulk transfers, apart
 * from any USB library: the usb transport (usb.c, libusb) and the FT601
 * pin-level bench (tests/hdl/ft601, the sim/ft601_model.h cycle model) run
 * this same code.
 *
 * OUT: write() stages request bytes; kick() sends the staged whole 8-byte
 * stream words (frames are 8-byte aligned, docs/protocol.md, so the FT601
 * never gets a partial bus word) in transfers of up to USB_STREAM_XFER_SIZE
 * bytes, up to USB_STREAM_XFERS of them in flight. The USB stack splits a
 * transfer into packets (512 bytes at high speed, 1024 at SuperSpeed); the
 * bytes run on across packet and transfer boundaries.
 * IN: kick() keeps up to USB_STREAM_XFERS IN transfers posted while the
 * receive ring has room for all of them; each completes with any length
 * (short packets end a transfer) and its bytes join the ring in the order
 * the transfers were posted, whatever order they complete in. read() takes
 * bytes from the ring.
 *
 * The owner provides submit functions and reports each completion through
 * usb_stream_out_done()/usb_stream_in_done(). The first transfer error is
 * kept (s->err) and returned by every later call. One thread at a time.
 */
#ifndef FGATE_OFFLOAD_USB_STREAM_H
#define FGATE_OFFLOAD_USB_STREAM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
	USB_STREAM_XFERS = 4,           /* transfers in flight each way */
	USB_STREAM_XFER_SIZE = 16384,   /* bytes per transfer, a multiple of 1024 */
	USB_STREAM_WORD = 8,            /* OUT transfers carry whole stream words */
	USB_STREAM_RX_CAP = 2 * USB_STREAM_XFERS * USB_STREAM_XFER_SIZE,
};

enum usb_xfer_state { USB_XFER_FREE, USB_XFER_BUSY, USB_XFER_DONE };

struct usb_stream_ops {
	/* Start one transfer on the slot's buffer; its completion comes later
	 * through usb_stream_*_done(). Return 0 or a negative fg_err. */
	int (*submit_out)(void *ctx, unsigned slot, const uint8_t *buf, size_t len);
	int (*submit_in)(void *ctx, unsigned slot, uint8_t *buf, size_t cap);
};

struct usb_xfer {
	uint8_t *buf;                   /* USB_STREAM_XFER_SIZE bytes */
	enum usb_xfer_state state;
	size_t len;                     /* OUT: submitted; IN: received */
};

struct usb_stream {
	const struct usb_stream_ops *ops;
	void *ctx;
	int err;                        /* first error, sticky (0: none) */

	uint8_t *stage;                 /* request bytes not yet submitted */
	size_t stage_len;
	struct usb_xfer out[USB_STREAM_XFERS];

	struct usb_xfer in[USB_STREAM_XFERS];
	unsigned in_head, in_posted;    /* ring of posted IN transfers */
	uint8_t *rx;                    /* ring of received bytes */
	size_t rx_head, rx_len;

	uint64_t bytes_out, bytes_in, xfers_out, xfers_in;
};

/* Returns 0 or FG_ERR_NOMEM. */
int usb_stream_init(struct usb_stream *s, const struct usb_stream_ops *ops, void *ctx);
/* Frees the buffers; call only with no transfer in flight. */
void usb_stream_free(struct usb_stream *s);

/* Stages up to len bytes; returns the number taken (0 when the stage is
 * full and every OUT transfer busy) or s->err. Submits what it can. */
long usb_stream_write(struct usb_stream *s, const uint8_t *buf, size_t len);
/* Copies up to max received bytes; returns the count or s->err (bytes
 * received before an error are still handed out first). */
long usb_stream_read(struct usb_stream *s, uint8_t *buf, size_t max);
/* Submits staged whole words and posts IN transfers as far as slots and
 * room allow. Returns 0 or s->err. */
int usb_stream_kick(struct usb_stream *s);

void usb_stream_out_done(struct usb_stream *s, unsigned slot, int err, size_t actual);
void usb_stream_in_done(struct usb_stream *s, unsigned slot, int err, size_t actual);

/* Transfers in flight (both ways). */
unsigned usb_stream_busy(const struct usb_stream *s);
/* Bytes staged or in OUT transfers not yet completed. */
size_t usb_stream_unsent(const struct usb_stream *s);

#ifdef __cplusplus
}
#endif

#endif
