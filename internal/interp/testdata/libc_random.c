// /dev/random, /dev/urandom and getrandom(2): character devices 1:8 and
// 1:9 that give as many bytes as asked, different each time, and take
// writes; getrandom's flag checks. /proc/version names the kernel uname
// does. POSIX shared memory: shm_open's files in /dev/shm, close-on-exec,
// and its name checks.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

static char a[4096], b[4096];

static void device(const char *path) {
	int fd = open(path, O_RDONLY);
	struct stat st;
	fstat(fd, &st);
	printf("%s: char device %s, %u:%u, mode %o\n", path, S_ISCHR(st.st_mode) ? "yes" : "no", major(st.st_rdev),
	       minor(st.st_rdev), st.st_mode & 0777);
	long n1 = read(fd, a, sizeof a), n2 = read(fd, b, sizeof b);
	printf("  reads %ld and %ld bytes, which differ: %s\n", n1, n2, memcmp(a, b, sizeof a) ? "yes" : "no");
	close(fd);
	fd = open(path, O_WRONLY);
	printf("  a write takes %ld bytes\n", (long)write(fd, "seed", 4));
	close(fd);
}

static void getrandom_errno(const char *what, void *buf, size_t n, unsigned flags) {
	errno = 0;
	long r = getrandom(buf, n, flags);
	printf("getrandom %s: %ld %s\n", what, r, r < 0 ? strerror(errno) : "");
}

int main(void) {
	device("/dev/urandom");
	device("/dev/random");
	getrandom_errno("16 bytes", a, 16, 0);
	getrandom_errno("GRND_NONBLOCK", a, 16, GRND_NONBLOCK);
	getrandom_errno("GRND_RANDOM", a, 16, GRND_RANDOM);
	getrandom_errno("GRND_INSECURE", a, 16, GRND_INSECURE);
	getrandom_errno("GRND_INSECURE|GRND_RANDOM", a, 16, GRND_INSECURE | GRND_RANDOM);
	getrandom_errno("an unknown flag", a, 16, 8);
	getrandom_errno("NULL", NULL, 16, 0);
	getrandom_errno("no bytes", NULL, 0, 0);

	char v[512] = {0};
	int fd = open("/proc/version", O_RDONLY);
	read(fd, v, sizeof v - 1);
	close(fd);
	struct utsname u;
	uname(&u);
	char want[300];
	snprintf(want, sizeof want, "%s version %s (", u.sysname, u.release);
	size_t n = strlen(v), vn = strlen(u.version);
	printf("/proc/version: begins \"Linux version RELEASE (\": %s; ends with uname's version and a newline: %s\n",
	       strncmp(v, want, strlen(want)) ? "no" : "yes",
	       n > vn && v[n - 1] == '\n' && !strncmp(v + n - 1 - vn, u.version, vn) ? "yes" : "no");

	fd = shm_open("/libc_random", O_CREAT | O_EXCL | O_RDWR, 0600);
	struct stat st;
	fstat(fd, &st);
	printf("shm_open: %s, regular %s, size %ld, close-on-exec %s\n", fd >= 0 ? "a descriptor" : strerror(errno),
	       S_ISREG(st.st_mode) ? "yes" : "no", (long)st.st_size, fcntl(fd, F_GETFD) == FD_CLOEXEC ? "yes" : "no");
	ftruncate(fd, 8192);
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	strcpy(p + 4096, "shared");
	int fd2 = open("/dev/shm/libc_random", O_RDONLY);
	char buf[8] = {0};
	pread(fd2, buf, 6, 4096);
	printf("/dev/shm/libc_random holds \"%s\"\n", buf);
	errno = 0;
	int r = shm_open("libc_random", O_CREAT | O_EXCL | O_RDWR, 0600);
	printf("shm_open O_EXCL again: %d %s\n", r, strerror(errno));
	printf("shm_unlink: %d\n", shm_unlink("libc_random"));
	errno = 0;
	r = shm_unlink("/libc_random");
	printf("shm_unlink again: %d %s\n", r, strerror(errno));
	const char *bad[] = {"", "/", "a/b", "//x/y", "nonexistent"};
	for (int i = 0; i < 5; i++) {
		errno = 0;
		r = shm_open(bad[i], O_RDWR, 0);
		printf("shm_open(\"%s\"): %d %s\n", bad[i], r, strerror(errno));
	}
	return 0;
}
