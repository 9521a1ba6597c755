// title: Lazy faults and MAP_POPULATE
// title_zh: 按需缺页与 MAP_POPULATE
// engines: sim,real
// expect: exit 0
//
// mmap only reserves addresses: no page is present until it is touched,
// and each first touch of a page is one page fault (handle_mm_fault ->
// do_anonymous_page). MAP_POPULATE asks do_mmap to fault every page in at
// once, before mmap returns (the tutorial “内存映射是一个很有趣的思想”: *populate = len).
#include <playground.h>
#include <stdio.h>
#include <sys/mman.h>

#define PAGES 16
#define LEN (PAGES * 4096)

int main(void)
{
	char *lazy = mmap(NULL, LEN, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (lazy == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	printf("lazy: present after mmap: %d of %d\n", present_pages(lazy, LEN), PAGES);
	for (int i = 0; i < PAGES; i += 4) {
		lazy[i * 4096] = 1; // one write fault per touched page
		printf("lazy: wrote page %d, present now %d\n", i, present_pages(lazy, LEN));
	}

	char *eager = mmap(NULL, LEN, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (eager == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	printf("populated: present after mmap: %d of %d\n", present_pages(eager, LEN), PAGES);
	eager[5 * 4096] = 1; // no fault: the page is already there
	printf("populated: present after a write: %d\n", present_pages(eager, LEN));

	munmap(lazy, LEN);
	munmap(eager, LEN);
	return 0;
}
