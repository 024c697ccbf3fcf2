/* isolate/userns.c: the container's id range (a slot of root's unprivileged pool, locked
 * in /run/isolate) and its setgroups, uid_map and gid_map, written from the host. */
#include "userns.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "idrange.h"
#include "statedir.h"
#include "util.h"

#define IDS_LOCK "ids.lock" /* one byte per slot: an OFD lock on byte N holds slot N */

/* One map file: "INSIDE OUTSIDE COUNT", a single line, as the kernel wants it in one write. */
static int write_map(pid_t pid, const char *file, const char *text, char *err)
{
	char path[64];
	int r;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	r = iso_write_file(path, text);
	if (r < 0)
		return iso_seterr(err, -r, "cannot write '%s' to %s%s", text, path,
				  r == -EPERM || r == -EINVAL ? " (does this root own those ids? "
				  "a root in a user namespace: set root's range in /etc/subuid and "
				  "/etc/subgid)" : "");
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

/* Whether we are root of the initial user namespace, the host's: our uid_map is the
 * identity over every id. */
static bool host_root(void)
{
	char text[128];
	cleanup_fd int fd = RETRY_EINTR(open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC));
	unsigned long in, out, count;
	long n;

	if (fd < 0)
		return true; /* no /proc: assume the worst, the host's root */
	n = RETRY_EINTR(read(fd, text, sizeof(text) - 1));
	if (n <= 0)
		return true;
	text[n] = '\0';
	return sscanf(text, "%lu %lu %lu", &in, &out, &count) == 3 && in == 0 && out == 0 &&
	       count == 4294967295ul && !strchr(text, '\n')[1];
}

/* Takes the first free slot of nslots from start on (wrapping): an OFD lock on its byte,
 * which goes with the last fd of this open file (isolate's, and the child's copy until
 * PROGRAM's exec). Returns the slot or -1. */
static int take_slot(int fd, unsigned nslots, unsigned start)
{
	for (unsigned i = 0; i < nslots; i++) {
		unsigned s = (start + i) % nslots;
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = s,
				    .l_len = 1 };

		if (fcntl(fd, F_OFD_SETLK, &fl) == 0)
			return (int)s;
		if (errno != EAGAIN && errno != EACCES)
			return -1;
	}
	errno = EBUSY;
	return -1;
}

int iso_userns_plan(const struct iso_config *cfg, struct iso_ids *ids, char *err)
{
	struct iso_idrange upool, gpool;
	unsigned usize, gsize, nslots, size;
	int s;

	memset(ids, 0, sizeof(*ids));
	ids->slot = -1;
	ids->lock_fd = -1;
	ids->count = 1;
	if (geteuid() != 0 || !host_root()) {
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
		upool.count = gpool.count = (unsigned long long)ISO_IDS_SLOT * ISO_IDS_DEFAULT_SLOTS;
		ids->source = "isolate's default range (no root line in /etc/subuid and /etc/subgid)";
	}
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
		return e == EBUSY ? iso_seterr(err, 0, "all %u id ranges of %u ids are held by "
					       "running isolates (%s)", nslots, size, ids->source)
				  : iso_seterr(err, e, "cannot lock %s/%s", ISO_STATE_DIR, IDS_LOCK);
	}
	ids->slot = s;
	ids->uid = (uid_t)(upool.base + (unsigned long long)s * size);
	ids->gid = (gid_t)(gpool.base + (unsigned long long)s * size);
	ids->count = size;
	ids->switch_ids = true;
	return 0;
}

int iso_userns_map(pid_t pid, const struct iso_ids *ids, char *err)
{
	char line[64];

	/* setgroups first: without "deny" the kernel refuses a gid_map written by a process
	 * without CAP_SETGID outside, since the container could drop supplementary groups
	 * that deny it access (negative permissions). Root maps without it, so the child can
	 * drop root's groups. */
	if (ids->deny_setgroups && write_map(pid, "setgroups", "deny", err))
		return -1;
	snprintf(line, sizeof(line), "0 %u %u", (unsigned)ids->uid, ids->count);
	if (write_map(pid, "uid_map", line, err))
		return -1;
	snprintf(line, sizeof(line), "0 %u %u", (unsigned)ids->gid, ids->count);
	if (write_map(pid, "gid_map", line, err))
		return -1;
	if (ids->slot >= 0)
		iso_step("host", "ids: slot %d of %s: the container's root is uid %u, gid %u on the "
			 "host, owner of nothing there", ids->slot, ids->source,
			 (unsigned)ids->uid, (unsigned)ids->gid);
	return 0;
}

void iso_userns_release(struct iso_ids *ids)
{
	if (ids->lock_fd >= 0)
		close(ids->lock_fd);
	ids->lock_fd = -1;
	ids->slot = -1;
}
