/*
 * The security policy database of the datapath: outbound policies built
 * from each child SA's traffic selectors (local selector = source, remote
 * selector = destination), kept most specific first: smaller destination
 * range, then smaller source range, then a set protocol, then smaller
 * destination and source port ranges; among equally specific policies the
 * one added last comes first (a rekeyed SA replaces its predecessor for
 * outbound traffic, as in charon). A packet that matches no policy is
 * dropped by the caller and counted.
 *
 * The same selector type checks inbound packets after decapsulation
 * against their SA (spd_sel_from_ts() with the selectors swapped).
 * Addresses are in host byte order. One thread uses an spd at a time.
 */
#ifndef FGATE_SA_SPD_H
#define FGATE_SA_SPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/config.h"
#include "net/ipv4.h"

enum spd_limits {
	SPD_POLICIES_MAX = 256,
};

struct spd_sel {
	struct fg_addr_range src, dst;
	uint8_t proto;                  /* 0: any */
	uint16_t sport_first, sport_last;
	uint16_t dport_first, dport_last;
};

/* What a selector looks at in a packet. */
struct spd_pkt {
	uint32_t src, dst;
	uint8_t proto;
	bool ports;                     /* sport/dport known (TCP, UDP, SCTP,
					 * first fragment or none) */
	uint16_t sport, dport;
};

struct spd_policy {
	struct spd_sel sel;
	unsigned sa;                    /* the caller's SA index */
};

struct spd {
	unsigned n;
	struct spd_policy p[SPD_POLICIES_MAX];
};

void spd_init(struct spd *s);
/* Selector for traffic from src to dst: addresses and ports of each side,
 * protocol from whichever sets one. FG_ERR_INVAL when both set different
 * protocols or a ts is still dynamic. */
int spd_sel_from_ts(const struct fg_ts *src, const struct fg_ts *dst, struct spd_sel *sel);
/* Adds a policy for SA index sa in its place. FG_ERR_FULL. */
int spd_add(struct spd *s, const struct spd_sel *sel, unsigned sa);
/* Removes every policy of SA index sa; returns how many. */
unsigned spd_del_sa(struct spd *s, unsigned sa);
/* The SA index of the first (most specific) matching policy, or
 * FG_ERR_NOTFOUND. */
int spd_lookup(const struct spd *s, const struct spd_pkt *pkt);
bool spd_sel_match(const struct spd_sel *sel, const struct spd_pkt *pkt);
/* Fills pkt from an IPv4 packet parsed by ipv4_parse() (len bytes at buf):
 * ports for TCP, UDP and SCTP when the transport header is there (not for
 * later fragments or a header cut short: then only selectors without
 * ports match). */
void spd_pkt_from_ipv4(const uint8_t *buf, size_t len, const struct ipv4_hdr *ip,
		       struct spd_pkt *pkt);

#endif
