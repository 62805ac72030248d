`resetall
`default_nettype none
// async_fifo: a stream FIFO between two clock domains (clock-domain
// crossing), gray-coded pointers synchronised through two flip-flops each
// way.
//
// Ports
//   wr_clk, wr_rst   write domain clock and synchronous active-high reset
//   s_axis_*         input stream (write domain)
//   wr_level         entries in use as the write side sees them (may read
//                    high by up to 4 wr_clk cycles of reads: safe for flow
//                    control; registered synchroniser output, no gray
//                    decoding on the path)
//   rd_clk, rd_rst   read domain clock and synchronous active-high reset
//   m_axis_*         output stream (read domain), first-word fall-through
//
// Both resets must be asserted together (each long enough to be seen in its
// own domain) and released with the FIFO idle, as fgate_ft601_top does.
//
// Latency: a word written at a wr_clk edge is visible at m_axis 3 rd_clk
// edges later (pointer synchroniser). Throughput one word per cycle on each
// side. Depth 2**AW entries.

module async_fifo #(
    parameter DW = 64,
    parameter AW = 4
) (
    input  wire          wr_clk,
    input  wire          wr_rst,
    input  wire [DW-1:0] s_axis_tdata,
    input  wire          s_axis_tvalid,
    output wire          s_axis_tready,
    output wire [AW:0]   wr_level,

    input  wire          rd_clk,
    input  wire          rd_rst,
    output wire [DW-1:0] m_axis_tdata,
    output wire          m_axis_tvalid,
    input  wire          m_axis_tready
);

    generate
        if (DW < 1 || AW < 2 || AW > 12) begin : g_bad_params
            async_fifo_invalid_parameters u_invalid ();
        end
    endgenerate

    reg [DW-1:0] mem [0:(1 << AW)-1];

    // Binary and gray pointers, one extra bit to tell full from empty.
    reg [AW:0] wbin_reg, wgray_reg, rbin_reg, rgray_reg;
    reg [AW:0] rgray_s1_reg, rgray_s2_reg;   // read pointer in wr_clk
    reg [AW:0] rbin_s_reg;                   // the same, decoded
    reg [AW:0] wgray_s1_reg, wgray_s2_reg;   // write pointer in rd_clk

    wire [AW:0] wbin_new  = wbin_reg + 1'b1;
    wire [AW:0] rbin_new  = rbin_reg + 1'b1;
    wire        full  = wgray_reg == {~rgray_s2_reg[AW:AW-1], rgray_s2_reg[AW-2:0]};
    wire        empty = rgray_reg == wgray_s2_reg;
    wire        wr_we = s_axis_tvalid && !full;
    wire        rd_we = m_axis_tready && !empty;

    function [AW:0] gray2bin;
        input [AW:0] g;
        integer i;
        begin
            gray2bin[AW] = g[AW];
            for (i = AW - 1; i >= 0; i = i - 1)
                gray2bin[i] = gray2bin[i + 1] ^ g[i];
        end
    endfunction

    assign s_axis_tready = !full;
    assign wr_level      = wbin_reg - rbin_s_reg;
    assign m_axis_tvalid = !empty;
    assign m_axis_tdata  = mem[rbin_reg[AW-1:0]];

    always @(posedge wr_clk) begin
        if (wr_we)
            mem[wbin_reg[AW-1:0]] <= s_axis_tdata;
    end

    always @(posedge wr_clk) begin
        if (wr_rst) begin
            wbin_reg     <= {(AW + 1){1'b0}};
            wgray_reg    <= {(AW + 1){1'b0}};
            rgray_s1_reg <= {(AW + 1){1'b0}};
            rgray_s2_reg <= {(AW + 1){1'b0}};
            rbin_s_reg   <= {(AW + 1){1'b0}};
        end else begin
            rgray_s1_reg <= rgray_reg;
            rgray_s2_reg <= rgray_s1_reg;
            rbin_s_reg   <= gray2bin(rgray_s2_reg);
            if (wr_we) begin
                wbin_reg  <= wbin_new;
                wgray_reg <= wbin_new ^ (wbin_new >> 1);
            end
        end
    end

    always @(posedge rd_clk) begin
        if (rd_rst) begin
            rbin_reg     <= {(AW + 1){1'b0}};
            rgray_reg    <= {(AW + 1){1'b0}};
            wgray_s1_reg <= {(AW + 1){1'b0}};
            wgray_s2_reg <= {(AW + 1){1'b0}};
        end else begin
            wgray_s1_reg <= wgray_reg;
            wgray_s2_reg <= wgray_s1_reg;
            if (rd_we) begin
                rbin_reg  <= rbin_new;
                rgray_reg <= rbin_new ^ (rbin_new >> 1);
            end
        end
    end

endmodule

`resetall
