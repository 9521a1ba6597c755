/* sscanf: the conversions programs parse /proc and arguments with. */
#include <stdio.h>

int main(void)
{
	unsigned long start, end, off;
	char perms[5], path[64] = "";
	int n = sscanf("7f12a000-7f12c000 rw-p 00001000 08:01 1234 /tmp/data.bin",
		       "%lx-%lx %4s %lx %*s %*d %63s", &start, &end, perms, &off, path);
	printf("%d: %lx %lx %s %lx %s\n", n, start, end, perms, off, path);
	int a, b, c;
	unsigned major, minor;
	printf("%d\n", sscanf("6.12.7-amd64", "%u.%u.", &major, &minor));
	printf("%u %u\n", major, minor);
	printf("%d\n", sscanf("  -42 0x1F 017", "%d %i %i", &a, &b, &c));
	printf("%d %d %d\n", a, b, c);
	char word[8], ch;
	int used;
	printf("%d\n", sscanf("VmRSS:\t  1234 kB", "VmRSS: %d %7s%n", &a, word, &used));
	printf("%d %s %d\n", a, word, used);
	printf("%d\n", sscanf("abc", "%d", &a));
	printf("%d\n", sscanf("", "%d", &a));
	printf("%d\n", sscanf("xyz-12", "%[a-z]-%d%c", word, &a, &ch));
	printf("%s %d\n", word, a);
	double d;
	float f;
	printf("%d\n", sscanf("2.5 1e3", "%lf %f", &d, &f));
	printf("%g %g\n", d, f);
	return 0;
}
