/* SPDX-License-Identifier: MIT */
/* isolate/oci_exec.c: `isolate exec`: another process in a running container: its
 * namespaces joined (setns), its root, the process of --process FILE (or the config's with
 * other args), the config's seccomp profile. */
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base.h"
#include "oci.h"
#include "oci_launch.h"
#include "oci_process.h"
#include "oci_spec.h"
#include "oci_state.h"
#include "oci_cgroup.h"
#include "ns_spawn.h"

/* One exec's state: the container's, the process's, and what is opened before the first
 * setns. */
struct exec {
	struct oci_launch_opts o;
	char **argv;
	int dirfd; /* the container's state folder, locked until the fork */
	struct oci_state st;
	struct oci_spec s;
	struct oci_process proc;     /* --process FILE's */
	const struct oci_process *p; /* the one that runs: &proc, or the config's */
	void *pjson;                 /* proc's JSON */
	const char **saved_args;     /* the config's args, while argv's stand in */
	int console;                 /* the console socket, or -1 */
	int piddir;                  /* the pid file's folder, or -1 */
	const char *pid_name;        /* the pid file's name in it */
	int rootfd;                  /* the container's root */
	int nsfd[OCI_NS_COUNT];      /* by oci_ns_joins' order: those to join, else -1 */
	struct iso_spawn sp;         /* the process and its report pipe */
};

static int read_file(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "re");
	size_t cap = 1 << 20;

	if (!f)
		return -1;
	*text = malloc(cap);
	*len = *text ? fread(*text, 1, cap, f) : 0;
	fclose(f);
	return *text ? 0 : -1;
}

/* The container's state (it must be running) and its bundle's config.json. Returns OCI_OK,
 * or OCI_FAIL after saying why, with nothing left open. */
static int load(struct exec *x, const char *id)
{
	char path[PATH_MAX + 32];
	struct mv_err err = { "" };
	enum oci_status now;

	x->dirfd = oci_state_open(id, false, true, &err);
	if (x->dirfd < 0)
		return oci_fail("%s", err.msg);
	if (oci_state_read(x->dirfd, id, &x->st, &err)) {
		close(x->dirfd);
		return oci_fail("%s", err.msg);
	}
	now = oci_state_status(x->dirfd, &x->st);
	snprintf(path, sizeof(path), "%s/config.json", x->st.bundle);
	if (now != OCI_RUNNING)
		oci_fail("exec: container %s is %s, not running", x->st.id, oci_status_name(now));
	else if (oci_spec_load(path, &x->s, &err))
		oci_fail("exec: %s", err.msg);
	else
		return OCI_OK;
	close(x->dirfd);
	oci_state_free(&x->st);
	return OCI_FAIL;
}

/* The process: --process FILE's, or the config's with argv's args (and -t, --cwd). */
static int choose_process(struct exec *x)
{
	struct oci_process *p = &x->s.process;
	cleanup_free char *text = NULL;
	struct mv_err err = { "" };
	size_t len;

	if (!x->o.process) {
		x->saved_args = p->args;
		p->args = (const char **)(x->argv + x->o.id + 1);
		if (x->o.cwd)
			p->cwd = x->o.cwd;
		p->terminal = x->o.tty;
		x->p = p;
		return OCI_OK;
	}
	if (read_file(x->o.process, &text, &len))
		return oci_fail("exec: --process %s: %s", x->o.process, strerror(errno));
	if (oci_process_parse(text, len, &x->proc, &x->pjson, &err))
		return oci_fail("exec: --process %s: %s", x->o.process, err.msg);
	x->p = &x->proc;
	return OCI_OK;
}

/* The console socket, when the process has a terminal (and only then). */
static int console(struct exec *x)
{
	struct mv_err e = { "" };

	if (x->p->terminal != (x->o.console_socket != NULL))
		return oci_fail("exec: %s", x->p->terminal
						    ? "a terminal needs --console-socket"
						    : "--console-socket without a terminal (-t, or "
						      "process.terminal)");
	if (!x->o.console_socket)
		return OCI_OK;
	x->console = oci_console_connect(x->o.console_socket, &e);
	return x->console < 0 ? oci_fail("exec: %s", e.msg) : OCI_OK;
}

/* The pid file's folder, opened now: the file is written after the setns. */
static int open_pid_dir(struct exec *x)
{
	cleanup_free char *dir = strdup(x->o.pid_file);
	char *slash = dir ? strrchr(dir, '/') : NULL;

	x->pid_name = slash ? x->o.pid_file + (slash - dir) + 1 : x->o.pid_file;
	if (slash)
		slash[slash == dir ? 1 : 0] = '\0';
	x->piddir = (int)RETRY_EINTR(open(slash ? dir : ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
	if (x->piddir < 0)
		return oci_fail("exec: --pid-file %s: %s", x->o.pid_file, strerror(errno));
	return OCI_OK;
}

/* Whether the namespace /proc/PID/ns/name of pid is ours already. */
static bool ours(pid_t pid, const char *name)
{
	char path[64], mine[64], theirs[64];
	long a, b;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, name);
	b = readlink(path, theirs, sizeof(theirs));
	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	a = readlink(path, mine, sizeof(mine));
	return a > 0 && a == b && !memcmp(mine, theirs, (size_t)a);
}

/* Everything opened before the first setns: the pid file's folder, the container's root
 * and the namespaces that are not already ours (setns would refuse our own user
 * namespace). */
static int open_before_join(struct exec *x)
{
	char path[64];

	if (x->o.pid_file && open_pid_dir(x))
		return OCI_FAIL;
	snprintf(path, sizeof(path), "/proc/%d/root", (int)x->st.pid);
	x->rootfd = (int)RETRY_EINTR(open(path, O_PATH | O_DIRECTORY | O_CLOEXEC));
	if (x->rootfd < 0)
		return oci_fail("exec: %s: %s", path, strerror(errno));
	for (size_t i = 0; i < ARRAY_SIZE(oci_ns_joins); i++) {
		if (!x->s.ns[oci_ns_joins[i].ns].set || ours(x->st.pid, oci_ns_joins[i].proc))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)x->st.pid,
			 oci_ns_joins[i].proc);
		x->nsfd[i] = (int)RETRY_EINTR(open(path, O_RDONLY | O_CLOEXEC));
		if (x->nsfd[i] < 0)
			return oci_fail("exec: %s: %s", path, strerror(errno));
	}
	return OCI_OK;
}

static int join(const struct exec *x)
{
	struct mv_err e = { "" };

	/* first the container's cgroup (linux.resources), by its host path */
	if (x->st.cgroup[0] && oci_cgroup_join(x->st.cgroup, &e))
		return oci_fail("exec: %s", e.msg);
	for (size_t i = 0; i < ARRAY_SIZE(oci_ns_joins); i++)
		if (x->nsfd[i] >= 0 && setns(x->nsfd[i], oci_ns_joins[i].flag))
			return oci_fail("exec: cannot join the container's %s namespace: %s",
					oci_ns_joins[i].proc, strerror(errno));
	return OCI_OK;
}

/* The process, in the container's namespaces: its root, its console, ids and capabilities
 * (oci_launch.c), the config's seccomp profile, the exec. */
__attribute__((noreturn)) static void exec_child(const struct exec *x)
{
	char prog[PATH_MAX];
	struct mv_err e = { "" };

	if (fchdir(x->rootfd) || chroot(".") || chdir("/")) {
		mv_seterr(&e, errno, "cannot enter the container's root");
		iso_spawn_fail(x->sp.report[1], 126, e.msg);
	}
	if (x->console < 0 && setsid() < 0) {
		/* a process group leader already: keep its session */
	}
	if (oci_launch_prepare(x->p, x->console, x->o.preserve_fds, prog, &e) == 0)
		oci_process_finish(x->p, &x->s.seccomp, prog, &e);
	iso_spawn_fail(x->sp.report[1], 126, e.msg);
}

/* The fork (a clone3 with no new namespace, through the one orchestration), the process's
 * word (EOF at its exec), the pid file, and without --detach, the wait. */
static int run(struct exec *x)
{
	struct iso_spawn_msg m;
	struct mv_err e = { "" };
	int status;

	close(x->dirfd); /* the lock: others may act on the container while this runs */
	x->dirfd = -1;
	if (iso_spawn_clone(&x->sp, 0, -1, &e))
		return oci_fail("exec: %s", e.msg);
	if (x->sp.pid == 0)
		exec_child(x);
	close(x->sp.release[1]); /* nothing to release: the process goes on at once */
	x->sp.release[1] = -1;
	if (iso_spawn_report(&x->sp, &m)) {
		RETRY_EINTR(waitpid(x->sp.pid, NULL, 0));
		return oci_fail("exec: %s", m.msg);
	}
	if (x->o.pid_file &&
	    oci_pid_file_write(x->piddir, x->pid_name, x->o.pid_file, x->sp.pid, &e))
		return oci_fail("exec: %s", e.msg);
	if (x->o.detach)
		return OCI_OK;
	if (RETRY_EINTR(waitpid(x->sp.pid, &status, 0)) < 0)
		return oci_fail("exec: waitpid: %s", strerror(errno));
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

static void exec_free(struct exec *x)
{
	int *fds[] = { &x->dirfd, &x->console, &x->piddir, &x->rootfd };

	for (size_t i = 0; i < ARRAY_SIZE(x->nsfd); i++)
		if (x->nsfd[i] >= 0)
			close(x->nsfd[i]);
	for (size_t i = 0; i < ARRAY_SIZE(fds); i++)
		if (*fds[i] >= 0)
			close(*fds[i]);
	iso_spawn_close(&x->sp);
	if (x->p == &x->proc)
		oci_process_free(&x->proc, x->pjson);
	else if (x->saved_args)
		x->s.process.args = x->saved_args; /* not argv's: those are not to be freed */
	oci_spec_free(&x->s);
	oci_state_free(&x->st);
}

int oci_cmd_exec(int argc, char **argv)
{
	struct exec x = { .argv = argv, .console = -1, .piddir = -1, .rootfd = -1 };
	int r = oci_launch_parse(argc, argv, OCI_LAUNCH_EXEC, &x.o);

	if (r)
		return r;
	for (size_t i = 0; i < ARRAY_SIZE(x.nsfd); i++)
		x.nsfd[i] = -1;
	iso_spawn_init(&x.sp);
	if (load(&x, argv[x.o.id]))
		return OCI_FAIL;
	r = choose_process(&x);
	if (!r)
		r = console(&x);
	if (!r)
		r = open_before_join(&x);
	if (!r)
		r = join(&x);
	if (!r)
		r = run(&x);
	exec_free(&x);
	return r;
}
