/* SPDX-License-Identifier: MIT */
/* tests/guests/fstest.c: the hostile file guest: argv[1] picks a group of attempts, each
 * printed as "name: result" (an fd, a byte count, or -code); tests/vmm/files.sh checks
 * every line against what the ABI promises. */
#include <minivirt/guest.h>

static char buf[GUEST_BUF_SIZE];
static char longpath[5000];

static void show(const char *name, long ret)
{
	printf("%s: %ld\n", name, ret);
}

static void escapes(void)
{
	show("dotdot", open("../outside.txt", O_RDONLY, 0));
	show("rooted-dotdot", open("/../../etc/passwd", O_RDONLY, 0));
	show("sub-dotdot", open("sub/../../outside.txt", O_RDONLY, 0));
	show("abs-symlink", open("escape", O_RDONLY, 0));
	show("dir-symlink", open("root/etc/passwd", O_RDONLY, 0));
	show("rel-symlink", open("rel", O_RDONLY, 0));
	show("inside-symlink", open("inside", O_RDONLY, 0) >= 3);
	show("slash-is-root", open("/a.txt", O_RDONLY, 0) >= 3);
	show("fifo", open("fifo", O_RDONLY, 0));
	show("mkdir-out", mkdir("../evil", 0755));
	show("mkdir-sub-out", mkdir("sub/../../evil", 0755));
	show("unlink-out", unlink("../outside.txt"));
	show("unlink-dotdot", unlink(".."));
	show("rmdir-root", rmdir("/"));
}

/* p/ in the share is a mount of /proc/self: its magic links and its files. */
static void magic(void)
{
	show("magic-root", open("p/root/etc/passwd", O_RDONLY, 0));
	show("magic-exe", open("p/exe", O_RDONLY, 0));
	show("magic-fd", open("p/fd/0", O_RDONLY, 0));
	show("proc-environ", open("p/environ", O_RDONLY, 0));
	show("proc-mem", open("p/mem", O_RDWR, 0));
}

static void paths(void)
{
	char *top = (char *)(uintptr_t)(boot_info()->mem_size - 16);

	memset(top, 'a', 16); /* no NUL before the end of memory */
	show("no-nul", open(top, O_RDONLY, 0));
	show("wild-path", open((const char *)(uintptr_t)0xdead0000u, O_RDONLY, 0));
	memset(longpath, 'a', sizeof(longpath) - 1);
	show("too-long", open(longpath, O_RDONLY, 0));
	show("bad-flags", open("a.txt", 0x800000, 0));
	show("accmode-3", open("a.txt", 3, 0));
	show("missing", open("nope.txt", O_RDONLY, 0));
}

static void readonly(void)
{
	show("ro-creat", open("new.txt", O_RDONLY | O_CREAT, 0644));
	show("ro-write", open("a.txt", O_WRONLY, 0));
	show("ro-trunc", open("a.txt", O_RDONLY | O_TRUNC, 0));
	show("ro-unlink", unlink("a.txt"));
	show("ro-mkdir", mkdir("d", 0755));
	show("ro-read", open("a.txt", O_RDONLY, 0) >= 3);
}

static void fds(void)
{
	int fd = open("a.txt", O_RDONLY, 0);
	int dir = open("sub", O_RDONLY | O_DIRECTORY, 0);
	char *top = (char *)(uintptr_t)(boot_info()->mem_size - 8);

	show("never-opened", read(50, buf, 1));
	show("negative-fd", read(-1, buf, 1));
	show("huge-fd", read(99999, buf, 1));
	show("huge-count", read(fd, buf, (size_t)-1));
	show("count-past-memory", read(fd, buf, 1u << 30));
	show("buffer-past-memory", read(fd, top, 64));
	show("wild-buffer", read(fd, (void *)(uintptr_t)0xdead0000u, 16));
	show("write-readonly-fd", write(fd, "x", 1));
	show("read-dir", read(dir, buf, 16));
	show("readdir-file", readdir(fd, buf, sizeof(buf)));
	show("readdir-tiny", readdir(dir, buf, 8));
	show("seek-console", (long)lseek(1, 0, SEEK_SET));
	show("seek-bad-whence", (long)lseek(fd, 0, 7));
	show("pread-negative", pread(fd, buf, 4, -5));
	show("close", close(fd));
	show("closed-fd", read(fd, buf, 1));
	show("close-again", close(fd));
	show("read-after-all", pread(dir, buf, 1, 0));
}

static void exhaust(void)
{
	int n = 0, fd;

	while ((fd = open("a.txt", O_RDONLY, 0)) >= 0)
		n++;
	show("opened", n);
	show("then", fd);
}

static void io(void)
{
	struct hc_fstat st;
	int fd = open("rw.txt", O_RDWR | O_CREAT | O_TRUNC, 0600);

	show("write", write(fd, "hello, file\n", 12));
	show("pwrite", pwrite(fd, "HELLO", 5, 0));
	show("seek", (long)lseek(fd, 0, SEEK_SET));
	show("read", read(fd, buf, sizeof(buf)));
	buf[12] = 0;
	printf("data: %s", buf);
	show("pread", pread(fd, buf, 4, 7));
	show("fstat", fstat(fd, &st));
	show("size", (long)st.size);
	show("type", (long)st.type);
	show("mode", (long)st.mode);
	show("eof", read(fd, buf, 16));
	show("close", close(fd));
	show("mkdir", mkdir("newdir", 0755));
	show("mkdir-again", mkdir("newdir", 0755));
	show("rmdir", rmdir("newdir"));
	show("unlink", unlink("rw.txt"));
	show("unlink-again", unlink("rw.txt"));
	show("stdout", write(1, "to stdout\n", 10));
	show("stderr", write(2, "to stderr\n", 10));
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	if (!strcmp(c, "escapes"))
		escapes();
	else if (!strcmp(c, "magic"))
		magic();
	else if (!strcmp(c, "paths"))
		paths();
	else if (!strcmp(c, "readonly"))
		readonly();
	else if (!strcmp(c, "fds"))
		fds();
	else if (!strcmp(c, "exhaust"))
		exhaust();
	else if (!strcmp(c, "io"))
		io();
	else {
		printf("fstest: unknown group '%s'\n", c);
		return 2;
	}
	return 0;
}
