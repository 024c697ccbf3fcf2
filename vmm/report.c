/* SPDX-License-Identifier: MIT */
/* vmm/report.c: --layout, --stats and crash reports. */
#include "report.h"

#include <inttypes.h>
#include <linux/kvm.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kvm_stats.h"
#include "util.h"
#include "x86.h"

static const void *hva(const struct vm *vm, uint64_t gpa)
{
	return gmem_ptr(&vm->mem, gpa, 0);
}

static void layout_memory(FILE *f, const struct vm *vm, const struct vcpu *v)
{
	char sz[32];

	fprintf(f, "guest memory: %s (0x%" PRIx64 " bytes), guest-physical 0x0-0x%" PRIx64 "\n",
		fmt_size(vm->mem.size, sz, sizeof(sz)), vm->mem.size, vm->mem.size - 1);
	fprintf(f, "  host: one anonymous mmap at hva %p, registered with KVM as memory slot 0\n",
		(void *)vm->mem.host);
	fprintf(f, "vCPU %d kvm_run area: %zu bytes at hva %p, mmap'd from the vCPU fd\n", v->id,
		v->run_size, (void *)v->run);
	fprintf(f,
		"  page 0: struct kvm_run (%zu bytes): exit_reason and the details of the last "
		"exit\n          (io: port, size, count, data_offset; mmio: address, data), "
		"immediate_exit\n",
		sizeof(struct kvm_run));
	fprintf(f,
		"  page %d: the data of the last port I/O (KVM_PIO_PAGE_OFFSET); an `out` "
		"to 0xE9 puts its byte here\n",
		KVM_PIO_PAGE_OFFSET);
	if (vm->coalesced_mmio_page)
		fprintf(f,
			"  page %d: the coalesced MMIO ring (KVM_CAP_COALESCED_MMIO), unused here\n",
			vm->coalesced_mmio_page);
	fprintf(f, "  now: exit_reason %u (%s), the vCPU has not run yet\n", v->run->exit_reason,
		vcpu_exit_name(v->run->exit_reason));
}

static void layout_regions(FILE *f, const struct vm *vm, const struct layout *l,
			   const struct x86_setup *x, const struct loaded *img)
{
	fprintf(f, "regions (guest-physical -> host-virtual):\n");
	for (int i = 0; i < REG_COUNT; i++) {
		const struct region *r = &l->reg[i];
		const uint8_t *h = hva(vm, r->gpa);

		if (!r->size)
			continue;
		fprintf(f, "  %-12s gpa 0x%08" PRIx64 "-0x%08" PRIx64 "  hva %p-%p  ", r->name,
			r->gpa, r->gpa + r->size - 1, (const void *)h,
			(const void *)(h + r->size - 1));
		switch (i) {
		case REG_IMAGE:
			fprintf(f,
				"free for the guest; %s at 0x%" PRIx64 "-0x%" PRIx64
				" (%u segment%s), entry 0x%" PRIx64 "\n",
				img->what, img->start, img->end - 1, img->segments,
				img->segments == 1 ? "" : "s", l->entry);
			break;
		case REG_RESULT:
			fprintf(f, "%s\n",
				img->classic
					? "the guest writes 42 here"
					: "(the classic result word; not checked for this guest)");
			break;
		case REG_ARGS:
			fprintf(f, "struct hc_boot_info, argv[] and strings; rdi points here%s\n",
				l->stacks > 1 ? " (a page per vCPU)" : "");
			break;
		case REG_GDT:
			fprintf(f, "GDT (kernel code 0x08, data 0x10, user 0x1b/0x23, TSS 0x28), "
				   "IDT and exception stubs\n");
			break;
		case REG_XSTACK:
			fprintf(f, "TSS (I/O bitmap: the ABI's ports) and exception stack%s\n",
				l->stacks > 1 ? ", a page per vCPU" : "");
			break;
		case REG_TABLES:
			fprintf(f, "%u table%s of 4 KiB\n", x->pt.tables,
				x->pt.tables == 1 ? "" : "s");
			break;
		case REG_STACK:
			fprintf(f, "grows down from 0x%" PRIx64 "%s\n", l->stack_top,
				l->stacks > 1 ? " (16 KiB per vCPU, vCPU 0 at the top)" : "");
			break;
		}
	}
}

static void layout_cpu(FILE *f, int vcpu_fd)
{
	struct kvm_sregs s;
	struct kvm_regs r;

	if (ioctl(vcpu_fd, KVM_GET_SREGS, &s) < 0 || ioctl(vcpu_fd, KVM_GET_REGS, &r) < 0) {
		fprintf(f, "cpu state: cannot read registers: %s\n", strerror(errno));
		return;
	}
	fprintf(f, "cpu state at the first instruction:\n");
	fprintf(f, "  rip=0x%llx rsp=0x%llx rflags=0x%llx (IOPL %llu)  rdi=0x%llx (boot info)\n",
		r.rip, r.rsp, r.rflags, (r.rflags & RFLAGS_IOPL_MASK) >> RFLAGS_IOPL_SHIFT, r.rdi);
	fprintf(f,
		"  cr0=0x%llx (PE=%d PG=%d) cr3=0x%llx cr4=0x%llx (PSE=%d PAE=%d) "
		"efer=0x%llx (LME=%d LMA=%d)\n",
		s.cr0, !!(s.cr0 & CR0_PE), !!(s.cr0 & CR0_PG), s.cr3, s.cr4, !!(s.cr4 & CR4_PSE),
		!!(s.cr4 & CR4_PAE), s.efer, !!(s.efer & EFER_LME), !!(s.efer & EFER_LMA));
	fprintf(f,
		"  cs: selector 0x%x base 0x%llx limit 0x%x %s, DPL %u (the guest runs in ring "
		"%u);  ss: selector 0x%x base 0x%llx\n",
		s.cs.selector, s.cs.base, s.cs.limit,
		s.cs.l    ? "64-bit"
		: s.cs.db ? "32-bit"
			  : "16-bit",
		s.cs.dpl, s.cs.dpl, s.ss.selector, s.ss.base);
	fprintf(f, "  gdt: base 0x%llx limit 0x%x;  idt: base 0x%llx limit 0x%x\n", s.gdt.base,
		s.gdt.limit, s.idt.base, s.idt.limit);
}

static void layout_tables(FILE *f, const struct vm *vm, const struct layout *l,
			  const struct x86_setup *x)
{
	if (l->pt_fmt == PT_NONE) {
		fprintf(f,
			"page tables: none, paging is off: guest-virtual = segment base + offset "
			"= guest-physical\n");
		return;
	}
	const int levels = pt_levels(l->pt_fmt);
	const char *big = l->pt_fmt == PT_4LEVEL ? "2 MiB" : "4 MiB";
	char walked[96];

	/* A large page ends the walk one level early: the paging format has `levels`, a
	 * translation reads fewer. */
	if (x->pt.large && x->pt.small)
		snprintf(walked, sizeof(walked),
			 "%d levels walked to a %s page, %d to a 4 KiB page", levels - 1, big,
			 levels);
	else
		snprintf(walked, sizeof(walked), "%d level%s walked (%s pages)",
			 x->pt.large ? levels - 1 : levels, x->pt.large && levels == 2 ? "" : "s",
			 x->pt.large ? big : "4 KiB");
	fprintf(f,
		"page tables: %d-level paging (%s); %s; %u table page%s: %u large (%s) + %u "
		"4 KiB pages, root (cr3) 0x%" PRIx64 "\n",
		levels, l->pt_fmt == PT_4LEVEL ? "PML4 -> PDPT -> PD -> PT" : "PD -> PT", walked,
		x->pt.tables, x->pt.tables == 1 ? "" : "s", x->pt.large, big, x->pt.small,
		x->pt.root);
	pt_dump(f, &vm->mem, l->pt_fmt, x->pt.root);
}

static void translate(FILE *f, const struct vm *vm, int vcpu_fd, const struct layout *l,
		      const struct x86_setup *x, const char *what, uint64_t gva)
{
	static const char *const n4[] = { "PML4", "PDPT", "PD", "PT" };
	static const char *const n2[] = { "PD", "PT" };
	struct kvm_translation kt = { .linear_address = gva };
	uint64_t gpa = gva;
	struct pt_walk w;
	char sz[32];

	fprintf(f, "  %-10s gva 0x%" PRIx64, what, gva);
	if (l->pt_fmt != PT_NONE) {
		int err = pt_walk(&vm->mem, l->pt_fmt, x->pt.root, gva, &w);

		for (int i = 0; i < w.steps; i++)
			fprintf(f, " -> %s[%u]", l->pt_fmt == PT_4LEVEL ? n4[i] : n2[i],
				w.step[i].index);
		if (err) {
			fprintf(f, ": not mapped (%s)\n", strerror(-err));
			return;
		}
		fprintf(f, " (%s page)", fmt_size(w.page_size, sz, sizeof(sz)));
		gpa = w.gpa;
	}
	fprintf(f, " -> gpa 0x%" PRIx64 " -> hva %p", gpa, hva(vm, gpa));
	if (ioctl(vcpu_fd, KVM_TRANSLATE, &kt) < 0)
		fprintf(f, "; KVM_TRANSLATE failed: %s\n", strerror(errno));
	else if (!kt.valid)
		fprintf(f, "; KVM_TRANSLATE: not mapped (DISAGREES)\n");
	else
		fprintf(f, "; KVM_TRANSLATE: gpa 0x%llx (%s)\n", kt.physical_address,
			kt.physical_address == gpa ? "agrees" : "DISAGREES");
}

void report_layout(FILE *f, const struct vm *vm, const struct vcpu *v, const struct layout *l,
		   const struct x86_setup *x, const struct loaded *img, int index)
{
	uint64_t push = l->stack_top - (l->mode == MODE_LONG ? 8 : l->mode == MODE_REAL ? 2 : 4);

	if (index >= 0)
		fprintf(f,
			"== layout of instance %d (vCPU %d): %s mode (%s), %s, guest: %s ==\n"
			"its own VM: guest-physical 0x0-0x%" PRIx64 " is all its memory; no "
			"guest-physical address reaches another instance's\n",
			index, v->id, mode_name(l->mode), mode_flag(l->mode),
			l->user ? "ring 3" : "ring 0", img->what, l->mem_size - 1);
	else
		fprintf(f, "== layout: %s mode (%s), %s, %sguest: %s ==\n", mode_name(l->mode),
			mode_flag(l->mode), l->user ? "ring 3" : "ring 0",
			l->classic ? "the classic example's layout (--classic), " : "", img->what);
	layout_memory(f, vm, v);
	layout_regions(f, vm, l, x, img);
	layout_cpu(f, v->fd);
	layout_tables(f, vm, l, x);
	fprintf(f,
		"translations (walked in software as the CPU does, checked with KVM_TRANSLATE):\n");
	translate(f, vm, v->fd, l, x, "entry", l->entry);
	translate(f, vm, v->fd, l, x, "stack top", push);
	if (img->classic)
		translate(f, vm, v->fd, l, x, "result", l->reg[REG_RESULT].gpa);
	else
		translate(f, vm, v->fd, l, x, "boot info", l->reg[REG_ARGS].gpa);
	fprintf(f, "== end of layout ==\n");
	fflush(f);
}

/* One line comparing the VMM's count of an exit kind with KVM's. KVM's total also
 * counts exits it handled in the kernel, so it may exceed ours. */
static void compare(FILE *f, const char *what, uint64_t ours, int found, uint64_t theirs,
		    bool total)
{
	fprintf(f, "  %-10s VMM %" PRIu64 ", KVM ", what, ours);
	if (!found)
		fprintf(f, "n/a: this KVM has no such counter\n");
	else if (theirs == ours)
		fprintf(f, "%" PRIu64 ": agree\n", theirs);
	else if (total && theirs > ours)
		fprintf(f, "%" PRIu64 ": agree, KVM handled %" PRIu64 " more exits itself\n",
			theirs, theirs - ours);
	else if (theirs == 0)
		fprintf(f, "0: this KVM does not maintain this counter\n");
	else
		fprintf(f, "%" PRIu64 ": DIFFER\n", theirs);
}

/* The hypercalls a vCPU made, by number, and the bytes they moved. */
static void print_hypercalls(FILE *f, const struct vcpu *v)
{
	fprintf(f, "hypercalls: %" PRIu64 " exits", v->stats.hypercalls);
	for (uint32_t nr = 1; nr < HC_NR_MAX; nr++)
		if (v->hc.stats.calls[nr])
			fprintf(f, ", %s %" PRIu64, hc_name(nr), v->hc.stats.calls[nr]);
	fprintf(f, "; %" PRIu64 " returned an error; display printed %" PRIu64 " bytes\n",
		v->hc.stats.errors, v->hc.stats.display_bytes);
	fprintf(f, "files: %" PRIu64 " bytes read, %" PRIu64 " bytes written\n",
		v->hc.stats.read_bytes, v->hc.stats.write_bytes);
}

/* The console ring's and the I/O queue's work: what went by without an exit. */
static void print_fastpaths(FILE *f, const struct vcpu *v)
{
	if (v->hc.ring) { /* its thread still runs: read under its lock */
		struct ring *r = (struct ring *)&v->ring;

		pthread_mutex_lock(&r->lock);
		fprintf(f,
			"console ring: %s; %" PRIu64 " records, %" PRIu64 " bytes, %" PRIu64
			" doorbell wake-ups of the ring thread, %" PRIu64
			" idle polls that slept (no exit to the VMM)\n",
			r->active ? "set up by the guest" : "offered, not used", r->records,
			r->bytes, r->wakeups, r->polls_out);
		pthread_mutex_unlock(&r->lock);
	}
	if (v->hc.queue) { /* its thread has ended with the vCPU's loop */
		const struct queue *q = &v->queue;

		fprintf(f,
			"I/O queue: %s; %" PRIu64 " requests (%" PRIu64
			" answered at an exit), %" PRIu64 " bytes; %" PRIu64
			" doorbell wake-ups, %" PRIu64 " idle polls that slept, %" PRIu64
			" reads split in two (%" PRIu64
			" halves read by the helper) (no exit to the VMM)\n",
			q->active ? "set up by the guest" : "offered, not used", q->vq.chains,
			q->at_exits, q->vq.bytes, q->wakeups, q->polls_out, q->split.reads,
			q->split.helped);
	}
}

/* KVM's own counters for the vCPU, beside the VMM's. */
static void print_kvm_counters(FILE *f, const struct vcpu *v)
{
	static const char *const names[] = { "exits", "io_exits", "halt_exits", "mmio_exits",
					     "hypercalls" };
	uint64_t kvm[ARRAY_SIZE(names)];
	int found[ARRAY_SIZE(names)];
	int n, stats_fd;

	/* KVM's counters run from the vCPU's creation, so the fd can be opened now. */
	stats_fd = ioctl(v->fd, KVM_GET_STATS_FD, NULL);
	n = kvm_stats_get(stats_fd, names, kvm, found, (int)ARRAY_SIZE(names));
	if (stats_fd >= 0)
		close(stats_fd);
	if (n <= 0) {
		fprintf(f, "KVM's own counters: not available (%s)\n",
			n < 0 ? strerror(-n) : "no known counter");
		return;
	}
	fprintf(f, "KVM's own counters (KVM_GET_STATS_FD):");
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (found[i])
			fprintf(f, " %s=%" PRIu64, names[i], kvm[i]);
	fputc('\n', f);
	compare(f, "all exits", v->stats.exits, found[0], kvm[0], true);
	compare(f, "I/O exits", v->stats.by_reason[KVM_EXIT_IO], found[1], kvm[1], false);
	compare(f, "HLT exits", v->stats.by_reason[KVM_EXIT_HLT], found[2], kvm[2], false);
	if (found[4] && kvm[4])
		fprintf(f,
			"  hypercalls answered inside KVM (vmcall/vmmcall): %" PRIu64
			", none of them an exit to the VMM\n",
			kvm[4]);
}

void report_stats(FILE *f, const struct vcpu *v, const char *vm_line)
{
	fprintf(f, "== exit statistics, vCPU %d ==\n", v->id);
	if (vm_line)
		fprintf(f, "%s\n", vm_line);
	fprintf(f, "exits to the VMM: %" PRIu64 "\n", v->stats.exits);
	for (int i = 0; i < VCPU_EXIT_REASONS; i++)
		if (v->stats.by_reason[i])
			fprintf(f, "  %-16s %" PRIu64 "\n", vcpu_exit_name((uint32_t)i),
				v->stats.by_reason[i]);
	fprintf(f, "console (port 0xE9): %" PRIu64 " bytes in %" PRIu64 " exits%s\n",
		v->stats.console_bytes, v->stats.console_exits,
		v->stats.console_bytes == v->stats.console_exits ? ", one exit per byte" : "");
	if (v->stats.hypercalls)
		print_hypercalls(f, v);
	print_fastpaths(f, v);
	if (v->stats.interrupted)
		fprintf(f, "KVM_RUN interrupted by a signal: %" PRIu64 " times\n",
			v->stats.interrupted);
	print_kvm_counters(f, v);
}

/* Reads vCPU fd's registers; on failure says so in the report and returns false. */
static bool read_regs(FILE *f, int vcpu_fd, struct kvm_regs *r, struct kvm_sregs *s)
{
	if (ioctl(vcpu_fd, KVM_GET_REGS, r) < 0 || ioctl(vcpu_fd, KVM_GET_SREGS, s) < 0) {
		fprintf(f, "  (registers unavailable: %s)\n", strerror(errno));
		return false;
	}
	return true;
}

/* The general-purpose and control registers, as both crash reports print them. */
static void print_gprs_crs(FILE *f, const struct kvm_regs *r, const struct kvm_sregs *s)
{
	fprintf(f, "  rax=0x%016llx rbx=0x%016llx rcx=0x%016llx rdx=0x%016llx\n", r->rax, r->rbx,
		r->rcx, r->rdx);
	fprintf(f, "  rsi=0x%016llx rdi=0x%016llx rbp=0x%016llx\n", r->rsi, r->rdi, r->rbp);
	fprintf(f, "  cr0=0x%llx cr2=0x%llx cr3=0x%llx cr4=0x%llx efer=0x%llx\n", s->cr0, s->cr2,
		s->cr3, s->cr4, s->efer);
}

void report_regs(FILE *f, int vcpu_fd)
{
	struct kvm_regs r;
	struct kvm_sregs s;

	if (!read_regs(f, vcpu_fd, &r, &s))
		return;
	fprintf(f, "  rip=0x%016llx rsp=0x%016llx rflags=0x%08llx\n", r.rip, r.rsp, r.rflags);
	print_gprs_crs(f, &r, &s);
	fprintf(f, "  cs=0x%x (base 0x%llx, %s) ss=0x%x ds=0x%x\n", s.cs.selector, s.cs.base,
		s.cs.l    ? "64-bit"
		: s.cs.db ? "32-bit"
			  : "16-bit",
		s.ss.selector, s.ds.selector);
	if (s.cs.base == 0xffff0000 && r.rip == 0xfff0) /* the architectural reset state */
		fprintf(f,
			"  (these are reset values: KVM reset the vCPU after the shutdown, as it "
			"does on AMD SVM; the state at the fault is lost)\n");
}

void report_stats_all(FILE *f, const struct vcpu *v, unsigned n, bool shared)
{
	uint64_t exits = 0, hcs = 0;

	for (unsigned j = 0; j < n; j++) {
		char sz[32], line[160];

		if (shared)
			snprintf(line, sizeof(line), "  in VM 0, shared by the %u vCPUs (--smp)",
				 n);
		else
			snprintf(line, sizeof(line),
				 "  in VM %u (its own): %s of guest memory, memory "
				 "slot 0, no other vCPU",
				 j, fmt_size(v[j].mem->size, sz, sizeof(sz)));
		report_stats(f, &v[j], line);
		exits += v[j].stats.exits;
		hcs += v[j].stats.hypercalls;
	}
	if (n > 1)
		fprintf(f,
			"== all %u vCPUs: %" PRIu64 " exits, %" PRIu64 " of them hypercalls ==\n",
			n, exits, hcs);
}

void report_trap_regs(FILE *f, int vcpu_fd, const struct trap *t)
{
	struct kvm_regs r;
	struct kvm_sregs s;

	if (!read_regs(f, vcpu_fd, &r, &s))
		return;
	fprintf(f,
		"  rip=0x%016" PRIx64 " rsp=0x%016" PRIx64 " rflags=0x%08" PRIx64
		"  (from the exception frame)\n",
		t->rip, t->rsp, t->rflags);
	print_gprs_crs(f, &r, &s);
	fprintf(f, "  cs=0x%" PRIx64 " ss=0x%" PRIx64 "%s\n", t->cs, t->ss,
		t->has_error ? "" : "  (no error code for this vector)");
}
