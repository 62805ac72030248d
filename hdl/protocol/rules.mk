# The protocol's single source, hdl/protocol/protocol.def, generates the C
# header and Verilog include under build/gen, and the tables of
# docs/protocol.md (`make protocol-doc`; suite protocol-doc checks them).

GEN_DIR      := $(BUILD)/gen
PROTOCOL_DEF := hdl/protocol/protocol.def
PROTOCOL_GEN := hdl/protocol/gen_protocol.py
PROTOCOL_H   := $(GEN_DIR)/fgate_protocol.h
PROTOCOL_VH  := $(GEN_DIR)/fgate_protocol.vh

$(PROTOCOL_H) $(PROTOCOL_VH) &: $(PROTOCOL_DEF) $(PROTOCOL_GEN)
	@mkdir -p $(GEN_DIR)
	python3 $(PROTOCOL_GEN) $(PROTOCOL_DEF) --c $(PROTOCOL_H) --v $(PROTOCOL_VH)

ALL_TARGETS += $(PROTOCOL_H) $(PROTOCOL_VH)

.PHONY: protocol-doc check-protocol-doc
protocol-doc:
	python3 $(PROTOCOL_GEN) $(PROTOCOL_DEF) --doc docs/protocol.md

SUITES += protocol-doc
check-protocol-doc:
	@python3 $(PROTOCOL_GEN) $(PROTOCOL_DEF) --doc docs/protocol.md --check-doc
