/* vmm/gva.h: guest-virtual memory accesses: a guest pointer is translated through the
 * guest's own page tables (or taken as linear when paging is off), page by page, and
 * every byte checked with gmem_ptr() before any byte moves. The one helper every
 * hypercall uses for the pointers and lengths a guest hands it. Pure, unit-tested. */
#ifndef VMM_GVA_H
#define VMM_GVA_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "gmem.h"
#include "pagetable.h"

/* How a guest sees memory at one moment: its paging format and root. */
struct gview {
	struct gmem *mem;     /* guest-physical memory */
	enum pt_format fmt;   /* PT_NONE: guest-virtual (linear) = guest-physical */
	uint64_t root;        /* CR3 when paging is on */
	uint64_t limit;       /* PT_NONE only: addresses must be below this (0 = mem size) */
};

/* gva_check: 0 when every byte of guest-virtual [gva, gva+len) is mapped (and writable
 * when write is set) and inside guest memory, else -EFAULT. */
int gva_check(const struct gview *v, uint64_t gva, uint64_t len, bool write);

/* gva_iov: maps the front of guest-virtual [*gva, *gva + *len) to at most max host
 * iovecs, one per contiguous run of host memory, and advances *gva and *len past what it
 * mapped, so a caller loops until *len is 0. Returns the iovec count, or -EFAULT (nothing
 * consumed) when the next byte is unmapped, read-only while write is set, or outside
 * guest memory. Call gva_check on the whole range first to move all or nothing. */
int gva_iov(const struct gview *v, uint64_t *gva, uint64_t *len, bool write, struct iovec *iov,
	    int max);

/* gva_view: the view of a vCPU whose control registers are cr0, cr3, cr4 and efer.
 * Returns 0, or -ENOTSUP for PAE paging without long mode, which the walker lacks. */
int gva_view(struct gview *v, struct gmem *mem, uint64_t cr0, uint64_t cr3, uint64_t cr4,
	     uint64_t efer);

/* gva_read / gva_write: copy len bytes between guest-virtual gva and a host buffer.
 * Return 0 or -EFAULT; nothing is copied on failure. */
int gva_read(const struct gview *v, uint64_t gva, void *dst, uint64_t len);
int gva_write(const struct gview *v, uint64_t gva, const void *src, uint64_t len);

/* gva_strlen: length of the NUL-terminated string at gva, scanning at most max bytes.
 * Returns the length (>= 0), -EFAULT when unmapped memory comes before the NUL, or
 * -ENAMETOOLONG when no NUL is found within max bytes. */
int64_t gva_strlen(const struct gview *v, uint64_t gva, uint64_t max);

#endif
