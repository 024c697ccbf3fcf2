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
	uint64_t top;

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
	l->entry = LAYOUT_CODE_GPA;
	l->reg[REG_CODE] = (struct region){ "code", LAYOUT_CODE_GPA, LAYOUT_CODE_MAX };
	l->reg[REG_RESULT] = (struct region){ "result", LAYOUT_RESULT_GPA, 8 };
	l->reg[REG_GDT] = (struct region){ "gdt", LAYOUT_GDT_GPA, mode == MODE_REAL ? 0 : 3 * 8 };
	l->reg[REG_TABLES] = (struct region){ "page tables", LAYOUT_TABLES_GPA,
					      pt_tables_needed(l->pt_fmt, mem_size) * PAGE_SIZE };
	/* Real mode addresses the stack as SS:SP, so it must sit in the first 64 KiB. */
	top = mode == MODE_REAL && mem_size > 0x10000 ? 0x10000 : mem_size;
	l->reg[REG_STACK] = (struct region){ "stack", top - LAYOUT_STACK_SIZE, LAYOUT_STACK_SIZE };
	l->stack_top = top;
	/* At 64 KiB the tables (at most 5 pages) end at 0x6000, below the stack at 0xc000. */
	return 0;
}
