/* SPDX-License-Identifier: MIT */
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

/* Sizes and places the tables region below `at` (the GDT). With a user-mode guest the
 * region itself must stay supervisor-only, which may split a large page into a table of
 * 4 KiB pages, which grows the region: iterate until the count stands. */
static uint64_t place_tables(struct layout *l, uint64_t at)
{
	unsigned n = pt_tables_for(&(struct pt_spec){ .fmt = l->pt_fmt, .size = l->mem_size });

	l->spec = (struct pt_spec){ .fmt = l->pt_fmt, .size = l->mem_size, .user = l->user };
	for (int i = 0; i < 4 && l->pt_fmt != PT_NONE; i++) {
		unsigned m;

		l->spec.kernel_start = at - n * PAGE_SIZE;
		l->spec.kernel_end = l->reg[REG_XSTACK].gpa + l->reg[REG_XSTACK].size;
		m = pt_tables_for(&l->spec);
		if (m <= n)
			break;
		n = m;
	}
	if (l->pt_fmt == PT_NONE)
		n = 0;
	l->reg[REG_TABLES] = (struct region){ "page tables", at - n * PAGE_SIZE, n * PAGE_SIZE };
	return at - n * PAGE_SIZE;
}

/* --classic: the tables at 0x2000 up, as dpw/kvm-hello-world's setup_long_mode() puts
 * them, every entry user-accessible as there (the guest still runs in ring 0); the image
 * below them; the result and the stack top (the top of memory) as everywhere. The VMM's
 * own pages (GDT and IDT, exception stack, boot info) stay at the top, below the stack. */
static int place_classic(struct layout *l, uint64_t vmm_pages, struct mv_err *err)
{
	const unsigned n =
		pt_tables_for(&(struct pt_spec){ .fmt = l->pt_fmt, .size = l->mem_size });
	const uint64_t end = LAYOUT_CLASSIC_TABLES + n * PAGE_SIZE;

	if (l->mode != MODE_LONG || l->stacks != 1)
		return mv_seterr(err, 0,
				 "--classic is the classic example's layout: long mode, one vCPU");
	if (end > vmm_pages)
		return mv_seterr(err, 0,
				 "--classic: %u page tables from 0x%llx reach the VMM's pages at "
				 "0x%" PRIx64,
				 n, LAYOUT_CLASSIC_TABLES, vmm_pages);
	l->classic = true;
	l->spec = (struct pt_spec){ .fmt = l->pt_fmt, .size = l->mem_size, .user = true };
	l->reg[REG_TABLES] = (struct region){ "page tables", LAYOUT_CLASSIC_TABLES,
					      end - LAYOUT_CLASSIC_TABLES };
	l->image_limit = LAYOUT_CLASSIC_TABLES;
	l->reg[REG_IMAGE] = (struct region){ "image", LAYOUT_IMAGE_GPA, LAYOUT_CLASSIC_TABLES };
	l->reg[REG_RESULT] = (struct region){ "result", LAYOUT_RESULT_GPA, 8 };
	return 0;
}

int layout_plan(const struct layout_req *req, struct layout *l, struct mv_err *err)
{
	const enum cpu_mode mode = req->mode;
	const uint64_t mem_size = req->mem_size;
	const unsigned stacks = req->vcpus ? req->vcpus : 1;
	uint64_t top, at;

	memset(l, 0, sizeof(*l));
	if (mem_size % PAGE_SIZE)
		return mv_seterr(err, 0, "memory size %" PRIu64 " is not a multiple of 4 KiB",
				 mem_size);
	if (mem_size < LAYOUT_MEM_MIN || mem_size > LAYOUT_MEM_MAX)
		return mv_seterr(err, 0, "memory size %" PRIu64 " is outside 64 KiB .. 2 GiB",
				 mem_size);
	l->mode = mode;
	l->mem_size = mem_size;
	l->pt_fmt = mode_paging(mode);
	l->user = req->user && mode != MODE_REAL;
	l->stacks = stacks;
	l->entry = LAYOUT_IMAGE_GPA;
	/* Real mode: 16-bit segments with base 0, so everything the guest addresses sits
	 * below 64 KiB, and the stack top must fit SP (0x10000 does not): 0xf000. */
	top = mode == MODE_REAL ? LAYOUT_REAL_TOP : mem_size;
	l->stack_top = top;
	if ((uint64_t)stacks * (LAYOUT_STACK_SIZE + LAYOUT_ARGS_SIZE) > top / 2)
		return mv_seterr(err, 0,
				 "%u vCPUs need %u KiB of stacks and args, more than half of the "
				 "%" PRIu64 " KiB of memory",
				 stacks, stacks * 20, top >> 10);
	at = top - stacks * LAYOUT_STACK_SIZE;
	l->reg[REG_STACK] = (struct region){ "stack", at, stacks * LAYOUT_STACK_SIZE };
	at -= stacks * LAYOUT_ARGS_SIZE;
	l->reg[REG_ARGS] = (struct region){ "args", at, stacks * LAYOUT_ARGS_SIZE };
	if (mode != MODE_REAL)
		at -= stacks * LAYOUT_XSTACK_SIZE;
	l->reg[REG_XSTACK] = (struct region){ "xstack", at,
					      mode != MODE_REAL ? stacks * LAYOUT_XSTACK_SIZE : 0 };
	if (mode != MODE_REAL)
		at -= LAYOUT_GDT_SIZE;
	l->reg[REG_GDT] = (struct region){ "gdt", at, mode != MODE_REAL ? LAYOUT_GDT_SIZE : 0 };
	if (req->classic)
		return place_classic(l, at, err);
	at = place_tables(l, at);
	/* At 64 KiB the VMM's regions take at most 13 pages, leaving the image 12 KiB. */
	l->image_limit = at;
	l->reg[REG_IMAGE] = (struct region){ "image", LAYOUT_IMAGE_GPA, at - LAYOUT_IMAGE_GPA };
	l->reg[REG_RESULT] = (struct region){ "result", LAYOUT_RESULT_GPA, 8 };
	return 0;
}

uint64_t layout_stack_top(const struct layout *l, unsigned i)
{
	return l->stack_top - (uint64_t)i * LAYOUT_STACK_SIZE;
}

uint64_t layout_args(const struct layout *l, unsigned i)
{
	return l->reg[REG_ARGS].gpa + (uint64_t)i * LAYOUT_ARGS_SIZE;
}
