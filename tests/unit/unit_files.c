/* SPDX-License-Identifier: MIT */
/* tests/unit/unit_files.c: the file hypercalls through hc_dispatch over a calloc'd guest
 * memory and a real temporary share folder: confinement, the fd table, scatter/gather
 * into non-contiguous guest pages, and no host fd left behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "hc_dispatch.h"

#define MEM_SIZE 0x40000ull
#define REQ 0x1000ull /* requests */
#define STR 0x2000ull /* paths */
#define BUF 0x8000ull /* data buffers */

struct fixture {
	char dir[64]; /* the share */
	struct share share;
	struct files files;
	struct gmem mem;
	struct hc_ctx c;
	int fds_before;
};

/* Host fds open in this process. */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n - 3; /* ".", ".." and the DIR's own fd */
}

static void write_file(const char *dir, const char *name, const char *data)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(data, f);
	fclose(f);
}

static int fx_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128];

	if (!f)
		return -1;
	f->fds_before = count_fds();
	strcpy(f->dir, "/tmp/unit-files.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	write_file(f->dir, "a.txt", "hello, share\n");
	snprintf(path, sizeof(path), "%s/sub", f->dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/out", f->dir);
	if (symlink("/etc", path))
		return -1;
	snprintf(path, sizeof(path), "%s/fifo", f->dir);
	if (mkfifo(path, 0600))
		return -1;
	if (share_open_dir(&f->share, f->dir, false, &(const char *){ NULL }))
		return -1;
	files_init(&f->files, &f->share, 8);
	f->mem = (struct gmem){ .host = calloc(1, MEM_SIZE), .size = MEM_SIZE };
	f->c.view = (struct gview){ .mem = &f->mem, .fmt = PT_NONE };
	f->c.files = &f->files;
	f->c.out = fopen("/dev/null", "w");
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	files_destroy(&f->files);
	share_close(&f->share);
	fclose(f->c.out);
	free(f->mem.host);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static int64_t do_open(struct fixture *f, const char *path, uint32_t flags)
{
	struct hc_open r = { .path = STR, .flags = flags, .mode = 0644 };

	memcpy(f->mem.host + STR, path, strlen(path) + 1);
	memcpy(f->mem.host + REQ, &r, sizeof(r));
	assert_int_equal(hc_dispatch(&f->c, HC_NR_OPEN, REQ), HC_CONTINUE);
	memcpy(&r, f->mem.host + REQ, sizeof(r));
	return r.ret;
}

static int64_t do_close(struct fixture *f, int fd)
{
	struct hc_close r = { .fd = fd };

	memcpy(f->mem.host + REQ, &r, sizeof(r));
	assert_int_equal(hc_dispatch(&f->c, HC_NR_CLOSE, REQ), HC_CONTINUE);
	memcpy(&r, f->mem.host + REQ, sizeof(r));
	return r.ret;
}

static int64_t do_read(struct fixture *f, int fd, uint64_t buf, uint64_t len, int64_t off)
{
	struct hc_rw r = { .fd = fd, .buf = buf, .len = len, .offset = off };

	memcpy(f->mem.host + REQ, &r, sizeof(r));
	assert_int_equal(hc_dispatch(&f->c, HC_NR_READ, REQ), HC_CONTINUE);
	memcpy(&r, f->mem.host + REQ, sizeof(r));
	return r.ret;
}

static void test_confined(void **state)
{
	struct fixture *f = *state;

	assert_true(do_open(f, "a.txt", HC_O_RDONLY) >= 3);
	assert_true(do_open(f, "/a.txt", HC_O_RDONLY) >= 3);
	assert_int_equal(do_open(f, "../a.txt", HC_O_RDONLY), -HC_EACCES);
	assert_int_equal(do_open(f, "sub/../../etc/passwd", HC_O_RDONLY), -HC_EACCES);
	assert_int_equal(do_open(f, "out/passwd", HC_O_RDONLY), -HC_EACCES);
	assert_int_equal(do_open(f, "fifo", HC_O_RDONLY), -HC_EACCES);
	assert_int_equal(do_open(f, "fifo", HC_O_WRONLY), -HC_EACCES); /* not ENXIO: unopened */
	assert_int_equal(do_open(f, "fifo", HC_O_RDWR | HC_O_CREAT), -HC_EACCES);
	assert_int_equal(do_open(f, "a.txt", HC_O_RDONLY | HC_O_CREAT | HC_O_EXCL), -HC_EEXIST);
	assert_true(do_open(f, "new.txt", HC_O_WRONLY | HC_O_CREAT | HC_O_EXCL) >= 3);
	assert_true(do_open(f, "new.txt", HC_O_RDWR | HC_O_CREAT) >= 3);
	assert_int_equal(do_open(f, "nope", HC_O_RDONLY), -HC_ENOENT);
	assert_int_equal(do_open(f, "a.txt", 0x800000), -HC_EINVAL);
}

/* Opening until the table is full, failures in between, then destroying the table:
 * the process holds exactly the fds it held before. */
static void test_no_fd_leak(void **state)
{
	struct fixture *f = *state;
	int held = count_fds(), opened = 0;

	for (int i = 0; i < 20; i++) {
		int64_t fd = do_open(f, i % 3 ? "a.txt" : "../x", HC_O_RDONLY);

		opened += fd >= 3;
		if (fd < 0)
			assert_true(fd == -HC_EMFILE || fd == -HC_EACCES);
	}
	assert_int_equal(opened, 5); /* 8 entries, 0-2 the console */
	assert_int_equal(count_fds(), held + 5);
	assert_int_equal(do_close(f, 4), 0);
	assert_int_equal(do_close(f, 4), -HC_EBADF);
	assert_int_equal(count_fds(), held + 4);
	files_destroy(&f->files);
	assert_int_equal(count_fds(), held);
	files_init(&f->files, &f->share, 8); /* for the teardown */
}

/* A buffer whose guest-virtual pages map to guest-physical pages in reverse order:
 * the read lands in the right places, as several iovecs. */
static void test_scatter(void **state)
{
	struct fixture *f = *state;
	char data[3 * 4096 + 100];
	uint64_t pml4 = 0x10000, pdpt = 0x11000, pd = 0x12000, pt = 0x13000;
	uint64_t e;
	int64_t fd;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)('A' + i % 23);
	{
		char path[128];
		FILE *o;

		snprintf(path, sizeof(path), "%s/big", f->dir);
		assert_non_null(o = fopen(path, "w"));
		fwrite(data, 1, sizeof(data), o);
		fclose(o);
	}
	/* Identity for the first 0x10000 (requests, paths); then gva 0x20000 + i pages
	 * -> gpa 0x30000 - i pages. */
	e = pdpt | PTE_P | PTE_RW;
	memcpy(f->mem.host + pml4, &e, 8);
	e = pd | PTE_P | PTE_RW;
	memcpy(f->mem.host + pdpt, &e, 8);
	e = pt | PTE_P | PTE_RW;
	memcpy(f->mem.host + pd, &e, 8);
	for (uint64_t p = 0; p < 16; p++) {
		e = (p << 12) | PTE_P | PTE_RW;
		memcpy(f->mem.host + pt + 8 * p, &e, 8);
	}
	for (uint64_t i = 0; i < 4; i++) {
		e = ((0x30000 - (i << 12))) | PTE_P | PTE_RW;
		memcpy(f->mem.host + pt + 8 * (0x20 + i), &e, 8);
	}
	f->c.view = (struct gview){ .mem = &f->mem, .fmt = PT_4LEVEL, .root = pml4 };
	fd = do_open(f, "big", HC_O_RDONLY);
	assert_true(fd >= 3);
	assert_int_equal(do_read(f, (int)fd, 0x20000, sizeof(data), 0), sizeof(data));
	for (uint64_t i = 0; i < 4; i++) {
		size_t n = i < 3 ? 4096 : 100;

		assert_memory_equal(f->mem.host + 0x30000 - (i << 12), data + i * 4096, n);
	}
	/* A buffer running into an unmapped page moves nothing: all or nothing. */
	memset(f->mem.host + 0x2d000, 0, 4096); /* where gva 0x23000 lands */
	assert_int_equal(do_read(f, (int)fd, 0x23000, 8192, 0), -HC_EFAULT);
	assert_int_equal(f->mem.host[0x2d000], 0);
	f->c.view = (struct gview){ .mem = &f->mem, .fmt = PT_NONE };
}

static int64_t do_rw(struct fixture *f, uint32_t nr, int fd, uint64_t buf, uint64_t len)
{
	struct hc_rw r = { .fd = fd, .buf = buf, .len = len, .offset = 0 };

	memcpy(f->mem.host + REQ, &r, sizeof(r));
	assert_int_equal(hc_dispatch(&f->c, nr, REQ), HC_CONTINUE);
	memcpy(&r, f->mem.host + REQ, sizeof(r));
	return r.ret;
}

/* A ring-3 caller, tables as the VMM builds them, [0x10000, 0x18000) supervisor-only (the
 * tables among them): no read lands there, no write or path comes from there. */
static void test_ring3(void **state)
{
	struct fixture *f = *state;
	const struct pt_spec spec = { .fmt = PT_4LEVEL,
				      .size = MEM_SIZE,
				      .user = true,
				      .kernel_start = 0x10000,
				      .kernel_end = 0x18000 };
	const uint64_t sup = 0x17000;
	struct hc_open o = { .path = sup, .flags = HC_O_RDONLY };
	struct hc_readdir rd = { .buf = sup, .len = 4096 };
	struct pt_built b;
	uint8_t *snap = malloc(MEM_SIZE);
	char path[128], got[64] = "";
	int64_t fd, wfd, dfd;
	FILE *in;

	assert_non_null(snap);
	assert_int_equal(pt_build_spec(&f->mem, &spec, 0x10000, 0x17000, &b), 0);
	f->c.view = (struct gview){ .mem = &f->mem, .fmt = PT_4LEVEL, .root = b.root };
	gva_set_cpl(&f->c.view, 3, 0, 0);
	fd = do_open(f, "a.txt", HC_O_RDONLY);
	assert_true(fd >= 3);
	wfd = do_open(f, "w.txt", HC_O_WRONLY | HC_O_CREAT);
	assert_true(wfd >= 3);
	dfd = do_open(f, "sub", HC_O_RDONLY | HC_O_DIRECTORY);
	assert_true(dfd >= 3);
	memcpy(snap, f->mem.host, MEM_SIZE);

	/* pread into a supervisor page (the tables, or a page beside them): refused. */
	assert_int_equal(do_rw(f, HC_NR_READ, (int)fd, b.root, 8), -HC_EFAULT);
	assert_int_equal(do_rw(f, HC_NR_READ, (int)fd, sup, 8), -HC_EFAULT);
	assert_int_equal(do_rw(f, HC_NR_READ, (int)fd, 0xfffc, 8), -HC_EFAULT); /* straddling */
	/* write from one: refused, the file stays empty. */
	memcpy(f->mem.host + sup, "kernel bytes", 13);
	memcpy(snap + sup, "kernel bytes", 13);
	assert_int_equal(do_rw(f, HC_NR_WRITE, (int)wfd, sup, 12), -HC_EFAULT);
	/* A path on a supervisor page. */
	memcpy(f->mem.host + sup, "a.txt", 6);
	memcpy(snap + sup, "a.txt", 6);
	memcpy(f->mem.host + REQ, &o, sizeof(o));
	assert_int_equal(hc_dispatch(&f->c, HC_NR_OPEN, REQ), HC_CONTINUE);
	memcpy(&o, f->mem.host + REQ, sizeof(o));
	assert_int_equal(o.ret, -HC_EFAULT);
	/* readdir into one. */
	rd.fd = (int32_t)dfd;
	memcpy(f->mem.host + REQ, &rd, sizeof(rd));
	assert_int_equal(hc_dispatch(&f->c, HC_NR_READDIR, REQ), HC_CONTINUE);
	memcpy(&rd, f->mem.host + REQ, sizeof(rd));
	assert_int_equal(rd.ret, -HC_EFAULT);
	/* Guest memory: only the request page changed. */
	memcpy(snap + REQ, f->mem.host + REQ, 64);
	assert_memory_equal(f->mem.host, snap, MEM_SIZE);
	snprintf(path, sizeof(path), "%s/w.txt", f->dir);
	assert_non_null(in = fopen(path, "r"));
	assert_int_equal(fread(got, 1, sizeof(got), in), 0);
	fclose(in);
	/* The same calls with user buffers work. */
	assert_int_equal(do_rw(f, HC_NR_READ, (int)fd, 0x20000, 5), 5);
	assert_memory_equal(f->mem.host + 0x20000, "hello", 5);
	assert_int_equal(do_rw(f, HC_NR_WRITE, (int)wfd, 0x20000, 5), 5);
	f->c.view = (struct gview){ .mem = &f->mem, .fmt = PT_NONE };
	free(snap);
}

/* Host errors the guest sees by their own number; the rest as EIO. */
static void test_errno(void **state)
{
	(void)state;
	assert_int_equal(hc_err(EAGAIN), -HC_EAGAIN); /* a rename race, not an I/O error */
	assert_int_equal(hc_err(ENOENT), -HC_ENOENT);
	assert_int_equal(hc_err(ELOOP), -HC_ELOOP);
	assert_int_equal(hc_err(ENXIO), -HC_EIO);
	assert_int_equal(hc_err(EXDEV), -HC_EIO);
}

/* readdir into exactly one of our records: a 255-byte name needs 272 bytes, which the
 * kernel's 280-byte record would not fit; the next call goes on with the next record. */
static void test_readdir_fit(void **state)
{
	struct fixture *f = *state;
	char name[256], path[512];
	struct hc_readdir r;
	int64_t fd;
	int seen = 0, longs = 0;

	memset(name, 'n', 255);
	name[255] = '\0';
	snprintf(path, sizeof(path), "%s/sub/%s", f->dir, name);
	write_file(f->dir, "sub/short", "");
	{
		FILE *o = fopen(path, "w");

		assert_non_null(o);
		fclose(o);
	}
	fd = do_open(f, "sub", HC_O_RDONLY | HC_O_DIRECTORY);
	assert_true(fd >= 3);
	for (;;) {
		const struct hc_dirent *d = (const void *)(f->mem.host + BUF);

		r = (struct hc_readdir){ .fd = (int32_t)fd, .buf = BUF, .len = 272 };
		memcpy(f->mem.host + REQ, &r, sizeof(r));
		assert_int_equal(hc_dispatch(&f->c, HC_NR_READDIR, REQ), HC_CONTINUE);
		memcpy(&r, f->mem.host + REQ, sizeof(r));
		if (r.ret == 0)
			break;
		assert_true(r.ret > 0 && r.ret <= 272);
		for (int64_t at = 0; at < r.ret;
		     at += d->reclen, d = (const void *)((const char *)d + d->reclen)) {
			seen++;
			longs += strlen(d->name) == 255;
		}
		assert_true(seen < 100);
	}
	assert_int_equal(longs, 1);
	assert_int_equal(seen, 4); /* ".", "..", short, the long one: each once */
	assert_int_equal(do_close(f, (int)fd), 0);
}

static void test_parent(void **state)
{
	struct fixture *f = *state;
	const char *name = NULL;
	int fd;

	assert_true((fd = share_parent(&f->share, "sub/x/", &name)) >= 0);
	assert_string_equal(name, "x/");
	close(fd);
	assert_int_equal(share_parent(&f->share, "", &name), -EINVAL);
	assert_int_equal(share_parent(&f->share, "sub/..", &name), -EINVAL);
	assert_int_equal(share_parent(&f->share, "/", &name), -EINVAL);
	assert_int_equal(share_parent(&f->share, "../x", &name), -EACCES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_confined, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_no_fd_leak, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_scatter, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_parent, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_ring3, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_errno, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_readdir_fit, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests_name("files", tests, NULL, NULL);
}
