// engine bench: fgate_engine (hdl/rtl/top) through the fgate_sim library,
// frame by frame against docs/protocol.md:
//   - RFC 2202 HMAC known answers (tests/vectors) as ESP DECAP ICVs;
//   - control frames: CAPS, STATS, RESET, SA_LOAD (every BAD_SA reason,
//     NO_SA, MALFORMED), SA_CLEAR, COUNTERS;
//   - ESP ENCAP of known packets for every cipher and MAC against OpenSSL,
//     DECAP of them back; AH ENCAP/DECAP with several IPv4 header sizes;
//   - every status: AUTH_FAIL, REPLAY (duplicate, left of the window, 0),
//     BAD_PAD, NO_SA, SPI_MISMATCH, WRONG_DIR, BAD_LENGTH, SEQ_OVERFLOW,
//     MALFORMED (bad magic with resync, unknown type, control length),
//     TOO_BIG; per-SA counters and STATS after them;
//   - random traffic on many SAs spread over the lanes, with random idle
//     cycles and backpressure, checked against the OpenSSL reference, with
//     per-SA result order;
//   - cycles per packet (ESP 3DES + HMAC-SHA1, one SA, steady state);
//   - a differential run against the soft device (engine_diff.cpp).
#include "engine_ctx.h"

using bench::Bench;

namespace eng {

// An SA with random keys.
Sa make_sa(Bench &b, uint16_t slot, bool inbound, bool ah, uint8_t cipher, uint8_t auth)
{
	Sa sa;

	sa.slot = slot;
	sa.flags = (inbound ? FGP_SAFLAG_INBOUND : 0) | (ah ? FGP_SAFLAG_AH : 0);
	sa.cipher = ah ? (uint8_t)FGP_CIPHER_NULL : cipher;
	sa.auth = auth;
	sa.spi = b.rand32() | 0x100;
	sa.seq = 1;
	sa.window = inbound ? 64 : 0;
	b.fill(sa.ckey, sizeof(sa.ckey));
	b.fill(sa.akey, sizeof(sa.akey));
	if (cipher == FGP_CIPHER_DES_CBC)
		memset(sa.ckey + 8, 0, 16);
	if (auth == FGP_AUTH_HMAC_MD5)
		memset(sa.akey + 16, 0, 4);
	return sa;
}

// The inbound twin of an outbound SA (same keys and SPI).
Sa twin(const Sa &out, uint16_t slot)
{
	Sa in = out;

	in.slot = slot;
	in.flags |= FGP_SAFLAG_INBOUND;
	in.window = 64;
	return in;
}

Bytes esp_payload(Bench &b, const Sa &sa, size_t data_len)
{
	return b.bytes((sa.cipher == FGP_CIPHER_NULL ? 0 : IV_LEN) + data_len);
}

Bytes ip_packet(Bench &b, unsigned ihl, size_t data_len)
{
	Bytes p = ipv4(ihl, ihl * 4 + 24 + data_len, 51);
	Bytes d = b.bytes(data_len);

	for (size_t i = 20; i < p.size(); i++)
		p[i] = (uint8_t)b.rand32();     // options: any bytes
	p.insert(p.end(), d.begin(), d.end());
	return p;
}

// ---------------------------------------------------------------- tests

void test_control(Ctx &c)
{
	Frame f = c.req(FGP_TYPE_CAPS, FGP_SA_NONE);
	Bytes caps(FGP_CAPS_SIZE, 0);
	caps[0] = FGP_VERSION;
	caps[1] = N_LANES;
	caps[2] = N_LANES;
	caps[4] = SA_ENTRIES >> 8;
	caps[6] = 0;
	caps[7] = 64;
	caps[8] = FGP_MAX_PAYLOAD >> 8;
	caps[10] = 0x07;
	caps[11] = 0x07;
	c.call(f, c.result(f, FGP_STATUS_OK, caps), "CAPS");
	c.stats("STATS after reset");
	c.reset();
	c.stats("STATS after RESET");

	// SA_LOAD: every reason for BAD_SA, then range and length.
	Sa good = make_sa(c.b, 3, false, false, FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1);
	struct { const char *what; void (*spoil)(Sa &); } bad[] = {
		{ "unknown flag", [](Sa &s) { s.flags |= 8; } },
		{ "flag bit 7", [](Sa &s) { s.flags |= 0x80; } },
		{ "cipher 3", [](Sa &s) { s.cipher = 3; } },
		{ "auth 3", [](Sa &s) { s.auth = 3; } },
		{ "window 65", [](Sa &s) { s.window = 65; } },
		{ "window 0x4000", [](Sa &s) { s.window = 0x4000; } },
		{ "AH with a cipher", [](Sa &s) { s.flags |= FGP_SAFLAG_AH; } },
		{ "AH without MAC", [](Sa &s) { s.flags |= FGP_SAFLAG_AH; s.cipher = 0; s.auth = 0; } },
		{ "ESP NULL/NONE", [](Sa &s) { s.cipher = 0; s.auth = 0; } },
		{ "RESERVED", [](Sa &s) { s.rsv[0] = 1; } },
		{ "RESERVED2", [](Sa &s) { s.rsv[2] = 0x80; } },
		{ "RESERVED3", [](Sa &s) { s.rsv[3] = 1; } },
	};
	for (auto &x : bad) {
		Sa s = good;
		x.spoil(s);
		Frame lf = c.req(FGP_TYPE_SA_LOAD, s.slot, s.layout());
		c.call(lf, c.result(lf, FGP_STATUS_BAD_SA), (std::string("SA_LOAD BAD_SA: ") + x.what).c_str());
	}
	Frame cf = c.req(FGP_TYPE_COUNTERS, 3);
	c.call(cf, c.result(cf, FGP_STATUS_NO_SA), "COUNTERS of a slot no BAD_SA filled");
	Sa range = good;
	range.slot = SA_ENTRIES;
	Frame rf = c.req(FGP_TYPE_SA_LOAD, range.slot, range.layout());
	c.call(rf, c.result(rf, FGP_STATUS_NO_SA), "SA_LOAD slot out of range");
	rf = c.req(FGP_TYPE_SA_LOAD, FGP_SA_NONE, range.layout());
	c.call(rf, c.result(rf, FGP_STATUS_NO_SA), "SA_LOAD slot SA_NONE");
	Bytes shortl = good.layout();
	shortl.pop_back();
	rf = c.req(FGP_TYPE_SA_LOAD, 3, shortl);
	c.malformed++;
	c.call(rf, c.result(rf, FGP_STATUS_MALFORMED), "SA_LOAD of 63 bytes");
	rf = c.req(FGP_TYPE_SA_LOAD, 3);
	c.malformed++;
	c.call(rf, c.result(rf, FGP_STATUS_MALFORMED), "SA_LOAD without payload");

	c.load(good);
	c.counters(3, "COUNTERS after SA_LOAD");
	Frame clr = c.req(FGP_TYPE_SA_CLEAR, 3);
	c.call(clr, c.result(clr, FGP_STATUS_OK), "SA_CLEAR");
	c.table.erase(3);
	clr = c.req(FGP_TYPE_SA_CLEAR, 3);
	c.call(clr, c.result(clr, FGP_STATUS_NO_SA), "SA_CLEAR of an empty slot");
	clr = c.req(FGP_TYPE_SA_CLEAR, 999);
	c.call(clr, c.result(clr, FGP_STATUS_NO_SA), "SA_CLEAR out of range");
	cf = c.req(FGP_TYPE_COUNTERS, 3);
	c.call(cf, c.result(cf, FGP_STATUS_NO_SA), "COUNTERS after SA_CLEAR");
	cf = c.req(FGP_TYPE_COUNTERS, 0xffff);
	c.call(cf, c.result(cf, FGP_STATUS_NO_SA), "COUNTERS out of range");
	// Control frames with a payload they must not have.
	for (uint8_t t : { FGP_TYPE_CAPS, FGP_TYPE_RESET, FGP_TYPE_SA_CLEAR, FGP_TYPE_COUNTERS, FGP_TYPE_STATS }) {
		Frame m = c.req(t, 3, Bytes(8, 0));
		c.malformed++;
		c.call(m, c.result(m, FGP_STATUS_MALFORMED), "control frame with a payload");
	}
	c.stats("STATS after control frames");
}

// Every cipher x MAC, lengths around the block edges: ENCAP against
// OpenSSL, DECAP of the result on the inbound twin gives the data back.
void test_esp_known(Ctx &c)
{
	static const uint8_t ciphers[] = { FGP_CIPHER_TDES_CBC, FGP_CIPHER_DES_CBC, FGP_CIPHER_NULL };
	static const uint8_t auths[] = { FGP_AUTH_HMAC_SHA1, FGP_AUTH_HMAC_MD5, FGP_AUTH_NONE };
	static const size_t lens[] = { 0, 1, 5, 6, 7, 8, 13, 14, 64, 100, 1400, 2040 };
	uint16_t slot = 10;

	for (uint8_t ci : ciphers)
		for (uint8_t au : auths) {
			if (ci == FGP_CIPHER_NULL && au == FGP_AUTH_NONE)
				continue;
			Sa out = make_sa(c.b, slot, false, false, ci, au);
			Sa in = twin(out, slot + 1);
			c.load(out);
			c.load(in);
			for (size_t len : lens) {
				if (ci == FGP_CIPHER_NULL && len == 2040)
					len = 2048;
				Frame e = c.req(FGP_TYPE_ENCAP, out.slot, esp_payload(c.b, out, len), 4 + (uint32_t)len);
				std::string what = "ESP ENCAP " + out.name() + " len " + std::to_string(len);
				if (!c.packet(e, what.c_str(), FGP_STATUS_OK))
					continue;
				SaState &st = c.table.at(out.slot);
				Bytes wire = esp_packet(out, (uint32_t)(st.next_seq - 1), e.payload, (uint8_t)e.aux);
				Frame d = c.req(FGP_TYPE_DECAP, in.slot, wire);
				what = "ESP DECAP " + in.name() + " len " + std::to_string(len);
				// The largest packets no longer fit a request once protected.
				c.packet(d, what.c_str(), wire.size() > FGP_MAX_PAYLOAD ? FGP_STATUS_TOO_BIG
											 : FGP_STATUS_OK);
			}
			c.counters(out.slot, ("COUNTERS " + out.name()).c_str());
			c.counters(in.slot, ("COUNTERS " + in.name()).c_str());
			slot += 2;
		}
}

void test_ah_known(Ctx &c)
{
	static const unsigned ihls[] = { 5, 6, 7, 15 };
	static const size_t lens[] = { 0, 1, 4, 8, 20, 63, 1400 };
	uint16_t slot = 40;

	for (uint8_t au : { FGP_AUTH_HMAC_SHA1, FGP_AUTH_HMAC_MD5 }) {
		Sa out = make_sa(c.b, slot, false, true, FGP_CIPHER_NULL, au);
		Sa in = twin(out, slot + 3);
		c.load(out);
		c.load(in);
		for (unsigned ihl : ihls)
			for (size_t len : lens) {
				Bytes ip = ip_packet(c.b, ihl, len);
				Frame e = c.req(FGP_TYPE_ENCAP, out.slot, ip, 6);
				std::string what = "AH ENCAP " + out.name() + " ihl " + std::to_string(ihl) +
						   " len " + std::to_string(len);
				if (!c.packet(e, what.c_str(), FGP_STATUS_OK))
					continue;
				SaState &st = c.table.at(out.slot);
				Frame d = c.req(FGP_TYPE_DECAP, in.slot,
						ah_packet(out, (uint32_t)(st.next_seq - 1), ip, 6));
				what = "AH DECAP " + in.name() + " ihl " + std::to_string(ihl) +
				       " len " + std::to_string(len);
				c.packet(d, what.c_str(), FGP_STATUS_OK);
			}
		c.counters(out.slot, ("COUNTERS " + out.name()).c_str());
		c.counters(in.slot, ("COUNTERS " + in.name()).c_str());
		slot += 6;
	}
}

} // namespace eng

using namespace eng;

int main(int argc, char **argv)
{
	Bench b("engine", argc, argv, DEFAULT_COUNT);

	if (!crypto_init()) {
		fprintf(stderr, "engine: cannot load the OpenSSL legacy and default providers\n");
		return 2;
	}
	{
		Ctx c(b);
		if (!b.check(c.dev.ok(), "fgate_sim_open failed"))
			return b.finish();
		test_control(c);
		test_esp_known(c);
		test_ah_known(c);
		test_kat(c);
		test_statuses(c);
		test_resync(c);
		test_hw_reset(c);
		test_stress(c);
	}
	{
		Ctx c(b);
		test_perf(c);
	}
	test_diff_soft(b);
	return b.finish();
}
