#!/usr/bin/env bash
# End-to-end test of fgate-pcap against independent ESP/AH implementations:
#   tests/system/pcap.sh [BACKEND [path/to/fgate-pcap]]     (BACKEND: soft)
# One suite, "system-pcap" (for soft; "system-pcap-BACKEND" for another:
# sim, sim-ft601, usb); each check prints PASS/FAIL with the reason and the
# last line is "SUITE: N passed, N failed".
#
# A pcap of IPv4 packets (UDP of many sizes, TCP, ICMP, IP options, DF and
# TOS/ECN variants) made with scapy goes, for every cipher x auth x proto x
# mode x UDP encapsulation (ESP: 3des/des/null x sha1/md5/none without
# null+none, tunnel and transport, with and without encap=udp; AH: sha1 and
# md5, tunnel and transport; AH has no UDP encapsulation, RFC 3948), through
#   - with a backend other than soft: fgate-pcap --encrypt --iv-seed 7 gives
#     the same bytes as the soft backend (the golden model);
#   - fgate-pcap --encrypt; tshark decrypts every ESP packet to the
#     original and shows its ICV [Good: True] (esp.icv_good);
#   - scapy's SecurityAssociation decrypts fgate's ESP and AH output to the
#     original packets;
#   - scapy encrypts the originals and fgate-pcap --decrypt gives them back;
#   - fgate-pcap --decrypt of fgate's own output gives them back;
#   - a decrypt input with a tampered ICV, a replayed packet, a packet
#     truncated inside its ESP/AH bytes, a packet cut short by the capture
#     (and, with UDP encapsulation, a NAT-keepalive and an IKE packet with
#     the non-ESP marker) gives exactly those counts, exit status 1, and
#     every good packet still out in order;
#   - an encrypt input with a truncated capture and an IPv6 packet: counts,
#     exit 1, the rest out.
# Plus: more packets than the device window, Ethernet input, --iv-seed
# reproducibility, and the exit status 2 errors.
#
# Needs /usr/bin/python3 with scapy and cryptography (python3-scapy,
# python3-cryptography) and tshark. KEEP=1 keeps the work directory.
set -u

BACKEND=${1:-soft}
SUITE=system-pcap
[[ $BACKEND == soft ]] || SUITE=system-pcap-$BACKEND
TOOL=${2:-build/bin/fgate-pcap}
PY=/usr/bin/python3

fail_setup() {
	echo "$SUITE: $*"
	echo "$SUITE: 0 passed, 1 failed"
	exit 1
}

[[ -x $TOOL ]] || fail_setup "no fgate-pcap at $TOOL (build it: make build/bin/fgate-pcap)"
[[ -x $PY ]] || fail_setup "missing $PY (install: python3 python3-scapy)"
$PY -c 'import scapy.layers.ipsec' 2>/dev/null ||
	fail_setup "scapy missing for $PY (install: python3-scapy)"
$PY -c 'from cryptography.hazmat.primitives.ciphers import algorithms' 2>/dev/null ||
	fail_setup "python3-cryptography missing (scapy needs it for DES/3DES/HMAC; install: python3-cryptography)"
command -v tshark >/dev/null ||
	fail_setup "missing tshark (install: DEBIAN_FRONTEND=noninteractive apt-get install tshark)"

W=$(mktemp -d /tmp/fgate-pcap-test.XXXXXX)
trap '[[ -n ${KEEP:-} ]] || rm -rf "$W"' EXIT
TOOL=$(readlink -f "$TOOL")

# The backend must open and take an SA: one clear line if it does not.
printf '\xd4\xc3\xb2\xa1\x02\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\x00\x00\x65\x00\x00\x00' \
	>"$W/empty.pcap"
if ! msg=$("$TOOL" --offload "$BACKEND" --sa "spi=0x1001,src=192.0.2.1,dst=192.0.2.2,enc=null,auth=hmac-sha1-96:0x000102030405060708090a0b0c0d0e0f10111213" \
	   --encrypt "$W/empty.pcap" "$W/empty-out.pcap" 2>&1); then
	fail_setup "backend $BACKEND does not work: $(tail -n 1 <<<"$msg")"
fi
$PY - "$TOOL" "$BACKEND" "$W" "$SUITE" <<'PYTHON'
import os
import re
import struct
import subprocess
import sys
import warnings

warnings.filterwarnings("ignore")
import logging
logging.getLogger("scapy").setLevel(logging.ERROR)
from scapy.all import IP, UDP, TCP, ICMP, Raw, raw, Ether, ARP, IPv6  # noqa: E402
from scapy.layers.inet import IPOption_NOP, IPOption_Router_Alert, IPOption_RR  # noqa: E402
from scapy.layers.ipsec import SecurityAssociation, ESP, AH  # noqa: E402

TOOL, BACKEND, W, SUITE = sys.argv[1:5]
passed = failed = 0

def check(name, ok, why=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"PASS {name}")
    else:
        failed += 1
        print(f"FAIL {name}: {why}")
    sys.stdout.flush()

# ---- pcap files, by hand (no dependence on scapy's link-type table) ----

LINKTYPE_ETHERNET, LINKTYPE_RAW = 1, 101

def write_pcap(path, pkts, linktype=LINKTYPE_RAW):
    """pkts: bytes, or (bytes, original length) for a cut capture."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, linktype))
        for i, p in enumerate(pkts):
            data, orig = (p, len(p)) if isinstance(p, bytes) else p
            f.write(struct.pack("<IIII", 1700000000 + i, i, len(data), orig) + data)

def read_pcap(path):
    with open(path, "rb") as f:
        b = f.read()
    magic, _, _, _, _, _, lt = struct.unpack("<IHHiIII", b[:24])
    assert magic == 0xa1b2c3d4, "not a little-endian microsecond pcap"
    off, pkts = 24, []
    while off < len(b):
        _, _, cap, _ = struct.unpack("<IIII", b[off:off + 16])
        pkts.append(b[off + 16:off + 16 + cap])
        off += 16 + cap
    return lt, pkts

# ---- the packets ----

A, B = "10.1.0.1", "10.2.0.1"          # protected hosts
GW1, GW2 = "192.0.2.1", "192.0.2.2"    # tunnel endpoints

def originals(n):
    pkts = []
    for i in range(n):
        k = i % 8
        # Ports without a Wireshark dissector: an exception in the inner
        # dissector would hide the ICV verdict.
        if k == 0:
            p = IP(src=A, dst=B, tos=0xb8, flags="DF", id=i) / UDP(sport=40000, dport=40001) / Raw(bytes(range(i % 64)))
        elif k == 1:
            p = IP(src=A, dst=B, id=i, ttl=3) / TCP(sport=40002, dport=40003, flags="PA") / Raw(b"t" * (i * 37 % 1400))
        elif k == 2:
            p = IP(src=A, dst=B, id=i) / ICMP(type=8, id=7, seq=i) / Raw(b"ping" * (i % 9))
        elif k == 3:
            p = IP(src=A, dst=B, tos=0x02, id=i, options=[IPOption_NOP(), IPOption_Router_Alert()]) / UDP(sport=40004, dport=40005) / Raw(b"ra" * (i % 300))
        elif k == 4:
            p = IP(src=A, dst=B, id=i, options=[IPOption_RR(routers=["10.9.9.9"])]) / UDP(sport=40006, dport=40007) / Raw(b"rr")
        elif k == 5:
            p = IP(src=A, dst=B, id=i, flags="DF", tos=0x21) / UDP(sport=40008, dport=40009) / Raw(b"x" * 1400)
        elif k == 6:
            p = IP(src=A, dst=B, id=i) / UDP(sport=40010, dport=40011)
        else:
            p = IP(src=A, dst=B, id=i) / UDP(sport=40012, dport=40013) / Raw(bytes((i * j) & 0xff for j in range(1 + i * 13 % 1900)))
        pkts.append(raw(p))
    return pkts

# ---- the SAs ----

KEYS = {
    "3des": ("3des-cbc", "0123456789abcdef23456789abcdef01456789abcdef0123", "3DES", "TripleDES-CBC [RFC2451]"),
    "des": ("des-cbc", "133457799bbcdff1", "DES", "DES-CBC [RFC2405]"),
    "null": ("null", "", "NULL", "NULL"),
}
AUTHS = {
    "sha1": ("hmac-sha1-96", "000102030405060708090a0b0c0d0e0f10111213", "HMAC-SHA1-96", "HMAC-SHA-1-96 [RFC2404]"),
    "md5": ("hmac-md5-96", "f0e1d2c3b4a5968778695a4b3c2d1e0f", "HMAC-MD5-96", "HMAC-MD5-96 [RFC2403]"),
    "none": ("none", "", "NULL", "NULL"),
}

class Cfg:
    def __init__(self, proto, enc, auth, mode, udp, spi):
        self.proto, self.enc, self.auth, self.mode, self.udp, self.spi = proto, enc, auth, mode, udp, spi
        self.name = f"{proto}-{mode}-{enc or 'ah'}-{auth}{'-udp' if udp else ''}"

    def spec(self):
        s = f"proto={self.proto},mode={self.mode},spi=0x{self.spi:x}"
        if self.mode == "tunnel":
            s += f",src={GW1},dst={GW2}"
        if self.proto == "esp":
            e = KEYS[self.enc]
            s += f",enc={e[0]}" + (f":0x{e[1]}" if e[1] else "")
        a = AUTHS[self.auth]
        s += f",auth={a[0]}" + (f":0x{a[1]}" if a[1] else "")
        if self.udp:
            s += ",encap=udp"
        return s

    def scapy_sa(self):
        kw = dict(spi=self.spi, seq_num=1)
        if self.proto == "esp":
            e = KEYS[self.enc]
            kw.update(crypt_algo=e[2], crypt_key=bytes.fromhex(e[1]) if e[1] else None)
        a = AUTHS[self.auth]
        kw.update(auth_algo=a[2], auth_key=bytes.fromhex(a[1]) if a[1] else None)
        if self.mode == "tunnel":
            kw["tunnel_header"] = IP(src=GW1, dst=GW2)
        if self.udp:
            kw["nat_t_header"] = UDP(sport=4500, dport=4500)
        return SecurityAssociation(ESP if self.proto == "esp" else AH, **kw)

    def tshark_sa(self):
        e, a = KEYS[self.enc], AUTHS[self.auth]
        src, dst = (GW1, GW2) if self.mode == "tunnel" else (A, B)
        ek = f"0x{e[1]}" if e[1] else ""
        ak = f"0x{a[1]}" if a[1] else ""
        return f'uat:esp_sa:"IPv4","{src}","{dst}","0x{self.spi:08x}","{e[3]}","{ek}","{a[3]}","{ak}"'

def configs():
    out, spi = [], 0x1000
    for mode in ("tunnel", "transport"):
        for udp in (False, True):
            for enc in ("3des", "des", "null"):
                for auth in ("sha1", "md5", "none"):
                    if enc == "null" and auth == "none":
                        continue
                    spi += 1
                    out.append(Cfg("esp", enc, auth, mode, udp, spi))
        for auth in ("sha1", "md5"):
            spi += 1
            out.append(Cfg("ah", None, auth, mode, False, spi))
    return out

# ---- running fgate-pcap ----

def fgate(cfg_spec, direction, inp, outp, extra=(), backend=None):
    cmd = [TOOL, "--offload", backend or BACKEND, "--sa", cfg_spec, "--" + direction, *extra,
           inp, outp]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    counts = {}
    m = re.search(r"packets in, \d+ out: (.*)", r.stdout)
    if m:
        for part in m.group(1).split(", "):
            k, v = part.rsplit(" ", 1)
            if int(v):
                counts[k] = int(v)
    return r.returncode, counts, (r.stdout + r.stderr).strip().replace("\n", " | ")

def same(got, want):
    if len(got) != len(want):
        return f"{len(got)} packets, want {len(want)}"
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            return f"packet {i + 1} differs: {g[:48].hex()}... want {w[:48].hex()}..."
    return ""

# ---- checks per configuration ----

def ip_fix(b):
    """Recompute total length and header checksum of raw IPv4 bytes."""
    p = IP(b)
    del p.len, p.chksum
    return raw(p)

def tamper_icv(cfg, b):
    b = bytearray(b)
    if cfg.proto == "ah":
        ihl = (b[0] & 15) * 4
        b[ihl + 23] ^= 0x01
    else:
        b[-1] ^= 0x01
    return bytes(b)

def truncate(cfg, b):
    ihl = (b[0] & 15) * 4
    cut = b[:ihl + 20] if cfg.proto == "ah" else b[:-5]
    out = bytearray(cut)
    out[2:4] = struct.pack(">H", len(out))
    if cfg.udp:
        out[ihl + 4:ihl + 6] = struct.pack(">H", len(out) - ihl)
    out[10:12] = b"\0\0"
    return ip_fix(bytes(out))

def keepalive():
    return raw(IP(src=GW2, dst=GW1) / UDP(sport=4500, dport=4500) / Raw(b"\xff"))

def ike_marker():
    return raw(IP(src=GW2, dst=GW1) / UDP(sport=4500, dport=4500) / Raw(b"\0\0\0\0" + b"\x11" * 28))

def run_cfg(cfg, orig):
    d = os.path.join(W, cfg.name)
    os.makedirs(d, exist_ok=True)
    inp, enc, dec = (os.path.join(d, n) for n in ("in.pcap", "enc.pcap", "dec.pcap"))
    write_pcap(inp, orig)
    spec = cfg.spec()

    # 1. fgate encrypts.
    rc, counts, out = fgate(spec, "encrypt", inp, enc)
    check(f"{cfg.name}: encrypt", rc == 0 and counts == {"OK": len(orig)}, f"exit {rc}: {out}")
    if rc != 0:
        return
    lt, encp = read_pcap(enc)
    check(f"{cfg.name}: output is LINKTYPE_RAW", lt == LINKTYPE_RAW and len(encp) == len(orig),
          f"linktype {lt}, {len(encp)} packets")

    # 1b. With the same IVs, this backend writes exactly what the soft
    # backend (the golden model) writes.
    if BACKEND != "soft":
        mine, gold = os.path.join(d, "seed.pcap"), os.path.join(d, "seed-soft.pcap")
        rc1, _, out1 = fgate(spec, "encrypt", inp, mine, ("--iv-seed", "7"))
        rc2, _, out2 = fgate(spec, "encrypt", inp, gold, ("--iv-seed", "7"), backend="soft")
        why = f"exit {rc1}/{rc2}: {out1} {out2}" if rc1 or rc2 else same(read_pcap(mine)[1], read_pcap(gold)[1])
        check(f"{cfg.name}: same bytes as the soft backend", not why, why)

    # 2. tshark decrypts every ESP packet and checks its ICV.
    if cfg.proto == "esp":
        fields = ["-e", "esp.spi", "-e", "esp.contained_data"]
        if cfg.auth != "none":
            fields += ["-e", "esp.icv_good"]
        r = subprocess.run(["tshark", "-r", enc, "-o", "esp.enable_encryption_decode:TRUE",
                            "-o", "esp.enable_authentication_check:TRUE", "-o", cfg.tshark_sa(),
                            "-T", "fields", *fields], capture_output=True, text=True, timeout=120)
        rows = [l.split("\t") for l in r.stdout.splitlines()]
        why = ""
        if r.returncode or len(rows) != len(orig):
            why = f"tshark exit {r.returncode}, {len(rows)} rows: {r.stderr.strip()[:200]}"
        for i, row in enumerate(rows):
            if why:
                break
            want = orig[i] if cfg.mode == "tunnel" else orig[i][(orig[i][0] & 15) * 4:]
            if len(row) < 2 or bytes.fromhex(row[1].replace(":", "")) != want:
                why = f"packet {i + 1}: tshark's decrypted data differs"
            elif cfg.auth != "none" and (len(row) < 3 or row[2] not in ("1", "True")):
                why = f"packet {i + 1}: ICV not [Good: True] ({row[2:]})"
        check(f"{cfg.name}: tshark decrypts, ICV good", not why, why)

    # 3. scapy decrypts fgate's output.
    sa = cfg.scapy_sa()
    why = ""
    for i, b in enumerate(encp):
        try:
            got = raw(sa.decrypt(IP(b)))
        except Exception as e:
            why = f"packet {i + 1}: scapy: {e}"
            break
        if got != orig[i]:
            why = f"packet {i + 1}: scapy's plaintext differs: {got[:40].hex()} want {orig[i][:40].hex()}"
            break
    check(f"{cfg.name}: scapy decrypts fgate's output", not why, why)

    # 4. fgate decrypts its own output.
    rc, counts, out = fgate(spec, "decrypt", enc, dec)
    why = f"exit {rc}: {out}" if rc or counts != {"OK": len(orig)} else same(read_pcap(dec)[1], orig)
    check(f"{cfg.name}: fgate decrypts its own output", not why, why)

    # 5. scapy encrypts, fgate decrypts.
    sa = cfg.scapy_sa()
    scp = []
    for b in orig:
        e = bytearray(raw(sa.encrypt(IP(b))))
        if cfg.udp:     # scapy 2.5 leaves the NAT-T UDP length at 8
            ihl = (e[0] & 15) * 4
            e[ihl + 4:ihl + 6] = struct.pack(">H", len(e) - ihl)
        scp.append(bytes(e))
    sin, sout = os.path.join(d, "scapy.pcap"), os.path.join(d, "scapy-dec.pcap")
    write_pcap(sin, scp)
    rc, counts, out = fgate(spec, "decrypt", sin, sout)
    why = f"exit {rc}: {out}" if rc or counts != {"OK": len(orig)} else same(read_pcap(sout)[1], orig)
    check(f"{cfg.name}: fgate decrypts scapy's packets", not why, why)

    # 6. Bad packets among good ones, decrypt direction.
    bad, want = [], {"OK": len(orig), "REPLAY": 1, "BAD_LENGTH": 2}
    for i, b in enumerate(encp):
        if i == 2 and cfg.auth != "none":
            bad.append(tamper_icv(cfg, b))          # AUTH_FAIL, window unchanged
            want["AUTH_FAIL"] = 1
        if i == 4:
            bad.append(truncate(cfg, b))            # BAD_LENGTH at the device
        if i == 5:
            bad.append((b[:30], len(b)))            # cut by the capture: BAD_LENGTH
        if i == 6 and cfg.udp:
            bad += [keepalive(), ike_marker()]      # not ESP: SKIPPED
            want["SKIPPED"] = 2
        bad.append(b)
        if i == 3:
            bad.append(encp[1])                     # REPLAY
    tin, tout = os.path.join(d, "bad.pcap"), os.path.join(d, "bad-dec.pcap")
    write_pcap(tin, bad)
    rc, counts, out = fgate(spec, "decrypt", tin, tout)
    why = f"exit {rc} (want 1), counts {counts} want {want}: {out}" if rc != 1 or counts != want \
        else same(read_pcap(tout)[1], orig)
    check(f"{cfg.name}: tampered, replayed, truncated inputs counted", not why, why)

    # 7. Bad packets, encrypt direction.
    bad = [orig[0], (orig[1][:25], len(orig[1])), raw(IPv6(src="2001:db8::1", dst="2001:db8::2") / UDP()), *orig[2:]]
    want = {"OK": len(orig) - 1, "BAD_LENGTH": 1, "SKIPPED": 1}
    write_pcap(tin, bad)
    rc, counts, out = fgate(spec, "encrypt", tin, tout)
    why = f"exit {rc} (want 1), counts {counts} want {want}: {out}" if rc != 1 or counts != want else ""
    if not why:
        sa = cfg.scapy_sa()
        try:
            got = [raw(sa.decrypt(IP(b))) for b in read_pcap(tout)[1]]
            why = same(got, [orig[0]] + orig[2:])
        except Exception as e:
            why = f"scapy: {e}"
    check(f"{cfg.name}: truncated and IPv6 inputs to encrypt counted", not why, why)

# ---- checks once ----

def run_once():
    cfg = Cfg("esp", "3des", "sha1", "tunnel", False, 0x2001)
    spec = cfg.spec()
    big = originals(1000)
    inp, enc, dec = (os.path.join(W, n) for n in ("big.pcap", "big-enc.pcap", "big-dec.pcap"))
    write_pcap(inp, big)
    rc, counts, out = fgate(spec, "encrypt", inp, enc)
    rc2, counts2, out2 = fgate(spec, "decrypt", enc, dec)
    why = f"encrypt exit {rc} ({out}), decrypt exit {rc2} ({out2})" if rc or rc2 else same(read_pcap(dec)[1], big)
    if not why:
        _, e = read_pcap(enc)
        seqs = [struct.unpack(">I", p[24:28])[0] for p in e]
        why = "" if seqs == list(range(1, 1001)) else "sequence numbers not 1..1000 in input order"
    check("1000 packets (more than the device window) in order", not why, why)

    # Ethernet input, with an ARP frame that is skipped.
    orig = originals(10)
    frames = [raw(Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(b)) for b in orig]
    frames.insert(3, raw(Ether() / ARP()))
    write_pcap(inp, frames, LINKTYPE_ETHERNET)
    rc, counts, out = fgate(spec, "encrypt", inp, enc)
    rc2, counts2, out2 = fgate(spec, "decrypt", enc, dec)
    why = f"encrypt exit {rc} {counts}, decrypt exit {rc2}: {out} {out2}" \
        if rc or rc2 or counts != {"OK": 10, "SKIPPED": 1} else same(read_pcap(dec)[1], orig)
    check("Ethernet input (ARP skipped)", not why, why)

    # --iv-seed: the same output twice; random IVs differ.
    write_pcap(inp, orig)
    outs = []
    for extra in (["--iv-seed", "7"], ["--iv-seed", "7"], [], []):
        fgate(spec, "encrypt", inp, enc, extra)
        outs.append(read_pcap(enc)[1])
    check("--iv-seed reproduces, random IVs differ", outs[0] == outs[1] and outs[2] != outs[3]
          and outs[0] != outs[2], "outputs compare wrong")

    # Exit status 2 with one line naming the field or file.
    cases = [
        (["--sa", "spi=0x1001,src=192.0.2.1", "--encrypt", inp, enc], "dst"),
        (["--sa", "spi=0x1001,src=192.0.2.1,dst=192.0.2.2,enc=3des-cbc:0x00", "--encrypt", inp, enc], "enc"),
        (["--sa", spec, "--encrypt", os.path.join(W, "missing.pcap"), enc], "missing.pcap"),
        (["--sa", spec, "--decrypt", inp, os.path.join(W, "no", "dir.pcap")], "dir.pcap"),
        (["--sa", spec, inp, enc], "--encrypt"),
    ]
    for args, word in cases:
        r = subprocess.run([TOOL, "--offload", BACKEND, *args], capture_output=True, text=True)
        lines = r.stderr.strip().splitlines()
        ok = r.returncode == 2 and lines and word in lines[0] and len([l for l in lines if "fgate-pcap" in l]) == 1
        check(f"exit 2 naming {word}", ok, f"exit {r.returncode}: {r.stderr.strip()}")

def main():
    orig = originals(24)
    for cfg in configs():
        try:
            run_cfg(cfg, orig)
        except Exception as e:  # a crash of the checker is a failure too
            check(f"{cfg.name}: checker", False, repr(e))
    try:
        run_once()
    except Exception as e:
        check("single checks: checker", False, repr(e))
    print(f"{SUITE}: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)

main()
PYTHON
rc=$?
# A checker that died before its summary still counts as a failure.
exit $rc
