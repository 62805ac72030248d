`resetall
`default_nettype none
// fgate_limesdr_mini_v2: board top for the LimeSDR Mini v2 (Lattice ECP5
// LFE5U-45F-8MG285C with an FTDI FT601 USB 3 bridge): fgate_ft601_top on
// the FT601's pins, pin map in fgate_limesdr_mini_v2.lpf (source cited
// there and in docs/board.md).
//
// Clocks: ft_clk = FT_CLK, 100 MHz from the FT601 (its FIFO clock, chip
// configuration 100 MHz); the engine clock is 50 MHz from an EHXPLLL on
// FT_CLK (the hash cores do not reach 100 MHz on ECP5, docs/hdl.md).
// Reset: held until the PLL has locked plus 1024 FT_CLK cycles (flip-flops
// start at 0 after configuration), then released in the FT_CLK domain and,
// two cycles later, in the engine domain.
// The FT601 is never reset from here (FT_RESETn high): FT_CLK comes from it.
// LEDs (open drain, lit when pulled low): green blinks at about 1.5 Hz
// while FT_CLK runs; red lights on a bridge error (ft601_fifo err_*).
//
// LOOPBACK = 1 builds the USB loopback instead of the engine; N_LANES
// is the engine's lane count (docs/benchmarks.md: two lanes take 81% of
// the LUTs and do not route; one does); TDES_ROUNDS the DES rounds per
// clock of its 3DES core (2: twice the 3DES rate of 1, and well above the
// 50 MHz engine clock; 4 leaves little margin, docs/board.md).

module fgate_limesdr_mini_v2 #(
    parameter LOOPBACK = 0,
    parameter N_LANES  = 1,
    parameter TDES_ROUNDS = 2
) (
    input  wire        FT_CLK,
    inout  wire [31:0] FT_D,
    inout  wire [3:0]  FT_BE,
    input  wire        FT_RXFn,
    input  wire        FT_TXEn,
    output wire        FT_WRn,
    output wire        FT_RDn,
    output wire        FT_OEn,
    output wire        FT_RESETn,
    output wire        FT_WAKEUPn,
    output wire        FPGA_LED1_G,
    output wire        FPGA_LED1_R
);

    wire        clk, pll_locked;
    wire [31:0] d_o;
    wire [3:0]  be_o;
    wire        d_oe, be_oe, idle_unused, err_order, err_overflow, err_partial;

    // 100 MHz -> 50 MHz (parameters from ecppll -i 100 -o 50).
    (* FREQUENCY_PIN_CLKI = "100" *)
    (* FREQUENCY_PIN_CLKOP = "50" *)
    (* ICP_CURRENT = "12" *) (* LPF_RESISTOR = "8" *) (* MFG_ENABLE_FILTEROPAMP = "1" *)
    (* MFG_GMCREF_SEL = "2" *)
    EHXPLLL #(
        .PLLRST_ENA("DISABLED"), .INTFB_WAKE("DISABLED"), .STDBY_ENABLE("DISABLED"),
        .DPHASE_SOURCE("DISABLED"), .OUTDIVIDER_MUXA("DIVA"), .OUTDIVIDER_MUXB("DIVB"),
        .OUTDIVIDER_MUXC("DIVC"), .OUTDIVIDER_MUXD("DIVD"),
        .CLKI_DIV(2), .CLKOP_ENABLE("ENABLED"), .CLKOP_DIV(12), .CLKOP_CPHASE(5),
        .CLKOP_FPHASE(0), .FEEDBK_PATH("CLKOP"), .CLKFB_DIV(1)
    ) u_pll (
        .RST(1'b0), .STDBY(1'b0), .CLKI(FT_CLK), .CLKOP(clk), .CLKFB(clk), .CLKINTFB(),
        .PHASESEL0(1'b0), .PHASESEL1(1'b0), .PHASEDIR(1'b1), .PHASESTEP(1'b1),
        .PHASELOADREG(1'b1), .PLLWAKESYNC(1'b0), .ENCLKOP(1'b0), .LOCK(pll_locked)
    );

    // Resets.
    reg [1:0]  lock_s_reg;
    reg [10:0] por_reg;
    reg [1:0]  rst_s_reg;
    reg [26:0] beat_reg;
    wire       ft_rst = !por_reg[10];

    always @(posedge FT_CLK) begin
        lock_s_reg <= {lock_s_reg[0], pll_locked};
        if (!lock_s_reg[1])
            por_reg <= 11'd0;
        else if (!por_reg[10])
            por_reg <= por_reg + 11'd1;
        beat_reg <= beat_reg + 27'd1;
    end

    always @(posedge clk) begin
        rst_s_reg <= {rst_s_reg[0], ft_rst};
    end

    fgate_ft601_top #(
        .LOOPBACK(LOOPBACK), .N_LANES(N_LANES), .TDES_ROUNDS(TDES_ROUNDS),
        .CLOCK_KHZ(50000)
    ) u_top (
        .ft_clk(FT_CLK), .ft_rst(ft_rst), .clk(clk), .rst(rst_s_reg[1]),
        .ft_data_i(FT_D), .ft_data_o(d_o), .ft_data_oe(d_oe),
        .ft_be_i(FT_BE), .ft_be_o(be_o), .ft_be_oe(be_oe),
        .ft_rxf_n(FT_RXFn), .ft_txe_n(FT_TXEn),
        .ft_oe_n(FT_OEn), .ft_rd_n(FT_RDn), .ft_wr_n(FT_WRn),
        .idle(idle_unused), .err_order(err_order), .err_overflow(err_overflow),
        .err_partial(err_partial)
    );

    assign FT_D        = d_oe ? d_o : 32'bz;
    assign FT_BE       = be_oe ? be_o : 4'bz;
    assign FT_RESETn   = 1'b1;
    assign FT_WAKEUPn  = 1'b1;
    assign FPGA_LED1_G = beat_reg[26];
    assign FPGA_LED1_R = !(err_order || err_overflow || err_partial);

endmodule

`resetall
