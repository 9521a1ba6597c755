// anon1g.c: the whole program natively: map 1 GiB anonymously,
// store one byte in each of its 262,144 pages, unmap. BenchmarkAnon1GiB is
// the model's run of the same; this is the figure it is held against.
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>

int main(void) {
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	size_t len = 1UL << 30;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	for (size_t off = 0; off < len; off += 4096)
		p[off] = 1;
	munmap(p, len);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.1f ms\n", (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	return 0;
}
