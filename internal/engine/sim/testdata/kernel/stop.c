// stop.c: stopping and continuing a process (SIGSTOP, SIGTSTP, SIGCONT)
// and what its parent's wait4 and waitid report, as this machine's kernel
// does it (sim's TestStopContinue makes the same calls on the model). Each
// line is "name value". Every report is waited for, so the order is the
// kernel's, not the scheduler's.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int pfd[2];

static const char *e(void) {
	switch (errno) {
	case EINVAL: return "EINVAL";
	case ECHILD: return "ECHILD";
	case EAGAIN: return "EAGAIN";
	}
	return strerror(errno);
}

// child makes a child that stops itself first when self is set, then
// waits on the pipe: one that stopped itself exits with 3 once its parent
// writes a byte (after it has seen the continue: a child that exited
// first would leave a WCONTINUED-only wait nothing to report, ever).
static pid_t child(int self) {
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		if (self) {
			kill(getpid(), SIGSTOP);
			read(pfd[0], &c, 1);
			_exit(3);
		}
		read(pfd[0], &c, 1);
		_exit(4);
	}
	return pid;
}

// waitid's report: "code:status" and the pid's match, or "none".
static void wid(const char *name, pid_t pid, int options) {
	siginfo_t si;
	memset(&si, 0, sizeof si);
	if (waitid(P_PID, pid, &si, options) != 0) {
		printf("%s %s\n", name, e());
		return;
	}
	if (si.si_pid == 0) {
		printf("%s none\n", name);
		return;
	}
	printf("%s %d:%d:%s:%d\n", name, si.si_code, si.si_status, si.si_pid == pid ? "pid" : "other", si.si_signo);
}

// w4's report: the status in hex and whether the pid came back, or 0.
static void w4(const char *name, pid_t pid, int options) {
	int st = 0;
	pid_t r = wait4(pid, &st, options, NULL);
	if (r < 0)
		printf("%s %s\n", name, e());
	else if (r == 0)
		printf("%s none\n", name);
	else
		printf("%s %x:%s\n", name, st, r == pid ? "pid" : "other");
}

static void state(const char *name, pid_t pid) {
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "State:", 6) == 0) {
			line[strcspn(line, "\n")] = 0;
			printf("%s %s\n", name, line + 7);
		}
	if (f)
		fclose(f);
}

int main(void) {
	pipe(pfd);
	// A stops itself.
	pid_t a = child(1);
	wid("self_stop_nowait", a, WSTOPPED | WNOWAIT);
	state("self_stop_state", a);
	w4("self_stop_wait4", a, WUNTRACED);
	w4("self_stop_wait4_again", a, WUNTRACED | WNOHANG);
	wid("self_stop_waitid_again", a, WSTOPPED | WNOHANG);
	wid("self_stop_not_continued", a, WCONTINUED | WNOHANG);
	w4("self_stop_exited_only", a, WNOHANG);
	kill(a, SIGSTOP);
	wid("self_stop_stopped_again", a, WSTOPPED | WNOHANG);
	kill(a, SIGCONT);
	wid("self_stop_continued", a, WCONTINUED);
	wid("self_stop_continued_again", a, WCONTINUED | WNOHANG);
	write(pfd[1], "a", 1);
	w4("self_stop_exit", a, 0);

	// B is stopped by its parent with SIGTSTP.
	pid_t b = child(0);
	kill(b, SIGTSTP);
	wid("tstp", b, WSTOPPED);
	state("tstp_state", b);
	kill(b, SIGCONT);
	w4("tstp_wait4_continued", b, WCONTINUED);
	w4("tstp_wait4_continued_again", b, WCONTINUED | WNOHANG);
	kill(b, SIGCONT);
	w4("cont_running", b, WCONTINUED | WNOHANG);
	kill(b, SIGKILL);
	w4("tstp_killed", b, 0);

	// C is sent SIGTERM while stopped: it stays pending (a stopped task
	// wants no signal but SIGKILL) until SIGCONT, which it dies of.
	pid_t c = child(0);
	kill(c, SIGSTOP);
	wid("term_stop", c, WSTOPPED | WNOWAIT);
	kill(c, SIGTERM);
	w4("term_pending", c, WNOHANG);
	state("term_pending_state", c);
	kill(c, SIGCONT);
	w4("term_after_cont", c, 0);

	// D is stopped and continued before its parent looks.
	pid_t d = child(0);
	kill(d, SIGSTOP);
	wid("both_stop", d, WSTOPPED | WNOWAIT);
	kill(d, SIGCONT);
	wid("both_stop_gone", d, WSTOPPED | WNOHANG);
	wid("both_continued", d, WCONTINUED | WNOHANG | WNOWAIT);
	wid("both_continued_kept", d, WCONTINUED | WNOHANG);
	wid("both_continued_taken", d, WCONTINUED | WNOHANG);
	kill(d, SIGKILL);
	wid("both_killed", d, WEXITED);

	// The options each call takes.
	pid_t f = child(0);
	w4("wait4_wexited", f, WEXITED | WNOHANG);
	w4("wait4_wnowait", f, WNOWAIT | WNOHANG);
	w4("wait4_bad", f, 0x10000 | WNOHANG);
	wid("waitid_no_kind", f, WNOHANG);
	// A PIDFD_NONBLOCK pidfd's waitid: EAGAIN for a child with nothing to
	// report, WNOHANG's 0 when asked.
	int pidfd = syscall(SYS_pidfd_open, f, O_NONBLOCK);
	siginfo_t si;
	si.si_pid = 1;
	printf("pidfd_nonblock %s\n", waitid(P_PIDFD, pidfd, &si, WEXITED) == 0 ? "OK" : e());
	printf("pidfd_nonblock_info %d\n", si.si_pid);
	printf("pidfd_nonblock_wnohang %s\n", waitid(P_PIDFD, pidfd, &si, WEXITED | WNOHANG) == 0 ? "OK" : e());
	kill(f, SIGKILL);
	w4("f_killed", f, 0);
	return 0;
}
