/* tests/isolate/progs/forkbomb.c: a fork bomb: every process forks for ever, retrying
 * when the kernel refuses (EAGAIN at the process limit), and never exits. Only a limit
 * outside it (isolate's wall-time) ends it; the process limit keeps it bounded. */
#include <sched.h>
#include <unistd.h>

int main(void)
{
	for (;;)
		if (fork() < 0)
			sched_yield(); /* at the limit: try again */
}
