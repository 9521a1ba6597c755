// title: system-call edge cases: EFAULT, EOPNOTSUPP, mremap and munmap errors, mlock populating
// files: f.bin="0123456789abcdef"
// engines: sim,real
// expect: exit 3
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <playground.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE 4096

void say(const char *what, long ret)
{
	if (ret < 0)
		printf("%s: %ld %s\n", what, ret, strerror(errno));
	else
		printf("%s: %ld\n", what, ret);
}

int main(void)
{
	printf("page size %ld %d\n", sysconf(_SC_PAGESIZE), getpagesize());
	int fd = open("f.bin", O_RDWR);
	char *ro = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *rw = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	say("read into a PROT_READ mapping", read(fd, ro, 4));
	say("read into an untouched writable mapping", pread(fd, rw + PAGE, 10, 0));
	printf("  present %d, got %.4s\n", present_pages(rw, 4 * PAGE), rw + PAGE);
	say("write from address 4096, never mapped", write(fd, (char *)PAGE, 4));
	say("MAP_SHARED_VALIDATE|MAP_SYNC on a file without DAX",
	    (long)mmap(NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0));
	say("munmap length 0", munmap(rw, 0));
	say("mremap to length 0", (long)mremap(rw, PAGE, 0, 0));
	say("mremap of an unmapped address", (long)mremap((char *)PAGE, PAGE, 2 * PAGE, 0));
	say("mlock", mlock(rw, 4 * PAGE));
	printf("  present after mlock %d\n", present_pages(rw, 4 * PAGE));
	char *locked = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	printf("  MAP_LOCKED present %d\n", present_pages(locked, 2 * PAGE));
	say("mprotect PROT_NONE", mprotect(rw, PAGE, PROT_NONE));
	printf("  areas %d\n", vma_count(rw, 4 * PAGE));

	char *s = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	memcpy(s + 10, "ABCDEF", 6);
	struct stat sb;
	fstat(fd, &sb);
	printf("size after a store through the mapping: %ld\n", (long)sb.st_size);
	ftruncate(fd, 3 * PAGE);
	fstat(fd, &sb);
	printf("size after ftruncate: %ld, blocks %d\n", (long)sb.st_size, sb.st_size == 3 * PAGE);
	char *g = mremap(s, PAGE, 3 * PAGE, MREMAP_MAYMOVE);
	g[2 * PAGE] = 'Z';
	char back[2];
	pread(fd, back, 1, 2 * PAGE);
	printf("grown shared mapping wrote %c into the file\n", back[0]);
	exit(3);
}
