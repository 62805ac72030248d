#!/usr/bin/env bash
# Proves the known-answer tests can fail: for each vector file, copies the
# vectors with one bit flipped in one expected value (in the first record and,
# separately, in the last) and checks that every implementation that reads
# the file (the OpenSSL unit test and the RTL bench) now fails.
#   mutate-vectors.sh UNIT_BINARY BENCH_DIR
set -uo pipefail

unit=$1
benchdir=$2
# vector file -> the benches that read it
declare -A bench_of=(
  [des.txt]="des tdes_pipe tdes_pipe3" [tdes.txt]="des tdes_pipe tdes_pipe3"
  [sha1.txt]=sha1 [hmac-sha1.txt]=sha1
  [md5.txt]=md5 [hmac-md5.txt]=md5
)

pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Flips the lowest bit of the last hex digit of the expected-output field
# (ct, md or mac) in record number $3 ("first" or "last") of file $1 into $2.
flip() {
  awk -v which="$3" '
    /^(ct|md|mac)[ \t]*=/ { n++; line[n] = NR }
    { text[NR] = $0 }
    END {
      target = (which == "first") ? line[1] : line[n]
      for (i = 1; i <= NR; i++) {
        s = text[i]
        if (i == target) {
          c = substr(s, length(s), 1)
          d = index("0123456789abcdef", tolower(c))
          s = substr(s, 1, length(s) - 1) substr("1032547698badcfe", d, 1)
        }
        print s
      }
    }' "$1" > "$2"
}

for file in "${!bench_of[@]}"; do
  [[ -f tests/vectors/$file ]] || { echo "FAIL: tests/vectors/$file missing"; fail=$((fail + 1)); continue; }
  for which in first last; do
    dir=$tmp/$file-$which
    mkdir -p "$dir"
    cp tests/vectors/*.txt "$dir/"
    flip "tests/vectors/$file" "$dir/$file" "$which"
    if cmp -s "tests/vectors/$file" "$dir/$file"; then
      echo "FAIL: $file: no expected value to flip"; fail=$((fail + 1)); continue
    fi
    if FGATE_VECTORS=$dir "$unit" >/dev/null 2>&1; then
      echo "FAIL: $file ($which record, one bit flipped): OpenSSL unit test still passes"
      fail=$((fail + 1))
    else
      pass=$((pass + 1))
    fi
    for bench in ${bench_of[$file]}; do
      bin=$(ls "$benchdir/$bench"/V* 2>/dev/null | grep -v '\.' | head -n 1)
      if [[ -z "$bin" ]]; then
        echo "FAIL: $file: bench '$bench' not built"; fail=$((fail + 1))
      elif "$bin" --count 1 --vectors "$dir" >/dev/null 2>&1; then
        echo "FAIL: $file ($which record, one bit flipped): bench $bench still passes"
        fail=$((fail + 1))
      else
        pass=$((pass + 1))
      fi
    done
  done
done
echo "vectors-mutation: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
