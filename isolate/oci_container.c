/* isolate/oci_container.c: the OCI lifecycle: create (the container's init set up in its
 * namespaces, waiting on the exec FIFO), start, run, state, kill, delete and list. */
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <jansson.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "oci.h"
#include "oci_hooks.h"
#include "oci_process.h"
#include "oci_rootfs.h"
#include "oci_spec.h"
#include "oci_state.h"
#include "base.h"

#define OCI_DELETE_WAIT_MS 10000 /* delete: how long the killed init may take to die */

static const int ns_flags[OCI_NS_COUNT] = {
	[OCI_NS_USER] = CLONE_NEWUSER,     [OCI_NS_PID] = CLONE_NEWPID,
	[OCI_NS_NET] = CLONE_NEWNET,       [OCI_NS_IPC] = CLONE_NEWIPC,
	[OCI_NS_UTS] = CLONE_NEWUTS,       [OCI_NS_MOUNT] = CLONE_NEWNS,
	[OCI_NS_CGROUP] = CLONE_NEWCGROUP,
};

/* create's and run's options. */
struct create_opts {
	const char *bundle;         /* --bundle DIR (default: the current folder) */
	const char *pid_file;       /* --pid-file FILE: the init's host pid */
	const char *console_socket; /* --console-socket PATH: the pty's master goes there */
	int preserve_fds;           /* --preserve-fds N: fds 3..N+2 pass to the process */
	bool detach;                /* run --detach */
};

/* What the init sends create: ready (status 0) or why it failed. */
struct init_msg {
	int status;
	char text[ISO_ERR_LEN];
};

struct init_ctx {
	const struct oci_spec *s;
	struct oci_state *st; /* for the createContainer and startContainer hooks */
	const char *rootfs;
	int release_fd; /* read end: create sends the init's host pid once ready */
	int report_fd;  /* write end: struct init_msg */
	int fifo_fd;    /* the exec FIFO, read-write: start's byte arrives there */
	int console_fd; /* the connected console socket, or -1 */
	bool userns;    /* a new user namespace */
	int preserve_fds;
};

__attribute__((noreturn)) static void init_fail(const struct init_ctx *c, const char *text)
{
	struct init_msg m = { .status = 1 };

	snprintf(m.text, sizeof(m.text), "%s", text);
	if (write(c->report_fd, &m, sizeof(m)) < 0) {
		/* create is gone: nobody to tell */
	}
	_exit(1);
}

static char *hook_state(struct oci_state *st, enum oci_status status)
{
	return oci_state_json(st, status, false);
}

/* The container's init, in its new namespaces: its filesystem, the console, the process's
 * ids and capabilities; then "ready" to create, the wait for start, the exec. */
__attribute__((noreturn)) static void init_main(struct init_ctx *c)
{
	const struct oci_process *p = &c->s->process;
	char err[ISO_ERR_LEN], prog[PATH_MAX];
	struct init_msg ready = { .status = 0 };
	pid_t host_pid;
	char byte;

	if (RETRY_EINTR(read(c->release_fd, &host_pid, sizeof(host_pid))) != sizeof(host_pid))
		_exit(1); /* create failed or died: it cleans up */
	close(c->release_fd);
	c->st->pid = host_pid;
	if (c->userns) {
		/* root of the new user namespace, when 0 is mapped (else the ids stay unmapped
		 * until process.user, with every capability of this namespace all along) */
		if (setresgid(0, 0, 0) == 0)
			setgroups(0, NULL);
		if (setresuid(0, 0, 0)) {
			/* 0 not mapped */
		}
	}
	if (setsid() < 0)
		init_fail(c, "setsid failed");
	if (oci_rootfs_mount(c->s, c->rootfs, c->userns, err))
		init_fail(c, err);
	if (c->s->n_hooks[OCI_HOOK_CREATE_CONTAINER]) {
		cleanup_free char *state = hook_state(c->st, OCI_CREATING);

		if (oci_hooks_run(c->s, OCI_HOOK_CREATE_CONTAINER, state, err))
			init_fail(c, err);
	}
	if (oci_rootfs_enter(c->s, c->rootfs, err))
		init_fail(c, err);
	if (c->console_fd >= 0) {
		if (oci_console_open(c->console_fd, p->cons_height, p->cons_width, err))
			init_fail(c, err);
		close(c->console_fd);
	}
	/* --preserve-fds: 3..N+2 pass through the exec; isolate's own fds are close-on-exec */
	for (int fd = 3; fd < 3 + c->preserve_fds; fd++) {
		int fl = fcntl(fd, F_GETFD);

		if (fl >= 0)
			fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC);
	}
	if (oci_process_find(p, prog, err) || oci_process_setup(p, err))
		init_fail(c, err);
	if (write(c->report_fd, &ready, sizeof(ready)) != sizeof(ready))
		_exit(1);
	close(c->report_fd);
	/* start writes one byte into the FIFO; we hold it read-write, so no EOF meanwhile */
	if (RETRY_EINTR(read(c->fifo_fd, &byte, 1)) != 1)
		_exit(1);
	close(c->fifo_fd);
	if (c->s->n_hooks[OCI_HOOK_START_CONTAINER]) {
		cleanup_free char *state = hook_state(c->st, OCI_RUNNING);

		if (oci_hooks_run(c->s, OCI_HOOK_START_CONTAINER, state, err)) {
			fprintf(stderr, "isolate: %s\n", err);
			_exit(1);
		}
	}
	oci_process_finish(p, &c->s->seccomp, prog, err);
	fprintf(stderr, "isolate: %s\n", err);
	_exit(errno == ENOENT ? 127 : 126);
}

static int parse_create(int argc, char **argv, bool run, struct create_opts *o, const char **id)
{
	static const struct option opts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "console-socket", required_argument, NULL, 'c' },
		{ "preserve-fds", required_argument, NULL, 'f' },
		{ "detach", no_argument, NULL, 'd' },
		{ "no-pivot", no_argument, NULL, 'n' },
		{ "no-new-keyring", no_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->bundle = ".";
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, run ? "+b:d" : "+b:", opts, NULL)) != -1) {
		switch (c) {
		case 'b': o->bundle = optarg; break;
		case 'p': o->pid_file = optarg; break;
		case 'c': o->console_socket = optarg; break;
		case 'f':
			errno = 0;
			o->preserve_fds = (int)strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || o->preserve_fds < 0 ||
			    o->preserve_fds > 1024)
				return oci_fail("%s: --preserve-fds '%s': not a number 0..1024",
						argv[0], optarg);
			break;
		case 'd':
			if (!run)
				goto bad;
			o->detach = true;
			break;
		case 'n':
		case 'k': break; /* runc's: pivot_root always; no keyring is made */
		default:
bad:
			fprintf(stderr, "isolate: %s: unknown option or missing value: %s\n",
				argv[0], argv[optind - 1]);
			return OCI_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr,
			"isolate: %s: needs exactly one container ID (isolate %s [OPTIONS] "
			"ID)\n",
			argv[0], argv[0]);
		return OCI_USAGE;
	}
	*id = argv[optind];
	return OCI_OK;
}

/* Writes the maps of a new user namespace: each line of the config's mappings. */
static int write_maps(pid_t pid, const struct oci_spec *s, char *err)
{
	char path[64], text[4096];
	size_t n = 0;

	if (geteuid() != 0) { /* an unprivileged caller maps only itself, after "deny" */
		snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
		iso_write_file(path, "deny");
	}
	for (int which = 0; which < 2; which++) {
		const struct oci_idmap *m = which ? s->gid_maps : s->uid_maps;
		size_t count = which ? s->n_gid_maps : s->n_uid_maps;
		int r;

		n = 0;
		for (size_t i = 0; i < count && n < sizeof(text); i++)
			n += (size_t)snprintf(text + n, sizeof(text) - n, "%u %u %u\n",
					      m[i].container, m[i].host, m[i].size);
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid,
			 which ? "gid_map" : "uid_map");
		r = iso_write_file(path, text);
		if (r)
			return iso_seterr(err, -r, "linux.%s: cannot write them",
					  which ? "gidMappings" : "uidMappings");
	}
	return 0;
}

static int connect_console(const char *path, char *err)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(a.sun_path))
		return iso_seterr(err, 0, "--console-socket %s: the path is too long", path);
	strcpy(a.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		iso_seterr(err, errno, "--console-socket %s", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Writes a pid file as runc does: the number alone, through a temporary file and rename. */
static int write_pid_file(const char *path, pid_t pid, char *err)
{
	char tmp[PATH_MAX + 16];
	FILE *f;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.isolate-tmp", path) >= sizeof(tmp))
		return iso_seterr(err, ENAMETOOLONG, "--pid-file %s", path);
	f = fopen(tmp, "we");
	if (!f)
		return iso_seterr(err, errno, "--pid-file %s", path);
	fprintf(f, "%d", (int)pid);
	if (fclose(f) || rename(tmp, path)) {
		unlink(tmp);
		return iso_seterr(err, errno, "--pid-file %s", path);
	}
	return 0;
}

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
static int plan(const struct oci_spec *s, const struct create_opts *o, const char *rootfs,
		char *err)
{
	if (!s->has_process)
		return iso_seterr(err, 0, "config.json: process: missing (create needs one)");
	if (!s->ns[OCI_NS_MOUNT].set || s->ns[OCI_NS_MOUNT].path)
		return iso_seterr(err, 0,
				  "config.json: linux.namespaces: isolate needs a new "
				  "mount namespace (type mount, no path)");
	if (s->process.terminal && !o->console_socket)
		return iso_seterr(err, 0,
				  "process.terminal is true: --console-socket is needed "
				  "(isolate relays no terminal itself)");
	if (!s->process.terminal && o->console_socket)
		return iso_seterr(err, 0, "--console-socket given but process.terminal is false");
	if (s->ns[OCI_NS_USER].set && !s->ns[OCI_NS_USER].path && geteuid() != 0 &&
	    (s->n_uid_maps != 1 || s->n_gid_maps != 1 || s->uid_maps[0].host != geteuid() ||
	     s->gid_maps[0].host != getegid() || s->uid_maps[0].size != 1 ||
	     s->gid_maps[0].size != 1))
		return iso_seterr(err, 0,
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
	if (s->has_resources) {
		struct iso_cgroup cg = { .fd = -1 };

		iso_cgroup_detect(&cg); /* reads only */
		oci_warn(
			"linux.resources: not applied: %s%s",
			cg.usable
				? "isolate's OCI mode does not manage cgroups yet, even with a delegated "
				  "cgroup v2 ("
				: "",
			cg.usable ? "usable here)" : cg.why);
	}
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
static int join_namespaces(const struct oci_spec *s, char *err)
{
	for (int n = 0; n < OCI_NS_COUNT; n++) {
		cleanup_fd int fd = -1;

		if (!s->ns[n].set || !s->ns[n].path)
			continue;
		fd = (int)RETRY_EINTR(open(s->ns[n].path, O_RDONLY | O_CLOEXEC));
		if (fd < 0)
			return iso_seterr(err, errno, "linux.namespaces: %s %s", oci_ns_name(n),
					  s->ns[n].path);
		if (setns(fd, ns_flags[n]))
			return iso_seterr(err, errno, "linux.namespaces: cannot join %s %s",
					  oci_ns_name(n), s->ns[n].path);
	}
	return 0;
}

/* A created container: what run goes on with. */
struct created {
	int dirfd; /* --root/ID, locked */
	pid_t pid; /* the init (our child) */
	struct oci_state st;
	struct oci_spec spec;
};

static int do_create(const struct create_opts *o, const char *id, struct created *out)
{
	struct oci_spec *s = &out->spec;
	struct oci_state *st = &out->st;
	struct init_ctx c = { .console_fd = -1, .fifo_fd = -1, .preserve_fds = o->preserve_fds };
	int release[2] = { -1, -1 }, report[2] = { -1, -1 };
	char err[ISO_ERR_LEN], bundle[PATH_MAX], rootfs[PATH_MAX], path[PATH_MAX + 32];
	char pid_path[PATH_MAX + 1];
	struct clone_args ca = { .exit_signal = SIGCHLD };
	cleanup_free char *state = NULL;
	struct init_msg m;
	int dirfd = -1;
	pid_t child = -1;
	long n;

	memset(out, 0, sizeof(*out));
	out->dirfd = -1;
	if (!realpath(o->bundle, bundle))
		return oci_fail("--bundle %s: %s", o->bundle, strerror(errno));
	/* a relative --pid-file is the caller's, as runc takes it: create moves to the bundle */
	if (o->pid_file && o->pid_file[0] != '/') {
		char cwd[PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd)) ||
		    (size_t)snprintf(pid_path, sizeof(pid_path), "%s/%s", cwd, o->pid_file) >=
			    sizeof(pid_path))
			return oci_fail("--pid-file %s: %s", o->pid_file,
					strerror(errno ? errno : ENAMETOOLONG));
	} else if (o->pid_file) {
		snprintf(pid_path, sizeof(pid_path), "%s", o->pid_file);
	}
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	if (oci_spec_load(path, s, err))
		return oci_fail("%s", err);
	if (oci_id_check(id, err))
		return oci_fail("%s", err);
	if ((size_t)snprintf(path, sizeof(path), "%s%s%s", s->root[0] == '/' ? "" : bundle,
			     s->root[0] == '/' ? "" : "/", s->root) >= sizeof(path))
		return oci_fail("root.path %s: too long", s->root);
	if (!realpath(path, rootfs))
		return oci_fail("root.path %s: %s", path, strerror(errno));
	if (plan(s, o, rootfs, err))
		return oci_fail("%s", err);
	dirfd = oci_state_open(id, true, true, err);
	if (dirfd < 0)
		return oci_fail("%s", err);
	say_ignored(s);
	snprintf(st->id, sizeof(st->id), "%s", id);
	snprintf(st->bundle, sizeof(st->bundle), "%s", bundle);
	snprintf(st->rootfs, sizeof(st->rootfs), "%s", rootfs);
	now_rfc3339(st->created, sizeof(st->created));
	st->annotations = annotations_of(s);
	st->creating = true;
	st->new_pidns = s->ns[OCI_NS_PID].set && !s->ns[OCI_NS_PID].path;
	if (oci_state_write(dirfd, st, err))
		goto fail;
	if (mkfifoat(dirfd, OCI_FIFO, 0600)) {
		iso_seterr(err, errno, "cannot make the exec FIFO");
		goto fail;
	}
	c.fifo_fd = (int)RETRY_EINTR(openat(dirfd, OCI_FIFO, O_RDWR | O_CLOEXEC));
	if (c.fifo_fd < 0) {
		iso_seterr(err, errno, "cannot open the exec FIFO");
		goto fail;
	}
	if (o->console_socket && (c.console_fd = connect_console(o->console_socket, err)) < 0)
		goto fail;
	/* bind sources relative to the bundle, as runc takes them */
	if (chdir(bundle) || join_namespaces(s, err)) {
		if (!err[0])
			iso_seterr(err, errno, "chdir %s", bundle);
		goto fail;
	}
	if (pipe2(release, O_CLOEXEC) || pipe2(report, O_CLOEXEC)) {
		iso_seterr(err, errno, "cannot make the sync pipes");
		goto fail;
	}
	for (int k = 0; k < OCI_NS_COUNT; k++)
		if (s->ns[k].set && !s->ns[k].path)
			ca.flags |= (unsigned long long)ns_flags[k];
	c.s = s;
	c.st = st;
	c.rootfs = rootfs;
	c.userns = s->ns[OCI_NS_USER].set && !s->ns[OCI_NS_USER].path;
	fflush(NULL);
	child = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
	if (child < 0) {
		iso_seterr(err, errno, "cannot create the namespaces (clone3)");
		goto fail;
	}
	if (child == 0) {
		close(dirfd); /* its lock is create's, not the init's */
		close(release[1]);
		close(report[0]);
		c.release_fd = release[0];
		c.report_fd = report[1];
		init_main(&c);
	}
	close(release[0]);
	close(report[1]);
	release[0] = report[1] = -1;
	st->pid = child;
	{
		bool zombie;

		oci_proc_start(child, &st->start, &zombie);
	}
	if (c.userns && write_maps(child, s, err))
		goto fail;
	if (s->process.has_oom_score) {
		char v[16];
		int r;

		snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)child);
		snprintf(v, sizeof(v), "%d", s->process.oom_score_adj);
		if ((r = iso_write_file(path, v))) {
			iso_seterr(err, -r, "process.oomScoreAdj %s", v);
			goto fail;
		}
	}
	state = hook_state(st, OCI_CREATING);
	if (oci_hooks_run(s, OCI_HOOK_PRESTART, state, err) ||
	    oci_hooks_run(s, OCI_HOOK_CREATE_RUNTIME, state, err))
		goto fail;
	if (RETRY_EINTR(write(release[1], &child, sizeof(child))) != sizeof(child)) {
		iso_seterr(err, errno, "cannot release the container's init");
		goto fail;
	}
	n = RETRY_EINTR(read(report[0], &m, sizeof(m)));
	if (n != sizeof(m) || m.status) {
		if (n == sizeof(m)) {
			m.text[sizeof(m.text) - 1] = '\0';
			snprintf(err, sizeof(err), "%s", m.text);
		} else {
			snprintf(err, sizeof(err), "the container's init died during its setup");
		}
		goto fail;
	}
	st->creating = false;
	if (oci_state_write(dirfd, st, err) ||
	    (o->pid_file && write_pid_file(pid_path, child, err)))
		goto fail;
	oci_debug("created %s: init pid %d, waiting for start", id, (int)child);
	close(release[1]);
	close(report[0]);
	close(c.fifo_fd);
	if (c.console_fd >= 0)
		close(c.console_fd);
	out->dirfd = dirfd;
	out->pid = child;
	return OCI_OK;
fail:
	if (child > 0) {
		kill(child, SIGKILL);
		RETRY_EINTR(waitpid(child, NULL, 0));
	}
	for (int i = 0; i < 2; i++) {
		if (release[i] >= 0)
			close(release[i]);
		if (report[i] >= 0)
			close(report[i]);
	}
	if (c.fifo_fd >= 0)
		close(c.fifo_fd);
	if (c.console_fd >= 0)
		close(c.console_fd);
	oci_state_remove(dirfd, id);
	oci_state_free(st);
	oci_spec_free(s);
	return oci_fail("%s", err);
}

static void created_free(struct created *cr)
{
	if (cr->dirfd >= 0)
		close(cr->dirfd);
	oci_state_free(&cr->st);
	oci_spec_free(&cr->spec);
}

int oci_cmd_create(int argc, char **argv)
{
	struct create_opts o;
	struct created cr;
	const char *id;
	int r = parse_create(argc, argv, false, &o, &id);

	if (r)
		return r;
	r = do_create(&o, id, &cr);
	if (r == OCI_OK)
		created_free(&cr);
	return r;
}

/* Releases a created container's init (one byte into its FIFO), then the poststart hooks
 * (a failure there is a warning, as the specification says). */
static int do_start(int dirfd, struct oci_state *st, const struct oci_spec *s)
{
	enum oci_status now = oci_state_status(dirfd, st);
	cleanup_fd int fd = -1;
	char err[ISO_ERR_LEN];

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

		if (oci_hooks_run(s, OCI_HOOK_POSTSTART, state, err))
			oci_warn("%s", err);
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
	char path[PATH_MAX + 16], err[OCI_ERR_LEN];

	snprintf(path, sizeof(path), "%s/config.json", st->bundle);
	if (oci_spec_load(path, s, err)) {
		oci_warn("%s: the hooks cannot run: %s", st->id, err);
		return false;
	}
	return true;
}

/* state_load: opens the state folder of container ID (locked when LOCK) and reads its state
 * into ST. Returns the folder's fd, or -1 after saying why (oci_fail). */
static int state_load(const char *id, bool lock, struct oci_state *st)
{
	char err[ISO_ERR_LEN];
	int dirfd = oci_state_open(id, false, lock, err);

	if (dirfd >= 0 && oci_state_read(dirfd, id, st, err)) {
		close(dirfd);
		dirfd = -1;
	}
	if (dirfd < 0)
		oci_fail("%s", err);
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
	int i = 1, sig, dirfd, r = OCI_OK;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--all") || !strcmp(argv[i], "-a")) {
			all = true;
		} else {
			fprintf(stderr, "isolate: kill: unknown option %s (--all)\n", argv[i]);
			return OCI_USAGE;
		}
	}
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
	char err[ISO_ERR_LEN];
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
	if (!st->creating && load_bundle_spec(st, &s)) {
		if (s.n_hooks[OCI_HOOK_POSTSTOP]) {
			cleanup_free char *state = oci_state_json(st, OCI_STOPPED, false);

			if (oci_hooks_run(&s, OCI_HOOK_POSTSTOP, state, err))
				oci_warn("%s", err);
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
	int i = 1, dirfd, r;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--force") || !strcmp(argv[i], "-f")) {
			force = true;
		} else {
			fprintf(stderr, "isolate: delete: unknown option %s (--force)\n", argv[i]);
			return OCI_USAGE;
		}
	}
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

int oci_cmd_run(int argc, char **argv)
{
	static const int fwd[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH };
	struct create_opts o;
	struct created cr;
	sigset_t set, old;
	const char *id;
	int r = parse_create(argc, argv, true, &o, &id), status = 0;
	char err[ISO_ERR_LEN];

	if (r)
		return r;
	/* signals wait, blocked, from before the init exists: none is lost */
	sigemptyset(&set);
	for (size_t i = 0; i < ARRAY_SIZE(fwd); i++)
		sigaddset(&set, fwd[i]);
	sigaddset(&set, SIGCHLD);
	signal(SIGCHLD, SIG_DFL);
	sigprocmask(SIG_BLOCK, &set, &old);
	r = do_create(&o, id, &cr);
	if (r)
		return r;
	r = do_start(cr.dirfd, &cr.st, &cr.spec);
	if (r || o.detach) {
		if (r) {
			do_delete(cr.dirfd, &cr.st, true);
			cr.dirfd = -1;
		}
		created_free(&cr);
		return r;
	}
	close(cr.dirfd); /* others may state, kill, exec meanwhile */
	cr.dirfd = -1;
	for (;;) {
		siginfo_t si;
		int sig = (int)RETRY_EINTR(sigwaitinfo(&set, &si));

		if (sig == SIGCHLD) {
			if (RETRY_EINTR(waitpid(cr.pid, &status, WNOHANG)) == cr.pid)
				break;
		} else if (sig > 0) {
			kill(cr.pid, sig);
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	cr.dirfd = oci_state_open(id, false, true, err);
	if (cr.dirfd >= 0) {
		do_delete(cr.dirfd, &cr.st, true);
		cr.dirfd = -1;
	}
	created_free(&cr);
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

int oci_cmd_list(int argc, char **argv)
{
	bool quiet = false, json = false;
	json_t *all = json_array();
	struct dirent *e;
	DIR *d;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
			quiet = true;
		} else if ((!strcmp(argv[i], "--format") || !strcmp(argv[i], "-f")) &&
			   i + 1 < argc) {
			json = !strcmp(argv[++i], "json");
			if (!json && strcmp(argv[i], "table")) {
				json_decref(all);
				return oci_fail("list: --format '%s': table or json", argv[i]);
			}
		} else {
			json_decref(all);
			fprintf(stderr,
				"isolate: list: isolate list [--quiet] [--format table|json]\n");
			return OCI_USAGE;
		}
	}
	d = opendir(oci_g.root);
	if (!quiet && !json)
		printf("%-12s %-8s %-10s %-40s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED");
	while (d && (e = readdir(d))) {
		char err[ISO_ERR_LEN];
		struct oci_state st;
		enum oci_status now;
		int fd;

		if (e->d_name[0] == '.' || oci_id_check(e->d_name, err))
			continue;
		fd = oci_state_open(e->d_name, false, false, err);
		if (fd < 0)
			continue;
		if (oci_state_read(fd, e->d_name, &st, err) == 0) {
			now = oci_state_status(fd, &st);
			if (quiet)
				printf("%s\n", st.id);
			else if (json)
				json_array_append_new(
					all,
					json_pack("{s:s, s:I, s:s, s:s, s:s}", "id", st.id, "pid",
						  (json_int_t)(now == OCI_STOPPED ? 0 : st.pid),
						  "status", oci_status_name(now), "bundle",
						  st.bundle, "created", st.created));
			else
				printf("%-12s %-8d %-10s %-40s %s\n", st.id,
				       now == OCI_STOPPED ? 0 : (int)st.pid, oci_status_name(now),
				       st.bundle, st.created);
			oci_state_free(&st);
		}
		close(fd);
	}
	if (d)
		closedir(d);
	if (json) {
		char *text = json_dumps(all, JSON_COMPACT);

		printf("%s\n", text ? text : "[]");
		free(text);
	}
	json_decref(all);
	return OCI_OK;
}
