/* SPDX-License-Identifier: MIT */
/* isolate/oci_launch.c: create's, run's and exec's options, and the pieces both use to
 * start a container's process: console socket, pid file, preserved fds, the last steps. */
#include "oci_launch.h"

#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "base.h"
#include "oci.h"
#include "oci_process.h"

const struct oci_ns_info oci_ns_joins[OCI_NS_COUNT] = {
	{ OCI_NS_USER, "user", CLONE_NEWUSER }, { OCI_NS_IPC, "ipc", CLONE_NEWIPC },
	{ OCI_NS_UTS, "uts", CLONE_NEWUTS },    { OCI_NS_NET, "net", CLONE_NEWNET },
	{ OCI_NS_PID, "pid", CLONE_NEWPID },    { OCI_NS_CGROUP, "cgroup", CLONE_NEWCGROUP },
	{ OCI_NS_MOUNT, "mnt", CLONE_NEWNS },
};

/* Every option of the three, each command taking those listed in its row of takes[]. */
static const struct option opts[] = {
	{ "bundle", required_argument, NULL, 'b' },
	{ "pid-file", required_argument, NULL, 'P' },
	{ "console-socket", required_argument, NULL, 'c' },
	{ "preserve-fds", required_argument, NULL, 'f' },
	{ "detach", no_argument, NULL, 'd' },
	{ "no-pivot", no_argument, NULL, 'n' },
	{ "no-new-keyring", no_argument, NULL, 'k' },
	{ "process", required_argument, NULL, 'p' },
	{ "tty", no_argument, NULL, 't' },
	{ "cwd", required_argument, NULL, 'w' },
	{ NULL, 0, NULL, 0 },
};

static const struct {
	const char *shorts; /* getopt's short options */
	const char *takes;  /* the codes of opts[] it takes */
} cmds[] = {
	[OCI_LAUNCH_CREATE] = { "+b:", "bPcfnk" },
	[OCI_LAUNCH_RUN] = { "+b:d", "bPcfdnk" },
	[OCI_LAUNCH_EXEC] = { "+p:dt", "pPcdtwf" },
};

/* One option's value into o. Returns OCI_OK, or OCI_FAIL after saying why. */
static int take(int c, const char *cmd, struct oci_launch_opts *o)
{
	char *end;

	switch (c) {
	case 'b': o->bundle = optarg; break;
	case 'P': o->pid_file = optarg; break;
	case 'c': o->console_socket = optarg; break;
	case 'd': o->detach = true; break;
	case 'p': o->process = optarg; break;
	case 't': o->tty = true; break;
	case 'w': o->cwd = optarg; break;
	case 'f':
		errno = 0;
		o->preserve_fds = (int)strtol(optarg, &end, 10);
		if (errno || *end || end == optarg || o->preserve_fds < 0 || o->preserve_fds > 1024)
			return oci_fail("%s: --preserve-fds '%s': not a number 0..1024", cmd,
					optarg);
		break;
	default: break; /* 'n', 'k': runc's: pivot_root always; no keyring is made */
	}
	return OCI_OK;
}

/* Whether the words left after the options are what cmd needs; says so when not. */
static bool args_ok(int argc, char **argv, enum oci_launch_cmd cmd, const struct oci_launch_opts *o)
{
	if (cmd == OCI_LAUNCH_EXEC) {
		if (optind < argc && (o->process || optind + 1 < argc))
			return true;
		fprintf(stderr, "isolate: exec: isolate exec [OPTIONS] ID [ARGS...] (ARGS or "
				"--process FILE)\n");
		return false;
	}
	if (optind == argc - 1)
		return true;
	fprintf(stderr, "isolate: %s: needs exactly one container ID (isolate %s [OPTIONS] ID)\n",
		argv[0], argv[0]);
	return false;
}

int oci_launch_parse(int argc, char **argv, enum oci_launch_cmd cmd, struct oci_launch_opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	if (cmd != OCI_LAUNCH_EXEC)
		o->bundle = ".";
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, cmds[cmd].shorts, opts, NULL)) != -1) {
		if (c == '?' || c == ':' || !strchr(cmds[cmd].takes, c)) {
			fprintf(stderr, "isolate: %s: unknown option or missing value: %s\n",
				argv[0], argv[optind - 1]);
			return OCI_USAGE;
		}
		if (take(c, argv[0], o))
			return OCI_FAIL;
	}
	if (!args_ok(argc, argv, cmd, o))
		return OCI_USAGE;
	o->id = optind;
	return OCI_OK;
}

int oci_console_connect(const char *path, struct mv_err *e)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	cleanup_fd int fd = -1;

	if (strlen(path) >= sizeof(a.sun_path))
		return mv_seterr(e, 0, "--console-socket %s: the path is too long", path);
	strcpy(a.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)))
		return mv_seterr(e, errno, "--console-socket %s", path);
	return steal_fd(&fd);
}

int oci_pid_file_write(int dirfd, const char *name, const char *path, pid_t pid, struct mv_err *e)
{
	char tmp[PATH_MAX + 16];
	cleanup_fd int fd = -1;
	FILE *f;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.isolate-tmp", name) >= sizeof(tmp))
		return mv_seterr(e, ENAMETOOLONG, "--pid-file %s", path);
	fd = (int)RETRY_EINTR(
		openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644));
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f)
		return mv_seterr(e, errno, "--pid-file %s", path);
	fd = -1; /* f's now */
	fprintf(f, "%d", (int)pid);
	if (fclose(f) || renameat(dirfd, tmp, dirfd, name)) {
		unlinkat(dirfd, tmp, 0);
		return mv_seterr(e, errno, "--pid-file %s", path);
	}
	return 0;
}

int oci_launch_prepare(const struct oci_process *p, int console_fd, int nfds, char *prog,
		       struct mv_err *e)
{
	if (console_fd >= 0) {
		if (oci_console_open(console_fd, p->cons_height, p->cons_width, e))
			return -1;
		close(console_fd);
	}
	/* --preserve-fds: 3..N+2 pass through the exec; isolate's own fds are close-on-exec */
	for (int fd = 3; fd < 3 + nfds; fd++) {
		int fl = fcntl(fd, F_GETFD);

		if (fl >= 0)
			fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC);
	}
	if (oci_process_find(p, prog, e) || oci_process_setup(p, e))
		return -1;
	return 0;
}
