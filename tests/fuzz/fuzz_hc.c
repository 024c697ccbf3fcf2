/* SPDX-License-Identifier: MIT */
/* tests/fuzz/fuzz_hc.c: libFuzzer target for the hypercall dispatcher. The input picks up
 * to four hypercalls (number and request address), the paging format and root (CR3 may
 * point anywhere, so the page tables are guest bytes like any other) and the contents of
 * 64 KiB of guest memory, which sits between two PROT_NONE guard pages. After each call:
 * the action is a valid enum, the call was counted, why is one terminated line, a stop
 * left guest memory alone, a call that went on changed no more bytes than the largest
 * request (read and readdir also fill their buffer: not counted), and every file
 * the guest holds open lies inside the shared folder, a read-only temporary tree with
 * symlinks that try to lead out of it. With a ring-3 view, a call changed only bytes that
 * ring 3 may write: with paging, pages the request or the call's buffer map to with U/S
 * and R/W at every level (under the tables before or after the call); paging off, never
 * the VMM's regions [SYS_START, SYS_END).
 *
 * Input layout (little-endian; missing bytes are 0):
 *   0      flags: bits 0-1 paging (0 off, 1 32-bit, 2-3 4-level); bit 2: CR3 taken whole
 *          (else masked to 64 KiB); bit 3: paging off with a limit; bit 4: the caller
 *          runs in ring 3; bit 5: CR0.WP clear
 *   1      number of calls - 1 (low 2 bits)
 *   2-3    limit (bit 3 of flags)
 *   4-7    exits, as get_num_exits reports them
 *   8-15   CR3
 *   16-55  four calls of 10 bytes: nr selector (0xf0-0xff: 0xffffffff down, else the
 *          selector modulo HC_NR_MAX + 2), request flags (bit 0: address taken whole,
 *          else masked to 64 KiB), request address (8 bytes)
 *   56-    guest memory from guest-physical 0 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "fuzz_common.h"
#include "hc_dispatch.h"

#define MEM_SIZE 0x10000u
#define PAGE 4096u
#define HDR 16u
#define CALL_SIZE 10u
#define MAX_CALLS 4u
#define MEM_OFF (HDR + MAX_CALLS * CALL_SIZE)
#define MAX_FILES 8
#define REQ_MAX 64u       /* no request struct is larger (hc_dispatch.c's HC_REQ_MAX) */
#define SYS_START 0x8000u /* paging off, ring 3: the VMM's regions */
#define SYS_END 0xa000u
#define BUF_PAGES 17u /* of a read or readdir buffer, more than it can fill */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t *mem;             /* MEM_SIZE bytes between two guard pages */
static uint8_t shadow[MEM_SIZE]; /* guest memory before a call */
static FILE *devnull;
static struct share share = { .dirfd = -1 };
static char root[64];         /* the shared folder */
static struct stat inside[4]; /* what the guest may open: the folder and its files */

static void die_if(int cond, const char *what)
{
	if (cond) {
		perror(what);
		abort();
	}
}

static void put_file(const char *rel, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	die_if(!(f = fopen(path, "w")), path);
	fputs(text, f);
	fclose(f);
}

static void remove_tree(void)
{
	static const char *const rel[] = { "d/b.txt", "a.txt", "up", "abs", "in", "proc" };
	char path[128];

	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, rel[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/d", root);
	rmdir(path);
	rmdir(root);
}

/* The shared folder: a.txt, d/b.txt, a symlink inside (in -> d/b.txt) and three that
 * lead out: up -> .., abs -> /etc, proc -> /proc/self/root. */
static void make_tree(void)
{
	static const char *const rel[] = { ".", "a.txt", "d", "d/b.txt" };
	const char *tmp = getenv("TMPDIR");
	char path[128];

	snprintf(root, sizeof(root), "%s/fuzz_hc.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	die_if(!mkdtemp(root), "mkdtemp");
	atexit(remove_tree);
	put_file("a.txt", "alpha\n");
	snprintf(path, sizeof(path), "%s/d", root);
	die_if(mkdir(path, 0755) < 0, path);
	put_file("d/b.txt", "bravo, a longer line\n");
	snprintf(path, sizeof(path), "%s/up", root);
	die_if(symlink("..", path) < 0, path);
	snprintf(path, sizeof(path), "%s/abs", root);
	die_if(symlink("/etc", path) < 0, path);
	snprintf(path, sizeof(path), "%s/in", root);
	die_if(symlink("d/b.txt", path) < 0, path);
	snprintf(path, sizeof(path), "%s/proc", root);
	die_if(symlink("/proc/self/root", path) < 0, path);
	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", root, rel[i]);
		die_if(stat(path, &inside[i]) < 0, path);
	}
	die_if(share_open_dir(&share, root, true, &(const char *){ NULL }) < 0, "share_open_dir");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	mem = fuzz_guarded(MEM_SIZE, PAGE);
	devnull = fuzz_quiet_stdio();
	make_tree();
	return 0;
}

static void check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_hc: %s\n", what);
		abort();
	}
}

/* Every host fd in the table is the folder or a file in it. */
static void check_open_files(const struct files *fs)
{
	for (int i = 0; i < fs->max; i++) {
		const struct file *e = &fs->tab[i];
		struct stat st;
		int ok = 0;

		if (e->host < 0)
			continue;
		check(e->kind == FILE_REG || e->kind == FILE_DIR, "host fd on a console entry");
		check(fstat(e->host, &st) == 0, "fstat of a guest fd");
		for (size_t j = 0; j < 4; j++)
			ok |= st.st_dev == inside[j].st_dev && st.st_ino == inside[j].st_ino;
		check(ok, "a guest fd leads outside the shared folder");
	}
}

/* Bytes of guest memory that differ from the shadow copy, a word at a time. Not
 * instrumented: the harness's own comparisons would drown the dispatcher's coverage. */
__attribute__((noinline, no_sanitize("coverage", "address", "undefined"))) static uint64_t
count_changed(void)
{
	uint64_t n = 0;

	for (uint32_t j = 0; j < MEM_SIZE; j += 8) {
		uint64_t a, b;

		if (j % 512 == 0 && !memcmp(mem + j, shadow + j, 512)) { /* skip equal blocks */
			j += 512 - 8;
			continue;
		}
		memcpy(&a, mem + j, 8);
		memcpy(&b, shadow + j, 8);
		a ^= b; /* then bit 0 of each byte: whether the byte differs */
		a |= a >> 4;
		a |= a >> 2;
		a |= a >> 1;
		n += (uint64_t)__builtin_popcountll(a & 0x0101010101010101ull);
	}
	return n;
}

/* The guest-physical page gva maps to with U/S and R/W at every level under the tables
 * in m, or UINT64_MAX. Uses pt_walk, not gva.c, so it checks the dispatcher's own work. */
static uint64_t user_writable(const struct gview *v, const uint8_t *m, uint64_t gva)
{
	const struct gmem g = { .host = (uint8_t *)m, .size = MEM_SIZE };
	struct pt_walk w;

	if (pt_walk(&g, v->fmt, v->root, gva, &w) || !w.user || !w.writable)
		return UINT64_MAX;
	return w.gpa & ~(uint64_t)(PAGE - 1);
}

/* Marks in ok[] the pages ring 3 may write through [gva, gva + len), before or after. */
static void mark_writable(const struct gview *v, uint64_t gva, uint64_t len, bool *ok)
{
	const uint64_t first = gva & ~(uint64_t)(PAGE - 1);
	const uint64_t span = len < (uint64_t)BUF_PAGES * PAGE ? len : (uint64_t)BUF_PAGES * PAGE;
	const uint64_t pages = len ? ((gva & (PAGE - 1)) + span + PAGE - 1) / PAGE : 0;

	for (uint64_t i = 0; i < pages; i++) {
		const uint8_t *img[2] = { shadow, mem };

		for (int j = 0; j < 2; j++) {
			uint64_t gpa = user_writable(v, img[j], first + i * PAGE);

			if (gpa < MEM_SIZE)
				ok[gpa / PAGE] = true;
		}
	}
}

/* A little-endian 8-byte field of the request at gva, as the shadow held it (any
 * privilege: the dispatcher already refused what ring 3 could not read). */
static uint64_t shadow_field(const struct gview *v, uint64_t gva)
{
	const struct gmem g = { .host = shadow, .size = MEM_SIZE };
	uint8_t b[8] = { 0 };

	for (unsigned i = 0; i < 8; i++) {
		struct pt_walk w;

		if (!pt_walk(&g, v->fmt, v->root, gva + i, &w) && w.gpa < MEM_SIZE)
			b[i] = shadow[w.gpa];
	}
	return le(b, 8);
}

/* With a ring-3 view: every changed byte is one ring 3 could write. */
static void check_ring3_writes(const struct gview *v, uint32_t nr, uint64_t req)
{
	bool ok[MEM_SIZE / PAGE] = { false };

	if (v->fmt == PT_NONE) {
		check(!memcmp(mem + SYS_START, shadow + SYS_START, SYS_END - SYS_START),
		      "a ring-3 call changed the VMM's regions");
		return;
	}
	mark_writable(v, req, REQ_MAX, ok);
	if (nr == HC_NR_READ || nr == HC_NR_READDIR) /* hc_rw and hc_readdir: buf at 8, len at 16 */
		mark_writable(v, shadow_field(v, req + 8), shadow_field(v, req + 16), ok);
	for (uint32_t p = 0; p < MEM_SIZE / PAGE; p++)
		if (!ok[p])
			check(!memcmp(mem + p * PAGE, shadow + p * PAGE, PAGE),
			      "a ring-3 call changed a page ring 3 may not write");
}

static uint32_t pick_nr(uint8_t sel)
{
	if (sel >= 0xf0) /* far out of range */
		return 0xffffffffu - (sel & 0x0f);
	return sel % (HC_NR_MAX + 2); /* 0 and HC_NR_MAX + 1 included */
}

static uint64_t sum_calls(const struct hc_stats *s)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < HC_NR_MAX; i++)
		n += s->calls[i];
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t in[MEM_OFF] = { 0 };
	const uint8_t *call;
	struct files fs;
	struct hc_ctx c;
	unsigned ncalls;
	uint64_t cr3;

	memcpy(in, data, size < MEM_OFF ? size : MEM_OFF);
	memset(mem, 0, MEM_SIZE);
	if (size > MEM_OFF)
		memcpy(mem, data + MEM_OFF, size - MEM_OFF < MEM_SIZE ? size - MEM_OFF : MEM_SIZE);
	ncalls = 1 + (in[1] & 3);
	cr3 = le(in + 8, 8);
	if (!(in[0] & 4))
		cr3 &= MEM_SIZE - 1;

	memset(&c, 0, sizeof(c));
	c.view.mem = &(struct gmem){ .host = mem, .size = MEM_SIZE };
	c.view.fmt = (in[0] & 3) == 0 ? PT_NONE : (in[0] & 3) == 1 ? PT_32BIT : PT_4LEVEL;
	c.view.root = cr3;
	if (c.view.fmt == PT_NONE && (in[0] & 8))
		c.view.limit = le(in + 2, 2);
	c.view.wp_off = in[0] & 0x20;
	gva_set_cpl(&c.view, in[0] & 0x10 ? 3 : 0, SYS_START, SYS_END);
	c.out = devnull;
	c.exits = le(in + 4, 4);
	files_init(&fs, &share, MAX_FILES);
	fs.tab[2] = (struct file){ .kind = FILE_FREE, .host = -1 }; /* keep stderr for us */
	c.files = &fs;

	call = in + HDR;
	for (unsigned i = 0; i < ncalls; i++, call += CALL_SIZE) {
		const uint32_t nr = pick_nr(call[0]);
		uint64_t req = le(call + 2, 8), before = sum_calls(&c.stats), changed;
		enum hc_action a;

		if (!(call[1] & 1))
			req &= MEM_SIZE - 1;
		memcpy(shadow, mem, MEM_SIZE);
		memset(c.why.msg, 0, sizeof(c.why.msg));
		a = hc_dispatch(&c, nr, req);
		changed = count_changed();
#ifdef FUZZ_HC_TRACE /* -DFUZZ_HC_TRACE: what each call did, to check seeds */
		fprintf(stderr,
			"call %u: nr %u req 0x%llx -> action %d, %llu bytes changed, "
			"errors %llu, why \"%s\"\n",
			i, nr, (unsigned long long)req, a, (unsigned long long)changed,
			(unsigned long long)c.stats.errors, c.why.msg);
#endif
		check(a == HC_CONTINUE || a == HC_STOP_EXIT || a == HC_STOP_FAIL ||
			      a == HC_STOP_FAULT,
		      "hc_dispatch returned no enum hc_action");
		check(sum_calls(&c.stats) == before + (nr < HC_NR_MAX && hc_name(nr)),
		      "calls counted wrong");
		check(memchr(c.why.msg, 0, sizeof(c.why.msg)) != NULL, "why not terminated");
		if (a == HC_STOP_FAIL || a == HC_STOP_FAULT)
			check(c.why.msg[0] && !strchr(c.why.msg, '\n'),
			      "why empty or not one line");
		if (a == HC_STOP_EXIT)
			check(c.exit_status >= 0 && c.exit_status <= 255,
			      "exit status outside 0..255");
		if (a != HC_CONTINUE) {
			check(changed == 0, "a stopped call changed guest memory");
			break;
		}
		if (nr != HC_NR_READ && nr != HC_NR_READDIR)
			check(changed <= REQ_MAX, "a call changed more than its request");
		if (c.view.user && changed)
			check_ring3_writes(&c.view, nr, req);
	}
	check_open_files(&fs);
	files_destroy(&fs);
	return 0;
}
