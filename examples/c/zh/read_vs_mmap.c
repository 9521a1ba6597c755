// title: read() copies twice, mmap once
// title_zh: read() 两次拷贝，mmap 一次
// files: data.bin=size:16384
// engines: sim,real
// expect: exit 0
//
// read() 先把文件读入页缓存（磁盘 -> 内核），再把它复制
// 到程序的缓冲区（copy_to_user）：两次复制，数据
// 在内存中存了两份。mmap 把页缓存的页本身映射进
// 地址空间：唯一的一次复制是缺页异常时从磁盘读入的那一次。
// 两者看到的是相同的字节。
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
	ssize_t n = read(fd, buf, LEN); // 页缓存 -> buf：copy_to_user
	printf("read() copied %ld bytes into the buffer\n", (long)n);

	checkpoint("mmap");
	char *p = mmap(NULL, LEN, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	long sum = 0;
	for (int i = 0; i < LEN; i += 4096)
		sum += p[i]; // 就是页缓存的页本身，没有复制
	printf("mmap: first bytes of its 4 pages sum to %ld\n", sum);
	printf("the two views are %s\n", memcmp(buf, p, LEN) == 0 ? "identical" : "different");
	printf("present pages in the mapping: %d\n", present_pages(p, LEN));

	munmap(p, LEN);
	close(fd);
	return 0;
}
