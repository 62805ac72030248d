`resetall
`default_nettype none

// Bench top for md5: a bare md5_core (latency and chaining tests) next to an
// hmac_md5 (streaming tests). The two share only clk and rst.
module tb_md5 (
    input  wire         clk,
    input  wire         rst,

    input  wire         core_start,
    input  wire [127:0] core_h_in,
    input  wire [511:0] core_block,
    output wire         core_ready,
    output wire [127:0] core_h_out,
    output wire         core_valid,

    input  wire [1:0]   cfg_mode,
    input  wire [127:0] cfg_istate,
    input  wire [127:0] cfg_ostate,
    input  wire [63:0]  s_axis_tdata,
    input  wire [7:0]   s_axis_tkeep,
    input  wire         s_axis_tvalid,
    output wire         s_axis_tready,
    input  wire         s_axis_tlast,
    output wire [127:0] m_axis_tdata,
    output wire         m_axis_tvalid,
    input  wire         m_axis_tready
);

md5_core core (
    .clk(clk),
    .rst(rst),
    .start(core_start),
    .h_in(core_h_in),
    .block(core_block),
    .ready(core_ready),
    .h_out(core_h_out),
    .valid(core_valid)
);

hmac_md5 hmac (
    .clk(clk),
    .rst(rst),
    .cfg_mode(cfg_mode),
    .cfg_istate(cfg_istate),
    .cfg_ostate(cfg_ostate),
    .s_axis_tdata(s_axis_tdata),
    .s_axis_tkeep(s_axis_tkeep),
    .s_axis_tvalid(s_axis_tvalid),
    .s_axis_tready(s_axis_tready),
    .s_axis_tlast(s_axis_tlast),
    .m_axis_tdata(m_axis_tdata),
    .m_axis_tvalid(m_axis_tvalid),
    .m_axis_tready(m_axis_tready)
);

endmodule

`resetall
