`resetall
`default_nettype none
// esp_rd: reads a packet out of a lane's packet buffer (esp_ram) as a 64-bit
// stream, composing it on the way: the lane uses one to feed the cipher and
// one to feed the HMAC core and the result frame.
//
// Output byte x (0 .. cfg_len-1) of the stream, by cfg_mode, with B the
// buffer as bytes from word cfg_base and h = 4 cfg_h4 (h < 64):
//   0 LINEAR   B[x]
//   1 INSERT   B[x] for x < h; the 24 bytes of cfg_ins for h <= x < h+24;
//              B[x-24] after (AH encap: IPv4 header | AH header | data)
//   2 ZERO     B[x], but 0 for h+12 <= x < h+24 (AH decap: ICV zeroed)
//   3 SKIP     B[x] for x < h, B[x+24] after (AH decap: AH header removed);
//              cfg_pre stands for B[h-4 .. h-1] when h is not a multiple
//              of 8, so each output word needs one buffer word
//   4 TRAILER  B[x] for x < cfg_dlen, then the ESP trailer: 1, 2, ..,
//              cfg_padlen, cfg_padlen, cfg_nh (RFC 4303 2.4, 2.5), with
//              cfg_padlen < 8 (the minimum padding to a DES block)
// Bytes past cfg_len are 0. The 24-byte shift of INSERT and SKIP is three
// whole words, so buffer halves keep their place in the word and no byte
// rotation is needed; modes 1-3 exist with COMPOSE = 1, mode 4 with
// TRAILER = 1 (else they read as LINEAR).
//
// Ports
//   start       begin a stream (ignored while busy). cfg_mode, cfg_base,
//               cfg_len and cfg_h4 are sampled with it; cfg_ins, cfg_pre,
//               cfg_dlen, cfg_padlen and cfg_nh are read while the stream
//               runs and must be held until busy falls. cfg_len = 0: no beat.
//   busy        a stream is being read or waits in the output FIFO.
//   done_words  buffer words read so far in this stream (a writer may
//               overwrite buffer words below cfg_base + done_words).
//   rd_req/rd_addr/rd_gnt/rd_data
//               buffer read port, shared: a read is issued in a cycle with
//               rd_req = rd_gnt = 1 and its word is on rd_data one cycle
//               later (esp_ram latency).
//   m_axis_*    the stream; tkeep marks the valid bytes of the last beat
//               (contiguous from [63:56], the hmac_* convention), FF before.
//
// Timing: one word per cycle when granted and not stalled (a 4-entry FIFO
// covers the read latency); the first beat is valid 2 cycles after start.

module esp_rd #(
    parameter AW      = 9,
    parameter COMPOSE = 1,
    parameter TRAILER = 1
) (
    input  wire          clk,
    input  wire          rst,
    input  wire          start,
    input  wire [2:0]    cfg_mode,
    input  wire [AW-1:0] cfg_base,
    input  wire [11:0]   cfg_len,
    input  wire [3:0]    cfg_h4,
    input  wire [191:0]  cfg_ins,
    input  wire [31:0]   cfg_pre,
    input  wire [11:0]   cfg_dlen,
    input  wire [7:0]    cfg_padlen,
    input  wire [7:0]    cfg_nh,
    output wire          busy,
    output wire [9:0]    done_words,
    output wire          rd_req,
    output wire [AW-1:0] rd_addr,
    input  wire          rd_gnt,
    input  wire [63:0]   rd_data,
    output wire [63:0]   m_axis_tdata,
    output wire [7:0]    m_axis_tkeep,
    output wire          m_axis_tlast,
    output wire          m_axis_tvalid,
    input  wire          m_axis_tready
);

    localparam [2:0] M_INSERT  = 3'd1;
    localparam [2:0] M_ZERO    = 3'd2;
    localparam [2:0] M_SKIP    = 3'd3;
    localparam [2:0] M_TRAILER = 3'd4;

    reg  [2:0]    mode_reg;
    reg  [AW-1:0] base_reg;
    reg  [2:0]    tail_reg;                // cfg_len mod 8
    reg  [3:0]    h_reg;                   // h / 4
    reg  [9:0]    nw_reg;                  // words in the stream
    reg  [9:0]    ki_reg, ki_new;          // next word to read
    reg  [9:0]    kr_reg;                  // word on rd_data when infl_reg
    reg           infl_reg;
    reg  [9:0]    ret_reg, ret_new;        // words read back
    reg  [63:0]   f_data [0:3];
    reg  [7:0]    f_keep [0:3];
    reg  [3:0]    f_last;
    reg  [1:0]    wp_reg, rp_reg;
    reg  [2:0]    cnt_reg, cnt_new;

    wire go = start && !busy;
    wire pop = (cnt_reg != 3'd0) && m_axis_tready;
    wire push = infl_reg;

    assign busy = (ki_reg != nw_reg) || infl_reg || (cnt_reg != 3'd0);
    assign done_words = ret_reg;

    // ------------------------------------------------------------ reads
    wire [2:0]    a_word = h_reg[3:1];     // word holding byte h
    wire [AW-1:0] k_lin = base_reg + ki_reg[AW-1:0];
    reg  [AW-1:0] k_addr;
    always @* begin
        k_addr = k_lin;
        if (COMPOSE != 0) begin
            if (mode_reg == M_INSERT && ki_reg > {7'd0, a_word})
                k_addr = k_lin - 3;
            else if (mode_reg == M_SKIP && ki_reg >= {7'd0, a_word})
                k_addr = k_lin + 3;
        end
    end

    assign rd_req = (ki_reg != nw_reg) && ({1'b0, cnt_reg} + {3'd0, infl_reg} <= 4'd3);
    assign rd_addr = k_addr;
    wire issue = rd_req && rd_gnt;

    // ------------------------------------------------------------ compose
    // Halves (4-byte units) of output word kr_reg: 2 kr_reg and 2 kr_reg + 1;
    // h is half hh. Only words 0..15 can meet the AH header (hh + 6 <= 21).
    wire [3:0]  hh = h_reg;
    wire        near = kr_reg < 10'd16;
    wire [6:0]  rel_hi = {1'b0, kr_reg[4:0], 1'b0} - {3'd0, hh};   // half - hh
    wire [6:0]  rel_lo = rel_hi + 7'd1;
    wire        shifted = kr_reg >= {7'd0, a_word};

    function [31:0] ins_half(input [191:0] ins, input [2:0] idx);
        begin
            case (idx)
                3'd0: ins_half = ins[191:160];
                3'd1: ins_half = ins[159:128];
                3'd2: ins_half = ins[127:96];
                3'd3: ins_half = ins[95:64];
                3'd4: ins_half = ins[63:32];
                default: ins_half = ins[31:0];
            endcase
        end
    endfunction

    // One half of an output word, rel halves after h, from buffer half b.
    function [31:0] half(input [6:0] rel, input [31:0] b);
        begin
            half = b;
            if (COMPOSE != 0) begin
                if (mode_reg == M_INSERT && near && !rel[6] && rel < 7'd6)
                    half = ins_half(cfg_ins, rel[2:0]);
                else if (mode_reg == M_ZERO && near && !rel[6] && rel >= 7'd3 && rel < 7'd6)
                    half = 32'd0;
                else if (mode_reg == M_SKIP && near && rel[6] && shifted)
                    half = cfg_pre;     // byte x < h in a word read 3 ahead
            end
        end
    endfunction

    wire        is_last = kr_reg == nw_reg - 10'd1;
    wire [2:0]  tail = tail_reg;           // bytes in the last word, 0 = 8
    wire [7:0]  keep = (is_last && tail != 3'd0) ? ~(8'hff >> tail) : 8'hff;

    // ESP trailer (cfg_padlen < 8, so it spans at most 9 bytes): q7 = 8 kr
    // - dlen + 7; the word holds trailer bytes when 0 <= q7 <= 16, byte i
    // being trailer byte t = q7 + i - 7.
    wire [12:0] q7 = {kr_reg, 3'd0} - {1'b0, cfg_dlen} + 13'd7;
    wire        in_trailer = TRAILER != 0 && mode_reg == M_TRAILER && q7 <= 13'd16;

    function [7:0] trailer_byte(input [4:0] u, input [7:0] b);   // u = t + 7
        begin
            trailer_byte = b;
            if (u >= 5'd7) begin
                if (u < {1'b0, cfg_padlen[3:0]} + 5'd7)
                    trailer_byte = {3'd0, u} - 8'd6;
                else if (u == {1'b0, cfg_padlen[3:0]} + 5'd7)
                    trailer_byte = cfg_padlen;
                else if (u == {1'b0, cfg_padlen[3:0]} + 5'd8)
                    trailer_byte = cfg_nh;
                else
                    trailer_byte = 8'd0;
            end
        end
    endfunction

    // The output word made from buffer word b (read for output word
    // kr_reg), bytes past cfg_len zero. Called only in the cycle the word
    // arrives (push).
    function [63:0] compose(input [63:0] b);
        integer i;
        begin
            compose = {half(rel_hi, b[63:32]), half(rel_lo, b[31:0])};
            if (in_trailer)
                for (i = 0; i < 8; i = i + 1)
                    compose[63 - 8 * i -: 8] = trailer_byte(q7[4:0] + i[4:0], compose[63 - 8 * i -: 8]);
            for (i = 0; i < 8; i = i + 1)
                if (!keep[7 - i])
                    compose[63 - 8 * i -: 8] = 8'd0;
        end
    endfunction

    // ------------------------------------------------------------ FIFO
    assign m_axis_tdata = f_data[rp_reg];
    assign m_axis_tkeep = f_keep[rp_reg];
    assign m_axis_tlast = f_last[rp_reg];
    assign m_axis_tvalid = cnt_reg != 3'd0;

    always @* begin
        ki_new = ki_reg;
        ret_new = ret_reg;
        cnt_new = cnt_reg;
        if (issue)
            ki_new = ki_reg + 10'd1;
        if (push)
            ret_new = ret_reg + 10'd1;
        if (push && !pop)
            cnt_new = cnt_reg + 3'd1;
        else if (pop && !push)
            cnt_new = cnt_reg - 3'd1;
        if (go) begin
            ki_new = 10'd0;
            ret_new = 10'd0;
        end
    end

    always @(posedge clk) begin
        if (go) begin
            mode_reg <= cfg_mode;
            base_reg <= cfg_base;
            tail_reg <= cfg_len[2:0];
            h_reg <= cfg_h4;
            nw_reg <= {1'b0, cfg_len[11:3]} + {9'd0, cfg_len[2:0] != 3'd0};
        end
        ki_reg <= ki_new;
        ret_reg <= ret_new;
        cnt_reg <= cnt_new;
        infl_reg <= issue;
        if (issue)
            kr_reg <= ki_reg;
        if (push) begin
            f_data[wp_reg] <= compose(rd_data);
            f_keep[wp_reg] <= keep;
            f_last[wp_reg] <= is_last;
            wp_reg <= wp_reg + 2'd1;
        end
        if (pop)
            rp_reg <= rp_reg + 2'd1;
        if (rst) begin
            nw_reg <= 10'd0;
            ki_reg <= 10'd0;
            ret_reg <= 10'd0;
            infl_reg <= 1'b0;
            cnt_reg <= 3'd0;
            wp_reg <= 2'd0;
            rp_reg <= 2'd0;
        end
    end

endmodule

`resetall
