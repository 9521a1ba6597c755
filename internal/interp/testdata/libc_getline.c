/* getline grows a malloc'd buffer; mcheck fails without libc_malloc_debug. */
#include <mcheck.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	FILE *f = fopen("lines.txt", "w");
	fprintf(f, "short\n%0200d\nlast without newline", 7);
	fclose(f);
	f = fopen("lines.txt", "r");
	char *line = NULL;
	size_t n = 0;
	long len;
	while ((len = getline(&line, &n, f)) != -1)
		printf("%ld (buffer %zu): %.10s\n", len, n, line);
	free(line);
	fclose(f);
	printf("mcheck: %d\n", mcheck(NULL));
	mtrace();
	return 0;
}
