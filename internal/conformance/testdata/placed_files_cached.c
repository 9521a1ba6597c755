// title: a file the program finds in its directory starts out of the page cache
// files: big.bin=size:65536
// engines: sim,real
// expect: exit 0
//
// Input files are placed, synced and dropped from the page cache before the
// program runs (on the model, the real engine and natively alike): mincore
// reports nothing resident, and the first read fault is a major fault.
#include <fcntl.h>
#include <playground.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGES 16
#define LEN (PAGES * 4096)

int main(void)
{
	unsigned char vec[PAGES];
	int fd = open("big.bin", O_RDONLY);
	char *p = mmap(NULL, LEN, PROT_READ, MAP_SHARED, fd, 0);
	if (fd < 0 || p == MAP_FAILED) {
		perror("setup");
		return 1;
	}
	mincore(p, LEN, vec);
	int cached = 0;
	for (int i = 0; i < PAGES; i++)
		cached += vec[i] & 1;
	printf("resident before any access: %d of %d\n", cached, PAGES);
	char c = p[0];
	printf("read p[0] = %c, present %d\n", c, present_pages(p, LEN));
	return 0;
}
