/* SPDX-License-Identifier: MIT */
/* tests/fuzz/fuzz_vq.c: libFuzzer target for the I/O queue's parser (vmm/vq.c). The input
 * gives the queue's size and three areas, the caller's privilege and paging, and the
 * contents of 64 KiB of guest memory between two PROT_NONE guard pages; the queue is set
 * up, then served twice (the guest's avail.idx advanced between the two by the input).
 * After each serve: a refusal is one terminated line and a success answered no more
 * chains than published; used.idx is what the VMM counted; and guest memory changed only
 * where the VMM may write: the used area and 8-byte statuses of descriptors the guest
 * marked writable (the fd table holds only the console: fd 0 reads /dev/null, fds 1 and 2
 * write to /dev/null, so no data buffer is filled). Paging off, ring 3: never the VMM's
 * regions [SYS_START, SYS_END), which the marks cannot include.
 *
 * Input layout (little-endian; missing bytes are 0):
 *   0      flags: bit 0 ring 3, bits 1-2 paging (0 off, 1 32-bit, 2-3 4-level)
 *   1      size selector: 1 << (n % 9)
 *   2-3    avail.idx added before the second serve
 *   4-7    CR3 (masked to 64 KiB)
 *   8-13   desc, avail, used (2 bytes each, offsets into guest memory)
 *   16-    guest memory from guest-physical 0 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "files.h"
#include "fuzz_common.h"
#include "hc_dispatch.h"
#include "vq.h"

#define MEM_SIZE 0x10000u
#define PAGE 4096u
#define HDR 16u
#define SYS_START 0x8000u /* paging off, ring 3: the VMM's regions */
#define SYS_END 0xa000u

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t *mem;             /* MEM_SIZE bytes between two guard pages */
static uint8_t shadow[MEM_SIZE]; /* guest memory before a serve */
static uint8_t may[MEM_SIZE];    /* 1 where the VMM may write */
static FILE *devnull;
static struct share share = { .dirfd = -1 };

static void check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_vq: %s\n", what);
		abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	mem = fuzz_guarded(MEM_SIZE, PAGE);
	devnull = fuzz_quiet_stdio();
	return 0;
}

/* Where the VMM may write: the used area and each writable 8-byte descriptor's bytes
 * (through paging, the page it maps to: marked whole, as the fuzzer cannot tell which
 * bytes the walk reached). Taken from the memory as it is before the serve. */
static void mark_writable(const struct vq *q, const struct gview *v)
{
	memset(may, 0, sizeof(may));
	memset(may + ((uint8_t *)q->used - mem), 1, HC_VQ_USED_BYTES(q->size));
	for (uint32_t i = 0; i < q->size; i++) {
		struct hc_vq_desc d;
		struct iovec iov[2];
		uint64_t at, left = 8;

		memcpy(&d, &q->desc[i], sizeof(d));
		if (!(d.flags & HC_VQ_DESC_F_WRITE) || d.len != 8)
			continue;
		at = d.addr;
		for (int n = gva_iov(v, &at, &left, true, iov, 2), k = 0; n > 0 && k < n; k++)
			memset(may + ((uint8_t *)iov[k].iov_base - mem), 1, iov[k].iov_len);
	}
}

/* Not instrumented: the harness's own loop would drown the parser's coverage. Where the
 * VMM's own writes land on the descriptor table or the avail ring, later descriptors are
 * ones it wrote itself, so the marks say nothing: only the other cases are checked. */
__attribute__((noinline, no_sanitize("coverage", "address", "undefined"))) static int
changed_elsewhere(const struct vq *q)
{
	const uint32_t d = (uint32_t)((uint8_t *)q->desc - mem);
	const uint32_t a = (uint32_t)((uint8_t *)q->avail - mem);

	for (uint32_t j = 0; j < HC_VQ_DESC_BYTES(q->size); j++)
		if (may[d + j])
			return 0;
	for (uint32_t j = 0; j < HC_VQ_AVAIL_BYTES(q->size); j++)
		if (may[a + j])
			return 0;
	for (uint32_t j = 0; j < MEM_SIZE; j++)
		if (mem[j] != shadow[j] && !may[j])
			return 1;
	return 0;
}

static void serve(struct vq *q, struct hc_ctx *c)
{
	const uint16_t before = q->used_idx;
	struct mv_err err = { { 0 } };
	int n;

	memcpy(shadow, mem, MEM_SIZE);
	mark_writable(q, &c->view);
	n = vq_serve(q, vq_avail(q), c, &err);
	if (n < 0) {
		check(err.msg[0] && !strchr(err.msg, '\n'), "a refusal without its one line");
		check(strlen(err.msg) < sizeof(err.msg), "an unterminated reason");
	} else {
		check((unsigned)n <= q->size, "more chains answered than the queue holds");
		check((uint16_t)(q->used_idx - before) == n, "used_idx miscounted");
		check(n == 0 || q->used->idx == q->used_idx, "used.idx not published");
	}
	check(!changed_elsewhere(q), "guest memory changed outside the used area and statuses");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t in[HDR] = { 0 };
	struct gmem g = { .host = mem, .size = MEM_SIZE };
	struct files files;
	struct hc_ctx c = { .out = devnull };
	struct hc_queue_setup r;
	struct vq q;
	size_t mem_len = size > HDR ? size - HDR : 0;

	memcpy(in, data, size < HDR ? size : HDR);
	memset(mem, 0, MEM_SIZE);
	memcpy(mem, data + HDR, mem_len < MEM_SIZE ? mem_len : MEM_SIZE);
	c.view = (struct gview){ .mem = &g,
				 .fmt = (in[0] >> 1 & 3) == 0   ? PT_NONE
					: (in[0] >> 1 & 3) == 1 ? PT_32BIT
								: PT_4LEVEL,
				 .root = le(in + 4, 4) % MEM_SIZE & ~0xfffull };
	gva_set_cpl(&c.view, in[0] & 1 ? 3 : 0, SYS_START, SYS_END);
	r = (struct hc_queue_setup){ .desc = le(in + 8, 2),
				     .avail = le(in + 10, 2),
				     .used = le(in + 12, 2),
				     .size = 1u << (in[1] % 9) };
	if (vq_setup(&q, &c.view, &r))
		return 0;
	files_init(&files, &share, 4);
	c.files = &files;
	serve(&q, &c);
	q.avail->idx = (uint16_t)(q.avail->idx + le(in + 2, 2));
	serve(&q, &c);
	files_destroy(&files);
	return 0;
}
