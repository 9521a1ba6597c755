#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>

static char *page;

static void on_segv(int sig, siginfo_t *info, void *ctx)
{
	printf("caught %d code %d at offset %ld\n", sig, info->si_code, (long)((char *)info->si_addr - page));
	fflush(stdout);
	mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

static void on_fpe(int sig)
{
	printf("caught SIGFPE %d\n", sig);
	exit(3);
}

int main(void)
{
	struct sigaction sa;
	sa.sa_sigaction = on_segv;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGSEGV, &sa, NULL) == -1) { perror("sigaction"); return 1; }
	page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	page[100] = 'x';
	printf("write went through after the handler: %c\n", page[100]);
	signal(SIGFPE, on_fpe);
	volatile int zero = 0;
	printf("%d\n", 10 / zero);
	return 0;
}
