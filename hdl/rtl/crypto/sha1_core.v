`resetall
`default_nettype none
// sha1_core: one SHA-1 compression (FIPS 180-4 section 6.1.2), iterative,
// one round per clock.
//
// Ports
//   start   begin a compression; accepted in a cycle where ready = 1.
//   h_in    chaining state H0..H4, H0 in [159:128] (digest byte order);
//           sampled with start.
//   block   message block M0..M15, first byte in [511:504]; sampled with
//           start.
//   ready   1 when idle; also 1 in the cycle valid is 1, so a new start can
//           be issued in that cycle (h_in may then be h_out itself).
//   h_out   h_in + compression(h_in, block). Valid from the cycle valid is 1
//           until the next accepted start (combinational sum of registers;
//           meaningless while a compression runs).
//   valid   one-cycle pulse when h_out is ready.
//
// Timing
//   start accepted in cycle 0 -> 80 rounds in cycles 1..80 -> valid = 1 in
//   cycle 81 (latency 81 cycles). Back-to-back (start in the valid cycle):
//   81 cycles per block.
//
// The message schedule is a 16-word shift window (W[t] at the top); the
// round constant and function are selected from the round counter.

module sha1_core (
    input  wire         clk,
    input  wire         rst,
    input  wire         start,
    input  wire [159:0] h_in,
    input  wire [511:0] block,
    output wire         ready,
    output wire [159:0] h_out,
    output wire         valid
);

    reg  [31:0]  a_reg, b_reg, c_reg, d_reg, e_reg;
    reg  [31:0]  a_new, b_new, c_new, d_new, e_new;
    reg  [511:0] w_reg, w_new;
    reg  [159:0] h_reg;
    reg  [6:0]   round_reg, round_new;
    reg          busy_reg, busy_new;
    reg          valid_reg, valid_new;
    reg          state_we;

    wire go = start && !busy_reg;

    assign ready = !busy_reg;
    assign valid = valid_reg;
    assign h_out = {h_reg[159:128] + a_reg, h_reg[127:96] + b_reg,
                    h_reg[95:64] + c_reg, h_reg[63:32] + d_reg,
                    h_reg[31:0] + e_reg};

    // One round: f and K by round group (FIPS 180-4 4.1.1, 4.2.1).
    reg  [31:0] f, k;
    wire [31:0] w_t = w_reg[511:480];
    wire [31:0] t_sum = {a_reg[26:0], a_reg[31:27]} + f + e_reg + k + w_t;
    // W[t+16] = ROTL1(W[t+13] ^ W[t+8] ^ W[t+2] ^ W[t])
    wire [31:0] w_x = w_reg[95:64] ^ w_reg[255:224] ^ w_reg[447:416] ^ w_reg[511:480];
    wire [31:0] w_next = {w_x[30:0], w_x[31]};

    always @* begin
        if (round_reg < 7'd20) begin
            f = (b_reg & c_reg) | (~b_reg & d_reg);
            k = 32'h5a827999;
        end else if (round_reg < 7'd40) begin
            f = b_reg ^ c_reg ^ d_reg;
            k = 32'h6ed9eba1;
        end else if (round_reg < 7'd60) begin
            f = (b_reg & c_reg) | (b_reg & d_reg) | (c_reg & d_reg);
            k = 32'h8f1bbcdc;
        end else begin
            f = b_reg ^ c_reg ^ d_reg;
            k = 32'hca62c1d6;
        end
    end

    always @* begin
        a_new = h_in[159:128];
        b_new = h_in[127:96];
        c_new = h_in[95:64];
        d_new = h_in[63:32];
        e_new = h_in[31:0];
        w_new = block;
        round_new = 7'd0;
        busy_new = busy_reg;
        valid_new = 1'b0;
        state_we = 1'b0;
        if (go) begin
            state_we = 1'b1;
            busy_new = 1'b1;
        end else if (busy_reg) begin
            a_new = t_sum;
            b_new = a_reg;
            c_new = {b_reg[1:0], b_reg[31:2]};
            d_new = c_reg;
            e_new = d_reg;
            w_new = {w_reg[479:0], w_next};
            round_new = round_reg + 7'd1;
            state_we = 1'b1;
            if (round_reg == 7'd79) begin
                busy_new = 1'b0;
                valid_new = 1'b1;
            end
        end
    end

    always @(posedge clk) begin
        if (state_we) begin
            a_reg <= a_new;
            b_reg <= b_new;
            c_reg <= c_new;
            d_reg <= d_new;
            e_reg <= e_new;
            w_reg <= w_new;
            round_reg <= round_new;
        end
        if (go)
            h_reg <= h_in;
        busy_reg <= busy_new;
        valid_reg <= valid_new;
        if (rst) begin
            round_reg <= 7'd0;
            busy_reg <= 1'b0;
            valid_reg <= 1'b0;
        end
    end

endmodule

`resetall
