/*
 * The usb transport over libusb-1.0 (usb.h): finding and configuring the
 * FT601, its bulk transfers, and the struct fg_device ops. The byte-stream
 * framing over the transfers is usb_stream.c.
 *
 * Transfers: USB_STREAM_XFERS OUT and as many IN transfers in flight, each
 * IN one preceded by its FT601 read request on the session endpoint (a
 * small OUT transfer of its own). Completions arrive inside poll() (libusb
 * event handling on the caller's thread: no thread of our own). A transfer
 * that fails ends the stream: a vanished device reads as "disconnected",
 * an OUT transfer the chip does not take in USB_OUT_TIMEOUT_MS as a
 * timeout. close() cancels everything in flight, then handles events until
 * every transfer has come back (USB_CLOSE_DRAIN_MS at most) before freeing.
 */
#include "offload/usb.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "offload/usb_lib.h"
#include "offload/usb_stream.h"

enum {
	EP_SESSION_OUT = 0x01,
	EP_DATA_OUT = 0x02,
	EP_DATA_IN = 0x82,
	IFACE_SESSION = 0,
	IFACE_DATA = 1,
	REQ_CHIP_CONFIG = 0xcf,
	CHIP_CONFIG_SIZE = 152,
	/* offsets in FT_60XCONFIGURATION */
	CFG_FIFO_CLOCK = 137, CFG_FIFO_MODE = 138, CFG_CHANNELS = 139,
	FIFO_CLOCK_100MHZ = 0, FIFO_MODE_245 = 0, CHANNELS_ONE = 2,
	READ_REQ_SIZE = 20,
	CTRL_TIMEOUT_MS = 1000,
};

enum xfer_kind { X_OUT, X_IN, X_REQ, X_KINDS };

struct usb_args {
	unsigned vid, pid;
	int bus, addr;                  /* -1: any (addr -1 with a bus: that bus) */
	bool set_config;
};

struct usb_dev {
	struct fg_device dev;           /* first: the handle offload.c holds */
	const struct usb_lib *lib;
	libusb_context *ctx;
	libusb_device_handle *h;
	unsigned bus, addr;
	bool claimed[2];
	struct usb_stream s;
	bool stream_ok;
	/* [X_OUT], [X_IN], [X_REQ] (read requests), one per stream slot */
	struct libusb_transfer *xf[X_KINDS][USB_STREAM_XFERS];
	bool busy[X_KINDS][USB_STREAM_XFERS];   /* submitted, not completed */
	uint8_t req_buf[USB_STREAM_XFERS][READ_REQ_SIZE];
	unsigned inflight;              /* libusb transfers submitted, not completed */
	uint32_t req_idx;
	bool reported;                  /* the stream's error was logged */
	struct usb_args args;           /* the selector, for reopen */
};

static int parse_args(const char *args, struct usb_args *a)
{
	char buf[128], *tok, *save = NULL;

	*a = (struct usb_args){ USB_FT601_VID, USB_FT601_PID, -1, -1, false };
	if (!args || !*args)
		return 0;
	if (strlen(args) >= sizeof(buf) || args[0] == ',' || args[strlen(args) - 1] == ',' ||
	    strstr(args, ",,"))
		goto bad;               /* strtok_r would skip empty items */
	strcpy(buf, args);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned x, y;
		char end;

		if (sscanf(tok, "vidpid=%x:%x%c", &x, &y, &end) == 2 && x <= 0xffff && y <= 0xffff) {
			a->vid = x;
			a->pid = y;
		} else if (sscanf(tok, "bus=%u%c", &x, &end) == 1 && x <= 255) {
			a->bus = (int)x;
		} else if (sscanf(tok, "addr=%u%c", &x, &end) == 1 && x <= 255) {
			a->addr = (int)x;
		} else if (!strcmp(tok, "config=set")) {
			a->set_config = true;
		} else {
			goto bad;
		}
	}
	if ((a->bus < 0) != (a->addr < 0))
		goto bad;
	return 0;
bad:
	fg_err("usb: bad arguments \"%s\" (vidpid=VVVV:PPPP, bus=N,addr=M, config=set)", args);
	return FG_ERR_INVAL;
}

/* Opens the first device matching a; FG_ERR_NOTFOUND when there is none. */
static int find_device(struct usb_dev *d, const struct usb_args *a)
{
	libusb_device **list;
	ssize_t n = d->lib->get_device_list(d->ctx, &list), i;
	int rc = FG_ERR_NOTFOUND, e;

	if (n < 0)
		return FG_ERR_NOTFOUND;
	for (i = 0; i < n; i++) {
		struct libusb_device_descriptor desc;
		unsigned bus = d->lib->get_bus_number(list[i]);
		unsigned addr = d->lib->get_device_address(list[i]);

		if (d->lib->get_device_descriptor(list[i], &desc) || desc.idVendor != a->vid ||
		    desc.idProduct != a->pid || (a->bus >= 0 && bus != (unsigned)a->bus) ||
		    (a->addr >= 0 && addr != (unsigned)a->addr))
			continue;
		d->bus = bus;
		d->addr = addr;
		e = d->lib->open(list[i], &d->h);
		if (e) {
			fg_err("usb: FT601 %04x:%04x at bus %u address %u cannot be opened: %s%s",
			       a->vid, a->pid, bus, addr, d->lib->error_name(e),
			       e == LIBUSB_ERROR_ACCESS ? " (no permission: add a udev rule)" : "");
			rc = FG_ERR_IO;
		} else {
			rc = 0;
		}
		break;
	}
	d->lib->free_device_list(list, 1);
	return rc;
}

/* Reads the chip configuration; writes 245 mode, one channel, 100 MHz
 * when it differs and a->set_config allows. */
static int check_config(struct usb_dev *d, const struct usb_args *a)
{
	uint8_t cfg[CHIP_CONFIG_SIZE];
	int e = d->lib->control_transfer(d->h, LIBUSB_ENDPOINT_IN | LIBUSB_REQUEST_TYPE_VENDOR |
					 LIBUSB_RECIPIENT_DEVICE, REQ_CHIP_CONFIG, 1, 0, cfg,
					 sizeof(cfg), CTRL_TIMEOUT_MS);

	if (e != (int)sizeof(cfg)) {
		fg_err("usb: FT601 at bus %u address %u: reading its configuration failed: %s",
		       d->bus, d->addr, e < 0 ? d->lib->error_name(e) : "short answer");
		return FG_ERR_IO;
	}
	if (cfg[CFG_FIFO_MODE] == FIFO_MODE_245 && cfg[CFG_CHANNELS] == CHANNELS_ONE &&
	    cfg[CFG_FIFO_CLOCK] == FIFO_CLOCK_100MHZ)
		return 0;
	if (!a->set_config) {
		fg_err("usb: FT601 at bus %u address %u is set to FIFO mode %u, channel config %u, "
		       "clock %u; the bridge needs 245 mode, one channel, 100 MHz: open with "
		       "\"config=set\" to write that (it persists in the chip)", d->bus, d->addr,
		       cfg[CFG_FIFO_MODE], cfg[CFG_CHANNELS], cfg[CFG_FIFO_CLOCK]);
		return FG_ERR_UNSUPP;
	}
	cfg[CFG_FIFO_MODE] = FIFO_MODE_245;
	cfg[CFG_CHANNELS] = CHANNELS_ONE;
	cfg[CFG_FIFO_CLOCK] = FIFO_CLOCK_100MHZ;
	e = d->lib->control_transfer(d->h, LIBUSB_ENDPOINT_OUT | LIBUSB_REQUEST_TYPE_VENDOR |
				     LIBUSB_RECIPIENT_DEVICE, REQ_CHIP_CONFIG, 0, 0, cfg,
				     sizeof(cfg), CTRL_TIMEOUT_MS);
	fg_err("usb: FT601 at bus %u address %u: %s; unplug and replug the board, then open again",
	       d->bus, d->addr, e == (int)sizeof(cfg) ? "configuration written (245 mode, one "
	       "channel, 100 MHz)" : "writing the configuration failed");
	return FG_ERR_STATE;
}

static int claim(struct usb_dev *d)
{
	int i, e;

	for (i = 0; i < 2; i++) {
		if (d->lib->kernel_driver_active(d->h, i) == 1) {
			fg_err("usb: FT601 at bus %u address %u: a kernel driver holds interface %d "
			       "(ft60x?): unload it", d->bus, d->addr, i);
			return FG_ERR_IO;
		}
		e = d->lib->claim_interface(d->h, i);
		if (e) {
			fg_err("usb: FT601 at bus %u address %u: cannot claim interface %d: %s",
			       d->bus, d->addr, i, d->lib->error_name(e));
			return FG_ERR_IO;
		}
		d->claimed[i] = true;
	}
	return 0;
}

/* ---- transfers ---- */

static void gone(struct usb_dev *d)
{
	if (!d->reported)
		fg_err("usb: FT601 at bus %u address %u disconnected", d->bus, d->addr);
	d->reported = true;
}

static int status_err(struct usb_dev *d, enum libusb_transfer_status st)
{
	switch (st) {
	case LIBUSB_TRANSFER_COMPLETED:
		return 0;
	case LIBUSB_TRANSFER_TIMED_OUT:
		return FG_ERR_TIMEOUT;
	case LIBUSB_TRANSFER_CANCELLED:
		return FG_ERR_STATE;
	case LIBUSB_TRANSFER_NO_DEVICE:
		gone(d);
		return FG_ERR_GONE;
	default:
		return FG_ERR_IO;
	}
}

/* Marks t complete; returns its stream slot. */
static unsigned completed(struct usb_dev *d, enum xfer_kind k, const struct libusb_transfer *t)
{
	unsigned i;

	for (i = 0; i < USB_STREAM_XFERS - 1 && d->xf[k][i] != t; i++)
		;
	d->busy[k][i] = false;
	d->inflight--;
	return i;
}

static void LIBUSB_CALL out_cb(struct libusb_transfer *t)
{
	struct usb_dev *d = t->user_data;
	unsigned slot = completed(d, X_OUT, t);

	usb_stream_out_done(&d->s, slot, status_err(d, t->status), (size_t)t->actual_length);
}

static void LIBUSB_CALL in_cb(struct libusb_transfer *t)
{
	struct usb_dev *d = t->user_data;
	unsigned slot = completed(d, X_IN, t);

	usb_stream_in_done(&d->s, slot, status_err(d, t->status), (size_t)t->actual_length);
}

static void LIBUSB_CALL req_cb(struct libusb_transfer *t)
{
	struct usb_dev *d = t->user_data;
	int err = status_err(d, t->status);

	completed(d, X_REQ, t);
	if (!err && t->actual_length != READ_REQ_SIZE)
		err = FG_ERR_IO;
	if (err && !d->s.err)
		d->s.err = err;
}

static int submit(struct usb_dev *d, enum xfer_kind k, unsigned slot)
{
	int e = d->lib->submit_transfer(d->xf[k][slot]);

	if (e) {
		if (e != LIBUSB_ERROR_NO_DEVICE)
			return FG_ERR_IO;
		gone(d);
		return FG_ERR_GONE;
	}
	d->busy[k][slot] = true;
	d->inflight++;
	return 0;
}

static int submit_out(void *ctx, unsigned slot, const uint8_t *buf, size_t len)
{
	struct usb_dev *d = ctx;

	libusb_fill_bulk_transfer(d->xf[X_OUT][slot], d->h, EP_DATA_OUT, (unsigned char *)buf,
				  (int)len, out_cb, d, USB_OUT_TIMEOUT_MS);
	return submit(d, X_OUT, slot);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static int submit_in(void *ctx, unsigned slot, uint8_t *buf, size_t cap)
{
	struct usb_dev *d = ctx;
	uint8_t *r = d->req_buf[slot];
	int rc;

	memset(r, 0, READ_REQ_SIZE);
	put_le32(r, ++d->req_idx);
	r[4] = EP_DATA_IN;
	r[5] = 1;                       /* read */
	put_le32(r + 8, (uint32_t)cap);
	libusb_fill_bulk_transfer(d->xf[X_REQ][slot], d->h, EP_SESSION_OUT, r, READ_REQ_SIZE,
				  req_cb, d, USB_OUT_TIMEOUT_MS);
	rc = submit(d, X_REQ, slot);
	if (rc)
		return rc;
	libusb_fill_bulk_transfer(d->xf[X_IN][slot], d->h, EP_DATA_IN, buf, (int)cap, in_cb, d, 0);
	return submit(d, X_IN, slot);
}

static const struct usb_stream_ops stream_ops = { submit_out, submit_in };

/* ---- struct fg_device ---- */

static int stream_err(struct usb_dev *d)
{
	if (d->s.err && !d->reported) {
		fg_err("usb: FT601 at bus %u address %u: transfer failed: %s", d->bus, d->addr,
		       fg_err_name(d->s.err));
		d->reported = true;
	}
	return d->s.err;
}

static long dev_write(struct fg_device *dev, const uint8_t *buf, size_t len)
{
	struct usb_dev *d = (struct usb_dev *)dev;
	long n = usb_stream_write(&d->s, buf, len);

	return n < 0 ? stream_err(d) : n;
}

static long dev_read(struct fg_device *dev, uint8_t *buf, size_t max)
{
	struct usb_dev *d = (struct usb_dev *)dev;
	long n = usb_stream_read(&d->s, buf, max);

	return n < 0 ? stream_err(d) : n;
}

static int dev_poll(struct fg_device *dev, int timeout_ms)
{
	struct usb_dev *d = (struct usb_dev *)dev;
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
	int e;

	if (usb_stream_kick(&d->s))
		return stream_err(d);
	e = d->lib->handle_events_timeout_completed(d->ctx, &tv, NULL);
	if (e == LIBUSB_ERROR_NO_DEVICE) {
		gone(d);
		return FG_ERR_GONE;
	}
	if (e && e != LIBUSB_ERROR_INTERRUPTED) {
		fg_err("usb: FT601 at bus %u address %u: event handling failed: %s", d->bus, d->addr,
		       d->lib->error_name(e));
		return FG_ERR_IO;
	}
	return stream_err(d);
}

/* Cancels what is in flight and waits for it to come back. */
static void drain(struct usb_dev *d)
{
	unsigned i, k, rounds;

	for (k = 0; k < X_KINDS; k++)
		for (i = 0; i < USB_STREAM_XFERS; i++)
			if (d->busy[k][i])
				d->lib->cancel_transfer(d->xf[k][i]);
	for (rounds = 0; d->inflight && rounds < USB_CLOSE_DRAIN_MS / 10; rounds++) {
		struct timeval tv = { 0, 10000 };

		d->lib->handle_events_timeout_completed(d->ctx, &tv, NULL);
	}
}

static int alloc_transfers(struct usb_dev *d)
{
	unsigned i, k;

	for (k = 0; k < X_KINDS; k++)
		for (i = 0; i < USB_STREAM_XFERS; i++)
			if (!(d->xf[k][i] = d->lib->alloc_transfer(0)))
				return FG_ERR_NOMEM;
	d->stream_ok = usb_stream_init(&d->s, &stream_ops, d) == 0;
	return d->stream_ok ? 0 : FG_ERR_NOMEM;
}

/* Lets go of the chip (transfers, interfaces, handle, stream); the libusb
 * context stays. FG_ERR_IO when transfers did not come back: then nothing
 * is freed (libusb still holds them) and d cannot be used again. */
static int detach(struct usb_dev *d)
{
	unsigned i, k;

	if (d->h)
		drain(d);
	if (d->inflight) {
		fg_warn("usb: FT601 at bus %u address %u: %u transfers did not come back; letting "
			"go without freeing them", d->bus, d->addr, d->inflight);
		return FG_ERR_IO;
	}
	for (k = 0; k < X_KINDS; k++)
		for (i = 0; i < USB_STREAM_XFERS; i++) {
			if (d->xf[k][i])
				d->lib->free_transfer(d->xf[k][i]);
			d->xf[k][i] = NULL;
		}
	for (i = 0; i < 2; i++)
		if (d->claimed[i])
			d->lib->release_interface(d->h, (int)i);
	if (d->h)
		d->lib->close(d->h);
	if (d->stream_ok)
		usb_stream_free(&d->s);
	d->h = NULL;
	d->claimed[0] = d->claimed[1] = false;
	d->stream_ok = false;
	d->reported = false;
	return 0;
}

/* Finds, checks, claims the chip selected by a and starts the stream.
 * FG_ERR_NOTFOUND (nothing logged) when there is none; other failures log
 * why. On failure nothing stays attached. */
static int attach(struct usb_dev *d, const struct usb_args *a)
{
	int rc = find_device(d, a);

	if (!rc)
		rc = check_config(d, a);
	if (!rc)
		rc = claim(d);
	if (!rc) {
		rc = alloc_transfers(d);
		if (rc)
			fg_err("usb: cannot allocate transfers: %s", fg_err_name(rc));
	}
	if (!rc)
		rc = usb_stream_kick(&d->s);
	if (rc) {
		detach(d);
		return rc;
	}
	fg_info("usb: FT601 %04x:%04x at bus %u address %u open", a->vid, a->pid, d->bus, d->addr);
	return 0;
}

static void dev_close(struct fg_device *dev)
{
	struct usb_dev *d = (struct usb_dev *)dev;

	if (detach(d))
		return;         /* freeing what libusb still holds would crash later: leak */
	if (d->ctx)
		d->lib->exit(d->ctx);
	free(d);
}

/* After a disconnect: the chip comes back at a new address (a replug), so
 * one chosen by bus and address is looked for on the same bus only. */
static int dev_reopen(struct fg_device *dev)
{
	struct usb_dev *d = (struct usb_dev *)dev;
	struct usb_args a = d->args;

	if (d->h && detach(d))
		return FG_ERR_IO;
	a.addr = -1;
	return attach(d, &a);
}

static const struct fg_device_ops usb_ops = { dev_write, dev_read, dev_poll, dev_close,
					      dev_reopen };

int usb_device_open(const char *args, struct fg_device **dev)
{
	struct usb_dev *d;
	int rc, e = 0;

	*dev = NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return FG_ERR_NOMEM;
	rc = parse_args(args, &d->args);
	if (rc) {
		free(d);
		return rc;
	}
	d->dev.ops = &usb_ops;
	d->dev.name = "usb";
	d->lib = usb_lib_get();
	if (!d->lib) {
		free(d);
		return FG_ERR_NOTFOUND;         /* usb_lib_get logged why */
	}
	e = d->lib->init(&d->ctx);
	if (e) {
		d->ctx = NULL;
		rc = FG_ERR_NOTFOUND;
	} else {
		rc = attach(d, &d->args);
	}
	if (rc == FG_ERR_NOTFOUND)
		fg_err("no FT601 device found (%04x:%04x)%s; use the sim backend to run without a "
		       "board", d->args.vid, d->args.pid, e ? " (libusb cannot start)" : "");
	if (rc) {
		dev_close(&d->dev);
		return rc;
	}
	*dev = &d->dev;
	return 0;
}
