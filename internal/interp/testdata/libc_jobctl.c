// Job control: a child that stops itself (raise(SIGSTOP)) and one its
// parent stops while it waits on a pipe; what waitpid reports of each;
// the signals whose default action is to do nothing.
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
	int st, pfd[2];
	pipe(pfd);
	fflush(stdout);
	pid_t a = fork();
	if (a == 0) {
		kill(getpid(), SIGCHLD); // ignored by default
		kill(getpid(), SIGURG);
		signal(SIGUSR1, SIG_IGN);
		raise(SIGUSR1);
		raise(SIGSTOP);
		char c;
		read(pfd[0], &c, 1); // once its parent has seen the continue
		printf("a: continued\n");
		fflush(stdout);
		_exit(7);
	}
	waitpid(a, &st, WUNTRACED);
	printf("a: stopped %d by %d\n", WIFSTOPPED(st), WSTOPSIG(st));
	kill(a, SIGCONT);
	waitpid(a, &st, WCONTINUED);
	printf("a: continued %d\n", WIFCONTINUED(st));
	write(pfd[1], "a", 1);
	waitpid(a, &st, 0);
	printf("a: exited %d with %d\n", WIFEXITED(st), WEXITSTATUS(st));

	pid_t b = fork();
	if (b == 0) {
		char c;
		read(pfd[0], &c, 1);
		printf("b: read %c\n", c);
		fflush(stdout);
		_exit(c);
	}
	kill(b, SIGTSTP);
	waitpid(b, &st, WUNTRACED);
	printf("b: stopped by %d\n", WSTOPSIG(st));
	write(pfd[1], "x", 1);
	printf("b: still there %d\n", waitpid(b, &st, WNOHANG));
	kill(b, SIGCONT);
	waitpid(b, &st, 0);
	printf("b: exited with %d\n", WEXITSTATUS(st));
	return 0;
}
