// title: SIGBUS: touching a page past the end of the file
// title_zh: SIGBUS：访问文件末尾之后的页
// files: short.txt="only 26 bytes in this file"
// engines: sim,real
// expect: signal SIGBUS
//
// mmap 接受比文件更长的长度：这个虚拟内存区域有两页长。
// 第一页装着文件的 26 个字节，后面是零。第二页
// 完全在文件末尾之后：filemap_fault 没有东西
// 可以读入，这次访问以 SIGBUS 结束进程。
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
	fflush(stdout); // 信号会在 stdio 刷出缓冲之前杀死进程

	char c = p[PAGE]; // SIGBUS
	printf("never printed: %d\n", c);
	return 0;
}
