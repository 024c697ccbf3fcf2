/* isolate/userns.c: writes the container's setgroups, uid_map and gid_map from the host. */
#include "userns.h"

#include <stdio.h>

#include "util.h"

/* One map file: "INSIDE OUTSIDE COUNT", a single line, as the kernel wants it in one write. */
static int write_map(pid_t pid, const char *file, const char *text, char *err)
{
	char path[64];
	int r;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	r = iso_write_file(path, text);
	if (r < 0)
		return iso_seterr(err, -r, "cannot write '%s' to %s", text, path);
	iso_step("host", "%s: %s", path, text);
	return 0;
}

int iso_userns_map(pid_t pid, uid_t uid, gid_t gid, bool deny_setgroups, char *err)
{
	char line[64];

	/* setgroups first: without "deny" the kernel refuses a gid_map written by a process
	 * without CAP_SETGID outside, since the container could drop supplementary groups
	 * that deny it access (negative permissions). */
	if (deny_setgroups && write_map(pid, "setgroups", "deny", err))
		return -1;
	snprintf(line, sizeof(line), "0 %u 1", (unsigned)uid);
	if (write_map(pid, "uid_map", line, err))
		return -1;
	snprintf(line, sizeof(line), "0 %u 1", (unsigned)gid);
	return write_map(pid, "gid_map", line, err);
}
