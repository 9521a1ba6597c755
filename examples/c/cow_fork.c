// title: fork and copy-on-write
// title_zh: fork 与写时复制
// engines: sim,real
// expect: exit 0
//
// fork copies the parent's page tables, not its memory. Private pages are
// then shared by both processes, write-protected. The first write by either
// is a write-protect fault (do_wp_page): the writer gets its own copy and
// the other keeps the original. A MAP_SHARED anonymous page stays one page:
// both see each other's writes.
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
		strcpy(priv, "child's copy");   // do_wp_page copies the page
		strcpy(shrd, "child was here"); // the one shared page
		printf("child wrote: \"%s\" and \"%s\"\n", priv, shrd);
		return 0;
	}
	waitpid(pid, NULL, 0);
	printf("parent sees: \"%s\" and \"%s\"\n", priv, shrd);
	munmap(priv, LEN);
	munmap(shrd, LEN);
	return 0;
}
