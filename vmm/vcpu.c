/* SPDX-License-Identifier: MIT */
/* vmm/vcpu.c: vCPU creation, the run loop and its exit dispatch (one place). */
#include "vcpu.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <minivirt/hc.h>

#include "traps.h"
#include "util.h"

#define SIG_KICK SIGUSR1 /* interrupts KVM_RUN in the vCPU thread */
#define SIG_DONE SIGUSR2 /* tells the waiting thread that a loop ended */

const char *vcpu_exit_name(uint32_t reason)
{
	static const char *const names[] = {
		[KVM_EXIT_UNKNOWN] = "UNKNOWN",
		[KVM_EXIT_EXCEPTION] = "EXCEPTION",
		[KVM_EXIT_IO] = "IO",
		[KVM_EXIT_HYPERCALL] = "HYPERCALL",
		[KVM_EXIT_DEBUG] = "DEBUG",
		[KVM_EXIT_HLT] = "HLT",
		[KVM_EXIT_MMIO] = "MMIO",
		[KVM_EXIT_IRQ_WINDOW_OPEN] = "IRQ_WINDOW_OPEN",
		[KVM_EXIT_SHUTDOWN] = "SHUTDOWN",
		[KVM_EXIT_FAIL_ENTRY] = "FAIL_ENTRY",
		[KVM_EXIT_INTR] = "INTR",
		[KVM_EXIT_SET_TPR] = "SET_TPR",
		[KVM_EXIT_TPR_ACCESS] = "TPR_ACCESS",
		[KVM_EXIT_NMI] = "NMI",
		[KVM_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
		[KVM_EXIT_OSI] = "OSI",
		[KVM_EXIT_WATCHDOG] = "WATCHDOG",
		[KVM_EXIT_EPR] = "EPR",
		[KVM_EXIT_SYSTEM_EVENT] = "SYSTEM_EVENT",
		[KVM_EXIT_IOAPIC_EOI] = "IOAPIC_EOI",
		[KVM_EXIT_HYPERV] = "HYPERV",
		[KVM_EXIT_X86_RDMSR] = "X86_RDMSR",
		[KVM_EXIT_X86_WRMSR] = "X86_WRMSR",
		[KVM_EXIT_DIRTY_RING_FULL] = "DIRTY_RING_FULL",
		[KVM_EXIT_AP_RESET_HOLD] = "AP_RESET_HOLD",
		[KVM_EXIT_X86_BUS_LOCK] = "X86_BUS_LOCK",
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

int vcpu_create(struct vcpu *v, struct vm *vm, int id, unsigned kvm_id, struct mv_err *e)
{
	int sync;

	memset(v, 0, sizeof(*v));
	pthread_mutex_init(&v->kick_lock, NULL);
	v->id = id;
	v->fd = (int)RETRY_EINTR(ioctl(vm->vm_fd, KVM_CREATE_VCPU, (unsigned long)kvm_id));
	if (v->fd < 0)
		return mv_seterr(e, errno, "KVM_CREATE_VCPU %u (vCPU %d) failed", kvm_id, id);
	v->run_size = vm->run_size;
	v->mem = &vm->mem;
	v->hc.out = stdout;
	v->hc.vcpu_id = (uint32_t)id;
	v->run = mmap(NULL, v->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		mv_seterr(e, errno, "cannot map the kvm_run area of vCPU %d", id);
		vcpu_destroy(v);
		return -1;
	}
	/* Hypercalls need the guest's paging registers at every exit: let KVM copy them
	 * into kvm_run rather than paying a KVM_GET_SREGS each time. */
	sync = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_REGS);
	if (sync > 0 && (sync & KVM_SYNC_X86_SREGS)) {
		v->run->kvm_valid_regs = KVM_SYNC_X86_SREGS;
		v->sync_sregs = true;
	}
	if (sync > 0 && (sync & KVM_SYNC_X86_REGS)) { /* rax, for hypercalls */
		v->run->kvm_valid_regs |= KVM_SYNC_X86_REGS;
		v->sync_regs = true;
	}
	return 0;
}

/* The bytes of the current I/O exit, or NULL when the kernel's offset and size do not
 * fit the kvm_run area (never expected; checked anyway). */
static const uint8_t *io_data(struct vcpu *v, uint64_t *len)
{
	const struct kvm_run *r = v->run;

	*len = (uint64_t)r->io.size * r->io.count;
	if (r->io.data_offset > v->run_size || *len > v->run_size - r->io.data_offset) {
		mv_seterr(&v->why, 0, "I/O data outside kvm_run (offset %llu, %llu bytes)",
			  (unsigned long long)r->io.data_offset, (unsigned long long)*len);
		return NULL;
	}
	return (const uint8_t *)r + r->io.data_offset;
}

static bool is_hypercall_port(uint16_t port)
{
	return port >= HC_PORT_BASE && port < HC_PORT_BASE + HC_PORT_COUNT;
}

/* The guest's segment and control registers at this exit: from kvm_run when KVM syncs
 * them there, else read into buf. NULL, with why set, when they cannot be read. */
static const struct kvm_sregs *guest_sregs(struct vcpu *v, struct kvm_sregs *buf)
{
	if (v->sync_sregs)
		return &v->run->s.regs.sregs;
	if (ioctl(v->fd, KVM_GET_SREGS, buf) < 0) {
		mv_seterr(&v->why, errno, "KVM_GET_SREGS failed");
		return NULL;
	}
	return buf;
}

/* The guest's rax at this exit: from kvm_run when KVM syncs it there, else read into
 * v->regs. NULL, with why set, when it cannot be read. */
static const uint64_t *guest_rax(struct vcpu *v)
{
	if (v->sync_regs)
		return (const uint64_t *)&v->run->s.regs.regs.rax;
	if (ioctl(v->fd, KVM_GET_REGS, &v->regs) < 0) {
		mv_seterr(&v->why, errno, "KVM_GET_REGS failed");
		return NULL;
	}
	return (const uint64_t *)&v->regs.rax;
}

/* A hypercall: a 32-bit `out` of its request's guest-virtual address. */
static enum vcpu_outcome handle_hypercall(struct vcpu *v)
{
	const struct kvm_run *r = v->run;
	const uint32_t nr = r->io.port - HC_PORT_BASE;
	const struct kvm_sregs *s;
	struct kvm_sregs buf;
	const uint8_t *data;
	const uint64_t *rax;
	uint32_t req;
	uint64_t len;

	if (r->io.direction != KVM_EXIT_IO_OUT || r->io.size != 4 || r->io.count != 1) {
		mv_seterr(&v->why, 0,
			  "hypercall %u (port 0x%x) needs one 32-bit out, got "
			  "%s of %u byte(s) x %u",
			  nr, r->io.port, r->io.direction == KVM_EXIT_IO_OUT ? "an out" : "an in",
			  r->io.size, r->io.count);
		return VCPU_FAULT;
	}
	if (!(data = io_data(v, &len)))
		return VCPU_FAULT;
	memcpy(&req, data, sizeof(req));
	if (!(rax = guest_rax(v)))
		return VCPU_ERROR;
	/* `rep outsl` may reach us one element per exit, each looking like an `out`: only an
	 * out of eax is a hypercall. (String I/O that writes what eax holds is that out.) */
	if (req != (uint32_t)*rax) {
		mv_seterr(&v->why, 0,
			  "hypercall %u (port 0x%x): string I/O (outs) is "
			  "not a hypercall; use one 32-bit out of eax",
			  nr, r->io.port);
		return VCPU_FAULT;
	}
	if (!(s = guest_sregs(v, &buf)))
		return VCPU_ERROR;
	if (gva_view(&v->hc.view, v->mem, s->cr0, s->cr3, s->cr4, s->efer)) {
		mv_seterr(&v->why, 0,
			  "hypercall %u from PAE paging, which the VMM does "
			  "not walk (cr4=0x%llx)",
			  nr, s->cr4);
		return VCPU_FAULT;
	}
	/* The call acts with the caller's privilege, taken at this exit. */
	gva_set_cpl(&v->hc.view, gva_cpl(s->cr0, s->ss.dpl, s->cs.selector), v->hc.sys_start,
		    v->hc.sys_end);
	v->stats.hypercalls++;
	v->hc.exits = v->stats.exits;
	switch (hc_dispatch(&v->hc, nr, req)) {
	case HC_CONTINUE: return VCPU_RUNNING;
	case HC_STOP_EXIT: return VCPU_EXITED;
	case HC_STOP_FAIL: v->why = v->hc.why; return VCPU_GUEST_FAIL;
	case HC_STOP_FAULT: break;
	}
	v->why = v->hc.why;
	return VCPU_FAULT;
}

/* The guest's exception reached the VMM's stub: decode the frame it pushed. */
static enum vcpu_outcome handle_trap(struct vcpu *v)
{
	const struct kvm_run *r = v->run;
	const struct kvm_sregs *s;
	struct kvm_sregs buf;
	struct kvm_regs regs;
	struct gview view;

	if (ioctl(v->fd, KVM_GET_REGS, &regs) < 0) {
		mv_seterr(&v->why, errno, "KVM_GET_REGS failed");
		return VCPU_ERROR;
	}
	if (!(s = guest_sregs(v, &buf)))
		return VCPU_ERROR;
	/* Only the VMM's stub reports, in ring 0: ring 3 cannot reach the port (not in its
	 * I/O bitmap) nor the stub (a supervisor page), and this catches a platform that let
	 * it through. KVM leaves rip at the `out` (older kernels: past its 2 bytes). */
	if ((s->cs.selector & 3) || !v->trap_rip || r->io.size != 1 || r->io.count != 1 ||
	    (regs.rip != v->trap_rip && regs.rip != v->trap_rip + 2)) {
		mv_seterr(&v->why, 0,
			  "unhandled I/O: out to the exception-report port "
			  "0x%x from ring %u at rip 0x%llx, not from the VMM's stubs: refused",
			  HC_PORT_TRAP, s->cs.selector & 3, regs.rip);
		return VCPU_FAULT;
	}
	/* Long mode (4-level paging) pushes 8-byte frame slots, the 32-bit modes 4-byte ones. */
	if (gva_view(&view, v->mem, s->cr0, s->cr3, s->cr4, s->efer) ||
	    traps_decode(&view, view.fmt == PT_4LEVEL, regs.rsp, s->cr2, &v->trap)) {
		mv_seterr(&v->why, 0, "an exception, whose frame at 0x%llx is unreadable",
			  regs.rsp);
		return VCPU_FAULT;
	}
	v->trapped = true;
	traps_describe(&v->trap, &v->why);
	return VCPU_FAULT;
}

/* Port I/O: the console port, a hypercall, or an exit the VMM does not handle. */
static enum vcpu_outcome handle_io(struct vcpu *v)
{
	const struct kvm_run *r = v->run;
	const uint8_t *data;
	uint64_t len;

	if (is_hypercall_port(r->io.port))
		return handle_hypercall(v);
	if (r->io.port == HC_PORT_TRAP && r->io.direction == KVM_EXIT_IO_OUT)
		return handle_trap(v);
	if (r->io.port != HC_PORT_CONSOLE || r->io.direction != KVM_EXIT_IO_OUT ||
	    r->io.size != 1) {
		mv_seterr(&v->why, 0, "unhandled I/O: %s port 0x%x, %u byte(s) x %u",
			  r->io.direction == KVM_EXIT_IO_OUT ? "out to" : "in from", r->io.port,
			  r->io.size, r->io.count);
		return VCPU_FAULT;
	}
	if (!(data = io_data(v, &len)))
		return VCPU_FAULT;
	fwrite(data, 1, len, v->hc.out); /* count > 1 for `rep outsb` */
	v->stats.console_exits++;
	v->stats.console_bytes += len;
	return VCPU_RUNNING;
}

static void describe_exit(struct vcpu *v)
{
	const struct kvm_run *r = v->run;

	switch (r->exit_reason) {
	case KVM_EXIT_SHUTDOWN: mv_seterr(&v->why, 0, "guest shut down (triple fault)"); break;
	case KVM_EXIT_FAIL_ENTRY:
		mv_seterr(&v->why, 0, "VM entry failed, hardware reason 0x%llx",
			  (unsigned long long)r->fail_entry.hardware_entry_failure_reason);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		mv_seterr(&v->why, 0, "KVM internal error, suberror %u", r->internal.suberror);
		break;
	case KVM_EXIT_MMIO:
		mv_seterr(&v->why, 0, "%u-byte %s at guest-physical 0x%llx, outside memory",
			  r->mmio.len, r->mmio.is_write ? "write" : "read",
			  (unsigned long long)r->mmio.phys_addr);
		break;
	default: mv_seterr(&v->why, 0, "unhandled exit");
	}
}

/* Serves the I/O queue at an exit (its lock held): what the guest published before the
 * exit is answered before the exit is handled. Returns -1, with why, for a corrupt queue. */
static int serve_queue(struct vcpu *v)
{
	struct queue *q = &v->queue;
	int n = queue_serve(q, q->active ? vq_avail(&q->vq) : 0); /* the guest is stopped */

	if (n < 0) {
		v->why = q->why;
		return -1;
	}
	q->at_exits += (uint64_t)n;
	return 0;
}

/* One exit, with the ring and the queue (if any) served first and locked throughout, so
 * output from them and from exits keeps the guest's order. */
static enum vcpu_outcome handle_exit(struct vcpu *v)
{
	enum vcpu_outcome o;

	if (v->hc.ring) {
		pthread_mutex_lock(&v->ring.lock);
		ring_drain(&v->ring);
	}
	if (v->hc.queue)
		pthread_mutex_lock(&v->queue.lock);
	if (v->hc.queue && serve_queue(v))
		o = VCPU_FAULT;
	else
		switch (v->run->exit_reason) {
		case KVM_EXIT_IO: o = handle_io(v); break;
		case KVM_EXIT_HLT: o = VCPU_HALTED; break;
		default: describe_exit(v); o = VCPU_FAULT;
		}
	if (v->con) /* this exit's output, whole lines, in one go */
		con_stream_flush(v->con, false);
	if (v->hc.queue)
		pthread_mutex_unlock(&v->queue.lock);
	if (v->hc.ring)
		pthread_mutex_unlock(&v->ring.lock);
	return o;
}

static enum vcpu_outcome vcpu_loop(struct vcpu *v)
{
	for (;;) {
		if (atomic_load(&v->stop))
			return VCPU_STOPPED;
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN) {
				v->stats.interrupted++;
				__atomic_store_n(&v->run->immediate_exit, 0, __ATOMIC_RELAXED);
				continue;
			}
			mv_seterr(&v->why, errno, "KVM_RUN failed");
			return VCPU_ERROR;
		}
		v->stats.exits++;
		if (v->run->exit_reason < VCPU_EXIT_REASONS)
			v->stats.by_reason[v->run->exit_reason]++;
		enum vcpu_outcome o = handle_exit(v);

		if (o != VCPU_RUNNING)
			return o;
		if (console_check_stderr()) /* stdout's failures are recorded as they happen */
			return VCPU_OUTPUT;
	}
}

/* Whatever the ring still holds is printed before the vCPU's end is reported; a ring
 * found corrupt turns the end into a fault. */
static void ring_finish(struct vcpu *v)
{
	if (!v->hc.ring)
		return;
	pthread_mutex_lock(&v->ring.lock);
	ring_drain(&v->ring);
	pthread_mutex_unlock(&v->ring.lock);
	if (atomic_load(&v->ring.broken)) {
		v->why = v->ring.why;
		v->outcome = VCPU_FAULT;
	}
}

/* The queue's thread is ended, then what the guest left in the queue is answered; a
 * queue found corrupt turns the end into a fault. */
static void queue_finish(struct vcpu *v)
{
	if (!v->hc.queue)
		return;
	queue_stop(&v->queue);
	if (v->hc.ring)
		pthread_mutex_lock(&v->ring.lock);
	pthread_mutex_lock(&v->queue.lock);
	if (!atomic_load(&v->queue.broken))
		serve_queue(v);
	pthread_mutex_unlock(&v->queue.lock);
	if (v->hc.ring)
		pthread_mutex_unlock(&v->ring.lock);
	if (atomic_load(&v->queue.broken)) {
		v->why = v->queue.why;
		v->outcome = VCPU_FAULT;
	}
}

void vcpu_run(struct vcpu *v, pthread_t waiter, atomic_uint *done)
{
	sigset_t kick;

	sigemptyset(&kick);
	sigaddset(&kick, SIG_KICK);
	pthread_sigmask(SIG_UNBLOCK, &kick, NULL);
	/* From here vcpu_stop kicks this thread; a stop before it is seen by the loop's
	 * first check. */
	pthread_mutex_lock(&v->kick_lock);
	v->thread = pthread_self();
	v->started = true;
	pthread_mutex_unlock(&v->kick_lock);
	v->outcome = vcpu_loop(v);
	queue_finish(v);
	ring_finish(v);
	if (v->con)
		con_stream_flush(v->con, true);
	else
		fflush(v->hc.out);
	if (v->outcome != VCPU_OUTPUT && console_check_stderr())
		v->outcome = VCPU_OUTPUT;
	/* No kick from here on: the loop it would interrupt has ended. */
	pthread_mutex_lock(&v->kick_lock);
	v->started = false;
	pthread_mutex_unlock(&v->kick_lock);
	atomic_fetch_add(done, 1);
	pthread_kill(waiter, SIG_DONE);
}

void vcpu_stop(struct vcpu *v)
{
	atomic_store(&v->stop, true);
	pthread_mutex_lock(&v->kick_lock);
	/* immediate_exit catches the window between the stop check and KVM_RUN (the area
	 * is gone once the vCPU is closed, which its thread may do while others run). */
	if (v->run)
		__atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_RELAXED);
	if (v->started) /* while the loop runs in it */
		pthread_kill(v->thread, SIG_KICK);
	pthread_mutex_unlock(&v->kick_lock);
}

static void ring_broken(void *arg)
{
	vcpu_stop(arg);
}

/* Has KVM signal efd, in the kernel and without an exit, when vCPU id writes its id to
 * port (the ring's and the queue's doorbells). Returns 0 or -errno. */
static int doorbell_register(int vm_fd, uint16_t port, int efd, int id)
{
	struct kvm_ioeventfd io = {
		.datamatch = (uint64_t)id,
		.addr = port,
		.len = 4,
		.fd = efd,
		.flags = KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DATAMATCH,
	};

	return ioctl(vm_fd, KVM_IOEVENTFD, &io) < 0 ? -errno : 0;
}

int vcpu_ring_init(struct vcpu *v, int vm_fd)
{
	int err = ring_init(&v->ring, v->hc.out, v->con);

	if (err)
		return err;
	if ((err = doorbell_register(vm_fd, HC_PORT_DOORBELL, v->ring.bell.efd, v->id)))
		return err;
	v->ring.on_broken = ring_broken;
	v->ring.arg = v;
	if ((err = ring_start(&v->ring)))
		return -err;
	v->hc.ring = &v->ring;
	return 0;
}

int vcpu_queue_init(struct vcpu *v, int vm_fd)
{
	int err = queue_init(&v->queue, v->hc.files, v->hc.out, v->con);

	if (err)
		return err;
	v->queue.ring = v->hc.ring;
	v->queue.ctx.sys_start = v->hc.sys_start;
	v->queue.ctx.sys_end = v->hc.sys_end;
	if ((err = doorbell_register(vm_fd, HC_PORT_QUEUE, v->queue.bell.efd, v->id)))
		return err;
	v->queue.on_broken = ring_broken;
	v->queue.arg = v;
	if ((err = queue_start(&v->queue)))
		return -err;
	v->hc.queue = &v->queue;
	return 0;
}

void vcpu_destroy(struct vcpu *v)
{
	struct kvm_run *run;

	if (v->hc.queue)
		queue_destroy(&v->queue);
	if (v->hc.ring)
		ring_stop(&v->ring);
	pthread_mutex_lock(&v->kick_lock); /* vcpu_stop may look at run meanwhile */
	run = v->run;
	v->run = NULL;
	pthread_mutex_unlock(&v->kick_lock);
	if (run && run != MAP_FAILED)
		munmap(run, v->run_size);
	if (v->fd >= 0)
		close(v->fd);
	v->fd = -1;
}
