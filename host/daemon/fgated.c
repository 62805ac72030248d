/*
 * fgated: the IKEv1 daemon. One thread, one poll() loop: UDP sockets on
 * every configured local address (ports 500 and 4500), a 200 ms tick for
 * retransmissions, and a signalfd for SIGTERM/SIGINT, which send DELETE
 * for every SA and exit, and SIGUSR1, which deletes (with DELETE) every
 * child SA and keeps the ISAKMP SAs (a stand-in until fgatectl exists). Connections with start_action = start are
 * initiated at startup.
 *
 *   fgated -c FILE [--foreground] [-d LEVEL]
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "common/config.h"
#include "common/err.h"
#include "common/log.h"
#include "common/loop.h"
#include "crypto/crypto.h"
#include "ike/ike_mgr.h"
#include "net/udp.h"

enum { FGATED_SOCKS_MAX = 16, FGATED_TICK_MS = 200 };

struct fgated {
	struct fg_config *cfg;
	struct loop *loop;
	struct ike_mgr mgr;
	unsigned nsocks;
	struct udp_sock socks[FGATED_SOCKS_MAX];
	int sigfd;
	uint8_t buf[UDP_MAX_DGRAM];
};

static int send_cb(void *ctx, const struct ike_endpoint *local,
		   const struct ike_endpoint *remote, const uint8_t *buf, size_t len)
{
	struct fgated *d = ctx;
	unsigned i;

	for (i = 0; i < d->nsocks; i++)
		if (d->socks[i].addr == local->addr && d->socks[i].port == local->port)
			return udp_send(&d->socks[i], remote->addr, remote->port, buf, len);
	fg_warn("no socket for local port %u", local->port);
	return FG_ERR_NOTFOUND;
}

static void on_udp(void *ctx, int fd)
{
	struct fgated *d = ctx;
	struct udp_sock *s = NULL;
	unsigned i;

	for (i = 0; i < d->nsocks; i++)
		if (d->socks[i].fd == fd)
			s = &d->socks[i];
	if (!s)
		return;
	for (;;) {
		struct ike_endpoint from, to = { s->addr, s->port };
		size_t len;
		int rc = udp_recv(s, d->buf, sizeof(d->buf), &len, &from.addr, &from.port);

		if (rc == FG_ERR_IO)
			return;
		if (rc)
			continue;       /* keepalive or ESP: not for IKE */
		ike_mgr_input(&d->mgr, d->buf, len, &from, &to, loop_now());
	}
}

static void on_tick(void *ctx)
{
	struct fgated *d = ctx;
	uint64_t now = loop_now();

	ike_mgr_tick(&d->mgr, now);
	if (loop_add_timer(d->loop, now + FGATED_TICK_MS, on_tick, d) < 0)
		fg_err("cannot re-arm the tick timer");
}

static void on_signal(void *ctx, int fd)
{
	struct fgated *d = ctx;
	struct signalfd_siginfo si;

	if (read(fd, &si, sizeof(si)) != sizeof(si))
		return;
	if (si.ssi_signo == SIGUSR1) {
		fg_info("SIGUSR1: deleting all child SAs");
		ike_mgr_delete_children(&d->mgr);
		return;
	}
	fg_info("signal %u: deleting all SAs and exiting", si.ssi_signo);
	ike_mgr_delete_all(&d->mgr);
	loop_stop(d->loop);
}

static int add_sock(struct fgated *d, uint32_t addr, uint16_t port, bool natt)
{
	unsigned i;
	int rc;

	for (i = 0; i < d->nsocks; i++)
		if (d->socks[i].addr == addr && d->socks[i].port == port)
			return 0;
	if (d->nsocks >= FGATED_SOCKS_MAX)
		return FG_ERR_FULL;
	rc = udp_open(&d->socks[d->nsocks], addr, port, natt);
	if (rc)
		return rc;
	rc = loop_add_fd(d->loop, d->socks[d->nsocks].fd, on_udp, d);
	if (rc) {
		udp_close(&d->socks[d->nsocks]);
		return rc;
	}
	d->nsocks++;
	return 0;
}

static int open_sockets(struct fgated *d)
{
	unsigned i;
	int rc;

	for (i = 0; i < d->cfg->n_conns; i++) {
		const struct fg_conn *c = &d->cfg->conns[i];
		uint32_t a;

		if (c->local_addrs.any || c->local_addrs.n != 1 ||
		    c->local_addrs.r[0].first != c->local_addrs.r[0].last) {
			fg_err("connection %s: fgated needs exactly one local address in "
			       "local_addrs (%%any is not supported yet)", c->name);
			return FG_ERR_UNSUPP;
		}
		a = c->local_addrs.r[0].first;
		rc = add_sock(d, a, c->local_port, false);
		if (!rc)
			rc = add_sock(d, a, 4500, true);
		if (rc)
			return rc;
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: fgated -c|--config FILE [--foreground] [-d|--debug LEVEL]\n"
			"  LEVEL: error, warn, info, debug, keys\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "debug", required_argument, NULL, 'd' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct fgated *d = NULL;
	const char *file = NULL, *debug = NULL;
	enum fg_log_level level;
	char err[512];
	sigset_t mask;
	int opt, rc = 1;

	while ((opt = getopt_long(argc, argv, "c:d:fh", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			file = optarg;
			break;
		case 'd':
			debug = optarg;
			break;
		case 'f':
			break;
		default:
			usage();
			return opt == 'h' ? 0 : 2;
		}
	}
	if (!file || optind != argc) {
		usage();
		return 2;
	}
	if (debug && fg_log_level_parse(debug, &level)) {
		fprintf(stderr, "fgated: unknown log level '%s'\n", debug);
		return 2;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return 1;
	d->sigfd = -1;
	if (config_load_file(file, &d->cfg, err, sizeof(err))) {
		fprintf(stderr, "fgated: %s\n", err);
		goto out;
	}
	fg_log_set_level(debug ? level : d->cfg->fgate.log_level);
	if (crypto_init() || loop_create(&d->loop))
		goto out;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	d->sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (d->sigfd < 0 || loop_add_fd(d->loop, d->sigfd, on_signal, d))
		goto out;
	ike_mgr_init(&d->mgr, d->cfg, send_cb, d);
	if (open_sockets(d))
		goto out;
	fg_info("fgated started: %u connection(s) from %s", d->cfg->n_conns, file);
	on_tick(d);             /* sets the manager's clock, arms the tick */
	ike_mgr_start_all(&d->mgr);
	rc = loop_run(d->loop) ? 1 : 0;
	fg_info("fgated stopped");
out:
	if (d) {
		unsigned i;

		ike_mgr_free(&d->mgr);
		for (i = 0; i < d->nsocks; i++)
			udp_close(&d->socks[i]);
		if (d->sigfd >= 0)
			close(d->sigfd);
		loop_free(d->loop);
		config_free(d->cfg);
		free(d);
	}
	return rc;
}
