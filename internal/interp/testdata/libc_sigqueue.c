/* rt_sigqueueinfo and rt_tgsigqueueinfo (kernel/signal.c) as this
 * machine's kernel checks them, a blocked real-time signal queued on a
 * child once per send and read back by a tracer's PTRACE_PEEKSIGINFO, and
 * a queued signal the child does not block delivered to its handler with
 * the sender's si_code. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/ptrace.h>

static void r(const char *name, long v)
{
	if (v < 0)
		printf("%s %s\n", name, strerror(errno));
	else
		printf("%s %ld\n", name, v);
	fflush(stdout);
}

static long sq(pid_t pid, int sig, siginfo_t *si) { return syscall(SYS_rt_sigqueueinfo, pid, sig, si); }
static long tgsq(pid_t tgid, pid_t tid, int sig, siginfo_t *si) { return syscall(SYS_rt_tgsigqueueinfo, tgid, tid, sig, si); }

static volatile int got_code, got_sig;

static void handler(int sig, siginfo_t *si, void *uc)
{
	got_sig = sig;
	got_code = si->si_code;
}

int main(void)
{
	siginfo_t si;
	int sync[2], status;
	sigset_t mask;

	memset(&si, 0, sizeof(si));
	sigemptyset(&mask);
	sigaddset(&mask, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	pipe(sync);
	pid_t c = fork();
	if (c == 0) {
		struct sigaction sa = {0};
		char b;
		sa.sa_sigaction = handler;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGUSR1, &sa, NULL);
		write(sync[1], "r", 1);
		while (!got_sig)
			usleep(1000);
		printf("child got %d code %d\n", got_sig, got_code);
		fflush(stdout);
		write(sync[1], "g", 1);
		for (;;)
			pause();
	}
	char b;
	read(sync[0], &b, 1);
	si.si_code = SI_USER;
	r("code_user", sq(c, SIGRTMIN, &si));
	si.si_code = SI_TKILL;
	r("code_tkill", sq(c, SIGRTMIN, &si));
	si.si_code = -1;
	r("sig_65", sq(c, 65, &si));
	r("nosuch", sq(99999, SIGRTMIN, &si));
	r("efault", sq(c, SIGRTMIN, (siginfo_t *)8));
	r("tg_zero", tgsq(0, c, SIGRTMIN, &si));
	r("tg_tid_zero", tgsq(c, 0, SIGRTMIN, &si));
	r("tg_other_tid", tgsq(c, getpid(), SIGRTMIN, &si));
	r("sig_0", sq(c, 0, &si));
	si.si_code = -3;
	si.si_int = 7;
	long usr1 = sq(c, SIGUSR1, &si);
	read(sync[0], &b, 1); /* the child has printed what it got */
	r("usr1", usr1);
	for (int i = 0; i < 3; i++) {
		si.si_code = -1;
		si.si_int = i;
		r("queue_shared", sq(c, SIGRTMIN, &si));
		si.si_code = -2;
		si.si_int = 10 + i;
		r("queue_thread", tgsq(c, c, SIGRTMIN, &si));
	}
	struct ptrace_peeksiginfo_args arg = {.off = 0, .flags = 0, .nr = 8};
	siginfo_t out[8];
	r("peek_untraced", ptrace(PTRACE_PEEKSIGINFO, c, &arg, out));
	r("attach", ptrace(PTRACE_ATTACH, c, 0, 0));
	r("wait_stop", waitpid(c, &status, 0) == c);
	r("peek_thread", ptrace(PTRACE_PEEKSIGINFO, c, &arg, out));
	for (int i = 0; i < 3; i++)
		printf("thread %d: signo %d code %d int %d\n", i, out[i].si_signo == SIGRTMIN, out[i].si_code, out[i].si_int);
	arg.flags = PTRACE_PEEKSIGINFO_SHARED;
	arg.off = 1;
	r("peek_shared_off1", ptrace(PTRACE_PEEKSIGINFO, c, &arg, out));
	printf("shared 0: code %d int %d\n", out[0].si_code, out[0].si_int);
	arg.off = 5;
	r("peek_past_end", ptrace(PTRACE_PEEKSIGINFO, c, &arg, out));
	arg.off = 0;
	arg.nr = -1;
	r("peek_nr_neg", ptrace(PTRACE_PEEKSIGINFO, c, &arg, out));
	arg.nr = 2;
	arg.flags = 2;
	r("peek_flags", ptrace(PTRACE_PEEKSIGINFO, c, &arg, out));
	arg.flags = 0;
	r("peek_efault", ptrace(PTRACE_PEEKSIGINFO, c, &arg, (void *)8));
	r("peek_arg_efault", ptrace(PTRACE_PEEKSIGINFO, c, (void *)8, out));
	r("kill", ptrace(PTRACE_KILL, c, 0, 0));
	r("wait_kill", waitpid(c, &status, 0) == c);
	printf("signaled %d sig %d\n", WIFSIGNALED(status), WTERMSIG(status));
	return 0;
}
