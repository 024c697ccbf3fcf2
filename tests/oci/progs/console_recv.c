/* SPDX-License-Identifier: MIT */
/* tests/oci/progs/console_recv.c: the other end of --console-socket, as an engine's (conmon)
 * is: listens on PATH, takes the one pty master fd sent over it (SCM_RIGHTS), then copies
 * what the container writes to its terminal to stdout until the terminal closes.
 * Usage: console_recv PATH [INPUT]: INPUT, when given, is typed into the terminal. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char byte, cbuf[CMSG_SPACE(sizeof(int))], buf[4096];
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int l, s, master;
	ssize_t n;

	if (argc < 2 || strlen(argv[1]) >= sizeof(a.sun_path)) {
		fprintf(stderr, "usage: console_recv PATH [INPUT]\n");
		return 2;
	}
	strcpy(a.sun_path, argv[1]);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1)) {
		perror("console_recv: socket");
		return 1;
	}
	s = accept(l, NULL, NULL);
	if (s < 0 || recvmsg(s, &msg, 0) != 1) {
		perror("console_recv: recvmsg");
		return 1;
	}
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS) {
		fprintf(stderr, "console_recv: no fd received\n");
		return 1;
	}
	memcpy(&master, CMSG_DATA(c), sizeof(int));
	fprintf(stderr, "console_recv: got fd %d\n", master);
	if (argc > 2 && write(master, argv[2], strlen(argv[2])) < 0)
		perror("console_recv: write");
	while ((n = read(master, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	/* EIO: the last slave fd closed, the container's process is gone */
	return n < 0 && errno != EIO;
}
