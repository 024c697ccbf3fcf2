/* isolate/mount.c: makes the container's mounts private and gives it its own /proc. */
#include "mount.h"

#include <sys/mount.h>

#include "util.h"

int iso_mount_setup(char *err)
{
	/* The new mount namespace starts as a copy of the host's, with the host's propagation:
	 * / is usually "shared", so a mount made here would appear on the host too. Private
	 * first, recursively, before anything is mounted. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return iso_seterr(err, errno, "cannot make / private (mount MS_REC|MS_PRIVATE)");
	iso_step("pid 1", "mount: / and everything under it made private (MS_REC|MS_PRIVATE)");

	/* The host's /proc shows the host's PID namespace; a new proc instance shows the
	 * PID namespace of the process that mounts it: ours. It covers the old one. */
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		return iso_seterr(err, errno, "cannot mount proc on /proc");
	iso_step("pid 1", "mount: new proc on /proc (nosuid,nodev,noexec): this PID namespace's");
	return 0;
}
