# Bad command lines, configurations and missing devices: one clear line and
# a defined exit status from each tool, and fgated as a daemon
# (tests/system/cli.sh; root).

SUITES += system-cli
.PHONY: check-system-cli
check-system-cli: $(FGATED) $(FGATE_PCAP) $(BUILD)/bin/fgatectl
	tests/system/cli.sh $(BUILD)/bin
