`resetall
`default_nettype none
// tdes_pipe: DES / 3DES-EDE in CBC mode (FIPS 46-3, SP 800-67, SP 800-38A
// 6.2), one DES round per pipeline stage, interleaving independent CBC
// streams ("contexts"): each block carries its own key, direction and chain
// value, so consecutive blocks may belong to different packets and SAs.
//
// Ports
//   s_valid, s_ready  issue handshake: a block is taken in a cycle with both
//                     high. s_ready does not depend on s_valid; it is
//                     always 1 with PASSES = 1.
//   s_ctx             context id, returned with the result (m_ctx).
//   s_decrypt         0: C = E_K3(D_K2(E_K1(P))); 1: P = D_K1(E_K2(D_K3(C))).
//   s_des             1: single DES with K1 (K2 and K3 ignored). It is run
//                     as 3DES with K1 = K2 = K3 (E D E with one key is E),
//                     so a DES block costs the same as a 3DES block.
//   s_key             {K1, K2, K3}, K1 in [191:128], first key byte in the
//                     top bits, parity bits ignored (as tdes_cbc's cfg_key).
//   s_block           the input block (first byte in [63:56]).
//   s_chain           encrypt: XORed into s_block before the cipher (the IV
//                     or the previous ciphertext block of the context);
//                     decrypt: XORed into the cipher output (the previous
//                     ciphertext block, or the IV).
//   s_tag             TAG_W user bits, returned with the result (m_tag).
//   m_valid           one-cycle pulse per block, in issue order; m_ctx,
//                     m_block (ciphertext or plaintext) and m_tag are valid
//                     with it and held until the next pulse. There is no
//                     m_ready: the latency is fixed, so a caller that takes
//                     each result or has reserved room for it at issue needs
//                     no backpressure, and a pipeline that never stalls
//                     needs no enable on its ~6000 flip-flops (fanout, Fmax)
//                     and can keep its side data in RAM delay lines.
//
// Timing
//   A block issued in cycle t comes out with m_valid = 1 in cycle t + 49
//   (LATENCY), DES or 3DES, either build: cycle t + 1 holds it in the input
//   register, rounds 1..48 run in cycles t + 1 .. t + 48, the last one
//   straight into the output register.
//   PASSES = 1: 48 round stages, s_ready = 1, a block every cycle.
//   PASSES = 3: 16 round stages in a ring; a block goes round three times.
//   s_ready = 0 in a cycle when the ring entry is taken next cycle by a
//   block coming round for its second or third pass, so with a full ring a
//   new block every third cycle (1/3 block per cycle); blocks do not
//   overtake each other.
//   Caller's rule (CBC): a context issues its next encryption block only
//   once its previous block came out (its m_block is the next s_chain; it
//   may be issued in the very cycle m_valid = 1, so one context encrypts a
//   block every 49 cycles and 49 contexts fill the PASSES = 1 pipeline).
//   Decryption blocks of one context can be issued back to back.
//   Everything in flight is dropped by rst.
//
// Structure
//   - Stage j computes round j + 1 (of 48, PASSES = 1) or round (j mod 16)
//     + 1 of the block's current pass (PASSES = 3, pass count carried). The
//     16th round of a pass does not swap the halves, so the next pass goes
//     on from the preoutput (IP^-1 then IP cancel), as in tdes_core.
//   - Keys: each stage carries the PC-1 form {C0, D0} of its pass's key,
//     unrotated (56 flip-flops); the stage's subkey is PC-2 of a fixed
//     rotation of it (wiring), S(r) for encryption and S(17 - r) for
//     decryption (K16..K1), chosen by one multiplexer per key bit that
//     merges into the E ^ K LUT. So there is no rotate logic and no
//     16-subkey table. The keys of passes 2 and 3, the decrypt chain value,
//     s_ctx and s_tag are needed only at fixed times after issue (17, 33 and
//     48 cycles, the pipeline never stalls), so they wait in RAM delay lines
//     written at issue (every cycle, at a free-running pointer) and read at
//     the pointer minus the delay, instead of 16 x 112 + 48 x (64 + CTX_W +
//     TAG_W) pipeline flip-flops. Only the 64-bit state and the 56-bit
//     current key ride in flip-flops.
//   - Data registers are not reset (each stage has a reset valid bit); the
//     delay lines are RAMs and hold garbage until written.
//
// Parameters
//   PASSES   1 (48 stages) or 3 (16 stages, reused three times).
//   CTX_W    width of s_ctx / m_ctx (6: 64 contexts); carried, not used.
//   TAG_W    width of s_tag / m_tag.

module tdes_pipe #(
    parameter PASSES = 1,
    parameter CTX_W  = 6,
    parameter TAG_W  = 4
) (
    input  wire               clk,
    input  wire               rst,
    input  wire               s_valid,
    output wire               s_ready,
    input  wire [CTX_W-1:0]   s_ctx,
    input  wire               s_decrypt,
    input  wire               s_des,
    input  wire [191:0]       s_key,
    input  wire [63:0]        s_block,
    input  wire [63:0]        s_chain,
    input  wire [TAG_W-1:0]   s_tag,
    output wire               m_valid,
    output wire [CTX_W-1:0]   m_ctx,
    output wire [63:0]        m_block,
    output wire [TAG_W-1:0]   m_tag
);

    localparam NS     = 48 / PASSES;             // round stages
    localparam NR     = PASSES == 1 ? NS - 1 : NS; // stage registers (the
                                                 // last round of PASSES = 1
                                                 // writes the output)
    localparam SIDE_W = 64 + CTX_W + TAG_W;      // chain, ctx, tag

    // Parameter checks: an instance of a module that does not exist stops
    // elaboration (Verilog-2005 has no $error).
    generate
        if ((PASSES != 1 && PASSES != 3) || CTX_W < 1 || TAG_W < 1) begin : g_bad_params
            tdes_pipe_invalid_parameters u_invalid ();
        end
    endgenerate

    // ---------------------------------------------------------------
    // Fixed permutations (FIPS 46-3 tables; bit 1 is the MSB), as in
    // tdes_core.
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

    // Total left shift of the key schedule after round r (FIPS 46-3: one
    // in rounds 1, 2, 9 and 16, two in the others; 28 after round 16).
    function integer cum_shift;
        input integer r;
        integer i;
        begin
            cum_shift = 0;
            for (i = 1; i <= r; i = i + 1)
                cum_shift = cum_shift + ((i == 1 || i == 2 || i == 9 || i == 16) ? 1 : 2);
        end
    endfunction

    // ---------------------------------------------------------------
    // Issue: the first pass's key and the input block (encrypt: XORed
    // with the chain value) go to the input register; the keys of passes
    // 2 and 3 and the side data go to the delay lines.
    // ---------------------------------------------------------------
    wire [63:0] k1 = s_key[191:128];
    wire [63:0] k2 = s_key[127:64];
    wire [63:0] k3 = s_key[63:0];

    wire [55:0] iss_key1 = pc1((s_des || !s_decrypt) ? k1 : k3);
    wire [55:0] iss_key2 = pc1(s_des ? k1 : k2);
    wire [55:0] iss_key3 = pc1((s_des || s_decrypt) ? k1 : k3);
    wire [63:0] iss_lr   = ip(s_decrypt ? s_block : (s_block ^ s_chain));
    wire [SIDE_W-1:0] iss_side = {s_decrypt ? s_chain : 64'd0, s_ctx, s_tag};

    reg  [63:0]  in_lr_reg;
    reg  [55:0]  in_cd_reg;
    reg          in_dec_reg;
    reg          in_valid_reg;

    // Delay lines: written every cycle at ptr_reg, read DELAY - 1 cycles
    // later into a read register, so the value is there DELAY cycles after
    // issue: K2 for round 17, K3 for round 33, side data for round 48.
    localparam [5:0] K2_BACK   = 6'd16;
    localparam [5:0] K3_BACK   = 6'd32;
    localparam [5:0] SIDE_BACK = 6'd47;

    reg  [5:0]        ptr_reg;
    reg  [55:0]       k2_mem [0:63];
    reg  [55:0]       k3_mem [0:63];
    reg  [SIDE_W-1:0] side_mem [0:63];
    reg  [55:0]       k2_rd_reg;
    reg  [55:0]       k3_rd_reg;
    reg  [SIDE_W-1:0] side_rd_reg;

    // ---------------------------------------------------------------
    // Round stages. Stage register j holds the state after round j + 1 of
    // the pass, its pass's key, the 3DES direction, the pass number and a
    // valid bit. Arrays, not wide packed vectors: Verilator evaluates a
    // vector with many partial drivers as one concatenation per driver,
    // which made the 48-stage model several times slower.
    // ---------------------------------------------------------------
    reg  [63:0] st_lr_reg [0:NR-1];
    reg  [55:0] st_cd_reg [0:NS-2];   // none in the last stage: a block
                                      // leaving it starts a new pass
    reg  [1:0]  st_pass_reg [0:NR-1];
    reg  [NR-1:0] st_dec_reg;
    reg  [NR-1:0] st_valid_reg;

    wire [63:0] st_lr_new [0:NS-1];
    wire [55:0] st_cd_new [0:NS-1];
    wire [1:0]  st_pass_new [0:NS-1];
    wire [NS-1:0] st_dec_new;
    wire [NS-1:0] st_valid_new;

    reg  [63:0]       m_block_reg;
    reg               m_valid_reg;
    reg  [CTX_W-1:0]  m_ctx_reg;
    reg  [TAG_W-1:0]  m_tag_reg;

    // Ring entry (PASSES = 3): a block in the last stage register has done
    // pass 0 or 1 (finished blocks leave through the output) and goes round
    // again, with the next pass's key from the delay lines; else the input
    // register enters.
    wire [63:0] ent_lr;
    wire [55:0] ent_cd;
    wire        ent_dec;
    wire [1:0]  ent_pass;
    wire        ent_valid;
    wire        out_fin;      // the last stage computes a block's last round

    generate
        if (PASSES == 3) begin : g_ring
            wire       ret  = st_valid_reg[NS-1];
            wire [1:0] pass = st_pass_reg[NS-1];
            assign ent_lr    = ret ? st_lr_reg[NS-1] : in_lr_reg;
            assign ent_cd    = !ret ? in_cd_reg : (pass == 2'd0) ? k2_rd_reg : k3_rd_reg;
            assign ent_dec   = ret ? st_dec_reg[NS-1] : in_dec_reg;
            assign ent_pass  = ret ? pass + 2'd1 : 2'd0;
            assign ent_valid = ret || in_valid_reg;
            // The entry is taken next cycle by the block now in the
            // stage before the last, unless that one finishes.
            assign s_ready   = !(st_valid_reg[NS-2] && st_pass_reg[NS-2] != 2'd2);
        end else begin : g_line
            assign ent_lr    = in_lr_reg;
            assign ent_cd    = in_cd_reg;
            assign ent_dec   = in_dec_reg;
            assign ent_pass  = 2'd0;
            assign ent_valid = in_valid_reg;
            assign s_ready   = 1'b1;
        end
    endgenerate

    wire take = s_valid && s_ready;

    genvar j;
    generate
        for (j = 0; j < NS; j = j + 1) begin : g_stage
            localparam integer R      = (j % 16) + 1;    // round of the pass
            localparam integer SH_ENC = cum_shift(R) % 28;
            localparam integer SH_DEC = cum_shift(17 - R) % 28;

            wire [63:0] src_lr;
            wire [55:0] src_cd;
            wire        src_dec;
            wire [1:0]  src_pass;
            wire        src_valid;

            if (j == 0) begin : g_first
                assign src_lr    = ent_lr;
                assign src_cd    = ent_cd;
                assign src_dec   = ent_dec;
                assign src_pass  = ent_pass;
                assign src_valid = ent_valid;
            end else begin : g_next
                // PASSES = 1: stages 16 and 32 start passes 2 and 3.
                wire boundary = (PASSES == 1) && (j % 16 == 0);
                assign src_lr    = st_lr_reg[j-1];
                assign src_cd    = !boundary ? st_cd_reg[j-1] :
                                   (j == 16) ? k2_rd_reg : k3_rd_reg;
                assign src_dec   = st_dec_reg[j-1];
                assign src_pass  = st_pass_reg[j-1] + (boundary ? 2'd1 : 2'd0);
                assign src_valid = st_valid_reg[j-1];
            end

            // {C, D} of this round, each half rotated left by the fixed
            // total shift (wiring): K(R) when the pass encrypts, K(17 - R)
            // when it decrypts.
            wire [55:0] cd_enc, cd_dec;
            if (SH_ENC == 0) begin : g_enc0
                assign cd_enc = src_cd;
            end else begin : g_enc
                assign cd_enc = {src_cd[55-SH_ENC:28], src_cd[55:56-SH_ENC],
                                 src_cd[27-SH_ENC:0], src_cd[27:28-SH_ENC]};
            end
            if (SH_DEC == 0) begin : g_dec0
                assign cd_dec = src_cd;
            end else begin : g_dec
                assign cd_dec = {src_cd[55-SH_DEC:28], src_cd[55:56-SH_DEC],
                                 src_cd[27-SH_DEC:0], src_cd[27:28-SH_DEC]};
            end

            // The middle pass runs the other way.
            wire        pass_dec = src_dec ^ (src_pass == 2'd1);
            wire [47:0] subkey   = pass_dec ? pc2(cd_dec) : pc2(cd_enc);
            wire [31:0] l_out, r_out;

            des_round u_round (
                .l     (src_lr[63:32]),
                .r     (src_lr[31:0]),
                .k     (subkey),
                .last  (R == 16),
                .l_out (l_out),
                .r_out (r_out)
            );

            // The 16th round of pass 3 leaves for the output register.
            wire fin = (j == NS - 1) && (src_pass == 2'd2);
            if (j == NS - 1) begin : g_out
                assign out_fin = src_valid && fin;
            end

            assign st_lr_new[j]    = {l_out, r_out};
            assign st_cd_new[j]    = src_cd;
            assign st_pass_new[j]  = src_pass;
            assign st_dec_new[j]   = src_dec;
            assign st_valid_new[j] = src_valid && !fin;
        end
    endgenerate

    // Output: the last round of the last pass, IP^-1, the decrypt chain.
    wire [63:0] out_block = ip_inv(st_lr_new[NS-1]) ^ side_rd_reg[SIDE_W-1 -: 64];

    assign m_valid = m_valid_reg;
    assign m_ctx   = m_ctx_reg;
    assign m_block = m_block_reg;
    assign m_tag   = m_tag_reg;

    // The last stage's register exists only for the ring (PASSES = 3), and
    // even there without a key.
    wire unused_last = ^st_cd_new[NS-1] ^ ((PASSES == 1) ?
                       ^{st_dec_new[NS-1], st_pass_new[NS-1], st_valid_new[NS-1]} : 1'b0);

    integer i;

    always @(posedge clk) begin
        // Delay lines (RAM, no reset).
        k2_mem[ptr_reg]   <= iss_key2;
        k3_mem[ptr_reg]   <= iss_key3;
        side_mem[ptr_reg] <= iss_side;
        k2_rd_reg         <= k2_mem[ptr_reg - K2_BACK];
        k3_rd_reg         <= k3_mem[ptr_reg - K3_BACK];
        side_rd_reg       <= side_mem[ptr_reg - SIDE_BACK];

        // Data registers (qualified by the valid bits).
        in_lr_reg   <= iss_lr;
        in_cd_reg   <= iss_key1;
        in_dec_reg  <= s_decrypt;
        for (i = 0; i < NR; i = i + 1) begin
            st_lr_reg[i]   <= st_lr_new[i];
            st_pass_reg[i] <= st_pass_new[i];
        end
        for (i = 0; i < NS - 1; i = i + 1)
            st_cd_reg[i] <= st_cd_new[i];
        st_dec_reg  <= st_dec_new[NR-1:0];
        m_block_reg <= out_fin ? out_block : m_block_reg;
        m_ctx_reg   <= out_fin ? side_rd_reg[CTX_W+TAG_W-1 -: CTX_W] : m_ctx_reg;
        m_tag_reg   <= out_fin ? side_rd_reg[TAG_W-1:0] : m_tag_reg;

        if (rst) begin
            ptr_reg      <= 6'd0;
            in_valid_reg <= 1'b0;
            st_valid_reg <= {NR{1'b0}};
            m_valid_reg  <= 1'b0;
        end else begin
            ptr_reg      <= ptr_reg + 6'd1;
            in_valid_reg <= take;
            st_valid_reg <= st_valid_new[NR-1:0];
            m_valid_reg  <= out_fin;
        end
    end

endmodule

`resetall
