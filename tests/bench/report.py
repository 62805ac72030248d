#!/usr/bin/env python3
"""Writes the figures of `make bench` into docs/benchmarks.md.

    tests/bench/report.py OUTDIR DOC

OUTDIR is what tests/bench/run.sh left: lanes<N>.json and lanes<N>-r<R>.json
(fgate-bench --json; lanes$SIM_LANES (1 by default) is the default build and
also has the soft rows; -r<R>: TDES_ROUNDS = R instead of $SIM_TDES_ROUNDS),
fmax.txt, machine.txt,
commands.txt, openssl-des.txt and openssl-sha1.txt (openssl speed -mr).
The text between <!-- bench:begin --> and <!-- bench:end --> in DOC is
replaced; the rest of DOC is left alone. Python 3 standard library only.
"""
import glob
import json
import os
import re
import statistics
import sys

BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"
DEFAULT_LANES = int(os.environ.get("SIM_LANES", "1"))   # the default build (sim/rules.mk)
# DES rounds per clock of every simulated configuration (sim/rules.mk).
TDES_ROUNDS = int(os.environ.get("SIM_TDES_ROUNDS", "2"))

# The goals (docs/benchmarks.md, "Goals").
GOAL_BPC_1400 = 4.0        # bytes per cycle, 1400 B, >= 8 SAs, encap and decap
GOAL_BPC_STRETCH = 8.0
GOAL_PPC_64 = 0.02         # packets per cycle at 64 B
GOAL_SIM_CPS = 1e6         # simulated cycles per second, default configuration


CONFIG_RE = re.compile(r"lanes(\d+)(?:-r(\d+))?$")


def parse_config(name):
    """(lanes, rounds) of a configuration name lanes<N>[-r<R>], or None."""
    m = CONFIG_RE.match(name)
    return (int(m.group(1)), int(m.group(2) or TDES_ROUNDS)) if m else None


def load_rows(outdir):
    rows = []
    for path in sorted(glob.glob(os.path.join(outdir, "lanes*.json"))):
        cfg = parse_config(os.path.basename(path)[:-len(".json")])
        if not cfg:
            continue
        with open(path) as f:
            for r in json.load(f):
                sim = r["backend"] == "sim"
                r["lanes"], r["rounds"] = cfg if sim else (None, None)
                rows.append(r)
    return rows


def openssl_speed(path):
    """{size: bytes per second} from `openssl speed -mr` output."""
    sizes, rates = [], []
    try:
        with open(path) as f:
            for line in f:
                if line.startswith("+H:"):
                    sizes = [int(x) for x in line.strip().split(":")[1:]]
                elif line.startswith("+F:"):
                    rates = [float(x) for x in line.strip().split(":")[3:]]
    except OSError:
        return {}
    return dict(zip(sizes, rates))


def read(path, default=""):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def config(r):
    if r["backend"] != "sim":
        return "soft"
    return "sim, N_LANES=%d, TDES_ROUNDS=%d" % (r["lanes"], r["rounds"])


def fmt(v, spec):
    return "" if v is None else format(v, spec)


def table(rows):
    out = ["| configuration | op | size (B) | SAs | packets | wall s | Mbit/s | packets/s "
           "| cycles | B/cycle | packets/cycle | sim cycles/s | Gbit/s at 100 MHz "
           "| Gbit/s at Fmax |",
           "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for r in sorted(rows, key=lambda r: (r["backend"] != "soft", r["rounds"] or 0,
                                         r["lanes"] or 0, r["op"] != "encap", r["size"])):
        out.append("| %s | %s | %d | %d | %d | %.3f | %.1f | %.0f | %s | %s | %s | %s | %s | %s |" % (
            config(r), r["op"], r["size"], r["sas"], r["packets"], r["wall_s"], r["mbps"],
            r["pps"], fmt(r.get("cycles"), "d"), fmt(r.get("bytes_per_cycle"), ".3f"),
            fmt(r.get("packets_per_cycle"), ".5f"), fmt(r.get("sim_cycles_per_s"), ",.0f"),
            fmt(r.get("gbps_100mhz"), ".3f"), fmt(r.get("gbps_fmax"), ".3f")))
    return "\n".join(out)


def best(rows, size, key, op=None):
    cand = [r for r in rows if r["backend"] == "sim" and r["size"] == size and r["sas"] >= 8
            and (op is None or r["op"] == op) and key in r]
    return max(cand, key=lambda r: r[key]) if cand else None


def worst_op(rows, size, key):
    """Per configuration, the lower of encap and decap; then the best one."""
    per = {}
    for r in rows:
        if r["backend"] == "sim" and r["size"] == size and r["sas"] >= 8 and key in r:
            per.setdefault((r["lanes"], r["rounds"]), []).append(r)
    cand = [min(v, key=lambda r: r[key]) for v in per.values() if len(v) >= 2]
    return max(cand, key=lambda r: r[key]) if cand else None


def soft_cpu(outdir):
    """(cores used, online cpus) from soft-cpu.txt (/usr/bin/time), or None."""
    text = read(os.path.join(outdir, "soft-cpu.txt"))
    m = re.search(r"cpu: ([\d.]+) s wall, ([\d.]+) s user, ([\d.]+) s system", text)
    n = re.search(r"online cpus: (\d+)", text)
    if not m or not n or float(m.group(1)) <= 0:
        return None
    return (float(m.group(2)) + float(m.group(3))) / float(m.group(1)), int(n.group(1))


def verdict(ok):
    return "**met**" if ok else "**not met**"


def goals(rows, outdir):
    out = ["| goal | required | measured (best configuration) | verdict |",
           "|---|---|---|---|"]
    r = worst_op(rows, 1400, "bytes_per_cycle")
    if r:
        out.append("| 1400-byte ESP encap and decap, >= 8 SAs | %.1f B/cycle (400 MB/s at 100 MHz) "
                   "| %.3f B/cycle (%s, lower of encap/decap) | %s |"
                   % (GOAL_BPC_1400, r["bytes_per_cycle"], config(r),
                      verdict(r["bytes_per_cycle"] >= GOAL_BPC_1400)))
        out.append("| stretch: the same for PCIe | %.1f B/cycle | %.3f B/cycle | %s |"
                   % (GOAL_BPC_STRETCH, r["bytes_per_cycle"],
                      verdict(r["bytes_per_cycle"] >= GOAL_BPC_STRETCH)))
    r = worst_op(rows, 64, "packets_per_cycle")
    if r:
        out.append("| 64-byte packets | %.2f packets/cycle (2 Mpps at 100 MHz) "
                   "| %.5f packets/cycle (%s, lower of encap/decap) | %s |"
                   % (GOAL_PPC_64, r["packets_per_cycle"], config(r),
                      verdict(r["packets_per_cycle"] >= GOAL_PPC_64)))
    out.append("| the configuration that meets these places and routes at >= 100 MHz on the "
               "LFE5U-45F and fits an Artix-7 35T | | see \"Engine size and Fmax per "
               "configuration\" (make synth-engine) | not measured by make bench |")
    cpu = soft_cpu(outdir)
    if cpu:
        used, n = cpu
        out.append("| the soft backend uses every core | %d cores busy | %.2f cores (CPU time / wall, "
                   "soft 1400 B encap + decap; one worker per online CPU, on a machine shared "
                   "with other jobs: see the load average) | %s |" % (n, used, verdict(used >= 0.75 * n)))
    d = [r["sim_cycles_per_s"] for r in rows
         if r["backend"] == "sim" and r["lanes"] == DEFAULT_LANES and r["rounds"] == TDES_ROUNDS
         and "sim_cycles_per_s" in r]
    if d:
        m = statistics.median(d)
        out.append("| simulation speed, default configuration (%d lane%s) | %.1f M cycles/s "
                   "| %.2f M cycles/s (median of its %d rows, wall clock) | %s |"
                   % (DEFAULT_LANES, "" if DEFAULT_LANES == 1 else "s", GOAL_SIM_CPS / 1e6,
                      m / 1e6, len(d),
                      verdict(m >= GOAL_SIM_CPS)))
    return "\n".join(out)


def scaling(rows):
    out = ["| lanes | TDES_ROUNDS | sim cycles/s (median) | B/cycle at 1400 B (encap / decap) "
           "| B/cycle per lane | packets/cycle at 64 B (encap / decap) "
           "| lanes needed for 4 B/cycle at this rate |",
           "|--:|--:|--:|--:|--:|--:|--:|"]
    for rounds, lanes in sorted({(r["rounds"], r["lanes"]) for r in rows if r["backend"] == "sim"}):
        rs = [r for r in rows if r["backend"] == "sim" and r["lanes"] == lanes
              and r["rounds"] == rounds]
        cps = statistics.median([r["sim_cycles_per_s"] for r in rs])
        get = lambda size, op, key: next((r[key] for r in rs
                                          if r["size"] == size and r["op"] == op), None)
        e, d = get(1400, "encap", "bytes_per_cycle"), get(1400, "decap", "bytes_per_cycle")
        pe, pd = get(64, "encap", "packets_per_cycle"), get(64, "decap", "packets_per_cycle")
        lo = min(x for x in (e, d) if x is not None) if (e or d) else None
        per_lane = lo / lanes if lo else None
        need = "%.0f" % (GOAL_BPC_1400 / per_lane) if per_lane else ""
        out.append("| %d | %d | %s | %s / %s | %s | %s / %s | %s |" % (
            lanes, rounds, format(cps, ",.0f"), fmt(e, ".3f"), fmt(d, ".3f"), fmt(per_lane, ".3f"),
            fmt(pe, ".5f"), fmt(pd, ".5f"), need))
    return "\n".join(out)


def openssl_section(outdir, rows):
    des = openssl_speed(os.path.join(outdir, "openssl-des.txt"))
    sha = openssl_speed(os.path.join(outdir, "openssl-sha1.txt"))
    if not des or not sha:
        return "OpenSSL speed did not run (no output in %s)." % outdir
    sizes = sorted(set(des) & set(sha))
    out = ["| block size (B) | " + " | ".join(str(s) for s in sizes) + " |",
           "|---|" + "--:|" * len(sizes),
           "| des-ede3-cbc MB/s | " + " | ".join("%.1f" % (des[s] / 1e6) for s in sizes) + " |",
           "| sha1 MB/s | " + " | ".join("%.1f" % (sha[s] / 1e6) for s in sizes) + " |",
           "| both, one core (1 / (1/des + 1/sha1)) Mbit/s | " + " | ".join(
               "%.0f" % (8 / (1 / des[s] + 1 / sha[s]) / 1e6) for s in sizes) + " |"]
    s = 1024 if 1024 in des else sizes[-1]
    one_core = 8 / (1 / des[s] + 1 / sha[s]) / 1e6
    text = ["\n".join(out), ""]
    soft = [r for r in rows if r["backend"] == "soft" and r["size"] == 1400]
    for r in soft:
        text.append("- soft %s, 1400 B: %.0f Mbit/s = %.2f x OpenSSL's 3DES + SHA-1 on one core "
                    "at %d-byte blocks (%.0f Mbit/s)." % (r["op"], r["mbps"], r["mbps"] / one_core,
                                                         s, one_core))
    for r in sorted(rows, key=lambda r: (r["rounds"] or 0, r["lanes"] or 0, r["op"] != "encap")):
        if r["backend"] == "sim" and r["size"] == 1400 and "gbps_100mhz" in r:
            text.append("- %s %s, 1400 B: %.0f Mbit/s projected at 100 MHz = %.2f x one "
                        "OpenSSL core." % (config(r), r["op"], r["gbps_100mhz"] * 1000,
                                           r["gbps_100mhz"] * 1000 / one_core))
    return "\n".join(text)


def fmax_text(outdir):
    """Which Fmax each configuration's Gbit/s at Fmax used (run.sh's fmax.txt)."""
    measured = {}
    for line in read(os.path.join(outdir, "fmax.txt")).splitlines():
        f = line.split()
        if len(f) == 3 and parse_config(f[0]):
            measured[parse_config(f[0])] = (float(f[1]), f[2])
    configs = sorted({parse_config(os.path.basename(p)[:-len(".json")])
                      for p in glob.glob(os.path.join(outdir, "lanes*.json"))} - {None},
                     key=lambda c: (c[1], c[0]))
    parts = []
    for n, rounds in configs:
        name = "N_LANES=%d, TDES_ROUNDS=%d" % (n, rounds)
        if (n, rounds) in measured:
            f, src = measured[(n, rounds)]
            how = ("nextpnr, make synth-engine" if "/engine/" in src else
                   "the ECP5 Fmax of tdes_cbc with ROUNDS=%d, the lane's slowest core, "
                   "make synth-rounds" % rounds)
            parts.append("%s at %.1f MHz (%s, %s)" % (name, f, how, src))
        else:
            parts.append("%s at 81.8 MHz (fgate-bench's default: no synth-engine figure; the ECP5 "
                         "Fmax of tdes_cbc with ROUNDS=2 in docs/hdl.md; the engine reports no "
                         "CAPS clock)" % name)
    return "; ".join(parts)


def section(outdir):
    rows = load_rows(outdir)
    machine = read(os.path.join(outdir, "machine.txt"), "(machine.txt missing)")
    commands = read(os.path.join(outdir, "commands.txt"), "(commands.txt missing)")
    fmax = fmax_text(outdir)
    parts = [
        "_Generated by `make bench` (tests/bench/run.sh, tests/bench/report.py); the text "
        "between the bench markers is rewritten on each run._",
        "",
        "### Machine",
        "",
        "```",
        machine,
        "```",
        "",
        "### Commands",
        "",
        "```",
        commands,
        "```",
        "",
        "### fgate-bench (ESP tunnel, 3DES-CBC + HMAC-SHA1-96, every result verified)",
        "",
        "Mbit/s and packets/s are payload bits over wall time: for sim that is the speed of the "
        "simulation, not of the engine. The engine's figures are the per-cycle ones, projected "
        "to Gbit/s at the 100 MHz board clock and at the engine Fmax: " + fmax + ". "
        "TDES_ROUNDS is the DES rounds per clock of each lane's 3DES core.",
        "",
        table(rows),
        "",
        "### Goals of the issue",
        "",
        goals(rows, outdir),
        "",
        "### Engine configurations",
        "",
        scaling(rows),
        "",
        "### OpenSSL on one core (`openssl speed -evp`)",
        "",
        openssl_section(outdir, rows),
    ]
    return "\n".join(parts)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: report.py OUTDIR DOC")
    outdir, doc = sys.argv[1], sys.argv[2]
    with open(doc) as f:
        text = f.read()
    b, e = text.find(BEGIN), text.find(END)
    if b < 0 or e < b:
        sys.exit("report.py: %s has no %s ... %s markers" % (doc, BEGIN, END))
    new = text[:b + len(BEGIN)] + "\n" + section(outdir) + "\n" + text[e:]
    with open(doc + ".tmp", "w") as f:
        f.write(new)
    os.replace(doc + ".tmp", doc)
    print("report.py: %s updated from %s" % (doc, outdir))


if __name__ == "__main__":
    main()
