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

# The same checks with the engine behind the simulated FT601 USB bridge
# (the board's bridge RTL at the pins of the chip's cycle model, the usb
# transport's framing): 1024-byte USB packets under every size of packet.
# With the sim suite's "same bytes as the soft backend" checks, soft, sim
# and sim-ft601 write identical bytes.
SUITES += system-pcap-sim-ft601
.PHONY: check-system-pcap-sim-ft601
check-system-pcap-sim-ft601: $(FGATE_PCAP)
	tests/system/pcap.sh sim-ft601 $(FGATE_PCAP)
