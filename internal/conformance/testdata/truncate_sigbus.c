// title: a file truncated under a mapping: SIGBUS on the lost page
// files: f.bin=size:8192
// engines: sim,real
// expect: signal SIGBUS
#include <fcntl.h>
#include <playground.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	int fd = open("f.bin", O_RDWR);
	char *p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
	printf("%c %c present %d\n", p[0], p[4096], present_pages(p, 8192));
	ftruncate(fd, 100);
	printf("after truncate present %d, p[50] %c p[200] %d\n", present_pages(p, 8192), p[50], p[200]);
	fflush(stdout);
	return p[4096];
}
