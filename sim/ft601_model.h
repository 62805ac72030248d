// ft601_model: a cycle model of the FTDI FT601 USB 3 bridge at its pins, in
// 245 synchronous FIFO mode with one channel, for Verilator benches of the
// bridge RTL (hdl/rtl/host/ft601_fifo.v).
//
// USB side: bulk OUT transfers are cut into packets of Config::packet bytes
// (512 at high speed, 1024 at SuperSpeed) that move, one per free buffer,
// into the chip's Config::buffers receive buffers; bulk IN transfers fill
// from the chip's transmit buffers, each committed as one packet when full
// or, short, after Config::commit_idle cycles without a write. An IN
// transfer completes on a short packet or when full, as on USB.
//
// Pin side, one call to edge() per rising edge of CLK with the FPGA's
// outputs as they were before the edge (the chip's own outputs before the
// edge are pins()):
//   read:  the chip drives DATA/BE while OE_N is low (bus_data()); a word
//          moves at an edge with OE_N, RD_N and RXF_N low. RXF_N is low
//          while the head receive buffer has data; it goes high after the
//          last word of a packet for a random 0..rx_gap_max cycles. BE on
//          the last word of a packet marks its valid bytes (BE[0] <->
//          DATA[7:0], the byte sent first on USB).
//   write: a word moves at an edge with WR_N and TXE_N low (its bytes per
//          BE); with TXE_N high it is ignored (counted). TXE_N is high
//          while no transmit buffer has room, or at random (throttle
//          percent of cycles), and then stays high at least txe_min_high
//          cycles.
// Checked and counted as errors: both sides driving DATA in one cycle or in
// the cycle after OE_N rose (no turnaround), RD_N low without OE_N low the
// cycle before, a write without BE driven.
#ifndef FGATE_SIM_FT601_MODEL_H
#define FGATE_SIM_FT601_MODEL_H

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

namespace ft601 {

struct FpgaPins {
	uint32_t data = 0;
	bool data_oe = false;
	uint8_t be = 0;
	bool be_oe = false;
	bool oe_n = true, rd_n = true, wr_n = true;
};

struct Config {
	unsigned packet = 512;          // USB max packet size
	unsigned buffers = 2;           // chip buffers per direction
	unsigned rx_gap_max = 3;        // RXF_N high after a packet: 0..max cycles
	unsigned txe_min_high = 2;      // TXE_N stays high at least this long
	unsigned commit_idle = 8;       // short IN packet after this many idle cycles
	unsigned usb_stall = 0;         // percent of cycles the USB side is busy
	unsigned throttle = 0;          // percent of cycles TXE_N is raised at random
};

struct Stats {
	uint64_t words_in = 0, words_out = 0;   // bus words to / from the FPGA
	uint64_t writes_ignored = 0;            // WR_N low with TXE_N high
	uint64_t packets_in = 0, packets_out = 0, short_packets_out = 0;
	uint64_t contention = 0, rd_without_oe = 0, write_without_be = 0;
};

// One bridge instance's FPGA-side pins in a verilated model, as pointers
// into it (IData and CData are uint32_t and uint8_t), so that the glue
// below serves any top: the simulator library's fgate_ft601_top
// (sim/fgate_sim_ft601.cpp) and the benches' tb_ft601 (two instances).
struct Ports {
	uint32_t *data_i;
	uint8_t *be_i, *rxf_n, *txe_n;
	const uint32_t *data_o;
	const uint8_t *data_oe, *be_o, *be_oe, *oe_n, *rd_n, *wr_n;
};

using Done = std::function<void(size_t actual)>;

class Model {
public:
	Model(const Config &cfg, uint64_t seed);

	// The FPGA's outputs as they are now (sample before a rising edge and
	// pass to edge()), and the chip's outputs for the cycle driven onto
	// the FPGA's inputs (after edge(), and whenever the FPGA's outputs
	// changed: DATA depends on OE_N).
	static FpgaPins sample(const Ports &p);
	void drive(const Ports &p);

	// USB side.
	void submit_out(const uint8_t *buf, size_t len, Done done);
	void submit_in(uint8_t *buf, size_t cap, Done done);
	size_t pending_out() const { return out_.size(); }
	size_t pending_in() const { return in_.size(); }

	// Pin side. pins() are the chip's flag outputs for the current cycle.
	bool rxf_n() const { return rxf_n_; }
	bool txe_n() const { return txe_n_; }
	// DATA and BE as the FPGA sees them this cycle, given what it drives.
	void bus_data(const FpgaPins &now, uint32_t &data, uint8_t &be);
	void edge(const FpgaPins &p);

	Config &config() { return cfg_; }
	const Stats &stats() const { return st_; }
	uint64_t errors() const { return st_.contention + st_.rd_without_oe + st_.write_without_be; }
	// Nothing buffered in the chip in either direction.
	bool empty() const { return rx_.empty() && tx_done_.empty() && fill_.empty(); }
	// Nothing the chip could still do on its own: no OUT transfer or
	// receive buffer waiting, no transmit buffer being filled, and no
	// committed packet unless there is no IN transfer to take it.
	bool quiet() const
	{
		return out_.empty() && rx_.empty() && fill_.empty() && (tx_done_.empty() || in_.empty());
	}

private:
	struct OutXfer { std::vector<uint8_t> data; size_t off; Done done; };
	struct InXfer { uint8_t *buf; size_t cap, len; Done done; };

	uint64_t rnd();
	bool chance(unsigned pct) { return pct && rnd() % 100 < pct; }
	void usb_step();
	void read_edge(const FpgaPins &p);
	void write_edge(const FpgaPins &p);
	void commit();
	void update_flags();

	Config cfg_;
	uint64_t rng_;
	Stats st_;
	std::deque<OutXfer> out_;
	std::deque<InXfer> in_;
	std::deque<std::vector<uint8_t>> rx_;   // receive buffers, one packet each
	size_t rx_off_ = 0;                     // read offset in rx_.front()
	unsigned rx_gap_ = 0;
	std::deque<std::vector<uint8_t>> tx_done_;  // committed transmit packets
	std::vector<uint8_t> fill_;             // transmit buffer being written
	unsigned idle_ = 0, txe_high_ = 0, throttle_left_ = 0;
	bool rxf_n_ = true, txe_n_ = true;
	bool prev_oe_n_ = true;
};

} // namespace ft601

#endif
