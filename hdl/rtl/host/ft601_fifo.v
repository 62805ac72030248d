`resetall
`default_nettype none
// ft601_fifo: the FT601 USB 3 bridge in 245 synchronous FIFO mode (32-bit
// bus, one channel) to the engine's 64-bit frame streams, with the
// clock-domain crossing between the chip's clock (ft_clk, 100 MHz) and the
// engine clock (clk).
//
// Byte order. The FT601 sends DATA[7:0] first on USB (BE[0] marks it), so
// the first byte of the host's stream arrives on DATA[7:0]. A 64-bit stream
// word (frame byte 0 in tdata[63:56]) is two bus words, bytes 0..3 first:
//   bus word 0: DATA[7:0] = tdata[63:56] ... DATA[31:24] = tdata[39:32]
//   bus word 1: DATA[7:0] = tdata[31:24] ... DATA[31:24] = tdata[7:0]
// so the byte order on USB is the frame's byte order in both directions.
//
// Bus protocol (every pin registered in and out; signals sampled at the
// rising edge of ft_clk):
//   read  (chip -> FPGA): OE_N low one cycle before RD_N (bus turnaround:
//         the chip drives DATA/BE while OE_N is low); a word moves at each
//         edge where OE_N, RD_N and RXF_N are all low. The bridge captures
//         RXF_N with the data, so it takes exactly the words the chip gave.
//         It stops reading while its receive FIFO has fewer than RX_MARGIN
//         free entries (the words still in flight fit).
//   write (FPGA -> chip): a word moves at each edge where WR_N and TXE_N
//         are low; with TXE_N high the chip ignores it. The bridge learns
//         whether a word went in one cycle after the chip did (registered
//         TXE_N), so it keeps written words in an 8-word replay buffer until
//         confirmed and resends from the first refused one. This relies on
//         TXE_N, once high, staying high for at least two cycles (the chip
//         raises it when its buffers are full and lowers it only after a
//         USB packet left, microseconds later); a word confirmed out of
//         order would set err_order. Writes always carry BE = 4'b1111.
//   The bus is released (one idle cycle each way) between reading and
//   writing; each direction keeps the bus for up to BURST cycles when the
//   other one is waiting.
//   A partial word from the host (BE not 4'b1111: the host sent a byte
//   count that is not a multiple of 4) is taken with its missing bytes
//   zero and sets err_partial; the host transport never sends one (frames
//   are 8-byte aligned).
//
// Ports
//   ft_clk, ft_rst     chip clock, synchronous active-high reset in it
//   ft_data_i/_o/_oe   DATA[31:0] in, out, output enable (1 = FPGA drives)
//   ft_be_i/_o/_oe     BE[3:0] likewise
//   ft_rxf_n, ft_txe_n chip flags (inputs)
//   ft_oe_n, ft_rd_n, ft_wr_n   strobes (outputs)
//   clk, rst           engine clock, synchronous active-high reset in it
//   m_axis_*           request stream to the engine (clk domain)
//   s_axis_*           result stream from the engine (clk domain)
//   err_order, err_overflow, err_partial   sticky error flags (ft_clk)
//
// Latency: pins to m_axis about 8 ft_clk + 3 clk cycles; s_axis to pins
// about 3 clk + 6 ft_clk cycles. Throughput: one bus word (4 bytes) per
// ft_clk cycle in either direction while the flags allow.

module ft601_fifo #(
    parameter AW    = 5,       // receive/transmit FIFO depth 2**AW x 64 bits
    parameter BURST = 256      // bus cycles per direction before yielding
) (
    input  wire        ft_clk,
    input  wire        ft_rst,
    input  wire [31:0] ft_data_i,
    output wire [31:0] ft_data_o,
    output wire        ft_data_oe,
    input  wire [3:0]  ft_be_i,
    output wire [3:0]  ft_be_o,
    output wire        ft_be_oe,
    input  wire        ft_rxf_n,
    input  wire        ft_txe_n,
    output wire        ft_oe_n,
    output wire        ft_rd_n,
    output wire        ft_wr_n,

    input  wire        clk,
    input  wire        rst,
    output wire [63:0] m_axis_tdata,
    output wire        m_axis_tvalid,
    input  wire        m_axis_tready,
    input  wire [63:0] s_axis_tdata,
    input  wire        s_axis_tvalid,
    output wire        s_axis_tready,

    output wire        err_order,
    output wire        err_overflow,
    output wire        err_partial
);

    localparam DEPTH     = 1 << AW;
    localparam RX_MARGIN = 4;
    localparam BW        = $clog2(BURST + 1);

    generate
        if (AW < 3 || BURST < 4) begin : g_bad_params
            ft601_fifo_invalid_parameters u_invalid ();
        end
    endgenerate

    localparam [2:0] S_IDLE = 3'd0, S_RD_OE = 3'd1, S_RD = 3'd2, S_TURN = 3'd3,
                     S_WR = 3'd4, S_WR_WAIT = 3'd5;

    // ------------------------------------------------------------ FIFOs
    wire [AW:0]  rx_level, tx_level_unused;
    wire         rx_tready, tx_tvalid;
    wire [63:0]  tx_tdata;
    reg          tx_pop;

    reg  [63:0]  pk_data_reg;
    reg          pk_valid_reg;

    async_fifo #(.DW(64), .AW(AW)) u_rx_fifo (
        .wr_clk(ft_clk), .wr_rst(ft_rst),
        .s_axis_tdata(pk_data_reg), .s_axis_tvalid(pk_valid_reg), .s_axis_tready(rx_tready),
        .wr_level(rx_level),
        .rd_clk(clk), .rd_rst(rst),
        .m_axis_tdata(m_axis_tdata), .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready)
    );

    async_fifo #(.DW(64), .AW(AW)) u_tx_fifo (
        .wr_clk(clk), .wr_rst(rst),
        .s_axis_tdata(s_axis_tdata), .s_axis_tvalid(s_axis_tvalid), .s_axis_tready(s_axis_tready),
        .wr_level(tx_level_unused),
        .rd_clk(ft_clk), .rd_rst(ft_rst),
        .m_axis_tdata(tx_tdata), .m_axis_tvalid(tx_tvalid), .m_axis_tready(tx_pop)
    );

    // ------------------------------------------------------------ registers
    // Pins, registered both ways.
    reg  [31:0] din_reg;
    reg  [3:0]  be_in_reg;
    reg         rxf_reg, txe_reg;
    reg  [31:0] dout_reg;
    reg         dout_oe_reg, oe_n_reg, rd_n_reg, wr_n_reg;
    // What the FPGA drove during the cycle the input registers sampled.
    reg         rd_q_reg, wr_q_reg;
    reg  [3:0]  widx_q_reg;
    reg  [3:0]  pres_idx_reg;

    // Receive packer: first half of a 64-bit word.
    reg  [31:0] half_reg;
    reg         half_valid_reg;

    // Transmit replay buffer: wp written, rp next to present, ap oldest
    // word not yet confirmed (4-bit pointers over 8 entries).
    reg  [31:0] rbuf [0:7];
    reg  [3:0]  wp_reg, rp_reg, ap_reg;

    reg  [2:0]  state_reg;
    reg  [BW-1:0] burst_reg;
    reg         last_rd_reg;
    reg         err_order_reg, err_overflow_reg, err_partial_reg;

    // ------------------------------------------------------------ datapath
    wire        rd_xfer  = rd_q_reg && !rxf_reg;
    wire        wr_done  = wr_q_reg && !txe_reg;   // the chip took it
    wire        wr_rej   = wr_q_reg && txe_reg;    // the chip refused it
    wire [31:0] din_mask = din_reg & {{8{be_in_reg[3]}}, {8{be_in_reg[2]}},
                                      {8{be_in_reg[1]}}, {8{be_in_reg[0]}}};
    wire [31:0] chunk    = {din_mask[7:0], din_mask[15:8], din_mask[23:16], din_mask[31:24]};
    wire        rx_room  = rx_level < DEPTH - RX_MARGIN;
    wire [3:0]  ap_next  = wr_done ? ap_reg + 4'd1 : ap_reg;
    wire [3:0]  used     = wp_reg - ap_reg;
    wire        want_rd  = !rxf_reg && rx_room;
    wire        want_wr  = (rp_reg != wp_reg) && !txe_reg;
    wire        burst_up = burst_reg == BURST[BW-1:0];

    always @(*) begin
        tx_pop = tx_tvalid && used <= 4'd6;
    end

    always @(posedge ft_clk) begin
        if (tx_pop) begin
            rbuf[wp_reg[2:0]]        <= {tx_tdata[39:32], tx_tdata[47:40], tx_tdata[55:48], tx_tdata[63:56]};
            rbuf[wp_reg[2:0] + 3'd1] <= {tx_tdata[7:0], tx_tdata[15:8], tx_tdata[23:16], tx_tdata[31:24]};
        end
    end

    // ------------------------------------------------------------ control
    reg [2:0]   state_new;
    reg         oe_n_new, rd_n_new, wr_n_new, dout_oe_new, present;
    reg [3:0]   rp_new;

    always @(*) begin
        state_new   = state_reg;
        oe_n_new    = 1'b1;
        rd_n_new    = 1'b1;
        wr_n_new    = 1'b1;
        dout_oe_new = 1'b0;
        present     = 1'b0;
        rp_new      = wr_rej ? ap_reg : rp_reg;  // resend from the oldest
        case (state_reg)
            S_IDLE: begin
                if (want_rd && (!want_wr || !last_rd_reg)) begin
                    state_new = S_RD_OE;
                    oe_n_new  = 1'b0;
                end else if (want_wr && !wr_rej) begin
                    state_new   = S_WR;
                    dout_oe_new = 1'b1;
                    present     = 1'b1;
                end
            end
            S_RD_OE: begin
                state_new = S_RD;
                oe_n_new  = 1'b0;
                rd_n_new  = 1'b0;
            end
            S_RD: begin
                if (rx_room && !rxf_reg && !(burst_up && want_wr)) begin
                    oe_n_new = 1'b0;
                    rd_n_new = 1'b0;
                end else begin
                    state_new = S_TURN;
                end
            end
            S_TURN: state_new = S_IDLE;
            S_WR: begin
                dout_oe_new = 1'b1;
                if (wr_rej || txe_reg || (burst_up && want_rd) ||
                    (rp_reg == wp_reg && !tx_tvalid))
                    state_new = S_WR_WAIT;
                else
                    present = rp_reg != wp_reg;
            end
            S_WR_WAIT: begin
                dout_oe_new = 1'b1;
                if (wr_n_reg && !wr_q_reg)
                    state_new = S_IDLE;
            end
            default: state_new = S_IDLE;
        endcase
        if (present) begin
            wr_n_new = 1'b0;
            rp_new   = rp_reg + 4'd1;
        end
    end

    always @(posedge ft_clk) begin
        din_reg    <= ft_data_i;
        be_in_reg  <= ft_be_i;
        rxf_reg    <= ft_rxf_n;
        txe_reg    <= ft_txe_n;
        rd_q_reg   <= !rd_n_reg && !oe_n_reg;
        wr_q_reg   <= !wr_n_reg;
        widx_q_reg <= pres_idx_reg;
        if (present) begin
            dout_reg     <= rbuf[rp_reg[2:0]];
            pres_idx_reg <= rp_reg;
        end
        pk_data_reg <= {half_reg, chunk};
        if (ft_rst) begin
            oe_n_reg         <= 1'b1;
            rd_n_reg         <= 1'b1;
            wr_n_reg         <= 1'b1;
            dout_oe_reg      <= 1'b0;
            rd_q_reg         <= 1'b0;
            wr_q_reg         <= 1'b0;
            state_reg        <= S_IDLE;
            burst_reg        <= {BW{1'b0}};
            last_rd_reg      <= 1'b0;
            half_valid_reg   <= 1'b0;
            pk_valid_reg     <= 1'b0;
            wp_reg           <= 4'd0;
            rp_reg           <= 4'd0;
            ap_reg           <= 4'd0;
            err_order_reg    <= 1'b0;
            err_overflow_reg <= 1'b0;
            err_partial_reg  <= 1'b0;
        end else begin
            oe_n_reg    <= oe_n_new;
            rd_n_reg    <= rd_n_new;
            wr_n_reg    <= wr_n_new;
            dout_oe_reg <= dout_oe_new;
            state_reg   <= state_new;
            if (state_new != state_reg)
                burst_reg <= {BW{1'b0}};
            else if (!burst_up)
                burst_reg <= burst_reg + 1'b1;
            if (state_new == S_RD_OE)
                last_rd_reg <= 1'b1;
            else if (state_new == S_WR && state_reg == S_IDLE)
                last_rd_reg <= 1'b0;
            // receive: pack two bus words into one stream word
            pk_valid_reg <= rd_xfer && half_valid_reg;
            if (rd_xfer) begin
                half_reg       <= chunk;
                half_valid_reg <= !half_valid_reg;
                if (be_in_reg != 4'b1111)
                    err_partial_reg <= 1'b1;
            end
            if (pk_valid_reg && !rx_tready)
                err_overflow_reg <= 1'b1;
            // transmit: replay buffer pointers
            if (tx_pop)
                wp_reg <= wp_reg + 4'd2;
            rp_reg <= rp_new;
            ap_reg <= ap_next;
            if (wr_done && widx_q_reg != ap_reg)
                err_order_reg <= 1'b1;
        end
    end

    assign ft_data_o    = dout_reg;
    assign ft_data_oe   = dout_oe_reg;
    assign ft_be_o      = 4'b1111;
    assign ft_be_oe     = dout_oe_reg;
    assign ft_oe_n      = oe_n_reg;
    assign ft_rd_n      = rd_n_reg;
    assign ft_wr_n      = wr_n_reg;
    assign err_order    = err_order_reg;
    assign err_overflow = err_overflow_reg;
    assign err_partial  = err_partial_reg;

endmodule

`resetall
