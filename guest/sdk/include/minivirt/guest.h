/* SPDX-License-Identifier: MIT */
/* minivirt/guest.h: the guest SDK: what a guest program for kvm-hello-world can call.
 * Freestanding C11; the same source builds for real mode (-m16), 32-bit and long mode.
 * A guest defines main(argc, argv); the SDK's start code calls it and exits with its
 * return value. Every hypercall below is one exit.
 *
 * Names: every function, macro and type here starts with mv_ / MV_ (the ABI's own
 * structs and constants with hc_ / HC_), so no guest name is mistaken for libc's or the
 * VMM's. A guest ported from POSIX code may include <minivirt/posix.h> for short names.
 *
 * Results: a call that can fail returns a value >= 0 (a count, an fd, a position, 0) or
 * a negative HC_E* code (-HC_ENOENT, ...; Linux errno numbers, see minivirt/hc.h). There
 * is no errno and no -1: mv_strerror(-ret) names the code. */
#ifndef MINIVIRT_GUEST_H
#define MINIVIRT_GUEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <minivirt/hc.h>

int main(int argc, char **argv);

/* MV_GUEST_BITS: 16 for real mode (the build passes -DMV_GUEST_BITS=16 with -m16: no
 * compiler macro tells), else 32 or 64. Real-mode guests must keep code and data below
 * 0xa000. */
#ifndef MV_GUEST_BITS
#ifdef __x86_64__
#define MV_GUEST_BITS 64
#else
#define MV_GUEST_BITS 32
#endif
#endif
/* MV_GUEST_BUF_SIZE: a buffer size that fits every mode's memory. */
#if MV_GUEST_BITS == 16
#define MV_GUEST_BUF_SIZE 4096
#else
#define MV_GUEST_BUF_SIZE 65536
#endif

/* --- hypercalls (hypercall.c; the raw mv_hypercall is below, with port I/O) --- */

/* mv_print_val: the VMM prints value in decimal on its own line. */
void mv_print_val(uint32_t value);
/* mv_get_num_exits: this vCPU's exits so far, this call's own exit included. */
uint64_t mv_get_num_exits(void);
/* mv_vcpu_id: this vCPU's number, 0..N-1. */
unsigned mv_vcpu_id(void);
/* mv_display: prints the NUL-terminated string s in one exit; returns its length or
 * -HC_EFAULT when s does not end inside mapped memory. */
long mv_display(const char *s);
/* mv_exit: ends the guest; kvm-hello-world exits with status & 0xff. */
__attribute__((noreturn)) void mv_exit(int status);
/* mv_report_fail / mv_report_done: end a test guest with a verdict the VMM prints: FAIL
 * with file, line and msg (status 123), DONE with msg (status 0). */
__attribute__((noreturn)) void mv_report_fail(const char *file, unsigned line, const char *msg);
__attribute__((noreturn)) void mv_report_done(const char *msg);
/* mv_boot_info: what the VMM passed at start (arguments, memory size, vCPU id). */
const struct hc_boot_info *mv_boot_info(void);

/* MV_ASSERT: on failure, ends the guest; the VMM reports file, line and condition. */
#define MV_ASSERT(cond) \
	((cond) ? (void)0 : mv_report_fail(__FILE__, __LINE__, "assertion '" #cond "' failed"))

/* --- hypercalls answered inside KVM (kvm-hello-world --khc; khc.c) --- */

/* mv_kvm_hypercall: vmcall/vmmcall with nr and up to four arguments; KVM's own numbers
 * (KVM_HC_*, ring 0 only) or minivirt's HC_KHC_*. Returns rax; -HC_ENOSYS when the VMM
 * did not offer them (the instruction is then not executed: kvm_pvm would hang). */
long mv_kvm_hypercall(unsigned long nr, unsigned long a0, unsigned long a1, unsigned long a2,
		      unsigned long a3);
/* mv_khc_exits / mv_khc_calls: KVM's counts of this vCPU's exits and hypercalls. */
unsigned long mv_khc_exits(void);
unsigned long mv_khc_calls(void);

/* --- files in the --dir folder (file.c): one exit each --- */

/* mv_open: path relative to the folder ("/" is the folder itself), flags HC_O_*, mode
 * for a created file; returns a guest fd (>= 3) or -HC_E*. */
int mv_open(const char *path, unsigned flags, unsigned mode);
/* mv_close: 0 or -HC_EBADF. */
int mv_close(int fd);
/* mv_read / mv_write: at the fd's position; bytes moved (0: end of file) or -HC_E*.
 * fd 0 reads the VMM's standard input, 1 and 2 print on its standard output and error. */
long mv_read(int fd, void *buf, size_t len);
long mv_write(int fd, const void *buf, size_t len);
/* mv_pread / mv_pwrite: at offset, leaving the fd's position alone. */
long mv_pread(int fd, void *buf, size_t len, int64_t offset);
long mv_pwrite(int fd, const void *buf, size_t len, int64_t offset);
/* mv_lseek: whence HC_SEEK_SET, HC_SEEK_CUR or HC_SEEK_END; the new position or -HC_E*. */
int64_t mv_lseek(int fd, int64_t offset, unsigned whence);
/* mv_fstat: fills st's size, type (HC_TYPE_*), mode and mtime; 0 or -HC_E*. */
int mv_fstat(int fd, struct hc_fstat *st);
/* mv_unlink, mv_rmdir, mv_mkdir: 0 or -HC_E*. */
int mv_unlink(const char *path);
int mv_rmdir(const char *path);
int mv_mkdir(const char *path, unsigned mode);
/* mv_readdir: the next whole struct hc_dirent records of directory fd into buf (each
 * reclen bytes long); returns the bytes filled, 0 at the end of the directory, or
 * -HC_E* (-HC_EINVAL: buf cannot hold the next record). */
long mv_readdir(int fd, void *buf, size_t len);
/* --- many requests at once (queue.c) ---
 * With kvm-hello-world --queue, mv_read, mv_write, mv_pread, mv_pwrite and the console
 * output go through the I/O queue, a virtqueue in the guest's memory that a VMM thread
 * serves: no exit per call. mv_io_submit hands over many requests at once: all in
 * flight together, answered in order (those on one fd's position move it in turn). */
#define MV_IO_READ 1
#define MV_IO_WRITE 2
struct mv_io {
	int fd;         /* IN */
	unsigned op;    /* IN: MV_IO_READ or MV_IO_WRITE */
	void *buf;      /* IN */
	size_t len;     /* IN */
	int64_t offset; /* IN: >= 0 (as mv_pread/mv_pwrite) or HC_OFFSET_CURRENT */
	long ret;       /* OUT: what mv_read/mv_write would return */
};
/* mv_io_submit: runs io[0..n), each as its own call would; through the queue when the VMM
 * offers it (console reads, which may block, always as an exit). Returns n. */
int mv_io_submit(struct mv_io *io, int n);

/* mv_strerror: the message for hc_err, a positive HC_E* code ("No such file or
 * directory" for HC_ENOENT): pass it -ret. */
const char *mv_strerror(int hc_err);

/* --- port I/O --- */

/* mv_outb / mv_outl: one `out` to port: one exit unless KVM handles the port itself. */
static inline void mv_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}
static inline void mv_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}
/* mv_hypercall: the raw call: request struct req for hypercall nr (see minivirt/hc.h)
 * is one 32-bit `out` of its address to port HC_PORT_BASE + nr; the request's OUT fields
 * hold the answer. Requests live in the guest's identity-mapped low 4 GiB, so 32 bits
 * hold the address. */
static inline void mv_hypercall(unsigned nr, void *req)
{
	mv_outl((uint16_t)(HC_PORT_BASE + nr), (uint32_t)(uintptr_t)req);
}
/* mv_putchar_e9: the classic console: one byte, one exit. */
static inline void mv_putchar_e9(char c)
{
	mv_outb(HC_PORT_CONSOLE, (uint8_t)c);
}

/* --- time --- */

/* mv_rdtsc: the time-stamp counter (ring 3 may read it unless CR4.TSD is set, which the
 * VMM never sets): cycles at the host TSC's rate (the VMM
 * sets no TSC scaling), so a guest and a host program can time the same work alike. */
static inline uint64_t mv_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* --- formatted output (printf.c): one mv_display() exit per call ---
 * Conversions d i u x X o c s p %, flags - 0 + space #, width and precision (also *),
 * length modifiers hh h l ll z j t. Each returns the length of the whole output. */
__attribute__((format(printf, 1, 2))) int mv_printf(const char *fmt, ...);
__attribute__((format(printf, 1, 0))) int mv_vprintf(const char *fmt, va_list ap);
__attribute__((format(printf, 3, 4))) int mv_snprintf(char *buf, size_t size, const char *fmt, ...);
__attribute__((format(printf, 3, 0))) int mv_vsnprintf(char *buf, size_t size, const char *fmt,
						       va_list ap);
int mv_puts(const char *s); /* s and a newline */

/* --- strings and memory (string.c): the C library's meanings ---
 * The compiler itself may call memcpy, memmove, memset and memcmp (struct copies, loops
 * it recognises): libguest defines those four symbols too, as the mv_ ones. */
void *mv_memcpy(void *dst, const void *src, size_t n);
void *mv_memmove(void *dst, const void *src, size_t n);
void *mv_memset(void *dst, int c, size_t n);
int mv_memcmp(const void *a, const void *b, size_t n);
size_t mv_strlen(const char *s);
size_t mv_strnlen(const char *s, size_t max);
int mv_strcmp(const char *a, const char *b);
int mv_strncmp(const char *a, const char *b, size_t n);
char *mv_strchr(const char *s, int c);
char *mv_strcpy(char *dst, const char *src);
char *mv_strncpy(char *dst, const char *src, size_t n);
/* mv_strtol: base 0 (0x prefix: 16, else 10), 10 or 16 ...; no overflow check. */
long mv_strtol(const char *s, char **end, int base);

#endif
