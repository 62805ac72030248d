/*
 * The IPsec datapath of fgated: protected traffic between the TUN device
 * and the wire, with every transform done by the offload device through
 * the offload API (offload.h), whatever backend is behind it.
 *
 * Outbound: TUN -> SPD (sa/spd.h, most specific policy; no match: drop
 * and count) -> ENCAP request (a random IV from crypto_random, then the
 * packet) -> outer header (esp_wire.h) -> the wire: ESP in UDP from the
 * NAT-T socket of the SA's local address (RFC 3948: the socket IKE uses
 * on port 4500, registered with datapath_add_socket()), or raw ESP (IP
 * protocol 50) through a raw socket when encapsulation was not negotiated.
 * Inbound: ESP from the NAT-T socket (datapath_input_udp(), called by the
 * socket's owner for datagrams with a non-zero first word) or from a raw
 * protocol-50 socket -> SAD by SPI, protocol and destination (sa/sad.h) ->
 * DECAP request -> inner packet checked against the SA's selectors -> TUN.
 *
 * Batching: packets are submitted as they arrive, each with a tag naming
 * its slot in a table of DATAPATH_BATCH packets in flight; results are
 * collected and matched back by tag when the table is full, and when a
 * read burst ends (datapath_flush()). No packet waits for the one before.
 *
 * Drops are counted per reason (enum datapath_drop) and logged at most
 * once per reason per second, with the count since the last such line.
 *
 * Routes: with install_routes each tunnel-mode SA's remote selector (one
 * CIDR block) is routed via the TUN with a preferred source from the local
 * selector when the host has such an address (kernel-libipsec's way);
 * routes are reference-counted (a rekeyed SA shares its predecessor's) and
 * removed with the last SA that uses them. Routes that existed before are
 * left alone.
 *
 * AH (RFC 4302) goes over IP protocol 51 through raw sockets: the request
 * to the device is the packet with its mutable header fields zeroed, which
 * are put back around the result (esp_wire.h). AH is never UDP-
 * encapsulated (RFC 3948 covers ESP only). Fragments on the wire are
 * dropped and counted, not reassembled.
 *
 * One thread (fgated's event loop) uses a datapath.
 */
#ifndef FGATE_NET_DATAPATH_H
#define FGATE_NET_DATAPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/loop.h"
#include "offload/offload.h"
#include "sa/sad.h"

enum datapath_limits {
	DATAPATH_BATCH = 128,           /* packets in flight (<= 256: tag bits) */
	DATAPATH_SOCKS_MAX = 16,
	DATAPATH_ROUTES_MAX = 64,
};

enum datapath_drop {
	DP_DROP_NO_POLICY,      /* outbound packet matches no policy */
	DP_DROP_BAD_INNER,      /* malformed packet from the TUN */
	DP_DROP_TOO_BIG,        /* over the device's payload limit */
	DP_DROP_TRUNCATED,      /* received packet shorter than its headers */
	DP_DROP_MALFORMED,      /* received packet with bad headers */
	DP_DROP_FRAGMENT,       /* outer fragment (no reassembly) */
	DP_DROP_WRONG_PROTO,    /* not ESP or AH, or ESP with/without UDP unlike its SA */
	DP_DROP_UNKNOWN_SPI,
	DP_DROP_AUTH_FAIL,
	DP_DROP_REPLAY,
	DP_DROP_BAD_PAD,
	DP_DROP_BAD_LENGTH,     /* device: ciphertext length invalid */
	DP_DROP_SEQ_OVERFLOW,
	DP_DROP_DEVICE,         /* other device status, or no result */
	DP_DROP_BAD_DECAP,      /* decapsulated payload not a valid packet */
	DP_DROP_POLICY_MISMATCH,/* inner packet outside its SA's selectors */
	DP_DROP_TX,             /* send or TUN write failed */
	DP_DROP_COUNT_
};

struct datapath_cfg {
	const char *tun;                /* interface name */
	unsigned mtu;                   /* 0: TUN_MTU_DEFAULT */
	bool install_routes;
	/* Optional: an outbound packet from src to dst matched no policy
	 * (called for each such packet, after it was counted; start_action
	 * = trap uses it to start the child SA). */
	void (*acquire)(void *ctx, uint32_t src, uint32_t dst);
	void *ctx;
};

/* One SA pair's device counters (totals since it was loaded). */
typedef void (*datapath_counters_fn)(void *ctx, uint32_t spi_in, uint64_t bytes_in,
				     uint64_t bytes_out, uint64_t packets_in,
				     uint64_t packets_out);

struct datapath;

/* Opens the TUN, resets the device and reads its capabilities. Takes no
 * ownership of o. Returns 0 or a negative fg_err (logged). */
int datapath_open(struct loop *loop, struct offload *o, const struct datapath_cfg *cfg,
		  struct datapath **out);
/* Removes every SA (device slots, routes) and closes the TUN. */
void datapath_close(struct datapath *dp);

/* The NAT-T socket (port 4500) of a local address: ESP in UDP leaves
 * through it. */
int datapath_add_socket(struct datapath *dp, uint32_t local, int fd);
/* One UDP payload received on the NAT-T socket of local address to from
 * from:port whose first four bytes are not zero (ESP). Queued; results
 * come at the next datapath_flush() or when the batch is full. */
void datapath_input_udp(struct datapath *dp, const uint8_t *buf, size_t len, uint32_t from,
			uint16_t port, uint32_t to);
/* Collects every packet in flight and sends or delivers the results. */
void datapath_flush(struct datapath *dp);

/* Installs an SA pair: SAD entry, both device slots, the outbound policy,
 * the route. Returns 0 or a negative fg_err (logged); nothing stays
 * installed on failure. */
int datapath_sa_add(struct datapath *dp, const struct sad_sa *sa, const struct sad_keys *k);
/* Removes the pair with these SPIs (after its packets in flight finished).
 * FG_ERR_NOTFOUND if it is not installed. */
int datapath_sa_del(struct datapath *dp, bool ah, uint32_t spi_in, uint32_t spi_out);

/* A child config waits for traffic (start_action = trap): route its
 * remote selector via the TUN now (with install_routes), so that the
 * first packet reaches the datapath, finds no policy and calls acquire.
 * The route stays until datapath_close(). name is for log lines. */
void datapath_trap(struct datapath *dp, const struct fg_ts *local, const struct fg_ts *remote,
		   const char *name);

/* Reads every SA pair's counters from the device and calls fn for each
 * (kilobyte lifetimes, rekey overlap, DPD liveness). */
void datapath_counters_each(struct datapath *dp, datapath_counters_fn fn, void *ctx);

uint64_t datapath_drops(const struct datapath *dp, enum datapath_drop reason);
/* Packets sent out (encapsulated, to the wire) and delivered in
 * (decapsulated, to the TUN) since datapath_open(). */
void datapath_traffic(const struct datapath *dp, uint64_t *tx_packets, uint64_t *rx_packets);
const char *datapath_drop_name(enum datapath_drop reason);
/* Logs one line of traffic and drop counters, then one line per SA pair
 * with the device's counters, then the device's own statistics. */
void datapath_log_stats(struct datapath *dp);

#endif
