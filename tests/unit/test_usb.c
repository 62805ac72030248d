/* host/offload/usb: the usb backend without a board (the one clear error
 * line), and its framing (usb_stream.c) against a fake FT601: whole words
 * per OUT transfer, transfers in flight each way, IN data reassembled in
 * post order whatever order transfers complete in and however packets are
 * cut, sticky transfer errors. (test_usb_fake.c runs the offload API over
 * the framing.) */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "offload/device.h"
#include "offload/offload.h"
#include "offload/usb_stream.h"
#include "unit.h"

static uint32_t lcg = 11;

static uint32_t rnd(void)
{
	lcg = lcg * 1664525u + 1013904223u;
	return lcg >> 8;
}

static void fill(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = (uint8_t)rnd();
}

/* ---- no board ---- */

/* Runs offload_open("usb", args) with the log captured; returns its rc. */
static int open_logged(const char *args, char *log, size_t cap, int *lines)
{
	FILE *f = tmpfile();
	struct offload *o = NULL;
	size_t n;
	int rc, i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fg_log_set_stream(f);
	rc = offload_open("usb", args, &o);
	fg_log_set_stream(NULL);
	rewind(f);
	n = fread(log, 1, cap - 1, f);
	log[n] = '\0';
	fclose(f);
	CU_ASSERT_PTR_NULL(o);
	for (*lines = 0, i = 0; log[i]; i++)
		*lines += log[i] == '\n';
	return rc;
}

static void test_no_device(void)
{
	char log[1024];
	int lines;

	CU_ASSERT_EQUAL(open_logged(NULL, log, sizeof(log), &lines), FG_ERR_NOTFOUND);
	CU_ASSERT_EQUAL(lines, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "no FT601 device found (0403:601f)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "sim"));
	CU_ASSERT_EQUAL(open_logged("vidpid=1234:abcd", log, sizeof(log), &lines), FG_ERR_NOTFOUND);
	CU_ASSERT_EQUAL(lines, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "no FT601 device found (1234:abcd)"));
	CU_ASSERT_EQUAL(open_logged("bus=250,addr=1", log, sizeof(log), &lines), FG_ERR_NOTFOUND);
	CU_ASSERT_EQUAL(lines, 1);
}

static void test_bad_args(void)
{
	static const char *const bad[] = {
		"vidpid=0403", "vidpid=12345:1", "bus=1", "addr=2", "bus=x,addr=1", "config=maybe",
		"speed=fast", ",", "vidpid=0403:601fz",
	};
	char log[1024];
	size_t i;
	int lines;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_EQUAL(open_logged(bad[i], log, sizeof(log), &lines), FG_ERR_INVAL);
		CU_ASSERT_EQUAL(lines, 1);
	}
}

/* ---- usb_stream against a recorder ---- */

struct rec {
	unsigned nout, nin;
	unsigned out_slot[16], in_slot[16];
	size_t out_len[16];
	uint8_t out_data[16][64];
	int fail_in;
};

static int rec_out(void *ctx, unsigned slot, const uint8_t *buf, size_t len)
{
	struct rec *r = ctx;

	if (r->nout < 16) {
		r->out_slot[r->nout] = slot;
		r->out_len[r->nout] = len;
		memcpy(r->out_data[r->nout], buf, len < 64 ? len : 64);
	}
	r->nout++;
	return 0;
}

static int rec_in(void *ctx, unsigned slot, uint8_t *buf, size_t cap)
{
	struct rec *r = ctx;

	(void)buf;
	CU_ASSERT_EQUAL(cap, USB_STREAM_XFER_SIZE);
	if (r->fail_in)
		return FG_ERR_IO;
	if (r->nin < 16)
		r->in_slot[r->nin] = slot;
	r->nin++;
	return 0;
}

static const struct usb_stream_ops rec_ops = { rec_out, rec_in };

static void test_out_words(void)
{
	static uint8_t big[USB_STREAM_XFER_SIZE * 6];
	struct usb_stream s;
	struct rec r = { 0 };
	uint8_t b[16];
	long n;
	unsigned i;

	fill(b, sizeof(b));
	CU_ASSERT_EQUAL_FATAL(usb_stream_init(&s, &rec_ops, &r), 0);
	CU_ASSERT_EQUAL(usb_stream_write(&s, b, 13), 13);
	CU_ASSERT_EQUAL(r.nout, 1);             /* 8 of 13: whole words only */
	CU_ASSERT_EQUAL(r.out_len[0], 8);
	CU_ASSERT_EQUAL(memcmp(r.out_data[0], b, 8), 0);
	CU_ASSERT_EQUAL(r.nin, USB_STREAM_XFERS);       /* IN transfers posted */
	CU_ASSERT_EQUAL(usb_stream_write(&s, b + 13, 3), 3);
	CU_ASSERT_EQUAL(r.nout, 2);
	CU_ASSERT_EQUAL(r.out_len[1], 8);
	CU_ASSERT_EQUAL(memcmp(r.out_data[1], b + 8, 8), 0);
	CU_ASSERT_EQUAL(usb_stream_unsent(&s), 16);
	/* Every OUT slot busy: the stage fills, then write takes nothing. */
	CU_ASSERT_EQUAL(usb_stream_write(&s, big, 16), 16);
	CU_ASSERT_EQUAL(usb_stream_write(&s, big, 16), 16);
	CU_ASSERT_EQUAL(r.nout, USB_STREAM_XFERS);
	n = usb_stream_write(&s, big, sizeof(big));
	CU_ASSERT_EQUAL(n, USB_STREAM_XFER_SIZE);
	CU_ASSERT_EQUAL(usb_stream_write(&s, big, 8), 0);
	CU_ASSERT_EQUAL(usb_stream_busy(&s), 2 * USB_STREAM_XFERS);
	/* One completes: the whole stage goes out in one transfer. */
	usb_stream_out_done(&s, r.out_slot[0], 0, 8);
	CU_ASSERT_EQUAL(usb_stream_kick(&s), 0);
	CU_ASSERT_EQUAL(r.nout, USB_STREAM_XFERS + 1);
	CU_ASSERT_EQUAL(r.out_len[USB_STREAM_XFERS], USB_STREAM_XFER_SIZE);
	CU_ASSERT_EQUAL(r.out_slot[USB_STREAM_XFERS], r.out_slot[0]);
	for (i = 1; i < USB_STREAM_XFERS; i++)
		usb_stream_out_done(&s, r.out_slot[i], 0, r.out_len[i]);
	usb_stream_out_done(&s, r.out_slot[0], 0, USB_STREAM_XFER_SIZE);
	CU_ASSERT_EQUAL(s.err, 0);
	CU_ASSERT_EQUAL(usb_stream_unsent(&s), 0);
	CU_ASSERT_EQUAL(s.bytes_out, 16 + 32 + USB_STREAM_XFER_SIZE);
	usb_stream_free(&s);
}

static void test_out_errors(void)
{
	const struct { int err; size_t actual; int want; } cases[] = {
		{ 0, 4, FG_ERR_IO },                    /* the chip took part of it */
		{ FG_ERR_TIMEOUT, 0, FG_ERR_TIMEOUT },  /* it took nothing in time */
		{ FG_ERR_IO, 0, FG_ERR_IO },            /* disconnected */
	};
	uint8_t b[8] = { 0 }, out[8];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct usb_stream s;
		struct rec r = { 0 };

		CU_ASSERT_EQUAL_FATAL(usb_stream_init(&s, &rec_ops, &r), 0);
		CU_ASSERT_EQUAL(usb_stream_write(&s, b, 8), 8);
		usb_stream_out_done(&s, r.out_slot[0], cases[i].err, cases[i].actual);
		CU_ASSERT_EQUAL(usb_stream_write(&s, b, 8), cases[i].want);
		CU_ASSERT_EQUAL(usb_stream_read(&s, out, 8), cases[i].want);
		CU_ASSERT_EQUAL(usb_stream_kick(&s), cases[i].want);
		usb_stream_free(&s);
	}
	/* A submit that fails ends the stream too. */
	{
		struct usb_stream s;
		struct rec r = { 0 };

		r.fail_in = 1;
		CU_ASSERT_EQUAL_FATAL(usb_stream_init(&s, &rec_ops, &r), 0);
		CU_ASSERT_EQUAL(usb_stream_kick(&s), FG_ERR_IO);
		CU_ASSERT_EQUAL(usb_stream_busy(&s), 0);
		usb_stream_free(&s);
	}
}

/* IN transfers completing out of order, with lengths around the packet
 * sizes: the bytes come out in post order. */
static void test_in_order(void)
{
	static const unsigned order[][4] = { { 0, 1, 2, 3 }, { 2, 0, 3, 1 }, { 3, 2, 1, 0 } };
	static const size_t lens[][4] = {
		{ 512, 1024, 1, 0 }, { 511, 513, 1023, 1025 }, { USB_STREAM_XFER_SIZE, 4, 1536, 8 },
	};
	static uint8_t want[4 * USB_STREAM_XFER_SIZE], got[4 * USB_STREAM_XFER_SIZE];
	size_t c, k;

	for (c = 0; c < 3; c++) {
		struct usb_stream s;
		struct rec r = { 0 };
		size_t total = 0, off[5];
		bool done[4] = { false };
		unsigned p = 0;
		long n, m = 0;

		CU_ASSERT_EQUAL_FATAL(usb_stream_init(&s, &rec_ops, &r), 0);
		CU_ASSERT_EQUAL(usb_stream_kick(&s), 0);
		CU_ASSERT_EQUAL_FATAL(r.nin, 4);
		for (k = 0; k < 4; k++) {
			off[k] = total;
			fill(want + total, lens[c][k]);
			memcpy(s.in[r.in_slot[k]].buf, want + total, lens[c][k]);
			total += lens[c][k];
		}
		off[4] = total;
		for (k = 0; k < 4; k++) {
			unsigned j = order[c][k];

			usb_stream_in_done(&s, r.in_slot[j], 0, lens[c][j]);
			done[j] = true;
			while (p < 4 && done[p])
				p++;
			/* exactly the bytes before the first transfer still out */
			n = usb_stream_read(&s, got + m, sizeof(got) - (size_t)m);
			CU_ASSERT(n >= 0);
			m += n;
			CU_ASSERT_EQUAL((size_t)m, off[p]);
		}
		CU_ASSERT_EQUAL((size_t)m, total);
		CU_ASSERT_EQUAL(memcmp(got, want, total), 0);
		CU_ASSERT_EQUAL(s.err, 0);
		/* read reposted them */
		CU_ASSERT_EQUAL(r.nin, 8);
		usb_stream_free(&s);
	}
}

/* An IN error: the bytes received before it are still handed out. */
static void test_in_error(void)
{
	struct usb_stream s;
	struct rec r = { 0 };
	uint8_t got[64];

	CU_ASSERT_EQUAL_FATAL(usb_stream_init(&s, &rec_ops, &r), 0);
	usb_stream_kick(&s);
	memset(s.in[r.in_slot[0]].buf, 0xab, 24);
	usb_stream_in_done(&s, r.in_slot[0], 0, 24);
	usb_stream_in_done(&s, r.in_slot[1], FG_ERR_IO, 0);
	CU_ASSERT_EQUAL(usb_stream_read(&s, got, 16), 16);
	CU_ASSERT_EQUAL(usb_stream_read(&s, got, 64), 8);
	CU_ASSERT_EQUAL(usb_stream_read(&s, got, 64), FG_ERR_IO);
	CU_ASSERT_EQUAL(usb_stream_write(&s, got, 8), FG_ERR_IO);
	usb_stream_free(&s);
}

/* IN transfers are posted only while the ring can take them all full. */
static void test_in_room(void)
{
	struct usb_stream s;
	struct rec r = { 0 };
	static uint8_t got[USB_STREAM_RX_CAP];
	unsigned k, rounds;

	CU_ASSERT_EQUAL_FATAL(usb_stream_init(&s, &rec_ops, &r), 0);
	usb_stream_kick(&s);
	/* Fill the ring without reading: posting slows, then stops. */
	for (rounds = 0; rounds < 16 && s.in_posted; rounds++) {
		unsigned slot = (s.in_head) % USB_STREAM_XFERS;

		usb_stream_in_done(&s, slot, 0, USB_STREAM_XFER_SIZE);
		usb_stream_kick(&s);
		CU_ASSERT(s.rx_len + s.in_posted * (size_t)USB_STREAM_XFER_SIZE <= USB_STREAM_RX_CAP);
	}
	CU_ASSERT_EQUAL(s.in_posted, 0);
	CU_ASSERT_EQUAL(s.rx_len, USB_STREAM_RX_CAP);
	k = r.nin;
	CU_ASSERT_EQUAL(usb_stream_read(&s, got, USB_STREAM_XFER_SIZE), USB_STREAM_XFER_SIZE);
	CU_ASSERT_EQUAL(r.nin, k + 1);          /* room for one again */
	usb_stream_free(&s);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "no board: one clear line", test_no_device },
		{ "bad arguments", test_bad_args },
		{ "OUT: whole words, transfers in flight", test_out_words },
		{ "OUT: errors are sticky", test_out_errors },
		{ "IN: post order across packet sizes", test_in_order },
		{ "IN: error after data", test_in_error },
		{ "IN: posted only with room", test_in_room },
		{ NULL, NULL },
	};

	unit_add_suite("usb transport", tests);
	return unit_run("unit-usb");
}
