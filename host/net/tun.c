/* TUN device (tun.h) through /dev/net/tun and SIOC* ioctls. */
#include "net/tun.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"

static int set_link(struct tun *t)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = FG_ERR_IO;

	if (s < 0) {
		fg_err("tun %s: socket for ioctl: %s", t->name, strerror(errno));
		return FG_ERR_IO;
	}
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, t->name, sizeof(ifr.ifr_name));
	ifr.ifr_mtu = (int)t->mtu;
	if (ioctl(s, SIOCSIFMTU, &ifr) < 0) {
		fg_err("tun %s: cannot set MTU %u: %s", t->name, t->mtu, strerror(errno));
		goto out;
	}
	if (ioctl(s, SIOCGIFINDEX, &ifr) < 0) {
		fg_err("tun %s: no interface index: %s", t->name, strerror(errno));
		goto out;
	}
	t->ifindex = ifr.ifr_ifindex;
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
		fg_err("tun %s: cannot read flags: %s", t->name, strerror(errno));
		goto out;
	}
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) {
		fg_err("tun %s: cannot bring it up: %s", t->name, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	close(s);
	return rc;
}

/* fgated carries IPv4 only: keep the kernel's IPv6 chatter (router and
 * multicast listener solicitations) off the device, best effort. */
static void no_ipv6(const char *name)
{
	char path[96];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, "1", 1) != 1)
		fg_debug("tun %s: cannot disable IPv6: %s", name, strerror(errno));
	close(fd);
}

int tun_open(struct tun *t, const char *name, unsigned mtu)
{
	struct ifreq ifr;
	size_t n = strlen(name);
	int rc;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	if (!n || n >= TUN_NAME_MAX) {
		fg_err("tun: bad interface name '%s'", name);
		return FG_ERR_INVAL;
	}
	memcpy(t->name, name, n + 1);
	t->mtu = mtu ? mtu : TUN_MTU_DEFAULT;
	t->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0) {
		fg_err("tun %s: cannot open /dev/net/tun: %s", name, strerror(errno));
		return FG_ERR_IO;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	memcpy(ifr.ifr_name, name, n);
	if (ioctl(t->fd, TUNSETIFF, &ifr) < 0) {
		fg_err("tun %s: TUNSETIFF failed: %s", name, strerror(errno));
		tun_close(t);
		return FG_ERR_IO;
	}
	no_ipv6(t->name);
	rc = set_link(t);
	if (rc) {
		tun_close(t);
		return rc;
	}
	fg_info("tun %s: up, MTU %u, ifindex %d", t->name, t->mtu, t->ifindex);
	return 0;
}

void tun_close(struct tun *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

int tun_read(const struct tun *t, uint8_t *buf, size_t cap, size_t *len)
{
	ssize_t n = read(t->fd, buf, cap);

	if (n < 0)
		return FG_ERR_IO;
	*len = (size_t)n;
	return 0;
}

int tun_write(const struct tun *t, const uint8_t *pkt, size_t len)
{
	ssize_t n = write(t->fd, pkt, len);

	return n == (ssize_t)len ? 0 : FG_ERR_IO;
}
