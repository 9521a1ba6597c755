// title: /dev/zero mappings across fork; mincore tells the page cache, not the page tables
// engines: sim
// expect: exit 0
#include <errno.h>
#include <fcntl.h>
#include <playground.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096

void show_vec(const char *what, unsigned char *vec)
{
	printf("%s: %d%d%d%d\n", what, vec[0] & 1, vec[1] & 1, vec[2] & 1, vec[3] & 1);
}

int main(void)
{
	unsigned char vec[4];
	int z = open("/dev/zero", O_RDWR);
	char *zp = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, z, 0);
	char *zs = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, z, 0);
	printf("/dev/zero private: %s, reads %d\n", zp == MAP_FAILED ? strerror(errno) : "ok", zp[100]);
	printf("/dev/zero shared: %s, reads %d\n", zs == MAP_FAILED ? strerror(errno) : "ok", zs[100]);
	zp[0] = 'p';
	zs[0] = 's';
	fflush(stdout);
	if (fork() == 0) {
		zp[0] = 'P';
		zs[0] = 'S';
		return 0;
	}
	wait(NULL);
	printf("after the child wrote: private %c, shared %c\n", zp[0], zs[0]);

	// A file the program writes itself is in the page cache on every engine.
	int fd = open("cache.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
	char page[PAGE];
	for (int i = 0; i < 4; i++) {
		memset(page, 'A' + i, PAGE);
		write(fd, page, PAGE);
	}
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	mincore(p, 4 * PAGE, vec);
	show_vec("mincore of a freshly written file, nothing mapped", vec);
	printf("present %d\n", present_pages(p, 4 * PAGE));
	p[2 * PAGE] = 'w';
	madvise(p, 4 * PAGE, MADV_DONTNEED);
	mincore(p, 4 * PAGE, vec);
	show_vec("after MADV_DONTNEED", vec);
	printf("present %d, the write survives: %c\n", present_pages(p, 4 * PAGE), p[2 * PAGE]);
	munmap(p, 4 * PAGE);

	// A private file mapping across fork: the child's write is its own.
	char *q = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	q[1] = '1';
	fflush(stdout);
	if (fork() == 0) {
		q[1] = '2';
		q[2] = '2';
		printf("child: %.3s\n", q);
		return 0;
	}
	wait(NULL);
	printf("parent: %.3s\n", q);

	// Truncating to 0 with O_TRUNC, then growing with write: the mapping
	// sees the new bytes.
	char *r = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	int t = open("cache.bin", O_RDWR | O_TRUNC);
	write(t, "new contents", 12);
	printf("after O_TRUNC and a write: %.12s, then %d\n", r, r[12]);
	return 0;
}
