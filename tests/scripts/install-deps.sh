#!/usr/bin/env bash
# Install the Debian packages a make target needs, only those missing.
#   install-deps.sh test|demo|synth|fuzz
# Exits 1 with one clear line when something is missing and cannot be
# installed (not root, no apt-get, or apt-get failed).
set -euo pipefail

# What every build and test needs.
# (strongSwan is the reference peer of the interop suites; its openssl plugin
# is in libstrongswan-standard-plugins, not pulled in without recommends;
# groff-base and systemd check the man pages and the unit.)
test_pkgs=(build-essential pkg-config python3 verilator libssl-dev libcunit1-dev
           libusb-1.0-0-dev libpcap-dev libjson-c-dev yosys iproute2
           strongswan-charon strongswan-swanctl libstrongswan-standard-plugins
           libcharon-extra-plugins libstrongswan-extra-plugins
           tshark python3-scapy python3-cryptography iputils-ping iperf3
           groff-base systemd nftables ike-scan)
# The demo runs the same tunnel as the system suites.
demo_pkgs=("${test_pkgs[@]}")
synth_pkgs=("${test_pkgs[@]}" python3-venv)
fuzz_pkgs=("${test_pkgs[@]}" clang libclang-rt-14-dev)

case "${1:-test}" in
  test)  want=("${test_pkgs[@]}") ;;
  demo)  want=("${demo_pkgs[@]}") ;;
  synth) want=("${synth_pkgs[@]}") ;;
  fuzz)  want=("${fuzz_pkgs[@]}") ;;
  *) echo "install-deps: unknown set '$1' (test, demo, synth or fuzz)" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "install-deps: missing packages (${missing[*]}) and no apt-get: install them by hand" >&2
  exit 1
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages (${missing[*]}): run as root or 'sudo apt-get install ${missing[*]}'" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive  # tshark asks a debconf question
log=$(mktemp)
if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  tail -n 20 "$log" >&2
  echo "install-deps: apt-get failed installing ${missing[*]} (log above)" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
