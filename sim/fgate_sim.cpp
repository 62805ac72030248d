// fgate_sim: the Verilator model of fgate_engine behind a plain C API
// (fgate_sim.h). One cycle = inputs set, falling edge evaluated, the
// handshakes of the cycle sampled, rising edge evaluated.
#include "fgate_sim.h"

#include "Vfgate_engine.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_vcd_c.h"
#endif

#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

namespace {

enum : unsigned {
	WORD = 8,
	RESET_CYCLES = 4,
	OPEN_LIMIT = 1u << 22,  // cycles allowed for the SA table wipe
	COMPACT_AT = 1u << 16,  // queue bytes consumed before the queue is shifted
};

uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < WORD; i++)
		v = v << 8 | p[i];
	return v;
}

bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

} // namespace

struct fgate_sim {
	std::unique_ptr<VerilatedContext> ctx;
	std::unique_ptr<Vfgate_engine> top;
#if VM_TRACE
	std::unique_ptr<VerilatedVcdC> vcd;
#endif
	std::vector<uint8_t> in;        // request bytes, from in_head on
	size_t in_head = 0;
	std::vector<uint8_t> out;       // result bytes, from out_head on
	size_t out_head = 0;
	uint64_t cycles = 0;
	unsigned stall_in = 0, stall_out = 0;
	uint64_t rng = 1;
};

namespace {

bool stall(fgate_sim *s, unsigned percent)
{
	if (!percent)
		return false;
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return (s->rng * 0x2545F4914F6CDD1Dull >> 33) % 100 < percent;
}

void dump(fgate_sim *s, uint64_t t)
{
#if VM_TRACE
	if (s->vcd)
		s->vcd->dump(t);
#else
	(void)s;
	(void)t;
#endif
}

void compact(std::vector<uint8_t> &q, size_t &head)
{
	if (head == q.size()) {
		q.clear();
		head = 0;
	} else if (head >= COMPACT_AT) {
		q.erase(q.begin(), q.begin() + (long)head);
		head = 0;
	}
}

void cycle(fgate_sim *s, bool rst)
{
	Vfgate_engine *t = s->top.get();
	bool have = s->in.size() - s->in_head >= WORD;
	bool valid = have && !rst && !stall(s, s->stall_in);
	bool ready = !rst && !stall(s, s->stall_out);

	t->rst = rst;
	t->s_axis_tvalid = valid;
	t->s_axis_tdata = have ? be64(&s->in[s->in_head]) : 0;
	t->m_axis_tready = ready;
	t->clk = 0;
	t->eval();
	dump(s, 10 * s->cycles);

	bool in_go = valid && t->s_axis_tready;
	bool out_go = t->m_axis_tvalid && ready;
	uint64_t word = t->m_axis_tdata;

	t->clk = 1;
	t->eval();
	dump(s, 10 * s->cycles + 5);
	s->cycles++;

	if (in_go) {
		s->in_head += WORD;
		compact(s->in, s->in_head);
	}
	if (out_go)
		for (int i = 7; i >= 0; i--)
			s->out.push_back((uint8_t)(word >> (8 * i)));
}

bool idle(fgate_sim *s)
{
	return s->top->idle && s->in.size() - s->in_head < WORD;
}

} // namespace

extern "C" struct fgate_sim *fgate_sim_open(const char *trace_path)
{
	fgate_sim *s = new (std::nothrow) fgate_sim;

	if (!s) {
		fprintf(stderr, "fgate_sim: out of memory\n");
		return nullptr;
	}
	s->ctx.reset(new VerilatedContext);
	// Registers and RAMs start random (--x-initial unique): the engine
	// must not depend on power-up values.
	s->ctx->randReset(2);
	s->ctx->randSeed(1);
	if (trace_path) {
#if VM_TRACE
		if (!ends_with(trace_path, ".vcd")) {
			fprintf(stderr, "fgate_sim: trace %s: only VCD (.vcd) is built in\n", trace_path);
			delete s;
			return nullptr;
		}
		s->ctx->traceEverOn(true);
#else
		(void)ends_with;
		fprintf(stderr, "fgate_sim: trace %s: this build has no tracing\n", trace_path);
		delete s;
		return nullptr;
#endif
	}
	s->top.reset(new Vfgate_engine(s->ctx.get(), "fgate"));
#if VM_TRACE
	if (trace_path) {
		s->vcd.reset(new VerilatedVcdC);
		s->top->trace(s->vcd.get(), 99);
		s->vcd->open(trace_path);
		if (!s->vcd->isOpen()) {
			fprintf(stderr, "fgate_sim: cannot open trace %s\n", trace_path);
			fgate_sim_close(s);
			return nullptr;
		}
	}
#endif
	fgate_sim_reset(s);
	fgate_sim_run(s, OPEN_LIMIT);
	if (!idle(s)) {
		fprintf(stderr, "fgate_sim: engine not idle %u cycles after reset\n", OPEN_LIMIT);
		fgate_sim_close(s);
		return nullptr;
	}
	return s;
}

extern "C" void fgate_sim_close(struct fgate_sim *s)
{
	if (!s)
		return;
	if (s->top)
		s->top->final();
#if VM_TRACE
	if (s->vcd)
		s->vcd->close();
	s->vcd.reset();
#endif
	s->top.reset();
	delete s;
}

extern "C" void fgate_sim_reset(struct fgate_sim *s)
{
	s->in.clear();
	s->in_head = 0;
	s->out.clear();
	s->out_head = 0;
	for (unsigned i = 0; i < RESET_CYCLES; i++)
		cycle(s, true);
}

extern "C" long fgate_sim_write(struct fgate_sim *s, const uint8_t *buf, size_t len)
{
	if (!buf && len)
		return -1;
	s->in.insert(s->in.end(), buf, buf + len);
	return (long)len;
}

extern "C" long fgate_sim_read(struct fgate_sim *s, uint8_t *buf, size_t max)
{
	size_t n = s->out.size() - s->out_head;

	if (n > max)
		n = max;
	if (n)
		memcpy(buf, s->out.data() + s->out_head, n);
	s->out_head += n;
	compact(s->out, s->out_head);
	return (long)n;
}

extern "C" size_t fgate_sim_pending(const struct fgate_sim *s)
{
	return s->out.size() - s->out_head;
}

extern "C" uint64_t fgate_sim_run(struct fgate_sim *s, uint64_t max_cycles)
{
	uint64_t n = 0;

	while (n < max_cycles && !idle(s)) {
		cycle(s, false);
		n++;
	}
	return n;
}

extern "C" int fgate_sim_idle(struct fgate_sim *s)
{
	return idle(s);
}

extern "C" uint64_t fgate_sim_cycles(const struct fgate_sim *s)
{
	return s->cycles;
}

extern "C" void fgate_sim_set_stalls(struct fgate_sim *s, unsigned in_percent,
				     unsigned out_percent, uint64_t seed)
{
	s->stall_in = in_percent > 100 ? 100 : in_percent;
	s->stall_out = out_percent > 100 ? 100 : out_percent;
	s->rng = seed ? seed : 1;
}
