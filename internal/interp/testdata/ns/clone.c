// clone.c: glibc's clone(3) on a stack of the program's own, into new
// user and pid namespaces, and /proc/self/ns opened as a directory
// (interp's TestNamespaces runs it natively as nobody and on the model).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char stack[64 << 10] __attribute__((aligned(16)));
static int shared = 1;

static int child(void *arg) {
	shared = 2; // its own copy: no CLONE_VM
	printf("child: pid %d ppid %d arg %s uid %d\n", getpid(), getppid(), (char *)arg, getuid());
	fflush(stdout);
	return 7;
}

int main(void) {
	setvbuf(stdout, NULL, _IONBF, 0);
	int dir = open("/proc/self/ns", O_RDONLY | O_DIRECTORY);
	int fd = openat(dir, "user", O_RDONLY);
	struct stat a, b;
	fstat(fd, &a);
	stat("/proc/self/ns/user", &b);
	printf("openat from /proc/self/ns: %d\n", fd >= 0 && a.st_ino == b.st_ino);
	int r = openat(dir, "nope", O_RDONLY);
	printf("openat of no such link: %d %s\n", r, strerror(errno));
	r = clone(child, NULL, SIGCHLD, "x");
	printf("clone without a stack: %d %s\n", r, strerror(errno));
	pid_t c = clone(child, stack + sizeof(stack), CLONE_NEWUSER | CLONE_NEWPID | SIGCHLD, "hello");
	int ws;
	pid_t w = waitpid(c, &ws, 0);
	printf("cloned: %d waited: %d exited %d status %d shared %d\n", c > 0, w == c, WIFEXITED(ws), WEXITSTATUS(ws), shared);
	c = clone(child, stack + sizeof(stack), CLONE_NEWPID | SIGCHLD, "again");
	printf("clone(CLONE_NEWPID) unprivileged: %d %s\n", c, strerror(errno));
	return 0;
}
