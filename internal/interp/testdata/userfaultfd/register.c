// userfaultfd(2)'s file, UFFDIO_API, UFFDIO_REGISTER, UFFDIO_UNREGISTER
// and UFFDIO_WRITEPROTECT as an unprivileged user sees them: the errnos
// of each check, the areas split and merged by registration (smaps'
// VmFlags um/uw), and the uffd-wp bit in pagemap (bit 57) with
// WP_ASYNC and WP_UNPOPULATED.
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
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

static long pg;

// E is a call's result and errno, read in that order.
static char ebuf[8][96];
static int ei;
#define E(call) ({ int f_ = (call) < 0; e_(f_, errno); })
static const char *e_(int failed, int e)
{
	char *b = ebuf[ei++ % 8];
	snprintf(b, 96, "%s", failed ? strerror(e) : "ok");
	return b;
}

static int uffd_new(unsigned long long features, int *err)
{
	int fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
	struct uffdio_api api = { .api = UFFD_API, .features = features };
	*err = 0;
	if (fd < 0 || ioctl(fd, UFFDIO_API, &api))
		*err = errno;
	return fd;
}

static int reg(int fd, void *p, unsigned long len, unsigned long long mode, unsigned long long *ioctls)
{
	struct uffdio_register r = { .range = { (unsigned long)p, len }, .mode = mode };
	int ret = ioctl(fd, UFFDIO_REGISTER, &r);
	if (ioctls)
		*ioctls = r.ioctls;
	return ret ? errno : 0;
}

static int unreg(int fd, void *p, unsigned long len)
{
	struct uffdio_range r = { (unsigned long)p, len };
	return ioctl(fd, UFFDIO_UNREGISTER, &r) ? errno : 0;
}

static int wp(int fd, void *p, unsigned long len, unsigned long long mode)
{
	struct uffdio_writeprotect w = { .range = { (unsigned long)p, len }, .mode = mode };
	return ioctl(fd, UFFDIO_WRITEPROTECT, &w) ? errno : 0;
}

// areas prints the areas of [p, p+len) with their uffd VmFlags.
static void areas(const char *what, char *p, unsigned long len)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	unsigned long s = 0, e = 0;
	printf("%s:", what);
	while (fgets(line, sizeof line, f)) {
		unsigned long a, b;
		if (sscanf(line, "%lx-%lx ", &a, &b) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			s = a, e = b;
			continue;
		}
		if (strncmp(line, "VmFlags:", 8) == 0 && e > (unsigned long)p && s < (unsigned long)p + len) {
			// Clipped to [p, p+len): what lies around is not the test's.
			if (s < (unsigned long)p)
				s = (unsigned long)p;
			if (e > (unsigned long)p + len)
				e = (unsigned long)p + len;
			printf(" [%ld,%ld)", (long)(s - (unsigned long)p) / pg, (long)(e - (unsigned long)p) / pg);
			if (strstr(line, " um"))
				printf("um");
			if (strstr(line, " uw"))
				printf("uw");
		}
	}
	printf("\n");
	fclose(f);
}

static int pm;

static void wpbits(const char *what, char *p, int n)
{
	printf("%s:", what);
	for (int i = 0; i < n; i++) {
		uint64_t ent;
		pread(pm, &ent, 8, ((unsigned long)p / pg + i) * 8);
		printf(" %c%c%c", ent >> 63 & 1 ? 'P' : '-', ent >> 62 & 1 ? 'S' : '-', ent >> 57 & 1 ? 'W' : '-');
	}
	printf("\n");
}

int main(void)
{
	pg = sysconf(_SC_PAGESIZE);
	pm = open("/proc/self/pagemap", O_RDONLY);
	int err;

	// The file.
	int fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	printf("no USER_MODE_ONLY: %s\n", e_(fd < 0, errno));
	fd = syscall(SYS_userfaultfd, 0x10 | UFFD_USER_MODE_ONLY);
	printf("bad flags: %s\n", e_(fd < 0, errno));
	fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
	char path[64], link[64] = "";
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	readlink(path, link, sizeof link - 1);
	printf("link %s, F_GETFL %o\n", link, fcntl(fd, F_GETFL));
	char msg[32];
	printf("read before API: %s\n", E(read(fd, msg, sizeof msg)));
	struct uffdio_register r0 = { 0 };
	printf("register before API: %s\n", E(ioctl(fd, UFFDIO_REGISTER, &r0)));

	// UFFDIO_API.
	struct uffdio_api api = { .api = 0xab };
	printf("api 0xab: %s", E(ioctl(fd, UFFDIO_API, &api)));
	printf(" features %llx\n", (unsigned long long)api.features);
	api = (struct uffdio_api){ .api = UFFD_API, .features = UFFD_FEATURE_EVENT_FORK };
	printf("EVENT_FORK: %s\n", E(ioctl(fd, UFFDIO_API, &api)));
	api = (struct uffdio_api){ .api = UFFD_API, .features = 1ULL << 40 };
	printf("unknown feature: %s\n", E(ioctl(fd, UFFDIO_API, &api)));
	api = (struct uffdio_api){ .api = UFFD_API };
	int ret = ioctl(fd, UFFDIO_API, &api);
	printf("api: %d features %llx ioctls %llx\n", ret, (unsigned long long)api.features, (unsigned long long)api.ioctls);
	api = (struct uffdio_api){ .api = UFFD_API };
	printf("api again: %s", E(ioctl(fd, UFFDIO_API, &api)));
	printf(" features %llx\n", (unsigned long long)api.features);
	printf("read: %s\n", E(read(fd, msg, sizeof msg)));
	printf("read 8: %s\n", E(read(fd, msg, 8)));
	printf("write: %s\n", E(write(fd, msg, sizeof msg)));
	printf("unknown ioctl: %s\n", E(ioctl(fd, _IO(0xaa, 0x30), 0)));

	// UFFDIO_REGISTER's checks.
	char *p = mmap(NULL, 8 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long long ioctls;
	printf("mode 0: %s\n", strerror(reg(fd, p, pg, 0, NULL)));
	printf("mode 8: %s\n", strerror(reg(fd, p, pg, 8, NULL)));
	printf("unaligned start: %s\n", strerror(reg(fd, p + 1, pg, 1, NULL)));
	printf("unaligned len: %s\n", strerror(reg(fd, p, pg + 1, 1, NULL)));
	printf("len 0: %s\n", strerror(reg(fd, p, 0, 1, NULL)));
	printf("past the task: %s\n", strerror(reg(fd, (void *)0x800000000000UL, pg, 1, NULL)));
	printf("no area: %s\n", strerror(reg(fd, (void *)0x10000, pg, 1, NULL)));
	printf("minor on anon: %s\n", strerror(reg(fd, p, pg, UFFDIO_REGISTER_MODE_MINOR, NULL)));
	int file = open("uffd-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	char page[4096] = "data";
	write(file, page, sizeof page);
	unlink("uffd-file");
	char *f = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, file, 0);
	printf("file area: %s\n", strerror(reg(fd, f, pg, UFFDIO_REGISTER_MODE_MISSING, NULL)));
	char *ro = mmap(NULL, pg, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	printf("shared anon: %s\n", strerror(reg(fd, ro, pg, UFFDIO_REGISTER_MODE_MISSING, &ioctls)));
	printf("  ioctls %llx\n", ioctls);

	// Registration splits and merges.
	areas("before", p, 8 * pg);
	printf("missing [2,4): %s", strerror(reg(fd, p + 2 * pg, 2 * pg, UFFDIO_REGISTER_MODE_MISSING, &ioctls)));
	printf(" ioctls %llx\n", ioctls);
	areas("  areas", p, 8 * pg);
	printf("wp [3,6): %s", strerror(reg(fd, p + 3 * pg, 3 * pg, UFFDIO_REGISTER_MODE_WP, &ioctls)));
	printf(" ioctls %llx\n", ioctls);
	areas("  areas", p, 8 * pg);
	int fd2 = uffd_new(0, &err);
	printf("another uffd: %s\n", strerror(reg(fd2, p + 2 * pg, pg, UFFDIO_REGISTER_MODE_MISSING, NULL)));
	printf("another uffd, unregistered part: %s\n", strerror(reg(fd2, p + 7 * pg, pg, UFFDIO_REGISTER_MODE_MISSING, NULL)));
	areas("  areas", p, 8 * pg);
	printf("missing|wp [0,8): %s\n", strerror(reg(fd, p, 8 * pg, UFFDIO_REGISTER_MODE_MISSING | UFFDIO_REGISTER_MODE_WP, NULL)));
	printf("unregister [0,8) with the other: %s\n", strerror(unreg(fd2, p, 8 * pg)));
	printf("unregister [7,8) with the other: %s\n", strerror(unreg(fd2, p + 7 * pg, pg)));
	areas("  areas", p, 8 * pg);
	printf("wp [0,8): %s\n", strerror(reg(fd, p, 8 * pg, UFFDIO_REGISTER_MODE_WP, NULL)));
	areas("  areas", p, 8 * pg);
	printf("unregister [1,2): %s\n", strerror(unreg(fd, p + pg, pg)));
	areas("  areas", p, 8 * pg);
	printf("unregister bad len: %s\n", strerror(unreg(fd, p, 1)));
	printf("unregister no area: %s\n", strerror(unreg(fd, (void *)0x10000, pg)));

	// UFFDIO_WRITEPROTECT.
	printf("wp mode 4: %s\n", strerror(wp(fd, p, pg, 4)));
	printf("wp|dontwake: %s\n", strerror(wp(fd, p, pg, 3)));
	printf("wp [0,3) (1 not wp): %s\n", strerror(wp(fd, p, 3 * pg, 1)));
	printf("wp unaligned: %s\n", strerror(wp(fd, p + 1, pg, 1)));
	for (int i = 4; i < 8; i++)
		p[i * pg] = 1;
	printf("wp [2,8): %s\n", strerror(wp(fd, p + 2 * pg, 6 * pg, 1)));
	wpbits("  pagemap [2,8)", p + 2 * pg, 6);
	printf("unprotect [5,6): %s\n", strerror(wp(fd, p + 5 * pg, pg, 0)));
	wpbits("  pagemap [2,8)", p + 2 * pg, 6);
	p[5 * pg] = 2;
	printf("unregister [6,8): %s\n", strerror(unreg(fd, p + 6 * pg, 2 * pg)));
	wpbits("  pagemap [2,8)", p + 2 * pg, 6);
	areas("  areas", p, 8 * pg);
	close(fd);
	areas("closed", p, 8 * pg);
	p[4 * pg] = 3;
	printf("write after close: ok\n");

	// WP_ASYNC and WP_UNPOPULATED.
	int afd = uffd_new(UFFD_FEATURE_WP_ASYNC, &err);
	printf("WP_ASYNC: %s\n", strerror(err));
	char *q = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	q[0] = 1;
	q[pg] = 1;
	printf("register wp: %s\n", strerror(reg(afd, q, 4 * pg, UFFDIO_REGISTER_MODE_WP, NULL)));
	printf("wp [0,4): %s\n", strerror(wp(afd, q, 4 * pg, 1)));
	wpbits("  pagemap", q, 4);
	q[0] = 2;
	volatile char c = q[2 * pg];
	(void)c;
	q[3 * pg] = 2;
	wpbits("  written 0, read 2, written 3", q, 4);
	printf("  contents %d %d %d %d\n", q[0], q[pg], q[2 * pg], q[3 * pg]);
	printf("file area wp async: %s\n", strerror(reg(afd, f, pg, UFFDIO_REGISTER_MODE_WP, NULL)));
	printf("file area missing async: %s\n", strerror(reg(afd, f, pg, UFFDIO_REGISTER_MODE_MISSING, NULL)));
	madvise(q, 4 * pg, MADV_DONTNEED);
	wpbits("  after DONTNEED", q, 4);
	printf("wp [0,4): %s\n", strerror(wp(afd, q, 4 * pg, 1)));
	wpbits("  pagemap", q, 4);
	printf("unprotect [0,4): %s\n", strerror(wp(afd, q, 4 * pg, 0)));
	wpbits("  pagemap", q, 4);
	int ufd = uffd_new(UFFD_FEATURE_WP_UNPOPULATED, &err);
	char *u = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("WP_UNPOPULATED register: %s\n", strerror(reg(ufd, u, 2 * pg, UFFDIO_REGISTER_MODE_WP, NULL)));
	printf("wp: %s\n", strerror(wp(ufd, u, 2 * pg, 1)));
	wpbits("  pagemap", u, 2);
	c = u[0];
	wpbits("  read 0", u, 2);
	int nfd = uffd_new(0, &err);
	char *n = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	n[0] = 1;
	printf("no features register: %s\n", strerror(reg(nfd, n, 2 * pg, UFFDIO_REGISTER_MODE_WP, NULL)));
	printf("wp: %s\n", strerror(wp(nfd, n, 2 * pg, 1)));
	wpbits("  pagemap", n, 2);
	return 0;
}
