/* SPDX-License-Identifier: MIT */
/* vmm/report.h: what the VMM tells a student about itself: --layout, --stats, and the
 * registers of a guest that crashed. */
#ifndef VMM_REPORT_H
#define VMM_REPORT_H

#include <stdio.h>

#include "layout.h"
#include "loader.h"
#include "vcpu.h"
#include "vm.h"
#include "x86_modes.h"

/* report_layout: prints, from the live VM before it runs: its guest memory and host
 * mapping, vCPU v's kvm_run area, each region of l, the CPU state, the page-table tree
 * and worked translations (software walk, cross-checked with KVM_TRANSLATE). index is
 * the instance's number (each instance its own VM), or -1 when there is one VM. */
void report_layout(FILE *f, const struct vm *vm, const struct vcpu *v, const struct layout *l,
		   const struct x86_setup *x, const struct loaded *img, int index);

/* report_stats: prints v's exits by reason, its hypercalls, the console exits, and KVM's
 * own counters
 * (when the stats fd is available) with whether they agree; vm_line (the VM it runs in)
 * follows the heading. */
void report_stats(FILE *f, const struct vcpu *v, const char *vm_line);

/* report_stats_all: report_stats for each of the n vCPUs, each with the VM it ran in
 * (one VM shared by all with `shared` (--smp), else one each), then the totals when
 * n > 1. */
void report_stats_all(FILE *f, const struct vcpu *v, unsigned n, bool shared);

/* report_regs: prints vCPU fd's general, segment and control registers. */
void report_regs(FILE *f, int vcpu_fd);

/* report_trap_regs: the registers of the code that took exception t: rip, rsp and
 * rflags from its frame, the others as the stub left them (it changes none). */
void report_trap_regs(FILE *f, int vcpu_fd, const struct trap *t);

#endif
