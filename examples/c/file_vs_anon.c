// title: File-backed and anonymous memory
// title_zh: 文件映射与匿名映射
// files: data.bin="ABCDEFGHIJKLMNOPQRSTUVWXYZ"
// engines: sim,real
// expect: exit 0
//
// A mapping shows one of two kinds of object (the tutorial “内存映射”):
//   - a regular file: the area's pages are the file's pages in the page
//     cache, and a read fault goes to filemap_fault;
//   - an anonymous "file" of binary zeros (MAP_ANONYMOUS, fd -1): a read
//     fault maps the shared zero page (do_anonymous_page), and only a write
//     gives the page a frame of its own.
// Bytes past the end of the file, inside its last page, read as zero.
#include <fcntl.h>
#include <playground.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#define LEN 4096

int main(void)
{
	int fd = open("data.bin", O_RDONLY);
	if (fd < 0) {
		perror("open");
		return 1;
	}
	char *file = mmap(NULL, LEN, PROT_READ, MAP_PRIVATE, fd, 0);
	char *anon = mmap(NULL, LEN, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (file == MAP_FAILED || anon == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	close(fd);

	printf("file-backed: ");
	for (int i = 0; i < 26; i++)
		putchar(file[i]);
	putchar('\n');
	printf("file-backed, byte 100 (past the end of the file): %d\n", file[100]);

	printf("anonymous, bytes 0 and 4095: %d %d\n", anon[0], anon[4095]);
	printf("anonymous present after a read: %d\n", present_pages(anon, LEN));
	anon[0] = 'x'; // now do_anonymous_page (or do_wp_page) gives it a frame of its own
	printf("anonymous after a write: %c\n", anon[0]);
	printf("anonymous present after a write: %d\n", present_pages(anon, LEN));

	munmap(file, LEN);
	munmap(anon, LEN);
	return 0;
}
