#!/usr/bin/env bash
# make bench: runs fgate-bench on every engine configuration, OpenSSL speed
# on one core, records the machine, and leaves everything in OUTDIR for
# tests/bench/report.py.
#
#   tests/bench/run.sh OUTDIR FGATE-BENCH [CONFIG...]
#
# FGATE-BENCH is the default build (soft, and sim with N_LANES = $SIM_LANES,
# 1 unless make says otherwise); for each CONFIG (lanes<N> or lanes<N>-r<R>,
# sim/bench.mk), OUTDIR/fgate-bench-<CONFIG> must exist.
set -euo pipefail

OUT=${1:?usage: run.sh OUTDIR FGATE-BENCH [CONFIG...]}
BENCH=${2:?usage: run.sh OUTDIR FGATE-BENCH [CONFIG...]}
shift 2
SIZES=${BENCH_SIZES:-64,512,1400}
SAS=${BENCH_SAS:-8}
DEFAULT=${SIM_LANES:-1}
mkdir -p "$OUT"
rm -f "$OUT"/lanes*.json "$OUT"/lanes*.txt "$OUT"/commands.txt "$OUT"/fmax.txt

SYNTH=${BENCH_SYNTH_DIR:-build/synth/engine}

# fmax CONFIG: "--fmax-mhz F" when make synth-engine measured the engine
# clock of that configuration (nextpnr); for lanes<N>-r<R>, else the Fmax of
# tdes_cbc with ROUNDS = R (make synth-rounds), the lane's slowest core;
# else nothing (fgate-bench's default). The source goes to OUT/fmax.txt
# for report.py.
fmax() {
	local f src=$SYNTH/$1/result.json
	f=$(python3 - "$src" <<-'PY' 2>/dev/null || true
		import json, sys
		fm = json.load(open(sys.argv[1]))["pnr"]["fmax"]
		clk = [v["achieved"] for c, v in fm.items() if c.endswith("clk")] or \
		      [min(v["achieved"] for v in fm.values())]
		print("%.2f" % clk[0])
	PY
	)
	if [[ -z $f && $1 == *-r* ]]; then
		src=${SYNTH_CORE_DIR:-build/synth}/tdes_cbc_r${1##*-r}/result.json
		f=$(python3 -c 'import json, sys; print("%.2f" % json.load(open(sys.argv[1]))["fmax"]["clk"]["median"])' \
			"$src" 2>/dev/null || true)
	fi
	if [[ -n $f ]]; then
		echo "$1 $f $src" >> "$OUT/fmax.txt"
		echo "--fmax-mhz $f"
	fi
}

run() {    # run NAME COMMAND...: output in OUT/NAME.txt, command line kept
	local name=$1
	shift
	echo "$*" >> "$OUT/commands.txt"
	echo "== $*" >&2
	"$@" | tee "$OUT/$name.txt"
}

{
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "model: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "cpus: $(nproc) online ($(sed -n 's/^cpu MHz[[:space:]]*: //p' /proc/cpuinfo | head -n 1) MHz)"
	lscpu | grep -E '^(Architecture|Core\(s\) per socket|Thread\(s\) per core|Hypervisor vendor|L2 cache|L3 cache):' || true
	echo "memory: $(free -g | awk '/^Mem:/ { print $2 " GiB" }')"
	echo "kernel: $(uname -sr)"
	echo "compiler: $(cc --version | head -n 1)"
	echo "verilator: $(verilator --version 2>/dev/null || echo none)"
	echo "openssl: $(openssl version)"
	echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.txt"

# shellcheck disable=SC2046  # fmax prints nothing or one option and its value
run "lanes$DEFAULT" "$BENCH" --offload all --op both --sizes "$SIZES" --sas "$SAS" \
	$(fmax "lanes$DEFAULT") --json "$OUT/lanes$DEFAULT.json" --svg "$OUT/bench.svg"
for c in "$@"; do
	# shellcheck disable=SC2046
	run "$c" "$OUT/fgate-bench-$c" --offload sim --op both --sizes "$SIZES" \
		--sas "$SAS" $(fmax "$c") --json "$OUT/$c.json"
done
# The soft device's use of the cores: CPU time over wall time of a soft run.
echo "/usr/bin/time $BENCH --offload soft --op both --sizes 1400 --sas $SAS --quiet" >> "$OUT/commands.txt"
/usr/bin/time -f 'cpu: %e s wall, %U s user, %S s system' -o "$OUT/soft-cpu.txt" \
	"$BENCH" --offload soft --op both --sizes 1400 --sas "$SAS" --quiet > /dev/null
echo "online cpus: $(nproc)" >> "$OUT/soft-cpu.txt"
run openssl-des openssl speed -mr -seconds 1 -evp des-ede3-cbc
run openssl-sha1 openssl speed -mr -seconds 1 -evp sha1
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
