// clock.c: clock_getres as this machine's kernel answers it (sim's
// TestClockGetres makes the same calls on the model). Each line is
// "name value": the resolution in nanoseconds, or the errno's name.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static const char *e(void) {
	switch (errno) {
	case EINVAL: return "EINVAL";
	case EFAULT: return "EFAULT";
	}
	return strerror(errno);
}

static void getres(const char *name, long clock) {
	struct timespec ts = {7, 7};
	if (syscall(SYS_clock_getres, clock, &ts) == 0)
		printf("%s %ld\n", name, ts.tv_sec * 1000000000L + ts.tv_nsec);
	else
		printf("%s %s\n", name, e());
	printf("%s_null %s\n", name, syscall(SYS_clock_getres, clock, NULL) == 0 ? "OK" : e());
	printf("%s_fault %s\n", name, syscall(SYS_clock_getres, clock, (void *)8) == 0 ? "OK" : e());
}

int main(void) {
	char name[32];
	for (int c = 0; c <= 13; c++) {
		snprintf(name, sizeof name, "clock_%d", c);
		getres(name, c);
	}
	// The CPU clocks: ~pid << 3 | per-thread bit | type (PROF, VIRT, SCHED, 3).
	for (int t = 0; t < 8; t++) {
		snprintf(name, sizeof name, "cpu_self_%d", t);
		getres(name, (~0L << 3) | t);
		snprintf(name, sizeof name, "cpu_pid_%d", t);
		getres(name, ((long)~getpid() << 3) | t);
	}
	getres("cpu_parent", ((long)~getppid() << 3) | 2);
	getres("cpu_parent_thread", ((long)~getppid() << 3) | 6);
	getres("cpu_no_such_pid", ((long)~99999999L << 3) | 2);
	return 0;
}
