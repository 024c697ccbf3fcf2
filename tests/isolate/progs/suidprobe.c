/* SPDX-License-Identifier: MIT */
/* tests/isolate/progs/suidprobe.c: suidprobe DIR: tries every way to leave a set-uid or
 * set-gid file in DIR (chmod, fchmod, fchmodat, fchmodat2, creat, open and openat with
 * O_CREAT or O_TMPFILE, mknod, mknodat, openat2), each through syscall(2), and prints
 * "NAME ERRNO" ("ok" when the call succeeded); then the controls (a plain mode, the sticky
 * bit) and "suid-files N": how many files in DIR have S_ISUID or S_ISGID. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

static int dir_fd;

static void show(const char *name, long r)
{
	printf("%s %s\n", name, r < 0 ? strerrorname_np(errno) : "ok");
	if (r > 2 && strncmp(name, "fd-", 3) == 0)
		close((int)r);
}

/* A new plain file NAME in DIR (mode 0755), for the chmod family to work on. */
static int plain(const char *name)
{
	return openat(dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
}

/* O_TMPFILE, then a name: the way to make a file whose mode was set at its creation. */
static long tmpfile_named(const char *name)
{
	char proc[64];
	long fd = syscall(SYS_openat, dir_fd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 04755);

	if (fd < 0)
		return -1;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%ld", fd);
	if (linkat(AT_FDCWD, proc, dir_fd, name, AT_SYMLINK_FOLLOW) < 0) {
		close((int)fd);
		return -1;
	}
	close((int)fd);
	return 0;
}

/* How many files in DIR have a set-uid or set-gid bit. */
static int count_suid(void)
{
	DIR *d = opendir(".");
	struct dirent *e;
	struct stat st;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (fstatat(dir_fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && (st.st_mode & (S_ISUID | S_ISGID)))
			n++;
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	struct open_how how = { .flags = O_WRONLY | O_CREAT | O_CLOEXEC, .mode = 04755 };
	int fd;

	if (argc != 2 || (dir_fd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    fchdir(dir_fd) < 0) {
		fprintf(stderr, "usage: suidprobe DIR (a folder it may write)\n");
		return 2;
	}
	umask(022);
	close(plain("a"));
	show("chmod-suid", syscall(SYS_chmod, "a", 04755));
	show("chmod-sgid", syscall(SYS_chmod, "a", 02755));
	fd = plain("b");
	show("fchmod-suid", syscall(SYS_fchmod, fd, 04755));
	close(fd);
	close(plain("c"));
	show("fchmodat-suid", syscall(SYS_fchmodat, dir_fd, "c", 04755));
	show("fchmodat2-sgid", syscall(SYS_fchmodat2, dir_fd, "c", 02755, 0));
	show("fd-creat-suid", syscall(SYS_creat, "d", 04755));
	show("fd-open-suid", syscall(SYS_open, "e", O_WRONLY | O_CREAT | O_CLOEXEC, 04755));
	show("fd-openat-sgid",
	     syscall(SYS_openat, dir_fd, "f", O_WRONLY | O_CREAT | O_CLOEXEC, 02755));
	show("tmpfile-suid", tmpfile_named("g"));
	show("mknod-suid", syscall(SYS_mknod, "h", S_IFREG | 04755, 0));
	show("mknodat-sgid", syscall(SYS_mknodat, dir_fd, "i", S_IFREG | 02755, 0));
	show("fd-openat2-suid", syscall(SYS_openat2, dir_fd, "j", &how, sizeof(how)));
	/* the controls: modes without the two bits */
	close(plain("l"));
	show("chmod-plain", syscall(SYS_chmod, "l", 0700));
	show("chmod-sticky", syscall(SYS_chmod, "l", 01755));
	show("fd-open-plain", syscall(SYS_open, "k", O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	printf("suid-files %d\n", count_suid());
	return 0;
}
