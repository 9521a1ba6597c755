#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

int main(void)
{
	const char *path = "/tmp/data/file.bin";
	char *dup = strdup(path);
	char *base = strrchr(dup, '/') + 1;
	for (char *q = base; *q; q++)
		*q = toupper(*q);
	printf("%s %zu %s\n", base, strnlen(path, 4), (char *)memchr(path, 'd', 18));
	int digits = 0, spaces = 0, alphas = 0;
	for (const char *s = "a1 b2\tc3\n"; *s; s++) {
		digits += isdigit(*s) != 0;
		spaces += isspace(*s) != 0;
		alphas += isalpha(*s) != 0;
	}
	printf("%d %d %d %c %d\n", digits, spaces, alphas, tolower('Q'), isxdigit('g') != 0);
	char *n = strndup("abcdef", 3);
	printf("%s\n", n);
	free(n);
	free(dup);
	return 0;
}
