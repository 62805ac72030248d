// ft601 bench: the rig. tb_ft601 (two fgate_ft601_top, loopback and
// engine) on two clocks, each instance's pins driven by its own FT601 cycle
// model, each model's USB side driven by the host's usb_stream framing.
#ifndef FT601_RIG_H
#define FT601_RIG_H

#include <cstdint>
#include <memory>
#include <vector>

#include "Vtb_ft601.h"
#include "bench.h"
#include "../../../sim/ft601_model.h"

extern "C" {
#include "offload/usb_stream.h"
}

namespace ftb {

using Bytes = std::vector<uint8_t>;

// One instance's pins in the bench top: the chip's (driven by the model's
// own glue, ft601::Model::sample/drive) and the bridge's error flags.
struct Port {
	ft601::Ports pins;
	const CData *err_order, *err_overflow, *err_partial;
};

struct Side {
	const char *name;
	Port port;
	std::unique_ptr<ft601::Model> model;
	struct usb_stream s;
	bool stream_ok = false;
};

class Rig {
public:
	Rig(bench::Bench &b, unsigned clk_period_ps);
	~Rig();
	void reset();
	// Runs n ft_clk cycles (and the engine clock's edges in between); each
	// side's host stream is kicked every cycle.
	void run(unsigned n);
	uint64_t ft_cycles() const { return ft_cycles_; }
	// Sticky bridge errors and model protocol errors of one side, as text
	// ("" when none).
	std::string errors(const Side &s) const;

	bench::Bench &b;
	Vtb_ft601 top;
	Side lb, en;

private:
	void ft_edge();
	void clk_edge();

	unsigned ft_period_ = 10000, clk_period_;
	uint64_t t_ft_ = 0, t_clk_ = 0, ft_cycles_ = 0;
};

} // namespace ftb

#endif
