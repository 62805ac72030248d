`resetall
`default_nettype none
// fgate_pcie_screamer: board top for the LambdaConcept PCIe Screamer R02
// (Xilinx Artix-7 XC7A35T-2FGG484 with an FTDI FT601 USB 3 bridge and a
// PCIe x1 edge): fgate_ft601_top on the FT601's pins. Pin map in
// fgate_pcie_screamer.xdc (sources cited there and in docs/board.md). The
// PCIe edge is not used yet (docs/pcie.md).
//
// Ports
//   FT_CLK             100 MHz from the FT601 (its FIFO clock; the chip
//                      configuration must say 100 MHz, 245 mode, 1 channel)
//   FT_D, FT_BE        FIFO data and byte enables (bidirectional)
//   FT_RXFn, FT_TXEn   chip flags: data to read / room to write (low)
//   FT_WRn, FT_RDn, FT_OEn   strobes to the chip
//   FT_SIWUn           send-immediate / wake-up: held inactive (high)
//   FT_RESETn          chip reset: held high (FT_CLK comes from the chip)
//   USER_BTN1n         push button (low when pressed): board reset
//   USER_LED0          link and activity: lit once the bridge is out of
//                      reset, blinking while bus words move
//   USER_LED1          error: a sticky bridge error (ft601_fifo err_*)
//
// Clocks: an MMCME2_BASE on FT_CLK (VCO 1000 MHz = 100 x 10) gives the
// bridge clock ft_clk (/10 = 100 MHz, feedback through a BUFG: default
// ZHOLD compensation, so the clock at the I/O flip-flops lines up with the
// pin and the FT601's bus timing can be met, fgate_pcie_screamer.xdc) and
// the engine clock clk (/20 = 50 MHz, as on the LimeSDR board; the
// Artix-7 may allow more, to be seen in a Vivado timing report). The
// board's own 100 MHz oscillator (R4) is left for the PCIe path.
// Reset: held until the MMCM has locked plus 1024 ft_clk cycles (and again
// while the button is pressed), released in the ft_clk domain and, two
// cycles later, in the engine domain (async_fifo wants both together).
// Flip-flops start at 0 after configuration.
// LED polarity (lit when driven high) is as the LiteX platform file uses
// the pins; not checked against the schematic.
//
// Latency and throughput are fgate_ft601_top's; this wrapper adds none.
//
// LOOPBACK = 1 builds the USB loopback instead of the engine. N_LANES is
// the engine's lane count: two lanes fill about 99% of the XC7A35T's LUTs
// by yosys's count, one lane about half (docs/board.md); Vivado's count
// decides. TDES_ROUNDS: DES rounds per clock of the lanes' 3DES cores.

module fgate_pcie_screamer #(
    parameter LOOPBACK = 0,
    parameter N_LANES  = 2,
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
    output wire        FT_SIWUn,
    output wire        FT_RESETn,
    input  wire        USER_BTN1n,
    output wire        USER_LED0,
    output wire        USER_LED1
);

    wire        ft_clk, clk, ft_clk_mmcm, clk_mmcm, fb_mmcm, fb, mmcm_locked;
    wire [31:0] d_o;
    wire [3:0]  be_o;
    wire        d_oe, be_oe, idle_unused, err_order, err_overflow, err_partial;
    wire        fbb_unused, c0b_unused, c1b_unused, c2b_unused, c3b_unused;
    wire        c2_unused, c3_unused, c4_unused, c5_unused, c6_unused;

    // FT_CLK 100 MHz -> ft_clk 100 MHz (deskewed), clk 50 MHz. VCO 1000 MHz
    // (600..1200 MHz for speed grade -2).
    MMCME2_BASE #(
        .CLKIN1_PERIOD(10.0), .DIVCLK_DIVIDE(1), .CLKFBOUT_MULT_F(10.0),
        .CLKOUT0_DIVIDE_F(20.0), .CLKOUT1_DIVIDE(10)
    ) u_mmcm (
        .CLKIN1(FT_CLK), .CLKFBIN(fb), .CLKFBOUT(fb_mmcm), .CLKFBOUTB(fbb_unused),
        .CLKOUT0(clk_mmcm), .CLKOUT0B(c0b_unused), .CLKOUT1(ft_clk_mmcm),
        .CLKOUT1B(c1b_unused), .CLKOUT2(c2_unused), .CLKOUT2B(c2b_unused),
        .CLKOUT3(c3_unused), .CLKOUT3B(c3b_unused), .CLKOUT4(c4_unused),
        .CLKOUT5(c5_unused), .CLKOUT6(c6_unused),
        .LOCKED(mmcm_locked), .PWRDWN(1'b0), .RST(1'b0)
    );

    BUFG u_fb_buf (.I(fb_mmcm), .O(fb));
    BUFG u_ft_clk_buf (.I(ft_clk_mmcm), .O(ft_clk));
    BUFG u_clk_buf (.I(clk_mmcm), .O(clk));

    // Resets, heartbeat and activity (ft_clk domain).
    reg [1:0]  lock_s_reg, btn_s_reg;
    reg [10:0] por_reg;
    reg [1:0]  rst_s_reg;
    reg [22:0] beat_reg;
    reg [22:0] act_reg;
    wire       ft_rst = !por_reg[10];

    always @(posedge ft_clk) begin
        lock_s_reg <= {lock_s_reg[0], mmcm_locked};
        btn_s_reg  <= {btn_s_reg[0], USER_BTN1n};
        if (!lock_s_reg[1] || !btn_s_reg[1])
            por_reg <= 11'd0;
        else if (!por_reg[10])
            por_reg <= por_reg + 11'd1;
        beat_reg <= beat_reg + 23'd1;
        // About 84 ms of blinking after each bus word.
        if (!FT_RDn || !FT_WRn)
            act_reg <= {23{1'b1}};
        else if (act_reg != 23'd0)
            act_reg <= act_reg - 23'd1;
    end

    always @(posedge clk) begin
        rst_s_reg <= {rst_s_reg[0], ft_rst};
    end

    fgate_ft601_top #(
        .LOOPBACK(LOOPBACK), .N_LANES(N_LANES), .TDES_ROUNDS(TDES_ROUNDS),
        .CLOCK_KHZ(50000)
    ) u_top (
        .ft_clk(ft_clk), .ft_rst(ft_rst), .clk(clk), .rst(rst_s_reg[1]),
        .ft_data_i(FT_D), .ft_data_o(d_o), .ft_data_oe(d_oe),
        .ft_be_i(FT_BE), .ft_be_o(be_o), .ft_be_oe(be_oe),
        .ft_rxf_n(FT_RXFn), .ft_txe_n(FT_TXEn),
        .ft_oe_n(FT_OEn), .ft_rd_n(FT_RDn), .ft_wr_n(FT_WRn),
        .idle(idle_unused), .err_order(err_order), .err_overflow(err_overflow),
        .err_partial(err_partial)
    );

    assign FT_D      = d_oe ? d_o : 32'bz;
    assign FT_BE     = be_oe ? be_o : 4'bz;
    assign FT_SIWUn  = 1'b1;
    assign FT_RESETn = 1'b1;
    assign USER_LED0 = !ft_rst && (act_reg == 23'd0 || beat_reg[22]);
    assign USER_LED1 = err_order || err_overflow || err_partial;

endmodule

`resetall
