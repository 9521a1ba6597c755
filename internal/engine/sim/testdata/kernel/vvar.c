/* Which pages of the vDSO's data areas a read reaches: for each page of
 * [vvar] and [vvar_vclock], write(2) of its first byte into a pipe (the
 * kernel's read of it: 1, or -1 EFAULT where the fault handler has no
 * page), and the random generator's is_ready byte (vdso_k_rng_data). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512], name[64];
	unsigned long s, e;
	int p[2];
	char c;

	if (!f || pipe(p))
		return 1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %63s", &s, &e, name) != 3 ||
		    strncmp(name, "[vvar", 5))
			continue;
		for (unsigned long a = s; a < e; a += 4096) {
			long r = write(p[1], (void *)a, 1);
			printf("%s %lu %ld %s\n", name, (a - s) / 4096, r, r < 0 ? strerror(errno) : "");
			if (r == 1)
				read(p[0], &c, 1);
		}
		if (!strcmp(name, "[vvar]"))
			printf("is_ready %d\n", *(unsigned char *)(s + 2 * 4096 + 8));
	}
	return 0;
}
