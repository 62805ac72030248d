#!/usr/bin/env bash
# Run each named suite with `make check-NAME`, keep going when one fails, and
# end with one line "N passed, N failed" summing every suite.
#
# A suite reports its own counts in a line "... N passed, N failed" (the last
# such line of its output counts). A suite that prints no such line counts as
# one test, passed or failed by its exit status; a suite that exits non-zero
# with no failure in its counts gets one failure added, so a crash after the
# summary is never lost.
set -uo pipefail

total_pass=0
total_fail=0
failed_suites=()
logdir=build/logs
mkdir -p "$logdir"

for suite in "$@"; do
  log="$logdir/$suite.log"
  echo "=== $suite"
  make --no-print-directory "check-$suite" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  line=$(grep -Eo '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 || true)
  if [[ -n "$line" ]]; then
    p=${line%% passed*}
    f=${line#*passed, }; f=${f%% failed*}
  elif [[ $rc -eq 0 ]]; then
    p=1; f=0
  else
    p=0; f=1
  fi
  if [[ $rc -ne 0 && $f -eq 0 ]]; then f=1; fi
  total_pass=$((total_pass + p))
  total_fail=$((total_fail + f))
  if [[ $f -ne 0 ]]; then failed_suites+=("$suite"); fi
done

echo
if [[ ${#failed_suites[@]} -ne 0 ]]; then
  echo "failed suites: ${failed_suites[*]} (logs in $logdir/; rerun one with make check-NAME)"
fi
echo "$total_pass passed, $total_fail failed"
[[ $total_fail -eq 0 ]]
