// engine bench: the state shared by the test files: the device, the
// reference SA table and the STATS the device must report, and helpers
// that send one request and check its result against the reference.
#ifndef FGATE_ENGINE_CTX_H
#define FGATE_ENGINE_CTX_H

#include "bench.h"
#include "engine_model.h"

#include <cstring>
#include <map>
#include <string>

namespace eng {

enum {
	N_LANES = 2,             // fgate_engine defaults
	SA_ENTRIES = 256,
	DEFAULT_COUNT = 1000,    // random packets / frames per differential test
};

struct Ctx {
	bench::Bench &b;
	Dev dev;
	std::map<uint16_t, SaState> table;   // reference SA table
	uint32_t tag = 1000;
	// STATS the device must report (since the last RESET).
	uint32_t frames_in = 0, frames_out = 0, malformed = 0, no_sa = 0, resync = 0;

	explicit Ctx(bench::Bench &bench) : b(bench) {}

	Frame req(uint8_t type, uint16_t sa, const Bytes &payload = Bytes(), uint32_t aux = 0)
	{
		Frame f;
		f.type = type;
		f.sa = sa;
		f.tag = tag++;
		f.aux = aux;
		f.payload = payload;
		return f;
	}

	// One control or packet request; result checked against want.
	bool call(const Frame &f, const Frame &want, const char *what)
	{
		Frame got = dev.call(f);
		frames_in++;
		frames_out++;
		return b.check(dev.error.empty() && same(got, want), "%s: %s\n  request %s\n  expected %s\n  got      %s",
			       what, dev.error.c_str(), describe(f).c_str(), describe(want).c_str(),
			       describe(got).c_str());
	}

	Frame result(const Frame &f, uint8_t status, const Bytes &payload = Bytes(), uint32_t aux = 0)
	{
		Frame r;
		r.type = f.type | FGP_RESULT_BIT;
		r.status = status;
		r.sa = f.sa;
		r.tag = f.tag;
		r.aux = aux;
		r.payload = payload;
		return r;
	}

	bool load(const Sa &sa, uint8_t want = FGP_STATUS_OK)
	{
		Frame f = req(FGP_TYPE_SA_LOAD, sa.slot, sa.layout());
		bool ok = call(f, result(f, want), ("SA_LOAD " + sa.name()).c_str());
		if (want == FGP_STATUS_OK) {
			table.erase(sa.slot);
			table.emplace(sa.slot, SaState(sa));
		}
		return ok;
	}

	// A packet request whose result the reference predicts.
	bool packet(const Frame &f, const char *what, uint8_t want_status)
	{
		auto it = table.find(f.sa);
		Frame want = expect_packet(it == table.end() ? nullptr : &it->second, f);
		if (want.status == FGP_STATUS_NO_SA)
			no_sa++;
		bool ok = b.check(want.status == want_status, "%s: reference says %s, test expects %s", what,
				  fgp_status_name(want.status), fgp_status_name(want_status));
		return call(f, want, what) && ok;
	}

	bool counters(uint16_t slot, const char *what)
	{
		Frame f = req(FGP_TYPE_COUNTERS, slot);
		return call(f, result(f, FGP_STATUS_OK, table.at(slot).counters()), what);
	}

	Bytes stats_layout() const
	{
		Bytes s(FGP_STATS_SIZE, 0);
		uint32_t v[5] = { frames_in, frames_out, malformed, no_sa, resync };
		for (int i = 0; i < 5; i++)
			for (int j = 0; j < 4; j++)
				s[4 * i + j] = (uint8_t)(v[i] >> (24 - 8 * j));
		return s;
	}

	bool stats(const char *what)
	{
		Frame f = req(FGP_TYPE_STATS, FGP_SA_NONE);
		frames_in++;    // the STATS request counts itself, not its result
		Frame want = result(f, FGP_STATUS_OK, stats_layout());
		Frame got = dev.call(f);
		frames_out++;
		return b.check(dev.error.empty() && same(got, want), "%s: %s\n  expected %s\n  got      %s", what,
			       dev.error.c_str(), describe(want).c_str(), describe(got).c_str());
	}

	bool reset()
	{
		Frame f = req(FGP_TYPE_RESET, FGP_SA_NONE);
		bool ok = b.check(dev.error.empty() && same(dev.call(f), result(f, FGP_STATUS_OK)),
				  "RESET: %s", dev.error.c_str());
		table.clear();
		frames_in = malformed = no_sa = resync = 0;
		frames_out = 1;
		return ok;
	}
};

Sa make_sa(bench::Bench &b, uint16_t slot, bool inbound, bool ah, uint8_t cipher, uint8_t auth);
Sa twin(const Sa &out, uint16_t slot);
Bytes esp_payload(bench::Bench &b, const Sa &sa, size_t data_len);
Bytes ip_packet(bench::Bench &b, unsigned ihl, size_t data_len);

void test_control(Ctx &c);
void test_esp_known(Ctx &c);
void test_ah_known(Ctx &c);
void test_kat(Ctx &c);
void test_statuses(Ctx &c);
void test_resync(Ctx &c);
void test_hw_reset(Ctx &c);
void test_stress(Ctx &c);
void test_perf(Ctx &c);
void test_diff_soft(bench::Bench &b);

} // namespace eng

#endif
