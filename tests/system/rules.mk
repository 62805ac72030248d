# System suites: the whole pipeline end to end in network namespaces (need
# root, strongSwan, iperf3, iputils-ping and tshark: see
# tests/system/tunnel.sh). Include after host/daemon/rules.mk, which
# defines $(FGATED).

SUITES += system-tunnel
.PHONY: check-system-tunnel
check-system-tunnel: $(FGATED)
	tests/system/tunnel.sh $(FGATED)

# The same tunnel with the Verilator model of the FPGA engine as the device.
SUITES += system-tunnel-sim
.PHONY: check-system-tunnel-sim
check-system-tunnel-sim: $(FGATED)
	OFFLOAD=sim tests/system/tunnel.sh $(FGATED)
