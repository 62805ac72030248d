// Drives tb_md5 (a bare md5_core next to an hmac_md5) cycle by cycle: the
// core through start/ready/valid, the wrapper through its two AXI streams
// with random idle cycles and backpressure.
#ifndef FGATE_MD5_DUT_H
#define FGATE_MD5_DUT_H

#include "Vtb_md5.h"
#include "bench.h"

#include <cstdint>
#include <string>
#include <vector>

typedef std::vector<uint8_t> Bytes;

enum { MODE_MD5 = 0, MODE_HMAC = 1, MODE_RAW = 2, MODE_RESERVED = 3 };

// One message for hmac_md5 and what it must produce.
struct Msg {
	unsigned mode = MODE_MD5;
	Bytes istate = Bytes(16), ostate = Bytes(16);  // digest byte order
	Bytes data;
	bool empty_last = false;  // len % 8 == 0: end with an extra tkeep = 0 beat
	Bytes expect;             // 16 bytes
	std::string what;         // printed on failure
};

// Percent of cycles with s_axis_tvalid held low / m_axis_tready low.
struct Stalls {
	unsigned idle, stall;
};

struct Outcome {
	Bytes out;
	uint64_t first_beat = 0;  // cycle the message's first beat was taken
	uint64_t result = 0;      // first cycle its result showed m_axis_tvalid
};

class Dut {
public:
	explicit Dut(bench::Bench &b);
	~Dut();
	Dut(const Dut &) = delete;
	Dut &operator=(const Dut &) = delete;

	void reset();
	// One rising edge; inputs must have been set and evaluated.
	void tick();
	// Sets inputs to random values with every valid/start low.
	void idle_inputs();

	// Streams msgs back to back into hmac_md5. Returns false (with a message
	// in err) on a timeout (after max_cycles, or a budget from the lengths
	// when 0) or a result with no message; res gets one Outcome per message,
	// in order.
	bool stream(const std::vector<Msg> &msgs, Stalls s, std::vector<Outcome> &res,
		    std::string &err, uint64_t max_cycles = 0);
	// Runs n blocks through the bare md5_core, chaining h_out to h_in.
	// back_to_back: start each block in the cycle valid shows; poke: hold
	// start high with random h_in/block while busy (must be ignored).
	// latency: cycles from the first start to its valid.
	bool core_chain(const uint8_t h_in[16], const uint8_t *blocks, size_t n, bool back_to_back,
			bool poke, uint8_t h_out[16], unsigned *latency);

	uint64_t cycle = 0;
	Vtb_md5 *top;

private:
	struct Beat {
		uint64_t data;
		uint8_t keep;
		bool last;
	};
	std::vector<Beat> beats_of(const Msg &m);
	void drive_beat(const Msg &m, const Beat &bt, bool first);
	void eval_low();

	bench::Bench &b_;
	VerilatedContext ctx_;
};

// Big-endian packing of byte strings into Verilator wide ports.
void put_bytes(uint32_t *words, size_t nwords, const uint8_t *p);
void get_bytes(const uint32_t *words, size_t nwords, uint8_t *p);

#endif
