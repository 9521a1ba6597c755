/* The 1 GiB page-by-page program, natively: map 1 GiB, write one byte to
   each page, read each back, unmap. The benchmark's native side. */
#include <stdio.h>
#include <sys/mman.h>

#define PAGE 4096L
#define LEN (1024L * 1024 * 1024)

int main(void)
{
	volatile char *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (long off = 0; off < LEN; off += PAGE)
		p[off] = 1;
	long sum = 0;
	for (long off = 0; off < LEN; off += PAGE)
		sum += p[off];
	munmap((void *)p, LEN);
	return sum != LEN / PAGE;
}
