/* SPDX-License-Identifier: MIT */
/* guest/sdk/file.c: wrappers for the file hypercalls, and mv_strerror for their codes. */
#include <minivirt/guest.h>

#include "sdk.h"

#define PTR(p) ((hc_gptr_t)(uintptr_t)(p))

int mv_open(const char *path, unsigned flags, unsigned mode)
{
	struct hc_open r = { .path = PTR(path), .flags = flags, .mode = mode };

	mv_hypercall(HC_NR_OPEN, &r);
	return r.ret;
}

int mv__posix_open(const char *path, int flags, ...)
{
	unsigned mode = 0;

	if ((unsigned)flags & HC_O_CREAT) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, unsigned);
		va_end(ap);
	}
	return mv_open(path, (unsigned)flags, mode);
}

int mv_close(int fd)
{
	struct hc_close r = { .fd = fd };

	mv_hypercall(HC_NR_CLOSE, &r);
	return r.ret;
}

long mv_read(int fd, void *buf, size_t len)
{
	return sdk_queue_rw(MV_IO_READ, fd, buf, len, HC_OFFSET_CURRENT);
}

long mv_write(int fd, const void *buf, size_t len)
{
	/* Console writes may go through the ring; files stay synchronous (their errors
	 * must reach the caller). */
	if ((fd == 1 || fd == 2) && len <= 0xffffffffu &&
	    !sdk_ring_put(HC_RING_WRITE, fd, 0, buf, (uint32_t)len))
		return (long)len;
	return sdk_queue_rw(MV_IO_WRITE, fd, buf, len, HC_OFFSET_CURRENT);
}

/* Reads and writes go through the I/O queue when the VMM offers it (queue.c), else one
 * exit each. */
long mv_pread(int fd, void *buf, size_t len, int64_t offset)
{
	return sdk_queue_rw(MV_IO_READ, fd, buf, len, offset);
}

long mv_pwrite(int fd, const void *buf, size_t len, int64_t offset)
{
	return sdk_queue_rw(MV_IO_WRITE, fd, buf, len, offset);
}

int64_t mv_lseek(int fd, int64_t offset, unsigned whence)
{
	struct hc_lseek r = { .fd = fd, .whence = whence, .offset = offset };

	mv_hypercall(HC_NR_LSEEK, &r);
	return r.ret;
}

int mv_fstat(int fd, struct hc_fstat *st)
{
	st->fd = fd;
	mv_hypercall(HC_NR_FSTAT, st);
	return st->ret;
}

static int path_call(unsigned nr, const char *path, unsigned flags, unsigned mode)
{
	struct hc_path r = { .path = PTR(path), .flags = flags, .mode = mode };

	mv_hypercall(nr, &r);
	return r.ret;
}

int mv_unlink(const char *path)
{
	return path_call(HC_NR_UNLINK, path, 0, 0);
}

int mv_rmdir(const char *path)
{
	return path_call(HC_NR_UNLINK, path, HC_AT_REMOVEDIR, 0);
}

int mv_mkdir(const char *path, unsigned mode)
{
	return path_call(HC_NR_MKDIR, path, 0, mode);
}

long mv_readdir(int fd, void *buf, size_t len)
{
	struct hc_readdir r = { .fd = fd, .buf = PTR(buf), .len = len };

	mv_hypercall(HC_NR_READDIR, &r);
	return (long)r.ret;
}

const char *mv_strerror(int code)
{
	switch (code) {
	case HC_EPERM: return "Operation not permitted";
	case HC_ENOENT: return "No such file or directory";
	case HC_EIO: return "Input/output error";
	case HC_EAGAIN: return "Resource temporarily unavailable";
	case HC_EBADF: return "Bad file descriptor";
	case HC_EACCES: return "Permission denied";
	case HC_EFAULT: return "Bad address";
	case HC_EEXIST: return "File exists";
	case HC_ENOTDIR: return "Not a directory";
	case HC_EISDIR: return "Is a directory";
	case HC_EINVAL: return "Invalid argument";
	case HC_EMFILE: return "Too many open files";
	case HC_EFBIG: return "File too large";
	case HC_ENOSPC: return "No space left on device";
	case HC_ESPIPE: return "Illegal seek";
	case HC_EROFS: return "Read-only file system";
	case HC_ENAMETOOLONG: return "File name too long";
	case HC_ENOSYS: return "Function not implemented";
	case HC_ENOTEMPTY: return "Directory not empty";
	case HC_ELOOP: return "Too many levels of symbolic links";
	case HC_EOVERFLOW: return "Value too large";
	default: return "Unknown error";
	}
}
