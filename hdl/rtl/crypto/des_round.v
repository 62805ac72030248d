`resetall
`default_nettype none
// des_round: one DES Feistel round, combinational (FIPS 46-3, "Enciphering"
// and "The Cipher Function f"; tables as in SP 800-67 Rev 2 Appendix A).
//
// Ports
//   l, r     the halves L(i-1), R(i-1) of the preoutput-side numbering:
//            bit 1 of each FIPS 46-3 table is the MSB ([31]).
//   k        the round key K(i) (PC-2 output, bit 1 in [47]).
//   last     1 in the 16th round of a pass: the halves are not swapped, so
//            {l_out, r_out} is the preoutput R16 L16 that IP^-1 takes.
//   l_out    R(i-1) (last = 0) or L(i-1) ^ f(R(i-1), K(i)) (last = 1).
//   r_out    L(i-1) ^ f(R(i-1), K(i)) (last = 0) or R(i-1) (last = 1).
//
// Timing: purely combinational, no clock. Depth: E (wiring), 48 XORs, eight
// 6-to-4 S-box lookups, P (wiring), 32 XORs, the swap multiplexer.

module des_round (
    input  wire [31:0] l,
    input  wire [31:0] r,
    input  wire [47:0] k,
    input  wire        last,
    output wire [31:0] l_out,
    output wire [31:0] r_out
);

    // S-boxes S1..S8: entry 16*row + column in bits [4n+3:4n], with row =
    // {b1, b6} and column = b2..b5 of the 6-bit input b1..b6 (b1 the MSB).
    localparam [255:0] S1 = 256'hd60ae3b5719428cf05a379cfb26d8e148359bc6a1d2e47f07095c6a38bf21d4e;
    localparam [255:0] S2 = 256'h9e50c76b24f31a8df2396c851d4ab7e05b96a10ce82f74d3a50cd27943b6e81f;
    localparam [255:0] S3 = 256'hc25b3ef478960da17ea5c21b03f8946d1fbce582a643907d824b7cd15f36e90a;
    localparam [255:0] S4 = 256'he27cb5498d1a60f34825e31fd7bc096a9ea1c27430f65b8df4cb5821a9603ed7;
    localparam [255:0] S5 = 256'h354a90f6d2e17c8be0365c9f87dab1246893af051d74c2be9e0df3586ba714c2;
    localparam [255:0] S6 = 256'hd80671ebaf59c2346bd1a4073c825fe983b0ed1659c724fab57e43d08629fa1c;
    localparam [255:0] S7 = 256'hc32ef0597a418db6295086fae73cdb4168f2c53ea1947b0d16a579c3d80fe2b4;
    localparam [255:0] S8 = 256'hb65309cfd8a47e12853fda602ec914b729e0b65c473a8df17c05e39a1bf6482d;

    function [3:0] sbox;
        input [255:0] table_bits;
        input [5:0]   x;
        reg   [5:0]   idx;
        begin
            idx  = {x[5], x[0], x[4:1]};
            sbox = table_bits[{idx, 2'b00} +: 4];
        end
    endfunction

    // E: 32 -> 48 bits.
    wire [47:0] e = {r[0], r[31], r[30], r[29], r[28], r[27], r[28], r[27],
                     r[26], r[25], r[24], r[23], r[24], r[23], r[22], r[21],
                     r[20], r[19], r[20], r[19], r[18], r[17], r[16], r[15],
                     r[16], r[15], r[14], r[13], r[12], r[11], r[12], r[11],
                     r[10], r[9], r[8], r[7], r[8], r[7], r[6], r[5],
                     r[4], r[3], r[4], r[3], r[2], r[1], r[0], r[31]};

    wire [47:0] x = e ^ k;

    wire [31:0] s = {sbox(S1, x[47:42]), sbox(S2, x[41:36]),
                     sbox(S3, x[35:30]), sbox(S4, x[29:24]),
                     sbox(S5, x[23:18]), sbox(S6, x[17:12]),
                     sbox(S7, x[11:6]),  sbox(S8, x[5:0])};

    // P: the permutation of the S-box outputs.
    wire [31:0] f = {s[16], s[25], s[12], s[11], s[3], s[20], s[4], s[15],
                     s[31], s[17], s[9], s[6], s[27], s[14], s[1], s[22],
                     s[30], s[24], s[8], s[18], s[0], s[5], s[29], s[23],
                     s[13], s[19], s[2], s[26], s[10], s[21], s[28], s[7]};

    wire [31:0] mixed = l ^ f;

    assign l_out = last ? mixed : r;
    assign r_out = last ? r : mixed;

endmodule

`resetall
