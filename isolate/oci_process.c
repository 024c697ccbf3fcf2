/* SPDX-License-Identifier: MIT */
/* isolate/oci_process.c: applies a config.json process to the calling process, compiles its
 * seccomp profile with libseccomp, sends a console's master fd. */
#include "oci_process.h"

#include <ctype.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "base.h"
#include "caps.h"
#include "rlimits.h"

static const char *env_path(const struct oci_process *p)
{
	for (size_t i = 0; p->env[i]; i++)
		if (!strncmp(p->env[i], "PATH=", 5))
			return p->env[i] + 5;
	return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

static bool executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int oci_process_find(const struct oci_process *p, char *path, struct mv_err *err)
{
	const char *prog = p->args[0], *dirs = env_path(p);

	if (strchr(prog, '/')) {
		snprintf(path, PATH_MAX, "%s", prog);
		if (executable(path))
			return 0;
		return mv_seterr(err, errno ? errno : EACCES, "exec: \"%s\"", prog);
	}
	for (const char *d = dirs;; d++) {
		size_t n = strcspn(d, ":");

		snprintf(path, PATH_MAX, "%.*s/%s", (int)n, n ? d : ".", prog);
		if (executable(path))
			return 0;
		d += n;
		if (!*d)
			break;
	}
	return mv_seterr(err, 0, "exec: \"%s\": executable file not found in $PATH", prog);
}

/* p->rlimits, through the one rlimit loop (rlimits.c). */
static int set_rlimits(const struct oci_process *p, struct mv_err *err)
{
	cleanup_free struct iso_rlimit *r = calloc(p->n_rlimits + 1, sizeof(*r));
	size_t bad;

	if (!r)
		return mv_seterr(err, ENOMEM, "process.rlimits");
	for (size_t i = 0; i < p->n_rlimits; i++)
		r[i] = (struct iso_rlimit){ p->rlimits[i].resource, p->rlimits[i].soft,
					    p->rlimits[i].hard };
	if (iso_rlimits_set(r, p->n_rlimits, &bad))
		return mv_seterr(err, errno, "process.rlimits[%zu]: setrlimit", bad);
	return 0;
}

int oci_process_setup(const struct oci_process *p, struct mv_err *err)
{
	struct iso_caps sets = { .effective = p->caps[OCI_CAP_EFFECTIVE],
				 .permitted = p->caps[OCI_CAP_PERMITTED],
				 .inheritable = p->caps[OCI_CAP_INHERITABLE],
				 .ambient = p->caps[OCI_CAP_AMBIENT] };
	if (set_rlimits(p, err))
		return -1;
	if (p->umask >= 0)
		umask((mode_t)p->umask);
	/* The bounding set first, while CAP_SETPCAP is there (caps.c, as isolate's own). */
	if (iso_caps_bound(p->caps[OCI_CAP_BOUNDING], err))
		return -1;
	/* The ids: the capabilities survive setresuid only with KEEPCAPS (then set below). */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		return mv_seterr(err, errno, "prctl(PR_SET_KEEPCAPS)");
	if (setgroups(p->n_gids, p->gids) && !(errno == EPERM && !p->n_gids))
		return mv_seterr(err, errno, "process.user.additionalGids: setgroups");
	if (setresgid(p->gid, p->gid, p->gid))
		return mv_seterr(err, errno, "process.user.gid %u: setresgid", (unsigned)p->gid);
	if (setresuid(p->uid, p->uid, p->uid))
		return mv_seterr(err, errno, "process.user.uid %u: setresuid", (unsigned)p->uid);
	prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	if (iso_caps_set(&sets, err))
		return mv_errprefix(err, "process.capabilities");
	if (chdir(p->cwd))
		return mv_seterr(err, errno, "process.cwd %s", p->cwd);
	return 0;
}

static uint32_t scmp_action(enum oci_scmp_act a, int errno_ret)
{
	switch (a) {
	case OCI_ACT_KILL_THREAD: return SCMP_ACT_KILL_THREAD;
	case OCI_ACT_KILL_PROCESS: return SCMP_ACT_KILL_PROCESS;
	case OCI_ACT_TRAP: return SCMP_ACT_TRAP;
	case OCI_ACT_ERRNO: return SCMP_ACT_ERRNO((uint32_t)errno_ret);
	case OCI_ACT_TRACE: return SCMP_ACT_TRACE((uint32_t)errno_ret);
	case OCI_ACT_LOG: return SCMP_ACT_LOG;
	case OCI_ACT_ALLOW: break;
	}
	return SCMP_ACT_ALLOW;
}

/* architectures: SCMP_ARCH_X86_64 is libseccomp's "x86_64". */
static int add_archs(scmp_filter_ctx ctx, const struct oci_seccomp *sc, struct mv_err *err)
{
	for (size_t i = 0; sc->archs && sc->archs[i]; i++) {
		uint32_t arch;
		char lower[32];
		size_t k;
		int r;

		for (k = 0; sc->archs[i][10 + k] && k < sizeof(lower) - 1; k++)
			lower[k] = (char)tolower((unsigned char)sc->archs[i][10 + k]);
		lower[k] = '\0';
		arch = seccomp_arch_resolve_name(lower);
		if (!arch)
			return mv_seterr(err, 0, "linux.seccomp.architectures[%zu]: unknown '%s'",
					 i, sc->archs[i]);
		r = seccomp_arch_add(ctx, arch);
		if (r && r != -EEXIST)
			return mv_seterr(err, -r, "linux.seccomp.architectures[%zu]: %s", i,
					 sc->archs[i]);
	}
	return 0;
}

/* syscalls[i]: the rule for each of its names this libseccomp knows. */
static int add_rule(scmp_filter_ctx ctx, const struct oci_scmp_rule *rule, size_t i, uint32_t act,
		    struct mv_err *err)
{
	static const enum scmp_compare ops[] = { SCMP_CMP_NE,       SCMP_CMP_LT, SCMP_CMP_LE,
						 SCMP_CMP_EQ,       SCMP_CMP_GE, SCMP_CMP_GT,
						 SCMP_CMP_MASKED_EQ };
	struct scmp_arg_cmp cmp[6];

	for (size_t a = 0; a < rule->n_args && a < 6; a++)
		cmp[a] = (struct scmp_arg_cmp){ rule->args[a].index, ops[rule->args[a].op],
						rule->args[a].value, rule->args[a].value2 };
	for (size_t n = 0; rule->names[n]; n++) {
		int nr = seccomp_syscall_resolve_name(rule->names[n]), r;

		if (nr == __NR_SCMP_ERROR)
			continue;
		r = seccomp_rule_add_array(ctx, act, nr, (unsigned)rule->n_args, cmp);
		if (r)
			return mv_seterr(err, -r, "linux.seccomp.syscalls[%zu]: %s", i,
					 rule->names[n]);
	}
	return 0;
}

/* The profile, compiled now: calls this libseccomp does not know are skipped (as runc
 * does: a profile lists calls of newer kernels); a rule whose action is the default is
 * left out (libseccomp refuses it). */
static int load_seccomp(const struct oci_seccomp *sc, struct mv_err *err)
{
	uint32_t def = scmp_action(sc->default_action, sc->default_errno);
	scmp_filter_ctx ctx = seccomp_init(def);
	int r;

	if (!ctx)
		return mv_seterr(err, 0, "linux.seccomp: seccomp_init failed");
	r = add_archs(ctx, sc, err);
	for (size_t i = 0; i < sc->n_rules && !r; i++) {
		uint32_t act = scmp_action(sc->rules[i].action, sc->rules[i].errno_ret);

		if (act != def)
			r = add_rule(ctx, &sc->rules[i], i, act, err);
	}
	if (!r && (r = seccomp_load(ctx)))
		mv_seterr(err, -r, "linux.seccomp: cannot load the filter");
	seccomp_release(ctx);
	return r ? -1 : 0;
}

void oci_process_finish(const struct oci_process *p, const struct oci_seccomp *sc, const char *path,
			struct mv_err *err)
{
	if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		mv_seterr(err, errno, "process.noNewPrivileges: prctl");
		return;
	}
	if (sc && sc->set && load_seccomp(sc, err))
		return;
	execve(path, (char *const *)p->args, (char *const *)p->env);
	mv_seterr(err, errno, "exec: \"%s\"", path);
}

int oci_send_fd(int sock, int fd)
{
	char byte = '\0', cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return RETRY_EINTR(sendmsg(sock, &msg, MSG_NOSIGNAL)) == 1 ? 0 : -1;
}

int oci_console_open(int sock, unsigned rows, unsigned cols, struct mv_err *err)
{
	cleanup_fd int master = (int)RETRY_EINTR(open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC));
	cleanup_fd int slave = -1;
	char name[64];

	if (master < 0)
		return mv_seterr(err, errno,
				 "process.terminal: cannot open /dev/ptmx (a devpts "
				 "on /dev/pts and /dev/ptmx are needed)");
	if (unlockpt(master) || ptsname_r(master, name, sizeof(name)))
		return mv_seterr(err, errno, "process.terminal: unlockpt");
	slave = (int)RETRY_EINTR(open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
	if (slave < 0)
		return mv_seterr(err, errno, "process.terminal: cannot open %s", name);
	if (rows && cols) {
		struct winsize ws = { .ws_row = (unsigned short)rows,
				      .ws_col = (unsigned short)cols };

		ioctl(slave, TIOCSWINSZ, &ws);
	}
	if (oci_send_fd(sock, master))
		return mv_seterr(err, errno, "--console-socket: cannot send the pty's master");
	if (setsid() < 0 && errno != EPERM)
		return mv_seterr(err, errno, "setsid");
	if (ioctl(slave, TIOCSCTTY, 0))
		return mv_seterr(err, errno, "process.terminal: TIOCSCTTY");
	for (int fd = 0; fd <= 2; fd++)
		if (dup2(slave, fd) < 0)
			return mv_seterr(err, errno, "process.terminal: dup2");
	return 0;
}
