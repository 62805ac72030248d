# Bad command lines, configurations and missing devices: one clear line and
# a defined exit status from each tool (tests/system/cli.sh). No root needed.

SUITES += system-cli
.PHONY: check-system-cli
check-system-cli: $(FGATED) $(FGATE_PCAP)
	tests/system/cli.sh $(BUILD)/bin
