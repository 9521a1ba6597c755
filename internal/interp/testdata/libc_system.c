/* system() and popen() run a shell in a child process: its reads show as
   the child's. glibc's system() does not flush stdout first. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

int main(int argc, char *argv[])
{
	printf("printed first, shown after the commands\n");
	int s = system("wc -c data.bin");
	printf("wc: %d\n", WEXITSTATUS(s));
	s = system("od -A x -t x1z -N 20 data.bin");
	s = system("grep -c 0 data.bin && grep nothing data.bin");
	printf("grep: %d\n", WEXITSTATUS(s));
	s = system("no-such-command -x 2>/dev/null; cat missing.txt; head -n 2 data.bin | wc -l");
	printf("list: %d\n", WEXITSTATUS(s));
	s = system("frobnicate data.bin");
	printf("frobnicate: %d\n", WEXITSTATUS(s));
	FILE *p = popen("od -c -N 8 data.bin", "r");
	char line[128];
	while (fgets(line, sizeof line, p))
		printf("| %s", line);
	printf("pclose: %d\n", WEXITSTATUS(pclose(p)));
	p = popen("wc -w", "w");
	fprintf(p, "three little words\n");
	printf("pclose: %d\n", WEXITSTATUS(pclose(p)));
	printf("system(NULL): %d\n", system(NULL) != 0);
	return 0;
}
