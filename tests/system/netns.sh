# Shared by tests/system/tunnel.sh and tests/system/demo.sh (sourced, not
# run): four network namespaces, strongSwan's charon with kernel-libipsec,
# fgated, and helpers. The caller sets W (work directory), FGATED (binary),
# OFFLOAD (backend name) and TAG (a short unique string) before sourcing,
# and calls netns_cleanup from its EXIT trap.
#
#   H1 (10.1.0.2) -- A: fgated (10.1.0.1 | 192.0.2.1) == B: charon
#   (192.0.2.2 | 10.2.0.1) -- H2 (10.2.0.2)
#
# Tunnel 10.1.0.0/24 <-> 10.2.0.0/24, UDP-encapsulated ESP (kernel-libipsec
# only does ESP in UDP), IKEv1 Main Mode with a pre-shared key.

NS_H1=fgs-h1-$TAG NS_A=fgs-a-$TAG NS_B=fgs-b-$TAG NS_H2=fgs-h2-$TAG
LINK_A=fgl${TAG}a                  # A's end of the link between the gateways
VICI="unix://$W/charon.vici"
charon_pid= fgated_pid= capture_pid=
WAIT=${WAIT:-20}

# wait_for SECONDS CMD...: polls every 0.2 s
wait_for() {
	local end=$((SECONDS + $1)); shift
	while ! "$@" >/dev/null 2>&1; do
		((SECONDS >= end)) && return 1
		sleep 0.2
	done
}

# (background jobs whose pid is signalled call ip netns exec directly: it
# execs the program, so $! is the program)
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
# Runs a command in the background and waits for it: a trapped SIGINT
# (Ctrl-C) then interrupts the wait at once, even when the command itself
# handles SIGINT and exits normally (iperf3 does), which would otherwise
# let bash ignore the signal.
run() { "$@" & wait $!; }
sw() { timeout 10 ip netns exec "$NS_B" swanctl "$@" --uri "$VICI"; }

netns_setup() {
	local n
	for n in "$NS_H1" "$NS_A" "$NS_B" "$NS_H2"; do
		ip netns add "$n" || return 1
		ip -n "$n" link set lo up || return 1
	done
	ip link add "$LINK_A" type veth peer name "fgl${TAG}b" &&
	ip link set "$LINK_A" netns "$NS_A" && ip link set "fgl${TAG}b" netns "$NS_B" &&
	ip -n "$NS_A" addr add 192.0.2.1/24 dev "$LINK_A" &&
	ip -n "$NS_B" addr add 192.0.2.2/24 dev "fgl${TAG}b" &&
	ip -n "$NS_A" link set "$LINK_A" up && ip -n "$NS_B" link set "fgl${TAG}b" up &&
	ip link add "fgh${TAG}a" type veth peer name "fgh${TAG}b" &&
	ip link set "fgh${TAG}a" netns "$NS_H1" && ip link set "fgh${TAG}b" netns "$NS_A" &&
	ip -n "$NS_H1" addr add 10.1.0.2/24 dev "fgh${TAG}a" &&
	ip -n "$NS_A" addr add 10.1.0.1/24 dev "fgh${TAG}b" &&
	ip -n "$NS_H1" link set "fgh${TAG}a" up && ip -n "$NS_A" link set "fgh${TAG}b" up &&
	ip -n "$NS_H1" route add default via 10.1.0.1 &&
	ip link add "fgk${TAG}a" type veth peer name "fgk${TAG}b" &&
	ip link set "fgk${TAG}a" netns "$NS_H2" && ip link set "fgk${TAG}b" netns "$NS_B" &&
	ip -n "$NS_H2" addr add 10.2.0.2/24 dev "fgk${TAG}a" &&
	ip -n "$NS_B" addr add 10.2.0.1/24 dev "fgk${TAG}b" &&
	ip -n "$NS_H2" link set "fgk${TAG}a" up && ip -n "$NS_B" link set "fgk${TAG}b" up &&
	ip -n "$NS_H2" route add default via 10.2.0.1 &&
	in_ns "$NS_A" sysctl -qw net.ipv4.ip_forward=1 &&
	in_ns "$NS_B" sysctl -qw net.ipv4.ip_forward=1
}

# netns_configs IKE_PROPOSAL ESP_PROPOSAL FGATED_STARTS(yes|no|trap)
# ESP=ah:LIST asks for an AH child (ah_proposals = LIST), else ESP.
child_proposals() {
	if [[ $1 == ah:* ]]; then echo "ah_proposals = ${1#ah:}"; else echo "esp_proposals = $1"; fi
}

netns_configs() {
	local ike=$1 esp=$2 fstart=$3
	cat > "$W/strongswan.conf" <<EOC
charon {
  load = random nonce openssl kernel-libipsec kernel-netlink socket-default vici updown pem pkcs1 pubkey x509 hmac sha1 md5 sha2 aes gmp
  plugins {
    vici { socket = $VICI }
  }
  filelog {
    log {
      path = $W/charon.log
      default = 1
      append = no
      flush_line = yes
    }
  }
}
EOC
	cat > "$W/swanctl.conf" <<EOC
connections {
  fg {
    version = 1
    local_addrs = 192.0.2.2
    remote_addrs = 192.0.2.1
    proposals = $ike
    encap = yes
    local { auth = psk }
    remote { auth = psk }
    children {
      net {
        local_ts = 10.2.0.0/24
        remote_ts = 10.1.0.0/24
        $(child_proposals "$esp")
      }
    }
  }
}
secrets { ike-fg { secret = "fgate-system-psk" } }
EOC
	cat > "$W/fgated.conf" <<EOC
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
        $(child_proposals "$esp")
        start_action = $(case $fstart in yes) echo start;; trap) echo trap;; *) echo none;; esac)
        rekey_time = ${CHILD_REKEY:-1h}
      }
    }
  }
}
secrets { ike-fg { secret = "fgate-system-psk" } }
fgate {
  control = $W/fgated.ctl
  tun = fgate0
  install_routes = yes
  log_level = keys
}
EOC
}

# fgated as the peer in B instead of charon (fgated to fgated), with
# ENCAP yes or no (no: raw ESP, IP protocol 50), initiated by A.
netns_configs_fgated_peer() {
	local ike=$1 esp=$2 encap=$3
	sed -i "s/encap = yes/encap = $encap/" "$W/fgated.conf"
	cat > "$W/fgated-b.conf" <<EOC
connections {
  fg {
    version = 1
    local_addrs = 192.0.2.2
    remote_addrs = 192.0.2.1
    proposals = $ike
    encap = $encap
    local { auth = psk }
    remote { auth = psk }
    children {
      net {
        local_ts = 10.2.0.0/24
        remote_ts = 10.1.0.0/24
        $(child_proposals "$esp")
      }
    }
  }
}
secrets { ike-fg { secret = "fgate-system-psk" } }
fgate {
  control = $W/fgated-b.ctl
  tun = fgate0
  install_routes = yes
  log_level = debug
}
EOC
}

peer_fgated_pid=
start_fgated_peer() {
	ip netns exec "$NS_B" "$FGATED" --foreground -c "$W/fgated-b.conf" --offload "$OFFLOAD" \
		>"$W/fgated-b.log" 2>&1 &
	peer_fgated_pid=$!
	wait_for "$WAIT" grep -q "fgated started" "$W/fgated-b.log"
}

stop_fgated_peer() { stop_pid "$peer_fgated_pid"; peer_fgated_pid=; }

tunnel_up_fgated_peer() {
	grep -q "datapath: .*CHILD_SA net installed" "$W/fgated-b.log" &&
	grep -q "datapath: .*CHILD_SA net installed" "$W/fgated.log"
}

start_charon() {
	rm -f "$W/charon.log" "$W/charon.vici"
	ip netns exec "$NS_B" unshare -m sh -c \
		"mount -t tmpfs tmpfs /run && STRONGSWAN_CONF=$W/strongswan.conf exec /usr/lib/ipsec/charon" \
		>"$W/charon.out" 2>&1 &
	charon_pid=$!
	wait_for "$WAIT" test -S "$W/charon.vici" || return 1
	wait_for "$WAIT" sw --stats || return 1
	sw --load-all --file "$W/swanctl.conf" >"$W/swanctl-load.out" 2>&1
}

# stop_pid PID: SIGTERM, SIGKILL after 10 s; returns the exit status.
stop_pid() {
	local pid=$1
	[[ -n $pid ]] || return 0
	kill -TERM "$pid" 2>/dev/null
	wait_for 10 bash -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

stop_charon() { stop_pid "$charon_pid"; charon_pid=; }

start_fgated() {
	ip netns exec "$NS_A" "$FGATED" --foreground -c "$W/fgated.conf" --offload "$OFFLOAD" >"$W/fgated.log" 2>&1 &
	fgated_pid=$!
	wait_for "$WAIT" grep -q "fgated started" "$W/fgated.log"
}

stop_fgated() { local rc; stop_pid "$fgated_pid"; rc=$?; fgated_pid=; return $rc; }

tunnel_up() {
	sw --list-sas | grep -q "net: .*INSTALLED" &&
	grep -q "datapath: .*CHILD_SA net installed" "$W/fgated.log"
}

# Capture on A's link to B (everything IP), into $W/link.pcap.
start_capture() {
	rm -f "$W/link.pcap"
	ip netns exec "$NS_A" dumpcap -q -i "$LINK_A" -f "ip" -w "$W/link.pcap" >"$W/dumpcap.out" 2>&1 &
	capture_pid=$!
	wait_for 10 test -s "$W/link.pcap"
}

stop_capture() {
	[[ -n $capture_pid ]] || return 0
	kill -INT "$capture_pid" 2>/dev/null
	wait_for 10 bash -c "! kill -0 $capture_pid" || kill -KILL "$capture_pid" 2>/dev/null
	wait "$capture_pid" 2>/dev/null
	capture_pid=
}

# One tshark "-o uat:esp_sa:..." argument per direction of every child SA
# in fgated's key-debug log ("... ESP SA out SPI 0x... SRC -> DST enc ALG
# key: HEX" and "... auth ALG key: HEX").
esp_sa_args() {
	sed -n 's/.* ESP SA \(in\|out\) SPI \(0x[0-9a-f]*\) \([0-9.]*\) -> \([0-9.]*\) \(enc\|auth\) \(.*\) key: \([0-9a-f]*\)$/\2|\3|\4|\5|\6|\7/p' \
		"$W/fgated.log" |
	awk -F'|' '$4 == "enc" { enc[$1] = $5; ek[$1] = $6; src[$1] = $2; dst[$1] = $3 }
		$4 == "auth" { auth[$1] = $5; ak[$1] = $6 }
		END { for (s in enc) if (s in auth)
			printf "-o\nuat:esp_sa:\"IPv4\",\"%s\",\"%s\",\"%s\",\"%s\",\"0x%s\",\"%s\",\"0x%s\"\n",
				src[s], dst[s], s, enc[s], ek[s], auth[s], ak[s] }'
}

# Prints "ESP GOOD BAD SPIS DECRYPTED": ESP packets in the capture, those
# whose ICV tshark verified, those it found bad, the distinct SPIs seen,
# and the packets whose decrypted trailer says IPv4-in-ESP (next header 4:
# the encryption key was right too). ICMP errors quoting an ESP packet
# are not ESP packets (tshark would dissect the truncated quote as ESP).
# AH packets on the link as "COUNT SPIS" (Wireshark does not check AH
# ICVs: the peer's counters and the traffic through the tunnel do).
ah_count() {
	# (TCP inside AH is not dissected: its analysis makes tshark crawl)
	tshark -n -r "$W/link.pcap" -Y ah --disable-protocol tcp -T fields -e ah.spi 2>/dev/null |
		awk '{ n++; s[$1] = 1 } END { k = 0; for (x in s) k++; printf "%d %d\n", n, k }'
}

esp_check() {
	local -a args
	mapfile -t args < <(esp_sa_args)
	# TCP inside is not dissected: its stream analysis makes tshark crawl
	# over a long transfer (the ICV check and the decryption do not need it)
	tshark -n -r "$W/link.pcap" -o esp.enable_encryption_decode:TRUE --disable-protocol tcp \
		-o esp.enable_authentication_check:TRUE "${args[@]}" -Y "esp && !icmp" \
		-T fields -E separator=/t -e esp.spi -e esp.icv_good -e esp.icv_bad -e esp.protocol \
		2>"$W/tshark.err" |
	awk -F'\t' '{ n++; spi[$1] = 1; if ($2 == "True" || $2 == "1") g++
		     if ($3 == "True" || $3 == "1") b++; if ($4 == "4" || $4 == "0x04") d++ }
	     END { k = 0; for (s in spi) k++; printf "%d %d %d %d %d\n", n, g, b, k, d }'
}

# "datapath stats: tx N rx N drops N ..." after SIGUSR2, the last one.
fgated_stats() {
	local before
	before=$(grep -c "datapath stats:" "$W/fgated.log")
	kill -USR2 "$fgated_pid" 2>/dev/null || return 1
	wait_for 10 bash -c "(( \$(grep -c 'datapath stats:' '$W/fgated.log') > $before ))" || return 1
	grep "datapath stats:" "$W/fgated.log" | tail -1
}

netns_cleanup() {
	stop_capture
	[[ -n $fgated_pid ]] && kill -KILL "$fgated_pid" 2>/dev/null
	[[ -n $charon_pid ]] && kill -KILL "$charon_pid" 2>/dev/null
	[[ -n $peer_fgated_pid ]] && kill -KILL "$peer_fgated_pid" 2>/dev/null
	wait 2>/dev/null
	local n
	for n in "$NS_H1" "$NS_A" "$NS_B" "$NS_H2"; do
		ip netns del "$n" 2>/dev/null
	done
	fgated_pid= charon_pid= peer_fgated_pid=
}

# For the suites (tunnel.sh, ctl.sh): the counters, PASS/FAIL lines, and a
# cleanup trap (namespaces; the work directory W unless KEEP=1).
netns_suite_begin() {
	passed=0 failed=0
	exec 3>&1 4>&2          # the script's own output, for the traps
	trap netns_suite_cleanup EXIT
	trap 'exit 130' INT TERM
}
netns_suite_cleanup() {
	exec 1>&3 2>&4          # a trap may fire while a command's output is redirected
	netns_cleanup
	if [[ -n ${KEEP:-} ]]; then echo "$SUITE: kept $W"; else rm -rf "$W"; fi
}
result() {      # result NAME WHY (empty WHY: pass)
	if [[ -z $2 ]]; then
		echo "PASS $1"; passed=$((passed + 1))
	else
		echo "FAIL $1: $2"; failed=$((failed + 1))
		[[ -n ${VERBOSE:-} ]] && tail -20 "$W/fgated.log"
	fi
}
