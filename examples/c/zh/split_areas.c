// title: How mprotect and munmap split areas
// title_zh: mprotect 与 munmap 如何拆分虚拟内存区域
// engines: sim,real
// expect: exit 0
//
// 一个虚拟内存区域（vm_area_struct）是一段权限相同、后备
// 相同的连续页。改变区域中间一页的保护属性会把该区域
// 拆成三个；恢复它之后 vma_merge 又把它们合并起来；
// 解除中间一段的映射，留下两个区域，中间隔着一个空洞。
#include <errno.h>
#include <playground.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE 4096
#define LEN (4 * PAGE)

int main(void)
{
	char *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	printf("after mmap of 4 pages:            %d area(s)\n", vma_count(p, LEN));

	mprotect(p + PAGE, PAGE, PROT_READ);
	printf("after mprotect(page 1, PROT_READ): %d area(s)\n", vma_count(p, LEN));
	show_maps();

	mprotect(p + PAGE, PAGE, PROT_READ | PROT_WRITE);
	printf("after restoring PROT_READ|WRITE:   %d area(s)\n", vma_count(p, LEN));

	munmap(p + 2 * PAGE, PAGE);
	printf("after munmap(page 2):             %d area(s)\n", vma_count(p, LEN));
	printf("page 2 is a hole:                 %d area(s) there\n", vma_count(p + 2 * PAGE, PAGE));

	if (munmap(p + 1, PAGE) < 0)
		printf("munmap at an unaligned address: %s\n", strerror(errno));
	printf("munmap of the hole again returns %d\n", munmap(p + 2 * PAGE, PAGE));
	if (mprotect(p + 2 * PAGE, PAGE, PROT_READ) < 0)
		printf("mprotect of the hole: %s\n", strerror(errno));

	munmap(p, LEN);
	printf("after munmap of everything:       %d area(s)\n", vma_count(p, LEN));
	return 0;
}
