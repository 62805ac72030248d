`resetall
`default_nettype none
// tb_des: Verilator top of the des bench. One tdes_core (ECB known answers,
// latency, start-while-busy) and one tdes_cbc (CBC known answers and the
// streaming differential tests) side by side, sharing clock and reset,
// both with ROUNDS DES rounds per clock (1 here, 4 through des4's
// -GROUNDS=4), which the wrapper puts on `rounds` for the harness.
// Pure wiring: no logic of its own.

module tb_des #(
    parameter ROUNDS = 1
) (
    output wire [4:0]   rounds,
    input  wire         clk,
    input  wire         rst,

    input  wire         core_start,
    input  wire         core_decrypt,
    input  wire         core_single_des,
    input  wire [191:0] core_key,
    input  wire [63:0]  core_block_in,
    output wire         core_ready,
    output wire [63:0]  core_block_out,
    output wire         core_valid,

    input  wire         cfg_decrypt,
    input  wire         cfg_single_des,
    input  wire [191:0] cfg_key,
    input  wire [63:0]  cfg_iv,
    input  wire [63:0]  s_axis_tdata,
    input  wire         s_axis_tvalid,
    output wire         s_axis_tready,
    input  wire         s_axis_tlast,
    output wire [63:0]  m_axis_tdata,
    output wire         m_axis_tvalid,
    input  wire         m_axis_tready,
    output wire         m_axis_tlast
);

    assign rounds = ROUNDS[4:0];

    tdes_core #(
        .ROUNDS     (ROUNDS)
    ) u_core (
        .clk        (clk),
        .rst        (rst),
        .start      (core_start),
        .decrypt    (core_decrypt),
        .single_des (core_single_des),
        .key        (core_key),
        .block_in   (core_block_in),
        .ready      (core_ready),
        .block_out  (core_block_out),
        .valid      (core_valid)
    );

    tdes_cbc #(
        .ROUNDS         (ROUNDS)
    ) u_cbc (
        .clk            (clk),
        .rst            (rst),
        .cfg_decrypt    (cfg_decrypt),
        .cfg_single_des (cfg_single_des),
        .cfg_key        (cfg_key),
        .cfg_iv         (cfg_iv),
        .s_axis_tdata   (s_axis_tdata),
        .s_axis_tvalid  (s_axis_tvalid),
        .s_axis_tready  (s_axis_tready),
        .s_axis_tlast   (s_axis_tlast),
        .m_axis_tdata   (m_axis_tdata),
        .m_axis_tvalid  (m_axis_tvalid),
        .m_axis_tready  (m_axis_tready),
        .m_axis_tlast   (m_axis_tlast)
    );

endmodule

`resetall
