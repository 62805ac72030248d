`resetall
`default_nettype none
// tdes_core: one DES or 3DES-EDE block (FIPS 46-3, SP 800-67), iterative,
// ROUNDS DES rounds per clock (1 by default), key schedule computed on the
// fly.
//
// Ports
//   start       begin a block; accepted in a cycle where ready = 1.
//               decrypt, single_des and block_in are sampled with it; so is
//               key when KEEP_KEY = 1, else key must be held from start
//               until valid.
//   decrypt     0: C = E_K3(D_K2(E_K1(P))); 1: P = D_K1(E_K2(D_K3(C))).
//   single_des  1: one DES pass with K1 only (E_K1, or D_K1 when decrypt).
//   key         {K1, K2, K3}, K1 in [191:128], each first key byte in the
//               top bits; parity bits (the LSB of each byte) are ignored.
//               Two-key 3DES: pass K3 = K1.
//   block_in    input block, first byte in [63:56].
//   ready       1 when idle; also 1 in the cycle valid is 1, so a new start
//               (with block_in derived from block_out, as CBC does) can be
//               issued in that cycle.
//   block_out   result: IP^-1 of the state registers. Valid from the cycle
//               valid is 1 until the next accepted start (meaningless while
//               a block runs).
//   valid       one-cycle pulse when block_out is new.
//
// Timing (ROUNDS = 1; with ROUNDS = R every figure is divided by R)
//   start accepted in cycle 0 (round 1 is computed from block_in in that
//   cycle) -> rounds in cycles 0..15 (DES) or 0..47 (3DES) -> valid = 1 in
//   cycle 16 (DES) or 48 (3DES). Latency 16 / 48 cycles; back-to-back
//   (start in the valid cycle): 16 / 48 cycles per block.
//
// Structure
//   The 16th round of each DES pass does not swap the halves, so the state
//   after a pass is the preoutput R16 L16; IP^-1 followed by IP between the
//   passes of 3DES cancel, and the next pass continues from that state.
//   C and D are rotated per round (left when the pass encrypts; right, with
//   no rotation in round 1, when it decrypts: K16..K1 walked backwards), and
//   reloaded with PC-1 of the next pass's key in the 16th round. Pass 1's
//   key goes straight into C and D; with KEEP_KEY = 1 the keys of passes 2
//   and 3 are kept in PC-1 form (2 x 56 flip-flops), with KEEP_KEY = 0 they
//   are read from the key port when needed. The rounds of a cycle take
//   their input from block_in and the key port when the core is idle and
//   from the state registers when busy (busy_reg selects, a register), so
//   start only enables the registers and stays off the round logic's path.
//
// Parameters
//   KEEP_KEY    1 (default): key is sampled with start. 0: the caller holds
//               key stable from start until valid (a wrapper that keeps the
//               key anyway, as tdes_cbc does, saves 112 flip-flops).
//   ROUNDS      DES rounds per clock: 1, 2, 4 or 8 (a divisor of 16, so a
//               pass always ends on a clock edge). R rounds in series are
//               R times the logic of one round and R times its delay: more
//               bytes per cycle, fewer cycles per second (docs/hdl.md).

module tdes_core #(
    parameter KEEP_KEY = 1,
    parameter ROUNDS   = 1
) (
    input  wire         clk,
    input  wire         rst,
    input  wire         start,
    input  wire         decrypt,
    input  wire         single_des,
    input  wire [191:0] key,
    input  wire [63:0]  block_in,
    output wire         ready,
    output wire [63:0]  block_out,
    output wire         valid
);

    // ---------------------------------------------------------------
    // Fixed permutations (FIPS 46-3 tables; bit 1 is the MSB).
    // ---------------------------------------------------------------
    function [63:0] ip;
        input [63:0] x;
        begin
            ip = {x[6], x[14], x[22], x[30], x[38], x[46], x[54], x[62],
                  x[4], x[12], x[20], x[28], x[36], x[44], x[52], x[60],
                  x[2], x[10], x[18], x[26], x[34], x[42], x[50], x[58],
                  x[0], x[8], x[16], x[24], x[32], x[40], x[48], x[56],
                  x[7], x[15], x[23], x[31], x[39], x[47], x[55], x[63],
                  x[5], x[13], x[21], x[29], x[37], x[45], x[53], x[61],
                  x[3], x[11], x[19], x[27], x[35], x[43], x[51], x[59],
                  x[1], x[9], x[17], x[25], x[33], x[41], x[49], x[57]};
        end
    endfunction

    function [63:0] ip_inv;
        input [63:0] x;
        begin
            ip_inv = {x[24], x[56], x[16], x[48], x[8], x[40], x[0], x[32],
                      x[25], x[57], x[17], x[49], x[9], x[41], x[1], x[33],
                      x[26], x[58], x[18], x[50], x[10], x[42], x[2], x[34],
                      x[27], x[59], x[19], x[51], x[11], x[43], x[3], x[35],
                      x[28], x[60], x[20], x[52], x[12], x[44], x[4], x[36],
                      x[29], x[61], x[21], x[53], x[13], x[45], x[5], x[37],
                      x[30], x[62], x[22], x[54], x[14], x[46], x[6], x[38],
                      x[31], x[63], x[23], x[55], x[15], x[47], x[7], x[39]};
        end
    endfunction

    // PC-1: 64-bit key -> {C0, D0}; the parity bits k[0], k[8], .. drop out.
    function [55:0] pc1;
        input [63:0] k;
        reg          unused_parity;
        begin
            unused_parity = ^{k[56], k[48], k[40], k[32], k[24], k[16], k[8], k[0]};
            pc1 = {k[7], k[15], k[23], k[31], k[39], k[47], k[55], k[63],
                   k[6], k[14], k[22], k[30], k[38], k[46], k[54], k[62],
                   k[5], k[13], k[21], k[29], k[37], k[45], k[53], k[61],
                   k[4], k[12], k[20], k[28], k[1], k[9], k[17], k[25],
                   k[33], k[41], k[49], k[57], k[2], k[10], k[18], k[26],
                   k[34], k[42], k[50], k[58], k[3], k[11], k[19], k[27],
                   k[35], k[43], k[51], k[59], k[36], k[44], k[52], k[60]};
        end
    endfunction

    // PC-2: {Cn, Dn} -> Kn; eight bits of C and D are not selected.
    function [47:0] pc2;
        input [55:0] cd;
        reg          unused_dropped;
        begin
            unused_dropped = ^{cd[47], cd[38], cd[34], cd[31], cd[21], cd[18], cd[13], cd[2]};
            pc2 = {cd[42], cd[39], cd[45], cd[32], cd[55], cd[51], cd[53], cd[28],
                   cd[41], cd[50], cd[35], cd[46], cd[33], cd[37], cd[44], cd[52],
                   cd[30], cd[48], cd[40], cd[49], cd[29], cd[36], cd[43], cd[54],
                   cd[15], cd[4], cd[25], cd[19], cd[9], cd[1], cd[26], cd[16],
                   cd[5], cd[11], cd[23], cd[8], cd[12], cd[7], cd[17], cd[0],
                   cd[22], cd[3], cd[10], cd[14], cd[6], cd[20], cd[27], cd[24]};
        end
    endfunction

    // Rotate a 28-bit half: left by 1 or 2 (encrypting pass), right by 0,
    // 1 or 2 (decrypting pass).
    function [27:0] rot;
        input [27:0] h;
        input        right;
        input [1:0]  amount;
        begin
            case ({right, amount})
            3'b001:  rot = {h[26:0], h[27]};
            3'b010:  rot = {h[25:0], h[27:26]};
            3'b101:  rot = {h[0], h[27:1]};
            3'b110:  rot = {h[1:0], h[27:2]};
            default: rot = h;
            endcase
        end
    endfunction

    // ---------------------------------------------------------------
    // State.
    // ---------------------------------------------------------------
    reg  [31:0] l_reg, l_new;
    reg  [31:0] r_reg, r_new;
    reg  [55:0] cd_reg, cd_new;         // {C, D} of the round just done
    reg  [55:0] key2_reg, key2_new;     // PC-1 of pass 2's key (K2)
    reg  [55:0] key3_reg, key3_new;     // PC-1 of pass 3's key (K3, or K1)
    reg  [3:0]  round_reg, round_new;   // round of the pass, 0..15
    reg  [1:0]  pass_reg, pass_new;     // pass, 0..2
    reg         dec_reg, dec_new;
    reg         single_reg, single_new;
    reg         busy_reg, busy_new;
    reg         valid_reg, valid_new;

    wire [63:0] k1 = key[191:128];
    wire [63:0] k2 = key[127:64];
    wire [63:0] k3 = key[63:0];

    wire go = start && !busy_reg;

    // Keys of passes 2 and 3 (PC-1 form): kept, or from the port.
    wire [55:0] key2 = (KEEP_KEY != 0) ? key2_reg : pc1(k2);
    wire [55:0] key3 = (KEEP_KEY != 0) ? key3_reg : pc1(dec_reg ? k1 : k3);

    assign ready     = !busy_reg;
    assign valid     = valid_reg;
    assign block_out = ip_inv({l_reg, r_reg});

    // ---------------------------------------------------------------
    // This cycle's rounds: the first ones of a new block (the core is not
    // busy; they count only if go), or the next ones from the state
    // registers (busy). Stage i computes round round + i. The choice is
    // made by busy_reg, a register: start (go) only enables the state
    // registers, so the caller's handshake logic is not in series with
    // the rounds. Each stage's subkey is worked out both ways (for a new
    // block: from the key port, rounds 0..ROUNDS-1 of pass 1; else from
    // cd_reg) and selected just before the S-boxes.
    // ---------------------------------------------------------------
    wire        fresh    = !busy_reg;
    wire [63:0] lr_in    = fresh ? ip(block_in) : {l_reg, r_reg};
    wire [55:0] cdf_in   = pc1((single_des || !decrypt) ? k1 : k3);

    // The middle pass of 3DES runs the other direction; pass 1 runs the
    // block's direction.
    wire        run_dec  = dec_reg ^ (pass_reg == 2'd1);

    localparam integer LAST_STEP_I = ROUNDS - 1;
    localparam [3:0]   LAST_STEP   = LAST_STEP_I[3:0];
    localparam [3:0]   STEP        = ROUNDS[3:0];

    // A pass ends in this cycle (never in a new block's first: ROUNDS < 16).
    wire        last = !fresh && (round_reg + LAST_STEP == 4'd15);
    wire        done = last && (single_reg || pass_reg == 2'd2);

    // Shifts of the schedule: 1 in rounds 1, 2, 9, 16, else 2. Walking it
    // backwards (a decrypting pass), round j undoes the shift of round
    // 18 - j, and round 1 has none.
    function [1:0] shift;
        input [3:0] rnd;
        input       dec;
        begin
            if (dec && rnd == 4'd0)
                shift = 2'd0;
            else if (rnd == 4'd0 || rnd == 4'd1 || rnd == 4'd8 || rnd == 4'd15)
                shift = 2'd1;
            else
                shift = 2'd2;
        end
    endfunction

    // {L, R} and the two {C, D} chains between the stages: stage i reads
    // slice i, writes slice i + 1.
    wire [64 * (ROUNDS + 1) - 1:0] lr_s;
    wire [56 * (ROUNDS + 1) - 1:0] cdf_s, cdr_s;
    assign lr_s[63:0]  = lr_in;
    assign cdf_s[55:0] = cdf_in;
    assign cdr_s[55:0] = cd_reg;

    genvar gi;
    generate
        if (ROUNDS != 1 && ROUNDS != 2 && ROUNDS != 4 && ROUNDS != 8) begin : g_bad_rounds
            tdes_core_rounds_must_be_1_2_4_or_8 u_invalid ();
        end
        for (gi = 0; gi < ROUNDS; gi = gi + 1) begin : g_stage
            localparam integer OFFSET_I = gi;
            localparam [3:0]   OFFSET   = OFFSET_I[3:0];
            wire [3:0]  rnd = round_reg + OFFSET;
            wire [1:0]  amount_f = shift(OFFSET, decrypt);
            wire [1:0]  amount_r = shift(rnd, run_dec);
            wire [55:0] cdf_prev = cdf_s[56 * gi +: 56];
            wire [55:0] cdr_prev = cdr_s[56 * gi +: 56];
            wire [55:0] cdf_rot = {rot(cdf_prev[55:28], decrypt, amount_f),
                                   rot(cdf_prev[27:0], decrypt, amount_f)};
            wire [55:0] cdr_rot = {rot(cdr_prev[55:28], run_dec, amount_r),
                                   rot(cdr_prev[27:0], run_dec, amount_r)};
            wire [63:0] lr_prev = lr_s[64 * gi +: 64];
            wire [31:0] l_round, r_round;

            des_round u_round (
                .l     (lr_prev[63:32]),
                .r     (lr_prev[31:0]),
                .k     (fresh ? pc2(cdf_rot) : pc2(cdr_rot)),
                .last  (!fresh && rnd == 4'd15),
                .l_out (l_round),
                .r_out (r_round)
            );

            assign lr_s[64 * (gi + 1) +: 64]  = {l_round, r_round};
            assign cdf_s[56 * (gi + 1) +: 56] = cdf_rot;
            assign cdr_s[56 * (gi + 1) +: 56] = cdr_rot;
        end
    endgenerate

    wire [63:0] lr_out = lr_s[64 * ROUNDS +: 64];
    wire [55:0] cd_out = fresh ? cdf_s[56 * ROUNDS +: 56] : cdr_s[56 * ROUNDS +: 56];

    always @* begin
        l_new      = l_reg;
        r_new      = r_reg;
        cd_new     = cd_reg;
        key2_new   = key2_reg;
        key3_new   = key3_reg;
        round_new  = round_reg;
        pass_new   = pass_reg;
        dec_new    = dec_reg;
        single_new = single_reg;
        busy_new   = busy_reg;
        valid_new  = 1'b0;

        if (go && KEEP_KEY != 0) begin
            key2_new   = pc1(k2);
            key3_new   = pc1(decrypt ? k1 : k3);
        end

        if (go) begin
            dec_new    = decrypt;
            single_new = single_des;
        end

        if (go || busy_reg) begin
            l_new     = lr_out[63:32];
            r_new     = lr_out[31:0];
            round_new = (fresh ? 4'd0 : round_reg) + STEP;
            if (last) begin
                cd_new   = (pass_reg == 2'd0) ? key2 : key3;
                pass_new = pass_reg + 2'd1;
            end else begin
                cd_new   = cd_out;
                pass_new = fresh ? 2'd0 : pass_reg;
            end
            busy_new  = !done;
            valid_new = done;
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            l_reg      <= 32'd0;
            r_reg      <= 32'd0;
            cd_reg     <= 56'd0;
            key2_reg   <= 56'd0;
            key3_reg   <= 56'd0;
            round_reg  <= 4'd0;
            pass_reg   <= 2'd0;
            dec_reg    <= 1'b0;
            single_reg <= 1'b0;
            busy_reg   <= 1'b0;
            valid_reg  <= 1'b0;
        end else begin
            l_reg      <= l_new;
            r_reg      <= r_new;
            cd_reg     <= cd_new;
            key2_reg   <= key2_new;
            key3_reg   <= key3_new;
            round_reg  <= round_new;
            pass_reg   <= pass_new;
            dec_reg    <= dec_new;
            single_reg <= single_new;
            busy_reg   <= busy_new;
            valid_reg  <= valid_new;
        end
    end

endmodule

`resetall
