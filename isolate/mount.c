/* SPDX-License-Identifier: MIT */
/* isolate/mount.c: makes the container's mounts private, gives it its own /proc, and with
 * --root its own root, /dev, binds and tmpfs, over the new mount API (open_tree,
 * move_mount, fsopen, mount_setattr). */
#include "mount.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "base.h"

/* The host's device nodes the container's /dev gets, as bubblewrap's --dev does. */
static const char *const dev_nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };

static const char *kind_opt(enum iso_mount_kind k)
{
	return k == ISO_MOUNT_BIND ? "--bind" : k == ISO_MOUNT_RO_BIND ? "--ro-bind" : "--tmpfs";
}

/* The argument as the user wrote it: "SRC:DST", "SRC" or "DST". */
static void describe(const struct iso_mount *m, char *buf, size_t len)
{
	if (!m->src)
		snprintf(buf, len, "--tmpfs %s", m->dst);
	else if (m->src == m->dst || !strcmp(m->src, m->dst))
		snprintf(buf, len, "%s %s", kind_opt(m->kind), m->src);
	else
		snprintf(buf, len, "%s %s:%s", kind_opt(m->kind), m->src, m->dst);
}

/* path inside the folder rootfd (absolute paths and ".." stay inside it, symlinks too:
 * RESOLVE_IN_ROOT), as an O_PATH fd. Returns the fd, or -1 with errno set. */
static int open_in(int rootfd, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
}

/* Whether DST is one isolate mounts itself under --root: /dev/..., /proc/... */
static bool under_own(const char *dst)
{
	return !strncmp(dst, "/dev/", 5) || !strncmp(dst, "/proc/", 6);
}

/* --root's DIR: a folder, not the host's own root. */
static int check_root(const char *root, struct mv_err *err)
{
	struct stat st, host;

	if (stat(root, &st))
		return mv_seterr(err, errno, "--root %s", root);
	if (!S_ISDIR(st.st_mode))
		return mv_seterr(err, ENOTDIR, "--root %s", root);
	if (stat("/", &host) == 0 && st.st_dev == host.st_dev && st.st_ino == host.st_ino)
		return mv_seterr(err, 0,
				 "--root %s: that is the host's own root; leave out "
				 "--root to run on the host's files",
				 root);
	return 0;
}

/* --root's DIR holds the folders proc/ and dev/ the container's own go on. */
static int check_root_dirs(const char *root, int rootfd, struct mv_err *err)
{
	static const char *const need[] = { "proc", "dev" };
	struct stat st;

	for (size_t i = 0; i < ARRAY_SIZE(need); i++) {
		cleanup_fd int fd = open_in(rootfd, need[i]);

		if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
			continue;
		return mv_seterr(err, 0,
				 "--root %s: it has no folder /%s (the container's "
				 "/%s goes there)",
				 root, need[i], need[i]);
	}
	return 0;
}

/* One --bind, --ro-bind or --tmpfs: SRC exists, DST exists inside rootfd and is a folder
 * when SRC is one (a tmpfs's always). */
static int check_mount(const struct iso_config *cfg, int rootfd, const struct iso_mount *m,
		       struct mv_err *err)
{
	char what[MV_ERR_LEN];
	cleanup_fd int fd = -1;
	struct stat st, dst;

	describe(m, what, sizeof(what));
	if (m->src && stat(m->src, &st))
		return mv_seterr(err, errno, "%s", what);
	if (cfg->root && under_own(m->dst))
		return 0; /* in the /dev or /proc isolate makes: checked there */
	fd = open_in(rootfd, m->dst);
	if (fd < 0)
		return mv_seterr(err, 0,
				 "%s: %s does not exist%s%s (isolate makes no mount "
				 "points)",
				 what, m->dst, cfg->root ? " in " : "", cfg->root ? cfg->root : "");
	if (fstat(fd, &dst))
		return mv_seterr(err, errno, "%s: %s", what, m->dst);
	if (!m->src && !S_ISDIR(dst.st_mode))
		return mv_seterr(err, ENOTDIR, "%s", what);
	if (m->src && S_ISDIR(st.st_mode) != S_ISDIR(dst.st_mode))
		return mv_seterr(err, 0, "%s: %s is %s folder, %s is %s", what, m->src,
				 S_ISDIR(st.st_mode) ? "a" : "not a", m->dst,
				 S_ISDIR(dst.st_mode) ? "one" : "not");
	return 0;
}

int iso_mount_check(const struct iso_config *cfg, struct mv_err *err)
{
	const char *where = cfg->root ? cfg->root : "/";
	cleanup_fd int rootfd = -1;

	if (cfg->root && check_root(cfg->root, err))
		return -1;
	if (!cfg->root && !cfg->n_mounts)
		return 0;
	rootfd = (int)RETRY_EINTR(open(where, O_PATH | O_DIRECTORY | O_CLOEXEC));
	if (rootfd < 0)
		return mv_seterr(err, errno, "cannot open %s", where);
	if (cfg->root && check_root_dirs(cfg->root, rootfd, err))
		return -1;
	for (size_t i = 0; i < cfg->n_mounts; i++)
		if (check_mount(cfg, rootfd, &cfg->mounts[i], err))
			return -1;
	return 0;
}

static int set_readonly(int fd, const char *path, bool recursive)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };

	return mount_setattr(fd, path,
			     (path[0] ? 0 : AT_EMPTY_PATH) | (recursive ? AT_RECURSIVE : 0), &attr,
			     sizeof(attr));
}

/* A copy of the host's tree at src (recursive, read-only when ro), put on the O_PATH fd
 * target (or its path below it). */
static int bind_tree(const char *src, int target, const char *below, bool ro)
{
	cleanup_fd int t =
		open_tree(AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);

	if (t < 0)
		return -1;
	if (ro && set_readonly(t, "", true))
		return -1;
	return move_mount(t, "", target, below,
			  MOVE_MOUNT_F_EMPTY_PATH | (below[0] ? 0 : MOVE_MOUNT_T_EMPTY_PATH));
}

/* A new filesystem of type fs (tmpfs, proc) with mount attributes attrs, detached: returns
 * its fd, or -1 with errno set. */
static int new_fs(const char *fs, unsigned attrs, const char *mode)
{
	cleanup_fd int ctx = fsopen(fs, FSOPEN_CLOEXEC);

	if (ctx < 0)
		return -1;
	if (mode && fsconfig(ctx, FSCONFIG_SET_STRING, "mode", mode, 0))
		return -1;
	if (fsconfig(ctx, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		return -1;
	return fsmount(ctx, FSMOUNT_CLOEXEC, attrs);
}

static int attach(int m, int target)
{
	return move_mount(m, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
}

int iso_mount_dev_nodes(int devfd, struct mv_err *err)
{
	char host[32];

	for (size_t i = 0; i < ARRAY_SIZE(dev_nodes); i++) {
		int fd = openat(devfd, dev_nodes[i], O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);

		if (fd < 0)
			return mv_seterr(err, errno, "cannot make /dev/%s", dev_nodes[i]);
		close(fd);
		snprintf(host, sizeof(host), "/dev/%s", dev_nodes[i]);
		if (bind_tree(host, devfd, dev_nodes[i], false))
			return mv_seterr(err, errno, "cannot bind the host's %s on /dev/%s", host,
					 dev_nodes[i]);
	}
	return 0;
}

/* --root's /dev: a tmpfs with empty files for the host's nodes to be bound on, the usual
 * symlinks and a shm/ for a --tmpfs /dev/shm; read-only once made (the nodes stay usable:
 * writing to a device is not writing to the filesystem). */
static int make_dev(int rootfd, struct mv_err *err)
{
	static const char *const links[][2] = {
		{ "fd", "/proc/self/fd" },
		{ "stdin", "/proc/self/fd/0" },
		{ "stdout", "/proc/self/fd/1" },
		{ "stderr", "/proc/self/fd/2" },
	};
	cleanup_fd int m =
		new_fs("tmpfs", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, "0755");
	cleanup_fd int target = -1;

	if (m < 0)
		return mv_seterr(err, errno, "cannot make a tmpfs for /dev");
	if (iso_mount_dev_nodes(m, err))
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(links); i++)
		if (symlinkat(links[i][1], m, links[i][0]))
			return mv_seterr(err, errno, "cannot make /dev/%s", links[i][0]);
	if (mkdirat(m, "shm", 01777))
		return mv_seterr(err, errno, "cannot make /dev/shm");
	if (set_readonly(m, "", false))
		return mv_seterr(err, errno, "cannot make /dev read-only");
	target = open_in(rootfd, "dev");
	if (target < 0 || attach(m, target))
		return mv_seterr(err, errno, "cannot mount /dev in %s", "the new root");
	iso_step("pid 1", "mount: /dev: a read-only tmpfs with the host's null, zero, full, "
			  "random, urandom and tty bound in (and fd, stdin, stdout, stderr, shm/)");
	return 0;
}

/* A new proc for this PID namespace on the folder proc of rootfd. */
static int make_proc(int rootfd, struct mv_err *err)
{
	cleanup_fd int m =
		new_fs("proc", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, NULL);
	cleanup_fd int target = -1;

	if (m < 0)
		return mv_seterr(err, errno, "cannot make a proc");
	target = open_in(rootfd, "proc");
	if (target < 0 || attach(m, target))
		return mv_seterr(err, errno, "cannot mount proc on /proc");
	iso_step("pid 1", "mount: new proc on /proc (nosuid,nodev,noexec): this PID namespace's");
	return 0;
}

/* The container's own ids make its mounts: run by root, a slot's, which reach only what
 * others may. */
#define UNREACHABLE                                                            \
	" (the container's ids make the mount: the folders above it must let " \
	"others search them)"

/* The --bind, --ro-bind and --tmpfs mounts, in order, with DST inside rootfd. */
static int user_mounts(const struct iso_config *cfg, int rootfd, struct mv_err *err)
{
	char what[MV_ERR_LEN];

	for (size_t i = 0; i < cfg->n_mounts; i++) {
		const struct iso_mount *m = &cfg->mounts[i];
		cleanup_fd int target = open_in(rootfd, m->dst);

		describe(m, what, sizeof(what));
		if (target < 0)
			return mv_seterr(err, errno, "%s: %s", what, m->dst);
		if (m->kind == ISO_MOUNT_TMPFS) {
			cleanup_fd int t =
				new_fs("tmpfs", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, "0755");

			if (t < 0 || attach(t, target))
				return mv_seterr(err, errno, "%s", what);
		} else if (bind_tree(m->src, target, "", m->kind == ISO_MOUNT_RO_BIND)) {
			return mv_seterr(err, 0, "%s: %s%s", what, strerror(errno),
					 errno == EACCES ? UNREACHABLE : "");
		}
		iso_step("pid 1", "mount: %s%s", what,
			 m->kind == ISO_MOUNT_TMPFS     ? " (nosuid,nodev)"
			 : m->kind == ISO_MOUNT_RO_BIND ? " (read-only, recursively)"
							: "");
	}
	return 0;
}

int iso_mount_pivot(int dirfd, const char *dir, const char *label, struct mv_err *err)
{
	if (dirfd >= 0 ? fchdir(dirfd) : chdir(dir))
		return mv_seterr(err, errno, "%s %s: chdir", label, dir);
	if (syscall(SYS_pivot_root, ".", "."))
		return mv_seterr(err, errno, "%s %s: pivot_root", label, dir);
	if (umount2(".", MNT_DETACH))
		return mv_seterr(err, errno, "%s %s: cannot detach the old root", label, dir);
	if (chdir("/"))
		return mv_seterr(err, errno, "chdir(\"/\") in the new root");
	return 0;
}

/* --root: DIR bound on itself becomes a mount point; /dev, /proc and the user's mounts go
 * in; then pivot_root(".", ".") stacks the old root on the new one, and a lazy unmount
 * detaches it: nothing of the host's tree stays reachable. */
static int enter_root(const struct iso_config *cfg, struct mv_err *err)
{
	cleanup_fd int rootfd = -1;

	if (mount(cfg->root, cfg->root, NULL, MS_BIND | MS_REC, NULL))
		return mv_seterr(err, 0, "--root %s: cannot bind it on itself: %s%s", cfg->root,
				 strerror(errno), errno == EACCES ? UNREACHABLE : "");
	rootfd = (int)RETRY_EINTR(open(cfg->root, O_PATH | O_DIRECTORY | O_CLOEXEC));
	if (rootfd < 0)
		return mv_seterr(err, errno, "--root %s", cfg->root);
	if (!cfg->root_rw && set_readonly(rootfd, "", true))
		return mv_seterr(err, errno, "--root %s: cannot make it read-only", cfg->root);
	iso_step("pid 1", "mount: %s bound on itself (%s), to become /", cfg->root,
		 cfg->root_rw ? "writable: --root-rw" : "read-only, recursively");
	if (make_dev(rootfd, err) || make_proc(rootfd, err) || user_mounts(cfg, rootfd, err))
		return -1;
	if (iso_mount_pivot(rootfd, cfg->root, "--root", err))
		return -1;
	iso_step("pid 1",
		 "pivot_root: %s is / now; the host's root detached (MNT_DETACH), the "
		 "working folder /",
		 cfg->root);
	return 0;
}

/* The kernel's knobs, as the OCI runtimes' defaults (runc, crun) keep them from a
 * container: read-only, or masked (a file by /dev/null, a folder by an empty read-only
 * tmpfs). /proc/sys holds the sysctls, which the kernel checks by uid, not capability. */
static const char *const ro_paths[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};
static const char *const masked_paths[] = {
	"/proc/acpi",
	"/proc/asound",
	"/proc/interrupts",
	"/proc/kcore",
	"/proc/keys",
	"/proc/latency_stats",
	"/proc/sched_debug",
	"/proc/scsi",
	"/proc/timer_list",
	"/proc/timer_stats",
	"/sys/devices/virtual/powercap",
	"/sys/firmware",
};
#define RO_ATTRS (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)

/* Whether path is the root of a mount (statx's STATX_ATTR_MOUNT_ROOT). */
static bool mount_root(const char *path)
{
	struct statx stx;

	return statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, 0, &stx) == 0 &&
	       (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
	       (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

/* What mask() clones: the first folder and the first file masked (a kernel before 6.15
 * does not clone a mount that is not attached, and a clone of an attached one keeps its
 * read-only attributes: one open_tree and one move_mount for each after the first). */
struct masks {
	int empty;              /* the empty read-only tmpfs, detached */
	const char *dir, *file; /* the first folder and file masked, or NULL */
};

/* Masks path (when it exists): a folder with the empty read-only tmpfs, a file with
 * /dev/null bound read-only (not nodev: it must still open, empty). */
static int mask(const char *path, struct masks *mk, struct mv_err *err)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
					       MOUNT_ATTR_NOEXEC };
	cleanup_fd int m = -1;
	const char **first;
	struct stat st;

	if (lstat(path, &st))
		return 0; /* not in this kernel, or not under --root */
	first = S_ISDIR(st.st_mode) ? &mk->dir : &mk->file;
	if (*first) {
		m = open_tree(AT_FDCWD, *first, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	} else if (S_ISDIR(st.st_mode)) {
		m = mk->empty;
		mk->empty = -1;
	} else {
		m = open_tree(AT_FDCWD, "/dev/null", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (m >= 0 && mount_setattr(m, "", AT_EMPTY_PATH, &attr, sizeof(attr)))
			return mv_seterr(err, errno, "cannot mask %s", path);
	}
	if (m < 0 || move_mount(m, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH))
		return mv_seterr(err, errno, "cannot mask %s", path);
	*first = path;
	return 0;
}

int iso_mount_readonly(const char *const *paths, size_t n, bool harden, struct mv_err *err)
{
	struct mount_attr ro = { .attr_set = harden ? RO_ATTRS : MOUNT_ATTR_RDONLY };
	struct stat st;

	for (size_t i = 0; i < n; i++) {
		cleanup_fd int t = -1;

		if (lstat(paths[i], &st))
			continue;
		t = open_tree(AT_FDCWD, paths[i],
			      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
		if (t < 0 || mount_setattr(t, "", AT_EMPTY_PATH | AT_RECURSIVE, &ro, sizeof(ro)) ||
		    move_mount(t, "", AT_FDCWD, paths[i], MOVE_MOUNT_F_EMPTY_PATH))
			return mv_seterr(err, errno, "cannot make %s read-only", paths[i]);
	}
	return 0;
}

int iso_mount_mask(const char *const *paths, size_t n, struct mv_err *err)
{
	struct masks mk = { .empty = new_fs("tmpfs", RO_ATTRS, "0555") };
	int r = 0;

	if (mk.empty < 0)
		return mv_seterr(err, errno, "cannot make a tmpfs to mask /proc's files");
	for (size_t i = 0; i < n && !r; i++)
		r = mask(paths[i], &mk, err);
	if (mk.empty >= 0)
		close(mk.empty);
	return r;
}

int iso_mount_protect(const struct iso_config *cfg, struct mv_err *err)
{
	struct mount_attr ro = { .attr_set = RO_ATTRS };

	if (iso_mount_readonly(ro_paths, ARRAY_SIZE(ro_paths), true, err))
		return -1;
	/* /sys: the host's sysfs without --root, whatever a --bind put there with it. */
	if ((!cfg->root || mount_root("/sys")) &&
	    mount_setattr(AT_FDCWD, "/sys", AT_RECURSIVE, &ro, sizeof(ro)) && errno != ENOENT)
		return mv_seterr(err, errno, "cannot make /sys read-only");
	if (iso_mount_mask(masked_paths, ARRAY_SIZE(masked_paths), err))
		return -1;
	iso_step("pid 1",
		 "mount: /proc/sys, sysrq-trigger, irq, bus, fs and /sys read-only; "
		 "kcore, keys, timer_list and the like masked (the OCI runtimes' defaults)");
	return 0;
}

/* The id of the mount path is on (statx), or 0 when it cannot be had. */
static unsigned long long mount_id(const char *path)
{
	struct statx stx;

	if (statx(AT_FDCWD, path, 0, STATX_MNT_ID, &stx) || !(stx.stx_mask & STATX_MNT_ID))
		return 0;
	return stx.stx_mnt_id;
}

/* Without --root the container sees the host's folders, /dev/shm among them: POSIX shared
 * memory and semaphores live there, out of the IPC namespace's reach, and what a program
 * leaves there is the host's RAM, after the run too. A tmpfs of the container's own covers
 * it, and goes with its mount namespace; unless a --bind or --tmpfs put something there
 * (host_shm, the host's mount, is no longer what /dev/shm is on). */
int iso_mount_shm(unsigned long long host_shm, struct mv_err *err)
{
	cleanup_fd int m = -1;

	if (!host_shm || mount_id("/dev/shm") != host_shm)
		return 0; /* none on this host, or the user's */
	m = new_fs("tmpfs", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, "1777");
	if (m < 0 || move_mount(m, "", AT_FDCWD, "/dev/shm", MOVE_MOUNT_F_EMPTY_PATH))
		return mv_seterr(err, errno, "cannot mount a tmpfs on /dev/shm");
	iso_step("pid 1", "mount: new tmpfs on /dev/shm (nosuid,nodev): the container's own, not "
			  "the host's, gone with it");
	return 0;
}

int iso_mount_setup(const struct iso_config *cfg, unsigned long long *shm, struct mv_err *err)
{
	cleanup_fd int rootfd = -1;

	/* The new mount namespace starts as a copy of the host's, with the host's propagation:
	 * / is usually "shared", so a mount made here would appear on the host too. Private
	 * first, recursively, before anything is mounted. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return mv_seterr(err, errno, "cannot make / private (mount MS_REC|MS_PRIVATE)");
	iso_step("pid 1", "mount: / and everything under it made private (MS_REC|MS_PRIVATE)");
	*shm = 0; /* a root of its own has its own /dev */
	if (cfg->root)
		return enter_root(cfg, err);

	/* The host's /proc shows the host's PID namespace; a new proc instance shows the
	 * PID namespace of the process that mounts it: ours. It covers the old one. */
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		return mv_seterr(err, errno, "cannot mount proc on /proc");
	iso_step("pid 1", "mount: new proc on /proc (nosuid,nodev,noexec): this PID namespace's");
	*shm = mount_id("/dev/shm");
	if (!cfg->n_mounts)
		return 0;
	rootfd = (int)RETRY_EINTR(open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
	if (rootfd < 0)
		return mv_seterr(err, errno, "cannot open /");
	return user_mounts(cfg, rootfd, err);
}
