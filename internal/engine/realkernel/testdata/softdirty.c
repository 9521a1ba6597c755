/* Does this kernel keep soft-dirty bits? Clears them (clear_refs 4), writes a
   page, and reads pagemap bit 55. A kernel without CONFIG_MEM_SOFT_DIRTY
   shows 0 always. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void) {
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 1;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	uint64_t e = 0;
	pread(fd, &e, 8, (uintptr_t)p / 4096 * 8);
	printf("new page: soft-dirty %d\n", (int)(e >> 55 & 1));
	int c = open("/proc/self/clear_refs", O_WRONLY);
	int ok = c >= 0 && write(c, "4", 1) == 1;
	printf("clear_refs 4: %s\n", ok ? "accepted" : "refused");
	pread(fd, &e, 8, (uintptr_t)p / 4096 * 8);
	printf("after clearing: soft-dirty %d\n", (int)(e >> 55 & 1));
	p[0] = 2;
	pread(fd, &e, 8, (uintptr_t)p / 4096 * 8);
	printf("after a write: soft-dirty %d\n", (int)(e >> 55 & 1));
	return 0;
}
