/*
 * playground.h, native edition.
 *
 * The playground's simulated kernel answers these five calls from its own
 * model; this header answers them on the real Linux kernel, from
 * /proc/self/maps and /proc/self/pagemap, so that the same program can be
 * compiled with gcc and run natively to hold the model to the truth.
 *
 *   int  vma_count(void *addr, size_t len)     areas overlapping [addr, addr+len)
 *   int  present_pages(void *addr, size_t len) pages with a present PTE
 *   void show_maps(void)                       the program's own areas, maps form
 *   void show_pages(void *addr, size_t len)    a line per page: state and bits
 *   void checkpoint(const char *label)         a marker the playground's tracer sees
 *
 * Everything is static inline so that an unused function draws no warning
 * under gcc -Wall, and nothing here calls malloc, so looking does not change
 * the address space being looked at.
 */
#ifndef PLAYGROUND_H
#define PLAYGROUND_H

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PG_PAGE_SIZE 4096UL

/*
 * pg_marker is how a program built for the real engine talks to the
 * playground's tracer: a system call with a number Linux does not assign
 * (PG_MARKER_NR), which the kernel answers with ENOSYS and the tracer,
 * stopped at its entry, reads as a marker: checkpoint's label, or the start
 * and end of an inspection (show_maps, show_pages...), whose own /proc reads
 * the tracer leaves out of the trace. Made with inline assembly so that errno
 * is not touched; natively, untraced, it costs one failed system call.
 * internal/engine/realkernel holds the same numbers (program_linux_amd64.go).
 */
#define PG_MARKER_NR 0x706c67 /* "pgl" */
#define PG_MARK_CHECKPOINT 1
#define PG_MARK_QUIET 2
#define PG_MARK_LOUD 3
#define PG_MARK_START 4

static inline void pg_marker(long what, const void *arg)
{
#if defined(__x86_64__)
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"(PG_MARKER_NR), "D"(what), "S"(arg)
			 : "rcx", "r11", "memory");
	(void)ret;
#else
	(void)what;
	(void)arg;
#endif
}

/* pg_maps_read reads /proc/self/maps whole into a static buffer. */
static inline const char *pg_maps_read(void)
{
	static char buf[1 << 20];
	size_t n = 0;
	int fd;
	pg_marker(PG_MARK_QUIET, 0);
	fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pg_marker(PG_MARK_LOUD, 0);
		return "";
	}
	for (;;) {
		ssize_t r = read(fd, buf + n, sizeof(buf) - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	pg_marker(PG_MARK_LOUD, 0);
	buf[n] = '\0';
	return buf;
}

static inline unsigned long pg_hex(const char **p)
{
	unsigned long v = 0;
	for (;;) {
		char c = **p;
		if (c >= '0' && c <= '9')
			v = v * 16 + (unsigned long)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (unsigned long)(c - 'a' + 10);
		else
			return v;
		(*p)++;
	}
}

/* vma_count is how many areas overlap [addr, addr+len). */
static inline int vma_count(void *addr, size_t len)
{
	unsigned long lo = (unsigned long)addr, hi = lo + len;
	const char *p = pg_maps_read();
	int n = 0;
	if (len == 0)
		hi = lo + 1;
	while (*p) {
		unsigned long s = pg_hex(&p), e;
		if (*p == '-')
			p++;
		e = pg_hex(&p);
		if (s < hi && lo < e)
			n++;
		while (*p && *p != '\n')
			p++;
		if (*p)
			p++;
	}
	return n;
}

/* pg_pagemap returns the pagemap entry of the page at va (0 if unreadable). */
static inline uint64_t pg_pagemap(unsigned long va)
{
	static int fd = -1;
	uint64_t ent = 0;
	pg_marker(PG_MARK_QUIET, 0);
	if (fd < 0)
		fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && pread(fd, &ent, sizeof ent, (off_t)(va / PG_PAGE_SIZE * 8)) != sizeof ent)
		ent = 0;
	pg_marker(PG_MARK_LOUD, 0);
	return ent;
}

/* present_pages counts the pages of [addr, addr+len) with a present PTE. */
static inline int present_pages(void *addr, size_t len)
{
	unsigned long va = (unsigned long)addr & ~(PG_PAGE_SIZE - 1);
	unsigned long end = ((unsigned long)addr + len + PG_PAGE_SIZE - 1) & ~(PG_PAGE_SIZE - 1);
	static uint64_t ents[512];
	int n = 0, fd;
	pg_marker(PG_MARK_QUIET, 0);
	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pg_marker(PG_MARK_LOUD, 0);
		return -1;
	}
	while (va < end) {
		unsigned long cnt = (end - va) / PG_PAGE_SIZE, i;
		ssize_t r;
		if (cnt > 512)
			cnt = 512;
		r = pread(fd, ents, cnt * 8, (off_t)(va / PG_PAGE_SIZE * 8));
		if (r <= 0)
			break;
		cnt = (unsigned long)r / 8;
		for (i = 0; i < cnt; i++)
			if (ents[i] >> 63)
				n++;
		va += cnt * PG_PAGE_SIZE;
	}
	close(fd);
	pg_marker(PG_MARK_LOUD, 0);
	return n;
}

/* pg_is_own reports whether a maps line's file is the program's own doing:
 * its mappings of files, [heap], [stack] and anonymous areas, not the
 * executable, the shared libraries, or the kernel's [vdso] and [vvar]. */
static inline int pg_is_own(const char *path, size_t n, const char *exe, size_t exelen)
{
	size_t i;
	if (n == 0)
		return 1;
	if (n == exelen && memcmp(path, exe, n) == 0)
		return 0;
	if (path[0] == '[')
		return (n == 6 && memcmp(path, "[heap]", 6) == 0) ||
		       (n == 7 && memcmp(path, "[stack]", 7) == 0);
	for (i = 0; i + 3 <= n; i++)
		if (memcmp(path + i, ".so", 3) == 0 && (i + 3 == n || path[i + 3] == '.'))
			return 0;
	return 1;
}

/* show_maps prints the program's own areas as /proc/self/maps lists them
 * ("start-end perms offset dev inode path"), with the path shortened to its
 * last component, as the playground's model names files. The anonymous
 * areas the dynamic loader makes next to a library are left out with it. */
static inline void show_maps(void)
{
	static char exe[4096];
	ssize_t exelen;
	const char *p;
	pg_marker(PG_MARK_QUIET, 0);
	exelen = readlink("/proc/self/exe", exe, sizeof exe - 1);
	pg_marker(PG_MARK_LOUD, 0);
	p = pg_maps_read();
	int prev_lib = 0;
	if (exelen < 0)
		exelen = 0;
	fflush(stdout);
	while (*p) {
		const char *line = p, *eol = strchr(p, '\n'), *path;
		unsigned long s, e;
		size_t n;
		int f;
		if (!eol)
			eol = p + strlen(p);
		s = pg_hex(&p);
		p++;
		e = pg_hex(&p);
		/* the path starts after the fifth field */
		for (path = line, f = 0; path < eol && f < 5; f++) {
			while (path < eol && *path != ' ')
				path++;
			while (path < eol && *path == ' ')
				path++;
		}
		n = (size_t)(eol - path);
		if (pg_is_own(path, n, exe, (size_t)exelen) && !(n == 0 && prev_lib)) {
			const char *base = path;
			const char *q;
			char perms[5];
			unsigned long off;
			p = line;
			while (*p != ' ')
				p++;
			p++;
			memcpy(perms, p, 4);
			perms[4] = '\0';
			p += 5;
			off = pg_hex(&p);
			for (q = path; q < eol; q++)
				if (*q == '/')
					base = q + 1;
			if (path[0] == '[')
				base = path;
			printf("%08lx-%08lx %s %08lx 00:00 0", s, e, perms, off);
			if (eol > base)
				printf("                   %.*s", (int)(eol - base), base);
			printf("\n");
			prev_lib = 0;
		} else {
			prev_lib = n > 0;
		}
		p = *eol ? eol + 1 : eol;
	}
	fflush(stdout);
}

/* show_pages prints a line per page of [addr, addr+len): its address, its
 * state (none, present, swapped) and the pagemap bits Linux reports. */
static inline void show_pages(void *addr, size_t len)
{
	unsigned long va = (unsigned long)addr & ~(PG_PAGE_SIZE - 1);
	unsigned long end = (unsigned long)addr + len;
	fflush(stdout);
	for (; va < end; va += PG_PAGE_SIZE) {
		uint64_t ent = pg_pagemap(va);
		const char *state = ent >> 63 ? "present" : (ent >> 62) & 1 ? "swapped" : "none";
		printf("%012lx %s%s%s%s\n", va, state,
		       (ent >> 61) & 1 ? " file" : "",
		       (ent >> 56) & 1 ? " exclusive" : "",
		       (ent >> 55) & 1 ? " soft-dirty" : "");
	}
	fflush(stdout);
}

/* checkpoint marks a moment in the trace: the model's, or the tracer's on
 * the real engine; natively, untraced, it does nothing. */
static inline void checkpoint(const char *label)
{
	pg_marker(PG_MARK_CHECKPOINT, label);
}

#endif
