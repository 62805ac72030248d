/*
 * fgated's parts that share the daemon's state: fgated.c (main loop,
 * sockets, datapath), control_cmd.c (the control socket's commands) and
 * reload.c (re-reading the configuration). Not a library interface.
 */
#ifndef FGATE_DAEMON_FGATED_H
#define FGATE_DAEMON_FGATED_H

#include <stdbool.h>
#include <stdint.h>

#include "common/config.h"
#include "common/loop.h"
#include "daemon/control.h"
#include "ike/ike_mgr.h"
#include "net/datapath.h"
#include "net/udp.h"
#include "offload/offload.h"

enum fgated_limits {
	FGATED_SOCKS_MAX = 16,
	FGATED_TICK_MS = 200,
	FGATED_COUNTERS_MS = 1000,      /* device counters to the IKE side */
	FGATED_RETIRED_MAX = 16,        /* replaced configs still referenced */
};

struct fgated {
	const char *cfg_path;           /* the file given with -c (reload) */
	bool log_level_forced;          /* -d given: reload keeps it */
	struct fg_config *cfg;          /* the running configuration */
	/* Configurations replaced by a reload, kept while an SA, a waiting
	 * initiation or a trap still points into them (reload.c); freed by
	 * fgated_reap_configs() from the tick. */
	unsigned n_retired;
	struct fg_config *retired[FGATED_RETIRED_MAX];
	struct loop *loop;
	struct ike_mgr mgr;
	unsigned nsocks;
	struct udp_sock socks[FGATED_SOCKS_MAX];
	int sigfd;
	struct offload *offload;
	struct datapath *dp;
	struct control *ctl;
	uint64_t counters_at;           /* next datapath_counters_each() */
	uint8_t buf[UDP_MAX_DGRAM];
};

/* fgated.c: IKE and NAT-T sockets for every connection of cfg (those
 * already open are kept); routes for cfg's trap children (skip: those
 * whose connection and child names are also trap children in skip, which
 * may be NULL). */
int fgated_open_sockets(struct fgated *d, const struct fg_config *cfg);
void fgated_route_traps(struct fgated *d, const struct fg_config *cfg,
			const struct fg_config *skip);
/* The device's per-SA counters to the IKE side now. */
void fgated_refresh_counters(struct fgated *d);

/* control_cmd.c: the control socket's handler (control_fn, ctx: d). */
int fgated_control(void *ctx, const struct control_req *req, struct control_buf *out);

/* reload.c: re-reads d->cfg_path; the reply (or the FILE:LINE error)
 * goes to out. */
int fgated_reload(struct fgated *d, struct control_buf *out);
/* Frees the retired configurations nothing points into any more. */
void fgated_reap_configs(struct fgated *d);

#endif
