/* SPDX-License-Identifier: MIT */
/* isolate/watch.c: a seccomp user-notification filter that shows isolate the large
 * allocations and the forks its rlimits may refuse (see watch.h). */
#include "watch.h"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "rlimits.h"
#include "base.h"

/* x86-64 system call numbers (the filter sees numbers, not names) */
enum {
	NR_MMAP = 9,
	NR_MREMAP = 25,
	NR_CLONE = 56,
	NR_FORK = 57,
	NR_VFORK = 58,
	NR_CLONE3 = 435
};

#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define ARG_HI(i) (ARG_LO(i) + 4)

bool iso_watch_wanted(const struct iso_config *cfg, bool cgroup)
{
	return !cgroup && (cfg->limit_set[ISO_LIMIT_MEMORY] || cfg->limit_set[ISO_LIMIT_PROCS]);
}

/* Requests smaller than this are left to the peak-RSS rule (report.c): a program that
 * grows by small steps is seen near its limit; one large request is not. */
static unsigned threshold(unsigned long long memory)
{
	unsigned long long t = memory / 16;

	return t < (1u << 20) ? 1u << 20 : t > 0xffffffffu ? 0xffffffffu : (unsigned)t;
}

/* The filter, by hand: a dozen instructions whose threshold is the run's own (the default
 * filter is built with libseccomp at build time; this one cannot be). Other architectures
 * (i386, x32) pass unwatched. */
static int build(const struct iso_config *cfg, struct sock_filter *f)
{
	bool mem = cfg->limit_set[ISO_LIMIT_MEMORY], procs = cfg->limit_set[ISO_LIMIT_PROCS];
	unsigned thr = mem ? threshold(cfg->limit[ISO_LIMIT_MEMORY]) : 0;
	/* the instructions' places, for the jumps (classic BPF jumps only forward) */
	enum {
		MMAP = 10,
		MREMAP = 14,
		NOTIFY = 18,
		ALLOW = 19,
		COUNT = 20
	};
	int n = 0;

#define AT(target) ((unsigned char)((target)-n - 1))
	f[n] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					    offsetof(struct seccomp_data, arch));
	n++;
	f[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0,
					    AT(ALLOW));
	n++;
	f[n] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					    offsetof(struct seccomp_data, nr));
	n++;
	f[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NR_MMAP,
					    AT(mem ? MMAP : ALLOW), 0);
	n++;
	f[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NR_MREMAP,
					    AT(mem ? MREMAP : ALLOW), 0);
	n++;
	static const unsigned forks[] = { NR_CLONE, NR_CLONE3, NR_FORK, NR_VFORK };
	for (size_t i = 0; i < ARRAY_SIZE(forks); i++) {
		f[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, forks[i],
						    AT(procs ? NOTIFY : ALLOW), 0);
		n++;
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW); /* the rest */
	/* MMAP: its length (args[1]) at or above the threshold, 4 GiB and more included */
	f[n] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_HI(1));
	n++;
	f[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 0, AT(NOTIFY), 0);
	n++;
	f[n] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(1));
	n++;
	f[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, thr, AT(NOTIFY), AT(ALLOW));
	n++;
	/* MREMAP: its new length (args[2]) */
	f[n] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_HI(2));
	n++;
	f[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 0, AT(NOTIFY), 0);
	n++;
	f[n] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(2));
	n++;
	f[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, thr, AT(NOTIFY), AT(ALLOW));
	n++;
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF); /* NOTIFY */
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);      /* ALLOW */
#undef AT
	return n == COUNT ? n : -1;
}

void iso_watch_install(const struct iso_config *cfg, int sock)
{
	struct sock_filter f[32];
	struct sock_fprog prog = { .filter = f };
	char ctl[CMSG_SPACE(sizeof(int))] = { 0 };
	char one = 'w';
	struct iovec iov = { .iov_base = &one, .iov_len = 1 };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl)
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	int n = build(cfg, f), fd;

	if (n < 0) {
		close(sock);
		return;
	}
	prog.len = (unsigned short)n;
	/* no_new_privs is on (hardening), or the capabilities are all there (--no-harden) */
	fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
			  &prog);
	if (fd >= 0) {
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
		if (sendmsg(sock, &m, MSG_NOSIGNAL) < 0) {
			/* isolate is gone; PROGRAM goes with it */
		}
		close(fd);
	}
	close(sock);
}

void iso_watch_start(struct iso_watch *w, const struct iso_config *cfg, int sock)
{
	char ctl[CMSG_SPACE(sizeof(int))] = { 0 };
	char one;
	struct iovec iov = { .iov_base = &one, .iov_len = 1 };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl)
	};
	struct cmsghdr *c;

	w->listener = -1;
	w->peak_tasks = -1;
	w->memory = cfg->limit_set[ISO_LIMIT_MEMORY] ? cfg->limit[ISO_LIMIT_MEMORY] : 0;
	w->procs = cfg->limit_set[ISO_LIMIT_PROCS] ? cfg->limit[ISO_LIMIT_PROCS] : 0;
	/* PROGRAM sent it before its exec, which isolate has seen: it is there, or never */
	if (RETRY_EINTR(recvmsg(sock, &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC)) == 1 &&
	    (c = CMSG_FIRSTHDR(&m)) && c->cmsg_type == SCM_RIGHTS)
		memcpy(&w->listener, CMSG_DATA(c), sizeof(int));
	close(sock);
	if (w->listener >= 0)
		iso_step("host",
			 "watching PROGRAM's large allocations and forks (seccomp user "
			 "notifications): a request an rlimit refuses is named in the report");
	else
		iso_step("host", "no seccomp notifications (another listener is installed): a "
				 "refused allocation or fork is seen only by sampling");
}

/* The address space of process pid, in bytes (VmSize), or -1. */
static long long vm_size(pid_t pid)
{
	char path[64], line[128];
	long long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmSize: %lld", &kib) == 1)
			break;
	fclose(f);
	return kib < 0 ? -1 : kib * 1024;
}

void iso_watch_handle(struct iso_watch *w, pid_t pid1)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	memset(&req, 0, sizeof(req));
	if (ioctl(w->listener, SECCOMP_IOCTL_NOTIF_RECV, &req)) {
		if (errno != EINTR && errno != ENOENT) {
			/* the filter is gone (every process of it ended): nothing more comes */
			close(w->listener);
			w->listener = -1;
		}
		return;
	}
	if (req.data.nr == NR_MMAP || req.data.nr == NR_MREMAP) {
		unsigned long long grow = req.data.nr == NR_MMAP ? req.data.args[1]
					  : req.data.args[2] > req.data.args[1]
						  ? req.data.args[2] - req.data.args[1]
						  : 0;
		long long vm = vm_size((pid_t)req.pid);

		if (!w->memory_refused && vm >= 0 && (unsigned long long)vm + grow > w->memory) {
			w->memory_refused = true;
			iso_step("host",
				 "--memory: pid %u asks for %llu bytes more with %llu in use: "
				 "RLIMIT_AS refuses it",
				 req.pid, grow, (unsigned long long)vm);
		}
	} else {
		struct iso_sample s;

		iso_sample(pid1, false, &s);
		if (s.tasks > w->peak_tasks)
			w->peak_tasks = s.tasks;
		if (!w->fork_refused && (unsigned long long)s.tasks >= w->procs) {
			w->fork_refused = true;
			iso_step("host",
				 "--processes: a fork with %lld tasks in the container: "
				 "RLIMIT_NPROC refuses it",
				 s.tasks);
		}
	}
	/* the kernel carries the call out, and its rlimits decide */
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	if (ioctl(w->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp)) {
		/* ENOENT: the caller died meanwhile */
	}
}

void iso_watch_stop(struct iso_watch *w)
{
	if (w->listener >= 0)
		close(w->listener);
	w->listener = -1;
}
