/* SPDX-License-Identifier: MIT */
/* guest/examples/hypercalls.c: each hypercall once, and what display() saves: the exits
 * a whole string costs through display() against one `out` per byte on port 0xE9. */
#include <minivirt/guest.h>

static const char *const modes[] = { "real", "protected", "paged 32-bit", "long" };

int main(int argc, char **argv)
{
	const struct hc_boot_info *bi = boot_info();
	const char *s = argc > 1 ? argv[1] : "Hello, world!\n";
	uint64_t before, display_exits, byte_exits;

	printf("hypercalls: %s mode, %u KiB of memory, vCPU %u, ABI %u, %d argument(s)\n",
	       bi->mode < 4 ? modes[bi->mode] : "?", (unsigned)(bi->mem_size >> 10),
	       (unsigned)bi->vcpu_id, (unsigned)bi->abi_version, argc - 1);
	printf("print_val(42) prints:\n");
	print_val(42);

	/* get_num_exits counts its own exit: the difference of two calls minus one is
	 * what ran between them. */
	before = get_num_exits();
	display(s);
	display_exits = get_num_exits() - before - 1;

	before = get_num_exits();
	for (const char *p = s; *p; p++)
		putchar_e9(*p);
	byte_exits = get_num_exits() - before - 1;

	printf("display() of %u bytes took %u exit(s); byte by byte on port 0xE9: %u exits\n",
	       (unsigned)strlen(s), (unsigned)display_exits, (unsigned)byte_exits);
	printf("exits so far: %u\n", (unsigned)get_num_exits());
	return 0;
}
