/* SPDX-License-Identifier: MIT */
/* guest/sdk/ring.c: the console ring (kvm-hello-world --ring): display, print_val and
 * writes to fds 1 and 2 become records in a ring in the guest's memory, and a doorbell
 * write that KVM handles in the kernel: no exit to the VMM, and no doorbell either while
 * the VMM's thread says it is awake (HC_RING_F_AWAKE, from ABI version 3). Used only when
 * the VMM offers it (boot info), by one vCPU per ring. */
#include <minivirt/guest.h>

#include "sdk.h"

#if MV_GUEST_BITS == 16
#define RING_SIZE 4096
#else
#define RING_SIZE 16384 /* every SDK guest carries it in .bss */
#endif

/* The header and the data: data[] follows the whole header (HC_RING_F_AWAKE), or its
 * first HC_RING_HDR_V2 bytes for a VMM older than ABI version 3. */
static struct {
	struct hc_ring h;
	uint8_t data[RING_SIZE];
} ring __attribute__((aligned(8)));

static int ring_on;
static uint8_t *data; /* where data[] starts for the VMM */
static uint32_t doorbell_value;
static uint32_t awake_mask; /* what of awake to heed: ~0, or 0 when the VMM never sets it */

void sdk_ring_setup(const struct hc_boot_info *bi)
{
	struct hc_ring_setup r = { .ring = (hc_gptr_t)(uintptr_t)&ring };
	const int awake = bi && bi->abi_version >= HC_ABI_RING_AWAKE;

	if (!sdk_offers(bi) || !bi->doorbell || bi->vcpus != 1)
		return;
	ring.h.size = RING_SIZE;
	r.flags = awake ? HC_RING_F_AWAKE : 0;
	mv_hypercall(HC_NR_RING_SETUP, &r);
	ring_on = r.ret == 0;
	data = awake ? ring.h.data : (uint8_t *)&ring + HC_RING_HDR_V2;
	awake_mask = awake ? ~0u : 0;
	doorbell_value = bi->vcpu_id;
}

struct hc_ring *sdk_ring(void)
{
	return &ring.h;
}

int sdk_ring_active(void)
{
	return ring_on;
}

/* Rings unless the VMM's thread polls. The caller published head before: the full
 * barrier keeps the load of awake after that store (the thread clears awake, then looks
 * at head once more: one of the two sees the other, so no record waits unnoticed). */
static void doorbell(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(__atomic_load_n(&ring.h.awake, __ATOMIC_RELAXED) & awake_mask))
		mv_outl(HC_PORT_DOORBELL, doorbell_value);
}

static void put_bytes(uint32_t at, const void *src, uint32_t n)
{
	const uint8_t *s = src;

	for (uint32_t i = 0; i < n; i++)
		data[(at + i) & (RING_SIZE - 1)] = s[i];
}

int sdk_ring_put(uint32_t kind, int fd, uint32_t value, const void *payload, uint32_t len)
{
	const uint32_t need = HC_RING_REC_SIZE(len);
	struct hc_ring_rec rec = { .kind = kind, .len = len, .fd = fd, .value = value };
	uint32_t head;

	if (!ring_on || need > RING_SIZE)
		return -1;  /* the caller makes the hypercall instead */
	head = ring.h.head; /* only this vCPU writes head */
	/* Full: ring again (the VMM's thread may be asleep) and wait for room. */
	while (head - __atomic_load_n(&ring.h.tail, __ATOMIC_ACQUIRE) + need > RING_SIZE) {
		if (__atomic_load_n(&ring.h.error, __ATOMIC_RELAXED)) {
			ring_on = 0;
			return -1;
		}
		doorbell();
		__asm__ volatile("pause");
	}
	put_bytes(head, &rec, sizeof(rec));
	put_bytes(head + (uint32_t)sizeof(rec), payload, len);
	__atomic_store_n(&ring.h.head, head + need, __ATOMIC_RELEASE);
	doorbell();
	return 0;
}
