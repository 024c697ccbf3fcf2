/* SPDX-License-Identifier: MIT */
/* vmm/guests.S: the built-in guest images, embedded into the VMM binary.
 * Each image has a start and end symbol; loader.c lists them by name. */
#define GUEST(name, file)              \
	.global name##_start, name##_end; \
	.balign 16;                       \
name##_start:                         \
	.incbin file;                     \
name##_end:

	.section .rodata
	GUEST(guest_hello16, "hello16.bin")
	GUEST(guest_hello32, "hello32.bin")
	GUEST(guest_hello64, "hello64.bin")
	GUEST(guest_fault16, "fault16.bin")
	GUEST(guest_fault32, "fault32.bin")
	GUEST(guest_fault64, "fault64.bin")
	GUEST(guest_spin16, "spin16.bin")
	GUEST(guest_spin32, "spin32.bin")
	GUEST(guest_spin64, "spin64.bin")
	GUEST(guest_badport16, "badport16.bin")
	GUEST(guest_badport32, "badport32.bin")
	GUEST(guest_badport64, "badport64.bin")

	GUEST(guest_wrong16, "wrong16.bin")
	GUEST(guest_wrong32, "wrong32.bin")
	GUEST(guest_wrong64, "wrong64.bin")

	.section .note.GNU-stack, "", @progbits
