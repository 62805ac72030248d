# LambdaConcept PCIe Screamer R02: Artix-7 XC7A35T-2FGG484 with an FT601
# and a PCIe x1 edge (docs/board.md). Read by board/rules.mk.
# Flow xilinx (board/build_xilinx.py): yosys synth_xilinx here for resource
# counts; place, route and bitstream need Vivado (build.tcl).
BOARDS += pcie-screamer
pcie-screamer_FLOW   := xilinx
pcie-screamer_TOP    := fgate_pcie_screamer
pcie-screamer_PART   := xc7a35tfgg484-2
pcie-screamer_TCL    := board/pcie-screamer/build.tcl
# LOOPBACK=1: the USB loopback instead of the engine (bring-up).
# LANES=1: one engine lane (two fill the LUTs by yosys's count).
# TDES_ROUNDS=R: DES rounds per clock of the 3DES cores (default 2).
pcie-screamer_PARAMS := LOOPBACK=$(if $(LOOPBACK),$(LOOPBACK),0) N_LANES=$(if $(LANES),$(LANES),2) \
	TDES_ROUNDS=$(if $(TDES_ROUNDS),$(TDES_ROUNDS),2)
# The file list is shared with build.tcl (sources.txt).
pcie-screamer_VSRCS  := $(foreach p,$(shell sed -e '/^\#/d' board/pcie-screamer/sources.txt),$(sort $(wildcard $(p))))
