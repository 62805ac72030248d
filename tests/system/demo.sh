#!/usr/bin/env bash
# make demo: fgate as a working gateway, end to end. Run as root from the
# top of the tree:
#   tests/system/demo.sh                 (OFFLOAD=sim: the Verilator model)
#   OFFLOAD=soft tests/system/demo.sh    (the OpenSSL golden model)
# Installs what it needs, builds fgated, creates four network namespaces
# (tests/system/netns.sh: a protected host, fgated's gateway, a strongSwan
# gateway, a host behind it), brings the IKEv1 tunnel up (3des-sha1, ESP in
# UDP), sends ping and a bounded iperf3 transfer through it, prints the
# negotiated SAs, the throughput and the device counters, and tears
# everything down, also on Ctrl-C or error. Exits 0 only if traffic
# crossed the tunnel: pings answered, iperf3 bytes received, and the
# device's SA counters and fgated's datapath counters moved both ways.
set -u

OFFLOAD=${OFFLOAD:-sim}
IPERF_SECS=${IPERF_SECS:-3}
TOP=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
cd "$TOP" || exit 1

say() { printf '\n== %s\n' "$*"; }
die() { echo "demo: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "needs root (network namespaces, TUN devices): run 'sudo make demo'"
say "packages"
tests/scripts/install-deps.sh demo || die "cannot install the packages the demo needs"
for p in openssl kernel-libipsec; do
	[[ -f /usr/lib/ipsec/plugins/libstrongswan-$p.so ]] ||
		die "charon's $p plugin is missing (libstrongswan-standard-plugins, libcharon-extra-plugins)"
done
say "build"
mkdir -p build && make --no-print-directory build/bin/fgated build/bin/fgatectl >build/demo-build.log 2>&1 ||
	{ tail -20 build/demo-build.log; die "build failed (log: build/demo-build.log)"; }
FGATED=$TOP/build/bin/fgated
FGATECTL=$TOP/build/bin/fgatectl
echo "fgated built: $FGATED"

W=$(mktemp -d /tmp/fgate-demo.XXXXXX)
chmod 755 "$W"
TAG=d$$
# shellcheck source=tests/system/netns.sh
. "$TOP/tests/system/netns.sh"
ok=1

# The traps may run while a command's output is redirected: they write to
# the script's own stdout and stderr, saved here as fds 3 and 4.
exec 3>&1 4>&2
cleanup() {
	exec 1>&3 2>&4
	say "teardown"
	netns_cleanup
	if [[ -n ${KEEP:-} ]]; then echo "kept $W"; else rm -rf "$W"; fi
	echo "namespaces removed"
}
trap cleanup EXIT
trap 'echo >&3; echo "demo: interrupted" >&3; exit 130' INT TERM

say "network namespaces"
netns_setup || die "cannot create the namespaces"
cat <<EOT
  $NS_H1  10.1.0.2  protected host
  $NS_A   10.1.0.1 | 192.0.2.1  fgated, offload backend '$OFFLOAD', TUN fgate0
  $NS_B   192.0.2.2 | 10.2.0.1  strongSwan charon (kernel-libipsec)
  $NS_H2  10.2.0.2  host behind strongSwan
EOT
netns_configs 3des-sha1-modp1024 3des-sha1 yes

say "tunnel"
start_charon || die "charon did not start ($W/charon.out)"
if ! start_fgated; then
	if grep -q "cannot open offload backend" "$W/fgated.log"; then
		grep "cannot open offload backend" "$W/fgated.log"
		[[ $OFFLOAD == sim ]] &&
			echo "demo: the sim backend (Verilator model of the FPGA) is not in this build." \
			     "Run 'OFFLOAD=soft make demo' for the OpenSSL soft backend." >&2
		exit 1
	fi
	tail -5 "$W/fgated.log"; die "fgated did not start"
fi
wait_for "$WAIT" tunnel_up || { tail -5 "$W/fgated.log"; die "the tunnel did not come up"; }
echo "fgated (fgatectl list-sas):"
"$FGATECTL" --socket "$W/fgated.ctl" list-sas | sed 's/^/  /'
echo "strongSwan (swanctl --list-sas):"
sw --list-sas | sed 's/^/  /'

say "ping through the tunnel"
for d in "$NS_H1 10.2.0.2" "$NS_H2 10.1.0.2"; do
	set -- $d
	if run in_ns "$1" ping -c 3 -i 0.2 -W 2 "$2" >"$W/ping.out" 2>&1; then
		echo "  ${1%%-$TAG} -> $2: $(grep 'packets transmitted' "$W/ping.out")"
	else
		echo "  ${1%%-$TAG} -> $2: FAILED: $(grep 'packets transmitted' "$W/ping.out")"; ok=0
	fi
done

say "iperf3 TCP, $IPERF_SECS s each way"
for d in "$NS_H1 $NS_H2 10.2.0.2" "$NS_H2 $NS_H1 10.1.0.2"; do
	set -- $d
	in_ns "$2" timeout $((IPERF_SECS + 20)) iperf3 -s -1 -B "$3" >"$W/iperf-s.out" 2>&1 &
	spid=$!
	run wait_for 10 bash -c "ip netns exec $2 ss -ltn | grep -q ':5201'"
	run in_ns "$1" timeout $((IPERF_SECS + 15)) iperf3 -c "$3" -t "$IPERF_SECS" --connect-timeout 5000 \
		-f m >"$W/iperf-c.out" 2>&1
	wait "$spid" 2>/dev/null
	r=$(awk '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) == "MBytes" || $(i + 1) == "Mbits/sec") printf "%s %s  ", $i, $(i + 1) }' "$W/iperf-c.out")
	if [[ -n $r ]]; then
		echo "  ${1%%-$TAG} -> $3: $r"
	else
		echo "  ${1%%-$TAG} -> $3: FAILED: $(tail -1 "$W/iperf-c.out")"; ok=0
	fi
done

say "counters (fgatectl stats, zero drop counts left out; then the device's per-SA counters)"
"$FGATECTL" --socket "$W/fgated.ctl" stats | grep -Ev '^ +[a-z_]+: 0$' | sed 's/^/  /'
stats=$(fgated_stats) || { ok=0; stats=; }
sleep 0.3
grep -E "datapath: #.*SPI" "$W/fgated.log" | tail -1 | sed 's/^[0-9:.]* [A-Z] /  /'
read -r tx rx drops < <(sed -n 's/.*tx \([0-9]*\) rx \([0-9]*\) drops \([0-9]*\).*/\1 \2 \3/p' <<<"$stats")
dev=$(grep "datapath: #.*SPI" "$W/fgated.log" | tail -1)
dout=$(sed -n 's/.*out SPI [0-9a-f]* \([0-9]*\) packets.*/\1/p' <<<"$dev")
din=$(sed -n 's/.*in SPI [0-9a-f]* \([0-9]*\) packets.*/\1/p' <<<"$dev")
if (( ${tx:-0} > 0 && ${rx:-0} > 0 && ${dout:-0} > 0 && ${din:-0} > 0 )); then
	echo "  traffic crossed the tunnel: fgated sent $tx and received $rx ESP packets;" \
	     "the device protected ${dout} and verified ${din}"
else
	echo "  no traffic counted through the device"; ok=0
fi
(( ${drops:-0} == 0 )) || echo "  note: $drops packets dropped (reasons above)"

if (( ok )); then
	say "demo: PASS (offload backend $OFFLOAD)"
	exit 0
fi
say "demo: FAIL (logs: $W, kept)"
KEEP=1
exit 1
