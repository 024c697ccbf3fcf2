/* SPDX-License-Identifier: MIT */
/* tests/isolate/progs/zombies.c: zombies N: a child forks N grandchildren that exit at
 * once, and exits itself (reaped here): the grandchildren are orphans, re-parented to the
 * PID namespace's PID 1. This program never waits for them; after a pause it prints how
 * many zombies /proc lists. As PID 1 it is their parent and they stay zombies; under
 * isolate --init, init is, and reaps them. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 5, zombies = 0;
	pid_t c = fork();
	struct dirent *e;
	DIR *d;

	if (c == 0) {
		for (int i = 0; i < n; i++)
			if (fork() == 0)
				_exit(0);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	usleep(300000);
	d = opendir("/proc");
	while (d && (e = readdir(d)) != NULL) {
		char path[300], state = 0;
		FILE *f;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		if ((f = fopen(path, "r")) != NULL) {
			if (fscanf(f, "%*d (%*[^)]) %c", &state) == 1 && state == 'Z')
				zombies++;
			fclose(f);
		}
	}
	printf("pid %d, zombies %d\n", (int)getpid(), zombies);
	return 0;
}
