// kcmp.c: kcmp between a process and its forked child, and epoll's
// KCMP_EPOLL_TFD, as this machine's kernel answers (sim's TestKcmp makes
// the same calls on the model). Each line is "name value": eq for 0, ne
// for an order (1 or 2, which a boot-time cookie scrambles), or the errno.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void k(const char *name, long r) {
	if (r == 0)
		printf("%s eq\n", name);
	else if (r == 1 || r == 2)
		printf("%s ne\n", name);
	else if (errno == EBADF)
		printf("%s EBADF\n", name);
	else if (errno == EINVAL)
		printf("%s EINVAL\n", name);
	else if (errno == ENOENT)
		printf("%s ENOENT\n", name);
	else if (errno == ESRCH)
		printf("%s ESRCH\n", name);
	else if (errno == EFAULT)
		printf("%s EFAULT\n", name);
	else
		printf("%s %s\n", name, strerror(errno));
}

static long kcmp(pid_t a, pid_t b, int type, unsigned long i1, unsigned long i2) {
	return syscall(SYS_kcmp, a, b, type, i1, i2);
}

int main(void) {
	int pfd[2], efd;
	struct epoll_event ev = {.events = EPOLLIN};
	pipe(pfd);
	efd = epoll_create1(0);
	epoll_ctl(efd, EPOLL_CTL_ADD, pfd[0], &ev);
	dup2(pfd[0], 40);
	epoll_ctl(efd, EPOLL_CTL_ADD, 40, &ev);
	pid_t me = getpid();
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		int fd = open("/dev/null", O_RDONLY);
		pid_t p = getppid(), s = getpid();
		k("file_inherited", kcmp(p, s, KCMP_FILE, pfd[0], pfd[0]));
		k("file_other", kcmp(p, s, KCMP_FILE, pfd[0], pfd[1]));
		k("file_dup", kcmp(s, s, KCMP_FILE, pfd[0], 40));
		k("file_own", kcmp(p, s, KCMP_FILE, pfd[0], fd));
		k("file_badfd", kcmp(p, s, KCMP_FILE, pfd[0], 99));
		k("files", kcmp(p, s, KCMP_FILES, 0, 0));
		k("vm", kcmp(p, s, KCMP_VM, 0, 0));
		k("vm_self", kcmp(s, s, KCMP_VM, 0, 0));
		k("fs", kcmp(p, s, KCMP_FS, 0, 0));
		k("sighand", kcmp(p, s, KCMP_SIGHAND, 0, 0));
		k("io", kcmp(p, s, KCMP_IO, 0, 0));
		k("sysvsem", kcmp(p, s, KCMP_SYSVSEM, 0, 0));
		k("types", kcmp(p, s, KCMP_TYPES, 0, 0));
		k("no_such_pid", kcmp(p, 99999999, KCMP_VM, 0, 0));
		struct kcmp_epoll_slot slot = {.efd = efd, .tfd = 40, .toff = 0};
		k("epoll_tfd", kcmp(s, p, KCMP_EPOLL_TFD, pfd[0], (unsigned long)&slot));
		k("epoll_tfd_other", kcmp(s, p, KCMP_EPOLL_TFD, pfd[1], (unsigned long)&slot));
		slot.toff = 1;
		k("epoll_tfd_toff", kcmp(s, p, KCMP_EPOLL_TFD, pfd[0], (unsigned long)&slot));
		slot.toff = 0, slot.tfd = pfd[1];
		k("epoll_tfd_unwatched", kcmp(s, p, KCMP_EPOLL_TFD, pfd[0], (unsigned long)&slot));
		slot.efd = pfd[0];
		k("epoll_not_epoll", kcmp(s, p, KCMP_EPOLL_TFD, pfd[0], (unsigned long)&slot));
		slot.efd = 99;
		k("epoll_efd_bad", kcmp(s, p, KCMP_EPOLL_TFD, pfd[0], (unsigned long)&slot));
		k("epoll_idx1_bad", kcmp(s, p, KCMP_EPOLL_TFD, 99, (unsigned long)&slot));
		k("epoll_slot_fault", kcmp(s, p, KCMP_EPOLL_TFD, pfd[0], 8));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	(void)me;
	return 0;
}
