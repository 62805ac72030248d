# Engine configurations for `make bench` (host/tools/bench.mk includes this
# file): the device model verilated again per configuration into
# build/sim/<config>/libfgate_sim.a, and fgate-bench linked against each as
# build/bench/fgate-bench-<config>. A configuration is `lanes<N>` (N_LANES =
# N, TDES_ROUNDS = SIM_TDES_ROUNDS, the default model's rounds) or
# `lanes<N>-r<R>` (TDES_ROUNDS = R). The default model (build/sim, N_LANES
# = SIM_LANES, 1) is untouched. Nothing here is part of `make all` or `make
# test`: each variant takes minutes to verilate.
#
#   make bench-engines              every variant
#   make BENCH_LANES="1 16" bench   other lane counts (powers of two, 1..16)
#   make BENCH_FAST_LANES= bench    without the four-rounds variants
#
# BENCH_LANES: lane counts at the default rounds (2, 4, 8); BENCH_FAST_LANES
# at BENCH_FAST_ROUNDS (4 and 8 lanes at 4 rounds: the configuration that
# meets the per-cycle goals, docs/benchmarks.md).

BENCH_LANES       ?= $(filter-out $(SIM_LANES),2 4 8)
BENCH_FAST_ROUNDS ?= 4
BENCH_FAST_LANES  ?= $(if $(filter $(SIM_TDES_ROUNDS),$(BENCH_FAST_ROUNDS)),,4 8)
BENCH_DIR         := $(BUILD)/bench
BENCH_CONFIGS     := $(BENCH_LANES:%=lanes%) $(BENCH_FAST_LANES:%=lanes%-r$(BENCH_FAST_ROUNDS))

# $(1): configuration name, $(2): lane count, $(3): TDES_ROUNDS. Same flags
# and steps as $(SIM_LIB) (sim/rules.mk), with -GN_LANES, -GTDES_ROUNDS and
# its own object directory.
define SIM_ENGINE_RULES
$(SIM_DIR)/$(1)/libfgate_sim.a: $(SIM_VSRCS) sim/fgate_sim.cpp sim/fgate_sim.h sim/rules.mk sim/bench.mk $(PROTOCOL_VH) \
		$(SIM_DIR)/params.txt
	@mkdir -p $(SIM_DIR)/$(1)/obj
	$(VERILATOR) $(SIM_VFLAGS) -GN_LANES=$(2) -GTDES_ROUNDS=$(3) -Mdir $(SIM_DIR)/$(1)/obj --top-module fgate_engine \
		$(SIM_VSRCS) > $(SIM_DIR)/$(1)/build.log 2>&1 || \
		{ tail -n 40 $(SIM_DIR)/$(1)/build.log; exit 1; }
	$(MAKE) --no-print-directory -s -C $(SIM_DIR)/$(1)/obj -f Vfgate_engine.mk $(SIM_MAKEFLAGS) \
		$(SIM_RUNTIME) >> $(SIM_DIR)/$(1)/build.log 2>&1 || \
		{ tail -n 40 $(SIM_DIR)/$(1)/build.log; exit 1; }
	$(CXX) -I$(SIM_DIR)/$(1)/obj $(SIM_CXXFLAGS) -c sim/fgate_sim.cpp -o $(SIM_DIR)/$(1)/fgate_sim.o
	rm -f $$@ && printf 'create %s\naddlib %s\naddmod %s\nsave\nend\n' $$@ \
		$(SIM_DIR)/$(1)/obj/Vfgate_engine__ALL.a \
		"$(addprefix $(SIM_DIR)/$(1)/obj/,$(SIM_RUNTIME)) $(SIM_DIR)/$(1)/fgate_sim.o" | ar -M

# The default $(SIM_LIB) after the variant's library supplies only what the
# variant lacks: the sim-ft601 model (libfgate's backend table names it).
$(BENCH_DIR)/fgate-bench-$(1): $(FGATE_BENCH_SRCS) host/tools/bench.h $(LIBFGATE) $(SIM_DIR)/$(1)/libfgate_sim.a $(SIM_LIB)
	@mkdir -p $$(dir $$@)
	$(CC) $(HOST_CFLAGS) $(FGATE_BENCH_SRCS) $(LIBFGATE) -o $$@ $(BENCH_LDLIBS) \
		$(SIM_DIR)/$(1)/libfgate_sim.a $(SIM_LIB) -lcrypto $(SIM_LDLIBS)
endef

$(foreach n,$(BENCH_LANES),$(eval $(call SIM_ENGINE_RULES,lanes$(n),$(n),$(SIM_TDES_ROUNDS))))
$(foreach n,$(BENCH_FAST_LANES),$(eval $(call SIM_ENGINE_RULES,lanes$(n)-r$(BENCH_FAST_ROUNDS),$(n),$(BENCH_FAST_ROUNDS))))

BENCH_ENGINES := $(BENCH_CONFIGS:%=$(BENCH_DIR)/fgate-bench-%)

.PHONY: bench-engines
bench-engines: $(BENCH_ENGINES)
