/* SPDX-License-Identifier: MIT */
/* vmm/bootinfo.h: what a guest finds at start: struct hc_boot_info and its arguments,
 * written into the args region; edi/rdi holds its address. Pure, unit-tested. */
#ifndef VMM_BOOTINFO_H
#define VMM_BOOTINFO_H

#include <stddef.h>
#include <stdint.h>

#include "mv_err.h"
#include "gmem.h"
#include "layout.h"

/* bootinfo_write: writes the boot info for vCPU vcpu_id with argc/argv into args page
 * `slot` of l's args region (one page per vCPU sharing the memory; addresses in g are
 * the guest's virtual ones). Returns its guest address, or 0 with a reason in err when
 * the arguments do not fit a page. */
uint64_t bootinfo_write(struct gmem *g, const struct layout *l, unsigned slot, int argc,
			char *const argv[], uint32_t vcpu_id, struct mv_err *err);

#endif
