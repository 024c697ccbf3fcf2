/* SPDX-License-Identifier: MIT */
/* isolate/oci_cgroup.c: linux.resources through a delegated cgroup v2, or one log line. */
#include "oci_cgroup.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "oci.h"
#include "base.h"

int oci_cgroup_apply(const struct oci_resources *r, const char *id, struct iso_cgroup *cg,
		     struct mv_err *e)
{
	char name[NAME_MAX + 1];

	memset(cg, 0, sizeof(*cg));
	cg->fd = -1;
	if (!r->set)
		return 0;
	iso_cgroup_detect(cg); /* reads only */
	if (!cg->usable) {
		oci_warn("linux.resources: not applied: %s", cg->why.msg);
		return 0;
	}
	if ((size_t)snprintf(name, sizeof(name), "isolate-%s", id) >= sizeof(name))
		return mv_seterr(e, 0, "linux.resources: the ID %.32s... is too long for a cgroup",
				 id);
	if (iso_cgroup_make(cg, name, e))
		return mv_errprefix(e, "linux.resources");
	for (size_t i = 0; i < r->n; i++)
		if (iso_cgroup_set(cg, r->w[i].file, r->w[i].value, e)) {
			iso_cgroup_remove(cg);
			return mv_errprefix(e, "linux.resources");
		}
	oci_debug("linux.resources: the cgroup %s, %zu files written", cg->dir, r->n);
	if (r->ignored[0])
		oci_warn("linux.resources: not applied (no such cgroup here): %s", r->ignored);
	return 0;
}

/* Whether dir is one of ours: /sys/fs/cgroup/.../isolate-ID, no "..". */
static bool ours(const char *dir)
{
	const char *last = strrchr(dir, '/');

	return !strncmp(dir, ISO_CGROUP_ROOT "/", sizeof(ISO_CGROUP_ROOT)) && !strstr(dir, "/..") &&
	       last && !strncmp(last, "/isolate-", 9);
}

int oci_cgroup_join(const char *dir, struct mv_err *e)
{
	char path[PATH_MAX + 16], pid[16];
	int r;

	if (!ours(dir))
		return mv_seterr(e, 0, "the cgroup %s is not isolate's", dir);
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	r = iso_write_file(path, pid);
	if (r)
		return mv_seterr(e, -r, "cannot join the cgroup %s", dir);
	return 0;
}

void oci_cgroup_remove(const char *dir)
{
	struct iso_cgroup cg = { .fd = -1 };

	if (!dir[0] || !ours(dir))
		return;
	snprintf(cg.dir, sizeof(cg.dir), "%s", dir);
	iso_cgroup_remove(&cg);
}
