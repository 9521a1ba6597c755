// mrelease.c: process_mrelease's checks as this machine's kernel makes
// them (sim's TestProcessMrelease makes the same calls on the model). Each
// line is "name value": OK or the errno's name. The dying process's
// release itself is a race natively (its reaper against its own exit), so
// only a zombie, whose memory is gone, is asked.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void r(const char *name, long v) {
	const char *e = "OK";
	if (v < 0)
		switch (errno) {
		case EINVAL: e = "EINVAL"; break;
		case EBADF: e = "EBADF"; break;
		case ESRCH: e = "ESRCH"; break;
		default: e = strerror(errno);
		}
	printf("%s %s\n", name, e);
}

static long mrelease(int fd, unsigned flags) { return syscall(SYS_process_mrelease, fd, flags); }

int main(void) {
	int pfd[2];
	pipe(pfd);
	r("bad_fd", mrelease(-1, 0));
	r("not_pidfd", mrelease(pfd[0], 0));
	r("bad_fd_flags", mrelease(-1, 1));
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		char b;
		read(pfd[0], &b, 1);
		_exit(0);
	}
	int pidfd = syscall(SYS_pidfd_open, c, 0);
	r("flags", mrelease(pidfd, 1));
	r("flags_all", mrelease(pidfd, ~0u));
	r("live", mrelease(pidfd, 0));
	r("self", mrelease(syscall(SYS_pidfd_open, getpid(), 0), 0));
	kill(c, SIGKILL);
	siginfo_t si;
	waitid(P_PID, c, &si, WEXITED | WNOWAIT);
	r("zombie", mrelease(pidfd, 0));
	waitpid(c, NULL, 0);
	r("reaped", mrelease(pidfd, 0));
	r("reaped_flags", mrelease(pidfd, 1));
	return 0;
}
