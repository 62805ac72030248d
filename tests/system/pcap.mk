# fgate-pcap end to end: tshark and scapy check what it writes, and scapy's
# packets decrypt through it (tests/system/pcap.sh). Run as root is not
# needed; tshark and python3-scapy come from install-deps.

SUITES += system-pcap
.PHONY: check-system-pcap
check-system-pcap: $(FGATE_PCAP)
	tests/system/pcap.sh soft $(FGATE_PCAP)
