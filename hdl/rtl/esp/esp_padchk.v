`resetall
`default_nettype none
// esp_padchk: checks the ESP trailer of a decrypted packet as its words go
// by (RFC 4303 2.4, 2.5; docs/protocol.md DECAP step 6): the last two bytes
// are the pad length P and the next header, and the P bytes before them
// must be 1, 2, .., P.
//
// One pass, no buffering: for every byte q the checker keeps run(q) =
// "bytes q-k+1 .. q are 1, 2, .., k with k = byte q" (run(q) = byte q is 1,
// or run(q-1) and byte q = byte q-1 + 1, without wrapping at 255). The
// padding is right when P = 0, or run(n-3) and byte n-3 = P; run() cannot
// reach before byte 0, so P is then also no longer than the data.
//
// Ports
//   start        clears the state before a packet.
//   in_valid     a plaintext word, first byte in [63:56].
//   in_half      the last word holds 4 bytes, not 8 (NULL cipher).
//   in_last      the packet's last word (at least 4 valid bytes).
//   padlen, nh, pad_ok
//                the trailer, valid from the cycle after the last word
//                until the next start.
//
// Timing: one word per cycle, results registered one cycle after in_last.

module esp_padchk (
    input  wire        clk,
    input  wire        rst,
    input  wire        start,
    input  wire        in_valid,
    input  wire [63:0] in_data,
    input  wire        in_half,
    input  wire        in_last,
    output wire [7:0]  padlen,
    output wire [7:0]  nh,
    output wire        pad_ok
);

    reg  [7:0] carry_b_reg;
    reg        carry_v_reg;
    reg  [7:0] padlen_reg, padlen_new;
    reg  [7:0] nh_reg, nh_new;
    reg        ok_reg, ok_new;

    reg  [7:0] b [0:7];
    reg  [7:0] v;
    reg  [7:0] pb;
    reg        pv;
    integer i;
    always @* begin
        pb = carry_b_reg;
        pv = carry_v_reg;
        for (i = 0; i < 8; i = i + 1) begin
            b[i] = in_data[63 - 8 * i -: 8];
            v[i] = (b[i] == 8'd1) || (pv && {1'b0, b[i]} == {1'b0, pb} + 9'd1);
            pb = b[i];
            pv = v[i];
        end
    end

    // Last word: bytes n-3, n-2, n-1 are 1..3 (4 valid bytes) or 5..7.
    wire [7:0] last_pad = in_half ? b[1] : b[5];
    wire       last_run = in_half ? v[1] : v[5];

    always @* begin
        padlen_new = padlen_reg;
        nh_new = nh_reg;
        ok_new = ok_reg;
        if (in_valid && in_last) begin
            padlen_new = in_half ? b[2] : b[6];
            nh_new = in_half ? b[3] : b[7];
            ok_new = padlen_new == 8'd0 || (last_run && last_pad == padlen_new);
        end
    end

    assign padlen = padlen_reg;
    assign nh = nh_reg;
    assign pad_ok = ok_reg;

    always @(posedge clk) begin
        padlen_reg <= padlen_new;
        nh_reg <= nh_new;
        ok_reg <= ok_new;
        if (in_valid) begin
            carry_b_reg <= b[7];
            carry_v_reg <= v[7];
        end
        if (rst || start) begin
            carry_b_reg <= 8'd0;
            carry_v_reg <= 1'b0;
            ok_reg <= 1'b0;
        end
    end

endmodule

`resetall
