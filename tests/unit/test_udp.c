/* host/net/udp on 127.0.0.1: plain datagrams pass unchanged; a NAT-T
 * socket adds the non-ESP marker on send and strips it on receive, and
 * reports ESP-in-UDP, keepalives and runts as not IKE; an empty socket
 * reads FG_ERR_IO. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "net/udp.h"
#include "unit.h"

enum { LO = 0x7f000001 };

static void wait_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	CU_ASSERT_EQUAL(poll(&p, 1, 2000), 1);
}

static void test_plain(void)
{
	struct udp_sock a, b;
	uint8_t buf[64];
	size_t len;
	uint32_t from;
	uint16_t port;

	CU_ASSERT_EQUAL_FATAL(udp_open(&a, LO, 0, false), 0);
	CU_ASSERT_EQUAL_FATAL(udp_open(&b, LO, 0, false), 0);
	CU_ASSERT(a.port != 0 && b.port != 0 && a.port != b.port);
	CU_ASSERT_EQUAL(udp_recv(&b, buf, sizeof(buf), &len, &from, &port), FG_ERR_IO);
	CU_ASSERT_EQUAL(udp_send(&a, LO, b.port, (const uint8_t *)"hello", 5), 0);
	wait_readable(b.fd);
	CU_ASSERT_EQUAL(udp_recv(&b, buf, sizeof(buf), &len, &from, &port), 0);
	CU_ASSERT_EQUAL(len, 5);
	CU_ASSERT(memcmp(buf, "hello", 5) == 0);
	CU_ASSERT_EQUAL(from, LO);
	CU_ASSERT_EQUAL(port, a.port);
	udp_close(&a);
	udp_close(&b);
	CU_ASSERT_EQUAL(a.fd, -1);
}

/* Sends raw bytes to port with a plain socket. */
static void raw_send(uint16_t port, const void *data, size_t len)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port),
				   .sin_addr.s_addr = htonl(LO) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(sendto(fd, data, len, 0, (struct sockaddr *)&sin, sizeof(sin)),
			(ssize_t)len);
	close(fd);
}

static void test_natt(void)
{
	static const uint8_t ike_marked[] = { 0, 0, 0, 0, 'i', 'k', 'e' };
	static const uint8_t esp[] = { 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1, 9, 9 };
	static const uint8_t keepalive[] = { 0xff };
	static const uint8_t runt[] = { 0, 0 };
	struct udp_sock a, b;
	uint8_t buf[64];
	size_t len;
	uint32_t from;
	uint16_t port;

	CU_ASSERT_EQUAL_FATAL(udp_open(&a, LO, 0, true), 0);
	CU_ASSERT_EQUAL_FATAL(udp_open(&b, LO, 0, false), 0);
	/* marker added */
	CU_ASSERT_EQUAL(udp_send(&a, LO, b.port, (const uint8_t *)"ike", 3), 0);
	wait_readable(b.fd);
	CU_ASSERT_EQUAL(udp_recv(&b, buf, sizeof(buf), &len, &from, &port), 0);
	CU_ASSERT_EQUAL(len, 7);
	CU_ASSERT(memcmp(buf, ike_marked, 7) == 0);
	/* marker stripped */
	raw_send(a.port, ike_marked, sizeof(ike_marked));
	wait_readable(a.fd);
	CU_ASSERT_EQUAL(udp_recv(&a, buf, sizeof(buf), &len, &from, &port), 0);
	CU_ASSERT_EQUAL(len, 3);
	CU_ASSERT(memcmp(buf, "ike", 3) == 0);
	/* not IKE */
	raw_send(a.port, esp, sizeof(esp));
	wait_readable(a.fd);
	CU_ASSERT_EQUAL(udp_recv(&a, buf, sizeof(buf), &len, &from, &port), FG_ERR_UNSUPP);
	raw_send(a.port, keepalive, sizeof(keepalive));
	wait_readable(a.fd);
	CU_ASSERT_EQUAL(udp_recv(&a, buf, sizeof(buf), &len, &from, &port), FG_ERR_UNSUPP);
	raw_send(a.port, runt, sizeof(runt));
	wait_readable(a.fd);
	CU_ASSERT_EQUAL(udp_recv(&a, buf, sizeof(buf), &len, &from, &port), FG_ERR_UNSUPP);
	udp_close(&a);
	udp_close(&b);
}

static void test_bind_fails(void)
{
	struct udp_sock a, b;

	FILE *devnull = fopen("/dev/null", "w");

	fg_log_set_stream(devnull);     /* the expected error line */
	CU_ASSERT_EQUAL_FATAL(udp_open(&a, LO, 0, false), 0);
	/* 203.0.113.77 (TEST-NET-3) is on no interface here */
	CU_ASSERT_EQUAL(udp_open(&b, 0xcb00714d, 0, false), FG_ERR_IO);
	CU_ASSERT_EQUAL(b.fd, -1);
	udp_close(&a);
	fg_log_set_stream(NULL);
	if (devnull)
		fclose(devnull);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "plain", test_plain },
		{ "natt", test_natt },
		{ "bind_fails", test_bind_fails },
		{ NULL, NULL },
	};

	unit_add_suite("udp", tests);
	return unit_run("unit-udp");
}
