/* dl_iterate_phdr walks ld.so's list: the program, the vDSO, libc and
 * ld.so, each with its program headers as in memory (types, flags, and
 * where each segment is in its object's first page or beyond); a
 * non-zero return of the callback stops the walk and is the result. */
#define _GNU_SOURCE
#include <link.h>
#include <stdio.h>

static int callback(struct dl_phdr_info *info, size_t size, void *data)
{
	int *n = data;
	printf("\"%s\" %d headers, size %zu, first %s\n", info->dlpi_name, info->dlpi_phnum, size,
	       (*(unsigned char *)info->dlpi_addr == 0x7f) ? "ELF" : "?");
	for (int j = 0; j < info->dlpi_phnum; j++)
		printf("  %#x %#x%s\n", info->dlpi_phdr[j].p_type, info->dlpi_phdr[j].p_flags,
		       info->dlpi_phdr[j].p_vaddr < 4096 ? " in the first page" : "");
	return ++*n == 3 ? 42 : 0;
}

int main(void)
{
	int n = 0;
	int r = dl_iterate_phdr(callback, &n);
	printf("returned %d after %d\n", r, n);
	return 0;
}
