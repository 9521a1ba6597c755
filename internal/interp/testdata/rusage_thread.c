// getrusage counts faults per task (kernel/sys.c getrusage, the fault path's
// current->min_flt): RUSAGE_THREAD is the calling thread's alone,
// RUSAGE_SELF the process's threads' (the ended ones' too), RUSAGE_CHILDREN
// the reaped children's. A thread writes 64 new pages while the main thread
// waits; a child writes 64 before it is reaped.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGES 64

static long minflt(int who) {
	struct rusage r;
	if (getrusage(who, &r)) {
		perror("getrusage");
		return -1;
	}
	return r.ru_minflt;
}

static char *mem;
static long thread_delta;

static void touch(char *p) {
	for (int i = 0; i < PAGES; i++)
		p[i * 4096] = 1;
}

static void *worker(void *arg) {
	long before = minflt(RUSAGE_THREAD);
	touch(mem);
	thread_delta = minflt(RUSAGE_THREAD) - before;
	return NULL;
}

int main(void) {
	mem = mmap(NULL, 2 * PAGES * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	pthread_t t;
	// Started first: glibc's own work for pthread_create faults too.
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	long main0 = minflt(RUSAGE_THREAD), self0 = minflt(RUSAGE_SELF);
	printf("thread: RUSAGE_THREAD grew by at least %d: %s\n", PAGES, thread_delta >= PAGES ? "yes" : "no");
	printf("thread: and by less than %d: %s\n", 2 * PAGES, thread_delta < 2 * PAGES ? "yes" : "no");
	printf("main: RUSAGE_THREAD is less than RUSAGE_SELF by at least %d: %s\n", PAGES,
	       self0 - main0 >= PAGES ? "yes" : "no");

	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	long main1 = minflt(RUSAGE_THREAD), self1 = minflt(RUSAGE_SELF);
	printf("second thread, pages already there: grew by less than %d: %s\n", PAGES, thread_delta < PAGES ? "yes" : "no");
	printf("main: RUSAGE_THREAD grew by less than %d: %s\n", PAGES, main1 - main0 < PAGES ? "yes" : "no");
	printf("RUSAGE_SELF kept the ended threads': %s\n", self1 >= self0 ? "yes" : "no");

	long child0 = minflt(RUSAGE_CHILDREN);
	printf("RUSAGE_CHILDREN before any child: %ld\n", child0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		long c0 = minflt(RUSAGE_SELF);
		touch(mem + PAGES * 4096);
		printf("child: RUSAGE_SELF grew by at least %d: %s\n", PAGES, minflt(RUSAGE_SELF) - c0 >= PAGES ? "yes" : "no");
		printf("child: RUSAGE_SELF starts below the parent's: %s\n", c0 < self1 ? "yes" : "no");
		fflush(stdout);
		_exit(0);
	}
	int st;
	// Not yet reaped: a zombie's counts are not the parent's.
	siginfo_t si;
	waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
	printf("RUSAGE_CHILDREN after the child ended, not reaped: %ld\n", minflt(RUSAGE_CHILDREN));
	waitpid(pid, &st, 0);
	long child1 = minflt(RUSAGE_CHILDREN);
	printf("RUSAGE_CHILDREN after the reap grew by at least %d: %s\n", PAGES, child1 - child0 >= PAGES ? "yes" : "no");
	printf("main: RUSAGE_SELF did not take the child's: %s\n", minflt(RUSAGE_SELF) - self1 < PAGES ? "yes" : "no");

	// Any other who is EINVAL.
	struct rusage r;
	int who[] = {2, -2, -3};
	for (int i = 0; i < 3; i++) {
		errno = 0;
		int ret = getrusage(who[i], &r);
		printf("getrusage(%d): %d %s\n", who[i], ret, strerror(errno));
	}
	return 0;
}
