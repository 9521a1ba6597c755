/* futex(2) between two processes on a shared mapping, a timed wait that
 * times out, a wait whose word has changed, and the resource limits and
 * process group calls of kernel/sys.c. */
#include <errno.h>
#include <linux/futex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long futex(uint32_t *uaddr, int op, uint32_t val, const struct timespec *t)
{
	return syscall(SYS_futex, uaddr, op, val, t, NULL, 0);
}

int main(void)
{
	uint32_t *word = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct timespec ten_ms = { 0, 10 * 1000 * 1000 };
	struct rlimit rl;
	struct utsname u;
	long r;
	int status;

	r = futex(word, FUTEX_WAIT, 1, NULL);
	printf("wait on a changed word: %ld %s\n", r, strerror(errno));
	r = futex(word, FUTEX_WAIT_PRIVATE, 0, &ten_ms);
	printf("timed wait: %ld %s\n", r, strerror(errno));
	r = futex(word, FUTEX_WAKE, 1, NULL);
	printf("wake with no waiter: %ld\n", r);
	r = futex((uint32_t *)((char *)word + 1), FUTEX_WAKE, 1, NULL);
	printf("unaligned: %ld %s\n", r, strerror(errno));

	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		/* Wait until the parent has set the word to 1 and woken us. */
		while (*word == 0)
			futex(word, FUTEX_WAIT, 0, NULL);
		printf("child: woken, word %u\n", *word);
		*word = 2;
		futex(word, FUTEX_WAKE, 1, NULL);
		exit(0);
	}
	sleep(1);
	*word = 1;
	while (futex(word, FUTEX_WAKE, 1, NULL) == 0)
		usleep(1000);
	while (*word != 2)
		futex(word, FUTEX_WAIT, 1, NULL);
	waitpid(child, &status, 0);
	printf("parent: word %u, child exited %d\n", *word, WEXITSTATUS(status));

	getrlimit(RLIMIT_STACK, &rl);
	printf("stack %ld %ld\n", (long)rl.rlim_cur, (long)rl.rlim_max);
	getrlimit(RLIMIT_MEMLOCK, &rl);
	printf("memlock %ld %ld\n", (long)rl.rlim_cur, (long)rl.rlim_max);
	getrlimit(RLIMIT_CORE, &rl);
	printf("core %ld %ld\n", (long)rl.rlim_cur, (long)rl.rlim_max);
	rl.rlim_cur = 4096;
	rl.rlim_max = 8192;
	printf("setrlimit core: %d\n", setrlimit(RLIMIT_CORE, &rl));
	getrlimit(RLIMIT_CORE, &rl);
	printf("core %ld %ld\n", (long)rl.rlim_cur, (long)rl.rlim_max);
	rl.rlim_cur = 8193;
	r = setrlimit(RLIMIT_CORE, &rl);
	printf("soft above hard: %ld %s\n", r, strerror(errno));
	r = getrlimit(99, &rl);
	printf("resource 99: %ld %s\n", r, strerror(errno));

	printf("uname: %d\n", uname(&u));
	printf("sysname %s machine %s\n", u.sysname, u.machine);
	printf("own group: %d\n", getpgrp() == getpid());
	printf("setpgrp: %d\n", setpgrp());
	printf("own group: %d\n", getpgrp() == getpid());
	r = setsid();
	printf("setsid as a group leader: %ld %s\n", r, strerror(errno));
	return 0;
}
