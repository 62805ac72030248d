// Bench "sha1": sha1_core and hmac_sha1 (hdl/rtl/crypto) against the known
// answers in tests/vectors/sha1.txt and hmac-sha1.txt and against OpenSSL
// with random messages, keys, modes, idle cycles and backpressure.
//
// Reports: sha1_core_latency (start to valid), sha1_cycles_per_block
// (steady state of a long message, no stalls) and hmac_sha1_cycles_64B
// (first beat to result of a 64-byte HMAC message, no stalls).

// OpenSSL 3 has no non-deprecated way to reach the SHA-1 chaining state,
// which the RAW mode and the HMAC-from-state mode output and take.
#define OPENSSL_SUPPRESS_DEPRECATED

#include <array>
#include <memory>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "Vtb_sha1.h"
#include "bench.h"
#include "vectors.h"
#include "verilated.h"

namespace {

typedef std::array<uint8_t, 20> Digest;
typedef std::vector<uint8_t> Bytes;

enum { MODE_SHA1 = 0, MODE_HMAC = 1, MODE_RAW = 2, MODE_RSVD = 3 };
enum { MAX_MSG = 2048, STALL_LIMIT = 4000, BURST_PCT = 3, BURST_MAX = 400 };

const Digest kIV = {0x67, 0x45, 0x23, 0x01, 0xef, 0xcd, 0xab, 0x89, 0x98, 0xba,
		    0xdc, 0xfe, 0x10, 0x32, 0x54, 0x76, 0xc3, 0xd2, 0xe1, 0xf0};

std::string hexd(const Digest &d) { return bench::hex(d.data(), d.size()); }

// ------------------------------------------------------------------ OpenSSL model

uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

void ctx_set_state(SHA_CTX &c, const Digest &s)
{
	c.h0 = be32(&s[0]);
	c.h1 = be32(&s[4]);
	c.h2 = be32(&s[8]);
	c.h3 = be32(&s[12]);
	c.h4 = be32(&s[16]);
}

Digest ctx_state(const SHA_CTX &c)
{
	Digest s;

	put_be32(&s[0], c.h0);
	put_be32(&s[4], c.h1);
	put_be32(&s[8], c.h2);
	put_be32(&s[12], c.h3);
	put_be32(&s[16], c.h4);
	return s;
}

Digest ref_sha1(const Bytes &m)
{
	Digest d;
	unsigned n = 0;

	EVP_Digest(m.data(), m.size(), d.data(), &n, EVP_sha1(), nullptr);
	return d;
}

// Chaining state after compressing m zero-filled to whole blocks from st.
Digest ref_compress(const Digest &st, const Bytes &m)
{
	SHA_CTX c;
	Bytes z(m);

	z.resize((m.size() + 63) / 64 * 64, 0);
	SHA1_Init(&c);
	ctx_set_state(c, st);
	for (size_t i = 0; i < z.size(); i += 64)
		SHA1_Transform(&c, &z[i]);
	return ctx_state(c);
}

Digest ref_raw(const Bytes &m) { return ref_compress(kIV, m); }

// SHA-1 of m continued from state st with 64 bytes already counted.
Digest ref_continue(const Digest &st, const uint8_t *m, size_t n)
{
	SHA_CTX c;
	Digest d;

	SHA1_Init(&c);
	ctx_set_state(c, st);
	c.Nl = 512;
	SHA1_Update(&c, m, n);
	SHA1_Final(d.data(), &c);
	return d;
}

Digest ref_mode1(const Digest &is, const Digest &os, const Bytes &m)
{
	Digest inner = ref_continue(is, m.data(), m.size());

	return ref_continue(os, inner.data(), inner.size());
}

Digest ref_hmac(const Bytes &key, const Bytes &m)
{
	Digest d;
	unsigned n = 0;

	HMAC(EVP_sha1(), key.data(), (int)key.size(), m.data(), m.size(), d.data(), &n);
	return d;
}

// K0 xor pad (RFC 2104 section 2), the key hashed first when longer than 64.
Bytes key_block(const Bytes &key, uint8_t pad)
{
	Bytes k0 = key;

	if (k0.size() > 64) {
		Digest d = ref_sha1(key);
		k0.assign(d.begin(), d.end());
	}
	k0.resize(64, 0);
	for (auto &b : k0)
		b ^= pad;
	return k0;
}

// ------------------------------------------------------------------ RTL rig

template <size_t N> void put_wide(VlWide<N> &w, const uint8_t *b)
{
	for (size_t k = 0; k < N; k++)
		w[k] = be32(b + 4 * (N - 1 - k));
}

template <size_t N> void get_wide(const VlWide<N> &w, uint8_t *b)
{
	for (size_t k = 0; k < N; k++)
		put_be32(b + 4 * (N - 1 - k), w[k]);
}

struct Job {
	unsigned mode = MODE_SHA1;
	Digest istate{}, ostate{};
	Bytes msg;
	bool empty_tail = false; // length a multiple of 8: end with a tkeep=0 beat
	Digest expect{};
	std::string what;        // description for a failure
	uint64_t t_first = 0, t_out = 0;
	Digest got{};
};

std::string describe(const Job &j)
{
	std::string s = j.what + " mode " + std::to_string(j.mode) + " len " +
			std::to_string(j.msg.size()) + (j.empty_tail ? " (empty last beat)" : "");

	if (j.mode == MODE_HMAC)
		s += " istate " + hexd(j.istate) + " ostate " + hexd(j.ostate);
	return s + " msg " + bench::hex(j.msg) + " expected " + hexd(j.expect) + " got " + hexd(j.got);
}

class Rig {
public:
	explicit Rig(bench::Bench &b) : b_(b), top_(new Vtb_sha1(&ctx_)) { reset(); }
	~Rig() { top_->final(); }

	uint64_t cycle = 0;

	void reset();
	bool stream(std::vector<Job> &jobs, unsigned idle_pct, unsigned stall_pct);
	Vtb_sha1 &top() { return *top_; }
	void tick();
	void settle()
	{
		top_->clk = 0;
		top_->eval();
	}

private:
	void drive_beat(const Job &j, size_t off, bool first);
	void drive_garbage_cfg();
	bool pause(unsigned pct, unsigned &left);

	bench::Bench &b_;
	VerilatedContext ctx_;
	std::unique_ptr<Vtb_sha1> top_;
};

void Rig::tick()
{
	top_->clk = 0;
	top_->eval();
	top_->clk = 1;
	top_->eval();
	cycle++;
}

void Rig::reset()
{
	top_->rst = 1;
	top_->core_start = 0;
	top_->s_axis_tvalid = 0;
	top_->m_axis_tready = 0;
	for (int i = 0; i < 3; i++)
		tick();
	top_->rst = 0;
}

void Rig::drive_garbage_cfg()
{
	uint8_t g[20];

	top_->cfg_mode = b_.below(4);
	b_.fill(g, 20);
	put_wide(top_->cfg_istate, g);
	b_.fill(g, 20);
	put_wide(top_->cfg_ostate, g);
}

// One beat of job j from byte off; bytes past the valid ones are random.
void Rig::drive_beat(const Job &j, size_t off, bool first)
{
	size_t left = j.msg.size() - off;
	bool last = left < 8 || (left == 8 && !j.empty_tail);
	size_t n = last ? left : 8;
	uint64_t d = b_.rand64();

	for (size_t i = 0; i < n; i++) {
		unsigned sh = 56 - 8 * (unsigned)i;
		d = (d & ~(0xffull << sh)) | (uint64_t)j.msg[off + i] << sh;
	}
	top_->s_axis_tdata = d;
	top_->s_axis_tkeep = (uint8_t)(0xff00u >> n);
	top_->s_axis_tlast = last;
	top_->s_axis_tvalid = 1;
	if (first) {
		top_->cfg_mode = j.mode;
		put_wide(top_->cfg_istate, j.istate.data());
		put_wide(top_->cfg_ostate, j.ostate.data());
	} else {
		drive_garbage_cfg();
	}
}

// Random pause: single cycles with probability pct, and now and then a long
// burst (so results pile up behind a stalled output, and buffers drain).
bool Rig::pause(unsigned pct, unsigned &left)
{
	if (left) {
		left--;
		return true;
	}
	if (!b_.chance(pct))
		return false;
	if (b_.chance(BURST_PCT))
		left = b_.below(BURST_MAX);
	return true;
}

// Feeds every job, collects one result per job in order. Returns false on a
// hang (no handshake for STALL_LIMIT cycles) or on a result too many.
bool Rig::stream(std::vector<Job> &jobs, unsigned idle_pct, unsigned stall_pct)
{
	size_t ji = 0, off = 0, ri = 0;
	bool presenting = false;
	uint64_t last_progress = cycle;
	unsigned idle_left = 0, stall_left = 0;

	while (ri < jobs.size() && cycle - last_progress < STALL_LIMIT) {
		bool idle = pause(idle_pct, idle_left), stall = pause(stall_pct, stall_left);

		if (!presenting && ji < jobs.size() && !idle) {
			drive_beat(jobs[ji], off, off == 0);
			presenting = true;
		} else if (!presenting) {
			top_->s_axis_tvalid = 0;
			top_->s_axis_tdata = b_.rand64();
			top_->s_axis_tlast = b_.below(2);
			drive_garbage_cfg();
		}
		top_->m_axis_tready = !stall;
		settle();
		bool in_hs = presenting && top_->s_axis_tready;
		if (top_->m_axis_tvalid && top_->m_axis_tready) {
			get_wide(top_->m_axis_tdata, jobs[ri].got.data());
			jobs[ri++].t_out = cycle;
			last_progress = cycle;
		}
		if (in_hs) {
			if (off == 0)
				jobs[ji].t_first = cycle;
			bool last = top_->s_axis_tlast;
			off += 8;
			if (last) {
				ji++;
				off = 0;
			}
			presenting = false;
			last_progress = cycle;
		}
		tick();
	}
	top_->s_axis_tvalid = 0;
	if (ri < jobs.size())
		return b_.check(false, "stream hung after %zu of %zu results (input at job %zu)",
				ri, jobs.size(), ji);
	// Nothing more may come out.
	top_->m_axis_tready = 1;
	for (int i = 0; i < 300; i++) {
		settle();
		if (top_->m_axis_tvalid) {
			Digest extra;
			get_wide(top_->m_axis_tdata, extra.data());
			return b_.check(false, "spurious result %s after %zu jobs",
					hexd(extra).c_str(), jobs.size());
		}
		tick();
	}
	return true;
}

// Streams the jobs and checks every result against its expected value.
void run_checked(bench::Bench &b, Rig &rig, std::vector<Job> &jobs, unsigned idle, unsigned stall)
{
	if (!rig.stream(jobs, idle, stall))
		return;
	for (const Job &j : jobs)
		b.check(j.got == j.expect, "%s", describe(j).c_str());
}

// ------------------------------------------------------------------ sha1_core alone

// Starts one compression when ready; returns start-to-valid cycles, 0 on error.
unsigned core_compress(bench::Bench &b, Rig &rig, const Digest &h, const uint8_t *blk, Digest &out)
{
	Vtb_sha1 &t = rig.top();
	uint64_t t0;
	uint8_t junk[64];

	put_wide(t.core_h_in, h.data());
	put_wide(t.core_block, blk);
	t.core_start = 1;
	rig.settle();
	if (!b.check(t.core_ready, "sha1_core not ready when idle"))
		return 0;
	t0 = rig.cycle;
	rig.tick();
	// Starts and new inputs while busy must be ignored.
	b.fill(junk, 64);
	put_wide(t.core_block, junk);
	put_wide(t.core_h_in, junk);
	t.core_start = b.below(2);
	for (rig.settle(); !t.core_valid; rig.settle()) {
		if (t.core_ready || rig.cycle - t0 > 200) {
			b.check(false, "sha1_core: ready during a compression or no valid");
			return 0;
		}
		rig.tick();
		t.core_start = b.below(2);
	}
	get_wide(t.core_h_out, out.data());
	return (unsigned)(rig.cycle - t0);
}

void test_core(bench::Bench &b, Rig &rig, unsigned n)
{
	Vtb_sha1 &t = rig.top();
	unsigned latency = 0;

	for (unsigned i = 0; i < n; i++) {
		Digest h, out, held;
		Bytes blk = b.bytes(64);

		b.fill(h.data(), 20);
		if (i == 0)
			h = kIV;
		Digest exp = ref_compress(h, blk);
		unsigned lat = core_compress(b, rig, h, blk.data(), out);
		t.core_start = 0;
		if (!lat)
			return;
		latency = lat;
		b.check(out == exp, "sha1_core h_in %s block %s expected %s got %s",
			hexd(h).c_str(), bench::hex(blk).c_str(), hexd(exp).c_str(), hexd(out).c_str());
		// valid is one pulse; h_out holds until the next start.
		unsigned wait = 1 + b.below(5);
		for (unsigned k = 0; k < wait; k++)
			rig.tick();
		rig.settle();
		get_wide(t.core_h_out, held.data());
		b.check(!t.core_valid && t.core_ready && held == exp,
			"sha1_core: valid not a pulse or h_out not held (%s)", hexd(held).c_str());
	}
	b.report("sha1_core_latency", latency);
}

// Chains blocks by starting in the valid cycle with h_in = h_out.
void test_core_chain(bench::Bench &b, Rig &rig)
{
	Vtb_sha1 &t = rig.top();
	const unsigned nblk = 8;
	Bytes m = b.bytes(64 * nblk);
	Digest h = kIV;
	uint64_t t_start = 0, t_end = 0;

	for (unsigned i = 0; i < nblk; i++) {
		put_wide(t.core_h_in, h.data());
		put_wide(t.core_block, &m[64 * i]);
		t.core_start = 1;
		rig.settle();
		if (!b.check(t.core_ready, "sha1_core not ready in its valid cycle"))
			return;
		if (i == 0)
			t_start = rig.cycle;
		rig.tick();
		t.core_start = 0;
		for (rig.settle(); !t.core_valid && rig.cycle - t_start < 200 * nblk; rig.settle())
			rig.tick();
		get_wide(t.core_h_out, h.data());
	}
	t_end = rig.cycle;
	Digest exp = ref_raw(m);
	b.check(h == exp, "sha1_core chained blocks %s expected %s got %s", bench::hex(m).c_str(),
		hexd(exp).c_str(), hexd(h).c_str());
	b.check(t_end - t_start == 81ull * nblk, "sha1_core back-to-back: %llu cycles for %u blocks",
		(unsigned long long)(t_end - t_start), nblk);
	rig.tick();
}

// ------------------------------------------------------------------ known answers

bool load(bench::Bench &b, const char *file, vec_file &vf)
{
	char err[256];

	if (vec_load(b.vector_path(file).c_str(), &vf, err, sizeof(err)))
		return b.check(false, "%s", err);
	return b.check(vf.has_source && vf.nrecs > 0, "%s: no records or no Source line", file);
}

bool field(bench::Bench &b, const vec_record &r, const char *name, Bytes &out)
{
	const vec_field *f = vec_get(&r, name);

	if (!f || !f->data)
		return b.check(false, "line %d: field '%s' missing", r.line, name);
	out.assign(f->data, f->data + f->len);
	return true;
}

void test_sha1_kat(bench::Bench &b, Rig &rig)
{
	vec_file vf;
	std::vector<Job> jobs;

	if (!load(b, "sha1.txt", vf))
		return;
	for (size_t i = 0; i < vf.nrecs; i++) {
		const vec_record &r = vf.recs[i];
		Bytes part, md;
		Job j;

		if (!field(b, r, "msg", part) || !field(b, r, "md", md) ||
		    !b.check(md.size() == 20, "sha1.txt line %d: md not 20 bytes", r.line))
			continue;
		for (unsigned long k = vec_uint(&r, "repeat", 1); k; k--)
			j.msg.insert(j.msg.end(), part.begin(), part.end());
		std::copy(md.begin(), md.end(), j.expect.begin());
		j.what = "sha1.txt line " + std::to_string(r.line);
		jobs.push_back(j);
		j.mode = MODE_RSVD; // reserved mode behaves as SHA-1
		jobs.push_back(j);
	}
	vec_free(&vf);
	run_checked(b, rig, jobs, 10, 10);
}

// RAW key setup on the RTL (checked against OpenSSL); fills in istate/ostate.
bool rtl_key_setup(bench::Bench &b, Rig &rig, const std::vector<Bytes> &keys,
		   std::vector<Digest> &is, std::vector<Digest> &os, unsigned idle, unsigned stall)
{
	std::vector<Job> jobs;

	for (const Bytes &k : keys) {
		for (uint8_t pad : {0x36, 0x5c}) {
			Job j;
			j.mode = MODE_RAW;
			j.msg = key_block(k, pad);
			j.expect = ref_raw(j.msg);
			j.what = "RAW key setup, key " + bench::hex(k);
			jobs.push_back(j);
		}
	}
	if (!rig.stream(jobs, idle, stall))
		return false;
	bool ok = true;
	for (size_t i = 0; i < keys.size(); i++) {
		ok &= b.check(jobs[2 * i].got == jobs[2 * i].expect, "%s", describe(jobs[2 * i]).c_str());
		ok &= b.check(jobs[2 * i + 1].got == jobs[2 * i + 1].expect, "%s",
			      describe(jobs[2 * i + 1]).c_str());
		is.push_back(jobs[2 * i].got);
		os.push_back(jobs[2 * i + 1].got);
	}
	return ok;
}

void test_hmac_kat(bench::Bench &b, Rig &rig)
{
	vec_file vf;
	std::vector<Bytes> keys, macs, mac96s;
	std::vector<Digest> is, os;
	std::vector<Job> jobs;

	if (!load(b, "hmac-sha1.txt", vf))
		return;
	for (size_t i = 0; i < vf.nrecs; i++) {
		const vec_record &r = vf.recs[i];
		Bytes key, mac, mac96;
		Job j;

		if (!field(b, r, "key", key) || !field(b, r, "msg", j.msg) || !field(b, r, "mac", mac) ||
		    !b.check(mac.size() == 20, "hmac-sha1.txt line %d: mac not 20 bytes", r.line))
			continue;
		if (vec_get(&r, "mac96"))
			field(b, r, "mac96", mac96);
		std::copy(mac.begin(), mac.end(), j.expect.begin());
		j.mode = MODE_HMAC;
		j.what = "hmac-sha1.txt line " + std::to_string(r.line) + " key " + bench::hex(key);
		keys.push_back(key);
		mac96s.push_back(mac96);
		jobs.push_back(j);
	}
	vec_free(&vf);
	if (!rtl_key_setup(b, rig, keys, is, os, 10, 10))
		return;
	for (size_t i = 0; i < jobs.size(); i++) {
		jobs[i].istate = is[i];
		jobs[i].ostate = os[i];
	}
	run_checked(b, rig, jobs, 10, 10);
	for (size_t i = 0; i < jobs.size(); i++) {
		const Bytes &m96 = mac96s[i];
		if (!m96.empty())
			b.check(m96.size() == 12 && !memcmp(m96.data(), jobs[i].got.data(), 12),
				"%s: HMAC-SHA1-96 expected %s got %s", jobs[i].what.c_str(),
				bench::hex(m96).c_str(), bench::hex(jobs[i].got.data(), 12).c_str());
	}
}

// ------------------------------------------------------------------ random

// Lengths 0..MAX_MSG, weighted to the padding boundaries (55/56/64 mod 64).
size_t rand_len(bench::Bench &b)
{
	unsigned r = b.below(10);

	if (r < 4)
		return b.below(MAX_MSG + 1);
	if (r < 6)
		return b.below(140);
	long n = 64l * (long)b.below(MAX_MSG / 64 + 1) + (long)b.below(14) - 10;
	return n < 0 ? 0 : n > (long)MAX_MSG ? (size_t)MAX_MSG : (size_t)n;
}

Job rand_job(bench::Bench &b)
{
	static const unsigned modes[] = {MODE_SHA1, MODE_SHA1, MODE_RAW, MODE_HMAC, MODE_RSVD};
	Job j;

	j.mode = modes[b.below(5)];
	j.msg = b.bytes(rand_len(b));
	j.empty_tail = j.msg.size() % 8 == 0 && b.chance(15);
	b.fill(j.istate.data(), 20);
	b.fill(j.ostate.data(), 20);
	switch (j.mode) {
	case MODE_RAW:
		j.expect = ref_raw(j.msg);
		break;
	case MODE_HMAC:
		j.expect = ref_mode1(j.istate, j.ostate, j.msg);
		break;
	default:
		j.expect = ref_sha1(j.msg);
	}
	j.what = "random";
	return j;
}

Bytes rand_key(bench::Bench &b)
{
	return b.bytes(b.chance(15) ? 65 + b.below(136) : 1 + b.below(64));
}

// Random idle/backpressure profiles, from none to heavy.
void profile(bench::Bench &b, unsigned &idle, unsigned &stall)
{
	static const unsigned p[][2] = {{0, 0}, {20, 20}, {50, 50}, {85, 10}, {10, 85}, {5, 0}};
	unsigned k = b.below(6);

	idle = p[k][0];
	stall = p[k][1];
}

// One round: RTL key setup for some keys, then their HMAC messages mixed
// with random SHA-1, RAW and HMAC-from-state messages, back to back.
void hmac_round(bench::Bench &b, Rig &rig, unsigned nkeys, unsigned nother)
{
	std::vector<Bytes> keys;
	std::vector<Digest> is, os;
	std::vector<Job> jobs;
	unsigned idle, stall;

	for (unsigned i = 0; i < nkeys; i++)
		keys.push_back(rand_key(b));
	profile(b, idle, stall);
	if (!rtl_key_setup(b, rig, keys, is, os, idle, stall))
		return;
	for (unsigned i = 0; i < nkeys + nother; i++) {
		if (i < nkeys) {
			Job j;
			j.mode = MODE_HMAC;
			j.istate = is[i];
			j.ostate = os[i];
			j.msg = b.bytes(rand_len(b));
			j.empty_tail = j.msg.size() % 8 == 0 && b.chance(15);
			j.expect = ref_hmac(keys[i], j.msg);
			j.what = "HMAC key " + bench::hex(keys[i]);
			jobs.insert(jobs.begin() + b.below((unsigned)jobs.size() + 1), j);
		} else {
			jobs.insert(jobs.begin() + b.below((unsigned)jobs.size() + 1), rand_job(b));
		}
	}
	profile(b, idle, stall);
	run_checked(b, rig, jobs, idle, stall);
}

void test_random(bench::Bench &b, Rig &rig)
{
	const unsigned per_round = 40;

	for (unsigned done = 0; done < b.count; done += per_round)
		hmac_round(b, rig, per_round / 4, per_round - per_round / 4);
}

// ------------------------------------------------------------------ edge cases

// Reset in the middle of a message and with a result waiting for tready:
// nothing of the aborted work comes out, and the next message is right.
void test_reset(bench::Bench &b, Rig &rig)
{
	Vtb_sha1 &t = rig.top();
	std::vector<Job> jobs(1);

	jobs[0].msg = b.bytes(100);
	jobs[0].expect = ref_sha1(jobs[0].msg);
	jobs[0].what = "after reset mid-message";
	t.cfg_mode = MODE_SHA1;
	t.s_axis_tkeep = 0xff;
	t.s_axis_tlast = 0;
	t.s_axis_tvalid = 1;
	for (int i = 0; i < 5; i++) {
		t.s_axis_tdata = b.rand64();
		rig.tick();
	}
	t.s_axis_tvalid = 0;
	rig.reset();
	run_checked(b, rig, jobs, 0, 0);

	// Result pending (tready low), then reset.
	t.m_axis_tready = 0;
	t.s_axis_tdata = 0;
	t.s_axis_tkeep = 0;
	t.s_axis_tlast = 1;
	t.s_axis_tvalid = 1;
	rig.settle();
	for (int i = 0; i < 400 && !t.m_axis_tvalid; i++) {
		rig.tick();
		t.s_axis_tvalid = 0;
		rig.settle();
	}
	b.check(t.m_axis_tvalid, "no result for an empty message with tready low");
	rig.reset();
	rig.settle();
	b.check(!t.m_axis_tvalid, "result still valid after reset");
	jobs[0].what = "after reset with a result pending";
	run_checked(b, rig, jobs, 0, 0);
}

// Back-to-back empty messages in every mode.
void test_empty(bench::Bench &b, Rig &rig)
{
	std::vector<Job> jobs;

	for (unsigned k = 0; k < 12; k++) {
		Job j = rand_job(b);
		j.msg.clear();
		j.mode = k % 4;
		j.expect = j.mode == MODE_RAW ? kIV
			   : j.mode == MODE_HMAC ? ref_mode1(j.istate, j.ostate, j.msg)
						 : ref_sha1(j.msg);
		j.what = "empty message";
		jobs.push_back(j);
	}
	run_checked(b, rig, jobs, 0, 0);
	run_checked(b, rig, jobs, 30, 30);
}

// ------------------------------------------------------------------ figures

uint64_t latency_of(bench::Bench &b, Rig &rig, unsigned mode, size_t len)
{
	std::vector<Job> jobs(1);

	jobs[0].mode = mode;
	jobs[0].msg = b.bytes(len);
	b.fill(jobs[0].istate.data(), 20);
	b.fill(jobs[0].ostate.data(), 20);
	jobs[0].expect = mode == MODE_HMAC ? ref_mode1(jobs[0].istate, jobs[0].ostate, jobs[0].msg)
					   : ref_sha1(jobs[0].msg);
	jobs[0].what = "timing";
	run_checked(b, rig, jobs, 0, 0);
	return jobs[0].t_out - jobs[0].t_first;
}

void figures(bench::Bench &b, Rig &rig)
{
	// 9 bytes of padding: 8 and 40 compressions.
	uint64_t t8 = latency_of(b, rig, MODE_SHA1, 8 * 64 - 9);
	uint64_t t40 = latency_of(b, rig, MODE_SHA1, 40 * 64 - 9);

	b.report("sha1_cycles_per_block", (double)(t40 - t8) / 32.0);
	b.report("hmac_sha1_cycles_64B", (double)latency_of(b, rig, MODE_HMAC, 64));
}

} // namespace

int main(int argc, char **argv)
{
	bench::Bench b("sha1", argc, argv, 3000);
	Rig rig(b);

	test_core(b, rig, 200);
	test_core_chain(b, rig);
	figures(b, rig);
	test_sha1_kat(b, rig);
	test_hmac_kat(b, rig);
	test_empty(b, rig);
	test_reset(b, rig);
	test_random(b, rig);
	return b.finish();
}
