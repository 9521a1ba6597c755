// title: madvise(MADV_DONTNEED), mincore and mlock
// engines: sim,real
// expect: exit 0
#include <errno.h>
#include <playground.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE 4096
#define LEN (8 * PAGE)

int main(void)
{
	unsigned char vec[8];
	char *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (int i = 0; i < 8; i += 2)
		p[i * PAGE] = 'x';
	mincore(p, LEN, vec);
	printf("mincore:");
	for (int i = 0; i < 8; i++)
		printf(" %d", vec[i] & 1);
	printf("\npresent %d\n", present_pages(p, LEN));

	madvise(p, LEN, MADV_DONTNEED); // private anonymous: the pages are freed
	printf("after DONTNEED present %d\n", present_pages(p, LEN));
	printf("p[0] = %d (a fresh zero page)\n", p[0]);
	printf("after a read present %d\n", present_pages(p, LEN));

	if (mlock(p, 2 * PAGE) == 0)
		printf("mlock: present %d, areas %d\n", present_pages(p, LEN), vma_count(p, LEN));
	munlock(p, 2 * PAGE);
	printf("munlock: areas %d\n", vma_count(p, LEN));

	if (mincore(p + 1, PAGE, vec) < 0)
		printf("mincore unaligned: %s\n", strerror(errno));
	munmap(p, LEN);
	if (mincore(p, PAGE, vec) < 0)
		printf("mincore unmapped: %s\n", strerror(errno));
	if (madvise(p, PAGE, MADV_DONTNEED) < 0)
		printf("madvise unmapped: %s\n", strerror(errno));
	return 0;
}
