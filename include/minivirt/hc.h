/* minivirt/hc.h: the whole guest<->host contract of kvm-hello-world, included by guests
 * (freestanding) and by the VMM. C11, fixed-size types only, the same layout in 16-, 32-
 * and 64-bit guests.
 *
 * A hypercall is ONE port write: the guest writes, with a 32-bit `out`, the guest-virtual
 * (real mode: linear) address of its request struct to port HC_PORT_BASE + nr. The VMM
 * finds the struct through the guest's own page tables, reads its IN fields, does the
 * call, and writes its OUT fields before the guest runs on. Guest pointers inside requests
 * are hc_gptr_t: a plain integer on both sides, so the host cannot dereference one by
 * accident. A bad pointer inside a request makes the call return -HC_EFAULT; a request
 * struct that is not mapped, an unknown hypercall port or an `in` from one stops the guest
 * with a report (the VMM has nowhere to put an error code). */
#ifndef MINIVIRT_HC_H
#define MINIVIRT_HC_H

#include <stdint.h>

#define HC_ABI_VERSION 1

/* The classic console: each `out` of one byte to this port is one exit, and the VMM
 * writes that byte to its standard output (the Bochs/QEMU debug-console port). */
#define HC_PORT_CONSOLE 0xE9

/* Hypercall nr is a 32-bit `out` to port HC_PORT_BASE + nr; the HC_PORT_COUNT ports from
 * HC_PORT_BASE are all hypercall ports, so a number the VMM lacks is named as such. */
#define HC_PORT_BASE 0x500
#define HC_PORT_COUNT 0x100

enum hc_nr {
	HC_NR_RESERVED = 0,  /* never a hypercall: catches a zeroed port number */
	HC_NR_PRINT_VAL = 1, /* struct hc_print_val */
	HC_NR_GET_NUM_EXITS, /* struct hc_get_num_exits */
	HC_NR_DISPLAY,       /* struct hc_display */
	HC_NR_EXIT,          /* struct hc_exit */
	HC_NR_REPORT,        /* struct hc_report */
	HC_NR_MAX            /* first unused number */
};

/* A guest-virtual address, as an integer (the upper half is 0 in 16/32-bit guests). */
typedef uint64_t hc_gptr_t;

/* Result codes: calls return a value >= 0 or one of these, negated. The numbers are
 * Linux's errno values, so they print the same through strerror() on the host. */
#define HC_EPERM 1
#define HC_ENOENT 2
#define HC_EIO 5
#define HC_EBADF 9
#define HC_EACCES 13
#define HC_EFAULT 14        /* a pointer or length reaches outside the guest's mapped memory */
#define HC_EEXIST 17
#define HC_ENOTDIR 20
#define HC_EISDIR 21
#define HC_EINVAL 22
#define HC_EMFILE 24
#define HC_EFBIG 27
#define HC_ENOSPC 28
#define HC_EROFS 30
#define HC_ENAMETOOLONG 36
#define HC_ENOSYS 38
#define HC_ENOTEMPTY 39

/* printVal: the VMM prints value in decimal, one per line. */
struct hc_print_val {
	uint32_t value; /* IN */
	int32_t ret;    /* OUT: 0 */
};

/* getNumExits: the exits this vCPU has made so far, this hypercall's own included. */
struct hc_get_num_exits {
	uint64_t exits; /* OUT */
	int32_t ret;    /* OUT: 0 */
	uint32_t pad;
};

/* display: prints the NUL-terminated string at str, whatever its length, in one exit.
 * The string may cross pages; it must end inside the guest's mapped memory. */
struct hc_display {
	hc_gptr_t str; /* IN */
	int64_t ret;   /* OUT: bytes printed, or -HC_EFAULT (nothing is printed then) */
};

/* exit: ends the guest; the VMM exits with status & 0xff. */
struct hc_exit {
	int32_t status; /* IN */
	uint32_t pad;
};

/* report: a test guest's verdict, in the manner of the KVM selftests' ucalls. FAIL ends
 * the guest and the VMM says "guest assertion failed at FILE:LINE: MSG" (status 123);
 * DONE ends it with status 0, printing MSG when it is not empty. */
enum hc_report_kind { HC_REPORT_FAIL = 1, HC_REPORT_DONE = 2 };
struct hc_report {
	hc_gptr_t file; /* IN: NUL-terminated, or 0 */
	hc_gptr_t msg;  /* IN: NUL-terminated, or 0 */
	uint32_t line;  /* IN */
	uint32_t kind;  /* IN: enum hc_report_kind */
};

/* The VMM puts this at the bottom of the args region and its guest-virtual address in
 * edi/rdi when the guest starts; argv points to argc+1 hc_gptr_t (the last is 0), each
 * to a NUL-terminated string in the same region. */
struct hc_boot_info {
	uint32_t abi_version; /* HC_ABI_VERSION */
	uint32_t argc;
	hc_gptr_t argv;
	uint64_t mem_size;    /* bytes of memory this guest sees, from guest-virtual 0 */
	uint32_t vcpu_id;
	uint32_t mode;        /* 0 real, 1 protected, 2 paged 32-bit, 3 long */
};

/* The built-in hello-world guest (and the classic example's images) write
 * HC_RESULT_MAGIC here (guest-physical) and halt with it in eax/rax; the VMM checks both. */
#define HC_RESULT_ADDR 0x400
#define HC_RESULT_MAGIC 42

#define HC_ASSERT_LAYOUT(type, field, off) \
	_Static_assert(__builtin_offsetof(type, field) == (off), #type "." #field " moved")
_Static_assert(sizeof(struct hc_print_val) == 8, "hc_print_val size");
HC_ASSERT_LAYOUT(struct hc_print_val, ret, 4);
_Static_assert(sizeof(struct hc_get_num_exits) == 16, "hc_get_num_exits size");
HC_ASSERT_LAYOUT(struct hc_get_num_exits, ret, 8);
_Static_assert(sizeof(struct hc_display) == 16, "hc_display size");
HC_ASSERT_LAYOUT(struct hc_display, ret, 8);
_Static_assert(sizeof(struct hc_exit) == 8, "hc_exit size");
_Static_assert(sizeof(struct hc_report) == 24, "hc_report size");
HC_ASSERT_LAYOUT(struct hc_report, line, 16);
HC_ASSERT_LAYOUT(struct hc_report, kind, 20);
_Static_assert(sizeof(struct hc_boot_info) == 32, "hc_boot_info size");
HC_ASSERT_LAYOUT(struct hc_boot_info, argv, 8);
HC_ASSERT_LAYOUT(struct hc_boot_info, mem_size, 16);
HC_ASSERT_LAYOUT(struct hc_boot_info, mode, 28);

#endif
