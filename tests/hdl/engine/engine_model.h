// engine bench: frames of docs/protocol.md, the device driver over the
// fgate_sim library, and an OpenSSL reference of the ESP/AH transforms,
// the replay window and the per-SA counters.
#ifndef FGATE_ENGINE_MODEL_H
#define FGATE_ENGINE_MODEL_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "fgate_protocol.h"

struct fgate_sim;

namespace eng {

typedef std::vector<uint8_t> Bytes;

enum {
	HDR = FGP_HDR_BYTES,
	IV_LEN = 8,
	ICV_LEN = FGP_ICV_BYTES,
	RUN_LIMIT = 50000000,   // cycles without the engine going idle: a hang
};

struct Frame {
	uint8_t type = 0, status = 0;
	uint16_t sa = 0;
	uint32_t tag = 0, aux = 0;
	Bytes payload;
	uint16_t length = 0;    // as sent/received (may differ from payload)
	uint64_t cycle = 0;     // results: cycle the last word came out
};

// Whole frame: header with length = payload size (or f.length when
// force_length), payload, zero padding.
Bytes frame_bytes(const Frame &f, bool force_length = false);
std::string describe(const Frame &f);
bool same(const Frame &a, const Frame &b);

// An SA as SA_LOAD carries it.
struct Sa {
	uint16_t slot = 0;
	uint8_t flags = 0, cipher = FGP_CIPHER_TDES_CBC, auth = FGP_AUTH_HMAC_SHA1;
	uint32_t spi = 0, seq = 1;
	uint16_t window = 0;
	uint8_t ckey[24] = {}, akey[20] = {};
	uint8_t rsv[4] = {};   // RESERVED, RESERVED2 (2), RESERVED3 bytes

	bool inbound() const { return flags & FGP_SAFLAG_INBOUND; }
	bool ah() const { return flags & FGP_SAFLAG_AH; }
	Bytes layout() const;
	std::string name() const;
};

// Reference state of one loaded SA: sequence, window, counters.
struct SaState {
	Sa sa;
	uint64_t next_seq = 1;
	uint32_t top = 0;
	uint64_t bitmap = 0;
	uint64_t packets = 0, bytes = 0;
	uint32_t auth_fail = 0, replay = 0, bad_pad = 0, other_err = 0;

	explicit SaState(const Sa &s) : sa(s), next_seq(s.seq) {}
	Bytes counters() const;  // CNT layout
};

// OpenSSL pieces.
bool crypto_init();
Bytes hmac96(const Sa &sa, const Bytes &msg);
Bytes cbc(const Sa &sa, bool encrypt, const uint8_t *iv, const Bytes &in);

// ESP / AH packets as a peer would build them (used for DECAP requests).
// in = IV | data (no IV for NULL); ip = IPv4 header | data.
Bytes esp_packet(const Sa &sa, uint32_t seq, const Bytes &in, uint8_t nh);
Bytes ah_packet(const Sa &sa, uint32_t seq, const Bytes &ip, uint8_t nh);

// The result the device must give for an ENCAP or DECAP request on an SA
// in table state st (nullptr: empty slot); updates st like the device.
Frame expect_packet(SaState *st, const Frame &req);

// A minimal IPv4 header of ihl words (options zero) and total length.
Bytes ipv4(unsigned ihl, size_t total, uint8_t proto);

// The device through fgate_sim: frames in, result frames out.
class Dev {
public:
	Dev();
	~Dev();
	bool ok() const { return sim_ != nullptr; }
	void send(const Frame &f, bool force_length = false);
	void send_raw(const Bytes &b);
	// Runs until idle (at most limit cycles) and returns every result frame
	// produced so far. Sets error on a framing error or a hang.
	std::vector<Frame> collect(uint64_t limit = RUN_LIMIT);
	// Runs one cycle at a time until n results are in, recording the cycle
	// each frame completes.
	std::vector<Frame> collect_timed(size_t n, uint64_t limit = RUN_LIMIT);
	// One request, one result (control frames).
	Frame call(const Frame &f);
	void stalls(unsigned in_pct, unsigned out_pct, uint64_t seed);
	// rst pulse (fgate_sim_reset): queues and unread results dropped.
	void hw_reset();
	// Runs at most n cycles (less when idle first).
	void run(uint64_t n);
	uint64_t cycles() const;
	std::string error;

private:
	void drain();
	bool parse(std::vector<Frame> &out);
	struct fgate_sim *sim_;
	Bytes rx_;
	size_t rx_head_ = 0;
};

// Parses whole result frames from a byte stream from *head on; checks
// MAGIC, VERSION and zero padding. Returns false (and err) on a bad frame.
bool parse_frames(const Bytes &stream, size_t *head, std::vector<Frame> &out, std::string &err);

} // namespace eng

#endif
