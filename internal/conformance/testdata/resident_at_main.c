// title: the pages present when main starts
// engines: sim
// expect: exit 0
//
// What the loader and libc's start-up made present before main, area by
// area, read from pagemap before the program calls anything but open,
// read and pread (whose wrappers start-up has already run): libc's and
// ld.so's text and read-only data as fault-around mapped them, their
// relocated RELRO and .data, .bss and TLS pages, the image's first page of
// each area, the stack's top two pages. The model builds the process with
// the same pages present (internal/engine/sim/layout.go's table), so that
// /proc/self/status' VmRSS is this machine's. The vDSO's code page is left
// out: it is the kernel's, and the model does not count it
// (docs/differences.md#image-heap-and-stack). The image is named "image".
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

static char maps[8192], out[8192];
static uint64_t ent[1024];
static unsigned long lo[64], hi[64];
static char *names[64], *perms[64];

static unsigned long hex(char **p) {
	unsigned long v = 0;
	for (;; (*p)++) {
		char c = **p;
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0) return v;
		v = v * 16 + (unsigned long)d;
	}
}

int main(void) {
	int fd = open("/proc/self/maps", O_RDONLY);
	long n = 0, r;
	while ((r = read(fd, maps + n, sizeof maps - 1 - n)) > 0) n += r;
	close(fd);
	int pm = open("/proc/self/pagemap", O_RDONLY);
	int na = 0;
	for (char *l = maps; l < maps + n && na < 64;) {
		char *p = l;
		lo[na] = hex(&p);
		p++;
		hi[na] = hex(&p);
		perms[na] = p + 1;
		char *e = l;
		while (*e != '\n') e++;
		*e = 0;
		// the name: what follows the fifth field
		char *q = p;
		for (int f = 0; f < 4 && *q; f++) {
			while (*q == ' ') q++;
			while (*q && *q != ' ') q++;
		}
		while (*q == ' ') q++;
		names[na] = !*q ? "anon" : *q == '/' && q[1] != 'u' ? "image" : q;
		na++;
		l = e + 1;
	}
	int k = 0;
	for (int i = 0; i < na; i++) {
		if (lo[i] >= 0xffffffff00000000UL) continue; // [vsyscall]
		if (names[i][0] == '[' && names[i][2] == 'd') continue; // [vdso]
		long np = (long)((hi[i] - lo[i]) / 4096);
		if (np > 1024) np = 1024;
		pread(pm, ent, (size_t)np * 8, (off_t)(lo[i] / 4096) * 8);
		int c = 0;
		for (long j = 0; j < np; j++) c += (int)(ent[j] >> 63);
		const char *s = "area ";
		while (*s) out[k++] = *s++;
		for (int j = 0; j < 4; j++) out[k++] = perms[i][j];
		out[k++] = ' ';
		for (s = names[i]; *s; s++) out[k++] = *s;
		out[k++] = ' ';
		char num[12];
		int h = 0;
		do num[h++] = (char)('0' + c % 10); while ((c /= 10) > 0);
		while (h) out[k++] = num[--h];
		out[k++] = '\n';
	}
	write(1, out, (size_t)k);
	return 0;
}
