// title: MADV_DONTNEED on file and anonymous mappings; msync flags; MS_INVALIDATE
// files: f.bin="file contents here\n"
// engines: sim,real
// expect: exit 0
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
	int fd = open("f.bin", O_RDWR);
	char *s = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	s[0] = 'F';
	p[1] = 'X';
	printf("s: %.5s p: %.5s\n", s, p);
	madvise(s, PAGE, MADV_DONTNEED);
	madvise(p, PAGE, MADV_DONTNEED);
	printf("present after DONTNEED: %d %d\n", present_pages(s, PAGE), present_pages(p, PAGE));
	printf("s: %.5s p: %.5s (the private write is gone)\n", s, p);
	printf("msync MS_ASYNC: %d\n", msync(s, PAGE, MS_ASYNC));
	printf("msync MS_INVALIDATE: %d\n", msync(s, PAGE, MS_INVALIDATE));
	if (msync(s, PAGE, MS_SYNC | MS_ASYNC) < 0)
		printf("msync MS_SYNC|MS_ASYNC: %s\n", strerror(errno));
	if (msync(s, PAGE, 99) < 0)
		printf("msync bad flags: %s\n", strerror(errno));
	munmap(s, PAGE);
	if (msync(s, PAGE, MS_SYNC) < 0)
		printf("msync unmapped: %s\n", strerror(errno));
	if (madvise(p, PAGE, 12345) < 0)
		printf("madvise bad advice: %s\n", strerror(errno));
	return 0;
}
