#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
	size_t n = 16UL << 20;
	unsigned char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (int pass = 0; pass < 5; pass++)
		for (size_t i = 0; i < n; i++)
			p[i] = p[i] + 1;
	unsigned long sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += p[i];
	printf("%lu\n", sum);
	return 0;
}
