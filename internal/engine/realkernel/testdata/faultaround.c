/* How many pages one read fault on a file mapping maps here (fault-around),
   by file system, by how the file came into the page cache, and by where in
   the file the fault is. Prints one line per case:
     <fs> <how cached> fault at page <k>: <n> pages present (<list of runs>)
   Build: gcc -O2 -o faultaround faultaround.c; run: ./faultaround DIR... */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096L
#define NPAGES 1024L /* a 4 MiB file */

static int pmfd;

static int present(char *p, long i) {
	uint64_t e = 0;
	pread(pmfd, &e, 8, ((uintptr_t)p / PAGE + i) * 8);
	return (e >> 63) & 1;
}

static void report(const char *dir, const char *how, long k, char *p) {
	long n = 0, lo = -1, hi = -1;
	for (long i = 0; i < NPAGES; i++)
		if (present(p, i)) {
			n++;
			if (lo < 0) lo = i;
			hi = i;
		}
	printf("%-10s %-26s fault at page %4ld: %4ld pages present (pages %ld-%ld)\n", dir, how, k, n, lo, hi);
}

static void one(const char *dir, const char *how, long k, int evict, long chunk, int write_fault) {
	char path[4096];
	snprintf(path, sizeof path, "%s/faultaround.%d", dir, getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) { perror(path); exit(1); }
	static char buf[NPAGES * PAGE];
	memset(buf, 'x', sizeof buf);
	for (long off = 0; off < NPAGES * PAGE; off += chunk)
		write(fd, buf, chunk);
	fsync(fd);
	if (evict)
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	char *p = mmap(NULL, NPAGES * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	if (write_fault) {
		munmap(p, NPAGES * PAGE);
		p = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
		p[k * PAGE] = 1;
	} else {
		volatile char c = p[k * PAGE];
		(void)c;
	}
	report(dir, how, k, p);
	munmap(p, NPAGES * PAGE);
	close(fd);
	unlink(path);
}

int main(int argc, char **argv) {
	pmfd = open("/proc/self/pagemap", O_RDONLY);
	for (int a = 1; a < argc; a++) {
		long ks[] = {5, 100, 517};
		for (int i = 0; i < 3; i++) {
			one(argv[a], "cached, one 4 MiB write", ks[i], 0, 4 << 20, 0);
			one(argv[a], "cached, 1 MiB writes", ks[i], 0, 1 << 20, 0);
			one(argv[a], "cached, 64 KiB writes", ks[i], 0, 64 << 10, 0);
			one(argv[a], "cached, 4 KiB writes", ks[i], 0, 4 << 10, 0);
			one(argv[a], "evicted, read on fault", ks[i], 1, 4 << 20, 0);
			one(argv[a], "cached, write fault (COW)", ks[i], 0, 4 << 20, 1);
		}
	}
	return 0;
}
