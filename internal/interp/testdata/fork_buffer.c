#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include <sys/mman.h>

int main(void)
{
	int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int *private = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	*shared = 1;
	*private = 1;
	printf("before fork (buffered, printed twice)\n");
	pid_t pid = fork();
	if (pid == 0) {
		*shared = 42;
		*private = 42;
		printf("child: shared=%d private=%d\n", *shared, *private);
		exit(7);
	}
	int status;
	waitpid(pid, &status, 0);
	printf("parent: shared=%d private=%d exited=%d code=%d\n", *shared, *private, WIFEXITED(status), WEXITSTATUS(status));
	return 0;
}
