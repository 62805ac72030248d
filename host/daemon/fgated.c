/*
 * fgated: the IKEv1 daemon. One thread, one poll() loop: UDP sockets on
 * every configured local address (ports 500 and 4500), a 200 ms tick for
 * retransmissions, the control socket (fgate { control }, default
 * /run/fgated.ctl: fgatectl's commands, control.h and docs/fgatectl.md)
 * and a signalfd for SIGTERM/SIGINT, which send DELETE for every SA and
 * exit. Two older stand-ins for fgatectl remain: SIGUSR1 deletes (with
 * DELETE) every child SA and keeps the ISAKMP SAs (fgatectl terminate
 * --child does it per child), SIGUSR2 logs the datapath's counters
 * (traffic, drops per reason, the device's per-SA counters; fgatectl
 * stats returns them). Connections with start_action = start are
 * initiated at startup.
 *
 * The datapath (net/datapath.h) runs in the same loop: the TUN device,
 * ESP from the port-4500 sockets (shared with IKE, RFC 3948) and the
 * offload backend (fgate { offload } or --offload), which must open or
 * fgated exits with status 1. The control socket need not: if its path is
 * taken by another fgated (or cannot be bound) fgated logs it and runs
 * without one.
 *
 * Without --foreground fgated detaches once it has started (detach.h):
 * the starting command exits 0 then, or 1 if the start failed, and the
 * daemon logs to syslog. With it, fgated stays attached and logs to
 * stderr (what systemd's Type=simple unit uses).
 *
 *   fgated -c FILE [--foreground] [-d LEVEL] [--offload NAME]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/config.h"
#include "common/err.h"
#include "common/log.h"
#include "common/loop.h"
#include "crypto/crypto.h"
#include "daemon/control.h"
#include "daemon/detach.h"
#include "daemon/fgated.h"
#include "ike/child_sa.h"
#include "ike/ike_mgr.h"
#include "net/datapath.h"
#include "net/udp.h"
#include "offload/offload.h"

/* RFC 3948 2.3: one 0xff byte without the non-ESP marker (udp_send()
 * would add it), straight from the port-4500 socket. */
static int keepalive_cb(void *ctx, const struct ike_endpoint *local,
			const struct ike_endpoint *remote)
{
	static const uint8_t ka = 0xff;
	struct fgated *d = ctx;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(remote->port),
				  .sin_addr.s_addr = htonl(remote->addr) };
	unsigned i;

	for (i = 0; i < d->nsocks; i++)
		if (d->socks[i].addr == local->addr && d->socks[i].port == local->port)
			return sendto(d->socks[i].fd, &ka, 1, 0, (struct sockaddr *)&to,
				      sizeof(to)) == 1 ? 0 : FG_ERR_IO;
	return FG_ERR_NOTFOUND;
}

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
			break;
		if (rc) {       /* keepalive (one 0xff byte) or ESP */
			if (d->dp && len > 1)
				datapath_input_udp(d->dp, d->buf, len, from.addr, from.port, s->addr);
			continue;
		}
		ike_mgr_input(&d->mgr, d->buf, len, &from, &to, loop_now());
	}
	if (d->dp)
		datapath_flush(d->dp);
}

/* The device's counters of each child SA: byte lifetimes, the end of a
 * rekeying overlap, DPD liveness (ike_mgr.h). */
static void counters_cb(void *ctx, uint32_t spi_in, uint64_t bytes_in, uint64_t bytes_out,
			uint64_t packets_in, uint64_t packets_out)
{
	struct fgated *d = ctx;

	ike_mgr_child_bytes(&d->mgr, spi_in, bytes_in, bytes_out, packets_in, packets_out);
}

/* Traffic without a policy: a trapped child config may cover it. */
static void acquire_cb(void *ctx, uint32_t src, uint32_t dst)
{
	struct fgated *d = ctx;

	ike_mgr_acquire(&d->mgr, src, dst);
}

void fgated_refresh_counters(struct fgated *d)
{
	if (d->dp)
		datapath_counters_each(d->dp, counters_cb, d);
}

static void on_tick(void *ctx)
{
	struct fgated *d = ctx;
	uint64_t now = loop_now();

	if (d->dp && now >= d->counters_at) {
		datapath_counters_each(d->dp, counters_cb, d);
		d->counters_at = now + FGATED_COUNTERS_MS;
	}
	ike_mgr_tick(&d->mgr, now);
	if (d->n_retired)
		fgated_reap_configs(d);
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
	if (si.ssi_signo == SIGUSR2) {
		if (d->dp)
			datapath_log_stats(d->dp);
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
	if (!rc && natt && d->dp)
		rc = datapath_add_socket(d->dp, addr, d->socks[d->nsocks].fd);
	if (rc) {
		udp_close(&d->socks[d->nsocks]);
		return rc;
	}
	d->nsocks++;
	return 0;
}

int fgated_open_sockets(struct fgated *d, const struct fg_config *cfg)
{
	unsigned i;
	int rc;

	for (i = 0; i < cfg->n_conns; i++) {
		const struct fg_conn *c = &cfg->conns[i];
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

static int dp_install(void *ctx, const struct sad_sa *sa, const struct sad_keys *k)
{
	return datapath_sa_add(ctx, sa, k);
}

static void dp_remove(void *ctx, bool ah, uint32_t spi_in, uint32_t spi_out)
{
	datapath_sa_del(ctx, ah, spi_in, spi_out);
}

/* The offload backend and the datapath over it. */
static int open_datapath(struct fgated *d, const char *backend)
{
	static const char *const names[] = {
		[FG_OFFLOAD_SOFT] = "soft", [FG_OFFLOAD_SIM] = "sim",
		[FG_OFFLOAD_USB] = "usb", [FG_OFFLOAD_PCIE] = "pcie",
		[FG_OFFLOAD_SIM_FT601] = "sim-ft601",
	};
	struct datapath_cfg dc = { .tun = d->cfg->fgate.tun,
				   .install_routes = d->cfg->fgate.install_routes,
				   .acquire = acquire_cb, .ctx = d };
	struct child_sa_sink sink = { dp_install, dp_remove, NULL };
	int rc;

	if (!backend)
		backend = (unsigned)d->cfg->fgate.offload < sizeof(names) / sizeof(names[0]) ?
			  names[d->cfg->fgate.offload] : "?";
	rc = offload_open(backend, NULL, &d->offload);
	if (rc) {
		fprintf(stderr, "fgated: cannot open offload backend '%s': %s\n", backend,
			fg_err_name(rc));
		return rc;
	}
	rc = datapath_open(d->loop, d->offload, &dc, &d->dp);
	if (rc) {
		fprintf(stderr, "fgated: cannot start the datapath on backend '%s': %s\n",
			backend, fg_err_name(rc));
		return rc;
	}
	sink.ctx = d->dp;
	child_sa_set_sink(&sink);
	return 0;
}

static bool trap_child(const struct fg_child *ch)
{
	return ch && ch->start_action == FG_ACTION_TRAP && ch->mode == FG_MODE_TUNNEL;
}

/* Children with start_action = trap need their route before any SA. */
void fgated_route_traps(struct fgated *d, const struct fg_config *cfg,
			const struct fg_config *skip)
{
	unsigned i, j;
	char name[160];

	if (!d->dp)
		return;
	for (i = 0; i < cfg->n_conns; i++) {
		const struct fg_conn *c = &cfg->conns[i];

		for (j = 0; j < c->n_children; j++) {
			const struct fg_child *ch = &c->children[j];

			if (!trap_child(ch) ||
			    trap_child(config_find_child(config_find_conn(skip, c->name), ch->name)))
				continue;
			snprintf(name, sizeof(name), "connection %s CHILD_SA %s (trap)", c->name,
				 ch->name);
			datapath_trap(d->dp, &ch->local_ts[0], &ch->remote_ts[0], name);
		}
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: fgated -c|--config FILE [--foreground] [-d|--debug LEVEL]"
			" [--offload NAME]\n"
			"  LEVEL: error, warn, info, debug, keys\n"
			"  NAME: offload backend (soft, sim, sim-ft601, usb); default: fgate.offload\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "debug", required_argument, NULL, 'd' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "offload", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct fgated *d = NULL;
	const char *file = NULL, *debug = NULL, *backend = NULL;
	enum fg_log_level level;
	char err[512];
	sigset_t mask;
	bool foreground = false;
	int opt, rc = 1, ready_fd = -1;

	while ((opt = getopt_long(argc, argv, "c:d:fh", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			file = optarg;
			break;
		case 'd':
			debug = optarg;
			break;
		case 'f':
			foreground = true;
			break;
		case 'o':
			backend = optarg;
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
	d->cfg_path = file;
	d->log_level_forced = debug != NULL;
	if (config_load_file(file, &d->cfg, err, sizeof(err)))
		goto out;       /* config_load_file() logged the error */
	fg_log_set_level(debug ? level : d->cfg->fgate.log_level);
	/* before any thread (offload backends) or socket exists */
	if (!foreground && detach_start(&ready_fd)) {
		fg_err("cannot start as a daemon: %s (try --foreground)", strerror(errno));
		goto out;
	}
	if (crypto_init() || loop_create(&d->loop))
		goto out;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGUSR2);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	d->sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (d->sigfd < 0 || loop_add_fd(d->loop, d->sigfd, on_signal, d))
		goto out;
	if (open_datapath(d, backend))
		goto out;
	ike_mgr_init(&d->mgr, d->cfg, send_cb, d);
	ike_mgr_set_keepalive(&d->mgr, keepalive_cb);
	if (fgated_open_sockets(d, d->cfg))
		goto out;
	/* not fatal: IKE and the datapath work without it (another fgated in
	 * a second network namespace may share the default path) */
	if (control_open(d->loop, d->cfg->fgate.control, fgated_control, d, &d->ctl))
		fg_err("running without a control socket: fgatectl cannot reach this fgated "
		       "(set fgate { control } to a path of its own)");
	fg_info("fgated started: %u connection(s) from %s", d->cfg->n_conns, file);
	if (ready_fd >= 0)
		detach_ready(ready_fd);
	on_tick(d);             /* sets the manager's clock, arms the tick */
	ike_mgr_start_all(&d->mgr);
	fgated_route_traps(d, d->cfg, NULL);
	rc = loop_run(d->loop) ? 1 : 0;
	if (d->dp)
		datapath_log_stats(d->dp);
	fg_info("fgated stopped");
out:
	if (d) {
		unsigned i;

		control_close(d->ctl);
		ike_mgr_free(&d->mgr);
		child_sa_set_sink(NULL);
		datapath_close(d->dp);
		offload_close(d->offload);
		for (i = 0; i < d->nsocks; i++)
			udp_close(&d->socks[i]);
		if (d->sigfd >= 0)
			close(d->sigfd);
		loop_free(d->loop);
		config_free(d->cfg);
		for (i = 0; i < d->n_retired; i++)
			config_free(d->retired[i]);
		free(d);
	}
	return rc;
}
