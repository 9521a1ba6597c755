// title: mremap keeps the data
// title_zh: mremap 扩大映射并保留数据
// engines: sim,real
// expect: exit 0
//
// mremap 扩大或缩小一个虚拟内存区域。当它后面的页空闲时，
// 区域原地扩大；带 MREMAP_MAYMOVE 时内核可以移动它，此时
// 内核移动的是页表项而不是数据：内容随之而来，
// 无需复制，旧的地址范围被解除映射。
#define _GNU_SOURCE
#include <errno.h>
#include <playground.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE 4096

int main(void)
{
	// 三页；第三页改为 PROT_NONE 后自成一个区域（一次
	// 拆分，与 mprotect 那一课一样），挡住了原地扩大。
	char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	char *wall = p + 2 * PAGE;
	mprotect(wall, PAGE, PROT_NONE);
	printf("areas: %d (two pages to grow, one PROT_NONE page in the way)\n", vma_count(p, 3 * PAGE));
	strcpy(p, "page zero");
	strcpy(p + PAGE, "page one");

	if (mremap(p, 2 * PAGE, 8 * PAGE, 0) == MAP_FAILED)
		printf("mremap without MREMAP_MAYMOVE: %s\n", strerror(errno));

	char *q = mremap(p, 2 * PAGE, 8 * PAGE, MREMAP_MAYMOVE);
	if (q == MAP_FAILED) {
		perror("mremap");
		return 1;
	}
	printf("moved: %s\n", q != p ? "yes" : "no");
	printf("q: \"%s\", \"%s\"\n", q, q + PAGE);
	printf("present pages: %d of 8 (the new pages are not touched yet)\n", present_pages(q, 8 * PAGE));
	printf("areas left at the old address: %d\n", vma_count(p, 2 * PAGE));
	q[7 * PAGE] = 'z';

	char *r = mremap(q, 8 * PAGE, PAGE, 0); // 原地缩小
	printf("shrunk in place: %s, \"%s\"\n", r == q ? "yes" : "no", r);
	printf("areas over the cut-off tail: %d\n", vma_count(q + PAGE, 7 * PAGE));

	munmap(r, PAGE);
	munmap(wall, PAGE);
	return 0;
}
