// Shared by the Verilator benches in tests/hdl: seeded random numbers,
// pass/fail bookkeeping with the failing vector printed, the closing
// "N passed, N failed" line, and figures (cycles per block) written to
// build/reports/<bench>.txt for docs/hdl.md.
//
// Every bench takes: --seed N (default: fixed, printed), --count N (random
// cases per differential test), --vectors DIR (default tests/vectors; the
// mutation suite points it at copies with one bit flipped). Waveforms come
// from the device library in sim/, not from these benches.
#ifndef FGATE_BENCH_H
#define FGATE_BENCH_H

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace bench {

std::string hex(const uint8_t *p, size_t n);
std::string hex(const std::vector<uint8_t> &v);

class Bench {
public:
	Bench(const char *name, int argc, char **argv, unsigned default_count);

	// Random numbers (xorshift64*, seeded from --seed).
	uint64_t rand64();
	uint32_t rand32() { return (uint32_t)(rand64() >> 32); }
	unsigned below(unsigned n) { return n ? (unsigned)(rand64() % n) : 0; }
	bool chance(unsigned percent) { return below(100) < percent; }
	void fill(uint8_t *p, size_t n);
	std::vector<uint8_t> bytes(size_t n);

	// Record one test case. On failure the printf-style description
	// (the vector: keys, inputs, expected and actual) is printed.
	bool check(bool ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

	// A figure for the report file, e.g. report("cycles_per_block", 17).
	void report(const char *key, double value);

	// Prints "<name>: N passed, N failed" and returns the exit status.
	int finish();

	// The name in the log lines and of the report file: the constructor's,
	// or --name NAME (a build of the same harness with other parameters).
	const char *name() const { return name_; }

	// Path of a known-answer file: <vectors dir>/<file>.
	std::string vector_path(const char *file) const { return vectors_dir + "/" + file; }

	unsigned count;          // random cases per differential test
	std::string vectors_dir; // --vectors DIR
	uint64_t seed;

private:
	static std::string report_dir();
	const char *name_;
	uint64_t state_;
	unsigned passed_ = 0, failed_ = 0;
};

} // namespace bench

#endif
