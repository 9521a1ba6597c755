// procfs.c: what this machine's kernel prints in /proc and /sys for a
// program's own mappings. sim's TestProcMatchesKernel makes the same
// mappings on the model, reads the model's files the same way, and
// compares. Run in an empty directory, as a process with no other areas
// of these kinds being made meanwhile.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PG 4096UL

static char buf[1 << 20];

// slurp reads a whole file with read(2), 4 KiB at a time, as a program
// that knows nothing of seq_file would.
static long slurp(const char *path) {
	int fd = open(path, O_RDONLY);
	long n = 0, r;
	while ((r = read(fd, buf + n, 4096)) > 0) n += r;
	close(fd);
	buf[n] = 0;
	return n;
}

struct area { const char *label; char *addr; size_t len; } areas[8];
int nareas;

static void add(const char *label, char *addr, size_t len) { areas[nareas++] = (struct area){label, addr, len}; }

static const char *labelOf(uintptr_t start) {
	for (int i = 0; i < nareas; i++)
		if ((uintptr_t)areas[i].addr == start) return areas[i].label;
	return NULL;
}

// statusField prints the lines of status (or any "Name:\tvalue" file)
// with a tag.
static void dump(const char *tag, const char *path) {
	slurp(path);
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n")) printf("%s %s\n", tag, l);
}

int main(void) {
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	char page[2 * PG];
	memset(page, 'x', sizeof page);
	int fd = open("data.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd, page, sizeof page);
	dump("warm", "/proc/self/statm"); // printf's code faulted in too
	// Once for nothing, so the C library's code these calls run is
	// already faulted in when status0 is read; then for the record.
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < nareas; i++) munmap(areas[i].addr, areas[i].len);
		nareas = 0;
		if (round == 1) {
			dump("status0", "/proc/self/status");
			dump("statm0", "/proc/self/statm");
		}
		// A guard page above, so no area merges with one of the C library's.
		char *g = mmap(NULL, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		add("guard", g, PG);
		char *a = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		a[0] = 1;
		(void)*(volatile char *)(a + PG);
		add("anon", a, 4 * PG);
		char *s = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		s[0] = 's';
		(void)*(volatile char *)(s + PG);
		add("shared_file", s, 2 * PG);
		char *p = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, PG);
		(void)*(volatile char *)p;
		add("private_file", p, 2 * PG);
		char *m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		m[0] = 1;
		add("shared_anon", m, PG);
		char *l = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		mlock(l, 2 * PG);
		add("locked", l, 2 * PG);
		char *f = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		f[0] = f[PG] = 1;
		madvise(f, 2 * PG, MADV_FREE);
		add("lazyfree", f, 2 * PG);
		char *r = mmap(NULL, 3 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		add("readonly", r, 3 * PG);
	}

	dump("status1", "/proc/self/status");
	dump("statm1", "/proc/self/statm");

	// maps and smaps: the lines of our own areas.
	slurp("/proc/self/maps");
	for (char *x = strtok(buf, "\n"); x; x = strtok(NULL, "\n")) {
		unsigned long lo;
		const char *lab;
		if (sscanf(x, "%lx-", &lo) == 1 && (lab = labelOf(lo))) printf("maps %s %s\n", lab, x);
	}
	slurp("/proc/self/smaps");
	const char *cur = NULL;
	for (char *x = strtok(buf, "\n"); x; x = strtok(NULL, "\n")) {
		unsigned long lo;
		char c;
		if (sscanf(x, "%lx-%*lx %c", &lo, &c) == 2 && strchr(x, ' ') - x > 16) {
			cur = labelOf(lo);
			if (cur) printf("smaps %s %s\n", cur, x);
		} else if (cur) {
			printf("smaps %s %s\n", cur, x);
		}
	}
	slurp("/proc/self/smaps_rollup");
	for (char *x = strtok(buf, "\n"); x; x = strtok(NULL, "\n")) {
		char name[64];
		if (sscanf(x, "%63[^:]:", name) == 1 && !strchr(name, '-')) printf("rollup %s\n", name);
		else printf("rolluphead %s\n", strrchr(x, ' ') + 1);
	}

	// pagemap: the flag bits of each page of our areas.
	int pm = open("/proc/self/pagemap", O_RDONLY);
	for (int i = 0; i < nareas; i++) {
		for (size_t k = 0; k < areas[i].len / PG; k++) {
			uint64_t e = 0;
			pread(pm, &e, 8, ((uintptr_t)areas[i].addr / PG + k) * 8);
			printf("pagemap %s %zu %d%d%d%d%d pfn=%d\n", areas[i].label, k, (int)(e >> 63 & 1), (int)(e >> 62 & 1),
			       (int)(e >> 61 & 1), (int)(e >> 56 & 1), (int)(e >> 55 & 1), (e & ((1ULL << 55) - 1)) != 0);
		}
	}
	close(pm);

	// The global files: their field names, and the settings' values.
	slurp("/proc/meminfo");
	for (char *x = strtok(buf, "\n"); x; x = strtok(NULL, "\n")) {
		char *colon = strchr(x, ':');
		// Where the kernel's "%8lu kB" field ends, as if the number had at
		// most 8 digits: a busy host's Committed_AS overflows the field.
		char *kb = strstr(x, " kB");
		long end = -1;
		if (kb) {
			char *d = kb;
			while (d > x && d[-1] >= '0' && d[-1] <= '9')
				d--;
			end = (long)(kb - x) - (kb - d > 8 ? (long)(kb - d) - 8 : 0);
		}
		printf("meminfo %.*s %ld\n", (int)(colon - x), x, end);
	}
	const char *vm[] = {"max_map_count", "overcommit_memory", "overcommit_ratio", "mmap_min_addr", "page-cluster",
	                    "swappiness", "dirty_expire_centisecs", "dirty_writeback_centisecs", "dirty_ratio",
	                    "dirty_background_ratio"};
	for (size_t i = 0; i < sizeof vm / sizeof vm[0]; i++) {
		char path[128];
		snprintf(path, sizeof path, "/proc/sys/vm/%s", vm[i]);
		slurp(path);
		printf("sysctl %s %s", vm[i], buf);
	}
	slurp("/sys/kernel/mm/transparent_hugepage/enabled");
	printf("thp_enabled %s", buf);
	slurp("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size");
	printf("hpage_pmd_size %s", buf);
	return 0;
}
