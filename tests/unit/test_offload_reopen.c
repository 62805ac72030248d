/* host/offload/offload_reload.c: a device that disconnects and comes back.
 * A fake device in front of the soft device can be "unplugged" (its ops
 * return FG_ERR_GONE) and "replugged" (reopen gives a fresh soft device,
 * its SA table empty), refusing a set number of reopens first. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/err.h"
#include "offload/device.h"
#include "offload/offload.h"
#include "offload/soft_device.h"
#include "unit.h"

struct fake {
	struct fg_device dev;
	struct fg_device *soft;
	bool unplugged;
	int refuse;                     /* reopens to refuse before one works */
	int reopens;
};

static long fake_write(struct fg_device *d, const uint8_t *buf, size_t len)
{
	struct fake *f = (struct fake *)d;

	return f->unplugged ? FG_ERR_GONE : f->soft->ops->write(f->soft, buf, len);
}

static long fake_read(struct fg_device *d, uint8_t *buf, size_t max)
{
	struct fake *f = (struct fake *)d;

	return f->unplugged ? FG_ERR_GONE : f->soft->ops->read(f->soft, buf, max);
}

static int fake_poll(struct fg_device *d, int timeout_ms)
{
	struct fake *f = (struct fake *)d;

	return f->unplugged ? FG_ERR_GONE : f->soft->ops->poll(f->soft, timeout_ms);
}

static void fake_close(struct fg_device *d)
{
	struct fake *f = (struct fake *)d;

	f->soft->ops->close(f->soft);
	free(f);
}

static int fake_reopen(struct fg_device *d)
{
	struct fake *f = (struct fake *)d;

	f->reopens++;
	if (f->unplugged && f->refuse > 0) {
		f->refuse--;
		return FG_ERR_NOTFOUND;
	}
	f->soft->ops->close(f->soft);
	f->soft = soft_device_open();
	if (!f->soft)
		return FG_ERR_IO;
	f->unplugged = false;
	return 0;
}

static const struct fg_device_ops fake_ops = { fake_write, fake_read, fake_poll, fake_close,
					       fake_reopen };
static const struct fg_device_ops fake_ops_no_reopen = { fake_write, fake_read, fake_poll,
							 fake_close, NULL };

static struct offload *fake_offload(struct fake **out, const struct fg_device_ops *ops)
{
	struct fake *f = calloc(1, sizeof(*f));
	struct offload *o;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	f->dev.ops = ops;
	f->dev.name = "fake";
	f->soft = soft_device_open();
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->soft);
	CU_ASSERT_EQUAL_FATAL(offload_open_device(&f->dev, &o), 0);
	*out = f;
	return o;
}

enum { SPI = 0x4242, OUT_SA = 1, IN_SA = 2, NPKT = 8, PAYLOAD = 100 };

static void sa_fill(struct offload_sa *sa, uint16_t index, bool inbound)
{
	static const uint8_t ckey[24] = "0123456789abcdefghijklmn";
	static const uint8_t akey[20] = "ABCDEFGHIJKLMNOPQRST";

	memset(sa, 0, sizeof(*sa));
	sa->index = index;
	sa->inbound = inbound;
	sa->cipher = FGP_CIPHER_TDES_CBC;
	sa->auth = FGP_AUTH_HMAC_SHA1;
	sa->spi = SPI;
	sa->seq = 1;
	sa->replay_window = inbound ? 32 : 0;
	memcpy(sa->cipher_key, ckey, sizeof(ckey));
	sa->cipher_key_len = sizeof(ckey);
	memcpy(sa->auth_key, akey, sizeof(akey));
	sa->auth_key_len = sizeof(akey);
}

static void load_pair(struct offload *o)
{
	struct offload_sa sa;

	sa_fill(&sa, OUT_SA, false);
	CU_ASSERT_EQUAL_FATAL(offload_sa_load(o, &sa, NULL), 0);
	sa_fill(&sa, IN_SA, true);
	CU_ASSERT_EQUAL_FATAL(offload_sa_load(o, &sa, NULL), 0);
}

/* One packet through and back: returns the result's status; its data
 * (up to 256 bytes) into out, its aux into *aux. */
static int one(struct offload *o, enum fgp_type type, uint16_t sa, const uint8_t *data,
	       size_t len, uint8_t *out, size_t *out_len, uint32_t *aux)
{
	static uint32_t tag;
	struct offload_result r;
	int rc = offload_submit(o, type, sa, ++tag, 4, data, len), n;

	if (rc)
		return rc;
	n = offload_collect(o, &r, 1, -1);
	if (n != 1)
		return n < 0 ? n : FG_ERR_TIMEOUT;
	if (out && r.len <= 256) {
		memcpy(out, r.data, r.len);
		*out_len = r.len;
	}
	if (aux)
		*aux = r.aux;
	return r.status;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void test_reopen_and_reload(void)
{
	uint8_t plain[8 + PAYLOAD], esp[NPKT][256], extra[256];
	size_t esp_len[NPKT], extra_len = 0;
	struct offload_counters c;
	struct offload_health h;
	struct offload_sa sa;
	struct fake *f;
	struct offload *o = fake_offload(&f, &fake_ops);
	uint32_t aux = 0;
	int i, rc = FG_ERR_GONE;

	memset(plain, 0x5a, sizeof(plain));
	load_pair(o);
	for (i = 0; i < NPKT; i++) {
		CU_ASSERT_EQUAL(one(o, FGP_TYPE_ENCAP, OUT_SA, plain, sizeof(plain), esp[i],
				    &esp_len[i], &aux), FGP_STATUS_OK);
		CU_ASSERT_EQUAL(aux, (uint32_t)i + 1);
	}
	for (i = 0; i < 3; i++)         /* sequence numbers 1..3 accepted */
		CU_ASSERT_EQUAL(one(o, FGP_TYPE_DECAP, IN_SA, esp[i], esp_len[i], NULL, NULL,
				    NULL), FGP_STATUS_OK);

	/* Three packets in flight (the device gives them sequence numbers
	 * 9..11), then the board goes: the next collect says so, once. */
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(offload_submit(o, FGP_TYPE_ENCAP, OUT_SA, 100 + i, 4, plain,
					       sizeof(plain)), 0);
	f->unplugged = true;
	f->refuse = 2;
	{
		struct offload_result r[4];

		CU_ASSERT_EQUAL(offload_collect(o, r, 4, -1), FG_ERR_GONE);
		CU_ASSERT_EQUAL(offload_inflight(o), 0);
		CU_ASSERT_EQUAL(offload_collect(o, r, 4, 0), 0);
	}
	offload_health(o, &h);
	CU_ASSERT(h.gone);
	CU_ASSERT_EQUAL(h.disconnects, 1);
	CU_ASSERT_EQUAL(h.dropped, 3);

	/* Meanwhile: loads and clears are recorded, the rest is refused. */
	sa_fill(&sa, 3, false);
	CU_ASSERT_EQUAL(offload_sa_load(o, &sa, NULL), 0);
	sa_fill(&sa, 4, false);
	CU_ASSERT_EQUAL(offload_sa_load(o, &sa, NULL), 0);
	CU_ASSERT_EQUAL(offload_sa_clear(o, 3), 0);
	CU_ASSERT_EQUAL(offload_counters(o, OUT_SA, &c), FG_ERR_GONE);
	CU_ASSERT_EQUAL(offload_submit(o, FGP_TYPE_ENCAP, OUT_SA, 200, 4, plain, sizeof(plain)),
			FG_ERR_GONE);
	CU_ASSERT_EQUAL(f->reopens, 0);         /* not before OFFLOAD_REOPEN_MS */

	/* Refused twice, then back (about 3 x 250 ms). */
	for (i = 0; i < 60 && rc == FG_ERR_GONE; i++) {
		sleep_ms(50);
		rc = offload_counters(o, OUT_SA, &c);
	}
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_EQUAL(f->reopens, 3);
	offload_health(o, &h);
	CU_ASSERT(!h.gone);
	CU_ASSERT_EQUAL(h.reconnects, 1);
	CU_ASSERT_EQUAL(h.reloaded, 3);         /* slots 1, 2 and 4; 3 was cleared */
	CU_ASSERT_EQUAL(offload_counters(o, 4, &c), 0);
	CU_ASSERT_EQUAL(offload_counters(o, 3, &c), FG_ERR_NOTFOUND);

	/* Outbound goes on after the last sequence number the host saw: the
	 * three lost in flight were never sent, so 9 again. */
	CU_ASSERT_EQUAL(one(o, FGP_TYPE_ENCAP, OUT_SA, plain, sizeof(plain), extra, &extra_len,
			    &aux), FGP_STATUS_OK);
	CU_ASSERT_EQUAL(aux, NPKT + 1);

	/* Inbound: the device's window starts empty; up to 3 (accepted
	 * before) the library answers REPLAY, after that the device decides. */
	CU_ASSERT_EQUAL(one(o, FGP_TYPE_DECAP, IN_SA, esp[1], esp_len[1], NULL, NULL, NULL),
			FGP_STATUS_REPLAY);
	CU_ASSERT_EQUAL(one(o, FGP_TYPE_DECAP, IN_SA, esp[2], esp_len[2], NULL, NULL, NULL),
			FGP_STATUS_REPLAY);
	CU_ASSERT_EQUAL(one(o, FGP_TYPE_DECAP, IN_SA, esp[3], esp_len[3], NULL, NULL, NULL),
			FGP_STATUS_OK);
	CU_ASSERT_EQUAL(one(o, FGP_TYPE_DECAP, IN_SA, esp[3], esp_len[3], NULL, NULL, NULL),
			FGP_STATUS_REPLAY);
	CU_ASSERT_EQUAL(one(o, FGP_TYPE_DECAP, IN_SA, extra, extra_len, NULL, NULL, NULL),
			FGP_STATUS_OK);
	offload_health(o, &h);
	CU_ASSERT_EQUAL(h.stale_replays, 2);

	/* A second disconnect: the floor follows what was accepted since. */
	f->unplugged = true;
	CU_ASSERT_EQUAL(offload_submit(o, FGP_TYPE_DECAP, IN_SA, 300, 0, esp[4], esp_len[4]),
			FG_ERR_GONE);
	sleep_ms(300);
	CU_ASSERT_EQUAL(one(o, FGP_TYPE_DECAP, IN_SA, esp[4], esp_len[4], NULL, NULL, NULL),
			FGP_STATUS_REPLAY);
	CU_ASSERT_EQUAL(one(o, FGP_TYPE_DECAP, IN_SA, esp[NPKT - 1], esp_len[NPKT - 1], NULL,
			    NULL, NULL), FGP_STATUS_REPLAY);
	offload_health(o, &h);
	CU_ASSERT_EQUAL(h.reconnects, 2);
	offload_close(o);
}

/* RESET forgets the SAs: nothing to load after a reconnect. */
static void test_reset_forgets(void)
{
	struct offload_counters c;
	struct offload_health h;
	struct fake *f;
	struct offload *o = fake_offload(&f, &fake_ops);

	load_pair(o);
	CU_ASSERT_EQUAL(offload_reset(o), 0);
	f->unplugged = true;
	CU_ASSERT_EQUAL(offload_counters(o, OUT_SA, &c), FG_ERR_GONE);
	sleep_ms(300);
	CU_ASSERT_EQUAL(offload_counters(o, OUT_SA, &c), FG_ERR_NOTFOUND);
	offload_health(o, &h);
	CU_ASSERT_EQUAL(h.reconnects, 1);
	CU_ASSERT_EQUAL(h.reloaded, 0);
	offload_close(o);
}

/* A device that cannot come back stays gone, with a defined error. */
static void test_no_reopen(void)
{
	uint8_t plain[16] = { 0 };
	struct offload_health h;
	struct fake *f;
	struct offload *o = fake_offload(&f, &fake_ops_no_reopen);

	load_pair(o);
	f->unplugged = true;
	CU_ASSERT_EQUAL(offload_submit(o, FGP_TYPE_ENCAP, OUT_SA, 1, 4, plain, sizeof(plain)),
			FG_ERR_GONE);
	sleep_ms(300);
	CU_ASSERT_EQUAL(offload_submit(o, FGP_TYPE_ENCAP, OUT_SA, 2, 4, plain, sizeof(plain)),
			FG_ERR_GONE);
	CU_ASSERT_EQUAL(offload_stats(o, &(struct offload_stats){ 0 }), FG_ERR_GONE);
	offload_health(o, &h);
	CU_ASSERT(h.gone);
	CU_ASSERT_EQUAL(h.disconnects, 1);
	offload_close(o);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "disconnect, reopen, SAs reloaded, sequence and replay", test_reopen_and_reload },
		{ "RESET forgets the recorded SAs", test_reset_forgets },
		{ "a device without reopen stays gone", test_no_reopen },
		{ NULL, NULL },
	};

	unit_add_suite("offload: a device that disconnects and comes back", tests);
	return unit_run("unit-offload_reopen");
}
