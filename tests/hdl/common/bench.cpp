#include "bench.h"

#include <cerrno>
#include <sys/stat.h>

namespace bench {

std::string hex(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	std::string s;

	s.reserve(2 * n);
	for (size_t i = 0; i < n; i++) {
		s += digits[p[i] >> 4];
		s += digits[p[i] & 15];
	}
	return s;
}

std::string hex(const std::vector<uint8_t> &v)
{
	return hex(v.data(), v.size());
}

static unsigned long parse_num(const char *opt, const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *s == '\0' || *end != '\0') {
		fprintf(stderr, "bad value for %s: '%s'\n", opt, s);
		exit(2);
	}
	return v;
}

Bench::Bench(const char *name, int argc, char **argv, unsigned default_count)
	: count(default_count), vectors_dir("tests/vectors"), seed(0x6667617465ull), name_(name)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (i + 1 < argc && !strcmp(a, "--seed"))
			seed = parse_num(a, argv[++i]);
		else if (i + 1 < argc && !strcmp(a, "--count"))
			count = (unsigned)parse_num(a, argv[++i]);
		else if (i + 1 < argc && !strcmp(a, "--vectors"))
			vectors_dir = argv[++i];
		else if (i + 1 < argc && !strcmp(a, "--name"))
			name_ = argv[++i];
		else {
			fprintf(stderr, "usage: %s [--seed N] [--count N] [--vectors DIR] [--name NAME]\n",
				argv[0]);
			exit(2);
		}
	}
	state_ = seed ? seed : 1;
	// Figures are rewritten by every run.
	std::string report_path = report_dir() + "/" + name_ + ".txt";
	remove(report_path.c_str());
	printf("%s: seed %llu, %u random cases per test\n", name_,
	       (unsigned long long)seed, count);
}

uint64_t Bench::rand64()
{
	state_ ^= state_ >> 12;
	state_ ^= state_ << 25;
	state_ ^= state_ >> 27;
	return state_ * 0x2545F4914F6CDD1Dull;
}

void Bench::fill(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rand64();
}

std::vector<uint8_t> Bench::bytes(size_t n)
{
	std::vector<uint8_t> v(n);
	fill(v.data(), n);
	return v;
}

bool Bench::check(bool ok, const char *fmt, ...)
{
	if (ok) {
		passed_++;
		return true;
	}
	failed_++;
	if (failed_ <= 20) {
		va_list ap;
		printf("FAIL: ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	} else if (failed_ == 21) {
		printf("(further failures not printed)\n");
	}
	return false;
}

std::string Bench::report_dir()
{
	const char *dir = getenv("FGATE_REPORT_DIR");

	return dir ? dir : "build/reports";
}

void Bench::report(const char *key, double value)
{
	std::string dir = report_dir(), path;
	FILE *f;

	mkdir(dir.c_str(), 0777);
	path = dir + "/" + name_ + ".txt";
	f = fopen(path.c_str(), "a");
	if (!f) {
		fprintf(stderr, "%s: cannot write %s\n", name_, path.c_str());
		return;
	}
	fprintf(f, "%s=%g\n", key, value);
	fclose(f);
	printf("%s: %s = %g\n", name_, key, value);
}

int Bench::finish()
{
	printf("%s: %u passed, %u failed\n", name_, passed_, failed_);
	return failed_ ? 1 : 0;
}

} // namespace bench
