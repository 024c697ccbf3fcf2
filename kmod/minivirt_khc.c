// SPDX-License-Identifier: GPL-2.0
/* kmod/minivirt_khc.c: minivirt's in-kernel hypercalls. A kretprobe on KVM's
 * kvm_emulate_hypercall() answers two hypercall numbers of minivirt's own (see
 * include/minivirt/hc.h, HC_KHC_*) inside the host kernel, with no exit to the VMM:
 * KVM lets vmcall/vmmcall of an unknown number return -KVM_ENOSYS, and on its return
 * this module puts its own result in the guest's rax instead. Every other number is
 * left to KVM. Built against the Debian linux-headers of the test kernel. */
#include <linux/kprobes.h>
#include <linux/kvm_host.h>
#include <linux/module.h>

#define HC_KHC_PING 0x4d560000ul  /* returns HC_KHC_MAGIC: the module is there */
#define HC_KHC_EXITS 0x4d560001ul /* returns KVM's count of this vCPU's exits */
#define HC_KHC_CALLS 0x4d560002ul /* returns KVM's count of this vCPU's hypercalls */
#define HC_KHC_MAGIC 0x6d696e69ul /* "mini" */

struct call {
	struct kvm_vcpu *vcpu;
	unsigned long nr;
};

static unsigned long answered;

static int on_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct call *c = (struct call *)ri->data;

	c->vcpu = (struct kvm_vcpu *)regs->di; /* the first argument */
	c->nr = c->vcpu->arch.regs[VCPU_REGS_RAX];
	return 0;
}

/* KVM has written its own result (-KVM_ENOSYS) to rax and marked it dirty; it reaches
 * the guest at the next entry, so replacing it here is enough. */
static int on_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct call *c = (struct call *)ri->data;
	unsigned long ret;

	switch (c->nr) {
	case HC_KHC_PING: ret = HC_KHC_MAGIC; break;
	case HC_KHC_EXITS: ret = c->vcpu->stat.exits; break;
	case HC_KHC_CALLS:
		ret = c->vcpu->stat.hypercalls; /* this one included */
		break;
	default: return 0;
	}
	c->vcpu->arch.regs[VCPU_REGS_RAX] = ret;
	WRITE_ONCE(answered, answered + 1);
	return 0;
}

static struct kretprobe probe = {
	.kp.symbol_name = "kvm_emulate_hypercall",
	.entry_handler = on_entry,
	.handler = on_return,
	.data_size = sizeof(struct call),
	.maxactive = 64,
};

static int __init khc_init(void)
{
	int err = register_kretprobe(&probe);

	if (err)
		pr_err("minivirt_khc: cannot probe kvm_emulate_hypercall (is kvm loaded?): %d\n",
		       err);
	else
		pr_info("minivirt_khc: answering hypercalls 0x%lx-0x%lx in the kernel\n",
			HC_KHC_PING, HC_KHC_CALLS);
	return err;
}

static void __exit khc_exit(void)
{
	unregister_kretprobe(&probe);
	pr_info("minivirt_khc: answered %lu hypercalls, missed %d\n", answered, probe.nmissed);
}

module_init(khc_init);
module_exit(khc_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("minivirt: hypercalls answered inside KVM");
