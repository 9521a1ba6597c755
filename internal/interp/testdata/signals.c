/* Signal masks, pending signals, handlers' frames and the alternate
   signal stack, as glibc and Linux give them. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31) /* <linux/signal.h>'s; glibc 2.36 lacks it */
#endif

register unsigned long sp asm("rsp");

static int order[16], norder;
static char *alt;
static size_t altsize;
static sigjmp_buf env;

static void note(int sig)
{
	order[norder++] = sig;
}

static void show(const char *what)
{
	printf("%s:", what);
	for (int i = 0; i < norder; i++)
		printf(" %d", order[i]);
	printf("\n");
	norder = 0;
}

static unsigned long mask(void)
{
	sigset_t s;
	sigprocmask(SIG_BLOCK, NULL, &s);
	return *(unsigned long *)&s;
}

static void inmask(int sig)
{
	note(sig);
	printf("in handler %d: mask %lx\n", sig, mask());
}

static void onalt(int sig)
{
	stack_t st;
	sigaltstack(NULL, &st);
	printf("handler %d on the alternate stack: %d, flags %x\n", sig,
	       sp >= (unsigned long)alt && sp < (unsigned long)alt + altsize, st.ss_flags);
}

static void tojmp(int sig)
{
	note(sig);
	siglongjmp(env, sig);
}

int main(void)
{
	struct sigaction sa;
	sigset_t s;

	/* raise: the handler runs once, as raise returns. */
	signal(SIGUSR1, note);
	printf("raise %d\n", raise(SIGUSR1));
	show("raised");

	/* Blocked signals wait; unblocked, the lowest is delivered first and
	   its handler's frame is below the next one's, which runs first. */
	signal(SIGUSR2, note);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR2);
	kill(getpid(), SIGUSR1);
	raise(SIGUSR1);
	sigpending(&s);
	printf("pending %lx mask %lx\n", *(unsigned long *)&s, mask());
	show("while blocked");
	sigemptyset(&s);
	sigprocmask(SIG_SETMASK, &s, NULL);
	show("unblocked");

	/* A handler runs with its signal and sa_mask blocked; SA_NODEFER
	   leaves its signal unblocked; the mask is back when it returns. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = inmask;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	sa.sa_flags = SA_NODEFER | SA_RESETHAND;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	sigaction(SIGUSR2, NULL, &sa);
	printf("after SA_RESETHAND: %s, flags %x, mask %lx\n", sa.sa_handler == SIG_DFL ? "SIG_DFL" : "a handler",
	       sa.sa_flags, mask());
	show("masks");

	/* Ignored signals, and those whose default is to do nothing. */
	signal(SIGUSR2, SIG_IGN);
	raise(SIGUSR2);
	raise(SIGCHLD);
	raise(SIGWINCH);
	printf("ignored: still here\n");

	/* sigsuspend delivers a pending signal with its mask, then fails with EINTR. */
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR1);
	sigemptyset(&s);
	errno = 0;
	int r = sigsuspend(&s);
	printf("sigsuspend %d %s, mask %lx\n", r, strerror(errno), mask());
	show("suspended");

	/* siglongjmp out of a handler restores sigsetjmp's mask; longjmp
	   leaves the handler's signal blocked. */
	signal(SIGUSR2, tojmp);
	if (sigsetjmp(env, 1) == 0)
		raise(SIGUSR2);
	printf("after siglongjmp: mask %lx\n", mask());
	if (sigsetjmp(env, 0) == 0)
		raise(SIGUSR2);
	printf("after longjmp: mask %lx\n", mask());
	sigemptyset(&s);
	sigprocmask(SIG_SETMASK, &s, NULL);
	show("jumps");

	/* The alternate signal stack. */
	stack_t st;
	sigaltstack(NULL, &st);
	printf("initially: flags %x size %zu\n", st.ss_flags, st.ss_size);
	altsize = SIGSTKSZ;
	alt = mmap(NULL, altsize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	st.ss_sp = alt;
	st.ss_size = 1024;
	st.ss_flags = 0;
	errno = 0;
	r = sigaltstack(&st, NULL);
	printf("too small: %d %s\n", r, strerror(errno));
	st.ss_size = altsize;
	st.ss_flags = SS_AUTODISARM;
	printf("set: %d\n", sigaltstack(&st, NULL));
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onalt;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	sa.sa_flags = 0;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	sigaltstack(NULL, &st);
	/* SIGSTKSZ is four of the CPU's signal frames (AT_MINSIGSTKSZ), which
	   differ from CPU to CPU: print what holds on all of them. */
	printf("after: flags %x size is SIGSTKSZ: %d, four frames: %d\n", st.ss_flags,
	       st.ss_size == (size_t)SIGSTKSZ, (long)SIGSTKSZ == 4 * (long)getauxval(AT_MINSIGSTKSZ));

	/* A frame the alternate stack cannot hold is SIGSEGV. */
	st.ss_size = 2100;
	st.ss_flags = 0;
	sigaltstack(&st, NULL);
	signal(SIGSEGV, tojmp);
	if (sigsetjmp(env, 1) == 0)
		raise(SIGUSR1);
	show("too small a frame");

	/* A signal whose default ends the process ends it as raise returns. */
	signal(SIGTERM, SIG_DFL);
	fflush(stdout);
	raise(SIGTERM);
	printf("not reached\n");
	return 0;
}
