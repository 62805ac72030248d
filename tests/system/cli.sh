#!/bin/bash
# Suite system-cli: bad command lines, configurations and devices get one
# clear line and a defined exit status from every tool, never a crash; and
# fgated's daemon mode (root: it runs in a network namespace of its own).
#   cli.sh BINDIR
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# expect NAME STATUS REGEX CMD...: CMD exits with STATUS and its stderr
# matches REGEX (extended); a status above 128 (a signal) always fails.
expect() {
	local name=$1 want=$2 re=$3 rc; shift 3
	timeout 20 "$@" > "$tmp/out" 2> "$tmp/err" < /dev/null; rc=$?
	if [ "$rc" -eq "$want" ] && grep -Eq -- "$re" "$tmp/err"; then
		pass=$((pass + 1)); echo "PASS $name"
	else
		fail=$((fail + 1)); echo "FAIL $name: exit $rc (want $want), stderr:"
		sed 's/^/    /' "$tmp/err" | head -n 5
	fi
}

cat > "$tmp/ok.conf" <<'CONF'
connections {
   c {
      version = 1
      local_addrs = 127.0.0.1
      remote_addrs = 127.0.0.2
      proposals = 3des-sha1-modp1024
      local { auth = psk }
      remote { auth = psk }
      children { ch { local_ts = 10.1.0.0/16
                      remote_ts = 10.2.0.0/16
                      esp_proposals = 3des-sha1 } }
   }
}
secrets { ike-1 { secret = abcdefgh } }
CONF
sed 's/version = 1/version = 1\n      versoin = 1/' "$tmp/ok.conf" > "$tmp/typo.conf"
sed 's/3des-sha1-modp1024/3des-sha1-modp9999/' "$tmp/ok.conf" > "$tmp/prop.conf"
head -c 300 "$tmp/ok.conf" > "$tmp/cut.conf"

expect "fgated without --config: usage" 2 'usage: fgated' "$bin/fgated"
expect "fgated with an unknown option: usage" 2 'usage: fgated' "$bin/fgated" --bogus
expect "fgated with a stray argument: usage" 2 'usage: fgated' "$bin/fgated" -c "$tmp/ok.conf" extra
expect "fgated with an unknown log level" 2 "unknown log level 'loud'" \
	"$bin/fgated" -c "$tmp/ok.conf" -d loud
expect "fgated with a missing file" 1 "$tmp/none.conf: No such file" "$bin/fgated" -c "$tmp/none.conf"
expect "fgated with a misspelt key names file:line and key" 1 "typo.conf:4: connections.c.versoin: unknown key" \
	"$bin/fgated" -c "$tmp/typo.conf"
expect "fgated with a bad proposal names file:line" 1 "prop.conf:6: connections.c.proposals: .*modp9999" \
	"$bin/fgated" -c "$tmp/prop.conf"
expect "fgated with a truncated file names file:line" 1 "cut.conf:[0-9]+: " "$bin/fgated" -c "$tmp/cut.conf"
expect "fgated with a directory as config" 1 "$tmp" "$bin/fgated" -c "$tmp"
expect "fgated --offload usb without a board: the clear line" 1 \
	'no FT601 device found \(0403:601f\); use the sim backend' \
	"$bin/fgated" -c "$tmp/ok.conf" --foreground --offload usb
expect "fgated --offload with an unknown backend" 1 'unknown backend "warp"' \
	"$bin/fgated" -c "$tmp/ok.conf" --foreground --offload warp

expect "fgate-pcap without arguments" 2 'fgate-pcap: --sa SPEC is required' "$bin/fgate-pcap"
expect "fgate-pcap with a bad SA names the field" 2 'spi' \
	"$bin/fgate-pcap" --sa spi=7,src=1.2.3.4,dst=1.2.3.5,enc=null,auth=none --encrypt "$tmp/a" "$tmp/b"
expect "fgate-pcap with a missing input file" 2 "$tmp/none.pcap" \
	"$bin/fgate-pcap" --sa spi=0x1000,src=1.2.3.4,dst=1.2.3.5,enc=null,auth=hmac-md5-96:0x00112233445566778899aabbccddeeff \
	--encrypt "$tmp/none.pcap" "$tmp/b"
head -c 10 /dev/urandom > "$tmp/junk.pcap"
expect "fgate-pcap with a file that is not pcap" 2 "junk.pcap" \
	"$bin/fgate-pcap" --sa spi=0x1000,src=1.2.3.4,dst=1.2.3.5,enc=null,auth=hmac-md5-96:0x00112233445566778899aabbccddeeff \
	--encrypt "$tmp/junk.pcap" "$tmp/b"
# An empty capture (LINKTYPE_RAW), so that the device is the only problem.
printf '\xd4\xc3\xb2\xa1\x02\x00\x04\x00\0\0\0\0\0\0\0\0\xff\xff\0\0\x65\0\0\0' > "$tmp/empty.pcap"
expect "fgate-pcap --offload usb without a board" 2 'no FT601 device found' \
	"$bin/fgate-pcap" --offload usb --sa spi=0x1000,src=1.2.3.4,dst=1.2.3.5,enc=null,auth=hmac-md5-96:0x00112233445566778899aabbccddeeff \
	--encrypt "$tmp/empty.pcap" "$tmp/b"

# Without --foreground fgated detaches: the starting command exits 0 once
# the daemon runs (in a network namespace of its own, unshare -n), the
# daemon answers fgatectl, SIGTERM stops it and its socket goes; a start
# that fails exits 1 with the error on the terminal.
daemon_checks() {
	local conf=$tmp/daemon.conf ctl=$tmp/daemon.ctl i
	{ cat "$tmp/ok.conf"; printf 'fgate {\n control = %s\n offload = soft\n}\n' "$ctl"; } > "$conf"
	expect "fgated without --foreground: the start returns 0 once running" 0 '' \
		unshare -n "$bin/fgated" -c "$conf"
	if "$bin/fgatectl" --socket "$ctl" list-conns > "$tmp/out" 2>&1 && grep -q '^c' "$tmp/out"; then
		pass=$((pass + 1)); echo "PASS the detached fgated answers fgatectl"
	else
		fail=$((fail + 1)); echo "FAIL the detached fgated does not answer: $(head -2 "$tmp/out")"
	fi
	pkill -TERM -f "fgated -c $conf"
	# the socket goes first, then the process finishes its shutdown
	for i in $(seq 50); do
		[ -S "$ctl" ] || pgrep -f "fgated -c $conf" > /dev/null || break
		sleep 0.2
	done
	if [ ! -S "$ctl" ] && ! pgrep -f "fgated -c $conf" > /dev/null; then
		pass=$((pass + 1)); echo "PASS the detached fgated stops on SIGTERM and removes its socket"
	else
		fail=$((fail + 1)); echo "FAIL the detached fgated is still there after SIGTERM: $(pgrep -af "fgated -c") socket: $(ls "$ctl" 2>&1)"
		pkill -KILL -f "fgated -c $conf"
	fi
	expect "fgated without --foreground, start fails: exit 1 with the reason" 1 \
		'no FT601 device found' unshare -n "$bin/fgated" -c "$conf" --offload usb
}
if [ "$(id -u)" -eq 0 ]; then
	daemon_checks
else
	fail=$((fail + 1)); echo "FAIL daemon mode: needs root (network namespace, TUN)"
fi

echo "system-cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
