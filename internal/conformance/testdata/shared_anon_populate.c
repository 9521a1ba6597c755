// title: read faults on a shared file mapping, MAP_POPULATE on a file, mprotect EACCES
// files: big.bin=size:65536
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
#define LEN (16 * PAGE)

int main(void)
{
	int fd = open("big.bin", O_RDONLY);
	char *p = mmap(NULL, LEN, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
	if (fd < 0 || p == MAP_FAILED) {
		perror("setup");
		return 1;
	}
	printf("populated file mapping: present %d of 16, p[5000] = %c\n", present_pages(p, LEN), p[5000]);
	if (mprotect(p, PAGE, PROT_READ | PROT_WRITE) < 0)
		printf("mprotect PROT_WRITE on a shared mapping of an O_RDONLY fd: %s\n", strerror(errno));
	char *q = mmap(NULL, LEN, PROT_READ, MAP_PRIVATE, fd, 0);
	if (mprotect(q, PAGE, PROT_READ | PROT_WRITE) == 0)
		printf("mprotect PROT_WRITE on a private mapping: ok, areas %d\n", vma_count(q, LEN));
	munmap(p, LEN);
	munmap(q, LEN);
	close(fd);
	return 0;
}
