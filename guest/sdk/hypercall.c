/* SPDX-License-Identifier: MIT */
/* guest/sdk/hypercall.c: hypercall wrappers: one 32-bit `out` of the request's address. */
#include <minivirt/guest.h>

#include "sdk.h"

void mv_print_val(uint32_t value)
{
	struct hc_print_val r = { .value = value };

	if (!sdk_ring_put(HC_RING_PRINT_VAL, 0, value, 0, 0))
		return;
	mv_hypercall(HC_NR_PRINT_VAL, &r);
}

uint64_t mv_get_num_exits(void)
{
	struct hc_get_num_exits r = { 0 };

	mv_hypercall(HC_NR_GET_NUM_EXITS, &r);
	return r.exits;
}

unsigned mv_vcpu_id(void)
{
	struct hc_vcpu_id r = { 0 };

	mv_hypercall(HC_NR_VCPU_ID, &r);
	return r.id;
}

long mv_display(const char *s)
{
	struct hc_display r = { .str = (hc_gptr_t)(uintptr_t)s };

	/* Only the ring needs the length here: without it the VMM measures the string, so
	 * a wild pointer gets -HC_EFAULT back instead of faulting in strlen. */
	if (sdk_ring_active()) {
		size_t len = mv_strlen(s);

		if (len <= 0xffffffffu && !sdk_ring_put(HC_RING_DISPLAY, 0, 0, s, (uint32_t)len))
			return (long)len;
	}
	/* Through the I/O queue, a write of the string to fd 1, which the VMM prints the
	 * same way. */
	if (sdk_queue_active()) {
		size_t len = mv_strlen(s);

		if (len <= 0xffffffffu)
			return sdk_queue_rw(MV_IO_WRITE, 1, s, len, HC_OFFSET_CURRENT);
	}
	mv_hypercall(HC_NR_DISPLAY, &r);
	return (long)r.ret;
}

void mv_exit(int status)
{
	struct hc_exit r = { .status = status };

	for (;;) /* the VMM does not come back; halt if it ever did */
		mv_hypercall(HC_NR_EXIT, &r);
}

static __attribute__((noreturn)) void report(uint32_t kind, const char *file, unsigned line,
					     const char *msg)
{
	struct hc_report r = {
		.file = (hc_gptr_t)(uintptr_t)file,
		.msg = (hc_gptr_t)(uintptr_t)msg,
		.line = line,
		.kind = kind,
	};

	for (;;)
		mv_hypercall(HC_NR_REPORT, &r);
}

void mv_report_fail(const char *file, unsigned line, const char *msg)
{
	report(HC_REPORT_FAIL, file, line, msg);
}

void mv_report_done(const char *msg)
{
	report(HC_REPORT_DONE, 0, 0, msg);
}
