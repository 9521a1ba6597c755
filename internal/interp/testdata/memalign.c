#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
int main(void) {
	void *p;
	int r = posix_memalign(&p, 4096, 10000);
	printf("%d %d\n", r, (int)((uintptr_t)p % 4096));
	char *q = aligned_alloc(64, 128);
	printf("%d\n", (int)((uintptr_t)q % 64));
	free(p); free(q);
	printf("%d\n", posix_memalign(&p, 3, 10));
	return 0;
}
