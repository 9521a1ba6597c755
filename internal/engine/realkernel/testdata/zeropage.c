/* Does a read of a fresh anonymous page map the shared zero page here, and
   what does a write after it cost? Prints the faults and the pagemap. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <fcntl.h>
#include <unistd.h>

static long minflt(void) { struct rusage r; getrusage(RUSAGE_THREAD, &r); return r.ru_minflt; }
static int pmfd;
static uint64_t pm(volatile char *p) {
	uint64_t e = 0;
	pread(pmfd, &e, 8, (uintptr_t)p / 4096 * 8);
	return e;
}
#define PFN(e) ((unsigned long long)((e) & ((1ULL << 55) - 1)))
int main(void) {
	pmfd = open("/proc/self/pagemap", O_RDONLY);
	volatile char *p = mmap(0, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long f0 = minflt();
	char c = p[0];
	long f1 = minflt();
	c += p[4096];
	long f2 = minflt();
	uint64_t e1 = pm(p), e2 = pm(p + 4096);
	long f3 = minflt();
	p[0] = 1;
	long f4 = minflt();
	uint64_t e3 = pm(p);
	printf("read fault: %ld; second read fault: %ld; write after read: %ld\n", f1 - f0, f2 - f1, f4 - f3);
	printf("pfn after read: %#llx and %#llx; after write: %#llx\n", PFN(e1), PFN(e2), PFN(e3));
	printf("zero page used for reads: %s\n", PFN(e1) == PFN(e2) ? "yes" : "no");
	return c & 0;
}
