/*
 * Smoke test of build/sim/libfgate_sim.a from plain C (suite sim-lib): the
 * C API links and works, results come back whole, an ESP packet encrypted on
 * one SA decrypts on its inbound twin (on the other lane), tracing writes a
 * VCD, and two models run side by side. Prints the model's speed
 * (simulated cycles per second of wall time; a figure, not a check).
 *
 *   sim_smoke TRACE.vcd
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fgate_protocol.h"
#include "fgate_sim.h"

enum {
	PACKETS = 40,
	DATA_LEN = 1400,
	LIMIT = 10000000,
	BUF = 1 << 17,
};

static unsigned passed, failed;

static void check(int ok, const char *what)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		printf("FAIL: %s\n", what);
	}
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static unsigned get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* Queues one request frame. */
static void send(struct fgate_sim *s, uint8_t type, uint16_t sa, uint32_t tag, uint32_t aux,
		 const uint8_t *payload, size_t len)
{
	static uint8_t f[FGP_HDR_BYTES + FGP_MAX_PAYLOAD + 8];
	size_t total = FGP_HDR_BYTES + ((len + 7) & ~(size_t)7);

	memset(f, 0, total);
	f[0] = FGP_MAGIC;
	f[1] = FGP_VERSION;
	f[2] = type;
	put16(f + 4, (unsigned)len);
	put16(f + 6, sa);
	put32(f + 8, tag);
	put32(f + 12, aux);
	if (len)
		memcpy(f + FGP_HDR_BYTES, payload, len);
	fgate_sim_write(s, f, total);
}

/* Runs until idle and reads every result byte into buf; returns the count. */
static size_t results(struct fgate_sim *s, uint8_t *buf)
{
	fgate_sim_run(s, LIMIT);
	check(fgate_sim_idle(s), "model idle after the run");
	return (size_t)fgate_sim_read(s, buf, BUF);
}

static void load(struct fgate_sim *s, uint16_t slot, int inbound, uint8_t *res)
{
	uint8_t sa[FGP_SA_SIZE] = { 0 };

	sa[FGP_SA_FLAGS_OFF] = inbound ? FGP_SAFLAG_INBOUND : 0;
	sa[FGP_SA_CIPHER_OFF] = FGP_CIPHER_TDES_CBC;
	sa[FGP_SA_AUTH_OFF] = FGP_AUTH_HMAC_SHA1;
	put32(sa + FGP_SA_SPI_OFF, 0x1234);
	put32(sa + FGP_SA_SEQ_OFF, 1);
	put16(sa + FGP_SA_REPLAY_WINDOW_OFF, inbound ? 64 : 0);
	for (unsigned i = 0; i < 44; i++)
		sa[FGP_SA_CIPHER_KEY_OFF + i] = (uint8_t)(i * 37 + 11);
	send(s, FGP_TYPE_SA_LOAD, slot, slot, 0, sa, sizeof(sa));
	check(results(s, res) == FGP_HDR_BYTES && res[3] == FGP_STATUS_OK, "SA_LOAD");
}

static uint8_t in[BUF], out[BUF], data[PACKETS][8 + DATA_LEN];

int main(int argc, char **argv)
{
	struct fgate_sim *s = fgate_sim_open(NULL), *t;
	size_t n, off = 0;
	unsigned ok = 0;
	clock_t t0;
	uint64_t c0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s TRACE.vcd\n", argv[0]);
		return 2;
	}
	check(s != NULL, "fgate_sim_open");
	if (!s)
		return 1;
	send(s, FGP_TYPE_CAPS, FGP_SA_NONE, 7, 0, NULL, 0);
	n = results(s, out);
	check(n == FGP_HDR_BYTES + FGP_CAPS_SIZE && out[2] == (FGP_TYPE_CAPS | FGP_RESULT_BIT) &&
	      out[FGP_HDR_BYTES] == FGP_VERSION, "CAPS");
	load(s, 0, 0, out);
	load(s, 1, 1, out);

	/* ENCAP on slot 0 (lane 0), then DECAP of the results on slot 1. */
	t0 = clock();
	c0 = fgate_sim_cycles(s);
	for (unsigned i = 0; i < PACKETS; i++) {
		for (unsigned j = 0; j < sizeof(data[i]); j++)
			data[i][j] = (uint8_t)(i * 131 + j * 7);
		send(s, FGP_TYPE_ENCAP, 0, i, 4, data[i], sizeof(data[i]));
	}
	n = results(s, out);
	for (unsigned i = 0; i < PACKETS && off + FGP_HDR_BYTES <= n; i++) {
		unsigned len = get16(out + off + 4);
		if (out[off + 3] == FGP_STATUS_OK && len > 0)
			send(s, FGP_TYPE_DECAP, 1, 100 + i, 0, out + off + FGP_HDR_BYTES, len);
		off += FGP_HDR_BYTES + ((len + 7) & ~7u);
	}
	check(off == n, "ENCAP results are whole frames");
	n = results(s, in);
	off = 0;
	for (unsigned i = 0; i < PACKETS && off + FGP_HDR_BYTES <= n; i++) {
		unsigned len = get16(in + off + 4);
		ok += in[off + 3] == FGP_STATUS_OK && len == DATA_LEN && in[off + 15] == 4 &&
		      memcmp(in + off + FGP_HDR_BYTES, data[i] + 8, DATA_LEN) == 0;
		off += FGP_HDR_BYTES + ((len + 7) & ~7u);
	}
	check(ok == PACKETS, "ESP 3DES/HMAC-SHA1 ENCAP then DECAP gives the data back");
	{
		double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
		uint64_t cycles = fgate_sim_cycles(s) - c0;
		printf("sim-lib: %u packets of %u bytes out and back in %llu cycles, %.0f kcycles/s, "
		       "%.0f packets/s\n", 2 * PACKETS, DATA_LEN, (unsigned long long)cycles,
		       secs > 0 ? cycles / secs / 1000 : 0.0, secs > 0 ? 2 * PACKETS / secs : 0.0);
	}

	/* A second model, traced, beside the first; stalls on both streams. */
	t = fgate_sim_open(argv[1]);
	check(t != NULL, "fgate_sim_open with a VCD trace");
	if (t) {
		fgate_sim_set_stalls(t, 50, 50, 3);
		send(t, FGP_TYPE_STATS, FGP_SA_NONE, 9, 0, NULL, 0);
		n = results(t, out);
		check(n == FGP_HDR_BYTES + FGP_STATS_SIZE && out[3] == FGP_STATUS_OK, "STATS with stalls");
		fgate_sim_close(t);
		FILE *f = fopen(argv[1], "r");
		long size = 0;
		if (f) {
			fseek(f, 0, SEEK_END);
			size = ftell(f);
			fclose(f);
		}
		check(size > 1000, "the VCD trace has content");
	}
	check(fgate_sim_open("trace.fst") == NULL, "an FST trace is refused");
	fgate_sim_close(s);
	printf("sim-lib: %u passed, %u failed\n", passed, failed);
	return failed != 0;
}
