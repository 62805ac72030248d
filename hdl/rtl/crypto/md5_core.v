`resetall
`default_nettype none

// md5_core: one MD5 compression (RFC 1321 section 3.4), one round per clock.
//
// Ports
//   start   begins a compression of (h_in, block); accepted only when ready=1,
//           ignored otherwise.
//   h_in    chaining state A,B,C,D in digest byte order: h_in[127:120] is the
//           first digest byte (the low byte of A), h_in[7:0] the last (the
//           high byte of D). The RFC 1321 IV is 128'h0123456789abcdeffedcba9876543210.
//   block   the 64 message bytes, first byte in block[511:504]; the core does
//           the little-endian word conversion (M[0] is bytes 0..3 with byte 0
//           as its low byte). h_in and block are sampled with start; they
//           feed one add (the pre-sum of round 0) before the registers.
//   ready   high while idle; it is already high in the cycle valid pulses, so
//           a new start can follow in that very cycle.
//   h_out   the new chaining state h_in + compress(h_in, block), same byte
//           order as h_in. Meaningful from valid until the next start (it is
//           loaded with h_in at start and accumulates into place).
//   valid   one-cycle pulse when h_out is ready.
//
// Timing
//   Latency 65 cycles: start high in cycle t loads the registers, rounds 0..63
//   run in cycles t+1..t+64 (the chaining addition folded into round 63), and
//   valid is high in cycle t+65. Back to back (start in each valid cycle) one
//   block every 65 cycles.
//
// Datapath: round i computes b' = b + rotl(F_i(b,c,d) + a + K[i] + M[g(i)], s(i))
// with a' = d, c' = b, d' = c. The term a + K[i] + M[g(i)] of the next round
// only needs the current d, so it is precomputed one cycle early (pre_reg):
// the critical path of a round is F, one add, the rotation and one add. The
// final chaining addition folds into round 63 as (H_B + b) + rot, which keeps
// that path the same length. K[i] + M[g(i)] is in turn summed one more
// round ahead (mk_reg), from a round counter running two ahead (ri_reg) and
// the message index g registered from it (g_reg), so that pre_reg takes a
// single two-input add and no counter, index or word multiplexer is in
// front of it.
module md5_core (
    input  wire         clk,
    input  wire         rst,
    input  wire         start,
    input  wire [127:0] h_in,
    input  wire [511:0] block,
    output wire         ready,
    output wire [127:0] h_out,
    output wire         valid
);

// Byte swap of a 32-bit word: digest/stream byte order <-> MD5 integer.
function [31:0] bswap32;
    input [31:0] x;
    bswap32 = {x[7:0], x[15:8], x[23:16], x[31:24]};
endfunction

// Round constants T[i+1] = floor(2^32 * abs(sin(i+1))), RFC 1321 section 3.4.
function [31:0] md5_k;
    input [5:0] i;
    case (i)
        6'd0: md5_k = 32'hd76aa478;
        6'd1: md5_k = 32'he8c7b756;
        6'd2: md5_k = 32'h242070db;
        6'd3: md5_k = 32'hc1bdceee;
        6'd4: md5_k = 32'hf57c0faf;
        6'd5: md5_k = 32'h4787c62a;
        6'd6: md5_k = 32'ha8304613;
        6'd7: md5_k = 32'hfd469501;
        6'd8: md5_k = 32'h698098d8;
        6'd9: md5_k = 32'h8b44f7af;
        6'd10: md5_k = 32'hffff5bb1;
        6'd11: md5_k = 32'h895cd7be;
        6'd12: md5_k = 32'h6b901122;
        6'd13: md5_k = 32'hfd987193;
        6'd14: md5_k = 32'ha679438e;
        6'd15: md5_k = 32'h49b40821;
        6'd16: md5_k = 32'hf61e2562;
        6'd17: md5_k = 32'hc040b340;
        6'd18: md5_k = 32'h265e5a51;
        6'd19: md5_k = 32'he9b6c7aa;
        6'd20: md5_k = 32'hd62f105d;
        6'd21: md5_k = 32'h02441453;
        6'd22: md5_k = 32'hd8a1e681;
        6'd23: md5_k = 32'he7d3fbc8;
        6'd24: md5_k = 32'h21e1cde6;
        6'd25: md5_k = 32'hc33707d6;
        6'd26: md5_k = 32'hf4d50d87;
        6'd27: md5_k = 32'h455a14ed;
        6'd28: md5_k = 32'ha9e3e905;
        6'd29: md5_k = 32'hfcefa3f8;
        6'd30: md5_k = 32'h676f02d9;
        6'd31: md5_k = 32'h8d2a4c8a;
        6'd32: md5_k = 32'hfffa3942;
        6'd33: md5_k = 32'h8771f681;
        6'd34: md5_k = 32'h6d9d6122;
        6'd35: md5_k = 32'hfde5380c;
        6'd36: md5_k = 32'ha4beea44;
        6'd37: md5_k = 32'h4bdecfa9;
        6'd38: md5_k = 32'hf6bb4b60;
        6'd39: md5_k = 32'hbebfbc70;
        6'd40: md5_k = 32'h289b7ec6;
        6'd41: md5_k = 32'heaa127fa;
        6'd42: md5_k = 32'hd4ef3085;
        6'd43: md5_k = 32'h04881d05;
        6'd44: md5_k = 32'hd9d4d039;
        6'd45: md5_k = 32'he6db99e5;
        6'd46: md5_k = 32'h1fa27cf8;
        6'd47: md5_k = 32'hc4ac5665;
        6'd48: md5_k = 32'hf4292244;
        6'd49: md5_k = 32'h432aff97;
        6'd50: md5_k = 32'hab9423a7;
        6'd51: md5_k = 32'hfc93a039;
        6'd52: md5_k = 32'h655b59c3;
        6'd53: md5_k = 32'h8f0ccc92;
        6'd54: md5_k = 32'hffeff47d;
        6'd55: md5_k = 32'h85845dd1;
        6'd56: md5_k = 32'h6fa87e4f;
        6'd57: md5_k = 32'hfe2ce6e0;
        6'd58: md5_k = 32'ha3014314;
        6'd59: md5_k = 32'h4e0811a1;
        6'd60: md5_k = 32'hf7537e82;
        6'd61: md5_k = 32'hbd3af235;
        6'd62: md5_k = 32'h2ad7d2bb;
        6'd63: md5_k = 32'heb86d391;
        default: md5_k = 32'h00000000;
    endcase
endfunction

// Index of the message word used in round i.
function [3:0] md5_g;
    input [5:0] i;
    case (i[5:4])
        2'd0: md5_g = i[3:0];
        // 5i+1, 3i+5, 7i (mod 16) as shifts and adds: written as products,
        // yosys maps them to a DSP multiplier on the critical path
        2'd1: md5_g = {i[1:0], 2'b00} + i[3:0] + 4'd1;
        2'd2: md5_g = {i[2:0], 1'b0} + i[3:0] + 4'd5;
        default: md5_g = {i[0], 3'b000} - i[3:0];
    endcase
endfunction

// Round function F, G, H or I.
function [31:0] md5_f;
    input [1:0]  group;
    input [31:0] x, y, z;
    case (group)
        2'd0: md5_f = (x & y) | (~x & z);
        2'd1: md5_f = (x & z) | (y & ~z);
        2'd2: md5_f = x ^ y ^ z;
        default: md5_f = y ^ (x | ~z);
    endcase
endfunction

// Left rotation by the round's shift amount s(i) (constant per case).
function [31:0] md5_rot;
    input [3:0]  sel;   // {round group, round index mod 4}
    input [31:0] x;
    case (sel)
        4'h0: md5_rot = {x[24:0], x[31:25]};  // 7
        4'h1: md5_rot = {x[19:0], x[31:20]};  // 12
        4'h2: md5_rot = {x[14:0], x[31:15]};  // 17
        4'h3: md5_rot = {x[9:0],  x[31:10]};  // 22
        4'h4: md5_rot = {x[26:0], x[31:27]};  // 5
        4'h5: md5_rot = {x[22:0], x[31:23]};  // 9
        4'h6: md5_rot = {x[17:0], x[31:18]};  // 14
        4'h7: md5_rot = {x[11:0], x[31:12]};  // 20
        4'h8: md5_rot = {x[27:0], x[31:28]};  // 4
        4'h9: md5_rot = {x[20:0], x[31:21]};  // 11
        4'ha: md5_rot = {x[15:0], x[31:16]};  // 16
        4'hb: md5_rot = {x[8:0],  x[31:9]};   // 23
        4'hc: md5_rot = {x[25:0], x[31:26]};  // 6
        4'hd: md5_rot = {x[21:0], x[31:22]};  // 10
        4'he: md5_rot = {x[16:0], x[31:17]};  // 15
        default: md5_rot = {x[10:0], x[31:11]};  // 21
    endcase
endfunction

// Message word j (integer value) of a block held in stream byte order.
function [31:0] msg_word;
    input [511:0] blk;
    input [3:0]   j;
    msg_word = bswap32(blk[511 - 32 * j -: 32]);
endfunction

reg [31:0]  a_reg, a_new;
reg [31:0]  b_reg, b_new;
reg [31:0]  c_reg, c_new;
reg [31:0]  d_reg, d_new;
reg         abcd_we;
reg [31:0]  pre_reg, pre_new;  // a + K[i] + M[g(i)] of the current round
reg [31:0]  mk_reg, mk_new;    // K[i+1] + M[g(i+1)], i the current round
reg [5:0]   ri_reg, ri_new;    // i + 2 (mod 64)
reg [3:0]   g_reg, g_new;      // g(i + 2)
reg [127:0] h_reg, h_new;      // {A,B,C,D} as integers
reg         h_we;
reg [511:0] blk_reg;    // message block, stream byte order
reg         blk_we;
reg [5:0]   round_reg, round_new;
reg         busy_reg, busy_new;
reg         valid_reg, valid_new;

wire [31:0] h_a = h_reg[127:96];
wire [31:0] h_b = h_reg[95:64];
wire [31:0] h_c = h_reg[63:32];
wire [31:0] h_d = h_reg[31:0];

// One round of the datapath.
wire [5:0]  round_next = round_reg + 6'd1;
wire [5:0]  ri_next = ri_reg + 6'd1;
wire [31:0] f_val = md5_f(round_reg[5:4], b_reg, c_reg, d_reg);
wire [31:0] rot_val = md5_rot({round_reg[5:4], round_reg[1:0]}, f_val + pre_reg);
wire [31:0] hb_plus_b = h_b + b_reg;

// Chaining state of h_in as integers A, B, C, D.
wire [31:0] in_a = bswap32(h_in[127:96]);
wire [31:0] in_b = bswap32(h_in[95:64]);
wire [31:0] in_c = bswap32(h_in[63:32]);
wire [31:0] in_d = bswap32(h_in[31:0]);

assign ready = !busy_reg;
assign valid = valid_reg;
assign h_out = {bswap32(h_a), bswap32(h_b), bswap32(h_c), bswap32(h_d)};

always @* begin
    a_new = a_reg;
    b_new = b_reg;
    c_new = c_reg;
    d_new = d_reg;
    abcd_we = 1'b0;
    pre_new = pre_reg;
    mk_new = mk_reg;
    ri_new = ri_reg;
    g_new = g_reg;
    h_new = h_reg;
    h_we = 1'b0;
    blk_we = 1'b0;
    round_new = round_reg;
    busy_new = busy_reg;
    valid_new = 1'b0;

    if (!busy_reg) begin
        // The round pipeline is loaded in every idle cycle, start or not
        // (its values matter only once busy): start, which comes late
        // through the HMAC wrapper's control, then does not select the
        // adders' inputs.
        pre_new = in_a + md5_k(6'd0) + msg_word(block, 4'd0);
        mk_new = md5_k(6'd1) + msg_word(block, md5_g(6'd1));
        ri_new = 6'd2;
        g_new = md5_g(6'd2);
        round_new = 6'd0;
        if (start) begin
            a_new = in_a;
            b_new = in_b;
            c_new = in_c;
            d_new = in_d;
            abcd_we = 1'b1;
            h_new = {in_a, in_b, in_c, in_d};
            h_we = 1'b1;
            blk_we = 1'b1;
            busy_new = 1'b1;
        end
    end else begin
        a_new = d_reg;
        b_new = b_reg + rot_val;
        c_new = b_reg;
        d_new = c_reg;
        abcd_we = 1'b1;
        pre_new = d_reg + mk_reg;
        mk_new = md5_k(ri_reg) + msg_word(blk_reg, g_reg);
        ri_new = ri_next;
        g_new = md5_g(ri_next);
        round_new = round_next;
        if (round_reg == 6'd63) begin
            h_new = {h_a + d_reg, hb_plus_b + rot_val, h_c + b_reg, h_d + c_reg};
            h_we = 1'b1;
            busy_new = 1'b0;
            valid_new = 1'b1;
        end
    end
end

always @(posedge clk) begin
    if (rst) begin
        a_reg <= 32'd0;
        b_reg <= 32'd0;
        c_reg <= 32'd0;
        d_reg <= 32'd0;
        pre_reg <= 32'd0;
        mk_reg <= 32'd0;
        ri_reg <= 6'd0;
        g_reg <= 4'd0;
        h_reg <= 128'd0;
        blk_reg <= 512'd0;
        round_reg <= 6'd0;
        busy_reg <= 1'b0;
        valid_reg <= 1'b0;
    end else begin
        if (abcd_we) begin
            a_reg <= a_new;
            b_reg <= b_new;
            c_reg <= c_new;
            d_reg <= d_new;
        end
        pre_reg <= pre_new;
        mk_reg <= mk_new;
        ri_reg <= ri_new;
        g_reg <= g_new;
        if (h_we)
            h_reg <= h_new;
        if (blk_we)
            blk_reg <= block;
        round_reg <= round_new;
        busy_reg <= busy_new;
        valid_reg <= valid_new;
    end
end

endmodule

`resetall
