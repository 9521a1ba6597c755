// title: SIGSEGV: writing to a PROT_READ mapping
// title_zh: SIGSEGV：写只读映射
// engines: sim,real
// expect: signal SIGSEGV
//
// A read-only area has no write permission in its vm_flags, so the PTE is
// never made writable. A store faults, handle_mm_fault finds the access not
// allowed by the area (SEGV_ACCERR), and the process gets SIGSEGV.
// Reading the same page is fine: it maps the zero page.
#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
	char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	printf("reading is allowed: p[0] = %d\n", p[0]);
	printf("writing p[0]...\n");
	fflush(stdout); // the signal kills us before stdio would flush

	p[0] = 1; // SIGSEGV (SEGV_ACCERR)
	printf("never printed\n");
	return 0;
}
