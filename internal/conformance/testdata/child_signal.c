// title: a child dies of SIGBUS, its parent reads the status; fork copies unflushed stdio
//
// The parent does not flush before its second fork, so the second child
// inherits the parent's unwritten lines and writes them again at exit.
// files: f.bin="tiny"
// engines: sim
// expect: exit 0
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int fd = open("f.bin", O_RDONLY);
	char *p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
	printf("parent maps 2 pages over a 4-byte file\n");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		printf("child touches page 1\n");
		fflush(stdout);
		return p[4096];
	}
	int status = 0;
	pid_t got = waitpid(pid, &status, 0);
	printf("waitpid returned the child: %d\n", got == pid);
	printf("signaled %d, signal %d (SIGBUS is %d), exited %d\n",
	       WIFSIGNALED(status), WTERMSIG(status), SIGBUS, WIFEXITED(status));
	pid = fork();
	if (pid == 0)
		return 42;
	waitpid(pid, &status, 0);
	printf("second child exited %d with %d\n", WIFEXITED(status), WEXITSTATUS(status));
	printf("no more children: %d\n", (int)wait(NULL));
	return 0;
}
