/* SPDX-License-Identifier: MIT */
/* tests/guests/neighbour.c: the attack of a ring-0 instance (--vcpus N --cpl 0) on its
 * neighbour: instance 0 maps, with its own page tables, the guest-physical addresses
 * just past its memory (where instance 1's slice was when instances shared one VM) and
 * reads or writes them ("read" or "write" in argv[1]). Each instance being its own VM,
 * the access must end in an exit outside memory, never reach the neighbour's mark. */
#include <minivirt/guest.h>

/* Every instance marks its memory here; the attacker looks for a mark not its own. */
static volatile uint32_t mark;

#define MARK 0x5ec00000u
#define PTE_P 0x1u
#define PTE_RW 0x2u
#define PTE_PS 0x80u /* a large page: 2 MiB in long mode, 4 MiB with 32-bit paging */

#if MV_GUEST_BITS != 16
static uintptr_t read_cr0(void)
{
	uintptr_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static uintptr_t read_cr3(void)
{
	uintptr_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

/* Maps the large page at guest-physical gpa at the same guest-virtual address, by writing
 * the paging structures directly (they are identity-mapped, and ring 0 may write them).
 * Returns the address to use. */
static volatile uint32_t *map_window(uint64_t gpa)
{
	const uintptr_t cr3 = read_cr3() & ~(uintptr_t)0xfff;

	if (!(read_cr0() & 0x80000000u)) /* -s: no paging, guest-physical is reached directly */
		return (volatile uint32_t *)(uintptr_t)gpa;
#if MV_GUEST_BITS == 64
	{
		volatile uint64_t *pml4 = (volatile uint64_t *)cr3;
		volatile uint64_t *pdpt = (volatile uint64_t *)(uintptr_t)(pml4[0] & ~0xfffull);
		volatile uint64_t *pd = (volatile uint64_t *)(uintptr_t)(pdpt[0] & ~0xfffull);

		pd[gpa >> 21] = gpa | PTE_P | PTE_RW | PTE_PS;
	}
#else
	{
		volatile uint32_t *pd = (volatile uint32_t *)cr3;

		pd[gpa >> 22] = (uint32_t)gpa | PTE_P | PTE_RW | PTE_PS;
	}
#endif
	__asm__ volatile("invlpg (%0)" : : "r"((uintptr_t)gpa) : "memory");
	return (volatile uint32_t *)(uintptr_t)gpa;
}
#endif

int main(int argc, char **argv)
{
	const struct hc_boot_info *bi = mv_boot_info();
	const unsigned id = (unsigned)bi->vcpu_id;

	mark = MARK | id;
	if (id != 0) {
		mv_printf("instance %u: marked\n", id);
		return 0;
	}
#if MV_GUEST_BITS == 16
	(void)argc;
	(void)argv;
	mv_printf("neighbour: needs protected or long mode\n");
	return 2;
#else
	const int write = argc > 1 && !mv_strcmp(argv[1], "write");
	/* Where the neighbour's slice began: memory rounded up to the large-page size. */
	const uint64_t large = MV_GUEST_BITS == 64 ? 1ull << 21 : 1ull << 22;
	const uint64_t base = (bi->mem_size + large - 1) / large * large;
	volatile uint32_t *win, *target;

	if (bi->cpl != 0) {
		mv_printf("neighbour: run with --cpl 0 (now in ring %u)\n", (unsigned)bi->cpl);
		return 2;
	}
	win = map_window(base);
	target = (volatile uint32_t *)((uintptr_t)win + (uintptr_t)&mark);
	mv_printf("instance 0: %s guest-physical 0x%lx\n", write ? "writing" : "reading",
		  (unsigned long)(base + (uintptr_t)&mark));
	if (write) {
		*target = MARK | 0xbad;
		mv_printf("instance 0: the write went through\n");
	} else {
		uint32_t v = *target;

		mv_printf("instance 0: the read went through: 0x%x%s\n", (unsigned)v,
			  (v & 0xffff0000u) == MARK ? ", the neighbour's mark" : "");
	}
	return 3;
#endif
}
