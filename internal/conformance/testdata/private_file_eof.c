// title: private file mapping: writes stay private, the tail of the last page, ftruncate
// files: data.bin="0123456789"
// engines: sim,real
// expect: exit 0
#include <fcntl.h>
#include <playground.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE 4096

int main(void)
{
	int fd = open("data.bin", O_RDWR);
	char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (fd < 0 || p == MAP_FAILED) {
		perror("setup");
		return 1;
	}
	p[100] = 'A'; // inside the last page: private copy, not the file
	struct stat sb;
	fstat(fd, &sb);
	printf("size %ld, p[100] %c, p[10] %d\n", (long)sb.st_size, p[100], p[10]);

	ftruncate(fd, 2 * PAGE); // the file grows: page 1 becomes valid
	printf("page 1 after ftruncate: %d\n", p[PAGE + 5]);

	char buf[16];
	memset(buf, 0, sizeof buf);
	pread(fd, buf, 10, 0);
	printf("file: %s\n", buf);

	// write() through the page cache is seen by an unwritten private page
	pwrite(fd, "WXYZ", 4, PAGE);
	printf("page 1 after pwrite: %c%c\n", p[PAGE], p[PAGE + 3]);
	printf("present %d of 3\n", present_pages(p, 3 * PAGE));
	munmap(p, 3 * PAGE);
	close(fd);
	return 0;
}
