/* SPDX-License-Identifier: MIT */
/* guest/examples/hello.c: the hello world, written with the guest SDK: one display()
 * exit for the whole greeting, then exit(0) through main's return. */
#include <minivirt/guest.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("Hello, world!\n");
	return 0;
}
