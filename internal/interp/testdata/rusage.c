#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
int main(void) {
	struct rusage a, b;
	getrusage(RUSAGE_SELF, &a);
	char *p = mmap(NULL, 100 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < 100; i++) p[i * 4096] = 1;
	getrusage(RUSAGE_SELF, &b);
	printf("minor faults for 100 pages: %ld\n", b.ru_minflt - a.ru_minflt);
	return 0;
}
