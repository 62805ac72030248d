# RTL sources and the Verilator lint suite.
#
# Every .v under hdl/rtl is linted with -Wall as its own top, with every RTL
# directory on the library path. One module per file, named like the file.

RTL_DIRS  := $(sort $(dir $(wildcard hdl/rtl/*/*.v)))
RTL_FILES := $(sort $(wildcard hdl/rtl/*/*.v))
RTL_CRYPTO := $(sort $(wildcard hdl/rtl/crypto/*.v))

include hdl/protocol/rules.mk

SUITES += lint-rtl
.PHONY: check-lint-rtl
check-lint-rtl: $(PROTOCOL_VH)
	@pass=0; fail=0; \
	for f in $(RTL_FILES); do \
	  top=$$(basename $$f .v); \
	  if out=$$($(VERILATOR) --lint-only -Wall -I$(GEN_DIR) $(addprefix -y ,$(RTL_DIRS)) --top-module $$top $$f 2>&1); then \
	    pass=$$((pass+1)); \
	  else \
	    fail=$$((fail+1)); echo "FAIL: lint $$f"; echo "$$out" | head -n 20; \
	  fi; \
	done; \
	echo "lint-rtl: $$pass passed, $$fail failed"; [ $$fail -eq 0 ]

include $(wildcard hdl/synth/rules.mk)
