// title: offsets, holes, private writable mappings of read-only files, madvise populate, mremap variants
// files: f.bin=size:12288
// engines: sim,real
// expect: signal SIGSEGV
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <playground.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

int main(void)
{
	unsigned char vec[4];
	char c;
	int ret;
	int fd = open("f.bin", O_RDONLY);
	char *p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, PAGE);
	printf("offset PAGE starts with %c (byte 4096 of the file)\n", p[0]);
	munmap(p, PAGE);

	char *w = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	printf("private writable mapping of an O_RDONLY fd: %s\n", w == MAP_FAILED ? strerror(errno) : "ok");
	w[0] = '#';
	char b[2];
	pread(fd, b, 1, 0);
	printf("w[0] %c, file byte 0 %c\n", w[0], b[0]);

	int rw = open("hole.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
	ftruncate(rw, 4 * PAGE);
	char *h = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, rw, 0);
	mincore(h, 4 * PAGE, vec);
	printf("a hole before any access: mincore %d%d%d%d\n", vec[0] & 1, vec[1] & 1, vec[2] & 1, vec[3] & 1);
	pwrite(rw, "late", 4, 3 * PAGE);
	printf("pwrite seen through the mapping: %.4s\n", h + 3 * PAGE);

	char *a = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mincore(a, 4 * PAGE, vec);
	printf("untouched anonymous: mincore %d%d%d%d\n", vec[0] & 1, vec[1] & 1, vec[2] & 1, vec[3] & 1);
	c = a[0];
	mincore(a, 4 * PAGE, vec);
	printf("after a read (zero page): mincore %d%d%d%d (%d)\n", vec[0] & 1, vec[1] & 1, vec[2] & 1, vec[3] & 1, c);
	ret = madvise(a, 4 * PAGE, MADV_POPULATE_WRITE);
	printf("MADV_POPULATE_WRITE: %d, present %d\n", ret, present_pages(a, 4 * PAGE));
	printf("MADV_WILLNEED: %d\n", madvise(h, 4 * PAGE, MADV_WILLNEED));
	char *r = mmap(NULL, 4 * PAGE, PROT_READ, MAP_PRIVATE, rw, 0);
	ret = madvise(r, 4 * PAGE, MADV_POPULATE_READ);
	printf("MADV_POPULATE_READ: %d, present %d\n", ret, present_pages(r, 4 * PAGE));

	strcpy(a, "moved with MREMAP_FIXED");
	char *dst = mmap(NULL, 8 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *m = mremap(a, 4 * PAGE, 4 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, dst + 4 * PAGE);
	printf("MREMAP_FIXED: at dst+4 pages %d, \"%s\", areas in dst %d\n", m == dst + 4 * PAGE, m, vma_count(dst, 8 * PAGE));
	char *d = mremap(m, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
	printf("MREMAP_DONTUNMAP: moved %d, \"%s\", old page present %d\n", d != m, d, present_pages(m, PAGE));
	c = m[0];
	printf("the old page reads %d now\n", c);

	char *n = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("PROT_NONE mapping: %d area, %d present\n", vma_count(n, PAGE), present_pages(n, PAGE));
	fflush(stdout);
	return n[0] == 0 ? 0 : 1; // SIGSEGV: the area allows no access
}
