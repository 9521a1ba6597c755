// dumpable.c: PR_SET_DUMPABLE and PR_GET_DUMPABLE, and what pidfd_getfd's
// ptrace_may_access makes of them, as this machine's kernel answers an
// unprivileged user (sim's TestDumpable asks the model the same). Each
// line is "name value": the call's return or the errno's name.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void r(const char *name, long v) {
	if (v < 0)
		printf("%s %s\n", name, errno == EPERM ? "EPERM" : errno == EINVAL ? "EINVAL" : errno == ESRCH ? "ESRCH" : errno == EBADF ? "EBADF" : strerror(errno));
	else
		printf("%s %ld\n", name, v);
	fflush(stdout);
}

static long getfd(int pidfd, int fd) {
	long n = syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	return n < 0 ? n : 0;
}

int main(void) {
	int pfd[2], back[2];
	char b;
	r("get_initial", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	r("set_2", prctl(PR_SET_DUMPABLE, 2, 0, 0, 0));
	r("set_neg", prctl(PR_SET_DUMPABLE, -1, 0, 0, 0));
	r("set_1_args", prctl(PR_SET_DUMPABLE, 1, 5, 5, 5));
	r("set_0", prctl(PR_SET_DUMPABLE, 0, 0, 0, 0));
	r("get_0", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	int self = syscall(SYS_pidfd_open, getpid(), 0);
	r("getfd_self_undumpable", getfd(self, 0));
	pipe(pfd);
	pipe(back);
	pid_t c = fork();
	if (c == 0) {
		char v = '0' + prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
		write(back[1], &v, 1);
		read(pfd[0], &b, 1); /* the parent's undumpable self */
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
		write(back[1], "x", 1);
		read(pfd[0], &b, 1);
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		write(back[1], "x", 1);
		read(pfd[0], &b, 1);
		_exit(0);
	}
	int pidfd = syscall(SYS_pidfd_open, c, 0);
	read(back[0], &b, 1);
	r("child_inherits", b - '0');
	r("getfd_child_undumpable", getfd(pidfd, 0));
	r("getfd_child_undumpable_badfd", getfd(pidfd, 99));
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	write(pfd[1], "x", 1);
	read(back[0], &b, 1);
	r("getfd_child_dumpable", getfd(pidfd, 0));
	r("getfd_child_dumpable_badfd", getfd(pidfd, 99));
	write(pfd[1], "x", 1);
	read(back[0], &b, 1);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	r("getfd_both_undumpable", getfd(pidfd, 0));
	write(pfd[1], "x", 1);
	siginfo_t si;
	waitid(P_PID, c, &si, WEXITED | WNOWAIT);
	r("getfd_zombie", getfd(pidfd, 0));
	waitpid(c, NULL, 0);
	r("getfd_reaped", getfd(pidfd, 0));
	return 0;
}
