// UFFDIO_COPY, UFFDIO_ZEROPAGE, UFFDIO_CONTINUE and UFFDIO_MOVE as an
// unprivileged user sees them: each ioctl's checks and the result it
// writes back (bytes done or a negative errno), the pages it leaves
// (pagemap's present, swap, exclusive, uffd-wp bits; the contents), on
// anonymous memory, shmem shared and private, a 2 MiB THP moved whole;
// and missing and minor faults a handler thread resolves, with the
// messages it read.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/userfaultfd.h>

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif

#ifndef UFFDIO_MOVE
// This machine's <linux/userfaultfd.h> is older than Linux 6.8's.
struct uffdio_move {
	__u64 dst, src, len, mode;
	__s64 move;
};
#define UFFDIO_MOVE_MODE_DONTWAKE ((__u64)1 << 0)
#define UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES ((__u64)1 << 1)
#define UFFDIO_MOVE _IOWR(UFFDIO, 0x05, struct uffdio_move)
#endif

#define HPAGE (2UL << 20)

static long pg;
static int pm;

static int uffd_new(void)
{
	int fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
	struct uffdio_api api = { .api = UFFD_API };
	if (fd < 0 || ioctl(fd, UFFDIO_API, &api))
		printf("uffd: %s\n", strerror(errno));
	return fd;
}

static void reg(int fd, void *p, unsigned long len, unsigned long long mode)
{
	struct uffdio_register r = { .range = { (unsigned long)p, len }, .mode = mode };
	if (ioctl(fd, UFFDIO_REGISTER, &r))
		printf("register: %s\n", strerror(errno));
}

static const char *res(int ret)
{
	return ret ? strerror(errno) : "ok";
}

static void copy(const char *what, int fd, void *dst, void *src, unsigned long len, unsigned long long mode)
{
	struct uffdio_copy c = { (unsigned long)dst, (unsigned long)src, len, mode, 12345 };
	int ret = ioctl(fd, UFFDIO_COPY, &c);
	printf("copy %s: %s, copy %lld\n", what, res(ret), (long long)c.copy);
}

static void zeropage(const char *what, int fd, void *dst, unsigned long len, unsigned long long mode)
{
	struct uffdio_zeropage z = { { (unsigned long)dst, len }, mode, 12345 };
	int ret = ioctl(fd, UFFDIO_ZEROPAGE, &z);
	printf("zeropage %s: %s, zeropage %lld\n", what, res(ret), (long long)z.zeropage);
}

static void cont(const char *what, int fd, void *dst, unsigned long len, unsigned long long mode)
{
	struct uffdio_continue c = { { (unsigned long)dst, len }, mode, 12345 };
	int ret = ioctl(fd, UFFDIO_CONTINUE, &c);
	printf("continue %s: %s, mapped %lld\n", what, res(ret), (long long)c.mapped);
}

static void move(const char *what, int fd, void *dst, void *src, unsigned long len, unsigned long long mode)
{
	struct uffdio_move m = { (unsigned long)dst, (unsigned long)src, len, mode, 12345 };
	int ret = ioctl(fd, UFFDIO_MOVE, &m);
	printf("move %s: %s, move %lld\n", what, res(ret), (long long)m.move);
}

// bits prints pagemap's present, swap, exclusive and uffd-wp bits of n
// pages from p.
static void bits(const char *what, char *p, int n)
{
	printf("  %s:", what);
	for (int i = 0; i < n; i++) {
		uint64_t ent;
		pread(pm, &ent, 8, ((unsigned long)p / pg + i) * 8);
		printf(" %c%c%c%c", ent >> 63 & 1 ? 'P' : '-', ent >> 62 & 1 ? 'S' : '-',
		       ent >> 56 & 1 ? 'X' : '-', ent >> 57 & 1 ? 'W' : '-');
	}
	printf("\n");
}

// contents prints the first byte of n pages from p.
static void contents(const char *what, char *p, int n)
{
	printf("  %s:", what);
	for (int i = 0; i < n; i++)
		printf(" %d", p[i * pg]);
	printf("\n");
}

// anonHuge prints smaps' AnonHugePages of the area holding p.
static void anonHuge(const char *what, char *p)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[256];
	int in = 0;
	while (fgets(line, sizeof line, f)) {
		unsigned long a, b;
		if (sscanf(line, "%lx-%lx ", &a, &b) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			in = a <= (unsigned long)p && (unsigned long)p < b;
			continue;
		}
		if (in && strncmp(line, "AnonHugePages:", 14) == 0)
			printf("  %s: %s", what, line);
	}
	fclose(f);
}

static char *aligned(unsigned long len)
{
	char *p = mmap(NULL, len + HPAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return (char *)(((unsigned long)p + HPAGE - 1) & ~(HPAGE - 1));
}

// The handler thread: it resolves n faults of fd, each as resolve says,
// and keeps their messages.
static int hfd, nfaults;
static char *hbase, *hsrc;
static struct uffd_msg msgs[8];
static void (*resolve)(struct uffd_msg *);

static void *handler(void *arg)
{
	(void)arg;
	for (int i = 0; i < nfaults;) {
		struct pollfd p = { hfd, POLLIN, 0 };
		if (poll(&p, 1, -1) != 1)
			continue;
		if (read(hfd, &msgs[i], sizeof msgs[i]) != sizeof msgs[i])
			continue;
		resolve(&msgs[i]);
		i++;
	}
	return NULL;
}

static void byCopy(struct uffd_msg *m)
{
	unsigned long page = m->arg.pagefault.address & ~(pg - 1);
	struct uffdio_copy c = { page, (unsigned long)hsrc, pg, 0, 0 };
	ioctl(hfd, UFFDIO_COPY, &c);
}

static void byZeropage(struct uffd_msg *m)
{
	struct uffdio_zeropage z = { { m->arg.pagefault.address & ~(pg - 1), pg }, 0, 0 };
	ioctl(hfd, UFFDIO_ZEROPAGE, &z);
}

static void byContinue(struct uffd_msg *m)
{
	struct uffdio_continue c = { { m->arg.pagefault.address & ~(pg - 1), pg }, 0, 0 };
	ioctl(hfd, UFFDIO_CONTINUE, &c);
}

static void faults(const char *what, int fd, char *base, int n, void (*how)(struct uffd_msg *), void (*touch)(void))
{
	pthread_t t;
	hfd = fd, hbase = base, nfaults = n, resolve = how;
	pthread_create(&t, NULL, handler, NULL);
	touch();
	pthread_join(t, NULL);
	printf("%s:", what);
	for (int i = 0; i < n; i++)
		printf(" [event %x flags %llx page %ld]", msgs[i].event, (unsigned long long)msgs[i].arg.pagefault.flags,
		       (long)((char *)(unsigned long)msgs[i].arg.pagefault.address - base) / pg);
	printf("\n");
}

static volatile char sink;
static char *touched;
static void readWrite(void)
{
	sink = touched[0];
	touched[pg + 8] = 9;
}
static void readOne(void)
{
	sink = touched[pg];
}

int main(void)
{
	pg = sysconf(_SC_PAGESIZE);
	pm = open("/proc/self/pagemap", O_RDONLY);
	int fd = uffd_new();
	char *src = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < 4 * pg; i++)
		src[i] = 10 + i / pg + i % pg;

	// UFFDIO_COPY.
	char *a = mmap(NULL, 8 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *un = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg(fd, a, 7 * pg, UFFDIO_REGISTER_MODE_MISSING);
	copy("mode 4", fd, a, src, pg, 4);
	copy("unaligned dst", fd, a + 1, src, pg, 0);
	copy("len 0", fd, a, src, 0, 0);
	copy("unaligned len", fd, a, src, pg + 1, 0);
	copy("unregistered", fd, un, src, pg, 0);
	copy("past the area", fd, a + 6 * pg, src, 2 * pg, 0);
	copy("no area", fd, (void *)0x10000, src, pg, 0);
	copy("wp, not registered wp", fd, a, src, pg, UFFDIO_COPY_MODE_WP);
	copy("[0,2)", fd, a, src, 2 * pg, 0);
	bits("pagemap [0,3)", a, 3);
	contents("contents [0,2)", a, 2);
	copy("[1,3)", fd, a + pg, src, 2 * pg, 0);
	zeropage("[4,5)", fd, a + 4 * pg, pg, 0);
	copy("[2,5), 4 there", fd, a + 2 * pg, src, 3 * pg, 0);
	contents("contents [2,5)", a + 2 * pg, 3);
	copy("unaligned src", fd, a + 5 * pg, src + 1, pg, UFFDIO_COPY_MODE_DONTWAKE);
	contents("contents [5,6)", a + 5 * pg, 1);
	mprotect(src + 3 * pg, pg, PROT_NONE);
	copy("unreadable src", fd, a + 6 * pg, src + 3 * pg, pg, 0);
	bits("pagemap [6,7)", a + 6 * pg, 1);
	mprotect(src + 3 * pg, pg, PROT_READ | PROT_WRITE);

	char *w = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg(fd, w, 2 * pg, UFFDIO_REGISTER_MODE_MISSING | UFFDIO_REGISTER_MODE_WP);
	copy("wp", fd, w, src, pg, UFFDIO_COPY_MODE_WP);
	bits("pagemap", w, 2);

	// UFFDIO_ZEROPAGE.
	char *z = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg(fd, z, 4 * pg, UFFDIO_REGISTER_MODE_MISSING);
	zeropage("mode 2", fd, z, pg, 2);
	zeropage("unaligned", fd, z + 8, pg, 0);
	zeropage("[0,2)", fd, z, 2 * pg, 0);
	bits("pagemap [0,3)", z, 3);
	zeropage("[1,2) again", fd, z + pg, pg, 0);
	z[pg] = 5;
	contents("written 1", z, 2);
	zeropage("[2,4)", fd, z + 2 * pg, 2 * pg, UFFDIO_ZEROPAGE_MODE_DONTWAKE);

	// shmem: shared (the page goes into the file) and private.
	int mfd = memfd_create("uffd-fill", 0);
	ftruncate(mfd, 3 * pg);
	char *s = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	char *alias = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	reg(fd, s, 4 * pg, UFFDIO_REGISTER_MODE_MISSING);
	reg(fd, alias, 4 * pg, UFFDIO_REGISTER_MODE_MISSING);
	copy("shmem [0,1)", fd, s, src, pg, 0);
	contents("alias", alias, 1);
	copy("shmem alias [0,1)", fd, alias, src, pg, 0);
	zeropage("shmem [1,2)", fd, s + pg, pg, 0);
	bits("pagemap [0,3)", s, 3);
	bits("alias pagemap [0,3)", alias, 3);
	copy("shmem past the file", fd, s + 3 * pg, src, pg, 0);
	char b;
	pread(mfd, &b, 1, 0);
	printf("  file byte 0: %d\n", b);
	char *sp = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, mfd, 0);
	reg(fd, sp, 3 * pg, UFFDIO_REGISTER_MODE_MISSING);
	copy("private shmem [2,3)", fd, sp + 2 * pg, src + pg, pg, 0);
	zeropage("private shmem [0,1) (in the file)", fd, sp, pg, 0);
	pread(mfd, &b, 1, 2 * pg);
	printf("  file byte %ld: %d, private %d\n", 2 * pg, b, sp[2 * pg]);
	bits("private pagemap [0,3)", sp, 3);

	// UFFDIO_CONTINUE.
	int cfd = memfd_create("uffd-minor", 0);
	ftruncate(cfd, 4 * pg);
	pwrite(cfd, "\x07", 1, 0);
	pwrite(cfd, "\x08", 1, pg);
	char *m = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);
	reg(fd, m, 4 * pg, UFFDIO_REGISTER_MODE_MINOR);
	cont("mode 4", fd, m, pg, 4);
	cont("[0,1)", fd, m, pg, 0);
	cont("[0,1) again", fd, m, pg, 0);
	cont("[3,4), no page", fd, m + 3 * pg, pg, 0);
	cont("anon", fd, a + 7 * pg, pg, 0);
	cont("anon registered", fd, z + 3 * pg, pg, 0);
	bits("pagemap [0,4)", m, 4);
	contents("contents [0,1)", m, 1);

	// Faults a handler resolves.
	hsrc = src + 2 * pg;
	char *f = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg(fd, f, 2 * pg, UFFDIO_REGISTER_MODE_MISSING);
	touched = f;
	faults("anon missing, COPY", fd, f, 2, byCopy, readWrite);
	contents("contents", f, 2);
	touched = m;
	faults("shmem minor, CONTINUE", fd, m, 1, byContinue, readOne);
	contents("contents [1,2)", m + pg, 1);
	char *h = aligned(HPAGE);
	madvise(h, HPAGE, MADV_HUGEPAGE);
	reg(fd, h, HPAGE, UFFDIO_REGISTER_MODE_MISSING);
	touched = h;
	faults("THP area missing, ZEROPAGE", fd, h, 1, byZeropage, readOne);
	anonHuge("THP area", h);

	// UFFDIO_MOVE.
	char *ms = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *md = mmap(NULL, 6 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg(fd, md, 6 * pg, UFFDIO_REGISTER_MODE_MISSING);
	ms[0] = 1;
	ms[2 * pg] = 3;
	sink = ms[3 * pg];
	move("mode 4", fd, md, ms, pg, 4);
	move("unaligned src", fd, md, ms + 8, pg, 0);
	move("hole", fd, md, ms + pg, pg, 0);
	move("[0,1)", fd, md, ms, pg, 0);
	bits("src pagemap [0,4)", ms, 4);
	bits("dst pagemap [0,4)", md, 4);
	contents("dst contents [0,1)", md, 1);
	move("onto a page", fd, md, ms + 2 * pg, pg, 0);
	move("[1,4) holes allowed", fd, md + pg, ms + pg, 3 * pg, UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES);
	bits("src pagemap [0,4)", ms, 4);
	bits("dst pagemap [0,4)", md, 4);
	contents("dst contents [2,4)", md + 2 * pg, 2);
	move("to unregistered", fd, un, ms, pg, UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES);
	move("from shmem", fd, md + 4 * pg, s, pg, 0);
	move("to shmem", fd, s + 2 * pg, ms, pg, UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES);
	ms[0] = 4;
	int pipefd[2];
	pipe(pipefd);
	pid_t child = fork();
	if (child == 0) {
		read(pipefd[0], &b, 1);
		_exit(0);
	}
	move("shared with a child", fd, md + 4 * pg, ms, pg, 0);
	write(pipefd[1], "x", 1);
	waitpid(child, NULL, 0);
	char *ro = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	move("from read-only", fd, md + 4 * pg, ro, pg, UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES);

	// A THP moves whole.
	char *hs = aligned(HPAGE);
	char *hd = aligned(HPAGE);
	madvise(hs, HPAGE, MADV_HUGEPAGE);
	madvise(hd, HPAGE, MADV_HUGEPAGE);
	for (unsigned long i = 0; i < HPAGE; i += pg)
		hs[i] = 1 + i / pg % 100;
	anonHuge("src", hs);
	reg(fd, hd, HPAGE, UFFDIO_REGISTER_MODE_MISSING);
	move("THP", fd, hd, hs, HPAGE, 0);
	anonHuge("src", hs);
	anonHuge("dst", hd);
	contents("dst contents", hd + 98 * pg, 4);
	bits("src pagemap", hs, 2);
	move("THP back, dst not registered", fd, hs, hd, HPAGE, 0);
	char *hd2 = aligned(HPAGE);
	madvise(hd2, HPAGE, MADV_HUGEPAGE);
	reg(fd, hd2, HPAGE, UFFDIO_REGISTER_MODE_MISSING);
	move("THP, half", fd, hd2, hd, HPAGE / 2, 0);
	anonHuge("dst", hd);
	contents("moved", hd2 + 98 * pg, 4);
	bits("from pagemap [255,257)", hd + 255 * pg, 2);
	return 0;
}
