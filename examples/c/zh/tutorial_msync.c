// title: The program in the tutorial “内存映射”, corrected: change one byte, msync it to disk
// title_zh: 教程《内存映射》中的程序（已修正）：改一个字节并 msync 到磁盘
// files: data.txt="0123456789abcdefghijklmnopqrstuvwxyz\n"
// args: data.txt
// engines: sim,real
// expect: exit 0
// from: the tutorial “内存映射”, corrected
// from_zh: 教程《内存映射》，已修正
//
// 教程《内存映射》中的例子，改正了它的两处错误（tutorial_msync_as_printed.c 是
// 原样照录的版本）：偏移量是 0，而不是字母 o；包住 msync 的 if 块
// 补上了闭合。现在每次失败也会让程序停下，程序最后
// 还用 read() 把文件读回，表明修改确实到达了文件。它
// 以 MAP_SHARED 映射整个文件，通过映射修改第 20 个字节，
// 再由 msync(MS_SYNC) 把脏页写回磁盘。
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <error.h>

int main(int argc, char *argv[])
{
	int fd;
	struct stat sb;
	char *mapped;

	// 打开文件
	if ((fd = open(argv[1], O_RDWR)) < 0) {
		perror("open");
		exit(1);
	}

	// 获取文件的属性
	if ((fstat(fd, &sb)) == -1) {
		perror("fstat");
		exit(1);
	}

	// 将文件映射至进程的地址空间
	if ((mapped = mmap(NULL, sb.st_size, PROT_READ |
			   PROT_WRITE, MAP_SHARED, fd, 0)) == (void *)-1) {
		perror("mmap");
		exit(1);
	}

	// 修改一个字符，同步到磁盘文件
	mapped[20] = '9';
	if ((msync((void *)mapped, sb.st_size, MS_SYNC)) == -1) {
		perror("msync");
		exit(1);
	}

	// 释放存储映射区
	if ((munmap((void *)mapped, sb.st_size)) == -1) {
		perror("munmap");
		exit(1);
	}

	// 把文件读回：第 20 个字节原来是 'k'，现在是 '9'
	char buf[64];
	ssize_t n = pread(fd, buf, sizeof buf, 0);
	printf("%ld bytes: ", (long)n);
	for (ssize_t i = 0; i < n; i++)
		putchar(buf[i]);
	close(fd);
	return 0;
}
