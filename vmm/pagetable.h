/* SPDX-License-Identifier: MIT */
/* vmm/pagetable.h: builds x86 identity-mapping page tables in guest memory, and walks
 * them in software the way the CPU does (for --layout and for the unit tests). */
#ifndef VMM_PAGETABLE_H
#define VMM_PAGETABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "gmem.h"
#include "x86.h" /* PTE_*, PAGE_SIZE */

enum pt_format {
	PT_NONE,   /* paging off: guest-virtual is guest-physical */
	PT_32BIT,  /* 2 levels, 4-byte entries, 4 KiB pages or 4 MiB pages (CR4.PSE) */
	PT_4LEVEL, /* long mode: 4 levels, 8-byte entries, 4 KiB or 2 MiB pages */
};

struct pt_built {
	uint64_t root;       /* CR3: guest-physical address of the top-level table */
	uint64_t tables_end; /* guest-physical address just past the last table */
	unsigned tables;     /* 4 KiB tables written */
	unsigned large;      /* large pages mapped (2 MiB or 4 MiB) */
	unsigned small;      /* 4 KiB pages mapped */
};

/* pt_levels: number of table levels of fmt (0 for PT_NONE). */
int pt_levels(enum pt_format fmt);
/* pt_large_page: the size of fmt's large pages (4 MiB or 2 MiB). */
uint64_t pt_large_page(enum pt_format fmt);

struct pt_step {
	uint64_t table; /* guest-physical address of the table read at this level */
	unsigned index; /* entry index within it */
	uint64_t entry; /* the entry's value */
};

struct pt_walk {
	int steps;              /* levels read, including the one that stopped the walk */
	struct pt_step step[4]; /* step[0] is the top level */
	uint64_t gpa;           /* the translation, when the walk succeeded */
	uint64_t page_size;     /* size of the page that maps gva */
	int writable, user, nx; /* effective permissions over all levels */
};

/* What pt_build_spec maps. */
struct pt_spec {
	enum pt_format fmt;
	uint64_t size; /* guest-virtual [0, size) ... */
	uint64_t phys; /* ... onto guest-physical [phys, phys + size); large-page aligned */
	bool user;     /* user-accessible (U/S at every level), except: */
	uint64_t kernel_start, kernel_end; /* guest-virtual range kept supervisor-only */
};

/* pt_build_spec: maps guest-virtual [0, s->size) onto guest-physical [s->phys, s->phys +
 * s->size), present and writable, with the largest pages that fit and 4 KiB pages for a
 * tail; nothing else is mapped. With s->user every page is user-accessible except those
 * of [s->kernel_start, s->kernel_end), which stay supervisor-only: a large page is used
 * only where a whole one fits and does not straddle that range. The tables are written,
 * zeroed first, at [table_gpa, table_limit), local addresses of g (g's address 0 is
 * guest-physical s->phys), and point with guest-physical addresses; out->root is
 * guest-physical. s->size must be a multiple of 4 KiB, at most 4 GiB for PT_32BIT and
 * 512 GiB for PT_4LEVEL. Returns 0, -EINVAL (bad format, size or alignment), -ENOSPC
 * (tables do not fit below table_limit) or -EFAULT (outside g). */
int pt_build_spec(struct gmem *g, const struct pt_spec *s, uint64_t table_gpa, uint64_t table_limit,
		  struct pt_built *out);

/* pt_tables_for: how many tables pt_build_spec writes for s (0 for PT_NONE or a bad s). */
unsigned pt_tables_for(const struct pt_spec *s);

/* pt_walk: translates gva through the tables rooted at root (CR3) like the CPU does.
 * Returns 0 with w filled, -ENOENT when an entry is not present (w->steps tells which
 * level), -EFAULT when a table lies outside guest memory, -ERANGE for a non-canonical
 * (4-level) or above-4-GiB (32-bit) address, -EINVAL for PT_NONE. */
int pt_walk(const struct gmem *g, enum pt_format fmt, uint64_t root, uint64_t gva,
	    struct pt_walk *w);

/* pt_dump: prints the tree rooted at root: every table with its address (guest-physical
 * and host-virtual), its present entries and their flags; runs of entries mapping
 * contiguous pages with equal flags are printed as one line. */
void pt_dump(FILE *f, const struct gmem *g, enum pt_format fmt, uint64_t root);

/* pt_flags_str: "P RW US A D PS NX"-style names of the bits set in entry. */
const char *pt_flags_str(uint64_t entry, char *buf, size_t len);

#endif
