/*
 * The "sim-ft601" backend: the simulated device the way a board is built
 * (sim/fgate_sim_ft601.h: the FT601 chip model at the pins of the bridge
 * RTL, the clock crossing and the engine) reached through the usb
 * transport's own framing code (usb_stream.c), so the whole USB path but
 * libusb runs. The model runs only when polled, as in the sim backend: each
 * poll runs bridge clock cycles until everything is quiet or a cycle budget
 * is spent.
 *
 * Transfers: usb_stream's submit_out hands the transfer to the model at
 * once (the model copies it) and remembers its slot; its completion is
 * reported when the model's count of pending OUT transfers drops (they
 * complete in order). submit_in only remembers the slot and buffer; the
 * model's completed IN transfers are handed to the oldest posted slot. All
 * completions are collected on the caller's thread inside write, read and
 * poll, so close has nothing in flight to cancel.
 *
 * args: "trace=FILE.vcd" writes a waveform of the bridge and the engine.
 */
#include "offload/sim_device.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "fgate_sim_ft601.h"
#include "offload/usb_stream.h"

enum {
	/* Bridge cycles one poll may run: the same simulated time as the sim
	 * backend's SIM_POLL_CYCLES engine cycles (the bridge clock runs at
	 * twice the engine's). */
	FT601_POLL_CYCLES = 4000000,
};

_Static_assert((long)USB_STREAM_XFER_SIZE >= (long)FGATE_SIM_FT601_XFER_SIZE,
	       "an IN transfer of the model must fit a usb_stream transfer buffer");

/* Transfers handed to the model, oldest first (a ring of slot numbers). */
struct xfer_fifo {
	unsigned slot[USB_STREAM_XFERS];
	size_t len[USB_STREAM_XFERS];   /* OUT: bytes submitted; IN: capacity */
	uint8_t *buf[USB_STREAM_XFERS]; /* IN: where the bytes go */
	unsigned head, n;
};

struct ft601_device {
	struct fg_device dev;   /* first: the ops see a struct fg_device * */
	struct fgate_sim_ft601 *sim;
	struct usb_stream s;
	bool stream_ok;
	bool reported;          /* the stream's error was logged */
	struct xfer_fifo out, in;
};

static struct ft601_device *to_ft(struct fg_device *dev)
{
	return (struct ft601_device *)dev;
}

static void fifo_push(struct xfer_fifo *f, unsigned slot, uint8_t *buf, size_t len)
{
	unsigned i = (f->head + f->n) % USB_STREAM_XFERS;

	f->slot[i] = slot;
	f->buf[i] = buf;
	f->len[i] = len;
	f->n++;
}

static void fifo_pop(struct xfer_fifo *f)
{
	f->head = (f->head + 1) % USB_STREAM_XFERS;
	f->n--;
}

static int submit_out(void *ctx, unsigned slot, const uint8_t *buf, size_t len)
{
	struct ft601_device *d = ctx;

	if (d->out.n == USB_STREAM_XFERS || fgate_sim_ft601_out(d->sim, buf, len))
		return FG_ERR_IO;
	fifo_push(&d->out, slot, NULL, len);
	return 0;
}

static int submit_in(void *ctx, unsigned slot, uint8_t *buf, size_t cap)
{
	struct ft601_device *d = ctx;

	if (d->in.n == USB_STREAM_XFERS)
		return FG_ERR_IO;
	fifo_push(&d->in, slot, buf, cap);
	return 0;
}

static const struct usb_stream_ops stream_ops = { submit_out, submit_in };

/* Reports the transfers the model has completed to the stream. */
static void collect(struct ft601_device *d)
{
	while (d->out.n > fgate_sim_ft601_out_pending(d->sim)) {
		usb_stream_out_done(&d->s, d->out.slot[d->out.head], 0, d->out.len[d->out.head]);
		fifo_pop(&d->out);
	}
	while (d->in.n) {
		unsigned h = d->in.head;
		long n = fgate_sim_ft601_in(d->sim, d->in.buf[h], d->in.len[h]);

		if (!n)
			break;
		fifo_pop(&d->in);
		usb_stream_in_done(&d->s, d->in.slot[h], n < 0 ? FG_ERR_IO : 0, n < 0 ? 0 : (size_t)n);
		if (n < 0)
			break;
	}
}

static int stream_err(struct ft601_device *d)
{
	if (d->s.err && !d->reported) {
		fg_err("offload: sim-ft601: the simulated USB path failed: %s",
		       fg_err_name(d->s.err));
		d->reported = true;
	}
	return d->s.err;
}

/* Submits what the stream holds and runs the model until it is quiet with
 * nothing more to submit, or budget bridge cycles have run. */
static int pump(struct ft601_device *d, uint64_t budget)
{
	for (;;) {
		int64_t n;

		if (usb_stream_kick(&d->s))
			return stream_err(d);
		collect(d);
		if (d->s.err || !budget)
			break;
		n = fgate_sim_ft601_run(d->sim, budget);
		if (n < 0) {
			if (!d->s.err)
				d->s.err = FG_ERR_IO;
			break;
		}
		if (!n)
			break;
		budget -= (uint64_t)n;
		collect(d);
	}
	return stream_err(d);
}

static long ft_write(struct fg_device *dev, const uint8_t *buf, size_t len)
{
	struct ft601_device *d = to_ft(dev);
	long n = usb_stream_write(&d->s, buf, len);

	return n < 0 ? stream_err(d) : n;
}

static long ft_read(struct fg_device *dev, uint8_t *buf, size_t max)
{
	struct ft601_device *d = to_ft(dev);
	long n;

	/* Run the device first so a read right after a write finds results. */
	if (!d->s.rx_len)
		pump(d, FT601_POLL_CYCLES);
	n = usb_stream_read(&d->s, buf, max);
	return n < 0 ? stream_err(d) : n;
}

static int ft_poll(struct fg_device *dev, int timeout_ms)
{
	(void)timeout_ms;       /* simulated time, not wall time */
	return pump(to_ft(dev), FT601_POLL_CYCLES);
}

static void ft_close(struct fg_device *dev)
{
	struct ft601_device *d = to_ft(dev);

	/* The model holds every transfer in flight: it goes first. */
	fgate_sim_ft601_close(d->sim);
	if (d->stream_ok)
		usb_stream_free(&d->s);
	free(d);
}

static const struct fg_device_ops ft601_ops = {
	.write = ft_write,
	.read = ft_read,
	.poll = ft_poll,
	.close = ft_close,
};

uint64_t sim_ft601_device_cycles(const struct fg_device *dev)
{
	return fgate_sim_ft601_cycles(((const struct ft601_device *)dev)->sim);
}

int sim_ft601_device_open(const char *args, struct fg_device **out)
{
	const char *trace = NULL;
	struct ft601_device *d;
	int rc;

	*out = NULL;
	if (args && *args) {
		if (strncmp(args, "trace=", 6) || !args[6]) {
			fg_err("offload: backend sim-ft601 takes 'trace=FILE.vcd' (got \"%s\")", args);
			return FG_ERR_INVAL;
		}
		trace = args + 6;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return FG_ERR_NOMEM;
	d->dev.ops = &ft601_ops;
	d->dev.name = "sim-ft601";
	rc = usb_stream_init(&d->s, &stream_ops, d);
	if (rc)
		goto fail;
	d->stream_ok = true;
	d->sim = fgate_sim_ft601_open(trace);
	if (!d->sim) {
		fg_err("offload: cannot start the simulated FT601 device%s%s",
		       trace ? " tracing to " : "", trace ? trace : "");
		rc = FG_ERR_IO;
		goto fail;
	}
	rc = usb_stream_kick(&d->s);    /* post the IN transfers */
	if (rc)
		goto fail;
	*out = &d->dev;
	return 0;
fail:
	ft_close(&d->dev);
	return rc;
}
