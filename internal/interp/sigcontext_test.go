package interp

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestHandlerMovesRIP: a handler that sets RIP in its frame is taken at
// its word where the model has an instruction there. At a call through a
// pointer that faulted (RIP the called address), the call goes to the
// function RIP now names, with the call's arguments, and returns to the
// caller; elsewhere RIP is the running function's and the interpreter has
// no instruction to resume at, so the run stops and says so.
func TestHandlerMovesRIP(t *testing.T) {
	const prelude = `#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ucontext.h>
static long twice(long x) { return 2 * x; }
int main(void);
static void segv(int sig, siginfo_t *si, void *p)
{
	ucontext_t *uc = p;
	long rip = uc->uc_mcontext.gregs[REG_RIP];
	fprintf(stderr, "fault at %p, RIP the address %d, main's %d, one past main's %d\n", si->si_addr,
		rip == (long)si->si_addr, rip == (long)main, rip == (long)main + 1);
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)twice;
}
int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
`
	t.Run("at a call", func(t *testing.T) {
		r := runProgram(t, prelude+`	long (*fp)(long) = (long (*)(long))0x10000;
	printf("%ld\n", fp(21));
	return 0;
}
`, nil, nil)
		assert.Equal(t, "fault at 0x10000, RIP the address 1, main's 0, one past main's 0\n", r.stderr)
		assert.Equal(t, "42\n", r.stdout)
		assert.Equal(t, 0, r.exit.Status, r.exit.Err)
	})
	t.Run("at a load", func(t *testing.T) {
		r := runProgram(t, prelude+`	printf("%d\n", *(volatile int *)0x10000);
	return 0;
}
`, nil, nil)
		assert.Equal(t, "fault at 0x10000, RIP the address 0, main's 0, one past main's 1\n", r.stderr)
		assert.Contains(t, r.exit.Err, "the signal handler moved RIP to 0x")
		assert.Contains(t, r.exit.Err, "the interpreter resumes a handler's return at the instruction it interrupted")
	})
}
