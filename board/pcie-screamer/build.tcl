# Vivado batch build of the PCIe Screamer R02 board (non-project flow):
#
#   make build/gen/fgate_protocol.vh     # the generated protocol include
#   vivado -mode batch -source board/pcie-screamer/build.tcl -tclargs OUTDIR [LOOPBACK [N_LANES]]
#
# Run from anywhere; paths are taken from the repository root (two levels
# above this script). OUTDIR gets the reports (utilization.rpt,
# timing_summary.rpt, io.rpt, clocks.rpt), the routed checkpoint and
# pcie-screamer.bit / .bin (quad SPI flash image, 16 MiB part as in the
# LiteX platform file). LOOPBACK=1 builds the USB loopback (bring-up).
# The Verilog file list is board/pcie-screamer/sources.txt, the one the
# yosys flow (make board BOARD=pcie-screamer) reads.

if {$argc < 1} {
    puts "usage: vivado -mode batch -source build.tcl -tclargs OUTDIR \[LOOPBACK \[N_LANES\]\]"
    exit 2
}
set here     [file dirname [file normalize [info script]]]
set root     [file normalize [file join $here .. ..]]
set out      [file normalize [lindex $argv 0]]
set loopback [expr {$argc > 1 ? [lindex $argv 1] : 0}]
set lanes    [expr {$argc > 2 ? [lindex $argv 2] : 2}]
set part     xc7a35tfgg484-2
set top      fgate_pcie_screamer
set gen      [file join $root build gen]

cd $root
file mkdir $out
if {![file exists [file join $gen fgate_protocol.vh]]} {
    puts "build.tcl: $gen/fgate_protocol.vh missing: run 'make build/gen/fgate_protocol.vh' first"
    exit 1
}

# sources.txt: one path or glob a line, '#' comments.
set files {}
set f [open [file join $here sources.txt]]
foreach line [split [read $f] "\n"] {
    set line [string trim $line]
    if {$line eq "" || [string index $line 0] eq "#"} continue
    foreach p [lsort [glob $line]] { lappend files $p }
}
close $f

read_verilog $files
read_xdc [file join $here fgate_pcie_screamer.xdc]

synth_design -top $top -part $part -include_dirs $gen \
    -generic LOOPBACK=$loopback -generic N_LANES=$lanes
opt_design
place_design
phys_opt_design
route_design
write_checkpoint -force [file join $out $top.routed.dcp]

report_utilization     -file [file join $out utilization.rpt]
report_timing_summary  -file [file join $out timing_summary.rpt] -max_paths 20
report_io              -file [file join $out io.rpt]
report_clocks          -file [file join $out clocks.rpt]
report_drc             -file [file join $out drc.rpt]

write_bitstream -force [file join $out pcie-screamer.bit]
write_cfgmem -force -format bin -interface spix4 -size 16 \
    -loadbit "up 0x0 [file join $out pcie-screamer.bit]" -file [file join $out pcie-screamer.bin]

# Fail the batch run when timing is not met, as the ECP5 flow does.
set wns [get_property SLACK [get_timing_paths -max_paths 1 -nworst 1 -setup]]
set whs [get_property SLACK [get_timing_paths -max_paths 1 -nworst 1 -hold]]
puts "build.tcl: worst setup slack $wns ns, worst hold slack $whs ns (timing_summary.rpt)"
if {$wns < 0 || $whs < 0} {
    puts "build.tcl: timing not met"
    exit 1
}
