/* SPDX-License-Identifier: MIT */
/* isolate/oci_container.c: the OCI lifecycle after create (oci_create.c): start, run,
 * state, kill, delete and list. */
#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base.h"
#include "oci.h"
#include "oci_cgroup.h"
#include "oci_create.h"
#include "oci_hooks.h"
#include "oci_spec.h"
#include "oci_state.h"

#define OCI_DELETE_WAIT_MS 10000 /* delete: how long the killed init may take to die */

/* Releases a created container's init (one byte into its FIFO), then the poststart hooks
 * (a failure there is a warning, as the specification says). */
static int do_start(int dirfd, struct oci_state *st, const struct oci_spec *s)
{
	enum oci_status now = oci_state_status(dirfd, st);
	cleanup_fd int fd = -1;
	struct mv_err err = { "" };

	if (now != OCI_CREATED)
		return oci_fail("cannot start container %s: it is %s, not created", st->id,
				oci_status_name(now));
	fd = (int)RETRY_EINTR(openat(dirfd, OCI_FIFO, O_WRONLY | O_NONBLOCK | O_CLOEXEC));
	if (fd < 0)
		return oci_fail("cannot start container %s: its init is gone (%s)", st->id,
				strerror(errno));
	if (RETRY_EINTR(write(fd, "0", 1)) != 1)
		return oci_fail("cannot start container %s: %s", st->id, strerror(errno));
	unlinkat(dirfd, OCI_FIFO, 0);
	oci_debug("started %s (init pid %d)", st->id, (int)st->pid);
	if (s && s->n_hooks[OCI_HOOK_POSTSTART]) {
		cleanup_free char *state = oci_state_json(st, OCI_RUNNING, false);

		if (oci_hooks_run(s, OCI_HOOK_POSTSTART, state, &err))
			oci_warn("%s", err.msg);
	}
	return OCI_OK;
}

/* "start ID", "state ID", ...: the one ID after the command. */
static int one_id(int argc, char **argv, const char **id)
{
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "isolate: %s: needs exactly one container ID (isolate %s ID)\n",
			argv[0], argv[0]);
		return OCI_USAGE;
	}
	*id = argv[1];
	return OCI_OK;
}

/* The container's spec, from its bundle (for the hooks); NULL with a warning if unreadable. */
static bool load_bundle_spec(const struct oci_state *st, struct oci_spec *s)
{
	char path[PATH_MAX + 16];
	struct mv_err err = { "" };

	snprintf(path, sizeof(path), "%s/config.json", st->bundle);
	if (oci_spec_load(path, s, &err)) {
		oci_warn("%s: the hooks cannot run: %s", st->id, err.msg);
		return false;
	}
	return true;
}

/* state_load: opens the state folder of container ID (locked when LOCK) and reads its state
 * into ST. Returns the folder's fd, or -1 after saying why (oci_fail). */
static int state_load(const char *id, bool lock, struct oci_state *st)
{
	struct mv_err err = { "" };
	int dirfd = oci_state_open(id, false, lock, &err);

	if (dirfd >= 0 && oci_state_read(dirfd, id, st, &err)) {
		close(dirfd);
		dirfd = -1;
	}
	if (dirfd < 0)
		oci_fail("%s", err.msg);
	return dirfd;
}

int oci_cmd_start(int argc, char **argv)
{
	struct oci_state st;
	struct oci_spec s;
	const char *id;
	int dirfd, r = one_id(argc, argv, &id);
	bool have;

	if (r)
		return r;
	dirfd = state_load(id, true, &st);
	if (dirfd < 0)
		return OCI_FAIL;
	have = load_bundle_spec(&st, &s);
	r = do_start(dirfd, &st, have ? &s : NULL);
	if (have)
		oci_spec_free(&s);
	oci_state_free(&st);
	close(dirfd);
	return r;
}

int oci_cmd_state(int argc, char **argv)
{
	struct oci_state st;
	cleanup_free char *text = NULL;
	const char *id;
	int dirfd, r = one_id(argc, argv, &id);

	if (r)
		return r;
	dirfd = state_load(id, false, &st);
	if (dirfd < 0)
		return OCI_FAIL;
	text = oci_state_json(&st, oci_state_status(dirfd, &st), true);
	oci_state_free(&st);
	close(dirfd);
	if (!text)
		return oci_fail("state: out of memory");
	printf("%s\n", text);
	return OCI_OK;
}

/* kill's and delete's one flag (long or short), before the ID: sets *flag when given.
 * Returns the index of the first word after the options, or -1 after a usage line. */
static int flag_opt(int argc, char **argv, const char *lng, const char *shrt, bool *flag)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], lng) && strcmp(argv[i], shrt)) {
			fprintf(stderr, "isolate: %s: unknown option %s (%s)\n", argv[0], argv[i],
				lng);
			return -1;
		}
		*flag = true;
	}
	return i;
}

/* A signal by number (15) or name (TERM, SIGTERM, any case). Returns it, or -1. */
static int parse_signal(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (end != s && !*end)
		return n >= 1 && n < NSIG ? (int)n : -1;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (int sig = 1; sig < NSIG; sig++) {
		const char *name = sigabbrev_np(sig);

		if (name && !strcasecmp(s, name))
			return sig;
	}
	return -1;
}

/* Every process in the PID namespace of pid (kill --all): the init's namespace's. */
static int kill_all(pid_t pid, int sig)
{
	char path[64], want[64], have[64];
	struct dirent *e;
	DIR *d;
	long n;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	n = readlink(path, want, sizeof(want) - 1);
	if (n <= 0)
		return -1;
	want[n] = '\0';
	d = opendir("/proc");
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		int p = atoi(e->d_name);

		if (p <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/pid", p);
		n = readlink(path, have, sizeof(have) - 1);
		if (n <= 0)
			continue;
		have[n] = '\0';
		if (!strcmp(have, want))
			kill(p, sig);
	}
	closedir(d);
	return 0;
}

int oci_cmd_kill(int argc, char **argv)
{
	bool all = false;
	struct oci_state st;
	enum oci_status now;
	const char *id, *signame = "SIGTERM";
	int i, sig, dirfd, r = OCI_OK;

	i = flag_opt(argc, argv, "--all", "-a", &all);
	if (i < 0)
		return OCI_USAGE;
	if (i >= argc || argc - i > 2) {
		fprintf(stderr, "isolate: kill: isolate kill [--all] ID [SIGNAL]\n");
		return OCI_USAGE;
	}
	id = argv[i];
	if (argc - i == 2)
		signame = argv[i + 1];
	sig = parse_signal(signame);
	if (sig < 0)
		return oci_fail("kill: '%s' is not a signal (a name such as TERM or SIGKILL, or a "
				"number 1..%d)",
				signame, NSIG - 1);
	dirfd = state_load(id, true, &st);
	if (dirfd < 0)
		return OCI_FAIL;
	now = oci_state_status(dirfd, &st);
	if (now != OCI_CREATED && now != OCI_RUNNING)
		r = oci_fail("kill: container %s is %s: nothing to signal", id,
			     oci_status_name(now));
	else if (all && st.new_pidns ? kill_all(st.pid, sig) : kill(st.pid, sig))
		r = oci_fail("kill %s: %s", id, strerror(errno));
	else
		oci_debug("kill: SIG%s to %s%s (pid %d)", sigabbrev_np(sig),
			  all ? "every process "
				"of "
			      : "",
			  id, (int)st.pid);
	oci_state_free(&st);
	close(dirfd);
	return r;
}

/* Waits until pid has exited (a zombie counts: its parent reaps it, not isolate). */
static void wait_gone(pid_t pid)
{
	cleanup_fd int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	if (pidfd >= 0)
		RETRY_EINTR(poll(&p, 1, OCI_DELETE_WAIT_MS));
}

/* Removes a container whose state dirfd holds (locked): its init killed when still there,
 * the poststop hooks, the state folder. */
static int do_delete(int dirfd, struct oci_state *st, bool force)
{
	enum oci_status now = oci_state_status(dirfd, st);
	struct mv_err err = { "" };
	struct oci_spec s;

	if (now == OCI_RUNNING && !force) {
		close(dirfd);
		return oci_fail("cannot delete container %s: it is running (stop it, or "
				"delete --force)",
				st->id);
	}
	if (now == OCI_CREATED || now == OCI_RUNNING) {
		if (st->new_pidns)
			kill_all(st->pid, SIGKILL);
		kill(st->pid, SIGKILL);
		wait_gone(st->pid);
	}
	oci_cgroup_remove(st->cgroup);
	if (!st->creating && load_bundle_spec(st, &s)) {
		if (s.n_hooks[OCI_HOOK_POSTSTOP]) {
			cleanup_free char *state = oci_state_json(st, OCI_STOPPED, false);

			if (oci_hooks_run(&s, OCI_HOOK_POSTSTOP, state, &err))
				oci_warn("%s", err.msg);
		}
		oci_spec_free(&s);
	}
	if (oci_state_remove(dirfd, st->id))
		return oci_fail("delete %s: cannot remove %s/%s: %s", st->id, oci_g.root, st->id,
				strerror(errno));
	oci_debug("deleted %s", st->id);
	return OCI_OK;
}

int oci_cmd_delete(int argc, char **argv)
{
	bool force = false;
	struct oci_state st;
	int i, dirfd, r;

	i = flag_opt(argc, argv, "--force", "-f", &force);
	if (i < 0)
		return OCI_USAGE;
	if (argc - i != 1) {
		fprintf(stderr, "isolate: delete: isolate delete [--force] ID\n");
		return OCI_USAGE;
	}
	dirfd = state_load(argv[i], true, &st);
	if (dirfd < 0)
		return OCI_FAIL;
	r = do_delete(dirfd, &st, force);
	oci_state_free(&st);
	return r;
}

/* run without --detach: waits for the init, forwarding the signals of set to it, with the
 * signals still blocked; returns its wait status. */
static int wait_forwarding(pid_t pid, const sigset_t *set)
{
	int status = 0;

	for (;;) {
		siginfo_t si;
		int sig = (int)RETRY_EINTR(sigwaitinfo(set, &si));

		if (sig == SIGCHLD) {
			if (RETRY_EINTR(waitpid(pid, &status, WNOHANG)) == pid)
				return status;
		} else if (sig > 0) {
			kill(pid, sig);
		}
	}
}

int oci_cmd_run(int argc, char **argv)
{
	static const int fwd[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH };
	struct oci_launch_opts o;
	struct oci_created cr;
	sigset_t set, old;
	int r = oci_launch_parse(argc, argv, OCI_LAUNCH_RUN, &o), status;
	struct mv_err err = { "" };

	if (r)
		return r;
	/* signals wait, blocked, from before the init exists: none is lost */
	sigemptyset(&set);
	for (size_t i = 0; i < ARRAY_SIZE(fwd); i++)
		sigaddset(&set, fwd[i]);
	sigaddset(&set, SIGCHLD);
	signal(SIGCHLD, SIG_DFL);
	sigprocmask(SIG_BLOCK, &set, &old);
	r = oci_create(&o, argv[o.id], &cr);
	if (r)
		return r;
	r = do_start(cr.dirfd, &cr.st, &cr.spec);
	if (r || o.detach) {
		if (r) {
			do_delete(cr.dirfd, &cr.st, true);
			cr.dirfd = -1;
		}
		oci_created_free(&cr);
		return r;
	}
	close(cr.dirfd); /* others may state, kill, exec meanwhile */
	cr.dirfd = -1;
	status = wait_forwarding(cr.pid, &set);
	sigprocmask(SIG_SETMASK, &old, NULL);
	cr.dirfd = oci_state_open(argv[o.id], false, true, &err);
	if (cr.dirfd >= 0) {
		do_delete(cr.dirfd, &cr.st, true);
		cr.dirfd = -1;
	}
	oci_created_free(&cr);
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

/* How list prints. */
struct list_format {
	bool quiet; /* --quiet: the IDs alone */
	bool json;  /* --format json: one array */
};

/* list's options. Returns OCI_OK, or OCI_FAIL / OCI_USAGE after saying why. */
static int list_opts(int argc, char **argv, struct list_format *fmt)
{
	*fmt = (struct list_format){ false, false };
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
			fmt->quiet = true;
		} else if ((!strcmp(argv[i], "--format") || !strcmp(argv[i], "-f")) &&
			   i + 1 < argc) {
			fmt->json = !strcmp(argv[++i], "json");
			if (!fmt->json && strcmp(argv[i], "table"))
				return oci_fail("list: --format '%s': table or json", argv[i]);
		} else {
			fprintf(stderr,
				"isolate: list: isolate list [--quiet] [--format table|json]\n");
			return OCI_USAGE;
		}
	}
	return OCI_OK;
}

/* One container's line (or JSON object, into all), when name is one. */
static void list_one(const char *name, const struct list_format *fmt, json_t *all)
{
	struct mv_err err = { "" };
	struct oci_state st;
	enum oci_status now;
	cleanup_fd int fd = -1;
	pid_t pid;

	if (name[0] == '.' || oci_id_check(name, &err))
		return;
	fd = oci_state_open(name, false, false, &err);
	if (fd < 0 || oci_state_read(fd, name, &st, &err))
		return;
	now = oci_state_status(fd, &st);
	pid = now == OCI_STOPPED ? 0 : st.pid;
	if (fmt->quiet)
		printf("%s\n", st.id);
	else if (fmt->json)
		json_array_append_new(all,
				      json_pack("{s:s, s:I, s:s, s:s, s:s}", "id", st.id, "pid",
						(json_int_t)pid, "status", oci_status_name(now),
						"bundle", st.bundle, "created", st.created));
	else
		printf("%-12s %-8d %-10s %-40s %s\n", st.id, (int)pid, oci_status_name(now),
		       st.bundle, st.created);
	oci_state_free(&st);
}

int oci_cmd_list(int argc, char **argv)
{
	struct list_format fmt;
	json_t *all;
	struct dirent *e;
	DIR *d;
	int r = list_opts(argc, argv, &fmt);

	if (r)
		return r;
	all = json_array();
	d = opendir(oci_g.root);
	if (!fmt.quiet && !fmt.json)
		printf("%-12s %-8s %-10s %-40s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED");
	while (d && (e = readdir(d)))
		list_one(e->d_name, &fmt, all);
	if (d)
		closedir(d);
	if (fmt.json) {
		char *text = json_dumps(all, JSON_COMPACT);

		printf("%s\n", text ? text : "[]");
		free(text);
	}
	json_decref(all);
	return OCI_OK;
}
