// facts.c: what this machine's kernel does for the calls the model
// answers too. Each line is "name value"; sim's TestKernelFacts runs the
// same calls on the model and compares. Run in an empty directory.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096UL
#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE 0x08 // Linux 6.11, past glibc 2.36's <sys/mman.h>
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x20 // Linux 6.3
#define MFD_NOEXEC_SEAL 0x8
#endif
#ifndef SYS_cachestat
#define SYS_cachestat 451 // Linux 6.5, past glibc 2.36's <sys/syscall.h>
#endif
#ifndef SYS_mseal
#define SYS_mseal 462 // Linux 6.10, past glibc 2.36's <sys/syscall.h>
#endif

static const char *ename(int e) {
	switch (e) {
	case 0: return "OK";
	case EINVAL: return "EINVAL";
	case EBADF: return "EBADF";
	case EACCES: return "EACCES";
	case ENODEV: return "ENODEV";
	case ENOMEM: return "ENOMEM";
	case EEXIST: return "EEXIST";
	case EOVERFLOW: return "EOVERFLOW";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EPERM: return "EPERM";
	case EAGAIN: return "EAGAIN";
	case ENOENT: return "ENOENT";
	case ENOTDIR: return "ENOTDIR";
	case EIO: return "EIO";
	}
	static char buf[32];
	snprintf(buf, sizeof buf, "E%d", e);
	return buf;
}

static void mm(const char *name, void *addr, size_t len, int prot, int flags, int fd, off_t off) {
	errno = 0;
	void *p = mmap(addr, len, prot, flags, fd, off);
	printf("%s %s\n", name, p == MAP_FAILED ? ename(errno) : "OK");
	if (p != MAP_FAILED) munmap(p, len ? len : PG);
}

static void rc(const char *name, int r) { printf("%s %s\n", name, r == 0 ? "OK" : ename(errno)); }

// vmas counts the lines of /proc/self/maps overlapping [a, a+len).
static int vmas(void *a, size_t len) {
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int n = 0;
	uintptr_t s = (uintptr_t)a, e = s + len;
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && lo < e && hi > s) n++;
	}
	fclose(f);
	return n;
}

// pm reads the pagemap entry of the page at a: bit 63 present, bit 56
// exclusively mapped (an anonymous frame of ours, not the zero page).
static uint64_t pm(void *a) {
	int fd = open("/proc/self/pagemap", O_RDONLY);
	uint64_t e = 0;
	pread(fd, &e, 8, ((uintptr_t)a / PG) * 8);
	close(fd);
	return e;
}

// npresent and nexcl count the pages of [a, a+n pages) present, and
// present and exclusively mapped.
static int npresent(void *a, int n) {
	int k = 0;
	for (int i = 0; i < n; i++) k += (int)(pm((char *)a + i * PG) >> 63);
	return k;
}
static int nexcl(void *a, int n) {
	int k = 0;
	for (int i = 0; i < n; i++) k += (int)((pm((char *)a + i * PG) >> 56) & 1);
	return k;
}

// smapsKB reads one field (in kB) of the smaps entry of the area at a.
static long smapsKB(void *a, const char *field) {
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int in = 0;
	long v = -1;
	size_t n = strlen(field);
	while (fgets(line, sizeof line, f)) {
		unsigned long lo;
		if (sscanf(line, "%lx-", &lo) == 1 && strchr(line, ' ') - line > 16) in = lo == (uintptr_t)a;
		else if (in && strncmp(line, field, n) == 0 && line[n] == ':') v = strtol(line + n + 1, NULL, 10);
	}
	fclose(f);
	return v;
}

// vmflag says whether the smaps entry of the area at a has the VmFlags
// mnemonic flag.
static int vmflag(void *a, const char *flag) {
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int in = 0, v = 0;
	while (fgets(line, sizeof line, f)) {
		unsigned long lo;
		if (sscanf(line, "%lx-", &lo) == 1 && strchr(line, ' ') - line > 16) in = lo == (uintptr_t)a;
		else if (in && strncmp(line, "VmFlags:", 8) == 0) {
			for (char *t = strtok(line + 8, " \n"); t; t = strtok(NULL, " \n")) v |= strcmp(t, flag) == 0;
		}
	}
	fclose(f);
	return v;
}

// folioFile writes f.bin as a program that writes chunk bytes at a time
// (pieces: how many), which decides the page cache's folios.
static int folioFile(const char *name, long chunk, int pieces) {
	static char data[4 << 20];
	memset(data, 'f', sizeof data);
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	for (int i = 0; i < pieces; i++) write(fd, data, chunk);
	return fd;
}

// folioFault maps npages of fd from page off at address at (MAP_FIXED),
// reads page fpg, and prints how many pages of the mapping are present
// and the first of them.
static void folioFault(const char *name, char *at, int fd, long off, long npages, long fpg) {
	char *m = mmap(at, npages * PG, PROT_READ, MAP_SHARED | MAP_FIXED, fd, off * PG);
	(void)*(volatile char *)(m + fpg * PG);
	int n = 0, lo = -1;
	for (long i = 0; i < npages; i++) {
		if (pm(m + i * PG) >> 63) {
			n++;
			if (lo < 0) lo = (int)i;
		}
	}
	printf("%s_mapped %d\n%s_first %d\n", name, n, name, lo);
	munmap(m, npages * PG);
}

static long majflt(void) {
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_majflt;
}

static long minflt(void) {
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static sigjmp_buf jb;
static volatile int lastsig, lastcode;
static void onsig(int sig, siginfo_t *si, void *uc) {
	(void)uc;
	lastsig = sig;
	lastcode = si->si_code;
	siglongjmp(jb, 1);
}

// touch reads (or writes) one byte and names the signal it raised.
static const char *touch(volatile char *p, int write) {
	lastsig = 0;
	if (sigsetjmp(jb, 1) == 0) {
		if (write) *p = 1;
		else (void)*p;
		return "OK";
	}
	if (lastsig == SIGSEGV) return lastcode == SEGV_MAPERR ? "SEGV_MAPERR" : "SEGV_ACCERR";
	if (lastsig == SIGBUS) return "SIGBUS";
	return "signal";
}

int main(void) {
	struct sigaction sa = {0};
	sa.sa_sigaction = onsig;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);

	char page[2 * PG];
	memset(page, 'x', sizeof page);
	int w = open("data.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(w, page, sizeof page);
	close(w);
	w = open("short.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(w, page, 100);
	close(w);
	int ro = open("data.bin", O_RDONLY);
	int wo = open("data.bin", O_WRONLY);
	int rw = open("data.bin", O_RDWR);
	int dir = open(".", O_RDONLY);
	const int RW = PROT_READ | PROT_WRITE, AP = MAP_PRIVATE | MAP_ANONYMOUS;

	// Placement first, before any hole exists.
	{
		char *a = mmap(NULL, PG, RW, AP, -1, 0);
		char *b = mmap(NULL, PG, RW, AP, -1, 0);
		printf("second_below_first %d\n", b == a - PG);
		printf("adjacent_anon_vmas %d\n", vmas(b, 2 * PG));
	}

	// do_mmap's checks, alone and two at a time to show their order.
	mm("mmap_ok_anon", NULL, PG, RW, AP, -1, 0);
	mm("mmap_zero_len", NULL, 0, RW, AP, -1, 0);
	mm("mmap_no_type_anon", NULL, PG, RW, MAP_ANONYMOUS, -1, 0);
	mm("mmap_no_type_file", NULL, PG, PROT_READ, 0, ro, 0);
	mm("mmap_no_type_zero_len", NULL, 0, RW, MAP_ANONYMOUS, -1, 0);
	mm("mmap_no_type_huge", NULL, 1UL << 47, RW, MAP_ANONYMOUS, -1, 0);
	mm("mmap_no_type_badfd", NULL, PG, PROT_READ, 0, 999, 0);
	mm("mmap_unaligned_off", NULL, PG, PROT_READ, MAP_PRIVATE, ro, 1);
	mm("mmap_unaligned_off_badfd", NULL, PG, PROT_READ, MAP_PRIVATE, 999, 1);
	mm("mmap_unaligned_off_zero_len", NULL, 0, PROT_READ, MAP_PRIVATE, ro, 1);
	mm("mmap_fixed_unaligned", (void *)0x10000001, PG, RW, AP | MAP_FIXED, -1, 0);
	mm("mmap_badfd", NULL, PG, PROT_READ, MAP_PRIVATE, 999, 0);
	mm("mmap_badfd_zero_len", NULL, 0, PROT_READ, MAP_PRIVATE, 999, 0);
	mm("mmap_shared_write_rdonly", NULL, PG, RW, MAP_SHARED, ro, 0);
	mm("mmap_private_write_rdonly", NULL, PG, RW, MAP_PRIVATE, ro, 0);
	mm("mmap_shared_read_rdonly", NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
	mm("mmap_wronly_shared", NULL, PG, RW, MAP_SHARED, wo, 0);
	mm("mmap_wronly_private", NULL, PG, PROT_READ, MAP_PRIVATE, wo, 0);
	mm("mmap_dir", NULL, PG, PROT_READ, MAP_PRIVATE, dir, 0);
	mm("mmap_dir_shared_write", NULL, PG, RW, MAP_SHARED, dir, 0);
	mm("mmap_huge", NULL, 1UL << 47, RW, AP, -1, 0);
	mm("mmap_wrap", NULL, (size_t)-100, RW, AP, -1, 0);
	mm("mmap_eoverflow", NULL, 2 * PG, PROT_READ, MAP_PRIVATE, ro, 0x7ffffffffffff000L);
	mm("mmap_eoverflow_wronly", NULL, 2 * PG, PROT_READ, MAP_PRIVATE, wo, 0x7ffffffffffff000L);
	mm("mmap_shared_rw", NULL, PG, RW, MAP_SHARED, rw, 0);
	mm("mmap_beyond_eof", NULL, 4 * PG, PROT_READ, MAP_SHARED, ro, 16 * PG);
	mm("mmap_growsdown_file", NULL, PG, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, ro, 0);
	mm("mmap_validate_unknown", NULL, PG, PROT_READ, MAP_SHARED_VALIDATE | 0x400000, ro, 0);
	mm("mmap_validate_unknown_wronly", NULL, PG, PROT_READ, MAP_SHARED_VALIDATE | 0x400000, wo, 0);
	mm("mmap_validate_file", NULL, PG, PROT_READ, MAP_SHARED_VALIDATE, ro, 0);
	mm("mmap_validate_anon", NULL, PG, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0);
	// vm.mmap_min_addr is 4096 here: the page above it may be mapped.
	mm("mmap_fixed_min_addr", (void *)0x1000, PG, RW, AP | MAP_FIXED, -1, 0);
	{
		char *a = mmap(NULL, PG, RW, AP, -1, 0);
		mm("mmap_noreplace", a, PG, RW, AP | MAP_FIXED_NOREPLACE, -1, 0);
		munmap(a, PG);
	}

	// munmap, mprotect.
	{
		char *a = mmap(NULL, 4 * PG, RW, AP, -1, 0);
		rc("munmap_unaligned", munmap(a + 1, PG));
		rc("munmap_zero_len", munmap(a, 0));
		rc("munmap_ok", munmap(a, 4 * PG));
		rc("munmap_unmapped", munmap(a, 4 * PG));
		rc("mprotect_unmapped", mprotect(a, PG, PROT_READ));
		rc("mprotect_unaligned", mprotect(a + 1, PG, PROT_READ));
		rc("mprotect_zero_len_unmapped", mprotect(a, 0, PROT_READ));
		char *s = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
		rc("mprotect_shared_rdonly_write", mprotect(s, PG, RW));
		rc("mprotect_private_rdonly_write", mprotect(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, ro, 0), PG, RW));
		rc("mprotect_bad_prot", mprotect(s, PG, 0x10));
		munmap(s, PG);
		char *b = mmap(NULL, 3 * PG, RW, AP, -1, 0);
		rc("mprotect_partly_unmapped", mprotect(b + 2 * PG, 2 * PG, PROT_READ));
		munmap(b, 3 * PG);
	}

	// Placement and merging.
	{
		char *c = mmap(NULL, 3 * PG, RW, AP, -1, 0);
		mprotect(c + PG, PG, PROT_READ);
		printf("mprotect_middle_vmas %d\n", vmas(c, 3 * PG));
		mprotect(c + PG, PG, RW);
		printf("mprotect_restore_vmas %d\n", vmas(c, 3 * PG));
		munmap(c + PG, PG);
		printf("munmap_middle_vmas %d\n", vmas(c, 3 * PG));
		munmap(c, 3 * PG);
		char *d = mmap(NULL, PG, RW, AP, -1, 0);
		char *e = mmap(d - PG, PG, PROT_READ, AP | MAP_FIXED, -1, 0);
		printf("adjacent_different_prot_vmas %d\n", vmas(e, 2 * PG));
		mprotect(e, PG, RW);
		printf("adjacent_after_mprotect_vmas %d\n", vmas(e, 2 * PG));
		munmap(e, 2 * PG);
		(void)d;
		char *f1 = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, PG);
		char *f0 = mmap(f1 - PG, PG, PROT_READ, MAP_SHARED | MAP_FIXED, ro, 0);
		printf("adjacent_file_contiguous_vmas %d\n", vmas(f0, 2 * PG));
		munmap(f0, 2 * PG);
		char *g1 = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
		char *g0 = mmap(g1 - PG, PG, PROT_READ, MAP_SHARED | MAP_FIXED, ro, PG);
		printf("adjacent_file_noncontiguous_vmas %d\n", vmas(g0, 2 * PG));
		munmap(g0, 2 * PG);
		char *h = mmap(NULL, 4 * PG, RW, AP, -1, 0);
		h[0] = 1; // an anon_vma for the first area
		char *h2 = mmap(h - PG, PG, RW, AP | MAP_FIXED, -1, 0);
		printf("adjacent_new_to_faulted_vmas %d\n", vmas(h2, 5 * PG));
		munmap(h2, 5 * PG);
	}

	// Faults: zero page, frames, SIGSEGV, SIGBUS.
	{
		char *a = mmap(NULL, 4 * PG, RW, AP, -1, 0);
		for (int i = 0; i < 4; i++) (void)*(volatile char *)(a + i * PG);
		printf("anon_read_present %d\n", npresent(a, 4));
		printf("anon_read_exclusive %d\n", nexcl(a, 4));
		a[0] = 1;
		printf("anon_write_exclusive %d\n", nexcl(a, 4));
		unsigned char vec[4];
		madvise(a, 4 * PG, MADV_DONTNEED);
		mincore(a, 4 * PG, vec);
		printf("anon_dontneed_mincore %d%d%d%d\n", vec[0], vec[1], vec[2], vec[3]);
		printf("anon_dontneed_reads %d\n", a[0]);
		munmap(a, 4 * PG);
		char *f = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, ro, 0);
		(void)*(volatile char *)f;
		madvise(f, 2 * PG, MADV_DONTNEED);
		mincore(f, 2 * PG, vec);
		printf("file_dontneed_mincore %d%d\n", vec[0], vec[1]);
		printf("file_dontneed_present %d\n", npresent(f, 2));
		munmap(f, 2 * PG);
		printf("segv_unmapped %s\n", touch((char *)0x1000, 0));
		char *r = mmap(NULL, PG, PROT_READ, AP, -1, 0);
		printf("segv_write_readonly %s\n", touch(r, 1));
		char *n = mmap(NULL, PG, PROT_NONE, AP, -1, 0);
		printf("segv_read_none %s\n", touch(n, 0));
		int sfd = open("short.bin", O_RDONLY);
		char *s = mmap(NULL, 3 * PG, PROT_READ, MAP_PRIVATE, sfd, 0);
		printf("eof_in_last_page %d\n", s[200]);
		printf("eof_next_page %s\n", touch(s + PG, 0));
		printf("eof_mapping_vmas %d\n", vmas(s, 3 * PG));
		munmap(s, 3 * PG);
		close(sfd);
	}

	// Private file COW and shared writes.
	{
		char *p = mmap(NULL, PG, RW, MAP_PRIVATE, rw, 0);
		char *s = mmap(NULL, PG, RW, MAP_SHARED, rw, 0);
		p[0] = 'P';
		printf("private_write_seen_by_shared %d\n", s[0] == 'P');
		s[1] = 'S';
		printf("shared_write_seen_by_private_copy %d\n", p[1] == 'S');
		char c;
		pread(rw, &c, 1, 1);
		printf("shared_write_seen_by_read %d\n", c == 'S');
		rc("msync_sync", msync(s, PG, MS_SYNC));
		rc("msync_async", msync(s, PG, MS_ASYNC));
		rc("msync_invalidate", msync(s, PG, MS_INVALIDATE));
		rc("msync_both", msync(s, PG, MS_SYNC | MS_ASYNC));
		rc("msync_unaligned", msync(s + 1, PG, MS_SYNC));
		rc("msync_bad_flags", msync(s, PG, 8));
		munmap(p, PG);
		munmap(s, PG);
		rc("msync_unmapped", msync(s, PG, MS_SYNC));
		pwrite(rw, "xx", 2, 0);
	}

	// mremap.
	{
		char *a = mmap(NULL, 2 * PG, RW, AP, -1, 0);
		strcpy(a, "kept");
		strcpy(a + PG, "kept too");
		char *blk = mmap(a + 2 * PG, PG, PROT_READ, AP | MAP_FIXED, -1, 0);
		char *b = mremap(a, 2 * PG, 8 * PG, MREMAP_MAYMOVE);
		printf("mremap_moved %d\n", b != a);
		printf("mremap_data_kept %d\n", strcmp(b, "kept") == 0 && strcmp(b + PG, "kept too") == 0);
		printf("mremap_new_tail_zero %d\n", b[5 * PG]);
		char *c = mremap(b, 8 * PG, 16 * PG, 0);
		printf("mremap_grow_nomove %s\n", c == MAP_FAILED ? ename(errno) : "OK");
		char *d = mremap(b, 8 * PG, 2 * PG, 0);
		printf("mremap_shrink_same %d\n", d == b);
		errno = 0;
		printf("mremap_unmapped %s\n", mremap((void *)0x10000, PG, 2 * PG, MREMAP_MAYMOVE) == MAP_FAILED ? ename(errno) : "OK");
		printf("mremap_zero_new %s\n", mremap(d, PG, 0, MREMAP_MAYMOVE) == MAP_FAILED ? ename(errno) : "OK");
		printf("mremap_fixed_no_maymove %s\n", mremap(d, PG, PG, MREMAP_FIXED, (void *)0x200000) == MAP_FAILED ? ename(errno) : "OK");
		munmap(d, 2 * PG);
		munmap(blk, PG);
		char *u = mmap(NULL, PG, RW, AP, -1, 0);
		u[0] = 'u';
		// mremap is variadic: without MREMAP_FIXED, DONTUNMAP still reads
		// new_address, as an aligned hint.
		printf("mremap_dontunmap_unaligned_hint %s\n", mremap(u, PG, PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, (void *)0x1001) == MAP_FAILED ? ename(errno) : "OK");
		char *w = mremap(u, PG, PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
		printf("mremap_dontunmap_new %c\n", w == MAP_FAILED ? '!' : w[0]);
		printf("mremap_dontunmap_old %s\n", touch(u, 0));
		printf("mremap_dontunmap_old_byte %d\n", u[0]);
		printf("mremap_dontunmap_grow %s\n", mremap(w, PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL) == MAP_FAILED ? ename(errno) : "OK");
		// Linux 5.13 on takes MREMAP_DONTUNMAP on every kind of area but
		// VM_DONTEXPAND and VM_PFNMAP ones; the old area then faults afresh.
		struct { const char *name; int flags, fd; } kinds[] = {
			{"shared_anon", MAP_SHARED | MAP_ANONYMOUS, -1},
			{"private_file", MAP_PRIVATE, rw},
			{"shared_file", MAP_SHARED, rw},
			{"memfd", MAP_SHARED, memfd_create("dontunmap", 0)},
		};
		ftruncate(kinds[3].fd, PG);
		for (int i = 0; i < 4; i++) {
			char *o = mmap(NULL, PG, RW, kinds[i].flags, kinds[i].fd, 0);
			char keep = o[0];
			o[0] = 'd';
			char *n = mremap(o, PG, PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
			printf("mremap_dontunmap_%s %s\n", kinds[i].name, n == MAP_FAILED ? ename(errno) : "OK");
			if (n != MAP_FAILED) {
				printf("mremap_dontunmap_%s_new %c\n", kinds[i].name, n[0]);
				printf("mremap_dontunmap_%s_old %c\n", kinds[i].name, o[0]);
				n[0] = keep;
				munmap(n, PG);
			}
			munmap(o, PG);
		}
	}

	// madvise, mlock, mincore checks.
	{
		char *a = mmap(NULL, 4 * PG, RW, AP, -1, 0);
		rc("madvise_bad_advice", madvise(a, PG, 12345));
		rc("madvise_unaligned", madvise(a + 1, PG, MADV_DONTNEED));
		rc("madvise_populate_write", madvise(a, 4 * PG, MADV_POPULATE_WRITE));
		printf("populate_write_exclusive %d\n", nexcl(a, 4));
		rc("madvise_willneed", madvise(a, 4 * PG, MADV_WILLNEED));
		rc("madvise_unmapped", madvise((void *)0x10000, PG, MADV_DONTNEED));
		rc("mlock_ok", mlock(a, PG));
		rc("madvise_dontneed_locked", madvise(a, PG, MADV_DONTNEED));
		rc("msync_invalidate_locked", msync(a, PG, MS_INVALIDATE));
		rc("munlock_ok", munlock(a, PG));
		rc("mlock_unmapped", mlock((void *)0x10000, PG));
		unsigned char vec[4];
		rc("mincore_unaligned", mincore(a + 1, PG, vec));
		rc("mincore_unmapped", mincore((void *)0x10000, PG, vec));
		rc("mincore_bad_vec", mincore(a, PG, (unsigned char *)0x10));
		rc("mincore_len_wraps", mincore(a, -1, vec));
		rc("mincore_null", mincore(NULL, PG, vec));
		rc("mincore_null_vec", mincore(a, PG, NULL));
		munmap(a, 4 * PG);
		char *b = mmap(NULL, 4 * PG, RW, AP | MAP_POPULATE, -1, 0);
		printf("map_populate_exclusive %d\n", nexcl(b, 4));
		munmap(b, 4 * PG);
		char *c = mmap(NULL, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_POPULATE, ro, 0);
		printf("map_populate_file_present %d\n", npresent(c, 4));
		munmap(c, 4 * PG);
	}

	// Fault-around: reading 2 pages of a cached file costs one fault.
	{
		char *f = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, ro, 0);
		long before = minflt();
		(void)*(volatile char *)f;
		(void)*(volatile char *)(f + PG);
		printf("faultaround_faults %ld\n", minflt() - before);
		munmap(f, 2 * PG);
	}

	// Fault counts (minor faults; the file's pages are cached).
	{
		char *a = mmap(NULL, 8 * PG, RW, AP, -1, 0);
		munmap(a + 4 * PG, 4 * PG); // room above for mremap
		long m = minflt();
		for (int i = 0; i < 4; i++) a[i * PG] = 1;
		printf("faults_anon_write_4 %ld\n", minflt() - m);
		char *p = mmap(NULL, PG, RW, MAP_PRIVATE, rw, 0);
		m = minflt();
		(void)*(volatile char *)p;
		p[0] = 'p';
		printf("faults_private_file_read_write %ld\n", minflt() - m);
		madvise(p, PG, MADV_DONTNEED);
		printf("private_file_dontneed_reads_file %c\n", p[0]);
		char *s = mmap(NULL, PG, RW, MAP_SHARED, rw, 0);
		m = minflt();
		(void)*(volatile char *)s;
		s[0] = 'x';
		printf("faults_shared_file_read_write %ld\n", minflt() - m);
		msync(s, PG, MS_SYNC);
		m = minflt();
		s[0] = 'x';
		printf("faults_shared_write_after_msync %ld\n", minflt() - m);
		m = minflt();
		s[1] = 'x';
		printf("faults_shared_second_write %ld\n", minflt() - m);
		char *f = mmap(a, PG, RW, AP | MAP_FIXED, -1, 0);
		printf("map_fixed_replaces_zeroed %d\n", f[0]);
		char *g = mremap(a, 4 * PG, 6 * PG, 0);
		printf("mremap_grow_in_place %s\n", g == MAP_FAILED ? ename(errno) : (g == a ? "same" : "moved"));
		munmap(a, 6 * PG);
		munmap(p, PG);
		munmap(s, PG);
	}

	// Truncation unmaps private copies past the end too.
	{
		int t = open("trunc.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
		write(t, page, 2 * PG);
		char *p = mmap(NULL, 2 * PG, RW, MAP_PRIVATE, t, 0);
		p[PG] = 'c';
		ftruncate(t, 10);
		printf("truncate_private_cow %s\n", touch(p + PG, 0));
		printf("truncate_last_page_zeroed %d\n", p[10]);
		munmap(p, 2 * PG);
		close(t);
	}

	// Readahead: a major fault reads the window around the page
	// (read_ahead_kb / 4 pages); MADV_RANDOM reads the page alone.
	{
		static char big[64 * PG];
		memset(big, 'r', sizeof big);
		int r = open("ra.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
		write(r, big, sizeof big);
		fsync(r);
		posix_fadvise(r, 0, 0, POSIX_FADV_DONTNEED);
		unsigned char v[64];
		char *m = mmap(NULL, 64 * PG, PROT_READ, MAP_SHARED, r, 0);
		mincore(m, 64 * PG, v);
		int n = 0;
		for (int i = 0; i < 64; i++) n += v[i] & 1;
		printf("fadvise_dontneed_cached %d\n", n);
		// The read-around allocates its folios as it goes and stops at
		// the first it cannot get, so on a busy machine it can read less
		// than its rule says: the largest of three tries is the rule.
		long major = 0;
		int most = 0;
		for (int try = 0; try < 3 && most < 64; try++) {
			if (try > 0) {
				munmap(m, 64 * PG);
				posix_fadvise(r, 0, 0, POSIX_FADV_DONTNEED);
				m = mmap(NULL, 64 * PG, PROT_READ, MAP_SHARED, r, 0);
			}
			struct rusage a, b;
			getrusage(RUSAGE_SELF, &a);
			(void)*(volatile char *)(m + 20 * PG);
			getrusage(RUSAGE_SELF, &b);
			mincore(m, 64 * PG, v);
			n = 0;
			for (int i = 0; i < 64; i++) n += v[i] & 1;
			if (n > most) most = n, major = b.ru_majflt - a.ru_majflt;
		}
		printf("readaround_major %ld\n", major);
		printf("readaround_cached %d\n", most);
		munmap(m, 64 * PG);
		posix_fadvise(r, 0, 0, POSIX_FADV_DONTNEED);
		m = mmap(NULL, 64 * PG, PROT_READ, MAP_SHARED, r, 0);
		madvise(m, 64 * PG, MADV_RANDOM);
		(void)*(volatile char *)(m + 40 * PG);
		mincore(m, 64 * PG, v);
		n = 0;
		for (int i = 0; i < 64; i++) n += v[i] & 1;
		printf("random_cached %d\n", n);
		munmap(m, 64 * PG);
		// Fault-around over the cached file: one fault per 16-page window,
		// the windows aligned in the address space (so the mapping is
		// placed 64 KiB-aligned: address randomisation would move it).
		m = mmap(NULL, 64 * PG, PROT_READ, MAP_PRIVATE, r, 0);
		for (int i = 0; i < 64; i++) (void)*(volatile char *)(m + i * PG);
		munmap(m, 64 * PG);
		char *res = mmap(NULL, 96 * PG, PROT_NONE, AP, -1, 0);
		char *al = (char *)(((uintptr_t)res + 16 * PG - 1) & ~(uintptr_t)(16 * PG - 1));
		m = mmap(al, 64 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, r, 0);
		long before = minflt();
		for (int i = 0; i < 64; i++) (void)*(volatile char *)(m + i * PG);
		printf("faultaround_64_faults %ld\n", minflt() - before);
		munmap(m, 64 * PG);
		close(r);
	}

	// fork: COW.
	{
		char *a = mmap(NULL, PG, RW, AP, -1, 0);
		char *s = mmap(NULL, PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		a[0] = 'p';
		s[0] = 'p';
		char *two = mmap(NULL, 2 * PG, RW, AP, -1, 0);
		two[0] = two[PG] = 1;
		pid_t pid = fork();
		if (pid == 0) {
			a[0] = 'c';
			s[0] = 'c';
			_exit(7);
		}
		int st;
		waitpid(pid, &st, 0);
		printf("fork_private_after_child_write %c\n", a[0]);
		long m = minflt();
		two[0] = 2;
		printf("faults_after_fork_parent_write %ld\n", minflt() - m);
		printf("fork_shared_after_child_write %c\n", s[0]);
		printf("fork_exit_status %d\n", WEXITSTATUS(st));
		printf("wait_no_child %s\n", waitpid(-1, &st, 0) < 0 ? ename(errno) : "OK");
	}

	// mprotect giving write back: an exclusive anonymous page, or a dirty
	// shared file page, is made writable at once (can_change_pte_writable).
	{
		char *a = mmap(NULL, PG, RW, AP, -1, 0);
		a[0] = 1;
		mprotect(a, PG, PROT_READ);
		mprotect(a, PG, RW);
		long m = minflt();
		a[0] = 2;
		printf("mprotect_rw_again_anon_faults %ld\n", minflt() - m);
		char *s = mmap(NULL, PG, RW, MAP_SHARED, rw, 0);
		s[0] = 'x';
		mprotect(s, PG, PROT_READ);
		mprotect(s, PG, RW);
		m = minflt();
		s[0] = 'x';
		printf("mprotect_rw_again_shared_faults %ld\n", minflt() - m);
		munmap(a, PG);
		munmap(s, PG);
	}

	// MADV_FREE: the pages keep their contents until reclaim wants them;
	// then the clean ones are dropped, the written-again ones kept.
	{
		char *a = mmap(NULL, 2 * PG, RW, AP, -1, 0);
		a[0] = 'x';
		a[PG] = 'x';
		madvise(a, 2 * PG, MADV_FREE);
		long m = minflt();
		printf("madvise_free_reads %c\n", a[0]);
		printf("madvise_free_faults %ld\n", minflt() - m);
		a[PG] = 'y';
		madvise(a, 2 * PG, MADV_PAGEOUT);
		printf("madvise_free_pageout_clean %d\n", a[0]);
		printf("madvise_free_pageout_written %c\n", a[PG]);
		munmap(a, 2 * PG);
		// Read first, then written: the store through the clean PTE still
		// dirties it, so reclaim keeps the page.
		a = mmap(NULL, 2 * PG, RW, AP, -1, 0);
		a[0] = 'x';
		a[PG] = 'x';
		madvise(a, 2 * PG, MADV_FREE);
		(void)*(volatile char *)(a + PG);
		a[PG] = 'y';
		madvise(a, 2 * PG, MADV_PAGEOUT);
		printf("madvise_free_read_write_pageout %c\n", a[PG]);
		munmap(a, 2 * PG);
	}

	// Transparent huge pages (THP "madvise" here): a 2 MiB-aligned area
	// given MADV_HUGEPAGE takes the huge zero page on a read and a 2 MiB
	// folio on a write, mapped by one PMD; an mprotect of one page splits
	// the PMD, and the pages stay where they are.
	{
		char *res = mmap(NULL, 6UL << 20, RW, AP, -1, 0);
		char *h = (char *)(((uintptr_t)res + (2UL << 20) - 1) & ~((2UL << 20) - 1));
		madvise(h, 2UL << 20, MADV_HUGEPAGE);
		char *n = h + (2UL << 20);
		printf("thp_eligible_madvised %ld\n", smapsKB(h, "THPeligible"));
		long m = minflt();
		(void)*(volatile char *)(h + 5 * PG);
		printf("thp_read_faults %ld\n", minflt() - m);
		printf("thp_read_present %d\n", npresent(h, 8));
		printf("thp_read_rss %ld\n", smapsKB(h, "Rss"));
		m = minflt();
		h[PG] = 1;
		printf("thp_write_faults %ld\n", minflt() - m);
		printf("thp_write_anonhuge %ld\n", smapsKB(h, "AnonHugePages"));
		printf("thp_write_rss %ld\n", smapsKB(h, "Rss"));
		uint64_t p0 = pm(h) & ((1ULL << 55) - 1), p1 = pm(h + PG) & ((1ULL << 55) - 1);
		printf("thp_write_pfns_contiguous %d\n", p1 == p0 + 1 && p0 % 512 == 0);
		printf("thp_write_exclusive %d\n", nexcl(h, 8));
		n[0] = 1;
		printf("thp_not_madvised_anonhuge %ld\n", smapsKB(n, "AnonHugePages"));
		mprotect(h + PG, PG, PROT_READ);
		printf("thp_split_vmas %d\n", vmas(h, 2UL << 20));
		printf("thp_split_anonhuge %ld\n", smapsKB(h, "AnonHugePages"));
		printf("thp_split_present %d\n", npresent(h, 512));
		printf("thp_split_rss_first %ld\n", smapsKB(h, "Rss"));
		munmap(res, 6UL << 20);
	}

	// fork copies a huge PMD (copy_huge_pmd): both sides map the folio
	// with a PMD; a write splits the writer's and copies one page, and
	// once the folio is one side's alone its write takes it back whole.
	{
		char *res = mmap(NULL, 6UL << 20, RW, AP, -1, 0);
		char *h = (char *)(((uintptr_t)res + (2UL << 20) - 1) & ~((2UL << 20) - 1));
		madvise(h, 2UL << 20, MADV_HUGEPAGE);
		h[0] = 'p';
		munmap(res, h - res); // the area starts at h, so smaps names it
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			char out[512];
			int k = snprintf(out, sizeof out, "thp_fork_child_anonhuge %ld\n", smapsKB(h, "AnonHugePages"));
			long m = minflt();
			(void)*(volatile char *)(h + 5 * PG);
			k += snprintf(out + k, sizeof out - k, "thp_fork_child_read_faults %ld\n", minflt() - m);
			m = minflt();
			h[PG] = 'c';
			k += snprintf(out + k, sizeof out - k, "thp_fork_child_write_faults %ld\n", minflt() - m);
			k += snprintf(out + k, sizeof out - k, "thp_fork_child_written_anonhuge %ld\n", smapsKB(h, "AnonHugePages"));
			k += snprintf(out + k, sizeof out - k, "thp_fork_child_written_rss %ld\n", smapsKB(h, "Rss"));
			k += snprintf(out + k, sizeof out - k, "thp_fork_child_reads %c\n", h[0]);
			write(1, out, k);
			_exit(0);
		}
		printf("thp_fork_parent_anonhuge %ld\n", smapsKB(h, "AnonHugePages"));
		waitpid(pid, NULL, 0);
		printf("thp_fork_parent_reads %d\n", h[PG]);
		long m = minflt();
		h[PG] = 'q';
		printf("thp_fork_parent_write_faults %ld\n", minflt() - m);
		printf("thp_fork_parent_written_anonhuge %ld\n", smapsKB(h, "AnonHugePages"));
		munmap(h, (6UL << 20) - (h - res));
	}

	// Writeback zeroes the bytes past end of file in the last page: a
	// store there is gone once msync(MS_SYNC) has written the page.
	{
		int f = open("tail.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
		write(f, page, 100);
		char *m = mmap(NULL, PG, RW, MAP_SHARED, f, 0);
		m[200] = 'z';
		printf("eof_tail_before_msync %d\n", m[200]);
		msync(m, PG, MS_SYNC);
		printf("eof_tail_after_msync %d\n", m[200]);
		munmap(m, PG);
		close(f);
	}

	// Fault-around works on shmem too, mapping its pages writable.
	{
		char *res = mmap(NULL, 64 * PG, PROT_NONE, AP, -1, 0);
		char *al = (char *)(((uintptr_t)res + 16 * PG - 1) & ~(uintptr_t)(16 * PG - 1));
		char *s = mmap(al, 16 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		for (int i = 0; i < 16; i++) s[i * PG] = 1;
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			long m = minflt();
			for (int i = 0; i < 16; i++) (void)*(volatile char *)(s + i * PG);
			long m2 = minflt();
			for (int i = 0; i < 16; i++) s[i * PG] = 2;
			long m3 = minflt();
			printf("shmem_child_read_faults %ld\n", m2 - m);
			printf("shmem_child_write_after_read_faults %ld\n", m3 - m2);
			fflush(stdout);
			_exit(0);
		}
		waitpid(pid, NULL, 0);
		munmap(res, 64 * PG);
	}

	// MADV_REMOVE punches a hole: shared memory and files read zeros.
	{
		char *s = mmap(NULL, PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		s[0] = 'x';
		printf("madvise_remove_shmem %s\n", madvise(s, PG, MADV_REMOVE) ? ename(errno) : "OK");
		printf("madvise_remove_shmem_reads %d\n", s[0]);
		char *p = mmap(NULL, PG, RW, AP, -1, 0);
		p[0] = 'x';
		printf("madvise_remove_private %s\n", madvise(p, PG, MADV_REMOVE) ? ename(errno) : "OK");
		munmap(s, PG);
		munmap(p, PG);
	}

	// Edges.
	{
		char *n = mmap(NULL, 2 * PG, PROT_NONE, AP, -1, 0);
		rc("mlock_prot_none", mlock(n, 2 * PG));
		munlock(n, 2 * PG);
		rc("mlock_zero_len", mlock(n, 0));
		rc("munlock_unmapped", munlock((void *)0x10000, PG));
		rc("mlockall_onfault_alone", mlockall(MCL_ONFAULT));
		rc("madvise_zero_len", madvise(n, 0, MADV_DONTNEED));
		unsigned char v[2];
		rc("mincore_zero_len", mincore(n, 0, v));
		rc("mprotect_past_task_size", mprotect((void *)0x7ffffffff000, 2 * PG, PROT_READ));
		rc("munmap_past_task_size", munmap((void *)0x7ffffffff000, 2 * PG));
		rc("madvise_dontneed_prot_none", madvise(n, PG, MADV_DONTNEED));
		rc("madvise_populate_read_prot_none", madvise(n, PG, MADV_POPULATE_READ));
		mprotect(n, 2 * PG, PROT_READ);
		rc("madvise_populate_write_readonly", madvise(n, PG, MADV_POPULATE_WRITE));
		int sfd = open("short.bin", O_RDONLY);
		char *sh = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, sfd, 0);
		rc("madvise_populate_past_eof", madvise(sh, 2 * PG, MADV_POPULATE_READ));
		rc("mlock_past_eof", mlock(sh, 2 * PG));
		munmap(sh, 2 * PG);
		close(sfd);
		munmap(n, 2 * PG);
	}

	// MADV_POPULATE_READ needs VM_READ and _WRITE needs VM_WRITE
	// (check_vma_flags): PROT_WRITE alone populates for write only.
	{
		static const int prots[] = {PROT_NONE, PROT_READ, PROT_WRITE, PROT_EXEC, RW, PROT_WRITE | PROT_EXEC, PROT_READ | PROT_EXEC};
		static const char *const names[] = {"none", "r", "w", "x", "rw", "wx", "rx"};
		for (int i = 0; i < 7; i++) {
			for (int w = 0; w < 2; w++) {
				char name[64];
				char *a = mmap(NULL, 2 * PG, prots[i], AP, -1, 0);
				snprintf(name, sizeof name, "madvise_populate_%s_%s", w ? "write" : "read", names[i]);
				rc(name, madvise(a, 2 * PG, w ? MADV_POPULATE_WRITE : MADV_POPULATE_READ));
				munmap(a, 2 * PG);
			}
		}
	}

	// mlock2: MLOCK_ONFAULT locks the area (VmFlags "lo") but leaves its
	// pages to their faults; without it the pages are faulted in.
	// mlockall(MCL_FUTURE | MCL_ONFAULT) makes later areas lock on fault.
	{
		char *a = mmap(NULL, 4 * PG, RW, AP, -1, 0);
		errno = 0;
		rc("mlock2_bad_flags", syscall(SYS_mlock2, a, 4 * PG, 2));
		rc("mlock2_onfault", syscall(SYS_mlock2, a, 4 * PG, 1));
		printf("mlock2_onfault_present %d\n", npresent(a, 4));
		printf("mlock2_onfault_lo %d\n", vmflag(a, "lo"));
		a[0] = 1;
		printf("mlock2_onfault_written_locked_kb %ld\n", smapsKB(a, "Locked"));
		munlock(a, 4 * PG);
		printf("mlock2_onfault_unlocked_lo %d\n", vmflag(a, "lo"));
		rc("mlock2_plain", syscall(SYS_mlock2, a, 4 * PG, 0));
		printf("mlock2_plain_present %d\n", npresent(a, 4));
		printf("mlock2_plain_locked_kb %ld\n", smapsKB(a, "Locked"));
		munlock(a, 4 * PG);
		munmap(a, 4 * PG);
		rc("mlockall_future_onfault", mlockall(MCL_FUTURE | MCL_ONFAULT));
		char *b = mmap(NULL, 4 * PG, RW, AP, -1, 0);
		printf("mlockall_future_onfault_present %d\n", npresent(b, 4));
		printf("mlockall_future_onfault_lo %d\n", vmflag(b, "lo"));
		munlockall();
		munmap(b, 4 * PG);
	}

	// mremap growing an area in place into a hole merges it with the area
	// after the hole (vma_merge_extend), touched or not.
	for (int touched = 0; touched < 2; touched++) {
		char *s = mmap(NULL, 3 * PG, RW, AP, -1, 0);
		if (touched) s[0] = s[2 * PG] = 1;
		munmap(s + PG, PG);
		char *r = mremap(s, PG, 2 * PG, 0);
		printf("mremap_expand_merge%s_in_place %d\n", touched ? "_touched" : "", r == s);
		printf("mremap_expand_merge%s_vmas %d\n", touched ? "_touched" : "", vmas(s, 3 * PG));
		munmap(s, 3 * PG);
	}

	// memfd_create: an unlinked shmem file, mode 0777, size 0 until
	// ftruncate or write; maps calls it "/memfd:NAME (deleted)".
	{
		char name[256];
		memset(name, 'n', sizeof name);
		name[249] = 0;
		int ok = memfd_create(name, 0);
		printf("memfd_name_249 %s\n", ok < 0 ? ename(errno) : "OK");
		name[249] = 'n';
		name[250] = 0;
		printf("memfd_name_250 %s\n", memfd_create(name, 0) < 0 ? ename(errno) : "OK");
		printf("memfd_bad_flags %s\n", memfd_create("m", 0x100) < 0 ? ename(errno) : "OK");
		printf("memfd_exec_noexec_seal %s\n", memfd_create("m", 0x18) < 0 ? ename(errno) : "OK");
		int h = memfd_create("h", 4);
		ftruncate(h, 2UL << 20);
		printf("memfd_hugetlb_mmap %s\n", mmap(NULL, 2UL << 20, RW, MAP_SHARED, h, 0) == MAP_FAILED ? ename(errno) : "OK");
		int m = memfd_create("memfd", 1);
		struct stat st;
		fstat(m, &st);
		printf("memfd_size %ld\n", (long)st.st_size);
		printf("memfd_mode %o\n", st.st_mode);
		ftruncate(m, 2 * PG);
		fstat(m, &st);
		printf("memfd_truncated_size %ld\n", (long)st.st_size);
		write(m, "hello", 5);
		char *p = mmap(NULL, 2 * PG, RW, MAP_SHARED, m, 0);
		printf("memfd_mapped_byte %c\n", p[1]);
		p[PG] = 'w';
		char b = 0;
		pread(m, &b, 1, PG);
		printf("memfd_pread_after_store %c\n", b);
		FILE *f = fopen("/proc/self/maps", "r");
		char line[512], *nm = NULL;
		while (fgets(line, sizeof line, f)) {
			unsigned long lo;
			if (sscanf(line, "%lx-", &lo) == 1 && lo == (uintptr_t)p) nm = strchr(line, '/');
			if (nm) break;
		}
		fclose(f);
		if (nm) nm[strcspn(nm, "\n")] = 0;
		printf("memfd_maps_name %s\n", nm ? nm : "-");
		ftruncate(m, 100);
		printf("memfd_shrunk_page1 %s\n", touch(p + PG, 0));
		munmap(p, 2 * PG);
		close(m);
		close(h);
		close(ok);
	}

	// Large folios: a write of N bytes makes page-cache folios of up to N
	// rounded down to a power of two (aligned, at most 2 MiB), and a read
	// fault maps each folio it touches whole when it lies within the area
	// and one PTE table; a fault that had to read maps the window around
	// (the retried fault's fault-around). Mappings are placed (MAP_FIXED)
	// in a 2 MiB-aligned reservation so that ASLR does not move them.
	{
		char *res = mmap(NULL, 12UL << 20, PROT_NONE, AP, -1, 0);
		char *al = (char *)(((uintptr_t)res + (2UL << 20) - 1) & ~((2UL << 20) - 1));
		static const struct { const char *name; long chunk; int pieces; } ws[] = {
			{"4k", 4096, 1024}, {"64k", 64 << 10, 64}, {"256k", 256 << 10, 16},
			{"1m", 1 << 20, 4}, {"2m", 2 << 20, 2}, {"4m", 4 << 20, 1},
		};
		for (int i = 0; i < 6; i++) {
			char name[64];
			int fd = folioFile("f.bin", ws[i].chunk, ws[i].pieces);
			snprintf(name, sizeof name, "folio_write_%s_p100", ws[i].name);
			folioFault(name, al, fd, 0, 1024, 100);
			snprintf(name, sizeof name, "folio_write_%s_p517", ws[i].name);
			folioFault(name, al, fd, 0, 1024, 517);
			close(fd);
		}
		int fd = folioFile("f.bin", 1 << 20, 4);
		folioFault("folio_1m_pgoff1", al, fd, 1, 1000, 100);
		folioFault("folio_1m_vma64", al, fd, 0, 64, 5);
		folioFault("folio_1m_cross_pmd", al + (1 << 20) + 128 * PG, fd, 0, 1024, 100);
		folioFault("folio_1m_va256k", al + 64 * PG, fd, 0, 1024, 100);
		close(fd);
		fd = folioFile("f.bin", 2 << 20, 2);
		folioFault("folio_2m_va256k", al + 64 * PG, fd, 0, 1024, 100);
		fsync(fd);
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		folioFault("folio_evicted", al, fd, 0, 1024, 100);
		close(fd);
		// 3 pages, 100 pages, then 5 pages and 100 bytes from an odd place.
		fd = open("g.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
		static char g[128 * PG];
		memset(g, 'g', sizeof g);
		write(fd, g, 3 * PG);
		write(fd, g, 100 * PG);
		write(fd, g + 1, 5 * PG + 100);
		folioFault("folio_mixed_p40", al, fd, 0, 110, 40);
		folioFault("folio_mixed_p40_va8k", al + 2 * PG, fd, 0, 110, 40);
		folioFault("folio_mixed_p70_va8k", al + 2 * PG, fd, 0, 110, 70);
		close(fd);
		munmap(res, 12UL << 20);
	}

	// A read fault on a hole of a sparse file is a major fault (the page
	// was not cached). (How many pages it maps varies with the folio
	// readahead makes: conformance's hole_readaround.)
	{
		int fd = open("hole.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
		ftruncate(fd, 4 * PG);
		char *h = mmap(NULL, 4 * PG, PROT_READ, MAP_SHARED, fd, 0);
		long m = majflt();
		(void)*(volatile char *)(h + 2 * PG);
		printf("hole_fault_major %ld\n", majflt() - m);
		munmap(h, 4 * PG);
		close(fd);
	}

	// vma_needs_copy: fork copies the PTEs of areas with anonymous pages
	// only; a shared file area's child faults its pages in again.
	{
		char *s = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
		char *a = mmap(NULL, PG, RW, AP, -1, 0);
		(void)*(volatile char *)s;
		a[0] = 1;
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			long m = minflt();
			(void)*(volatile char *)a;
			long m1 = minflt();
			(void)*(volatile char *)s;
			long m2 = minflt();
			printf("fork_child_read_private_anon_faults %ld\n", m1 - m);
			printf("fork_child_read_shared_file_faults %ld\n", m2 - m1);
			fflush(stdout);
			_exit(0);
		}
		waitpid(pid, NULL, 0);
		munmap(s, PG);
		munmap(a, PG);
	}

	// read/write errors on fds.
	{
		char b[8];
		errno = 0;
		printf("read_wronly %s\n", read(wo, b, 1) < 0 ? ename(errno) : "OK");
		printf("write_rdonly %s\n", write(ro, b, 1) < 0 ? ename(errno) : "OK");
		printf("ftruncate_rdonly %s\n", ftruncate(ro, 0) < 0 ? ename(errno) : "OK");
		printf("read_bad_buf %s\n", read(ro, (char *)0x10, 1) < 0 ? ename(errno) : "OK");
		struct stat st;
		fstat(rw, &st);
		printf("fstat_size %ld\n", (long)st.st_size);
	}
	// mseal (Linux 6.10): a sealed area is not unmapped, moved, remapped
	// over, reprotected, or (read-only private anonymous) discarded.
	{
		char *a = mmap(NULL, 4 * PG, RW, AP, -1, 0);
		printf("mseal_flags %s\n", syscall(SYS_mseal, a, PG, 1) ? ename(errno) : "OK");
		printf("mseal_unaligned %s\n", syscall(SYS_mseal, a + 1, PG, 0) ? ename(errno) : "OK");
		printf("mseal_wraps %s\n", syscall(SYS_mseal, a, -PG, 0) ? ename(errno) : "OK");
		printf("mseal_zero_len %s\n", syscall(SYS_mseal, a, 0, 0) ? ename(errno) : "OK");
		munmap(a + 3 * PG, PG);
		printf("mseal_hole %s\n", syscall(SYS_mseal, a, 4 * PG, 0) ? ename(errno) : "OK");
		printf("mseal_hole_flag %d\n", vmflag(a, "sl"));
		printf("mseal_ok %s\n", syscall(SYS_mseal, a + 2 * PG, PG, 0) ? ename(errno) : "OK");
		printf("mseal_twice %s\n", syscall(SYS_mseal, a + 2 * PG, PG, 0) ? ename(errno) : "OK");
		printf("mseal_flag %d\n", vmflag(a + 2 * PG, "sl"));
		printf("mseal_vmas %d\n", vmas(a, 3 * PG));
		errno = 0;
		printf("mseal_mprotect %s\n", mprotect(a, 3 * PG, PROT_READ) ? ename(errno) : "OK");
		printf("mseal_mprotect_before_changed %d\n", !vmflag(a, "wr"));
		mprotect(a, 2 * PG, RW);
		printf("mseal_mprotect_same %s\n", mprotect(a + 2 * PG, PG, RW) ? ename(errno) : "OK");
		printf("mseal_munmap %s\n", munmap(a + PG, 2 * PG) ? ename(errno) : "OK");
		printf("mseal_munmap_split %d\n", vmas(a, 3 * PG));
		errno = 0;
		void *r = mremap(a + 2 * PG, PG, 2 * PG, MREMAP_MAYMOVE);
		printf("mseal_mremap %s\n", r == MAP_FAILED ? ename(errno) : "OK");
		r = mremap(a, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + 2 * PG);
		printf("mseal_mremap_onto %s\n", r == MAP_FAILED ? ename(errno) : "OK");
		r = mmap(a + 2 * PG, PG, RW, AP | MAP_FIXED, -1, 0);
		printf("mseal_mmap_fixed %s\n", r == MAP_FAILED ? ename(errno) : "OK");
		printf("mseal_dontneed_rw %s\n", madvise(a + 2 * PG, PG, MADV_DONTNEED) ? ename(errno) : "OK");
		char *b = mmap(NULL, PG, PROT_READ, AP, -1, 0);
		syscall(SYS_mseal, b, PG, 0);
		printf("mseal_dontneed_ro %s\n", madvise(b, PG, MADV_DONTNEED) ? ename(errno) : "OK");
		printf("mseal_willneed_ro %s\n", madvise(b, PG, MADV_WILLNEED) ? ename(errno) : "OK");
		char *c = mmap(NULL, PG, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		syscall(SYS_mseal, c, PG, 0);
		printf("mseal_dontneed_ro_shared %s\n", madvise(c, PG, MADV_DONTNEED) ? ename(errno) : "OK");
		char *d = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, ro, 0);
		syscall(SYS_mseal, d, PG, 0);
		printf("mseal_dontneed_ro_file %s\n", madvise(d, PG, MADV_DONTNEED) ? ename(errno) : "OK");
	}
	// Protection keys: this machine's CPU has none.
	{
		char *a = mmap(NULL, PG, RW, AP, -1, 0);
		printf("pkey_alloc %s\n", syscall(SYS_pkey_alloc, 0, 0) < 0 ? ename(errno) : "OK");
		printf("pkey_free %s\n", syscall(SYS_pkey_free, 0) < 0 ? ename(errno) : "OK");
		printf("pkey_mprotect_0 %s\n", syscall(SYS_pkey_mprotect, a, PG, PROT_READ, 0) < 0 ? ename(errno) : "OK");
		printf("pkey_mprotect_none %s\n", syscall(SYS_pkey_mprotect, a, PG, PROT_READ, -1) < 0 ? ename(errno) : "OK");
	}
	// membarrier: every command is there; registrations are the mm's.
	{
		printf("membarrier_query %ld\n", syscall(SYS_membarrier, 0, 0, 0));
		printf("membarrier_query_flags %s\n", syscall(SYS_membarrier, 0, 1, 0) < 0 ? ename(errno) : "OK");
		printf("membarrier_bad_cmd %s\n", syscall(SYS_membarrier, 3, 0, 0) < 0 ? ename(errno) : "OK");
		printf("membarrier_unregistered %s\n", syscall(SYS_membarrier, 8, 0, 0) < 0 ? ename(errno) : "OK");
		syscall(SYS_membarrier, 64, 0, 0); // PRIVATE_EXPEDITED_SYNC_CORE
		printf("membarrier_sync_core_only %s\n", syscall(SYS_membarrier, 8, 0, 0) < 0 ? ename(errno) : "OK");
		printf("membarrier_registrations %ld\n", syscall(SYS_membarrier, 512, 0, 0));
		printf("membarrier_rseq_cpu %s\n", syscall(SYS_membarrier, 256, 0, 0) || syscall(SYS_membarrier, 128, 1, 0) ? ename(errno) : "OK");
		pid_t pid = fork();
		if (pid == 0) _exit(syscall(SYS_membarrier, 512, 0, 0) == 336 ? 0 : 1);
		int st;
		waitpid(pid, &st, 0);
		printf("membarrier_fork_keeps %d\n", WEXITSTATUS(st) == 0);
	}
	// userfaultfd's flags (the privilege check needs an unprivileged
	// user: the corpus's man/userfaultfd holds that to EPERM).
	printf("uffd_bad_flags %s\n", syscall(SYS_userfaultfd, 1 | 0x100) < 0 ? ename(errno) : "OK");
	// fallocate on a memfd: mode 0 grows it, KEEP_SIZE does not; a hole
	// needs KEEP_SIZE.
	{
		int m = memfd_create("falloc", 0);
		struct stat st;
		printf("fallocate_zero_len %s\n", fallocate(m, 0, 0, 0) ? ename(errno) : "OK");
		printf("fallocate_grow %s\n", fallocate(m, 0, PG, 2 * PG) ? ename(errno) : "OK");
		fstat(m, &st);
		printf("fallocate_grown_size %ld\n", (long)st.st_size);
		fallocate(m, FALLOC_FL_KEEP_SIZE, 0, 8 * PG);
		fstat(m, &st);
		printf("fallocate_keep_size %ld\n", (long)st.st_size);
		printf("fallocate_punch_no_keep %s\n", fallocate(m, FALLOC_FL_PUNCH_HOLE, 0, PG) ? ename(errno) : "OK");
		printf("fallocate_bad_mode %s\n", fallocate(m, 0x1000, 0, PG) ? ename(errno) : "OK");
		printf("fallocate_rdonly %s\n", fallocate(ro, 0, 0, PG) ? ename(errno) : "OK");
		char *p = mmap(NULL, 3 * PG, RW, MAP_SHARED, m, 0);
		memset(p, 'x', 3 * PG);
		printf("fallocate_punch %s\n", fallocate(m, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 100, PG + 100) ? ename(errno) : "OK");
		printf("fallocate_punched %c%c%c%c\n", p[99] ? 'x' : '0', p[100] ? 'x' : '0', p[PG + 199] ? 'x' : '0', p[PG + 200] ? 'x' : '0');
	}
	// A thread's stack (MAP_STACK) takes no huge pages, so it stays apart
	// from a neighbour made without.
	{
		char *a = mmap(NULL, 2 * PG, RW, AP | MAP_STACK, -1, 0);
		mmap(a - 2 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
		printf("map_stack_nohugepage %d\n", vmflag(a, "nh"));
		printf("map_stack_neighbour_vmas %d\n", vmas(a - 2 * PG, 4 * PG));
		munmap(a - 2 * PG, 4 * PG);
	}
	// O_TMPFILE: an unnamed file in a directory, "DIR/#INO (deleted)".
	{
		rc("tmpfile_rdonly", open(".", O_TMPFILE | O_RDONLY, 0600) < 0 ? -1 : 0);
		rc("tmpfile_creat", open(".", O_TMPFILE | O_RDWR | O_CREAT, 0600) < 0 ? -1 : 0);
		rc("tmpfile_notdir", open("data.bin", O_TMPFILE | O_RDWR, 0600) < 0 ? -1 : 0);
		rc("tmpfile_missing", open("nodir", O_TMPFILE | O_RDWR, 0600) < 0 ? -1 : 0);
		int t = open(".", O_TMPFILE | O_RDWR, 0600);
		rc("tmpfile_ok", t < 0 ? -1 : 0);
		struct stat st;
		fstat(t, &st);
		printf("tmpfile_nlink %ld\n", (long)st.st_nlink);
		int s = open("/dev/shm", O_TMPFILE | O_RDWR, 0600);
		rc("tmpfile_shm", s < 0 ? -1 : 0);
		ftruncate(t, PG);
		ftruncate(s, PG);
		char *ta = mmap(NULL, PG, RW, MAP_SHARED, t, 0), *sa = mmap(NULL, PG, RW, MAP_SHARED, s, 0);
		char line[512], *tn = "-", *sn = "-";
		static char tb[512], sb[512];
		FILE *f = fopen("/proc/self/maps", "r");
		while (fgets(line, sizeof line, f)) {
			unsigned long lo;
			sscanf(line, "%lx-", &lo);
			char *n = strchr(line, '/');
			if (!n) continue;
			n[strcspn(n, "\n")] = 0;
			// the name's last part: "#N (deleted)" with the number as N
			char *h = strrchr(n, '/');
			if (lo == (uintptr_t)ta) snprintf(tb, sizeof tb, "%s", strchr(h, '#') ? "#N (deleted)" : h), tn = tb;
			if (lo == (uintptr_t)sa) snprintf(sb, sizeof sb, "%.*s#N (deleted)", (int)(h - n + 1), n), sn = sb;
		}
		fclose(f);
		printf("tmpfile_maps_name %s\n", tn);
		printf("tmpfile_shm_maps_name %s\n", sn);
		munmap(ta, PG);
		munmap(sa, PG);
		close(t);
		close(s);
	}
	// /proc/self/mem: FOLL_FORCE reads and writes, as a debugger's.
	{
		int mem = open("/proc/self/mem", O_RDWR);
		rc("procmem_open", mem < 0 ? -1 : 0);
		char one = 1, b;
		char *ro = mmap(NULL, PG, PROT_READ, AP, -1, 0);
		volatile char z = *ro;
		(void)z;
		errno = 0;
		rc("procmem_write_ro", pwrite(mem, &one, 1, (uintptr_t)ro) == 1 ? 0 : -1);
		printf("procmem_write_ro_byte %d\n", ro[0]);
		printf("procmem_write_ro_touch %s\n", touch(ro, 1));
		printf("procmem_write_ro_byte_after %d\n", ro[0]);
		char *none = mmap(NULL, PG, PROT_NONE, AP, -1, 0);
		errno = 0;
		rc("procmem_read_none", pread(mem, &b, 1, (uintptr_t)none) == 1 ? 0 : -1);
		printf("procmem_read_none_touch %s\n", touch(none, 0));
		char *sh = mmap(NULL, PG, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		errno = 0;
		rc("procmem_write_shared_ro", pwrite(mem, &one, 1, (uintptr_t)sh) == 1 ? 0 : -1);
		errno = 0;
		rc("procmem_unmapped", pread(mem, &b, 1, 0x10000) == 1 ? 0 : -1);
		int dfd = open("data.bin", O_RDONLY);
		char *fp = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, dfd, 0);
		errno = 0;
		rc("procmem_write_ro_file", pwrite(mem, &one, 1, (uintptr_t)fp) == 1 ? 0 : -1);
		pread(dfd, &b, 1, 0);
		printf("procmem_write_ro_file_kept %c %d\n", b, fp[0]);
		close(dfd);
		char *rw = mmap(NULL, 2 * PG, RW, AP, -1, 0);
		rw[PG] = 7;
		lseek(mem, (uintptr_t)rw + PG - 1, SEEK_SET);
		char two[2] = {5, 6};
		printf("procmem_write_across %ld\n", (long)write(mem, two, 2));
		printf("procmem_write_across_bytes %d %d\n", rw[PG - 1], rw[PG]);
		printf("procmem_pos %ld\n", (long)(lseek(mem, 0, SEEK_CUR) - (uintptr_t)rw));
		munmap(rw + PG, PG);
		lseek(mem, (uintptr_t)rw + PG - 1, SEEK_SET);
		printf("procmem_read_short %ld\n", (long)read(mem, two, 2));
		close(mem);
	}
	// mbind on a machine of one node: the policies are checked, nothing moves.
	{
		char *a = mmap(NULL, 2 * PG, RW, AP, -1, 0);
		a[0] = 1;
		unsigned long node = 1;
		rc("mbind_local_move", syscall(SYS_mbind, a, PG, 4, NULL, 0x7ff, 2));
		rc("mbind_bad_flags", syscall(SYS_mbind, a, PG, 4, NULL, 0x7ff, 8));
		rc("mbind_bad_mode", syscall(SYS_mbind, a, PG, 7, NULL, 0x7ff, 0));
		rc("mbind_unaligned", syscall(SYS_mbind, a + 1, PG, 4, NULL, 0x7ff, 0));
		rc("mbind_zero_len", syscall(SYS_mbind, a, 0, 4, NULL, 0x7ff, 0));
		rc("mbind_bind_node0", syscall(SYS_mbind, a, PG, 2, &node, 64, 0));
		node = 2;
		rc("mbind_bind_node1", syscall(SYS_mbind, a, PG, 2, &node, 64, 0));
		rc("mbind_bind_none", syscall(SYS_mbind, a, PG, 2, NULL, 0, 0));
		rc("mbind_local_nodes", syscall(SYS_mbind, a, PG, 4, &node, 64, 0));
		munmap(a + PG, PG);
		rc("mbind_hole", syscall(SYS_mbind, a, 2 * PG, 4, NULL, 0x7ff, 0));
		munmap(a, PG);
	}
	// MAP_DROPPABLE (Linux 6.11): anonymous only, never locked, a stack or
	// hugetlb; no reserve, wiped on fork, not dumped; reclaim drops its
	// pages even dirty. MADV_WIPEONFORK: anonymous memory only.
	{
		mm("droppable_anon", NULL, PG, RW, MAP_DROPPABLE | MAP_ANONYMOUS, -1, 0);
		mm("droppable_file", NULL, PG, RW, MAP_DROPPABLE, rw, 0);
		mm("droppable_locked", NULL, PG, RW, MAP_DROPPABLE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
		mm("droppable_growsdown", NULL, PG, RW, MAP_DROPPABLE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
		char *d = mmap(NULL, 2 * PG, RW, MAP_DROPPABLE | MAP_ANONYMOUS, -1, 0);
		printf("droppable_vmflags %d%d%d%d\n", vmflag(d, "dp"), vmflag(d, "wf"), vmflag(d, "dd"), vmflag(d, "nr"));
		d[0] = 'A';
		d[PG] = 'A';
		pid_t pid = fork();
		if (pid == 0) _exit(d[0]);
		int st;
		waitpid(pid, &st, 0);
		printf("droppable_fork_child_reads %d\n", WEXITSTATUS(st));
		rc("droppable_mlock", mlock(d, PG));
		printf("droppable_mlock_lo %d\n", vmflag(d, "lo"));
		rc("droppable_keeponfork", madvise(d, PG, MADV_KEEPONFORK));
		rc("droppable_dodump", madvise(d, PG, MADV_DODUMP));
		madvise(d, 2 * PG, MADV_PAGEOUT);
		printf("droppable_pageout_reads %d %d\n", d[0], d[PG]);
		munmap(d, 2 * PG);
		char *a = mmap(NULL, PG, RW, AP, -1, 0);
		a[0] = 'p';
		rc("wipeonfork_anon", madvise(a, PG, MADV_WIPEONFORK));
		printf("wipeonfork_vmflag %d\n", vmflag(a, "wf"));
		pid = fork();
		if (pid == 0) _exit(a[0]);
		waitpid(pid, &st, 0);
		printf("wipeonfork_child_reads %d\n", WEXITSTATUS(st));
		printf("wipeonfork_parent_reads %c\n", a[0]);
		rc("keeponfork_anon", madvise(a, PG, MADV_KEEPONFORK));
		printf("keeponfork_vmflag %d\n", vmflag(a, "wf"));
		rc("dontdump_anon", madvise(a, PG, MADV_DONTDUMP));
		printf("dontdump_vmflag %d\n", vmflag(a, "dd"));
		rc("dodump_anon", madvise(a, PG, MADV_DODUMP));
		munmap(a, PG);
		char *f = mmap(NULL, PG, RW, MAP_PRIVATE, rw, 0);
		rc("wipeonfork_file", madvise(f, PG, MADV_WIPEONFORK));
		munmap(f, PG);
		char *s = mmap(NULL, PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		rc("wipeonfork_shared", madvise(s, PG, MADV_WIPEONFORK));
		munmap(s, PG);
		// Private /dev/zero is anonymous memory (mmap_zero) that keeps its
		// file: maps and map_files name it, and it is no anonymous area to
		// MADV_WIPEONFORK.
		int z = open("/dev/zero", O_RDWR);
		char *zp = mmap(NULL, PG, RW, MAP_PRIVATE, z, 0);
		rc("wipeonfork_zero", madvise(zp, PG, MADV_WIPEONFORK));
		char link[64], target[64] = "";
		snprintf(link, sizeof link, "/proc/self/map_files/%lx-%lx", (unsigned long)zp, (unsigned long)zp + PG);
		ssize_t n = readlink(link, target, sizeof target - 1);
		printf("zero_private_map_files %s\n", n < 0 ? ename(errno) : target);
		munmap(zp, PG);
		close(z);
	}
	// cachestat (Linux 6.5): the page cache of a range of a file.
	{
		unsigned long long r[2] = {0, 0}, cs[5];
		rc("cachestat_badfd", syscall(SYS_cachestat, -1, r, cs, 0));
		rc("cachestat_flags", syscall(SYS_cachestat, rw, r, cs, 1));
		rc("cachestat_range_fault", syscall(SYS_cachestat, rw, NULL, cs, 0));
		rc("cachestat_out_fault", syscall(SYS_cachestat, rw, r, NULL, 0));
		int f = open("cs.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
		write(f, page, PG);
		write(f, page, PG);
		write(f, page, PG);
		syscall(SYS_cachestat, f, r, cs, 0);
		printf("cachestat_written %llu %llu %llu %llu\n", cs[0], cs[1], cs[2], cs[3]);
		r[0] = PG + 1, r[1] = PG;
		syscall(SYS_cachestat, f, r, cs, 0);
		printf("cachestat_straddle %llu %llu\n", cs[0], cs[1]);
		r[0] = 2 * PG, r[1] = 0;
		syscall(SYS_cachestat, f, r, cs, 0);
		printf("cachestat_to_end %llu\n", cs[0]);
		fsync(f);
		r[0] = 0;
		syscall(SYS_cachestat, f, r, cs, 0);
		printf("cachestat_fsynced %llu %llu\n", cs[0], cs[1]);
		close(f);
		int m = memfd_create("cs", 0);
		write(m, page, PG);
		write(m, page, PG);
		syscall(SYS_cachestat, m, r, cs, 0);
		printf("cachestat_memfd %llu %llu\n", cs[0], cs[1]);
		close(m);
	}
	// memfd seals (F_ADD_SEALS, F_GET_SEALS) and what each one stops.
	{
		int m = memfd_create("s", 0);
		printf("seal_default_get %d\n", fcntl(m, F_GET_SEALS));
		rc("seal_default_add", fcntl(m, F_ADD_SEALS, F_SEAL_WRITE));
		close(m);
		m = memfd_create("s", MFD_ALLOW_SEALING);
		printf("seal_allow_get %d\n", fcntl(m, F_GET_SEALS));
		rc("seal_bad", fcntl(m, F_ADD_SEALS, 0x40));
		struct stat st;
		fstat(m, &st);
		printf("seal_exec_mode %o\n", st.st_mode & 0777);
		rc("seal_exec_add", fcntl(m, F_ADD_SEALS, F_SEAL_EXEC));
		printf("seal_exec_get %d\n", fcntl(m, F_GET_SEALS));
		close(m);
		m = memfd_create("s", MFD_NOEXEC_SEAL);
		printf("seal_noexec_get %d\n", fcntl(m, F_GET_SEALS));
		fstat(m, &st);
		printf("seal_noexec_mode %o\n", st.st_mode & 0777);
		close(m);
		printf("seal_regular_get %s\n", fcntl(rw, F_GET_SEALS) < 0 ? ename(errno) : "OK");
		rc("seal_regular_add", fcntl(rw, F_ADD_SEALS, F_SEAL_WRITE));
		m = memfd_create("s", MFD_ALLOW_SEALING);
		ftruncate(m, 2 * PG);
		char *w = mmap(NULL, PG, RW, MAP_SHARED, m, 0);
		rc("seal_write_busy", fcntl(m, F_ADD_SEALS, F_SEAL_WRITE));
		munmap(w, PG);
		rc("seal_write_add", fcntl(m, F_ADD_SEALS, F_SEAL_WRITE));
		printf("seal_write_write %s\n", write(m, page, 1) < 0 ? ename(errno) : "OK");
		mm("seal_write_mmap_shared_rw", NULL, PG, RW, MAP_SHARED, m, 0);
		mm("seal_write_mmap_private_rw", NULL, PG, RW, MAP_PRIVATE, m, 0);
		char *r = mmap(NULL, PG, PROT_READ, MAP_SHARED, m, 0);
		rc("seal_write_mprotect_rw", mprotect(r, PG, RW));
		munmap(r, PG);
		rc("seal_write_ftruncate", ftruncate(m, 3 * PG));
		rc("seal_write_punch", fallocate(m, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, PG));
		rc("seal_seal_add", fcntl(m, F_ADD_SEALS, F_SEAL_SEAL));
		rc("seal_sealed_add", fcntl(m, F_ADD_SEALS, F_SEAL_GROW));
		printf("seal_write_get %d\n", fcntl(m, F_GET_SEALS));
		close(m);
		m = memfd_create("s", MFD_ALLOW_SEALING);
		ftruncate(m, 2 * PG);
		fcntl(m, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW);
		rc("seal_shrink_ftruncate", ftruncate(m, PG));
		rc("seal_grow_ftruncate", ftruncate(m, 3 * PG));
		rc("seal_grow_same", ftruncate(m, 2 * PG));
		printf("seal_grow_write %ld\n", (long)pwrite(m, page, 5000, PG + 100));
		printf("seal_grow_write_end %s\n", pwrite(m, page, 1, 2 * PG) < 0 ? ename(errno) : "OK");
		rc("seal_grow_fallocate", fallocate(m, 0, 0, 3 * PG));
		rc("seal_grow_fallocate_keep", fallocate(m, FALLOC_FL_KEEP_SIZE, 0, 3 * PG));
		rc("seal_grow_fallocate_in", fallocate(m, 0, 0, PG));
		close(m);
		m = memfd_create("s", MFD_ALLOW_SEALING);
		ftruncate(m, PG);
		w = mmap(NULL, PG, RW, MAP_SHARED, m, 0);
		rc("seal_future_add", fcntl(m, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
		w[0] = 'f';
		printf("seal_future_old_mapping %c\n", w[0]);
		printf("seal_future_write %s\n", write(m, page, 1) < 0 ? ename(errno) : "OK");
		mm("seal_future_mmap_shared_rw", NULL, PG, RW, MAP_SHARED, m, 0);
		munmap(w, PG);
		close(m);
	}
	// Last, as it fills the address space: do_mmap refuses once
	// map_count > vm.max_map_count, so a process ends with max + 1 areas.
	{
		static char maps[16 << 20];
		int i;
		for (i = 0;; i++) {
			void *p = mmap(NULL, PG, (i & 1) ? PROT_READ : RW, AP, -1, 0);
			if (p == MAP_FAILED) break;
		}
		int e = errno;
		int fd = open("/proc/self/maps", O_RDONLY);
		long n = 0, r;
		while ((r = read(fd, maps + n, sizeof maps - n)) > 0) n += r;
		int lines = 0;
		for (long k = 0; k < n; k++) lines += maps[k] == '\n';
		if (memmem(maps, n, "[vsyscall]", 10)) lines--; // the gate area is no VMA
		char out[100];
		int k = snprintf(out, sizeof out, "max_map_count_errno %s\nmax_map_count_areas %d\n", ename(e), lines);
		write(1, out, k);
	}
	return 0;
}
