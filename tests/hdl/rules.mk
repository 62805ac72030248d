# Verilator benches: one directory per core under tests/hdl/<bench>/, each
# with a bench.mk that declares
#
#   HDL_BENCHES      += <bench>
#   <bench>_TOP      := module Verilator builds (an RTL core or a tb_*.v wrapper)
#   <bench>_VSRCS    := Verilog files (RTL and any tb_*.v)
#   <bench>_CSRCS    := C++ harness files
#   <bench>_ARGS     := arguments for the run in `make test` (optional)
#   <bench>_PARAMS   := Verilator -G overrides of the top's parameters, so one
#                       wrapper serves several builds (optional)
#
# Each bench becomes build/hdl/<bench>/V<top> and the suite hdl-<bench>,
# run alone with `make check-hdl-<bench>`.

HDL_BENCHES :=
BENCH_COMMON := tests/hdl/common/bench.cpp tests/common/vectors.c
BENCH_HEADERS := tests/hdl/common/bench.h tests/common/vectors.h
VERILATOR_BENCH_FLAGS := --cc --exe --build -Wall -j 2 --x-assign unique --x-initial unique -I$(TOP)/$(GEN_DIR) \
	-CFLAGS "-O2 -I$(TOP)/tests/hdl/common -I$(TOP)/tests/common -I$(TOP)/$(GEN_DIR) -I$(TOP)/host" -LDFLAGS -lcrypto

include $(wildcard tests/hdl/*/bench.mk)

define hdl_bench_rules
$(BUILD)/hdl/$(1)/V$$($(1)_TOP): $$($(1)_VSRCS) $$($(1)_CSRCS) $(BENCH_COMMON) $(BENCH_HEADERS) tests/hdl/rules.mk $(PROTOCOL_VH)
	@mkdir -p $(BUILD)/hdl/$(1)
	$(VERILATOR) $(VERILATOR_BENCH_FLAGS) $$($(1)_PARAMS) -Mdir $(BUILD)/hdl/$(1) --top-module $$($(1)_TOP) \
		$$($(1)_VSRCS) $$(abspath $$($(1)_CSRCS) $(BENCH_COMMON)) > $(BUILD)/hdl/$(1)/build.log 2>&1 \
		|| { tail -n 40 $(BUILD)/hdl/$(1)/build.log; exit 1; }

ALL_TARGETS += $(BUILD)/hdl/$(1)/V$$($(1)_TOP)
SUITES += hdl-$(1)
.PHONY: check-hdl-$(1)
check-hdl-$(1): $(BUILD)/hdl/$(1)/V$$($(1)_TOP)
	$(BUILD)/hdl/$(1)/V$$($(1)_TOP) $$($(1)_ARGS)
endef

$(foreach b,$(HDL_BENCHES),$(eval $(call hdl_bench_rules,$(b))))

# Every known-answer file, with one bit flipped, must fail both the OpenSSL
# unit test and the RTL bench that read it.
SUITES += vectors-mutation
.PHONY: check-vectors-mutation
check-vectors-mutation: $(BUILD)/unit/crypto_vectors $(foreach b,$(HDL_BENCHES),$(BUILD)/hdl/$(b)/V$($(b)_TOP))
	FGATE_REPORT_DIR=$(BUILD)/mutation-reports tests/scripts/mutate-vectors.sh $(BUILD)/unit/crypto_vectors $(BUILD)/hdl
