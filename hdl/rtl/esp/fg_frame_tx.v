`resetall
`default_nettype none
// fg_frame_tx: merges the result frames of N sources (the lanes and
// fg_ctrl) into the one result stream of fgate_engine, round-robin over the
// sources with a frame ready, one whole frame at a time (never two frames
// interleaved).
//
// Ports
//   s_axis_*    source i on bits [64*i +: 64] / bit i; tlast ends a frame.
//   m_axis_*    the result stream (registered).
//   idle        no frame in progress and the output register empty.
//   ev_frame_out one-cycle pulse when the last word of a frame leaves.
//
// Timing: one word per cycle, frames back to back with no idle cycle; a
// new frame is picked in the cycle its first word is taken. The source
// after the last one served is preferred, so no source waits more than
// N - 1 frames.

module fg_frame_tx #(
    parameter N = 3
) (
    input  wire            clk,
    input  wire            rst,
    input  wire [64*N-1:0] s_axis_tdata,
    input  wire [N-1:0]    s_axis_tvalid,
    output reg  [N-1:0]    s_axis_tready,
    input  wire [N-1:0]    s_axis_tlast,
    output wire [63:0]     m_axis_tdata,
    output wire            m_axis_tvalid,
    input  wire            m_axis_tready,
    output wire            idle,
    output wire            ev_frame_out
);

    localparam SW = N > 1 ? $clog2(N) : 1;
    localparam [31:0] N32 = N;
    localparam [SW:0] NN = N32[SW:0];

    reg           lock_reg, lock_new;    // inside a frame of source sel_reg
    reg  [SW-1:0] sel_reg, sel_new;
    reg  [SW-1:0] prev_reg, prev_new;    // source of the last frame started
    reg  [63:0]   out_data_reg, out_data_new;
    reg           out_valid_reg, out_valid_new;
    reg           out_last_reg, out_last_new;

    wire out_free = !out_valid_reg || m_axis_tready;

    // Round-robin pick: the first source with a frame after prev_reg.
    reg  [SW-1:0] pick;
    reg  [SW:0]   idx;
    reg           found;
    integer i;
    always @* begin
        pick = prev_reg;
        found = 1'b0;
        for (i = 1; i <= N; i = i + 1) begin
            idx = {1'b0, prev_reg} + i[SW:0];
            if (idx >= NN)
                idx = idx - NN;
            if (!found && s_axis_tvalid[idx[SW-1:0]]) begin
                pick = idx[SW-1:0];
                found = 1'b1;
            end
        end
    end

    wire [SW-1:0] sel = lock_reg ? sel_reg : pick;
    wire [63:0]   sel_data = s_axis_tdata[64 * sel +: 64];
    wire          sel_valid = s_axis_tvalid[sel];
    wire          sel_last = s_axis_tlast[sel];
    wire          take = sel_valid && out_free;

    always @* begin
        s_axis_tready = {N{1'b0}};
        s_axis_tready[sel] = out_free;
    end

    always @* begin
        lock_new = lock_reg;
        sel_new = sel_reg;
        prev_new = prev_reg;
        out_data_new = out_data_reg;
        out_valid_new = out_valid_reg && !m_axis_tready;
        out_last_new = out_last_reg;
        if (take) begin
            out_data_new = sel_data;
            out_valid_new = 1'b1;
            out_last_new = sel_last;
            lock_new = !sel_last;
            sel_new = sel;
            if (!lock_reg)
                prev_new = sel;
        end
    end

    assign m_axis_tdata = out_data_reg;
    assign m_axis_tvalid = out_valid_reg;
    assign idle = !lock_reg && !out_valid_reg;
    assign ev_frame_out = out_valid_reg && m_axis_tready && out_last_reg;

    always @(posedge clk) begin
        lock_reg <= lock_new;
        sel_reg <= sel_new;
        prev_reg <= prev_new;
        out_data_reg <= out_data_new;
        out_valid_reg <= out_valid_new;
        out_last_reg <= out_last_new;
        if (rst) begin
            lock_reg <= 1'b0;
            sel_reg <= {SW{1'b0}};
            prev_reg <= {SW{1'b0}};
            out_valid_reg <= 1'b0;
            out_last_reg <= 1'b0;
        end
    end

endmodule

`resetall
