/* vmm/layout.c: the guest-physical memory plan (see layout.h for the picture). */
#include "layout.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const char *mode_name(enum cpu_mode mode)
{
	static const char *const names[] = { "real", "protected", "paged 32-bit", "long" };

	return names[mode];
}

const char *mode_flag(enum cpu_mode mode)
{
	static const char *const flags[] = { "-r", "-s", "-p", "-l" };

	return flags[mode];
}

static enum pt_format mode_paging(enum cpu_mode mode)
{
	return mode == MODE_LONG ? PT_4LEVEL : mode == MODE_PAGED32 ? PT_32BIT : PT_NONE;
}

int layout_plan(enum cpu_mode mode, uint64_t mem_size, struct layout *l, char *err,
		size_t errlen)
{
	uint64_t top, at, size;

	memset(l, 0, sizeof(*l));
	if (mem_size % PAGE_SIZE) {
		snprintf(err, errlen, "memory size %" PRIu64 " is not a multiple of 4 KiB", mem_size);
		return -1;
	}
	if (mem_size < LAYOUT_MEM_MIN || mem_size > LAYOUT_MEM_MAX) {
		snprintf(err, errlen, "memory size %" PRIu64 " is outside 64 KiB .. 2 GiB", mem_size);
		return -1;
	}
	l->mode = mode;
	l->mem_size = mem_size;
	l->pt_fmt = mode_paging(mode);
	l->entry = LAYOUT_IMAGE_GPA;
	/* Real mode: 16-bit segments with base 0, so everything the guest addresses sits
	 * below 64 KiB, and the stack top must fit SP (0x10000 does not): 0xf000. */
	top = mode == MODE_REAL ? LAYOUT_REAL_TOP : mem_size;
	l->stack_top = top;
	at = top - LAYOUT_STACK_SIZE;
	l->reg[REG_STACK] = (struct region){ "stack", at, LAYOUT_STACK_SIZE };
	at -= LAYOUT_ARGS_SIZE;
	l->reg[REG_ARGS] = (struct region){ "args", at, LAYOUT_ARGS_SIZE };
	if (mode != MODE_REAL) {
		at -= LAYOUT_GDT_SIZE;
		l->reg[REG_GDT] = (struct region){ "gdt", at, LAYOUT_GDT_SIZE };
	} else {
		l->reg[REG_GDT] = (struct region){ "gdt", at, 0 };
	}
	size = pt_tables_needed(l->pt_fmt, mem_size) * PAGE_SIZE;
	at -= size;
	l->reg[REG_TABLES] = (struct region){ "page tables", at, size };
	/* At 64 KiB the VMM's regions take at most 11 pages, leaving the image 20 KiB. */
	l->image_limit = at;
	l->reg[REG_IMAGE] = (struct region){ "image", LAYOUT_IMAGE_GPA, at - LAYOUT_IMAGE_GPA };
	l->reg[REG_RESULT] = (struct region){ "result", LAYOUT_RESULT_GPA, 8 };
	return 0;
}
