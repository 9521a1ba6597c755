// title: stdio buffers are copied by fork
// engines: sim
// expect: exit 0
//
// Standard output to a pipe or file is fully buffered by glibc: text not yet
// flushed sits in the process's memory, and fork copies it, so both
// processes write it. The interpreter's stdio must behave the same.
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	printf("before fork (unflushed)\n");
	pid_t pid = fork();
	if (pid == 0) {
		printf("child\n");
		return 0;
	}
	waitpid(pid, NULL, 0);
	printf("parent\n");
	return 0;
}
