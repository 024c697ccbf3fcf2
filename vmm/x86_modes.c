/* SPDX-License-Identifier: MIT */
/* vmm/x86_modes.c: CPU mode setup (Intel SDM vol. 3 ch. 9-10, AMD APM vol. 2 ch. 14). */
#include "x86_modes.h"

#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "traps.h"
#include "util.h"
#include "x86.h"

#define SEL_CODE 0x08
#define SEL_DATA 0x10

/* The 8-byte GDT descriptor for segment s (SDM vol. 3, 3.4.5). */
static uint64_t gdt_entry(const struct kvm_segment *s)
{
	uint64_t limit = s->g ? s->limit >> 12 : s->limit;

	return (limit & 0xffff) | ((uint64_t)(s->base & 0xffffff) << 16) |
	       ((uint64_t)s->type << 40) | ((uint64_t)s->s << 44) | ((uint64_t)s->dpl << 45) |
	       ((uint64_t)s->present << 47) | (((limit >> 16) & 0xf) << 48) |
	       ((uint64_t)s->l << 53) | ((uint64_t)s->db << 54) | ((uint64_t)s->g << 55) |
	       ((uint64_t)(s->base >> 24) << 56);
}

static struct kvm_segment flat_segment(uint16_t sel, uint8_t type, int code64)
{
	return (struct kvm_segment){
		.base = 0,
		.limit = 0xffffffff,
		.selector = sel,
		.type = type,
		.present = 1,
		.dpl = 0,
		.s = 1,
		.g = 1,
		.db = !code64,
		.l = (uint8_t)code64,
	};
}

static struct kvm_segment real_segment(uint64_t base, uint8_t type)
{
	return (struct kvm_segment){
		.base = base,
		.limit = 0xffff,
		.selector = (uint16_t)(base >> 4),
		.type = type,
		.present = 1,
		.s = 1,
	};
}

static void set_data_segments(struct kvm_sregs *sr, struct kvm_segment d)
{
	sr->ds = sr->es = sr->fs = sr->gs = sr->ss = d;
}

/* Kernel (DPL 0) and user (DPL 3) flat code and data segments. */
#define SEL_UCODE (0x18 | 3)
#define SEL_UDATA (0x20 | 3)
#define GDT_ENTRIES 5

static struct kvm_segment user_segment(struct kvm_segment s, uint16_t sel)
{
	s.selector = sel;
	s.dpl = 3;
	return s;
}

void x86_build(struct gmem *mem, const struct layout *l, uint64_t phys, struct pt_built *pt)
{
	const int code64 = l->mode == MODE_LONG;
	const struct kvm_segment code = flat_segment(SEL_CODE, SEG_TYPE_CODE, code64);
	const struct kvm_segment data = flat_segment(SEL_DATA, SEG_TYPE_DATA, 0);
	const struct kvm_segment ucode = user_segment(code, SEL_UCODE);
	const struct kvm_segment udata = user_segment(data, SEL_UDATA);
	const uint64_t gdt = l->reg[REG_GDT].gpa;
	const struct region *tables = &l->reg[REG_TABLES];
	struct pt_spec spec = l->spec;
	int err;

	memset(pt, 0, sizeof(*pt));
	if (l->mode == MODE_REAL)
		return;
	/* The descriptors KVM loads are also in memory, so a guest reloading them works. */
	gmem_write64(mem, gdt, 0);
	gmem_write64(mem, gdt + SEL_CODE, gdt_entry(&code));
	gmem_write64(mem, gdt + SEL_DATA, gdt_entry(&data));
	gmem_write64(mem, gdt + (SEL_UCODE & ~SEL_RPL_MASK), gdt_entry(&ucode));
	gmem_write64(mem, gdt + (SEL_UDATA & ~SEL_RPL_MASK), gdt_entry(&udata));
	traps_build(mem, l); /* the TSS descriptor, the IDT and its stubs */
	if (l->pt_fmt == PT_NONE)
		return;
	spec.phys = phys;
	err = pt_build_spec(mem, &spec, tables->gpa, tables->gpa + tables->size, pt);
	if (err)
		die(VMM_HOST_ERROR, "building page tables failed: %s", strerror(-err));
}

static void protected_sregs(const struct layout *l, struct kvm_sregs *sr)
{
	struct kvm_segment code = flat_segment(SEL_CODE, SEG_TYPE_CODE, l->mode == MODE_LONG);
	struct kvm_segment data = flat_segment(SEL_DATA, SEG_TYPE_DATA, 0);

	if (l->user) { /* ring 3: the guest cannot touch its page tables or CR3 */
		code = user_segment(code, SEL_UCODE);
		data = user_segment(data, SEL_UDATA);
	}
	sr->gdt.base = l->reg[REG_GDT].gpa; /* a linear address: paging maps it */
	/* null, 4 code/data, then the TSS descriptor: 16 bytes in long mode */
	sr->gdt.limit = (uint16_t)(GDT_ENTRIES * 8 + (l->mode == MODE_LONG ? 16 : 8) - 1);
	sr->cs = code;
	set_data_segments(sr, data);
	sr->cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP;
	sr->cr4 = 0;
	sr->efer = 0;
}

int x86_setup_vcpu(int vcpu_fd, const struct layout *l, unsigned slot, const struct pt_built *pt,
		   uint64_t rsp, uint64_t rdi, struct x86_setup *out, struct mv_err *why)
{
	struct kvm_sregs sr, back;
	/* rflags bit 1 is always set; IOPL is 0 in every ring, so ring 3 reaches exactly the
	 * ports its TSS's I/O bitmap admits, the ABI's (traps.c), and cli, sti and any other
	 * port are a #GP the VMM reports by name. */
	struct kvm_regs regs = { .rflags = RFLAGS_FIXED, .rip = l->entry, .rsp = rsp, .rdi = rdi };

	memset(out, 0, sizeof(*out));
	out->pt = *pt;
	if (ioctl(vcpu_fd, KVM_GET_SREGS, &sr) < 0)
		die_errno(VMM_HOST_ERROR, "KVM_GET_SREGS failed");

	if (l->mode == MODE_REAL) {
		sr.cs = real_segment(0, SEG_TYPE_CODE);
		set_data_segments(&sr, real_segment(0, SEG_TYPE_DATA));
		sr.cr0 = CR0_ET;
		sr.cr4 = sr.efer = 0;
	} else {
		protected_sregs(l, &sr);
		traps_sregs(l, slot, &sr); /* exceptions reach the VMM's stubs */
	}
	if (l->pt_fmt != PT_NONE) {
		sr.cr3 = pt->root;
		sr.cr0 |= CR0_PG;
		if (l->mode == MODE_LONG) {
			sr.cr4 |= CR4_PAE;
			sr.efer |= EFER_LME | EFER_LMA;
		} else {
			sr.cr4 |= CR4_PSE;
		}
	}
	if (ioctl(vcpu_fd, KVM_SET_SREGS, &sr) < 0) {
		if (errno == EINVAL) {
			mv_seterr(why, 0, "KVM_SET_SREGS refused cr0=0x%llx cr4=0x%llx efer=0x%llx",
				  (unsigned long long)sr.cr0, (unsigned long long)sr.cr4,
				  (unsigned long long)sr.efer);
			return -ENOTSUP;
		}
		die_errno(VMM_HOST_ERROR, "KVM_SET_SREGS failed");
	}
	/* Detect a KVM that silently drops a mode (kvm_pvm clears CR0.PG without EFER.LME):
	 * read the registers back. */
	if (ioctl(vcpu_fd, KVM_GET_SREGS, &back) < 0)
		die_errno(VMM_HOST_ERROR, "KVM_GET_SREGS failed");
	out->cr0 = back.cr0;
	out->cr3 = back.cr3;
	out->cr4 = back.cr4;
	out->efer = back.efer;
	if ((back.cr0 & (CR0_PE | CR0_PG)) != (sr.cr0 & (CR0_PE | CR0_PG)) ||
	    (back.cr4 & (CR4_PSE | CR4_PAE)) != (sr.cr4 & (CR4_PSE | CR4_PAE)) ||
	    (back.efer & (EFER_LME | EFER_LMA)) != (sr.efer & (EFER_LME | EFER_LMA)) ||
	    (l->pt_fmt != PT_NONE && back.cr3 != sr.cr3)) {
		mv_seterr(why, 0,
			  "set cr0=0x%llx cr4=0x%llx efer=0x%llx, read back cr0=0x%llx cr4=0x%llx "
			  "efer=0x%llx",
			  (unsigned long long)sr.cr0, (unsigned long long)sr.cr4,
			  (unsigned long long)sr.efer, (unsigned long long)back.cr0,
			  (unsigned long long)back.cr4, (unsigned long long)back.efer);
		return -ENOTSUP;
	}
	if (ioctl(vcpu_fd, KVM_SET_REGS, &regs) < 0)
		die_errno(VMM_HOST_ERROR, "KVM_SET_REGS failed");
	return 0;
}
