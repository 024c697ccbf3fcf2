/* SPDX-License-Identifier: MIT */
/* guest/examples/hypercalls.c: each hypercall once, and what mv_display() saves: the exits
 * a whole string costs through mv_display() against one `out` per byte on port 0xE9. */
#include <minivirt/guest.h>

static const char *const modes[] = { "real", "protected", "paged 32-bit", "long" };

int main(int argc, char **argv)
{
	const struct hc_boot_info *bi = mv_boot_info();
	const char *s = argc > 1 ? argv[1] : "Hello, world!\n";
	uint64_t before, display_exits, byte_exits;

	mv_printf("hypercalls: %s mode, %u KiB of memory, vCPU %u, ABI %u, %d argument(s)\n",
		  bi->mode < 4 ? modes[bi->mode] : "?", (unsigned)(bi->mem_size >> 10),
		  (unsigned)bi->vcpu_id, (unsigned)bi->abi_version, argc - 1);
	mv_printf("print_val(42) prints:\n");
	mv_print_val(42);

	/* get_num_exits counts its own exit: the difference of two calls minus one is
	 * what ran between them. */
	before = mv_get_num_exits();
	mv_display(s);
	display_exits = mv_get_num_exits() - before - 1;

	before = mv_get_num_exits();
	for (const char *p = s; *p; p++)
		mv_putchar_e9(*p);
	byte_exits = mv_get_num_exits() - before - 1;

	mv_printf("display() of %u bytes took %u exit(s); byte by byte on port 0xE9: %u exits\n",
		  (unsigned)mv_strlen(s), (unsigned)display_exits, (unsigned)byte_exits);
	mv_printf("exits so far: %u\n", (unsigned)mv_get_num_exits());
	return 0;
}
