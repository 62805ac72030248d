// engine bench: random traffic on many SAs spread over the lanes, with
// random stalls on both streams, against the OpenSSL reference; and the
// cycles-per-packet figures.
#include "engine_ctx.h"

#include <algorithm>
#include <vector>

using bench::Bench;

namespace eng {

namespace {

enum {
	N_PAIRS = 10,        // outbound + inbound SA pairs
	BATCH_MAX = 40,      // requests in flight at once
	PERF_PACKETS = 16,
};

struct Pair {
	Sa out, in;
	uint32_t peer_seq = 0;          // last sequence number the peer used
	std::vector<Bytes> sent;        // packets the peer sent (for replays)
};

Pair new_pair(Bench &b, uint16_t out_slot, uint16_t in_slot)
{
	static const uint8_t ciphers[] = { FGP_CIPHER_TDES_CBC, FGP_CIPHER_DES_CBC, FGP_CIPHER_NULL };
	static const uint8_t auths[] = { FGP_AUTH_HMAC_SHA1, FGP_AUTH_HMAC_MD5, FGP_AUTH_NONE };
	bool ah = b.chance(25);
	uint8_t ci = ciphers[b.below(3)], au = auths[b.below(ah ? 2 : 3)];

	if (!ah && ci == FGP_CIPHER_NULL && au == FGP_AUTH_NONE)
		au = FGP_AUTH_HMAC_SHA1;
	Pair p;
	p.out = make_sa(b, out_slot, false, ah, ci, au);
	p.in = twin(p.out, in_slot);
	p.in.window = (uint16_t)b.below(65);
	if (b.chance(20))
		p.out.seq = 0xffffffff - b.below(20);
	return p;
}

// Data length, mostly small, up to the largest that still fits once
// protected (so DECAP requests stay within MAX_PAYLOAD).
size_t data_len(Bench &b)
{
	return b.chance(50) ? b.below(128) : b.below(1990);
}

Bytes encap_payload(Bench &b, const Sa &sa)
{
	if (sa.ah())
		return ip_packet(b, 5 + b.below(11), data_len(b));
	return esp_payload(b, sa, data_len(b));
}

// A DECAP payload for the inbound SA: new, replayed, corrupt or short.
Bytes decap_payload(Bench &b, Pair &p)
{
	unsigned r = b.below(100);

	if (r < 10 && !p.sent.empty())
		return p.sent[b.below((unsigned)p.sent.size())];
	if (r < 13)
		return b.bytes(b.below(60));
	p.peer_seq += 1 + (b.chance(10) ? b.below(80) : 0);
	uint32_t seq = p.peer_seq;
	if (r < 20 && p.peer_seq > 70)
		seq = p.peer_seq - b.below(70);        // late, maybe in the window
	Bytes pkt = p.in.ah() ? ah_packet(p.in, seq, ip_packet(b, 5 + b.below(11), data_len(b)), 6)
			      : esp_packet(p.in, seq, esp_payload(b, p.in, data_len(b)), 4);
	if (r >= 20 && r < 27)
		pkt[b.below((unsigned)pkt.size())] ^= (uint8_t)(1u << b.below(8));
	p.sent.push_back(pkt);
	if (p.sent.size() > 16)
		p.sent.erase(p.sent.begin());
	return pkt;
}

// Sends reqs at once and checks every result against the reference and
// the per-SA order.
void run_batch(Ctx &c, const std::vector<Frame> &reqs)
{
	std::map<uint32_t, Frame> want;
	std::map<uint32_t, uint16_t> sa_of;

	for (const Frame &f : reqs) {
		auto it = c.table.find(f.sa);
		want[f.tag] = expect_packet(it == c.table.end() ? nullptr : &it->second, f);
		if (want[f.tag].status == FGP_STATUS_NO_SA)
			c.no_sa++;
		sa_of[f.tag] = f.sa;
		c.dev.send(f);
	}
	std::vector<Frame> got = c.dev.collect();
	c.frames_in += (uint32_t)reqs.size();
	c.frames_out += (uint32_t)got.size();
	c.b.check(c.dev.error.empty() && got.size() == reqs.size(), "stress batch: %s: %zu requests, %zu results",
		  c.dev.error.c_str(), reqs.size(), got.size());
	std::map<uint16_t, uint32_t> last_tag;
	for (const Frame &r : got) {
		auto w = want.find(r.tag);
		if (!c.b.check(w != want.end(), "stress: result with an unknown tag: %s", describe(r).c_str()))
			continue;
		c.b.check(same(r, w->second), "stress: request tag %u on SA %u\n  expected %s\n  got      %s", r.tag,
			  sa_of[r.tag], describe(w->second).c_str(), describe(r).c_str());
		uint16_t sa = sa_of[r.tag];
		c.b.check(last_tag[sa] < r.tag, "stress: SA %u: result of tag %u after tag %u", sa, r.tag,
			  last_tag[sa]);
		last_tag[sa] = r.tag;
		want.erase(w);
	}
}

} // namespace

void test_stress(Ctx &c)
{
	Bench &b = c.b;
	std::vector<Pair> pairs;
	std::vector<uint16_t> slots;

	c.reset();
	for (uint16_t s = 0; s < SA_ENTRIES; s++)
		slots.push_back(s);
	for (size_t i = slots.size() - 1; i > 0; i--)
		std::swap(slots[i], slots[b.below((unsigned)i + 1)]);
	for (unsigned i = 0; i < N_PAIRS; i++) {
		pairs.push_back(new_pair(b, slots[2 * i], slots[2 * i + 1]));
		c.load(pairs.back().out);
		c.load(pairs.back().in);
	}
	unsigned sent = 0;
	while (sent < b.count) {
		c.dev.stalls(b.chance(30) ? 0 : b.below(60), b.chance(30) ? 0 : b.below(60), b.rand64());
		std::vector<Frame> reqs;
		unsigned n = 1 + b.below(BATCH_MAX);
		for (unsigned i = 0; i < n && sent < b.count; i++, sent++) {
			Pair &p = pairs[b.below(N_PAIRS)];
			if (b.chance(50))
				reqs.push_back(c.req(FGP_TYPE_ENCAP, p.out.slot, encap_payload(b, p.out), 4));
			else
				reqs.push_back(c.req(FGP_TYPE_DECAP, p.in.slot, decap_payload(b, p)));
			if (b.chance(2))
				reqs.push_back(c.req(FGP_TYPE_ENCAP, slots[2 * N_PAIRS + b.below(8)], b.bytes(20), 4));
		}
		run_batch(c, reqs);
		c.dev.stalls(0, 0, 1);
		const Pair &p = pairs[b.below(N_PAIRS)];
		c.counters(p.out.slot, "stress: COUNTERS outbound");
		c.counters(p.in.slot, "stress: COUNTERS inbound");
	}
	for (const Pair &p : pairs) {
		c.counters(p.out.slot, "stress: final COUNTERS outbound");
		c.counters(p.in.slot, "stress: final COUNTERS inbound");
	}
	c.stats("stress: STATS");
}

namespace {

// Cycles per result in steady state: n requests sent at once on `lanes`
// lanes; from the first result of the last lane to start to the last
// result (the lanes start one packet's RX apart).
double steady(Ctx &c, const std::vector<Frame> &reqs, const char *what, unsigned lanes = 1)
{
	std::vector<Frame> want;

	for (const Frame &f : reqs) {
		auto it = c.table.find(f.sa);
		want.push_back(expect_packet(it == c.table.end() ? nullptr : &it->second, f));
		c.dev.send(f);
	}
	std::vector<Frame> got = c.dev.collect_timed(reqs.size());
	bool ok = c.dev.error.empty() && got.size() == reqs.size();
	for (size_t i = 0; ok && i < got.size(); i++) {
		auto w = std::find_if(want.begin(), want.end(), [&](const Frame &x) { return x.tag == got[i].tag; });
		ok = w != want.end() && same(*w, got[i]);
	}
	for (size_t i = 0; ok && i < want.size(); i++)
		ok = want[i].status == FGP_STATUS_OK;
	c.b.check(ok, "perf %s: results wrong or not OK (%s)", what, c.dev.error.c_str());
	c.frames_in += (uint32_t)reqs.size();
	c.frames_out += (uint32_t)got.size();
	if (got.size() < lanes + 1)
		return 0;
	return (double)(got.back().cycle - got[lanes - 1].cycle) / (double)(got.size() - lanes);
}

} // namespace

void test_perf(Ctx &c)
{
	Bench &b = c.b;
	Sa out = make_sa(b, 0, false, false, FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1);
	Sa in = twin(out, 2);
	Sa out2 = make_sa(b, 1, false, false, FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1);

	c.dev.stalls(0, 0, 1);
	c.load(out);
	c.load(in);
	c.load(out2);
	uint32_t seq = 0;
	for (size_t len : { 64, 1400 }) {
		std::vector<Frame> enc, dec, two;
		for (unsigned i = 0; i < PERF_PACKETS; i++) {
			enc.push_back(c.req(FGP_TYPE_ENCAP, 0, esp_payload(b, out, len), 4));
			dec.push_back(c.req(FGP_TYPE_DECAP, 2, esp_packet(in, ++seq, esp_payload(b, in, len), 4)));
			two.push_back(c.req(FGP_TYPE_ENCAP, (uint16_t)(i & 1), esp_payload(b, out, len), 4));
		}
		std::string key = "engine_cycles_per_packet_" + std::to_string(len) + "B";
		b.report(key.c_str(), steady(c, enc, key.c_str()));
		key = "engine_decap_cycles_per_packet_" + std::to_string(len) + "B";
		b.report(key.c_str(), steady(c, dec, key.c_str()));
		key = "engine_2sa_cycles_per_packet_" + std::to_string(len) + "B";
		b.report(key.c_str(), steady(c, two, key.c_str(), 2));
	}
}

} // namespace eng
