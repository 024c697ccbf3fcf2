/* SPDX-License-Identifier: MIT */
/* isolate/statedir.c: opens isolate's lock files in /run/isolate, checking their owner and
 * mode (see statedir.h). */
#include "statedir.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "base.h"

/* Whether st is root's, of type type, and not writable by a group or others. */
static bool root_only(const struct stat *st, mode_t type)
{
	return (st->st_mode & S_IFMT) == type && st->st_uid == 0 && !(st->st_mode & 022);
}

int iso_state_lock_open(const char *name, struct mv_err *err)
{
	cleanup_fd int dir = -1;
	struct stat st;
	int fd;

	if (mkdir(ISO_STATE_DIR, 0755) && errno != EEXIST)
		return mv_seterr(err, errno, "cannot make %s", ISO_STATE_DIR);
	dir = RETRY_EINTR(open(ISO_STATE_DIR, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
	if (dir < 0)
		return mv_seterr(err, errno == ELOOP || errno == ENOTDIR ? 0 : errno,
				 "cannot open %s%s", ISO_STATE_DIR,
				 errno == ELOOP || errno == ENOTDIR
					 ? ": not a folder (a symbolic link?)"
					 : "");
	if (fstat(dir, &st) || !root_only(&st, S_IFDIR))
		return mv_seterr(err, 0,
				 "%s is not root's own folder (owner uid %u, mode %o): "
				 "another user could hold isolate's locks; remove it",
				 ISO_STATE_DIR, (unsigned)st.st_uid,
				 (unsigned)(st.st_mode & 07777));
	fd = RETRY_EINTR(openat(dir, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
	if (fd < 0)
		return mv_seterr(err, errno, "cannot open %s/%s", ISO_STATE_DIR, name);
	if (fstat(fd, &st) || !root_only(&st, S_IFREG)) {
		close(fd);
		return mv_seterr(err, 0, "%s/%s is not root's own file: remove it", ISO_STATE_DIR,
				 name);
	}
	return fd;
}
