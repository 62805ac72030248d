/*
 * The datapath (datapath.h): setup, the SA pairs (SAD entry, device slots,
 * policy, route), the NAT-T sockets, and statistics. The packet path is
 * datapath_io.c.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "crypto/crypto.h"
#include "net/datapath_priv.h"
#include "net/route.h"

_Static_assert(DATAPATH_BATCH <= (1 << DP_TAG_BITS), "slot index must fit the tag bits");
_Static_assert((int)DATAPATH_BATCH < (int)OFFLOAD_INFLIGHT_MAX, "the handle must take a whole batch");

static const char *const drop_names[DP_DROP_COUNT_] = {
	[DP_DROP_NO_POLICY] = "no_policy",
	[DP_DROP_BAD_INNER] = "bad_inner",
	[DP_DROP_TOO_BIG] = "too_big",
	[DP_DROP_TRUNCATED] = "truncated",
	[DP_DROP_MALFORMED] = "malformed",
	[DP_DROP_FRAGMENT] = "fragment",
	[DP_DROP_WRONG_PROTO] = "wrong_proto",
	[DP_DROP_UNKNOWN_SPI] = "unknown_spi",
	[DP_DROP_AUTH_FAIL] = "auth_fail",
	[DP_DROP_REPLAY] = "replay",
	[DP_DROP_BAD_PAD] = "bad_pad",
	[DP_DROP_BAD_LENGTH] = "bad_length",
	[DP_DROP_SEQ_OVERFLOW] = "seq_overflow",
	[DP_DROP_DEVICE] = "device",
	[DP_DROP_BAD_DECAP] = "bad_decap",
	[DP_DROP_POLICY_MISMATCH] = "policy_mismatch",
	[DP_DROP_TX] = "tx_error",
};

const char *datapath_drop_name(enum datapath_drop r)
{
	return (unsigned)r < DP_DROP_COUNT_ ? drop_names[r] : "unknown";
}

uint64_t datapath_drops(const struct datapath *dp, enum datapath_drop r)
{
	return (unsigned)r < DP_DROP_COUNT_ ? dp->drops[r] : 0;
}

void datapath_traffic(const struct datapath *dp, uint64_t *tx_packets, uint64_t *rx_packets)
{
	*tx_packets = dp->tx_packets;
	*rx_packets = dp->rx_packets;
}

int datapath_open(struct loop *loop, struct offload *o, const struct datapath_cfg *cfg,
		  struct datapath **out)
{
	struct datapath *dp = calloc(1, sizeof(*dp));
	int rc;

	*out = NULL;
	if (!dp)
		return FG_ERR_NOMEM;
	dp->loop = loop;
	dp->o = o;
	dp->install_routes = cfg->install_routes;
	dp->acquire = cfg->acquire;
	dp->acquire_ctx = cfg->ctx;
	dp->raw_tx = dp->raw_rx = dp->raw_ah = -1;
	dp->tun.fd = -1;
	rc = offload_reset(o);
	if (!rc)
		rc = offload_caps(o, &dp->caps);
	if (rc) {
		fg_err("datapath: offload %s: reset or capability read failed: %s",
		       offload_backend(o), fg_err_name(rc));
		goto out;
	}
	if (dp->caps.max_payload > FGP_MAX_PAYLOAD)
		dp->caps.max_payload = FGP_MAX_PAYLOAD;
	sad_init(&dp->sad, dp->caps.sa_entries);
	spd_init(&dp->spd);
	rc = tun_open(&dp->tun, cfg->tun, cfg->mtu);
	if (rc)
		goto out;
	rc = loop_add_fd(loop, dp->tun.fd, dp_on_tun, dp);
	if (rc)
		goto out;
	fg_info("datapath: offload %s (%u SA slots, %u cipher cores), TUN %s, routes %s",
		offload_backend(o), dp->caps.sa_entries, dp->caps.cipher_cores, dp->tun.name,
		dp->install_routes ? "installed" : "not installed");
	*out = dp;
	return 0;
out:
	if (dp->tun.fd >= 0) {
		loop_del_fd(loop, dp->tun.fd);
		tun_close(&dp->tun);
	}
	free(dp);
	return rc;
}

/* Room for a burst of ESP while the device works on the batch before. A
 * full raw socket even makes the kernel answer ESP with ICMP protocol
 * unreachable (seen on Linux 6.18). Best effort: FORCE needs CAP_NET_ADMIN. */
static void big_rcvbuf(int fd)
{
	int size = DP_SOCK_RCVBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

int datapath_add_socket(struct datapath *dp, uint32_t local, int fd)
{
	if (dp->nsocks >= DATAPATH_SOCKS_MAX)
		return FG_ERR_FULL;
	big_rcvbuf(fd);
	dp->socks[dp->nsocks].addr = local;
	dp->socks[dp->nsocks].fd = fd;
	dp->nsocks++;
	return 0;
}

/* The raw sockets for ESP without UDP, opened with the first such SA. */
static int open_raw(struct datapath *dp)
{
	if (dp->raw_tx >= 0)
		return 0;
	dp->raw_tx = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	dp->raw_rx = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_ESP);
	if (dp->raw_rx >= 0)
		big_rcvbuf(dp->raw_rx);
	if (dp->raw_tx < 0 || dp->raw_rx < 0 || loop_add_fd(dp->loop, dp->raw_rx, dp_on_raw, dp)) {
		fg_err("datapath: cannot open raw ESP sockets: %s", strerror(errno));
		if (dp->raw_tx >= 0)
			close(dp->raw_tx);
		if (dp->raw_rx >= 0)
			close(dp->raw_rx);
		dp->raw_tx = dp->raw_rx = -1;
		return FG_ERR_IO;
	}
	return 0;
}

/* AH (IP protocol 51) in; out through the raw socket open_raw() opens. */
static int open_raw_ah(struct datapath *dp)
{
	int rc = open_raw(dp);

	if (rc || dp->raw_ah >= 0)
		return rc;
	dp->raw_ah = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_AH);
	if (dp->raw_ah >= 0)
		big_rcvbuf(dp->raw_ah);
	if (dp->raw_ah < 0 || loop_add_fd(dp->loop, dp->raw_ah, dp_on_raw, dp)) {
		fg_err("datapath: cannot open a raw AH socket: %s", strerror(errno));
		if (dp->raw_ah >= 0)
			close(dp->raw_ah);
		dp->raw_ah = -1;
		return FG_ERR_IO;
	}
	return 0;
}

/* ---- routes, shared by the SAs with the same remote block ---- */

/* A route for remote via the TUN, with a source from local; name for logs. */
static void route_ref_ts(struct datapath *dp, const struct fg_ts *local,
			 const struct fg_ts *remote, const char *name)
{
	struct dp_route *free_r = NULL;
	uint32_t dst, src = 0;
	unsigned plen, i;
	int rc;

	if (!dp->install_routes)
		return;
	if (remote->dynamic ||
	    route_prefix(remote->addr.first, remote->addr.last, &dst, &plen)) {
		fg_warn("datapath: %s: remote selector is not one subnet: no route installed",
			name);
		return;
	}
	for (i = 0; i < DATAPATH_ROUTES_MAX; i++) {
		struct dp_route *r = &dp->routes[i];

		if (r->refs && r->dst == dst && r->plen == plen) {
			r->refs++;
			return;
		}
		if (!r->refs && !free_r)
			free_r = r;
	}
	if (!free_r) {
		fg_warn("datapath: %s: route table full: no route installed", name);
		return;
	}
	if (!local->dynamic)
		route_local_src(local->addr.first, local->addr.last, &src);
	rc = route_add(dp->tun.ifindex, dst, plen, src);
	*free_r = (struct dp_route){ .dst = dst, .plen = plen, .refs = 1, .ours = rc == 0 };
	if (rc == FG_ERR_EXISTS)
		fg_info("datapath: %s: a route for the remote subnet exists already: kept",
			name);
	else if (!rc)
		fg_info("datapath: %s: route %u.%u.%u.%u/%u via %s%s", name, dst >> 24,
			(dst >> 16) & 0xff, (dst >> 8) & 0xff, dst & 0xff, plen, dp->tun.name,
			src ? " with a local source" : "");
}

static void route_ref(struct datapath *dp, const struct sad_entry *e)
{
	if (!e->sa.transport)
		route_ref_ts(dp, &e->sa.ts_local, &e->sa.ts_remote, e->sa.name);
}

void datapath_trap(struct datapath *dp, const struct fg_ts *local, const struct fg_ts *remote,
		   const char *name)
{
	route_ref_ts(dp, local, remote, name);
}

static void route_unref(struct datapath *dp, const struct sad_entry *e)
{
	uint32_t dst;
	unsigned plen, i;

	if (!dp->install_routes || e->sa.transport ||
	    route_prefix(e->sa.ts_remote.addr.first, e->sa.ts_remote.addr.last, &dst, &plen))
		return;
	for (i = 0; i < DATAPATH_ROUTES_MAX; i++) {
		struct dp_route *r = &dp->routes[i];

		if (r->refs && r->dst == dst && r->plen == plen) {
			if (--r->refs == 0 && r->ours)
				route_del(dp->tun.ifindex, dst, plen);
			return;
		}
	}
}

/* ---- SAs ---- */

static int load(struct datapath *dp, const struct sad_entry *e, const struct sad_keys *k,
		bool inbound)
{
	struct offload_sa s = {
		.index = inbound ? e->slot_in : e->slot_out,
		.inbound = inbound,
		.ah = e->sa.ah,
		.transport = e->sa.transport,
		.cipher = k->cipher,
		.auth = k->auth,
		.spi = inbound ? e->sa.spi_in : e->sa.spi_out,
		.seq = 1,
		.replay_window = k->replay_window < dp->caps.replay_max ?
				 k->replay_window : (uint16_t)dp->caps.replay_max,
		.cipher_key_len = k->enc_len,
		.auth_key_len = k->auth_len,
	};
	int rc;

	if (k->enc_len > sizeof(s.cipher_key) || k->auth_len > sizeof(s.auth_key))
		return FG_ERR_INVAL;
	memcpy(s.cipher_key, inbound ? k->enc_in : k->enc_out, k->enc_len);
	memcpy(s.auth_key, inbound ? k->auth_in : k->auth_out, k->auth_len);
	rc = offload_sa_load(dp->o, &s, NULL);
	crypto_wipe(&s, sizeof(s));
	return rc;
}

int datapath_sa_add(struct datapath *dp, const struct sad_sa *sa, const struct sad_keys *k)
{
	struct spd_sel sel;
	struct sad_entry *e;
	unsigned idx;
	int rc;

	rc = spd_sel_from_ts(&sa->ts_local, &sa->ts_remote, &sel);
	if (rc) {
		fg_err("datapath: %s: selectors unusable for a policy", sa->name);
		return rc;
	}
	if (sa->ah && sa->encap) {
		fg_err("datapath: %s: AH cannot be UDP-encapsulated (RFC 3948 covers ESP only)",
		       sa->name);
		return FG_ERR_UNSUPP;
	}
	if (!sa->encap && (rc = sa->ah ? open_raw_ah(dp) : open_raw(dp)))
		return rc;
	rc = sad_add(&dp->sad, sa, &idx);
	if (rc) {
		fg_err("datapath: %s: no room in the SA database (%u device slots): %s", sa->name,
		       dp->sad.nslots, fg_err_name(rc));
		return rc;
	}
	e = sad_get(&dp->sad, idx);
	dp->iv_len[idx] = k->cipher == FGP_CIPHER_NULL ? 0 : DP_IV_ROOM;
	datapath_flush(dp);
	rc = load(dp, e, k, true);
	if (rc)
		goto out_sad;
	rc = load(dp, e, k, false);
	if (rc)
		goto out_in;
	rc = spd_add(&dp->spd, &sel, idx);
	if (rc)
		goto out_out;
	route_ref(dp, e);
	fg_info("datapath: %s installed: device slots %u (in, SPI %08x) and %u (out, SPI %08x)",
		sa->name, e->slot_in, sa->spi_in, e->slot_out, sa->spi_out);
	return 0;
out_out:
	offload_sa_clear(dp->o, e->slot_out);
out_in:
	offload_sa_clear(dp->o, e->slot_in);
out_sad:
	fg_err("datapath: %s: loading the SA into the device failed: %s", sa->name,
	       fg_err_name(rc));
	sad_del(&dp->sad, idx);
	return rc;
}

static void log_sa_counters(struct datapath *dp, const struct sad_entry *e, const char *what)
{
	struct offload_counters in, out;

	if (offload_counters(dp->o, e->slot_out, &out) || offload_counters(dp->o, e->slot_in, &in))
		return;
	fg_info("datapath: %s%s: out SPI %08x %llu packets %llu bytes; in SPI %08x %llu packets "
		"%llu bytes, auth_fail %u replay %u bad_pad %u other %u", e->sa.name, what,
		e->sa.spi_out, (unsigned long long)out.packets, (unsigned long long)out.bytes,
		e->sa.spi_in, (unsigned long long)in.packets, (unsigned long long)in.bytes,
		in.auth_fail, in.replay, in.bad_pad, in.other_err);
}

static void remove_entry(struct datapath *dp, unsigned idx)
{
	struct sad_entry *e = sad_get(&dp->sad, idx);

	if (!e)
		return;
	datapath_flush(dp);
	log_sa_counters(dp, e, " removed");
	spd_del_sa(&dp->spd, idx);
	route_unref(dp, e);
	offload_sa_clear(dp->o, e->slot_in);
	offload_sa_clear(dp->o, e->slot_out);
	sad_del(&dp->sad, idx);
}

int datapath_sa_del(struct datapath *dp, bool ah, uint32_t spi_in, uint32_t spi_out)
{
	int idx = sad_find_pair(&dp->sad, ah, spi_in, spi_out);

	if (idx < 0)
		return idx;
	remove_entry(dp, (unsigned)idx);
	return 0;
}

void datapath_counters_each(struct datapath *dp, datapath_counters_fn fn, void *ctx)
{
	struct offload_counters in, out;
	unsigned i;

	datapath_flush(dp);
	for (i = 0; i < SAD_ENTRIES_MAX; i++) {
		const struct sad_entry *e = sad_get(&dp->sad, i);

		if (!e || offload_counters(dp->o, e->slot_in, &in) ||
		    offload_counters(dp->o, e->slot_out, &out))
			continue;
		fn(ctx, e->sa.spi_in, in.bytes, out.bytes, in.packets, out.packets);
	}
}

void datapath_log_stats(struct datapath *dp)
{
	char line[1024];
	size_t off = 0;
	uint64_t total = 0;
	struct offload_stats st;
	unsigned i;

	datapath_flush(dp);
	for (i = 0; i < DP_DROP_COUNT_; i++) {
		total += dp->drops[i];
		if (dp->drops[i] && off < sizeof(line))
			off += (size_t)snprintf(line + off, sizeof(line) - off, " %s=%llu",
						drop_names[i], (unsigned long long)dp->drops[i]);
	}
	fg_info("datapath stats: tx %llu rx %llu drops %llu%s", (unsigned long long)dp->tx_packets,
		(unsigned long long)dp->rx_packets, (unsigned long long)total, off ? line : "");
	for (i = 0; i < SAD_ENTRIES_MAX; i++)
		if (sad_get(&dp->sad, i))
			log_sa_counters(dp, sad_get(&dp->sad, i), "");
	if (!offload_stats(dp->o, &st))
		fg_info("datapath: device %s: frames in %u out %u, malformed %u, no_sa %u, "
			"resync bytes %u, bad results %u", offload_backend(dp->o), st.frames_in,
			st.frames_out, st.malformed, st.no_sa, st.resync_bytes,
			offload_bad_results(dp->o));
}

void datapath_close(struct datapath *dp)
{
	unsigned i;

	if (!dp)
		return;
	datapath_flush(dp);
	for (i = 0; i < SAD_ENTRIES_MAX; i++)
		remove_entry(dp, i);
	if (dp->raw_rx >= 0) {
		loop_del_fd(dp->loop, dp->raw_rx);
		close(dp->raw_rx);
	}
	if (dp->raw_ah >= 0) {
		loop_del_fd(dp->loop, dp->raw_ah);
		close(dp->raw_ah);
	}
	if (dp->raw_tx >= 0)
		close(dp->raw_tx);
	for (i = 0; i < DATAPATH_ROUTES_MAX; i++)       /* traps' routes */
		if (dp->routes[i].refs && dp->routes[i].ours)
			route_del(dp->tun.ifindex, dp->routes[i].dst, dp->routes[i].plen);
	loop_del_fd(dp->loop, dp->tun.fd);
	tun_close(&dp->tun);
	free(dp);
}
