/* SPDX-License-Identifier: MIT */
/* guest/examples/smpsum.c: run with --smp --vcpus N: every vCPU runs main in the same
 * address space, sums its share of one array, adds it to a shared total with an atomic
 * add, and vCPU 0 waits for all of them and checks the total against the formula. */
#include <minivirt/guest.h>

#if MV_GUEST_BITS == 16
#define COUNT 1024
#else
#define COUNT (1 << 16)
#endif

static uint32_t values[COUNT];
static volatile uint32_t ready; /* set by vCPU 0 once values[] is filled */
static uint32_t total;          /* the atomic sum of every vCPU's part */
static uint32_t finished;       /* vCPUs that added their part */

int main(int argc, char **argv)
{
	const unsigned id = mv_vcpu_id(), n = mv_boot_info()->vcpus;
	unsigned from = COUNT / n * id, to = id == n - 1 ? COUNT : COUNT / n * (id + 1);
	uint32_t part = 0, want = (uint32_t)(COUNT / 2) * (COUNT + 1); /* no overflow */

	(void)argc;
	(void)argv;
	if (id == 0) {
		for (unsigned i = 0; i < COUNT; i++)
			values[i] = i + 1;
		__atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
	}
	while (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE))
		__asm__ volatile("pause");
	for (unsigned i = from; i < to; i++)
		part += values[i];
	__atomic_fetch_add(&total, part, __ATOMIC_RELAXED);
	__atomic_fetch_add(&finished, 1, __ATOMIC_RELEASE);
	mv_printf("vCPU %u of %u: values %u..%u sum to %u\n", id, n, from + 1, to, (unsigned)part);
	if (id != 0)
		return 0;
	while (__atomic_load_n(&finished, __ATOMIC_ACQUIRE) < n)
		__asm__ volatile("pause");
	mv_printf("total %u, expected %u: %s\n", (unsigned)total, (unsigned)want,
		  total == want ? "ok" : "WRONG");
	return total == want ? 0 : 1;
}
