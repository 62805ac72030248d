/*
 * Routes for the protected subnets over rtnetlink (the main table): what
 * fgated installs with install_routes = yes, as strongSwan's
 * kernel-libipsec does: the remote subnet via the TUN device, with a
 * preferred source address from the local subnet when the host has one.
 * Addresses in host byte order. Needs CAP_NET_ADMIN.
 */
#ifndef FGATE_NET_ROUTE_H
#define FGATE_NET_ROUTE_H

#include <stdint.h>

/* dst/plen via ifindex, with preferred source src (0: none). 0,
 * FG_ERR_EXISTS when that route is there already, FG_ERR_IO. */
int route_add(int ifindex, uint32_t dst, unsigned plen, uint32_t src);
/* Removes dst/plen via ifindex. 0, FG_ERR_NOTFOUND, FG_ERR_IO. */
int route_del(int ifindex, uint32_t dst, unsigned plen);
/* The prefix covering exactly [first, last]: FG_ERR_INVAL when the range
 * is not one CIDR block. */
int route_prefix(uint32_t first, uint32_t last, uint32_t *dst, unsigned *plen);
/* An IPv4 address configured on this host inside [first, last]
 * (lowest first): 0 or FG_ERR_NOTFOUND. */
int route_local_src(uint32_t first, uint32_t last, uint32_t *src);

#endif
