// tdes_pipe bench (benches tdes_pipe and tdes_pipe3: the same harness on the
// PASSES = 1 and PASSES = 3 builds, told apart by tb_tdes_pipe's `passes`
// output). Up to 64 independent CBC streams (contexts) interleave through
// the unit, each checked against OpenSSL EVP (DES-CBC, DES-EDE-CBC,
// DES-EDE3-CBC) and the known answers of tests/vectors/des.txt and
// tdes.txt: random keys, modes, directions and lengths, random issue gaps,
// garbage on the inputs while s_valid is low (or s_ready is), the fixed
// latency and in-order m_ctx/m_tag checked on every block, a reset with
// blocks in flight, a block right after reset. Reports blocks per cycle and
// latency at full rate, and the simulation speed in cycles per second.
#include "Vtb_tdes_pipe.h"
#include "verilated.h"

#include "bench.h"
#include "vectors.h"

#include <openssl/evp.h>
#include <openssl/provider.h>

#include <cmath>
#include <deque>
#include <string>
#include <time.h>
#include <vector>

using bench::Bench;
using bench::hex;
typedef std::vector<uint8_t> Bytes;

namespace {

enum {
	BLOCK = 8,
	NCTX = 64,           // contexts (CTX_W = 6 in tb_tdes_pipe)
	TAGS = 16,           // TAG_W = 4
	LATENCY = 49,        // documented in tdes_pipe.v
	MAX_BLOCKS = 200,    // stream length 1..200 blocks
	STALL_LIMIT = 5000,  // cycles without an output while blocks wait
	PERF_BLOCKS = 200,
	PERF_WINDOW = 2880,  // cycles measured at full rate (60 x 48: whole
	                     // turns of every ring slot when PASSES = 3)
};

const char *name_of(unsigned passes)
{
	return passes == 3 ? "tdes_pipe3" : "tdes_pipe";
}

// keylen as OpenSSL gets it: 8 (DES; K2, K3 random, must be ignored), 16
// (two-key, K3 = K1) or 24.
struct Cfg {
	bool decrypt = false;
	size_t keylen = 24;
	uint8_t key[24] = {};
	uint8_t iv[BLOCK] = {};
	bool single() const { return keylen == 8; }
};

struct Stream {
	Cfg cfg;
	Bytes in, expect, got;
	std::string label;
	size_t blocks() const { return in.size() / BLOCK; }
};

uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < BLOCK; i++)
		v = v << 8 | p[i];
	return v;
}

void put64(uint8_t *p, uint64_t v)
{
	for (int i = BLOCK - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

// Key byte j goes to bits [191-8j -: 8] of the 192-bit port.
void set_key(VlWide<6> &w, const uint8_t *k)
{
	for (int i = 0; i < 6; i++) {
		uint32_t v = 0;
		for (int j = 0; j < 4; j++)
			v |= (uint32_t)k[23 - 4 * i - j] << (8 * j);
		w[i] = v;
	}
}

const char *mode_name(const Cfg &c)
{
	return c.keylen == 8 ? "DES" : c.keylen == 16 ? "3DES-2key" : "3DES-3key";
}

// ---------------------------------------------------------------------
// OpenSSL model.
// ---------------------------------------------------------------------
const char *evp_name(size_t keylen)
{
	return keylen == 8 ? "DES-CBC" : keylen == 16 ? "DES-EDE-CBC" : "DES-EDE3-CBC";
}

Bytes evp(const Cfg &c, const Bytes &in)
{
	EVP_CIPHER *ci = EVP_CIPHER_fetch(NULL, evp_name(c.keylen), NULL);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	Bytes out(in.size() + BLOCK);
	int n = 0, m = 0;
	bool ok = ci && ctx &&
		  EVP_CipherInit_ex(ctx, ci, NULL, c.key, c.iv, !c.decrypt) &&
		  EVP_CIPHER_CTX_set_padding(ctx, 0) &&
		  EVP_CipherUpdate(ctx, out.data(), &n, in.data(), (int)in.size()) &&
		  EVP_CipherFinal_ex(ctx, out.data() + n, &m);

	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(ci);
	if (!ok) {
		fprintf(stderr, "tdes_pipe: OpenSSL %s failed (legacy provider missing?)\n",
			evp_name(c.keylen));
		exit(2);
	}
	out.resize((size_t)(n + m));
	return out;
}

Cfg random_cfg(Bench &b)
{
	static const size_t lens[] = {8, 16, 24};
	Cfg c;

	c.keylen = lens[b.below(3)];
	c.decrypt = b.chance(50);
	b.fill(c.key, sizeof(c.key));
	b.fill(c.iv, sizeof(c.iv));
	if (c.keylen == 16)
		memcpy(c.key + 16, c.key, 8);
	return c;
}

Stream random_stream(Bench &b, size_t blocks, const char *label)
{
	Stream s;

	s.cfg = random_cfg(b);
	s.in = b.bytes(BLOCK * blocks);
	s.expect = evp(s.cfg, s.in);
	s.label = label;
	return s;
}

// ---------------------------------------------------------------------
// The simulation. Inputs set before step() are sampled at its rising edge;
// the outputs (all registered) are read after settle().
// ---------------------------------------------------------------------
class Dut {
public:
	Dut() : t(new Vtb_tdes_pipe)
	{
		t->eval();
		passes = t->passes;
	}
	~Dut()
	{
		t->final();
		delete t;
	}
	Dut(const Dut &) = delete;
	Dut &operator=(const Dut &) = delete;

	void settle() { t->eval(); }
	void step()
	{
		t->clk = 1;
		t->eval();
		t->clk = 0;
		t->eval();
		cycle++;
	}
	void reset()
	{
		t->s_valid = 0;
		t->rst = 1;
		step();
		step();
		t->rst = 0;
		settle();
	}

	Vtb_tdes_pipe *t;
	uint64_t cycle = 0;
	unsigned passes = 0;
};

// ---------------------------------------------------------------------
// Streams through the contexts. A free context takes the next stream of
// the queue. Each cycle at most one block is issued, from a random
// eligible context: encryption needs the previous block out (its m_block is
// the chain value), decryption blocks go back to back.
// ---------------------------------------------------------------------
struct Flight {
	unsigned ctx, tag;
	uint64_t cycle;
};

struct Ctx {
	Stream *s = nullptr;
	size_t issued = 0;
	unsigned inflight = 0;
};

struct RunLog {
	std::vector<uint64_t> issue_cycles, out_cycles;
	std::vector<unsigned> latencies;
};

class Runner {
public:
	Runner(Bench &b, Dut &d) : b_(b), d_(d), ctx_(NCTX) {}

	// Runs the queue with in_idle percent of cycles not issuing (s_valid
	// low, garbage inputs). Stops after max_cycles (0: when all streams are
	// out); returns false on a stall or when stopped early.
	bool run(std::vector<Stream> &queue, unsigned in_idle, unsigned nctx, RunLog *log,
		 uint64_t max_cycles = 0);
	void forget()
	{
		fifo_.clear();
		ctx_.assign(NCTX, Ctx());
	}

private:
	bool eligible(const Ctx &c) const
	{
		return c.s && c.issued < c.s->blocks() && (c.s->cfg.decrypt || c.inflight == 0);
	}
	void take_output(RunLog *log);
	void finish_stream(Ctx &c);
	int pick(unsigned nctx);
	void issue(unsigned ci, RunLog *log);
	void garbage();

	Bench &b_;
	Dut &d_;
	std::vector<Ctx> ctx_;
	std::deque<Flight> fifo_;
};

void Runner::finish_stream(Ctx &c)
{
	const Stream &s = *c.s;

	b_.check(s.got == s.expect, "%s %s %s: key=%s iv=%s in=%s expected=%s got=%s", s.label.c_str(),
		 mode_name(s.cfg), s.cfg.decrypt ? "decrypt" : "encrypt",
		 hex(s.cfg.key, s.cfg.keylen).c_str(), hex(s.cfg.iv, BLOCK).c_str(), hex(s.in).c_str(),
		 hex(s.expect).c_str(), hex(s.got).c_str());
	c = Ctx();
}

void Runner::take_output(RunLog *log)
{
	Vtb_tdes_pipe *t = d_.t;

	if (!t->m_valid)
		return;
	if (fifo_.empty()) {
		b_.check(false, "m_valid with no block in flight (cycle %llu, m_ctx %u)",
			 (unsigned long long)d_.cycle, t->m_ctx);
		return;
	}
	Flight f = fifo_.front();
	fifo_.pop_front();
	unsigned lat = (unsigned)(d_.cycle - f.cycle);
	if (log) {
		log->out_cycles.push_back(d_.cycle);
		log->latencies.push_back(lat);
	}
	bool ok = t->m_ctx == f.ctx && t->m_tag == f.tag && lat == LATENCY;
	if (!b_.check(ok, "result order: m_ctx %u m_tag %u after %u cycles, expected ctx %u tag %u after %u",
		      t->m_ctx, t->m_tag, lat, f.ctx, f.tag, (unsigned)LATENCY))
		return;
	Ctx &c = ctx_[f.ctx];
	uint8_t blk[BLOCK];
	put64(blk, t->m_block);
	c.s->got.insert(c.s->got.end(), blk, blk + BLOCK);
	c.inflight--;
	if (c.s->got.size() == c.s->in.size())
		finish_stream(c);
}

int Runner::pick(unsigned nctx)
{
	unsigned start = b_.below(nctx);

	for (unsigned k = 0; k < nctx; k++) {
		unsigned ci = (start + k) % nctx;
		if (eligible(ctx_[ci]))
			return (int)ci;
	}
	return -1;
}

void Runner::issue(unsigned ci, RunLog *log)
{
	Vtb_tdes_pipe *t = d_.t;
	Ctx &c = ctx_[ci];
	const Stream &s = *c.s;
	size_t i = c.issued;
	uint64_t chain = be64(s.cfg.iv);

	if (i > 0)
		chain = be64(s.cfg.decrypt ? &s.in[BLOCK * (i - 1)] : &s.got[BLOCK * (i - 1)]);
	t->s_valid = 1;
	t->s_ctx = ci;
	t->s_decrypt = s.cfg.decrypt;
	t->s_des = s.cfg.single();
	set_key(t->s_key, s.cfg.key);
	t->s_block = be64(&s.in[BLOCK * i]);
	t->s_chain = chain;
	t->s_tag = b_.below(TAGS);
	fifo_.push_back({ci, t->s_tag, d_.cycle});
	if (log)
		log->issue_cycles.push_back(d_.cycle);
	c.issued++;
	c.inflight++;
}

// Random inputs; s_valid is set by the caller.
void Runner::garbage()
{
	Vtb_tdes_pipe *t = d_.t;
	uint8_t k[24];

	b_.fill(k, sizeof(k));
	set_key(t->s_key, k);
	t->s_ctx = b_.below(NCTX);
	t->s_decrypt = b_.chance(50);
	t->s_des = b_.chance(50);
	t->s_block = b_.rand64();
	t->s_chain = b_.rand64();
	t->s_tag = b_.below(TAGS);
}

bool Runner::run(std::vector<Stream> &queue, unsigned in_idle, unsigned nctx, RunLog *log,
		 uint64_t max_cycles)
{
	Vtb_tdes_pipe *t = d_.t;
	size_t next = 0;
	uint64_t quiet = 0, end = d_.cycle + max_cycles;

	for (;;) {
		d_.settle();
		take_output(log);
		for (unsigned ci = 0; ci < nctx && next < queue.size(); ci++)
			if (!ctx_[ci].s)
				ctx_[ci].s = &queue[next++];
		bool busy = next < queue.size() || !fifo_.empty();
		for (unsigned ci = 0; ci < nctx; ci++)
			busy = busy || ctx_[ci].s;
		if (!busy || (max_cycles && d_.cycle >= end)) {
			// This cycle's output is taken: end it.
			t->s_valid = 0;
			d_.step();
			return !busy;
		}
		int ci = (t->s_ready && !b_.chance(in_idle)) ? pick(nctx) : -1;
		garbage();
		if (ci >= 0) {
			issue((unsigned)ci, log);
		} else {
			// Not issuing: s_valid low, or high while s_ready is low
			// (nothing may be taken then).
			t->s_valid = !t->s_ready && b_.chance(50);
		}
		quiet = (t->m_valid || ci >= 0) ? 0 : quiet + 1;
		d_.step();
		if (!b_.check(quiet < STALL_LIMIT, "no progress for %u cycles (%zu blocks in flight)",
			      (unsigned)STALL_LIMIT, fifo_.size()))
			return false;
	}
}

// ---------------------------------------------------------------------
// Known answers: each [ecb] block as a one-block stream with a zero IV,
// each [cbc] record as a stream, both directions, all interleaved.
// ---------------------------------------------------------------------
std::string label_of(const char *file, const struct vec_record *r)
{
	const struct vec_field *f = vec_get(r, "test");

	if (f && f->data)
		return std::string(file) + " " + std::string((const char *)f->data, f->len);
	return std::string(file) + " line " + std::to_string(r->line);
}

bool record_stream(Bench &b, const char *file, const struct vec_record *r, bool cbc, Stream *s)
{
	const struct vec_field *k = vec_get(r, "key"), *p = vec_get(r, "pt"), *c = vec_get(r, "ct");
	const struct vec_field *iv = vec_get(r, "iv");
	bool ok = k && p && c && k->data && p->data && c->data && p->len == c->len && p->len &&
		  p->len % BLOCK == 0 && (k->len == 8 || k->len == 16 || k->len == 24) &&
		  (!cbc || (iv && iv->data && iv->len == BLOCK));

	if (!b.check(ok, "%s:%d: record needs key, pt, ct (and iv for cbc) of the right sizes", file, r->line))
		return false;
	s->cfg.keylen = k->len;
	b.fill(s->cfg.key, sizeof(s->cfg.key));
	memcpy(s->cfg.key, k->data, k->len);
	if (k->len == 16)
		memcpy(s->cfg.key + 16, k->data, 8);
	if (cbc)
		memcpy(s->cfg.iv, iv->data, BLOCK);
	s->in.assign(p->data, p->data + p->len);
	s->expect.assign(c->data, c->data + c->len);
	s->label = label_of(file, r);
	return true;
}

// Encrypt and decrypt streams of one record; an ECB record splits into
// one-block streams.
void add_record(Bench &b, const char *file, const struct vec_record *r, std::vector<Stream> *out)
{
	bool cbc = !strcmp(r->section, "cbc");
	Stream s;

	if (!b.check(cbc || !strcmp(r->section, "ecb"), "%s:%d: unknown section [%s]", file, r->line,
		     r->section) ||
	    !record_stream(b, file, r, cbc, &s))
		return;
	for (size_t i = 0; i < s.in.size(); i += cbc ? s.in.size() : BLOCK) {
		size_t n = cbc ? s.in.size() : BLOCK;
		Stream e = s, d;
		e.in.assign(s.in.begin() + i, s.in.begin() + i + n);
		e.expect.assign(s.expect.begin() + i, s.expect.begin() + i + n);
		if (!cbc)
			e.label += " block " + std::to_string(i / BLOCK);
		d = e;
		d.cfg.decrypt = true;
		std::swap(d.in, d.expect);
		out->push_back(e);
		out->push_back(d);
	}
}

void test_known_answers(Bench &b, Runner &run, const char *file)
{
	struct vec_file vf;
	char err[256];
	std::string path = b.vector_path(file);
	std::vector<Stream> streams;

	if (!b.check(vec_load(path.c_str(), &vf, err, sizeof(err)) == 0, "%s", err))
		return;
	b.check(vf.has_source, "%s: no '# Source:' line", path.c_str());
	for (size_t i = 0; i < vf.nrecs; i++)
		add_record(b, file, &vf.recs[i], &streams);
	vec_free(&vf);
	for (const Stream &s : streams)
		b.check(evp(s.cfg, s.in) == s.expect, "%s: OpenSSL disagrees with the vector", s.label.c_str());
	run.run(streams, 20, NCTX, NULL);
	printf("%s: %s: %zu streams\n", b.vectors_dir.c_str(), file, streams.size());
}

// ---------------------------------------------------------------------
// Random differential tests.
// ---------------------------------------------------------------------
void test_random(Bench &b, Runner &run)
{
	static const unsigned idle[] = {0, 0, 10, 50, 90};
	unsigned done = 0;

	while (done < b.count) {
		std::vector<Stream> q;
		unsigned n = 1 + b.below(3 * NCTX);
		for (unsigned i = 0; i < n && done + i < b.count; i++) {
			size_t len = b.chance(30) ? 1 + b.below(4) : 1 + b.below(MAX_BLOCKS);
			q.push_back(random_stream(b, len, "random"));
		}
		run.run(q, idle[b.below(5)], 1 + b.below(NCTX), NULL);
		done += (unsigned)q.size();
	}
}

// A reset drops every block in flight: nothing comes out after it, and
// streams issued from the first cycle after it come out right.
void test_reset_in_flight(Bench &b, Dut &d, Runner &run)
{
	for (unsigned i = 0; i < 6; i++) {
		std::vector<Stream> old, fresh;
		for (unsigned k = 0; k < NCTX; k++)
			old.push_back(random_stream(b, 20, "dropped by reset"));
		for (unsigned k = 0; k < 8; k++)
			fresh.push_back(random_stream(b, 1 + b.below(20), "after reset"));
		run.run(old, 0, NCTX, NULL, 10 + b.below(200));
		d.reset();
		run.forget();
		for (unsigned c = 0; c < LATENCY + 8; c++) {
			d.settle();
			b.check(!d.t->m_valid && d.t->s_ready, "after reset, cycle %u: m_valid %d s_ready %d", c,
				d.t->m_valid, d.t->s_ready);
			d.t->s_valid = 0;
			d.step();
		}
		d.reset();
		run.run(fresh, 0, 8, NULL);
	}
}

// ---------------------------------------------------------------------
// Figures. Full rate: 64 contexts encrypting long 3DES streams, no idle.
// Blocks per cycle over a window well inside the run; latency of every
// block (must be the documented one).
// ---------------------------------------------------------------------
void measure_full_rate(Bench &b, Runner &run, unsigned passes)
{
	std::vector<Stream> q;
	RunLog log;

	for (unsigned i = 0; i < NCTX; i++) {
		q.push_back(random_stream(b, PERF_BLOCKS, "full rate"));
		q.back().cfg.keylen = 24;
		q.back().cfg.decrypt = false;
		q.back().expect = evp(q.back().cfg, q.back().in);
	}
	if (!run.run(q, 0, NCTX, &log) || !b.check(!log.issue_cycles.empty(), "full rate: nothing issued"))
		return;
	uint64_t from = log.issue_cycles.front() + 2 * LATENCY, to = from + PERF_WINDOW, n = 0;
	for (uint64_t c : log.out_cycles)
		n += c >= from && c < to;
	double bpc = (double)n / PERF_WINDOW;
	b.check(fabs(bpc * passes - 1.0) < 0.002, "full rate: %g blocks per cycle, documented 1/%u", bpc, passes);
	b.report("tdes_pipe_blocks_per_cycle", bpc);
	b.report("tdes_pipe_bytes_per_cycle", BLOCK * bpc);
	b.report("tdes_pipe_latency", log.latencies.front());
}

// Simulation speed: the model with a new block offered every cycle
// (decrypt, changing contexts, data and keys, outputs read), over at least
// one second of this process's CPU time (CPU, not wall time: the machine is
// shared, and a loaded machine would otherwise halve the figure).
double cpu_seconds()
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void measure_sim_speed(Bench &b, Dut &d)
{
	Vtb_tdes_pipe *t = d.t;
	uint64_t cycles = 0, sink = 0;
	double t0 = cpu_seconds(), secs = 0;

	d.reset();
	while (secs < 1.0) {
		for (unsigned i = 0; i < 4096; i++) {
			t->s_valid = 1;
			t->s_ctx = (uint8_t)cycles;
			t->s_decrypt = 1;
			t->s_des = 0;
			t->s_block = cycles * 0x9e3779b97f4a7c15ull;
			t->s_chain = ~cycles;
			t->s_tag = (uint8_t)cycles;
			t->s_key[0] = (uint32_t)cycles;
			d.step();
			sink += t->m_valid ? t->m_block : 0;
			cycles++;
		}
		secs = cpu_seconds() - t0;
	}
	t->s_valid = 0;
	d.reset();
	printf("%s: %llu cycles in %.2f s of CPU time (checksum %016llx)\n", name_of(d.passes),
	       (unsigned long long)cycles, secs, (unsigned long long)sink);
	b.report("tdes_pipe_sim_cycles_per_s", (double)cycles / secs);
}

} // namespace

int main(int argc, char **argv)
{
	Dut d;
	Bench b(name_of(d.passes), argc, argv, 1500);
	OSSL_PROVIDER *legacy = OSSL_PROVIDER_load(NULL, "legacy");
	OSSL_PROVIDER *deflt = OSSL_PROVIDER_load(NULL, "default");

	if (!legacy || !deflt) {
		fprintf(stderr, "tdes_pipe: cannot load the OpenSSL legacy and default providers\n");
		return 2;
	}
	if (!b.check(d.passes == 1 || d.passes == 3, "tb_tdes_pipe reports PASSES = %u", d.passes))
		return b.finish();
	{
		Runner run(b, d);
		// The known answers start in the first cycle after reset.
		d.reset();
		test_known_answers(b, run, "des.txt");
		test_known_answers(b, run, "tdes.txt");
		test_random(b, run);
		test_reset_in_flight(b, d, run);
		measure_full_rate(b, run, d.passes);
		measure_sim_speed(b, d);
	}
	int rc = b.finish();
	OSSL_PROVIDER_unload(deflt);
	OSSL_PROVIDER_unload(legacy);
	return rc;
}
