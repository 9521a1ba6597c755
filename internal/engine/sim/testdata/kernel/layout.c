// layout.c: where this machine's kernel and glibc put a program's areas
// with address randomisation off (run under setarch -R). sim's
// TestLayoutMatchesKernel makes the same calls on the model and compares
// every address and every line of /proc/self/maps. Nothing here may call
// malloc before the maps are read (stdio would make a [heap]).
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PG 4096UL
#define M (1UL << 20)

static char out[1 << 16];
static int n;

static void put(const char *name, void *p) { n += snprintf(out + n, sizeof out - n, "addr %s %p\n", name, p); }

int main(void) {
	int fd = open("big.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
	ftruncate(fd, 4 * M);
	char *a = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	put("one_page", a);
	char *b = mmap(NULL, M, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	put("one_mib", b);
	b[0] = 1;
	char *c = mremap(b, M, 2 * M, MREMAP_MAYMOVE);
	put("mremap_two_mib", c);
	put("read_only_two_pages", mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	put("anon_two_mib", mmap(NULL, 2 * M, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	put("file_four_mib", mmap(NULL, 4 * M, PROT_READ, MAP_SHARED, fd, 0));
	put("shared_anon_two_mib", mmap(NULL, 2 * M, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
	put("anon_three_mib", mmap(NULL, 3 * M, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	munmap(a, PG);
	put("after_munmap", mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	put("hint_low", mmap((void *)0x10000000, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	put("brk_start", sbrk(0));
	sbrk(64 * 1024);
	put("brk_after", sbrk(0));
	int m = open("/proc/self/maps", O_RDONLY);
	static char maps[1 << 16];
	long k = 0, r;
	while ((r = read(m, maps + k, sizeof maps - k)) > 0) k += r;
	close(m);
	write(1, out, n);
	for (char *l = strtok(maps, "\n"); l; l = strtok(NULL, "\n")) printf("maps %s\n", l);
	return 0;
}
