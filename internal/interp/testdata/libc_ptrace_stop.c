/* A traced child's signal-delivery stops (kernel/signal.c's get_signal,
 * ptrace_signal): a fault's SIGSEGV and a raised SIGUSR1 stop the child,
 * its tracer's waitpid reports the stop, and the signal PTRACE_CONT passes
 * is the one the child takes (0: none, and a fault faults again). Then a
 * child that unmapped its whole address space (the return from munmap
 * faults), seen stopped: its /proc files of an empty mm (maps,
 * smaps_rollup, statm, status' sizes). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int got;

static void segv(int sig, siginfo_t *si, void *uc)
{
	_exit(si->si_code == SEGV_MAPERR && si->si_addr == 0 ? 7 : 8);
}

static void usr1(int sig) { got = sig; }

static void status(const char *name, pid_t c)
{
	int s = 0;
	pid_t w = waitpid(c, &s, 0);
	if (w != c)
		printf("%s: waitpid %d, errno %d\n", name, w, errno);
	else if (WIFSTOPPED(s))
		printf("%s: stopped by %s\n", name, strsignal(WSTOPSIG(s)));
	else if (WIFSIGNALED(s))
		printf("%s: killed by %s\n", name, strsignal(WTERMSIG(s)));
	else
		printf("%s: exited %d\n", name, WEXITSTATUS(s));
}

static void show(pid_t c, const char *file)
{
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/%s", c, file);
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		printf("%s: %s\n", file, strerror(errno));
		return;
	}
	ssize_t n = read(fd, buf, sizeof buf);
	close(fd);
	printf("%s (%zd bytes):\n%.*s", file, n, (int)(n > 0 ? n : 0), buf);
}

/* status prints the lines of /proc/PID/status about an address space's
 * sizes now (not its high-water marks). */
static void vm(pid_t c)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", c);
	FILE *f = fopen(path, "r");
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "VmSize", 6) || !strncmp(line, "VmRSS", 5) || !strncmp(line, "Rss", 3) ||
		    !strncmp(line, "VmData", 6) || !strncmp(line, "VmStk", 5) || !strncmp(line, "VmExe", 5) ||
		    !strncmp(line, "VmLib", 5) || !strncmp(line, "VmPTE", 5) || !strncmp(line, "VmSwap", 6) ||
		    !strncmp(line, "State", 5))
			fputs(line, stdout);
	fclose(f);
}

static pid_t traced(int how)
{
	fflush(stdout);
	pid_t c = fork();
	if (c != 0)
		return c;
	if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0)
		_exit(20);
	if (ptrace(PTRACE_TRACEME, 0, 0, 0) != -1 || errno != EPERM)
		_exit(21);
	struct sigaction act = {0};
	act.sa_flags = SA_SIGINFO;
	act.sa_sigaction = segv;
	sigaction(SIGSEGV, &act, NULL);
	signal(SIGUSR1, usr1);
	switch (how) {
	case 0:
		*(volatile int *)0 = 1;
		_exit(9);
	case 1:
		raise(SIGUSR1);
		_exit(got == SIGUSR1 ? 5 : 6);
	default:
		munmap(NULL, ((size_t)1 << 47) - 4096);
		_exit(9);
	}
}

int main(void)
{
	pid_t c = traced(0);
	status("fault", c);
	printf("cont 0: %ld\n", ptrace(PTRACE_CONT, c, 0, 0));
	status("fault again", c);
	printf("cont SIGSEGV: %ld\n", ptrace(PTRACE_CONT, c, 0, SIGSEGV));
	status("handled", c);

	c = traced(1);
	status("raise", c);
	printf("cont SIGUSR1: %ld\n", ptrace(PTRACE_CONT, c, 0, SIGUSR1));
	status("raise handled", c);
	c = traced(1);
	status("raise", c);
	printf("cont 0: %ld\n", ptrace(PTRACE_CONT, c, 0, 0));
	status("raise discarded", c);
	c = traced(0);
	status("fault", c);
	printf("cont SIGTERM: %ld\n", ptrace(PTRACE_CONT, c, 0, SIGTERM));
	status("terminated", c);

	c = traced(2);
	status("unmapped everything", c);
	show(c, "maps");
	show(c, "smaps_rollup");
	show(c, "statm");
	vm(c);
	printf("kill: %ld\n", ptrace(PTRACE_KILL, c, 0, 0));
	status("killed", c);
	return 0;
}
