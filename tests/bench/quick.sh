#!/usr/bin/env bash
# Suite bench-quick: fgate-bench as a correctness test. Every backend that
# runs without a board (soft, sim, and sim-ft601: the engine behind the
# simulated FT601 bridge, through the usb transport's framing), both
# operations, 8 SAs, a few packets per size; sizes on and across the 8-byte
# block and frame-word boundaries up to the largest payload, and across the
# 1024-byte USB packets for sim-ft601. fgate-bench verifies every result
# (decap of encap gives the original back) and exits non-zero on the first
# wrong one; sim and sim-ft601 rows must also carry the device's cycle
# count. Nothing here looks at time.
#
#   tests/bench/quick.sh build/bin/fgate-bench
set -uo pipefail

BENCH=${1:?usage: quick.sh FGATE-BENCH}
SUITE=bench-quick
SIZES=1,7,8,9,64,333,1400,2014
NSIZES=8
OPS=2
passed=0
failed=0

for backend in soft sim sim-ft601; do
	out=$("$BENCH" --offload "$backend" --op both --sizes "$SIZES" --sas 8 --packets 40 --quiet)
	rc=$?
	printf '%s\n' "$out"
	# The table's backend column is 7 wide: a longer name runs into the op.
	out=$(printf '%s\n' "$out" | sed -E "s/^($backend) *(encap|decap) /\1 \2 /")
	rows=$(printf '%s\n' "$out" | grep -Ec "^$backend (encap|decap) ")
	# A simulated device's row also carries its cycles
	# (offload_device_cycles): 14 columns, a non-zero cycle count.
	if [[ $backend == sim* ]]; then
		rows=$(printf '%s\n' "$out" | awk -v b="$backend" '$1 == b && NF == 14 && $9 > 0' | wc -l)
	fi
	want=$((NSIZES * OPS))
	if [[ $rc -eq 0 && $rows -eq $want ]]; then
		passed=$((passed + rows))
	else
		echo "$SUITE: $backend: exit $rc after $rows of $want rows"
		passed=$((passed + rows))
		failed=$((failed + (want - rows > 0 ? want - rows : 1)))
	fi
done
echo "$SUITE: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
