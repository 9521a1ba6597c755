#include <stdio.h>
#include <sys/mman.h>
#include <playground.h>
int main(void)
{
	char *p = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("areas %d present %d first byte %d\n", vma_count(p, 8192), present_pages(p, 8192), p[0]);
	printf("present now %d\n", present_pages(p, 8192));
	fflush(stdout);
	p[4096] = 1;
	return 0;
}
