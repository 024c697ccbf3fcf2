/* SPDX-License-Identifier: MIT */
/* minivirt/guest.h: the guest SDK: what a guest program for kvm-hello-world can call.
 * Freestanding C11; the same source builds for real mode (-m16), 32-bit and long mode.
 * A guest defines main(argc, argv); the SDK's start code calls it and exits with its
 * return value. Every hypercall below is one exit. */
#ifndef MINIVIRT_GUEST_H
#define MINIVIRT_GUEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <minivirt/hc.h>

int main(int argc, char **argv);

/* GUEST_BITS: 16 for real mode (the build passes -DGUEST_BITS=16 with -m16: no compiler
 * macro tells), else 32 or 64. Real-mode guests must keep code and data below 0xa000. */
#ifndef GUEST_BITS
#ifdef __x86_64__
#define GUEST_BITS 64
#else
#define GUEST_BITS 32
#endif
#endif
#if GUEST_BITS == 16
#define GUEST_BUF_SIZE 4096
#else
#define GUEST_BUF_SIZE 65536
#endif

/* --- hypercalls (hypercall.c) --- */

/* print_val: the VMM prints value in decimal on its own line. */
void print_val(uint32_t value);
/* get_num_exits: this vCPU's exits so far, this call's own exit included. */
uint64_t get_num_exits(void);
/* vcpu_id: this vCPU's number, 0..N-1. */
unsigned vcpu_id(void);
/* display: prints the NUL-terminated string s in one exit; returns its length or
 * -HC_EFAULT when s does not end inside mapped memory. */
long display(const char *s);
/* exit: ends the guest; kvm-hello-world exits with status & 0xff. */
__attribute__((noreturn)) void exit(int status);
/* report_fail / report_done: end a test guest with a verdict the VMM prints. */
__attribute__((noreturn)) void report_fail(const char *file, unsigned line, const char *msg);
__attribute__((noreturn)) void report_done(const char *msg);
/* hypercall: the raw call: request struct req for hypercall nr (see minivirt/hc.h). */
void hypercall(unsigned nr, void *req);
/* boot_info: what the VMM passed at start (arguments, memory size, vCPU id). */
const struct hc_boot_info *boot_info(void);

/* GUEST_ASSERT: on failure, ends the guest; the VMM reports file, line and condition. */
#define GUEST_ASSERT(cond) \
	((cond) ? (void)0 : report_fail(__FILE__, __LINE__, "assertion '" #cond "' failed"))

/* --- hypercalls answered inside KVM (kvm-hello-world --khc; khc.c) --- */

/* kvm_hypercall: vmcall/vmmcall with nr and up to four arguments; KVM's own numbers
 * (KVM_HC_*, ring 0 only) or minivirt's HC_KHC_*. Returns rax; -HC_ENOSYS when the VMM
 * did not offer them (the instruction is then not executed: kvm_pvm would hang). */
long kvm_hypercall(unsigned long nr, unsigned long a0, unsigned long a1, unsigned long a2,
		   unsigned long a3);
/* khc_exits / khc_calls: KVM's counts of this vCPU's exits and hypercalls. */
unsigned long khc_exits(void);
unsigned long khc_calls(void);

/* --- files (file.c): one exit each; results are >= 0 or -HC_E* (see minivirt/hc.h) --- */
#define O_RDONLY HC_O_RDONLY
#define O_WRONLY HC_O_WRONLY
#define O_RDWR HC_O_RDWR
#define O_CREAT HC_O_CREAT
#define O_EXCL HC_O_EXCL
#define O_TRUNC HC_O_TRUNC
#define O_APPEND HC_O_APPEND
#define O_DIRECTORY HC_O_DIRECTORY
#define SEEK_SET HC_SEEK_SET
#define SEEK_CUR HC_SEEK_CUR
#define SEEK_END HC_SEEK_END

int open(const char *path, unsigned flags, unsigned mode);
int close(int fd);
long read(int fd, void *buf, size_t len);
long write(int fd, const void *buf, size_t len);
long pread(int fd, void *buf, size_t len, int64_t offset);
long pwrite(int fd, const void *buf, size_t len, int64_t offset);
int64_t lseek(int fd, int64_t offset, unsigned whence);
int fstat(int fd, struct hc_fstat *st); /* fills size, type, mode, mtime */
int unlink(const char *path);
int rmdir(const char *path);
int mkdir(const char *path, unsigned mode);
/* readdir: whole struct hc_dirent records into buf; 0 at the end of the directory. */
long readdir(int fd, void *buf, size_t len);
/* strerror: "No such file or directory" for HC_ENOENT, ... (a positive code). */
const char *strerror(int code);

/* --- port I/O --- */
static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}
/* putchar_e9: the classic console: one byte, one exit. */
static inline void putchar_e9(char c)
{
	outb(HC_PORT_CONSOLE, (uint8_t)c);
}

/* --- formatted output (printf.c): one display() exit per call --- */
__attribute__((format(printf, 1, 2))) int printf(const char *fmt, ...);
__attribute__((format(printf, 3, 4))) int snprintf(char *buf, size_t size, const char *fmt, ...);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int puts(const char *s); /* s and a newline */

/* --- strings and memory (string.c) --- */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strcpy(char *dst, const char *src);
char *strncpy(char *dst, const char *src, size_t n);
long strtol(const char *s, char **end, int base);

#endif
