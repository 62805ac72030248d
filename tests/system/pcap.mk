# fgate-pcap end to end: tshark and scapy check what it writes, and scapy's
# packets decrypt through it (tests/system/pcap.sh). Run as root is not
# needed; tshark and python3-scapy come from install-deps.

SUITES += system-pcap
.PHONY: check-system-pcap
check-system-pcap: $(FGATE_PCAP)
	tests/system/pcap.sh soft $(FGATE_PCAP)

# The same checks with the Verilator model of the engine behind fgate-pcap:
# tshark decrypts sim-produced ESP, scapy's packets decrypt through the sim.
SUITES += system-pcap-sim
.PHONY: check-system-pcap-sim
check-system-pcap-sim: $(FGATE_PCAP)
	tests/system/pcap.sh sim $(FGATE_PCAP)
