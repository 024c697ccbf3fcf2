/* SPDX-License-Identifier: MIT */
/* guest/examples/hello.c: the hello world, written with the guest SDK: one mv_display()
 * exit for the whole greeting, then mv_exit(0) through main's return. */
#include <minivirt/guest.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mv_printf("Hello, world!\n");
	return 0;
}
