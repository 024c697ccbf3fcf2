/* SPDX-License-Identifier: MIT */
/* vmm/layout.h: where everything lives in guest-physical memory, for each CPU mode and
 * memory size. One plan, used by the setup code, the loader, --layout and the tests.
 * The guest owns low memory; what the VMM adds sits at the top:
 *
 *   0x00000000  image        the guest: built-in and flat images at 0, ELF segments where
 *                            their headers say; anywhere below the page tables
 *   0x00000400  result       inside the image area: the classic guest writes 42 here
 *   ...
 *   sys - n*4K  page tables  -p: PD (+PT); -l: PML4, PDPT, one PD per GiB (+PT)
 *   ...         gdt          one page: GDT, TSS descriptor, IDT of 32 exception gates and
 *                            their stubs, which report an exception to the VMM
 *   ...         xstack       a page per vCPU: its TSS, and the stack exceptions use
 *   top-20K     args         one page: struct hc_boot_info, argv[] and the strings
 *   top-16K     stack        16 KiB, growing down from the top of memory
 *
 * In real mode "top" is 0xf000: all segments have base 0 (C code assumes SS = DS), so
 * the stack and args must sit below 64 KiB with a top that fits SP; there are no page
 * tables, GDT, IDT or exception stacks. Everything from the tables to the exception
 * stacks is supervisor-only for a ring-3 guest. */
#ifndef VMM_LAYOUT_H
#define VMM_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "mv_err.h"
#include "pagetable.h"

enum cpu_mode {
	MODE_REAL,    /* -r: 16-bit real mode */
	MODE_PROT,    /* -s: 32-bit protected mode, no paging */
	MODE_PAGED32, /* -p: 32-bit protected mode with 2-level paging */
	MODE_LONG,    /* -l: 64-bit long mode, 4-level paging */
};

#define LAYOUT_IMAGE_GPA 0x0ull
#define LAYOUT_RESULT_GPA 0x400ull
#define LAYOUT_STACK_SIZE 0x4000ull
#define LAYOUT_ARGS_SIZE 0x1000ull
#define LAYOUT_GDT_SIZE 0x1000ull
#define LAYOUT_XSTACK_SIZE 0x1000ull
/* Inside the gdt page: */
#define LAYOUT_GDT_OFF 0x0     /* 7 slots: null, kcode, kdata, ucode, udata, TSS (2) */
#define LAYOUT_IDT_OFF 0x100   /* 32 gates, 16 bytes each in long mode (8 in 32-bit) */
#define LAYOUT_STUBS_OFF 0x400 /* 32 stubs of 16 bytes */
#define LAYOUT_TRAP_VECTORS 32
#define LAYOUT_MEM_MIN (64ull << 10)
#define LAYOUT_REAL_TOP 0xf000ull
/* Below 4 GiB minus the pages KVM/VMX keeps for real mode (TSS, identity map), and
 * addressable by the 32-bit modes. */
#define LAYOUT_MEM_MAX (2ull << 30)
#define LAYOUT_MEM_DEFAULT (2ull << 20)
/* --classic: the page tables where dpw/kvm-hello-world puts them (PML4 0x2000, PDPT
 * 0x3000, PD 0x4000), so the guest's code must end below them. */
#define LAYOUT_CLASSIC_TABLES 0x2000ull

struct region {
	const char *name; /* "image", "result", "page tables", "gdt", "args", "stack" */
	uint64_t gpa;     /* guest-physical start */
	uint64_t size;    /* bytes; 0 when the region is absent in this mode */
};

enum {
	REG_IMAGE,
	REG_RESULT,
	REG_TABLES,
	REG_GDT,
	REG_XSTACK,
	REG_ARGS,
	REG_STACK,
	REG_COUNT
};

struct layout {
	enum cpu_mode mode;
	uint64_t mem_size;            /* guest-physical memory, from 0 */
	enum pt_format pt_fmt;        /* paging format of this mode */
	struct region reg[REG_COUNT]; /* indexed by REG_* */
	uint64_t entry;               /* guest-virtual (= physical) first instruction */
	uint64_t stack_top;           /* guest-physical address just above the stack */
	uint64_t image_limit;         /* the guest image must end at or below this */
	bool user;                    /* the guest runs in user mode (ring 3) */
	bool classic;                 /* --classic: the classic example's table placement */
	unsigned stacks;              /* vCPUs sharing this memory (--smp), each a stack
					 * and an args page; 1 otherwise */
	struct pt_spec spec;          /* what the page tables map (phys left at 0) */
};

struct layout_req {
	enum cpu_mode mode;
	uint64_t mem_size; /* bytes this guest sees */
	bool user;         /* ring 3: everything user-accessible but the tables and GDT */
	unsigned vcpus;    /* vCPUs sharing the memory (--smp), else 1 */
	bool classic;      /* --classic (long mode, ring 0): tables at 0x2000, as the classic
			     * example has them, every entry user-accessible as there */
};

/* mode_name: "real", "protected", "paged 32-bit", "long". mode_flag: "-r" ... */
const char *mode_name(enum cpu_mode mode);
const char *mode_flag(enum cpu_mode mode);

/* layout_plan: fills l for req (mode, memory size, user mode, vCPUs sharing memory, the
 * classic placement). Returns 0, or -1 with a one-line reason in err when the size is
 * not a multiple of 4 KiB or outside [LAYOUT_MEM_MIN, MAX], when the stacks and args of
 * that many vCPUs take over half of memory, or when --classic's tables would reach the
 * VMM's pages at the top. */
int layout_plan(const struct layout_req *req, struct layout *l, struct mv_err *err);

/* layout_stack_top / layout_args: vCPU i's stack top and boot-info page (--smp). */
uint64_t layout_stack_top(const struct layout *l, unsigned i);
uint64_t layout_args(const struct layout *l, unsigned i);

#endif
