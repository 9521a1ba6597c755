// title: File-backed and anonymous memory
// title_zh: 文件映射与匿名映射
// files: data.bin="ABCDEFGHIJKLMNOPQRSTUVWXYZ"
// engines: sim,real
// expect: exit 0
//
// 一个映射展示的是两类对象之一（教程《内存映射》）：
//   - 普通文件：区域中的页就是该文件在页缓存中的页，
//     读引起的缺页异常由 filemap_fault 处理；
//   - 全是二进制零的匿名“文件”（MAP_ANONYMOUS，fd 为 -1）：读引起的
//     缺页异常映射共享的零页（do_anonymous_page），只有写
//     才给这一页分配它自己的页帧。
// 文件末尾之后、仍在其最后一页之内的字节读出来是零。
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
	anon[0] = 'x'; // 现在 do_anonymous_page（或 do_wp_page）给它分配自己的页帧
	printf("anonymous after a write: %c\n", anon[0]);
	printf("anonymous present after a write: %d\n", present_pages(anon, LEN));

	munmap(file, LEN);
	munmap(anon, LEN);
	return 0;
}
