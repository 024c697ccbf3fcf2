/* isolate/oci_exec.c: `isolate exec`: another process in a running container: its
 * namespaces joined (setns), its root, the process of --process FILE (or the config's with
 * other args), the config's seccomp profile. */
#include <fcntl.h>
#include <limits.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "oci.h"
#include "oci_process.h"
#include "oci_spec.h"
#include "oci_state.h"
#include "base.h"

struct exec_opts {
	const char *process;        /* --process FILE: a process object (JSON) */
	const char *pid_file;       /* --pid-file FILE */
	const char *console_socket; /* --console-socket PATH */
	bool detach;                /* --detach: return once it runs */
	bool tty;                   /* -t, --tty: a terminal (with the args form) */
	const char *cwd;            /* --cwd DIR (args form) */
	int preserve_fds;           /* --preserve-fds N */
};

/* /proc/PID/ns names, in the order they are joined: the user namespace first. */
static const struct {
	enum oci_ns ns;
	const char *proc;
	int flag;
} joins[] = {
	{ OCI_NS_USER, "user", CLONE_NEWUSER }, { OCI_NS_IPC, "ipc", CLONE_NEWIPC },
	{ OCI_NS_UTS, "uts", CLONE_NEWUTS },    { OCI_NS_NET, "net", CLONE_NEWNET },
	{ OCI_NS_PID, "pid", CLONE_NEWPID },    { OCI_NS_CGROUP, "cgroup", CLONE_NEWCGROUP },
	{ OCI_NS_MOUNT, "mnt", CLONE_NEWNS },
};

static int parse_exec(int argc, char **argv, struct exec_opts *o, int *first)
{
	static const struct option opts[] = {
		{ "process", required_argument, NULL, 'p' },
		{ "pid-file", required_argument, NULL, 'P' },
		{ "console-socket", required_argument, NULL, 'c' },
		{ "detach", no_argument, NULL, 'd' },
		{ "tty", no_argument, NULL, 't' },
		{ "cwd", required_argument, NULL, 'w' },
		{ "preserve-fds", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+p:dt", opts, NULL)) != -1) {
		switch (c) {
		case 'p': o->process = optarg; break;
		case 'P': o->pid_file = optarg; break;
		case 'c': o->console_socket = optarg; break;
		case 'd': o->detach = true; break;
		case 't': o->tty = true; break;
		case 'w': o->cwd = optarg; break;
		case 'f': o->preserve_fds = atoi(optarg); break;
		default:
			fprintf(stderr, "isolate: exec: unknown option or missing value: %s\n",
				argv[optind - 1]);
			return OCI_USAGE;
		}
	}
	if (optind >= argc || (!o->process && optind + 1 >= argc)) {
		fprintf(stderr, "isolate: exec: isolate exec [OPTIONS] ID [ARGS...] (ARGS or "
				"--process FILE)\n");
		return OCI_USAGE;
	}
	*first = optind;
	return OCI_OK;
}

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

struct exec_msg {
	char text[ISO_ERR_LEN];
};

__attribute__((noreturn)) static void exec_child(const struct oci_process *p,
						 const struct oci_seccomp *sc, int rootfd,
						 int report, int console, int preserve)
{
	struct exec_msg m;
	char prog[PATH_MAX];

	if (fchdir(rootfd) || chroot(".") || chdir("/")) {
		iso_seterr(m.text, errno, "cannot enter the container's root");
		goto fail;
	}
	if (console >= 0) {
		if (oci_console_open(console, p->cons_height, p->cons_width, m.text))
			goto fail;
	} else if (setsid() < 0) {
		/* a process group leader already: keep its session */
	}
	for (int fd = 3; fd < 3 + preserve; fd++) {
		int fl = fcntl(fd, F_GETFD);

		if (fl >= 0)
			fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC);
	}
	if (oci_process_find(p, prog, m.text) || oci_process_setup(p, m.text))
		goto fail;
	oci_process_finish(p, sc, prog, m.text);
fail:
	if (write(report, &m, sizeof(m)) < 0) {
		/* exec's parent is gone */
	}
	_exit(126);
}

int oci_cmd_exec(int argc, char **argv)
{
	struct exec_opts o;
	struct oci_state st;
	struct oci_spec s;
	struct oci_process proc, *p = &s.process;
	void *pjson = NULL;
	char err[ISO_ERR_LEN], path[PATH_MAX + 32];
	int first, dirfd, rep[2] = { -1, -1 }, r, status = 0;
	cleanup_fd int rootfd = -1, console = -1, piddir = -1;
	const char *pid_name = NULL;
	int nsfd[ARRAY_SIZE(joins)];
	const char **saved_args = NULL;
	struct exec_msg m;
	pid_t child;
	long n;

	r = parse_exec(argc, argv, &o, &first);
	if (r)
		return r;
	for (size_t i = 0; i < ARRAY_SIZE(joins); i++)
		nsfd[i] = -1;
	dirfd = oci_state_open(argv[first], false, true, err);
	if (dirfd < 0)
		return oci_fail("%s", err);
	if (oci_state_read(dirfd, argv[first], &st, err)) {
		close(dirfd);
		return oci_fail("%s", err);
	}
	if (oci_state_status(dirfd, &st) != OCI_RUNNING) {
		r = oci_fail("exec: container %s is %s, not running", st.id,
			     oci_status_name(oci_state_status(dirfd, &st)));
		close(dirfd);
		oci_state_free(&st);
		return r;
	}
	snprintf(path, sizeof(path), "%s/config.json", st.bundle);
	if (oci_spec_load(path, &s, err)) {
		close(dirfd);
		oci_state_free(&st);
		return oci_fail("exec: %s", err);
	}
	if (o.process) {
		cleanup_free char *text = NULL;
		size_t len;

		if (read_file(o.process, &text, &len)) {
			r = oci_fail("exec: --process %s: %s", o.process, strerror(errno));
			goto out;
		}
		if (oci_process_parse(text, len, &proc, &pjson, err)) {
			r = oci_fail("exec: --process %s: %s", o.process, err);
			goto out;
		}
		p = &proc;
	} else {
		saved_args = p->args;
		p->args = (const char **)(argv + first + 1);
		if (o.cwd)
			p->cwd = o.cwd;
		p->terminal = o.tty;
	}
	if (p->terminal != (o.console_socket != NULL)) {
		r = oci_fail(
			"exec: %s",
			p->terminal
				? "a terminal needs --console-socket"
				: "--console-socket without a terminal (-t, or process.terminal)");
		goto out;
	}
	if (o.console_socket) {
		struct sockaddr_un a = { .sun_family = AF_UNIX };

		snprintf(a.sun_path, sizeof(a.sun_path), "%s", o.console_socket);
		console = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (console < 0 || connect(console, (struct sockaddr *)&a, sizeof(a))) {
			r = oci_fail("exec: --console-socket %s: %s", o.console_socket,
				     strerror(errno));
			goto out;
		}
	}
	/* Everything opened before the first setns: the pid file's folder, the container's
	 * root and namespaces. */
	if (o.pid_file) {
		cleanup_free char *dir = strdup(o.pid_file);
		char *slash = dir ? strrchr(dir, '/') : NULL;

		pid_name = slash ? o.pid_file + (slash - dir) + 1 : o.pid_file;
		if (slash)
			slash[slash == dir ? 1 : 0] = '\0';
		piddir =
			(int)RETRY_EINTR(open(slash ? dir : ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
		if (piddir < 0) {
			r = oci_fail("exec: --pid-file %s: %s", o.pid_file, strerror(errno));
			goto out;
		}
	}
	snprintf(path, sizeof(path), "/proc/%d/root", (int)st.pid);
	rootfd = (int)RETRY_EINTR(open(path, O_PATH | O_DIRECTORY | O_CLOEXEC));
	if (rootfd < 0) {
		r = oci_fail("exec: %s: %s", path, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < ARRAY_SIZE(joins); i++) {
		char self[64], mine[64], theirs[64];
		long a, b;

		if (!s.ns[joins[i].ns].set)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)st.pid, joins[i].proc);
		b = readlink(path, theirs, sizeof(theirs));
		snprintf(self, sizeof(self), "/proc/self/ns/%s", joins[i].proc);
		a = readlink(self, mine, sizeof(mine));
		if (a > 0 && a == b && !memcmp(mine, theirs, (size_t)a))
			continue; /* the same as ours (setns would refuse a user namespace) */
		nsfd[i] = (int)RETRY_EINTR(open(path, O_RDONLY | O_CLOEXEC));
		if (nsfd[i] < 0) {
			r = oci_fail("exec: %s: %s", path, strerror(errno));
			goto out;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(joins); i++)
		if (nsfd[i] >= 0 && setns(nsfd[i], joins[i].flag)) {
			r = oci_fail("exec: cannot join the container's %s namespace: %s",
				     joins[i].proc, strerror(errno));
			goto out;
		}
	if (pipe2(rep, O_CLOEXEC)) {
		r = oci_fail("exec: pipe: %s", strerror(errno));
		goto out;
	}
	close(dirfd); /* the lock: others may act on the container while this runs */
	dirfd = -1;
	fflush(NULL);
	child = fork();
	if (child < 0) {
		r = oci_fail("exec: fork: %s", strerror(errno));
		goto out;
	}
	if (child == 0) {
		close(rep[0]);
		exec_child(p, &s.seccomp, rootfd, rep[1], console, o.preserve_fds);
	}
	close(rep[1]);
	rep[1] = -1;
	n = RETRY_EINTR(read(rep[0], &m, sizeof(m)));
	if (n == sizeof(m)) {
		m.text[sizeof(m.text) - 1] = '\0';
		RETRY_EINTR(waitpid(child, NULL, 0));
		r = oci_fail("exec: %s", m.text);
		goto out;
	}
	if (o.pid_file) {
		int fd = (int)RETRY_EINTR(
			openat(piddir, pid_name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
		FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

		if (!f || fprintf(f, "%d", (int)child) < 0 || fclose(f)) {
			r = oci_fail("exec: --pid-file %s: %s", o.pid_file, strerror(errno));
			goto out;
		}
	}
	r = OCI_OK;
	if (!o.detach) {
		if (RETRY_EINTR(waitpid(child, &status, 0)) < 0)
			r = oci_fail("exec: waitpid: %s", strerror(errno));
		else
			r = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
	}
out:
	for (size_t i = 0; i < ARRAY_SIZE(joins); i++)
		if (nsfd[i] >= 0)
			close(nsfd[i]);
	for (int i = 0; i < 2; i++)
		if (rep[i] >= 0)
			close(rep[i]);
	if (dirfd >= 0)
		close(dirfd);
	if (p == &proc)
		oci_process_free(&proc, pjson);
	else if (saved_args)
		s.process.args = saved_args; /* not argv's: those are not to be freed */
	oci_spec_free(&s);
	oci_state_free(&st);
	return r;
}
