/* SPDX-License-Identifier: MIT */
/* vmm/machine.c: instances, vCPUs, the run and its exit status.
 *
 * Each instance (--vcpus N without --smp) is its own KVM VM: its own VM fd, guest memory
 * and memory slot at guest-physical 0. Nested paging (EPT/NPT) then keeps it out of every
 * other instance's memory whatever it runs in ring 0: no guest-physical address of its VM
 * leads to another's. With --smp, one VM holds the N vCPUs, which share its memory. */
#include "machine.h"

#include <fcntl.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

#include <minivirt/hc.h>

#include "bootinfo.h"
#include "console.h"
#include "crew.h"
#include "elf_loader.h"
#include "files.h"
#include "khc.h"
#include "loader.h"
#include "report.h"
#include "util.h"
#include "vcpu.h"
#include "vm.h"
#include "watchdog.h"
#include "x86_modes.h"

struct instance {
	struct vm vm;       /* its own VM: fd, memory (vm.mem) and memory slot */
	struct loaded img;  /* what was loaded into it */
	struct pt_built pt; /* its page tables */
	struct files files; /* its fd table (shared by its vCPUs with --smp) */
};

/* A failure while building an instance or a vCPU in parallel: the main thread reports
 * it afterwards, the first by number, as a build one after the other would have. */
struct build_err {
	int status;      /* the exit status; 0 while nothing failed */
	struct mv_err e; /* its line */
};

struct machine {
	struct vmm_config *cfg;
	int kvm_fd;         /* /dev/kvm, shared by the instances' VMs */
	struct share share; /* --dir */
	struct layout lay;  /* an instance's layout (the same in each VM) */
	unsigned ninst, nvcpu;
	struct instance *inst;  /* ninst */
	struct gmem tmpl;       /* several instances of a file: its image, read once, or none */
	struct loaded tmpl_img; /* what tmpl holds */
	struct vcpu *vcpu;      /* nvcpu; vCPU j runs instance j (or 0 with --smp) */
	struct x86_setup *xs;   /* nvcpu: each vCPU's registers as set */
	struct console con;     /* standard output, shared by the vCPUs */
	struct con_stream *cs;  /* nvcpu, or NULL with one vCPU */
	atomic_uint done;       /* vCPU loops that ended */
	struct crew crew;       /* thread j builds, runs and tears down vCPU j (and instance j) */
	struct build_err *be;   /* nvcpu: what failed in each thread's build */
	struct watchdog wd;     /* --timeout, stop signals, output failures */
	bool solo;              /* one vCPU: the main thread builds, runs and closes it */
	unsigned khc;           /* in-kernel hypercall instruction offered (--khc), or 0 */
};

/* --khc: offer in-kernel hypercalls only where the probe shows they work; kvm_pvm hangs
 * the vCPU on vmcall, so there it is refused, not run into. */
static unsigned probe_khc(int kvm_fd)
{
	struct mv_err why = { "" };
	unsigned insn = 0;

	switch (khc_probe(kvm_fd, 200, &insn, &why)) {
	case KHC_OK: return insn;
	case KHC_NO_MODULE:
		die(VMM_UNSUPPORTED, "--khc: %s (insmod minivirt_khc.ko, built from kmod/)",
		    why.msg);
	case KHC_HANGS:
		die(VMM_UNSUPPORTED,
		    "--khc: in-kernel hypercalls hang this host's KVM (%s; kvm_pvm "
		    "does); not offered",
		    why.msg);
	case KHC_FAILS: break;
	}
	die(VMM_UNSUPPORTED, "--khc: this host's KVM does not handle hypercalls (%s)", why.msg);
}

/* A bad combination of options found while planning: the reason, then the usage. */
__attribute__((noreturn, format(printf, 1, 2))) static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", config_usage);
	exit(VMM_USAGE);
}

static struct instance *inst_of(struct machine *m, unsigned j)
{
	return &m->inst[m->cfg->smp ? 0 : j];
}

static const char *mode_phrase(enum cpu_mode mode)
{
	static const char *const p[] = { "real mode (-r)", "32-bit protected mode (-s)",
					 "32-bit paging (-p)", "long mode (-l)" };
	return p[mode];
}

/* Whether path starts like an ELF file: ELF guests run in user mode by default. */
static bool file_is_elf(const char *path)
{
	unsigned char magic[4] = { 0 };
	FILE *f = fopen(path, "rb");
	bool elf;

	if (!f)
		return false; /* the loader reports it */
	elf = fread(magic, 1, 4, f) == 4 && elf_is_elf(magic, 4);
	fclose(f);
	return elf;
}

/* A GUEST that is not a regular file is refused before anything opens it (a FIFO would
 * block before --timeout starts): 127 when missing, 126 otherwise. True when it is one. */
static bool check_guest_file(const char *path)
{
	struct mv_err err = { "" };
	int rc = loader_file_check(path, &err);

	if (rc == -ENOENT)
		die(VMM_NO_GUEST, "%s", err.msg);
	if (rc)
		die(VMM_BAD_GUEST, "%s", err.msg);
	return true;
}

/* Plans the layout of an instance; dies with a usage error when it cannot fit. */
static void plan(struct machine *m)
{
	struct vmm_config *cfg = m->cfg;
	const bool regular = !cfg->file || check_guest_file(cfg->file); /* first: 126, 127 */
	/* --classic: ring 0, as the classic example runs (an ELF then too) */
	const bool user = cfg->cpl == 3 || (cfg->cpl < 0 && !cfg->classic && cfg->file && regular &&
					    cfg->mode != MODE_REAL && file_is_elf(cfg->file));
	struct layout_req req = { .mode = cfg->mode,
				  .mem_size = cfg->mem_size,
				  .user = user,
				  .vcpus = cfg->smp ? (unsigned)cfg->vcpus : 1,
				  .classic = cfg->classic };
	struct mv_err err = { "" };

	if (layout_plan(&req, &m->lay, &err))
		usage_error("%s", err.msg);
	m->nvcpu = (unsigned)cfg->vcpus;
	m->ninst = cfg->smp ? 1 : m->nvcpu;
	/* A thread costs about as much to start as a VM to build (docs/vmm.md), and the
	 * hand-overs between it and the main thread each wake a CPU: one vCPU has no
	 * parallel work to spread, so it runs where the run is set up. */
	m->solo = m->nvcpu == 1;
}

/* The most vCPUs this host's KVM gives one VM (api.rst: KVM_CAP_MAX_VCPUS, else
 * KVM_CAP_NR_VCPUS, else 4). */
static int max_vcpus(int kvm_fd)
{
	int n = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);

	if (n <= 0)
		n = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS);
	return n > 0 ? n : 4;
}

/* The fds the run may hold at once: each instance's --max-files table and VM fd, each
 * vCPU's fd, ring eventfd (and queue eventfd with --queue) and a stats fd, and a margin for fds 0-2, /dev/kvm, --dir and
 * what libc opens. */
static rlim_t fd_budget(const struct machine *m)
{
	return (rlim_t)m->ninst * ((rlim_t)m->cfg->max_files + 1) +
	       (3 + (rlim_t)m->cfg->queue) * (rlim_t)m->nvcpu + 64;
}

/* Makes room for every fd the guests may hold, raising the soft RLIMIT_NOFILE up to the
 * hard one if need be, or refuses the run before it starts: an instance must never
 * meet EMFILE below its --max-files because the others took the process's fds. */
static void check_fd_budget(const struct machine *m)
{
	const rlim_t want = fd_budget(m);
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		die_errno(VMM_HOST_ERROR, "getrlimit(RLIMIT_NOFILE)");
	if (rl.rlim_cur >= want)
		return;
	if (rl.rlim_max >= want) {
		rl.rlim_cur = want;
		if (!setrlimit(RLIMIT_NOFILE, &rl))
			return;
	}
	die(VMM_USAGE,
	    "%u instance%s x --max-files %d%s need %llu file descriptors; this process "
	    "may have %llu (RLIMIT_NOFILE, hard limit %llu): lower --vcpus or --max-files, or raise "
	    "the limit",
	    m->ninst, m->ninst == 1 ? "" : "s", m->cfg->max_files,
	    m->nvcpu > m->ninst ? " and their vCPUs" : "", (unsigned long long)want,
	    (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max);
}

/* Opens --dir. */
static void open_share(struct machine *m)
{
	int err;

	const char *pseudo = NULL;

	m->share.dirfd = -1;
	if (m->cfg->dir && (err = share_open_dir(&m->share, m->cfg->dir, m->cfg->ro, &pseudo))) {
		if (pseudo)
			die(VMM_USAGE,
			    "--dir '%s' is on %s, a kernel pseudo-filesystem, not a folder "
			    "to share",
			    m->cfg->dir, pseudo);
		errno = -err;
		die_errno(VMM_USAGE, "--dir '%s'", m->cfg->dir);
	}
}

static int build_fail(struct build_err *be, int status)
{
	be->status = status;
	return -1;
}

/* Several instances of a guest file: the file is read and checked once, into a template
 * memory the instances copy its image from; dies with 126/127 when it cannot load. */
static void load_template(struct machine *m)
{
	const uint64_t size = m->cfg->mem_size;
	struct mv_err err = { "" };
	void *mem;
	int rc;

	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		   -1, 0);
	if (mem == MAP_FAILED)
		die_errno(VMM_HOST_ERROR, "cannot map %llu bytes for the guest's image",
			  (unsigned long long)size);
	m->tmpl = (struct gmem){ .host = mem, .size = size };
	rc = loader_file(&m->tmpl, m->cfg->file, &m->lay, &m->tmpl_img, &err);
	if (rc == -ENOENT)
		die(VMM_NO_GUEST, "%s", err.msg);
	if (rc)
		die(VMM_BAD_GUEST, "%s", err.msg);
}

/* Copies the image of guest-physical [start, end) from src to dst, page by page, except
 * the pages that are all zero (bss, gaps between segments): a new VM's memory reads as
 * zero already, and a page nobody writes is never committed. */
static void copy_image(uint8_t *dst, const uint8_t *src, uint64_t start, uint64_t end)
{
	for (uint64_t at = start, next; at < end; at = next) {
		const size_t off = (size_t)(at - start);
		size_t n;

		next = (at | (PAGE_SIZE - 1)) + 1;
		if (next > end)
			next = end;
		n = (size_t)(next - at);
		if (src[off] || memcmp(src + off, src + off + 1, n - 1))
			memcpy(dst + off, src + off, n);
	}
}

/* Loads the guest into instance in: a copy of the template's image, or the built-in
 * image, or the file. Returns 0, or -1 with 126/127 (the file) or 125 in be. */
static int load_guest(struct machine *m, struct instance *in, struct build_err *be)
{
	struct vmm_config *cfg = m->cfg;
	int rc;

	if (m->tmpl.host) {
		const struct loaded *t = &m->tmpl_img;
		void *dst = gmem_ptr(&in->vm.mem, t->start, t->end - t->start);
		const void *src = gmem_ptr(&m->tmpl, t->start, t->end - t->start);

		if (!dst || !src) { /* the same size: never expected */
			mv_seterr(&be->e, 0, "the guest's image does not fit its memory");
			return build_fail(be, VMM_HOST_ERROR);
		}
		copy_image(dst, src, t->start, t->end);
		in->img = *t;
		return 0;
	}
	if (cfg->file) {
		rc = loader_file(&in->vm.mem, cfg->file, &m->lay, &in->img, &be->e);
		if (rc)
			return build_fail(be, rc == -ENOENT ? VMM_NO_GUEST : VMM_BAD_GUEST);
	} else if (loader_builtin(&in->vm.mem, loader_find(cfg->guest), &m->lay, &in->img,
				  &be->e)) {
		return build_fail(be, VMM_HOST_ERROR);
	}
	return 0;
}

/* Instance i: its VM, with the guest loaded. */
static int build_instance(struct machine *m, unsigned i, struct build_err *be)
{
	struct instance *in = &m->inst[i];

	if (vm_create(&in->vm, m->kvm_fd, m->cfg->mem_size, &be->e))
		return build_fail(be, VMM_HOST_ERROR);
	return load_guest(m, in, be);
}

/* vCPU j (and, without --smp, instance j, which it alone runs). */
static int build_vcpu(struct machine *m, unsigned j, struct build_err *be)
{
	const bool smp = m->cfg->smp;

	if (!smp && build_instance(m, j, be))
		return -1;
	if (vcpu_create(&m->vcpu[j], &inst_of(m, j)->vm, (int)j, smp ? j : 0, &be->e))
		return build_fail(be, VMM_HOST_ERROR);
	return 0;
}

/* Tears down vCPU j (and, without --smp, instance j); safe to repeat. */
static void teardown(struct machine *m, unsigned j)
{
	vcpu_destroy(&m->vcpu[j]);
	if (!m->cfg->smp)
		vm_destroy(&m->inst[j].vm);
}

/* Whether the main thread reads vCPU j's VM after its loop ended: its registers or
 * kvm_run to report a fault or a stop, a classic guest's result word, --stats; and with
 * --smp the VM is everyone's. Otherwise the thread closes it at once, while the others
 * still run. */
static bool vm_needed_after(const struct machine *m, unsigned j)
{
	if (m->cfg->smp || m->cfg->stats)
		return true;
	switch (m->vcpu[j].outcome) {
	case VCPU_EXITED:
	case VCPU_GUEST_FAIL:
	case VCPU_OUTPUT: return false;
	case VCPU_HALTED: return m->inst[j].img.classic;
	default: return true;
	}
}

/* Thread j's life, a step at a time as the main thread allows: build vCPU j (and,
 * without --smp, instance j, which it alone runs), run it, tear it down. Most of what a
 * VM costs is kernel work done in the calling thread, and much of it waits for an SRCU
 * grace period (the memory slot's swap, the mmu notifier's release when the VM closes),
 * long on a busy host: in a thread each, the waits overlap and the work spreads over
 * every core. One thread does all three steps: starting a thread is no small cost
 * either. It must not call malloc (it would get a malloc arena of its own). */
static void instance_life(struct crew *c, unsigned j, void *arg)
{
	struct machine *m = arg;
	char name[16];

	snprintf(name, sizeof(name), "vcpu-%u", j);
	pthread_setname_np(pthread_self(), name); /* by itself: no /proc file to open */
	build_vcpu(m, j, &m->be[j]);
	if (crew_next(c, CREW_RUN)) {
		vcpu_run(&m->vcpu[j], wd_thread_id(&m->wd), &m->done);
		if (!vm_needed_after(m, j))
			teardown(m, j);
	}
	if (crew_next(c, CREW_TEARDOWN))
		teardown(m, j); /* again: a no-op */
}

/* The instances' VMs, memory and images, and the vCPUs, built in parallel, a thread
 * each (one vCPU: built here); dies with the first failure by vCPU number, as building
 * them one after the other would. */
static void build_vms(struct machine *m)
{
	unsigned failed = 0;
	int err;

	m->be = xcalloc(m->nvcpu, sizeof(*m->be));
	if (m->cfg->smp && build_instance(m, 0, &m->be[0]))
		die(m->be[0].status, "%s", m->be[0].e.msg);
	if (m->ninst > 1 && m->cfg->file)
		load_template(m);
	vcpu_signals_init();
	if (m->solo) {
		if (build_vcpu(m, 0, &m->be[0]))
			die(m->be[0].status, "%s", m->be[0].e.msg);
		m->lay.entry = m->inst[0].img.entry;
		return;
	}
	if ((err = crew_start(&m->crew, m->nvcpu, instance_life, m, &failed))) {
		errno = err;
		die_errno(VMM_HOST_ERROR, "cannot start the thread of vCPU %u", failed);
	}
	crew_wait(&m->crew, CREW_RUN);
	for (unsigned j = 0; j < m->nvcpu; j++)
		if (m->be[j].status) {
			crew_join(&m->crew);
			die(m->be[j].status, "%s", m->be[j].e.msg);
		}
	if (m->tmpl.host)
		munmap(m->tmpl.host, m->tmpl.size);
	m->tmpl = (struct gmem){ 0 };
	/* the same guest in every instance: the same entry */
	m->lay.entry = m->inst[0].img.entry;
}

/* The console ring (--ring) and the I/O queue (--queue) of vCPU j, set up and announced in
 * its boot info at boot. */
static void offer_fastpaths(struct machine *m, struct instance *in, struct vcpu *v, unsigned j,
			    uint64_t boot)
{
	const struct vmm_config *cfg = m->cfg;

	/* The ring is one producer per ring: not offered to vCPUs sharing memory. */
	if (cfg->ring && !cfg->smp) {
		int rc = vcpu_ring_init(v, in->vm.vm_fd);

		if (rc) {
			errno = -rc;
			die_errno(VMM_HOST_ERROR, "cannot set up the console ring of vCPU %u", j);
		}
		gmem_write32(&in->vm.mem, boot + offsetof(struct hc_boot_info, doorbell),
			     HC_PORT_DOORBELL);
	}
	/* One queue per vCPU, with --smp too: each its own doorbell value and thread. */
	if (cfg->queue) {
		int rc = vcpu_queue_init(v, in->vm.vm_fd);

		if (rc) {
			errno = -rc;
			die_errno(VMM_HOST_ERROR, "cannot set up the I/O queue of vCPU %u", j);
		}
		gmem_write32(&in->vm.mem, boot + offsetof(struct hc_boot_info, queue),
			     HC_PORT_QUEUE);
	}
}

static void build(struct machine *m)
{
	struct vmm_config *cfg = m->cfg;
	struct mv_err err = { "" };

	m->inst = xcalloc(m->ninst, sizeof(*m->inst));
	m->vcpu = xcalloc(m->nvcpu, sizeof(*m->vcpu));
	m->xs = xcalloc(m->nvcpu, sizeof(*m->xs));
	build_vms(m);
	for (unsigned i = 0; i < m->ninst; i++) {
		struct instance *in = &m->inst[i];

		files_init(&in->files, &m->share, cfg->max_files);
		x86_build(&in->vm.mem, &m->lay, 0, &in->pt);
	}
	console_init(&m->con, STDOUT_FILENO, m->nvcpu == 1);
	if (m->nvcpu > 1)
		m->cs = xcalloc(m->nvcpu, sizeof(*m->cs));
	for (unsigned j = 0; j < m->nvcpu; j++) {
		struct instance *in = inst_of(m, j);
		struct vcpu *v = &m->vcpu[j];
		const unsigned slot = cfg->smp ? j : 0;
		uint64_t boot;

		v->hc.files = &in->files;
		v->hc.out = m->con.file;
		v->hc.sys_start = m->lay.reg[REG_TABLES].gpa;
		v->hc.sys_end = m->lay.reg[REG_XSTACK].gpa + m->lay.reg[REG_XSTACK].size;
		if (m->cs) {
			con_stream_open(&m->cs[j], &m->con, (int)j);
			v->con = &m->cs[j];
			v->hc.out = m->cs[j].file;
		}
		boot = bootinfo_write(&in->vm.mem, &m->lay, slot, cfg->argc, cfg->argv, j, &err);
		if (!boot)
			die(VMM_USAGE, "%s", err.msg);
		if (m->khc)
			gmem_write32(&in->vm.mem, boot + offsetof(struct hc_boot_info, khc),
				     m->khc);
		offer_fastpaths(m, in, v, j, boot);
		if (x86_setup_vcpu(v->fd, &m->lay, slot, &in->pt, layout_stack_top(&m->lay, slot),
				   boot, &m->xs[j], &err) == -ENOTSUP)
			die(VMM_UNSUPPORTED, "%s is not supported by this host's KVM%s",
			    mode_phrase(cfg->mode), cfg->mode == MODE_LONG ? "" : "; use -l");
		v->trap_rip = traps_report_rip(&m->lay);
	}
}

/* The watchdog's kick: every vCPU asked to stop (those not started yet stop at once). */
static void stop_all(void *arg)
{
	struct machine *m = arg;

	for (unsigned j = 0; j < m->nvcpu; j++)
		vcpu_stop(&m->vcpu[j]);
}

/* Lets every vCPU run and waits for their loops to end (one vCPU: runs it here).
 * Returns the watchdog's stop, if any. */
static enum wd_reason run(struct machine *m, int *sig)
{
	if (m->solo) {
		vcpu_run(&m->vcpu[0], wd_thread_id(&m->wd), &m->done);
		return wd_joined(&m->wd, sig);
	}
	crew_allow(&m->crew, CREW_RUN);
	crew_wait(&m->crew, CREW_TEARDOWN);
	return wd_joined(&m->wd, sig);
}

/* The status of a stop by the watchdog, reported (a line per vCPU still running, with
 * its registers, for a timeout). ended: the status the vCPUs' own outcomes give, kept when
 * a timeout came as the last of them ended by itself (it stopped nothing). */
static int stop_status(struct machine *m, enum wd_reason r, int sig, int ended)
{
	bool stopped = false;
	int err, fd;

	switch (r) {
	case WD_TIMEOUT:
		for (unsigned j = 0; j < m->nvcpu; j++) {
			if (m->vcpu[j].outcome != VCPU_STOPPED)
				continue;
			stopped = true;
			warn_msg("vcpu%u: guest still running after %g s (--timeout); stopped it",
				 j, m->cfg->timeout);
			report_regs(stderr, m->vcpu[j].fd);
		}
		return stopped ? VMM_TIMEOUT : ended;
	case WD_SIGNAL:
		warn_msg("stopped by signal %d (%s)", sig, strsignal(sig));
		return 128 + sig;
	case WD_OUTPUT:
	case WD_NONE: break;
	}
	fd = console_error(&err);
	if (fd == 1 && err)
		warn_msg("cannot write the guest's output to standard output: %s", strerror(err));
	else
		warn_msg("cannot write the guest's output to standard %s",
			 fd == 2 ? "error" : "output");
	return VMM_HOST_ERROR;
}

/* The two checks of the classic example: 42 in guest memory at 0x400 and in rax. */
/* " (0x...)" for a result word whose decimal says little. Not reentrant (one caller). */
static const char *wide_hex(uint64_t w)
{
	static char buf[32];

	snprintf(buf, sizeof(buf), " (0x%" PRIx64 ")", w);
	return buf;
}

static int check_result(const struct instance *in, const struct vcpu *v, bool wide)
{
	struct kvm_regs regs;
	uint64_t word = 0;
	uint32_t w32 = 0;
	int status = VMM_OK;
	/* --classic reads 8 bytes, as the classic example's check does in long mode */
	bool ok = wide ? gmem_read64(&in->vm.mem, HC_RESULT_ADDR, &word)
		       : gmem_read32(&in->vm.mem, HC_RESULT_ADDR, &w32);

	if (!wide)
		word = w32;
	if (!ok || word != HC_RESULT_MAGIC) {
		warn_msg("check failed: guest-physical 0x%" PRIx64 " holds %" PRIu64
			 "%s, expected %d",
			 (uint64_t)HC_RESULT_ADDR, word, word > 0xffff ? wide_hex(word) : "",
			 HC_RESULT_MAGIC);
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

/* The status of a vCPU that ended by itself, reporting what needs it. */
static int outcome_status(struct machine *m, unsigned j)
{
	const struct vcpu *v = &m->vcpu[j];

	switch (v->outcome) {
	case VCPU_HALTED:
		return inst_of(m, j)->img.classic ? check_result(inst_of(m, j), v, m->lay.classic)
						  : VMM_OK;
	case VCPU_EXITED: return v->hc.exit_status;
	case VCPU_GUEST_FAIL: warn_msg("vcpu%d: %s", v->id, v->why.msg); return VMM_GUEST_FAIL;
	case VCPU_FAULT:
		if (v->hc.ring && atomic_load(&v->ring.broken)) { /* found by the ring thread */
			warn_msg("vcpu%d: console ring refused: %s", v->id, v->why.msg);
		} else if (v->hc.queue && atomic_load(&v->queue.broken)) {
			warn_msg("vcpu%d: I/O queue refused: %s", v->id, v->why.msg);
		} else if (v->trapped) { /* the registers of the faulting code, not the stub */
			warn_msg("vcpu%d: %s", v->id, v->why.msg);
			report_trap_regs(stderr, v->fd, &v->trap);
			return VMM_GUEST_FAULT;
		} else
			warn_msg("vcpu%d: %s (exit reason %u, KVM_EXIT_%s)", v->id, v->why.msg,
				 v->run->exit_reason, vcpu_exit_name(v->run->exit_reason));
		report_regs(stderr, v->fd);
		return VMM_GUEST_FAULT;
	case VCPU_OUTPUT: /* reported once, by the caller */ return VMM_HOST_ERROR;
	case VCPU_RUNNING:
	case VCPU_ERROR:
	case VCPU_STOPPED: break;
	}
	warn_msg("vcpu%d: %s", v->id, v->why.msg);
	return VMM_HOST_ERROR;
}

static void destroy(struct machine *m)
{
	for (unsigned j = 0; j < m->nvcpu && m->cs; j++) /* the last output, in vCPU order */
		con_stream_close(&m->cs[j]);
	for (unsigned i = 0; i < m->ninst; i++) /* free(), here: no malloc arena per thread */
		files_destroy(&m->inst[i].files);
	/* closing a VM is the costly part of a run of several: each in its thread */
	if (m->solo) {
		teardown(m, 0); /* the VM first, then its memory, as the threads do */
	} else {
		crew_allow(&m->crew, CREW_TEARDOWN);
		crew_join(&m->crew);
	}
	if (m->cfg->smp)
		vm_destroy(&m->inst[0].vm);
	console_close(&m->con);
	close(m->kvm_fd);
	share_close(&m->share);
	free(m->be);
	free(m->cs);
	free(m->xs);
	free(m->vcpu);
	free(m->inst);
}

/* fds 0-2 closed at start would be taken by /dev/kvm or a VM, and the guest's output
 * would go there: hold each with /dev/null opened the other way round, so writing to a
 * closed stdout fails with EBADF as it should, and is reported. */
static void hold_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int got;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		got = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
		if (got != fd)
			die(VMM_HOST_ERROR, "cannot hold closed fd %d with /dev/null", fd);
	}
}

/* Writes what stdio still holds for stdout (--layout, --stats); a failure is the
 * output's failure. */
static void flush_stdout(void)
{
	if (fflush(stdout) || ferror(stdout))
		console_note_error(STDOUT_FILENO, errno);
}

int machine_run(struct vmm_config *cfg)
{
	struct machine m = { .cfg = cfg };
	enum wd_reason stop, late;
	int status = 0, sig = 0, late_sig = 0;

	static char outbuf[BUFSIZ];

	/* --layout and --stats print through stdout: give it its buffer before any output,
	 * so no other thread ever creates a malloc arena (128 MiB of address space) for it. */
	hold_std_fds();
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	signal(SIGPIPE, SIG_IGN); /* a closed reader is EPIPE, reported, not a silent death */
	wd_start(&m.wd, cfg->timeout, stop_all, &m);
	plan(&m);
	m.kvm_fd = vm_open_kvm();
	if (cfg->smp && (int)m.nvcpu > max_vcpus(m.kvm_fd))
		usage_error("--vcpus %u: this host's KVM runs at most %d vCPUs in a VM", m.nvcpu,
			    max_vcpus(m.kvm_fd));
	check_fd_budget(&m);
	open_share(&m);
	if (cfg->khc)
		m.khc = probe_khc(m.kvm_fd);
	build(&m);
	wd_running(&m.wd); /* from here a stop kicks the vCPUs, and --timeout runs */
	if (cfg->layout) {
		for (unsigned i = 0; i < m.ninst; i++) {
			struct instance *in = &m.inst[i];

			report_layout(stdout, &in->vm, &m.vcpu[i], &m.lay, &m.xs[i], &in->img,
				      m.ninst > 1 ? (int)i : -1);
		}
		flush_stdout();
	}

	stop = run(&m, &sig);
	for (unsigned j = 0; j < m.nvcpu; j++) /* the first non-zero status by vCPU number */
		if (m.vcpu[j].outcome != VCPU_STOPPED) {
			int s = outcome_status(&m, j);

			if (!status)
				status = s;
		}
	if (stop != WD_NONE)
		status = stop_status(&m, stop, sig, status);
	if (cfg->stats && !console_error(NULL))
		report_stats_all(stdout, m.vcpu, m.nvcpu, cfg->smp);
	destroy(&m); /* flushes the guests' last output */
	flush_stdout();
	if (stop == WD_NONE && console_error(NULL))
		status = stop_status(&m, WD_OUTPUT, 0, status);
	late = wd_finish(&m.wd, &late_sig);
	if (stop == WD_NONE && late == WD_SIGNAL) { /* a signal while reporting */
		char line[200];

		snprintf(line, sizeof(line), "%s: stopped by signal %d (%s)\n", progname, late_sig,
			 strsignal(late_sig));
		wd_say(line);
		status = 128 + late_sig;
	}
	return status;
}
