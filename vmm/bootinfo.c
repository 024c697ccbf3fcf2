/* SPDX-License-Identifier: MIT */
/* vmm/bootinfo.c: the args region: [struct hc_boot_info][argv[argc+1]][strings]. */
#include "bootinfo.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <minivirt/hc.h>

uint64_t bootinfo_write(struct gmem *g, const struct layout *l, unsigned slot, int argc,
			char *const argv[], uint32_t vcpu_id, struct mv_err *err)
{
	const struct region page = { "args", layout_args(l, slot), LAYOUT_ARGS_SIZE };
	const struct region *r = &page;
	uint64_t vec = r->gpa + sizeof(struct hc_boot_info);
	uint64_t str = vec + (uint64_t)(argc + 1) * sizeof(hc_gptr_t);
	uint64_t need = str - r->gpa;
	struct hc_boot_info bi = {
		.abi_version = HC_ABI_VERSION,
		.argc = (uint32_t)argc,
		.argv = vec,
		.mem_size = l->mem_size,
		.vcpu_id = vcpu_id,
		.mode = (uint32_t)l->mode,
		.vcpus = l->stacks ? l->stacks : 1,
		.cpl = l->user ? 3 : 0,
	};
	uint8_t *base = gmem_ptr(g, r->gpa, r->size);

	for (int i = 0; i < argc; i++)
		need += strlen(argv[i]) + 1;
	if (!base || argc < 0 || need > r->size) {
		mv_seterr(err, 0,
			  "guest arguments take %" PRIu64 " bytes with the boot info; "
			  "at most %" PRIu64 " fit",
			  need, r->size);
		return 0;
	}
	memset(base, 0, r->size);
	memcpy(base, &bi, sizeof(bi));
	for (int i = 0; i < argc; i++) {
		hc_gptr_t p = str;
		size_t n = strlen(argv[i]) + 1;

		memcpy(base + (vec - r->gpa) + (uint64_t)i * sizeof(p), &p, sizeof(p));
		memcpy(base + (str - r->gpa), argv[i], n);
		str += n;
	}
	/* argv[argc] = 0: already zero from the memset. */
	return r->gpa;
}
