// ft601 bench: the rig (ft601_rig.h).
#include "ft601_rig.h"

#include <cstdio>

namespace ftb {

namespace {

int submit_out(void *ctx, unsigned slot, const uint8_t *buf, size_t len)
{
	Side *s = (Side *)ctx;

	s->model->submit_out(buf, len, [s, slot](size_t n) { usb_stream_out_done(&s->s, slot, 0, n); });
	return 0;
}

int submit_in(void *ctx, unsigned slot, uint8_t *buf, size_t cap)
{
	Side *s = (Side *)ctx;

	s->model->submit_in(buf, cap, [s, slot](size_t n) { usb_stream_in_done(&s->s, slot, 0, n); });
	return 0;
}

const struct usb_stream_ops stream_ops = { submit_out, submit_in };

#define PORT(t, p) Port{ ft601::Ports{ &t.p##_data_i, &t.p##_be_i, &t.p##_rxf_n, &t.p##_txe_n, \
	&t.p##_data_o, &t.p##_data_oe, &t.p##_be_o, &t.p##_be_oe, &t.p##_oe_n, &t.p##_rd_n, \
	&t.p##_wr_n }, &t.p##_err_order, &t.p##_err_overflow, &t.p##_err_partial }

} // namespace

Rig::Rig(bench::Bench &bench, unsigned clk_period_ps) : b(bench), clk_period_(clk_period_ps)
{
	lb.name = "loopback";
	en.name = "engine";
	lb.port = PORT(top, lb);
	en.port = PORT(top, en);
	for (Side *s : { &lb, &en }) {
		s->model.reset(new ft601::Model(ft601::Config(), b.rand64()));
		s->stream_ok = usb_stream_init(&s->s, &stream_ops, s) == 0;
	}
	reset();
}

Rig::~Rig()
{
	top.final();
	for (Side *s : { &lb, &en })
		if (s->stream_ok)
			usb_stream_free(&s->s);
}

void Rig::reset()
{
	top.rst = 1;
	top.ft_rst = 1;
	for (Side *s : { &lb, &en }) {
		*s->port.pins.rxf_n = 1;
		*s->port.pins.txe_n = 1;
	}
	for (int i = 0; i < 8; i++) {
		ft_edge();
		clk_edge();
	}
	top.rst = 0;
	top.ft_rst = 0;
	top.eval();
}

void Rig::ft_edge()
{
	ft601::FpgaPins plb = ft601::Model::sample(lb.port.pins);
	ft601::FpgaPins pen = ft601::Model::sample(en.port.pins);

	top.ft_clk = 1;
	top.eval();
	if (!top.ft_rst) {
		lb.model->edge(plb);
		en.model->edge(pen);
	}
	lb.model->drive(lb.port.pins);
	en.model->drive(en.port.pins);
	top.eval();
	top.ft_clk = 0;
	top.eval();
	t_ft_ += ft_period_;
	ft_cycles_++;
}

void Rig::clk_edge()
{
	top.clk = 1;
	top.eval();
	top.clk = 0;
	top.eval();
	t_clk_ += clk_period_;
}

void Rig::run(unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		while (t_clk_ < t_ft_)
			clk_edge();
		ft_edge();
		for (Side *s : { &lb, &en })
			usb_stream_kick(&s->s);
	}
}

std::string Rig::errors(const Side &s) const
{
	const ft601::Stats &st = s.model->stats();
	char buf[256];

	snprintf(buf, sizeof(buf), "%s%s%s%s%s%s%s", *s.port.err_order ? " err_order" : "",
		 *s.port.err_overflow ? " err_overflow" : "", *s.port.err_partial ? " err_partial" : "",
		 st.contention ? " bus_contention" : "", st.rd_without_oe ? " rd_without_oe" : "",
		 st.write_without_be ? " write_without_be" : "", s.s.err ? " stream_error" : "");
	return buf;
}

} // namespace ftb
