/* vmm/vcpu.c: vCPU creation, the run loop and its exit dispatch (one place). */
#include "vcpu.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <minivirt/hc.h>

#include "util.h"

#define SIG_KICK SIGUSR1 /* interrupts KVM_RUN in the vCPU thread */
#define SIG_DONE SIGUSR2 /* tells the waiting thread that a loop ended */

const char *vcpu_exit_name(uint32_t reason)
{
	static const char *const names[] = {
		[KVM_EXIT_UNKNOWN] = "UNKNOWN",       [KVM_EXIT_EXCEPTION] = "EXCEPTION",
		[KVM_EXIT_IO] = "IO",                 [KVM_EXIT_HYPERCALL] = "HYPERCALL",
		[KVM_EXIT_DEBUG] = "DEBUG",           [KVM_EXIT_HLT] = "HLT",
		[KVM_EXIT_MMIO] = "MMIO",             [KVM_EXIT_IRQ_WINDOW_OPEN] = "IRQ_WINDOW_OPEN",
		[KVM_EXIT_SHUTDOWN] = "SHUTDOWN",     [KVM_EXIT_FAIL_ENTRY] = "FAIL_ENTRY",
		[KVM_EXIT_INTR] = "INTR",             [KVM_EXIT_SET_TPR] = "SET_TPR",
		[KVM_EXIT_TPR_ACCESS] = "TPR_ACCESS", [KVM_EXIT_NMI] = "NMI",
		[KVM_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR", [KVM_EXIT_OSI] = "OSI",
		[KVM_EXIT_WATCHDOG] = "WATCHDOG",     [KVM_EXIT_EPR] = "EPR",
		[KVM_EXIT_SYSTEM_EVENT] = "SYSTEM_EVENT", [KVM_EXIT_IOAPIC_EOI] = "IOAPIC_EOI",
		[KVM_EXIT_HYPERV] = "HYPERV",         [KVM_EXIT_X86_RDMSR] = "X86_RDMSR",
		[KVM_EXIT_X86_WRMSR] = "X86_WRMSR",   [KVM_EXIT_DIRTY_RING_FULL] = "DIRTY_RING_FULL",
		[KVM_EXIT_AP_RESET_HOLD] = "AP_RESET_HOLD", [KVM_EXIT_X86_BUS_LOCK] = "X86_BUS_LOCK",
	};

	if (reason < ARRAY_SIZE(names) && names[reason])
		return names[reason];
	return "unnamed";
}

static void on_kick(int sig)
{
	(void)sig; /* its only job is to make KVM_RUN return EINTR */
}

void vcpu_signals_init(void)
{
	struct sigaction sa = { .sa_handler = on_kick }; /* no SA_RESTART: KVM_RUN must return */

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIG_KICK, &sa, NULL) < 0)
		die_errno(VMM_HOST_ERROR, "sigaction");
}

void vcpu_create(struct vcpu *v, struct vm *vm, int id)
{
	memset(v, 0, sizeof(*v));
	v->id = id;
	v->fd = (int)RETRY_EINTR(ioctl(vm->vm_fd, KVM_CREATE_VCPU, (unsigned long)id));
	if (v->fd < 0)
		die_errno(VMM_HOST_ERROR, "KVM_CREATE_VCPU %d failed", id);
	v->run_size = vm->run_size;
	v->run = mmap(NULL, v->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED)
		die_errno(VMM_HOST_ERROR, "cannot map the kvm_run area of vCPU %d", id);
}

/* Port 0xE9 output: the bytes of one `out` (count > 1 for `rep outsb`) from the pio data
 * area of kvm_run. Returns false, with why set, for anything else. */
static bool handle_io(struct vcpu *v)
{
	const struct kvm_run *r = v->run;
	uint64_t len = (uint64_t)r->io.size * r->io.count;

	if (r->io.port != HC_PORT_CONSOLE || r->io.direction != KVM_EXIT_IO_OUT ||
	    r->io.size != 1) {
		snprintf(v->why, sizeof(v->why), "unhandled I/O: %s port 0x%x, %u byte(s) x %u",
			 r->io.direction == KVM_EXIT_IO_OUT ? "out to" : "in from", r->io.port,
			 r->io.size, r->io.count);
		return false;
	}
	/* The offset comes from the kernel; check it anyway before reading. */
	if (r->io.data_offset > v->run_size || len > v->run_size - r->io.data_offset) {
		snprintf(v->why, sizeof(v->why), "I/O data outside kvm_run (offset %llu, %llu bytes)",
			 (unsigned long long)r->io.data_offset, (unsigned long long)len);
		return false;
	}
	fwrite((const char *)r + r->io.data_offset, 1, len, stdout);
	v->stats.console_exits++;
	v->stats.console_bytes += len;
	return true;
}

static void describe_exit(struct vcpu *v)
{
	const struct kvm_run *r = v->run;

	switch (r->exit_reason) {
	case KVM_EXIT_SHUTDOWN:
		snprintf(v->why, sizeof(v->why), "guest shut down (triple fault)");
		break;
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(v->why, sizeof(v->why), "VM entry failed, hardware reason 0x%llx",
			 (unsigned long long)r->fail_entry.hardware_entry_failure_reason);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		snprintf(v->why, sizeof(v->why), "KVM internal error, suberror %u",
			 r->internal.suberror);
		break;
	case KVM_EXIT_MMIO:
		snprintf(v->why, sizeof(v->why), "%u-byte %s at guest-physical 0x%llx, outside memory",
			 r->mmio.len, r->mmio.is_write ? "write" : "read",
			 (unsigned long long)r->mmio.phys_addr);
		break;
	default:
		snprintf(v->why, sizeof(v->why), "unhandled exit");
	}
}

static enum vcpu_outcome vcpu_loop(struct vcpu *v)
{
	for (;;) {
		if (atomic_load(&v->stop))
			return VCPU_STOPPED;
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN) {
				v->stats.interrupted++;
				v->run->immediate_exit = 0;
				continue;
			}
			snprintf(v->why, sizeof(v->why), "KVM_RUN failed: %s", strerror(errno));
			return VCPU_ERROR;
		}
		v->stats.exits++;
		if (v->run->exit_reason < VCPU_EXIT_REASONS)
			v->stats.by_reason[v->run->exit_reason]++;
		switch (v->run->exit_reason) {
		case KVM_EXIT_IO:
			if (!handle_io(v))
				return VCPU_FAULT;
			break;
		case KVM_EXIT_HLT:
			return VCPU_HALTED;
		default:
			describe_exit(v);
			return VCPU_FAULT;
		}
	}
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	sigset_t kick;

	sigemptyset(&kick);
	sigaddset(&kick, SIG_KICK);
	pthread_sigmask(SIG_UNBLOCK, &kick, NULL);
	v->outcome = vcpu_loop(v);
	fflush(stdout);
	pthread_kill(v->waiter, SIG_DONE);
	return NULL;
}

void vcpu_start(struct vcpu *v, pthread_t waiter)
{
	char name[16];
	int err;

	v->waiter = waiter;
	err = pthread_create(&v->thread, NULL, vcpu_thread, v);
	if (err) {
		errno = err;
		die_errno(VMM_HOST_ERROR, "cannot start the thread of vCPU %d", v->id);
	}
	v->started = true;
	snprintf(name, sizeof(name), "vcpu-%d", v->id);
	pthread_setname_np(v->thread, name);
}

void vcpu_stop(struct vcpu *v)
{
	atomic_store(&v->stop, true);
	/* immediate_exit catches the window between the stop check and KVM_RUN. */
	v->run->immediate_exit = 1;
	if (v->started)
		pthread_kill(v->thread, SIG_KICK);
}

void vcpu_join(struct vcpu *v)
{
	if (v->started)
		pthread_join(v->thread, NULL);
	v->started = false;
}

void vcpu_destroy(struct vcpu *v)
{
	if (v->run && v->run != MAP_FAILED)
		munmap(v->run, v->run_size);
	if (v->fd >= 0)
		close(v->fd);
	v->run = NULL;
	v->fd = -1;
}
