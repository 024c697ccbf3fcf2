/* SPDX-License-Identifier: MIT */
/* minivirt/posix.h: opt-in short, POSIX-like names over the guest SDK, for guests ported
 * from POSIX code: open, read, printf, exit, strcmp, ... Nothing else in the SDK gives a
 * short name.
 *
 * Each short name is only a declaration whose assembler name is the mv_ function's (a
 * GNU C asm label, which GCC and clang take): read() calls mv_read, the same function
 * with the same types. No second definition of read or printf exists anywhere, so
 * neither readers nor tools take a guest's printf for the C library's, and unlike macros
 * the names touch nothing but calls (a member named read stays read).
 *
 * POSIX-like, not POSIX: a call that fails returns a negative HC_E* code (-HC_ENOENT,
 * ...), as the mv_ functions do; there is no errno and no -1, and strerror() takes the
 * positive code: strerror(-ret). fstat and readdir have no short name here (POSIX's take
 * a struct stat and a DIR *): call mv_fstat and mv_readdir. */
#ifndef MINIVIRT_POSIX_H
#define MINIVIRT_POSIX_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <minivirt/guest.h>

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

/* MV__AS: the symbol a short name stands for. */
#define MV__AS(sym) __asm__(#sym)

/* Files: results >= 0, or a negative HC_E* code. open takes a mode only with O_CREAT, as
 * POSIX's does (libguest's mv__posix_open reads it); the others are the mv_ functions.
 * ssize_t is long and off_t int64_t here. */
int open(const char *path, int flags, ...) MV__AS(mv__posix_open);
int close(int fd) MV__AS(mv_close);
long read(int fd, void *buf, size_t len) MV__AS(mv_read);
long write(int fd, const void *buf, size_t len) MV__AS(mv_write);
long pread(int fd, void *buf, size_t len, int64_t offset) MV__AS(mv_pread);
long pwrite(int fd, const void *buf, size_t len, int64_t offset) MV__AS(mv_pwrite);
int64_t lseek(int fd, int64_t offset, unsigned whence) MV__AS(mv_lseek);
int unlink(const char *path) MV__AS(mv_unlink);
int rmdir(const char *path) MV__AS(mv_rmdir);
int mkdir(const char *path, unsigned mode) MV__AS(mv_mkdir);
const char *strerror(int hc_err) MV__AS(mv_strerror);
__attribute__((noreturn)) void exit(int status) MV__AS(mv_exit);

/* Formatted output: one exit per call. */
__attribute__((format(printf, 1, 2))) int printf(const char *fmt, ...) MV__AS(mv_printf);
__attribute__((format(printf, 1, 0))) int vprintf(const char *fmt, va_list ap) MV__AS(mv_vprintf);
__attribute__((format(printf, 3, 4))) int snprintf(char *buf, size_t size, const char *fmt, ...)
	MV__AS(mv_snprintf);
__attribute__((format(printf, 3, 0))) int vsnprintf(char *buf, size_t size, const char *fmt,
						    va_list ap) MV__AS(mv_vsnprintf);
int puts(const char *s) MV__AS(mv_puts);

/* Strings and memory; memcpy, memmove, memset and memcmp are libguest's own symbols (the
 * compiler calls them). */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s) MV__AS(mv_strlen);
size_t strnlen(const char *s, size_t max) MV__AS(mv_strnlen);
int strcmp(const char *a, const char *b) MV__AS(mv_strcmp);
int strncmp(const char *a, const char *b, size_t n) MV__AS(mv_strncmp);
char *strchr(const char *s, int c) MV__AS(mv_strchr);
char *strcpy(char *dst, const char *src) MV__AS(mv_strcpy);
char *strncpy(char *dst, const char *src, size_t n) MV__AS(mv_strncpy);
long strtol(const char *s, char **end, int base) MV__AS(mv_strtol);

#endif
