/* host/offload/sim_ft601_device: the "sim-ft601" backend (the engine behind
 * the simulated FT601 bridge, reached through usb_stream): bad arguments
 * each give one log line and a defined error; open and close, directly and
 * through the offload API; its clock counts; CAPS agrees with the "sim"
 * backend; ESP packets of sizes around the 1024-byte USB packets, all in
 * flight at once, encapsulate byte for byte as the soft device does and
 * decapsulate back; a VCD trace is written.
 * And the model's transfer API under it (sim/fgate_sim_ft601.h): CAPS
 * frames in one OUT transfer come back in a short IN transfer; a caller
 * that takes no IN transfer stops the device without it spinning; a byte
 * count that is not whole bus words trips the bridge's err_partial, after
 * which every call fails. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "fgate_sim_ft601.h"
#include "offload/device.h"
#include "offload/frame.h"
#include "offload/offload.h"
#include "offload/sim_device.h"
#include "unit.h"

enum { SIZES = 14, TAG0 = 100, SA_OUT = 1, SA_IN = 2 };

static const size_t sizes[SIZES] = { 0, 1, 7, 8, 500, 1000, 1008, 1009, 1016, 1017,
				     1024, 1400, 2000, 2014 };

static uint32_t lcg = 7;

static uint8_t rnd8(void)
{
	lcg = lcg * 1664525u + 1013904223u;
	return (uint8_t)(lcg >> 24);
}

/* Runs sim_ft601_device_open(args) with the log captured; returns its rc. */
static int open_logged(const char *args, char *log, size_t cap, int *lines)
{
	struct fg_device *dev = (struct fg_device *)&lcg;    /* must be cleared */
	FILE *f = tmpfile();
	size_t n;
	int rc, i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fg_log_set_stream(f);
	rc = sim_ft601_device_open(args, &dev);
	fg_log_set_stream(NULL);
	rewind(f);
	n = fread(log, 1, cap - 1, f);
	log[n] = '\0';
	fclose(f);
	CU_ASSERT_PTR_NULL(dev);
	if (!rc && dev)
		dev->ops->close(dev);
	for (*lines = 0, i = 0; log[i]; i++)
		*lines += log[i] == '\n';
	return rc;
}

static void test_bad_args(void)
{
	static const struct {
		const char *args;
		int rc;
	} cases[] = {
		{ "trace=", FG_ERR_INVAL },
		{ "trace", FG_ERR_INVAL },
		{ "Trace=x.vcd", FG_ERR_INVAL },
		{ "vidpid=0403:601f", FG_ERR_INVAL },
		{ " trace=x.vcd", FG_ERR_INVAL },
		{ "trace=x.fst", FG_ERR_IO },                     /* only VCD is built in */
		{ "trace=/nonexistent/dir/x.vcd", FG_ERR_IO },    /* cannot be opened */
	};
	char log[1024];
	size_t i;
	int lines;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = open_logged(cases[i].args, log, sizeof(log), &lines);

		CU_ASSERT_EQUAL(rc, cases[i].rc);
		CU_ASSERT_EQUAL(lines, 1);
		CU_ASSERT_PTR_NOT_NULL(strstr(log, "sim-ft601") ? strstr(log, "sim-ft601") :
					   strstr(log, "FT601"));
		if (rc != cases[i].rc || lines != 1)
			fprintf(stderr, "case \"%s\": rc %d, log: %s", cases[i].args, rc, log);
	}
}

static void test_open_close(void)
{
	struct fg_device *dev = NULL;
	struct offload *o = NULL;
	uint64_t c0 = 0, c1 = 0;
	struct offload_caps caps;

	CU_ASSERT_EQUAL_FATAL(sim_ft601_device_open(NULL, &dev), 0);
	CU_ASSERT_STRING_EQUAL(dev->name, "sim-ft601");
	CU_ASSERT(sim_device_cycles(dev) > 0);             /* reset and SA table wipe */
	CU_ASSERT_EQUAL(dev->ops->poll(dev, 0), 0);        /* idle: nothing to do */
	dev->ops->close(dev);

	CU_ASSERT_EQUAL_FATAL(offload_open("sim-ft601", "", &o), 0);
	CU_ASSERT_STRING_EQUAL(offload_backend(o), "sim-ft601");
	CU_ASSERT_EQUAL(offload_device_cycles(o, &c0), 0);
	CU_ASSERT_EQUAL(offload_caps(o, &caps), 0);
	CU_ASSERT_EQUAL(offload_device_cycles(o, &c1), 0);
	CU_ASSERT(c1 > c0);                                 /* the CAPS frame took cycles */
	offload_close(o);
}

static void test_caps_as_sim(void)
{
	struct offload *ft = NULL, *sim = NULL;
	struct offload_caps a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0xff, sizeof(b));
	CU_ASSERT_EQUAL_FATAL(offload_open("sim-ft601", NULL, &ft), 0);
	CU_ASSERT_EQUAL_FATAL(offload_open("sim", NULL, &sim), 0);
	CU_ASSERT_EQUAL(offload_caps(ft, &a), 0);
	CU_ASSERT_EQUAL(offload_caps(sim, &b), 0);
	CU_ASSERT_EQUAL(a.version, b.version);
	CU_ASSERT_EQUAL(a.cipher_cores, b.cipher_cores);
	CU_ASSERT_EQUAL(a.sa_entries, b.sa_entries);
	CU_ASSERT_EQUAL(a.max_payload, b.max_payload);
	CU_ASSERT_EQUAL(a.algs, b.algs);
	CU_ASSERT_EQUAL(a.build_id, b.build_id);
	CU_ASSERT(a.sa_entries > 0);
	offload_close(ft);
	offload_close(sim);
}

static struct offload_sa esp_sa(uint16_t index, bool inbound)
{
	static const uint8_t ck[24] = { 1, 35, 69, 103, 137, 171, 205, 239, 254, 220, 186, 152,
					118, 84, 50, 16, 137, 171, 205, 239, 1, 35, 69, 103 };
	static const uint8_t ak[20] = { 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
					21, 22, 23, 24, 25, 26, 27, 28, 29, 30 };
	struct offload_sa sa;

	memset(&sa, 0, sizeof(sa));
	sa.index = index;
	sa.inbound = inbound;
	sa.cipher = FGP_CIPHER_TDES_CBC;
	sa.auth = FGP_AUTH_HMAC_SHA1;
	sa.spi = 0x5001;
	sa.seq = 1;
	sa.replay_window = inbound ? 64 : 0;
	memcpy(sa.cipher_key, ck, sizeof(ck));
	sa.cipher_key_len = sizeof(ck);
	memcpy(sa.auth_key, ak, sizeof(ak));
	sa.auth_key_len = sizeof(ak);
	return sa;
}

struct got {
	int status;
	uint32_t aux;
	size_t len;
	uint8_t *data;
};

/* Submits n packets (tags TAG0..) at once, then collects every result. */
static int batch(struct offload *o, enum fgp_type type, uint16_t sa, uint8_t *const *pk,
		 const size_t *len, size_t n, struct got *got)
{
	struct offload_result res[8];
	size_t i, have = 0;
	int rc, k, rounds = 0;

	for (i = 0; i < n; i++) {
		rc = offload_submit(o, type, sa, (uint32_t)(TAG0 + i), 4, pk[i], len[i]);
		if (rc)
			return rc;
	}
	while (have < n && rounds++ < 200) {
		rc = offload_collect(o, res, 8, 1000);
		if (rc < 0)
			return rc;
		for (k = 0; k < rc; k++) {
			size_t t = res[k].tag - TAG0;

			if (t >= n || got[t].data)
				return FG_ERR_STATE;
			got[t].status = (int)res[k].status;
			got[t].aux = res[k].aux;
			got[t].len = res[k].len;
			got[t].data = malloc(res[k].len ? res[k].len : 1);
			if (!got[t].data)
				return FG_ERR_NOMEM;
			memcpy(got[t].data, res[k].data, res[k].len);
			have++;
		}
	}
	return have == n ? 0 : FG_ERR_TIMEOUT;
}

static void free_got(struct got *g, size_t n)
{
	while (n--)
		free(g[n].data);
}

static void test_esp_as_soft(void)
{
	struct offload *ft = NULL, *soft = NULL;
	struct offload_sa out = esp_sa(SA_OUT, false), in = esp_sa(SA_IN, true);
	struct got ef[SIZES], es[SIZES], df[SIZES];
	uint8_t *pk[SIZES], *ct[SIZES];
	size_t len[SIZES], clen[SIZES], i, j;
	uint64_t c0 = 0, c1 = 0;

	memset(ef, 0, sizeof(ef));
	memset(es, 0, sizeof(es));
	memset(df, 0, sizeof(df));
	for (i = 0; i < SIZES; i++) {
		len[i] = 8 + sizes[i];                  /* IV | payload */
		pk[i] = malloc(len[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(pk[i]);
		for (j = 0; j < len[i]; j++)
			pk[i][j] = rnd8();
	}
	CU_ASSERT_EQUAL_FATAL(offload_open("sim-ft601", NULL, &ft), 0);
	CU_ASSERT_EQUAL_FATAL(offload_open("soft", NULL, &soft), 0);
	CU_ASSERT_EQUAL(offload_sa_load(ft, &out, NULL), 0);
	CU_ASSERT_EQUAL(offload_sa_load(ft, &in, NULL), 0);
	CU_ASSERT_EQUAL(offload_sa_load(soft, &out, NULL), 0);
	CU_ASSERT_EQUAL(offload_device_cycles(ft, &c0), 0);

	CU_ASSERT_EQUAL(batch(soft, FGP_TYPE_ENCAP, SA_OUT, pk, len, SIZES, es), 0);
	CU_ASSERT_EQUAL(batch(ft, FGP_TYPE_ENCAP, SA_OUT, pk, len, SIZES, ef), 0);
	for (i = 0; i < SIZES; i++) {
		bool same = ef[i].data && es[i].data && ef[i].status == es[i].status &&
			    ef[i].aux == es[i].aux && ef[i].len == es[i].len &&
			    !memcmp(ef[i].data, es[i].data, es[i].len);

		CU_ASSERT(same);
		CU_ASSERT_EQUAL(ef[i].status, FGP_STATUS_OK);
		if (!same)
			fprintf(stderr, "ENCAP payload %zu: sim-ft601 status %d len %zu, soft status "
				"%d len %zu\n", sizes[i], ef[i].status, ef[i].len, es[i].status, es[i].len);
		ct[i] = ef[i].data;
		clen[i] = ef[i].data ? ef[i].len : 0;
	}
	CU_ASSERT_EQUAL(batch(ft, FGP_TYPE_DECAP, SA_IN, ct, clen, SIZES, df), 0);
	for (i = 0; i < SIZES; i++) {
		/* DECAP gives the payload back (the IV is not part of it). */
		CU_ASSERT_EQUAL(df[i].status, FGP_STATUS_OK);
		CU_ASSERT(df[i].data && df[i].len == sizes[i] &&
			  !memcmp(df[i].data, pk[i] + 8, sizes[i]));
	}
	CU_ASSERT_EQUAL(offload_device_cycles(ft, &c1), 0);
	CU_ASSERT(c1 > c0 + 1000);
	CU_ASSERT_EQUAL(offload_bad_results(ft), 0);
	offload_close(ft);
	offload_close(soft);
	free_got(ef, SIZES);
	free_got(es, SIZES);
	free_got(df, SIZES);
	for (i = 0; i < SIZES; i++)
		free(pk[i]);
}

static void test_trace(void)
{
	char path[] = "/tmp/fgate-sim-ft601-XXXXXX.vcd", args[64], head[16];
	struct fg_device *dev = NULL;
	FILE *f;
	int fd = mkstemps(path, 4);
	size_t n;

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	snprintf(args, sizeof(args), "trace=%s", path);
	CU_ASSERT_EQUAL_FATAL(sim_ft601_device_open(args, &dev), 0);
	dev->ops->close(dev);
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	unlink(path);
	CU_ASSERT(n == sizeof(head) && head[0] == '$');    /* a VCD header */
}

/* n CAPS request frames, tags 1..n, back to back into buf. */
static size_t caps_requests(uint8_t *buf, size_t cap, unsigned n)
{
	size_t off = 0;
	unsigned i;

	for (i = 0; i < n; i++) {
		struct frame_hdr h = { .type = FGP_TYPE_CAPS, .sa = FGP_SA_NONE, .tag = i + 1 };
		long size = frame_encode(buf + off, cap - off, &h, NULL, 0);

		CU_ASSERT_FATAL(size > 0);
		off += (size_t)size;
	}
	return off;
}

static void test_lib_transfers(void)
{
	static uint8_t req[4096], in[FGATE_SIM_FT601_XFER_SIZE];
	struct fgate_sim_ft601 *sim = fgate_sim_ft601_open(NULL);
	struct frame_hdr h;
	size_t len, off;
	long n;
	unsigned i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sim);
	CU_ASSERT(fgate_sim_ft601_idle(sim));
	CU_ASSERT_EQUAL(fgate_sim_ft601_run(sim, 1000), 0);      /* quiet already */
	CU_ASSERT_EQUAL(fgate_sim_ft601_in(sim, in, sizeof(in)), 0);
	CU_ASSERT_EQUAL(fgate_sim_ft601_out(sim, NULL, 8), -1);

	/* Three CAPS requests in one OUT transfer: three results, in order,
	 * in one short IN transfer. */
	len = caps_requests(req, sizeof(req), 3);
	CU_ASSERT_EQUAL(fgate_sim_ft601_out(sim, req, len), 0);
	CU_ASSERT_EQUAL(fgate_sim_ft601_out_pending(sim), 1);
	CU_ASSERT(fgate_sim_ft601_run(sim, 100000) > 0);
	CU_ASSERT(fgate_sim_ft601_idle(sim));
	CU_ASSERT_EQUAL(fgate_sim_ft601_out_pending(sim), 0);
	n = fgate_sim_ft601_in(sim, in, 8);                       /* too small: refused */
	CU_ASSERT_EQUAL(n, -1);
	n = fgate_sim_ft601_in(sim, in, sizeof(in));
	CU_ASSERT_FATAL(n > 0 && n < FGATE_SIM_FT601_PACKET);
	for (off = 0, i = 0; i < 3; i++) {
		CU_ASSERT_FATAL(frame_hdr_get(in + off, (size_t)n - off, &h) == 0);
		CU_ASSERT_EQUAL(h.type, FGP_TYPE_CAPS | FGP_RESULT_BIT);
		CU_ASSERT_EQUAL(h.status, FGP_STATUS_OK);
		CU_ASSERT_EQUAL(h.tag, i + 1);
		off += frame_size(h.length);
		CU_ASSERT_FATAL(off <= (size_t)n);
	}
	CU_ASSERT_EQUAL(off, (size_t)n);
	CU_ASSERT_EQUAL(fgate_sim_ft601_in(sim, in, sizeof(in)), 0);

	/* Nobody takes IN transfers: after the posted ones completed the
	 * device stops (well before the budget), and goes on once they are
	 * taken. */
	len = caps_requests(req, sizeof(req), 1);
	for (i = 0; i < 40; i++)
		CU_ASSERT_EQUAL(fgate_sim_ft601_out(sim, req, len), 0);
	CU_ASSERT(fgate_sim_ft601_run(sim, 1000000) < 1000000);
	CU_ASSERT(fgate_sim_ft601_idle(sim));
	CU_ASSERT_EQUAL(fgate_sim_ft601_run(sim, 1000000), 0);
	for (i = 0, off = 0; i < 100 && off < 40 * (size_t)n / 3; i++) {
		long k = fgate_sim_ft601_in(sim, in, sizeof(in));

		CU_ASSERT(k >= 0);
		if (k <= 0) {
			CU_ASSERT(fgate_sim_ft601_run(sim, 1000000) >= 0);
		} else {
			off += (size_t)k;
		}
	}
	CU_ASSERT_EQUAL(off, 40 * (size_t)n / 3);                /* every CAPS result */
	fgate_sim_ft601_close(sim);
}

static void test_lib_partial_word(void)
{
	static const uint8_t six[6] = { 1, 2, 3, 4, 5, 6 };
	uint8_t in[FGATE_SIM_FT601_XFER_SIZE];
	struct fgate_sim_ft601 *sim = fgate_sim_ft601_open(NULL);
	uint64_t c;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sim);
	/* 6 bytes: the second bus word has BE 0011, which the host's framing
	 * never sends: the bridge sets err_partial. */
	CU_ASSERT_EQUAL(fgate_sim_ft601_out(sim, six, sizeof(six)), 0);
	CU_ASSERT_EQUAL(fgate_sim_ft601_run(sim, 100000), -1);
	c = fgate_sim_ft601_cycles(sim);
	CU_ASSERT_EQUAL(fgate_sim_ft601_run(sim, 100000), -1);   /* sticky */
	CU_ASSERT_EQUAL(fgate_sim_ft601_cycles(sim), c);          /* and runs nothing */
	CU_ASSERT_EQUAL(fgate_sim_ft601_out(sim, six, 4), -1);
	CU_ASSERT_EQUAL(fgate_sim_ft601_in(sim, in, sizeof(in)), -1);
	fgate_sim_ft601_close(sim);
	fgate_sim_ft601_close(NULL);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "bad arguments: one line, defined error", test_bad_args },
		{ "open, poll, close; cycles count", test_open_close },
		{ "CAPS as the sim backend", test_caps_as_sim },
		{ "ESP across USB packets: as soft, and back", test_esp_as_soft },
		{ "trace=FILE.vcd", test_trace },
		{ "model: transfers, a caller that does not read", test_lib_transfers },
		{ "model: a partial bus word is a sticky error", test_lib_partial_word },
		{ NULL, NULL },
	};

	unit_add_suite("sim-ft601", tests);
	return unit_run("unit-sim_ft601");
}
