`resetall
`default_nettype none
// esp_ram: simple dual-port RAM (one write port, one read port, one clock),
// written so that synthesis infers block RAM.
//
// Ports
//   we, waddr, wdata   write wdata at waddr at the clock edge when we = 1.
//   re, raddr          read raddr at the clock edge when re = 1;
//   rdata              the word read, from the cycle after re until the next
//                      read (registered output, no reset: the contents are
//                      undefined until written).
//
// Timing: read latency 1 cycle.
//
// The users never read an address in the cycle they write it, so no
// read/write collision behaviour is specified: no_rw_check tells yosys not
// to build the bypass logic that emulating one would cost (a delayed write
// and a mux per bit). A simulator returns the old word in that case.

module esp_ram #(
    parameter W  = 64,              // word width
    parameter AW = 9,               // address width
    parameter D  = 1 << AW          // words, at most 2^AW
) (
    input  wire          clk,
    input  wire          we,
    input  wire [AW-1:0] waddr,
    input  wire [W-1:0]  wdata,
    input  wire          re,
    input  wire [AW-1:0] raddr,
    output wire [W-1:0]  rdata
);

    (* no_rw_check *)
    reg [W-1:0] mem [0:D-1];
    reg [W-1:0] rdata_reg;

    assign rdata = rdata_reg;

    always @(posedge clk) begin
        if (we)
            mem[waddr] <= wdata;
        if (re)
            rdata_reg <= mem[raddr];
    end

endmodule

`resetall
