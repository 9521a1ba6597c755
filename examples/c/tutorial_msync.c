// title: The program in the tutorial “内存映射”, corrected: change one byte, msync it to disk
// title_zh: 教程《内存映射》中的程序（已修正）：改一个字节并 msync 到磁盘
// files: data.txt="0123456789abcdefghijklmnopqrstuvwxyz\n"
// args: data.txt
// engines: sim,real
// expect: exit 0
// from: the tutorial “内存映射”, corrected
// from_zh: 教程《内存映射》，已修正
//
// The example in the tutorial “内存映射” with its two mistakes fixed (tutorial_msync_as_printed.c has
// it as printed): the offset is 0, not the letter o, and the if block
// around msync is closed. Each failure now also stops the program, and it
// reads the file back with read() to show that the change reached it. It
// maps the whole file MAP_SHARED, changes byte 20 through the mapping,
// and msync(MS_SYNC) writes the dirty page back to disk.
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

	// 打开文件 (open the file)
	if ((fd = open(argv[1], O_RDWR)) < 0) {
		perror("open");
		exit(1);
	}

	// 获取文件的属性 (get its size)
	if ((fstat(fd, &sb)) == -1) {
		perror("fstat");
		exit(1);
	}

	// 将文件映射至进程的地址空间 (map it)
	if ((mapped = mmap(NULL, sb.st_size, PROT_READ |
			   PROT_WRITE, MAP_SHARED, fd, 0)) == (void *)-1) {
		perror("mmap");
		exit(1);
	}

	// 修改一个字符，同步到磁盘文件 (change one byte, sync it to the file)
	mapped[20] = '9';
	if ((msync((void *)mapped, sb.st_size, MS_SYNC)) == -1) {
		perror("msync");
		exit(1);
	}

	// 释放存储映射区 (unmap)
	if ((munmap((void *)mapped, sb.st_size)) == -1) {
		perror("munmap");
		exit(1);
	}

	// read the file back: byte 20 was 'k', it is now '9'
	char buf[64];
	ssize_t n = pread(fd, buf, sizeof buf, 0);
	printf("%ld bytes: ", (long)n);
	for (ssize_t i = 0; i < n; i++)
		putchar(buf[i]);
	close(fd);
	return 0;
}
