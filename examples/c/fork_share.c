// title: Two processes share one page (process A and B of the tutorial “内存映射”)
// title_zh: 两个进程共享同一页（教程《内存映射》中的进程 A 与进程 B）
// files: shared.txt=size:4096
// engines: sim,real
// expect: exit 0
// from: the tutorial “内存映射” (processes A and B)
// from_zh: 教程《内存映射》（进程 A 与进程 B）
//
// The tutorial “内存映射”: process A and process B both map the same file page MAP_SHARED.
// When A first touches it, the fault reads the page into the page cache and
// points A's PTE at it. When B touches it, the page is already in memory:
// B's fault (filemap_fault finds it cached) only points B's PTE at the same
// page. A write by either is seen by the other, with no copy and no read().
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
	// Process A maps the file and writes a message into the page.
	char *a = map_file();
	if (a == MAP_FAILED)
		return 1;
	strcpy(a, "hello from A");
	printf("A: wrote \"%s\", present pages %d\n", a, present_pages(a, LEN));
	fflush(stdout); // so that the child does not inherit unwritten output

	pid_t pid = fork();
	if (pid == 0) {
		// Process B maps the same file on its own.
		char *b = map_file();
		if (b == MAP_FAILED)
			return 1;
		printf("B: present pages after mmap %d\n", present_pages(b, LEN));
		printf("B: reads \"%s\"\n", b); // a minor fault: the page is cached
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
