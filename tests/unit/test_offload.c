/* host/offload/offload: the API over the soft backend (control calls, many
 * packets in flight matched by tag, control calls as barriers that keep
 * the packet results arriving before them) and over a scripted fake device
 * that answers with malformed, unknown and misdirected result frames. */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "offload/device.h"
#include "offload/frame.h"
#include "offload/offload.h"
#include "unit.h"

static const uint8_t ckey[24] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x23, 0x45, 0x67, 0x89,
	0xab, 0xcd, 0xef, 0x01, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23,
};
static const uint8_t akey[20] = "0123456789abcdefghij";

static uint32_t lcg = 7;

static void fill(uint8_t *p, size_t n)
{
	while (n--) {
		lcg = lcg * 1664525u + 1013904223u;
		*p++ = (uint8_t)(lcg >> 24);
	}
}

static struct offload *open_soft(void)
{
	struct offload *o = NULL;

	CU_ASSERT_EQUAL_FATAL(offload_open("soft", NULL, &o), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	return o;
}

static struct offload_sa esp_sa(uint16_t index, bool inbound, uint32_t spi)
{
	struct offload_sa sa;

	memset(&sa, 0, sizeof(sa));
	sa.index = index;
	sa.inbound = inbound;
	sa.cipher = FGP_CIPHER_TDES_CBC;
	sa.auth = FGP_AUTH_HMAC_SHA1;
	sa.spi = spi;
	sa.seq = 1;
	sa.replay_window = inbound ? 64 : 0;
	memcpy(sa.cipher_key, ckey, 24);
	sa.cipher_key_len = 24;
	memcpy(sa.auth_key, akey, 20);
	sa.auth_key_len = 20;
	return sa;
}

static void test_open(void)
{
	struct offload *o = (struct offload *)&o;

	CU_ASSERT_EQUAL(offload_open("nosuch", NULL, &o), FG_ERR_NOTFOUND);
	CU_ASSERT_PTR_NULL(o);
	CU_ASSERT_EQUAL(offload_open(NULL, NULL, &o), FG_ERR_NOTFOUND);
	CU_ASSERT_EQUAL(offload_open("soft", "trace=x", &o), FG_ERR_INVAL);
	CU_ASSERT_PTR_NULL(o);
	CU_ASSERT_EQUAL(offload_open_device(NULL, &o), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(offload_open("soft", "", &o), 0);
	CU_ASSERT_STRING_EQUAL(offload_backend(o), "soft");
	CU_ASSERT_EQUAL(offload_inflight(o), 0);
	CU_ASSERT_EQUAL(offload_bad_results(o), 0);
	offload_close(o);
	offload_close(NULL);
}

static void test_control(void)
{
	struct offload *o = open_soft();
	struct offload_sa sa = esp_sa(3, false, 0x1001);
	struct offload_counters c;
	struct offload_stats s;
	struct offload_caps caps;
	enum fgp_status st = FGP_STATUS_OK;

	CU_ASSERT_EQUAL(offload_caps(o, &caps), 0);
	CU_ASSERT(caps.version == 1 && caps.sa_entries == 256 && caps.replay_max == 64 &&
		  caps.max_payload == 2048 && caps.algs == 0x0707);
	CU_ASSERT_EQUAL(offload_sa_load(o, &sa, &st), 0);
	CU_ASSERT_EQUAL(st, FGP_STATUS_OK);
	CU_ASSERT_EQUAL(offload_counters(o, 3, &c), 0);
	CU_ASSERT(c.packets == 0 && c.seq == 0);
	CU_ASSERT_EQUAL(offload_counters(o, 4, &c), FG_ERR_NOTFOUND);
	CU_ASSERT_EQUAL(offload_sa_clear(o, 4), FG_ERR_NOTFOUND);
	/* Refused by the device: the status says why. */
	sa.replay_window = 65;
	CU_ASSERT_EQUAL(offload_sa_load(o, &sa, &st), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(st, FGP_STATUS_BAD_SA);
	sa.index = 256;
	CU_ASSERT_EQUAL(offload_sa_load(o, &sa, &st), FG_ERR_NOTFOUND);
	CU_ASSERT_EQUAL(st, FGP_STATUS_NO_SA);
	/* Refused here: key length and cipher disagree; nothing sent. */
	sa = esp_sa(3, false, 0x1001);
	sa.cipher_key_len = 8;
	CU_ASSERT_EQUAL(offload_sa_load(o, &sa, NULL), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(offload_stats(o, &s), 0);
	CU_ASSERT_EQUAL(s.frames_in, 8);
	CU_ASSERT_EQUAL(s.frames_out, 7);
	CU_ASSERT_EQUAL(offload_sa_clear(o, 3), 0);
	CU_ASSERT_EQUAL(offload_counters(o, 3, &c), FG_ERR_NOTFOUND);
	CU_ASSERT_EQUAL(offload_sa_load(o, &sa, NULL), FG_ERR_INVAL);
	sa.cipher_key_len = 24;
	CU_ASSERT_EQUAL(offload_sa_load(o, &sa, NULL), 0);
	CU_ASSERT_EQUAL(offload_reset(o), 0);
	CU_ASSERT_EQUAL(offload_counters(o, 3, &c), FG_ERR_NOTFOUND);
	CU_ASSERT_EQUAL(offload_bad_results(o), 0);
	offload_close(o);
}

static void test_submit_errors(void)
{
	struct offload *o = open_soft();
	uint8_t buf[2049] = { 0 };
	struct offload_result res[2];

	CU_ASSERT_EQUAL(offload_submit(o, FGP_TYPE_CAPS, 1, 1, 4, buf, 8), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(offload_submit(o, FGP_TYPE_ENCAP, 1, 1, 4, NULL, 8), FG_ERR_INVAL);
	CU_ASSERT_EQUAL(offload_submit(o, FGP_TYPE_ENCAP, 1, 1, 4, buf, 2049), FG_ERR_RANGE);
	CU_ASSERT_EQUAL(offload_inflight(o), 0);
	/* Nothing in flight: collect returns at once, even told to wait. */
	CU_ASSERT_EQUAL(offload_collect(o, res, 2, 0), 0);
	CU_ASSERT_EQUAL(offload_collect(o, res, 2, -1), 0);
	CU_ASSERT_EQUAL(offload_collect(o, res, 0, -1), 0);
	/* A packet for an empty slot still completes, with NO_SA. */
	CU_ASSERT_EQUAL(offload_submit(o, FGP_TYPE_DECAP, 9, 5, 0, buf, 2048), 0);
	CU_ASSERT_EQUAL(offload_submit(o, FGP_TYPE_DECAP, 9, 5, 0, buf, 20), FG_ERR_EXISTS);
	CU_ASSERT_EQUAL(offload_inflight(o), 1);
	CU_ASSERT_EQUAL(offload_collect(o, res, 2, -1), 1);
	CU_ASSERT_EQUAL(res[0].tag, 5);
	CU_ASSERT_EQUAL(res[0].sa, 9);
	CU_ASSERT_EQUAL(res[0].type, FGP_TYPE_DECAP);
	CU_ASSERT_EQUAL(res[0].status, FGP_STATUS_NO_SA);
	CU_ASSERT_EQUAL(res[0].len, 0);
	CU_ASSERT_EQUAL(offload_inflight(o), 0);
	offload_close(o);
}

enum { NSA = 4, NPKT = 1000 };

struct pkt {
	uint8_t data[1400];
	size_t len;
	uint8_t esp[1500];
	size_t esp_len;
	bool encap_done, decap_done;
};

/* Thousands of packets over four SA pairs, up to the in-flight limit,
 * collected in odd batch sizes and matched by tag. */
static void test_many_in_flight(void)
{
	struct offload *o = open_soft();
	struct pkt *p = calloc(NPKT, sizeof(*p));
	struct offload_result res[37];
	struct offload_counters c;
	struct offload_sa sa;
	uint8_t req[1500];
	size_t next = 0, done = 0, i, bad = 0, full = 0, peak = 0;
	uint32_t last_seq[NSA] = { 0 };
	int n, k, rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	for (i = 0; i < NSA; i++) {
		sa = esp_sa((uint16_t)(10 + i), false, 0x2000 + (uint32_t)i);
		CU_ASSERT_EQUAL_FATAL(offload_sa_load(o, &sa, NULL), 0);
		sa = esp_sa((uint16_t)(20 + i), true, 0x2000 + (uint32_t)i);
		CU_ASSERT_EQUAL_FATAL(offload_sa_load(o, &sa, NULL), 0);
	}
	/* Encapsulate: tag = packet number, SA = number mod 4. */
	while (done < NPKT) {
		while (next < NPKT) {
			p[next].len = 1 + (next * 97) % 1400;
			fill(req, 8 + p[next].len);
			memcpy(p[next].data, req + 8, p[next].len);
			rc = offload_submit(o, FGP_TYPE_ENCAP, (uint16_t)(10 + next % NSA),
					    (uint32_t)next, 4, req, 8 + p[next].len);
			if (rc == FG_ERR_FULL) {
				full++;
				break;
			}
			CU_ASSERT_EQUAL_FATAL(rc, 0);
			next++;
			if (offload_inflight(o) > peak)
				peak = offload_inflight(o);
		}
		n = offload_collect(o, res, 1 + done % 37, -1);
		CU_ASSERT_FATAL(n > 0);
		for (k = 0; k < n; k++) {
			struct pkt *q = &p[res[k].tag % NPKT];

			bad += res[k].tag >= NPKT || q->encap_done || res[k].status != FGP_STATUS_OK ||
			       res[k].type != FGP_TYPE_ENCAP || res[k].sa != 10 + res[k].tag % NSA;
			/* Per SA, results come back in order. */
			bad += res[k].aux != last_seq[res[k].tag % NSA] + 1;
			last_seq[res[k].tag % NSA] = res[k].aux;
			q->encap_done = true;
			memcpy(q->esp, res[k].data, res[k].len);
			q->esp_len = res[k].len;
			done++;
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(peak, OFFLOAD_INFLIGHT_MAX);
	CU_ASSERT(full > 0);
	CU_ASSERT_EQUAL(offload_inflight(o), 0);

	/* Decapsulate them all, tags offset, batches of 1. */
	for (next = 0, done = 0; done < NPKT;) {
		while (next < NPKT && offload_inflight(o) < OFFLOAD_INFLIGHT_MAX) {
			CU_ASSERT_EQUAL_FATAL(offload_submit(o, FGP_TYPE_DECAP,
							     (uint16_t)(20 + next % NSA),
							     0x80000000u + (uint32_t)next, 0,
							     p[next].esp, p[next].esp_len), 0);
			next++;
		}
		n = offload_collect(o, res, 1, -1);
		CU_ASSERT_EQUAL_FATAL(n, 1);
		i = res[0].tag - 0x80000000u;
		CU_ASSERT_FATAL(i < NPKT);
		bad += p[i].decap_done || res[0].status != FGP_STATUS_OK || res[0].aux != 4 ||
		       res[0].len != p[i].len || memcmp(res[0].data, p[i].data, p[i].len) != 0;
		p[i].decap_done = true;
		done++;
	}
	CU_ASSERT_EQUAL(bad, 0);
	for (i = 0; i < NSA; i++) {
		CU_ASSERT_EQUAL(offload_counters(o, (uint16_t)(20 + i), &c), 0);
		CU_ASSERT_EQUAL(c.packets, NPKT / NSA);
		CU_ASSERT_EQUAL(c.seq, NPKT / NSA);
	}
	CU_ASSERT_EQUAL(offload_bad_results(o), 0);
	free(p);
	offload_close(o);
}

/* A control call is a barrier: its counters include the packets sent
 * before it, whose results it keeps for offload_collect(). */
static void test_control_barrier(void)
{
	struct offload *o = open_soft();
	struct offload_sa sa = esp_sa(1, false, 0x3000);
	struct offload_result res[64];
	struct offload_counters c;
	uint8_t req[1408];
	int i, n;

	CU_ASSERT_EQUAL_FATAL(offload_sa_load(o, &sa, NULL), 0);
	fill(req, sizeof(req));
	for (i = 0; i < 50; i++)
		CU_ASSERT_EQUAL_FATAL(offload_submit(o, FGP_TYPE_ENCAP, 1, (uint32_t)i, 4, req,
						     sizeof(req)), 0);
	CU_ASSERT_EQUAL(offload_counters(o, 1, &c), 0);
	CU_ASSERT_EQUAL(c.packets, 50);
	CU_ASSERT_EQUAL(c.bytes, 50 * 1400);
	CU_ASSERT_EQUAL(c.seq, 50);
	CU_ASSERT_EQUAL(offload_inflight(o), 50);
	n = offload_collect(o, res, 64, 0);
	CU_ASSERT_EQUAL(n, 50);
	for (i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(res[i].tag, (uint32_t)i);
		CU_ASSERT_EQUAL(res[i].aux, (uint32_t)i + 1);
	}
	/* Data of the previous batch stays valid until the next collect. */
	CU_ASSERT_EQUAL(frame_get32(res[49].data + 4), 50);
	CU_ASSERT_EQUAL(offload_inflight(o), 0);
	/* Closing with packets in flight drains and frees them. */
	for (i = 0; i < 20; i++)
		CU_ASSERT_EQUAL(offload_submit(o, FGP_TYPE_ENCAP, 1, (uint32_t)i, 4, req, 100), 0);
	offload_close(o);
}

/* ---- a scripted fake device ---- */

struct fake {
	struct fg_device base;
	uint8_t out[8192];
	size_t out_len, out_pos;
	size_t taken;                   /* request bytes accepted */
	long write_limit;               /* -1: all; else take this many, then fail */
	int write_err;
};

static struct fake *fake_of(struct fg_device *d)
{
	return (struct fake *)d;
}

static long fake_write(struct fg_device *d, const uint8_t *buf, size_t len)
{
	struct fake *f = fake_of(d);

	(void)buf;
	if (f->write_limit >= 0) {
		if (f->write_limit == 0)
			return f->write_err;
		if ((long)len > f->write_limit)
			len = (size_t)f->write_limit;
		f->write_limit -= (long)len;
	}
	f->taken += len;
	return (long)len;
}

static long fake_read(struct fg_device *d, uint8_t *buf, size_t max)
{
	struct fake *f = fake_of(d);
	size_t n = f->out_len - f->out_pos;

	if (n > max)
		n = max;
	memcpy(buf, f->out + f->out_pos, n);
	f->out_pos += n;
	return (long)n;
}

static int fake_poll(struct fg_device *d, int timeout_ms)
{
	(void)d;
	(void)timeout_ms;
	return 0;
}

static void fake_close(struct fg_device *d)
{
	free(d);
}

static const struct fg_device_ops fake_ops = { fake_write, fake_read, fake_poll, fake_close,
					       NULL };

static struct fake *fake_open(struct offload **o)
{
	struct fake *f = calloc(1, sizeof(*f));

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	f->base.ops = &fake_ops;
	f->base.name = "fake";
	f->write_limit = -1;
	CU_ASSERT_EQUAL_FATAL(offload_open_device(&f->base, o), 0);
	return f;
}

static void script(struct fake *f, uint8_t type, uint8_t status, uint16_t sa, uint32_t tag,
		   uint32_t aux, const uint8_t *p, size_t len)
{
	struct frame_hdr h = { .type = type, .status = status, .sa = sa, .tag = tag, .aux = aux };
	long n = frame_encode(f->out + f->out_len, sizeof(f->out) - f->out_len, &h, p, len);

	CU_ASSERT_FATAL(n > 0);
	f->out_len += (size_t)n;
}

static void script_raw(struct fake *f, const void *p, size_t len)
{
	memcpy(f->out + f->out_len, p, len);
	f->out_len += len;
}

static void test_bad_results(void)
{
	static const uint8_t junk[16] = {
		0xfb, 1, 0x85, 0, 0, 0, 0, 1, 0, 0, 0, 42, 0, 0, 0, 0,
	};
	struct offload *o;
	struct fake *f = fake_open(&o);
	struct offload_result res[4];
	uint8_t data[5] = { 1, 2, 3, 4, 5 }, huge[16];
	struct frame_hdr h = { .type = 0x85, .sa = 3, .tag = 42, .length = 0xffff };
	int n;

	CU_ASSERT_EQUAL(offload_submit(o, FGP_TYPE_ENCAP, 3, 42, 4, data, 5), 0);
	CU_ASSERT_EQUAL(f->taken, 24);
	script_raw(f, junk, 16);                                        /* 1: bad magic */
	script(f, 0x85, 0, 3, 99, 1, data, 5);                          /* 2: unknown tag */
	script(f, 0x86, 0, 3, 42, 1, data, 5);                          /* 3: wrong type */
	script(f, 0x85, 0, 4, 42, 1, data, 5);                          /* 4: wrong SA */
	frame_hdr_put(huge, &h);
	script_raw(f, huge, 16);                                        /* 5: too long */
	script(f, 0xff, FGP_STATUS_MALFORMED, FGP_SA_NONE, 0, 0, NULL, 0);  /* 6: ERROR */
	script(f, 0x05, 0, 3, 42, 1, data, 5);                          /* 7: not a result */
	script(f, 0x90, 0, 3, 42, 1, NULL, 0);                          /* 8: unknown type */
	script(f, 0x81, 0, FGP_SA_NONE, 1, 0, NULL, 0);                 /* 9: no CAPS asked */
	script(f, 0x85, FGP_STATUS_OK, 3, 42, 77, data, 5);             /* the real one */
	n = offload_collect(o, res, 4, 0);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(res[0].tag, 42);
	CU_ASSERT_EQUAL(res[0].aux, 77);
	CU_ASSERT_EQUAL(res[0].len, 5);
	CU_ASSERT_EQUAL(memcmp(res[0].data, data, 5), 0);
	CU_ASSERT_EQUAL(offload_bad_results(o), 9);
	/* A result for a packet already collected is not accepted twice. */
	script(f, 0x85, FGP_STATUS_OK, 3, 42, 77, data, 5);
	CU_ASSERT_EQUAL(offload_collect(o, res, 4, 0), 0);
	CU_ASSERT_EQUAL(offload_bad_results(o), 10);
	/* A half frame waits for the rest. */
	CU_ASSERT_EQUAL(offload_submit(o, FGP_TYPE_DECAP, 3, 43, 0, data, 5), 0);
	script(f, 0x86, FGP_STATUS_AUTH_FAIL, 3, 43, 0, NULL, 0);
	f->out_len -= 3;
	CU_ASSERT_EQUAL(offload_collect(o, res, 4, 0), 0);
	f->out_len += 3;
	CU_ASSERT_EQUAL(offload_collect(o, res, 4, 0), 1);
	CU_ASSERT_EQUAL(res[0].status, FGP_STATUS_AUTH_FAIL);
	CU_ASSERT_EQUAL(offload_bad_results(o), 10);
	offload_close(o);
}

static void test_control_over_fake(void)
{
	struct offload *o;
	struct fake *f = fake_open(&o);
	struct offload_caps caps;
	struct offload_counters c;
	uint8_t payload[40] = { 0 }, data[8] = { 0 };
	struct offload_result res[2];

	/* A packet result and a stray STATS result come before the CAPS
	 * result; the packet result is kept. Control tags count from 1. */
	CU_ASSERT_EQUAL(offload_submit(o, FGP_TYPE_ENCAP, 1, 7, 4, data, 8), 0);
	script(f, 0x85, 0, 1, 7, 1, data, 8);
	script(f, 0x88, 0, FGP_SA_NONE, 1, 0, payload, 32);
	script(f, 0x81, 0, FGP_SA_NONE, 1, 0, payload, 32);
	CU_ASSERT_EQUAL(offload_caps(o, &caps), 0);
	CU_ASSERT_EQUAL(offload_bad_results(o), 1);
	CU_ASSERT_EQUAL(offload_collect(o, res, 2, 0), 1);
	CU_ASSERT_EQUAL(res[0].tag, 7);
	/* A CAPS result of the wrong size, a COUNTERS result too long. */
	script(f, 0x81, 0, FGP_SA_NONE, 2, 0, payload, 31);
	CU_ASSERT_EQUAL(offload_caps(o, &caps), FG_ERR_PARSE);
	script(f, 0x87, 0, 5, 3, 0, payload, 40);
	CU_ASSERT_EQUAL(offload_counters(o, 5, &c), 0);
	script(f, 0x87, 0, 5, 4, 0, payload, 39);
	CU_ASSERT_EQUAL(offload_counters(o, 5, &c), FG_ERR_PARSE);
	script(f, 0x87, FGP_STATUS_NO_SA, 5, 5, 0, NULL, 0);
	CU_ASSERT_EQUAL(offload_counters(o, 5, &c), FG_ERR_NOTFOUND);
	offload_close(o);
}

static void test_write_failure(void)
{
	struct offload *o;
	struct fake *f = fake_open(&o);
	uint8_t data[8] = { 0 };
	struct offload_caps caps;

	/* Failing before any byte went out: the stream is intact. */
	f->write_limit = 0;
	f->write_err = FG_ERR_IO;
	CU_ASSERT_EQUAL(offload_submit(o, FGP_TYPE_ENCAP, 1, 1, 4, data, 8), FG_ERR_IO);
	CU_ASSERT_EQUAL(offload_inflight(o), 0);
	/* Failing after part of a frame: the handle refuses further use. */
	f->write_limit = 5;
	CU_ASSERT_EQUAL(offload_submit(o, FGP_TYPE_ENCAP, 1, 1, 4, data, 8), FG_ERR_IO);
	CU_ASSERT_EQUAL(offload_inflight(o), 0);
	f->write_limit = -1;
	CU_ASSERT_EQUAL(offload_submit(o, FGP_TYPE_ENCAP, 1, 2, 4, data, 8), FG_ERR_STATE);
	CU_ASSERT_EQUAL(offload_caps(o, &caps), FG_ERR_STATE);
	offload_close(o);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "open by backend name", test_open },
		{ "control calls over soft", test_control },
		{ "submit argument checks", test_submit_errors },
		{ "many packets in flight, matched by tag", test_many_in_flight },
		{ "control calls as barriers", test_control_barrier },
		{ "malformed and unmatched results", test_bad_results },
		{ "control results over a fake device", test_control_over_fake },
		{ "write failures", test_write_failure },
		{ NULL, NULL },
	};

	fg_log_set_level(FG_LOG_ERROR);
	unit_add_suite("offload API", tests);
	return unit_run("unit-offload");
}
