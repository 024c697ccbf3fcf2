/* SPDX-License-Identifier: MIT */
/* vmm/gva.h: guest-virtual memory accesses: a guest pointer is translated through the
 * guest's own page tables (or taken as linear when paging is off), page by page, and
 * every byte checked with gmem_ptr() before any byte moves. The one helper every
 * hypercall uses for the pointers and lengths a guest hands it. Accesses carry the
 * guest's privilege, as a kernel's copy_from_user does: a view taken from ring 3 reaches
 * only pages with the user bit at every level, and writes only pages writable at every
 * level. Pure, unit-tested. */
#ifndef VMM_GVA_H
#define VMM_GVA_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "gmem.h"
#include "pagetable.h"

/* How a guest sees memory at one moment: its paging format and root, and the privilege
 * of the access (zeroed fields mean ring 0 with CR0.WP set: the strictest ring 0). */
struct gview {
	struct gmem *mem;   /* guest-physical memory */
	enum pt_format fmt; /* PT_NONE: guest-virtual (linear) = guest-physical */
	uint64_t root;      /* CR3 when paging is on */
	uint64_t limit;     /* PT_NONE only: addresses must be below this (0 = mem size) */
	bool user;          /* the caller runs in ring 3: U/S needed at every level */
	bool wp_off;        /* CR0.WP clear: ring 0 may write read-only pages (ring 3 never) */
	uint64_t sys_start; /* PT_NONE from ring 3: [sys_start, sys_end) is refused, the */
	uint64_t sys_end;   /* VMM's regions, which no page table marks supervisor-only */
};

/* gva_check: 0 when every byte of guest-virtual [gva, gva+len) is mapped (and writable
 * when write is set), reachable with v's privilege and inside guest memory, else -EFAULT. */
int gva_check(const struct gview *v, uint64_t gva, uint64_t len, bool write);

/* gva_iov: maps the front of guest-virtual [*gva, *gva + *len) to at most max host
 * iovecs, one per contiguous run of host memory, and advances *gva and *len past what it
 * mapped, so a caller loops until *len is 0. Returns the iovec count, or -EFAULT (nothing
 * consumed) when the next byte is unmapped, read-only while write is set, or outside
 * guest memory. Call gva_check on the whole range first to move all or nothing. */
int gva_iov(const struct gview *v, uint64_t *gva, uint64_t *len, bool write, struct iovec *iov,
	    int max);

/* gva_view: the ring-0 view of a vCPU whose control registers are cr0, cr3, cr4 and efer
 * (CR0.WP decides whether ring 0 may write read-only pages). Returns 0, or -ENOTSUP for
 * PAE paging without long mode, which the walker lacks. */
int gva_view(struct gview *v, struct gmem *mem, uint64_t cr0, uint64_t cr3, uint64_t cr4,
	     uint64_t efer);

/* gva_cpl: the privilege level of a vCPU with cr0 and the given SS.DPL and CS selector:
 * 0 in real mode, else SS.DPL (what KVM takes as the CPL), raised to CS.RPL should the
 * two ever disagree, so any sign of ring 3 means ring 3. */
unsigned gva_cpl(uint64_t cr0, unsigned ss_dpl, unsigned cs_selector);

/* gva_set_cpl: makes v act for code running at cpl: ring 3 (and rings 1, 2 for nothing
 * more than ring 0 gets) as the CPU checks it. With paging off and cpl 3, guest-physical
 * [sys_start, sys_end) becomes unreachable, as no page table says it is the VMM's. */
void gva_set_cpl(struct gview *v, unsigned cpl, uint64_t sys_start, uint64_t sys_end);

/* gva_read / gva_write: copy len bytes between guest-virtual gva and a host buffer.
 * Return 0 or -EFAULT; nothing is copied on failure. */
int gva_read(const struct gview *v, uint64_t gva, void *dst, uint64_t len);
int gva_write(const struct gview *v, uint64_t gva, const void *src, uint64_t len);

/* gva_strlen: length of the NUL-terminated string at gva, scanning at most max bytes.
 * Returns the length (>= 0), -EFAULT when unmapped memory comes before the NUL, or
 * -ENAMETOOLONG when no NUL is found within max bytes. Only a bound: with --smp another
 * vCPU may change the string right after; copy it with gva_strcpy to use it. */
int64_t gva_strlen(const struct gview *v, uint64_t gva, uint64_t max);

/* gva_strcpy: copies the NUL-terminated string at gva into buf (size >= 1 bytes), reading
 * each guest byte once and looking for the NUL in the copy, never in guest memory, so a
 * vCPU changing the string meanwhile cannot make it longer than buf. buf is always
 * terminated by the VMM. Returns the length, -EFAULT when memory the caller may not read
 * comes before the NUL (buf holds what came before), or -ENAMETOOLONG when size bytes
 * hold no NUL (buf holds the first size - 1 of them). */
int64_t gva_strcpy(const struct gview *v, uint64_t gva, char *buf, uint64_t size);

#endif
