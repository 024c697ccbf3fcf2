/* vmm/main.c: kvm-hello-world's entry point: command line -> config, then the setup
 * stages in order, the run, the checks and the reports. */
#include <inttypes.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include <minivirt/hc.h>

#include "config.h"
#include "layout.h"
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

int main(int argc, char **argv)
{
	const struct guest_image *img;
	struct vmm_config cfg;
	struct x86_setup xs;
	struct layout lay;
	struct vcpu vcpu;
	struct vm vm;
	char err[256];
	size_t img_size;
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
	if (!(img = loader_find(cfg.guest))) {
		fprintf(stderr, "%s: unknown guest '%s' (built-in: %s)\n%s", progname, cfg.guest,
			loader_names(), config_usage);
		return VMM_USAGE;
	}
	if (layout_plan(cfg.mode, cfg.mem_size, &lay, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n%s", progname, err, config_usage);
		return VMM_USAGE;
	}

	vm_create(&vm, cfg.mem_size);
	vcpu_create(&vcpu, &vm, 0);
	if (!(img_size = loader_load(&vm.mem, img, &lay)))
		die(VMM_HOST_ERROR, "the '%s' image does not fit its region", img->name);
	if (x86_setup_mode(&vm, vcpu.fd, &lay, &xs, err, sizeof(err)) == -ENOTSUP)
		die(VMM_UNSUPPORTED, "%s is not supported by this host's KVM%s", mode_phrase(cfg.mode),
		    cfg.mode == MODE_LONG ? "" : "; use -l");
	if (cfg.layout)
		report_layout(stdout, &vm, &vcpu, &lay, &xs, img, img_size);

	status = run_guest(&vcpu, &cfg);
	if (status < 0) {
		switch (vcpu.outcome) {
		case VCPU_HALTED:
			status = img->checks_result ? check_result(&vm, &vcpu) : VMM_OK;
			break;
		case VCPU_FAULT:
			warn_msg("vcpu%d: %s (exit reason %u, KVM_EXIT_%s)", vcpu.id, vcpu.why,
				 vcpu.run->exit_reason, vcpu_exit_name(vcpu.run->exit_reason));
			report_regs(stderr, vcpu.fd);
			status = VMM_GUEST_FAULT;
			break;
		case VCPU_ERROR:
		case VCPU_STOPPED:
			warn_msg("vcpu%d: %s", vcpu.id, vcpu.why);
			status = VMM_HOST_ERROR;
			break;
		}
	}
	if (cfg.stats)
		report_stats(stdout, &vcpu);
	vcpu_destroy(&vcpu);
	vm_destroy(&vm);
	return status;
}
