/*
 * Traffic selectors for Quick Mode: config.h's struct fg_ts to and from
 * IPsec DOI ID payloads (RFC 2407 4.6.2.1): a single address is
 * ID_IPV4_ADDR, an aligned power-of-two block ID_IPV4_ADDR_SUBNET, anything
 * else ID_IPV4_ADDR_RANGE; protocol and port travel in the ID header (a
 * port range other than one port or all is sent as all). IPv4 only.
 */
#ifndef FGATE_IKE_TS_H
#define FGATE_IKE_TS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/config.h"
#include "ike/isakmp.h"

/* "dynamic" becomes the given (IKE) address. */
struct fg_ts ts_resolve(const struct fg_ts *ts, uint32_t addr);
/* Appends an ID payload; 0 or the builder's error. */
int ts_build_id(struct isakmp_builder *b, const struct fg_ts *ts);
/* An ID payload as a selector: FG_ERR_PARSE for a bad length or an empty
 * range, FG_ERR_UNSUPP for a non-IPv4-address type. */
int ts_parse_id(const struct isakmp_payload *p, struct fg_ts *ts);
/* in lies inside cfg (addresses, protocol, ports). */
bool ts_within(const struct fg_ts *in, const struct fg_ts *cfg);
/* "10.1.0.0/24", "192.0.2.1/32" or "10.0.0.1..10.0.0.9". */
void ts_format(const struct fg_ts *ts, char *buf, size_t len);

#endif
