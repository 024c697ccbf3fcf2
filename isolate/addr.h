/* SPDX-License-Identifier: MIT */
/* isolate/addr.h: the veth address scheme, as pure functions over the host's addresses
 * (net.c lists them over rtnetlink): 10.11.N.13 on the host and 10.11.N.14 in the
 * container, for the first N from 12 up whose 10.11.N.0/24 holds no host address. */
#ifndef ISO_ADDR_H
#define ISO_ADDR_H

#include <stddef.h>
#include <stdint.h>

#define ISO_SUBNET_FIRST 12 /* 10.11.12.0/24 first: the classic 10.11.12.13 <-> .14 */
#define ISO_SUBNET_PREFIX 24
#define ISO_HOST_OCTET 13 /* 10.11.N.13: the host end */
#define ISO_CONT_OCTET 14 /* 10.11.N.14: the container end */

/* One IPv4 address on a host interface, in host byte order. */
struct iso_host_addr {
	uint32_t addr;
	int prefix;
};

/* iso_pick_subnet: the first 10.11.N.0/24, N = 12..255, that holds none of the n host
 * addresses (a wider host subnet around it is no obstacle: the /24 route is more
 * specific); sets *host and *cont (host byte order) to its .13 and .14
 * and returns N, or returns -1 when every one is taken. */
int iso_pick_subnet(const struct iso_host_addr *addrs, size_t n, uint32_t *host, uint32_t *cont);

/* iso_addr_in_use: whether addr (host byte order) is one of the n host addresses. */
int iso_addr_in_use(const struct iso_host_addr *addrs, size_t n, uint32_t addr);

#endif
