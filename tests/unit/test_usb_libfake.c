/* host/offload/usb.c, the libusb side of the usb transport, over a fake
 * libusb (usb_lib_override) whose FT601 has the soft device behind it:
 * finding the chip by VID:PID, its configuration check, the read request
 * before each IN transfer, transfers completing in the event loop; then the
 * board unplugged with packets in flight (transfers complete NO_DEVICE,
 * submits fail) and plugged back at a new address, where the offload layer
 * finds it again and loads its SAs again. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/err.h"
#include "offload/device.h"
#include "offload/offload.h"
#include "offload/soft_device.h"
#include "offload/usb_lib.h"
#include "unit.h"

enum { QMAX = 64, UP_CAP = 1 << 17, SESSION_OUT = 0x01, DATA_OUT = 0x02, DATA_IN = 0x82 };

/* The fake chip and the one device on the fake bus. */
static struct {
	bool present;
	unsigned addr;                  /* new at each plug */
	uint8_t fifo_mode;              /* 0: 245 mode, 1: 600 mode */
	struct fg_device *soft;         /* the FPGA behind the chip, while open */
	unsigned opens, reqs_ok, reqs_bad;
	uint64_t want_in;               /* bytes asked for by read requests */
	struct libusb_transfer *q[QMAX];
	bool cancelled[QMAX];
	unsigned nq;
	uint8_t up[UP_CAP];             /* results waiting for IN transfers */
	size_t up_len;
} chip;

static int ctx_token, dev_token, handle_token;

static int f_init(libusb_context **ctx)
{
	*ctx = (libusb_context *)&ctx_token;
	return 0;
}

static void f_exit(libusb_context *ctx)
{
	(void)ctx;
}

static ssize_t f_get_device_list(libusb_context *ctx, libusb_device ***list)
{
	(void)ctx;
	*list = calloc(2, sizeof(**list));
	if (!*list)
		return LIBUSB_ERROR_NO_MEM;
	if (!chip.present)
		return 0;
	(*list)[0] = (libusb_device *)&dev_token;
	return 1;
}

static void f_free_device_list(libusb_device **list, int unref)
{
	(void)unref;
	free(list);
}

static int f_get_device_descriptor(libusb_device *dev, struct libusb_device_descriptor *desc)
{
	(void)dev;
	memset(desc, 0, sizeof(*desc));
	desc->idVendor = 0x0403;
	desc->idProduct = 0x601f;
	return 0;
}

static uint8_t f_get_bus_number(libusb_device *dev)
{
	(void)dev;
	return 2;
}

static uint8_t f_get_device_address(libusb_device *dev)
{
	(void)dev;
	return (uint8_t)chip.addr;
}

static int f_open(libusb_device *dev, libusb_device_handle **h)
{
	(void)dev;
	if (!chip.present)
		return LIBUSB_ERROR_NO_DEVICE;
	if (!chip.soft)
		chip.soft = soft_device_open();
	if (!chip.soft)
		return LIBUSB_ERROR_NO_MEM;
	chip.opens++;
	*h = (libusb_device_handle *)&handle_token;
	return 0;
}

static void f_close(libusb_device_handle *h)
{
	(void)h;
}

static int f_control_transfer(libusb_device_handle *h, uint8_t type, uint8_t req,
			      uint16_t value, uint16_t index, unsigned char *data, uint16_t len,
			      unsigned timeout)
{
	(void)h, (void)index, (void)timeout;
	if (!chip.present)
		return LIBUSB_ERROR_NO_DEVICE;
	if (req != 0xcf || value != 1 || !(type & LIBUSB_ENDPOINT_IN) || len != 152)
		return LIBUSB_ERROR_PIPE;
	memset(data, 0, len);
	data[137] = 0;                  /* 100 MHz */
	data[138] = chip.fifo_mode;
	data[139] = 2;                  /* one channel */
	return len;
}

static int f_kernel_driver_active(libusb_device_handle *h, int iface)
{
	(void)h, (void)iface;
	return 0;
}

static int f_claim_interface(libusb_device_handle *h, int iface)
{
	(void)h, (void)iface;
	return chip.present ? 0 : LIBUSB_ERROR_NO_DEVICE;
}

static struct libusb_transfer *f_alloc_transfer(int iso_packets)
{
	(void)iso_packets;
	return calloc(1, sizeof(struct libusb_transfer));
}

static void f_free_transfer(struct libusb_transfer *t)
{
	free(t);
}

static int f_submit_transfer(struct libusb_transfer *t)
{
	if (!chip.present)
		return LIBUSB_ERROR_NO_DEVICE;
	if (chip.nq == QMAX)
		return LIBUSB_ERROR_BUSY;
	chip.cancelled[chip.nq] = false;
	chip.q[chip.nq++] = t;
	return 0;
}

static int f_cancel_transfer(struct libusb_transfer *t)
{
	unsigned i;

	for (i = 0; i < chip.nq; i++)
		if (chip.q[i] == t) {
			chip.cancelled[i] = true;
			return 0;
		}
	return LIBUSB_ERROR_NOT_FOUND;
}

static const char *f_error_name(int code)
{
	return code == LIBUSB_ERROR_NO_DEVICE ? "LIBUSB_ERROR_NO_DEVICE" : "LIBUSB_ERROR_OTHER";
}

/* Moves whatever the soft device has into chip.up. */
static void soft_drain(void)
{
	long n;

	chip.soft->ops->poll(chip.soft, 0);
	while (chip.up_len < UP_CAP &&
	       (n = chip.soft->ops->read(chip.soft, chip.up + chip.up_len, UP_CAP - chip.up_len)) > 0)
		chip.up_len += (size_t)n;
}

/* 1 when t is done (status and length set), 0 when it waits for data. */
static int serve(struct libusb_transfer *t)
{
	const uint8_t *b = t->buffer;
	long off = 0, n;

	t->status = LIBUSB_TRANSFER_COMPLETED;
	t->actual_length = t->length;
	switch (t->endpoint) {
	case DATA_OUT:
		while (off < t->length) {
			n = chip.soft->ops->write(chip.soft, b + off, (size_t)(t->length - off));
			if (n < 0)
				return t->status = LIBUSB_TRANSFER_ERROR, 1;
			off += n;
			if (!n)
				soft_drain();
		}
		return 1;
	case SESSION_OUT:
		if (t->length == 20 && b[4] == DATA_IN && b[5] == 1) {
			chip.reqs_ok++;
			chip.want_in += (uint32_t)b[8] | (uint32_t)b[9] << 8 |
					(uint32_t)b[10] << 16 | (uint32_t)b[11] << 24;
		} else {
			chip.reqs_bad++;
		}
		return 1;
	case DATA_IN:
		soft_drain();
		if (!chip.up_len || chip.want_in < (uint64_t)t->length)
			return 0;
		n = chip.up_len < (size_t)t->length ? (long)chip.up_len : t->length;
		memcpy(t->buffer, chip.up, (size_t)n);
		memmove(chip.up, chip.up + n, chip.up_len - (size_t)n);
		chip.up_len -= (size_t)n;
		chip.want_in -= (uint64_t)t->length;
		t->actual_length = (int)n;
		return 1;
	}
	t->status = LIBUSB_TRANSFER_STALL;
	return 1;
}

static int f_handle_events(libusb_context *ctx, struct timeval *tv, int *completed)
{
	struct libusb_transfer *done[QMAX];
	unsigned i, k = 0, nd = 0;

	(void)ctx, (void)tv, (void)completed;
	for (i = 0; i < chip.nq; i++) {
		struct libusb_transfer *t = chip.q[i];
		int fin = 1;

		if (chip.cancelled[i]) {
			t->status = LIBUSB_TRANSFER_CANCELLED;
			t->actual_length = 0;
		} else if (!chip.present) {
			t->status = LIBUSB_TRANSFER_NO_DEVICE;
			t->actual_length = 0;
		} else {
			fin = serve(t);
		}
		if (fin) {
			done[nd++] = t;
		} else {
			chip.cancelled[k] = chip.cancelled[i];
			chip.q[k++] = t;
		}
	}
	chip.nq = k;
	for (i = 0; i < nd; i++)
		done[i]->callback(done[i]);
	return 0;
}

static const struct usb_lib fake_lib = {
	.init = f_init,
	.exit = f_exit,
	.get_device_list = f_get_device_list,
	.free_device_list = f_free_device_list,
	.get_device_descriptor = f_get_device_descriptor,
	.get_bus_number = f_get_bus_number,
	.get_device_address = f_get_device_address,
	.open = f_open,
	.close = f_close,
	.control_transfer = f_control_transfer,
	.kernel_driver_active = f_kernel_driver_active,
	.claim_interface = f_claim_interface,
	.release_interface = f_claim_interface,
	.alloc_transfer = f_alloc_transfer,
	.free_transfer = f_free_transfer,
	.submit_transfer = f_submit_transfer,
	.cancel_transfer = f_cancel_transfer,
	.handle_events_timeout_completed = f_handle_events,
	.error_name = f_error_name,
};

static void plug(void)
{
	chip.present = true;
	chip.addr++;
	chip.want_in = 0;
	chip.up_len = 0;
}

/* The board goes, and the FPGA's state with it. */
static void unplug(void)
{
	chip.present = false;
	if (chip.soft)
		chip.soft->ops->close(chip.soft);
	chip.soft = NULL;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void sa_fill(struct offload_sa *sa, uint16_t index, bool inbound)
{
	static const uint8_t ckey[24] = "0123456789abcdefghijklmn";
	static const uint8_t akey[20] = "ABCDEFGHIJKLMNOPQRST";

	memset(sa, 0, sizeof(*sa));
	sa->index = index;
	sa->inbound = inbound;
	sa->cipher = FGP_CIPHER_TDES_CBC;
	sa->auth = FGP_AUTH_HMAC_SHA1;
	sa->spi = 0x1234;
	sa->seq = 1;
	sa->replay_window = inbound ? 64 : 0;
	memcpy(sa->cipher_key, ckey, sizeof(ckey));
	sa->cipher_key_len = sizeof(ckey);
	memcpy(sa->auth_key, akey, sizeof(akey));
	sa->auth_key_len = sizeof(akey);
}

enum { OUT_SA = 3, IN_SA = 4, NPKT = 20 };

static uint8_t pkt[NPKT][1200], res[NPKT][1300];
static size_t res_len[NPKT];

/* ENCAP of packet i (sizes across 1024 bytes), then its DECAP gives it
 * back. Returns the ENCAP's sequence number, 0 on any failure. */
static uint32_t round_trip(struct offload *o, unsigned i)
{
	static uint32_t tag;
	size_t len = 8 + 900 + i * 13;
	struct offload_result r;
	uint32_t seq;

	memset(pkt[i], (int)i + 1, len);
	if (offload_submit(o, FGP_TYPE_ENCAP, OUT_SA, ++tag, 4, pkt[i], len) ||
	    offload_collect(o, &r, 1, -1) != 1 || r.status != FGP_STATUS_OK || r.len > 1300)
		return 0;
	seq = r.aux;
	memcpy(res[i], r.data, r.len);
	res_len[i] = r.len;
	if (offload_submit(o, FGP_TYPE_DECAP, IN_SA, ++tag, 0, res[i], res_len[i]) ||
	    offload_collect(o, &r, 1, -1) != 1 || r.status != FGP_STATUS_OK ||
	    r.len != len - 8 || memcmp(r.data, pkt[i] + 8, r.len))
		return 0;
	return seq;
}

static void test_wrong_fifo_mode(void)
{
	struct offload *o = NULL;

	memset(&chip, 0, sizeof(chip));
	plug();
	chip.fifo_mode = 1;             /* 600 mode: the bridge speaks 245 */
	usb_lib_override(&fake_lib);
	CU_ASSERT_EQUAL(offload_open("usb", NULL, &o), FG_ERR_UNSUPP);
	CU_ASSERT_PTR_NULL(o);
	unplug();
	CU_ASSERT_EQUAL(offload_open("usb", NULL, &o), FG_ERR_NOTFOUND);
	usb_lib_override(NULL);
}

static void test_unplug_replug(void)
{
	struct offload_counters c;
	struct offload_health h;
	struct offload_result r[8];
	struct offload_sa sa;
	struct offload *o = NULL;
	unsigned i;
	int rc = FG_ERR_GONE;

	memset(&chip, 0, sizeof(chip));
	plug();
	usb_lib_override(&fake_lib);
	CU_ASSERT_EQUAL_FATAL(offload_open("usb", NULL, &o), 0);
	CU_ASSERT_EQUAL(chip.opens, 1);
	sa_fill(&sa, OUT_SA, false);
	CU_ASSERT_EQUAL_FATAL(offload_sa_load(o, &sa, NULL), 0);
	sa_fill(&sa, IN_SA, true);
	CU_ASSERT_EQUAL_FATAL(offload_sa_load(o, &sa, NULL), 0);
	for (i = 0; i < NPKT / 2; i++)
		CU_ASSERT_EQUAL(round_trip(o, i), i + 1);
	CU_ASSERT(chip.reqs_ok > 0);
	CU_ASSERT_EQUAL(chip.reqs_bad, 0);

	/* Unplugged with four packets in flight. */
	for (i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(offload_submit(o, FGP_TYPE_ENCAP, OUT_SA, 1000 + i, 4, pkt[0], 64),
				0);
	unplug();
	CU_ASSERT_EQUAL(offload_collect(o, r, 8, -1), FG_ERR_GONE);
	offload_health(o, &h);
	CU_ASSERT(h.gone);
	CU_ASSERT_EQUAL(h.dropped, 4);
	sleep_ms(300);
	CU_ASSERT_EQUAL(offload_counters(o, OUT_SA, &c), FG_ERR_GONE);   /* still away */

	/* Back at a new address. */
	plug();
	for (i = 0; i < 40 && rc == FG_ERR_GONE; i++) {
		sleep_ms(50);
		rc = offload_counters(o, OUT_SA, &c);
	}
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_EQUAL(chip.opens, 2);
	offload_health(o, &h);
	CU_ASSERT(!h.gone);
	CU_ASSERT_EQUAL(h.reconnects, 1);
	CU_ASSERT_EQUAL(h.reloaded, 2);
	/* The four lost in flight were never seen: the sequence goes on from
	 * the last one that was. */
	for (i = NPKT / 2; i < NPKT; i++)
		CU_ASSERT_EQUAL(round_trip(o, i), i + 1);
	CU_ASSERT_EQUAL(chip.reqs_bad, 0);
	CU_ASSERT_EQUAL(offload_bad_results(o), 0);
	offload_close(o);
	unplug();
	usb_lib_override(NULL);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "FT601 in the wrong FIFO mode, and no FT601", test_wrong_fifo_mode },
		{ "unplugged under traffic, replugged, SAs reloaded", test_unplug_replug },
		{ NULL, NULL },
	};

	unit_add_suite("usb transport over a fake libusb", tests);
	return unit_run("unit-usb_libfake");
}
