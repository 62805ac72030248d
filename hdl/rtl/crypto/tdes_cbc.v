`resetall
`default_nettype none
// tdes_cbc: DES-CBC / 3DES-EDE-CBC over a 64-bit stream (SP 800-38A 6.2,
// RFC 2405, RFC 2451), encrypt and decrypt, around one tdes_core.
//
// Ports
//   cfg_decrypt     0: encrypt, 1: decrypt.
//   cfg_single_des  1: DES-CBC with K1 only; 0: 3DES-EDE (K3 = K1 for
//                   two-key).
//   cfg_key         {K1, K2, K3}, K1 in [191:128]; parity bits ignored.
//   cfg_iv          the IV (first byte in [63:56]).
//                   All cfg_* are sampled on the first beat of a message
//                   (the first s_axis beat after reset or after a tlast
//                   beat) and must be held stable while that beat is valid;
//                   on later beats they are ignored.
//   s_axis_*        input blocks, first message byte in tdata[63:56]; every
//                   beat is a whole 8-byte block (there is no tkeep: the
//                   core does no padding, and a message has at least one
//                   block). tlast marks the last block of a message.
//   m_axis_*        output blocks, one per input block, in order; tlast
//                   copied from the corresponding input beat. tdata/tlast
//                   are held while tvalid is 1 and tready is 0.
//
// Timing
//   The first beat of a message is taken in cycle 0 -> m_axis_tvalid = 1
//   in cycle 17 (DES) or 49 (3DES). Without stalls, a message streams at
//   16 (DES) or 48 (3DES) cycles per block, encrypt or decrypt: the core
//   starts block i+1 in the cycle block i completes (for encryption with
//   block_in = P(i+1) ^ C(i) taken from the core's output), so there is no
//   bubble between blocks, nor between back-to-back messages.
//   s_axis_tready = 1 while the core can start a block this cycle;
//   it does not depend on m_axis_tready combinationally.
//   With ROUNDS = R (tdes_core's DES rounds per clock) the block figures
//   are divided by R: 16/R or 48/R cycles per block, tvalid in cycle
//   16/R + 1 or 48/R + 1.
//
// Structure
//   The core runs with KEEP_KEY = 0 and reads the key from key_reg, which
//   holds the message's key anyway. One output register (m_axis): a result
//   that cannot move there yet stays in the core (block_out holds until the
//   next start), and the next block is not started until it has moved.
//   Decryption keeps C(i-1) for the output XOR and C(i) for the next block
//   (chain_reg, cur_reg).

module tdes_cbc #(
    parameter ROUNDS = 1    // DES rounds per clock: 1, 2, 4 or 8
) (
    input  wire         clk,
    input  wire         rst,
    input  wire         cfg_decrypt,
    input  wire         cfg_single_des,
    input  wire [191:0] cfg_key,
    input  wire [63:0]  cfg_iv,
    input  wire [63:0]  s_axis_tdata,
    input  wire         s_axis_tvalid,
    output wire         s_axis_tready,
    input  wire         s_axis_tlast,
    output wire [63:0]  m_axis_tdata,
    output wire         m_axis_tvalid,
    input  wire         m_axis_tready,
    output wire         m_axis_tlast
);

    reg          first_reg, first_new;     // next beat starts a message
    reg          dec_reg, dec_new;         // cfg of the current message
    reg          single_reg, single_new;
    reg  [191:0] key_reg, key_new;
    reg  [63:0]  chain_reg, chain_new;     // decrypt: C(i-1) (or the IV)
    reg  [63:0]  cur_reg, cur_new;         // decrypt: C(i), block in the core
    reg          last_reg, last_new;       // tlast of the block in the core
    reg          pend_reg, pend_new;       // core result not yet moved out
    reg  [63:0]  m_data_reg, m_data_new;
    reg          m_valid_reg, m_valid_new;
    reg          m_last_reg, m_last_new;

    wire         core_ready;
    wire         core_valid;
    wire [63:0]  core_out;

    // A result is waiting in the core; it moves to the output register when
    // that is empty or being emptied.
    wire res_avail = core_valid || pend_reg;
    wire capture   = res_avail && (!m_valid_reg || m_axis_tready);

    // Start a block only if the previous result moves out this cycle at the
    // latest, without counting on m_axis_tready (so capture is implied).
    assign s_axis_tready = core_ready && (!res_avail || !m_valid_reg);
    wire take = s_axis_tvalid && s_axis_tready;

    assign m_axis_tdata  = m_data_reg;
    assign m_axis_tvalid = m_valid_reg;
    assign m_axis_tlast  = m_last_reg;

    // Configuration for the beat offered now. The core reads the key
    // during the whole block (KEEP_KEY = 0): cfg_key when a message's first
    // block starts, key_reg (loaded with it) from then on.
    wire         msg_dec    = first_reg ? cfg_decrypt : dec_reg;
    wire         msg_single = first_reg ? cfg_single_des : single_reg;
    wire [191:0] core_key   = (first_reg && core_ready) ? cfg_key : key_reg;
    // Encryption chains with C(i-1), which the core still holds.
    wire [63:0]  enc_chain  = first_reg ? cfg_iv : core_out;
    wire [63:0]  core_in    = msg_dec ? s_axis_tdata : (s_axis_tdata ^ enc_chain);

    tdes_core #(
        .KEEP_KEY (0),
        .ROUNDS   (ROUNDS)
    ) u_core (
        .clk        (clk),
        .rst        (rst),
        .start      (take),
        .decrypt    (msg_dec),
        .single_des (msg_single),
        .key        (core_key),
        .block_in   (core_in),
        .ready      (core_ready),
        .block_out  (core_out),
        .valid      (core_valid)
    );

    always @* begin
        first_new   = first_reg;
        dec_new     = dec_reg;
        single_new  = single_reg;
        key_new     = key_reg;
        chain_new   = chain_reg;
        cur_new     = cur_reg;
        last_new    = last_reg;
        pend_new    = res_avail && !capture;
        m_data_new  = m_data_reg;
        m_valid_new = m_valid_reg && !m_axis_tready;
        m_last_new  = m_last_reg;

        if (capture) begin
            m_data_new  = dec_reg ? (core_out ^ chain_reg) : core_out;
            m_valid_new = 1'b1;
            m_last_new  = last_reg;
            chain_new   = cur_reg;
        end

        if (take) begin
            first_new = s_axis_tlast;
            cur_new   = s_axis_tdata;
            last_new  = s_axis_tlast;
            if (first_reg) begin
                dec_new    = cfg_decrypt;
                single_new = cfg_single_des;
                key_new    = cfg_key;
                chain_new  = cfg_iv;
            end
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            first_reg   <= 1'b1;
            dec_reg     <= 1'b0;
            single_reg  <= 1'b0;
            key_reg     <= 192'd0;
            chain_reg   <= 64'd0;
            cur_reg     <= 64'd0;
            last_reg    <= 1'b0;
            pend_reg    <= 1'b0;
            m_data_reg  <= 64'd0;
            m_valid_reg <= 1'b0;
            m_last_reg  <= 1'b0;
        end else begin
            first_reg   <= first_new;
            dec_reg     <= dec_new;
            single_reg  <= single_new;
            key_reg     <= key_new;
            chain_reg   <= chain_new;
            cur_reg     <= cur_new;
            last_reg    <= last_new;
            pend_reg    <= pend_new;
            m_data_reg  <= m_data_new;
            m_valid_reg <= m_valid_new;
            m_last_reg  <= m_last_new;
        end
    end

endmodule

`resetall
