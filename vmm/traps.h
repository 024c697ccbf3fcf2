/* SPDX-License-Identifier: MIT */
/* vmm/traps.h: exceptions reported instead of triple faults. The VMM gives protected- and
 * long-mode guests an IDT of 32 gates whose stubs push the vector and write to port
 * HC_PORT_TRAP; the VMM then reads the exception frame and says what happened, with the
 * registers of the faulting code. Without it a fault becomes a triple fault, and AMD SVM
 * resets the vCPU before KVM reports that, losing the registers. */
#ifndef VMM_TRAPS_H
#define VMM_TRAPS_H

#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>

#include "mv_err.h"
#include "gva.h"
#include "layout.h"

/* traps_build: writes the TSS descriptor, the IDT and the stubs into l's gdt page, and a
 * TSS into each vCPU's exception-stack page, in mem (the guest's memory, at its virtual
 * addresses). */
void traps_build(struct gmem *mem, const struct layout *l);

/* traps_report_rip: the guest-virtual address of the stubs' `out` to HC_PORT_TRAP, the one
 * place an exception report may come from (in ring 0); 0 in real mode, which has none. */
uint64_t traps_report_rip(const struct layout *l);

/* traps_sregs: points vCPU slot's IDTR and TR at them. */
void traps_sregs(const struct layout *l, unsigned slot, struct kvm_sregs *sr);

struct trap {
	unsigned vector;      /* 0..31 */
	const char *name;     /* "page fault" */
	const char *mnemonic; /* "#PF" */
	int has_error;        /* the CPU pushed an error code */
	uint64_t error;
	uint64_t rip, cs, rflags, rsp, ss; /* the faulting context, from the frame */
	uint64_t cr2;                      /* the faulting address, for #PF */
};

/* traps_decode: reads the frame at the stub's stack pointer rsp (wide, long mode: 8-byte
 * slots; else 4) through view. Returns 0, or -1 when the frame is not readable. */
int traps_decode(const struct gview *view, int wide, uint64_t rsp, uint64_t cr2, struct trap *t);

/* traps_describe: "page fault (#PF) at rip 0x... (cs 0x1b): write to 0x201000 not
 * mapped, from user mode" into why, the reason a vCPU stopped. */
void traps_describe(const struct trap *t, struct mv_err *why);

#endif
