#include "md5_dut.h"

#include "verilated.h"

void put_bytes(uint32_t *words, size_t nwords, const uint8_t *p)
{
	// Word 0 holds the least significant bits: the last four bytes.
	for (size_t i = 0; i < nwords; i++) {
		const uint8_t *q = p + 4 * (nwords - 1 - i);
		words[i] = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
	}
}

void get_bytes(const uint32_t *words, size_t nwords, uint8_t *p)
{
	for (size_t i = 0; i < nwords; i++) {
		uint8_t *q = p + 4 * (nwords - 1 - i);
		q[0] = (uint8_t)(words[i] >> 24);
		q[1] = (uint8_t)(words[i] >> 16);
		q[2] = (uint8_t)(words[i] >> 8);
		q[3] = (uint8_t)words[i];
	}
}

static void put_random(bench::Bench &b, uint32_t *words, size_t nwords)
{
	for (size_t i = 0; i < nwords; i++)
		words[i] = b.rand32();
}

Dut::Dut(bench::Bench &b) : b_(b)
{
	ctx_.randReset(2);
	top = new Vtb_md5(&ctx_);
	top->clk = 0;
	idle_inputs();
	top->eval();
}

Dut::~Dut()
{
	top->final();
	delete top;
}

void Dut::eval_low()
{
	top->clk = 0;
	top->eval();
}

void Dut::tick()
{
	top->clk = 1;
	top->eval();
	cycle++;
}

void Dut::idle_inputs()
{
	top->core_start = 0;
	put_random(b_, top->core_h_in, 4);
	put_random(b_, top->core_block, 16);
	top->cfg_mode = b_.below(4);
	put_random(b_, top->cfg_istate, 4);
	put_random(b_, top->cfg_ostate, 4);
	top->s_axis_tdata = b_.rand64();
	top->s_axis_tkeep = (uint8_t)b_.below(256);
	top->s_axis_tvalid = 0;
	top->s_axis_tlast = b_.below(2);
	top->m_axis_tready = 1;
}

void Dut::reset()
{
	idle_inputs();
	top->rst = 1;
	for (int i = 0; i < 3; i++) {
		eval_low();
		tick();
	}
	top->rst = 0;
}

// The beats of a message: full beats, then a tlast beat with len % 8 bytes
// (or 8, or an extra empty beat when empty_last). Bytes past tkeep are random.
std::vector<Dut::Beat> Dut::beats_of(const Msg &m)
{
	std::vector<Beat> v;
	size_t len = m.data.size(), pos = 0;

	while (pos < len || v.empty() || (m.empty_last && !v.back().last)) {
		size_t k = len - pos < 8 ? len - pos : 8;
		bool last = pos + k == len && !(m.empty_last && k == 8);
		Beat bt;

		bt.data = b_.rand64();
		for (size_t i = 0; i < k; i++) {
			bt.data &= ~(0xffull << (56 - 8 * i));
			bt.data |= (uint64_t)m.data[pos + i] << (56 - 8 * i);
		}
		bt.keep = (uint8_t)(0xff00u >> k);
		bt.last = last;
		v.push_back(bt);
		pos += k;
		if (last)
			break;
	}
	return v;
}

void Dut::drive_beat(const Msg &m, const Beat &bt, bool first)
{
	idle_inputs();
	top->s_axis_tvalid = 1;
	top->s_axis_tdata = bt.data;
	top->s_axis_tlast = bt.last;
	// tkeep only matters on the last beat: anything elsewhere.
	top->s_axis_tkeep = bt.last ? bt.keep : (uint8_t)b_.below(256);
	if (first) {
		top->cfg_mode = m.mode;
		put_bytes(top->cfg_istate, 4, m.istate.data());
		put_bytes(top->cfg_ostate, 4, m.ostate.data());
	}
}

bool Dut::stream(const std::vector<Msg> &msgs, Stalls s, std::vector<Outcome> &res,
		 std::string &err, uint64_t max_cycles)
{
	std::vector<std::vector<Beat>> beats;
	uint64_t budget = 2000;
	size_t mi = 0, bi = 0, done = 0;
	bool presenting = false, seen = false;

	for (const Msg &m : msgs) {
		beats.push_back(beats_of(m));
		budget += (m.data.size() / 64 + 3) * 130 * (1 + s.idle / 20 + s.stall / 20);
	}
	if (max_cycles)
		budget = max_cycles;
	res.assign(msgs.size(), Outcome());
	for (uint64_t end = cycle + budget; done < msgs.size(); tick()) {
		if (cycle > end) {
			err = "timeout after " + std::to_string(budget) + " cycles, " +
			      std::to_string(done) + " of " + std::to_string(msgs.size()) + " results";
			return false;
		}
		if (!presenting && mi < msgs.size() && !b_.chance(s.idle))
			presenting = true;
		if (presenting)
			drive_beat(msgs[mi], beats[mi][bi], bi == 0);
		else
			idle_inputs();
		top->m_axis_tready = !b_.chance(s.stall);
		eval_low();
		if (top->m_axis_tvalid) {
			if (!seen)
				res[done].result = cycle;
			seen = true;
			if (top->m_axis_tready) {
				res[done].out.resize(16);
				get_bytes(top->m_axis_tdata, 4, res[done].out.data());
				done++;
				seen = false;
			}
		}
		if (presenting && top->s_axis_tready) {
			if (bi == 0)
				res[mi].first_beat = cycle;
			if (++bi == beats[mi].size()) {
				mi++;
				bi = 0;
			}
			presenting = false;
		}
	}
	// Nothing more may come out.
	for (int i = 0; i < 300; i++, tick()) {
		idle_inputs();
		eval_low();
		if (top->m_axis_tvalid) {
			err = "a result with no message left";
			return false;
		}
	}
	return true;
}

bool Dut::core_chain(const uint8_t h_in[16], const uint8_t *blocks, size_t n, bool back_to_back,
		     bool poke, uint8_t h_out[16], unsigned *latency)
{
	uint8_t h[16];
	uint64_t t_start = 0;
	size_t started = 0, finished = 0;

	memcpy(h, h_in, 16);
	*latency = 0;
	for (uint64_t end = cycle + 200 * (n + 1); finished < n; tick()) {
		if (cycle > end)
			return false;
		idle_inputs();
		eval_low();
		if (top->core_valid && finished < started) {
			get_bytes(top->core_h_out, 4, h);
			if (finished++ == 0)
				*latency = (unsigned)(cycle - t_start);
		}
		bool go = started < n && started == finished && top->core_ready &&
			  (back_to_back || !b_.chance(30));
		if (go) {
			top->core_start = 1;
			put_bytes(top->core_h_in, 4, h);
			put_bytes(top->core_block, 16, blocks + 64 * started);
			if (started++ == 0)
				t_start = cycle;
		} else if (poke && !top->core_ready) {
			top->core_start = 1;
		}
		top->eval();
	}
	memcpy(h_out, h, 16);
	return true;
}
