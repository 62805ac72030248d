/* Routes over rtnetlink (route.h): one request, one acknowledgement. */
#include "net/route.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"

enum { NL_BUF = 512 };

struct rt_req {
	struct nlmsghdr nh;
	struct rtmsg rt;
	uint8_t attrs[64];
};

static void add_attr(struct rt_req *r, unsigned short type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((uint8_t *)r + NLMSG_ALIGN(r->nh.nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

/* Sends r and reads its acknowledgement: 0 or -errno of the kernel. */
static int talk(struct rt_req *r)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint8_t buf[NL_BUF];
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), err = -EIO;
	ssize_t n;

	if (fd < 0)
		return -errno;
	r->nh.nlmsg_seq = 1;
	if (sendto(fd, r, r->nh.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		goto out;
	}
	n = recv(fd, buf, sizeof(buf), 0);
	if (n >= (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (h->nlmsg_type == NLMSG_ERROR)
			err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
	} else if (n < 0) {
		err = -errno;
	}
out:
	close(fd);
	return err;
}

static int route_req(int type, int flags, int ifindex, uint32_t dst, unsigned plen,
		     uint32_t src)
{
	struct rt_req r;
	uint32_t d = htonl(dst), s = htonl(src);
	int oif = ifindex;

	memset(&r, 0, sizeof(r));
	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg));
	r.nh.nlmsg_type = (unsigned short)type;
	r.nh.nlmsg_flags = (unsigned short)(NLM_F_REQUEST | NLM_F_ACK | flags);
	r.rt.rtm_family = AF_INET;
	r.rt.rtm_dst_len = (unsigned char)plen;
	r.rt.rtm_table = RT_TABLE_MAIN;
	r.rt.rtm_protocol = RTPROT_STATIC;
	r.rt.rtm_scope = RT_SCOPE_LINK;
	r.rt.rtm_type = RTN_UNICAST;
	add_attr(&r, RTA_DST, &d, 4);
	add_attr(&r, RTA_OIF, &oif, sizeof(oif));
	if (src)
		add_attr(&r, RTA_PREFSRC, &s, 4);
	return talk(&r);
}

static const char *fmt(uint32_t a, char buf[INET_ADDRSTRLEN])
{
	struct in_addr in = { htonl(a) };

	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

int route_add(int ifindex, uint32_t dst, unsigned plen, uint32_t src)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	int err = route_req(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, ifindex, dst, plen, src);

	if (err == -EEXIST)
		return FG_ERR_EXISTS;
	if (err) {
		fg_warn("route: cannot add %s/%u via ifindex %d src %s: %s", fmt(dst, a), plen,
			ifindex, src ? fmt(src, b) : "-", strerror(-err));
		return FG_ERR_IO;
	}
	return 0;
}

int route_del(int ifindex, uint32_t dst, unsigned plen)
{
	char a[INET_ADDRSTRLEN];
	int err = route_req(RTM_DELROUTE, 0, ifindex, dst, plen, 0);

	if (err == -ESRCH || err == -ENODEV)
		return FG_ERR_NOTFOUND;
	if (err) {
		fg_warn("route: cannot remove %s/%u via ifindex %d: %s", fmt(dst, a), plen, ifindex,
			strerror(-err));
		return FG_ERR_IO;
	}
	return 0;
}

int route_prefix(uint32_t first, uint32_t last, uint32_t *dst, unsigned *plen)
{
	uint32_t size = last - first;
	unsigned bits = 0;

	if (last < first || (size & (size + 1)) != 0 || (first & size) != 0)
		return FG_ERR_INVAL;
	while (bits < 32 && (size >> bits) & 1)
		bits++;
	*dst = first;
	*plen = 32 - bits;
	return 0;
}

int route_local_src(uint32_t first, uint32_t last, uint32_t *src)
{
	struct ifaddrs *ifa, *i;
	uint32_t best = 0;
	int found = 0;

	if (getifaddrs(&ifa) < 0)
		return FG_ERR_NOTFOUND;
	for (i = ifa; i; i = i->ifa_next) {
		uint32_t a;

		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET)
			continue;
		a = ntohl(((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr.s_addr);
		if (a >= first && a <= last && (!found || a < best)) {
			best = a;
			found = 1;
		}
	}
	freeifaddrs(ifa);
	if (!found)
		return FG_ERR_NOTFOUND;
	*src = best;
	return 0;
}
