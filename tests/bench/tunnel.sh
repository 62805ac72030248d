#!/usr/bin/env bash
# make bench-tunnel: iperf3 TCP through real IPsec tunnels in the network
# namespaces of tests/system/netns.sh (H1 - A - B - H2), strongSwan's
# kernel-libipsec next to fgated. Run as root:
#
#   tests/bench/tunnel.sh FGATED OUTDIR
#
# fgatectl is taken from FGATED's directory. Configurations (ESP in UDP
# 4500, IKEv1 Main Mode + Quick Mode, PSK; A initiates):
#   charon-charon   charon <-> charon, both kernel-libipsec (the reference;
#                   the second charon runs on A in its own mount namespace
#                   with its own vici socket), 3des-sha1 and des-md5
#   fgated-charon   fgated (soft backend) on A <-> charon on B, 3des-sha1
#                   and des-md5
#   fgated-fgated   fgated (soft) <-> fgated (soft), 3des-sha1
#   fgated-sim      fgated (sim) <-> fgated (sim), 3des-sha1: the Verilator
#                   model, well under 1 Mbit/s; one run each way
#   plain           the same veths, routed, without IPsec (the ceiling);
#                   one run each way
# Each run is iperf3 TCP for TUNNEL_SECS (10) seconds, H1 -> H2 and then
# H2 -> H1, TUNNEL_RUNS (3) times each. A run counts only if A's child SA
# byte counters (swanctl --list-sas or fgatectl list-sas) grew, in the
# run's direction, by at least the bytes iperf3's receiver got; otherwise
# its row is "failed" with the reason, and carries no figure. Every row
# also has the 1-minute load average at its start, and the CPU time the two
# gateway daemons used over the run's wall time.
#
# Leaves OUTDIR/tunnel.json ({"machine": {...}, "commands": [...], "rows":
# [...]}) for tests/bench/tunnel_report.py, and OUTDIR/logs/ (daemon logs
# of the last configuration that failed, if any). Everything (namespaces,
# daemons, iperf3) is cleaned up on exit and on Ctrl-C; KEEP=1 keeps the
# work directory. TUNNEL_ONLY="plain fgated-sim ..." runs only those
# configurations. Exit status 0 when every row is a measurement, 1 when any
# failed (tunnel.json is written either way). Packages: iproute2 strongswan-charon strongswan-swanctl
# libcharon-extra-plugins libstrongswan-extra-plugins iperf3 python3
# (make deps installs them).
set -u

usage() { echo "usage: tunnel.sh FGATED OUTDIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
SECS=${TUNNEL_SECS:-10}
RUNS=${TUNNEL_RUNS:-3}
ONLY=${TUNNEL_ONLY:-plain charon-charon fgated-charon fgated-fgated fgated-sim}
HERE=$(dirname "$(readlink -f "$0")")
PY=/usr/bin/python3

die() { echo "tunnel.sh: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "needs root (network namespaces)"
for t in ip swanctl /usr/lib/ipsec/charon unshare timeout awk iperf3 $PY; do
	command -v "$t" >/dev/null || die "missing $t (install: iproute2 strongswan-charon" \
		"strongswan-swanctl libcharon-extra-plugins libstrongswan-extra-plugins iperf3 python3;" \
		"make deps)"
done
for p in openssl kernel-libipsec; do
	[[ -f /usr/lib/ipsec/plugins/libstrongswan-$p.so ]] ||
		die "charon's $p plugin is missing (libcharon-extra-plugins)"
done
SRC_FGATED=$(readlink -f "$1")
[[ -x $SRC_FGATED ]] || die "no fgated at $1"
[[ -x $(dirname "$SRC_FGATED")/fgatectl ]] || die "no fgatectl next to $SRC_FGATED"
OUT=$2
mkdir -p "$OUT" || die "cannot create $OUT"
OUT=$(readlink -f "$OUT")

W=$(mktemp -d /tmp/fgate-tbench.XXXXXX)
chmod 755 "$W"
# Private copies: a rebuild by someone else in the middle of the run must
# not change the binary being measured.
mkdir "$W/bin"
if ! cp "$SRC_FGATED" "$W/bin/fgated" || ! cp "$(dirname "$SRC_FGATED")/fgatectl" "$W/bin/"; then
	die "cannot copy fgated and fgatectl"
fi
FGATED=$W/bin/fgated
FGATECTL=$W/bin/fgatectl
OFFLOAD=soft
TAG=t$$
# shellcheck source=tests/system/netns.sh
. "$HERE/../system/netns.sh"

VICI_A="unix://$W/charon-a.vici"
charon_a_pid='' iperf_srv_pid='' iperf_cli_pid=''
ROWS=$W/rows.jsonl
: >"$ROWS"

cleanup() {
	local p
	for p in $iperf_cli_pid $iperf_srv_pid; do kill -TERM "$p" 2>/dev/null; done
	for p in $iperf_cli_pid $iperf_srv_pid; do
		wait_for 5 bash -c "! kill -0 $p" || kill -KILL "$p" 2>/dev/null
	done
	[[ -n $charon_a_pid ]] && kill -KILL "$charon_a_pid" 2>/dev/null
	netns_cleanup
	charon_a_pid='' iperf_srv_pid='' iperf_cli_pid=''
	if [[ -n ${KEEP:-} ]]; then echo "tunnel.sh: kept $W" >&2; else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

swa() { timeout 10 ip netns exec "$NS_A" swanctl "$@" --uri "$VICI_A"; }

# Between configurations and at the end: netns_cleanup, after the second
# charon, which it does not know (its final wait would wait for it).
teardown() {
	stop_pid "$charon_a_pid"
	charon_a_pid=''
	netns_cleanup
}

# The reference's second charon, on A: its own strongswan.conf, vici
# socket, log and mount namespace (charon's pid file lives in /run).
configs_charon_a() {
	local ike=$1 esp=$2
	sed -e "s|$W/charon.vici|$W/charon-a.vici|" -e "s|$W/charon.log|$W/charon-a.log|" \
		"$W/strongswan.conf" >"$W/strongswan-a.conf"
	cat >"$W/swanctl-a.conf" <<EOC
connections {
  fg {
    version = 1
    local_addrs = 192.0.2.1
    remote_addrs = 192.0.2.2
    proposals = $ike
    encap = yes
    local { auth = psk }
    remote { auth = psk }
    children {
      net {
        local_ts = 10.1.0.0/24
        remote_ts = 10.2.0.0/24
        esp_proposals = $esp
        start_action = start
      }
    }
  }
}
secrets { ike-fg { secret = "fgate-system-psk" } }
EOC
}

start_charon_a() {
	rm -f "$W/charon-a.log" "$W/charon-a.vici"
	ip netns exec "$NS_A" unshare -m sh -c \
		"mount -t tmpfs tmpfs /run && STRONGSWAN_CONF=$W/strongswan-a.conf exec /usr/lib/ipsec/charon" \
		>"$W/charon-a.out" 2>&1 &
	charon_a_pid=$!
	wait_for "$WAIT" test -S "$W/charon-a.vici" || return 1
	wait_for "$WAIT" swa --stats || return 1
	swa --load-all --file "$W/swanctl-a.conf" >"$W/swanctl-a-load.out" 2>&1
}

tunnel_up_charon_a() {
	swa --list-sas | grep -q "net: .*INSTALLED" && sw --list-sas | grep -q "net: .*INSTALLED"
}

# Gateway A's CHILD_SA counters, summed over its child SAs:
# "BYTES_IN BYTES_OUT PACKETS_IN PACKETS_OUT" (A_DAEMON charon or fgated).
sa_counters() {
	local raw
	if [[ $A_DAEMON == charon ]]; then
		raw=$(swa --list-sas --raw 2>>"$W/ctl.err") || return 1
	else
		raw=$("$FGATECTL" --socket "$W/fgated.ctl" list-sas --json 2>>"$W/ctl.err") || return 1
	fi
	grep -o '"\?\(bytes\|packets\)-\(in\|out\)"\?[=:] *"\?[0-9]*' <<<"$raw" | tr -d '" ' |
		awk -F'[=:]' '{ s[$1] += $2 }
		END { printf "%d %d %d %d\n", s["bytes-in"], s["bytes-out"], s["packets-in"], s["packets-out"] }'
}

cpu_ticks() {   # utime + stime of PID, in clock ticks (0 without a PID)
	[[ -n ${1:-} && -r /proc/$1/stat ]] || { echo 0; return; }
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# measure CONFIG ESP DIRECTION RUN: one iperf3 transfer, one row.
measure() {
	local config=$1 esp=$2 dir=$3 runno=$4 from srv_ns addr load c0 c1 ta0 ta1 tb0 tb1 t0 t1 rc
	if [[ $dir == h1-h2 ]]; then from=$NS_H1 srv_ns=$NS_H2 addr=10.2.0.2
	else from=$NS_H2 srv_ns=$NS_H1 addr=10.1.0.2; fi
	load=$(cut -d' ' -f1 /proc/loadavg)
	# (ip netns exec execs timeout: the pids are timeout's, which passes a
	# SIGTERM on to iperf3; timeout runs in its own process group, so a
	# Ctrl-C does not reach iperf3: the cleanup stops both by pid)
	ip netns exec "$srv_ns" timeout $((SECS + 90)) iperf3 -s -1 -B "$addr" \
		>"$W/iperf-s.out" 2>&1 &
	iperf_srv_pid=$!
	wait_for 10 bash -c "ip netns exec $srv_ns ss -ltn | grep -q ':5201'"
	c0=$( [[ $A_DAEMON == none ]] && echo "0 0 0 0" || sa_counters) || c0=
	ta0=$(cpu_ticks "$PID_A") tb0=$(cpu_ticks "$PID_B") t0=$(date +%s.%N)
	ip netns exec "$from" timeout $((SECS + 60)) iperf3 -c "$addr" -t "$SECS" -J \
		--connect-timeout 10000 >"$W/iperf.json" 2>"$W/iperf.err" &
	iperf_cli_pid=$!
	wait "$iperf_cli_pid"   # a trapped signal interrupts this wait at once
	rc=$?
	iperf_cli_pid=
	t1=$(date +%s.%N) ta1=$(cpu_ticks "$PID_A") tb1=$(cpu_ticks "$PID_B")
	c1=$( [[ $A_DAEMON == none ]] && echo "0 0 0 0" || sa_counters) || c1=
	wait_for 15 bash -c "! kill -0 $iperf_srv_pid" || kill -TERM "$iperf_srv_pid" 2>/dev/null
	wait "$iperf_srv_pid" 2>/dev/null
	iperf_srv_pid=
	$PY "$W/row.py" "$W/iperf.json" "$rc" "$config" "$esp" "$dir" "$runno" "$load" \
		"$c0" "$c1" "$ta0" "$ta1" "$tb0" "$tb1" "$t0" "$t1" "$A_DAEMON" "$(getconf CLK_TCK)" \
		"$W/iperf.err" >>"$ROWS"
	tail -1 "$ROWS" | $PY -c 'import json, sys; r = json.loads(sys.stdin.read())
print("  %-14s %-9s %-6s run %d: %s" % (r["config"], r["esp"], r["direction"], r["run"],
      "%.2f Mbit/s, %d retransmits, %s, load %.2f" % (r["mbits"], r["retransmits"],
      "no SA" if r["packets_per_s"] is None else "%.0f packets/s" % r["packets_per_s"],
      r["load1"]) if r["status"] == "ok" else "FAILED: " + r["why"]))'
}

# A row that is not a measurement: the configuration did not come up.
failed_row() {  # CONFIG ESP WHY
	$PY -c 'import json, sys
print(json.dumps({"config": sys.argv[1], "esp": sys.argv[2], "direction": None, "run": 0,
                  "status": "failed", "why": sys.argv[3], "mbits": None}))' "$@" >>"$ROWS"
	echo "  $1 $2: FAILED: $3"
	mkdir -p "$OUT/logs"
	cp "$W"/*.log "$W"/*.out "$OUT/logs/" 2>/dev/null
}

cat >"$W/row.py" <<'EOP'
import json, sys
(path, rc, config, esp, direction, runno, load, c0, c1, ta0, ta1, tb0, tb1, t0, t1,
 a_daemon, tck, errpath) = sys.argv[1:]
row = {"config": config, "esp": esp, "direction": direction, "run": int(runno),
       "load1": float(load), "status": "failed", "why": "", "mbits": None}
wall = float(t1) - float(t0)
row["wall_s"] = round(wall, 3)
tck = float(tck)
row["cpu_a"] = round((int(ta1) - int(ta0)) / tck / wall, 3) if a_daemon != "none" else None
row["cpu_b"] = round((int(tb1) - int(tb0)) / tck / wall, 3) if a_daemon != "none" else None
try:
    j = json.load(open(path))
except (OSError, ValueError):
    j = {}
    try:
        err = open(errpath).read().strip().splitlines()
    except OSError:
        err = []
    row["why"] = "iperf3 exit %s, no JSON: %s" % (rc, err[-1] if err else "")
end = j.get("end", {})
if j and (j.get("error") or "sum_received" not in end):
    row["why"] = "iperf3 exit %s: %s" % (rc, j.get("error", "no end summary"))
elif j:
    recv, sent = end["sum_received"], end["sum_sent"]
    row.update(seconds=round(recv["seconds"], 3), bytes=recv["bytes"],
               mbits=round(recv["bits_per_second"] / 1e6, 3),
               sender_mbits=round(sent["bits_per_second"] / 1e6, 3),
               retransmits=sent.get("retransmits", 0))
    if a_daemon == "none":
        row.update(status="ok", sa_bytes=None, packets_per_s=None)
    else:
        try:
            b = [int(x) for x in c0.split()]
            a = [int(x) for x in c1.split()]
            if len(a) != 4 or len(b) != 4:
                raise ValueError
        except ValueError:
            row["why"] = "no SA counters from gateway A (%s) before and after" % a_daemon
        else:
            d = [x - y for x, y in zip(a, b)]
            # H1 -> H2 leaves A through the tunnel (out), H2 -> H1 enters it (in)
            sa_bytes = d[1] if direction == "h1-h2" else d[0]
            row["sa_bytes"] = sa_bytes
            row["sa_packets"] = d[2] + d[3]
            secs = recv["seconds"]
            row["packets_per_s"] = round((d[2] + d[3]) / secs, 1) if secs else None
            if recv["bytes"] <= 0:
                row["why"] = "iperf3's receiver got nothing"
            elif sa_bytes < recv["bytes"]:
                row["why"] = ("%s's SA counters grew by %d bytes %s, less than the %d bytes "
                              "iperf3 received: not carried by the tunnel" % (
                                  a_daemon, sa_bytes, "out" if direction == "h1-h2" else "in",
                                  recv["bytes"]))
            else:
                row["status"] = "ok"
if row["status"] != "ok":
    row["mbits"] = None
print(json.dumps(row))
EOP

# bring_up CONFIG IKE ESP: fresh namespaces and daemons; sets A_DAEMON,
# PID_A, PID_B; returns non-zero with the reason in $why.
bring_up() {
	local config=$1 ike=$2 esp=$3
	teardown
	why=
	netns_setup || { why="cannot create the namespaces"; return 1; }
	netns_configs "$ike" "$esp" yes
	PID_A='' PID_B=''
	case $config in
	plain)
		A_DAEMON=none
		if ! ip -n "$NS_A" route add 10.2.0.0/24 via 192.0.2.2 ||
		   ! ip -n "$NS_B" route add 10.1.0.0/24 via 192.0.2.1; then
			why="cannot add the routes"; return 1
		fi
		;;
	charon-charon)
		A_DAEMON=charon
		configs_charon_a "$ike" "$esp"
		start_charon || { why="charon on B did not start"; return 1; }
		start_charon_a || { why="charon on A did not start"; return 1; }
		PID_A=$charon_a_pid PID_B=$charon_pid
		wait_for "$WAIT" tunnel_up_charon_a || { why="no CHILD_SA installed on both charons"; return 1; }
		;;
	fgated-charon)
		A_DAEMON=fgated OFFLOAD=soft
		start_charon || { why="charon on B did not start"; return 1; }
		start_fgated || { why="fgated did not start: $(tail -1 "$W/fgated.log")"; return 1; }
		PID_A=$fgated_pid PID_B=$charon_pid
		wait_for "$WAIT" tunnel_up || { why="no CHILD_SA installed on both sides"; return 1; }
		;;
	fgated-fgated | fgated-sim)
		A_DAEMON=fgated
		if [[ $config == fgated-sim ]]; then OFFLOAD=sim; else OFFLOAD=soft; fi
		netns_configs_fgated_peer "$ike" "$esp" yes
		start_fgated_peer || { why="peer fgated did not start: $(tail -1 "$W/fgated-b.log")"; return 1; }
		start_fgated || { why="fgated did not start: $(tail -1 "$W/fgated.log")"; return 1; }
		PID_A=$fgated_pid PID_B=$peer_fgated_pid
		wait_for "$WAIT" tunnel_up_fgated_peer || { why="no CHILD_SA installed on both sides"; return 1; }
		;;
	esac
	# the routes go in with the SA: wait until H1 reaches H2
	wait_for "$WAIT" ip netns exec "$NS_H1" ping -c 1 -W 2 10.2.0.2 ||
		{ why="no ping H1 -> H2 through the tunnel"; return 1; }
}

# bench CONFIG IKE ESP RUNS
bench() {
	local config=$1 ike=$2 esp=$3 runs=$4 i why
	[[ " $ONLY " == *" $config "* ]] || return 0
	echo "--- $config ${esp:-no IPsec} ($runs x ${SECS}s each way)"
	if ! bring_up "$config" "$ike" "$esp"; then failed_row "$config" "$esp" "$why"; return; fi
	for ((i = 1; i <= runs; i++)); do
		measure "$config" "$esp" h1-h2 "$i"
		measure "$config" "$esp" h2-h1 "$i"
	done
	grep -q "\"config\": \"$config\", \"esp\": \"$esp\".*\"status\": \"failed\"" "$ROWS" && {
		mkdir -p "$OUT/logs"; cp "$W"/*.log "$W"/*.out "$OUT/logs/" 2>/dev/null; }
	return 0
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# the revision of this tree, and how many of the sources fgated is built
# from differ from it
if rev=$(git -C "$HERE" rev-parse --short HEAD 2>/dev/null); then
	TREE="git $rev, $(git -C "$HERE/../.." status --porcelain -- 'host/*.[ch]' 'sim/*.cpp' \
		'sim/*.h' 'hdl/*.v' | wc -l) uncommitted source file(s) under host/ sim/ hdl/"
else
	TREE="not a git checkout"
fi
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
rm -rf "$OUT/logs" "$OUT/tunnel.json"
echo "tunnel.sh: fgated $SRC_FGATED, ${SECS}s per run, work directory $W, load $LOAD_BEFORE"

bench plain "" "" 1
bench charon-charon 3des-sha1-modp1024 3des-sha1 "$RUNS"
bench charon-charon des-md5-modp1024 des-md5 "$RUNS"
bench fgated-charon 3des-sha1-modp1024 3des-sha1 "$RUNS"
bench fgated-charon des-md5-modp1024 des-md5 "$RUNS"
bench fgated-fgated 3des-sha1-modp1024 3des-sha1 "$RUNS"
bench fgated-sim 3des-sha1-modp1024 3des-sha1 1
teardown

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
$PY - "$ROWS" "$OUT/tunnel.json" <<EOP
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
machine = {
    "date": "$DATE",
    "nproc": $(nproc),
    "cpu": "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)",
    "kernel": "$(uname -sr)",
    "strongswan": "$(dpkg-query -W -f='${Version}' strongswan-charon 2>/dev/null || echo unknown)",
    "iperf3": "$(iperf3 --version | head -n 1)",
    "openssl": "$(openssl version 2>/dev/null)",
    "fgated": "$1, built $(date -u -r "$SRC_FGATED" '+%Y-%m-%d %H:%M UTC')",
    "tree": "$TREE",
    "load_before": "$LOAD_BEFORE",
    "load_after": "$LOAD_AFTER",
    "seconds_per_run": $SECS,
    "runs": $RUNS,
}
commands = ["tests/bench/tunnel.sh $1 $2",
            "iperf3 -s -1 -B ADDR (in H2, or H1)",
            "iperf3 -c ADDR -t $SECS -J (in H1, or H2)"]
json.dump({"machine": machine, "commands": commands, "rows": rows}, open(sys.argv[2], "w"),
          indent=1)
EOP
ok=$(grep -c '"status": "ok"' "$ROWS") bad=$(grep -c '"status": "failed"' "$ROWS")
echo "tunnel.sh: $ok rows measured, $bad failed; $OUT/tunnel.json; load $LOAD_AFTER"
[[ $bad -eq 0 ]]
