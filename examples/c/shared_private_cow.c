// title: Shared and private mappings, copy-on-write
// title_zh: 共享映射、私有映射与写时复制
// files: data.bin="original text\n"
// engines: sim,real
// expect: exit 0
//
// The same file mapped twice: MAP_SHARED and MAP_PRIVATE.
//   - A write through the private mapping is a copy-on-write fault
//     (do_cow_fault): the process gets its own copy of the page, and the file
//     never sees the change.
//   - A write through the shared mapping dirties the page-cache page itself
//     (do_shared_fault): every mapping of the file and read() see it.
//   - After its copy, the private page no longer follows the file.
#include <fcntl.h>
#include <playground.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define LEN 4096

void show(const char *who, const char *p)
{
	printf("%s ", who);
	for (int i = 0; p[i] != '\n' && i < 40; i++)
		putchar(p[i]);
	putchar('\n');
}

void show_file(int fd)
{
	char buf[64];
	memset(buf, 0, sizeof buf);
	pread(fd, buf, sizeof buf - 1, 0);
	show("file:   ", buf);
}

int main(void)
{
	int fd = open("data.bin", O_RDWR);
	if (fd < 0) {
		perror("open");
		return 1;
	}
	char *shared = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *private = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (shared == MAP_FAILED || private == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	show("shared: ", shared);
	show("private:", private);

	printf("\n-- write \"PRIVATE\" through the private mapping (copy-on-write)\n");
	memcpy(private, "PRIVATE", 7);
	show("shared: ", shared);
	show("private:", private);
	show_file(fd);

	printf("\n-- write \"SHARED\" through the shared mapping (the page cache page)\n");
	memcpy(shared, "SHARED", 6);
	show("shared: ", shared);
	show("private:", private);
	show_file(fd);

	munmap(shared, LEN);
	munmap(private, LEN);
	close(fd);
	return 0;
}
