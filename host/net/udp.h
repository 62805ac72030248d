/*
 * IKE's UDP sockets: one per local address and port (500, and 4500 for
 * NAT-T). On a NAT-T socket (RFC 3948 2.2) IKE messages carry a 4-byte
 * zero non-ESP marker: udp_send() adds it, udp_recv() strips it and
 * reports ESP packets (non-zero marker) and NAT keepalives (one 0xff byte)
 * as FG_ERR_UNSUPP so the caller can pass or drop them. Addresses and
 * ports are in host byte order.
 */
#ifndef FGATE_NET_UDP_H
#define FGATE_NET_UDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { UDP_NON_ESP_MARKER = 4, UDP_MAX_DGRAM = 65535 };

struct udp_sock {
	int fd;
	uint32_t addr;
	uint16_t port;
	bool natt;          /* non-ESP marker on this socket */
};

/* Binds addr:port (port 0: an ephemeral one, stored in s->port). */
int udp_open(struct udp_sock *s, uint32_t addr, uint16_t port, bool natt);
void udp_close(struct udp_sock *s);
int udp_send(const struct udp_sock *s, uint32_t addr, uint16_t port, const uint8_t *buf,
	     size_t len);
/* One datagram into buf; *len is the IKE message length. Nothing to read
 * (or a socket error) is FG_ERR_IO, with errno set (EAGAIN when empty). */
int udp_recv(const struct udp_sock *s, uint8_t *buf, size_t cap, size_t *len,
	     uint32_t *from, uint16_t *from_port);

#endif
