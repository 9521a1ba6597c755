/* setvbuf: a line-buffered stdout writes at each newline, so a fork copies
   only the unfinished line; an unbuffered one writes every call. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("whole line\npartial ");
	if (fork() == 0) {
		printf("child\n");
		return 0;
	}
	wait(NULL);
	printf("parent\n");
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("unbuffered ");
	if (fork() == 0) {
		printf("child2\n");
		return 0;
	}
	wait(NULL);
	printf("parent2\n");
	return 0;
}
