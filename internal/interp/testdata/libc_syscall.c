/* syscall(2) by number, as <sys/syscall.h> numbers the calls. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	printf("pid matches: %d\n", syscall(SYS_getpid) == getpid());
	fflush(stdout);
	syscall(SYS_write, STDOUT_FILENO, "written by number\n", 18);
	char *p = (char *)syscall(__NR_mmap, NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	strcpy(p, "mapped");
	unsigned char vec[2];
	syscall(SYS_mincore, p, 2 * 4096, vec);
	printf("%s %d %d\n", p, vec[0] & 1, vec[1] & 1);
	long r = syscall(SYS_munmap, p + 1, 4096);
	printf("unaligned munmap: %ld %s\n", r, strerror(errno));
	printf("munmap: %ld\n", syscall(SYS_munmap, p, 2 * 4096));
	return 0;
}
