#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int g = 7;
const char *greeting = "hello";
int arr[4] = {1, 2, 3};

int main(int argc, char *argv[])
{
	printf("%s, world %d argc=%d argv1=%s\n", greeting, g, argc, argv[1]);
	printf("fib(20)=%d\n", fib(20));
	int sum = 0;
	for (int i = 0; i < 10; i++)
		sum += i * i;
	printf("sum=%d arr=%d,%d,%d,%d\n", sum, arr[0], arr[1], arr[2], arr[3]);
	unsigned char c = 250;
	c += 10;
	printf("c=%u %x %08lx %-5d| %5s| %p %p\n", c, -1, 255UL, 42, "ab", NULL, (void *)0x1000);
	char buf[32];
	for (int i = 0; i < 5; i++)
		buf[i] = 'a' + i;
	buf[5] = 0;
	puts(buf);
	int *p = malloc(10 * sizeof(int));
	for (int i = 0; i < 10; i++)
		p[i] = i * 3;
	printf("%d %ld %zu\n", p[9], (long)(&p[9] - &p[0]), sizeof(struct stat));
	free(p);
	long x = -7;
	printf("%ld %ld %lu\n", x / 2, x % 3, (unsigned long)x >> 60);
	return 3;
}
