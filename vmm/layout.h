/* vmm/layout.h: where everything lives in guest-physical memory, for each CPU mode and
 * memory size. One plan, used by the setup code, --layout and the tests.
 *
 *   0x00000000  code         the guest image, entered at 0 (as the classic example)
 *   0x00000400  result       8 bytes: the hello-world guest writes 42 here
 *   0x00000800  gdt          null, code and data descriptors (protected and long mode)
 *   0x00001000  page tables  -p: PD (+PT); -l: PML4, PDPT, one PD per GiB (+PT)
 *   ...         free
 *   top-16K     stack        16 KiB, growing down from the top of memory
 *                            (real mode: from min(memory, 64 KiB), SS:SP addressing)
 */
#ifndef VMM_LAYOUT_H
#define VMM_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "pagetable.h"

enum cpu_mode {
	MODE_REAL,    /* -r: 16-bit real mode */
	MODE_PROT,    /* -s: 32-bit protected mode, no paging */
	MODE_PAGED32, /* -p: 32-bit protected mode with 2-level paging */
	MODE_LONG,    /* -l: 64-bit long mode, 4-level paging */
};

#define LAYOUT_CODE_GPA 0x0ull
#define LAYOUT_CODE_MAX 0x400ull /* built-in images end below the result word */
#define LAYOUT_RESULT_GPA 0x400ull
#define LAYOUT_GDT_GPA 0x800ull
#define LAYOUT_TABLES_GPA 0x1000ull
#define LAYOUT_STACK_SIZE 0x4000ull
#define LAYOUT_MEM_MIN (64ull << 10)
/* Below 4 GiB minus the pages KVM/VMX keeps for real mode (TSS, identity map), and
 * addressable by the 32-bit modes. */
#define LAYOUT_MEM_MAX (2ull << 30)
#define LAYOUT_MEM_DEFAULT (2ull << 20)

struct region {
	const char *name; /* "code", "result", "gdt", "page tables", "stack" */
	uint64_t gpa;     /* guest-physical start */
	uint64_t size;    /* bytes; 0 when the region is absent in this mode */
};

enum { REG_CODE, REG_RESULT, REG_GDT, REG_TABLES, REG_STACK, REG_COUNT };

struct layout {
	enum cpu_mode mode;
	uint64_t mem_size;              /* guest-physical memory, from 0 */
	enum pt_format pt_fmt;          /* paging format of this mode */
	struct region reg[REG_COUNT];   /* indexed by REG_* */
	uint64_t entry;                 /* guest-virtual (= physical) first instruction */
	uint64_t stack_top;             /* guest-physical address just above the stack */
};

/* mode_name: "real", "protected", "paged 32-bit", "long". mode_flag: "-r" ... */
const char *mode_name(enum cpu_mode mode);
const char *mode_flag(enum cpu_mode mode);

/* layout_plan: fills l for mode and mem_size. Returns 0, or -1 with a one-line reason in
 * err when the size is not a multiple of 4 KiB or outside [LAYOUT_MEM_MIN, MAX]. */
int layout_plan(enum cpu_mode mode, uint64_t mem_size, struct layout *l, char *err,
		size_t errlen);

#endif
