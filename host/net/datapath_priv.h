/*
 * Private to the datapath (datapath.c: setup, SAs, routes, statistics;
 * datapath_io.c: the packet path). One thread: no locks.
 */
#ifndef FGATE_NET_DATAPATH_PRIV_H
#define FGATE_NET_DATAPATH_PRIV_H

#include "net/datapath.h"
#include "net/esp_wire.h"
#include "net/ipv4.h"
#include "net/tun.h"
#include "sa/sad.h"
#include "sa/spd.h"

enum {
	DP_IV_ROOM = 8,                 /* IV written in front of the packet */
	DP_HEADROOM = IPV4_HDR_MIN + ESP_WIRE_UDP_HDR,  /* fake outer header of
							 * an inbound UDP packet */
	DP_BUF = DP_HEADROOM + FGP_MAX_PAYLOAD + 64,
	DP_OUT_CAP = ESP_WIRE_OUTER_MAX + OFFLOAD_MAX_RESULT,
	DP_TAG_BITS = 8,                /* low tag bits: the slot */
	DP_COLLECT_MS = 100,            /* one collect call */
	DP_STALL_MS = 5000,             /* no result for this long: give up */
	DP_LOG_EVERY_MS = 1000,         /* drop lines per reason */
	DP_READ_ROUNDS = 4,             /* TUN batches per readiness event */
	DP_SOCK_RCVBUF = 4 << 20,       /* receive buffer of the ESP sockets */
};

struct dp_pkt {
	bool busy;
	bool inbound;
	uint32_t tag;
	unsigned sa;                    /* SAD index */
	size_t len;                     /* bytes at buf + DP_HEADROOM (outbound) */
	uint8_t *pkt;                   /* outbound: the inner packet's header */
	struct ipv4_hdr ip;             /* outbound: the inner header */
	struct esp_wire_rx rx;          /* inbound: points into buf */
	struct ipv4_mutable m;          /* AH: the header fields the ICV skips */
	uint8_t buf[DP_BUF];
};

struct dp_sock {
	uint32_t addr;
	int fd;
};

struct dp_route {
	uint32_t dst;
	unsigned plen;
	unsigned refs;                  /* 0: unused entry */
	bool ours;                      /* we added it: remove it at the end */
};

struct datapath {
	struct loop *loop;
	struct offload *o;
	struct offload_caps caps;
	struct tun tun;
	bool install_routes;
	void (*acquire)(void *ctx, uint32_t src, uint32_t dst);
	void *acquire_ctx;
	struct sad sad;
	struct spd spd;
	uint8_t iv_len[SAD_ENTRIES_MAX];        /* per SAD entry */

	unsigned nsocks;
	struct dp_sock socks[DATAPATH_SOCKS_MAX];
	int raw_tx, raw_rx;             /* IPPROTO_RAW and IPPROTO_ESP, -1 until needed */
	int raw_ah;                     /* IPPROTO_AH, -1 until an AH SA comes */

	struct dp_pkt pkts[DATAPATH_BATCH];
	unsigned nbusy, next_free;
	uint32_t gen;                   /* high tag bits */
	uint16_t ip_id;
	struct offload_result res[DATAPATH_BATCH];
	uint8_t out[DP_OUT_CAP];
	uint8_t req[DP_BUF];            /* an AH request (offload_submit copies it) */

	struct dp_route routes[DATAPATH_ROUTES_MAX];

	uint64_t tx_packets, rx_packets;
	uint64_t drops[DP_DROP_COUNT_];
	uint64_t drops_logged[DP_DROP_COUNT_];
	uint64_t drop_log_ms[DP_DROP_COUNT_];
};

/* datapath_io.c */
void dp_on_tun(void *ctx, int fd);
void dp_on_raw(void *ctx, int fd);
/* Counts a drop and logs it rate-limited; sa may be NULL. */
void dp_drop(struct datapath *dp, enum datapath_drop r, const struct sad_entry *e,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
