# The device model as a C library: build/sim/libfgate_sim.a (sim/fgate_sim.h),
# fgate_engine verilated with VCD tracing built in (off unless a trace file
# is given to fgate_sim_open), for the host's sim backend and the system
# tests; and beside it (sim/fgate_sim_ft601.h) fgate_ft601_top, the bridge,
# clock crossing and engine, with the FT601 chip model at its pins, for the
# sim-ft601 backend. Include from the top Makefile after hdl/rules.mk:
#
#   include sim/rules.mk
#
# C programs link it with $(SIM_LIB) $(SIM_LDLIBS). Suite sim-lib builds and
# runs a plain C smoke test against it (tests/hdl/engine/sim_smoke.c).

SIM_DIR    := $(BUILD)/sim
SIM_LIB    := $(SIM_DIR)/libfgate_sim.a
SIM_LDLIBS := -lstdc++ -lpthread -lm
SIM_VSRCS  := hdl/rtl/top/fgate_engine.v $(sort $(wildcard hdl/rtl/esp/*.v)) $(RTL_CRYPTO)
SIM_VROOT  := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)
# -O3 and --x-assign fast for speed; registers and RAMs still start random
# (--x-initial unique, seeded in fgate_sim_open) so that a dependence on
# power-up values shows.
# The generated Makefile compiles the model with OPT_FAST / OPT_GLOBAL, -Os
# by default, which came after -CFLAGS and so won: set them. -O3 simulates
# about 30% more cycles per second than -Os (docs/benchmarks.md; perf shows
# the time spread over the model's sequential logic, nothing else);
# -march=native gained nothing measurable.
SIM_OPT      := -O3
SIM_MAKEFLAGS := OPT_FAST="$(SIM_OPT)" OPT_GLOBAL="$(SIM_OPT)"
SIM_VFLAGS := --cc --build -j 2 -Wall -O3 --trace --x-assign fast --x-initial unique \
	-I$(TOP)/$(GEN_DIR) -CFLAGS "-fPIC" -MAKEFLAGS '$(SIM_MAKEFLAGS)'
# The engine configuration simulated: one lane by default, the build the
# LimeSDR board ships (two lanes fill 81% of its LFE5U-45F and do not place
# and route), and the one that simulates at over a million cycles per
# second (docs/benchmarks.md). `make SIM_LANES=2` builds another; the benches
# hdl-engine and hdl-ft601 verilate the RTL's own default (2 lanes) and so
# keep the lanes' interplay tested. Exported for make bench's scripts.
SIM_LANES ?= 1
export SIM_LANES
# DES rounds per clock of each lane's 3DES core (fgate_engine TDES_ROUNDS).
SIM_TDES_ROUNDS ?= 2
export SIM_TDES_ROUNDS
SIM_PARAMS := -GN_LANES=$(SIM_LANES) -GTDES_ROUNDS=$(SIM_TDES_ROUNDS)
# The Verilator run-time objects the library carries (a --cc build only
# makes the model's archive).
SIM_RUNTIME := verilated.o verilated_vcd_c.o verilated_threads.o
SIM_CXXFLAGS := -std=c++17 $(SIM_OPT) -g -fPIC -Wall -Wextra -Werror -DVM_TRACE=1 -DVM_TRACE_VCD=1 \
	-I$(SIM_DIR)/obj -isystem $(SIM_VROOT)/include -isystem $(SIM_VROOT)/include/vltstd

# The engine model and the FT601 model (fgate_ft601_top: bridge, clock
# crossing and engine) are verilated into their own object directories,
# each a step of its own so that a change to the glue code or to this file
# does not verilate again (delete build/sim to force it); the library holds
# both models, the Verilator run-time objects once (from the engine's
# build: same Verilator, same flags) and the C glue.
SIM_ENGINE_A := $(SIM_DIR)/obj/Vfgate_engine__ALL.a
SIM_FT601_A  := $(SIM_DIR)/ft601_obj/Vfgate_ft601_top__ALL.a
SIM_FT601_VSRCS := hdl/rtl/top/fgate_ft601_top.v hdl/rtl/host/ft601_fifo.v hdl/rtl/host/async_fifo.v \
	$(SIM_VSRCS)
SIM_GLUE := $(SIM_DIR)/fgate_sim.o $(SIM_DIR)/fgate_sim_ft601.o $(SIM_DIR)/ft601_model.o

# The parameters as a file, rewritten only when they change: a new value
# verilates again.
.PHONY: sim-params-force
$(SIM_DIR)/params.txt: sim-params-force
	@mkdir -p $(@D)
	@echo '$(SIM_PARAMS)' | cmp -s - $@ || echo '$(SIM_PARAMS)' > $@

$(SIM_ENGINE_A): $(SIM_VSRCS) $(PROTOCOL_VH) $(SIM_DIR)/params.txt
	@mkdir -p $(SIM_DIR)/obj
	$(VERILATOR) $(SIM_VFLAGS) $(SIM_PARAMS) -Mdir $(SIM_DIR)/obj --top-module fgate_engine $(SIM_VSRCS) \
		> $(SIM_DIR)/build.log 2>&1 || { tail -n 40 $(SIM_DIR)/build.log; exit 1; }
	$(MAKE) --no-print-directory -s -C $(SIM_DIR)/obj -f Vfgate_engine.mk $(SIM_MAKEFLAGS) $(SIM_RUNTIME) \
		>> $(SIM_DIR)/build.log 2>&1 || { tail -n 40 $(SIM_DIR)/build.log; exit 1; }
	touch $@

$(SIM_FT601_A): $(SIM_FT601_VSRCS) $(PROTOCOL_VH) $(SIM_DIR)/params.txt
	@mkdir -p $(SIM_DIR)/ft601_obj
	$(VERILATOR) $(SIM_VFLAGS) $(SIM_PARAMS) -Mdir $(SIM_DIR)/ft601_obj --top-module fgate_ft601_top \
		$(SIM_FT601_VSRCS) > $(SIM_DIR)/build-ft601.log 2>&1 || \
		{ tail -n 40 $(SIM_DIR)/build-ft601.log; exit 1; }

$(SIM_DIR)/fgate_sim.o: sim/fgate_sim.cpp sim/fgate_sim.h $(SIM_ENGINE_A)
	$(CXX) $(SIM_CXXFLAGS) -c $< -o $@

$(SIM_DIR)/fgate_sim_ft601.o: sim/fgate_sim_ft601.cpp sim/fgate_sim_ft601.h sim/ft601_model.h $(SIM_FT601_A)
	$(CXX) $(SIM_CXXFLAGS) -I$(SIM_DIR)/ft601_obj -c $< -o $@

$(SIM_DIR)/ft601_model.o: sim/ft601_model.cpp sim/ft601_model.h | $(SIM_ENGINE_A)
	$(CXX) $(SIM_CXXFLAGS) -c $< -o $@

$(SIM_LIB): $(SIM_ENGINE_A) $(SIM_FT601_A) $(SIM_GLUE) sim/rules.mk
	rm -f $@ && printf 'create %s\naddlib %s\naddlib %s\naddmod %s\nsave\nend\n' $@ \
		$(SIM_ENGINE_A) $(SIM_FT601_A) \
		"$(addprefix $(SIM_DIR)/obj/,$(SIM_RUNTIME)) $(SIM_GLUE)" | ar -M

ALL_TARGETS += $(SIM_LIB)

SIM_SMOKE := $(SIM_DIR)/sim_smoke
$(SIM_SMOKE): tests/hdl/engine/sim_smoke.c $(SIM_LIB) $(PROTOCOL_H)
	$(CC) $(CFLAGS_COMMON) -I$(GEN_DIR) -Isim $< -o $@ $(SIM_LIB) $(SIM_LDLIBS)

SUITES += sim-lib
.PHONY: check-sim-lib
check-sim-lib: $(SIM_SMOKE)
	$(SIM_SMOKE) $(SIM_DIR)/smoke.vcd
