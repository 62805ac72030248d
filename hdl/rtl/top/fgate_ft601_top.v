`resetall
`default_nettype none
// fgate_ft601_top: the device behind an FT601 USB 3 bridge: ft601_fifo
// (245 synchronous FIFO mode, clock-domain crossing) wired to fgate_engine,
// or, with LOOPBACK = 1, to a loopback that sends every request word back
// unchanged (bring-up of the USB path without the engine).
//
// Ports
//   ft_clk, ft_rst     FT601 clock (100 MHz from the chip), synchronous
//                      active-high reset in that domain
//   clk, rst           engine clock and its synchronous active-high reset;
//                      assert both resets together (see async_fifo)
//   ft_*               FT601 pins, split into in/out/enable (the board
//                      wrapper owns the tristate buffers): see ft601_fifo
//   idle               engine idle (1 in loopback)
//   err_*              ft601_fifo's sticky error flags (ft_clk domain)
//
// Latency and throughput: those of ft601_fifo plus the engine's (see
// fgate_engine); the loopback adds no cycles.

module fgate_ft601_top #(
    parameter LOOPBACK   = 0,
    parameter AW         = 5,
    parameter N_LANES    = 2,
    parameter SA_ENTRIES = 256,
    parameter REPLAY_MAX = 64,
    parameter TDES_ROUNDS = 2,
    parameter CLOCK_KHZ  = 0,
    parameter BUILD_ID   = 0
) (
    input  wire        ft_clk,
    input  wire        ft_rst,
    input  wire        clk,
    input  wire        rst,

    input  wire [31:0] ft_data_i,
    output wire [31:0] ft_data_o,
    output wire        ft_data_oe,
    input  wire [3:0]  ft_be_i,
    output wire [3:0]  ft_be_o,
    output wire        ft_be_oe,
    input  wire        ft_rxf_n,
    input  wire        ft_txe_n,
    output wire        ft_oe_n,
    output wire        ft_rd_n,
    output wire        ft_wr_n,

    output wire        idle,
    output wire        err_order,
    output wire        err_overflow,
    output wire        err_partial
);

    wire [63:0] req_tdata, res_tdata;
    wire        req_tvalid, req_tready, res_tvalid, res_tready;

    ft601_fifo #(.AW(AW)) u_bridge (
        .ft_clk(ft_clk), .ft_rst(ft_rst),
        .ft_data_i(ft_data_i), .ft_data_o(ft_data_o), .ft_data_oe(ft_data_oe),
        .ft_be_i(ft_be_i), .ft_be_o(ft_be_o), .ft_be_oe(ft_be_oe),
        .ft_rxf_n(ft_rxf_n), .ft_txe_n(ft_txe_n),
        .ft_oe_n(ft_oe_n), .ft_rd_n(ft_rd_n), .ft_wr_n(ft_wr_n),
        .clk(clk), .rst(rst),
        .m_axis_tdata(req_tdata), .m_axis_tvalid(req_tvalid), .m_axis_tready(req_tready),
        .s_axis_tdata(res_tdata), .s_axis_tvalid(res_tvalid), .s_axis_tready(res_tready),
        .err_order(err_order), .err_overflow(err_overflow), .err_partial(err_partial)
    );

    generate
        if (LOOPBACK != 0) begin : g_loopback
            assign res_tdata  = req_tdata;
            assign res_tvalid = req_tvalid;
            assign req_tready = res_tready;
            assign idle       = 1'b1;
        end else begin : g_engine
            fgate_engine #(
                .N_LANES(N_LANES), .SA_ENTRIES(SA_ENTRIES), .REPLAY_MAX(REPLAY_MAX),
                .TDES_ROUNDS(TDES_ROUNDS), .CLOCK_KHZ(CLOCK_KHZ), .BUILD_ID(BUILD_ID)
            ) u_engine (
                .clk(clk), .rst(rst),
                .s_axis_tdata(req_tdata), .s_axis_tvalid(req_tvalid), .s_axis_tready(req_tready),
                .m_axis_tdata(res_tdata), .m_axis_tvalid(res_tvalid), .m_axis_tready(res_tready),
                .idle(idle)
            );
        end
    endgenerate

endmodule

`resetall
