#include "net/udp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"

int udp_open(struct udp_sock *s, uint32_t addr, uint16_t port, bool natt)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port),
				   .sin_addr.s_addr = htonl(addr) };
	char a[INET_ADDRSTRLEN];
	int one = 1;

	s->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	s->addr = addr;
	s->port = port;
	s->natt = natt;
	inet_ntop(AF_INET, &sin.sin_addr, a, sizeof(a));
	if (s->fd < 0) {
		fg_err("udp: socket for %s[%u]: %s", a, port, strerror(errno));
		return FG_ERR_IO;
	}
	setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s->fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		fg_err("udp: cannot bind %s[%u]: %s", a, port, strerror(errno));
		close(s->fd);
		s->fd = -1;
		return FG_ERR_IO;
	}
	if (!port) {            /* an ephemeral port: learn which */
		socklen_t sl = sizeof(sin);

		if (getsockname(s->fd, (struct sockaddr *)&sin, &sl) == 0)
			s->port = ntohs(sin.sin_port);
	}
	return 0;
}

void udp_close(struct udp_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

int udp_send(const struct udp_sock *s, uint32_t addr, uint16_t port, const uint8_t *buf,
	     size_t len)
{
	static const uint8_t marker[UDP_NON_ESP_MARKER];
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port),
				   .sin_addr.s_addr = htonl(addr) };
	struct iovec iov[2] = {
		{ (void *)marker, s->natt ? UDP_NON_ESP_MARKER : 0 },
		{ (void *)buf, len },
	};
	struct msghdr mh = { .msg_name = &sin, .msg_namelen = sizeof(sin), .msg_iov = iov,
			     .msg_iovlen = 2 };

	if (sendmsg(s->fd, &mh, 0) < 0) {
		fg_warn("udp: send of %zu bytes to port %u failed: %s", len, port, strerror(errno));
		return FG_ERR_IO;
	}
	return 0;
}

int udp_recv(const struct udp_sock *s, uint8_t *buf, size_t cap, size_t *len,
	     uint32_t *from, uint16_t *from_port)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	ssize_t n = recvfrom(s->fd, buf, cap, 0, (struct sockaddr *)&sin, &sl);

	if (n < 0)
		return FG_ERR_IO;
	*from = ntohl(sin.sin_addr.s_addr);
	*from_port = ntohs(sin.sin_port);
	*len = (size_t)n;
	if (!s->natt)
		return 0;
	if (n == 1 && buf[0] == 0xff)
		return FG_ERR_UNSUPP;           /* NAT-T keepalive */
	if (n < UDP_NON_ESP_MARKER || memcmp(buf, "\0\0\0\0", UDP_NON_ESP_MARKER) != 0)
		return FG_ERR_UNSUPP;           /* ESP in UDP: not IKE */
	memmove(buf, buf + UDP_NON_ESP_MARKER, (size_t)n - UDP_NON_ESP_MARKER);
	*len = (size_t)n - UDP_NON_ESP_MARKER;
	return 0;
}
