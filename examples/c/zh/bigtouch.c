// title: 1 GiB, page by page
// title_zh: 逐页写满 1 GiB
// engines: sim,real
// expect: exit 0
//
// 映射 1 GiB 的匿名内存，并向其 262,144 个页中的每一页各写一个字节。
// mmap 本身瞬间完成：它只建立一个虚拟内存区域。每一页的第一次写
// 都是一次缺页异常（do_anonymous_page），为该页取一个清零的页帧；
// 请看页面图被逐渐填满。
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
