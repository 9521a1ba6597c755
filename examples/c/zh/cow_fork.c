// title: fork and copy-on-write
// title_zh: fork 与写时复制
// engines: sim,real
// expect: exit 0
//
// fork 复制的是父进程的页表，而不是它的内存。之后私有页由两个进程
// 共享，并被写保护。任何一方的第一次写都是一次写保护缺页异常
// （do_wp_page）：写的一方得到自己的副本（写时复制），
// 另一方保留原来的页。MAP_SHARED 的匿名页始终只有一页：
// 双方都能看到对方写入的内容。
#include <playground.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define LEN 4096

int main(void)
{
	char *priv = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *shrd = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (priv == MAP_FAILED || shrd == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	strcpy(priv, "parent's private page");
	strcpy(shrd, "parent's shared page");
	fflush(stdout);

	pid_t pid = fork();
	if (pid == 0) {
		printf("child sees:  \"%s\" and \"%s\"\n", priv, shrd);
		strcpy(priv, "child's copy");   // do_wp_page 复制这一页
		strcpy(shrd, "child was here"); // 那一个共享页
		printf("child wrote: \"%s\" and \"%s\"\n", priv, shrd);
		return 0;
	}
	waitpid(pid, NULL, 0);
	printf("parent sees: \"%s\" and \"%s\"\n", priv, shrd);
	munmap(priv, LEN);
	munmap(shrd, LEN);
	return 0;
}
