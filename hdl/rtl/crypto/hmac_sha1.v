`resetall
`default_nettype none
// hmac_sha1: streaming SHA-1 / HMAC-SHA1 around sha1_core, with message
// padding and length (FIPS 180-4 5.1.1) and the HMAC outer hash (RFC 2104).
//
// Ports
//   cfg_mode    sampled on the first beat of each message:
//               0 SHA-1 of the message from the FIPS IV.
//               1 HMAC from precomputed states: the inner hash starts from
//                 cfg_istate with 64 bytes already counted; the outer hash
//                 is one compression of (inner digest || padding) from
//                 cfg_ostate.
//               2 RAW: compress from the FIPS IV with no padding and output
//                 the chaining state (key setup: istate = RAW(K ^ ipad),
//                 ostate = RAW(K ^ opad)). A message that is not a multiple
//                 of 64 bytes is zero-filled to the block; an empty message
//                 outputs the IV.
//               3 reserved, behaves as 0.
//   cfg_istate, cfg_ostate   H0..H4 (H0 in [159:128]), used in mode 1,
//               sampled on the first beat.
//   s_axis_*    message, 64-bit big-endian beats (first byte in [63:56]).
//               tkeep matters only on the tlast beat: valid bytes contiguous
//               from the MSB (bit 7 <-> [63:56]); an empty message is one
//               tlast beat with tkeep = 0. Non-contiguous tkeep: undefined.
//   m_axis_*    one 160-bit result per message, in message order: digest,
//               HMAC or chaining state, H0 in [159:128]. HMAC-SHA1-96
//               (RFC 2404) is [159:64].
//
// Timing (no stalls; one compression = 81 cycles, see sha1_core)
//   A 64-byte block buffer fills while the core compresses the previous
//   block (the core keeps its own copy of the block), so a long message
//   runs at 81 cycles per 64-byte block. A message of L bytes costs
//   ceil((L + 9) / 64) compressions, plus one outer compression in mode 1.
//   64-byte HMAC message (mode 1), first beat to m_axis_tvalid: 8 beats +
//   3 x 81 + 1 = 252 cycles. The next message's beats are accepted while
//   the previous message finishes (final blocks, outer hash, output wait).
//
// Length limit: the length field is a BLK_W-bit count of 64-byte blocks
// plus the offset in the block. With BLK_W = 32 a message (plus the 64 key
// bytes counted in mode 1) must be shorter than 2^38 bytes (256 GiB); a
// longer one wraps the length field and gives a wrong digest.

module hmac_sha1 #(
    parameter BLK_W = 32            // 8..54
) (
    input  wire         clk,
    input  wire         rst,
    input  wire [1:0]   cfg_mode,
    input  wire [159:0] cfg_istate,
    input  wire [159:0] cfg_ostate,
    input  wire [63:0]  s_axis_tdata,
    input  wire [7:0]   s_axis_tkeep,
    input  wire         s_axis_tvalid,
    output wire         s_axis_tready,
    input  wire         s_axis_tlast,
    output wire [159:0] m_axis_tdata,
    output wire         m_axis_tvalid,
    input  wire         m_axis_tready
);

    localparam [159:0] IV = 160'h67452301_efcdab89_98badcfe_10325476_c3d2e1f0;
    // Outer block tail after the 20-byte inner digest: 0x80, zeros, and the
    // length of (64-byte key block || 20-byte digest) = 672 bits.
    localparam [351:0] OUTER_PAD = {32'h80000000, 256'd0, 64'd672};
    localparam [63:0] MARK_WORD = 64'h80000000_00000000;

    localparam S_DATA = 1'b0;   // accepting beats
    localparam S_PAD  = 1'b1;   // writing the extra padding block

    // ---------------------------------------------------------------- regs
    // Input side: message being received and the block buffer.
    reg          in_state_reg, in_state_new;
    reg          in_first_reg, in_first_new;       // next beat starts a message
    reg          in_pad_reg, in_hmac_reg;          // mode of the message
    reg  [159:0] in_istate_reg, in_ostate_reg;
    reg  [BLK_W-1:0] blk_cnt_reg, blk_cnt_new;     // 64-byte blocks counted
    reg  [5:0]   pos_reg, pos_new;                 // bytes in the last block
    reg  [511:0] buf_reg, buf_new;
    reg  [2:0]   wptr_reg, wptr_new;
    reg          buf_full_reg, buf_full_new;
    reg          buf_first_reg, buf_first_new;     // first block of its message
    reg          buf_final_reg, buf_final_new;     // last block of its message
    reg          buf_null_reg, buf_null_new;       // RAW end with no data block
    reg          cfg_we;
    // Core side: the message in the core and the result.
    reg          run_final_reg, run_outer_reg, core_hmac_reg;
    reg  [159:0] core_ostate_reg;
    reg          pend_out_reg;
    reg          out_valid_reg, out_valid_new;
    reg  [159:0] out_data_reg;

    // ---------------------------------------------------------------- core
    wire         core_ready, core_valid;
    wire [159:0] core_h_out;
    wire         core_start;
    wire [159:0] core_h_in;
    wire [511:0] core_block;

    sha1_core core (
        .clk(clk), .rst(rst),
        .start(core_start), .h_in(core_h_in), .block(core_block),
        .ready(core_ready), .h_out(core_h_out), .valid(core_valid)
    );

    // ---------------------------------------------------------------- core side
    // res_now: the core finished a message's last compression this cycle.
    wire res_now = core_valid && (run_outer_reg || (run_final_reg && !core_hmac_reg));
    wire outer_start = core_valid && !run_outer_reg && run_final_reg && core_hmac_reg;
    wire res_avail = res_now || pend_out_reg;
    wire out_free = !out_valid_reg || m_axis_tready;
    // The core may take a buffered block (or the buffer's null token may
    // produce a result) only when no result of an earlier message waits.
    wire core_free = core_ready && !outer_start && !(res_avail && !out_free);
    wire blk_start = buf_full_reg && !buf_null_reg && core_free;
    wire null_go = buf_full_reg && buf_null_reg && core_free && !res_avail && out_free;
    wire buf_take = blk_start || null_go;
    wire out_we = (res_avail && out_free) || null_go;

    // ---------------------------------------------------------------- input
    wire beat_go = s_axis_tvalid && s_axis_tready;
    assign s_axis_tready = (in_state_reg == S_DATA) && !buf_full_reg;

    // The message's mode and block count: from cfg on its first beat.
    wire cur_pad  = in_first_reg ? (cfg_mode != 2'd2) : in_pad_reg;
    wire [BLK_W-1:0] cur_blk = in_first_reg ? {{(BLK_W-1){1'b0}}, cfg_mode == 2'd1}
                                            : blk_cnt_reg;

    wire [7:0] keep = s_axis_tlast ? s_axis_tkeep : 8'hff;
    reg  [63:0] keep_mask, mark;
    reg  [3:0]  nbytes;
    integer i, j;
    // The byte count is counted with gates (a 4-bit incrementer per keep
    // bit, written bitwise) rather than eight chained adds, which synthesis
    // maps to eight carry chains in a row: this path (tkeep -> count ->
    // position -> length word -> buffer) was the engine's critical path.
    always @* begin
        nbytes = 4'd0;
        for (i = 0; i < 8; i = i + 1) begin
            keep_mask[8*i +: 8] = {8{keep[i]}};
            // 0x80 in the first byte after the valid ones
            mark[8*i +: 8] = {!keep[i] && (i == 7 || keep[(i + 1) % 8]), 7'd0};
            nbytes = {nbytes[3] ^ (keep[i] & nbytes[2] & nbytes[1] & nbytes[0]),
                      nbytes[2] ^ (keep[i] & nbytes[1] & nbytes[0]),
                      nbytes[1] ^ (keep[i] & nbytes[0]),
                      nbytes[0] ^ keep[i]};
        end
    end

    // Bytes in the block, {wptr_reg, 000} + nbytes (0..64), and whether the
    // length still fits after them (p <= 55), from wptr_reg and nbytes
    // directly: nbytes is at most 8, so it only carries into wptr_reg when
    // it is 8.
    wire        all8 = nbytes[3];
    wire [2:0]  p_hi = {wptr_reg[2] ^ (all8 & wptr_reg[1] & wptr_reg[0]),
                        wptr_reg[1] ^ (all8 & wptr_reg[0]),
                        wptr_reg[0] ^ all8};
    wire [6:0]  p = {all8 && wptr_reg == 3'd7, p_hi, nbytes[2:0]};
    wire        full_beat = keep[0];
    wire        room = wptr_reg < 3'd6 || (wptr_reg == 3'd6 && !all8);
    wire [63:0] beat_word = (s_axis_tdata & keep_mask) |
                            ((s_axis_tlast && cur_pad) ? mark : 64'd0);

    wire [BLK_W-1:0] len_blk = (in_state_reg == S_PAD) ? blk_cnt_reg : cur_blk;
    wire [5:0]       len_pos = (in_state_reg == S_PAD) ? pos_reg : p[5:0];
    wire [63:0]      len_bits = {{(55 - BLK_W){1'b0}}, len_blk, len_pos, 3'd0};

    // Word i (after the last data word) on a tlast beat.
    function [63:0] tail_word(input integer idx);
        begin
            tail_word = 64'd0;
            if (cur_pad && full_beat && idx[2:0] == wptr_reg + 3'd1)
                tail_word = MARK_WORD;
            else if (cur_pad && room && idx == 7)
                tail_word = len_bits;
        end
    endfunction

    always @* begin
        j = 0;  // loop variable: assigned on every path, so no latch
        in_state_new = in_state_reg;
        in_first_new = in_first_reg;
        blk_cnt_new = blk_cnt_reg;
        pos_new = pos_reg;
        buf_new = buf_reg;
        wptr_new = wptr_reg;
        buf_full_new = buf_full_reg;
        buf_first_new = buf_first_reg;
        buf_final_new = buf_final_reg;
        buf_null_new = buf_null_reg;
        cfg_we = 1'b0;

        if (beat_go) begin
            cfg_we = in_first_reg;
            in_first_new = 1'b0;
            if (wptr_reg == 3'd0)
                buf_first_new = in_first_reg;
            for (j = 0; j < 8; j = j + 1) begin
                if (wptr_reg == j[2:0])
                    buf_new[511 - 64*j -: 64] = beat_word;
                else if (s_axis_tlast && wptr_reg < j[2:0])
                    buf_new[511 - 64*j -: 64] = tail_word(j);
            end
            wptr_new = wptr_reg + 3'd1;
            blk_cnt_new = cur_blk + {{(BLK_W-1){1'b0}}, wptr_reg == 3'd7};
            buf_full_new = wptr_reg == 3'd7;
            buf_final_new = 1'b0;
            buf_null_new = 1'b0;
            if (s_axis_tlast) begin
                wptr_new = 3'd0;
                buf_full_new = 1'b1;
                if (!cur_pad) begin
                    // RAW: the block ends here; no block at all if empty
                    buf_final_new = 1'b1;
                    buf_null_new = p == 7'd0;
                    in_first_new = 1'b1;
                end else if (room) begin
                    buf_final_new = 1'b1;
                    in_first_new = 1'b1;
                end else begin
                    // 0x80 and/or the length go into one more block
                    blk_cnt_new = cur_blk + {{(BLK_W-1){1'b0}}, p[6]};
                    pos_new = p[5:0];
                    in_state_new = S_PAD;
                end
            end
        end else if (in_state_reg == S_PAD && !buf_full_reg) begin
            buf_new = {(pos_reg == 6'd0) ? MARK_WORD : 64'd0, 384'd0, len_bits};
            buf_full_new = 1'b1;
            buf_first_new = 1'b0;
            buf_final_new = 1'b1;
            buf_null_new = 1'b0;
            in_first_new = 1'b1;
            in_state_new = S_DATA;
        end

        if (buf_take)
            buf_full_new = 1'b0;
    end

    assign core_start = blk_start || outer_start;
    assign core_h_in = outer_start ? core_ostate_reg :
                       !buf_first_reg ? core_h_out :
                       in_hmac_reg ? in_istate_reg : IV;
    assign core_block = outer_start ? {core_h_out, OUTER_PAD} : buf_reg;

    always @* begin
        out_valid_new = out_valid_reg;
        if (out_we)
            out_valid_new = 1'b1;
        else if (m_axis_tready)
            out_valid_new = 1'b0;
    end

    assign m_axis_tdata = out_data_reg;
    assign m_axis_tvalid = out_valid_reg;

    // ---------------------------------------------------------------- clock
    always @(posedge clk) begin
        in_state_reg <= in_state_new;
        in_first_reg <= in_first_new;
        blk_cnt_reg <= blk_cnt_new;
        pos_reg <= pos_new;
        buf_reg <= buf_new;
        wptr_reg <= wptr_new;
        buf_full_reg <= buf_full_new;
        buf_first_reg <= buf_first_new;
        buf_final_reg <= buf_final_new;
        buf_null_reg <= buf_null_new;
        if (cfg_we) begin
            in_pad_reg <= cfg_mode != 2'd2;
            in_hmac_reg <= cfg_mode == 2'd1;
            in_istate_reg <= cfg_istate;
            in_ostate_reg <= cfg_ostate;
        end
        if (blk_start) begin
            run_final_reg <= buf_final_reg;
            run_outer_reg <= 1'b0;
            if (buf_first_reg) begin
                core_hmac_reg <= in_hmac_reg;
                core_ostate_reg <= in_ostate_reg;
            end
        end else if (outer_start) begin
            run_outer_reg <= 1'b1;
        end
        pend_out_reg <= res_avail && !out_free;
        out_valid_reg <= out_valid_new;
        if (out_we)
            out_data_reg <= (null_go && buf_first_reg) ? IV : core_h_out;
        if (rst) begin
            in_state_reg <= S_DATA;
            in_first_reg <= 1'b1;
            wptr_reg <= 3'd0;
            buf_full_reg <= 1'b0;
            run_final_reg <= 1'b0;
            run_outer_reg <= 1'b0;
            pend_out_reg <= 1'b0;
            out_valid_reg <= 1'b0;
        end
    end

endmodule

`resetall
