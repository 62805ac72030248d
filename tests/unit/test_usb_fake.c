/* host/offload/usb: the usb framing (usb_stream.c) under the whole offload
 * API, over a fake FT601 with the soft device behind it: frames cut into
 * USB packets of 512 and 1024 bytes, some short, reassembled into results
 * identical to the soft device's direct ones.
 *
 * (Apart from test_usb.c: with libusb loaded into the same process, LSan
 * reports OpenSSL's legacy provider, loaded by host/crypto, as leaked.) */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "offload/device.h"
#include "offload/offload.h"
#include "offload/soft_device.h"
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

/* ---- the offload API over a fake FT601 with the soft device behind ---- */

struct fake {
	struct fg_device dev;
	struct usb_stream s;
	struct fg_device *soft;
	unsigned pkt;                   /* USB max packet size */
	unsigned out_slot[USB_STREAM_XFERS], nout;
	const uint8_t *out_buf[USB_STREAM_XFERS];
	size_t out_len[USB_STREAM_XFERS];
	unsigned in_slot[USB_STREAM_XFERS], nin;
	uint8_t *in_buf[USB_STREAM_XFERS];
	size_t in_len[USB_STREAM_XFERS];
	uint8_t up[1 << 16];            /* soft's results waiting for IN */
	size_t up_len;
	uint64_t short_packets;
};

static int fake_out(void *ctx, unsigned slot, const uint8_t *buf, size_t len)
{
	struct fake *f = ctx;

	f->out_slot[f->nout] = slot;
	f->out_buf[f->nout] = buf;
	f->out_len[f->nout++] = len;
	return 0;
}

static int fake_in(void *ctx, unsigned slot, uint8_t *buf, size_t cap)
{
	struct fake *f = ctx;

	(void)cap;
	f->in_slot[f->nin] = slot;
	f->in_buf[f->nin] = buf;
	f->in_len[f->nin++] = 0;
	return 0;
}

static const struct usb_stream_ops fake_ops = { fake_out, fake_in };

static void soft_up(struct fake *f)
{
	long n;

	while ((n = f->soft->ops->read(f->soft, f->up + f->up_len, sizeof(f->up) - f->up_len)) > 0)
		f->up_len += (size_t)n;
}

/* OUT transfers into the soft device; its results up in packets of at most
 * pkt bytes, some short; an IN transfer ends at a short packet or full. */
static void fake_pump(struct fake *f)
{
	size_t off, n;

	while (f->nout) {
		for (off = 0; off < f->out_len[0]; off += n) {
			long w = f->soft->ops->write(f->soft, f->out_buf[0] + off, f->out_len[0] - off);

			CU_ASSERT_FATAL(w >= 0);
			n = (size_t)w;
			soft_up(f);
		}
		usb_stream_out_done(&f->s, f->out_slot[0], 0, f->out_len[0]);
		f->nout--;
		memmove(f->out_slot, f->out_slot + 1, f->nout * sizeof(f->out_slot[0]));
		memmove(f->out_buf, f->out_buf + 1, f->nout * sizeof(f->out_buf[0]));
		memmove(f->out_len, f->out_len + 1, f->nout * sizeof(f->out_len[0]));
	}
	soft_up(f);
	while (f->nin && f->up_len) {
		bool shrt;

		n = f->up_len < f->pkt ? f->up_len : f->pkt;
		if (rnd() % 4 == 0)
			n = 1 + rnd() % n;
		shrt = n < f->pkt;
		f->short_packets += shrt;
		memcpy(f->in_buf[0] + f->in_len[0], f->up, n);
		f->in_len[0] += n;
		memmove(f->up, f->up + n, f->up_len - n);
		f->up_len -= n;
		if (shrt || f->in_len[0] + f->pkt > USB_STREAM_XFER_SIZE) {
			unsigned slot = f->in_slot[0];
			size_t len = f->in_len[0];

			f->nin--;
			memmove(f->in_slot, f->in_slot + 1, f->nin * sizeof(f->in_slot[0]));
			memmove(f->in_buf, f->in_buf + 1, f->nin * sizeof(f->in_buf[0]));
			memmove(f->in_len, f->in_len + 1, f->nin * sizeof(f->in_len[0]));
			usb_stream_in_done(&f->s, slot, 0, len);
		}
	}
}

static long fake_write(struct fg_device *d, const uint8_t *buf, size_t len)
{
	return usb_stream_write(&((struct fake *)d)->s, buf, len);
}

static long fake_read(struct fg_device *d, uint8_t *buf, size_t max)
{
	return usb_stream_read(&((struct fake *)d)->s, buf, max);
}

static int fake_poll(struct fg_device *d, int timeout_ms)
{
	struct fake *f = (struct fake *)d;

	(void)timeout_ms;
	usb_stream_kick(&f->s);
	fake_pump(f);
	return f->s.err;
}

static void fake_close(struct fg_device *d)
{
	struct fake *f = (struct fake *)d;

	f->soft->ops->close(f->soft);
	usb_stream_free(&f->s);
	free(f);
}

static const struct fg_device_ops fake_dev_ops = { fake_write, fake_read, fake_poll,
						   fake_close, NULL };

static struct fake *fake_open(unsigned pkt)
{
	struct fake *f = calloc(1, sizeof(*f));

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	f->dev.ops = &fake_dev_ops;
	f->dev.name = "usb-fake";
	f->pkt = pkt;
	f->soft = soft_device_open();
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->soft);
	CU_ASSERT_EQUAL_FATAL(usb_stream_init(&f->s, &fake_ops, f), 0);
	return f;
}

static const uint8_t ckey[24] = "0123456789abcdefghijklmn";
static const uint8_t akey[20] = "ABCDEFGHIJKLMNOPQRST";

static void load_sa(struct offload *o)
{
	struct offload_sa sa;

	memset(&sa, 0, sizeof(sa));
	sa.index = 5;
	sa.cipher = FGP_CIPHER_TDES_CBC;
	sa.auth = FGP_AUTH_HMAC_SHA1;
	sa.spi = 0x7007;
	sa.seq = 1;
	memcpy(sa.cipher_key, ckey, 24);
	sa.cipher_key_len = 24;
	memcpy(sa.auth_key, akey, 20);
	sa.auth_key_len = 20;
	CU_ASSERT_EQUAL_FATAL(offload_sa_load(o, &sa, NULL), 0);
}

enum { NPKT = 40 };

/* Submits NPKT ENCAPs (sizes around 512 and 1024) and collects them. */
static void run(struct offload *o, uint8_t (*in)[2048], const size_t *len, uint8_t (*out)[2200],
		size_t *out_len)
{
	struct offload_result res[8];
	unsigned i, got = 0;
	int n, k;

	for (i = 0; i < NPKT; i++)
		CU_ASSERT_EQUAL(offload_submit(o, FGP_TYPE_ENCAP, 5, i, 4, in[i], len[i]), 0);
	while (got < NPKT && (n = offload_collect(o, res, 8, 1000)) > 0)
		for (k = 0; k < n; k++, got++) {
			CU_ASSERT_EQUAL(res[k].status, FGP_STATUS_OK);
			CU_ASSERT_FATAL(res[k].tag < NPKT && res[k].len <= 2200);
			memcpy(out[res[k].tag], res[k].data, res[k].len);
			out_len[res[k].tag] = res[k].len;
		}
	CU_ASSERT_EQUAL(got, NPKT);
}

static void test_offload_over_fake(void)
{
	static const size_t edges[] = { 8, 480, 488, 496, 504, 512, 520, 1000, 1008, 1016, 1024,
					1032, 2040, 2048 };
	static uint8_t in[NPKT][2048], a[NPKT][2200], b[NPKT][2200];
	size_t len[NPKT], alen[NPKT], blen[NPKT];
	unsigned pkt, i;

	for (pkt = 512; pkt <= 1024; pkt *= 2) {
		struct fake *f = fake_open(pkt);
		struct offload *usb = NULL, *soft = NULL;

		for (i = 0; i < NPKT; i++) {
			len[i] = i < 14 ? edges[i] : 8 + rnd() % 2041;
			if (len[i] > 2048)
				len[i] = 2048;
			fill(in[i], len[i]);
		}
		CU_ASSERT_EQUAL_FATAL(offload_open_device(&f->dev, &usb), 0);
		CU_ASSERT_EQUAL_FATAL(offload_open("soft", NULL, &soft), 0);
		load_sa(usb);
		load_sa(soft);
		run(usb, in, len, a, alen);
		run(soft, in, len, b, blen);
		for (i = 0; i < NPKT; i++) {
			CU_ASSERT_EQUAL(alen[i], blen[i]);
			CU_ASSERT_EQUAL(memcmp(a[i], b[i], blen[i]), 0);
		}
		CU_ASSERT(f->short_packets > 0);
		CU_ASSERT(f->s.xfers_in > 1 && f->s.xfers_out > 1);
		CU_ASSERT_EQUAL(offload_bad_results(usb), 0);
		offload_close(usb);
		offload_close(soft);
	}
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "offload API over a fake FT601 = soft", test_offload_over_fake },
		{ NULL, NULL },
	};

	unit_add_suite("usb framing over a fake FT601", tests);
	return unit_run("unit-usb_fake");
}
