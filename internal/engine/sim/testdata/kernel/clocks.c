// The clock calls' answers on this machine, which TestClocksMatchKernel
// holds the model to: for each clock id, clock_getres's and
// clock_gettime's result and errno and the resolution; the NULL and bad
// pointers; getcpu on a pinned CPU. Each clock is named by its index
// in ids (TestClocksMatchKernel's clockIDs). Raw system calls, as the model's are.
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void show(const char *what, long id, long r) {
	printf("%s %ld %ld %d\n", what, id, r, r < 0 ? errno : 0);
}

int main(void) {
	int self = getpid();
	long ids[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, -1, -2, -3, -4, -5, -6, -7, -8, INT_MIN, INT_MAX,
		(long)(int)(~(unsigned)self << 3 | 2), (long)(int)(~(unsigned)self << 3 | 6),
		(long)(int)(~(unsigned)self << 3 | 0), (long)(int)(~(unsigned)self << 3 | 3)};
	for (unsigned i = 0; i < sizeof ids / sizeof *ids; i++) {
		long id = i; // the ids of the process's own clocks hold its pid
		struct timespec ts = {-1, -1};
		errno = 0;
		long r = syscall(SYS_clock_getres, (int)ids[i], &ts);
		show("getres", id, r);
		printf("res %ld %ld.%ld\n", id, (long)ts.tv_sec, ts.tv_nsec);
		errno = 0;
		r = syscall(SYS_clock_gettime, (int)ids[i], &ts);
		show("gettime", id, r);
		errno = 0;
		r = syscall(SYS_clock_getres, (int)ids[i], NULL);
		show("getres_null", id, r);
		errno = 0;
		r = syscall(SYS_clock_gettime, (int)ids[i], NULL);
		show("gettime_null", id, r);
	}
	errno = 0;
	show("gettimeofday_null", 0, syscall(SYS_gettimeofday, NULL, NULL));
	errno = 0;
	show("gettimeofday_bad", 0, syscall(SYS_gettimeofday, (void *)8, NULL));
	errno = 0;
	show("time_null", 0, syscall(SYS_time, NULL) < 0 ? -1 : 0);
	errno = 0;
	show("time_bad", 0, syscall(SYS_time, (void *)8));
	errno = 0;
	show("getcpu_bad", 0, syscall(SYS_getcpu, (void *)8, NULL, NULL));
	for (int cpu = 0; cpu < 2; cpu++) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof set, &set) != 0)
			return 1;
		unsigned c = 99, n = 99;
		errno = 0;
		show("getcpu", cpu, syscall(SYS_getcpu, &c, &n, NULL));
		printf("on %d %u %u\n", cpu, c, n);
	}
	return 0;
}
