// title: msync and writeback
// title_zh: msync 与后台回写
// files: log.txt="status: old\n"
// engines: sim,real
// expect: exit 0
//
// A store into a MAP_SHARED mapping changes the page in the page cache and
// marks it dirty; nothing is written to disk then. A background flusher
// writes dirty pages back later (after dirty_expire_centisecs, 30 s by
// default), or msync(MS_SYNC) writes them now and waits. The tutorial “Linux mmap完全剖析”: "修改的
// 文件内容，不会马上写入到磁盘，是靠后台线程定时刷的。"
// read() goes through the same page cache, so it sees the store at once,
// before any writeback: msync is about the disk, not about other readers.
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

	memcpy(p + 8, "new", 3); // a write fault: do_shared_fault, the page is now dirty
	show_file("after the store: ", fd);

	if (msync(p, LEN, MS_SYNC) < 0) { // write the dirty page back, and wait
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
