#!/usr/bin/env python3
"""Write the synthesis figures into docs/hdl.md, between the markers
<!-- synth:begin --> and <!-- synth:end --> (the rest of the page is left as
it is; the page is created with the markers if it does not exist).

    report.py --doc docs/hdl.md --synth-dir build/synth
              --reports-dir build/reports --cores "a b c" [--missing "d e"]
              --figures "CORE=BENCH:KEY:BYTES,BENCH:PATTERN ..." ...
              --requirements hdl/synth/requirements.txt --command "make synth"

Every figure comes from a file the flow wrote: OUT/<core>/result.json
(synth_core.py) and the benches' build/reports/<bench>.txt (key=value lines).
--figures names, per core, the bench figures to show: BENCH:KEY:BYTES is a
cycles-per-block figure (throughput = BYTES * Fmax / cycles), BENCH:PATTERN
(fnmatch pattern) shows the matching keys as plain cycle counts.
"""

import argparse
import fnmatch
import json
import os
import re
import sys

BEGIN = "<!-- synth:begin -->"
END = "<!-- synth:end -->"
INTRO = """# fgate RTL

The RTL crypto cores in `hdl/rtl/crypto` and what they cost on an FPGA.

"""


def read_report(path):
    vals = {}
    if not os.path.exists(path):
        return None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if "=" in line and not line.startswith("#"):
                k, v = line.split("=", 1)
                try:
                    vals[k.strip()] = float(v)
                except ValueError:
                    pass
    return vals


def num(x):
    if isinstance(x, float) and not x.is_integer():
        return "%.2f" % x
    return "%d" % x


def short_yosys(v):
    m = re.match(r"(Yosys \S+)(?: \((git sha1 [0-9a-f]+))?", v)
    if not m:
        return v
    return m.group(1) + (" (%s)" % m.group(2) if m.group(2) else "")


def short_nextpnr(v):
    m = re.search(r"Version nextpnr-(\S+?)\)", v)
    return m.group(1) if m else v


def pins(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                out.append(line)
    return out


def parse_figures(items):
    """'core=b:k:n,b:p' ... -> {core: [(bench, key, bytes or None)]}"""
    figs = {}
    for item in items:
        core, _, spec = item.partition("=")
        lst = figs.setdefault(core, [])
        for f in spec.split(","):
            parts = f.split(":")
            if len(parts) == 3:
                lst.append((parts[0], parts[1], int(parts[2])))
            elif len(parts) == 2:
                lst.append((parts[0], parts[1], None))
    return figs


def other_cells(d):
    """Cells outside the named groups; $scopeinfo (yosys's record of the
    flattened hierarchy) is not hardware."""
    return ", ".join("%s %d" % (k, v) for k, v in d.items()
                     if not k.startswith("$scopeinfo"))


def core_fmax(res):
    """The core's clock ('clk' if present, else the only one)."""
    fm = res["fmax"]
    if "clk" in fm:
        return "clk", fm["clk"]
    if len(fm) == 1:
        return next(iter(fm.items()))
    return None, None


def core_section(res, figs, reports):
    e, x = res["ecp5"], res["xilinx"]
    clk, fm = core_fmax(res)
    rows = [
        ("ECP5 LUT4", num(e["lut4"])),
        ("ECP5 FF (TRELLIS_FF)", num(e["ff"])),
        ("ECP5 carry (CCU2C, 2 LUT4 each)", num(e["carry"])),
        ("ECP5 wide muxes (PFUMX, L6MUX21)", num(e["widemux"])),
        ("ECP5 LUTRAM / BRAM (DP16KD) / DSP", "%d / %d / %d" % (
            e["lutram"], e["bram"], e["dsp"])),
    ]
    if other_cells(e["other"]):
        rows.append(("ECP5 other cells", other_cells(e["other"])))
    for kind, u in sorted(res["pnr_util"].items()):
        extra = ""
        if kind == "TRELLIS_FF":
            extra = (", with up to %d boundary registers of the wrapper; yosys "
                     "drops those of unused input bits" % res["boundary_registers"])
        rows.append(("ECP5 %s after place and route (nextpnr)" % kind,
                     "%d of %d (%.1f%%%s)" % (u["used"], u["available"],
                                              100.0 * u["used"] / u["available"], extra)))
    rows += [
        ("Xilinx 7-series LUT (LUT1..LUT6)", num(x["lut"])),
        ("Xilinx 7-series FF", num(x["ff"])),
        ("Xilinx CARRY4 / MUXF7+F8 / SRL", "%d / %d / %d" % (
            x["carry"], x["widemux"], x["srl"])),
        ("Xilinx LUTRAM / RAMB18 / RAMB36 / DSP48E1", "%d / %d / %d / %d" % (
            x["lutram"], x["bram18"], x["bram36"], x["dsp"])),
    ]
    if other_cells(x["other"]):
        rows.append(("Xilinx other cells", other_cells(x["other"])))
    if fm:
        if len(fm["seeds"]) > 1:
            rows.append(("ECP5 Fmax, clock `%s` (nextpnr, median of %d seeds)" % (
                clk, len(fm["seeds"])), "%.1f MHz (seeds: %s)" % (
                    fm["median"], ", ".join("%.1f" % s for s in fm["seeds"]))))
        else:
            rows.append(("ECP5 Fmax, clock `%s` (nextpnr)" % clk,
                         "%.1f MHz" % fm["median"]))
    else:
        rows.append(("ECP5 Fmax", "n/a (no single core clock in the nextpnr report)"))
    notes = []
    summary = []
    for bench, key, nbytes in figs:
        rep = reports.get(bench)
        if rep is None:
            notes.append("no build/reports/%s.txt (bench `%s` missing or failed): "
                         "no `%s` figure" % (bench, bench, key))
            continue
        if nbytes is None:
            for k in sorted(fnmatch.filter(rep.keys(), key)):
                rows.append(("`%s` (bench %s)" % (k, bench),
                             "%s cycles" % num(rep[k])))
            continue
        if key not in rep:
            notes.append("build/reports/%s.txt has no `%s`" % (bench, key))
            continue
        cyc = rep[key]
        rows.append(("`%s` (bench %s)" % (key, bench), "%s cycles" % num(cyc)))
        if fm and cyc > 0:
            mbs = nbytes * fm["median"] / cyc
            rows.append(("throughput at Fmax: %d bytes x %.1f MHz / %s cycles" % (
                nbytes, fm["median"], num(cyc)), "%.1f MB/s" % mbs))
            summary.append((key, cyc, mbs))
    lines = ["#### %s" % res["core"], "",
             "Files: %s. Synthesized %s." % (
                 ", ".join("`%s`" % f for f in res["files"]), res["date"]), "",
             "| figure | value |", "|---|---|"]
    lines += ["| %s | %s |" % r for r in rows]
    lines.append("")
    for n in notes:
        lines += ["Note: %s." % n, ""]
    return lines, summary


def summary_table(results, summaries):
    lines = ["| core | ECP5 LUT4 | ECP5 FF | ECP5 CCU2C | ECP5 DSP / BRAM | "
             "xc7 LUT | xc7 FF | ECP5 Fmax (MHz) | cycles/block | MB/s at Fmax |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for res in results:
        _, fm = core_fmax(res)
        thr = summaries.get(res["core"]) or []
        cyc = " / ".join("%s (`%s`)" % (num(c), k) for k, c, _ in thr) or "n/a"
        mbs = " / ".join("%.1f" % m for _, _, m in thr) or "n/a"
        lines.append("| %s | %d | %d | %d | %d / %d | %d | %d | %s | %s | %s |" % (
            res["core"], res["ecp5"]["lut4"], res["ecp5"]["ff"],
            res["ecp5"]["carry"], res["ecp5"]["dsp"], res["ecp5"]["bram"],
            res["xilinx"]["lut"], res["xilinx"]["ff"],
            "%.1f" % fm["median"] if fm else "n/a", cyc, mbs))
    return lines + [""]


def method(results, args):
    r0 = results[0]
    dev = r0["device"]
    dates = sorted({r["date"] for r in results})
    yv = sorted({short_yosys(r["yosys_version"]) for r in results})
    nv = sorted({short_nextpnr(r["nextpnr_version"]) for r in results})
    seeds = r0["seeds"]
    lines = [
        "### How these figures were made", "",
        "- Command: `%s` (generated text; rerun it to refresh, it redoes only "
        "cores whose RTL changed)." % args.command,
        "- Tools: %s and nextpnr-ecp5 %s, the YoWASP builds pinned in "
        "`hdl/synth/requirements.txt` (%s)." % (
            " / ".join(yv), " / ".join(nv), ", ".join(pins(args.requirements)[:2])),
        "- Device: Lattice ECP5 LFE5U-45F (`--%s`), package %s, speed grade "
        "%s, as on the LimeSDR Mini v2 (LFE5U-45F-8MG285C); Xilinx "
        "figures are yosys `synth_xilinx -family xc7` cell counts (no place "
        "and route)." % (dev["device"], dev["package"], dev["speed"]),
        "- Clock constraint %g MHz (`--freq`); Fmax is nextpnr's achieved "
        "frequency for the core's clock, %s." % (
            dev["freq_constraint"],
            "median of seeds %s" % ", ".join(map(str, seeds)) if len(seeds) > 1
            else "seed %d" % seeds[0]),
        "- Resource counts are those of the bare core (yosys `stat` after "
        "`synth_ecp5` / `synth_xilinx`, flattened). Fmax: the cores have "
        "more port bits (512-bit blocks, 160-bit states) than the package "
        "has pins, so nextpnr places and routes each one out of context "
        "(`--out-of-context`: no I/O buffers, no pins, the clock on general "
        "routing), inside a generated wrapper (`build/synth/<core>/wrap.v`) "
        "that puts a register on every core input and output. No logic is "
        "optimised away (every core output reaches a wrapper register that "
        "drives a top-level port), every path of the core, including its "
        "combinational paths from inputs and to outputs, is register to "
        "register and timed, and the boundary registers compete for "
        "placement as the logic around the core would. A bare core out of "
        "context, whose ports have no location at all, places too easily "
        "and reads optimistic.",
        "- Throughput = bytes per block (8 for DES, 64 for SHA-1/MD5) x "
        "Fmax / cycles per block, in MB/s (10^6 bytes/s); cycles per block "
        "and latencies are the figures the Verilator benches measure "
        "without stalls and write to `build/reports/<bench>.txt`.",
        "- Synthesized on %s. Exact tool commands, per core "
        "(`<core>` as in `build/synth/<core>/`, where the logs, yosys "
        "scripts, netlists and nextpnr JSON reports are):" % " / ".join(dates),
        "",
    ]
    cmds = []
    for c in r0["commands"]:
        cmds.append(c.replace(r0["core"], "<core>"))
    lines += ["```"] + cmds + ["```", "", "with the yosys scripts", "", "```"]
    lines += [l.replace(r0["core"], "<core>") for l in r0["ecp5_script"]]
    lines += ["```", "", "```"]
    lines += [l.replace(r0["core"], "<core>") for l in r0["xilinx_script"]]
    lines += ["```", "", "```"]
    lines += [l.replace(r0["core"], "<core>") for l in r0["wrap_script"]]
    lines += ["```", ""]
    return lines


def generate(args):
    figs = parse_figures(args.figures)
    results = []
    missing = [c for c in args.missing.split() if c]
    failed = {}
    for core in args.cores.split():
        path = os.path.join(args.synth_dir, core, "result.json")
        if os.path.exists(path):
            with open(path) as f:
                results.append(json.load(f))
            continue
        why = os.path.join(args.synth_dir, core, "failed.txt")
        if os.path.exists(why):
            with open(why) as f:
                failed[core] = f.read().strip()
        else:
            failed[core] = "no result (hdl/synth/synth_core.py did not finish)"
    benches = {b for lst in figs.values() for b, _, _ in lst}
    reports = {b: read_report(os.path.join(args.reports_dir, b + ".txt"))
               for b in sorted(benches)}
    lines = ["_Generated by `%s` (hdl/synth/report.py); the text between "
             "the synth markers is rewritten on each run._" % args.command, "",
             "### FPGA resources, Fmax and throughput", ""]
    fail_lines = []
    for c, why in failed.items():
        fail_lines += ["Synthesis failed: `%s`: %s" % (c, why.replace("|", "\\|")), ""]
    if not results:
        return lines + fail_lines + ["No core has been synthesized yet.", ""], failed
    sections, summaries = [], {}
    for res in results:
        sec, summ = core_section(res, figs.get(res["core"], []), reports)
        sections += sec
        summaries[res["core"]] = summ
    lines += summary_table(results, summaries)
    lines += fail_lines
    for c in missing:
        lines += ["Not synthesized: `%s` (hdl/rtl/crypto/%s.v does not exist)." % (c, c), ""]
    lines += ["### Per core", ""] + sections
    lines += method(results, args)
    return lines, failed


def splice(doc, body):
    text = INTRO + BEGIN + "\n" + END + "\n"
    if os.path.exists(doc):
        with open(doc) as f:
            text = f.read()
    if BEGIN not in text or END not in text:
        text = text.rstrip("\n") + "\n\n" + BEGIN + "\n" + END + "\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new = head + BEGIN + "\n" + "\n".join(body).rstrip("\n") + "\n" + END + tail
    if new != text:
        os.makedirs(os.path.dirname(doc) or ".", exist_ok=True)
        with open(doc, "w") as f:
            f.write(new)
        print("synth: updated %s" % doc)
    else:
        print("synth: %s already up to date" % doc)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--doc", required=True)
    ap.add_argument("--synth-dir", required=True)
    ap.add_argument("--reports-dir", required=True)
    ap.add_argument("--cores", required=True)
    ap.add_argument("--missing", default="")
    ap.add_argument("--figures", nargs="*", default=[])
    ap.add_argument("--requirements", required=True)
    ap.add_argument("--command", default="make synth")
    args = ap.parse_args()
    body, failed = generate(args)
    os.makedirs(args.synth_dir, exist_ok=True)
    with open(os.path.join(args.synth_dir, "report.md"), "w") as f:
        f.write("\n".join(body) + "\n")
    splice(args.doc, body)
    for c, why in failed.items():
        print("synth: %s failed: %s" % (c, why))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
