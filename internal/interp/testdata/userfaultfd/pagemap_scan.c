// PAGEMAP_SCAN, the ioctl of /proc/PID/pagemap (Linux 6.7), as an
// unprivileged user sees it: the errnos of its argument checks, the
// categories of pages (written, present, swapped: a uffd-wp marker, file,
// the zero page, huge), the masks that select them, max_pages, the
// output vector and walk_end, and PM_SCAN_WP_MATCHING's write-protect
// through a WP_ASYNC userfaultfd, after which a page counts as written
// only once it is written again; a huge page write-protected whole, and
// split when only part of it is.
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/fs.h>
#include <linux/userfaultfd.h>

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif
#ifndef UFFD_FEATURE_WP_UNPOPULATED
#define UFFD_FEATURE_WP_UNPOPULATED (1 << 13)
#endif
#ifndef UFFD_FEATURE_WP_ASYNC
#define UFFD_FEATURE_WP_ASYNC (1 << 15)
#endif
#ifndef PAGEMAP_SCAN
// <linux/fs.h> of Linux 6.7 (this machine's headers may be older).
struct page_region {
	unsigned long long start, end, categories;
};
struct pm_scan_arg {
	unsigned long long size, flags, start, end, walk_end, vec, vec_len, max_pages;
	unsigned long long category_inverted, category_mask, category_anyof_mask, return_mask;
};
#define PAGEMAP_SCAN _IOWR('f', 16, struct pm_scan_arg)
#define PAGE_IS_WPALLOWED (1 << 0)
#define PAGE_IS_WRITTEN (1 << 1)
#define PAGE_IS_FILE (1 << 2)
#define PAGE_IS_PRESENT (1 << 3)
#define PAGE_IS_SWAPPED (1 << 4)
#define PAGE_IS_PFNZERO (1 << 5)
#define PAGE_IS_HUGE (1 << 6)
#define PAGE_IS_SOFT_DIRTY (1 << 7)
#define PM_SCAN_WP_MATCHING (1 << 0)
#define PM_SCAN_CHECK_WPASYNC (1 << 1)
#endif

#define WRITTEN PAGE_IS_WRITTEN
#define ALL (PAGE_IS_WPALLOWED | PAGE_IS_WRITTEN | PAGE_IS_FILE | PAGE_IS_PRESENT | \
	     PAGE_IS_SWAPPED | PAGE_IS_PFNZERO | PAGE_IS_HUGE)
#define WP (PM_SCAN_WP_MATCHING | PM_SCAN_CHECK_WPASYNC)

static long pg;
static int pagemap, uffd;
static struct page_region vec[1024];
static unsigned long long walk_end;

// scan is PAGEMAP_SCAN of [start, start+len) into vec[n] (n 0: no vector),
// with the masks; it returns the regions or -errno, and sets walk_end.
static long scan(char *start, long len, long n, int flags, long max, long req, long anyof, long inv, long ret)
{
	struct pm_scan_arg a = {
		.size = sizeof(a), .flags = flags, .start = (uintptr_t)start, .end = (uintptr_t)start + len,
		.vec = n ? (uintptr_t)vec : 0, .vec_len = n, .max_pages = max,
		.category_mask = req, .category_anyof_mask = anyof, .category_inverted = inv, .return_mask = ret,
	};
	long r = ioctl(pagemap, PAGEMAP_SCAN, &a);
	walk_end = a.walk_end;
	return r < 0 ? -errno : r;
}

// show prints a scan's result: its regions as page offsets from base.
static void show(const char *what, char *base, long r)
{
	printf("%-28s", what);
	if (r < 0) {
		printf(" %s\n", strerror(-r));
		return;
	}
	printf(" %ld:", r);
	for (long i = 0; i < r && i < 8; i++)
		printf(" [%lld,%lld)%llx", (long long)(vec[i].start - (uintptr_t)base) / pg,
		       (long long)(vec[i].end - (uintptr_t)base) / pg, vec[i].categories);
	if (r > 8)
		printf(" ...");
	printf(" end %lld\n", (long long)(walk_end - (uintptr_t)base) / pg);
}

static void reg(char *p, long len)
{
	struct uffdio_register r = { .range = { (uintptr_t)p, len }, .mode = UFFDIO_REGISTER_MODE_WP };
	if (ioctl(uffd, UFFDIO_REGISTER, &r))
		perror("UFFDIO_REGISTER");
}

static void unreg(char *p, long len)
{
	struct uffdio_range r = { (uintptr_t)p, len };
	if (ioctl(uffd, UFFDIO_UNREGISTER, &r))
		perror("UFFDIO_UNREGISTER");
}

int main(void)
{
	pg = sysconf(_SC_PAGESIZE);
	pagemap = open("/proc/self/pagemap", O_RDONLY);
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
	struct uffdio_api api = { .api = UFFD_API, .features = UFFD_FEATURE_WP_ASYNC | UFFD_FEATURE_WP_UNPOPULATED };
	if (pagemap < 0 || uffd < 0 || ioctl(uffd, UFFDIO_API, &api)) {
		perror("setup");
		return 1;
	}
	// 16 pages at the start of a 2 MiB no other mapping shares, so that
	// no PTE table is there until the program touches a page.
	char *mraw = mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *m = (char *)(((uintptr_t)mraw + (2 << 20) - 1) & ~((2UL << 20) - 1));

	// The argument checks, in the kernel's order.
	struct pm_scan_arg a = { .size = sizeof(a), .start = (uintptr_t)m, .end = (uintptr_t)m + pg };
	a.size = 80;
	printf("size 80: %s\n", ioctl(pagemap, PAGEMAP_SCAN, &a) ? strerror(errno) : "ok");
	a.size = sizeof(a);
	printf("bad pointer: %s\n", ioctl(pagemap, PAGEMAP_SCAN, (void *)8) ? strerror(errno) : "ok");
	int maps = open("/proc/self/maps", O_RDONLY);
	printf("PAGEMAP_SCAN of maps: %s\n", ioctl(maps, PAGEMAP_SCAN, &a) ? strerror(errno) : "ok");
	close(maps);
	show("flag 4", m, scan(m, pg, 4, 4, 0, WRITTEN, 0, 0, WRITTEN));
	// (0x200: Linux 6.14's PAGE_IS_GUARD is 0x100.)
	show("category 0x200", m, scan(m, pg, 4, 0, 0, 0x200, 0, 0, WRITTEN));
	show("return 0x200", m, scan(m, pg, 4, 0, 0, 0, 0, 0, 0x200));
	// PAGE_IS_GUARD (Linux 6.14, as on this machine) is taken: there is
	// no guard region (MADV_GUARD_INSTALL) here.
	show("category PAGE_IS_GUARD", m, scan(m, pg, 4, 0, 0, 0x100, 0, 0, WRITTEN));
	show("return PAGE_IS_GUARD", m, scan(m, pg, 4, 0, 0, 0, 0, 0, 0x100 | WRITTEN));
	// Any other request is EINVAL on this machine (6.18), ENOTTY in 6.12.
	printf("pagemap ioctl 0x1234: %s\n", ioctl(pagemap, 0x1234, 0) ? strerror(errno) : "ok");
	printf("pagemap _IO('f', 17): %s\n", ioctl(pagemap, _IO('f', 17), 0) ? strerror(errno) : "ok");
	show("start unaligned", m, scan(m + 1, pg, 4, 0, 0, 0, 0, 0, WRITTEN));
	show("end before start", m, scan(m, -pg, 4, 0, 0, 0, 0, 0, WRITTEN));
	show("end past user space", (char *)0, scan((char *)0x7ffffffff000, 2 * pg, 4, 0, 0, 0, 0, 0, WRITTEN));
	{
		struct pm_scan_arg b = { .size = sizeof(b), .start = (uintptr_t)m, .end = (uintptr_t)m + pg, .vec_len = 1 };
		printf("vec_len without vec: %s\n", ioctl(pagemap, PAGEMAP_SCAN, &b) ? strerror(errno) : "ok");
		b.vec = 0x7ffffffff000;
		b.vec_len = 1000;
		printf("vec past user space: %s\n", ioctl(pagemap, PAGEMAP_SCAN, &b) ? strerror(errno) : "ok");
	}
	show("empty range", m, scan(m, 0, 4, 0, 0, 0, 0, 0, WRITTEN));
	show("end rounded up", m, scan(m, 1, 4, 0, 0, 0, 0, 0, ALL));

	// An area no userfaultfd knows: written means not write-protected;
	// unpopulated pages of a PTE table that is there are written too, a
	// hole (no table) not.
	show("not registered: WP", m, scan(m, 16 * pg, 4, WP, 0, WRITTEN, 0, 0, WRITTEN));
	show("not registered: WP only", m, scan(m, 16 * pg, 4, PM_SCAN_WP_MATCHING, 0, WRITTEN, 0, 0, WRITTEN));
	show("not registered: hole", m, scan(m, 16 * pg, 4, 0, 0, 0, 0, 0, ALL));
	m[3 * pg] = 1;
	(void)*(volatile char *)(m + 5 * pg);
	show("not registered", m, scan(m, 16 * pg, 8, 0, 0, 0, 0, 0, ALL));
	show("not registered: present", m, scan(m, 16 * pg, 8, 0, 0, PAGE_IS_PRESENT, 0, 0, ALL));
	show("not registered: zero page", m, scan(m, 16 * pg, 8, 0, 0, PAGE_IS_PFNZERO, 0, 0, PAGE_IS_PFNZERO));
	show("wpallowed required", m, scan(m, 16 * pg, 8, 0, 0, PAGE_IS_WPALLOWED, 0, 0, ALL));
	show("wpallowed inverted", m, scan(m, 16 * pg, 8, 0, 0, PAGE_IS_WPALLOWED, 0, PAGE_IS_WPALLOWED, ALL));

	// Registered for WP_ASYNC: the scan write-protects, a write undoes it.
	reg(m, 16 * pg);
	show("registered", m, scan(m, 16 * pg, 8, 0, 0, 0, 0, 0, ALL));
	show("registered: WP", m, scan(m, 16 * pg, 8, WP, 0, WRITTEN, 0, 0, WRITTEN));
	show("after WP", m, scan(m, 16 * pg, 8, 0, 0, 0, 0, 0, ALL));
	show("after WP: written", m, scan(m, 16 * pg, 8, 0, 0, WRITTEN, 0, 0, WRITTEN));
	m[0] = 1;
	m[pg] = 1;
	m[7 * pg] = 1;
	(void)*(volatile char *)(m + 9 * pg);
	m[3 * pg] = 2;
	show("written 0 1 3 7", m, scan(m, 16 * pg, 8, 0, 0, WRITTEN, 0, 0, WRITTEN));
	show("read 9", m, scan(m, 16 * pg, 8, 0, 0, 0, 0, 0, ALL));
	show("present, not written", m, scan(m, 16 * pg, 8, 0, 0, PAGE_IS_PRESENT, 0, WRITTEN, ALL));
	show("anyof swapped|written", m, scan(m, 16 * pg, 8, 0, 0, 0, PAGE_IS_SWAPPED | WRITTEN, 0, ALL));
	show("max_pages 2", m, scan(m, 16 * pg, 8, 0, 2, WRITTEN, 0, 0, WRITTEN));
	show("max_pages 3 WP", m, scan(m, 16 * pg, 8, WP, 3, WRITTEN, 0, 0, WRITTEN));
	show("the rest", m, scan(m, 16 * pg, 8, 0, 0, WRITTEN, 0, 0, WRITTEN));
	show("vec of 1", m, scan(m, 16 * pg, 1, 0, 0, WRITTEN, 0, 0, WRITTEN));
	show("vec of 1 WP", m, scan(m, 16 * pg, 1, WP, 0, WRITTEN, 0, 0, WRITTEN));
	show("nothing written", m, scan(m, 16 * pg, 8, 0, 0, WRITTEN, 0, 0, WRITTEN));
	memset(m, 3, 16 * pg);
	show("all written", m, scan(m, 16 * pg, 8, 0, 0, WRITTEN, 0, 0, WRITTEN));
	show("WP, no vector", m, scan(m, 16 * pg, 0, WP, 0, WRITTEN, 0, 0, WRITTEN));
	show("none left", m, scan(m + 2 * pg, 4 * pg, 8, 0, 0, WRITTEN, 0, 0, WRITTEN));
	madvise(m + 4 * pg, 2 * pg, MADV_DONTNEED);
	show("after DONTNEED", m, scan(m, 16 * pg, 8, 0, 0, 0, 0, 0, ALL));
	// Alternate pages, more regions than the kernel's buffer of 512.
	char *big = mmap(NULL, 1200 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg(big, 1200 * pg);
	scan(big, 1200 * pg, 0, WP, 0, WRITTEN, 0, 0, WRITTEN);
	for (int i = 0; i < 1200; i += 2)
		big[i * pg] = 1;
	long r = scan(big, 1200 * pg, 1024, 0, 0, WRITTEN, 0, 0, WRITTEN);
	printf("alternate pages: %ld regions, last [%lld,%lld) end %lld\n", r,
	       (long long)(vec[r - 1].start - (uintptr_t)big) / pg, (long long)(vec[r - 1].end - (uintptr_t)big) / pg,
	       (long long)(walk_end - (uintptr_t)big) / pg);
	r = scan(big, 1200 * pg, 1024, WP, 700, WRITTEN, 0, 0, WRITTEN);
	printf("WP 700 pages: %ld regions, end %lld\n", r, (long long)(walk_end - (uintptr_t)big) / pg);
	r = scan(big, 1200 * pg, 1024, 0, 0, WRITTEN, 0, 0, WRITTEN);
	printf("left: %ld regions, first at %lld\n", r, (long long)(vec[0].start - (uintptr_t)big) / pg);
	unreg(big, 1200 * pg);
	munmap(big, 1200 * pg);

	// CHECK_WPASYNC fails where an area is not registered: after what
	// came before it was written out.
	char *two = mmap(NULL, 8 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg(two, 4 * pg);
	memset(two, 1, 8 * pg);
	memset(vec, 0, sizeof(vec));
	show("half registered: CHECK", two, scan(two, 8 * pg, 8, WP, 0, WRITTEN, 0, 0, WRITTEN));
	printf("vec[0] [%lld,%lld)\n", (long long)(vec[0].start - (uintptr_t)two) / pg, (long long)(vec[0].end - (uintptr_t)two) / pg);
	memset(two, 1, 4 * pg);
	show("half registered: WP only", two, scan(two, 8 * pg, 8, PM_SCAN_WP_MATCHING, 0, WRITTEN, 0, 0, WRITTEN));
	show("then", two, scan(two, 8 * pg, 8, 0, 0, 0, 0, 0, ALL));
	unreg(two, 4 * pg);
	munmap(two, 8 * pg);

	// A file's private mapping: markers where no page is, a file's page
	// when read, an anonymous one once written.
	int fd = open("scan.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
	char buf[4096];
	memset(buf, 'f', sizeof(buf));
	for (int i = 0; i < 4; i++)
		write(fd, buf, sizeof(buf));
	char *f = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	show("file: not touched", f, scan(f, 4 * pg, 8, 0, 0, 0, 0, 0, ALL));
	reg(f, 4 * pg);
	show("file: WP", f, scan(f, 4 * pg, 8, WP, 0, WRITTEN, 0, 0, WRITTEN));
	(void)*(volatile char *)(f + pg);
	f[2 * pg] = 'g';
	show("file: read 1, wrote 2", f, scan(f, 4 * pg, 8, 0, 0, 0, 0, 0, ALL));
	unreg(f, 4 * pg);
	munmap(f, 4 * pg);
	close(fd);
	unlink("scan.tmp");

	// A huge page: write-protected whole it stays huge (and a fork's
	// child, whose area is not registered, does not inherit uffd-wp); a
	// write splits it, as does a scan of part of it.
	char *raw = mmap(NULL, 8 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *h = (char *)(((uintptr_t)raw + (2 << 20) - 1) & ~((2UL << 20) - 1));
	madvise(h, 4 << 20, MADV_HUGEPAGE);
	memset(h, 1, 4 << 20);
	show("huge", h, scan(h, 4 << 20, 8, 0, 0, 0, 0, 0, ALL));
	reg(h, 4 << 20);
	show("huge registered", h, scan(h, 4 << 20, 8, 0, 0, 0, 0, 0, ALL));
	show("huge: WP", h, scan(h, 4 << 20, 8, WP, 0, WRITTEN, 0, 0, WRITTEN | PAGE_IS_HUGE));
	show("huge after WP", h, scan(h, 4 << 20, 8, 0, 0, 0, 0, 0, ALL));
	unsigned long long ent;
	pread(pagemap, &ent, 8, (uintptr_t)(h + 3 * pg) / pg * 8);
	printf("pagemap uffd-wp: %d\n", (int)(ent >> 57 & 1));
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		int cpm = open("/proc/self/pagemap", O_RDONLY);
		pread(cpm, &ent, 8, (uintptr_t)(h + 3 * pg) / pg * 8);
		printf("the child's pagemap uffd-wp: %d\n", (int)(ent >> 57 & 1));
		fflush(stdout);
		_exit(0);
	}
	waitpid(child, NULL, 0);
	h[5 * pg] = 2;
	show("huge: wrote page 5", h, scan(h, 4 << 20, 8, 0, 0, 0, 0, 0, ALL));
	show("huge: written", h, scan(h, 4 << 20, 8, 0, 0, WRITTEN, 0, 0, ALL));
	memset(h, 3, 4 << 20);
	show("huge: WP 100 pages", h, scan(h, 4 << 20, 8, WP, 100, WRITTEN, 0, 0, WRITTEN | PAGE_IS_HUGE));
	show("huge: after", h, scan(h, 4 << 20, 8, 0, 0, 0, 0, 0, ALL));
	unreg(h, 4 << 20);
	munmap(raw, 8 << 20);

	// The huge zero page write-protected whole: a write splits the PMD,
	// the other pages staying the zero page, write-protected.
	raw = mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	h = (char *)(((uintptr_t)raw + (2 << 20) - 1) & ~((2UL << 20) - 1));
	madvise(h, 2 << 20, MADV_HUGEPAGE);
	(void)*(volatile char *)(h + 3 * pg);
	show("huge zero", h, scan(h, 2 << 20, 8, 0, 0, 0, 0, 0, ALL));
	reg(h, 2 << 20);
	show("huge zero: WP", h, scan(h, 2 << 20, 8, WP, 0, WRITTEN, 0, 0, WRITTEN | PAGE_IS_HUGE));
	show("huge zero after WP", h, scan(h, 2 << 20, 8, 0, 0, 0, 0, 0, ALL));
	h[7 * pg] = 1;
	show("huge zero: wrote page 7", h, scan(h, 2 << 20, 8, 0, 0, 0, 0, 0, ALL));
	unreg(h, 2 << 20);
	munmap(raw, 4 << 20);
	munmap(mraw, 4 << 20);
	return 0;
}
