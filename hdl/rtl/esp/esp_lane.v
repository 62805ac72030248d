`resetall
`default_nettype none
// esp_lane: one packet engine of fgate_engine. It owns a slice of the SA
// table (the SAs whose index mod N_LANES is this lane's), a packet buffer,
// one tdes_cbc, one hmac_sha1 and one hmac_md5, and processes one job at a
// time: ENCAP / DECAP (ESP or AH, docs/protocol.md), SA_LOAD (with the HMAC
// key setup), SA_CLEAR and COUNTERS, then sends the job's result frame.
//
// Ports
//   wipe          (in IDLE) empty every SA slot of the lane (RESET). The
//                 lane also wipes its slots after rst: idle is 0 meanwhile.
//   idle          no job in the lane, nothing left to send.
//   quiet         idle, or waiting for a payload word: the lane makes no
//                 progress without input (the simulator's stop condition).
//   job_*         a job from fg_frame_rx, taken when job_valid and job_ready:
//                 the request header (type, SA field, tag, aux, length), the
//                 slot within the lane (job_idx = SA / N_LANES), and
//                 job_too_big (LENGTH above MAX_PAYLOAD: answer TOO_BIG, no
//                 payload follows). Types: ENCAP, DECAP, SA_LOAD (LENGTH 64),
//                 SA_CLEAR, COUNTERS (LENGTH 0); the parser has checked the
//                 SA range and the control lengths.
//   pl_*          the job's payload words, ceil(LENGTH / 8) of them, after
//                 the job handshake.
//   m_axis_*      the result frame (header words, then payload), tlast on
//                 its last word, to fg_frame_tx.
//   ev_no_sa      one-cycle pulse: a packet answered NO_SA (STATS.NO_SA).
//
// Buffer (esp_ram, BUF_WORDS x 64): the payload is stored from word 1.
//   ESP ENCAP: word 0 gets SPI | sequence, the cipher encrypts words 2..
//   (1.. for NULL) in place, the ICV is written after them: the buffer is
//   then the result payload.
//   ESP DECAP: the ICV is checked over words 1.. while the cipher decrypts
//   in place (a plaintext word is written only once the HMAC reader has
//   read that word); the result is the plaintext from word 2 (1 for NULL).
//   AH: nothing is moved; the readers insert (ENCAP) or skip (DECAP) the 24
//   AH bytes at IHL x 4 on the way out (esp_rd).
// SA slot (esp_ram, 2^SA_AW x SA_W): read when a job starts, held in sa_reg
//   while the job runs, written back when it ends.
//
// Job flow: IDLE -> RX (payload words; the SA slot is read meanwhile) ->
// CHECK (every check that needs no crypto, in docs/protocol.md's order) ->
// PSTART -> PROC (cipher and HMAC) -> ICV0/ICV1 (ESP ENCAP) -> FINAL
// (status, window, counters) -> SAVE (slot written back) -> TX. SA_LOAD:
// RX -> CHECK -> SCRUB (the payload's keys leave the buffer, 8 cycles) ->
// KEY (istate, ostate) -> SAVE -> TX. A failed check goes from CHECK to
// SAVE (counters) or straight to TX.
//
// Timing (no stalls; bench engine measures it): RX one cycle per payload
// word, then the cipher (16 DES or 48 3DES cycles per 8-byte block, divided
// by TDES_ROUNDS) with the HMAC (81 SHA-1 or 65 MD5 cycles per 64-byte
// block) alongside, 5 to 7 cycles of bookkeeping, and TX one cycle per
// result word. ESP ENCAP feeds the HMAC with the ciphertext as it comes
// out, so the HMAC ends one or two compressions after the cipher; DECAP
// runs both side by side from the buffer. 3DES + HMAC-SHA1 with
// TDES_ROUNDS = 2, back to back on one SA: ENCAP 427 cycles per packet for
// 64 data bytes, 4793 for 1400 (the cipher alone: 216, 4224); DECAP 291
// and 4593 (docs/hdl.md has 1 and 4 rounds). One job at a time: RX and TX
// are not overlapped with the next or previous packet's crypto (lanes
// overlap each other).
// SA_LOAD with a key: about 8 + 8 + 2 x 81 cycles (SHA-1).
//
// Parameters: BUF_AW = 9 and BUF_WORDS from 261 (the largest ENCAP result
// plus SPI/sequence) to 512.

module esp_lane #(
    parameter SA_AW      = 7,       // slots in the lane: 2^SA_AW
    parameter REPLAY_MAX = 64,      // largest replay window, at most 64
    parameter BUF_AW     = 9,
    parameter BUF_WORDS  = 264,     // (2048 + 64) / 8
    parameter TDES_ROUNDS = 2       // DES rounds per clock of tdes_cbc: 1, 2, 4, 8
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             wipe,
    output wire             idle,
    output wire             quiet,
    input  wire             job_valid,
    output wire             job_ready,
    input  wire [7:0]       job_type,
    input  wire [SA_AW-1:0] job_idx,
    input  wire [15:0]      job_sa,
    input  wire [31:0]      job_tag,
    input  wire [31:0]      job_aux,
    input  wire [15:0]      job_len,
    input  wire             job_too_big,
    input  wire [63:0]      pl_data,
    input  wire             pl_valid,
    output wire             pl_ready,
    output wire [63:0]      m_axis_tdata,
    output wire             m_axis_tvalid,
    input  wire             m_axis_tready,
    output wire             m_axis_tlast,
    output wire             ev_no_sa
);

`include "fgate_protocol.vh"

    // ---------------------------------------------------------------- SA slot
    // State part (u_tbl, copied to sa_reg for the job, written back):
    localparam [8:0] F_COTH   = 9'd0;     // counters: other errors (32)
    localparam [8:0] F_CPAD   = 9'd32;    // BAD_PAD (32)
    localparam [8:0] F_CREP   = 9'd64;    // REPLAY (32)
    localparam [8:0] F_CAF    = 9'd96;    // AUTH_FAIL (32)
    localparam [8:0] F_BYTES  = 9'd128;   // bytes (64)
    localparam [8:0] F_PKTS   = 9'd192;   // packets (64)
    localparam [8:0] F_RWIN   = 9'd256;   // replay window size (7)
    localparam [8:0] F_RMAP   = 9'd263;   // replay bitmap, bit i = top - i (64)
    localparam [8:0] F_RTOP   = 9'd327;   // highest verified sequence number (32)
    localparam [8:0] F_NSEQ   = 9'd359;   // next outbound sequence number (33)
    localparam [8:0] F_SPI    = 9'd392;   // (32)
    localparam [8:0] F_AUTH   = 9'd424;   // (2)
    localparam [8:0] F_CIPHER = 9'd426;   // (2)
    localparam [8:0] F_TR     = 9'd428;   // transport mode
    localparam [8:0] F_AH     = 9'd429;
    localparam [8:0] F_INB    = 9'd430;
    localparam [8:0] F_VALID  = 9'd431;
    localparam SA_W     = 432;
    // Key part (u_key, written by SA_LOAD only, used straight from the
    // RAM's output register, which holds it for the job): K1 K2 K3 (192),
    // HMAC inner and outer states (160 each; MD5 in the top 128 bits).
    localparam KEY_W    = 512;
    localparam SA_DEPTH = 1 << SA_AW;

    // ---------------------------------------------------------------- states
    localparam [3:0] S_WIPE   = 4'd0;
    localparam [3:0] S_IDLE   = 4'd1;
    localparam [3:0] S_RX     = 4'd2;   // payload words into the buffer
    localparam [3:0] S_CHECK  = 4'd3;   // checks before any crypto
    localparam [3:0] S_PSTART = 4'd4;   // start the readers
    localparam [3:0] S_PROC   = 4'd5;   // cipher and HMAC run
    localparam [3:0] S_ICV0   = 4'd6;   // ESP ENCAP: ICV into the buffer
    localparam [3:0] S_ICV1   = 4'd7;
    localparam [3:0] S_KEY    = 4'd8;   // SA_LOAD: HMAC key setup
    localparam [3:0] S_FINAL  = 4'd9;   // status, counters, window
    localparam [3:0] S_SAVE   = 4'd10;  // SA slot written back
    localparam [3:0] S_TX     = 4'd11;  // result frame
    localparam [3:0] S_SCRUB  = 4'd12;  // SA_LOAD: keys out of the buffer

    localparam [31:0] MAGIC32   = FGP_MAGIC;
    localparam [31:0] VERSION32 = FGP_VERSION;
    localparam [31:0] RESULT32  = FGP_RESULT_BIT;
    localparam [31:0] RMAX32    = REPLAY_MAX;
    localparam [31:0] CNT32     = FGP_CNT_SIZE;
    localparam [BUF_AW-1:0] BA0 = 0;
    localparam [BUF_AW-1:0] BA1 = 1;
    localparam [BUF_AW-1:0] BA2 = 2;
    localparam [BUF_AW-1:0] BA3 = 3;
    localparam [BUF_AW-1:0] BA8 = 8;

    localparam [2:0] RD_LINEAR  = 3'd0;
    localparam [2:0] RD_INSERT  = 3'd1;
    localparam [2:0] RD_ZERO    = 3'd2;
    localparam [2:0] RD_SKIP    = 3'd3;
    localparam [2:0] RD_TRAILER = 3'd4;

    // ---------------------------------------------------------------- registers
    reg  [3:0]        state_reg, state_new;
    reg  [SA_AW-1:0]  wcnt_reg, wcnt_new;       // wipe address
    // job
    reg  [7:0]        jtype_reg;
    reg               tenc_reg, tdec_reg;       // job type decoded with it
    reg               tload_reg, tclear_reg;
    reg  [SA_AW-1:0]  jidx_reg;
    reg  [15:0]       jsa_reg;
    reg  [31:0]       jtag_reg;
    reg  [7:0]        jnh_reg;                  // ENCAP: next header (AUX 7:0)
    reg  [11:0]       jlen_reg;
    reg               jbig_reg;
    reg               job_we;
    // RX
    reg  [8:0]        rxc_reg, rxc_new;         // payload words received
    reg  [8:0]        rxn_reg;                  // payload words expected
    reg               load_reg;                 // slot on tbl_rdata this cycle
    reg  [63:0]       w0_reg, w1_reg;           // payload words 0 and 1
    reg  [63:0]       wl_reg, wp_last_reg;      // last payload word, the one before
    reg  [3:0]        ihl_reg;                  // AH: IPv4 IHL
    reg  [191:0]      ins_reg, ins_new;         // AH header (captured or built)
    reg  [31:0]       pre_reg, pre_new;         // AH: the 4 bytes before it
    reg  [159:0]      akey_reg, akey_new;       // SA_LOAD: HMAC key
    reg  [KEY_W-1:0]  kst_reg, kst_new;         // SA_LOAD: key part to write
    reg               rsv3z_reg;                // SA_LOAD: RESERVED3 is zero
    // SA slot in use
    reg  [SA_W-1:0]   sa_reg, sa_new;
    // processing
    reg  [2:0]        crm_reg, crm_new;         // cipher reader mode, base, len
    reg  [BUF_AW-1:0] crb_reg, crb_new;
    reg  [11:0]       crl_reg, crl_new;
    reg  [11:0]       dlen_reg, dlen_new;       // ESP ENCAP: data bytes
    reg  [7:0]        padl_reg, padl_new;       // ESP ENCAP: pad length
    reg  [2:0]        xrm_reg, xrm_new;         // HMAC / TX reader mode, base, len
    reg  [BUF_AW-1:0] xrb_reg, xrb_new;
    reg  [11:0]       xrl_reg, xrl_new;
    reg  [11:0]       eoff_reg, eoff_new;       // ESP ENCAP: ICV byte offset
    reg  [11:0]       pbytes_reg, pbytes_new;   // CNT.BYTES of the packet
    reg               ct_done_reg, ct_done_new; // last cipher output word seen
    reg               hm_done_reg, hm_done_new; // HMAC result in
    reg  [95:0]       icv_reg, icv_new;         // computed ICV
    reg  [1:0]        hf_reg, hf_new;           // ESP ENCAP HMAC feed: hdr, IV, data
    reg  [BUF_AW-1:0] wp_reg, wp_new;           // cipher output write address
    reg  [63:0]       lastco_reg, lastco_new;   // last cipher output word
    reg  [4:0]        kf_reg, kf_new;           // key setup: words fed
    reg               kr_reg, kr_new;           // key setup: istate in
    // result
    reg  [7:0]        st_reg, st_new;
    reg  [11:0]       txl_reg, txl_new;         // result payload bytes
    reg  [31:0]       txa_reg, txa_new;         // result AUX
    reg               txc_reg, txc_new;         // payload is the CNT layout
    reg  [9:0]        txi_reg, txi_new;         // word of the result frame
    reg               txgo_reg, txgo_new;       // first TX cycle: start reader
    reg               nosa_reg, nosa_new;

    // ---------------------------------------------------------------- job type
    // Decoded when the job is taken (same cycle as jtype_reg), so that the
    // many paths that start from the type (the HMAC feed multiplexer into
    // hmac_*'s padding logic, the cipher direction, the FSM) start from a
    // flip-flop instead of an 8-bit comparator.
    wire t_encap = tenc_reg;
    wire t_decap = tdec_reg;
    wire t_load  = tload_reg;
    wire t_clear = tclear_reg;

    // ---------------------------------------------------------------- SA fields
    wire         sa_valid  = sa_reg[F_VALID];
    wire         sa_inb    = sa_reg[F_INB];
    wire         sa_ah     = sa_reg[F_AH];
    wire [1:0]   sa_cipher = sa_reg[F_CIPHER +: 2];
    wire [1:0]   sa_auth   = sa_reg[F_AUTH +: 2];
    wire [31:0]  sa_spi    = sa_reg[F_SPI +: 32];
    wire [32:0]  sa_nseq   = sa_reg[F_NSEQ +: 33];
    wire [31:0]  sa_rtop   = sa_reg[F_RTOP +: 32];
    wire [63:0]  sa_rmap   = sa_reg[F_RMAP +: 64];
    wire [6:0]   sa_rwin   = sa_reg[F_RWIN +: 7];
    wire [KEY_W-1:0] key_rdata;
    // The cipher key is copied out of the RAM's output into ckey_reg in the
    // cycle after the read (load_reg), long before the cipher starts (PROC
    // comes after RX, CHECK and PSTART): the block RAM's clock-to-output
    // delay is then off tdes_core's key-schedule-to-S-box path, which runs
    // from its key port every round.
    reg  [191:0] ckey_reg;
    wire [191:0] sa_ckey   = ckey_reg;
    wire [159:0] sa_ist    = key_rdata[319:160];
    wire [159:0] sa_ost    = key_rdata[159:0];

    wire use_cipher = sa_cipher != 2'd0;
    wire use_icv    = sa_auth != 2'd0;
    wire use_md5    = sa_auth == FGP_AUTH_HMAC_MD5[1:0];

    // ---------------------------------------------------------------- memories
    reg               buf_we;
    reg  [BUF_AW-1:0] buf_waddr;
    reg  [63:0]       buf_wdata;
    wire              buf_re;
    wire [BUF_AW-1:0] buf_raddr;
    wire [63:0]       buf_rdata;

    esp_ram #(.W(64), .AW(BUF_AW), .D(BUF_WORDS)) u_buf (
        .clk(clk), .we(buf_we), .waddr(buf_waddr), .wdata(buf_wdata),
        .re(buf_re), .raddr(buf_raddr), .rdata(buf_rdata)
    );

    // Both parts are always written from registers (zeroed for a wipe or
    // a clear), so no write-data multiplexer is needed.
    reg               tbl_we, key_we;
    reg  [SA_AW-1:0]  tbl_waddr;
    wire [SA_W-1:0]   tbl_rdata;

    esp_ram #(.W(SA_W), .AW(SA_AW), .D(SA_DEPTH)) u_tbl (
        .clk(clk), .we(tbl_we), .waddr(tbl_waddr), .wdata(sa_reg),
        .re(job_we), .raddr(job_idx), .rdata(tbl_rdata)
    );

    esp_ram #(.W(KEY_W), .AW(SA_AW), .D(SA_DEPTH)) u_key (
        .clk(clk), .we(key_we), .waddr(tbl_waddr), .wdata(kst_reg),
        .re(job_we), .raddr(job_idx), .rdata(key_rdata)
    );

    // ---------------------------------------------------------------- readers
    // cr: buffer -> cipher (ESP). xr: buffer -> HMAC (ESP DECAP, AH), then
    // buffer -> result frame. cr has priority on the read port.
    wire              cr_req, xr_req, cr_busy, xr_busy;
    wire [BUF_AW-1:0] cr_addr, xr_addr;
    wire [9:0]        xr_done;
    wire [9:0]        cr_done_unused;
    wire [63:0]       cr_data, xr_data;
    wire [7:0]        cr_keep, xr_keep;
    wire              cr_last, xr_last, cr_valid, xr_valid;
    reg               cr_ready, xr_ready;
    wire              cr_start = state_reg == S_PSTART && !sa_ah;
    wire              xr_start = (state_reg == S_PSTART && use_icv && (sa_ah || t_decap)) ||
                                 (txgo_reg && !txc_reg && txl_reg != 12'd0);

    assign buf_re = cr_req || xr_req;
    assign buf_raddr = cr_req ? cr_addr : xr_addr;

    esp_rd #(.AW(BUF_AW), .COMPOSE(0), .TRAILER(1)) u_cr (
        .clk(clk), .rst(rst), .start(cr_start),
        .cfg_mode(crm_reg), .cfg_base(crb_reg), .cfg_len(crl_reg), .cfg_h4(4'd0),
        .cfg_ins(192'd0), .cfg_pre(32'd0),
        .cfg_dlen(dlen_reg), .cfg_padlen(padl_reg), .cfg_nh(jnh_reg),
        .busy(cr_busy), .done_words(cr_done_unused),
        .rd_req(cr_req), .rd_addr(cr_addr), .rd_gnt(1'b1), .rd_data(buf_rdata),
        .m_axis_tdata(cr_data), .m_axis_tkeep(cr_keep), .m_axis_tlast(cr_last),
        .m_axis_tvalid(cr_valid), .m_axis_tready(cr_ready)
    );

    esp_rd #(.AW(BUF_AW), .COMPOSE(1), .TRAILER(0)) u_xr (
        .clk(clk), .rst(rst), .start(xr_start),
        .cfg_mode(xrm_reg), .cfg_base(xrb_reg), .cfg_len(state_reg == S_TX ? txl_reg : xrl_reg),
        .cfg_h4(ihl_reg),
        .cfg_ins(ins_reg), .cfg_pre(pre_reg),
        .cfg_dlen(12'd0), .cfg_padlen(8'd0), .cfg_nh(8'd0),
        .busy(xr_busy), .done_words(xr_done),
        .rd_req(xr_req), .rd_addr(xr_addr), .rd_gnt(!cr_req), .rd_data(buf_rdata),
        .m_axis_tdata(xr_data), .m_axis_tkeep(xr_keep), .m_axis_tlast(xr_last),
        .m_axis_tvalid(xr_valid), .m_axis_tready(xr_ready)
    );

    // ---------------------------------------------------------------- cipher
    reg         co_ready;
    wire        des_s_ready, des_m_valid, des_m_last;
    wire [63:0] des_m_data;

    tdes_cbc #(
        .ROUNDS(TDES_ROUNDS)
    ) u_des (
        .clk(clk), .rst(rst),
        .cfg_decrypt(t_decap),
        .cfg_single_des(sa_cipher == FGP_CIPHER_DES_CBC[1:0]),
        .cfg_key(sa_ckey),
        .cfg_iv(t_decap ? w1_reg : w0_reg),
        .s_axis_tdata(cr_data), .s_axis_tvalid(cr_valid && use_cipher),
        .s_axis_tready(des_s_ready), .s_axis_tlast(cr_last),
        .m_axis_tdata(des_m_data), .m_axis_tvalid(des_m_valid),
        .m_axis_tready(co_ready), .m_axis_tlast(des_m_last)
    );

    // Cipher output: tdes_cbc, or the cipher reader itself for NULL.
    wire [63:0] co_data  = use_cipher ? des_m_data : cr_data;
    wire        co_valid = use_cipher ? des_m_valid : cr_valid;
    wire        co_last  = use_cipher ? des_m_last : cr_last;
    wire [7:0]  co_keep  = use_cipher ? 8'hff : cr_keep;
    wire        co_go    = co_valid && co_ready;

    always @* begin
        cr_ready = use_cipher ? des_s_ready : co_ready;
    end

    // ---------------------------------------------------------------- HMAC
    reg  [63:0]  hm_data;
    reg  [7:0]   hm_keep;
    reg          hm_last, hm_valid;
    wire         sha_ready, md5_ready, sha_valid, md5_valid;
    wire [159:0] sha_res;
    wire [127:0] md5_res;
    wire         hm_ready = use_md5 ? md5_ready : sha_ready;
    wire [1:0]   hm_mode = state_reg == S_KEY ? 2'd2 : 2'd1;
    wire         hm_res_valid = use_md5 ? md5_valid : sha_valid;
    wire [159:0] hm_res = use_md5 ? {md5_res, 32'd0} : sha_res;

    hmac_sha1 u_sha (
        .clk(clk), .rst(rst),
        .cfg_mode(hm_mode), .cfg_istate(sa_ist), .cfg_ostate(sa_ost),
        .s_axis_tdata(hm_data), .s_axis_tkeep(hm_keep),
        .s_axis_tvalid(hm_valid && !use_md5), .s_axis_tready(sha_ready),
        .s_axis_tlast(hm_last),
        .m_axis_tdata(sha_res), .m_axis_tvalid(sha_valid), .m_axis_tready(1'b1)
    );

    hmac_md5 u_md5 (
        .clk(clk), .rst(rst),
        .cfg_mode(hm_mode), .cfg_istate(sa_ist[159:32]), .cfg_ostate(sa_ost[159:32]),
        .s_axis_tdata(hm_data), .s_axis_tkeep(hm_keep),
        .s_axis_tvalid(hm_valid && use_md5), .s_axis_tready(md5_ready),
        .s_axis_tlast(hm_last),
        .m_axis_tdata(md5_res), .m_axis_tvalid(md5_valid), .m_axis_tready(1'b1)
    );

    // Key setup words: (K zero-padded to 64 bytes) ^ ipad, then ^ opad.
    wire [159:0] key_eff = use_md5 ? {akey_reg[159:32], 32'd0} : akey_reg;
    wire [511:0] key_blk = {key_eff, 352'd0};
    wire [63:0]  key_word = key_blk[511 - 64 * kf_reg[2:0] -: 64] ^
                            (kf_reg[3] ? {8{8'h5c}} : {8{8'h36}});

    // ESP ENCAP: the last ciphertext word has 4 bytes for NULL when the
    // padded data is 4 mod 8 bytes long.
    always @* begin
        hm_data = xr_data;
        hm_keep = xr_keep;
        hm_last = xr_last;
        hm_valid = 1'b0;
        xr_ready = 1'b0;
        co_ready = 1'b0;
        if (state_reg == S_KEY) begin
            hm_data = key_word;
            hm_keep = 8'hff;
            hm_last = kf_reg[2:0] == 3'd7;
            hm_valid = !kf_reg[4];
        end else if (state_reg == S_PROC && t_encap && !sa_ah) begin
            hm_keep = 8'hff;
            hm_last = 1'b0;
            case (hf_reg)
                2'd0: begin
                    hm_data = {sa_spi, sa_nseq[31:0]};
                    hm_valid = use_icv;
                end
                2'd1: begin
                    hm_data = w0_reg;
                    hm_valid = use_icv;
                end
                default: begin
                    hm_data = co_data;
                    hm_keep = co_keep;
                    hm_last = co_last;
                    hm_valid = use_icv && co_valid;
                    co_ready = !use_icv || hm_ready;
                end
            endcase
            if (!use_icv)
                co_ready = 1'b1;
        end else if (state_reg == S_PROC) begin
            hm_valid = xr_valid;
            xr_ready = hm_ready;
            // DECAP: overwrite a word with plaintext only once it is read.
            co_ready = !use_icv || !xr_busy || ({1'b0, wp_reg} <= xr_done);
        end else if (state_reg == S_TX) begin
            xr_ready = m_axis_tready && txi_reg >= 10'd2 && !txc_reg;
        end
    end

    wire hm_go = hm_valid && hm_ready;

    // ---------------------------------------------------------------- padding
    wire [7:0] pc_padlen, pc_nh;
    wire       pc_ok;

    esp_padchk u_pad (
        .clk(clk), .rst(rst), .start(state_reg == S_PSTART),
        .in_valid(co_go && t_decap), .in_data(co_data), .in_half(!co_keep[3]),
        .in_last(co_last),
        .padlen(pc_padlen), .nh(pc_nh), .pad_ok(pc_ok)
    );

    // ---------------------------------------------------------------- checks
    wire [12:0] len13   = {1'b0, jlen_reg};
    wire [12:0] ivlen   = use_cipher ? 13'd8 : 13'd0;
    wire [12:0] icvlen  = use_icv ? 13'd12 : 13'd0;
    wire [12:0] blklen  = use_cipher ? 13'd8 : 13'd4;
    wire [5:0]  ah_h    = {ihl_reg, 2'd0};
    wire [12:0] ah_h13  = {7'd0, ah_h};

    // ESP ENCAP sizes
    wire [12:0] e_dlen  = len13 - ivlen;
    wire [12:0] e_s     = e_dlen + 13'd2;
    wire [2:0]  e_pad   = use_cipher ? (3'd0 - e_s[2:0]) : {1'b0, 2'd0 - e_s[1:0]};
    wire [12:0] e_ptlen = e_s + {10'd0, e_pad};
    wire [12:0] e_off   = 13'd8 + ivlen + e_ptlen;     // ICV offset
    // ESP DECAP sizes
    wire [12:0] d_ctlen = len13 - 13'd8 - ivlen - icvlen;
    wire        d_short = len13 < 13'd8 + ivlen + blklen + icvlen;
    wire        d_odd   = use_cipher ? d_ctlen[2:0] != 3'd0 : d_ctlen[1:0] != 2'd0;
    // AH sizes
    wire        ah_hdr_bad = len13 < 13'd20 || ihl_reg < 4'd5 || len13 < ah_h13;
    wire        ah_spi_bad = ah_hdr_bad || len13 < ah_h13 + 13'd8;
    wire        ah_len_bad = len13 < ah_h13 + 13'd24 || ins_reg[183:176] != 8'd4;
    // received SPI and sequence number
    wire [31:0] rx_spi = sa_ah ? ins_reg[159:128] : w0_reg[63:32];
    wire [31:0] rx_seq = sa_ah ? ins_reg[127:96] : w0_reg[31:0];
    // anti-replay check (RFC 4303 3.4.3), no change to the window
    wire [31:0] rp_diff = sa_rtop - rx_seq;
    wire        rp_new  = rx_seq > sa_rtop;
    wire        rp_bad  = sa_rwin != 7'd0 &&
                          (rx_seq == 32'd0 ||
                           (!rp_new && (rp_diff >= {25'd0, sa_rwin} || sa_rmap[rp_diff[5:0]])));
    // window after an authentic packet
    wire [31:0] rp_shift = rx_seq - sa_rtop;
    wire [63:0] rp_map_new = rp_new ? (rp_shift >= 32'd64 ? 64'd1 : ((sa_rmap << rp_shift[5:0]) | 64'd1))
                                    : (rp_diff < 32'd64 ? (sa_rmap | (64'd1 << rp_diff[5:0])) : sa_rmap);
    wire [31:0] rp_top_new = rp_new ? rx_seq : sa_rtop;

    // SA_LOAD fields (payload words 0 and 1)
    wire [7:0]  ld_flags  = w0_reg[63:56];
    wire [7:0]  ld_cipher = w0_reg[55:48];
    wire [7:0]  ld_auth   = w0_reg[47:40];
    wire [15:0] ld_win    = w1_reg[31:16];
    wire        ld_ah     = ld_flags[1];
    wire        ld_bad    = ld_flags[7:3] != 5'd0 || w0_reg[39:32] != 8'd0 ||
                            w1_reg[15:0] != 16'd0 || !rsv3z_reg ||
                            ld_cipher > FGP_CIPHER_TDES_CBC || ld_auth > FGP_AUTH_HMAC_MD5 ||
                            {16'd0, ld_win} > RMAX32 ||
                            (ld_ah && (ld_cipher != 8'd0 || ld_auth == 8'd0)) ||
                            (!ld_ah && ld_cipher == 8'd0 && ld_auth == 8'd0);

    wire [31:0] cnt_seq = sa_inb ? sa_rtop : (sa_nseq[31:0] - 32'd1);

    // The conditions CHECK and FINAL act on, registered every cycle: their
    // inputs (job, captures, sa_reg, ICV) are stable for at least one
    // cycle before either state (RX ends one cycle after its last word or
    // the slot load; PROC one cycle after the ICV arrives), so this costs
    // no cycle and keeps the comparators off the state machine's paths.
    reg         ck_enc_len_reg, ck_dec_short_reg, ck_spi_reg, ck_dec_len_reg;
    reg         ck_replay_reg, ck_ldbad_reg, fin_icv_ok_reg;
    reg  [63:0] fin_rmap_reg;
    reg  [31:0] fin_rtop_reg;
    // ESP: the received ICV is the last 12 payload bytes (LENGTH is a
    // multiple of 4 once the length checks passed).
    wire [95:0] icv_rx = sa_ah ? ins_reg[95:0] :
                         jlen_reg[2] ? {wp_last_reg, wl_reg[63:32]} : {wp_last_reg[31:0], wl_reg};
    wire        icv_ok = !use_icv || icv_reg == icv_rx;

    // ---------------------------------------------------------------- RX capture
    // AH: the header starts at byte h = 4 IHL, in payload word a = IHL / 2
    // (high half if IHL is even, low half if odd); the 4 bytes before it
    // (pre_reg) matter when IHL is odd. Payload word 0 (IHL itself) has no
    // part of it (IHL >= 5 when the length checks pass).
    wire [8:0]  ah_d = rxc_reg - {6'd0, ihl_reg[3:1]};     // word - a
    wire        ah_odd = ihl_reg[0];

    wire rx_go = pl_valid && pl_ready;

    // ---------------------------------------------------------------- TX
    wire [9:0]  tx_words = 10'd2 + {1'b0, txl_reg[11:3]} + {9'd0, txl_reg[2:0] != 3'd0};
    wire        tx_last = txi_reg == tx_words - 10'd1;
    reg  [63:0] tx_data;
    reg         tx_valid;
    always @* begin
        tx_data = xr_data;
        tx_valid = xr_valid;
        if (txi_reg == 10'd0) begin
            tx_data = {MAGIC32[7:0], VERSION32[7:0], jtype_reg | RESULT32[7:0], st_reg,
                       4'd0, txl_reg, jsa_reg};
            tx_valid = 1'b1;
        end else if (txi_reg == 10'd1) begin
            tx_data = {jtag_reg, txa_reg};
            tx_valid = 1'b1;
        end else if (txc_reg) begin
            tx_valid = 1'b1;
            case (txi_reg[2:0])
                3'd2: tx_data = sa_reg[F_PKTS +: 64];
                3'd3: tx_data = sa_reg[F_BYTES +: 64];
                3'd4: tx_data = {sa_reg[F_CAF +: 32], sa_reg[F_CREP +: 32]};
                3'd5: tx_data = {sa_reg[F_CPAD +: 32], sa_reg[F_COTH +: 32]};
                default: tx_data = {cnt_seq, 32'd0};
            endcase
        end
    end

    assign m_axis_tdata = tx_data;
    assign m_axis_tvalid = state_reg == S_TX && tx_valid;
    assign m_axis_tlast = tx_last;
    wire tx_go = m_axis_tvalid && m_axis_tready;

    assign idle = state_reg == S_IDLE;
    assign quiet = idle || (pl_ready && !load_reg);
    assign job_ready = state_reg == S_IDLE && !wipe;
    assign pl_ready = state_reg == S_RX && rxc_reg != rxn_reg;
    assign ev_no_sa = nosa_reg;

    // ---------------------------------------------------------------- FSM
    // Status of a failed check, with the counter it bumps.
    task fail(input [7:0] status, input [8:0] counter);
        begin
            st_new = status;
            sa_new[counter +: 32] = sa_reg[counter +: 32] + 32'd1;
            state_new = S_SAVE;
        end
    endtask

    always @* begin
        state_new = state_reg;
        wcnt_new = wcnt_reg;
        job_we = 1'b0;
        rxc_new = rxc_reg;
        ins_new = ins_reg;
        pre_new = pre_reg;
        akey_new = akey_reg;
        kst_new = kst_reg;
        sa_new = sa_reg;
        crm_new = crm_reg;
        crb_new = crb_reg;
        crl_new = crl_reg;
        dlen_new = dlen_reg;
        padl_new = padl_reg;
        xrm_new = xrm_reg;
        xrb_new = xrb_reg;
        xrl_new = xrl_reg;
        eoff_new = eoff_reg;
        pbytes_new = pbytes_reg;
        ct_done_new = ct_done_reg;
        hm_done_new = hm_done_reg;
        icv_new = icv_reg;
        hf_new = hf_reg;
        wp_new = wp_reg;
        lastco_new = lastco_reg;
        kf_new = kf_reg;
        kr_new = kr_reg;
        st_new = st_reg;
        txl_new = txl_reg;
        txa_new = txa_reg;
        txc_new = txc_reg;
        txi_new = txi_reg;
        txgo_new = 1'b0;
        nosa_new = 1'b0;
        buf_we = 1'b0;
        buf_waddr = wp_reg;
        buf_wdata = 64'd0;
        tbl_we = 1'b0;
        key_we = 1'b0;
        tbl_waddr = jidx_reg;

        case (state_reg)
            S_WIPE: begin
                // sa_reg and kst_reg are 0 here (rst, wipe)
                tbl_we = 1'b1;
                key_we = 1'b1;
                tbl_waddr = wcnt_reg;
                wcnt_new = wcnt_reg + 1'b1;
                if (wcnt_reg == {SA_AW{1'b1}})
                    state_new = S_IDLE;
            end

            S_IDLE: begin
                if (wipe) begin
                    wcnt_new = {SA_AW{1'b0}};
                    sa_new = {SA_W{1'b0}};
                    state_new = S_WIPE;
                end else if (job_valid) begin
                    job_we = 1'b1;
                    rxc_new = 9'd0;
                    st_new = FGP_STATUS_OK;
                    txl_new = 12'd0;
                    txa_new = 32'd0;
                    txc_new = 1'b0;
                    state_new = S_RX;
                end
            end

            S_RX: begin
                if (load_reg && !t_load)
                    sa_new = tbl_rdata;
                if (rx_go) begin
                    rxc_new = rxc_reg + 9'd1;
                    buf_we = 1'b1;
                    buf_waddr = rxc_reg[BUF_AW-1:0] + 1'b1;
                    buf_wdata = pl_data;
                    if (rxc_reg != 9'd0) begin
                        case (ah_d)
                            9'd0: begin
                                if (ah_odd) begin
                                    pre_new = pl_data[63:32];
                                    ins_new[191:160] = pl_data[31:0];
                                end else begin
                                    ins_new[191:128] = pl_data;
                                end
                            end
                            9'd1: begin
                                if (ah_odd)
                                    ins_new[159:96] = pl_data;
                                else
                                    ins_new[127:64] = pl_data;
                            end
                            9'd2: begin
                                if (ah_odd)
                                    ins_new[95:32] = pl_data;
                                else
                                    ins_new[63:0] = pl_data;
                            end
                            9'd3: begin
                                if (ah_odd)
                                    ins_new[31:0] = pl_data[63:32];
                            end
                            default: ;
                        endcase
                    end
                    if (t_load) begin
                        case (rxc_reg[2:0])
                            3'd2: kst_new[511:448] = pl_data;
                            3'd3: kst_new[447:384] = pl_data;
                            3'd4: kst_new[383:320] = pl_data;
                            3'd5: akey_new[159:96] = pl_data;
                            3'd6: akey_new[95:32] = pl_data;
                            3'd7: akey_new[31:0] = pl_data[63:32];
                            default: ;
                        endcase
                    end
                end
                if (rxc_reg == rxn_reg && !load_reg)
                    state_new = S_CHECK;
            end

            S_CHECK: begin
                state_new = S_TX;
                if (jbig_reg) begin
                    st_new = FGP_STATUS_TOO_BIG;
                end else if (t_load) begin
                    if (ck_ldbad_reg) begin
                        st_new = FGP_STATUS_BAD_SA;
                    end else begin
                        sa_new[F_VALID] = 1'b1;
                        sa_new[F_INB] = ld_flags[0];
                        sa_new[F_AH] = ld_flags[1];
                        sa_new[F_TR] = ld_flags[2];
                        sa_new[F_CIPHER +: 2] = ld_cipher[1:0];
                        sa_new[F_AUTH +: 2] = ld_auth[1:0];
                        sa_new[F_SPI +: 32] = w0_reg[31:0];
                        sa_new[F_NSEQ +: 33] = {1'b0, w1_reg[63:32]};
                        sa_new[F_RTOP +: 32] = 32'd0;
                        sa_new[F_RMAP +: 64] = 64'd0;
                        sa_new[F_RWIN +: 7] = ld_win[6:0];
                        sa_new[F_PKTS +: 64] = 64'd0;
                        sa_new[F_BYTES +: 64] = 64'd0;
                        sa_new[F_CAF +: 32] = 32'd0;
                        sa_new[F_CREP +: 32] = 32'd0;
                        sa_new[F_CPAD +: 32] = 32'd0;
                        sa_new[F_COTH +: 32] = 32'd0;
                        kf_new = 5'd0;
                        kr_new = 1'b0;
                    end
                    wp_new = BA1;
                    state_new = S_SCRUB;
                end else if (!sa_valid) begin
                    st_new = FGP_STATUS_NO_SA;
                    nosa_new = t_encap || t_decap;
                end else if (t_clear) begin
                    sa_new = {SA_W{1'b0}};
                    state_new = S_SAVE;
                end else if (t_encap) begin
                    if (sa_inb)
                        fail(FGP_STATUS_WRONG_DIR, F_COTH);
                    else if (ck_enc_len_reg)
                        fail(FGP_STATUS_BAD_LENGTH, F_COTH);
                    else if (sa_nseq[32])
                        fail(FGP_STATUS_SEQ_OVERFLOW, F_COTH);
                    else
                        state_new = S_PSTART;
                end else if (t_decap) begin
                    if (!sa_inb)
                        fail(FGP_STATUS_WRONG_DIR, F_COTH);
                    else if (ck_dec_short_reg)
                        fail(FGP_STATUS_BAD_LENGTH, F_COTH);
                    else if (ck_spi_reg)
                        fail(FGP_STATUS_SPI_MISMATCH, F_COTH);
                    else if (ck_dec_len_reg)
                        fail(FGP_STATUS_BAD_LENGTH, F_COTH);
                    else if (ck_replay_reg)
                        fail(FGP_STATUS_REPLAY, F_CREP);
                    else
                        state_new = S_PSTART;
                end else begin
                    // COUNTERS
                    txl_new = CNT32[11:0];
                    txc_new = 1'b1;
                end

                // Processing set-up for S_PSTART.
                dlen_new = e_dlen[11:0];
                padl_new = {5'd0, e_pad};
                eoff_new = e_off[11:0];
                if (t_encap) begin
                    crm_new = RD_TRAILER;
                    crb_new = use_cipher ? BA2 : BA1;
                    crl_new = e_ptlen[11:0];
                    xrm_new = RD_INSERT;
                    xrb_new = BA1;
                    xrl_new = jlen_reg + 12'd24;
                    pbytes_new = sa_ah ? jlen_reg : e_dlen[11:0];
                end else begin
                    crm_new = RD_LINEAR;
                    crb_new = use_cipher ? BA3 : BA2;
                    crl_new = d_ctlen[11:0];
                    xrm_new = sa_ah ? RD_ZERO : RD_LINEAR;
                    xrb_new = BA1;
                    xrl_new = sa_ah ? jlen_reg : jlen_reg - icvlen[11:0];
                    pbytes_new = jlen_reg - 12'd24;
                end
            end

            S_PSTART: begin
                wp_new = crb_reg;
                hf_new = 2'd0;
                ct_done_new = sa_ah;
                hm_done_new = !use_icv;
                if (t_encap && !sa_ah) begin
                    buf_we = 1'b1;
                    buf_waddr = BA0;
                    buf_wdata = {sa_spi, sa_nseq[31:0]};
                end
                if (t_encap && sa_ah)
                    ins_new = {jnh_reg, 8'd4, 16'd0, sa_spi, sa_nseq[31:0], 96'd0};
                state_new = S_PROC;
            end

            S_PROC: begin
                if (co_go) begin
                    buf_we = 1'b1;
                    buf_waddr = wp_reg;
                    buf_wdata = co_data;
                    wp_new = wp_reg + 1'b1;
                    lastco_new = co_data;
                    if (co_last)
                        ct_done_new = 1'b1;
                end
                if (hm_go && t_encap && !sa_ah && hf_reg != 2'd2)
                    hf_new = (hf_reg == 2'd0 && use_cipher) ? 2'd1 : 2'd2;
                if (hm_res_valid) begin
                    icv_new = hm_res[159:64];
                    hm_done_new = 1'b1;
                end
                if (ct_done_reg && hm_done_reg)
                    state_new = (t_encap && !sa_ah && use_icv) ? S_ICV0 : S_FINAL;
            end

            S_ICV0: begin
                buf_we = 1'b1;
                buf_waddr = eoff_reg[BUF_AW+2:3];
                buf_wdata = eoff_reg[2] ? {lastco_reg[63:32], icv_reg[95:64]} : icv_reg[95:32];
                state_new = S_ICV1;
            end

            S_ICV1: begin
                buf_we = 1'b1;
                buf_waddr = eoff_reg[BUF_AW+2:3] + 1'b1;
                buf_wdata = eoff_reg[2] ? icv_reg[63:0] : {icv_reg[31:0], 32'd0};
                state_new = S_FINAL;
            end

            // SA_LOAD: the payload (keys) leaves the buffer (akey_reg and
            // kst_reg are cleared in TX).
            S_SCRUB: begin
                buf_we = 1'b1;
                buf_waddr = wp_reg;
                buf_wdata = 64'd0;
                wp_new = wp_reg + 1'b1;
                if (wp_reg == BA8) begin
                    if (st_reg != FGP_STATUS_OK)
                        state_new = S_TX;
                    else
                        state_new = sa_auth == 2'd0 ? S_SAVE : S_KEY;
                end
            end

            S_KEY: begin
                if (hm_go)
                    kf_new = kf_reg + 5'd1;
                if (hm_res_valid) begin
                    kr_new = 1'b1;
                    if (!kr_reg) begin
                        kst_new[319:160] = hm_res;
                    end else begin
                        kst_new[159:0] = hm_res;
                        state_new = S_SAVE;
                    end
                end
            end

            S_FINAL: begin
                state_new = S_SAVE;
                if (t_encap) begin
                    sa_new[F_NSEQ +: 33] = sa_nseq + 33'd1;
                    sa_new[F_PKTS +: 64] = sa_reg[F_PKTS +: 64] + 64'd1;
                    sa_new[F_BYTES +: 64] = sa_reg[F_BYTES +: 64] + {52'd0, pbytes_reg};
                    txa_new = sa_nseq[31:0];
                    if (sa_ah) begin
                        ins_new[95:0] = icv_reg;
                        txl_new = xrl_reg;
                        xrm_new = RD_INSERT;
                    end else begin
                        txl_new = eoff_reg + (use_icv ? 12'd12 : 12'd0);
                        xrm_new = RD_LINEAR;
                        xrb_new = BA0;
                    end
                end else if (!fin_icv_ok_reg) begin
                    fail(FGP_STATUS_AUTH_FAIL, F_CAF);
                end else begin
                    sa_new[F_RTOP +: 32] = fin_rtop_reg;
                    sa_new[F_RMAP +: 64] = fin_rmap_reg;
                    if (!sa_ah && !pc_ok) begin
                        fail(FGP_STATUS_BAD_PAD, F_CPAD);
                    end else begin
                        sa_new[F_PKTS +: 64] = sa_reg[F_PKTS +: 64] + 64'd1;
                        if (sa_ah) begin
                            sa_new[F_BYTES +: 64] = sa_reg[F_BYTES +: 64] + {52'd0, pbytes_reg};
                            txl_new = pbytes_reg;
                            txa_new = {24'd0, ins_reg[191:184]};
                            xrm_new = RD_SKIP;
                            xrb_new = BA1;
                        end else begin
                            sa_new[F_BYTES +: 64] = sa_reg[F_BYTES +: 64] +
                                                    {52'd0, crl_reg - 12'd2 - {4'd0, pc_padlen}};
                            txl_new = crl_reg - 12'd2 - {4'd0, pc_padlen};
                            txa_new = {24'd0, pc_nh};
                            xrm_new = RD_LINEAR;
                            xrb_new = crb_reg;
                        end
                    end
                end
            end

            S_SAVE: begin
                tbl_we = 1'b1;
                key_we = t_load || t_clear;     // kst_reg is 0 for a clear
                state_new = S_TX;
            end

            S_TX: begin
                akey_new = 160'd0;
                kst_new = {KEY_W{1'b0}};
                if (tx_go) begin
                    txi_new = txi_reg + 10'd1;
                    if (tx_last)
                        state_new = S_IDLE;
                end
            end

            default: state_new = S_IDLE;
        endcase

        if (state_new == S_TX && state_reg != S_TX) begin
            txi_new = 10'd0;
            txgo_new = 1'b1;
            if (st_new != FGP_STATUS_OK) begin
                txl_new = 12'd0;
                txa_new = 32'd0;
                txc_new = 1'b0;
            end
        end
    end

    wire unused_ok = &{1'b0, cr_done_unused, cr_busy, job_len[15:12], job_aux[31:8], e_off[12],
                       d_ctlen[12], 1'b0};

    always @(posedge clk) begin
        ck_enc_len_reg <= sa_ah ? ah_hdr_bad : (use_cipher && jlen_reg < 12'd8);
        ck_dec_short_reg <= sa_ah ? ah_spi_bad : jlen_reg < 12'd4;
        ck_spi_reg <= rx_spi != sa_spi;
        ck_dec_len_reg <= sa_ah ? ah_len_bad : (d_short || d_odd);
        ck_replay_reg <= rp_bad;
        ck_ldbad_reg <= ld_bad;
        fin_icv_ok_reg <= icv_ok;
        fin_rmap_reg <= rp_map_new;
        fin_rtop_reg <= rp_top_new;
        state_reg <= state_new;
        wcnt_reg <= wcnt_new;
        if (job_we) begin
            jtype_reg <= job_type;
            tenc_reg <= job_type == FGP_TYPE_ENCAP;
            tdec_reg <= job_type == FGP_TYPE_DECAP;
            tload_reg <= job_type == FGP_TYPE_SA_LOAD;
            tclear_reg <= job_type == FGP_TYPE_SA_CLEAR;
            jidx_reg <= job_idx;
            jsa_reg <= job_sa;
            jtag_reg <= job_tag;
            jnh_reg <= job_aux[7:0];
            jlen_reg <= job_len[11:0];
            jbig_reg <= job_too_big;
            rxn_reg <= job_too_big ? 9'd0 : job_len[11:3] + {8'd0, job_len[2:0] != 3'd0};
        end
        load_reg <= job_we;
        if (load_reg)
            ckey_reg <= key_rdata[511:320];
        rxc_reg <= rxc_new;
        if (rx_go && rxc_reg == 9'd0) begin
            w0_reg <= pl_data;
            ihl_reg <= pl_data[59:56];
        end
        if (rx_go && rxc_reg == 9'd1)
            w1_reg <= pl_data;
        if (rx_go && rxc_reg == 9'd7)
            rsv3z_reg <= pl_data[31:0] == 32'd0;
        if (rx_go) begin
            wl_reg <= pl_data;
            wp_last_reg <= wl_reg;
        end
        ins_reg <= ins_new;
        pre_reg <= pre_new;
        akey_reg <= akey_new;
        kst_reg <= kst_new;
        sa_reg <= sa_new;
        crm_reg <= crm_new;
        crb_reg <= crb_new;
        crl_reg <= crl_new;
        dlen_reg <= dlen_new;
        padl_reg <= padl_new;
        xrm_reg <= xrm_new;
        xrb_reg <= xrb_new;
        xrl_reg <= xrl_new;
        eoff_reg <= eoff_new;
        pbytes_reg <= pbytes_new;
        ct_done_reg <= ct_done_new;
        hm_done_reg <= hm_done_new;
        icv_reg <= icv_new;
        hf_reg <= hf_new;
        wp_reg <= wp_new;
        lastco_reg <= lastco_new;
        kf_reg <= kf_new;
        kr_reg <= kr_new;
        st_reg <= st_new;
        txl_reg <= txl_new;
        txa_reg <= txa_new;
        txc_reg <= txc_new;
        txi_reg <= txi_new;
        txgo_reg <= txgo_new;
        nosa_reg <= nosa_new;
        if (rst) begin
            state_reg <= S_WIPE;
            wcnt_reg <= {SA_AW{1'b0}};
            load_reg <= 1'b0;
            txgo_reg <= 1'b0;
            nosa_reg <= 1'b0;
            akey_reg <= 160'd0;
            kst_reg <= {KEY_W{1'b0}};
            sa_reg <= {SA_W{1'b0}};
        end
    end

endmodule

`resetall
