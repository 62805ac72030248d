#!/usr/bin/env python3
"""Size and Fmax of the whole device, fgate_engine, per lane count.

    synth_engine.py run --lanes N --out DIR --yosys Y --nextpnr N
                    [--sa-entries 256] [--freq 100] [--seed 1]
                    [--device 45k] [--package CSFBGA285] [--speed 8]
                    [--pnr-max-lut 90] [--timeout-min 45]
    synth_engine.py report --synth-dir build/synth/engine --lanes "1 2 4 8"
                    [--breakdown-lanes 2] [--doc docs/benchmarks.md]

Run from the top of the repository (YoWASP tools see the current directory).

`run`, one configuration (fgate_engine with N_LANES=N, SA_ENTRIES as given):
  1. the engine in synth_core.py's registered wrapper (a register on each of
     its 133 port bits and rst) through yosys synth_ecp5 -noflatten: `stat`
     per module, the engine's counts being its subtree (wrapper registers
     left out); then flattened into the place-and-route netlist;
  2. when the ECP5 LUT count is under --pnr-max-lut percent of the device,
     nextpnr-ecp5 --out-of-context at --freq MHz, one seed, killed after
     --timeout-min minutes (recorded as such);
  3. yosys synth_xilinx -family xc7 of the bare engine, hierarchy kept too.
  Hierarchical synthesis (rather than synth_core.py's flattened one) gives
  the per-module figures and takes a fraction of the time on a design this
  size; it forgoes optimisation across module boundaries, so its counts are
  an upper bound of a flattened run's (within 0.2% for N_LANES=2, compared
  with nextpnr's own count of the flattened netlist).
  Writes DIR/result.json and DIR/deps.mk (the RTL files used). One yosys or
  nextpnr at a time on the machine (flock on build/synth/.nextpnr.lock).

`report`: DIR/report.md (table per configuration, per-module breakdown,
critical paths, method) from the result.json files, and the same table
into --doc between <!-- engine-synth:begin --> and <!-- engine-synth:end -->
when that file has both markers (the rest of it is left alone; without the
markers only a note is printed).
"""

import argparse
import datetime
import fcntl
import glob
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth_core  # noqa: E402  (shared helpers: counts, wrapper, deps)

TOP = "fgate_engine"
INCLUDE_DIR = "build/gen"  # fgate_protocol.vh (hdl/protocol/rules.mk)
BEGIN = "<!-- engine-synth:begin -->"
END = "<!-- engine-synth:end -->"

# Device totals. ECP5: Lattice FPGA-DS-02012 (ECP5 and ECP5-5G Family Data
# Sheet), Table 1.1, LFE5U-45: 44k LUTs, 108 sysMEM blocks (18 kb, DP16KD),
# 72 18x18 multipliers. The FF total (2 per LUT pair: 43,848) and the exact
# LUT count (43,848 TRELLIS_COMB) are nextpnr's for the 45k die.
# Artix-7 XC7A35T: Xilinx DS180 (7 Series FPGAs Data Sheet: Overview),
# Table 3 (Artix-7): 20,800 LUTs, 41,600 flip-flops, 50 block RAM (36 kb
# each), 90 DSP slices.
ECP5_45F = {"lut": 43848, "ff": 43848, "bram": 108, "dsp": 72}
XC7A35T = {"lut": 20800, "ff": 41600, "bram36": 50, "dsp": 90}


def tool_lock():
    os.makedirs(os.path.dirname(synth_core.LOCK), exist_ok=True)
    lk = open(synth_core.LOCK, "w")
    fcntl.flock(lk, fcntl.LOCK_EX)
    return lk


def run_locked(argv, log, full_log=None):
    with tool_lock():
        synth_core.run(argv, log, full_log)


def libdirs():
    return sorted(d.rstrip("/") for d in glob.glob("hdl/rtl/*/"))


def prelude(out, lanes, sa_entries, rounds, top_file="hdl/rtl/top/fgate_engine.v",
            top=TOP, modules=True):
    lib = " ".join("-libdir %s" % d for d in libdirs())
    lines = ["verilog_defaults -add -I%s" % INCLUDE_DIR,
             "read_verilog %s" % top_file]
    if top == TOP:
        lines.append("hierarchy -check -top %s -chparam N_LANES %d "
                     "-chparam SA_ENTRIES %d -chparam TDES_ROUNDS %d %s" % (
                         top, lanes, sa_entries, rounds, lib))
    else:
        lines.append("hierarchy -check -top %s %s" % (top, lib))
    if modules:
        lines.append("tee -q -o %s/modules.txt ls" % out)
    return lines


def yosys_run(yosys, out, name, lines):
    path = "%s/%s.ys" % (out, name)
    synth_core.write_script(path, lines)
    cmd = yosys + ["-q", "-l", "%s/%s.log" % (out, name), "-s", path]
    t0 = time.time()
    run_locked(cmd, "%s/%s.stdout" % (out, name), "%s/%s.log" % (out, name))
    print("synth-engine: %s: yosys %s %.0f s" % (os.path.basename(out), name,
                                                  time.time() - t0))
    return cmd, lines


def lut_equiv(e):
    """ECP5 LUT4 sites as nextpnr counts them ("Total LUT4s" before
    packing): LUT4s, two per CCU2C carry cell, six per TRELLIS_DPR16X4
    (four RAM LUTs and two RAMW LUTs)."""
    return e["lut4"] + 2 * e["carry"] + 6 * e["lutram"]


def module_breakdown(stat_json):
    """{module: {"instances": n, "cells": {type: n}}}: every instance in the
    design counted (hierarchy walked from the top), local cells only
    (submodules excluded), parametrisations of a module ($paramod...)
    summed under its plain name."""
    with open(stat_json) as f:
        # Plain module names come with yosys's leading backslash; the cell
        # types that instantiate them do not.
        mods = {(k[1:] if k.startswith("\\") else k): v
                for k, v in json.load(f)["modules"].items()}

    def short(n):
        return n.split("\\")[1] if n.startswith("$paramod") else n

    count = {}

    def walk(name, mult):
        count[name] = count.get(name, 0) + mult
        for sub, k in mods[name].get("num_cells_by_type", {}).items():
            if sub in mods:
                walk(sub, mult * k)
    walk([n for n in mods if short(n) == TOP][0], 1)  # the wrapper left out
    out = {}
    for name, k in count.items():
        agg = out.setdefault(short(name), {"instances": 0, "cells": {}})
        agg["instances"] += k
        for t, c in mods[name].get("num_cells_by_type", {}).items():
            if t not in mods and not t.startswith("$"):
                agg["cells"][t] = agg["cells"].get(t, 0) + k * c
    return out


def subtree_total(mods):
    """Cells of the whole engine from module_breakdown()'s figures."""
    tot = {}
    for m in mods.values():
        for t, c in m["cells"].items():
            tot[t] = tot.get(t, 0) + c
    return tot


def parse_critical(report, log):
    """The engine clock's critical path: from/to cells, delays, nets."""
    paths = []
    for cp in report.get("critical_paths", []):
        steps = cp.get("path", [])
        if not steps:
            continue
        total = sum(s.get("delay", 0.0) for s in steps)
        route = sum(s["delay"] for s in steps if s.get("type") == "routing")
        logic = total - route  # cells, clock-to-output and setup, as nextpnr sums them
        nets = [s["net"] for s in steps if s.get("type") == "routing"]
        srcs = []
        for s in steps:
            for src in s.get("sources", []):
                if src.startswith("hdl/") and src not in srcs:
                    srcs.append(src)
        paths.append({
            "from_clock": cp.get("from"), "to_clock": cp.get("to"),
            "from": "%s.%s" % (steps[0]["from"]["cell"], steps[0]["from"]["port"]),
            "to": "%s.%s" % (steps[-1]["to"]["cell"], steps[-1]["to"]["port"]),
            "delay_ns": round(total, 3), "logic_ns": round(logic, 3),
            "routing_ns": round(route, 3),
            "logic_levels": sum(1 for s in steps if s.get("type") == "logic"),
            "nets": nets, "sources": srcs})
    return paths


def write_wrapper(path, ports, lanes, sa_entries, rounds):
    """synth_core.py's registered wrapper, with the engine's parameters set
    on its instance."""
    return synth_core.write_wrapper(path, TOP, ports, [
        ("N_LANES", str(lanes)), ("SA_ENTRIES", str(sa_entries)),
        ("TDES_ROUNDS", str(rounds))])


def placed_estimate(text):
    """nextpnr's Fmax estimate for clk after placement (before routing)."""
    m = re.search(r"SA placement time.*?Max frequency for clock\s+'([^']*clk)':\s+([0-9.]+) MHz",
                  text, re.S)
    return float(m.group(2)) if m else None


def progress(text):
    """The last router progress line (iteration, arcs still to route)."""
    rows = re.findall(r"^Info:\s+(\d+) \|.*\|\s+(\d+)\|\s+[0-9.]+\s+[0-9.]+\|$",
                      text, re.M)
    if rows:
        return "routing, iteration %s, %s arcs left" % rows[-1]
    return "placement" if "Routing.." not in text else "routing"


def pnr(args, out, nextpnr):
    """nextpnr-ecp5 on wrap.json with a timeout; returns the pnr record."""
    report = "%s/pnr.json" % out
    log = "%s/pnr.log" % out
    for stale in (report, log):
        if os.path.exists(stale):
            os.remove(stale)
    argv = nextpnr + [
        "--%s" % args.device, "--package", args.package, "--speed", args.speed,
        "--json", "%s/wrap.json" % out, "--out-of-context",
        "--freq", "%g" % args.freq, "--timing-allow-fail", "--threads", "1",
        "--seed", str(args.seed), "--report", report, "--log", log]
    rec = {"command": " ".join(argv), "seed": args.seed,
           "timeout_min": args.timeout_min}
    with tool_lock():
        t0 = time.time()
        with open("%s/pnr.stdout" % out, "w") as f:
            proc = subprocess.Popen(argv, stdout=f, stderr=subprocess.STDOUT,
                                    start_new_session=True)
            try:
                rc = proc.wait(timeout=args.timeout_min * 60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                rc = None
        rec["seconds"] = round(time.time() - t0)
    text = open(log).read() if os.path.exists(log) else ""
    placed = placed_estimate(text)
    if placed:
        rec["placed_fmax_estimate"] = placed
    rec["routed"] = "Routing complete" in text
    if rc is None or rc < 0:
        # Timed out, or killed from outside (a signal): what it got to.
        rec["status"] = "timeout" if rc is None else "killed"
        rec["signal"] = None if rc is None else -rc
        rec["progress"] = progress(text)
        return rec
    if rc != 0 or not os.path.exists(report):
        errs = [l.strip() for l in text.splitlines() if l.startswith("ERROR")]
        rec["status"] = "failed"
        rec["error"] = errs[0] if errs else "exit %s, no report" % rc
        rec["routed"] = "Routing complete" in text
        return rec
    with open(report) as f:
        rep = json.load(f)
    rec["status"] = "ok"
    rec["routed"] = "Routing complete" in text
    rec["fmax"] = {c: {"achieved": v["achieved"], "constraint": v["constraint"]}
                   for c, v in rep.get("fmax", {}).items()}
    rec["util"] = {k: v for k, v in rep["utilization"].items() if v["used"]}
    rec["critical_paths"] = parse_critical(rep, text)
    return rec


def engine_ports(yosys, out, lanes, sa_entries, rounds):
    """[(name, direction, width)] of fgate_engine (elaborated alone: quick)."""
    cmd, _ = yosys_run(yosys, out, "ports", [
        "verilog_defaults -add -I%s" % INCLUDE_DIR,
        "read_verilog hdl/rtl/top/%s.v" % TOP,
        "hierarchy -top %s -chparam N_LANES %d -chparam SA_ENTRIES %d -chparam TDES_ROUNDS %d" % (
            TOP, lanes, sa_entries, rounds),
        "proc", "write_json %s/ports.json" % out])
    with open("%s/ports.json" % out) as f:
        mods = json.load(f)["modules"]
    name = [m for m in mods if m == TOP or m.endswith("\\" + TOP)][0]
    return [(n, p["direction"], len(p["bits"])) for n, p in mods[name]["ports"].items()]


def cmd_run(args):
    out = args.out
    os.makedirs(out, exist_ok=True)
    synth_core.FAILED = os.path.join(out, "failed.txt")
    for stale in ("result.json", "failed.txt"):
        if os.path.exists(os.path.join(out, stale)):
            os.remove(os.path.join(out, stale))
    yosys = shlex.split(args.yosys)
    nextpnr = shlex.split(args.nextpnr)
    n, sa, rounds = args.lanes, args.sa_entries, args.tdes_rounds
    commands, scripts = [], {}

    # ECP5: the engine inside the registered wrapper, synthesized keeping the
    # hierarchy (per-module counts; the engine's counts are its subtree, the
    # wrapper's registers left out), then flattened for nextpnr.
    boundary = write_wrapper("%s/wrap.v" % out, engine_ports(yosys, out, n, sa, rounds),
                             n, sa, rounds)
    cmd, scripts["ecp5"] = yosys_run(
        yosys, out, "ecp5",
        prelude(out, n, sa, rounds, top_file="%s/wrap.v" % out, top="synth_wrap") + [
            "synth_ecp5 -top synth_wrap -noflatten",
            "tee -q -o %s/ecp5_stat.json stat -json" % out,
            "tee -q -o %s/ecp5_stat.txt stat" % out,
            "flatten", "opt_clean",
            "write_json %s/wrap.json" % out])
    commands.append(" ".join(cmd))
    files = synth_core.design_files(out, libdirs())
    ecp5_mods = module_breakdown("%s/ecp5_stat.json" % out)
    ecp5 = synth_core.ecp5_counts(subtree_total(ecp5_mods))

    lut = lut_equiv(ecp5)
    pct_lut = 100.0 * lut / ECP5_45F["lut"]
    if pct_lut < args.pnr_max_lut:
        print("synth-engine: %s: nextpnr-ecp5 (up to %g min)" % (
            os.path.basename(out), args.timeout_min))
        pnr_rec = pnr(args, out, nextpnr)
        pnr_rec["boundary_registers"] = boundary
        commands.append(pnr_rec["command"])
    else:
        pnr_rec = {"status": "skipped",
                   "reason": "yosys LUT count %.0f%% of the device, not under %g%%"
                   % (pct_lut, args.pnr_max_lut)}

    # Xilinx 7-series: counts only, the bare engine, hierarchy kept as for
    # the ECP5 (per-module counts; no I/O or clock buffers).
    cmd, scripts["xilinx"] = yosys_run(yosys, out, "xilinx", prelude(out, n, sa, rounds, modules=False) + [
        "synth_xilinx -family xc7 -noiopad -noclkbuf -top %s" % TOP,
        "tee -q -o %s/xilinx_stat.json stat -json" % out,
        "tee -q -o %s/xilinx_stat.txt stat" % out])
    commands.append(" ".join(cmd))
    xil_mods = module_breakdown("%s/xilinx_stat.json" % out)
    xil = synth_core.xilinx_counts(subtree_total(xil_mods))

    result = {
        "lanes": n, "sa_entries": sa, "tdes_rounds": rounds, "top": TOP,
        "pnr_max_lut": args.pnr_max_lut, "timeout_min": args.timeout_min,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "files": files,
        "yosys_version": synth_core.tool_version(yosys + ["-V"]),
        "nextpnr_version": synth_core.tool_version(nextpnr + ["--version"]),
        "device": {"device": args.device, "package": args.package,
                   "speed": args.speed, "freq_constraint": args.freq},
        "scripts": scripts, "commands": commands,
        "ecp5": ecp5, "xilinx": xil, "breakdown": ecp5_mods,
        "xilinx_breakdown": xil_mods, "pnr": pnr_rec,
    }
    with open("%s/result.json" % out, "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")
    synth_core.write_deps(out, "%s/result.json" % out, files)
    fm = engine_fmax(pnr_rec)
    print("synth-engine: N_LANES=%d: ECP5 %d LUT (%.0f%%) %d FF %d DP16KD; xc7 %d LUT "
          "%d FF %g BRAM36; P&R %s%s" % (
              n, lut, pct_lut, ecp5["ff"], ecp5["bram"], xil["lut"], xil["ff"],
              bram36(xil), pnr_rec["status"], ", Fmax %.1f MHz" % fm if fm else ""))


# ------------------------------------------------------------------ report

def bram36(x):
    """Block RAM in 36 kb units (a RAMB18E1 is half of one)."""
    return x["bram36"] + x["bram18"] / 2.0


def engine_fmax(pnr_rec):
    """Fmax of the engine clock (the wrapper has one clock, clk)."""
    fm = pnr_rec.get("fmax") or {}
    if not fm:
        return None
    for c, v in fm.items():
        if c.endswith("clk"):
            return v["achieved"]
    return min(v["achieved"] for v in fm.values())


def pct(used, total):
    return "%d (%.0f%%)" % (used, 100.0 * used / total) if used == int(used) \
        else "%.1f (%.0f%%)" % (used, 100.0 * used / total)


def ecp5_fits(e):
    return (lut_equiv(e) <= ECP5_45F["lut"] and e["ff"] <= ECP5_45F["ff"]
            and e["bram"] <= ECP5_45F["bram"] and e["dsp"] <= ECP5_45F["dsp"])


def xil_fits(x):
    return (x["lut"] + x["lutram"] <= XC7A35T["lut"] and x["ff"] <= XC7A35T["ff"]
            and bram36(x) <= XC7A35T["bram36"] and x["dsp"] <= XC7A35T["dsp"])


def why_not(e, x=None):
    bad = []
    if e is not None:
        if lut_equiv(e) > ECP5_45F["lut"]:
            bad.append("LUT")
        if e["bram"] > ECP5_45F["bram"]:
            bad.append("BRAM")
        if e["ff"] > ECP5_45F["ff"]:
            bad.append("FF")
    else:
        if x["lut"] + x["lutram"] > XC7A35T["lut"]:
            bad.append("LUT")
        if bram36(x) > XC7A35T["bram36"]:
            bad.append("BRAM")
        if x["ff"] > XC7A35T["ff"]:
            bad.append("FF")
    return "/".join(bad)


def pnr_cells(r):
    p = r["pnr"]
    st = p["status"]
    if st == "skipped":
        return "not run (yosys LUTs over %s)" % re.search(r"under (\S+)", p["reason"]).group(1), "n/a"
    if st in ("timeout", "killed"):
        what = ("did not finish in %g min" % p["timeout_min"] if st == "timeout"
                else "stopped by hand after %d min" % round(p.get("seconds", 0) / 60.0))
        extra = [p["progress"]] if p.get("progress") else []
        if p.get("placed_fmax_estimate"):
            extra.append("post-placement estimate %.1f MHz" % p["placed_fmax_estimate"])
        meets = "no (estimate)" if p.get("placed_fmax_estimate", 1e9) < \
            r["device"]["freq_constraint"] else "unknown"
        return "%s%s" % (what, " (%s)" % "; ".join(extra) if extra else ""), meets
    if st == "failed":
        return "failed: %s" % p["error"].replace("|", "\\|")[:120], "no"
    fm = engine_fmax(p)
    con = r["device"]["freq_constraint"]
    routed = "" if p.get("routed") else " (not routed)"
    return "%.1f MHz%s" % (fm, routed), "yes" if fm >= con and p.get("routed") else "no"


def main_table(results):
    lines = ["| N_LANES | ECP5 LUT | ECP5 FF | ECP5 DP16KD | fits 45F? "
             "| nextpnr Fmax (engine clk) | meets 100 MHz? | xc7 LUT | xc7 FF "
             "| xc7 BRAM36 | fits 35T? |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        e, x = r["ecp5"], r["xilinx"]
        fm, meets = pnr_cells(r)
        ef = "yes" if ecp5_fits(e) else "no (%s)" % why_not(e)
        xf = "yes" if xil_fits(x) else "no (%s)" % why_not(None, x)
        lines.append("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["lanes"], pct(lut_equiv(e), ECP5_45F["lut"]), pct(e["ff"], ECP5_45F["ff"]),
            pct(e["bram"], ECP5_45F["bram"]), ef, fm, meets,
            pct(x["lut"] + x["lutram"], XC7A35T["lut"]), pct(x["ff"], XC7A35T["ff"]),
            pct(bram36(x), XC7A35T["bram36"]), xf))
    lines.append("")
    for r in results:
        for note in (r.get("rtl_note"), r["pnr"].get("note")):
            if note:
                lines += ["Note, N_LANES=%d: %s." % (r["lanes"], note), ""]
    fit_e = [r["lanes"] for r in results if ecp5_fits(r["ecp5"])]
    fit_x = [r["lanes"] for r in results if xil_fits(r["xilinx"])]
    meet = [r["lanes"] for r in results if pnr_cells(r)[1] == "yes"]
    lines.append("Largest configuration that fits (yosys counts): LFE5U-45F %s; "
                 "XC7A35T %s. Placed, routed and meeting %g MHz on the LFE5U-45F: %s." % (
                     "N_LANES=%d" % max(fit_e) if fit_e else "none",
                     "N_LANES=%d" % max(fit_x) if fit_x else "none",
                     results[0]["device"]["freq_constraint"],
                     ", ".join("N_LANES=%d" % n for n in meet) if meet else "none"))
    lines.append("")
    return lines


# Module -> group of the per-module breakdown.
GROUPS = [
    ("tdes_cbc (+ tdes_core, des_round)", ["tdes_cbc", "tdes_core", "des_round"]),
    ("hmac_sha1 wrapper", ["hmac_sha1"]),
    ("sha1_core", ["sha1_core"]),
    ("hmac_md5 wrapper", ["hmac_md5"]),
    ("md5_core", ["md5_core"]),
    ("esp_lane control (FSM, SA fields, checks, counters)", ["esp_lane"]),
    ("esp_rd buffer readers (cipher, HMAC/TX)", ["esp_rd"]),
    ("esp_padchk", ["esp_padchk"]),
    ("esp_ram: buffer, SA table, key table", ["esp_ram"]),
    ("fg_frame_rx", ["fg_frame_rx"]),
    ("fg_frame_tx", ["fg_frame_tx"]),
    ("fg_ctrl", ["fg_ctrl"]),
    ("fgate_engine glue", ["fgate_engine"]),
]


def breakdown_table(r):
    mods = r["breakdown"]
    rows, total = [], 0
    for label, names in GROUPS:
        lut = ff = bram = lram = inst = 0
        for m in names:
            if m not in mods:
                continue
            c = mods[m]["cells"]
            lut += c.get("LUT4", 0) + 2 * c.get("CCU2C", 0) + 6 * c.get("TRELLIS_DPR16X4", 0)
            ff += c.get("TRELLIS_FF", 0)
            bram += c.get("DP16KD", 0)
            lram += c.get("TRELLIS_DPR16X4", 0)
            inst = max(inst, mods[m]["instances"])
        total += lut
        rows.append((label, inst, lut, ff, bram, lram))
    lines = ["| module (all instances) | instances | ECP5 LUT | % of engine | "
             "TRELLIS_FF | DP16KD | LUTRAM (DPR16X4) |", "|---|---|---|---|---|---|---|"]
    for label, inst, lut, ff, bram, lram in sorted(rows, key=lambda t: -t[2]):
        lines.append("| %s | %d | %d | %.1f%% | %d | %d | %d |" % (
            label, inst, lut, 100.0 * lut / total if total else 0, ff, bram, lram))
    lines.append("| total | | %d | | | | |" % total)
    crypto = sum(t[2] for t in rows if t[0].split()[0] in (
        "tdes_cbc", "hmac_sha1", "sha1_core", "hmac_md5", "md5_core"))
    lines += ["", "Crypto (tdes_cbc, hmac_*, *_core): %d LUTs (%.0f%%); everything "
              "else: %d (%.0f%%)." % (crypto, 100.0 * crypto / total, total - crypto,
                                      100.0 * (total - crypto) / total), ""]
    return lines


def critical_lines(r):
    p = r["pnr"]
    out = []
    for cp in p.get("critical_paths", []):
        if cp["from_clock"] != cp["to_clock"]:
            continue
        nets = cp["nets"]
        shown = nets if len(nets) <= 8 else nets[:4] + ["..."] + nets[-3:]
        out += ["- N_LANES=%d, clock `%s`: %.2f ns (%.2f logic, %.2f routing, %d "
                "logic levels), from `%s` to `%s`." % (
                    r["lanes"], cp["from_clock"], cp["delay_ns"],
                    cp["delay_ns"] - cp["routing_ns"],
                    cp["routing_ns"], cp["logic_levels"], cp["from"], cp["to"]),
                "  Nets: %s." % ", ".join("`%s`" % n for n in shown)]
        if cp["sources"]:
            out.append("  RTL: %s." % ", ".join(cp["sources"][:8]))
    return out


def method_lines(results):
    r0 = results[0]
    d = r0["device"]
    lines = [
        "- Tools: %s; nextpnr-ecp5 %s (YoWASP builds pinned in "
        "`hdl/synth/requirements.txt`)." % (
            synth_core_short(r0["yosys_version"]), r0["nextpnr_version"]),
        "- Top `fgate_engine`, N_LANES as in the table, SA_ENTRIES=%d, "
        "TDES_ROUNDS=%d, other parameters at their defaults. ECP5 counts: yosys `stat` after "
        "`synth_ecp5 -noflatten` of the engine inside the registered wrapper, "
        "summed over the engine's subtree (the wrapper's registers left out); "
        "Xilinx counts: `synth_xilinx -family xc7 -noiopad -noclkbuf` of the "
        "bare engine (no place and route). Hierarchy is kept for the "
        "per-module figures (no optimisation across module boundaries: an "
        "upper bound of a flattened synthesis, within 0.2%% of nextpnr's "
        "count of the flattened netlist for N_LANES=2). ECP5 LUT = LUT4 + 2 "
        "per CCU2C + 6 per TRELLIS_DPR16X4, the LUT sites nextpnr counts; xc7 "
        "LUT = LUT1..6 + LUTRAM cells; xc7 BRAM36 = RAMB36E1 + RAMB18E1 / 2." %
        (r0["sa_entries"], r0.get("tdes_rounds", 1)),
        "- Device totals: LFE5U-45F 44k LUTs (43,848 LUT4 sites and as many "
        "FFs in nextpnr's database of the 45k die), 108 sysMEM blocks of "
        "18 kb (DP16KD), 72 18x18 multipliers: Lattice FPGA-DS-02012, ECP5 "
        "and ECP5-5G Family Data Sheet, Table 1.1 (family selection guide). "
        "XC7A35T: 20,800 LUTs, 41,600 flip-flops, 50 block RAMs of 36 kb, 90 "
        "DSP slices: Xilinx DS180, 7 Series FPGAs Data Sheet: Overview, "
        "Artix-7 feature summary table. \"fits\" compares the yosys counts "
        "with these totals; it says nothing of routability.",
        "- Place and route: only configurations whose ECP5 LUT count is "
        "under %g%% of the device; LFE5U-45F (`--%s`), package %s, speed %s, "
        "`--freq %g`, seed %s, `--out-of-context`, the engine inside "
        "synth_core.py's generated wrapper (`build/synth/engine/lanes<N>/wrap.v`: "
        "a register on every port bit, so every path is register to register), "
        "one thread, killed after %g minutes. Fmax is nextpnr's achieved "
        "frequency for the clock `clk`." % (
            100.0 * 0.9 if "pnr_max_lut" not in r0 else r0["pnr_max_lut"],
            d["device"], d["package"], d["speed"], d["freq_constraint"],
            r0["pnr"].get("seed", 1), r0.get("timeout_min", 45)),
        "- Synthesized %s. Commands (N_LANES=%d; `build/synth/engine/lanes<N>/` "
        "has the scripts, logs, netlists and nextpnr reports):" % (
            " / ".join(sorted({r["date"] for r in results})), r0["lanes"]),
        "", "```"]
    lines += r0["commands"] + ["```", ""]
    return lines


def synth_core_short(v):
    m = re.match(r"(Yosys \S+)", v)
    return m.group(1) if m else v


def cmd_report(args):
    results, missing = [], []
    for n in args.lanes.split():
        path = os.path.join(args.synth_dir, "lanes%s" % n, "result.json")
        if os.path.exists(path):
            with open(path) as f:
                results.append(json.load(f))
        else:
            why = os.path.join(args.synth_dir, "lanes%s" % n, "failed.txt")
            missing.append((n, open(why).read().strip() if os.path.exists(why)
                            else "no result"))
    table = ["_Generated by `make synth-engine` (hdl/synth/synth_engine.py) "
             "from build/synth/engine/; rewritten on each run._", ""]
    if results:
        table += main_table(results)
    for n, why in missing:
        table += ["N_LANES=%s: synthesis failed: %s" % (n, why.replace("|", "\\|")), ""]
    body = ["# fgate_engine: size and Fmax per lane count", ""] + table
    for r in results:
        if str(r["lanes"]) in args.breakdown_lanes.split():
            body += ["## Per-module LUTs, N_LANES=%d (synth_ecp5 -noflatten)" % r["lanes"], ""]
            body += breakdown_table(r)
    crit = [l for r in results for l in critical_lines(r)]
    if crit:
        body += ["## Critical paths (nextpnr)", ""] + crit + [""]
    if results:
        body += ["## Method", ""] + method_lines(results)
    os.makedirs(args.synth_dir, exist_ok=True)
    with open(os.path.join(args.synth_dir, "report.md"), "w") as f:
        f.write("\n".join(body) + "\n")
    print("synth-engine: wrote %s/report.md" % args.synth_dir)
    splice(args.doc, table)
    return 1 if missing else 0


def splice(doc, table):
    if not doc or not os.path.exists(doc):
        print("synth-engine: note: %s does not exist: table not inserted" % doc)
        return
    text = open(doc).read()
    if BEGIN not in text or END not in text:
        print("synth-engine: note: %s has no %s / %s markers: table not inserted"
              % (doc, BEGIN, END))
        return
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new = head + BEGIN + "\n" + "\n".join(table).rstrip("\n") + "\n" + END + tail
    if new != text:
        with open(doc, "w") as f:
            f.write(new)
        print("synth-engine: updated %s" % doc)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--lanes", type=int, required=True)
    r.add_argument("--sa-entries", type=int, default=256)
    r.add_argument("--tdes-rounds", type=int, default=2)   # the RTL default
    r.add_argument("--out", required=True)
    r.add_argument("--yosys", required=True)
    r.add_argument("--nextpnr", required=True)
    r.add_argument("--freq", type=float, default=100.0)
    r.add_argument("--seed", type=int, default=1)
    r.add_argument("--device", default="45k")
    r.add_argument("--package", default="CSFBGA285")
    r.add_argument("--speed", default="8")
    r.add_argument("--pnr-max-lut", type=float, default=90.0)
    r.add_argument("--timeout-min", type=float, default=20.0)
    p = sub.add_parser("report")
    p.add_argument("--synth-dir", required=True)
    p.add_argument("--lanes", required=True)
    p.add_argument("--doc", default="")
    p.add_argument("--breakdown-lanes", default="2")
    args = ap.parse_args()
    if args.cmd == "run":
        cmd_run(args)
        return 0
    return cmd_report(args)


if __name__ == "__main__":
    sys.exit(main())
