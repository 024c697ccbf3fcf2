/* SPDX-License-Identifier: MIT */
/* tests/guests/vq_rings.h: the split virtqueue's three areas for a guest that drives an I/O
 * queue by hand (queuetest, queuelat): VQ_RINGS(n) defines desc, avail and used, n entries
 * each, aligned as the ABI asks (include/minivirt/hc.h). */
#ifndef TESTS_GUESTS_VQ_RINGS_H
#define TESTS_GUESTS_VQ_RINGS_H

#include <minivirt/guest.h>

#define VQ_RINGS(n)                                                    \
	static struct hc_vq_desc desc[n] __attribute__((aligned(16))); \
	static struct {                                                \
		uint16_t flags, idx, ring[n], event;                   \
	} avail __attribute__((aligned(4)));                           \
	static struct {                                                \
		uint16_t flags, idx;                                   \
		struct hc_vq_used_elem ring[n];                        \
		uint16_t event;                                        \
	} used __attribute__((aligned(4)))

#endif
