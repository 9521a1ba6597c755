// title: msync and writeback
// title_zh: msync 与后台回写
// files: log.txt="status: old\n"
// engines: sim,real
// expect: exit 0
//
// 向 MAP_SHARED 映射写入，改变的是页缓存中的页，并把它
// 标记为脏页；此时没有任何东西写入磁盘。后台的刷写线程
// 稍后把脏页写回（在 dirty_expire_centisecs 之后，默认 30 秒），
// 或者由 msync(MS_SYNC) 立即写回并等待。教程《Linux mmap完全剖析》说：“修改的
// 文件内容，不会马上写入到磁盘，是靠后台线程定时刷的。”
// read() 经过的是同一个页缓存，所以它立即就能看到写入的内容，
// 早于任何写回：msync 关乎的是磁盘，而不是其他读者。
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define LEN 4096

void show_file(const char *when, int fd)
{
	char buf[32];
	memset(buf, 0, sizeof buf);
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	printf("%s read() gives %ld bytes: %s", when, (long)n, buf);
}

int main(void)
{
	int fd = open("log.txt", O_RDWR);
	if (fd < 0) {
		perror("open");
		return 1;
	}
	char *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	show_file("before the store:", fd);

	memcpy(p + 8, "new", 3); // 写缺页异常：do_shared_fault，这一页现在是脏页
	show_file("after the store: ", fd);

	if (msync(p, LEN, MS_SYNC) < 0) { // 把脏页写回，并等待
		perror("msync");
		return 1;
	}
	printf("msync(MS_SYNC) returned 0: the page is clean again, the disk has it\n");

	if (msync(p + 1, LEN, MS_SYNC) < 0)
		printf("msync at an unaligned address: %s\n", strerror(errno));

	munmap(p, LEN);
	close(fd);
	return 0;
}
