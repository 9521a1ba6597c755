// title: Lazy faults and MAP_POPULATE
// title_zh: 按需缺页与 MAP_POPULATE
// engines: sim,real
// expect: exit 0
//
// mmap 只是预留地址：在被访问之前没有任何页被映射，
// 每一页的第一次访问都是一次缺页异常（handle_mm_fault ->
// do_anonymous_page）。MAP_POPULATE 让 do_mmap 在 mmap 返回之前
// 一次性把每一页都调入（教程《内存映射是一个很有趣的思想》：*populate = len）。
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
		lazy[i * 4096] = 1; // 每访问一页，一次写缺页异常
		printf("lazy: wrote page %d, present now %d\n", i, present_pages(lazy, LEN));
	}

	char *eager = mmap(NULL, LEN, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (eager == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	printf("populated: present after mmap: %d of %d\n", present_pages(eager, LEN), PAGES);
	eager[5 * 4096] = 1; // 没有缺页异常：这一页已经在了
	printf("populated: present after a write: %d\n", present_pages(eager, LEN));

	munmap(lazy, LEN);
	munmap(eager, LEN);
	return 0;
}
