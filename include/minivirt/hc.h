/* SPDX-License-Identifier: MIT */
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
 * with a report (the VMM has nowhere to put an error code).
 * Every address is checked with the caller's privilege, as the CPU checks the caller's own
 * accesses: from ring 3 only user pages (U/S at every level), and for what the VMM writes
 * only pages writable at every level; so ring 3 cannot name the VMM's page tables, GDT,
 * IDT, TSS or exception stacks. Requests, strings and paths are copied once into the VMM
 * and used from that copy. */
#ifndef MINIVIRT_HC_H
#define MINIVIRT_HC_H

#include <stdint.h>

/* The ABI's version, in the boot info. Structs only grow at their end, and each growth of
 * the boot info raises the version: a guest reads a field only from a boot info whose
 * abi_version is at least the version that added it, as an older VMM's args region holds
 * argv where the newer fields would be. Version 2: the 56-byte boot info below, whose
 * doorbell, khc and queue (the offers) version 1 lacked or did not settle. Version 3: the
 * same boot info; ring_setup takes HC_RING_F_AWAKE (a console ring whose header says when
 * the VMM's thread is awake, so a record needs no doorbell then). */
#define HC_ABI_VERSION 3
#define HC_ABI_RING_AWAKE 3 /* the first version whose ring_setup takes HC_RING_F_AWAKE */
#define HC_ABI_OFFERS 2     /* the first version whose doorbell, khc and queue a guest may read */

/* The classic console: each `out` of one byte to this port is one exit, and the VMM
 * writes that byte to its standard output (the Bochs/QEMU debug-console port). */
#define HC_PORT_CONSOLE 0xE9

/* The VMM's exception stubs write to this port (an 8-bit `out`): the VMM then reports the
 * guest's exception (vector, error code, faulting rip) and stops it. Only its stubs, in
 * ring 0: ring 3 cannot reach the port (a #GP), and the VMM refuses a write to it from
 * anywhere else. Ring 3 reaches exactly the ports below (IOPL 0, the TSS's I/O bitmap). */
#define HC_PORT_TRAP 0xEB

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
	HC_NR_OPEN,          /* struct hc_open */
	HC_NR_CLOSE,         /* struct hc_close */
	HC_NR_READ,          /* struct hc_rw */
	HC_NR_WRITE,         /* struct hc_rw */
	HC_NR_LSEEK,         /* struct hc_lseek */
	HC_NR_FSTAT,         /* struct hc_fstat */
	HC_NR_UNLINK,        /* struct hc_path */
	HC_NR_MKDIR,         /* struct hc_path */
	HC_NR_READDIR,       /* struct hc_readdir */
	HC_NR_VCPU_ID,       /* struct hc_vcpu_id */
	HC_NR_RING_SETUP,    /* struct hc_ring_setup */
	HC_NR_QUEUE_SETUP,   /* struct hc_queue_setup */
	HC_NR_QUEUE_WAIT,    /* struct hc_queue_wait */
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
#define HC_EAGAIN 11 /* the path kept changing under the VMM (a rename race): retry */
#define HC_EACCES 13
#define HC_EFAULT 14 /* a pointer or length reaches outside the guest's mapped memory */
#define HC_EEXIST 17
#define HC_ENOTDIR 20
#define HC_EISDIR 21
#define HC_EINVAL 22
#define HC_EMFILE 24
#define HC_EFBIG 27
#define HC_ENOSPC 28
#define HC_ESPIPE 29
#define HC_EROFS 30
#define HC_ENAMETOOLONG 36
#define HC_ENOSYS 38
#define HC_ENOTEMPTY 39
#define HC_ELOOP 40
#define HC_EOVERFLOW 75

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

/* vcpu_id: the calling vCPU's number (0..N-1), e.g. to split work with --smp. */
struct hc_vcpu_id {
	uint32_t id; /* OUT */
	int32_t ret; /* OUT: 0 */
};

/* exit: ends this guest instance (with --smp: this vCPU); the VMM exits with
 * status & 0xff (with several vCPUs: the first non-zero status by vCPU number). */
struct hc_exit {
	int32_t status; /* IN */
	uint32_t pad;
};

/* report: a test guest's verdict, in the manner of the KVM selftests' ucalls. FAIL ends
 * the guest and the VMM says "guest assertion failed at FILE:LINE: MSG" (status 123);
 * DONE ends it with status 0, printing MSG when it is not empty. */
enum hc_report_kind {
	HC_REPORT_FAIL = 1,
	HC_REPORT_DONE = 2
};
struct hc_report {
	hc_gptr_t file; /* IN: NUL-terminated, or 0 */
	hc_gptr_t msg;  /* IN: NUL-terminated, or 0 */
	uint32_t line;  /* IN */
	uint32_t kind;  /* IN: enum hc_report_kind */
};

/* --- Files: guests reach one host folder (--dir), never anything outside it. ---
 * Paths are NUL-terminated, at most HC_PATH_MAX bytes with the NUL, relative to the
 * shared folder ("/" and "" are the folder itself; a leading "/" is ignored). ".." that
 * leaves the folder and symlinks that point out of it give -HC_EACCES; /proc-style magic
 * links give -HC_ELOOP. Without --dir every path call gives -HC_EACCES; with --ro, any
 * call that would change the folder gives -HC_EROFS. Only regular files and directories
 * can be opened (-HC_EACCES for devices, FIFOs, sockets).
 * Guest fds are small integers from a per-guest table: 0, 1, 2 are the console (read(0)
 * reads the VMM's standard input, write(1) prints on its standard output, write(2) on its
 * standard error); files get the lowest free fd >= 3, up to --max-files (-HC_EMFILE). */
#define HC_PATH_MAX 4096

/* Open flags: exactly these bits are accepted (Linux values); others give -HC_EINVAL. */
#define HC_O_RDONLY 0x0
#define HC_O_WRONLY 0x1
#define HC_O_RDWR 0x2
#define HC_O_ACCMODE 0x3
#define HC_O_CREAT 0x40
#define HC_O_EXCL 0x80
#define HC_O_TRUNC 0x200
#define HC_O_APPEND 0x400
#define HC_O_DIRECTORY 0x10000
#define HC_O_ALLOWED \
	(HC_O_ACCMODE | HC_O_CREAT | HC_O_EXCL | HC_O_TRUNC | HC_O_APPEND | HC_O_DIRECTORY)

/* open: returns a guest fd. */
struct hc_open {
	hc_gptr_t path; /* IN */
	uint32_t flags; /* IN: HC_O_* */
	uint32_t mode;  /* IN: permission bits for HC_O_CREAT (masked with 0777) */
	int32_t ret;    /* OUT: fd >= 3 or -HC_E* */
	uint32_t pad;
};

struct hc_close {
	int32_t fd;  /* IN */
	int32_t ret; /* OUT: 0 or -HC_EBADF */
};

/* read / write: len bytes between fd and the guest buffer at buf, moved directly between
 * the host file and guest memory; the whole buffer is checked first (-HC_EFAULT, nothing
 * moved). offset >= 0 reads or writes there and leaves the file position alone (pread,
 * pwrite); HC_OFFSET_CURRENT uses and advances the position. */
#define HC_OFFSET_CURRENT (-1)
struct hc_rw {
	int32_t fd; /* IN */
	uint32_t pad;
	hc_gptr_t buf;  /* IN */
	uint64_t len;   /* IN */
	int64_t offset; /* IN */
	int64_t ret;    /* OUT: bytes moved (0 at end of file) or -HC_E* */
};

#define HC_SEEK_SET 0
#define HC_SEEK_CUR 1
#define HC_SEEK_END 2
struct hc_lseek {
	int32_t fd;      /* IN */
	uint32_t whence; /* IN: HC_SEEK_* */
	int64_t offset;  /* IN */
	int64_t ret;     /* OUT: the new position or -HC_E* */
};

#define HC_TYPE_FILE 1
#define HC_TYPE_DIR 2
#define HC_TYPE_CONSOLE 3
struct hc_fstat {
	int32_t fd;    /* IN */
	int32_t ret;   /* OUT: 0 or -HC_E* */
	uint64_t size; /* OUT: bytes */
	uint32_t type; /* OUT: HC_TYPE_* */
	uint32_t mode; /* OUT: permission bits */
	int64_t mtime; /* OUT: seconds since the epoch */
};

/* unlink: removes a file, or with HC_AT_REMOVEDIR an empty directory.
 * mkdir: creates a directory with mode (masked with 0777). */
#define HC_AT_REMOVEDIR 0x200
struct hc_path {
	hc_gptr_t path; /* IN */
	uint32_t flags; /* IN: unlink: 0 or HC_AT_REMOVEDIR; mkdir: 0 */
	uint32_t mode;  /* IN: mkdir */
	int32_t ret;    /* OUT: 0 or -HC_E* */
	uint32_t pad;
};

/* readdir: fills buf with whole struct hc_dirent records for the directory fd (opened
 * with HC_O_DIRECTORY), continuing where the last call stopped. Returns the bytes filled,
 * 0 at the end, -HC_EINVAL when buf cannot hold even one record. */
struct hc_readdir {
	int32_t fd; /* IN */
	uint32_t pad;
	hc_gptr_t buf; /* IN */
	uint64_t len;  /* IN */
	int64_t ret;   /* OUT */
};
struct hc_dirent {
	uint64_t ino;    /* inode number */
	uint16_t reclen; /* bytes of this record, a multiple of 8: the next one follows */
	uint8_t type;    /* HC_TYPE_FILE, HC_TYPE_DIR, or 0 for anything else */
	char name[];     /* NUL-terminated */
};

/* --- The console ring (kvm-hello-world --ring): output without exits to the VMM. ---
 * The guest appends records to a byte ring in its own memory and writes its vCPU id with
 * a 32-bit `out` to HC_PORT_DOORBELL. KVM handles that write in the kernel
 * (KVM_IOEVENTFD) and wakes a VMM thread, which prints the records, in order, while the
 * guest runs on. Exits to the VMM drain the ring first, so output keeps its order, and
 * everything is printed before the VM exits. A full ring makes the guest wait (ringing
 * again), never drops. A corrupt ring (head - tail > size, a record longer than what is
 * in the ring, an unknown kind) stops the guest with a report.
 * Event suppression (HC_RING_F_AWAKE, ABI version 3, as VRING_USED_F_NO_NOTIFY): the
 * thread polls head for a while after each drain and says so in `awake`; the guest
 * publishes head, then (a full barrier) reads awake, and rings only when it is 0. The
 * thread clears awake, then (a full barrier) looks at head once more before it sleeps, so
 * one of the two sees the other. awake is only a hint to the guest: the VMM writes it and
 * never reads it back, and a guest that changes it only loses its own wake-ups. */
#define HC_PORT_DOORBELL 0x4f0

struct hc_ring {
	uint32_t head;  /* guest: bytes produced, free-running */
	uint32_t tail;  /* VMM: bytes consumed, free-running */
	uint32_t size;  /* bytes of data[]: a power of two, 4 KiB .. 1 MiB */
	uint32_t error; /* VMM: 1 once it refused the ring as corrupt */
	uint32_t awake; /* VMM, HC_RING_F_AWAKE rings only: 1 while its thread polls head */
	uint32_t pad;
	uint8_t data[]; /* records, each 8-byte aligned, wrapping around the end */
};
/* A ring set up without HC_RING_F_AWAKE (as before ABI version 3) has no awake or pad:
 * its data[] starts right after error, at this offset. */
#define HC_RING_HDR_V2 16u

enum hc_ring_kind {
	HC_RING_DISPLAY = 1,   /* payload: bytes to print (no NUL needed) */
	HC_RING_PRINT_VAL = 2, /* value: printed in decimal and a newline; no payload */
	HC_RING_WRITE = 3,     /* payload written to console fd (1 or 2) */
};

struct hc_ring_rec {
	uint32_t kind;  /* enum hc_ring_kind */
	uint32_t len;   /* payload bytes following this header */
	int32_t fd;     /* HC_RING_WRITE: 1 or 2 */
	uint32_t value; /* HC_RING_PRINT_VAL */
};
#define HC_RING_ALIGN 8
#define HC_RING_REC_SIZE(len) ((16u + (len) + HC_RING_ALIGN - 1) & ~(uint32_t)(HC_RING_ALIGN - 1))

/* ring_setup: registers the ring at `ring` (its header and data must be mapped and
 * writable). flags: 0 (the 16-byte header of HC_RING_HDR_V2, a doorbell for each record)
 * or HC_RING_F_AWAKE (the whole struct hc_ring, awake kept up to date; from ABI version
 * 3). Returns 0, -HC_ENOSYS when the VMM runs without --ring, -HC_EINVAL for a bad size
 * or unknown flags, -HC_EFAULT for a ring outside memory, -HC_EEXIST when one is set up. */
#define HC_RING_F_AWAKE 1u
struct hc_ring_setup {
	hc_gptr_t ring; /* IN */
	int32_t ret;    /* OUT */
	uint32_t flags; /* IN: 0 or HC_RING_F_AWAKE (was padding, zero, before version 3) */
};

/* --- The I/O queue (kvm-hello-world --queue): reads and writes without an exit each. ---
 * A virtio split virtqueue (virtio 1.2, section 2.7; the layout of <linux/virtio_ring.h>):
 * a descriptor table, an available ring the guest fills and a used ring the VMM fills,
 * each in the guest's memory. A request is a chain of descriptors linked by
 * HC_VQ_DESC_F_NEXT: first a struct hc_vq_req the VMM reads, then the data buffers (the
 * VMM writes them for a read: HC_VQ_DESC_F_WRITE; reads them for a write: no flag), last a
 * struct hc_vq_status the VMM writes (HC_VQ_DESC_F_WRITE). Unlike virtio, addresses are
 * guest-virtual, like every hypercall's, and are checked with the privilege of the code
 * that set the queue up (from ring 3: user pages only, writable ones for what the VMM
 * writes); a bad data buffer makes that request's status -HC_EFAULT.
 * The guest publishes a chain's head in avail.ring[avail.idx % size], then advances
 * avail.idx; it rings the doorbell (a 32-bit `out` of its vCPU id to HC_PORT_QUEUE,
 * handled in the kernel by KVM_IOEVENTFD: no exit to the VMM) unless used.flags holds
 * HC_VQ_USED_F_NO_NOTIFY, which the VMM's queue thread sets while it polls. The VMM
 * answers each chain in used.ring[used.idx % size] (id: the head, len: the bytes it
 * wrote into the chain) and then advances used.idx. A guest waiting for an answer polls
 * used.idx, and after a short spin calls HC_NR_QUEUE_WAIT: that exit serves the queue
 * (as every exit to the VMM does, first, so output keeps its order). The VMM reads each
 * index, ring entry and descriptor once; a corrupt queue (avail.idx more than size
 * ahead, a head or next >= size, a chain longer than HC_VQ_CHAIN_MAX or looping, an
 * indirect descriptor, a header or status of the wrong size or direction, an unknown op)
 * stops the guest with a report. */
#define HC_PORT_QUEUE 0x4f8
#define HC_VQ_SIZE_MAX 256 /* descriptors in a queue: a power of two, 1 .. this */
#define HC_VQ_CHAIN_MAX 16 /* descriptors in one chain: header, data..., status */

#define HC_VQ_DESC_F_NEXT 1          /* VRING_DESC_F_NEXT: next holds the chain's next */
#define HC_VQ_DESC_F_WRITE 2         /* VRING_DESC_F_WRITE: the VMM writes this buffer */
#define HC_VQ_DESC_F_INDIRECT 4      /* VRING_DESC_F_INDIRECT: refused (a corrupt queue) */
#define HC_VQ_USED_F_NO_NOTIFY 1     /* VRING_USED_F_NO_NOTIFY: the VMM polls, no doorbell */
#define HC_VQ_AVAIL_F_NO_INTERRUPT 1 /* VRING_AVAIL_F_NO_INTERRUPT: ignored (no interrupts) */

struct hc_vq_desc {     /* struct vring_desc */
	hc_gptr_t addr; /* guest-virtual */
	uint32_t len;
	uint16_t flags; /* HC_VQ_DESC_F_* */
	uint16_t next;
};
struct hc_vq_avail {     /* struct vring_avail */
	uint16_t flags;  /* HC_VQ_AVAIL_F_* */
	uint16_t idx;    /* guest: heads published, free-running */
	uint16_t ring[]; /* size heads (then used_event, unused) */
};
struct hc_vq_used_elem { /* struct vring_used_elem */
	uint32_t id;     /* the chain's head */
	uint32_t len;    /* bytes the VMM wrote into the chain's buffers */
};
struct hc_vq_used {                    /* struct vring_used */
	uint16_t flags;                /* HC_VQ_USED_F_* */
	uint16_t idx;                  /* VMM: chains answered, free-running */
	struct hc_vq_used_elem ring[]; /* size entries (then avail_event, unused) */
};
#define HC_VQ_DESC_BYTES(n) (16u * (n))
#define HC_VQ_AVAIL_BYTES(n) (6u + 2u * (n))
#define HC_VQ_USED_BYTES(n) (6u + 8u * (n))

/* A chain's first descriptor: what to do. op HC_VQ_READ reads from fd into the chain's
 * buffers, HC_VQ_WRITE writes them to fd, in order, as readv/writev do; offset >= 0 is
 * preadv/pwritev (the position stays), HC_OFFSET_CURRENT uses and advances it. The same
 * checks and results as HC_NR_READ and HC_NR_WRITE. */
enum hc_vq_op {
	HC_VQ_READ = 1,
	HC_VQ_WRITE = 2,
};
struct hc_vq_req {
	uint32_t op;    /* enum hc_vq_op */
	int32_t fd;     /* a guest fd: 0-2 the console, or a file */
	int64_t offset; /* HC_OFFSET_CURRENT or >= 0 */
};
/* A chain's last descriptor: the result, as HC_NR_READ / HC_NR_WRITE return it. */
struct hc_vq_status {
	int64_t ret; /* bytes moved or -HC_E* */
};

/* queue_setup: registers the queue of `size` descriptors at desc, avail and used for the
 * calling vCPU. Each area must be aligned (16, 2, 4 bytes) and contiguous in guest-physical
 * memory, as virtio's are; the VMM takes them for good: later page-table changes do not
 * move them. Returns 0, -HC_ENOSYS without --queue, -HC_EINVAL for a bad size or
 * alignment, -HC_EFAULT for an area outside the caller's memory or not contiguous,
 * -HC_EEXIST when one is set up. */
struct hc_queue_setup {
	hc_gptr_t desc;  /* IN: HC_VQ_DESC_BYTES(size) */
	hc_gptr_t avail; /* IN: HC_VQ_AVAIL_BYTES(size) */
	hc_gptr_t used;  /* IN: HC_VQ_USED_BYTES(size), writable */
	uint32_t size;   /* IN */
	int32_t ret;     /* OUT */
};

/* queue_wait: returns once every chain published before the call is answered (the exit
 * itself serves the queue): what a guest calls instead of spinning longer. Returns 0, or
 * -HC_ENOSYS when no queue is set up. */
struct hc_queue_wait {
	int32_t ret; /* OUT */
	uint32_t pad;
};

/* --- Hypercalls answered inside KVM (kvm-hello-world --khc), with no exit to the VMM. ---
 * `vmcall` (Intel) or `vmmcall` (AMD) with the number in eax/rax and arguments in
 * ebx, ecx, edx, esi; the result comes back in eax/rax. KVM answers its own numbers
 * (KVM_HC_*, ring 0 only: -KVM_EPERM otherwise) and -KVM_ENOSYS for unknown ones; the
 * minivirt_khc module (kmod/) answers these. The VMM offers them only after a probe
 * shows the instruction returns (kvm_pvm hangs on it), and says which instruction. */
#define HC_KHC_VMCALL 1
#define HC_KHC_VMMCALL 2
#define HC_KHC_PING 0x4d560000u  /* returns HC_KHC_MAGIC when minivirt_khc is loaded */
#define HC_KHC_EXITS 0x4d560001u /* returns KVM's count of this vCPU's exits */
#define HC_KHC_CALLS 0x4d560002u /* returns KVM's count of this vCPU's hypercalls */
#define HC_KHC_MAGIC 0x6d696e69u /* "mini" */
#define HC_KVM_ENOSYS 1000       /* KVM's own error codes, returned negated */
#define HC_KVM_EPERM 1

/* The VMM puts this at the bottom of the args region and its guest-virtual address in
 * edi/rdi when the guest starts; argv points to argc+1 hc_gptr_t (the last is 0), each
 * to a NUL-terminated string in the same region. */
struct hc_boot_info {
	uint32_t abi_version; /* HC_ABI_VERSION */
	uint32_t argc;
	hc_gptr_t argv;
	uint64_t mem_size; /* bytes of memory this guest sees, from guest-virtual 0 */
	uint32_t vcpu_id;
	uint32_t mode;     /* 0 real, 1 protected, 2 paged 32-bit, 3 long */
	uint32_t vcpus;    /* vCPUs sharing this address space: N with --smp, else 1 */
	uint32_t cpl;      /* the privilege level the guest runs at: 0 or 3 */
	uint32_t doorbell; /* HC_PORT_DOORBELL when the console ring is offered, else 0 */
	uint32_t khc;      /* in-kernel hypercalls (--khc): HC_KHC_VMCALL, _VMMCALL or 0 */
	uint32_t queue;    /* HC_PORT_QUEUE when the I/O queue is offered (--queue), else 0 */
	uint32_t pad;
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
_Static_assert(sizeof(struct hc_vcpu_id) == 8, "hc_vcpu_id size");
_Static_assert(sizeof(struct hc_report) == 24, "hc_report size");
HC_ASSERT_LAYOUT(struct hc_report, line, 16);
HC_ASSERT_LAYOUT(struct hc_report, kind, 20);
_Static_assert(sizeof(struct hc_open) == 24, "hc_open size");
HC_ASSERT_LAYOUT(struct hc_open, ret, 16);
_Static_assert(sizeof(struct hc_close) == 8, "hc_close size");
_Static_assert(sizeof(struct hc_rw) == 40, "hc_rw size");
HC_ASSERT_LAYOUT(struct hc_rw, buf, 8);
HC_ASSERT_LAYOUT(struct hc_rw, offset, 24);
HC_ASSERT_LAYOUT(struct hc_rw, ret, 32);
_Static_assert(sizeof(struct hc_lseek) == 24, "hc_lseek size");
_Static_assert(sizeof(struct hc_fstat) == 32, "hc_fstat size");
HC_ASSERT_LAYOUT(struct hc_fstat, size, 8);
HC_ASSERT_LAYOUT(struct hc_fstat, mtime, 24);
_Static_assert(sizeof(struct hc_path) == 24, "hc_path size");
_Static_assert(sizeof(struct hc_readdir) == 32, "hc_readdir size");
HC_ASSERT_LAYOUT(struct hc_dirent, reclen, 8);
HC_ASSERT_LAYOUT(struct hc_dirent, name, 11);
_Static_assert(sizeof(struct hc_boot_info) == 56, "hc_boot_info size");
HC_ASSERT_LAYOUT(struct hc_boot_info, queue, 48);
HC_ASSERT_LAYOUT(struct hc_boot_info, doorbell, 40);
HC_ASSERT_LAYOUT(struct hc_boot_info, khc, 44);
_Static_assert(sizeof(struct hc_ring) == 24, "hc_ring size");
HC_ASSERT_LAYOUT(struct hc_ring, error, 12);
HC_ASSERT_LAYOUT(struct hc_ring, awake, HC_RING_HDR_V2);
_Static_assert(sizeof(struct hc_ring_rec) == 16, "hc_ring_rec size");
_Static_assert(sizeof(struct hc_ring_setup) == 16, "hc_ring_setup size");
_Static_assert(sizeof(struct hc_vq_desc) == 16, "hc_vq_desc size");
HC_ASSERT_LAYOUT(struct hc_vq_desc, len, 8);
HC_ASSERT_LAYOUT(struct hc_vq_desc, flags, 12);
HC_ASSERT_LAYOUT(struct hc_vq_desc, next, 14);
HC_ASSERT_LAYOUT(struct hc_vq_avail, ring, 4);
_Static_assert(sizeof(struct hc_vq_used_elem) == 8, "hc_vq_used_elem size");
HC_ASSERT_LAYOUT(struct hc_vq_used, ring, 4);
_Static_assert(sizeof(struct hc_vq_req) == 16, "hc_vq_req size");
_Static_assert(sizeof(struct hc_vq_status) == 8, "hc_vq_status size");
_Static_assert(sizeof(struct hc_queue_setup) == 32, "hc_queue_setup size");
HC_ASSERT_LAYOUT(struct hc_queue_setup, size, 24);
_Static_assert(sizeof(struct hc_queue_wait) == 8, "hc_queue_wait size");
HC_ASSERT_LAYOUT(struct hc_boot_info, vcpus, 32);
HC_ASSERT_LAYOUT(struct hc_boot_info, argv, 8);
HC_ASSERT_LAYOUT(struct hc_boot_info, mem_size, 16);
HC_ASSERT_LAYOUT(struct hc_boot_info, mode, 28);

#endif
