/* SPDX-License-Identifier: MIT */
/* vmm/files.h: the host folder a guest may use (--dir, --ro) and the guest's fd table.
 * Every guest path is opened beneath the folder with openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_MAGICLINKS), so "..", symlinks and /proc magic links never lead out of it;
 * the guest sees only small table indexes, never a host fd. */
#ifndef VMM_FILES_H
#define VMM_FILES_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct share {
	int dirfd;       /* O_PATH handle of the folder, or -1 when there is none (no --dir) */
	bool ro;         /* --ro: nothing in the folder may change */
	uint64_t mnt_id; /* the folder's mount (statx), known not to be a pseudo-filesystem */
};

enum file_kind {
	FILE_FREE,
	FILE_CONSOLE_IN,
	FILE_CONSOLE_OUT,
	FILE_CONSOLE_ERR,
	FILE_REG,
	FILE_DIR
};

struct file {
	enum file_kind kind;
	int host; /* host fd for FILE_REG and FILE_DIR, else -1 */
	bool readable, writable;
};

struct files {
	pthread_mutex_t lock; /* held by each file hypercall (--smp vCPUs share a table) */
	const struct share *share;
	struct file *tab; /* guest fd -> file; 0, 1, 2 are the console */
	int max;          /* --max-files: table size */
	int open;         /* host fds held */
};

/* share_open_dir: opens path as the shared folder. Returns 0 or -errno; -EPERM, with
 * *pseudo naming it ("procfs"...), when path is on a kernel pseudo-filesystem. */
int share_open_dir(struct share *s, const char *path, bool ro, const char **pseudo);

/* share_pseudo_fs: the name of the kernel pseudo-filesystem fd lies on (procfs, sysfs,
 * debugfs, tracefs, securityfs, cgroupfs, bpffs, devtmpfs...), or NULL for anything else.
 * known_mnt: a mount id already found not to be devtmpfs (0: none), to skip reading
 * /proc/self/mountinfo for files on the folder's own tmpfs. */
const char *share_pseudo_fs(int fd, uint64_t known_mnt);
/* share_close: closes the folder handle. */
void share_close(struct share *s);

/* share_open: opens guest path beneath s with host open flags (O_CLOEXEC and O_NONBLOCK
 * added) and mode, after resolving it with O_PATH: anything but a regular file or a
 * directory, or what lies on a pseudo-filesystem, is never opened (-EACCES). Returns a
 * host fd or -errno (-EACCES for an escape, -EAGAIN when the entry kept changing). */
int share_open(const struct share *s, const char *path, int flags, mode_t mode);

/* share_parent: opens the directory holding the last component of guest path, beneath
 * s, and points *name at that component inside path. Returns an O_PATH fd or -errno;
 * -EINVAL when the last component is empty, "." or "..". */
int share_parent(const struct share *s, const char *path, const char **name);

/* files_init: a table of max entries with the console at 0, 1, 2. */
void files_init(struct files *f, const struct share *s, int max);
/* files_alloc: the lowest free guest fd >= 3, or -EMFILE. */
int files_alloc(struct files *f);
/* files_get: the open entry for guest fd, or NULL (out of range, free). */
struct file *files_get(struct files *f, int64_t fd);
/* files_close: closes guest fd. Returns 0 or -EBADF. */
int files_close(struct files *f, int64_t fd);
/* files_destroy: closes every host fd the table holds and frees it. */
void files_destroy(struct files *f);

#endif
