`resetall
`default_nettype none
// tb_tdes_pipe: Verilator top of the tdes_pipe and tdes_pipe3 benches:
// tdes_pipe with PASSES (1 here, 3 through tdes_pipe3's -GPASSES=3), 64
// contexts, 4 tag bits, and the build's PASSES on an output so that the
// shared harness (tests/hdl/tdes_pipe/pipe_bench.cpp) knows which build it
// drives. Pure wiring.

module tb_tdes_pipe #(
    parameter PASSES = 1
) (
    input  wire         clk,
    input  wire         rst,
    output wire [1:0]   passes,
    input  wire         s_valid,
    output wire         s_ready,
    input  wire [5:0]   s_ctx,
    input  wire         s_decrypt,
    input  wire         s_des,
    input  wire [191:0] s_key,
    input  wire [63:0]  s_block,
    input  wire [63:0]  s_chain,
    input  wire [3:0]   s_tag,
    output wire         m_valid,
    output wire [5:0]   m_ctx,
    output wire [63:0]  m_block,
    output wire [3:0]   m_tag
);

    assign passes = PASSES == 3 ? 2'd3 : 2'd1;

    tdes_pipe #(
        .PASSES (PASSES),
        .CTX_W  (6),
        .TAG_W  (4)
    ) u_pipe (
        .clk       (clk),
        .rst       (rst),
        .s_valid   (s_valid),
        .s_ready   (s_ready),
        .s_ctx     (s_ctx),
        .s_decrypt (s_decrypt),
        .s_des     (s_des),
        .s_key     (s_key),
        .s_block   (s_block),
        .s_chain   (s_chain),
        .s_tag     (s_tag),
        .m_valid   (m_valid),
        .m_ctx     (m_ctx),
        .m_block   (m_block),
        .m_tag     (m_tag)
    );

endmodule

`resetall
