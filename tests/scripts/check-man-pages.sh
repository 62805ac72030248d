#!/bin/sh
# Suite man-pages: each generated page renders without a groff warning,
# and each long option in its tool's usage text appears in the page (so a
# new option without documentation fails here).
#   check-man-pages.sh MANDIR BINDIR
set -u
man_dir=$1 bin_dir=$2
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "PASS $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

for page in "$man_dir"/*.[18]; do
	name=$(basename "$page"); tool=${name%.*}
	warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
	if [ -z "$warnings" ]; then ok "$name renders cleanly"; else bad "$name: $warnings"; fi
	if [ ! -x "$bin_dir/$tool" ]; then
		bad "$name: no $bin_dir/$tool to compare options with"
		continue
	fi
	opts=$("$bin_dir/$tool" --help 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u)
	missing=
	for o in $opts; do
		# roff escapes each '-' as '\-'
		grep -qF -- "$(printf '%s' "$o" | sed 's/-/\\-/g')" "$page" || missing="$missing $o"
	done
	if [ -n "$opts" ] && [ -z "$missing" ]; then
		ok "$name documents every option of $tool --help ($(echo $opts | wc -w))"
	else
		bad "$name: options of $tool --help not in the page:${missing:- none found in --help}"
	fi
done
echo "man-pages: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
