/* SPDX-License-Identifier: MIT */
/* isolate/oci_create.c: `isolate create`'s stages: the bundle checked, the state recorded,
 * the init cloned (ns_spawn.c, the same orchestration as `isolate PROGRAM`'s), the host's side
 * (maps, oomScoreAdj, hooks), the init released and its "ready" awaited. */
#include "oci_create.h"

#include <fcntl.h>
#include <jansson.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "cgroup.h"
#include "oci.h"
#include "oci_cgroup.h"
#include "oci_hooks.h"
#include "oci_init.h"
#include "oci_rootfs.h"
#include "ns_spawn.h"
#include "userns.h"

/* One create's state, from the bundle to the created container. */
struct create {
	const struct oci_launch_opts *o;
	const char *id;
	struct oci_created *out;
	char bundle[PATH_MAX];       /* the bundle's real path */
	char rootfs[PATH_MAX];       /* root.path's real path */
	char pid_path[PATH_MAX + 1]; /* --pid-file, absolute */
	struct oci_init c;           /* what the init takes across the clone */
	struct iso_spawn sp;         /* the init and its release and report pipes */
	struct iso_cgroup cg;        /* linux.resources' cgroup (cg.fd -1 when none) */
	struct mv_err err;
};

static void now_rfc3339(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%09ldZ", ts.tv_nsec);
}

/* The plan's checks, before anything exists: a bad bundle makes nothing. */
static int plan(const struct oci_spec *s, const struct oci_launch_opts *o, const char *rootfs,
		struct mv_err *err)
{
	if (!s->has_process)
		return mv_seterr(err, 0, "config.json: process: missing (create needs one)");
	if (!s->ns[OCI_NS_MOUNT].set || s->ns[OCI_NS_MOUNT].path)
		return mv_seterr(err, 0,
				 "config.json: linux.namespaces: isolate needs a new "
				 "mount namespace (type mount, no path)");
	if (s->process.terminal && !o->console_socket)
		return mv_seterr(err, 0,
				 "process.terminal is true: --console-socket is needed "
				 "(isolate relays no terminal itself)");
	if (!s->process.terminal && o->console_socket)
		return mv_seterr(err, 0, "--console-socket given but process.terminal is false");
	if (s->ns[OCI_NS_USER].set && !s->ns[OCI_NS_USER].path && geteuid() != 0 &&
	    (s->n_uid_maps != 1 || s->n_gid_maps != 1 || s->uid_maps[0].host != geteuid() ||
	     s->gid_maps[0].host != getegid() || s->uid_maps[0].size != 1 ||
	     s->gid_maps[0].size != 1))
		return mv_seterr(err, 0,
				 "config.json: linux.uidMappings: without root, only your "
				 "own uid and gid, one each (newuidmap is not used)");
	return oci_rootfs_check(s, rootfs, err);
}

/* One line for what isolate does not apply. */
static void say_ignored(const struct oci_spec *s)
{
	for (size_t i = 0; i < s->n_mounts; i++)
		if (s->mounts[i].type && !strncmp(s->mounts[i].type, "cgroup", 6))
			oci_warn("mounts[%zu]: a %s mount on %s is skipped (isolate never touches "
				 "cgroups here)",
				 i, s->mounts[i].type, s->mounts[i].dest);
}

static json_t *annotations_of(const struct oci_spec *s)
{
	json_t *a = json_object();

	for (size_t i = 0; i < s->n_annotations; i++)
		json_object_set_new(a, s->annotations[i].key, json_string(s->annotations[i].value));
	return a;
}

/* Joins the namespaces given by path (user first), in create's own process: the init,
 * cloned next, is in them (for pid: its children are, and the init is one). */
static int join_namespaces(const struct oci_spec *s, struct mv_err *e)
{
	for (size_t i = 0; i < ARRAY_SIZE(oci_ns_joins); i++) {
		const struct oci_namespace *ns = &s->ns[oci_ns_joins[i].ns];
		cleanup_fd int fd = -1;

		if (!ns->set || !ns->path)
			continue;
		fd = (int)RETRY_EINTR(open(ns->path, O_RDONLY | O_CLOEXEC));
		if (fd < 0)
			return mv_seterr(e, errno, "linux.namespaces: %s %s",
					 oci_ns_name(oci_ns_joins[i].ns), ns->path);
		if (setns(fd, oci_ns_joins[i].flag))
			return mv_seterr(e, errno, "linux.namespaces: cannot join %s %s",
					 oci_ns_name(oci_ns_joins[i].ns), ns->path);
	}
	return 0;
}

/* A relative --pid-file is the caller's, as runc takes it: create moves to the bundle. */
static int pid_path(const char *pid_file, char *path, size_t len)
{
	char cwd[PATH_MAX];

	if (pid_file[0] == '/') {
		snprintf(path, len, "%s", pid_file);
		return 0;
	}
	if (!getcwd(cwd, sizeof(cwd)) || (size_t)snprintf(path, len, "%s/%s", cwd, pid_file) >= len)
		return oci_fail("--pid-file %s: %s", pid_file,
				strerror(errno ? errno : ENAMETOOLONG));
	return 0;
}

/* The bundle, its config.json, the ID and the root's path, checked before anything is
 * made: a bad one makes nothing. Returns OCI_OK, or OCI_FAIL after saying why. */
static int resolve(struct create *cr)
{
	struct oci_spec *s = &cr->out->spec;
	char path[PATH_MAX + 32];
	const char *sep;

	if (!realpath(cr->o->bundle, cr->bundle))
		return oci_fail("--bundle %s: %s", cr->o->bundle, strerror(errno));
	if (cr->o->pid_file && pid_path(cr->o->pid_file, cr->pid_path, sizeof(cr->pid_path)))
		return OCI_FAIL;
	snprintf(path, sizeof(path), "%s/config.json", cr->bundle);
	if (oci_spec_load(path, s, &cr->err) || oci_id_check(cr->id, &cr->err))
		return oci_fail("%s", cr->err.msg);
	sep = s->root[0] == '/' ? "" : "/";
	if ((size_t)snprintf(path, sizeof(path), "%s%s%s", *sep ? cr->bundle : "", sep, s->root) >=
	    sizeof(path))
		return oci_fail("root.path %s: too long", s->root);
	if (!realpath(path, cr->rootfs))
		return oci_fail("root.path %s: %s", path, strerror(errno));
	if (plan(s, cr->o, cr->rootfs, &cr->err))
		return oci_fail("%s", cr->err.msg);
	return OCI_OK;
}

/* The state folder (locked) and its state.json, "creating". Returns 0, or -1 with a reason
 * (-1 without the folder: nothing to remove). */
static int record(struct create *cr)
{
	const struct oci_spec *s = &cr->out->spec;
	struct oci_state *st = &cr->out->st;

	cr->out->dirfd = oci_state_open(cr->id, true, true, &cr->err);
	if (cr->out->dirfd < 0)
		return -1;
	say_ignored(s);
	if (oci_cgroup_apply(&s->resources, cr->id, &cr->cg, &cr->err))
		return -1;
	snprintf(st->cgroup, sizeof(st->cgroup), "%s", cr->cg.dir);
	snprintf(st->id, sizeof(st->id), "%s", cr->id);
	snprintf(st->bundle, sizeof(st->bundle), "%s", cr->bundle);
	snprintf(st->rootfs, sizeof(st->rootfs), "%s", cr->rootfs);
	now_rfc3339(st->created, sizeof(st->created));
	st->annotations = annotations_of(s);
	st->creating = true;
	st->new_pidns = s->ns[OCI_NS_PID].set && !s->ns[OCI_NS_PID].path;
	return oci_state_write(cr->out->dirfd, st, &cr->err);
}

/* What the init takes: the exec FIFO start writes to, the console socket; then create
 * moves to the bundle (bind sources are relative to it, as runc takes them) and joins the
 * namespaces given by path. */
static int prepare(struct create *cr)
{
	int dirfd = cr->out->dirfd;

	if (mkfifoat(dirfd, OCI_FIFO, 0600))
		return mv_seterr(&cr->err, errno, "cannot make the exec FIFO");
	cr->c.fifo_fd = (int)RETRY_EINTR(openat(dirfd, OCI_FIFO, O_RDWR | O_CLOEXEC));
	if (cr->c.fifo_fd < 0)
		return mv_seterr(&cr->err, errno, "cannot open the exec FIFO");
	if (cr->o->console_socket) {
		cr->c.console_fd = oci_console_connect(cr->o->console_socket, &cr->err);
		if (cr->c.console_fd < 0)
			return -1;
	}
	if (chdir(cr->bundle))
		return mv_seterr(&cr->err, errno, "chdir %s", cr->bundle);
	return join_namespaces(&cr->out->spec, &cr->err);
}

/* The init, cloned into the new namespaces (the same orchestration as `isolate
 * PROGRAM`'s): it goes to oci_init_main, create on with its pid. */
static int clone_init(struct create *cr)
{
	const struct oci_spec *s = &cr->out->spec;
	unsigned long long flags = 0;
	bool zombie;

	for (size_t i = 0; i < ARRAY_SIZE(oci_ns_joins); i++)
		if (s->ns[oci_ns_joins[i].ns].set && !s->ns[oci_ns_joins[i].ns].path)
			flags |= (unsigned long long)oci_ns_joins[i].flag;
	cr->c.s = s;
	cr->c.st = &cr->out->st;
	cr->c.rootfs = cr->rootfs;
	cr->c.userns = s->ns[OCI_NS_USER].set && !s->ns[OCI_NS_USER].path;
	if (iso_spawn_clone(&cr->sp, flags, cr->cg.fd, &cr->err))
		return -1;
	if (cr->sp.pid == 0) {
		close(cr->out->dirfd); /* its lock is create's, not the init's */
		cr->c.release_fd = cr->sp.release[0];
		cr->c.report_fd = cr->sp.report[1];
		oci_init_main(&cr->c);
	}
	cr->out->st.pid = cr->sp.pid;
	oci_proc_start(cr->sp.pid, &cr->out->st.start, &zombie);
	return 0;
}

/* A new user namespace's maps: each range of the config's mappings (an unprivileged
 * caller maps only itself, after "deny"). */
static int write_maps(const struct create *cr, struct mv_err *e)
{
	const struct oci_spec *s = &cr->out->spec;
	cleanup_free struct iso_idmap *u = calloc(s->n_uid_maps + 1, sizeof(*u));
	cleanup_free struct iso_idmap *g = calloc(s->n_gid_maps + 1, sizeof(*g));

	if (!u || !g)
		return mv_seterr(e, ENOMEM, "linux.uidMappings, linux.gidMappings");
	for (size_t i = 0; i < s->n_uid_maps; i++)
		u[i] = (struct iso_idmap){ s->uid_maps[i].container, s->uid_maps[i].host,
					   s->uid_maps[i].size };
	for (size_t i = 0; i < s->n_gid_maps; i++)
		g[i] = (struct iso_idmap){ s->gid_maps[i].container, s->gid_maps[i].host,
					   s->gid_maps[i].size };
	return iso_userns_write_maps(cr->sp.pid, geteuid() != 0, u, s->n_uid_maps, g, s->n_gid_maps,
				     e);
}

/* The host's side: the maps, process.oomScoreAdj, the prestart and createRuntime hooks;
 * then the release (the init's host pid, for its hooks) and the init's word. */
static int host_side(struct create *cr)
{
	const struct oci_spec *s = &cr->out->spec;
	cleanup_free char *state = NULL;
	struct iso_spawn_msg m;
	char path[64], v[16];
	int r;

	if (cr->c.userns && write_maps(cr, &cr->err))
		return -1;
	if (s->process.has_oom_score) {
		snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)cr->sp.pid);
		snprintf(v, sizeof(v), "%d", s->process.oom_score_adj);
		if ((r = iso_write_file(path, v)))
			return mv_seterr(&cr->err, -r, "process.oomScoreAdj %s", v);
	}
	state = oci_state_json(&cr->out->st, OCI_CREATING, false);
	if (oci_hooks_run(s, OCI_HOOK_PRESTART, state, &cr->err) ||
	    oci_hooks_run(s, OCI_HOOK_CREATE_RUNTIME, state, &cr->err))
		return -1;
	if (iso_spawn_release(&cr->sp, &cr->sp.pid, sizeof(cr->sp.pid)))
		return mv_seterr(&cr->err, errno, "cannot release the container's init");
	if (!iso_spawn_report(&cr->sp, &m))
		return mv_seterr(&cr->err, 0, "the container's init died during its setup");
	if (m.status)
		return mv_seterr(&cr->err, 0, "%s", m.msg);
	return 0;
}

/* Created: the state says so, the pid file holds the init's pid. */
static int created(struct create *cr)
{
	cr->out->st.creating = false;
	if (oci_state_write(cr->out->dirfd, &cr->out->st, &cr->err))
		return -1;
	if (cr->o->pid_file &&
	    oci_pid_file_write(AT_FDCWD, cr->pid_path, cr->o->pid_file, cr->sp.pid, &cr->err))
		return -1;
	oci_debug("created %s: init pid %d, waiting for start", cr->id, (int)cr->sp.pid);
	return 0;
}

/* Undoes a create that failed: the init, the fds, the state folder. */
static int undo(struct create *cr)
{
	iso_spawn_kill(&cr->sp);
	iso_spawn_close(&cr->sp);
	iso_cgroup_remove(&cr->cg);
	if (cr->c.fifo_fd >= 0)
		close(cr->c.fifo_fd);
	if (cr->c.console_fd >= 0)
		close(cr->c.console_fd);
	if (cr->out->dirfd >= 0)
		oci_state_remove(cr->out->dirfd, cr->id);
	cr->out->dirfd = -1;
	oci_state_free(&cr->out->st);
	oci_spec_free(&cr->out->spec);
	return oci_fail("%s", cr->err.msg);
}

int oci_create(const struct oci_launch_opts *o, const char *id, struct oci_created *out)
{
	struct create cr = { .o = o, .id = id, .out = out, .cg = { .fd = -1 } };

	memset(out, 0, sizeof(*out));
	out->dirfd = -1;
	cr.c = (struct oci_init){ .console_fd = -1,
				  .fifo_fd = -1,
				  .preserve_fds = o->preserve_fds };
	iso_spawn_init(&cr.sp);
	if (resolve(&cr))
		return OCI_FAIL;
	if (record(&cr) || prepare(&cr) || clone_init(&cr) || host_side(&cr) || created(&cr))
		return undo(&cr);
	iso_spawn_close(&cr.sp);
	if (cr.cg.fd >= 0)
		close(cr.cg.fd);
	close(cr.c.fifo_fd);
	if (cr.c.console_fd >= 0)
		close(cr.c.console_fd);
	out->pid = cr.sp.pid;
	return OCI_OK;
}

void oci_created_free(struct oci_created *cr)
{
	if (cr->dirfd >= 0)
		close(cr->dirfd);
	oci_state_free(&cr->st);
	oci_spec_free(&cr->spec);
}

int oci_cmd_create(int argc, char **argv)
{
	struct oci_launch_opts o;
	struct oci_created cr;
	int r = oci_launch_parse(argc, argv, OCI_LAUNCH_CREATE, &o);

	if (r)
		return r;
	r = oci_create(&o, argv[o.id], &cr);
	if (r == OCI_OK)
		oci_created_free(&cr);
	return r;
}
