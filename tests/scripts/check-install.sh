#!/bin/bash
# Suite install: `make install` into a staging DESTDIR, twice (PREFIX=/usr
# and the default /usr/local), then `make uninstall`; checks the files,
# their modes, the unit's paths, that a changed configuration survives a
# reinstall and an uninstall, and (when systemd-analyze is there) that the
# unit verifies.
set -u
stage=build/install-test
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "PASS $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
mode_is() { [ "$(stat -c %a "$2" 2>/dev/null)" = "$1" ]; }

run_make() {
	make --no-print-directory -s "$@" > "$stage.log" 2>&1 || { cat "$stage.log"; return 1; }
}

rm -rf "$stage"
check "make install PREFIX=/usr DESTDIR=$stage" run_make install PREFIX=/usr DESTDIR="$PWD/$stage"
for f in sbin/fgated sbin/fgatectl bin/fgate-pcap bin/fgate-bench; do
	check "/usr/$f is installed, mode 755" mode_is 755 "$stage/usr/$f"
done
for m in man8/fgated.8 man8/fgatectl.8 man1/fgate-pcap.1 man1/fgate-bench.1; do
	check "man page $m is installed" test -s "$stage/usr/share/man/$m"
done
unit=$stage/lib/systemd/system/fgated.service
check "the systemd unit is in /lib/systemd/system" test -s "$unit"
check "the unit starts /usr/sbin/fgated with /etc/fgate/fgated.conf" \
	grep -qx 'ExecStart=/usr/sbin/fgated --foreground --config /etc/fgate/fgated.conf' "$unit"
check "the unit restarts fgated on failure" grep -qx 'Restart=on-failure' "$unit"
check "no placeholder is left in the unit" bash -c "! grep -q @ '$unit'"
check "the configuration is in /etc/fgate, mode 600" mode_is 600 "$stage/etc/fgate/fgated.conf"
check "the example configuration is in the doc directory" \
	test -s "$stage/usr/share/doc/fgate/fgated.conf.example"
# systemd-analyze checks that ExecStart exists on this system, so verify
# the unit of an install without DESTDIR under a prefix in build/.
if command -v systemd-analyze >/dev/null; then
	abs=$PWD/$stage-abs
	if run_make install PREFIX="$abs" SYSCONFDIR="$abs/etc" UNITDIR="$abs/unit"; then
		out=$(systemd-analyze verify --man=no "$abs/unit/fgated.service" 2>&1)
		# only complaints about this unit count (the host's own units may warn)
		if grep -q 'fgated.service' <<<"$out"; then bad "systemd-analyze verify: $out"
		else ok "systemd-analyze verify accepts the unit"; fi
	else
		bad "make install PREFIX=$abs"
	fi
	rm -rf "$abs"
else
	bad "systemd-analyze not found (install-deps.sh installs systemd)"
fi

echo "# changed by the admin" >> "$stage/etc/fgate/fgated.conf"
check "a second install" run_make install PREFIX=/usr DESTDIR="$PWD/$stage"
check "a second install keeps the admin's configuration" \
	grep -q 'changed by the admin' "$stage/etc/fgate/fgated.conf"
check "make uninstall" run_make uninstall PREFIX=/usr DESTDIR="$PWD/$stage"
check "uninstall removes the binaries, pages and unit" \
	bash -c "[ -z \"\$(find '$stage' -type f ! -path '*/etc/fgate/*')\" ]"
check "uninstall keeps the configuration" test -s "$stage/etc/fgate/fgated.conf"

rm -rf "$stage"
check "make install with the default PREFIX" run_make install DESTDIR="$PWD/$stage"
check "default PREFIX: /usr/local/sbin/fgated" test -x "$stage/usr/local/sbin/fgated"
check "default PREFIX: configuration in /usr/local/etc/fgate" test -s "$stage/usr/local/etc/fgate/fgated.conf"
check "default PREFIX: unit names /usr/local paths" \
	grep -q '^ExecStart=/usr/local/sbin/fgated .*/usr/local/etc/fgate/fgated.conf' \
	"$stage/usr/local/lib/systemd/system/fgated.service"
rm -rf "$stage" "$stage.log"
echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
