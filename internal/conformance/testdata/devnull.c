// title: /dev/null has no mmap handler: ENODEV
// engines: sim,real
// expect: exit 0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

int main(void)
{
	int n = open("/dev/null", O_RDWR);
	char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, n, 0);
	printf("mmap of /dev/null: %s\n", p == MAP_FAILED ? strerror(errno) : "mapped");
	return 0;
}
