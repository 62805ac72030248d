# PCIe Screamer R02 pin and timing constraints for fgate_pcie_screamer.v
# (Vivado; read by build.tcl).
#
# Pins. Source: enjoy-digital/pcie_screamer (LambdaConcept's LiteX gateware
# for the board), platforms/pciescreamer_r02.py, commit
# 9d57a099249c32586d34946e9dddb43224c917be: device "xc7a35t-fgg484-2",
# "usb_fifo_clock" D17, "usb_fifo" (data, be, rxf_n, txe_n, rd_n, wr_n,
# oe_n, siwua, rst; IOStandard LVCMOS33, SLEW=FAST), "user_led" 0/1,
# "user_btn" 0/1, "clk100" R4 and "pcie_x1" (all LVCMOS33).
# The same FT601, LED, button and PCIe sites, bit for bit, in
# ufrisk/pcileech-fpga, pciescreamer/src/pcileech_pciescreamer.xdc, commit
# b4ba0ce18e15a1c04ff1d960a13c6bc7c8c0ed4f (ft601_data[0..31], ft601_be,
# ft601_*_n, ft601_clk D17, user_led_ld1/ld2, user_btn_sw3_n/sw4_n,
# pcie_*). FT_RESETn (K22) is only in the LiteX R02 file.
# LED polarity and the button's are not in either file as facts: the LEDs
# are taken as lit-when-high, the button as low-when-pressed (pcileech
# names it *_n and uses it as its reset). Check against the schematic.

## FT601 bus (bank voltage 3.3 V: LVCMOS33 as in both sources)
set_property -dict {PACKAGE_PIN D17 IOSTANDARD LVCMOS33} [get_ports FT_CLK]
set_property -dict {PACKAGE_PIN A16 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[0]}]
set_property -dict {PACKAGE_PIN F14 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[1]}]
set_property -dict {PACKAGE_PIN A15 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[2]}]
set_property -dict {PACKAGE_PIN F13 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[3]}]
set_property -dict {PACKAGE_PIN A14 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[4]}]
set_property -dict {PACKAGE_PIN E14 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[5]}]
set_property -dict {PACKAGE_PIN A13 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[6]}]
set_property -dict {PACKAGE_PIN E13 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[7]}]
set_property -dict {PACKAGE_PIN B13 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[8]}]
set_property -dict {PACKAGE_PIN C15 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[9]}]
set_property -dict {PACKAGE_PIN C13 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[10]}]
set_property -dict {PACKAGE_PIN C14 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[11]}]
set_property -dict {PACKAGE_PIN B16 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[12]}]
set_property -dict {PACKAGE_PIN E17 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[13]}]
set_property -dict {PACKAGE_PIN B15 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[14]}]
set_property -dict {PACKAGE_PIN F16 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[15]}]
set_property -dict {PACKAGE_PIN A20 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[16]}]
set_property -dict {PACKAGE_PIN E18 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[17]}]
set_property -dict {PACKAGE_PIN B20 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[18]}]
set_property -dict {PACKAGE_PIN F18 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[19]}]
set_property -dict {PACKAGE_PIN D19 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[20]}]
set_property -dict {PACKAGE_PIN D21 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[21]}]
set_property -dict {PACKAGE_PIN E19 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[22]}]
set_property -dict {PACKAGE_PIN E21 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[23]}]
set_property -dict {PACKAGE_PIN A21 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[24]}]
set_property -dict {PACKAGE_PIN B21 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[25]}]
set_property -dict {PACKAGE_PIN A19 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[26]}]
set_property -dict {PACKAGE_PIN A18 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[27]}]
set_property -dict {PACKAGE_PIN F20 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[28]}]
set_property -dict {PACKAGE_PIN F19 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[29]}]
set_property -dict {PACKAGE_PIN B18 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[30]}]
set_property -dict {PACKAGE_PIN B17 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_D[31]}]
set_property -dict {PACKAGE_PIN K16 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_BE[0]}]
set_property -dict {PACKAGE_PIN L16 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_BE[1]}]
set_property -dict {PACKAGE_PIN G20 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_BE[2]}]
set_property -dict {PACKAGE_PIN H20 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports {FT_BE[3]}]
set_property -dict {PACKAGE_PIN M13 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports FT_RXFn]
set_property -dict {PACKAGE_PIN L13 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports FT_TXEn]
set_property -dict {PACKAGE_PIN K19 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports FT_RDn]
set_property -dict {PACKAGE_PIN M15 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports FT_WRn]
set_property -dict {PACKAGE_PIN K18 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports FT_OEn]
set_property -dict {PACKAGE_PIN M16 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports FT_SIWUn]
set_property -dict {PACKAGE_PIN K22 IOSTANDARD LVCMOS33 SLEW FAST} [get_ports FT_RESETn]

## LEDs and button (LiteX user_led 0/1, user_btn 1; pcileech ld1/ld2, sw4_n)
set_property -dict {PACKAGE_PIN AB1 IOSTANDARD LVCMOS33} [get_ports USER_LED0]
set_property -dict {PACKAGE_PIN AB8 IOSTANDARD LVCMOS33} [get_ports USER_LED1]
set_property -dict {PACKAGE_PIN AB6 IOSTANDARD LVCMOS33} [get_ports USER_BTN1n]

## Not used yet (docs/pcie.md): 100 MHz oscillator and the PCIe x1 edge.
# clk100 R4 (LVCMOS33); user_btn 0 AA1; serial tx T1 rx U1;
# pcie_x1: rst_n AB7 (LVCMOS33), refclk F6/E6 (p/n), rx B10/A10, tx B6/A6
# (GTP transceiver pins: no IOSTANDARD; pcileech places the lane at
# GTPE2_CHANNEL_X0Y2).

## Clocks
# FT_CLK: 100 MHz from the FT601 (LiteX platform default period 10 ns,
# pcileech create_clock -period 10.000). The MMCM's outputs (ft_clk 100 MHz,
# clk 50 MHz) are derived by Vivado. They come from one source, so paths
# between them are timed as synchronous (10 ns): no exception needed, and
# the async_fifo crossings are timed too.
create_clock -name ft_clk_pin -period 10.000 [get_ports FT_CLK]

## FT601 FIFO bus timing (245 synchronous FIFO mode, 100 MHz)
# The chip launches DATA/BE/RXF_N/TXE_N on the rising edge of its CLK and
# samples DATA/BE/WR_N/RD_N/OE_N on the next rising edge. Figures: FT600Q/
# FT601Q datasheet DS_FT600Q-FT601Q (FT_001118), the FIFO bus timing table
# of its 245-mode section:
#   ft_tco_max  clock to output valid, max (chip -> FPGA)
#   ft_tco_min  clock to output change, min (output hold of the chip)
#   ft_tsu      input setup before the chip's clock edge (FPGA -> chip)
#   ft_th       input hold after the chip's clock edge
# CHECK these against the datasheet table before trusting a timing report:
# it could not be read where this file was written. 7.0 ns max is the
# figure both Lime Microsystems' FT601_timing.sdc (myriadrf/LimeSDR-Mini_GW,
# LimeSDR-Mini_lms7_trx/FT601_timing.sdc, commit a12698056c70) and
# pcileech's xdc use as maximum input delay; 1.0 ns setup is pcileech's
# maximum output delay (Lime's is 0.5). The minimum
# clock-to-output and the hold figure are pessimistic placeholders (a
# smaller tco_min and a larger th only make hold harder). Board traces are
# short and matched, taken as 0.
set ft_tco_max 7.0
set ft_tco_min 1.0
set ft_tsu     1.0
set ft_th      1.0
set ft_in  [get_ports {FT_D[*] FT_BE[*] FT_RXFn FT_TXEn}]
set ft_out [get_ports {FT_D[*] FT_BE[*] FT_WRn FT_RDn FT_OEn}]
set_input_delay  -clock ft_clk_pin -max $ft_tco_max $ft_in
set_input_delay  -clock ft_clk_pin -min $ft_tco_min $ft_in
set_output_delay -clock ft_clk_pin -max $ft_tsu $ft_out
set_output_delay -clock ft_clk_pin -min [expr {-$ft_th}] $ft_out
# ft601_fifo registers every pin in and out: pack those flip-flops into the
# I/O blocks (the single output-enable register of DATA/BE cannot be).
set_property IOB TRUE $ft_in
set_property IOB TRUE $ft_out

# Constant or human-speed pins: not timed.
set_false_path -to [get_ports {FT_SIWUn FT_RESETn USER_LED0 USER_LED1}]
set_false_path -from [get_ports USER_BTN1n]

## Configuration: quad SPI flash, as the LiteX platform file sets it
set_property BITSTREAM.CONFIG.SPI_BUSWIDTH 4 [current_design]
set_property BITSTREAM.CONFIG.CONFIGRATE 40 [current_design]
set_property BITSTREAM.GENERAL.COMPRESS TRUE [current_design]
