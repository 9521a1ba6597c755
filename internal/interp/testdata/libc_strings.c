/* The searching and splitting functions of <string.h>. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <strings.h>

int main(void)
{
	char line[] = "7f00-7f10 rw-p 00000000 00:00 0   [heap]";
	char *save, *tok;
	for (tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		printf("[%s]", tok);
	printf("\n");
	char list[] = "a,,b,c";
	char *s = list, *f;
	while ((f = strsep(&s, ",")) != NULL)
		printf("<%s>", f);
	printf("\n");
	char words[] = "  one two  three ";
	for (tok = strtok(words, " "); tok; tok = strtok(NULL, " "))
		printf("{%s}", tok);
	printf("\n");
	const char hay[] = "xxabcabc";
	printf("%ld %ld\n", (char *)memmem(hay, 8, "cab", 3) - hay, (char *)memrchr(hay, 'a', 8) - hay);
	printf("%zu %zu %s\n", strspn("12345abc", "0123456789"), strcspn("hello, world", ",;"), strpbrk("key=value", "=:"));
	printf("%d %d %d\n", strcasecmp("MMap", "mmAP") == 0, strncasecmp("ABCd", "abce", 3) == 0, strcasecmp("a", "B") < 0);
	char buf[32];
	printf("%s|%s\n", buf, stpcpy(stpcpy(buf, "mm"), "ap") - 4);
	printf("%s\n", strsignal(11));
	return 0;
}
