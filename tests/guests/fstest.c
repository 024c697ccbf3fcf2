/* SPDX-License-Identifier: MIT */
/* tests/guests/fstest.c: the hostile file guest: argv[1] picks a group of attempts, each
 * printed as "name: result" (an fd, a byte count, or -code); tests/vmm/files.sh checks
 * every line against what the ABI promises. */
#include <minivirt/guest.h>

static char buf[MV_GUEST_BUF_SIZE];
static char longpath[5000];

static void show(const char *name, long ret)
{
	mv_printf("%s: %ld\n", name, ret);
}

static void escapes(void)
{
	show("dotdot", mv_open("../outside.txt", HC_O_RDONLY, 0));
	show("rooted-dotdot", mv_open("/../../etc/passwd", HC_O_RDONLY, 0));
	show("sub-dotdot", mv_open("sub/../../outside.txt", HC_O_RDONLY, 0));
	show("abs-symlink", mv_open("escape", HC_O_RDONLY, 0));
	show("dir-symlink", mv_open("root/etc/passwd", HC_O_RDONLY, 0));
	show("rel-symlink", mv_open("rel", HC_O_RDONLY, 0));
	show("inside-symlink", mv_open("inside", HC_O_RDONLY, 0) >= 3);
	show("slash-is-root", mv_open("/a.txt", HC_O_RDONLY, 0) >= 3);
	show("fifo", mv_open("fifo", HC_O_RDONLY, 0));
	show("mkdir-out", mv_mkdir("../evil", 0755));
	show("mkdir-sub-out", mv_mkdir("sub/../../evil", 0755));
	show("unlink-out", mv_unlink("../outside.txt"));
	show("unlink-dotdot", mv_unlink(".."));
	show("rmdir-root", mv_rmdir("/"));
}

/* p/ in the share is a mount of /proc/self: its magic links and its files. */
static void magic(void)
{
	show("magic-root", mv_open("p/root/etc/passwd", HC_O_RDONLY, 0));
	show("magic-exe", mv_open("p/exe", HC_O_RDONLY, 0));
	show("magic-fd", mv_open("p/fd/0", HC_O_RDONLY, 0));
	show("proc-environ", mv_open("p/environ", HC_O_RDONLY, 0));
	show("proc-mem", mv_open("p/mem", HC_O_RDWR, 0));
}

static void paths(void)
{
	char *top = (char *)(uintptr_t)(mv_boot_info()->mem_size - 16);

	mv_memset(top, 'a', 16); /* no NUL before the end of memory */
	show("no-nul", mv_open(top, HC_O_RDONLY, 0));
	show("wild-path", mv_open((const char *)(uintptr_t)0xdead0000u, HC_O_RDONLY, 0));
	mv_memset(longpath, 'a', sizeof(longpath) - 1);
	show("too-long", mv_open(longpath, HC_O_RDONLY, 0));
	show("bad-flags", mv_open("a.txt", 0x800000, 0));
	show("accmode-3", mv_open("a.txt", 3, 0));
	show("missing", mv_open("nope.txt", HC_O_RDONLY, 0));
}

static void readonly(void)
{
	show("ro-creat", mv_open("new.txt", HC_O_RDONLY | HC_O_CREAT, 0644));
	show("ro-write", mv_open("a.txt", HC_O_WRONLY, 0));
	show("ro-trunc", mv_open("a.txt", HC_O_RDONLY | HC_O_TRUNC, 0));
	show("ro-unlink", mv_unlink("a.txt"));
	show("ro-mkdir", mv_mkdir("d", 0755));
	show("ro-read", mv_open("a.txt", HC_O_RDONLY, 0) >= 3);
}

static void fds(void)
{
	int fd = mv_open("a.txt", HC_O_RDONLY, 0);
	int dir = mv_open("sub", HC_O_RDONLY | HC_O_DIRECTORY, 0);
	char *top = (char *)(uintptr_t)(mv_boot_info()->mem_size - 8);

	show("never-opened", mv_read(50, buf, 1));
	show("negative-fd", mv_read(-1, buf, 1));
	show("huge-fd", mv_read(99999, buf, 1));
	show("huge-count", mv_read(fd, buf, (size_t)-1));
	show("count-past-memory", mv_read(fd, buf, 1u << 30));
	show("buffer-past-memory", mv_read(fd, top, 64));
	show("wild-buffer", mv_read(fd, (void *)(uintptr_t)0xdead0000u, 16));
	show("write-readonly-fd", mv_write(fd, "x", 1));
	show("read-dir", mv_read(dir, buf, 16));
	show("readdir-file", mv_readdir(fd, buf, sizeof(buf)));
	show("readdir-tiny", mv_readdir(dir, buf, 8));
	show("seek-console", (long)mv_lseek(1, 0, HC_SEEK_SET));
	show("seek-bad-whence", (long)mv_lseek(fd, 0, 7));
	show("pread-negative", mv_pread(fd, buf, 4, -5));
	show("close", mv_close(fd));
	show("closed-fd", mv_read(fd, buf, 1));
	show("close-again", mv_close(fd));
	show("read-after-all", mv_pread(dir, buf, 1, 0));
}

static void exhaust(void)
{
	int n = 0, fd;

	while ((fd = mv_open("a.txt", HC_O_RDONLY, 0)) >= 0)
		n++;
	show("opened", n);
	show("then", fd);
}

static void io(void)
{
	struct hc_fstat st;
	int fd = mv_open("rw.txt", HC_O_RDWR | HC_O_CREAT | HC_O_TRUNC, 0600);

	show("write", mv_write(fd, "hello, file\n", 12));
	show("pwrite", mv_pwrite(fd, "HELLO", 5, 0));
	show("seek", (long)mv_lseek(fd, 0, HC_SEEK_SET));
	show("read", mv_read(fd, buf, sizeof(buf)));
	buf[12] = 0;
	mv_printf("data: %s", buf);
	show("pread", mv_pread(fd, buf, 4, 7));
	show("fstat", mv_fstat(fd, &st));
	show("size", (long)st.size);
	show("type", (long)st.type);
	show("mode", (long)st.mode);
	show("eof", mv_read(fd, buf, 16));
	show("close", mv_close(fd));
	show("mkdir", mv_mkdir("newdir", 0755));
	show("mkdir-again", mv_mkdir("newdir", 0755));
	show("rmdir", mv_rmdir("newdir"));
	show("unlink", mv_unlink("rw.txt"));
	show("unlink-again", mv_unlink("rw.txt"));
	show("stdout", mv_write(1, "to stdout\n", 10));
	show("stderr", mv_write(2, "to stderr\n", 10));
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	if (!mv_strcmp(c, "escapes"))
		escapes();
	else if (!mv_strcmp(c, "magic"))
		magic();
	else if (!mv_strcmp(c, "paths"))
		paths();
	else if (!mv_strcmp(c, "readonly"))
		readonly();
	else if (!mv_strcmp(c, "fds"))
		fds();
	else if (!mv_strcmp(c, "exhaust"))
		exhaust();
	else if (!mv_strcmp(c, "io"))
		io();
	else {
		mv_printf("fstest: unknown group '%s'\n", c);
		return 2;
	}
	return 0;
}
