// ft601 bench: the FT601 bridge at its pins. Host framing (usb_stream) ->
// FT601 cycle model -> ft601_fifo -> loopback or engine -> back.
//
// Loopback: bursts of frames of sizes around the 512- and 1024-byte USB
// packet boundaries (and random ones), under configurations that throttle
// both flags (few chip buffers, USB stalls, random TXE_N, a host that reads
// slowly), compared byte for byte; a partial bus word from the host (the
// one malformed use the bridge defines); the stream right after reset;
// bus cycles per word without stalls. Engine: see ft601_engine.cpp.
#include "ft601_rig.h"

#include <cstdio>
#include <string>

using bench::Bench;

namespace ftb {

void test_engine(Bench &b, Rig &rig);

namespace {

struct Scenario {
	const char *name;
	ft601::Config cfg;
	unsigned read_pct;      // percent of cycles the host reads its ring
};

std::vector<Scenario> scenarios()
{
	std::vector<Scenario> v;
	ft601::Config c;

	v.push_back({ "usb2 512 free-running", c, 100 });
	c.packet = 1024;
	c.buffers = 4;
	v.push_back({ "usb3 1024 free-running", c, 100 });
	c = ft601::Config();
	c.buffers = 1;
	c.usb_stall = 40;
	c.throttle = 5;
	c.rx_gap_max = 6;
	v.push_back({ "512, 1 buffer, USB stalls, TXE_N throttled", c, 30 });
	c.packet = 1024;
	c.buffers = 2;
	c.usb_stall = 70;
	c.throttle = 15;
	c.rx_gap_max = 0;
	c.commit_idle = 2;
	v.push_back({ "1024, slow USB, heavy TXE_N throttle, slow host", c, 3 });
	return v;
}

size_t frame_size(Bench &b)
{
	static const size_t edges[] = { 8, 16, 24, 504, 512, 520, 1016, 1024, 1032,
					1536, 2040, 2048, 2056, 3072, 4096 };
	if (b.chance(50))
		return edges[b.below(sizeof(edges) / sizeof(edges[0]))];
	return 8 * (1 + b.below(2048 / 8 + 64));
}

// Writes everything through the host stream, running the rig while the
// stream is full, reading back as the scenario's host does.
void send(Rig &rig, Side &s, const Bytes &data, Bytes &got, unsigned read_pct)
{
	size_t off = 0;
	uint8_t buf[4096];
	unsigned spins = 0;

	while (off < data.size() && spins < 2000000) {
		long n = usb_stream_write(&s.s, data.data() + off, data.size() - off);
		if (n < 0)
			return;
		off += (size_t)n;
		if (!n) {
			rig.run(1);
			spins++;
		}
		if (rig.b.chance(read_pct)) {
			long m = usb_stream_read(&s.s, buf, sizeof(buf));
			if (m > 0)
				got.insert(got.end(), buf, buf + m);
		}
	}
}

// Runs until want bytes came back (or a stream error, or the cycle limit).
void collect(Rig &rig, Side &s, size_t want, Bytes &got, unsigned read_pct, uint64_t limit)
{
	uint8_t buf[4096];
	uint64_t end = rig.ft_cycles() + limit;

	while (got.size() < want && rig.ft_cycles() < end && !s.s.err) {
		rig.run(1);
		if (rig.b.chance(read_pct)) {
			long m = usb_stream_read(&s.s, buf, sizeof(buf));
			if (m > 0)
				got.insert(got.end(), buf, buf + m);
		}
	}
}

std::string first_diff(const Bytes &a, const Bytes &b)
{
	size_t i = 0;
	char buf[128];

	while (i < a.size() && i < b.size() && a[i] == b[i])
		i++;
	snprintf(buf, sizeof(buf), "sent %zu bytes, got %zu, first difference at byte %zu", a.size(),
		 b.size(), i);
	return buf;
}

void test_scenario(Bench &b, Rig &rig, const Scenario &sc, unsigned bursts)
{
	Side &s = rig.lb;
	Bytes sent, got;
	std::string sizes;
	uint64_t ignored0 = s.model->stats().writes_ignored;

	s.model->config() = sc.cfg;
	for (unsigned k = 0; k < bursts; k++) {
		Bytes burst;
		unsigned frames = 1 + b.below(8);

		for (unsigned f = 0; f < frames; f++) {
			size_t n = frame_size(b);
			Bytes fr = b.bytes(n);
			burst.insert(burst.end(), fr.begin(), fr.end());
			if (sizes.size() < 200)
				sizes += std::to_string(n) + " ";
		}
		send(rig, s, burst, got, sc.read_pct);
		sent.insert(sent.end(), burst.begin(), burst.end());
		rig.run(b.below(3) ? b.below(400) : 0);        // a gap between bursts
	}
	collect(rig, s, sent.size(), got, sc.read_pct, 400000 + 64 * sent.size());
	std::string err = rig.errors(s);
	b.check(got == sent && err.empty(), "loopback, %s: %u bursts (frame sizes %s...): %s%s%s",
		sc.name, bursts, sizes.c_str(), first_diff(sent, got).c_str(),
		err.empty() ? "" : "; errors:", err.c_str());
	const ft601::Stats &st = s.model->stats();
	printf("ft601: loopback, %s: %zu bytes, %llu packets in, %llu out (%llu short), "
	       "%llu writes refused by TXE_N\n", sc.name, sent.size(),
	       (unsigned long long)st.packets_in, (unsigned long long)st.packets_out,
	       (unsigned long long)st.short_packets_out,
	       (unsigned long long)(st.writes_ignored - ignored0));
	if (sc.cfg.throttle)
		b.check(s.model->stats().writes_ignored > ignored0,
			"loopback, %s: TXE_N throttling never refused a write (replay path not exercised)",
			sc.name);
}

// 64 KiB one way and back at full rate: bus cycles per 32-bit word.
void test_rate(Bench &b, Rig &rig)
{
	Side &s = rig.lb;
	Bytes data = b.bytes(65536), got;
	ft601::Config c;

	c.packet = 1024;
	c.buffers = 4;
	c.rx_gap_max = 0;
	s.model->config() = c;
	uint64_t t0 = rig.ft_cycles();
	send(rig, s, data, got, 100);
	collect(rig, s, data.size(), got, 100, 2000000);
	uint64_t cycles = rig.ft_cycles() - t0;
	b.check(got == data, "loopback rate run: %s", first_diff(data, got).c_str());
	// Each word crosses the bus twice (in, then back out).
	b.report("ft601_loopback_cycles_per_word", (double)cycles / (2.0 * data.size() / 4));
	printf("ft601: 64 KiB through the loopback in %llu ft_clk cycles (%.2f cycles per bus word "
	       "each way; 1.00 is the bus limit)\n", (unsigned long long)cycles,
	       (double)cycles / (2.0 * data.size() / 4));
}

// A host byte count that is not a multiple of 4: the last bus word has
// BE < 4'b1111; the bridge zero-fills it and raises err_partial.
void test_partial(Bench &b, Rig &rig)
{
	Side &s = rig.lb;
	Bytes a = b.bytes(13), c = b.bytes(3), d = b.bytes(4), expect, got;
	uint8_t buf[256];
	uint64_t end;

	s.model->config() = ft601::Config();
	rig.reset();
	b.check(!*s.port.err_partial, "err_partial set right after reset");
	s.model->submit_out(a.data(), a.size(), [](size_t) {});
	s.model->submit_out(c.data(), c.size(), [](size_t) {});
	s.model->submit_out(d.data(), d.size(), [](size_t) {});
	expect = a;
	expect.insert(expect.end(), 3, 0);
	expect.insert(expect.end(), c.begin(), c.end());
	expect.push_back(0);
	expect.insert(expect.end(), d.begin(), d.end());
	end = rig.ft_cycles() + 20000;
	while (got.size() < expect.size() && rig.ft_cycles() < end) {
		rig.run(1);
		long m = usb_stream_read(&s.s, buf, sizeof(buf));
		if (m > 0)
			got.insert(got.end(), buf, buf + m);
	}
	b.check(got == expect && *s.port.err_partial,
		"partial words 13+3+4 bytes: expected %s, got %s, err_partial %d",
		bench::hex(expect).c_str(), bench::hex(got).c_str(), *s.port.err_partial);
	rig.reset();
	b.check(!*s.port.err_partial, "err_partial still set after reset");
}

} // namespace

} // namespace ftb

int main(int argc, char **argv)
{
	Bench b("ft601", argc, argv, 6);
	// Engine clock 76.9 MHz against the FT601's 100 MHz.
	ftb::Rig rig(b, 13000);

	if (!rig.lb.stream_ok || !rig.en.stream_ok) {
		b.check(false, "usb_stream_init failed");
		return b.finish();
	}
	for (const ftb::Scenario &sc : ftb::scenarios())
		ftb::test_scenario(b, rig, sc, b.count);
	ftb::test_rate(b, rig);
	ftb::test_partial(b, rig);
	ftb::test_engine(b, rig);
	return b.finish();
}
