// fgate_sim_ft601: fgate_ft601_top verilated, its pins driven by the FT601
// cycle model, behind the plain C API of fgate_sim_ft601.h.
//
// Time runs in picoseconds: the bridge clock (ft_clk) rises every
// FT_PERIOD_PS, the engine clock (clk) every CLK_PERIOD_PS, offset by
// CLK_PHASE_PS so that no two edges coincide. At each ft_clk rising edge
// the chip model sees the FPGA's pins as they were before the edge (as
// tests/hdl/ft601's rig does), then its outputs for the new cycle are
// driven.
#include "fgate_sim_ft601.h"

#include "Vfgate_ft601_top.h"
#include "ft601_model.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_vcd_c.h"
#endif

#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <new>
#include <vector>

namespace {

enum : uint64_t {
	FT_PERIOD_PS = 10000,           // 100 MHz
	CLK_PERIOD_PS = 20000,          // 50 MHz
	CLK_PHASE_PS = 2500,
	RESET_CYCLES = 8,
	OPEN_LIMIT = 1u << 23,          // bridge cycles allowed for the SA table wipe
	// Bridge cycles with nothing moving before the device counts as quiet:
	// more than the bridge's latency either way (about 8 ft_clk + 3 clk
	// cycles) and the chip's short-packet commit delay.
	QUIET_CYCLES = 64,
	MODEL_SEED = 0x6674363031ull,
};

struct InSlot {
	std::vector<uint8_t> buf;
	size_t len = 0;
	bool done = false;
};

bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

ft601::Config chip_config()
{
	ft601::Config c;

	c.packet = FGATE_SIM_FT601_PACKET;
	c.buffers = 2;
	c.throttle = 0;
	c.usb_stall = 0;
	return c;
}

} // namespace

struct fgate_sim_ft601 {
	std::unique_ptr<VerilatedContext> ctx;
	std::unique_ptr<Vfgate_ft601_top> top;
	ft601::Ports ports;             // the chip's view of top's pins
#if VM_TRACE
	std::unique_ptr<VerilatedVcdC> vcd;
#endif
	// IN transfers posted to the chip, oldest first; declared before the
	// model so that the model (whose callbacks point at them) goes first.
	std::deque<std::unique_ptr<InSlot>> in;
	std::unique_ptr<ft601::Model> chip;
	unsigned out_pending = 0;
	uint64_t t_ft = 0, t_clk = CLK_PHASE_PS;    // next ft_clk rise, next clk edge
	bool clk_high = false;
	uint64_t ft_cycles = 0, clk_cycles = 0;
	uint64_t xfers_done = 0;        // transfers completed by the chip
	uint64_t moved = 0;             // bus words, packets, transfers at the last check
	unsigned quiet = 0;             // bridge cycles without anything moving
	bool err = false;
};

namespace {

void dump(fgate_sim_ft601 *s, uint64_t t)
{
#if VM_TRACE
	if (s->vcd)
		s->vcd->dump(t);
#else
	(void)s;
	(void)t;
#endif
}

// Engine clock edges before time limit.
void clk_until(fgate_sim_ft601 *s, uint64_t limit)
{
	while (s->t_clk < limit) {
		s->clk_high = !s->clk_high;
		s->top->clk = s->clk_high;
		s->top->eval();
		dump(s, s->t_clk);
		s->clk_cycles += s->clk_high;
		s->t_clk += CLK_PERIOD_PS / 2;
	}
}

// One bridge cycle: its rising and falling edge, engine edges in between.
void cycle(fgate_sim_ft601 *s)
{
	Vfgate_ft601_top *t = s->top.get();
	ft601::FpgaPins before = ft601::Model::sample(s->ports);

	clk_until(s, s->t_ft);
	t->ft_clk = 1;
	t->eval();
	if (!t->ft_rst)
		s->chip->edge(before);
	s->chip->drive(s->ports);
	t->eval();
	dump(s, s->t_ft);
	clk_until(s, s->t_ft + FT_PERIOD_PS / 2);
	t->ft_clk = 0;
	t->eval();
	dump(s, s->t_ft + FT_PERIOD_PS / 2);
	s->t_ft += FT_PERIOD_PS;
	s->ft_cycles++;

	const ft601::Stats &st = s->chip->stats();
	uint64_t moved = st.words_in + st.words_out + st.packets_in + st.packets_out;

	// Quiet: nothing moved for a while and either nothing is left to do
	// (the chip quiet, the engine idle) or nothing can move until the
	// caller takes a completed IN transfer (none posted to the chip).
	moved += s->xfers_done;
	if (moved != s->moved || !((s->chip->quiet() && t->idle) || !s->chip->pending_in()))
		s->quiet = 0;
	else if (s->quiet < QUIET_CYCLES)
		s->quiet++;
	s->moved = moved;
}

// The first error, as one stderr line; true when there is one.
bool check(fgate_sim_ft601 *s)
{
	const Vfgate_ft601_top *t = s->top.get();
	const ft601::Stats &st = s->chip->stats();

	if (s->err)
		return true;
	if (!t->err_order && !t->err_overflow && !t->err_partial && !s->chip->errors())
		return false;
	s->err = true;
	fprintf(stderr, "fgate_sim_ft601: device error after %llu bridge cycles:%s%s%s%s%s%s\n",
		(unsigned long long)s->ft_cycles, t->err_order ? " bridge err_order" : "",
		t->err_overflow ? " bridge err_overflow" : "", t->err_partial ? " bridge err_partial" : "",
		st.contention ? " bus contention" : "", st.rd_without_oe ? " RD_N without OE_N" : "",
		st.write_without_be ? " write without BE" : "");
	return true;
}

void post_in(fgate_sim_ft601 *s)
{
	while (s->in.size() < FGATE_SIM_FT601_IN_XFERS) {
		std::unique_ptr<InSlot> slot(new InSlot);
		InSlot *p = slot.get();

		p->buf.resize(FGATE_SIM_FT601_XFER_SIZE);
		s->chip->submit_in(p->buf.data(), p->buf.size(), [s, p](size_t n) {
			p->len = n;
			p->done = true;
			s->xfers_done++;
		});
		s->in.push_back(std::move(slot));
	}
	s->quiet = 0;
}

void reset(fgate_sim_ft601 *s)
{
	Vfgate_ft601_top *t = s->top.get();

	t->rst = 1;
	t->ft_rst = 1;
	t->ft_rxf_n = 1;
	t->ft_txe_n = 1;
	for (unsigned i = 0; i < RESET_CYCLES; i++)
		cycle(s);
	t->rst = 0;
	t->ft_rst = 0;
	t->eval();
}

} // namespace

extern "C" struct fgate_sim_ft601 *fgate_sim_ft601_open(const char *trace_path)
{
	fgate_sim_ft601 *s = new (std::nothrow) fgate_sim_ft601;

	if (!s) {
		fprintf(stderr, "fgate_sim_ft601: out of memory\n");
		return nullptr;
	}
	s->ctx.reset(new VerilatedContext);
	// Registers and RAMs start random (--x-initial unique), as in fgate_sim.
	s->ctx->randReset(2);
	s->ctx->randSeed(1);
	if (trace_path) {
#if VM_TRACE
		if (!ends_with(trace_path, ".vcd")) {
			fprintf(stderr, "fgate_sim_ft601: trace %s: only VCD (.vcd) is built in\n",
				trace_path);
			delete s;
			return nullptr;
		}
		s->ctx->traceEverOn(true);
#else
		(void)ends_with;
		fprintf(stderr, "fgate_sim_ft601: trace %s: this build has no tracing\n", trace_path);
		delete s;
		return nullptr;
#endif
	}
	s->top.reset(new Vfgate_ft601_top(s->ctx.get(), "fgate"));
	Vfgate_ft601_top *t = s->top.get();
	s->ports = ft601::Ports{ &t->ft_data_i, &t->ft_be_i, &t->ft_rxf_n, &t->ft_txe_n,
				 &t->ft_data_o, &t->ft_data_oe, &t->ft_be_o, &t->ft_be_oe,
				 &t->ft_oe_n, &t->ft_rd_n, &t->ft_wr_n };
	s->chip.reset(new ft601::Model(chip_config(), MODEL_SEED));
#if VM_TRACE
	if (trace_path) {
		s->vcd.reset(new VerilatedVcdC);
		s->top->trace(s->vcd.get(), 99);
		s->vcd->open(trace_path);
		if (!s->vcd->isOpen()) {
			fprintf(stderr, "fgate_sim_ft601: cannot open trace %s\n", trace_path);
			fgate_sim_ft601_close(s);
			return nullptr;
		}
	}
#endif
	reset(s);
	post_in(s);
	if (fgate_sim_ft601_run(s, OPEN_LIMIT) < 0) {
		fgate_sim_ft601_close(s);
		return nullptr;
	}
	if (!fgate_sim_ft601_idle(s)) {
		fprintf(stderr, "fgate_sim_ft601: device not idle %llu bridge cycles after reset\n",
			(unsigned long long)OPEN_LIMIT);
		fgate_sim_ft601_close(s);
		return nullptr;
	}
	return s;
}

extern "C" void fgate_sim_ft601_close(struct fgate_sim_ft601 *s)
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
	s->chip.reset();
	s->top.reset();
	delete s;
}

extern "C" int fgate_sim_ft601_out(struct fgate_sim_ft601 *s, const uint8_t *buf, size_t len)
{
	if ((!buf && len) || s->err)
		return -1;
	s->out_pending++;
	s->chip->submit_out(buf ? buf : (const uint8_t *)"", len, [s](size_t) {
		s->out_pending--;
		s->xfers_done++;
	});
	s->quiet = 0;
	return 0;
}

extern "C" unsigned fgate_sim_ft601_out_pending(const struct fgate_sim_ft601 *s)
{
	return s->out_pending;
}

extern "C" long fgate_sim_ft601_in(struct fgate_sim_ft601 *s, uint8_t *buf, size_t cap)
{
	if (s->err)
		return -1;
	if (s->in.empty() || !s->in.front()->done)
		return 0;

	InSlot *p = s->in.front().get();

	if (cap < p->len || (!buf && p->len)) {
		fprintf(stderr, "fgate_sim_ft601: IN transfer of %zu bytes does not fit %zu\n", p->len,
			cap);
		return -1;
	}
	if (p->len)
		memcpy(buf, p->buf.data(), p->len);
	long n = (long)p->len;
	s->in.pop_front();
	post_in(s);
	return n;
}

extern "C" int64_t fgate_sim_ft601_run(struct fgate_sim_ft601 *s, uint64_t max_cycles)
{
	uint64_t n = 0;

	if (check(s))
		return -1;
	while (n < max_cycles && !fgate_sim_ft601_idle(s)) {
		cycle(s);
		n++;
		if (check(s))
			return -1;
	}
	return (int64_t)n;
}

extern "C" int fgate_sim_ft601_idle(const struct fgate_sim_ft601 *s)
{
	return s->quiet >= QUIET_CYCLES;
}

extern "C" uint64_t fgate_sim_ft601_cycles(const struct fgate_sim_ft601 *s)
{
	return s->clk_cycles;
}

extern "C" uint64_t fgate_sim_ft601_bridge_cycles(const struct fgate_sim_ft601 *s)
{
	return s->ft_cycles;
}
