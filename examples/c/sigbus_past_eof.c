// title: SIGBUS: touching a page past the end of the file
// title_zh: SIGBUS：访问文件末尾之后的页
// files: short.txt="only 26 bytes in this file"
// engines: sim,real
// expect: signal SIGBUS
//
// mmap accepts a length longer than the file: the area is two pages long.
// The first page holds the file's 26 bytes and zeros after them. The second
// page lies wholly past the end of the file: there is nothing for
// filemap_fault to bring in, and the access ends the process with SIGBUS.
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

int main(void)
{
	int fd = open("short.txt", O_RDONLY);
	if (fd < 0) {
		perror("open");
		return 1;
	}
	char *p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	printf("mmap of 2 pages over a 26-byte file succeeded\n");
	printf("byte 25: '%c', byte 26: %d, byte 4095: %d (the rest of page 0 is zeros)\n",
	       p[25], p[26], p[4095]);
	printf("now reading byte 4096, in page 1, past the end of the file...\n");
	fflush(stdout); // the signal kills us before stdio would flush

	char c = p[PAGE]; // SIGBUS
	printf("never printed: %d\n", c);
	return 0;
}
