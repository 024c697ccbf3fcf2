/* SPDX-License-Identifier: MIT */
/* isolate/userns.c: the container's id range (a slot of root's unprivileged pool, locked
 * in /run/isolate) and its setgroups, uid_map and gid_map, written from the host. */
#include "userns.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "idrange.h"
#include "statedir.h"
#include "base.h"

#define IDS_LOCK "ids.lock" /* one byte per slot: an OFD lock on byte N holds slot N */

/* One map file: "INSIDE OUTSIDE COUNT", a single line, as the kernel wants it in one write. */
static int write_map(pid_t pid, const char *file, const char *text, struct mv_err *err)
{
	char path[64];
	int r;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	r = iso_write_file(path, text);
	if (r < 0)
		return mv_seterr(
			err, -r, "cannot write '%s' to %s%s", text, path,
			r == -EPERM || r == -EINVAL
				? " (does this root own those ids? "
				  "a root in a user namespace: set root's range in /etc/subuid and "
				  "/etc/subgid)"
				: "");
	iso_step("host", "%s: %s", path, text);
	return 0;
}

/* Root's first range in FILE (by name "root" or id 0), or -1. */
static int subid_range(const char *file, struct iso_idrange *r)
{
	char text[8192];
	cleanup_fd int fd = RETRY_EINTR(open(file, O_RDONLY | O_CLOEXEC));
	long n;

	if (fd < 0)
		return -1;
	n = RETRY_EINTR(read(fd, text, sizeof(text) - 1));
	if (n < 0)
		return -1;
	text[n] = '\0';
	return iso_subid_find(text, "root", 0, r);
}

/* Our user namespace's uid_map (or gid_map), "IN OUT COUNT" lines, into text (len bytes).
 * Returns 0, or -1 when it cannot be read. */
static int read_map(const char *file, char *text, size_t len)
{
	cleanup_fd int fd = RETRY_EINTR(open(file, O_RDONLY | O_CLOEXEC));
	long n;

	if (fd < 0)
		return -1;
	n = RETRY_EINTR(read(fd, text, len - 1));
	if (n < 0)
		return -1;
	text[n] = '\0';
	return 0;
}

/* Whether the ids id..id+count-1 of our namespace all map outside (one line covers them),
 * and into *out what id maps to (the parent namespace's id). */
static bool mapped(const char *text, unsigned long long id, unsigned long long count,
		   unsigned long long *out)
{
	for (const char *p = text; *p;) {
		unsigned long long in, o, n;

		if (sscanf(p, "%llu %llu %llu", &in, &o, &n) == 3 && id >= in &&
		    id + count <= in + n) {
			*out = o + (id - in);
			return true;
		}
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return false;
}

/* Whether we are the host's root: uid 0 of a namespace whose 0 is its parent's 0 (the
 * initial namespace's identity map, or an `unshare -r` by root). A root of a user
 * namespace whose 0 is someone else outside (isolate in a container) is no host root. */
static bool host_root(const char *uid_map)
{
	unsigned long long out;

	return !uid_map[0] || !mapped(uid_map, 0, 1, &out) || out == 0;
}

/* Takes the first free slot of nslots from start on (wrapping): an OFD lock on its byte,
 * which goes with the last fd of this open file (isolate's, and the child's copy until
 * PROGRAM's exec when it was taken before the clone). Returns the slot or -1. */
static int take_slot(int fd, unsigned nslots, unsigned start)
{
	for (unsigned i = 0; i < nslots; i++) {
		unsigned s = (start + i) % nslots;
		struct flock fl = {
			.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = s, .l_len = 1
		};

		if (fcntl(fd, F_OFD_SETLK, &fl) == 0)
			return (int)s;
		if (errno != EAGAIN && errno != EACCES)
			return -1;
	}
	errno = EBUSY;
	return -1;
}

int iso_userns_plan(const struct iso_config *cfg, struct iso_ids *ids, struct mv_err *err)
{
	struct iso_idrange upool, gpool;
	unsigned usize, gsize, nslots, size;
	char umap[1024], gmap[1024];
	unsigned long long out;
	int s;

	memset(ids, 0, sizeof(*ids));
	ids->slot = -1;
	ids->lock_fd = -1;
	ids->count = 1;
	if (read_map("/proc/self/uid_map", umap, sizeof(umap)) ||
	    read_map("/proc/self/gid_map", gmap, sizeof(gmap)))
		umap[0] = gmap[0] = '\0'; /* no /proc: assume the host's root */
	if (geteuid() != 0 || !host_root(umap)) {
		/* Without CAP_SETUID outside, the kernel lets a user map its own ids only; a
		 * root of a user namespace (isolate in a container) is no host root to hide. */
		ids->uid = geteuid();
		ids->gid = getegid();
		ids->deny_setgroups = true;
		ids->source = "your own uid and gid";
		return 0;
	}
	if (cfg->map_host_root) {
		ids->uid = 0;
		ids->gid = 0;
		ids->source = "--map-host-root: the host's root";
		return 0;
	}
	if (subid_range("/etc/subuid", &upool) == 0 && subid_range("/etc/subgid", &gpool) == 0) {
		ids->source = "root's ranges in /etc/subuid and /etc/subgid";
	} else {
		upool.base = gpool.base = ISO_IDS_DEFAULT_BASE;
		upool.count = gpool.count =
			(unsigned long long)ISO_IDS_SLOT * ISO_IDS_DEFAULT_SLOTS;
		ids->source =
			"isolate's default range (no root line in /etc/subuid and /etc/subgid)";
	}
	/* The host's root seen through a user namespace that maps only itself (unshare -r):
	 * no unprivileged id to give the container. */
	if (umap[0] && (!mapped(umap, upool.base, upool.count, &out) ||
			!mapped(gmap, gpool.base, gpool.count, &out)))
		return mv_seterr(err, 0,
				 "the host's root in a user namespace that does not map "
				 "%llu..%llu: no unprivileged ids for the container; run isolate "
				 "outside it, or with --map-host-root",
				 upool.base, upool.base + upool.count - 1);
	nslots = iso_idrange_slots(&upool, &usize);
	s = (int)iso_idrange_slots(&gpool, &gsize);
	if ((unsigned)s < nslots)
		nslots = (unsigned)s;
	size = usize < gsize ? usize : gsize;
	ids->lock_fd = iso_state_lock_open(IDS_LOCK, err);
	if (ids->lock_fd < 0)
		return -1;
	/* From a slot chosen by our pid: back-to-back runs seldom share ids. */
	s = take_slot(ids->lock_fd, nslots, (unsigned)getpid() % nslots);
	if (s < 0) {
		int e = errno;

		iso_userns_release(ids);
		return e == EBUSY ? mv_seterr(err, 0,
					      "all %u id ranges of %u ids are held by "
					      "running isolates (%s)",
					      nslots, size, ids->source)
				  : mv_seterr(err, e, "cannot lock %s/%s", ISO_STATE_DIR, IDS_LOCK);
	}
	ids->slot = s;
	ids->uid = (uid_t)(upool.base + (unsigned long long)s * size);
	ids->gid = (gid_t)(gpool.base + (unsigned long long)s * size);
	ids->count = size;
	ids->switch_ids = true;
	return 0;
}

/* ranges as a map file's text: "INSIDE OUTSIDE COUNT" lines, into text (len bytes).
 * Returns 0, or -1 when they do not fit. */
static int map_text(const struct iso_idmap *m, size_t n, char *text, size_t len)
{
	size_t at = 0;

	text[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		at += (size_t)snprintf(text + at, len - at, "%s%u %u %u", i ? "\n" : "",
				       m[i].inside, m[i].outside, m[i].count);
		if (at >= len)
			return -1;
	}
	return 0;
}

int iso_userns_write_maps(pid_t pid, bool deny_setgroups, const struct iso_idmap *uids, size_t nu,
			  const struct iso_idmap *gids, size_t ng, struct mv_err *err)
{
	char text[4096];

	/* setgroups first: without "deny" the kernel refuses a gid_map written by a process
	 * without CAP_SETGID outside, since the container could drop supplementary groups
	 * that deny it access (negative permissions). */
	if (deny_setgroups && write_map(pid, "setgroups", "deny", err))
		return -1;
	if (map_text(uids, nu, text, sizeof(text)))
		return mv_seterr(err, 0, "%zu uid ranges: too many for one uid_map", nu);
	if (write_map(pid, "uid_map", text, err))
		return -1;
	if (map_text(gids, ng, text, sizeof(text)))
		return mv_seterr(err, 0, "%zu gid ranges: too many for one gid_map", ng);
	return write_map(pid, "gid_map", text, err);
}

int iso_userns_map(pid_t pid, const struct iso_ids *ids, struct mv_err *err)
{
	/* Root maps without "deny", so the child can drop root's groups. */
	struct iso_idmap u = { 0, (unsigned)ids->uid, ids->count };
	struct iso_idmap g = { 0, (unsigned)ids->gid, ids->count };

	if (iso_userns_write_maps(pid, ids->deny_setgroups, &u, 1, &g, 1, err))
		return -1;
	if (ids->slot >= 0)
		iso_step("host",
			 "ids: slot %d of %s: the container's root is uid %u, gid %u on the "
			 "host, owner of nothing there",
			 ids->slot, ids->source, (unsigned)ids->uid, (unsigned)ids->gid);
	return 0;
}

void iso_userns_release(struct iso_ids *ids)
{
	if (ids->lock_fd >= 0)
		close(ids->lock_fd);
	ids->lock_fd = -1;
	ids->slot = -1;
}
