// Bench md5: md5_core and hmac_md5 against the RFC 1321 / RFC 2202 known
// answers and against OpenSSL (EVP_Digest, HMAC()) on random messages, keys,
// modes, idle cycles and backpressure. RAW mode (no padding) has no OpenSSL
// call, so it is checked against a small compression model that is itself
// checked against OpenSSL here first.
#include "md5_dut.h"
#include "vectors.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace {

const uint8_t MD5_IV[16] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
			    0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10};

// ------------------------------------------------------------ references

Bytes openssl_md5(const Bytes &m)
{
	Bytes d(16);
	unsigned len = 0;

	EVP_Digest(m.data(), m.size(), d.data(), &len, EVP_md5(), nullptr);
	return d;
}

Bytes openssl_hmac(const Bytes &key, const Bytes &m)
{
	Bytes d(16);
	unsigned len = 0;

	HMAC(EVP_md5(), key.data(), (int)key.size(), m.data(), m.size(), d.data(), &len);
	return d;
}

uint32_t rotl(uint32_t x, unsigned s)
{
	return x << s | x >> (32 - s);
}

uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

// One MD5 compression (RFC 1321 3.4) on a state in digest byte order.
void model_compress(uint8_t st[16], const uint8_t blk[64])
{
	static const unsigned S[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};
	uint32_t h[4], a, b, c, d;

	for (int i = 0; i < 4; i++)
		h[i] = le32(st + 4 * i);
	a = h[0], b = h[1], c = h[2], d = h[3];
	for (unsigned i = 0; i < 64; i++) {
		unsigned r = i / 16, g;
		uint32_t f, k = (uint32_t)(fabs(sin(i + 1.0)) * 4294967296.0);

		if (r == 0)
			f = (b & c) | (~b & d), g = i;
		else if (r == 1)
			f = (b & d) | (c & ~d), g = (5 * i + 1) % 16;
		else if (r == 2)
			f = b ^ c ^ d, g = (3 * i + 5) % 16;
		else
			f = c ^ (b | ~d), g = (7 * i) % 16;
		f = b + rotl(a + f + k + le32(blk + 4 * g), S[r][i % 4]);
		a = d, d = c, c = b, b = f;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d;
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++)
			st[4 * i + j] = (uint8_t)(h[i] >> (8 * j));
}

// The blocks of m with MD5 padding; count is the length field in bytes.
Bytes md5_pad(const Bytes &m, uint64_t count)
{
	Bytes p(m);

	p.push_back(0x80);
	while (p.size() % 64 != 56)
		p.push_back(0);
	for (int i = 0; i < 8; i++)
		p.push_back((uint8_t)(count * 8 >> (8 * i)));
	return p;
}

// RAW mode: compress from the IV, zero-filled, no padding.
Bytes model_raw(const Bytes &m)
{
	Bytes st(MD5_IV, MD5_IV + 16), z(m);

	while (z.size() % 64)
		z.push_back(0);
	for (size_t i = 0; i < z.size(); i += 64)
		model_compress(st.data(), z.data() + i);
	return st;
}

Bytes model_md5(const Bytes &m)
{
	Bytes st(MD5_IV, MD5_IV + 16), p = md5_pad(m, m.size());

	for (size_t i = 0; i < p.size(); i += 64)
		model_compress(st.data(), p.data() + i);
	return st;
}

// HMAC key block (RFC 2104): keys over 64 bytes are hashed first.
Bytes key_block(const Bytes &key, uint8_t pad)
{
	Bytes k = key.size() > 64 ? openssl_md5(key) : key;

	k.resize(64, 0);
	for (uint8_t &x : k)
		x ^= pad;
	return k;
}

// --------------------------------------------------------------- helpers

struct Ctx {
	bench::Bench &b;
	Dut &dut;
};

std::string msg_text(const Msg &m)
{
	return "mode " + std::to_string(m.mode) + " len " + std::to_string(m.data.size()) +
	       (m.empty_last ? " (empty last beat)" : "") + " istate " + bench::hex(m.istate) +
	       " ostate " + bench::hex(m.ostate) + " msg " +
	       (m.data.size() > 160 ? bench::hex(m.data.data(), 160) + "..." : bench::hex(m.data));
}

// Streams msgs and checks each result against its expect. Returns the
// outcomes (empty on a stream failure).
std::vector<Outcome> run(Ctx &c, const std::vector<Msg> &msgs, Stalls s, const char *test)
{
	std::vector<Outcome> res;
	std::string err;

	if (!c.dut.stream(msgs, s, res, err)) {
		c.b.check(false, "%s: stream of %zu messages (idle %u%%, stall %u%%): %s", test,
			  msgs.size(), s.idle, s.stall, err.c_str());
		c.dut.reset();
		return {};
	}
	for (size_t i = 0; i < msgs.size(); i++)
		c.b.check(res[i].out == msgs[i].expect, "%s: %s %s: expected %s got %s", test,
			  msgs[i].what.c_str(), msg_text(msgs[i]).c_str(),
			  bench::hex(msgs[i].expect).c_str(), bench::hex(res[i].out).c_str());
	return res;
}

Msg make_msg(unsigned mode, const Bytes &data, const Bytes &expect, const char *what)
{
	Msg m;

	m.mode = mode;
	m.data = data;
	m.expect = expect;
	m.what = what;
	return m;
}

// RAW key setup on the RTL: fills hm.istate / hm.ostate from the key.
bool rtl_key_setup(Ctx &c, const Bytes &key, Msg &hm, Stalls s)
{
	std::vector<Msg> setup = {
		make_msg(MODE_RAW, key_block(key, 0x36), {}, "RAW(K^ipad)"),
		make_msg(MODE_RAW, key_block(key, 0x5c), {}, "RAW(K^opad)"),
	};
	std::vector<Outcome> res;

	setup[0].expect = model_raw(setup[0].data);
	setup[1].expect = model_raw(setup[1].data);
	res = run(c, setup, s, "key setup");
	if (res.empty())
		return false;
	hm.istate = res[0].out;
	hm.ostate = res[1].out;
	return true;
}

bool load(Ctx &c, const char *file, vec_file &vf)
{
	char err[256];

	if (vec_load(c.b.vector_path(file).c_str(), &vf, err, sizeof(err)) == 0) {
		c.b.check(vf.has_source && vf.nrecs > 0, "%s: no # Source: line or no records", file);
		return true;
	}
	c.b.check(false, "%s", err);
	return false;
}

Bytes field(const vec_record &r, const char *name)
{
	const vec_field *f = vec_get(&r, name);

	return f && f->data ? Bytes(f->data, f->data + f->len) : Bytes();
}

Bytes random_len_msg(bench::Bench &b, size_t max)
{
	static const unsigned edges[] = {0, 1, 7, 8, 9, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128};
	size_t len = b.chance(35) ? edges[b.below(15)] + 64 * b.below(8) : b.below((unsigned)max + 1);

	return b.bytes(len > max ? max : len);
}

// ----------------------------------------------------------------- tests

// The reference model agrees with OpenSSL (so it can judge RAW mode).
void test_model(Ctx &c)
{
	for (unsigned i = 0; i < 200; i++) {
		Bytes m = random_len_msg(c.b, 300);
		c.b.check(model_md5(m) == openssl_md5(m), "model: MD5 model differs from OpenSSL for %s",
			  bench::hex(m).c_str());
	}
}

// Bare md5_core: latency, chaining, back-to-back starts, start while busy.
void test_core(Ctx &c)
{
	unsigned lat = 0;
	uint8_t out[16];

	c.dut.reset();
	for (unsigned i = 0; i < c.b.count / 4 + 4; i++) {
		Bytes m = random_len_msg(c.b, 200), p = md5_pad(m, m.size());
		bool b2b = c.b.chance(50), poke = c.b.chance(50);
		bool ok = c.dut.core_chain(MD5_IV, p.data(), p.size() / 64, b2b, poke, out, &lat);
		Bytes got(out, out + 16), exp = openssl_md5(m);

		c.b.check(ok && got == exp && lat == 65,
			  "core: %zu blocks (back to back %d, start held while busy %d) msg %s: expected %s got %s, latency %u",
			  p.size() / 64, b2b, poke, bench::hex(m).c_str(), bench::hex(exp).c_str(),
			  bench::hex(got).c_str(), lat);
	}
	// Any chaining value: one block from a random state.
	for (unsigned i = 0; i < c.b.count / 4 + 4; i++) {
		Bytes h = c.b.bytes(16), blk = c.b.bytes(64), exp(h);
		bool ok = c.dut.core_chain(h.data(), blk.data(), 1, true, c.b.chance(50), out, &lat);

		model_compress(exp.data(), blk.data());
		c.b.check(ok && Bytes(out, out + 16) == exp, "core: h_in %s block %s: expected %s got %s",
			  bench::hex(h).c_str(), bench::hex(blk).c_str(), bench::hex(exp).c_str(),
			  bench::hex(out, 16).c_str());
	}
	c.b.report("md5_core_latency", lat);
}

std::vector<Msg> md5_kat_msgs(const vec_file &vf)
{
	std::vector<Msg> msgs;

	for (size_t i = 0; i < vf.nrecs; i++) {
		const vec_record &r = vf.recs[i];
		Bytes one = field(r, "msg"), m;

		for (unsigned long n = vec_uint(&r, "repeat", 1); n > 0; n--)
			m.insert(m.end(), one.begin(), one.end());
		msgs.push_back(make_msg(MODE_MD5, m, field(r, "md"), "md5.txt"));
		msgs.back().what += " line " + std::to_string(r.line);
	}
	return msgs;
}

void test_md5_kat(Ctx &c)
{
	vec_file vf;

	if (!load(c, "md5.txt", vf))
		return;
	std::vector<Msg> msgs = md5_kat_msgs(vf);
	vec_free(&vf);

	c.dut.reset();  // the first message comes right after reset
	run(c, msgs, Stalls{0, 0}, "md5 kat");
	for (Msg &m : msgs)
		m.mode = MODE_RESERVED;  // behaves as mode 0
	run(c, msgs, Stalls{30, 30}, "md5 kat (mode 3, stalls)");
}

void test_hmac_kat(Ctx &c)
{
	vec_file vf;

	if (!load(c, "hmac-md5.txt", vf))
		return;
	c.dut.reset();
	for (size_t i = 0; i < vf.nrecs; i++) {
		const vec_record &r = vf.recs[i];
		Bytes key = field(r, "key"), mac = field(r, "mac"), mac96 = field(r, "mac96");
		Msg m = make_msg(MODE_HMAC, field(r, "msg"), mac, "hmac-md5.txt line ");
		std::vector<Outcome> res;

		m.what += std::to_string(r.line) + " key " + bench::hex(key);
		if (!rtl_key_setup(c, key, m, Stalls{0, 0}))
			continue;
		res = run(c, {m}, Stalls{i % 2 ? 25u : 0u, i % 2 ? 25u : 0u}, "hmac kat");
		if (res.empty())
			continue;
		Bytes got96(res[0].out.begin(), res[0].out.begin() + 12);
		c.b.check(mac96.size() == 12 && got96 == mac96, "hmac kat: %s: mac96 expected %s got %s",
			  m.what.c_str(), bench::hex(mac96).c_str(), bench::hex(got96).c_str());
	}
	vec_free(&vf);
}

struct Key {
	Bytes key, istate, ostate;
};

Bytes random_key(bench::Bench &b)
{
	if (b.chance(15))
		return b.bytes(65 + b.below(136));  // longer than a block: hashed first
	return b.bytes(1 + b.below(64));
}

// Key setup for many keys in one RAW stream, checked against the model.
std::vector<Key> random_keys(Ctx &c, unsigned n, Stalls s)
{
	std::vector<Key> keys(n);
	std::vector<Msg> setup;
	std::vector<Outcome> res;

	for (Key &k : keys) {
		k.key = random_key(c.b);
		for (uint8_t pad : {0x36, 0x5c}) {
			setup.push_back(make_msg(MODE_RAW, key_block(k.key, pad), {}, "key setup"));
			setup.back().expect = model_raw(setup.back().data);
		}
	}
	res = run(c, setup, s, "random key setup");
	if (res.empty())
		return {};
	for (unsigned i = 0; i < n; i++) {
		keys[i].istate = res[2 * i].out;
		keys[i].ostate = res[2 * i + 1].out;
	}
	return keys;
}

Msg random_msg(bench::Bench &b, const std::vector<Key> &keys)
{
	Msg m;
	unsigned pick = b.below(100);

	m.mode = pick < 40 ? MODE_HMAC : pick < 75 ? MODE_MD5 : pick < 90 ? MODE_RAW : MODE_RESERVED;
	m.data = random_len_msg(b, 2048);
	m.empty_last = m.data.size() % 8 == 0 && !m.data.empty() && b.chance(30);
	m.istate = b.bytes(16);  // ignored unless mode 1
	m.ostate = b.bytes(16);
	if (m.mode == MODE_HMAC) {
		const Key &k = keys[b.below((unsigned)keys.size())];
		m.istate = k.istate;
		m.ostate = k.ostate;
		m.expect = openssl_hmac(k.key, m.data);
		m.what = "random HMAC key " + bench::hex(k.key);
	} else if (m.mode == MODE_RAW) {
		m.expect = model_raw(m.data);
		m.what = "random RAW";
	} else {
		m.expect = openssl_md5(m.data);
		m.what = "random MD5";
	}
	return m;
}

// Mixed modes back to back, differential against OpenSSL, under several
// idle/backpressure mixes.
void test_random(Ctx &c)
{
	static const Stalls mixes[] = {{0, 0}, {10, 10}, {50, 0}, {0, 50}, {60, 60}};
	std::vector<Key> keys;

	c.dut.reset();
	keys = random_keys(c, 24, Stalls{20, 20});
	if (keys.empty())
		return;
	for (const Stalls &s : mixes) {
		std::vector<Msg> msgs;
		for (unsigned i = 0; i < c.b.count / 5; i++)
			msgs.push_back(random_msg(c.b, keys));
		run(c, msgs, s, "random");
	}
}

// Defined behaviour at the edges of the interface.
void test_edges(Ctx &c)
{
	Bytes iv(MD5_IV, MD5_IV + 16), blk = c.b.bytes(64);
	Msg raw64 = make_msg(MODE_RAW, blk, model_raw(blk), "RAW 64 bytes, empty last beat");
	std::vector<Outcome> res;
	std::string err;

	raw64.empty_last = true;
	c.dut.reset();
	run(c, {make_msg(MODE_RAW, {}, iv, "RAW of an empty message is the IV"), raw64,
		make_msg(MODE_MD5, {}, openssl_md5({}), "empty MD5 after RAW")},
	    Stalls{0, 0}, "edges");

	// Reset in the middle of a message (core busy, a result waiting on
	// tready, beats half taken), then a message right after reset.
	std::vector<Msg> two = {make_msg(MODE_MD5, c.b.bytes(30), {}, "short"),
				make_msg(MODE_MD5, c.b.bytes(1000), {}, "long")};
	two[0].expect = openssl_md5(two[0].data);
	two[1].expect = openssl_md5(two[1].data);
	c.b.check(!c.dut.stream(two, Stalls{0, 100}, res, err, 400),
		  "edges: stream with no tready finished in 400 cycles");
	c.dut.reset();
	run(c, {make_msg(MODE_MD5, Bytes(1, 'a'), openssl_md5(Bytes(1, 'a')), "'a' right after reset")},
	    Stalls{0, 0}, "edges");

	// Results held under backpressure while the next messages stream in.
	run(c, two, Stalls{0, 90}, "edges (backpressure)");
}

// Figures: steady-state cycles per block, HMAC latency of a 64-byte message.
void measure(Ctx &c)
{
	std::vector<Outcome> r1, r2;
	Bytes m1 = c.b.bytes(64 * 17 - 9), m2 = c.b.bytes(64 * 33 - 9);

	c.dut.reset();
	r1 = run(c, {make_msg(MODE_MD5, m1, openssl_md5(m1), "17 blocks")}, Stalls{0, 0}, "measure");
	r2 = run(c, {make_msg(MODE_MD5, m2, openssl_md5(m2), "33 blocks")}, Stalls{0, 0}, "measure");
	if (!r1.empty() && !r2.empty()) {
		double t1 = (double)(r1[0].result - r1[0].first_beat);
		double t2 = (double)(r2[0].result - r2[0].first_beat);
		c.b.report("md5_cycles_per_block", (t2 - t1) / 16.0);
	}

	Bytes key = c.b.bytes(16), m = c.b.bytes(64);
	Msg hm = make_msg(MODE_HMAC, m, openssl_hmac(key, m), "HMAC 64 bytes");
	if (!rtl_key_setup(c, key, hm, Stalls{0, 0}))
		return;
	r1 = run(c, {hm}, Stalls{0, 0}, "measure");
	if (!r1.empty())
		c.b.report("hmac_md5_cycles_64B", (double)(r1[0].result - r1[0].first_beat));
}

}  // namespace

int main(int argc, char **argv)
{
	bench::Bench b("md5", argc, argv, 2500);
	Verilated::commandArgs(1, argv);
	Dut dut(b);
	Ctx c{b, dut};

	test_model(c);
	test_core(c);
	test_md5_kat(c);
	test_hmac_kat(c);
	test_edges(c);
	test_random(c);
	measure(c);
	return b.finish();
}
