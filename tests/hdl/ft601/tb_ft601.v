`resetall
`default_nettype none
// tb_ft601: bench top for tests/hdl/ft601: fgate_ft601_top twice, sharing
// the clocks and resets, one with the loopback (lb_* pins) and one with the
// engine (en_* pins); the C++ harness drives each one's pins from its own
// FT601 cycle model (sim/ft601_model.h). The engine's 3DES cores run
// TDES_ROUNDS rounds per clock: 1 in this bench (ft601_PARAMS), so that the
// whole device is also checked against the soft device with the RTL's
// other setting than hdl-engine's default of 2.

module tb_ft601 #(
    parameter TDES_ROUNDS = 2
) (
    input  wire        ft_clk,
    input  wire        ft_rst,
    input  wire        clk,
    input  wire        rst,
    input  wire [31:0] lb_data_i,
    output wire [31:0] lb_data_o,
    output wire        lb_data_oe,
    input  wire [3:0]  lb_be_i,
    output wire [3:0]  lb_be_o,
    output wire        lb_be_oe,
    input  wire        lb_rxf_n,
    input  wire        lb_txe_n,
    output wire        lb_oe_n,
    output wire        lb_rd_n,
    output wire        lb_wr_n,
    output wire        lb_idle,
    output wire        lb_err_order,
    output wire        lb_err_overflow,
    output wire        lb_err_partial,
    input  wire [31:0] en_data_i,
    output wire [31:0] en_data_o,
    output wire        en_data_oe,
    input  wire [3:0]  en_be_i,
    output wire [3:0]  en_be_o,
    output wire        en_be_oe,
    input  wire        en_rxf_n,
    input  wire        en_txe_n,
    output wire        en_oe_n,
    output wire        en_rd_n,
    output wire        en_wr_n,
    output wire        en_idle,
    output wire        en_err_order,
    output wire        en_err_overflow,
    output wire        en_err_partial
);

    fgate_ft601_top #(.LOOPBACK(1)) u_lb (
        .ft_clk(ft_clk), .ft_rst(ft_rst), .clk(clk), .rst(rst),
        .ft_data_i(lb_data_i), .ft_data_o(lb_data_o), .ft_data_oe(lb_data_oe),
        .ft_be_i(lb_be_i), .ft_be_o(lb_be_o), .ft_be_oe(lb_be_oe),
        .ft_rxf_n(lb_rxf_n), .ft_txe_n(lb_txe_n),
        .ft_oe_n(lb_oe_n), .ft_rd_n(lb_rd_n), .ft_wr_n(lb_wr_n),
        .idle(lb_idle), .err_order(lb_err_order),
        .err_overflow(lb_err_overflow), .err_partial(lb_err_partial)
    );

    fgate_ft601_top #(.LOOPBACK(0), .TDES_ROUNDS(TDES_ROUNDS)) u_en (
        .ft_clk(ft_clk), .ft_rst(ft_rst), .clk(clk), .rst(rst),
        .ft_data_i(en_data_i), .ft_data_o(en_data_o), .ft_data_oe(en_data_oe),
        .ft_be_i(en_be_i), .ft_be_o(en_be_o), .ft_be_oe(en_be_oe),
        .ft_rxf_n(en_rxf_n), .ft_txe_n(en_txe_n),
        .ft_oe_n(en_oe_n), .ft_rd_n(en_rd_n), .ft_wr_n(en_wr_n),
        .idle(en_idle), .err_order(en_err_order),
        .err_overflow(en_err_overflow), .err_partial(en_err_partial)
    );

endmodule

`resetall
