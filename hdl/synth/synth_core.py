#!/usr/bin/env python3
"""Synthesize one RTL core for ECP5 and Xilinx 7-series and place-and-route it
on the ECP5 with nextpnr; write the figures to OUT/result.json.

    synth_core.py --core NAME --out DIR --yosys YOSYS --nextpnr NEXTPNR
                  [--freq MHZ] [--seeds 1,2,3] [--device 45k]
                  [--package CSFBGA285] [--speed 8] [--rtl-dir hdl/rtl/crypto]
                  [--param NAME=VALUE ...]

Run from the top of the repository: every path handed to the tools is
relative to it (YoWASP tools see the current directory).

The core file is RTL_DIR/NAME.v; the modules it instantiates are found by
yosys `hierarchy -libdir` in every hdl/rtl/*/ directory (one module per file,
named like the file). The files actually used are written to OUT/deps.mk so
that make reruns the core only when one of them changes.

--param sets a parameter of the core (yosys `hierarchy -chparam`, and the
wrapper's instance), so one file gives several builds (ROUNDS of tdes_cbc).

Resource counts are those of the bare core. For place and route, the core
goes inside a generated wrapper (OUT/wrap.v, module synth_wrap) that puts a
register on every input (clk aside) and every output, and nextpnr runs in
--out-of-context mode (no I/O buffers, no pins), so a core with more port
bits than the package has pins still places. The boundary registers stand
for the logic that drives and takes the core's ports in a real design: every
path of the core, including its combinational paths from inputs and to
outputs, is then register to register and timed against --freq, and placement
is not made easier by ports that have no location. One nextpnr runs at a time
on the machine (an flock on build/synth/.nextpnr.lock), whatever make's -j.
"""

import argparse
import datetime
import fcntl
import glob
import json
import os
import shlex
import statistics
import subprocess
import sys

LOCK = "build/synth/.nextpnr.lock"


FAILED = None  # OUT/failed.txt, set in main()


def run(argv, log, full_log=None):
    """Run argv with stdout and stderr to log. On failure, print the log's
    tail, write the first error line to OUT/failed.txt (the doc shows it) and
    exit non-zero."""
    with open(log, "w") as f:
        rc = subprocess.call(argv, stdout=f, stderr=subprocess.STDOUT)
    if rc != 0:
        with open(log) as f:
            lines = f.readlines()
        sys.stderr.write("".join(lines[-25:]))
        errors = [l.strip() for l in lines if l.startswith("ERROR")]
        errors += [l.strip() for l in reversed(lines) if l.strip()]
        msg = "%s failed (exit %d): %s; log %s" % (
            os.path.basename(argv[0]), rc,
            errors[0] if errors else "no output", full_log or log)
        with open(FAILED, "w") as f:
            f.write(msg + "\n")
        sys.exit("synth: " + msg)


def tool_version(argv):
    out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         universal_newlines=True, check=False).stdout
    lines = [l for l in out.splitlines() if l.strip() and "Preparing" not in l]
    return lines[-1].strip() if lines else "unknown"


def read_prelude(core, rtl_dir, out, libdirs, params):
    lib = " ".join("-libdir %s" % d for d in libdirs)
    chparam = "".join(" -chparam %s %s" % kv for kv in params)
    return ["read_verilog %s/%s.v" % (rtl_dir, core),
            "hierarchy -check -top %s%s %s" % (core, chparam, lib),
            "tee -q -o %s/modules.txt ls" % out]


def write_script(path, lines):
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def stat_cells(path):
    with open(path) as f:
        st = json.load(f)
    return st["design"]["num_cells_by_type"]


def ecp5_counts(cells):
    groups = {
        "lut4": ["LUT4"],
        "ff": ["TRELLIS_FF"],
        "carry": ["CCU2C"],
        "widemux": ["PFUMX", "L6MUX21"],
        "lutram": ["TRELLIS_DPR16X4"],
        "bram": ["DP16KD", "PDPW16KD"],
        "dsp": ["MULT18X18D", "ALU54B"],
    }
    return group_cells(cells, groups)


def xilinx_counts(cells):
    groups = {
        "lut": ["LUT1", "LUT2", "LUT3", "LUT4", "LUT5", "LUT6"],
        "ff": ["FDRE", "FDSE", "FDCE", "FDPE", "LDCE", "LDPE"],
        "carry": ["CARRY4"],
        "widemux": ["MUXF7", "MUXF8"],
        "srl": ["SRL16E", "SRLC32E"],
        "lutram": ["RAM32M", "RAM64M", "RAM32X1D", "RAM64X1D", "RAM128X1D",
                   "RAM32X1S", "RAM64X1S", "RAM128X1S", "RAM256X1S"],
        "bram18": ["RAMB18E1"],
        "bram36": ["RAMB36E1"],
        "dsp": ["DSP48E1"],
    }
    return group_cells(cells, groups)


def group_cells(cells, groups):
    counts = {k: sum(cells.get(t, 0) for t in types) for k, types in groups.items()}
    known = {t for types in groups.values() for t in types}
    counts["other"] = {t: n for t, n in sorted(cells.items()) if t not in known}
    return counts


def design_files(out, libdirs):
    """The RTL files behind the modules yosys elaborated (OUT/modules.txt)."""
    files = []
    with open(os.path.join(out, "modules.txt")) as f:
        for line in f:
            name = line.strip()
            if not name or name.endswith("modules:"):
                continue
            if name.startswith("$paramod"):
                name = name.split("\\")[1]
            for d in libdirs:
                path = os.path.join(d, name + ".v")
                if os.path.exists(path) and path not in files:
                    files.append(path)
    return sorted(files)


def core_ports(netlist, core):
    """[(name, direction, width)] of the core's ports, in declaration order,
    from yosys's JSON netlist."""
    with open(netlist) as f:
        mod = json.load(f)["modules"][core]
    ports = []
    for name, p in mod["ports"].items():
        ports.append((name, p["direction"], len(p["bits"])))
    return ports


def write_wrapper(path, core, ports, params):
    """synth_wrap: core with a register on every input and output."""
    if ("clk", "input", 1) not in ports:
        raise SystemExit("synth: %s has no 1-bit input clk" % core)
    decl, regs, conns, body = [], [], [], []
    for name, direction, width in ports:
        rng = "[%d:0] " % (width - 1) if width > 1 else ""
        if name == "clk":
            decl.append("    input  wire clk")
            conns.append("        .clk(clk)")
        elif direction == "input":
            decl.append("    input  wire %s%s" % (rng, name))
            regs.append("    reg  %swi_%s;" % (rng, name))
            body.append("        wi_%s <= %s;" % (name, name))
            conns.append("        .%s(wi_%s)" % (name, name))
        elif direction == "output":
            decl.append("    output reg  %s%s" % (rng, name))
            regs.append("    wire %swo_%s;" % (rng, name))
            body.append("        %s <= wo_%s;" % (name, name))
            conns.append("        .%s(wo_%s)" % (name, name))
        else:
            raise SystemExit("synth: %s: inout port %s not supported" % (core, name))
    text = ["// Generated by hdl/synth/synth_core.py: %s with registered ports," % core,
            "// for place and route only.",
            "module synth_wrap (", ",\n".join(decl), ");"]
    text += regs
    text += ["    always @(posedge clk) begin"] + body + ["    end"]
    overrides = ", ".join(".%s(%s)" % kv for kv in params)
    inst = "%s #(%s)" % (core, overrides) if params else core
    text += ["    %s u_core (" % inst, ",\n".join(conns), "    );", "endmodule"]
    with open(path, "w") as f:
        f.write("\n".join(text) + "\n")
    return sum(w for n, d, w in ports if n != "clk")


def write_deps(out, target, files):
    with open(os.path.join(out, "deps.mk"), "w") as f:
        f.write("%s: %s\n" % (target, " ".join(files)))
        for p in files:  # like gcc -MP: a deleted file is not an error
            f.write("%s:\n" % p)


def pnr(out, seed, nextpnr_base):
    report = "%s/pnr_seed%d.json" % (out, seed)
    log = "%s/pnr_seed%d.log" % (out, seed)
    argv = nextpnr_base + ["--seed", str(seed), "--report", report]
    os.makedirs(os.path.dirname(LOCK), exist_ok=True)
    with open(LOCK, "w") as lk:
        fcntl.flock(lk, fcntl.LOCK_EX)
        run(argv, log)
    with open(report) as f:
        rep = json.load(f)
    fmax = {clk: v["achieved"] for clk, v in rep["fmax"].items()}
    util = {k: v for k, v in rep["utilization"].items() if v["used"]}
    return {"seed": seed, "fmax": fmax, "util": util, "log": log}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--core", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--yosys", required=True)
    ap.add_argument("--nextpnr", required=True)
    ap.add_argument("--rtl-dir", default="hdl/rtl/crypto")
    ap.add_argument("--freq", type=float, default=100.0)
    ap.add_argument("--seeds", default="1")
    ap.add_argument("--device", default="45k")
    ap.add_argument("--package", default="CSFBGA285")
    ap.add_argument("--speed", default="8")
    ap.add_argument("--threads", default="1")
    ap.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    args = ap.parse_args()
    params = []
    for p in args.param:
        name, eq, value = p.partition("=")
        if not eq or not name.isidentifier() or not value.isdigit():
            raise SystemExit("synth: --param %s: expected NAME=DECIMAL" % p)
        params.append((name, value))

    core, out = args.core, args.out
    os.makedirs(out, exist_ok=True)
    global FAILED
    FAILED = os.path.join(out, "failed.txt")
    for stale in ("result.json", "failed.txt"):
        if os.path.exists(os.path.join(out, stale)):
            os.remove(os.path.join(out, stale))
    libdirs = [args.rtl_dir.rstrip("/")]
    libdirs += sorted(d.rstrip("/") for d in glob.glob("hdl/rtl/*/")
                      if d.rstrip("/") not in libdirs)
    yosys = shlex.split(args.yosys)
    nextpnr = shlex.split(args.nextpnr)

    # ECP5: synth_ecp5 netlist for nextpnr, and its cell counts.
    ecp5_ys = "%s/ecp5.ys" % out
    write_script(ecp5_ys, read_prelude(core, args.rtl_dir, out, libdirs, params) + [
        "synth_ecp5 -top %s -json %s/ecp5.json" % (core, out),
        "tee -q -o %s/ecp5_stat.json stat -json" % out,
        "tee -q -o %s/ecp5_stat.txt stat" % out])
    ecp5_cmd = yosys + ["-q", "-l", "%s/ecp5.log" % out, "-s", ecp5_ys]
    run(ecp5_cmd, "%s/ecp5.stdout" % out, "%s/ecp5.log" % out)
    files = design_files(out, libdirs)

    # Xilinx 7-series: cell counts only. Flattened like synth_ecp5; no I/O or
    # clock buffers, as the core is measured out of context.
    xil_ys = "%s/xilinx.ys" % out
    write_script(xil_ys, read_prelude(core, args.rtl_dir, out, libdirs, params) + [
        "synth_xilinx -family xc7 -flatten -noiopad -noclkbuf -top %s" % core,
        "tee -q -o %s/xilinx_stat.json stat -json" % out,
        "tee -q -o %s/xilinx_stat.txt stat" % out])
    xil_cmd = yosys + ["-q", "-l", "%s/xilinx.log" % out, "-s", xil_ys]
    run(xil_cmd, "%s/xilinx.stdout" % out, "%s/xilinx.log" % out)

    # Place and route netlist: the core inside synth_wrap.
    boundary = write_wrapper("%s/wrap.v" % out, core,
                             core_ports("%s/ecp5.json" % out, core), params)
    lib = " ".join("-libdir %s" % d for d in libdirs)
    wrap_ys = "%s/wrap.ys" % out
    write_script(wrap_ys, [
        "read_verilog %s/wrap.v" % out,
        "hierarchy -check -top synth_wrap %s" % lib,
        "synth_ecp5 -top synth_wrap -json %s/wrap.json" % out])
    wrap_cmd = yosys + ["-q", "-l", "%s/wrap.log" % out, "-s", wrap_ys]
    run(wrap_cmd, "%s/wrap.stdout" % out, "%s/wrap.log" % out)

    nextpnr_base = nextpnr + [
        "--%s" % args.device, "--package", args.package, "--speed", args.speed,
        "--json", "%s/wrap.json" % out, "--out-of-context",
        "--freq", "%g" % args.freq, "--timing-allow-fail",
        "--threads", args.threads]
    seeds = [int(s) for s in args.seeds.split(",") if s]
    runs = [pnr(out, s, nextpnr_base) for s in seeds]
    clocks = sorted({c for r in runs for c in r["fmax"]})
    fmax = {}
    for c in clocks:
        vals = [r["fmax"][c] for r in runs if c in r["fmax"]]
        fmax[c] = {"median": statistics.median(vals), "min": min(vals),
                   "max": max(vals), "seeds": vals}

    result = {
        "core": core,
        "params": dict(params),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
        "files": files,
        "yosys_version": tool_version(yosys + ["-V"]),
        "nextpnr_version": tool_version(nextpnr + ["--version"]),
        "ecp5_script": open(ecp5_ys).read().splitlines(),
        "xilinx_script": open(xil_ys).read().splitlines(),
        "wrap_script": open(wrap_ys).read().splitlines(),
        "boundary_registers": boundary,
        "commands": [" ".join(ecp5_cmd), " ".join(xil_cmd), " ".join(wrap_cmd),
                     " ".join(nextpnr_base + ["--seed", "N", "--report",
                                              "%s/pnr_seedN.json" % out])],
        "device": {"family": "ECP5", "device": args.device,
                   "package": args.package, "speed": args.speed,
                   "freq_constraint": args.freq},
        "seeds": seeds,
        "ecp5": ecp5_counts(stat_cells("%s/ecp5_stat.json" % out)),
        "xilinx": xilinx_counts(stat_cells("%s/xilinx_stat.json" % out)),
        "pnr_util": runs[0]["util"],
        "fmax": fmax,
    }
    with open("%s/result.json" % out, "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")
    write_deps(out, "%s/result.json" % out, files)
    clk = ", ".join("%s %.1f MHz" % (c, v["median"]) for c, v in fmax.items())
    print("synth: %s: ECP5 %d LUT4 %d FF, xc7 %d LUT %d FF, Fmax %s" % (
        core, result["ecp5"]["lut4"], result["ecp5"]["ff"],
        result["xilinx"]["lut"], result["xilinx"]["ff"], clk or "n/a"))


if __name__ == "__main__":
    main()
