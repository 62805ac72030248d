#!/usr/bin/env python3
"""A port-translating UDP NAT for the NAT-T interop case (no nftables needed).

    udp-nat.py INSIDE_ADDR OUTSIDE_ADDR PEER_ADDR LOG

fgated talks to INSIDE_ADDR:500 and :4500 as if it were the peer. Each
datagram goes on to PEER_ADDR (same port) from a socket bound to
OUTSIDE_ADDR with an ephemeral port (one per inside client and port), so
the peer sees fgated behind a NAT with translated ports; answers travel
back the same way, sent to fgated from INSIDE_ADDR. The mapping lasts as
long as the script. LOG gets one line per NAT-T keepalive (a datagram of
the single byte 0xff) in each direction: "keepalive inside->outside" or
"keepalive outside->inside". Stops on SIGTERM.
"""
import selectors
import signal
import socket
import sys

PORTS = (500, 4500)


def main():
    inside, outside, peer, log_path = sys.argv[1:5]
    sel = selectors.DefaultSelector()
    log = open(log_path, "a", buffering=1)
    listeners = {}
    mappings = {}       # (client addr, client port, port) -> outside socket
    reverse = {}        # outside socket -> (listener, client endpoint)
    for port in PORTS:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((inside, port))
        listeners[s] = port
        sel.register(s, selectors.EVENT_READ)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    log.write("nat ready\n")
    while True:
        for key, _ in sel.select():
            s = key.fileobj
            data, src = s.recvfrom(65535)
            if s in listeners:
                port = listeners[s]
                k = (src[0], src[1], port)
                o = mappings.get(k)
                if o is None:
                    o = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    o.bind((outside, 0))
                    mappings[k] = o
                    reverse[o] = (s, src)
                    sel.register(o, selectors.EVENT_READ)
                    log.write("map %s:%d -> %s:%d\n" % (src[0], src[1], outside,
                                                         o.getsockname()[1]))
                if data == b"\xff":
                    log.write("keepalive inside->outside\n")
                o.sendto(data, (peer, port))
            else:
                listener, client = reverse[s]
                if data == b"\xff":
                    log.write("keepalive outside->inside\n")
                listener.sendto(data, client)


if __name__ == "__main__":
    main()
