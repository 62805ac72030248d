#!/usr/bin/env bash
# End-to-end tunnel between fgated and strongSwan's charon (kernel-libipsec)
# through fgated's datapath and an offload backend. Run as root:
#   tests/system/tunnel.sh [path/to/fgated]      (OFFLOAD=soft by default)
# One suite, "system-tunnel"; each check is one test (PASS/FAIL with the
# reason). Namespaces and addresses: tests/system/netns.sh. Per proposal:
# fresh namespaces, charon and fgated; the tunnel comes up (fgated initiates
# 3des-sha1, charon initiates des-md5), then
#   - fgated routed 10.2.0.0/24 via fgate0 with source 10.1.0.1;
#   - ping H1 -> H2 and H2 -> H1;
#   - a bounded iperf3 TCP transfer (IPERF_SECS, default 2 s) each way;
#   - tshark decrypts every ESP packet captured on the link between the
#     gateways with the keys from fgated's key-debug log, finds every ICV
#     good and every trailer's next header 4 (both SPIs seen, none bad);
#   - fgated's datapath counted traffic both ways and no drop at all;
#   - after the child SA is deleted (SIGUSR1) the route is gone;
#   - fgated exits with status 0 on SIGTERM, without sanitizer reports
#     (when given an ASan build).
# In the 3des-sha1 case, bad packets are injected afterwards (inject_check)
# and must be counted per reason. Also fgated to fgated (the peer fgated in charon's place) with raw ESP
# (IP protocol 50, encap = no), and start_action = trap (a ping without a
# policy starts the child SA; only no_policy drops before it): the same
# checks; and an AH child (IP protocol 51, fgated to fgated: charon's
# kernel-libipsec has no AH), where tshark counts AH packets (it cannot
# check AH ICVs; both fgateds' counters and the traffic do). Last, rekey-under-load: a Phase 2 rekey every REKEY_SECS (5)
# during an iperf3 transfer of REKEY_IPERF_SECS (16) must not break it.
# Everything is cleaned up by a trap (KEEP=1 keeps the work directory);
# every wait has a timeout. Packages: iproute2 strongswan-charon
# strongswan-swanctl libcharon-extra-plugins libstrongswan-extra-plugins
# iperf3 iputils-ping tshark.
set -u

FGATED=$(readlink -f "${1:-build/bin/fgated}")
OFFLOAD=${OFFLOAD:-soft}
IPERF_SECS=${IPERF_SECS:-2}
SUITE=system-tunnel
HERE=$(dirname "$(readlink -f "$0")")

fail_early() { echo "$SUITE: $*"; echo "$SUITE: 0 passed, 1 failed"; exit 1; }

[[ $(id -u) -eq 0 ]] || fail_early "needs root (network namespaces)"
for t in ip swanctl /usr/lib/ipsec/charon unshare timeout awk iperf3 ping tshark dumpcap; do
	command -v "$t" >/dev/null || fail_early "missing $t (install: iproute2 strongswan-charon" \
		"strongswan-swanctl libcharon-extra-plugins libstrongswan-extra-plugins iperf3" \
		"iputils-ping tshark)"
done
for p in openssl kernel-libipsec; do
	[[ -f /usr/lib/ipsec/plugins/libstrongswan-$p.so ]] ||
		fail_early "charon's $p plugin is missing (libcharon-extra-plugins)"
done
[[ -x $FGATED ]] || fail_early "no fgated at $FGATED"

W=$(mktemp -d /tmp/fgate-system.XXXXXX)
chmod 755 "$W"
TAG=$$
# shellcheck source=tests/system/netns.sh
. "$HERE/netns.sh"

netns_suite_begin

ping_ok() { run timeout 20 ip netns exec "$1" ping -c 3 -i 0.2 -W 2 "$2" >"$W/ping.out" 2>&1; }

# iperf_run NAME FROM_NS SERVER_NS SERVER_ADDR: one bounded TCP transfer;
# prints the receiver's Mbit/s.
iperf_run() {
	local from=$1 srv_ns=$2 addr=$3 out
	in_ns "$srv_ns" timeout $((IPERF_SECS + 20)) iperf3 -s -1 -B "$addr" >"$W/iperf-s.out" 2>&1 &
	local spid=$!
	wait_for 10 bash -c "ip netns exec $srv_ns ss -ltn | grep -q ':5201'" || { kill "$spid"; return 1; }
	out=$(run in_ns "$from" timeout $((IPERF_SECS + 15)) iperf3 -c "$addr" -t "$IPERF_SECS" \
		--connect-timeout 5000 -f m 2>&1)
	wait "$spid" 2>/dev/null
	echo "$out" >"$W/iperf-c.out"
	awk '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) == "Mbits/sec") print $i }' \
		<<<"$out" | grep -q .
	awk '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) == "Mbits/sec") print $i }' <<<"$out"
}

# Bad input on the wire, sent from B's link address to fgated's port 4500
# (a plain UDP socket: fgated does not check the source port): a replay of
# a captured inbound ESP packet, the same packet with a fresh sequence
# number (its ICV no longer matches), an unknown SPI and a 5-byte
# datagram. Each must be counted under its reason, and the tunnel must
# still carry traffic.
inject_check() {
	local name=$1 hex why= stats
	hex=$(tshark -n -r "$W/link.pcap" -Y "esp && ip.src == 192.0.2.2 && !icmp" -T fields \
		-e udp.payload 2>/dev/null | head -1)
	if [[ -z $hex ]]; then result "$name/inject" "no inbound ESP packet captured"; return; fi
	in_ns "$NS_B" /usr/bin/python3 - "$hex" <<'EOP' || why="sending failed"
import socket, sys
p = bytes.fromhex(sys.argv[1].replace(":", ""))
fresh = p[:4] + (0x7ffffff0).to_bytes(4, "big") + p[8:]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.0.2.2", 0))
for pkt in (p, fresh, b"\xde\xad\xbe\xef" + p[4:], b"\x01\x02\x03\x04\x05"):
    s.sendto(pkt, ("192.0.2.1", 4500))
EOP
	sleep 0.5
	stats=$(fgated_stats) || why="no stats line after SIGUSR2"
	for r in replay=1 auth_fail=1 unknown_spi=1 truncated=1; do
		[[ -z $why && " $stats " != *" $r "* ]] && why="want $r in: ${stats#*datapath stats: }"
	done
	[[ -z $why ]] && ! ping_ok "$NS_H1" 10.2.0.2 && why="no ping through the tunnel afterwards"
	result "$name/inject-counted" "$why"
}

# run_case NAME IKE ESP FGATED_STARTS(yes|no) [PEER (charon|fgated-encap|fgated-raw)]
run_case() {
	local name=$1 ike=$2 esp=$3 fstart=$4 peer=${5:-charon} why r esp_n good bad spis dec stats mbit
	echo "--- $name (OFFLOAD=$OFFLOAD, peer $peer)"
	netns_cleanup
	if ! netns_setup; then result "$name/setup" "cannot create the namespaces"; return; fi
	netns_configs "$ike" "$esp" "$fstart"
	start_capture || { result "$name/setup" "dumpcap did not start"; return; }
	if [[ $peer == charon ]]; then
		start_charon || { result "$name/setup" "charon did not start"; return; }
	else
		netns_configs_fgated_peer "$ike" "$esp" "$([[ $peer == fgated-raw ]] && echo no || echo yes)"
		start_fgated_peer ||
			{ result "$name/setup" "peer fgated did not start: $(tail -3 "$W/fgated-b.log")"; return; }
	fi
	start_fgated || { result "$name/setup" "fgated did not start: $(tail -3 "$W/fgated.log")"; return; }
	[[ $fstart == no ]] && sw --initiate --child net --timeout 15 >"$W/initiate.out" 2>&1
	# start_action = trap: the first packet without a policy starts it
	if [[ $fstart == trap ]]; then
		wait_for "$WAIT" grep -q "datapath: .*(trap): route" "$W/fgated.log" ||
			{ result "$name/trap-route" "no route installed for the trap"; return; }
		run timeout 10 ip netns exec "$NS_H1" ping -c 2 -W 1 10.2.0.2 >/dev/null 2>&1
	fi
	why=
	if [[ $peer == charon ]]; then
		wait_for "$WAIT" tunnel_up || why="no CHILD_SA installed on both sides"
	else
		wait_for "$WAIT" tunnel_up_fgated_peer || why="no CHILD_SA installed on both sides"
		[[ -z $why && $peer == fgated-raw ]] && ! grep -q "CHILD_SA net established.*tunnel, " \
			"$W/fgated.log" && why="the CHILD_SA is not plain ESP (no UDP-encap)"
	fi
	result "$name/tunnel-up" "$why"
	[[ -z $why ]] || return

	why=
	r=$(ip -n "$NS_A" route show 10.2.0.0/24)
	[[ $r == *"dev fgate0"* && $r == *"src 10.1.0.1"* ]] ||
		why="route for 10.2.0.0/24 is '$r', want dev fgate0 src 10.1.0.1"
	result "$name/route-installed" "$why"

	why=; ping_ok "$NS_H1" 10.2.0.2 || why="ping 10.1.0.2 -> 10.2.0.2: $(tail -2 "$W/ping.out" | head -1)"
	result "$name/ping-h1-h2" "$why"
	why=; ping_ok "$NS_H2" 10.1.0.2 || why="ping 10.2.0.2 -> 10.1.0.2: $(tail -2 "$W/ping.out" | head -1)"
	result "$name/ping-h2-h1" "$why"

	why=; mbit=$(iperf_run "$NS_H1" "$NS_H2" 10.2.0.2) || why="iperf3 H1 -> H2 failed: $(tail -2 "$W/iperf-c.out")"
	result "$name/iperf-h1-h2" "$why"; [[ -z $why ]] && echo "     H1 -> H2: $mbit Mbit/s"
	why=; mbit=$(iperf_run "$NS_H2" "$NS_H1" 10.1.0.2) || why="iperf3 H2 -> H1 failed: $(tail -2 "$W/iperf-c.out")"
	result "$name/iperf-h2-h1" "$why"; [[ -z $why ]] && echo "     H2 -> H1: $mbit Mbit/s"

	why=
	stats=$(fgated_stats) || why="no stats line after SIGUSR2"
	if [[ -z $why ]]; then
		read -r tx rx drops < <(sed -n 's/.*tx \([0-9]*\) rx \([0-9]*\) drops \([0-9]*\).*/\1 \2 \3/p' <<<"$stats")
		# the trap case drops what came before its SA: no_policy only
		[[ $fstart == trap && $stats =~ drops\ ([0-9]+)\ no_policy=([0-9]+)$ &&
		   ${BASH_REMATCH[1]} == "${BASH_REMATCH[2]}" ]] && drops=0
		if [[ ${drops:-x} != 0 ]]; then why="drops counted: ${stats#*datapath stats: }"
		elif (( ${tx:-0} < 10 || ${rx:-0} < 10 )); then why="too little traffic: $stats"; fi
	fi
	result "$name/no-drops" "$why"

	stop_capture
	why=
	if [[ $esp == ah:* ]]; then
		read -r esp_n spis < <(ah_count)
		if (( ${esp_n:-0} < 20 )); then why="only ${esp_n:-0} AH packets captured"
		elif (( spis != 2 )); then why="$spis AH SPIs seen, want 2"; fi
		result "$name/ah-on-the-wire" "$why"
		[[ -z $why ]] && echo "     tshark: $esp_n AH packets (IP protocol 51), 2 SPIs"
	else
		read -r esp_n good bad spis dec < <(esp_check)
		if (( ${esp_n:-0} < 20 )); then why="only ${esp_n:-0} ESP packets captured"
		elif (( good != esp_n || bad != 0 )); then
			why="$esp_n ESP packets, $good with a good ICV, $bad bad ($(head -2 "$W/tshark.err"))"
		elif (( dec != esp_n )); then why="$esp_n ESP packets, $dec decrypted to IPv4-in-ESP"
		elif (( spis != 2 )); then why="$spis SPIs seen, want 2"; fi
		result "$name/tshark-icv" "$why"
		[[ -z $why ]] && echo "     tshark: $esp_n ESP packets, every ICV good"
	fi

	[[ ${INJECT:-} == "$name" ]] && inject_check "$name"

	why=
	kill -USR1 "$fgated_pid"
	if [[ $fstart == trap ]]; then  # the trap keeps its route, as in charon
		wait_for "$WAIT" grep -q "CHILD_SA net deleted" "$W/fgated.log" ||
			why="the child SA was not deleted"
		[[ -z $why && -z $(ip -n "$NS_A" route show 10.2.0.0/24 dev fgate0) ]] &&
			why="the trap's route went with the child SA"
		result "$name/route-kept-for-trap" "$why"
	else
		wait_for "$WAIT" bash -c "[[ -z \$(ip -n $NS_A route show 10.2.0.0/24) ]]" ||
			why="route still there after the child SA was deleted"
		result "$name/route-removed" "$why"
	fi
	why=
	stop_fgated || why="fgated exited with status $? on SIGTERM"
	grep -q "AddressSanitizer\|LeakSanitizer\|runtime error" "$W/fgated.log" &&
		why="sanitizer report in fgated's log"
	result "$name/clean-exit" "$why"
	stop_charon
	stop_fgated_peer
}

# A Phase 2 rekey in the middle of a TCP transfer: fgated rekeys its child
# SA every REKEY_SECS while iperf3 runs for REKEY_IPERF_SECS; the transfer
# must finish (the TCP connection survives every switch of SA), fgated must
# have rekeyed at least twice while it ran, tshark must find every ESP
# packet of every SA good, and nothing may be dropped.
rekey_case() {
	local name=rekey-under-load why esp_n good bad spis dec stats drops rekeys mbit
	echo "--- $name (OFFLOAD=$OFFLOAD, child rekey_time ${REKEY_SECS}s)"
	netns_cleanup
	if ! netns_setup; then result "$name/setup" "cannot create the namespaces"; return; fi
	CHILD_REKEY=${REKEY_SECS}s netns_configs 3des-sha1-modp1024 3des-sha1 yes
	start_capture || { result "$name/setup" "dumpcap did not start"; return; }
	start_charon || { result "$name/setup" "charon did not start"; return; }
	start_fgated || { result "$name/setup" "fgated did not start: $(tail -3 "$W/fgated.log")"; return; }
	why=; wait_for "$WAIT" tunnel_up || why="no CHILD_SA installed on both sides"
	result "$name/tunnel-up" "$why"; [[ -z $why ]] || return

	why=
	mbit=$(IPERF_SECS=$REKEY_IPERF_SECS iperf_run "$NS_H1" "$NS_H2" 10.2.0.2) ||
		why="the transfer broke: $(tail -3 "$W/iperf-c.out" | tr '\n' ' ')"
	# a connection that broke on the way ends with nothing received
	[[ -z $why && ${mbit:-0} == 0.00 ]] && why="the transfer broke: the receiver got nothing"
	result "$name/iperf-across-rekeys" "$why"; [[ -z $why ]] && echo "     H1 -> H2: $mbit Mbit/s"
	rekeys=$(grep -c "CHILD_SA net .* rekeyed by" "$W/fgated.log")
	why=; (( rekeys >= 2 )) || why="$rekeys rekeys while the transfer ran, want 2 or more"
	result "$name/rekeyed-during-transfer" "$why"; [[ -z $why ]] && echo "     $rekeys rekeys"

	why=; stats=$(fgated_stats) || why="no stats line after SIGUSR2"
	drops=$(sed -n 's/.*drops \([0-9]*\).*/\1/p' <<<"$stats")
	[[ -z $why && ${drops:-x} != 0 ]] && why="drops counted: ${stats#*datapath stats: }"
	result "$name/no-drops" "$why"

	stop_capture
	why=
	read -r esp_n good bad spis dec < <(esp_check)
	if (( ${esp_n:-0} < 20 )); then why="only ${esp_n:-0} ESP packets captured"
	elif (( good != esp_n || bad != 0 || dec != esp_n )); then
		why="$esp_n ESP packets, $good with a good ICV, $bad bad, $dec decrypted"
	elif (( spis < 4 )); then why="$spis SPIs carried traffic, want 4 or more (old and new SAs)"; fi
	result "$name/tshark-icv-every-sa" "$why"
	[[ -z $why ]] && echo "     tshark: $esp_n ESP packets over $spis SPIs, every ICV good"
	why=; stop_fgated || why="fgated exited with status $? on SIGTERM"
	result "$name/clean-exit" "$why"
	stop_charon
}

echo "$SUITE: fgated $FGATED, offload $OFFLOAD, work directory $W"
INJECT=3des-sha1
run_case 3des-sha1 3des-sha1-modp1024 3des-sha1 yes
run_case des-md5 des-md5-modp1024 des-md5 no
run_case fgated-raw-esp 3des-sha1-modp1024 3des-sha1 yes fgated-raw
run_case fgated-ah 3des-sha1-modp1024 ah:sha1 yes fgated-raw
run_case trap 3des-sha1-modp1024 3des-sha1 trap
REKEY_SECS=${REKEY_SECS:-5} REKEY_IPERF_SECS=${REKEY_IPERF_SECS:-16} rekey_case
echo "$SUITE: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
