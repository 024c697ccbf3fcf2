/* SPDX-License-Identifier: MIT */
/* guest/sdk/sdk.h: what the SDK's own files share, not part of the guest API. */
#ifndef GUEST_SDK_H
#define GUEST_SDK_H

#include <minivirt/guest.h>

/* sdk_offers: whether bi's offers (doorbell, khc, queue) may be read: a boot info of
 * version HC_ABI_OFFERS or later; an older VMM's has argv where they would be. */
int sdk_offers(const struct hc_boot_info *bi);

/* sdk_ring_setup: sets up the console ring when the VMM offers it. */
void sdk_ring_setup(const struct hc_boot_info *bi);

/* sdk_ring_active: whether the console ring is set up. */
int sdk_ring_active(void);

/* sdk_ring: the SDK's ring, for test guests that must damage it on purpose. */
struct hc_ring *sdk_ring(void);

/* sdk_ring_put: appends a record to the console ring; -1 when there is no ring (or the
 * record cannot fit it), and the caller makes the hypercall instead. */
int sdk_ring_put(uint32_t kind, int fd, uint32_t value, const void *payload, uint32_t len);

/* sdk_queue_start: notes where this vCPU's stack starts (with --smp, how the queue code
 * tells the vCPUs apart); the queue itself is set up at the first read or write. */
void sdk_queue_start(const struct hc_boot_info *bi);

/* sdk_queue_active: whether this vCPU has its I/O queue. */
int sdk_queue_active(void);

/* sdk_queue_rw: one read (op MV_IO_READ) or write, through the queue when there is one,
 * else through the hypercall: what mv_pread/mv_pwrite return (offset HC_OFFSET_CURRENT:
 * mv_read/mv_write). */
long sdk_queue_rw(unsigned op, int fd, const void *buf, size_t len, int64_t offset);

/* mv__posix_open: the symbol of <minivirt/posix.h>'s open(path, flags, ...): POSIX's
 * form, whose mode argument is there only with HC_O_CREAT. */
int mv__posix_open(const char *path, int flags, ...);

#endif
