/*
 * The TUN interface that carries the protected (inner) traffic: IPv4
 * packets without a packet-information header (IFF_NO_PI). tun_open()
 * creates or attaches the device, sets its MTU and brings it up; the fd
 * is non-blocking. Needs CAP_NET_ADMIN.
 */
#ifndef FGATE_NET_TUN_H
#define FGATE_NET_TUN_H

#include <stddef.h>
#include <stdint.h>

enum {
	TUN_NAME_MAX = 16,              /* IFNAMSIZ */
	TUN_MTU_DEFAULT = 1400,         /* inner MTU: ESP in UDP fits 1500 */
};

struct tun {
	int fd;
	int ifindex;
	unsigned mtu;
	char name[TUN_NAME_MAX];
};

/* Opens name (created if absent), disables IPv6 on it (fgated is IPv4
 * only), sets mtu and IFF_UP. Returns 0 or
 * FG_ERR_INVAL (name too long), FG_ERR_IO (logged with the reason). */
int tun_open(struct tun *t, const char *name, unsigned mtu);
void tun_close(struct tun *t);
/* One packet into buf. FG_ERR_IO with errno EAGAIN when none is waiting. */
int tun_read(const struct tun *t, uint8_t *buf, size_t cap, size_t *len);
/* Writes one IPv4 packet. 0 or FG_ERR_IO (errno set). */
int tun_write(const struct tun *t, const uint8_t *pkt, size_t len);

#endif
