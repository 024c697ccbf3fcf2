/* SPDX-License-Identifier: MIT */
/* vmm/files.c: the shared folder and the guest fd table. */
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

/* Kernel pseudo-filesystems: their files are knobs and windows into the host (a process's
 * memory, environment, devices, BPF maps), not data to share. */
static const struct {
	unsigned long magic;
	const char *name;
} pseudo_fs[] = {
	{ PROC_SUPER_MAGIC, "procfs" },
	{ SYSFS_MAGIC, "sysfs" },
	{ DEBUGFS_MAGIC, "debugfs" },
	{ TRACEFS_MAGIC, "tracefs" },
	{ SECURITYFS_MAGIC, "securityfs" },
	{ CGROUP_SUPER_MAGIC, "cgroupfs (v1)" },
	{ CGROUP2_SUPER_MAGIC, "cgroupfs (v2)" },
	{ BPF_FS_MAGIC, "bpffs" },
	{ PSTOREFS_MAGIC, "pstore" },
	{ EFIVARFS_MAGIC, "efivarfs" },
	{ SELINUX_MAGIC, "selinuxfs" },
	{ SMACK_MAGIC, "smackfs" },
	{ BINFMTFS_MAGIC, "binfmt_misc" },
	{ NSFS_MAGIC, "nsfs" },
	{ 0x62656570, "configfs" },
	{ 0x65735543, "fusectl" },
};

/* The fstype field of the /proc/self/mountinfo line of mount mnt_id, or "". */
static void mount_fstype(uint64_t mnt_id, char type[64])
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];

	type[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long id;
		const char *dash = strstr(line, " - ");

		if (sscanf(line, "%llu", &id) == 1 && id == mnt_id && dash) {
			sscanf(dash + 3, "%63s", type);
			break;
		}
	}
	fclose(f);
}

const char *share_pseudo_fs(int fd, uint64_t known_mnt)
{
	struct statfs sf;
	struct statx sx;
	char type[64];

	if (fstatfs(fd, &sf) < 0)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(pseudo_fs); i++)
		if ((unsigned long)sf.f_type == pseudo_fs[i].magic)
			return pseudo_fs[i].name;
	/* devtmpfs is a tmpfs (or ramfs) instance: same magic as any tmpfs. Only its mount
	 * says what it is; the folder's own mount was looked up once. */
	if ((unsigned long)sf.f_type != TMPFS_MAGIC && (unsigned long)sf.f_type != RAMFS_MAGIC)
		return NULL;
	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &sx) < 0 || !(sx.stx_mask & STATX_MNT_ID) ||
	    (known_mnt && sx.stx_mnt_id == known_mnt))
		return NULL;
	mount_fstype(sx.stx_mnt_id, type);
	return strcmp(type, "devtmpfs") ? NULL : "devtmpfs";
}

int share_open_dir(struct share *s, const char *path, bool ro, const char **pseudo)
{
	struct statx sx;

	s->ro = ro;
	s->mnt_id = 0;
	*pseudo = NULL;
	s->dirfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (s->dirfd < 0)
		return -errno;
	if ((*pseudo = share_pseudo_fs(s->dirfd, 0))) {
		share_close(s);
		return -EPERM;
	}
	if (!statx(s->dirfd, "", AT_EMPTY_PATH, STATX_MNT_ID, &sx) && (sx.stx_mask & STATX_MNT_ID))
		s->mnt_id = sx.stx_mnt_id;
	return 0;
}

void share_close(struct share *s)
{
	if (s->dirfd >= 0)
		close(s->dirfd);
	s->dirfd = -1;
}

/* openat2 beneath dirfd. EXDEV (".." or a symlink leaving the folder) becomes EACCES:
 * to the guest it is a path it may not use. */
static int beneath(int dirfd, const char *path, int flags, mode_t mode)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.mode = (flags & O_CREAT) ? mode : 0,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	long fd;

	while (*path == '/') /* "/" is the folder itself */
		path++;
	if (!*path)
		path = ".";
	/* EAGAIN: a rename or mount raced with ".." (openat2(2) asks to retry); a few times,
	 * then the guest gets it as -HC_EAGAIN. */
	for (int tries = 0; tries < 3; tries++) {
		fd = RETRY_EINTR(syscall(SYS_openat2, dirfd, path, &how, sizeof(how)));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	if (fd < 0)
		return errno == EXDEV ? -EACCES : -errno;
	return (int)fd;
}

/* Whether fd (an O_PATH handle) is something a guest may open: a regular file or a
 * directory, not on a pseudo-filesystem (a share may hold a mount of one). */
static int openable(const struct share *s, int fd, struct stat *st)
{
	if (fstat(fd, st) < 0)
		return -errno;
	if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode))
		return -EACCES;
	return share_pseudo_fs(fd, s->mnt_id) ? -EACCES : 0;
}

/* Resolves path with O_PATH, which opens nothing (a FIFO's writer stays blocked, a device
 * driver is not called), checks what it found, and only then opens it for real. A new file
 * is created with O_EXCL, so what is opened is what was just made. */
int share_open(const struct share *s, const char *path, int flags, mode_t mode)
{
	if (s->dirfd < 0)
		return -EACCES;
	for (int tries = 0; tries < 4; tries++) {
		cleanup_fd int probe = beneath(s->dirfd, path, O_PATH | (flags & O_DIRECTORY), 0);
		struct stat st, got;
		int fd, err;

		if (probe == -ENOENT && (flags & O_CREAT)) {
			fd = beneath(s->dirfd, path, flags | O_EXCL, mode);
			if (fd == -EEXIST && !(flags & O_EXCL))
				continue; /* made by someone else meanwhile: look again */
			return fd;
		}
		if (probe < 0)
			return probe;
		if ((flags & O_CREAT) && (flags & O_EXCL))
			return -EEXIST;
		if ((err = openable(s, probe, &st)))
			return err;
		/* O_NONBLOCK: should the entry be swapped between the two opens, the second
		 * still cannot block; the inode check then refuses what it found. */
		fd = beneath(s->dirfd, path, (flags & ~O_CREAT) | O_NONBLOCK, 0);
		if (fd < 0)
			return fd;
		if (fstat(fd, &got) < 0 || got.st_dev != st.st_dev || got.st_ino != st.st_ino) {
			close(fd);
			return -EAGAIN;
		}
		return fd;
	}
	return -EAGAIN;
}

int share_parent(const struct share *s, const char *path, const char **name)
{
	char dir[4096];
	const char *slash, *last;
	size_t n = strlen(path);

	if (s->dirfd < 0)
		return -EACCES;
	while (n && path[n - 1] == '/') /* "a/b/" names b */
		n--;
	if (n >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, path, n);
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	last = slash ? slash + 1 : dir;
	if (!*last || !strcmp(last, ".") || !strcmp(last, ".."))
		return -EINVAL;
	*name = path + (last - dir);
	/* The caller uses *name up to its own length: cut the trailing slashes there too. */
	if (slash)
		dir[slash - dir] = '\0';
	else
		strcpy(dir, ".");
	return beneath(s->dirfd, dir, O_PATH | O_DIRECTORY, 0);
}

void files_init(struct files *f, const struct share *s, int max)
{
	pthread_mutex_init(&f->lock, NULL);
	f->share = s;
	f->max = max;
	f->open = 0;
	f->tab = xcalloc((size_t)max, sizeof(*f->tab));
	for (int i = 0; i < max; i++)
		f->tab[i] = (struct file){ .kind = FILE_FREE, .host = -1 };
	f->tab[0] = (struct file){ FILE_CONSOLE_IN, -1, true, false };
	f->tab[1] = (struct file){ FILE_CONSOLE_OUT, -1, false, true };
	f->tab[2] = (struct file){ FILE_CONSOLE_ERR, -1, false, true };
}

int files_alloc(struct files *f)
{
	for (int i = 3; i < f->max; i++)
		if (f->tab[i].kind == FILE_FREE)
			return i;
	return -EMFILE;
}

struct file *files_get(struct files *f, int64_t fd)
{
	if (fd < 0 || fd >= f->max || f->tab[fd].kind == FILE_FREE)
		return NULL;
	return &f->tab[fd];
}

int files_close(struct files *f, int64_t fd)
{
	struct file *e = files_get(f, fd);

	if (!e)
		return -EBADF;
	if (e->host >= 0) {
		close(e->host);
		f->open--;
	}
	*e = (struct file){ .kind = FILE_FREE, .host = -1 };
	return 0;
}

void files_destroy(struct files *f)
{
	if (!f->tab)
		return;
	for (int i = 0; i < f->max; i++)
		files_close(f, i);
	free(f->tab);
	f->tab = NULL;
}
