/* SPDX-License-Identifier: MIT */
/* isolate/addr.c: the veth address scheme (see addr.h); pure, unit-tested. */
#include "addr.h"

int iso_pick_subnet(const struct iso_host_addr *addrs, size_t n, uint32_t *host, uint32_t *cont)
{
	for (uint32_t sub = ISO_SUBNET_FIRST; sub <= 255; sub++) {
		uint32_t net = (10u << 24) | (11u << 16) | (sub << 8);
		size_t i;

		for (i = 0; i < n; i++)
			if ((addrs[i].addr & (~0u << (32 - ISO_SUBNET_PREFIX))) == net)
				break;
		if (i == n) {
			*host = net | ISO_HOST_OCTET;
			*cont = net | ISO_CONT_OCTET;
			return (int)sub;
		}
	}
	return -1;
}

int iso_addr_in_use(const struct iso_host_addr *addrs, size_t n, uint32_t addr)
{
	for (size_t i = 0; i < n; i++)
		if (addrs[i].addr == addr)
			return 1;
	return 0;
}
