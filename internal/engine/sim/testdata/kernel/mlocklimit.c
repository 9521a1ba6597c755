// mlocklimit.c: RLIMIT_MEMLOCK as an unprivileged user meets it (sim's
// TestMlockLimits runs it as one and makes the same calls on the model).
// Each line is "name value".
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#define PG 4096UL
#define AP (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)

static const char *e(long r) {
	if (r == 0) return "OK";
	switch (errno) {
	case ENOMEM: return "ENOMEM";
	case EAGAIN: return "EAGAIN";
	case EPERM: return "EPERM";
	case EINVAL: return "EINVAL";
	}
	return strerror(errno);
}

static long vmlck(void) {
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "VmLck: %ld", &kb) == 1) break;
	fclose(f);
	return kb;
}

int main(void) {
	struct rlimit lim = {4 * PG, 4 * PG};
	setrlimit(RLIMIT_MEMLOCK, &lim);
	char *a = mmap(NULL, 8 * PG, RW, AP, -1, 0);
	printf("mlock_within %s\n", e(mlock(a, 4 * PG)));
	printf("mlock_again %s\n", e(mlock(a, 4 * PG)));
	printf("mlock_past %s\n", e(mlock(a, 5 * PG)));
	printf("mlock_past_vmlck %ld\n", vmlck());
	printf("mlock_other %s\n", e(mlock(a + 4 * PG, PG)));
	munlock(a, 8 * PG);
	printf("mlock2_onfault_past %s\n", e(mlock2(a, 5 * PG, MLOCK_ONFAULT)));
	void *m = mmap(NULL, 5 * PG, RW, AP | MAP_LOCKED, -1, 0);
	printf("map_locked_past %s\n", m == MAP_FAILED ? e(-1) : "OK");
	m = mmap(NULL, 4 * PG, RW, AP | MAP_LOCKED, -1, 0);
	printf("map_locked_within %s\n", m == MAP_FAILED ? e(-1) : "OK");
	printf("map_locked_vmlck %ld\n", vmlck());
	m = mmap(NULL, PG, RW, AP | MAP_LOCKED, -1, 0);
	printf("map_locked_full %s\n", m == MAP_FAILED ? e(-1) : "OK");
	printf("mlockall_current %s\n", e(mlockall(MCL_CURRENT)));
	printf("mlockall_future %s\n", e(mlockall(MCL_FUTURE | MCL_ONFAULT)));
	m = mmap(NULL, PG, RW, AP, -1, 0);
	printf("future_map_full %s\n", m == MAP_FAILED ? e(-1) : "OK");
	munlockall();
	lim.rlim_cur = 0;
	setrlimit(RLIMIT_MEMLOCK, &lim);
	printf("mlock_zero_limit %s\n", e(mlock(a, PG)));
	printf("mlockall_zero_limit %s\n", e(mlockall(MCL_FUTURE)));
	m = mmap(NULL, PG, RW, AP | MAP_LOCKED, -1, 0);
	printf("map_locked_zero_limit %s\n", m == MAP_FAILED ? e(-1) : "OK");
	printf("munlock_zero_limit %s\n", e(munlock(a, PG)));
	return 0;
}
