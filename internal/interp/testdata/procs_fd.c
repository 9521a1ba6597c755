/* The descriptor table and the calls on it: fcntl's F_GETFL/F_SETFL,
 * F_GETFD/F_SETFD, F_DUPFD(_CLOEXEC), F_DUPFD_QUERY, F_CREATED_QUERY;
 * dup, dup2, dup3; close_range with CLOSE_RANGE_CLOEXEC; OFD and POSIX
 * record locks; clone3 with CLONE_FILES (one table for both processes)
 * and CLONE_PIDFD; pidfd_open, pidfd_send_signal, poll on a pidfd,
 * waitid(P_PIDFD), pidfd_getfd, /proc/self/fdinfo. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sched.h>

#ifndef F_DUPFD_QUERY
#define F_DUPFD_QUERY 1027
#endif
#ifndef F_CREATED_QUERY
#define F_CREATED_QUERY 1028
#endif
#define CLOSE_RANGE_CLOEXEC 4

#define R(e) do { errno = 0; long r_ = (e); printf("%-50s = %ld %s\n", #e, r_, r_ < 0 ? strerror(errno) : ""); } while (0)

/* fdinfo prints the lines of /proc/self/fdinfo/fd but ino's and Pid's. */
static void fdinfo(int fd)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	int f = open(path, O_RDONLY);
	int n = read(f, buf, sizeof(buf) - 1);
	close(f);
	buf[n > 0 ? n : 0] = 0;
	printf("fdinfo:");
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
		if (strncmp(l, "ino:", 4) && strncmp(l, "Pid:", 4) && strncmp(l, "NSpid:", 6))
			printf(" [%s]", l);
		else if (strncmp(l, "Pid:\t-1", 7) == 0)
			printf(" [Pid -1]");
	printf("\n");
}

struct clone_args_v2 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

static void lock(int fd, int cmd, int type, long start, long len)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
	errno = 0;
	int r = fcntl(fd, cmd, &fl);
	printf("lock cmd %d type %d [%ld,+%ld): %d %s", cmd, type, start, len, r, r < 0 ? strerror(errno) : "");
	if (cmd == F_GETLK || cmd == F_OFD_GETLK)
		printf(" -> type %d start %ld len %ld pid %s", fl.l_type, (long)fl.l_start, (long)fl.l_len,
		       fl.l_pid == -1 ? "-1" : fl.l_pid == getpid() ? "self" : fl.l_pid == 0 ? "0" : "other");
	printf("\n");
}

int main(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC | O_APPEND | O_NONBLOCK);
	R(fcntl(fd, F_GETFL));
	R(fcntl(fd, F_GETFD));
	R(fcntl(fd, F_SETFL, O_NONBLOCK));
	R(fcntl(fd, F_GETFL));
	fdinfo(fd);
	int d = dup(fd);
	R(d);
	R(fcntl(d, F_GETFD));
	R(dup2(fd, fd));
	R(dup3(fd, fd, 0));
	R(dup3(fd, 20, 1));
	R(dup2(99, 20));
	R(dup2(fd, 99));
	R(fcntl(99, F_GETFD));
	R(dup3(fd, 98, O_CLOEXEC));
	R(fcntl(98, F_GETFD));
	R(fcntl(fd, F_DUPFD, 50));
	R(fcntl(fd, F_DUPFD_CLOEXEC, 50));
	R(fcntl(51, F_GETFD));
	R(fcntl(fd, F_DUPFD, -1));
	R(fcntl(fd, F_DUPFD, 1 << 30));
	R(dup2(fd, 1 << 30));
	R(fcntl(d, F_SETFD, 3));
	R(fcntl(d, F_GETFD));
	R(fcntl(fd, F_DUPFD_QUERY, d));
	R(fcntl(fd, F_DUPFD_QUERY, 0));
	R(fcntl(fd, F_DUPFD_QUERY, 500));
	R(fcntl(fd, F_CREATED_QUERY, 0));
	R(fcntl(fd, 9999, 0));
	R(fcntl(500, F_GETFD));
	int c = open("procs_fd.tmp", O_RDWR | O_CREAT | O_EXCL, 0600);
	R(fcntl(c, F_CREATED_QUERY, 0));
	int c2 = open("procs_fd.tmp", O_RDWR);
	R(fcntl(c2, F_CREATED_QUERY, 0));
	R(syscall(SYS_close_range, 5, 3, 0));
	R(syscall(SYS_close_range, 3, 5, 8));
	R(syscall(SYS_close_range, 500, 600, 0));
	R(syscall(SYS_close_range, 50, ~0U, CLOSE_RANGE_CLOEXEC));
	R(fcntl(50, F_GETFD));
	R(syscall(SYS_close_range, 50, ~0U, 0));
	R(fcntl(50, F_GETFD));
	R(fcntl(99, F_GETFD));

	/* Record locks: two open files of one file. */
	write(c, "0123456789", 10);
	lock(c, F_OFD_SETLK, F_RDLCK, 5, 3);
	lock(c2, F_OFD_GETLK, F_RDLCK, 5, 1);
	lock(c2, F_OFD_GETLK, F_WRLCK, 0, 0);
	lock(c, F_OFD_GETLK, F_UNLCK, 0, 0);
	lock(c2, F_OFD_GETLK, F_UNLCK, 0, 0);
	lock(c2, F_OFD_SETLK, F_WRLCK, 6, 1);
	lock(c2, F_OFD_SETLK, F_WRLCK, 8, 2);
	lock(c, F_OFD_SETLK, F_WRLCK, 4, 2);
	lock(c, F_OFD_SETLK, F_UNLCK, 0, 0);
	lock(c2, F_OFD_SETLK, F_WRLCK, 6, 1);
	lock(c, F_SETLK, F_WRLCK, 0, 4);
	lock(c, F_GETLK, F_WRLCK, 0, 0);
	lock(c2, F_OFD_GETLK, F_WRLCK, 0, 0);
	lock(c, F_GETLK, F_UNLCK, 0, 0);
	lock(fd, F_SETLK, 7, 0, 0);
	int ro = open("procs_fd.tmp", O_RDONLY);
	lock(ro, F_SETLK, F_WRLCK, 0, 1);
	close(ro); /* drops this process's POSIX locks on the file */
	lock(c2, F_OFD_GETLK, F_WRLCK, 0, 4);
	unlink("procs_fd.tmp");

	/* clone3 with CLONE_FILES: the child's close_range(CLOSE_RANGE_CLOEXEC)
	 * and dup2 are the parent's too. */
	struct clone_args_v2 args = {.flags = CLONE_FILES | CLONE_PIDFD, .exit_signal = SIGCHLD};
	int pidfd = -1;
	args.pidfd = (uintptr_t)&pidfd;
	fflush(stdout);
	pid_t pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid == 0) {
		syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
		dup2(fd, 77);
		_exit(5);
	}
	printf("clone3: %s, pidfd %s\n", pid > 0 ? "a child" : strerror(errno), pidfd > 0 ? "set" : "not set");
	R(fcntl(pidfd, F_GETFD));
	R(fcntl(pidfd, F_GETFL));
	struct pollfd pfd = {pidfd, POLLIN, 0};
	R(poll(&pfd, 1, -1));
	printf("revents %#x\n", pfd.revents);
	fdinfo(pidfd);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	R(syscall(SYS_waitid, P_PIDFD, pidfd, &si, WEXITED, NULL));
	printf("waitid: signo %d code %d pid %s status %d\n", si.si_signo, si.si_code,
	       ((int *)&si)[4] == pid ? "the child's" : "other", ((int *)&si)[6]);
	R(fcntl(fd, F_GETFD));
	R(fcntl(77, F_GETFD));
	R(poll(&pfd, 1, 0));
	printf("revents %#x\n", pfd.revents);
	fdinfo(pidfd);
	R(syscall(SYS_waitid, P_PIDFD, pidfd, &si, WEXITED, NULL));
	R(syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0));

	/* clone3's checks. */
	struct clone_args_v2 bad = {.exit_signal = 0x100};
	R(syscall(SYS_clone3, &bad, sizeof(bad)));
	bad.exit_signal = SIGCHLD;
	R(syscall(SYS_clone3, &bad, 56));
	R(syscall(SYS_clone3, &bad, 4097));
	bad.flags = SIGCHLD;
	R(syscall(SYS_clone3, &bad, sizeof(bad)));
	bad.flags = CLONE_NEWPID;
	R(syscall(SYS_clone3, &bad, 56));

	/* unshare: a table of one's own (the namespaces need privilege,
	 * which the native test run may have: not asked here). */
	R(unshare(CLONE_FILES));
	R(unshare(1));
	R(unshare(CLONE_FS | CLONE_SYSVSEM));

	/* pidfd_open and a child killed through it. */
	R(syscall(SYS_pidfd_open, -1, 0));
	R(syscall(SYS_pidfd_open, getpid(), 1));
	R(syscall(SYS_pidfd_open, 99999, 0));
	int self = syscall(SYS_pidfd_open, getpid(), 0);
	R(fcntl(self, F_GETFD));
	R(syscall(SYS_pidfd_send_signal, self, 0, NULL, 0));
	R(syscall(SYS_pidfd_send_signal, self, 0, NULL, 3));
	R(syscall(SYS_pidfd_send_signal, 0, 0, NULL, 0));
	R(syscall(SYS_pidfd_getfd, self, fd, 0));
	R(syscall(SYS_pidfd_getfd, self, 99, 0));
	R(syscall(SYS_pidfd_getfd, self, fd, 1));
	R(syscall(SYS_waitid, P_PIDFD, self, &si, WEXITED | WNOHANG, NULL));
	R(syscall(SYS_waitid, P_ALL, 0, &si, 0, NULL));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(3);
	}
	int cfd = syscall(SYS_pidfd_open, pid, 0);
	pfd.fd = cfd;
	R(poll(&pfd, 1, 0));
	R(syscall(SYS_pidfd_send_signal, cfd, SIGKILL, NULL, 0));
	R(poll(&pfd, 1, -1));
	printf("revents %#x\n", pfd.revents);
	int status;
	R(waitpid(pid, &status, 0) == pid);
	printf("killed by %d\n", WTERMSIG(status));
	R(syscall(SYS_pidfd_getfd, cfd, 0, 0));
	return 0;
}
