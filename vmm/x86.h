/* SPDX-License-Identifier: MIT */
/* vmm/x86.h: every x86 architectural bit the VMM sets or reads, named once with the
 * manuals' names (Intel SDM vol. 3, AMD APM vol. 2): control registers, EFER, RFLAGS,
 * page-table entries, segment and gate descriptors, selectors. */
#ifndef VMM_X86_H
#define VMM_X86_H

/* CR0 (SDM vol. 3, 2.5). */
#define CR0_PE (1ull << 0)  /* protection enable */
#define CR0_MP (1ull << 1)  /* monitor coprocessor */
#define CR0_ET (1ull << 4)  /* extension type (always 1 on modern CPUs) */
#define CR0_NE (1ull << 5)  /* numeric error: native x87 error reporting */
#define CR0_WP (1ull << 16) /* write protect: ring 0 honours read-only pages */
#define CR0_PG (1ull << 31) /* paging */

/* CR4 (SDM vol. 3, 2.5). */
#define CR4_PSE (1ull << 4) /* page size extensions: 4 MiB pages in 32-bit paging */
#define CR4_PAE (1ull << 5) /* physical address extension */

/* IA32_EFER (SDM vol. 3, 2.2.1). */
#define EFER_LME (1ull << 8)  /* long mode enable */
#define EFER_LMA (1ull << 10) /* long mode active */

/* RFLAGS (SDM vol. 1, 3.4.3). */
#define RFLAGS_FIXED (1ull << 1) /* reserved, always 1 */
#define RFLAGS_IOPL_SHIFT 12     /* I/O privilege level, 2 bits */
#define RFLAGS_IOPL_MASK (3ull << RFLAGS_IOPL_SHIFT)

/* Page-table entry bits (SDM vol. 3, 4.3 and 4.5; APM vol. 2, 5.3). */
#define PTE_P (1ull << 0)                      /* present */
#define PTE_RW (1ull << 1)                     /* writable */
#define PTE_US (1ull << 2)                     /* user-accessible */
#define PTE_A (1ull << 5)                      /* accessed, set by the CPU */
#define PTE_D (1ull << 6)                      /* dirty, set by the CPU */
#define PTE_PS (1ull << 7)                     /* this entry maps a large page */
#define PTE_NX (1ull << 63)                    /* no-execute (long mode, EFER.NXE) */
#define PTE_ADDR_MASK_32 0xfffff000ull         /* a 4-byte entry's table or page address */
#define PTE_ADDR_MASK_64 0x000ffffffffff000ull /* an 8-byte entry's, up to 52 bits */

#define PAGE_SIZE 4096ull

/* Segment types with the accessed bit set, as VM entry requires of usable segments
 * (SDM vol. 3, 3.4.5.1). */
#define SEG_TYPE_CODE 0xb /* execute/read, accessed */
#define SEG_TYPE_DATA 0x3 /* read/write, accessed */

/* System descriptors and gates (SDM vol. 3, 3.5, 6.11, 7.2.2). */
#define DESC_TYPE_TSS_AVAIL 0x9ull /* 64-bit (or 32-bit) TSS, available */
#define DESC_TYPE_INT_GATE 0xeull  /* interrupt gate */
#define DESC_TYPE_SHIFT 40
#define DESC_P (1ull << 47) /* present */

/* A selector's requested privilege level: its low 2 bits (SDM vol. 3, 3.4.2). */
#define SEL_RPL_MASK 3

#endif
