`resetall
`default_nettype none
// fg_frame_rx: the request side of fgate_engine. Parses the 64-bit frame
// stream (docs/protocol.md), checks headers, resynchronises after a bad
// one, and dispatches each frame: packets and SA-bound control frames to
// the lane that owns the SA (SA mod N_LANES), everything else to fg_ctrl
// as a local response. Control frames are barriers: they wait until
// all_idle (every lane idle, fg_ctrl idle, fg_frame_tx empty).
//
// Decisions, in this order, once the header is in:
//   LENGTH > MAX_PAYLOAD    TOO_BIG; payload skipped. An ENCAP/DECAP for
//                           an SA in range goes through its lane (so it
//                           stays in order with that SA's packets), else
//                           fg_ctrl answers.
//   unknown TYPE            MALFORMED, payload skipped.
//   control, wrong LENGTH   MALFORMED, payload skipped.
//   control                 barrier, then: CAPS, STATS -> fg_ctrl; RESET ->
//                           wipe pulse to the lanes, stats cleared, wait
//                           for the wipes, OK from fg_ctrl; SA_LOAD,
//                           SA_CLEAR, COUNTERS -> NO_SA from fg_ctrl for a
//                           slot out of range, else the lane.
//   ENCAP / DECAP           NO_SA from fg_ctrl out of range, else the lane.
// A word 0 with a wrong MAGIC or VERSION gets one ERROR result (type 0xFF,
// MALFORMED, SA_NONE, tag 0) and starts a resync: words are dropped (the bad
// one included, each counted as 8 resync bytes) until one has MAGIC,
// VERSION and LENGTH <= MAX_PAYLOAD, which is then taken as word 0.
//
// Ports
//   s_axis_*     request stream, first frame byte in [63:56].
//   job_*        one job to lane job_valid's one-hot bit: header fields,
//                job_idx = SA / N_LANES, job_too_big.
//   pl_*         its payload words; pl_valid to the job's lane only.
//   waiting      waiting for a request word (no progress without input).
//   wipe         one-cycle pulse (RESET) to every lane.
//   lr_*         local response to fg_ctrl: kind (0 header only, 1 CAPS,
//                2 STATS), result type, status, SA field, tag.
//   ev_*         one-cycle pulses for the STATS counters: a header
//                accepted (frame_in), 8 bytes dropped (resync), a MALFORMED
//                answer decided (malformed), an out-of-range packet (no_sa),
//                RESET (clear).
//
// Timing: header words at one per cycle, one dispatch cycle, then one
// payload word per cycle as the lane takes them. s_axis_tready is low while
// a job waits for its lane, a barrier for the engine to drain, or a local
// response for fg_ctrl.

module fg_frame_rx #(
    parameter N_LANES    = 2,       // power of two
    parameter SA_ENTRIES = 256,     // multiple of N_LANES, < 65536
    parameter SA_AW      = 7        // slot address width in a lane
) (
    input  wire               clk,
    input  wire               rst,
    input  wire [63:0]        s_axis_tdata,
    input  wire               s_axis_tvalid,
    output reg                s_axis_tready,
    output reg  [N_LANES-1:0] job_valid,
    input  wire [N_LANES-1:0] job_ready,
    output wire [7:0]         job_type,
    output wire [SA_AW-1:0]   job_idx,
    output wire [15:0]        job_sa,
    output wire [31:0]        job_tag,
    output wire [31:0]        job_aux,
    output wire [15:0]        job_len,
    output wire               job_too_big,
    output wire [63:0]        pl_data,
    output reg  [N_LANES-1:0] pl_valid,
    input  wire [N_LANES-1:0] pl_ready,
    output wire               waiting,
    output wire               wipe,
    input  wire               all_idle,
    output wire               lr_valid,
    input  wire               lr_ready,
    output wire [1:0]         lr_kind,
    output wire [7:0]         lr_type,
    output wire [7:0]         lr_status,
    output wire [15:0]        lr_sa,
    output wire [31:0]        lr_tag,
    output wire               ev_frame_in,
    output wire               ev_resync,
    output wire               ev_malformed,
    output wire               ev_no_sa,
    output wire               ev_clear
);

`include "fgate_protocol.vh"

    localparam [31:0] MAGIC32   = FGP_MAGIC;
    localparam [31:0] VERSION32 = FGP_VERSION;
    localparam [31:0] MAXPL32   = FGP_MAX_PAYLOAD;
    localparam [31:0] SAFIELD32 = FGP_SA_SIZE;
    localparam [31:0] SANONE32  = FGP_SA_NONE;
    localparam [31:0] RESULT32  = FGP_RESULT_BIT;
    localparam [31:0] ENTRIES32 = SA_ENTRIES;
    localparam [31:0] NLANES32  = N_LANES;

    localparam [1:0] K_HDR   = 2'd0;
    localparam [1:0] K_CAPS  = 2'd1;
    localparam [1:0] K_STATS = 2'd2;

    localparam [3:0] P_HDR0   = 4'd0;   // header word 0
    localparam [3:0] P_HDR1   = 4'd1;   // header word 1
    localparam [3:0] P_DISP   = 4'd2;   // decide
    localparam [3:0] P_BAR    = 4'd3;   // control frame: wait for all_idle
    localparam [3:0] P_JOB    = 4'd4;   // job to a lane
    localparam [3:0] P_FWD    = 4'd5;   // payload to the lane
    localparam [3:0] P_SKIP   = 4'd6;   // payload dropped
    localparam [3:0] P_RESYNC = 4'd7;   // looking for a header word
    localparam [3:0] P_LRESP  = 4'd8;   // local response to fg_ctrl
    localparam [3:0] P_RST1   = 4'd9;   // RESET: lanes start wiping
    localparam [3:0] P_RST2   = 4'd10;  // RESET: wait for the wipes

    reg  [3:0]  state_reg, state_new;
    reg  [3:0]  after_reg, after_new;    // state after P_LRESP
    reg  [7:0]  type_reg, type_new;
    reg  [15:0] len_reg, len_new;
    reg  [15:0] sa_reg, sa_new;
    reg  [31:0] tag_reg, tag_new;
    reg  [31:0] aux_reg, aux_new;
    reg  [13:0] left_reg, left_new;      // payload words to forward / skip
    reg         big_reg, big_new;
    reg  [1:0]  lk_reg, lk_new;          // local response
    reg  [7:0]  lt_reg, lt_new;
    reg  [7:0]  ls_reg, ls_new;
    reg  [15:0] lsa_reg, lsa_new;
    reg  [31:0] ltag_reg, ltag_new;
    reg         ev_in, ev_rs, ev_mf, ev_ns, ev_cl;
    reg         wipe_pulse;

    // ---------------------------------------------------------------- decode
    wire [7:0]  w_magic   = s_axis_tdata[63:56];
    wire [7:0]  w_version = s_axis_tdata[55:48];
    wire [15:0] w_len     = s_axis_tdata[31:16];
    wire        w_good    = w_magic == MAGIC32[7:0] && w_version == VERSION32[7:0];
    wire        w_sync    = w_good && {16'd0, w_len} <= MAXPL32;
    wire        beat      = s_axis_tvalid && s_axis_tready;

    wire [13:0] nwords    = len_reg[15:3] + {13'd0, len_reg[2:0] != 3'd0};
    wire        is_pkt    = type_reg == FGP_TYPE_ENCAP || type_reg == FGP_TYPE_DECAP;
    wire        is_ctrl   = type_reg == FGP_TYPE_CAPS || type_reg == FGP_TYPE_RESET ||
                            type_reg == FGP_TYPE_SA_LOAD || type_reg == FGP_TYPE_SA_CLEAR ||
                            type_reg == FGP_TYPE_COUNTERS || type_reg == FGP_TYPE_STATS;
    wire        ctrl_len_ok = type_reg == FGP_TYPE_SA_LOAD ? {16'd0, len_reg} == SAFIELD32
                                                           : len_reg == 16'd0;
    wire        too_big   = {16'd0, len_reg} > MAXPL32;
    wire        sa_ok     = {16'd0, sa_reg} < ENTRIES32;
    wire [7:0]  rtype     = type_reg | RESULT32[7:0];

    // Lane of the SA and its slot there (N_LANES is a power of two).
    wire [31:0] sa32      = {16'd0, sa_reg};
    wire [31:0] lane32    = sa32 % NLANES32;
    wire [31:0] idx32     = sa32 / NLANES32;

    // ---------------------------------------------------------------- outputs
    assign job_type = type_reg;
    assign job_idx = idx32[SA_AW-1:0];
    assign job_sa = sa_reg;
    assign job_tag = tag_reg;
    assign job_aux = aux_reg;
    assign job_len = len_reg;
    assign job_too_big = big_reg;
    assign pl_data = s_axis_tdata;
    assign wipe = wipe_pulse;
    assign waiting = state_reg == P_HDR0 || state_reg == P_HDR1 || state_reg == P_RESYNC ||
                     state_reg == P_FWD || state_reg == P_SKIP;
    assign lr_valid = state_reg == P_LRESP;
    assign lr_kind = lk_reg;
    assign lr_type = lt_reg;
    assign lr_status = ls_reg;
    assign lr_sa = lsa_reg;
    assign lr_tag = ltag_reg;
    assign ev_frame_in = ev_in;
    assign ev_resync = ev_rs;
    assign ev_malformed = ev_mf;
    assign ev_no_sa = ev_ns;
    assign ev_clear = ev_cl;

    reg lane_job_ready, lane_pl_ready;
    integer i;
    always @* begin
        job_valid = {N_LANES{1'b0}};
        pl_valid = {N_LANES{1'b0}};
        lane_job_ready = 1'b0;
        lane_pl_ready = 1'b0;
        for (i = 0; i < N_LANES; i = i + 1) begin
            if (lane32 == i) begin
                job_valid[i] = state_reg == P_JOB;
                pl_valid[i] = state_reg == P_FWD && s_axis_tvalid;
                lane_job_ready = job_ready[i];
                lane_pl_ready = pl_ready[i];
            end
        end
        case (state_reg)
            P_HDR0, P_HDR1, P_RESYNC, P_SKIP: s_axis_tready = 1'b1;
            P_FWD: s_axis_tready = lane_pl_ready;
            default: s_axis_tready = 1'b0;
        endcase
    end

    // ---------------------------------------------------------------- FSM
    // Local response, then state next (P_SKIP: the payload, if any).
    task respond(input [1:0] kind, input [7:0] typ, input [7:0] status,
                 input [15:0] sa, input [31:0] tag, input [3:0] next);
        begin
            lk_new = kind;
            lt_new = typ;
            ls_new = status;
            lsa_new = sa;
            ltag_new = tag;
            after_new = next;
            state_new = P_LRESP;
        end
    endtask

    always @* begin
        state_new = state_reg;
        after_new = after_reg;
        type_new = type_reg;
        len_new = len_reg;
        sa_new = sa_reg;
        tag_new = tag_reg;
        aux_new = aux_reg;
        left_new = left_reg;
        big_new = big_reg;
        lk_new = lk_reg;
        lt_new = lt_reg;
        ls_new = ls_reg;
        lsa_new = lsa_reg;
        ltag_new = ltag_reg;
        ev_in = 1'b0;
        ev_rs = 1'b0;
        ev_mf = 1'b0;
        ev_ns = 1'b0;
        ev_cl = 1'b0;
        wipe_pulse = 1'b0;

        case (state_reg)
            P_HDR0, P_RESYNC: begin
                if (beat) begin
                    if (state_reg == P_HDR0 ? w_good : w_sync) begin
                        ev_in = 1'b1;
                        type_new = s_axis_tdata[47:40];
                        len_new = w_len;
                        sa_new = s_axis_tdata[15:0];
                        state_new = P_HDR1;
                    end else begin
                        ev_rs = 1'b1;
                        if (state_reg == P_HDR0) begin
                            ev_mf = 1'b1;
                            respond(K_HDR, FGP_TYPE_ERROR | RESULT32[7:0], FGP_STATUS_MALFORMED,
                                    SANONE32[15:0], 32'd0, P_RESYNC);
                        end
                    end
                end
            end

            P_HDR1: begin
                if (beat) begin
                    tag_new = s_axis_tdata[63:32];
                    aux_new = s_axis_tdata[31:0];
                    state_new = P_DISP;
                end
            end

            P_DISP: begin
                left_new = nwords;
                big_new = 1'b0;
                if (too_big) begin
                    if (is_pkt && sa_ok) begin
                        big_new = 1'b1;
                        state_new = P_JOB;
                    end else begin
                        respond(K_HDR, rtype, FGP_STATUS_TOO_BIG, sa_reg, tag_reg, P_SKIP);
                    end
                end else if (!is_pkt && !is_ctrl) begin
                    ev_mf = 1'b1;
                    respond(K_HDR, rtype, FGP_STATUS_MALFORMED, sa_reg, tag_reg, P_SKIP);
                end else if (is_ctrl && !ctrl_len_ok) begin
                    ev_mf = 1'b1;
                    respond(K_HDR, rtype, FGP_STATUS_MALFORMED, sa_reg, tag_reg, P_SKIP);
                end else if (is_ctrl) begin
                    state_new = P_BAR;
                end else if (!sa_ok) begin
                    ev_ns = 1'b1;
                    respond(K_HDR, rtype, FGP_STATUS_NO_SA, sa_reg, tag_reg, P_SKIP);
                end else begin
                    state_new = P_JOB;
                end
            end

            P_BAR: begin
                if (all_idle) begin
                    if (type_reg == FGP_TYPE_CAPS) begin
                        respond(K_CAPS, rtype, FGP_STATUS_OK, sa_reg, tag_reg, P_HDR0);
                    end else if (type_reg == FGP_TYPE_STATS) begin
                        respond(K_STATS, rtype, FGP_STATUS_OK, sa_reg, tag_reg, P_HDR0);
                    end else if (type_reg == FGP_TYPE_RESET) begin
                        wipe_pulse = 1'b1;
                        ev_cl = 1'b1;
                        state_new = P_RST1;
                    end else if (!sa_ok) begin
                        respond(K_HDR, rtype, FGP_STATUS_NO_SA, sa_reg, tag_reg, P_SKIP);
                    end else begin
                        state_new = P_JOB;
                    end
                end
            end

            P_RST1: state_new = P_RST2;

            P_RST2: begin
                if (all_idle)
                    respond(K_HDR, rtype, FGP_STATUS_OK, sa_reg, tag_reg, P_HDR0);
            end

            P_JOB: begin
                if (lane_job_ready) begin
                    if (left_reg == 14'd0)
                        state_new = P_HDR0;
                    else
                        state_new = big_reg ? P_SKIP : P_FWD;
                end
            end

            P_FWD, P_SKIP: begin
                if (beat) begin
                    left_new = left_reg - 14'd1;
                    if (left_reg == 14'd1)
                        state_new = P_HDR0;
                end
            end

            P_LRESP: begin
                if (lr_ready)
                    state_new = (after_reg == P_SKIP && left_reg == 14'd0) ? P_HDR0 : after_reg;
            end

            default: state_new = P_HDR0;
        endcase
    end

    wire unused_ok = &{1'b0, s_axis_tdata[39:32], lane32, idx32, 1'b0};

    always @(posedge clk) begin
        state_reg <= state_new;
        after_reg <= after_new;
        type_reg <= type_new;
        len_reg <= len_new;
        sa_reg <= sa_new;
        tag_reg <= tag_new;
        aux_reg <= aux_new;
        left_reg <= left_new;
        big_reg <= big_new;
        lk_reg <= lk_new;
        lt_reg <= lt_new;
        ls_reg <= ls_new;
        lsa_reg <= lsa_new;
        ltag_reg <= ltag_new;
        if (rst) begin
            state_reg <= P_HDR0;
            left_reg <= 14'd0;
            big_reg <= 1'b0;
        end
    end

endmodule

`resetall
