/* The process's own /proc files that are not about memory, and the calls
 * that change them: comm and prctl(PR_SET_NAME/PR_GET_NAME), wchan and
 * syscall read by the process itself, /proc/uptime's format, kthreadd's
 * /proc/2/status, /proc/self/fd/N opened again, and the CPU affinity
 * calls with status' Cpus_allowed_list. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int slurp(const char *path, char *buf, int size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		printf("%s: %s\n", path, strerror(errno));
		buf[0] = 0;
		return -1;
	}
	int n = read(fd, buf, size - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = 0;
	return n;
}

/* said prints what a call returned and errno's text. */
static void said(const char *what, long r)
{
	printf("%s: %ld %s\n", what, r, r < 0 ? strerror(errno) : "");
}

/* line prints the line of a /proc file that starts with key. */
static void line(const char *path, const char *key)
{
	char buf[4096];
	slurp(path, buf, sizeof(buf));
	for (char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, key, strlen(key)) == 0) {
			char *end = strchr(l, '\n');
			printf("%s: %.*s\n", path, end ? (int)(end - l) : (int)strlen(l), l);
			return;
		}
	}
	printf("%s: no %s line\n", path, key);
}

int main(void)
{
	char buf[256], name[32], path[64];
	int n;

	/* comm: the program's name; PR_SET_NAME keeps 15 bytes. */
	n = slurp("/proc/self/comm", buf, sizeof(buf));
	printf("comm %d bytes: %s", n, buf);
	printf("PR_SET_NAME: %d\n", prctl(PR_SET_NAME, "a-name-longer-than-sixteen", 0, 0, 0));
	memset(name, 'x', sizeof(name));
	printf("PR_GET_NAME: %d \"%s\" byte 15 is %d\n", prctl(PR_GET_NAME, name, 0, 0, 0), name, name[15]);
	slurp("/proc/self/comm", buf, sizeof(buf));
	printf("comm: %s", buf);
	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", getpid());
	slurp(path, buf, sizeof(buf));
	printf("task comm: %s", buf);
	line("/proc/self/status", "Name:");
	said("PR_GET_NAME(NULL)", prctl(PR_GET_NAME, NULL, 0, 0, 0));
	said("PR_SET_NAME(bad)", prctl(PR_SET_NAME, (char *)8, 0, 0, 0));
	prctl(PR_SET_NAME, "", 0, 0, 0);
	slurp("/proc/self/comm", buf, sizeof(buf));
	printf("empty comm: [%s]\n", buf);
	prctl(PR_SET_NAME, "procs", 0, 0, 0);
	fflush(stdout);
	if (fork() == 0) {
		slurp("/proc/self/comm", buf, sizeof(buf));
		printf("child comm: %s", buf);
		fflush(stdout);
		_exit(0);
	}
	wait(NULL);

	/* wchan of the reader: "0", no newline. */
	n = slurp("/proc/self/wchan", buf, sizeof(buf));
	printf("wchan %d bytes: %s\n", n, buf);

	/* syscall of the reader: the read it is in, then sp and pc. */
	int fd = open("/proc/self/syscall", O_RDONLY);
	char want[128], got[128] = "";
	/* The arguments syscall() was not given are whatever the registers
	 * held: only the first three are compared, as the selftest does. */
	snprintf(want, sizeof(want), "%ld 0x%lx 0x%lx 0x%lx ", (long)SYS_read, (long)fd, (long)got, (long)sizeof(got));
	n = syscall(SYS_read, fd, got, sizeof(got));
	close(fd);
	printf("syscall: %s\n", n > 0 && strncmp(got, want, strlen(want)) == 0 ? "the read, its arguments" : got);

	/* /proc/uptime: "%lu.%02lu %lu.%02lu\n". */
	slurp("/proc/uptime", buf, sizeof(buf));
	unsigned long a, b, c, d;
	char nl;
	printf("uptime fields: %d\n", sscanf(buf, "%lu.%2lu %lu.%2lu%c", &a, &b, &c, &d, &nl));

	/* kthreadd. */
	line("/proc/2/status", "Name:");
	line("/proc/2/status", "PPid:");
	line("/proc/2/status", "Uid:");
	line("/proc/2/status", "Kthread:");
	line("/proc/2/status", "VmSize:");
	line("/proc/2/status", "SigIgn:");
	line("/proc/self/status", "Kthread:");

	/* /proc/self/fd/N: the same file, a new position. */
	int f1 = open("data.bin", O_RDONLY);
	lseek(f1, 10, SEEK_SET);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", f1);
	int f2 = open(path, O_RDONLY);
	struct stat s1, s2;
	fstat(f1, &s1);
	fstat(f2, &s2);
	printf("fd/%d opened as %d: same inode %d, positions %ld %ld\n", f1, f2 - f1, s1.st_ino == s2.st_ino,
	       (long)lseek(f1, 0, SEEK_CUR), (long)lseek(f2, 0, SEEK_CUR));
	snprintf(path, sizeof(path), "/proc/thread-self/fd/%d", f1);
	int f3 = open(path, O_RDONLY);
	printf("thread-self fd: %d\n", f3 >= 0);
	said("fd/99", open("/proc/self/fd/99", O_RDONLY));
	int dfd = open("/", O_RDONLY | O_DIRECTORY);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", dfd);
	said("directory fd for writing", open(path, O_WRONLY));

	/* CPU affinity. */
	unsigned long mask = 0;
	printf("getaffinity: %ld\n", syscall(SYS_sched_getaffinity, 0, sizeof(mask), &mask));
	said("getaffinity len 4", syscall(SYS_sched_getaffinity, 0, 4, &mask));
	said("getaffinity len 12", syscall(SYS_sched_getaffinity, 0, 12, &mask));
	mask = 1;
	printf("setaffinity cpu 0: %ld\n", syscall(SYS_sched_setaffinity, 0, sizeof(mask), &mask));
	mask = 0;
	syscall(SYS_sched_getaffinity, 0, sizeof(mask), &mask);
	printf("mask now %lx\n", mask);
	line("/proc/self/status", "Cpus_allowed_list:");
	mask = 0;
	said("setaffinity none", syscall(SYS_sched_setaffinity, 0, sizeof(mask), &mask));
	mask = 1UL << 63;
	said("setaffinity cpu 63", syscall(SYS_sched_setaffinity, 0, sizeof(mask), &mask));
	said("getaffinity of pid 99999", syscall(SYS_sched_getaffinity, 99999, sizeof(mask), &mask));
	fflush(stdout);
	if (fork() == 0) {
		line("/proc/self/status", "Cpus_allowed_list:");
		fflush(stdout);
		_exit(0);
	}
	wait(NULL);
	return 0;
}
