// title: How mprotect and munmap split areas
// title_zh: mprotect 与 munmap 如何拆分虚拟内存区域
// engines: sim,real
// expect: exit 0
//
// An area (vm_area_struct) is a run of pages with the same permissions and
// the same backing. Changing the protection of a page in the middle of an
// area splits it in three; restoring it lets vma_merge join them again;
// unmapping the middle leaves two areas with a hole between them.
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
