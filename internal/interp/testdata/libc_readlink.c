/* readlink of /proc's links: /proc/self, an open file's fd/N, an area's
 * map_files/START-END (and the names the kernel refuses), a file that is
 * not a link. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void show(const char *path)
{
	char buf[256];
	long n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0) {
		printf("%s: %s\n", path[0] == '/' ? "link" : path, strerror(errno));
		return;
	}
	buf[n] = 0;
	printf("link -> %s\n", basename(buf));
}

int main(void)
{
	char name[128], pid[32];
	int fd = open("data.bin", O_RDONLY);
	char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	long n;
	char buf[64];

	n = readlink("/proc/self", buf, sizeof(buf));
	snprintf(pid, sizeof(pid), "%d", getpid());
	printf("/proc/self is the pid: %d\n", n == (long)strlen(pid) && memcmp(buf, pid, n) == 0);
	snprintf(name, sizeof(name), "/proc/self/fd/%d", fd);
	show(name);
	snprintf(name, sizeof(name), "/proc/self/map_files/%lx-%lx", (unsigned long)p, (unsigned long)p + 4096);
	show(name);
	snprintf(name, sizeof(name), "/proc/self/map_files/0%lx-%lx", (unsigned long)p, (unsigned long)p + 4096);
	show(name);
	snprintf(name, sizeof(name), "/proc/self/map_files/%lx-%lx", (unsigned long)p, (unsigned long)p + 8192);
	show(name);
	show("data.bin");
	n = readlink("/proc/self", buf, 0);
	printf("size 0: %ld %s\n", n, strerror(errno));
	n = readlink("/proc/self", buf, 2);
	printf("cut to 2: %ld\n", n);
	return 0;
}
