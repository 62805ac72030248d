#!/usr/bin/env python3
"""Writes the figures of `make bench-tunnel` into docs/benchmarks.md.

    tests/bench/tunnel_report.py TUNNEL.JSON DOC

TUNNEL.JSON is what tests/bench/tunnel.sh wrote: {"machine": {...},
"commands": [...], "rows": [...]}, one row per iperf3 run (config, esp,
direction, run, status, why, mbits, retransmits, packets_per_s, cpu_a,
cpu_b, load1, ...). Only rows with status "ok" are figures; failed rows are
listed with their reason. The text between <!-- tunnel:begin --> and
<!-- tunnel:end --> in DOC is replaced; the rest of DOC is left alone.
Python 3 standard library only.
"""
import json
import statistics
import sys

BEGIN = "<!-- tunnel:begin -->"
END = "<!-- tunnel:end -->"

CONFIGS = [
    ("plain", "Plain veths, routed, no IPsec (the ceiling)"),
    ("charon-charon", "charon <-> charon, kernel-libipsec on both gateways (the reference)"),
    ("fgated-charon", "fgated (soft backend) on A <-> charon (kernel-libipsec) on B"),
    ("fgated-fgated", "fgated (soft) <-> fgated (soft)"),
    ("fgated-sim", "fgated (sim backend) <-> fgated (sim): the Verilator model of the engine"),
]
DIRS = [("h1-h2", "H1 -> H2"), ("h2-h1", "H2 -> H1")]
REFERENCE = "charon-charon"


def ok_rows(rows, config, esp=None, direction=None):
    return [r for r in rows if r["status"] == "ok" and r["config"] == config
            and (esp is None or r["esp"] == esp)
            and (direction is None or r["direction"] == direction)]


def num(v, spec=".1f"):
    return "" if v is None else format(v, spec)


def mbit(v):
    """Mbit/s with a precision that suits the size."""
    if v is None:
        return ""
    if v >= 1000:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    return "%.2f" % v


class Stats:
    def __init__(self, rows):
        self.rows = sorted(rows, key=lambda r: r["run"])
        vals = [r["mbits"] for r in self.rows]
        self.n = len(vals)
        self.vals = vals
        self.best = max(vals) if vals else None
        self.median = statistics.median(vals) if vals else None
        self.low = min(vals) if vals else None
        self.spread = (self.best - self.low) if vals else None

    def med(self, key):
        vals = [r[key] for r in self.rows if r.get(key) is not None]
        return statistics.median(vals) if vals else None

    def per_cpu(self):
        """Mbit/s per CPU-second of gateway A's daemon (median over runs)."""
        vals = [r["mbits"] / r["cpu_a"] for r in self.rows if r.get("cpu_a")]
        return statistics.median(vals) if vals else None


def esps(rows, config):
    seen = []
    for r in rows:
        if r["config"] == config and r["esp"] not in seen:
            seen.append(r["esp"])
    return seen


def config_table(rows, config):
    out = ["| ESP | direction | runs (Mbit/s) | best | median | spread (max - min) "
           "| retransmits (median) | tunnel packets/s (median) | CPU of A / B daemon "
           "| Mbit/s per CPU of A | load (1 min) at start |",
           "|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|"]
    for esp in esps(rows, config):
        for d, dname in DIRS:
            s = Stats(ok_rows(rows, config, esp, d))
            if not s.n:
                continue
            spread = mbit(s.spread)
            if s.n > 1 and s.median:
                spread += " (%.0f%%)" % (100.0 * s.spread / s.median)
            elif s.n == 1:
                spread = "one run"
            cpu = ""
            if s.med("cpu_a") is not None:
                cpu = "%.2f / %.2f" % (s.med("cpu_a"), s.med("cpu_b"))
            loads = [r["load1"] for r in s.rows]
            load = ("%.2f" % loads[0] if len(set(loads)) == 1
                    else "%.2f - %.2f" % (min(loads), max(loads)))
            out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                esp or "none", dname, ", ".join(mbit(v) for v in s.vals), mbit(s.best),
                mbit(s.median), spread, num(s.med("retransmits"), ".0f"),
                num(s.med("packets_per_s"), ".0f"), cpu, mbit(s.per_cpu()), load))
    return out


def summary_table(rows):
    out = ["| configuration | ESP | H1 -> H2 best / median | H2 -> H1 best / median "
           "| vs charon <-> charon: best / median (both directions) |",
           "|---|---|--:|--:|--:|"]
    for config, _ in CONFIGS:
        for esp in esps(rows, config):
            cells = []
            both = Stats(ok_rows(rows, config, esp))
            if not both.n:
                continue
            for d, _ in DIRS:
                s = Stats(ok_rows(rows, config, esp, d))
                cells.append("%s / %s" % (mbit(s.best), mbit(s.median)) if s.n else "failed")
            ref = Stats(ok_rows(rows, REFERENCE, esp))
            ratio = ""
            if config == "fgated-sim":
                ratio = "functional model"
            elif ref.n and config not in (REFERENCE, "plain"):
                ratio = "%.2f x / %.2f x" % (both.best / ref.best, both.median / ref.median)
            out.append("| %s | %s | %s | %s | %s |" % (config, esp or "none", cells[0],
                                                      cells[1], ratio))
    return out


def meaning(rows, m):
    """A few sentences on what the figures say, from the figures. Comparisons
    use the best run of both directions: on a shared machine the best run is
    the least disturbed one (the medians and spreads are in the tables)."""
    out = []

    def best(config, esp):
        s = Stats(ok_rows(rows, config, esp))
        return s.best

    def med(config, esp, key):
        vals = [r[key] for r in ok_rows(rows, config, esp) if r.get(key) is not None]
        return statistics.median(vals) if vals else None

    def per_cpu(config, esp):
        return Stats(ok_rows(rows, config, esp)).per_cpu()

    def compare(a, b):
        """'x.xx x' and a word for a / b."""
        r = a / b
        word = ("about the same" if 0.9 <= r <= 1.1 else
                "%.0f%% more" % (100 * (r - 1)) if r > 1 else "%.0f%% less" % (100 * (1 - r)))
        return "%.2f x, %s" % (r, word)

    plain = best("plain", "")
    ref = best(REFERENCE, "3des-sha1")
    soft = best("fgated-fgated", "3des-sha1")
    mixed = best("fgated-charon", "3des-sha1")
    sim = best("fgated-sim", "3des-sha1")
    sim_pps = med("fgated-sim", "3des-sha1", "packets_per_s")

    out.append(
        "- Everything runs on one %d-CPU machine: both gateways, both iperf3 ends and the "
        "kernel's forwarding share its CPUs, so a tunnel figure is what this machine does with "
        "both ends of the tunnel at once, not what one gateway would do on its own. Other "
        "engineers' jobs ran at the same time (load average %s before, %s after, and per run "
        "in the tables), which is what the spreads show; comparisons below use the best run "
        "of both directions, the least disturbed one."
        % (m.get("nproc", 0), m.get("load_before", "?"), m.get("load_after", "?")))
    if plain and ref:
        out.append(
            "- The same veths without IPsec carry %s Mbit/s, %.0f times the 3des-sha1 "
            "reference: every IPsec figure here is bound by the CPU the gateways spend per "
            "packet, not by the links." % (mbit(plain), plain / ref))
    if ref and soft:
        line = ("- 3des-sha1, best run: charon <-> charon %s Mbit/s; fgated (soft) <-> fgated "
                "(soft) %s Mbit/s (%s)" % (mbit(ref), mbit(soft), compare(soft, ref)))
        if mixed:
            line += "; fgated <-> charon %s Mbit/s (%s)" % (mbit(mixed), compare(mixed, ref))
        out.append(line + ". Both are user-space ESP with OpenSSL's 3DES doing the "
                   "work (about 28 MB/s, some 220 Mbit/s, of des-ede3-cbc on one core of this "
                   "machine, see the OpenSSL table above), and each also pays per packet a TUN "
                   "read or write, a UDP socket call and the copies between them, in each "
                   "gateway.")
    cpu = {c: per_cpu(c, "3des-sha1") for c in (REFERENCE, "fgated-fgated", "fgated-charon")}
    use = {c: med(c, "3des-sha1", "cpu_a") for c in cpu}
    if all(cpu.values()) and all(use.values()):
        out.append(
            "- Per CPU second of gateway A's daemon (all its threads), median over the "
            "3des-sha1 runs: charon %s Mbit/s, fgated facing fgated %s, fgated facing charon "
            "%s; the daemon on A used %.2f, %.2f and %.2f of a CPU. That is the fairer "
            "comparison on a shared machine, since neither daemon gets a CPU to itself. "
            "charon's kernel-libipsec runs ESP in charon's own threads, taking plaintext "
            "from its ipsec0 TUN; fgated reads its TUN and its UDP socket in one event loop "
            "and hands each packet to the offload device, whose soft backend runs the crypto "
            "on a pool of one worker thread per CPU (%d here), which spreads even one SA's "
            "packets over the workers (\"The soft backend on every core\" above); each "
            "packet also costs a hand-off between threads (the profile above). Spreading "
            "needs a free CPU, and here there is little: the two gateways, iperf3 and the "
            "other jobs share them."
            % (mbit(cpu[REFERENCE]), mbit(cpu["fgated-fgated"]), mbit(cpu["fgated-charon"]),
               use[REFERENCE], use["fgated-fgated"], use["fgated-charon"], m.get("nproc", 0)))
    des_ref, des_mixed = best(REFERENCE, "des-md5"), best("fgated-charon", "des-md5")
    if des_ref and ref:
        gains = [des_ref / ref]
        line = ("- des-md5, best run: charon <-> charon %s Mbit/s (%.1f x its 3des-sha1)"
                % (mbit(des_ref), des_ref / ref))
        if des_mixed and mixed:
            gains.append(des_mixed / mixed)
            line += ", fgated <-> charon %s Mbit/s (%.1f x)" % (mbit(des_mixed), des_mixed / mixed)
        line += ". Single DES does a third of 3DES's work per block"
        if max(gains) < 2.7:
            line += (", yet the tunnels gain less than 3 x: the per-packet costs that do not "
                     "depend on the cipher (TUN, sockets, copies, the hand-offs, TCP itself on "
                     "the same CPUs) weigh more once the cipher is cheaper")
        out.append(line + ".")
    if sim:
        out.append(
            "- The sim backend is a functional model, not a speed figure: every ESP packet "
            "goes through the Verilator simulation of the engine's RTL cycle by cycle (well "
            "under a million simulated cycles per second on this machine, see the fgate-bench "
            "table), so the tunnel carries %s Mbit/s at best (%s packets/s through A's SAs, "
            "data and ACKs, median), one run each way. What it shows is that SAs negotiated "
            "by IKE, the engine's ESP and TCP work together end to end; what the engine itself "
            "would do on the board is its per-cycle figure above, projected at its clock."
            % (mbit(sim), num(sim_pps, ".0f")))
    return out


def render(data):
    m = data.get("machine", {})
    rows = data.get("rows", [])
    out = ["_Generated by `make bench-tunnel` (tests/bench/tunnel.sh, "
           "tests/bench/tunnel_report.py); the text between the tunnel markers is rewritten "
           "on each run._", "", "### Machine", "", "```"]
    for key in ("date", "cpu", "nproc", "kernel", "strongswan", "iperf3", "openssl", "fgated",
                "tree", "load_before", "load_after", "seconds_per_run", "runs"):
        if key in m:
            out.append("%s: %s" % (key.replace("_", " "), m[key]))
    out += ["```", "", "### Commands", "", "```", "make bench-tunnel"]
    out += data.get("commands", [])
    out += ["```", "",
            "Mbit/s is iperf3's receiver figure (TCP payload over %s s); the retransmits are "
            "the sender's. A run counts only if gateway A's CHILD_SA byte counters "
            "(`swanctl --list-sas`, `fgatectl list-sas`) grew in the run's direction by at "
            "least the bytes the receiver got. CPU is the daemon's CPU time (all its threads) "
            "over the run's wall time, on gateway A (initiator, H1's side) and B. "
            "Tunnel packets/s counts both directions of A's SAs (data and ACKs)."
            % m.get("seconds_per_run", "?"), "", "### Summary (Mbit/s)", ""]
    out += summary_table(rows)
    for config, title in CONFIGS:
        if not any(r["config"] == config for r in rows):
            continue
        out += ["", "### %s" % title, ""]
        if ok_rows(rows, config):
            out += config_table(rows, config)
        failed = [r for r in rows if r["config"] == config and r["status"] != "ok"]
        if failed:
            out.append("")
            for r in failed:
                where = ("%s run %d" % (dict(DIRS).get(r["direction"], r["direction"]), r["run"])
                         if r.get("direction") else "setup")
                out.append("- failed, %s %s: %s" % (r["esp"] or "", where, r["why"]))
    out += ["", "### What the numbers mean", ""]
    out += meaning(rows, m)
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: tunnel_report.py TUNNEL.JSON DOC")
    with open(sys.argv[1]) as f:
        data = json.load(f)
    with open(sys.argv[2]) as f:
        doc = f.read()
    b, e = doc.find(BEGIN), doc.find(END)
    if b < 0 or e < b:
        sys.exit("tunnel_report.py: %s has no %s ... %s section" % (sys.argv[2], BEGIN, END))
    doc = doc[:b + len(BEGIN)] + "\n" + render(data) + doc[e:]
    with open(sys.argv[2], "w") as f:
        f.write(doc)


if __name__ == "__main__":
    main()
