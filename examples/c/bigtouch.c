// title: 1 GiB, page by page
// title_zh: 逐页写满 1 GiB
// engines: sim,real
// expect: exit 0
//
// Map 1 GiB of anonymous memory and write one byte to each of its 262,144
// pages. mmap itself is instant: it only makes one area. Each first write is
// a page fault (do_anonymous_page) that takes a zeroed frame for the page;
// watch the page map fill up.
#include <playground.h>
#include <stdio.h>
#include <sys/mman.h>

#define PAGE 4096L
#define LEN (1024L * 1024 * 1024)

int main(void)
{
	char *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	printf("mapped %ld pages, present: %d\n", LEN / PAGE, present_pages(p, LEN));

	long touched = 0;
	for (long off = 0; off < LEN; off += PAGE) {
		p[off] = 1;
		touched++;
	}
	printf("touched %ld pages, present: %d\n", touched, present_pages(p, LEN));

	long sum = 0;
	for (long off = 0; off < LEN; off += PAGE)
		sum += p[off];
	printf("sum of the bytes written: %ld\n", sum);

	munmap(p, LEN);
	return 0;
}
