// engine bench: differential run against the soft device
// (host/offload/soft_device.c, the golden model, from build/lib/libfgate.a).
// Both get the same random request stream: SA loads (good and bad), clears,
// counters, STATS, RESET, packets good and bad on loaded, empty and
// out-of-range slots, unknown types, oversized and mis-sized frames, and
// garbage that forces a resync. Results are compared byte for byte, matched
// by tag (packets of different SAs may complete in another order on the
// engine; control frames are barriers on both).
#include "engine_ctx.h"

#include <algorithm>
#include <vector>

extern "C" {
#include "offload/soft_device.h"
}

using bench::Bench;

namespace eng {

namespace {

enum {
	ROUND = 60,             // frames generated, then run and compared
	SLOTS = 12,             // slots the generator uses (plus out-of-range)
};

// The slots, spread over both lanes.
const uint16_t slot_map[SLOTS] = { 0, 1, 2, 3, 4, 5, 17, 30, 101, 128, 200, 255 };

// What the generator believes is in a slot.
struct Slot {
	bool used = false;
	Sa sa;
	uint32_t peer_seq = 0;
	std::vector<Bytes> sent;
};

struct Gen {
	Bench &b;
	std::vector<Slot> slots;
	uint32_t tag = 1;

	explicit Gen(Bench &bench) : b(bench), slots(SLOTS) {}

	uint16_t slot_no()
	{
		return b.chance(4) ? (uint16_t)(256 + b.below(0xff00)) : slot_map[b.below(SLOTS)];
	}

	Slot *slot(uint16_t no)
	{
		for (unsigned i = 0; i < SLOTS; i++)
			if (slot_map[i] == no)
				return &slots[i];
		return nullptr;
	}

	Frame frame(uint8_t type, uint16_t sa, const Bytes &payload, uint32_t aux = 0)
	{
		Frame f;
		f.type = type;
		f.sa = sa;
		f.tag = tag++;
		f.aux = aux;
		f.payload = payload;
		return f;
	}

	Bytes sa_load(uint16_t no)
	{
		static const uint8_t ciphers[] = { FGP_CIPHER_TDES_CBC, FGP_CIPHER_DES_CBC, FGP_CIPHER_NULL };
		bool ah = b.chance(30);
		Sa sa = make_sa(b, no, b.chance(50), ah, ciphers[b.below(3)],
				(uint8_t)(ah ? 1 + b.below(2) : b.below(3)));
		if (!ah && sa.cipher == FGP_CIPHER_NULL && sa.auth == FGP_AUTH_NONE)
			sa.auth = FGP_AUTH_HMAC_MD5;
		sa.window = (uint16_t)b.below(65);
		sa.seq = b.chance(10) ? 0xffffffff - b.below(4) : b.below(3);
		if (b.chance(30))
			b.fill(sa.ckey, sizeof(sa.ckey));     // DES ignores K2, K3
		if (b.chance(30))
			b.fill(sa.akey, sizeof(sa.akey));     // MD5 ignores bytes 16..19
		bool bad = b.chance(15);
		if (bad) {
			switch (b.below(6)) {
			case 0: sa.flags |= (uint8_t)(8 << b.below(5)); break;
			case 1: sa.cipher = (uint8_t)(3 + b.below(250)); break;
			case 2: sa.auth = (uint8_t)(3 + b.below(250)); break;
			case 3: sa.window = (uint16_t)(65 + b.below(60000)); break;
			case 4: sa.rsv[b.below(4)] = (uint8_t)(1 + b.below(255)); break;
			default: sa.flags |= FGP_SAFLAG_AH; sa.cipher = FGP_CIPHER_DES_CBC; break;
			}
		}
		Slot *s = slot(no);
		if (s && !bad) {
			s->used = true;
			s->sa = sa;
			s->peer_seq = 0;
			s->sent.clear();
		}
		return sa.layout();
	}

	Bytes packet_for(Slot &s, bool encap)
	{
		const Sa &sa = s.sa;
		size_t len = b.chance(60) ? b.below(100) : b.below(1900);
		if (encap)
			return sa.ah() ? ip_packet(b, 5 + b.below(11), len) : esp_payload(b, sa, len);
		unsigned r = b.below(100);
		if (r < 10 && !s.sent.empty())
			return s.sent[b.below((unsigned)s.sent.size())];
		s.peer_seq += 1 + (b.chance(10) ? b.below(70) : 0);
		uint32_t seq = r < 20 ? s.peer_seq - b.below(s.peer_seq + 1) : s.peer_seq;
		Bytes p = sa.ah() ? ah_packet(sa, seq, ip_packet(b, 5 + b.below(11), len), (uint8_t)b.below(256))
				  : esp_packet(sa, seq, esp_payload(b, sa, len), (uint8_t)b.below(256));
		if (r >= 20 && r < 30)
			p[b.below((unsigned)p.size())] ^= (uint8_t)(1u << b.below(8));
		if (r >= 30 && r < 34)
			p.resize(b.below((unsigned)p.size()));
		s.sent.push_back(p);
		if (s.sent.size() > 8)
			s.sent.erase(s.sent.begin());
		return p;
	}

	// One request frame (or garbage) as bytes.
	Bytes next()
	{
		unsigned r = b.below(1000);
		uint16_t no = slot_no();
		Slot *s = slot(no);

		if (r < 40)
			return frame_bytes(frame(FGP_TYPE_SA_LOAD, no, sa_load(no)));
		if (r < 50) {
			if (s)
				s->used = false;
			return frame_bytes(frame(FGP_TYPE_SA_CLEAR, no, Bytes()));
		}
		if (r < 70)
			return frame_bytes(frame(FGP_TYPE_COUNTERS, no, Bytes()));
		if (r < 75)
			return frame_bytes(frame(FGP_TYPE_STATS, FGP_SA_NONE, Bytes()));
		if (r < 77) {
			for (Slot &x : slots)
				x.used = false;
			return frame_bytes(frame(FGP_TYPE_RESET, FGP_SA_NONE, Bytes()));
		}
		if (r < 85)
			return frame_bytes(frame((uint8_t)(9 + b.below(200)), no, b.bytes(b.below(300))));
		if (r < 90) {
			Frame f = frame(b.chance(50) ? FGP_TYPE_ENCAP : FGP_TYPE_DECAP, no, b.bytes(8));
			f.length = (uint16_t)(FGP_MAX_PAYLOAD + 1 + b.below(0xf000));
			f.payload = b.bytes(f.length);
			return frame_bytes(f, true);
		}
		if (r < 95) {
			static const uint8_t ctl[] = { FGP_TYPE_RESET, FGP_TYPE_SA_LOAD, FGP_TYPE_SA_CLEAR,
						       FGP_TYPE_COUNTERS, FGP_TYPE_STATS };
			uint8_t t = ctl[b.below(5)];
			if (t == FGP_TYPE_RESET)
				t = FGP_TYPE_STATS;     // a mis-sized RESET would not reset
			return frame_bytes(frame(t, no, b.bytes(t == FGP_TYPE_SA_LOAD ? b.below(64) : 1 + b.below(70))));
		}
		if (r < 100) {
			Bytes g = b.bytes(8 * (1 + b.below(6)));
			g[0] = (uint8_t)(g[0] == FGP_MAGIC ? 0 : g[0]);
			return g;
		}
		// Packets: mostly right for the slot; an empty slot is usually
		// loaded first, so that most packets reach the transforms.
		if (s && !s->used && b.chance(80))
			return frame_bytes(frame(FGP_TYPE_SA_LOAD, no, sa_load(no)));
		bool encap = s && s->used && b.chance(92) ? !s->sa.inbound() : b.chance(50);
		if (s && s->used && s->sa.inbound() != encap && b.chance(95))
			return frame_bytes(frame(encap ? FGP_TYPE_ENCAP : FGP_TYPE_DECAP, no, packet_for(*s, encap),
						 (uint32_t)b.rand32()));
		return frame_bytes(frame(encap ? FGP_TYPE_ENCAP : FGP_TYPE_DECAP, no, b.bytes(b.below(200)), 4));
	}
};

bool run_soft(Bench &b, struct fg_device *soft, const Bytes &in, Bytes &out)
{
	uint8_t buf[8192];
	size_t off = 0;

	while (off < in.size()) {
		size_t chunk = std::min<size_t>(in.size() - off, 1 + b.below(3000));
		long n = soft->ops->write(soft, in.data() + off, chunk);
		if (n < 0)
			return false;
		off += (size_t)n;
		long m;
		while ((m = soft->ops->read(soft, buf, sizeof(buf))) > 0)
			out.insert(out.end(), buf, buf + m);
		if (n == 0 && m == 0)
			return false;
	}
	long m;
	while ((m = soft->ops->read(soft, buf, sizeof(buf))) > 0)
		out.insert(out.end(), buf, buf + m);
	return true;
}

bool by_tag(const Frame &a, const Frame &b)
{
	if (a.tag != b.tag)
		return a.tag < b.tag;
	return frame_bytes(a) < frame_bytes(b);
}

} // namespace

void test_diff_soft(Bench &b)
{
	struct fg_device *soft = soft_device_open();
	Dev dev;
	Gen gen(b);
	unsigned frames = 0, rounds = 0, compared = 0;
	unsigned ok_pkts = 0, bad_pkts = 0, others = 0;

	if (!b.check(soft && dev.ok(), "differential: cannot open the soft device or the model"))
		return;
	dev.stalls(10, 10, b.rand64());
	while (frames < 3 * b.count) {
		Bytes in;
		for (unsigned i = 0; i < ROUND; i++, frames++) {
			Bytes f = gen.next();
			in.insert(in.end(), f.begin(), f.end());
		}
		// End the round on a good frame: garbage at the end would keep
		// both devices resyncing into the next round identically anyway,
		// but a frame boundary keeps the rounds independent.
		Bytes stats = frame_bytes(gen.frame(FGP_TYPE_STATS, FGP_SA_NONE, Bytes()));
		in.insert(in.end(), stats.begin(), stats.end());
		Bytes soft_out;
		bool soft_ok = run_soft(b, soft, in, soft_out);
		dev.send_raw(in);
		std::vector<Frame> got = dev.collect(), want;
		size_t head = 0;
		std::string err;
		bool parsed = parse_frames(soft_out, &head, want, err) && head == soft_out.size();
		if (!b.check(soft_ok && parsed && dev.error.empty(), "differential round %u: soft %s, model %s",
			     rounds, soft_ok && parsed ? "ok" : err.c_str(), dev.error.c_str()))
			break;
		std::sort(got.begin(), got.end(), by_tag);
		std::sort(want.begin(), want.end(), by_tag);
		bool ok = got.size() == want.size();
		for (size_t i = 0; ok && i < got.size(); i++) {
			ok = same(got[i], want[i]);
			if (!ok)
				b.check(false, "differential round %u (seed %llu): result %zu of %zu\n  soft   %s\n  engine %s",
					rounds, (unsigned long long)b.seed, i, got.size(), describe(want[i]).c_str(),
					describe(got[i]).c_str());
		}
		if (!ok && got.size() != want.size())
			b.check(false, "differential round %u: soft gave %zu results, engine %zu", rounds, want.size(),
				got.size());
		if (!ok)
			break;
		compared += (unsigned)got.size();
		for (const Frame &f : got) {
			bool pkt = (f.type & 0x7f) == FGP_TYPE_ENCAP || (f.type & 0x7f) == FGP_TYPE_DECAP;
			(pkt ? (f.status == FGP_STATUS_OK ? ok_pkts : bad_pkts) : others)++;
		}
		rounds++;
	}
	b.check(compared > 0, "differential: nothing compared");
	printf("%s: differential: %u frames in %u rounds, %u results equal to the soft device's "
	       "(%u packets OK, %u packets refused, %u other), %llu cycles\n", b.name(), frames, rounds,
	       compared, ok_pkts, bad_pkts, others, (unsigned long long)dev.cycles());
	soft->ops->close(soft);
}

} // namespace eng
