/* When the kernel merges adjacent anonymous mappings into one area: prints
   how many /proc/self/maps lines cover two adjacent 4-page mappings in each
   case. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#define PAGE 4096L

static int areas(char *lo, char *hi) {
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int n = 0;
	while (fgets(line, sizeof line, f)) {
		unsigned long s, e;
		sscanf(line, "%lx-%lx", &s, &e);
		if (e > (uintptr_t)lo && s < (uintptr_t)hi)
			n++;
	}
	fclose(f);
	return n;
}

static void pair(const char *what, int prot2, int touch_first, int name) {
	char *a = mmap(NULL, 8 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(a, 8 * PAGE); /* a free hole of 8 pages */
	char *p = mmap(a, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (touch_first)
		p[0] = 1;
	if (name && prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, p, 4 * PAGE, "first") != 0)
		what = "same protection, naming refused (no CONFIG_ANON_VMA_NAME):";
	char *q = mmap(a + 4 * PAGE, 4 * PAGE, prot2, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	printf("%-45s %d area(s)\n", what, areas(a, a + 8 * PAGE));
	munmap(p, 4 * PAGE);
	munmap(q, 4 * PAGE);
}

int main(void) {
	pair("same protection:", PROT_READ | PROT_WRITE, 0, 0);
	pair("same protection, first one touched:", PROT_READ | PROT_WRITE, 1, 0);
	pair("different protection:", PROT_READ, 0, 0);
	pair("same protection, first one named:", PROT_READ | PROT_WRITE, 0, 1);
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(p + PAGE, PAGE, PROT_READ);
	printf("%-45s %d area(s)\n", "mprotect of the second page:", areas(p, p + 4 * PAGE));
	mprotect(p + PAGE, PAGE, PROT_READ | PROT_WRITE);
	printf("%-45s %d area(s)\n", "protection restored:", areas(p, p + 4 * PAGE));
	return 0;
}
