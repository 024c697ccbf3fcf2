/* vmm/main.c: kvm-hello-world's entry point: command line -> config, then the setup
 * stages in order, the run, the checks and the reports. */
#include <inttypes.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <time.h>

#include <minivirt/hc.h>

#include "config.h"
#include "files.h"
#include "layout.h"
#include "bootinfo.h"
#include "loader.h"
#include "report.h"
#include "util.h"
#include "vcpu.h"
#include "vm.h"
#include "x86_modes.h"

enum wait_result { WAIT_DONE, WAIT_TIMEOUT, WAIT_SIGNAL };

/* The signals that stop the guest; SIGUSR2 is the vCPU thread saying it ended. */
static void stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGUSR2);
}

/* Waits until the vCPU thread ends, timeout seconds pass (0: never) or a stop signal
 * arrives (its number in *sig). */
static enum wait_result wait_for_vcpu(double timeout, int *sig)
{
	struct timespec now, deadline;
	sigset_t set;

	stop_signals(&set);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += (time_t)timeout;
	deadline.tv_nsec += (long)((timeout - (double)(time_t)timeout) * 1e9);
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	for (;;) {
		struct timespec left;
		int s;

		if (timeout > 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			left.tv_sec = deadline.tv_sec - now.tv_sec;
			left.tv_nsec = deadline.tv_nsec - now.tv_nsec;
			if (left.tv_nsec < 0) {
				left.tv_sec--;
				left.tv_nsec += 1000000000L;
			}
			if (left.tv_sec < 0)
				return WAIT_TIMEOUT;
			s = sigtimedwait(&set, NULL, &left);
		} else {
			s = sigwaitinfo(&set, NULL);
		}
		if (s == SIGUSR2)
			return WAIT_DONE;
		if (s > 0) {
			*sig = s;
			return WAIT_SIGNAL;
		}
		if (errno == EAGAIN)
			return WAIT_TIMEOUT;
	}
}

/* The two checks of the classic example: 42 in guest memory at 0x400 and in rax. */
static int check_result(const struct vm *vm, const struct vcpu *v)
{
	struct kvm_regs regs;
	uint32_t word = 0;
	int status = VMM_OK;

	if (!gmem_read32(&vm->mem, HC_RESULT_ADDR, &word) || word != HC_RESULT_MAGIC) {
		warn_msg("check failed: guest-physical 0x%x holds %" PRIu32 ", expected %d",
			 HC_RESULT_ADDR, word, HC_RESULT_MAGIC);
		status = VMM_CHECK_FAILED;
	}
	if (ioctl(v->fd, KVM_GET_REGS, &regs) < 0)
		die_errno(VMM_HOST_ERROR, "KVM_GET_REGS failed");
	if ((uint32_t)regs.rax != HC_RESULT_MAGIC) {
		warn_msg("check failed: eax/rax holds 0x%llx at the HLT, expected %d", regs.rax,
			 HC_RESULT_MAGIC);
		status = VMM_CHECK_FAILED;
	}
	return status;
}

static const char *mode_phrase(enum cpu_mode m)
{
	static const char *const p[] = { "real mode (-r)", "32-bit protected mode (-s)",
					 "32-bit paging (-p)", "long mode (-l)" };
	return p[m];
}

static int run_guest(struct vcpu *v, const struct vmm_config *cfg)
{
	enum wait_result w;
	sigset_t set;
	int sig = 0;

	/* Guest output is written by the vCPU thread: give stdout its buffer here, so that
	 * thread does not create a malloc arena (128 MiB of address space) for it. */
	static char outbuf[BUFSIZ];
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));

	stop_signals(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* inherited by the vCPU thread */
	vcpu_signals_init();
	vcpu_start(v, pthread_self());
	w = wait_for_vcpu(cfg->timeout, &sig);
	if (w != WAIT_DONE)
		vcpu_stop(v);
	vcpu_join(v);
	fflush(stdout);
	if (w == WAIT_TIMEOUT) {
		warn_msg("vcpu%d: guest still running after %g s (--timeout); stopped it", v->id,
			 cfg->timeout);
		report_regs(stderr, v->fd);
		return VMM_TIMEOUT;
	}
	if (w == WAIT_SIGNAL) {
		warn_msg("stopped by signal %d (%s)", sig, strsignal(sig));
		return 128 + sig;
	}
	return -1; /* the vCPU ended by itself: see its outcome */
}

/* Opens --dir, and makes room for every fd the guest may hold. */
static void open_share(struct share *s, const struct vmm_config *cfg)
{
	struct rlimit rl;
	int err;

	if (cfg->dir && (err = share_open_dir(s, cfg->dir, cfg->ro))) {
		errno = -err;
		die_errno(VMM_USAGE, "--dir '%s'", cfg->dir);
	}
	/* The table may hold max_files host fds; raise the soft limit toward the hard one. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < (rlim_t)cfg->max_files + 64) {
		rl.rlim_cur = rl.rlim_max < (rlim_t)cfg->max_files + 64 ? rl.rlim_max
							      : (rlim_t)cfg->max_files + 64;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Loads the guest file or built-in named by cfg; dies with 126/127 when it cannot. */
static void load_guest(struct vm *vm, const struct vmm_config *cfg, struct layout *lay,
		       struct loaded *img)
{
	char err[320];
	int rc;

	if (cfg->file) {
		rc = loader_file(&vm->mem, cfg->file, lay, img, err, sizeof(err));
		if (rc == -ENOENT)
			die(VMM_NO_GUEST, "%s", err);
		if (rc)
			die(VMM_BAD_GUEST, "%s", err);
	} else if (loader_builtin(&vm->mem, loader_find(cfg->guest), lay, img, err, sizeof(err))) {
		die(VMM_HOST_ERROR, "%s", err);
	}
	lay->entry = img->entry;
}

/* The exit status for a vCPU that ended by itself, reporting what needs it. */
static int outcome_status(const struct vm *vm, const struct vcpu *v, const struct loaded *img)
{
	switch (v->outcome) {
	case VCPU_HALTED:
		return img->classic ? check_result(vm, v) : VMM_OK;
	case VCPU_EXITED:
		return v->hc.exit_status;
	case VCPU_GUEST_FAIL:
		warn_msg("vcpu%d: %s", v->id, v->why);
		return VMM_GUEST_FAIL;
	case VCPU_FAULT:
		warn_msg("vcpu%d: %s (exit reason %u, KVM_EXIT_%s)", v->id, v->why,
			 v->run->exit_reason, vcpu_exit_name(v->run->exit_reason));
		report_regs(stderr, v->fd);
		return VMM_GUEST_FAULT;
	case VCPU_RUNNING:
	case VCPU_ERROR:
	case VCPU_STOPPED:
		break;
	}
	warn_msg("vcpu%d: %s", v->id, v->why);
	return VMM_HOST_ERROR;
}

int main(int argc, char **argv)
{
	static char *builtin_argv[2];
	struct share share = { .dirfd = -1 };
	struct vmm_config cfg;
	struct x86_setup xs;
	struct loaded img;
	struct layout lay;
	struct vcpu vcpu;
	struct vm vm;
	char err[320];
	uint64_t boot;
	int status;

	switch (config_parse(argc, argv, &cfg, err, sizeof(err))) {
	case CONFIG_HELP:
		fputs(config_usage, stdout);
		return VMM_OK;
	case CONFIG_VERSION:
		printf("kvm-hello-world %s\n", MINIVIRT_VERSION);
		return VMM_OK;
	case CONFIG_ERROR:
		fprintf(stderr, "%s: %s\n%s", progname, err, config_usage);
		return VMM_USAGE;
	case CONFIG_RUN:
		break;
	}
	if (!cfg.file && !loader_find(cfg.guest)) {
		fprintf(stderr, "%s: unknown guest '%s' (built-in: %s)\n%s", progname, cfg.guest,
			loader_names(), config_usage);
		return VMM_USAGE;
	}
	if (!cfg.file) { /* a built-in guest gets its name as argv[0] */
		builtin_argv[0] = (char *)cfg.guest;
		cfg.argc = 1;
		cfg.argv = builtin_argv;
	}
	if (layout_plan(cfg.mode, cfg.mem_size, &lay, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n%s", progname, err, config_usage);
		return VMM_USAGE;
	}

	open_share(&share, &cfg);
	vm_create(&vm, cfg.mem_size);
	vcpu_create(&vcpu, &vm, 0);
	files_init(&vcpu.files, &share, cfg.max_files);
	vcpu.hc.files = &vcpu.files;
	load_guest(&vm, &cfg, &lay, &img);
	if (!(boot = bootinfo_write(&vm.mem, &lay, cfg.argc, cfg.argv, 0, err, sizeof(err))))
		die(VMM_USAGE, "%s", err);
	if (x86_setup_mode(&vm, vcpu.fd, &lay, boot, &xs, err, sizeof(err)) == -ENOTSUP)
		die(VMM_UNSUPPORTED, "%s is not supported by this host's KVM%s", mode_phrase(cfg.mode),
		    cfg.mode == MODE_LONG ? "" : "; use -l");
	if (cfg.layout)
		report_layout(stdout, &vm, &vcpu, &lay, &xs, &img);

	status = run_guest(&vcpu, &cfg);
	if (status < 0)
		status = outcome_status(&vm, &vcpu, &img);
	if (cfg.stats)
		report_stats(stdout, &vcpu);
	files_destroy(&vcpu.files);
	vcpu_destroy(&vcpu);
	vm_destroy(&vm);
	share_close(&share);
	return status;
}
