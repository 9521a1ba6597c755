// bigtouch: map 1 GiB of anonymous memory and write one byte to each of its
// 262,144 pages: one page fault per page. The native baseline the model and
// the real engine are measured against (bench/README.md).
#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
	size_t len = 1UL << 30;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	munmap(p, len);
	printf("touched %zu pages\n", len / 4096);
	return 0;
}
