/* SPDX-License-Identifier: MIT */
/* isolate/oci_rootfs.c: the container's filesystem from a config.json, over the new mount
 * API (fsopen, open_tree, move_mount, mount_setattr) like mount.c, whose masking, read-only
 * and /dev pieces it calls. */
#include "oci_rootfs.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mount.h"
#include "base.h"

/* path (absolute: taken from the root) beneath the folder rootfd, as an O_PATH fd; a
 * symbolic link that leads out (absolute, or climbing above the root) fails with EXDEV. */
static int open_beneath(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};

	while (*path == '/')
		path++;
	return (int)syscall(SYS_openat2, rootfd, *path ? path : ".", &how, sizeof(how));
}

static bool is_type(const struct oci_mount *m, const char *t)
{
	return m->type && !strcmp(m->type, t);
}

int oci_rootfs_check(const struct oci_spec *s, const char *rootfs, struct mv_err *err)
{
	struct stat st;

	if (stat(rootfs, &st))
		return mv_seterr(err, errno, "root.path %s", rootfs);
	if (!S_ISDIR(st.st_mode))
		return mv_seterr(err, ENOTDIR, "root.path %s", rootfs);
	for (size_t i = 0; i < s->n_mounts; i++)
		if (s->mounts[i].bind && stat(s->mounts[i].source, &st))
			return mv_seterr(err, errno, "mounts[%zu].source %s", i,
					 s->mounts[i].source);
	return 0;
}

/* Makes one piece of a mount point in parent: a folder, or an empty file (as_file). Returns
 * 0 (also when it exists), or -1 with errno. */
static int make_one(int parent, const char *name, bool as_file)
{
	int f;

	if (!as_file)
		return mkdirat(parent, name, 0755) && errno != EEXIST ? -1 : 0;
	f = openat(parent, name, O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (f < 0)
		return errno == EEXIST ? 0 : -1;
	close(f);
	return 0;
}

/* Makes what is missing of dest beneath rootfd, piece by piece (the last one a file when
 * file). Returns 0, or -1 with errno: *cannot_make says whether a piece could not be made
 * (else a parent could not be opened beneath the root). */
static int make_path(int rootfd, const char *dest, bool file, bool *cannot_make)
{
	char prefix[PATH_MAX];
	size_t n = 0, len = strlen(dest);

	while (n < len) {
		cleanup_fd int parent = -1;
		size_t start;

		while (dest[n] == '/')
			n++;
		start = n;
		while (n < len && dest[n] != '/')
			n++;
		if (n == start)
			break;
		snprintf(prefix, sizeof(prefix), "%.*s", (int)start, dest);
		parent = open_beneath(rootfd, prefix, O_PATH | O_DIRECTORY);
		if (parent < 0)
			return -1;
		snprintf(prefix, sizeof(prefix), "%.*s", (int)(n - start), dest + start);
		if (make_one(parent, prefix, n >= len && file)) {
			*cannot_make = true;
			return -1;
		}
	}
	return 0;
}

/* Makes the mount point dest beneath rootfd when it is missing (its folders, and an empty
 * file when the source is not a folder), as runc does; returns its O_PATH fd or -1. */
static int mount_point(int rootfd, const char *dest, bool file, size_t i, struct mv_err *err)
{
	bool cannot_make = false;
	int fd = open_beneath(rootfd, dest, O_PATH);

	if (fd < 0 && errno == ENOENT && make_path(rootfd, dest, file, &cannot_make) == 0)
		fd = open_beneath(rootfd, dest, O_PATH);
	if (cannot_make)
		return mv_seterr(err, errno, "mounts[%zu].destination %s: cannot make it", i, dest);
	if (fd < 0 && errno == EXDEV)
		return mv_seterr(err, 0,
				 "mounts[%zu].destination %s: a symbolic link on the way "
				 "leads out of the root (refused)",
				 i, dest);
	if (fd < 0)
		return mv_seterr(err, errno, "mounts[%zu].destination %s", i, dest);
	return fd;
}

static unsigned attrs_of(unsigned long flags)
{
	unsigned a = 0;

	if (flags & MS_RDONLY)
		a |= MOUNT_ATTR_RDONLY;
	if (flags & MS_NOSUID)
		a |= MOUNT_ATTR_NOSUID;
	if (flags & MS_NODEV)
		a |= MOUNT_ATTR_NODEV;
	if (flags & MS_NOEXEC)
		a |= MOUNT_ATTR_NOEXEC;
	if (flags & MS_NOATIME)
		a |= MOUNT_ATTR_NOATIME;
	else if (flags & MS_STRICTATIME)
		a |= MOUNT_ATTR_STRICTATIME;
	if (flags & MS_NODIRATIME)
		a |= MOUNT_ATTR_NODIRATIME;
	return a;
}

/* A new filesystem for mount m (proc, tmpfs, sysfs, devpts, mqueue, ...), detached. */
static int new_fs(const struct oci_mount *m, size_t i, struct mv_err *err)
{
	static const struct {
		unsigned long flag;
		const char *name;
	} sb_flags[] = { { MS_SYNCHRONOUS, "sync" },
			 { MS_DIRSYNC, "dirsync" },
			 { MS_LAZYTIME, "lazytime" },
			 { MS_MANDLOCK, "mand" },
			 { MS_SILENT, "silent" } };
	cleanup_fd int ctx = fsopen(m->type, FSOPEN_CLOEXEC);
	char opt[1024];
	int fd;

	if (ctx < 0)
		return mv_seterr(err, errno, "mounts[%zu] (%s on %s): fsopen", i, m->type, m->dest);
	if (m->source && fsconfig(ctx, FSCONFIG_SET_STRING, "source", m->source, 0))
		return mv_seterr(err, errno, "mounts[%zu] (%s on %s): source %s", i, m->type,
				 m->dest, m->source);
	for (const char *p = m->data; *p;) {
		size_t n = strcspn(p, ",");
		char *eq;

		snprintf(opt, sizeof(opt), "%.*s", (int)n, p);
		p += n + (p[n] == ',');
		eq = strchr(opt, '=');
		if (eq)
			*eq = '\0';
		if (eq ? fsconfig(ctx, FSCONFIG_SET_STRING, opt, eq + 1, 0)
		       : fsconfig(ctx, FSCONFIG_SET_FLAG, opt, NULL, 0))
			return mv_seterr(err, errno, "mounts[%zu] (%s on %s): option %s%s%s", i,
					 m->type, m->dest, opt, eq ? "=" : "", eq ? eq + 1 : "");
	}
	for (size_t k = 0; k < ARRAY_SIZE(sb_flags); k++)
		if ((m->flags & sb_flags[k].flag) &&
		    fsconfig(ctx, FSCONFIG_SET_FLAG, sb_flags[k].name, NULL, 0))
			return mv_seterr(err, errno, "mounts[%zu]: %s", i, sb_flags[k].name);
	if (fsconfig(ctx, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		return mv_seterr(err, errno, "mounts[%zu] (%s on %s)", i, m->type, m->dest);
	fd = fsmount(ctx, FSMOUNT_CLOEXEC, attrs_of(m->flags));
	if (fd < 0)
		return mv_seterr(err, errno, "mounts[%zu] (%s on %s): fsmount", i, m->type,
				 m->dest);
	return fd;
}

/* A copy of the host's tree at m->source (recursive for rbind), with m's flags. */
static int bind_fs(const struct oci_mount *m, size_t i, struct mv_err *err)
{
	cleanup_fd int t =
		open_tree(AT_FDCWD, m->source,
			  OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (m->recursive ? AT_RECURSIVE : 0));
	struct mount_attr attr = { .attr_set = attrs_of(m->flags) };

	if (t < 0)
		return mv_seterr(err, errno, "mounts[%zu]: cannot bind %s", i, m->source);
	if (attr.attr_set && mount_setattr(t, "", AT_EMPTY_PATH | (m->recursive ? AT_RECURSIVE : 0),
					   &attr, sizeof(attr)))
		return mv_seterr(err, errno, "mounts[%zu]: the options of the bind of %s", i,
				 m->source);
	return steal_fd(&t);
}

static int do_mount(int rootfd, const struct oci_mount *m, size_t i, struct mv_err *err)
{
	cleanup_fd int fs = -1, target = -1;
	struct stat st;

	if (is_type(m, "cgroup") || is_type(m, "cgroup2"))
		return 0; /* never cgroups here: create said so in the log */
	fs = m->bind ? bind_fs(m, i, err) : new_fs(m, i, err);
	if (fs < 0)
		return -1;
	target = mount_point(rootfd, m->dest,
			     m->bind && stat(m->source, &st) == 0 && !S_ISDIR(st.st_mode), i, err);
	if (target < 0)
		return -1;
	if (move_mount(fs, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH))
		return mv_seterr(err, errno, "mounts[%zu]: cannot mount on %s", i, m->dest);
	if (m->propagation) {
		cleanup_fd int now = open_beneath(rootfd, m->dest, O_PATH);
		struct mount_attr attr = { .propagation = m->propagation & ~(unsigned long)MS_REC };

		if (now < 0 ||
		    mount_setattr(now, "",
				  AT_EMPTY_PATH | (m->propagation & MS_REC ? AT_RECURSIVE : 0),
				  &attr, sizeof(attr)))
			return mv_seterr(err, errno, "mounts[%zu]: propagation of %s", i, m->dest);
	}
	return 0;
}

/* /dev as a new tmpfs: the usual nodes (made, as runc does; in a user namespace, where
 * mknod is refused, the host's bound in) and the links every runtime makes. */
static int default_dev(int rootfd, bool userns, struct mv_err *err)
{
	static const struct {
		const char *name;
		unsigned major, minor;
	} nodes[] = { { "null", 1, 3 },   { "zero", 1, 5 },    { "full", 1, 7 },
		      { "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 } };
	static const char *const links[][2] = {
		{ "fd", "/proc/self/fd" },       { "stdin", "/proc/self/fd/0" },
		{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
		{ "ptmx", "pts/ptmx" },
	};
	cleanup_fd int dev = open_beneath(rootfd, "/dev", O_DIRECTORY | O_RDONLY);

	if (dev < 0)
		return mv_seterr(err, errno, "/dev");
	if (userns) {
		if (iso_mount_dev_nodes(dev, err))
			return -1;
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(nodes); i++)
			if (mknodat(dev, nodes[i].name, S_IFCHR | 0666,
				    makedev(nodes[i].major, nodes[i].minor)) ||
			    fchmodat(dev, nodes[i].name, 0666, 0))
				return mv_seterr(err, errno, "cannot make /dev/%s", nodes[i].name);
	}
	for (size_t i = 0; i < ARRAY_SIZE(links); i++)
		if (symlinkat(links[i][1], dev, links[i][0]) && errno != EEXIST)
			return mv_seterr(err, errno, "cannot make /dev/%s", links[i][0]);
	/* runc's /dev/core, where the kernel has a /proc/kcore */
	if (access("/proc/kcore", F_OK) == 0 && symlinkat("/proc/kcore", dev, "core") &&
	    errno != EEXIST)
		return mv_seterr(err, errno, "cannot make /dev/core");
	return 0;
}

static int make_device(int rootfd, const struct oci_device *d, size_t i, bool userns,
		       struct mv_err *err)
{
	mode_t type = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
	char dir[PATH_MAX];
	const char *name = strrchr(d->path, '/') + 1;
	cleanup_fd int parent = -1;

	snprintf(dir, sizeof(dir), "%.*s", (int)(name - d->path), d->path);
	parent = open_beneath(rootfd, dir, O_DIRECTORY | O_RDONLY);
	if (parent < 0)
		return mv_seterr(err, errno, "linux.devices[%zu]: %s", i, dir);
	if (!userns && mknodat(parent, name, type | d->mode, makedev(d->major, d->minor)) == 0) {
		if (fchownat(parent, name, d->uid, d->gid, AT_SYMLINK_NOFOLLOW))
			return mv_seterr(err, errno, "linux.devices[%zu]: chown %s", i, d->path);
		return 0;
	}
	if (!userns && errno != EPERM)
		return mv_seterr(err, errno, "linux.devices[%zu]: mknod %s", i, d->path);
	/* In a user namespace no mknod: the host's own node, bound, as runc does. */
	{
		struct stat st;
		cleanup_fd int t = -1, f = -1;

		if (stat(d->path, &st) || (st.st_mode & S_IFMT) != type ||
		    (type != S_IFIFO && st.st_rdev != makedev(d->major, d->minor)))
			return mv_seterr(err, 0,
					 "linux.devices[%zu]: %s: no mknod in a user "
					 "namespace, and the host has no such node to bind",
					 i, d->path);
		f = openat(parent, name, O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
		t = open_tree(AT_FDCWD, d->path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (f < 0 || t < 0 || move_mount(t, "", parent, name, MOVE_MOUNT_F_EMPTY_PATH))
			return mv_seterr(err, errno, "linux.devices[%zu]: bind %s", i, d->path);
	}
	return 0;
}

int oci_rootfs_mount(const struct oci_spec *s, const char *rootfs, bool userns, struct mv_err *err)
{
	cleanup_fd int rootfd = -1;
	bool new_dev = false;

	if (mount(NULL, "/", NULL,
		  s->rootfs_propagation ? s->rootfs_propagation : MS_REC | MS_SLAVE, NULL))
		return mv_seterr(err, errno, "linux.rootfsPropagation: mount /");
	if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL))
		return mv_seterr(err, errno, "root.path %s: cannot bind it on itself", rootfs);
	rootfd = (int)RETRY_EINTR(open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC));
	if (rootfd < 0)
		return mv_seterr(err, errno, "root.path %s", rootfs);
	for (size_t i = 0; i < s->n_mounts; i++) {
		if (do_mount(rootfd, &s->mounts[i], i, err))
			return -1;
		if (!strcmp(s->mounts[i].dest, "/dev"))
			new_dev = !s->mounts[i].bind;
	}
	if (new_dev && default_dev(rootfd, userns, err))
		return -1;
	for (size_t i = 0; i < s->n_devices; i++)
		if (make_device(rootfd, &s->devices[i], i, userns, err))
			return -1;
	return 0;
}

/* linux.sysctl: each written under /proc/sys (dots become slashes); no '/' or "..". */
static int write_sysctls(const struct oci_spec *s, struct mv_err *err)
{
	char path[PATH_MAX];

	for (size_t i = 0; i < s->n_sysctl; i++) {
		const char *k = s->sysctl[i].key;
		size_t n;
		int r;

		if (!k[0] || strchr(k, '/') || strstr(k, ".."))
			return mv_seterr(err, 0, "linux.sysctl: '%s' is not a sysctl name", k);
		n = (size_t)snprintf(path, sizeof(path), "/proc/sys/%s", k);
		for (size_t c = 10; c < n; c++)
			if (path[c] == '.')
				path[c] = '/';
		r = iso_write_file(path, s->sysctl[i].value);
		if (r)
			return mv_seterr(err, -r, "linux.sysctl.%s", k);
	}
	return 0;
}

/* The number of paths in a NULL-terminated list (none: 0). */
static size_t count(const char *const *list)
{
	size_t n = 0;

	while (list && list[n])
		n++;
	return n;
}

int oci_rootfs_enter(const struct oci_spec *s, const char *rootfs, struct mv_err *err)
{
	if (iso_mount_pivot(-1, rootfs, "root.path", err))
		return -1;
	if (s->root_readonly) {
		struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };

		if (mount_setattr(AT_FDCWD, "/", 0, &ro, sizeof(ro)))
			return mv_seterr(err, errno, "root.readonly");
	}
	if (write_sysctls(s, err))
		return -1;
	if (s->hostname && sethostname(s->hostname, strlen(s->hostname)))
		return mv_seterr(err, errno, "hostname '%s'", s->hostname);
	if (s->readonly && iso_mount_readonly(s->readonly, count(s->readonly), false, err))
		return -1;
	if (s->masked && iso_mount_mask(s->masked, count(s->masked), err))
		return -1;
	return 0;
}
