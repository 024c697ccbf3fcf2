/* SPDX-License-Identifier: MIT */
/* vmm/hc_file.c: the file hypercalls: open, close, read, write, lseek, fstat, unlink,
 * mkdir, readdir, over the guest's fd table (files.c). Data moves straight between the
 * host file and guest memory through iovecs (preadv2/pwritev2), after the whole guest
 * buffer has been checked. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "hc_dispatch.h"
#include "util.h"

#define IOV_BATCH 64          /* iovecs per preadv2/pwritev2 call */
#define DIRENT_BUF (32 << 10) /* host buffer for one getdents64 */
_Static_assert(IOV_BATCH <= SPLIT_IOV, "a batch must fit a split read");

int64_t hc_err(int e)
{
	switch (e) {
	case EPERM:
	case ENOENT:
	case EBADF:
	case EACCES:
	case EFAULT:
	case EEXIST:
	case ENOTDIR:
	case EISDIR:
	case EINVAL:
	case EMFILE:
	case EFBIG:
	case ENOSPC:
	case ESPIPE:
	case EROFS:
	case ENAMETOOLONG:
	case ENOSYS:
	case ENOTEMPTY:
	case ELOOP:
	case EOVERFLOW:
	case EAGAIN: return -e;
	default: return -HC_EIO;
	}
}

/* Copies the guest path at gva into buf (HC_PATH_MAX) once, terminated by the VMM: what
 * the share code then measures and opens is this copy, whatever the guest does to its
 * own bytes meanwhile. Returns 0 or an ABI error. */
static int64_t guest_path(struct hc_ctx *c, uint64_t gva, char *buf)
{
	int64_t len = gva_strcpy(&c->view, gva, buf, HC_PATH_MAX);

	if (len == -ENAMETOOLONG)
		return -HC_ENAMETOOLONG;
	return len < 0 ? -HC_EFAULT : 0;
}

static int64_t do_open(struct hc_ctx *c, const struct hc_open *r)
{
	char path[HC_PATH_MAX];
	const bool writes =
		(r->flags & HC_O_ACCMODE) != HC_O_RDONLY || (r->flags & (HC_O_CREAT | HC_O_TRUNC));
	int flags = O_NOCTTY | O_NONBLOCK; /* NONBLOCK: opening a FIFO must not hang the vCPU */
	int64_t err;
	struct stat st;
	int fd, host;

	if ((r->flags & ~HC_O_ALLOWED) || (r->flags & HC_O_ACCMODE) == HC_O_ACCMODE)
		return -HC_EINVAL;
	if (c->files->share->dirfd < 0)
		return -HC_EACCES;
	if ((err = guest_path(c, r->path, path)))
		return err;
	if (writes && c->files->share->ro)
		return -HC_EROFS;
	if ((fd = files_alloc(c->files)) < 0)
		return -HC_EMFILE;
	flags |= (r->flags & HC_O_ACCMODE) == HC_O_WRONLY ? O_WRONLY
		 : (r->flags & HC_O_ACCMODE) == HC_O_RDWR ? O_RDWR
							  : O_RDONLY;
	flags |= (r->flags & HC_O_CREAT ? O_CREAT : 0) | (r->flags & HC_O_EXCL ? O_EXCL : 0) |
		 (r->flags & HC_O_TRUNC ? O_TRUNC : 0) | (r->flags & HC_O_APPEND ? O_APPEND : 0) |
		 (r->flags & HC_O_DIRECTORY ? O_DIRECTORY : 0);
	host = share_open(c->files->share, path, flags, r->mode & 0777);
	if (host < 0)
		return hc_err(-host);
	/* Only files and directories: a device or socket in the folder is not the guest's. */
	if (fstat(host, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) {
		close(host);
		return -HC_EACCES;
	}
	fcntl(host, F_SETFL, fcntl(host, F_GETFL) & ~O_NONBLOCK);
	c->files->tab[fd] = (struct file){
		.kind = S_ISDIR(st.st_mode) ? FILE_DIR : FILE_REG,
		.host = host,
		.readable = (flags & O_ACCMODE) != O_WRONLY,
		.writable = (flags & O_ACCMODE) != O_RDONLY,
	};
	c->files->open++;
	return fd;
}

enum hc_action hc_open(struct hc_ctx *c, void *req)
{
	struct hc_open *r = req;
	int64_t ret = do_open(c, r);

	r->ret = (int32_t)ret;
	c->stats.errors += ret < 0;
	return HC_CONTINUE;
}

enum hc_action hc_close(struct hc_ctx *c, void *req)
{
	struct hc_close *r = req;

	r->ret = files_close(c->files, r->fd) ? -HC_EBADF : 0;
	c->stats.errors += r->ret < 0;
	return HC_CONTINUE;
}

/* The console: fd 0 reads the VMM's stdin, 1 and 2 print through stdio (after what
 * display() printed, so the order holds). */
static ssize_t console_io(struct hc_ctx *c, const struct file *e, struct iovec *iov, int n)
{
	FILE *to = e->kind == FILE_CONSOLE_OUT ? c->out : stderr;
	ssize_t done = 0;

	if (e->kind == FILE_CONSOLE_IN)
		return readv(STDIN_FILENO, iov, n);
	if (to == stderr)
		fflush(c->out);
	for (int i = 0; i < n; i++)
		done += (ssize_t)fwrite(iov[i].iov_base, 1, iov[i].iov_len, to);
	if (to == stderr)
		fflush(stderr);
	return done;
}

/* What a read (into_guest) or write request r on file e may not do: an -HC_E* code, or 0
 * (the buffer is checked as it is translated, in do_rw). */
static int64_t rw_refused(const struct file *e, const struct hc_rw *r, bool into_guest)
{
	if (!e || (into_guest ? !e->readable : !e->writable))
		return -HC_EBADF;
	if (e->kind == FILE_DIR)
		return -HC_EISDIR;
	if (r->offset < HC_OFFSET_CURRENT || r->len > INT64_MAX)
		return -HC_EINVAL;
	if (e->host < 0 && r->offset != HC_OFFSET_CURRENT)
		return -HC_ESPIPE;
	return 0;
}

/* Reads into (into_guest) or writes from iov[0, n) at off (-1: the position). One buffer
 * is the plain call, a few hundred cycles less than the vectored one. */
static ssize_t rw_host(int fd, const struct iovec *iov, int n, int64_t off, bool into_guest)
{
	const bool at_pos = off == HC_OFFSET_CURRENT;

	if (n == 1 && into_guest)
		return at_pos ? read(fd, iov->iov_base, iov->iov_len)
			      : pread(fd, iov->iov_base, iov->iov_len, off);
	if (n == 1)
		return at_pos ? write(fd, iov->iov_base, iov->iov_len)
			      : pwrite(fd, iov->iov_base, iov->iov_len, off);
	return into_guest ? preadv2(fd, iov, n, off, 0) : pwritev2(fd, iov, n, off, 0);
}

/* One batch of a read or write: iov[0, n), want bytes in all, at off (-1: the position):
 * the console, a large read split in two (vmm/split.c), or one host call. */
static ssize_t move(struct hc_ctx *c, struct file *e, struct iovec *iov, int n, uint64_t want,
		    int64_t off, bool into_guest)
{
	if (e->host < 0)
		return console_io(c, e, iov, n);
	if (into_guest && split_worth(c->split, want))
		return split_read(c->split, e->host, iov, n, off);
	return rw_host(e->host, iov, n, off, into_guest);
}

/* read (into guest memory) or write (from it), in batches of iovecs. */
static int64_t do_rw(struct hc_ctx *c, const struct hc_rw *r, bool into_guest)
{
	struct file *e = files_get(c->files, r->fd);
	uint64_t gva = r->buf, left = r->len;
	int64_t done = 0, off = r->offset, refused = rw_refused(e, r, into_guest);

	if (refused)
		return refused;
	for (bool checked = false; left; checked = true) {
		struct iovec iov[IOV_BATCH];
		uint64_t want = 0;
		ssize_t got;
		int n = gva_iov(&c->view, &gva, &left, into_guest, iov, IOV_BATCH);

		if (n < 0)
			return done ? done : -HC_EFAULT; /* changed under us: a racing vCPU */
		/* All or nothing: every byte of the buffer must be there before any moves. The
		 * first batch's translation checks what it covers (all of a buffer up to
		 * IOV_BATCH runs: one page walk, not two); the rest is checked before it. */
		if (!checked && left && gva_check(&c->view, gva, left, into_guest))
			return -HC_EFAULT;
		for (int i = 0; i < n; i++)
			want += iov[i].iov_len;
		got = move(c, e, iov, n, want, off, into_guest);
		if (got < 0)
			return done ? done : hc_err(errno);
		done += got;
		if (off >= 0)
			off += got;
		if ((uint64_t)got < want) /* end of file, or a short write */
			break;
	}
	if (into_guest)
		c->stats.read_bytes += (uint64_t)done;
	else
		c->stats.write_bytes += (uint64_t)done;
	return done;
}

enum hc_action hc_read(struct hc_ctx *c, void *req)
{
	struct hc_rw *r = req;

	r->ret = do_rw(c, r, true);
	c->stats.errors += r->ret < 0;
	return HC_CONTINUE;
}

enum hc_action hc_write(struct hc_ctx *c, void *req)
{
	struct hc_rw *r = req;

	r->ret = do_rw(c, r, false);
	c->stats.errors += r->ret < 0;
	return HC_CONTINUE;
}

enum hc_action hc_lseek(struct hc_ctx *c, void *req)
{
	struct hc_lseek *r = req;
	struct file *e = files_get(c->files, r->fd);
	static const int whence[] = { SEEK_SET, SEEK_CUR, SEEK_END };
	off_t pos;

	if (!e)
		r->ret = -HC_EBADF;
	else if (e->host < 0)
		r->ret = -HC_ESPIPE;
	else if (r->whence > HC_SEEK_END)
		r->ret = -HC_EINVAL;
	else if ((pos = lseek(e->host, r->offset, whence[r->whence])) < 0)
		r->ret = hc_err(errno);
	else
		r->ret = pos;
	c->stats.errors += r->ret < 0;
	return HC_CONTINUE;
}

enum hc_action hc_fstat(struct hc_ctx *c, void *req)
{
	struct hc_fstat *r = req;
	struct file *e = files_get(c->files, r->fd);
	struct stat st;

	r->size = 0;
	r->mode = 0;
	r->mtime = 0;
	if (!e) {
		r->ret = -HC_EBADF;
	} else if (e->host < 0) {
		r->type = HC_TYPE_CONSOLE;
		r->ret = 0;
	} else if (fstat(e->host, &st) < 0) {
		r->ret = (int32_t)hc_err(errno);
	} else {
		r->type = S_ISDIR(st.st_mode) ? HC_TYPE_DIR : HC_TYPE_FILE;
		r->size = (uint64_t)st.st_size;
		r->mode = st.st_mode & 07777;
		r->mtime = st.st_mtime;
		r->ret = 0;
	}
	c->stats.errors += r->ret < 0;
	return HC_CONTINUE;
}

/* unlink and mkdir: resolve the parent beneath the folder, act on the last name. */
static int64_t path_op(struct hc_ctx *c, const struct hc_path *r, bool mkdir_op)
{
	char path[HC_PATH_MAX];
	const char *name;
	int64_t err;
	int dir, rc;

	if (c->files->share->dirfd < 0)
		return -HC_EACCES;
	if ((err = guest_path(c, r->path, path)))
		return err;
	if (!mkdir_op && (r->flags & ~(uint32_t)HC_AT_REMOVEDIR))
		return -HC_EINVAL;
	if (c->files->share->ro)
		return -HC_EROFS;
	if ((dir = share_parent(c->files->share, path, &name)) < 0)
		return hc_err(-dir);
	rc = mkdir_op ? mkdirat(dir, name, r->mode & 0777)
		      : unlinkat(dir, name, r->flags & HC_AT_REMOVEDIR ? AT_REMOVEDIR : 0);
	err = rc < 0 ? hc_err(errno) : 0;
	close(dir);
	return err;
}

enum hc_action hc_unlink(struct hc_ctx *c, void *req)
{
	struct hc_path *r = req;

	r->ret = (int32_t)path_op(c, r, false);
	c->stats.errors += r->ret < 0;
	return HC_CONTINUE;
}

enum hc_action hc_mkdir(struct hc_ctx *c, void *req)
{
	struct hc_path *r = req;

	r->ret = (int32_t)path_op(c, r, true);
	c->stats.errors += r->ret < 0;
	return HC_CONTINUE;
}

/* The kernel's getdents64 record. */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int64_t do_readdir(struct hc_ctx *c, const struct hc_readdir *r)
{
	struct file *e = files_get(c->files, r->fd);
	cleanup_free uint8_t *host = NULL, *out = NULL;
	size_t want, filled = 0;
	off_t start, next = -1;
	long got;

	if (!e)
		return -HC_EBADF;
	if (e->kind != FILE_DIR)
		return -HC_ENOTDIR;
	if (r->len == 0)
		return -HC_EINVAL;
	if (gva_check(&c->view, r->buf, r->len, true))
		return -HC_EFAULT;
	/* The kernel's records are 8 bytes longer than ours: a buffer of len bytes for it may
	 * not hold a record that fits len bytes of ours. So read a whole host buffer, keep
	 * what fits, and seek the directory back to the first record left out (d_off of the
	 * last one kept), where the next call goes on. */
	want = r->len < DIRENT_BUF ? (size_t)r->len : DIRENT_BUF;
	if ((start = lseek(e->host, 0, SEEK_CUR)) < 0)
		return hc_err(errno);
	host = xcalloc(1, DIRENT_BUF);
	out = xcalloc(1, want);
	got = syscall(SYS_getdents64, e->host, host, DIRENT_BUF);
	if (got < 0)
		return hc_err(errno);
	for (long at = 0; at < got;) {
		const struct linux_dirent64 *d = (const void *)(host + at);
		size_t name = strlen(d->d_name) + 1;
		uint16_t reclen = (uint16_t)((11 + name + 7) & ~(size_t)7);
		struct hc_dirent h = {
			.ino = d->d_ino,
			.reclen = reclen,
			.type = d->d_type == DT_REG   ? HC_TYPE_FILE
				: d->d_type == DT_DIR ? HC_TYPE_DIR
						      : 0,
		};

		if (filled + reclen > want) {
			lseek(e->host, filled ? next : start, SEEK_SET);
			break;
		}
		memcpy(out + filled, &h, 11);
		memcpy(out + filled + 11, d->d_name, name);
		filled += reclen;
		next = d->d_off;
		at += d->d_reclen;
	}
	if (got > 0 && filled == 0)
		return -HC_EINVAL; /* not even the first record fits; nothing consumed */
	if (gva_write(&c->view, r->buf, out, filled)) {
		lseek(e->host, start, SEEK_SET);
		return -HC_EFAULT;
	}
	return (int64_t)filled;
}

enum hc_action hc_readdir(struct hc_ctx *c, void *req)
{
	struct hc_readdir *r = req;

	r->ret = do_readdir(c, r);
	c->stats.errors += r->ret < 0;
	return HC_CONTINUE;
}
