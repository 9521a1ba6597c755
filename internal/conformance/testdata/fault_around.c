// title: fault-around maps the cached neighbours of a read fault
// engines: sim,real
// expect: exit 0
//
// Linux's do_fault_around maps up to 16 cached pages around a read fault on
// a file, in the 16-page block of virtual addresses the fault is in, never
// before the area's start. The program writes the file itself, a page at a
// time, so that it is in the page cache in 4 KiB folios on every engine (a
// file written at once may be cached in large folios, and a fault maps a
// whole folio: docs/differences.md), and maps it 64 KiB-aligned so that
// the blocks are the same on every run.
#include <fcntl.h>
#include <playground.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096
#define PAGES 32
#define LEN (PAGES * PAGE)
#define BLOCK (16 * PAGE)

char buf[PAGE];

int main(void)
{
	int fd = open("big.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
	for (int i = 0; i < PAGES; i++) {
		memset(buf, 'a' + i, PAGE);
		if (write(fd, buf, PAGE) != PAGE) {
			perror("write");
			return 1;
		}
	}
	// Reserve room, then map the file at a 64 KiB boundary inside it.
	char *room = mmap(NULL, LEN + BLOCK, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *at = (char *)(((uintptr_t)room + BLOCK - 1) & ~(uintptr_t)(BLOCK - 1));
	char *p = mmap(at, LEN, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
	if (room == MAP_FAILED || p != at) {
		perror("mmap");
		return 1;
	}
	char c = p[3 * PAGE];
	printf("read page 3 = %c, present %d\n", c, present_pages(p, LEN));
	c = p[20 * PAGE];
	printf("read page 20 = %c, present %d\n", c, present_pages(p, LEN));
	munmap(room, LEN + BLOCK);
	close(fd);
	return 0;
}
