/* Inline assembly a test suite reaches the kernel with: the syscall
 * instruction with register constraints and register variables (a failure
 * is -errno in rax, errno untouched), and a call into the vsyscall page. */
#include <stdio.h>
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>

static long raw6(long nr, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 asm("r10") = d;
	register long r8 asm("r8") = e;
	register long r9 asm("r9") = f;
	asm volatile ("syscall"
		: "=a" (ret)
		: "a" (nr), "D" (a), "S" (b), "d" (c), "r" (r10), "r" (r8), "r" (r9)
		: "rcx", "r11", "memory");
	return ret;
}

int main(void)
{
	long r;
	errno = 0;
	asm volatile ("syscall" : "=a" (r) : "0" (SYS_close), "D" (-1) : "rcx", "r11", "memory");
	printf("close(-1) = %ld, errno %d\n", r, errno);
	static const char msg[] = "hello from syscall\n";
	fflush(stdout);
	r = raw6(SYS_write, 1, (long)msg, sizeof(msg) - 1, 0, 0, 0);
	printf("write = %ld\n", r);
	char *p = (char *)raw6(SYS_mmap, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[4096] = 1;
	printf("mmap ok %d, page %d\n", p != MAP_FAILED, p[4096]);
	r = raw6(SYS_munmap, (long)p, 8192, 0, 0, 0, 0);
	printf("munmap = %ld\n", r);
	r = raw6(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE, -1, 0);
	printf("mmap bad fd = %ld\n", r);
	struct timeval tv = {0};
	uint64_t rax = 0xffffffffff600000;
	asm volatile ("call *%[rax]" : [rax] "+a" (rax) : "D" (&tv), "S" (NULL) : "rcx", "r11", "memory");
	printf("vsyscall gettimeofday = %ld, set %d\n", (long)rax, tv.tv_sec > 0);
	return 0;
}
