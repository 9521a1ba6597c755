// title: a load from an unmapped page after munmap is SIGSEGV
// engines: sim,real
// expect: signal SIGSEGV
#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 7;
	printf("p[0] = %d\n", p[0]);
	munmap(p, 4096);
	fflush(stdout);
	return p[0];
}
