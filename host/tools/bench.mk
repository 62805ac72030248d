# fgate-bench (host/tools/fgate_bench.c, bench_run.c, bench_report.c): ESP
# throughput through the offload API. Included by the top Makefile (it takes
# every host/tools/*.mk). Also:
#   suite bench-quick   a short correctness-only run (soft and sim) in make test
#   make bench          every engine configuration (sim/bench.mk), OpenSSL
#                       speed, docs/benchmarks.md and docs/benchmarks.svg

FGATE_BENCH_SRCS := host/tools/fgate_bench.c host/tools/bench_run.c host/tools/bench_report.c
FGATE_BENCH      := $(BUILD)/bin/fgate-bench
BENCH_LDLIBS     := -ljson-c -lm

$(FGATE_BENCH): $(FGATE_BENCH_SRCS) host/tools/bench.h $(LIBFGATE)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(FGATE_BENCH_SRCS) $(LIBFGATE) -o $@ $(BENCH_LDLIBS) $(HOST_LIBS)

ALL_TARGETS += $(FGATE_BENCH)
-include $(FGATE_BENCH).d

# Correctness only: both backends, both operations, 8 SAs, a few packets of
# sizes that cross the 8-byte block and frame-word boundaries; never timed.
SUITES += bench-quick
.PHONY: check-bench-quick
check-bench-quick: $(FGATE_BENCH)
	@tests/bench/quick.sh $(FGATE_BENCH)

# The engine configurations (BENCH_CONFIGS, BENCH_ENGINES, BENCH_DIR).
include sim/bench.mk

# make bench: every configuration, OpenSSL on one core, then the figures
# into docs/benchmarks.md (between its bench markers) and the chart of the
# default build into docs/benchmarks.svg. Takes several minutes.
BENCH_DOC := docs/benchmarks.md
.PHONY: bench
bench: $(FGATE_BENCH) $(BENCH_ENGINES)
	tests/bench/run.sh $(BENCH_DIR) $(FGATE_BENCH) $(BENCH_CONFIGS)
	python3 tests/bench/report.py $(BENCH_DIR) $(BENCH_DOC)
	cp $(BENCH_DIR)/bench.svg docs/benchmarks.svg

# make bench-tunnel: iperf3 TCP through real tunnels in network namespaces
# (tests/bench/tunnel.sh: strongSwan's kernel-libipsec to itself, fgated
# soft to charon and to fgated, fgated sim to fgated sim, and the bare
# veths), then the figures into docs/benchmarks.md between its tunnel
# markers (tests/bench/tunnel_report.py). Needs root and the packages of
# make test (deps); about 8 minutes; part of neither make test nor make bench.
.PHONY: bench-tunnel
bench-tunnel: deps $(FGATED) $(BUILD)/bin/fgatectl
	tests/bench/tunnel.sh $(FGATED) $(BENCH_DIR)/tunnel
	python3 tests/bench/tunnel_report.py $(BENCH_DIR)/tunnel/tunnel.json $(BENCH_DOC)
