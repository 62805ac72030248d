#!/usr/bin/env bash
# fgatectl against a running fgated whose peer is strongSwan's charon, in
# the namespaces of tests/system/netns.sh. Run as root:
#   tests/system/ctl.sh [path/to/fgated] [path/to/fgatectl]   (OFFLOAD=soft)
# One suite, "system-ctl"; each check prints PASS/FAIL with the reason and
# the last line is "system-ctl: N passed, N failed". fgated starts with
# start_action = none and its control socket in the work directory, then
#   - the socket exists with mode 0600; list-conns shows the connection;
#   - initiate --child net returns at once; list-sas --json shows the
#     child INSTALLED; cookies, SPIs (crossed) and algorithms match
#     swanctl --list-sas on charon's side, in fgated's text and JSON;
#   - a ping crosses the tunnel; stats --json and list-sas count it;
#   - terminate --child removes the child on both sides (the IKE_SA stays);
#     initiate --child again runs Quick Mode on that IKE_SA;
#   - terminate --ike removes everything on both sides; initiate --ike
#     brings the whole connection up again;
#   - reload of a broken file is refused with FILE:LINE, the daemon still
#     answers list-conns with the old configuration; a valid reload with a
#     changed child is listed and used by the next initiate; a reload that
#     drops the connection closes its SAs on both sides;
#   - bad requests (fgatectl and a raw client sending garbage) get one error
#     line and exit 1; fgated keeps answering;
#   - SIGTERM: clean exit, socket removed; fgatectl then exits 2 with
#     "cannot connect ... (is fgated running?)".
# Everything is cleaned up by a trap (KEEP=1 keeps the work directory);
# every wait has a timeout. Packages as tests/system/tunnel.sh, plus
# python3 (Debian's) for reading JSON.
set -u

FGATED=$(readlink -f "${1:-build/bin/fgated}")
FGATECTL=$(readlink -f "${2:-build/bin/fgatectl}")
OFFLOAD=${OFFLOAD:-soft}
SUITE=system-ctl
HERE=$(dirname "$(readlink -f "$0")")
PY=/usr/bin/python3

fail_early() { echo "$SUITE: $*"; echo "$SUITE: 0 passed, 1 failed"; exit 1; }

[[ $(id -u) -eq 0 ]] || fail_early "needs root (network namespaces)"
for t in ip swanctl /usr/lib/ipsec/charon unshare timeout awk ping stat $PY; do
	command -v "$t" >/dev/null || fail_early "missing $t (install: iproute2 strongswan-charon" \
		"strongswan-swanctl libcharon-extra-plugins libstrongswan-extra-plugins" \
		"iputils-ping python3)"
done
for p in openssl kernel-libipsec; do
	[[ -f /usr/lib/ipsec/plugins/libstrongswan-$p.so ]] ||
		fail_early "charon's $p plugin is missing (libcharon-extra-plugins)"
done
[[ -x $FGATED ]] || fail_early "no fgated at $FGATED"
[[ -x $FGATECTL ]] || fail_early "no fgatectl at $FGATECTL"

W=$(mktemp -d /tmp/fgate-ctl.XXXXXX)
chmod 755 "$W"
TAG=c$$
WAIT=${WAIT:-15}
# shellcheck source=tests/system/netns.sh
. "$HERE/netns.sh"
SOCK=$W/fgated.ctl

netns_suite_begin

# ctl ARGS: fgatectl on our socket; stdout to $W/ctl.out, stderr to
# $W/ctl.err, returns its exit status.
ctl() { timeout 20 "$FGATECTL" --socket "$SOCK" "$@" >"$W/ctl.out" 2>"$W/ctl.err"; }
one_line() { tr '\n' ' ' <"$1" | cut -c1-200; }

# json_get FILE EXPR: evaluates a Python expression on the parsed JSON (j).
json_get() {
	$PY -c 'import json, sys
j = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null
}

# The child SA named net in fgated's list-sas --json, as "STATE SPI_IN
# SPI_OUT ENCR INTEG" ("" if none).
fgated_child() {
	ctl list-sas --json || return 1
	cp "$W/ctl.out" "$W/sas.json"
	json_get "$W/sas.json" '" ".join(next(([c["state"], c["spi-in"], c["spi-out"], c["encr-alg"], c["integ-alg"]] for s in j.values() for c in s["child-sas"].values() if c["name"] == "net"), []))'
}
child_installed() { [[ $(fgated_child) == INSTALLED* ]]; }
charon_has_child() { sw --list-sas | grep -q "net: .*INSTALLED"; }
charon_no_child() { ! sw --list-sas | grep -q "net: "; }
charon_no_ike() { ! sw --list-sas | grep -q "^fg: "; }
fgated_no_sas() { ctl list-sas --json && [[ $(json_get "$W/ctl.out" 'len(j)') == 0 ]]; }
fgated_no_child() {
	ctl list-sas --json && [[ $(json_get "$W/ctl.out" 'sum(len(s["child-sas"]) for s in j.values())') == 0 ]]
}

# Compares fgated's view of the SAs with charon's swanctl --list-sas text.
compare_with_charon() {
	local sw_out ours c_cookies o_cookies c_alg o_alg c_child o_child c_in c_out o_in o_out
	sw_out=$(sw --list-sas) || { echo "swanctl --list-sas failed"; return; }
	ctl list-sas || { echo "fgatectl list-sas failed: $(one_line "$W/ctl.err")"; return; }
	ours=$(cat "$W/ctl.out")
	echo "$sw_out" >"$W/swanctl-sas.out"
	# "fg: #1, ESTABLISHED, IKEv1, COOKIE_i[*] COOKIE_r[*]"
	c_cookies=$(sed -n 's/^fg: #[0-9]*, ESTABLISHED, IKEv1, \([0-9a-f]*\)_i\*\{0,1\} \([0-9a-f]*\)_r.*/\1 \2/p' <<<"$sw_out")
	o_cookies=$(sed -n 's/^fg: #[0-9]*, ESTABLISHED, IKEv1, \([0-9a-f]*\)_i\*\{0,1\} \([0-9a-f]*\)_r.*/\1 \2/p' <<<"$ours")
	[[ -n $c_cookies && $c_cookies == "$o_cookies" ]] ||
		{ echo "cookies: charon '$c_cookies', fgated '$o_cookies'"; return; }
	c_alg=$(awk '/^fg: /{f=1; next} f && /^  [A-Z0-9_]+\/[A-Z0-9_\/]+$/ {print $1; exit}' <<<"$sw_out")
	o_alg=$(awk '/^fg: /{f=1; next} f && /^  [A-Z0-9_-]+\/[A-Z0-9_\/]+$/ {print $1; exit}' <<<"$ours")
	[[ -n $c_alg && $c_alg == "$o_alg" ]] ||
		{ echo "IKE algorithms: charon '$c_alg', fgated '$o_alg'"; return; }
	c_child=$(sed -n 's/^  net: .*, \(ESP:[A-Z0-9_\/]*\)$/\1/p' <<<"$sw_out")
	o_child=$(sed -n 's/^  net: .*, \(ESP:[A-Z0-9_\/]*\)$/\1/p' <<<"$ours")
	[[ -n $c_child && $c_child == "$o_child" ]] ||
		{ echo "child algorithms: charon '$c_child', fgated '$o_child'"; return; }
	read -r c_in c_out < <(awk '/^    in  /{i=$2} /^    out /{o=$2} END{print i, o}' <<<"$sw_out" | tr -d ,)
	read -r o_in o_out < <(awk '/^    in  /{i=$2} /^    out /{o=$2} END{print i, o}' <<<"$ours" | tr -d ,)
	[[ -n $c_in && $c_in == "$o_out" && $c_out == "$o_in" ]] ||
		{ echo "SPIs: charon in $c_in out $c_out, fgated in $o_in out $o_out"; return; }
	# the JSON says the same as the text
	read -r _ j_in j_out j_encr j_integ <<<"$(fgated_child)"
	[[ $j_in == "$o_in" && $j_out == "$o_out" && "ESP:$j_encr/$j_integ" == "$c_child" ]] ||
		{ echo "JSON child $j_in $j_out $j_encr/$j_integ differs from the text"; return; }
	[[ $(json_get "$W/sas.json" '"%s_%s/%s/%s/%s/%s" % (j["fg"]["initiator-spi"], j["fg"]["responder-spi"], j["fg"]["encr-alg"], j["fg"]["integ-alg"], j["fg"]["prf-alg"], j["fg"]["dh-group"])') == "${c_cookies/ /_}/$c_alg" ]] ||
		{ echo "JSON IKE_SA differs from charon's $c_cookies $c_alg"; return; }
}

# set_fgated_child ESP_PROPOSALS REKEY_TIME: edits the child in fgated.conf
set_fgated_child() {
	sed -i -e "s/^\(        esp_proposals = \).*/\1$1/" -e "/^        rekey_time = /d" \
		-e "s/^\(        esp_proposals = .*\)/\1\n        rekey_time = $2/" "$W/fgated.conf"
}

echo "$SUITE: fgated $FGATED, fgatectl $FGATECTL, offload $OFFLOAD, work directory $W"
if ! netns_setup; then result setup "cannot create the namespaces"; exit 1; fi
netns_configs 3des-sha1-modp1024 3des-sha1 no
grep -q "control = " "$W/fgated.conf" || sed -i "s|^fgate {|fgate {\n  control = $SOCK|" "$W/fgated.conf"
sed -i "s|^  control = .*|  control = $SOCK|" "$W/fgated.conf"
sed -i 's/log_level = keys/log_level = debug/' "$W/fgated.conf"
start_charon || { result setup "charon did not start: $(tail -3 "$W/charon.out")"; exit 1; }
start_fgated || { result setup "fgated did not start: $(tail -3 "$W/fgated.log")"; exit 1; }

why=; wait_for 5 test -S "$SOCK" || why="no socket at $SOCK"
[[ -z $why && $(stat -c %a "$SOCK") != 600 ]] && why="mode $(stat -c %a "$SOCK"), want 600"
result socket-created "$why"

why=; ctl list-conns || why="exit $?: $(one_line "$W/ctl.err")"
[[ -z $why ]] && ! grep -q "^fg: IKEv1" "$W/ctl.out" && why="no connection fg: $(one_line "$W/ctl.out")"
[[ -z $why ]] && ! grep -q "esp_proposals: 3des-sha1$" "$W/ctl.out" && why="no net child: $(one_line "$W/ctl.out")"
result list-conns "$why"

why=; ctl initiate --child net || why="exit $?: $(one_line "$W/ctl.err")"
[[ -z $why ]] && ! grep -q "started, not yet established" "$W/ctl.out" &&
	why="reply: $(one_line "$W/ctl.out")"
result initiate-child "$why"

why=; wait_for "$WAIT" child_installed || why="list-sas --json: $(one_line "$W/ctl.out")"
[[ -z $why ]] && ! wait_for "$WAIT" charon_has_child && why="charon has no CHILD_SA net installed"
result child-installed "$why"

why=$(compare_with_charon)
result sas-match-charon "$why"

why=; ping_ok() { timeout 20 ip netns exec "$1" ping -c 3 -i 0.2 -W 2 "$2" >"$W/ping.out" 2>&1; }
ping_ok "$NS_H1" 10.2.0.2 || why="ping 10.1.0.2 -> 10.2.0.2: $(tail -2 "$W/ping.out" | head -1)"
result ping-through "$why"

why=; ctl stats --json || why="exit $?: $(one_line "$W/ctl.err")"
if [[ -z $why ]]; then
	read -r tx rx backend ike child < <(json_get "$W/ctl.out" '"%d %d %s %d %d" % (j["traffic"]["tx-packets"], j["traffic"]["rx-packets"], j["offload"]["backend"], j["ike-sas"], j["child-sas"])')
	if (( ${tx:-0} < 3 || ${rx:-0} < 3 )); then why="traffic tx ${tx:-?} rx ${rx:-?}, want >= 3 each"
	elif [[ $backend != "$OFFLOAD" ]]; then why="backend '$backend', want $OFFLOAD"
	elif [[ $ike != 1 || $child != 1 ]]; then why="$ike IKE SAs, $child child SAs, want 1 and 1"; fi
fi
result stats-json-traffic "$why"
why=; ctl stats || why="exit $?: $(one_line "$W/ctl.err")"
[[ -z $why ]] && ! grep -q "^  no_policy: [0-9]*$" "$W/ctl.out" && why="no 'no_policy: N' line: $(one_line "$W/ctl.out")"
[[ -z $why ]] && ! grep -q "^  auth_fail: 0$" "$W/ctl.out" && why="auth_fail not 0: $(one_line "$W/ctl.out")"
result stats-text "$why"
why=; ctl list-sas --json || why="exit $?"
[[ -z $why ]] && (( $(json_get "$W/ctl.out" 'int(j["fg"]["child-sas"]["net-1"]["packets-in"])' || echo 0) < 3 )) &&
	why="packets-in of net below 3: $(one_line "$W/ctl.out")"
result sa-counters "$why"

ike_id=$(json_get "$W/ctl.out" 'j["fg"]["uniqueid"]')
why=; ctl terminate --child net || why="exit $?: $(one_line "$W/ctl.err")"
[[ -z $why ]] && ! wait_for "$WAIT" fgated_no_child && why="fgated still lists a child SA"
[[ -z $why ]] && ! wait_for "$WAIT" charon_no_child && why="charon still has CHILD_SA net"
[[ -z $why ]] && ! sw --list-sas | grep -q "^fg: .*ESTABLISHED" && why="the IKE_SA went too"
result terminate-child "$why"

why=; ctl initiate --child net || why="exit $?: $(one_line "$W/ctl.err")"
[[ -z $why ]] && ! wait_for "$WAIT" child_installed && why="child not installed again"
[[ -z $why ]] && ! wait_for "$WAIT" charon_has_child && why="charon has no CHILD_SA net"
[[ -z $why && $(json_get "$W/sas.json" 'j["fg"]["uniqueid"] + " %d" % len(j)') != "$ike_id 1" ]] &&
	why="not on the same IKE_SA #$ike_id: $(one_line "$W/sas.json")"
result initiate-on-existing-ike "$why"

why=; ctl terminate --ike fg || why="exit $?: $(one_line "$W/ctl.err")"
[[ -z $why ]] && ! wait_for "$WAIT" fgated_no_sas && why="fgated still lists SAs"
[[ -z $why ]] && ! wait_for "$WAIT" charon_no_ike && why="charon still has IKE_SA fg"
result terminate-ike "$why"

# initiate --ike: the whole connection (IKE_SA and its child), then down again
why=; ctl initiate --ike fg || why="exit $?: $(one_line "$W/ctl.err")"
[[ -z $why ]] && ! wait_for "$WAIT" child_installed && why="no child installed"
[[ -z $why ]] && ! wait_for "$WAIT" charon_has_child && why="charon has no CHILD_SA net"
[[ -z $why ]] && { ctl initiate --ike fg; [[ $? != 1 ]]; } && why="a second initiate --ike did not say it is up"
result initiate-ike "$why"
ctl terminate --ike fg; wait_for "$WAIT" fgated_no_sas; wait_for "$WAIT" charon_no_ike

# reload: a broken file is refused, the old configuration stays
cp "$W/fgated.conf" "$W/fgated.conf.good"
sed -i 's/^\(        esp_proposals = \).*/&\n        mode = tunel/' "$W/fgated.conf"
line=$(grep -n "mode = tunel" "$W/fgated.conf" | cut -d: -f1)
why=; ctl reload; rc=$?
if [[ $rc != 1 ]]; then why="exit $rc, want 1"
elif ! grep -q "fgated.conf:$line: .*tunel" "$W/ctl.err"; then why="no FILE:LINE error: $(one_line "$W/ctl.err")"; fi
result reload-broken-refused "$why"
why=; ctl list-conns || why="exit $?: $(one_line "$W/ctl.err")"
[[ -z $why ]] && ! grep -q "esp_proposals: 3des-sha1$" "$W/ctl.out" && why="old config not listed: $(one_line "$W/ctl.out")"
result old-config-kept "$why"

# a valid reload that changes the child: listed, and used by the next initiate
cp "$W/fgated.conf.good" "$W/fgated.conf"
set_fgated_child "des-md5, 3des-sha1" 30m     # life_time: 30m + 10% = 1980 s
why=; ctl reload || why="exit $?: $(one_line "$W/ctl.err")"
[[ -z $why ]] && ! grep -q "^reloaded " "$W/ctl.out" && why="reply: $(one_line "$W/ctl.out")"
[[ -z $why ]] && { ctl list-conns; ! grep -q "esp_proposals: des-md5, 3des-sha1$" "$W/ctl.out" ||
		 ! grep -q "^  net: TUNNEL, rekeying every 1800s" "$W/ctl.out"; } &&
	why="changed child not listed: $(one_line "$W/ctl.out")"
result reload-changed "$why"
why=; ctl initiate --child net || why="exit $?: $(one_line "$W/ctl.err")"
[[ -z $why ]] && ! wait_for "$WAIT" child_installed && why="no child after the reload"
[[ -z $why ]] && ! wait_for "$WAIT" charon_has_child && why="charon has no CHILD_SA net"
[[ -z $why ]] && ! grep "CHILD_SA net established" "$W/fgated.log" | tail -1 | grep -q "lifetime 1980s" &&
	why="the new child's lifetime is not the reloaded one: $(grep "CHILD_SA net established" "$W/fgated.log" | tail -1)"
result initiate-after-reload "$why"

# a reload that drops the connection closes its SAs (DELETE to charon)
sed -i 's/^  fg {/  gw {/' "$W/fgated.conf"
why=; ctl reload || why="exit $?: $(one_line "$W/ctl.err")"
[[ -z $why ]] && ! grep -q "1 IKE_SA(s) of removed connections closed" "$W/ctl.out" &&
	why="reply: $(one_line "$W/ctl.out")"
[[ -z $why ]] && ! wait_for "$WAIT" fgated_no_sas && why="fgated still lists SAs"
[[ -z $why ]] && ! wait_for "$WAIT" charon_no_ike && why="charon still has IKE_SA fg"
[[ -z $why ]] && { ctl list-conns; ! grep -q "^gw: IKEv1" "$W/ctl.out"; } && why="gw not listed"
result reload-removed-conn-closed "$why"

# bad requests: one error line, exit 1, the daemon keeps answering
why=
for req in "frobnicate" "list-sas --xml" "initiate --child nosuch" "terminate --ike nosuch" \
	   "initiate net" "reload now"; do
	# shellcheck disable=SC2086
	ctl $req; rc=$?
	if [[ $rc != 1 ]]; then why="'$req': exit $rc, want 1"; break; fi
	if [[ $(wc -l <"$W/ctl.err") != 1 || -s $W/ctl.out ]]; then
		why="'$req': want one error line: $(one_line "$W/ctl.err")"; break
	fi
done
result bad-commands-exit-1 "$why"
why=
$PY - "$SOCK" >"$W/raw.out" 2>&1 <<'EOP' || why="raw client: $(one_line "$W/raw.out")"
import socket, sys
def ask(data):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(sys.argv[1])
    s.sendall(data)
    out = b""
    while True:
        b = s.recv(65536)
        if not b:
            break
        out += b
    s.close()
    return out
for data in (b"\x00\xff\xfe garbage\n", b"x" * 4000, b"\n", b"stats\x01\n"):
    r = ask(data)
    assert r.startswith(b"error: ") and r.count(b"\n") == 1 and r.endswith(b"\n"), (data[:20], r)
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1]); s.sendall(b"list-"); s.close()          # cut off
assert ask(b"list-conns\n").startswith(b"ok\n")
EOP
result raw-garbage-one-line "$why"
why=; "$FGATECTL" --socket "$SOCK" >/dev/null 2>&1; rc=$?
[[ $rc != 2 ]] && why="no command: exit $rc, want 2"
"$FGATECTL" --help | grep -q "list-sas \[--json\]" || why="--help does not list the commands"
result usage-exit-2 "$why"

why=
stop_fgated || why="fgated exited with status $? on SIGTERM"
grep -q "AddressSanitizer\|LeakSanitizer\|runtime error" "$W/fgated.log" && why="sanitizer report in fgated's log"
[[ -z $why && -e $SOCK ]] && why="socket $SOCK left behind"
result clean-exit-socket-removed "$why"

why=; ctl list-sas; rc=$?
want="fgatectl: cannot connect to $SOCK: No such file or directory (is fgated running?)"
if [[ $rc != 2 ]]; then why="exit $rc, want 2"
elif [[ $(cat "$W/ctl.err") != "$want" ]]; then why="said '$(cat "$W/ctl.err")'"; fi
result no-daemon-exit-2 "$why"

stop_charon
echo "$SUITE: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
