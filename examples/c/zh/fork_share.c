// title: Two processes share one page (process A and B of the tutorial “内存映射”)
// title_zh: 两个进程共享同一页（教程《内存映射》中的进程 A 与进程 B）
// files: shared.txt=size:4096
// engines: sim,real
// expect: exit 0
// from: the tutorial “内存映射” (processes A and B)
// from_zh: 教程《内存映射》（进程 A 与进程 B）
//
// 教程《内存映射》：进程 A 和进程 B 都以 MAP_SHARED 映射同一个文件页。
// A 第一次访问它时，缺页异常把这一页读入页缓存，
// 并让 A 的页表项指向它。B 访问它时，这一页已经在内存中：
// B 的缺页异常（filemap_fault 在页缓存中找到它）只让 B 的页表项指向同一
// 页帧。任何一方写入，另一方都能看到，既不复制，也不用 read()。
#include <fcntl.h>
#include <playground.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define LEN 4096

char *map_file(void)
{
	int fd = open("shared.txt", O_RDWR);
	if (fd < 0) {
		perror("open");
		return MAP_FAILED;
	}
	char *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return p;
}

int main(void)
{
	// 进程 A 映射该文件，并向这一页写入一条消息。
	char *a = map_file();
	if (a == MAP_FAILED)
		return 1;
	strcpy(a, "hello from A");
	printf("A: wrote \"%s\", present pages %d\n", a, present_pages(a, LEN));
	fflush(stdout); // 免得子进程继承尚未写出的输出

	pid_t pid = fork();
	if (pid == 0) {
		// 进程 B 自己映射同一个文件。
		char *b = map_file();
		if (b == MAP_FAILED)
			return 1;
		printf("B: present pages after mmap %d\n", present_pages(b, LEN));
		printf("B: reads \"%s\"\n", b); // 次缺页异常：这一页已在页缓存中
		printf("B: present pages after the read %d\n", present_pages(b, LEN));
		strcpy(b, "hello from B");
		return 0;
	}
	int status;
	waitpid(pid, &status, 0);
	printf("A: child exited with %d\n", WEXITSTATUS(status));
	printf("A: reads \"%s\"\n", a);
	munmap(a, LEN);
	return 0;
}
