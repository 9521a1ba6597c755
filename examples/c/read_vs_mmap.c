// title: read() copies twice, mmap once
// title_zh: read() 两次拷贝，mmap 一次
// files: data.bin=size:16384
// engines: sim,real
// expect: exit 0
//
// read() brings the file into the page cache (disk -> kernel), then copies
// it into the program's buffer (copy_to_user): two copies, and the data
// sits in memory twice. mmap maps the page-cache pages themselves into the
// address space: the only copy is the one from disk, made on the fault.
// Both see the same bytes.
#include <fcntl.h>
#include <playground.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define LEN 16384

char buf[LEN];

int main(void)
{
	int fd = open("data.bin", O_RDONLY);
	if (fd < 0) {
		perror("open");
		return 1;
	}

	checkpoint("read");
	ssize_t n = read(fd, buf, LEN); // page cache -> buf: copy_to_user
	printf("read() copied %ld bytes into the buffer\n", (long)n);

	checkpoint("mmap");
	char *p = mmap(NULL, LEN, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	long sum = 0;
	for (int i = 0; i < LEN; i += 4096)
		sum += p[i]; // the page-cache page itself, no copy
	printf("mmap: first bytes of its 4 pages sum to %ld\n", sum);
	printf("the two views are %s\n", memcmp(buf, p, LEN) == 0 ? "identical" : "different");
	printf("present pages in the mapping: %d\n", present_pages(p, LEN));

	munmap(p, LEN);
	close(fd);
	return 0;
}
