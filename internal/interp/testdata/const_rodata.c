/* Const objects are in .rodata, as gcc lays them out: the third area of
 * the image (after the headers and the text), where a write is SIGSEGV;
 * the other globals in .data. */
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <setjmp.h>
const char somestr[4096] = {"READONLY"};
const int table[4] = {1, 2, 3, 4};
int data = 5;
static sigjmp_buf jb;
static void segv(int s) { siglongjmp(jb, 1); }
int main(void)
{
	static const long local = 42;
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int i = 0;
	unsigned long s, e;
	while (fgets(line, sizeof line, f) && i < 5) {
		sscanf(line, "%lx-%lx", &s, &e);
		printf("area %d %.4s:%s%s%s%s\n", i++, line + strcspn(line, " ") + 1,
		       (unsigned long)somestr >= s && (unsigned long)somestr < e ? " somestr" : "",
		       (unsigned long)table >= s && (unsigned long)table < e ? " table" : "",
		       (unsigned long)&local >= s && (unsigned long)&local < e ? " local" : "",
		       (unsigned long)&data >= s && (unsigned long)&data < e ? " data" : "");
	}
	signal(SIGSEGV, segv);
	if (sigsetjmp(jb, 1) == 0) {
		*(char *)somestr = 'A';
		printf("wrote somestr\n");
	} else
		printf("SIGSEGV writing somestr\n");
	printf("%s %d %ld\n", somestr, table[2], local);
	return 0;
}
