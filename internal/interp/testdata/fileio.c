#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	FILE *in = fopen(argv[1], "r");
	if (!in) { perror("fopen"); return 1; }
	char line[40];
	if (fgets(line, sizeof line, in))
		printf("first: %.20s\n", line);
	fseek(in, 0, SEEK_END);
	long size = ftell(in);
	rewind(in);
	char *buf = malloc(size);
	size_t n = fread(buf, 1, size, in);
	printf("size %ld read %zu feof %d c=%c\n", size, n, feof(in) != 0, buf[17]);
	fclose(in);

	FILE *out = fopen("copy.bin", "w+");
	fprintf(out, "header %d\n", 42);
	fwrite(buf, 1, 100, out);
	fputs("trailer\n", out);
	fflush(out);
	int fd = fileno(out);
	char *m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	printf("mapped: %.10s|%.5s\n", m, m + 10);
	munmap(m, 4096);
	fclose(out);
	if (fopen("nosuch.txt", "r") == NULL)
		perror("fopen nosuch");
	free(buf);
	return 0;
}
