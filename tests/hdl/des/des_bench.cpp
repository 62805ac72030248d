// des bench: tdes_core and tdes_cbc (side by side in tb_des) against the
// known answers of tests/vectors/des.txt and tdes.txt, and against OpenSSL
// EVP (DES-CBC, DES-EDE-CBC, DES-EDE3-CBC and their ECB forms) on random
// keys, IVs, lengths and directions, with random idle cycles on the input,
// random backpressure on the output, start pulses while the core is busy,
// back-to-back messages with different configurations and a reset in the
// middle of a message. Reports cycles per block and latencies.
#include "Vtb_des.h"
#include "verilated.h"

#include "bench.h"
#include "vectors.h"

#include <openssl/evp.h>
#include <openssl/provider.h>

#include <string>
#include <vector>

using bench::Bench;
using bench::hex;
typedef std::vector<uint8_t> Bytes;

namespace {

enum {
	BLOCK = 8,
	MAX_BLOCKS = 256,         // 2048-byte messages
	STALL_LIMIT = 20000,      // cycles without a handshake: a deadlock
	DES_CYCLES = 16,          // documented cycles per block with one
	TDES_CYCLES = 48,         // DES round per clock (divided by ROUNDS)
	PERF_BLOCKS = 64,
};

// One configuration. key is K1||K2||K3 as the RTL gets it; keylen is what
// OpenSSL gets: 8 (single DES: K2, K3 random, must be ignored), 16 (two-key:
// K3 = K1) or 24.
struct Cfg {
	bool decrypt = false;
	size_t keylen = 24;
	uint8_t key[24] = {};
	uint8_t iv[BLOCK] = {};
	bool single() const { return keylen == 8; }
	unsigned cycles() const { return (single() ? DES_CYCLES : TDES_CYCLES) / rounds; }
	static unsigned rounds; // DES rounds per clock of the build (tb_des)
};

unsigned Cfg::rounds = 1;

struct Message {
	Cfg cfg;
	Bytes in, expect;
	std::string label;
};

struct CoreJob {
	Cfg cfg;
	uint64_t in = 0, expect = 0;
	std::string label;
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

// Key byte j goes to bits [191-8j -: 8] of a 192-bit port.
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
const char *evp_name(size_t keylen, bool cbc)
{
	if (keylen == 8)
		return cbc ? "DES-CBC" : "DES-ECB";
	if (keylen == 16)
		return cbc ? "DES-EDE-CBC" : "DES-EDE-ECB";
	return cbc ? "DES-EDE3-CBC" : "DES-EDE3-ECB";
}

Bytes evp(const Cfg &c, const Bytes &in, bool cbc)
{
	const char *name = evp_name(c.keylen, cbc);
	EVP_CIPHER *ci = EVP_CIPHER_fetch(NULL, name, NULL);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	Bytes out(in.size() + BLOCK);
	int n = 0, m = 0;
	bool ok = ci && ctx &&
		  EVP_CipherInit_ex(ctx, ci, NULL, c.key, cbc ? c.iv : NULL, !c.decrypt) &&
		  EVP_CIPHER_CTX_set_padding(ctx, 0) &&
		  EVP_CipherUpdate(ctx, out.data(), &n, in.data(), (int)in.size()) &&
		  EVP_CipherFinal_ex(ctx, out.data() + n, &m);

	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(ci);
	if (!ok) {
		fprintf(stderr, "des: OpenSSL %s failed (legacy provider missing?)\n", name);
		exit(2);
	}
	out.resize((size_t)(n + m));
	return out;
}

// ---------------------------------------------------------------------
// The simulation. Inputs set before step() are sampled at its rising edge;
// settle() updates the combinational outputs of the current cycle.
// ---------------------------------------------------------------------
class Dut {
public:
	Dut() : t(new Vtb_des) {}
	~Dut()
	{
		t->final();
		delete t;
	}
	Dut(const Dut &) = delete;
	Dut &operator=(const Dut &) = delete;

	unsigned rounds()
	{
		t->eval();
		return t->rounds;
	}
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
		t->core_start = 0;
		t->s_axis_tvalid = 0;
		t->m_axis_tready = 0;
		t->rst = 1;
		step();
		step();
		t->rst = 0;
		settle();
	}

	Vtb_des *t;
	uint64_t cycle = 0;
};

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

// A configuration from a vector's key field (8, 16 or 24 bytes).
bool vector_cfg(Bench &b, const struct vec_field *key, bool decrypt, Cfg *c)
{
	if (!key || !key->data || (key->len != 8 && key->len != 16 && key->len != 24))
		return false;
	c->keylen = key->len;
	c->decrypt = decrypt;
	b.fill(c->key, sizeof(c->key));
	memcpy(c->key, key->data, key->len);
	if (key->len == 16)
		memcpy(c->key + 16, key->data, 8);
	return true;
}

// ---------------------------------------------------------------------
// tdes_core runner.
// ---------------------------------------------------------------------
void scramble_core(Bench &b, Vtb_des *t)
{
	uint8_t k[24];

	b.fill(k, sizeof(k));
	set_key(t->core_key, k);
	t->core_block_in = b.rand64();
	t->core_decrypt = b.chance(50);
	t->core_single_des = b.chance(50);
	t->core_start = b.chance(50);
}

void drive_core(Vtb_des *t, const CoreJob &j)
{
	set_key(t->core_key, j.cfg.key);
	t->core_block_in = j.in;
	t->core_decrypt = j.cfg.decrypt;
	t->core_single_des = j.cfg.single();
	t->core_start = 1;
}

void check_core(Bench &b, const CoreJob &j, uint64_t got)
{
	b.check(got == j.expect, "core %s %s %s: key=%s in=%016llx expected=%016llx got=%016llx",
		j.label.c_str(), mode_name(j.cfg), j.cfg.decrypt ? "decrypt" : "encrypt",
		hex(j.cfg.key, j.cfg.keylen).c_str(), (unsigned long long)j.in,
		(unsigned long long)j.expect, (unsigned long long)got);
}

// Runs the jobs through tdes_core in order. A job starts when the core is
// ready, often in the valid cycle of the previous one (back to back). While a
// block runs, start is raised at random with scrambled inputs: the core must
// ignore both. Returns each job's latency (start cycle to valid cycle).
std::vector<unsigned> run_core(Bench &b, Dut &d, const std::vector<CoreJob> &jobs, unsigned idle_pct)
{
	std::vector<unsigned> lat;
	size_t started = 0, done = 0;
	uint64_t start_cycle = 0, quiet = 0;
	Vtb_des *t = d.t;

	while (done < jobs.size()) {
		scramble_core(b, t);
		bool launch = t->core_ready && started < jobs.size() && !b.chance(idle_pct);
		if (launch)
			drive_core(t, jobs[started]);
		else if (t->core_ready)
			t->core_start = 0;
		d.settle();
		if (t->core_valid) {
			if (done >= started) {
				b.check(false, "core: valid with no block in flight");
				return lat;
			}
			check_core(b, jobs[done], t->core_block_out);
			lat.push_back((unsigned)(d.cycle - start_cycle));
			done++;
			quiet = 0;
		}
		if (launch) {
			start_cycle = d.cycle;
			started++;
		}
		d.step();
		if (++quiet >= STALL_LIMIT) {
			b.check(false, "core: no valid for %u cycles", (unsigned)STALL_LIMIT);
			return lat;
		}
	}
	t->core_start = 0;
	d.settle();
	return lat;
}

// ---------------------------------------------------------------------
// tdes_cbc runner.
// ---------------------------------------------------------------------
struct StreamLog {
	std::vector<uint64_t> in_cycles, out_cycles; // one per handshake
};

void drive_cfg(Vtb_des *t, const Cfg &c)
{
	t->cfg_decrypt = c.decrypt;
	t->cfg_single_des = c.single();
	set_key(t->cfg_key, c.key);
	t->cfg_iv = be64(c.iv);
}

// The input beat of this cycle: block bi of message mi when offering,
// else garbage with tvalid low. cfg_* carry the message's configuration on
// its first beat only, garbage otherwise (the core must ignore it).
void drive_input(Bench &b, Vtb_des *t, const std::vector<Message> &msgs, size_t mi, size_t bi, bool offer)
{
	Cfg junk = random_cfg(b);

	if (offer && bi == 0)
		drive_cfg(t, msgs[mi].cfg);
	else
		drive_cfg(t, junk);
	t->s_axis_tvalid = offer;
	if (offer) {
		t->s_axis_tdata = be64(&msgs[mi].in[BLOCK * bi]);
		t->s_axis_tlast = BLOCK * (bi + 1) == msgs[mi].in.size();
	} else {
		t->s_axis_tdata = b.rand64();
		t->s_axis_tlast = b.chance(50);
	}
}

// Output register rule: while tvalid && !tready, tdata/tlast must hold.
class OutputWatch {
public:
	void check(Bench &b, const Vtb_des *t)
	{
		bool same = t->m_axis_tvalid && t->m_axis_tdata == data_ && t->m_axis_tlast == last_;
		if (held_ && !same)
			b.check(false, "cbc: m_axis beat changed under backpressure (%016llx/%d -> %d %016llx/%d)",
				(unsigned long long)data_, last_, t->m_axis_tvalid,
				(unsigned long long)t->m_axis_tdata, t->m_axis_tlast);
		held_ = t->m_axis_tvalid && !t->m_axis_tready;
		data_ = t->m_axis_tdata;
		last_ = t->m_axis_tlast;
	}

private:
	bool held_ = false, last_ = false;
	uint64_t data_ = 0;
};

// Flow control: the percentages of cycles with the input's tvalid and the
// output's tready low; with burst > 0 each draw holds for 1..burst cycles,
// which makes long stalls (a full output register while the core finishes).
struct Traffic {
	unsigned in_idle, out_stall, burst;
};

class Gate {
public:
	Gate(unsigned off_pct, unsigned burst) : off_pct_(off_pct), burst_(burst) {}
	bool next(Bench &b)
	{
		if (left_ == 0) {
			on_ = !b.chance(off_pct_);
			left_ = burst_ ? 1 + b.below(burst_) : 1;
		}
		left_--;
		return on_;
	}

private:
	unsigned off_pct_, burst_, left_ = 0;
	bool on_ = false;
};

// Streams msgs back to back through tdes_cbc. Stops after max_cycles (0:
// when every message is out). Returns the output of each message, split at
// tlast.
std::vector<Bytes> run_cbc(Bench &b, Dut &d, const std::vector<Message> &msgs, Traffic tr,
			   StreamLog *log, uint64_t max_cycles = 0)
{
	std::vector<Bytes> out(msgs.size());
	size_t mi = 0, bi = 0, mo = 0;
	bool offer = false;
	uint64_t quiet = 0, end = d.cycle + max_cycles;
	Gate in_gate(tr.in_idle, tr.burst), out_gate(tr.out_stall, tr.burst);
	OutputWatch watch;
	Vtb_des *t = d.t;

	while (mo < msgs.size() && (!max_cycles || d.cycle < end)) {
		bool want = in_gate.next(b);
		offer = offer || (mi < msgs.size() && want);
		drive_input(b, t, msgs, mi, bi, offer);
		t->m_axis_tready = out_gate.next(b);
		d.settle();
		watch.check(b, t);
		bool in_hs = offer && t->s_axis_tready;
		bool out_hs = t->m_axis_tvalid && t->m_axis_tready;
		if (out_hs) {
			uint8_t blk[BLOCK];
			put64(blk, t->m_axis_tdata);
			out[mo].insert(out[mo].end(), blk, blk + BLOCK);
			if (log)
				log->out_cycles.push_back(d.cycle);
			if (t->m_axis_tlast || out[mo].size() > BLOCK * MAX_BLOCKS)
				mo++;
		}
		if (in_hs) {
			if (log)
				log->in_cycles.push_back(d.cycle);
			offer = false;
			if (BLOCK * ++bi == msgs[mi].in.size()) {
				mi++;
				bi = 0;
			}
		}
		d.step();
		quiet = (in_hs || out_hs) ? 0 : quiet + 1;
		if (quiet >= STALL_LIMIT) {
			b.check(false, "cbc: stream stalled (message %zu in, %zu out)", mi, mo);
			break;
		}
	}
	t->s_axis_tvalid = 0;
	d.settle();
	return out;
}

void check_message(Bench &b, const Message &m, const Bytes &got)
{
	b.check(got == m.expect, "cbc %s %s %s: key=%s iv=%s in=%s expected=%s got=%s",
		m.label.c_str(), mode_name(m.cfg), m.cfg.decrypt ? "decrypt" : "encrypt",
		hex(m.cfg.key, m.cfg.keylen).c_str(), hex(m.cfg.iv, BLOCK).c_str(),
		hex(m.in).c_str(), hex(m.expect).c_str(), hex(got).c_str());
}

void check_messages(Bench &b, const std::vector<Message> &msgs, const std::vector<Bytes> &got)
{
	for (size_t i = 0; i < msgs.size(); i++)
		check_message(b, msgs[i], got[i]);
}

Message random_message(Bench &b, size_t blocks)
{
	Message m;

	m.cfg = random_cfg(b);
	m.in = b.bytes(BLOCK * blocks);
	m.expect = evp(m.cfg, m.in, true);
	m.label = "random";
	return m;
}

// Mostly short messages, some up to the full 2048 bytes.
size_t random_blocks(Bench &b)
{
	return b.chance(30) ? 1 + b.below(4) : 1 + b.below(MAX_BLOCKS);
}

// ---------------------------------------------------------------------
// Known answers.
// ---------------------------------------------------------------------
std::string label_of(const struct vec_record *r)
{
	const struct vec_field *f = vec_get(r, "test");

	if (f && f->data)
		return std::string((const char *)f->data, f->len);
	return "line " + std::to_string(r->line);
}

bool load(Bench &b, const char *file, struct vec_file *vf)
{
	char err[256];
	std::string path = b.vector_path(file);

	if (!b.check(vec_load(path.c_str(), vf, err, sizeof(err)) == 0, "%s", err))
		return false;
	b.check(vf->has_source, "%s: no '# Source:' line", path.c_str());
	return true;
}

// pt/ct of a record, whole blocks of equal length.
bool record_texts(Bench &b, const char *file, const struct vec_record *r, Bytes *pt, Bytes *ct)
{
	const struct vec_field *p = vec_get(r, "pt"), *c = vec_get(r, "ct");
	bool ok = p && c && p->data && c->data && p->len == c->len && p->len && p->len % BLOCK == 0;

	if (!b.check(ok, "%s:%d: record needs pt and ct of equal whole blocks", file, r->line))
		return false;
	pt->assign(p->data, p->data + p->len);
	ct->assign(c->data, c->data + c->len);
	return true;
}

// Each [ecb] record, block by block, through tdes_core in both directions.
void add_ecb_jobs(Bench &b, const char *file, const struct vec_record *r, std::vector<CoreJob> *jobs)
{
	Bytes pt, ct;
	Cfg enc, dec;

	if (!record_texts(b, file, r, &pt, &ct))
		return;
	if (!b.check(vector_cfg(b, vec_get(r, "key"), false, &enc), "%s:%d: bad key", file, r->line))
		return;
	dec = enc;
	dec.decrypt = true;
	for (size_t i = 0; i < pt.size(); i += BLOCK) {
		std::string label = label_of(r) + " block " + std::to_string(i / BLOCK);
		jobs->push_back({enc, be64(&pt[i]), be64(&ct[i]), label});
		jobs->push_back({dec, be64(&ct[i]), be64(&pt[i]), label});
	}
}

// Each [cbc] record as a message through tdes_cbc in both directions.
void add_cbc_messages(Bench &b, const char *file, const struct vec_record *r, std::vector<Message> *msgs)
{
	const struct vec_field *iv = vec_get(r, "iv");
	Message enc, dec;

	if (!record_texts(b, file, r, &enc.in, &enc.expect))
		return;
	if (!b.check(vector_cfg(b, vec_get(r, "key"), false, &enc.cfg) && iv && iv->data && iv->len == BLOCK,
		     "%s:%d: bad key or iv", file, r->line))
		return;
	memcpy(enc.cfg.iv, iv->data, BLOCK);
	enc.label = label_of(r);
	dec = enc;
	dec.cfg.decrypt = true;
	std::swap(dec.in, dec.expect);
	msgs->push_back(enc);
	msgs->push_back(dec);
}

// The vectors must agree with OpenSSL too (tells a bad vector from bad RTL).
void check_with_openssl(Bench &b, const std::vector<Message> &msgs, bool cbc, const char *file)
{
	for (const Message &m : msgs)
		b.check(evp(m.cfg, m.in, cbc) == m.expect, "%s %s: OpenSSL disagrees with the vector",
			file, m.label.c_str());
}

void test_known_answers(Bench &b, Dut &d, const char *file)
{
	struct vec_file vf;
	std::vector<CoreJob> jobs;
	std::vector<Message> msgs, ecb;

	if (!load(b, file, &vf))
		return;
	for (size_t i = 0; i < vf.nrecs; i++) {
		const struct vec_record *r = &vf.recs[i];
		if (!strcmp(r->section, "ecb"))
			add_ecb_jobs(b, file, r, &jobs);
		else if (!strcmp(r->section, "cbc"))
			add_cbc_messages(b, file, r, &msgs);
		else
			b.check(false, "%s:%d: unknown section [%s]", file, r->line, r->section);
	}
	vec_free(&vf);
	for (const CoreJob &j : jobs) {
		Message m;
		m.cfg = j.cfg;
		m.in.resize(BLOCK);
		m.expect.resize(BLOCK);
		put64(m.in.data(), j.in);
		put64(m.expect.data(), j.expect);
		m.label = j.label;
		ecb.push_back(m);
	}
	check_with_openssl(b, ecb, false, file);
	check_with_openssl(b, msgs, true, file);
	run_core(b, d, jobs, 20);
	check_messages(b, msgs, run_cbc(b, d, msgs, Traffic{20, 20, 0}, NULL));
	printf("%s: %s: %zu ECB block runs, %zu CBC messages\n", b.name(), file, jobs.size(),
	       msgs.size());
}

// ---------------------------------------------------------------------
// Random differential tests.
// ---------------------------------------------------------------------
void test_core_random(Bench &b, Dut &d)
{
	std::vector<CoreJob> jobs;

	for (unsigned i = 0; i < b.count; i++) {
		CoreJob j;
		Bytes in = b.bytes(BLOCK);
		j.cfg = random_cfg(b);
		j.in = be64(in.data());
		j.expect = be64(evp(j.cfg, in, false).data());
		j.label = "random #" + std::to_string(i);
		jobs.push_back(j);
	}
	run_core(b, d, jobs, 30);
}

void test_cbc_random(Bench &b, Dut &d)
{
	static const unsigned stall[] = {0, 5, 30, 70};
	unsigned done = 0;

	while (done < b.count) {
		std::vector<Message> msgs;
		unsigned n = 1 + b.below(12);
		Traffic tr = {stall[b.below(4)], stall[b.below(4)], b.chance(30) ? 64u : 0u};
		for (unsigned i = 0; i < n && done + i < b.count; i++)
			msgs.push_back(random_message(b, random_blocks(b)));
		check_messages(b, msgs, run_cbc(b, d, msgs, tr, NULL));
		done += (unsigned)msgs.size();
	}
}

// Mixed messages with no idle and no backpressure: every output beat must
// follow the previous one after exactly the block time of its own mode, so
// there is no bubble inside a message nor between messages.
void test_back_to_back(Bench &b, Dut &d)
{
	std::vector<Message> msgs;
	std::vector<unsigned> gaps;
	StreamLog log;

	for (unsigned i = 0; i < 24; i++) {
		msgs.push_back(random_message(b, 1 + b.below(6)));
		for (size_t k = 0; k < msgs.back().in.size() / BLOCK; k++)
			gaps.push_back(msgs.back().cfg.cycles());
	}
	check_messages(b, msgs, run_cbc(b, d, msgs, Traffic{0, 0, 0}, &log));
	if (!b.check(log.out_cycles.size() == gaps.size(), "back-to-back: %zu beats out, %zu expected",
		     log.out_cycles.size(), gaps.size()))
		return;
	for (size_t k = 1; k < gaps.size(); k++)
		b.check(log.out_cycles[k] - log.out_cycles[k - 1] == gaps[k],
			"back-to-back: beat %zu came %llu cycles after the previous, expected %u", k,
			(unsigned long long)(log.out_cycles[k] - log.out_cycles[k - 1]), gaps[k]);
}

// A reset in the middle of a message drops it: nothing of it may come out
// afterwards, and a message offered in the first cycle after the reset
// (with a different configuration) comes out right.
void test_reset_mid_message(Bench &b, Dut &d)
{
	for (unsigned i = 0; i < 8; i++) {
		std::vector<Message> old(1, random_message(b, 8 + b.below(24)));
		std::vector<Message> fresh(1, random_message(b, 1 + b.below(8)));
		run_cbc(b, d, old, Traffic{10, 30, 0}, NULL, 20 + b.below(400));
		d.reset();
		b.check(!d.t->m_axis_tvalid && d.t->s_axis_tready, "after reset: m_axis_tvalid %d, s_axis_tready %d",
			d.t->m_axis_tvalid, d.t->s_axis_tready);
		check_messages(b, fresh, run_cbc(b, d, fresh, Traffic{0, b.chance(50) ? 0u : 30u, 0}, NULL));
	}
}

// ---------------------------------------------------------------------
// Figures: no stalls, one long message per mode.
// ---------------------------------------------------------------------
void measure_cbc(Bench &b, Dut &d, size_t keylen, const char *cpb_key, const char *lat_key)
{
	std::vector<Message> msgs(1, random_message(b, PERF_BLOCKS));
	StreamLog log;

	msgs[0].cfg.keylen = keylen;
	msgs[0].expect = evp(msgs[0].cfg, msgs[0].in, true);
	check_messages(b, msgs, run_cbc(b, d, msgs, Traffic{0, 0, 0}, &log));
	if (!b.check(log.out_cycles.size() == PERF_BLOCKS && !log.in_cycles.empty(), "%s: beats missing", cpb_key))
		return;
	double cpb = (double)(log.out_cycles.back() - log.out_cycles.front()) / (PERF_BLOCKS - 1);
	b.check(cpb == msgs[0].cfg.cycles(), "%s: %g cycles per block, documented %u", cpb_key, cpb,
		msgs[0].cfg.cycles());
	b.report(cpb_key, cpb);
	b.report(lat_key, (double)(log.out_cycles.front() - log.in_cycles.front()));
}

void measure_core(Bench &b, Dut &d, size_t keylen, const char *key)
{
	std::vector<CoreJob> jobs;

	for (unsigned i = 0; i < 4; i++) {
		CoreJob j;
		Bytes in = b.bytes(BLOCK);
		j.cfg = random_cfg(b);
		j.cfg.keylen = keylen;
		j.in = be64(in.data());
		j.expect = be64(evp(j.cfg, in, false).data());
		j.label = key;
		jobs.push_back(j);
	}
	std::vector<unsigned> lat = run_core(b, d, jobs, 0);
	for (unsigned l : lat)
		b.check(l == jobs[0].cfg.cycles(), "%s: latency %u, documented %u", key, l, jobs[0].cfg.cycles());
	if (!lat.empty())
		b.report(key, lat[0]);
}

} // namespace

int main(int argc, char **argv)
{
	Dut d;
	Cfg::rounds = d.rounds();
	// des, or des<R> for a build with R rounds per clock.
	char name[16] = "des";
	if (Cfg::rounds != 1)
		snprintf(name, sizeof name, "des%u", Cfg::rounds);
	Bench b(name, argc, argv, 1000);
	OSSL_PROVIDER *legacy = OSSL_PROVIDER_load(NULL, "legacy");
	OSSL_PROVIDER *deflt = OSSL_PROVIDER_load(NULL, "default");

	if (!legacy || !deflt) {
		fprintf(stderr, "des: cannot load the OpenSSL legacy and default providers\n");
		return 2;
	}
	{
		d.reset();
		// Starts with a message right after reset, and offers one in the
		// first cycle after each mid-message reset.
		test_reset_mid_message(b, d);
		test_known_answers(b, d, "des.txt");
		test_known_answers(b, d, "tdes.txt");
		test_core_random(b, d);
		test_cbc_random(b, d);
		test_back_to_back(b, d);
		measure_core(b, d, 8, "des_core_latency");
		measure_core(b, d, 24, "tdes_core_latency");
		measure_cbc(b, d, 8, "des_cycles_per_block", "des_cbc_latency");
		measure_cbc(b, d, 24, "tdes_cycles_per_block", "tdes_cbc_latency");
	}
	int rc = b.finish();
	OSSL_PROVIDER_unload(deflt);
	OSSL_PROVIDER_unload(legacy);
	return rc;
}
