#!/usr/bin/env bash
# Quick synthesizability check of each crypto core (the synth-parse suite).
#   parse.sh OUTDIR CORE...
# For each core, yosys reads hdl/rtl/crypto/CORE.v, pulls in the submodules it
# instantiates from the RTL directories (one module per file, named like the
# file), elaborates with CORE as top and fails on:
#   - missing modules or port mismatches        (hierarchy -check)
#   - multiple drivers, logic loops, undriven   (check -assert)
#   - latches, including one on a for-loop variable that is assigned only
#     in some branches (STYLE: no latches; the synth_ecp5 of the yosys that
#     make synth uses stops with "ERROR: Latch inferred" on these)
#   - asynchronous set/reset flip-flops         (STYLE: synchronous rst)
#   - register initial values / initial blocks  (STYLE: no initial blocks)
# One test per core; a core whose file does not exist yet is skipped.
set -uo pipefail

YOSYS=${YOSYS:-yosys}
out=$1; shift
mkdir -p "$out"
libdirs=()
for d in hdl/rtl/*/; do libdirs+=(-libdir "${d%/}"); done

pass=0; fail=0; skip=0
for core in "$@"; do
  src=hdl/rtl/crypto/$core.v
  if [[ ! -f $src ]]; then
    echo "SKIP: $core ($src does not exist)"
    skip=$((skip + 1)); continue
  fi
  ys=$out/$core.ys
  cat > "$ys" <<YS
read_verilog $src
hierarchy -check -top $core ${libdirs[*]}
proc
check -assert
select -assert-none t:\$dlatch t:\$adlatch t:\$dlatchsr t:\$sr
select -assert-none t:\$adff t:\$adffe t:\$aldff t:\$aldffe t:\$dffsr t:\$dffsre
select -assert-none a:init
YS
  if "$YOSYS" -q -l "$out/$core.log" -s "$ys" >/dev/null 2>&1; then
    echo "ok: $core"
    pass=$((pass + 1))
  else
    echo "FAIL: $core (yosys log: $out/$core.log)"
    { grep -E '^Latch inferred for|^Found async reset|^Found init rule' "$out/$core.log"
      grep -E -A4 '^(ERROR|Warning)' "$out/$core.log"; } | head -n 30
    fail=$((fail + 1))
  fi
done
if [[ $skip -ne 0 ]]; then
  echo "synth-parse: $pass passed, $fail failed, $skip skipped"
else
  echo "synth-parse: $pass passed, $fail failed"
fi
[[ $fail -eq 0 ]]
