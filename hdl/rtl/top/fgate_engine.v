`resetall
`default_nettype none
// fgate_engine: the device: the host <-> device protocol (docs/protocol.md)
// over one 64-bit request stream and one 64-bit result stream, with the
// ESP/AH packet engines behind it.
//
//   s_axis -> fg_frame_rx -> esp_lane x N_LANES -> fg_frame_tx -> m_axis
//                        \-> fg_ctrl (CAPS, STATS, RESET, errors) -/
//
// Ports
//   s_axis_*   request frames, first frame byte in tdata[63:56]. Frames are
//              8-byte aligned (header 16 bytes, payload zero-padded), so
//              there is no tkeep and no tlast: frames are found by their
//              headers.
//   m_axis_*   result frames, same format; one per request, in request order
//              per SA (frames of different SAs may pass each other).
//   idle       nothing in progress that could go on without more request
//              words (every lane idle or waiting for payload, no result
//              pending inside): a simulator stops clocking here; on a board
//              it may drive an activity LED.
//
// Parameters (out-of-range values stop elaboration)
//   N_LANES     packet engines, a power of two 1..16; SA i is served by
//               lane i mod N_LANES (its slice of the SA table).
//   SA_ENTRIES  SA table slots, a multiple of N_LANES, 1..65535.
//   REPLAY_MAX  largest replay window accepted by SA_LOAD, 0..64 (the
//               window is a 64-bit bitmap).
//   TDES_ROUNDS DES rounds per clock in each lane's 3DES core: 1, 2, 4 or 8
//               (48 / TDES_ROUNDS cycles per 3DES block; more LUTs and a
//               longer path per clock, docs/hdl.md).
//   CLOCK_KHZ, BUILD_ID  reported by CAPS.
//
// Timing: a frame header takes 2 cycles plus one dispatch cycle, payload
// words one per cycle; each lane then works alone (see esp_lane). The
// engine is busy with a packet for about (cipher blocks x 48 cycles) with
// 3DES, (blocks x 16) with DES, divided by TDES_ROUNDS, or for the HMAC's
// time (81 cycles per 64 bytes with SHA-1) when that is longer; packets of
// SAs on different lanes run in parallel. After rst the lanes wipe their
// SA slots (SA_ENTRIES / N_LANES cycles) before taking the first frame.

module fgate_engine #(
    parameter N_LANES    = 2,
    parameter SA_ENTRIES = 256,
    parameter REPLAY_MAX = 64,
    parameter TDES_ROUNDS = 2,
    parameter CLOCK_KHZ  = 0,
    parameter BUILD_ID   = 0
) (
    input  wire        clk,
    input  wire        rst,
    input  wire [63:0] s_axis_tdata,
    input  wire        s_axis_tvalid,
    output wire        s_axis_tready,
    output wire [63:0] m_axis_tdata,
    output wire        m_axis_tvalid,
    input  wire        m_axis_tready,
    output wire        idle
);

    localparam PER_LANE = (SA_ENTRIES + N_LANES - 1) / N_LANES;
    localparam SA_AW = PER_LANE > 1 ? $clog2(PER_LANE) : 1;
    localparam NS = N_LANES + 1;        // result sources: lanes, fg_ctrl

    // Parameter checks: an instance of a module that does not exist stops
    // elaboration (Verilog-2005 has no $error).
    generate
        if (N_LANES < 1 || N_LANES > 16 || (N_LANES & (N_LANES - 1)) != 0 ||
            SA_ENTRIES < 1 || SA_ENTRIES > 65535 || SA_ENTRIES % N_LANES != 0 ||
            REPLAY_MAX < 0 || REPLAY_MAX > 64 ||
            (TDES_ROUNDS != 1 && TDES_ROUNDS != 2 && TDES_ROUNDS != 4 && TDES_ROUNDS != 8)) begin : g_bad_params
            fgate_engine_invalid_parameters u_invalid ();
        end
    endgenerate

    // ------------------------------------------------------------ wiring
    wire [N_LANES-1:0] job_valid, job_ready, pl_valid, pl_ready, lane_idle, lane_quiet, lane_nosa;
    wire [7:0]         job_type;
    wire [SA_AW-1:0]   job_idx;
    wire [15:0]        job_sa, job_len;
    wire [31:0]        job_tag, job_aux;
    wire               job_too_big;
    wire [63:0]        pl_data;
    wire               wipe, all_idle, rx_waiting;
    wire               lr_valid, lr_ready;
    wire [1:0]         lr_kind;
    wire [7:0]         lr_type, lr_status;
    wire [15:0]        lr_sa;
    wire [31:0]        lr_tag;
    wire               ev_frame_in, ev_resync, ev_malformed, ev_no_sa, ev_clear, ev_frame_out;
    wire [64*NS-1:0]   res_data;
    wire [NS-1:0]      res_valid, res_ready, res_last;
    wire               ctrl_idle, tx_idle;

    assign all_idle = &lane_idle && ctrl_idle && tx_idle;
    assign idle = rx_waiting && &lane_quiet && ctrl_idle && tx_idle;

    fg_frame_rx #(
        .N_LANES(N_LANES), .SA_ENTRIES(SA_ENTRIES), .SA_AW(SA_AW)
    ) u_rx (
        .clk(clk), .rst(rst),
        .s_axis_tdata(s_axis_tdata), .s_axis_tvalid(s_axis_tvalid), .s_axis_tready(s_axis_tready),
        .job_valid(job_valid), .job_ready(job_ready), .job_type(job_type), .job_idx(job_idx),
        .job_sa(job_sa), .job_tag(job_tag), .job_aux(job_aux), .job_len(job_len),
        .job_too_big(job_too_big),
        .pl_data(pl_data), .pl_valid(pl_valid), .pl_ready(pl_ready),
        .waiting(rx_waiting), .wipe(wipe), .all_idle(all_idle),
        .lr_valid(lr_valid), .lr_ready(lr_ready), .lr_kind(lr_kind), .lr_type(lr_type),
        .lr_status(lr_status), .lr_sa(lr_sa), .lr_tag(lr_tag),
        .ev_frame_in(ev_frame_in), .ev_resync(ev_resync), .ev_malformed(ev_malformed),
        .ev_no_sa(ev_no_sa), .ev_clear(ev_clear)
    );

    genvar g;
    generate
        for (g = 0; g < N_LANES; g = g + 1) begin : g_lane
            esp_lane #(
                .SA_AW(SA_AW), .REPLAY_MAX(REPLAY_MAX), .TDES_ROUNDS(TDES_ROUNDS)
            ) u_lane (
                .clk(clk), .rst(rst), .wipe(wipe), .idle(lane_idle[g]), .quiet(lane_quiet[g]),
                .job_valid(job_valid[g]), .job_ready(job_ready[g]),
                .job_type(job_type), .job_idx(job_idx), .job_sa(job_sa),
                .job_tag(job_tag), .job_aux(job_aux), .job_len(job_len),
                .job_too_big(job_too_big),
                .pl_data(pl_data), .pl_valid(pl_valid[g]), .pl_ready(pl_ready[g]),
                .m_axis_tdata(res_data[64 * g +: 64]), .m_axis_tvalid(res_valid[g]),
                .m_axis_tready(res_ready[g]), .m_axis_tlast(res_last[g]),
                .ev_no_sa(lane_nosa[g])
            );
        end
    endgenerate

    fg_ctrl #(
        .N_LANES(N_LANES), .N_NOSA(N_LANES + 1), .SA_ENTRIES(SA_ENTRIES),
        .REPLAY_MAX(REPLAY_MAX), .CLOCK_KHZ(CLOCK_KHZ), .BUILD_ID(BUILD_ID)
    ) u_ctrl (
        .clk(clk), .rst(rst),
        .lr_valid(lr_valid), .lr_ready(lr_ready), .lr_kind(lr_kind), .lr_type(lr_type),
        .lr_status(lr_status), .lr_sa(lr_sa), .lr_tag(lr_tag),
        .ev_frame_in(ev_frame_in), .ev_frame_out(ev_frame_out), .ev_malformed(ev_malformed),
        .ev_resync(ev_resync), .ev_no_sa({lane_nosa, ev_no_sa}), .ev_clear(ev_clear),
        .m_axis_tdata(res_data[64 * N_LANES +: 64]), .m_axis_tvalid(res_valid[N_LANES]),
        .m_axis_tready(res_ready[N_LANES]), .m_axis_tlast(res_last[N_LANES]),
        .idle(ctrl_idle)
    );

    fg_frame_tx #(
        .N(NS)
    ) u_tx (
        .clk(clk), .rst(rst),
        .s_axis_tdata(res_data), .s_axis_tvalid(res_valid), .s_axis_tready(res_ready),
        .s_axis_tlast(res_last),
        .m_axis_tdata(m_axis_tdata), .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready),
        .idle(tx_idle), .ev_frame_out(ev_frame_out)
    );

endmodule

`resetall
