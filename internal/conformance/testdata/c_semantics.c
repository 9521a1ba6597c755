// title: the C the tutorials are written in: printf formats, integers, strings, struct stat
// files: data.bin="twelve bytes"
// args: one two
// engines: sim,real
// expect: exit 7
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SQUARE(x) ((x) * (x))
#define NAME "playground"

int fib(int n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(int argc, char *argv[])
{
	printf("argc %d, argv[1] %s, argv[2] %s, argv[argc] %p\n", argc, argv[1], argv[2], (void *)argv[argc]);
	printf("[%5d] [%-5d] [%05d] [%+d] [%x] [%X] [%#x] [%o] [%%] [%c]\n", 42, 42, 42, 42, 255, 255, 255, 8, 'A');
	printf("[%ld] [%lu] [%lld] [%zu] [%zd] [%hhd] [%hd]\n", -1L, (unsigned long)-1, 123456789012LL,
	       sizeof(long), (ssize_t)-5, (char)300, (short)70000);
	printf("[%s] [%10s] [%-10s] [%.3s] [%*d] [%-*d]\n", NAME, "right", "left", "truncate", 6, 7, 4, 8);
	printf("[%lx] [%016lx] [%u]\n", 0xdeadbeefUL, 0x1000UL, 3000000000U);
	printf("sizes: char %zu short %zu int %zu long %zu ptr %zu off_t %zu size_t %zu stat %zu\n",
	       sizeof(char), sizeof(short), sizeof(int), sizeof(long), sizeof(void *), sizeof(off_t),
	       sizeof(size_t), sizeof(struct stat));
	int neg = -7;
	unsigned int u = 0;
	u--;
	printf("-7/2 %d, -7%%2 %d, -7>>1 %d, u-- %u, (char)200 %d, (unsigned char)-1 %d\n", neg / 2, neg % 2,
	       neg >> 1, u, (char)200, (unsigned char)-1);
	int64_t big = INT64_MAX;
	uint8_t small = 250;
	small += 10;
	printf("INT64_MAX %ld, uint8 wraps to %d, SQUARE(3+1) %d, fib(15) %d\n", (long)big, small, SQUARE(3 + 1), fib(15));
	char buf[32];
	strcpy(buf, "hello");
	printf("strlen %zu, strcmp sign %d %d %d, memcmp sign %d\n", strlen(buf), strcmp(buf, "hello") == 0,
	       strcmp("a", "b") < 0, strcmp("b", "a") > 0, memcmp("ab", "ac", 2) < 0);
	int *arr = calloc(10, sizeof(int));
	for (int i = 0; i < 10; i++)
		arr[i] = i * i;
	int *q = arr + 3;
	printf("calloc'd: arr[9] %d, *q %d, q[-1] %d, q - arr %ld\n", arr[9], *q, q[-1], (long)(q - arr));
	free(arr);
	char *dup = malloc(8);
	memset(dup, 'z', 7);
	dup[7] = '\0';
	puts(dup);
	free(dup);
	struct stat sb;
	if (stat("data.bin", &sb) == 0)
		printf("stat: size %ld, regular %d, dir %d, mode %o\n", (long)sb.st_size, S_ISREG(sb.st_mode) != 0,
		       S_ISDIR(sb.st_mode) != 0, sb.st_mode & 0777);
	if (stat("missing", &sb) < 0)
		printf("stat missing: %s (errno %d)\n", strerror(errno), errno);
	int fd = open("data.bin", O_RDONLY);
	long end = lseek(fd, 0, SEEK_END);
	printf("lseek end %ld, then read %ld\n", end, (long)read(fd, buf, 4));
	printf("unlink %d\n", unlink("data.bin"));
	errno = 0;
	int again = open("data.bin", O_RDONLY);
	printf("then open %d (%s)\n", again, strerror(errno));
	printf("the open fd still reads %ld\n", (long)pread(fd, buf, 6, 0));
	fprintf(stderr, "to stderr %d\n", 1);
	errno = ENOENT;
	perror("perror says");
	switch (argc) {
	case 3:
		printf("switch: three\n");
		/* fall through */
	case 4:
		printf("switch: fell through\n");
		break;
	default:
		printf("switch: default\n");
	}
	int k = 0;
	do {
		k += 2;
		if (k == 4)
			continue;
	} while (k < 10);
	int comma = (k++, k);
	printf("k %d, ternary %s, comma %d\n", k, k > 5 ? "big" : "small", comma);
	putchar('!');
	putchar('\n');
	exit(7);
}
