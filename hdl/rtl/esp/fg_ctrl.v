`resetall
`default_nettype none
// fg_ctrl: the device-wide part of fgate_engine: the STATS counters and the
// result frames no lane sends (docs/protocol.md): ERROR, MALFORMED, TOO_BIG
// and NO_SA answers decided by fg_frame_rx, RESET's OK, CAPS and STATS.
//
// Ports
//   lr_*        one response to send (from fg_frame_rx), taken when idle:
//               kind 0 = header only, 1 = CAPS layout, 2 = STATS layout;
//               result type, status, SA field and tag of the header (AUX 0).
//   ev_*        counter pulses: frame_in (FRAMES_IN), frame_out (FRAMES_OUT,
//               from fg_frame_tx), malformed, resync (+8 RESYNC_BYTES),
//               no_sa (one bit per source, each +1 to NO_SA), clear (RESET:
//               every counter to 0).
//   m_axis_*    the response frame, tlast on its last word.
//   idle        nothing being sent.
//
// Counting follows the soft device (host/offload/soft_device.c): FRAMES_IN
// counts headers with the right MAGIC and VERSION, FRAMES_OUT complete
// result frames (a STATS result is taken before its own frame goes out, so
// it does not count itself; RESET clears before its result, which is then
// the first frame counted), RESYNC_BYTES every dropped word including the
// bad header word. Counters wrap at 2^32.
//
// Timing: the response frame starts the cycle after lr_valid is taken, one
// word per cycle (2 words, or 6 with a CAPS or STATS payload).

module fg_ctrl #(
    parameter N_LANES    = 2,
    parameter N_NOSA     = 3,       // ev_no_sa sources
    parameter SA_ENTRIES = 256,
    parameter REPLAY_MAX = 64,
    parameter CLOCK_KHZ  = 0,
    parameter BUILD_ID   = 0
) (
    input  wire              clk,
    input  wire              rst,
    input  wire              lr_valid,
    output wire              lr_ready,
    input  wire [1:0]        lr_kind,
    input  wire [7:0]        lr_type,
    input  wire [7:0]        lr_status,
    input  wire [15:0]       lr_sa,
    input  wire [31:0]       lr_tag,
    input  wire              ev_frame_in,
    input  wire              ev_frame_out,
    input  wire              ev_malformed,
    input  wire              ev_resync,
    input  wire [N_NOSA-1:0] ev_no_sa,
    input  wire              ev_clear,
    output wire [63:0]       m_axis_tdata,
    output wire              m_axis_tvalid,
    input  wire              m_axis_tready,
    output wire              m_axis_tlast,
    output wire              idle
);

`include "fgate_protocol.vh"

    localparam [31:0] MAGIC32   = FGP_MAGIC;
    localparam [31:0] VERSION32 = FGP_VERSION;
    localparam [31:0] LANES32   = N_LANES;
    localparam [31:0] ENTRIES32 = SA_ENTRIES;
    localparam [31:0] RMAX32    = REPLAY_MAX;
    localparam [31:0] MAXPL32   = FGP_MAX_PAYLOAD;
    localparam [31:0] CLOCK32   = CLOCK_KHZ;
    localparam [31:0] BUILD32   = BUILD_ID;
    localparam [31:0] CAPS32    = FGP_CAPS_SIZE;
    localparam [31:0] STATS32   = FGP_STATS_SIZE;
    // Every cipher (bit CIPHER) and MAC (bit 8 + AUTH) of the protocol.
    localparam [15:0] ALGS = (16'd1 << FGP_CIPHER_NULL) | (16'd1 << FGP_CIPHER_DES_CBC) |
                             (16'd1 << FGP_CIPHER_TDES_CBC) | (16'd1 << (8 + FGP_AUTH_NONE)) |
                             (16'd1 << (8 + FGP_AUTH_HMAC_SHA1)) |
                             (16'd1 << (8 + FGP_AUTH_HMAC_MD5));

    localparam [1:0] K_HDR = 2'd0;

    reg  [31:0] fin_reg, fout_reg, mal_reg, nosa_reg, rsync_reg;
    reg  [159:0] snap_reg;               // STATS payload taken with lr
    reg         busy_reg, busy_new;
    reg  [2:0]  idx_reg, idx_new;        // word being sent
    reg  [1:0]  kind_reg;
    reg  [7:0]  type_reg, status_reg;
    reg  [15:0] sa_reg;
    reg  [31:0] tag_reg;

    assign lr_ready = !busy_reg;
    assign idle = !busy_reg;
    wire take = lr_valid && !busy_reg;

    // NO_SA pulses of this cycle.
    reg [31:0] nosa_inc;
    integer i;
    always @* begin
        nosa_inc = 32'd0;
        for (i = 0; i < N_NOSA; i = i + 1)
            nosa_inc = nosa_inc + {31'd0, ev_no_sa[i]};
    end

    wire [15:0] len = kind_reg == K_HDR ? 16'd0 : kind_reg[0] ? CAPS32[15:0] : STATS32[15:0];
    wire [2:0]  last_idx = kind_reg == K_HDR ? 3'd1 : 3'd5;

    reg [63:0] word;
    always @* begin
        word = 64'd0;
        case (idx_reg)
            3'd0: word = {MAGIC32[7:0], VERSION32[7:0], type_reg, status_reg, len, sa_reg};
            3'd1: word = {tag_reg, 32'd0};
            3'd2: word = kind_reg[0] ? {VERSION32[7:0], LANES32[7:0], LANES32[7:0], 8'd0,
                                        ENTRIES32[15:0], RMAX32[15:0]}
                                     : snap_reg[159:96];
            3'd3: word = kind_reg[0] ? {MAXPL32[15:0], ALGS, CLOCK32} : snap_reg[95:32];
            3'd4: word = kind_reg[0] ? {BUILD32, 32'd0} : {snap_reg[31:0], 32'd0};
            default: word = 64'd0;
        endcase
    end

    assign m_axis_tdata = word;
    assign m_axis_tvalid = busy_reg;
    assign m_axis_tlast = idx_reg == last_idx;
    wire go = busy_reg && m_axis_tready;

    always @* begin
        busy_new = busy_reg;
        idx_new = idx_reg;
        if (take) begin
            busy_new = 1'b1;
            idx_new = 3'd0;
        end else if (go) begin
            idx_new = idx_reg + 3'd1;
            if (idx_reg == last_idx)
                busy_new = 1'b0;
        end
    end

    always @(posedge clk) begin
        busy_reg <= busy_new;
        idx_reg <= idx_new;
        if (take) begin
            kind_reg <= lr_kind;
            type_reg <= lr_type;
            status_reg <= lr_status;
            sa_reg <= lr_sa;
            tag_reg <= lr_tag;
            snap_reg <= {fin_reg, fout_reg, mal_reg, nosa_reg, rsync_reg};
        end
        fin_reg <= fin_reg + {31'd0, ev_frame_in};
        fout_reg <= fout_reg + {31'd0, ev_frame_out};
        mal_reg <= mal_reg + {31'd0, ev_malformed};
        nosa_reg <= nosa_reg + nosa_inc;
        rsync_reg <= rsync_reg + (ev_resync ? 32'd8 : 32'd0);
        if (rst || ev_clear) begin
            fin_reg <= 32'd0;
            fout_reg <= 32'd0;
            mal_reg <= 32'd0;
            nosa_reg <= 32'd0;
            rsync_reg <= 32'd0;
        end
        if (rst) begin
            busy_reg <= 1'b0;
            idx_reg <= 3'd0;
        end
    end

endmodule

`resetall
