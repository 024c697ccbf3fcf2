/* SPDX-License-Identifier: MIT */
/* isolate/child.c: the container's first process, in its new namespaces: its mounts,
 * hostname and network, the protections and the hardening, then PROGRAM's exec (or
 * isolate's init, with PROGRAM its child). */
#include "child.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "base.h"
#include "harden.h"
#include "init.h"
#include "mount.h"
#include "net.h"
#include "rlimits.h"
#include "ns_spawn.h"
#include "watch.h"

__attribute__((noreturn)) static void child_fail(const struct iso_child *c, int status,
						 const struct mv_err *e)
{
	iso_spawn_fail(c->report_fd, status, e->msg);
}

/* The container's own steps: run in its namespaces, with full capabilities there. The
 * tmpfs on /dev/shm is its maker's: made at once when our ids are the container's already
 * (shm NULL), else left to iso_mount_shm once they are, *shm the host's mount it covers. */
static int child_setup(const struct iso_config *cfg, unsigned long long *shm, struct mv_err *e)
{
	unsigned long long host_shm;

	if (iso_mount_setup(cfg, &host_shm, e) || (!shm && iso_mount_shm(host_shm, e)))
		return -1;
	if (shm)
		*shm = host_shm;
	if (sethostname(cfg->hostname, strlen(cfg->hostname)))
		return mv_seterr(e, errno, "cannot set the hostname to '%s'", cfg->hostname);
	iso_step("pid 1", "sethostname(\"%s\"): in this UTS namespace only", cfg->hostname);
	return 0;
}

#define PING_RANGE "/proc/sys/net/ipv4/ping_group_range"

/* What the setup before the veth's release leaves to the steps after it. */
struct early {
	bool done;              /* the mounts, hostname, lo, the protections and the filter */
	struct iso_nl nl;       /* the rtnetlink socket for the veth end (not with --net none) */
	int ping_fd;            /* PING_RANGE opened for writing, or -errno */
	unsigned long long shm; /* the host's /dev/shm mount, for iso_mount_shm, or 0 */
};

/* PING_RANGE opened for writing now, written once gid 0 is mapped (allow_ping): the
 * kernel checks write access at the open, and the read-only mount iso_mount_protect puts
 * over /proc/sys is another mount than this file's. Returns the fd, or -errno. */
static int open_ping(void)
{
	int fd = (int)RETRY_EINTR(open(PING_RANGE, O_WRONLY | O_CLOEXEC));

	return fd < 0 ? -errno : fd;
}

/* ping without CAP_NET_RAW: ICMP datagram sockets for gid 0, in this network namespace
 * only (Docker does the same), through fd from open_ping. Not fatal: ping would say what
 * it lacks. */
static void allow_ping(int fd)
{
	int r = fd;

	if (fd >= 0) {
		long n = RETRY_EINTR(write(fd, "0 0", 3));

		r = n == 3 ? 0 : n < 0 ? -errno : -EIO;
		close(fd);
	}
	if (r)
		iso_step("pid 1", "net.ipv4.ping_group_range: %s (ping needs CAP_NET_RAW then)",
			 strerror(-r));
	else
		iso_step("pid 1", "net.ipv4.ping_group_range = 0 0: ping works without CAP_NET_RAW "
				  "(ICMP datagram sockets, this network namespace only)");
}

/* The steps that need no veth, made while isolate makes it: the mounts and hostname, lo,
 * the protections over /proc and /sys (lo and the mounts take capabilities in the
 * container's own namespaces only; ids_ours: the container's ids are ours already, else
 * the tmpfs on /dev/shm waits for them: setup_ids). With --net none isolate brings lo up
 * meanwhile (c->lo_by_host). */
static int setup_early(const struct iso_child *c, struct early *e, bool ids_ours,
		       struct mv_err *err)
{
	const struct iso_config *cfg = c->cfg;

	if (child_setup(cfg, ids_ours ? NULL : &e->shm, err) ||
	    (!c->lo_by_host && iso_net_lo_up(err)) ||
	    (cfg->net != ISO_NET_NONE && iso_nl_open(&e->nl, err)))
		return -1;
	e->ping_fd = open_ping();
	return iso_mount_protect(cfg, err);
}

/* Once the container's ids are ours: the tmpfs on /dev/shm (theirs), then the filter,
 * which denies none of the calls left (the veth end, the terminal, the capabilities, the
 * limits). */
static int setup_ids(const struct iso_config *cfg, struct early *e, struct mv_err *err)
{
	if ((e->shm && iso_mount_shm(e->shm, err)) || iso_harden_filter(cfg, err))
		return -1;
	e->done = true;
	return 0;
}

/* Whether some folder of PATH (as execvp reads it) has an entry called name. */
static bool in_path(const char *name)
{
	const char *path = getenv("PATH");
	char file[4096];
	struct stat st;

	if (!path)
		path = "/bin:/usr/bin";
	for (const char *p = path;; p++) {
		size_t n = strcspn(p, ":");

		snprintf(file, sizeof(file), "%.*s/%s", (int)n, n ? p : ".", name);
		if (stat(file, &st) == 0)
			return true;
		p += n;
		if (!*p)
			return false;
	}
}

/* PROGRAM's own process: its limits, its signal mask, its exec. */
__attribute__((noreturn)) static void exec_program(const struct iso_child *c)
{
	const struct iso_config *cfg = c->cfg;
	struct mv_err err = { "" };

	if (iso_limits_apply(cfg, c->cgroup, &err))
		child_fail(c, ISO_SETUP, &err);
	iso_step(cfg->init ? "pid 2" : "pid 1", "execvp(\"%s\"): %s", cfg->argv[0],
		 cfg->init ? "PROGRAM is pid 2, init's child" : "PROGRAM becomes PID 1");
	if (c->watch_fd >= 0)
		iso_watch_install(cfg, c->watch_fd); /* the last thing before the exec */
	sigprocmask(SIG_SETMASK, &c->mask, NULL);
	execvp(cfg->argv[0], cfg->argv);
	/* As shells do: 127 when there is no such program, 126 when it cannot run. A PATH
	 * folder the container's root may not search (root's own, under /root) makes execvp
	 * say EACCES even when no folder has the program: not found, then. */
	if (errno == ENOENT ||
	    (errno == EACCES && !strchr(cfg->argv[0], '/') && !in_path(cfg->argv[0]))) {
		if (strchr(cfg->argv[0], '/'))
			mv_seterr(&err, ENOENT, "cannot execute %s", cfg->argv[0]);
		else
			mv_seterr(&err, 0, "%s: command not found (in PATH)", cfg->argv[0]);
		child_fail(c, ISO_NOTFOUND, &err);
	}
	mv_seterr(&err, errno, "cannot execute %s", cfg->argv[0]);
	child_fail(c, ISO_NOEXEC, &err);
}

/* --init: PID 1 stays isolate's, hardened like PROGRAM and not dumpable (PROGRAM cannot
 * ptrace it or read its memory), and PROGRAM is its child. */
__attribute__((noreturn)) static void run_init(const struct iso_child *c)
{
	struct mv_err err = { "" };
	pid_t program;

	program = fork();
	if (program < 0) {
		mv_seterr(&err, errno, "--init: cannot fork PROGRAM");
		child_fail(c, ISO_SETUP, &err);
	}
	if (program == 0) {
		/* PROGRAM dies with init, and init with isolate; init may already have died
		 * (getppid() is no longer 1 then). Its own session, its terminal. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != 1)
			_exit(ISO_SETUP);
		setsid();
		if (iso_pty_take_ctty(c->pty, &err))
			child_fail(c, ISO_SETUP, &err);
		exec_program(c);
	}
	/* Only PROGRAM holds the report pipe now: its exec closes it, which isolate sees. */
	close(c->report_fd);
	if (c->watch_fd >= 0)
		close(c->watch_fd);
	iso_step("pid 1", "init: PROGRAM forked as pid %d; reaping, forwarding signals",
		 (int)program);
	iso_init_loop(program, &c->init_set, c->status_fd);
}

/* Whether isolate has died: it holds the go pipe's write end until PROGRAM runs, so a
 * hangup there is its death. Asked after PR_SET_PDEATHSIG, this closes the window in
 * which isolate died before the prctl (the child may not run at all before isolate has
 * released it and been killed): any later death sends the signal. */
static bool isolate_gone(int go_fd)
{
	struct pollfd p = { .fd = go_fd, .events = POLLIN };

	return poll(&p, 1, 0) > 0 && (p.revents & POLLHUP);
}

/* The maps give uid 0 here to another uid outside than ours (a slot of root's range): our
 * own ids must follow, and root's supplementary groups go. Changing ids clears the
 * parent-death signal: set again, then a look at the go pipe, whose other end isolate
 * holds until PROGRAM runs, says whether isolate died meanwhile. */
static void become_mapped_root(const struct iso_child *c)
{
	struct mv_err err = { "" };

	if (setgroups(0, NULL) || setresgid(0, 0, 0) || setresuid(0, 0, 0)) {
		mv_seterr(&err, errno,
			  "cannot become the mapped uid 0 (setgroups, setresgid, "
			  "setresuid)");
		child_fail(c, ISO_SETUP, &err);
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (isolate_gone(c->go_fd))
		_exit(ISO_SETUP);
	iso_step("pid 1", "setgroups(0, NULL), setresgid(0, 0, 0), setresuid(0, 0, 0): root's "
			  "groups dropped, and uid 0 here is the mapped one outside");
}

/* isolate releases the child twice on the go pipe: once the maps exist (wait_ids: a
 * struct iso_ids_msg, whether to become the slot's uid 0), then once the veth exists
 * (wait_net: the struct iso_net of what the host side made). A short read or a hangup is
 * isolate's failure or death: it reports, if it can. */
static struct iso_ids_msg wait_ids(const struct iso_child *c)
{
	struct iso_ids_msg m;
	long n = RETRY_EINTR(read(c->go_fd, &m, sizeof(m)));

	if (n != sizeof(m) || isolate_gone(c->go_fd))
		_exit(ISO_SETUP);
	return m;
}

static void wait_net(const struct iso_child *c, struct iso_net *net)
{
	long n = RETRY_EINTR(read(c->go_fd, net, sizeof(*net)));

	if (n != sizeof(*net) || isolate_gone(c->go_fd))
		_exit(ISO_SETUP);
}

/* Released, with the container's ids: the go pipe is done with. */
static void released(const struct iso_child *c)
{
	close(c->go_fd);
	iso_step("pid 1", "released: getpid() = %d, getuid() = %d, getgid() = %d (mapped)",
		 (int)getpid(), (int)getuid(), (int)getgid());
}

/* The network, the protections over /proc and /sys and the filter (those setup_early did
 * not make), the terminal, then the capabilities, last: the setup before them needed
 * them. */
static int protect(const struct iso_child *c, const struct iso_net *net, struct early *e,
		   struct mv_err *err)
{
	const struct iso_config *cfg = c->cfg;

	if (!e->done) {
		if (iso_net_lo_up(err) || (cfg->net != ISO_NET_NONE && iso_nl_open(&e->nl, err)))
			return -1;
		e->ping_fd = open_ping();
	}
	if (cfg->net != ISO_NET_NONE && iso_net_container_veth(&e->nl, net, err))
		return -1;
	allow_ping(e->ping_fd);
	/* after the open above: /proc/sys goes read-only */
	if (!e->done && iso_mount_protect(cfg, err))
		return -1;
	/* The pty before the hardening: with --init, PROGRAM takes it as its terminal */
	if (iso_pty_child(c->pty, !cfg->init, err))
		return -1;
	if (cfg->init && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
		return mv_seterr(err, errno, "prctl(PR_SET_DUMPABLE)");
	iso_harden_describe(cfg);
	if (!e->done && iso_harden_filter(cfg, err))
		return -1;
	return iso_harden_caps(cfg, err);
}

void iso_child_main(const struct iso_child *c)
{
	const struct iso_config *cfg = c->cfg;
	struct mv_err err = { "" };
	struct iso_net net;

	/* Die with isolate, whatever kills it. If it died before this line, the go pipe
	 * tells: its write end closes and the read below sees EOF. (getppid() cannot: it is
	 * 0 here, the parent being outside this PID namespace.) */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* A session of its own, at once: kill(0, sig) and the caller's terminal's job
	 * control no longer reach isolate's process group, and the caller's terminal is
	 * nobody's here (TIOCSTI needs a controlling terminal or CAP_SYS_ADMIN over it). */
	setsid();
	/* The setup goes on while isolate writes the maps (setup_early), unless under a new
	 * root (its /dev gets files, which need our uid mapped) or with the user's mounts when
	 * the container's ids are a slot's (their sources are reached with those ids); then
	 * while isolate makes the veth. With --verbose it waits for both releases, so the
	 * steps print in order. */
	bool before = !cfg->root && !(c->switch_ids && cfg->n_mounts);
	struct early e = { .ping_fd = -EBADF };
	struct iso_ids_msg ids;

	if (cfg->verbose) {
		ids = wait_ids(c);
		wait_net(c, &net);
		if (ids.switch_ids)
			become_mapped_root(c);
		released(c);
		if (child_setup(cfg, NULL, &err))
			child_fail(c, ISO_SETUP, &err);
	} else {
		if (before && setup_early(c, &e, false, &err))
			child_fail(c, ISO_SETUP, &err);
		ids = wait_ids(c);
		if (ids.switch_ids)
			become_mapped_root(c);
		/* lo: isolate's, unless it could not reach this network namespace and back */
		if ((!before && setup_early(c, &e, true, &err)) ||
		    (c->lo_by_host && !ids.lo_up && iso_net_lo_up(&err)) ||
		    setup_ids(cfg, &e, &err))
			child_fail(c, ISO_SETUP, &err);
		wait_net(c, &net);
		released(c);
	}
	if (protect(c, &net, &e, &err))
		child_fail(c, ISO_SETUP, &err);
	if (cfg->init)
		run_init(c);
	exec_program(c);
}
