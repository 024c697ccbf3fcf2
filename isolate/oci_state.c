/* SPDX-License-Identifier: MIT */
/* isolate/oci_state.c: --root/ID/state.json, the per-container lock, and the status the
 * commands derive from the init's pid and the exec FIFO. */
#include "oci_state.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "oci.h"
#include "base.h"

int oci_id_check(const char *id, struct mv_err *err)
{
	size_t n = strlen(id);

	if (!n || n > 255 ||
	    strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		       "0123456789_+.-") != n ||
	    !strcmp(id, ".") || !strcmp(id, "..")) {
		char e[96];

		return mv_seterr(err, 0,
				 "invalid container ID '%s': 1 to 255 of A-Z a-z 0-9 _ + . -",
				 msg_escape(id, e, sizeof(e)));
	}
	return 0;
}

/* mkdir -p of --root (as runc's MkdirAll: containerd's shim passes /run/containerd/runc/NS,
 * whose parents may not exist yet): the parents 0711, the folder itself 0700. */
static int make_root(const char *root)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s", root) >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, 0711) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(path, 0700) && errno != EEXIST ? -1 : 0;
}

/* --root (made when create), opened O_PATH. Returns its fd, or -1 with a reason. */
static int open_root(const char *id, bool create, struct mv_err *err)
{
	int root;

	if (create && make_root(oci_g.root))
		return mv_seterr(err, errno, "cannot make --root %s", oci_g.root);
	root = (int)RETRY_EINTR(open(oci_g.root, O_PATH | O_DIRECTORY | O_CLOEXEC));
	if (root >= 0)
		return root;
	if (errno == ENOENT && !create)
		return mv_seterr(err, 0, "container %s does not exist", id);
	return mv_seterr(err, errno, "cannot open --root %s", oci_g.root);
}

/* Takes the container's lock; a folder delete removed while we waited is gone. */
static int lock_dir(int fd, const char *id, bool create, struct mv_err *err)
{
	struct stat st;

	if (RETRY_EINTR(flock(fd, LOCK_EX)))
		return mv_seterr(err, errno, "cannot lock %s/%s", oci_g.root, id);
	if (!create && fstat(fd, &st) == 0 && st.st_nlink == 0)
		return mv_seterr(err, 0, "container %s does not exist", id);
	return 0;
}

int oci_state_open(const char *id, bool create, bool lock, struct mv_err *err)
{
	cleanup_fd int root = -1;
	int fd;

	if (oci_id_check(id, err) || (root = open_root(id, create, err)) < 0)
		return -1;
	if (create && mkdirat(root, id, 0700)) {
		if (errno == EEXIST)
			return mv_seterr(err, 0, "container %s already exists", id);
		return mv_seterr(err, errno, "cannot make %s/%s", oci_g.root, id);
	}
	fd = (int)RETRY_EINTR(openat(root, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
	if (fd < 0) {
		if (errno == ENOENT)
			return mv_seterr(err, 0, "container %s does not exist", id);
		return mv_seterr(err, errno, "cannot open %s/%s", oci_g.root, id);
	}
	if (lock && lock_dir(fd, id, create, err)) {
		close(fd);
		return -1;
	}
	return fd;
}

int oci_state_write(int dirfd, const struct oci_state *st, struct mv_err *err)
{
	json_t *o =
		json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:b, s:b, s:s, s:o}", "id", st->id, "pid",
			  (json_int_t)st->pid, "start", (json_int_t)st->start, "bundle", st->bundle,
			  "rootfs", st->rootfs, "created", st->created, "newPidns", st->new_pidns,
			  "creating", st->creating, "cgroup", st->cgroup, "annotations",
			  st->annotations ? json_incref(st->annotations) : json_object());
	cleanup_free char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	cleanup_fd int fd = -1;
	size_t n;

	json_decref(o);
	if (!text)
		return mv_seterr(err, ENOMEM, "state.json");
	fd = (int)RETRY_EINTR(openat(dirfd, OCI_STATE ".tmp",
				     O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
	n = strlen(text);
	if (fd < 0 || RETRY_EINTR(write(fd, text, n)) != (long)n)
		return mv_seterr(err, errno, "cannot write state.json");
	if (renameat(dirfd, OCI_STATE ".tmp", dirfd, OCI_STATE))
		return mv_seterr(err, errno, "cannot write state.json");
	return 0;
}

int oci_state_read(int dirfd, const char *id, struct oci_state *st, struct mv_err *err)
{
	cleanup_fd int fd =
		(int)RETRY_EINTR(openat(dirfd, OCI_STATE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
	json_error_t je;
	json_int_t pid = 0, start = 0;
	const char *bundle = "", *rootfs = "", *created = "", *cgroup = "";
	int newpid = 0, creating = 0;
	json_t *o, *ann = NULL;

	memset(st, 0, sizeof(*st));
	snprintf(st->id, sizeof(st->id), "%s", id);
	if (fd < 0) {
		if (errno == ENOENT) { /* create died before its first write */
			st->creating = true;
			return 0;
		}
		return mv_seterr(err, errno, "container %s: cannot read state.json", id);
	}
	o = json_loadfd(fd, 0, &je);
	if (!o || json_unpack_ex(o, &je, 0, "{s:I, s:I, s:s, s:s, s:s, s:b, s:b, s?s, s?o}", "pid",
				 &pid, "start", &start, "bundle", &bundle, "rootfs", &rootfs,
				 "created", &created, "newPidns", &newpid, "creating", &creating,
				 "cgroup", &cgroup, "annotations", &ann)) {
		json_decref(o);
		return mv_seterr(err, 0, "container %s: state.json is damaged: %s", id, je.text);
	}
	st->pid = (pid_t)pid;
	st->start = (unsigned long long)start;
	snprintf(st->bundle, sizeof(st->bundle), "%s", bundle);
	snprintf(st->rootfs, sizeof(st->rootfs), "%s", rootfs);
	snprintf(st->created, sizeof(st->created), "%s", created);
	snprintf(st->cgroup, sizeof(st->cgroup), "%s", cgroup);
	st->new_pidns = newpid;
	st->creating = creating;
	st->annotations = json_incref(ann);
	json_decref(o);
	return 0;
}

void oci_state_free(struct oci_state *st)
{
	json_decref(st->annotations);
	st->annotations = NULL;
}

int oci_proc_start(pid_t pid, unsigned long long *start, bool *zombie)
{
	char path[64], buf[1024], *p;
	cleanup_fd int fd = -1;
	long n;
	char state;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = (int)RETRY_EINTR(open(path, O_RDONLY | O_CLOEXEC));
	if (fd < 0)
		return -1;
	n = RETRY_EINTR(read(fd, buf, sizeof(buf) - 1));
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* after the command's name, which may hold spaces and parentheses: the last ')' */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1,
			 " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d "
			 "%*d %*d %*d %llu",
			 &state, start) != 2)
		return -1;
	*zombie = state == 'Z' || state == 'X';
	return 0;
}

enum oci_status oci_state_status(int dirfd, const struct oci_state *st)
{
	unsigned long long start;
	bool zombie;

	if (st->creating)
		return OCI_CREATING;
	if (st->pid <= 0 || oci_proc_start(st->pid, &start, &zombie) || zombie ||
	    start != st->start)
		return OCI_STOPPED;
	if (faccessat(dirfd, OCI_FIFO, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return OCI_CREATED;
	return OCI_RUNNING;
}

const char *oci_status_name(enum oci_status s)
{
	static const char *const names[] = { "creating", "created", "running", "stopped" };

	return names[s];
}

char *oci_state_json(const struct oci_state *st, enum oci_status s, bool pretty)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:o}", "ociVersion", "1.0.2",
			      "id", st->id, "status", oci_status_name(s), "pid",
			      (json_int_t)(s == OCI_STOPPED ? 0 : st->pid), "bundle", st->bundle,
			      "rootfs", st->rootfs, "created", st->created, "annotations",
			      st->annotations ? json_incref(st->annotations) : json_object());
	char *text = o ? json_dumps(o, pretty ? JSON_INDENT(2) | JSON_PRESERVE_ORDER
					      : JSON_COMPACT | JSON_PRESERVE_ORDER)
		       : NULL;

	json_decref(o);
	return text;
}

int oci_state_remove(int dirfd, const char *id)
{
	cleanup_fd int root = (int)RETRY_EINTR(open(oci_g.root, O_PATH | O_DIRECTORY | O_CLOEXEC));
	int r = 0;

	unlinkat(dirfd, OCI_FIFO, 0);
	unlinkat(dirfd, OCI_STATE ".tmp", 0);
	unlinkat(dirfd, OCI_STATE, 0);
	if (root < 0 || unlinkat(root, id, AT_REMOVEDIR))
		r = -1;
	close(dirfd);
	return r;
}
