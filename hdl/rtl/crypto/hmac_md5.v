`resetall
`default_nettype none

// hmac_md5: streaming MD5 / HMAC-MD5 (RFC 1321, RFC 2104) around one
// md5_core, with the MD5 padding and length done here.
//
// Ports
//   cfg_mode    per message, sampled with its first beat:
//                 0 MD5 of the message, from the RFC 1321 IV.
//                 1 HMAC from precomputed states: the inner hash starts from
//                   cfg_istate with 64 bytes already counted; the outer hash is
//                   one compression of (inner digest || padding) from
//                   cfg_ostate. The result is the MAC; HMAC-MD5-96 (RFC 2403)
//                   is m_axis_tdata[127:32].
//                 2 RAW: compress from the IV with no padding and output the
//                   chaining state (key setup: istate = RAW(K ^ ipad),
//                   ostate = RAW(K ^ opad)). A message that is not a multiple
//                   of 64 bytes is zero-filled to the block; ceil(len/64)
//                   blocks are compressed, so an empty message returns the IV.
//                 3 reserved, behaves as 0.
//   cfg_istate, cfg_ostate  chaining states in digest byte order (as md5_core
//               h_in); used in mode 1 only.
//   s_axis_*    message stream, 64-bit beats, first byte in tdata[63:56].
//               tkeep matters on the tlast beat only: its number of ones is the
//               count of valid bytes, contiguous from tdata[63:56] (0 allowed;
//               an empty message is one tlast beat with tkeep = 0). Bytes past
//               the count are ignored, whatever their value.
//   m_axis_*    one 128-bit result per message, digest byte order (first
//               digest byte in [127:120]), held until taken.
//
// Limits: the byte counter is 32 bits, so a message (plus the 64 bytes counted
// in mode 1) must be shorter than 2^32 bytes; longer ones get a wrong length
// field.
//
// Timing (no stalls on either stream)
//   md5_core takes 65 cycles per block (start cycle + 64 rounds). The block
//   buffer here takes in the next block's 8 beats while the core compresses
//   the current one (the core keeps its own copy of the block), so a long
//   message runs at one block per 65 cycles, the compression time; the
//   stream only sees s_axis_tready low while a full buffer waits for the core.
//   The padding, and a padding-only block when the message ends too close to
//   the block end, are built in one cycle each. Mode 1 adds one outer
//   compression, started in the cycle the inner hash finishes; a 64-byte HMAC
//   message takes 8 + 3 * 65 + 1 = 204 cycles from its first beat to
//   m_axis_tvalid (bench md5 measures and reports these figures).
//   The next message's first block is taken in while the previous message's
//   last compressions run; a result waiting on m_axis_tready holds the core,
//   not the input.
module hmac_md5 (
    input  wire         clk,
    input  wire         rst,
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

localparam [127:0] MD5_IV = 128'h0123456789abcdeffedcba9876543210;

// What the core does with a block, and what follows its compression.
localparam [1:0] KIND_MID   = 2'd0;  // more blocks of this message follow
localparam [1:0] KIND_INNER = 2'd1;  // last inner block: the outer block follows
localparam [1:0] KIND_FINAL = 2'd2;  // h_out is the message's result

// MD5 length field: bit count, 64-bit little-endian, as one stream word.
function [63:0] len_word;
    input [31:0] nbytes;
    reg   [63:0] bits;
    begin
        bits = {29'd0, nbytes, 3'd0};
        len_word = {bits[7:0], bits[15:8], bits[23:16], bits[31:24],
                    bits[39:32], bits[47:40], bits[55:48], bits[63:56]};
    end
endfunction

// Counted with gates (a 4-bit incrementer per bit, written bitwise) rather
// than a sum, which synthesis maps to a chain of carry chains: the count
// heads the padding paths (tkeep -> count -> length -> buffer).
function [3:0] popcount8;
    input [7:0] x;
    integer k;
    begin
        popcount8 = 4'd0;
        for (k = 0; k < 8; k = k + 1)
            popcount8 = {popcount8[3] ^ (x[k] & popcount8[2] & popcount8[1] & popcount8[0]),
                         popcount8[2] ^ (x[k] & popcount8[1] & popcount8[0]),
                         popcount8[1] ^ (x[k] & popcount8[0]),
                         popcount8[0] ^ x[k]};
    end
endfunction

// ---------------------------------------------------------------- input side
// Fills one 512-bit block buffer from the stream and pads the message. A full
// buffer is a token for the core side: tok_first (start from the message's
// initial state), tok_kind, and tok_skip (RAW message ending on a block
// boundary: no compression, just output the chaining state).
reg [511:0] buf_reg, buf_new;
reg         buf_we;
reg [2:0]   widx_reg, widx_new;          // next word of the buffer
reg         full_reg, full_new;          // token ready for the core side
reg         tok_first_reg, tok_first_new;
reg         tok_skip_reg, tok_skip_new;
reg [1:0]   tok_kind_reg, tok_kind_new;
reg         first_beat_reg, first_beat_new;  // next beat starts a message
reg         blk_first_reg, blk_first_new;    // no token sent yet for this message
reg         raw_reg, hmac_reg;               // mode of the message being read
reg [31:0]  len_reg, len_new;                // bytes so far (+64 in mode 1)
reg [127:0] init_reg;                        // initial chaining state
reg [127:0] ostate_in_reg;                   // cfg_ostate of the message being read
reg         cfg_we;
reg         extra_reg, extra_new;            // a length-only block is still due
reg         extra80_reg, extra80_new;        // ... and it starts with the 0x80 byte

// ----------------------------------------------------------------- core side
reg [127:0] ostate_reg;                      // outer state of the message in the core
reg         ostate_we;
reg [1:0]   kind_reg, kind_new;              // kind of the running compression
reg         fin_pend_reg, fin_pend_new;      // result waits for the output register
reg [127:0] out_reg, out_new;
reg         out_we;
reg         out_valid_reg, out_valid_new;

wire         core_ready, core_valid;
wire [127:0] core_h_out;
reg          core_start;
reg  [127:0] core_h_in;
reg  [511:0] core_block;

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

assign s_axis_tready = !full_reg && !extra_reg;
assign m_axis_tdata = out_reg;
assign m_axis_tvalid = out_valid_reg;

// Core side handshake: the core takes the buffered token, starts the outer
// block, or holds while a result waits for the output register.
wire fin_now = (core_valid && kind_reg == KIND_FINAL) || fin_pend_reg;
wire out_free = !out_valid_reg || m_axis_tready;
wire outer_go = core_valid && kind_reg == KIND_INNER;
wire tok_ready = full_reg && core_ready && !outer_go;
wire start_go = tok_ready && !tok_skip_reg && !(fin_now && !out_free);
wire skip_go = tok_ready && tok_skip_reg && !fin_now && out_free;
wire tok_take = start_go || skip_go;

// Beat decoding (meaningful when a beat is accepted).
wire        beat = s_axis_tvalid && s_axis_tready;
wire        msg_raw = first_beat_reg ? (cfg_mode == 2'd2) : raw_reg;
wire        msg_hmac = first_beat_reg ? (cfg_mode == 2'd1) : hmac_reg;
wire        msg_first = first_beat_reg || blk_first_reg;
wire [3:0]  nbytes = s_axis_tlast ? popcount8(s_axis_tkeep) : 4'd8;
wire [31:0] len_base = first_beat_reg ? (msg_hmac ? 32'd64 : 32'd0) : len_reg;
// len_base + nbytes, with the long part (the carry into bits 31:3) added
// beside the count rather than after it.
wire [3:0]  len_lo = {1'b0, len_base[2:0]} + nbytes;
wire [28:0] len_hi_inc = len_base[31:3] + 29'd1;
wire [31:0] len_sum = {len_lo[3] ? len_hi_inc : len_base[31:3], len_lo[2:0]};
// 0x80 byte position {widx_reg, 000} + nbytes, 0..64 (nbytes <= 8 carries
// into widx_reg only when it is 8), and whether the length still fits.
wire        all8 = nbytes[3];
wire [2:0]  pad_hi = {widx_reg[2] ^ (all8 & widx_reg[1] & widx_reg[0]),
                      widx_reg[1] ^ (all8 & widx_reg[0]),
                      widx_reg[0] ^ all8};
wire [6:0]  pad_pos = {all8 && widx_reg == 3'd7, pad_hi, nbytes[2:0]};
wire        len_fits = widx_reg < 3'd6 || (widx_reg == 3'd6 && !all8);
wire [1:0]  last_kind = msg_hmac ? KIND_INNER : KIND_FINAL;

// The beat's valid bytes, then the 0x80 byte when the message ends inside it.
reg [63:0] beat_word;
integer i;
always @* begin
    for (i = 0; i < 8; i = i + 1) begin
        if (i < {28'd0, nbytes})
            beat_word[63 - 8 * i -: 8] = s_axis_tdata[63 - 8 * i -: 8];
        else if (i == {28'd0, nbytes} && !msg_raw)
            beat_word[63 - 8 * i -: 8] = 8'h80;
        else
            beat_word[63 - 8 * i -: 8] = 8'h00;
    end
end

integer j;
always @* begin
    j = 0;  // loop variable: assigned on every path, so no latch
    buf_new = buf_reg;
    buf_we = 1'b0;
    widx_new = widx_reg;
    full_new = full_reg;
    tok_first_new = tok_first_reg;
    tok_skip_new = tok_skip_reg;
    tok_kind_new = tok_kind_reg;
    first_beat_new = first_beat_reg;
    blk_first_new = blk_first_reg;
    len_new = len_reg;
    cfg_we = 1'b0;
    extra_new = extra_reg;
    extra80_new = extra80_reg;

    if (beat) begin
        cfg_we = first_beat_reg;
        first_beat_new = s_axis_tlast;
        blk_first_new = msg_first;
        len_new = len_sum;
        widx_new = s_axis_tlast ? 3'd0 : widx_reg + 3'd1;
        buf_we = 1'b1;
        buf_new[511 - 64 * widx_reg -: 64] = beat_word;
        tok_first_new = msg_first;
        tok_skip_new = 1'b0;
        if (!s_axis_tlast) begin
            if (widx_reg == 3'd7) begin
                full_new = 1'b1;
                tok_kind_new = KIND_MID;
                blk_first_new = 1'b0;
            end
        end else begin
            // Clear the rest of the block, then place the padding.
            for (j = 0; j < 8; j = j + 1)
                if (j > widx_reg)
                    buf_new[511 - 64 * j -: 64] = 64'd0;
            full_new = 1'b1;
            if (msg_raw) begin
                tok_kind_new = KIND_FINAL;
                tok_skip_new = nbytes == 4'd0 && widx_reg == 3'd0;
            end else begin
                if (nbytes == 4'd8 && widx_reg != 3'd7)
                    buf_new[447 - 64 * widx_reg -: 64] = 64'h80 << 56;
                if (len_fits) begin
                    buf_new[63:0] = len_word(len_sum);
                    tok_kind_new = last_kind;
                end else begin
                    tok_kind_new = KIND_MID;
                    extra_new = 1'b1;
                    extra80_new = pad_pos == 7'd64;
                end
            end
        end
    end else if (extra_reg && !full_reg) begin
        buf_we = 1'b1;
        buf_new = {extra80_reg ? 64'h80 << 56 : 64'd0, 384'd0, len_word(len_reg)};
        full_new = 1'b1;
        tok_first_new = 1'b0;
        tok_skip_new = 1'b0;
        tok_kind_new = hmac_reg ? KIND_INNER : KIND_FINAL;
        extra_new = 1'b0;
    end

    // The core side takes the token (tok_take above).
    if (tok_take)
        full_new = 1'b0;
end

// Outer block: inner digest, 0x80, zeros, length (64 + 16) * 8 = 640 bits.
wire [511:0] outer_block = {core_h_out, 8'h80, 312'd0, 64'h8002000000000000};

always @* begin
    core_start = outer_go || start_go;
    core_h_in = core_h_out;
    core_block = buf_reg;
    if (outer_go) begin
        core_h_in = ostate_reg;
        core_block = outer_block;
    end else if (tok_first_reg) begin
        core_h_in = init_reg;
    end

    kind_new = kind_reg;
    if (outer_go)
        kind_new = KIND_FINAL;
    else if (start_go)
        kind_new = tok_kind_reg;
    ostate_we = start_go && tok_first_reg;

    fin_pend_new = fin_now && !out_free;
    out_new = core_h_out;
    out_we = 1'b0;
    out_valid_new = out_valid_reg && !m_axis_tready;
    if (fin_now && out_free) begin
        out_we = 1'b1;
        out_valid_new = 1'b1;
    end else if (skip_go) begin
        out_new = tok_first_reg ? init_reg : core_h_out;
        out_we = 1'b1;
        out_valid_new = 1'b1;
    end
end

always @(posedge clk) begin
    if (rst) begin
        buf_reg <= 512'd0;
        widx_reg <= 3'd0;
        full_reg <= 1'b0;
        tok_first_reg <= 1'b0;
        tok_skip_reg <= 1'b0;
        tok_kind_reg <= KIND_MID;
        first_beat_reg <= 1'b1;
        blk_first_reg <= 1'b0;
        raw_reg <= 1'b0;
        hmac_reg <= 1'b0;
        len_reg <= 32'd0;
        init_reg <= 128'd0;
        ostate_in_reg <= 128'd0;
        extra_reg <= 1'b0;
        extra80_reg <= 1'b0;
        ostate_reg <= 128'd0;
        kind_reg <= KIND_MID;
        fin_pend_reg <= 1'b0;
        out_reg <= 128'd0;
        out_valid_reg <= 1'b0;
    end else begin
        if (buf_we)
            buf_reg <= buf_new;
        widx_reg <= widx_new;
        full_reg <= full_new;
        tok_first_reg <= tok_first_new;
        tok_skip_reg <= tok_skip_new;
        tok_kind_reg <= tok_kind_new;
        first_beat_reg <= first_beat_new;
        blk_first_reg <= blk_first_new;
        len_reg <= len_new;
        if (cfg_we) begin
            raw_reg <= cfg_mode == 2'd2;
            hmac_reg <= cfg_mode == 2'd1;
            init_reg <= cfg_mode == 2'd1 ? cfg_istate : MD5_IV;
            ostate_in_reg <= cfg_ostate;
        end
        extra_reg <= extra_new;
        extra80_reg <= extra80_new;
        if (ostate_we)
            ostate_reg <= ostate_in_reg;
        kind_reg <= kind_new;
        fin_pend_reg <= fin_pend_new;
        if (out_we)
            out_reg <= out_new;
        out_valid_reg <= out_valid_new;
    end
end

endmodule

`resetall
