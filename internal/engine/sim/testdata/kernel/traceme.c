// traceme.c: PTRACE_TRACEME (kernel/ptrace.c's ptrace_traceme) and the
// signal-delivery stop of a traced child (get_signal's ptrace_signal), as
// this machine's kernel answers an unprivileged user (sim's TestTraceme
// asks the model the same). Each line is "name value": a call's return or
// its errno's name, a wait status in hex, or what the child did.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static void r(const char *name, long v) {
	if (v < 0)
		printf("%s %s\n", name, errno == EPERM ? "EPERM" : errno == EIO ? "EIO" : errno == ESRCH ? "ESRCH" : strerror(errno));
	else
		printf("%s %ld\n", name, v);
	fflush(stdout);
}

// w prints the status waitpid(c, options) reports, in hex; "none" for
// WNOHANG's 0.
static void w(const char *name, pid_t c, int options) {
	int status = 0;
	pid_t got = waitpid(c, &status, options);
	if (got == 0)
		printf("%s none\n", name);
	else if (got != c)
		printf("%s pid %d\n", name, got);
	else
		printf("%s %x\n", name, status);
	fflush(stdout);
}

// proc prints the value of a /proc/PID/status line, or all of wchan.
static void proc(const char *name, pid_t pid, const char *file, const char *label) {
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/%s", pid, file);
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("%s open failed\n", name);
		return;
	}
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	char *v = buf;
	if (label) {
		v = strstr(buf, label);
		v = v ? v + strlen(label) : "missing";
		v[strcspn(v, "\n")] = 0;
	}
	printf("%s %s\n", name, v);
	fflush(stdout);
}

static int tellfd = -1;

static void segv(int sig, siginfo_t *si, void *uc) {
	char v = si->si_code == SEGV_MAPERR && si->si_addr == 0 ? '7' : '8';
	if (tellfd >= 0)
		write(tellfd, &v, 1);
	_exit(v - '0');
}

// faulter is a child that asks to be traced and then faults (a store to
// NULL), its SIGSEGV handler exiting 7 for the fault's own siginfo.
static pid_t faulter(int report) {
	pid_t c = fork();
	if (c == 0) {
		long a = ptrace(PTRACE_TRACEME, 0, 0, 0);
		long b = ptrace(PTRACE_TRACEME, 0, 0, 0);
		if (report) {
			r("traceme", a);
			r("traceme_again", b);
		}
		struct sigaction act = {0};
		act.sa_flags = SA_SIGINFO;
		act.sa_sigaction = segv;
		sigaction(SIGSEGV, &act, NULL);
		*(volatile int *)0 = 1;
		_exit(9);
	}
	return c;
}

int main(void) {
	int p[2];
	pid_t c = faulter(1);
	w("wait_stopped", c, 0);
	w("wait_nohang_again", c, WNOHANG);
	proc("state", c, "status", "State:\t");
	proc("wchan", c, "wchan", NULL);
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/status", c);
	FILE *f = fopen(path, "r");
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	char *t = strstr(buf, "TracerPid:\t");
	printf("tracerpid_is_parent %d\n", t && atoi(t + 11) == getpid());
	r("cont_badsig", ptrace(PTRACE_CONT, c, 0, 65));
	r("cont_0", ptrace(PTRACE_CONT, c, 0, 0));
	w("wait_refault", c, 0);
	r("cont_segv", ptrace(PTRACE_CONT, c, 0, SIGSEGV));
	w("wait_handled", c, 0);

	c = faulter(0);
	w("wait_stopped2", c, 0);
	r("cont_usr1", ptrace(PTRACE_CONT, c, 0, SIGUSR1));
	w("wait_usr1", c, 0);

	c = faulter(0);
	w("wait_stopped3", c, 0);
	r("kill", ptrace(PTRACE_KILL, c, 0, 0));
	w("wait_killed", c, 0);

	c = faulter(0);
	w("wait_stopped4", c, 0);
	r("detach_segv", ptrace(PTRACE_DETACH, c, 0, SIGSEGV));
	w("wait_detached", c, 0);

	// A tracer's exit lets its stopped tracee go with the stop's signal:
	// the grandchild's handler runs (its tracer, the middle process, gone)
	// and tells the pipe.
	pipe(p);
	pid_t mid = fork();
	if (mid == 0) {
		close(p[0]);
		tellfd = p[1];
		pid_t g = faulter(0);
		int gs;
		waitpid(g, &gs, 0);
		_exit(WIFSTOPPED(gs) ? 0 : 1);
	}
	close(p[1]);
	w("wait_tracer", mid, 0);
	char b = '-';
	read(p[0], &b, 1);
	printf("orphan_handled %c\n", b);
	return 0;
}
