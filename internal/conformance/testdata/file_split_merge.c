// title: file mappings split and merge; partial munmap at the ends; malloc's big blocks
// files: f.bin=size:32768
// engines: sim,real
// expect: exit 0
#include <errno.h>
#include <fcntl.h>
#include <playground.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

int main(void)
{
	int fd = open("f.bin", O_RDWR);
	char *p = mmap(NULL, 8 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	printf("areas %d\n", vma_count(p, 8 * PAGE));
	mprotect(p + 2 * PAGE, 2 * PAGE, PROT_READ | PROT_WRITE);
	printf("after mprotect of pages 2-3: %d\n", vma_count(p, 8 * PAGE));
	p[2 * PAGE] = 'W';
	mprotect(p + 2 * PAGE, 2 * PAGE, PROT_READ);
	printf("restored: %d\n", vma_count(p, 8 * PAGE));
	munmap(p, PAGE);
	munmap(p + 7 * PAGE, PAGE);
	printf("after trimming both ends: %d, page 0 %d, page 7 %d\n", vma_count(p, 8 * PAGE),
	       vma_count(p, PAGE), vma_count(p + 7 * PAGE, PAGE));
	/* a second mapping of the next file pages, placed right below: they do not merge */
	char *q = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	printf("q is below p: %d\n", q < p);
	char pbuf[2];
	pread(fd, pbuf, 1, 2 * PAGE);
	printf("file has %c at page 2\n", pbuf[0]);

	char *m = malloc(1 << 20);
	memset(m, 1, 1 << 20);
	printf("malloc(1 MiB): %d area(s), %d present\n", vma_count(m, 1 << 20), present_pages(m, 1 << 20));
	free(m);

	if (mmap(p + PAGE, PAGE, PROT_READ, MAP_SHARED | MAP_FIXED, fd, PAGE + 1) == MAP_FAILED)
		printf("MAP_FIXED with unaligned offset: %s\n", strerror(errno));
	if (mmap((char *)p + 1, PAGE, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED)
		printf("MAP_FIXED at unaligned address: %s\n", strerror(errno));
	char *f = mmap(p + PAGE, PAGE, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 5 * PAGE);
	printf("MAP_FIXED over page 1: %s, %d area(s) now\n", f == p + PAGE ? "ok" : "moved", vma_count(p, 8 * PAGE));
	return 0;
}
