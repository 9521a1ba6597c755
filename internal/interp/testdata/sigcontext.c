/* The signal frame an SA_SIGINFO handler is given: the ucontext_t with
 * the fault's error code, trap number and CR2, the flags, the mask, and
 * the instruction pointer where it says which function is running; and
 * what the handler's return takes back from it (RIP, the flags' TF, the
 * mask). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ucontext.h>
#include <unistd.h>

static sigjmp_buf jb;
static volatile int expect_jump;
static volatile long got_err, got_trapno, got_code, got_cr2_is_addr, got_rip_is_addr;
static volatile long got_masked, got_oldmask_ok, got_link, got_ssflags, got_ucflags, got_csgsfs;
static volatile unsigned long got_rip, got_addr, got_cr2;

static void segv(int sig, siginfo_t *si, void *p)
{
	ucontext_t *uc = p;
	got_err = uc->uc_mcontext.gregs[REG_ERR];
	got_trapno = uc->uc_mcontext.gregs[REG_TRAPNO];
	got_code = si->si_code;
	got_addr = (unsigned long)si->si_addr;
	got_cr2 = uc->uc_mcontext.gregs[REG_CR2];
	got_rip = uc->uc_mcontext.gregs[REG_RIP];
	got_masked = sigismember(&uc->uc_sigmask, SIGUSR1);
	got_oldmask_ok = uc->uc_mcontext.gregs[REG_OLDMASK] == *(long *)&uc->uc_sigmask;
	got_link = uc->uc_link != NULL;
	got_ssflags = uc->uc_stack.ss_flags;
	got_ucflags = uc->uc_flags & 6;
	got_csgsfs = uc->uc_mcontext.gregs[REG_CSGSFS];
	siglongjmp(jb, 1);
}

static void report(const char *what)
{
	printf("%-28s code %ld trapno %ld err %#lx cr2==addr %d\n", what, got_code, got_trapno, got_err,
	       got_cr2 == got_addr);
}

static void fault(const char *what, volatile char *addr, int write)
{
	if (sigsetjmp(jb, 1) == 0) {
		if (write)
			*addr = 1;
		else
			(void)*addr;
		printf("%-28s no fault\n", what);
		return;
	}
	report(what);
}

static void call(const char *what, void *addr)
{
	if (sigsetjmp(jb, 1) == 0) {
		((void (*)(void))addr)();
		printf("%-28s no fault\n", what);
		return;
	}
	report(what);
	printf("%-28s rip==addr %d\n", "", got_rip == got_addr);
}

static int fallback(int x) { return x + 1; }

static void moverip(int sig, siginfo_t *si, void *p)
{
	ucontext_t *uc = p;
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)fallback;
}

static void usr1(int sig, siginfo_t *si, void *p)
{
	ucontext_t *uc = p;
	sigaddset(&uc->uc_sigmask, SIGUSR2);
	printf("SIGUSR1: siginfo %ld past the ucontext, which is %ld-aligned, below RSP %d\n", (long)((char *)si - (char *)uc),
	       ((unsigned long)uc & 15) ? 8L : 16L, (unsigned long)uc->uc_mcontext.gregs[REG_RSP] > (unsigned long)uc + 448);
	printf("SIGUSR1: trapno %lld err %#llx (the thread's last fault's)\n",
	       (long long)uc->uc_mcontext.gregs[REG_TRAPNO], (long long)uc->uc_mcontext.gregs[REG_ERR]);
}

static volatile int traps, traps_at_f, traps_in_vsyscall, traps_tf_clear, trap_ok = 1, stop_after;

static void sigtrap(int sig, siginfo_t *si, void *p)
{
	ucontext_t *uc = p;
	unsigned long ip = uc->uc_mcontext.gregs[REG_RIP];
	traps++;
	if ((void *)ip == (void *)fallback)
		traps_at_f++;
	if ((ip & ~0xfffUL) == 0xffffffffff600000UL)
		traps_in_vsyscall++;
	/* The last trap follows the popf that cleared TF: its flags have none. */
	if (!(uc->uc_mcontext.gregs[REG_EFL] & 0x100))
		traps_tf_clear++;
	if (si->si_code != TRAP_TRACE || uc->uc_mcontext.gregs[REG_TRAPNO] != 1 || uc->uc_mcontext.gregs[REG_ERR] != 0 ||
	    (unsigned long)si->si_addr != ip || (__builtin_ia32_readeflags_u64() & 0x100))
		trap_ok = 0;
	if (stop_after && traps >= stop_after)
		uc->uc_mcontext.gregs[REG_EFL] &= ~0x100UL;
}

static void handle(int sig, void (*h)(int, siginfo_t *, void *))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = h;
	sa.sa_flags = SA_SIGINFO;
	sigaction(sig, &sa, NULL);
}

int main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	sigset_t m;
	handle(SIGSEGV, segv);

	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigprocmask(SIG_BLOCK, &m, NULL);

	char *gone = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(gone, pg);
	fault("read unmapped", gone, 0);
	printf("  mask kept %ld oldmask %ld link %ld ss_flags %ld uc_flags %#lx csgsfs %#lx\n", got_masked,
	       got_oldmask_ok, got_link, got_ssflags, got_ucflags, got_csgsfs);
	fault("write unmapped", gone, 1);

	char *ro = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fault("write read-only, untouched", ro, 1);
	(void)*(volatile char *)ro;
	fault("write read-only, present", ro, 1);

	char *none = mmap(NULL, pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fault("read PROT_NONE", none, 0);
	fault("write PROT_NONE", none, 1);
	char *was = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	*was = 1;
	mprotect(was, pg, PROT_NONE);
	fault("read PROT_NONE, was present", was, 0);

	fault("read [vsyscall]", (char *)0xffffffffff600000UL, 0);
	fault("write [vsyscall]", (char *)0xffffffffff600000UL, 1);
	fault("read kernel address", (char *)0xffff888000000000UL, 0);
	fault("read non-canonical", (char *)0x0000800000000000UL, 0);
	fault("read top of user space", (char *)0x00007ffffffff000UL, 0);

	call("call NULL", NULL);
	call("call data page", was + 0);
	char *rw = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	call("call data page, untouched", rw);

	/* The handler moves RIP to another function: the call goes there. */
	handle(SIGSEGV, moverip);
	int (*fp)(int) = NULL;
	int r = fp(41);
	printf("call NULL, RIP moved to fallback: %d\n", r);

	/* The mask the handler's return restores is uc_sigmask's. */
	sigprocmask(SIG_UNBLOCK, &m, NULL);
	handle(SIGUSR1, usr1);
	raise(SIGUSR1);
	sigprocmask(SIG_SETMASK, NULL, &m);
	printf("after SIGUSR1's handler: SIGUSR2 blocked %d\n", sigismember(&m, SIGUSR2));

	/* TF: a SIGTRAP after each instruction until it is cleared. */
	handle(SIGTRAP, sigtrap);
	__builtin_ia32_writeeflags_u64(__builtin_ia32_readeflags_u64() | 0x100);
	r = fallback(1);
	__builtin_ia32_writeeflags_u64(__builtin_ia32_readeflags_u64() & ~0x100UL);
	printf("TF: traps %d, at fallback's entry %d, without TF %d, frames ok %d, r %d\n", traps > 3, traps_at_f,
	       traps_tf_clear, trap_ok, r);

	traps = traps_at_f = traps_tf_clear = 0;
	__builtin_ia32_writeeflags_u64(__builtin_ia32_readeflags_u64() | 0x100);
	long t = ((long (*)(long *))0xffffffffff600400UL)(NULL);
	__builtin_ia32_writeeflags_u64(__builtin_ia32_readeflags_u64() & ~0x100UL);
	printf("TF over vsyscall time: traps in [vsyscall] %d, without TF %d, frames ok %d, time %d\n", traps_in_vsyscall,
	       traps_tf_clear, trap_ok, t > 0);

	traps = 0;
	stop_after = 1;
	__builtin_ia32_writeeflags_u64(__builtin_ia32_readeflags_u64() | 0x100);
	r = fallback(2);
	r = fallback(r);
	printf("TF cleared in the frame by the first trap's handler: traps %d, TF now %d\n", traps,
	       !!(__builtin_ia32_readeflags_u64() & 0x100));

	raise(SIGUSR1);
	return 0;
}
