// ns.c: user and pid namespaces as this machine's kernel makes them for an
// unprivileged user (interp's TestNamespaces runs it natively as nobody
// and on the model, and compares what it prints).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define NS_GET_USERNS 0xb701
#define NS_GET_PARENT 0xb702
#define NS_GET_NSTYPE 0xb703
#define NS_GET_OWNER_UID 0xb704

static void r(const char *what, long v) {
	if (v < 0)
		printf("%s: %s\n", what, strerror(errno));
	else
		printf("%s: ok\n", what);
}

static unsigned long ino(const char *path) {
	struct stat st;
	if (stat(path, &st))
		return 0;
	return st.st_ino;
}

static void show(const char *path) {
	char b[256];
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		printf("%s: %s\n", path, strerror(errno));
		return;
	}
	int n = read(fd, b, sizeof(b) - 1);
	b[n > 0 ? n : 0] = 0;
	close(fd);
	printf("%s: [%s]\n", path, b);
}

static int wr(const char *path, const char *s) {
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	int n = write(fd, s, strlen(s));
	close(fd);
	return n;
}

static void fields(const char *key) {
	char b[4096];
	int fd = open("/proc/self/status", O_RDONLY);
	int n = read(fd, b, sizeof(b) - 1);
	close(fd);
	b[n] = 0;
	char *p = strstr(b, key);
	int tabs = 0;
	for (; *p != '\n'; p++)
		tabs += *p == '\t';
	printf("%s numbers: %d\n", key, tabs);
}

int main(void) {
	setvbuf(stdout, NULL, _IONBF, 0);
	unsigned long init_user = ino("/proc/self/ns/user"), init_pid = ino("/proc/self/ns/pid");
	char link[64] = {0};
	readlink("/proc/self/ns/uts", link, sizeof(link) - 1);
	printf("uts link: %.5s\n", link);
	struct stat st;
	stat("/proc/self/ns/user", &st);
	printf("nsfs: dev %lu mode %o nlink %lu uid %d\n", (unsigned long)st.st_dev, st.st_mode, (unsigned long)st.st_nlink, st.st_uid);
	lstat("/proc/self/ns/user", &st);
	printf("link mode %o\n", st.st_mode);
	int ufd = open("/proc/self/ns/user", O_RDONLY), utsfd = open("/proc/self/ns/uts", O_RDONLY);
	printf("user nstype %x, uts nstype %x\n", ioctl(ufd, NS_GET_NSTYPE), ioctl(utsfd, NS_GET_NSTYPE));
	r("initial user parent", ioctl(ufd, NS_GET_PARENT));
	r("initial user owner", ioctl(ufd, NS_GET_USERNS));
	r("uts parent", ioctl(utsfd, NS_GET_PARENT));
	uid_t u = 7;
	r("uts owner uid", ioctl(utsfd, NS_GET_OWNER_UID, &u));
	r("initial owner uid", ioctl(ufd, NS_GET_OWNER_UID, &u));
	printf("initial owner: %d\n", u);
	r("unknown ioctl", ioctl(ufd, 0xb7ff));
	r("setns to own user ns", setns(ufd, CLONE_NEWUSER));
	r("setns with the wrong type", setns(ufd, CLONE_NEWUTS));
	r("unshare uts unprivileged", unshare(CLONE_NEWUTS));
	r("unshare pid unprivileged", unshare(CLONE_NEWPID));

	r("unshare user", unshare(CLONE_NEWUSER));
	printf("uid %d gid %d\n", getuid(), getgid());
	printf("user ns changed: %d\n", ino("/proc/self/ns/user") != init_user);
	show("/proc/self/uid_map");
	show("/proc/self/setgroups");
	int nfd = open("/proc/self/ns/user", O_RDONLY);
	r("new owner uid", ioctl(nfd, NS_GET_OWNER_UID, &u));
	printf("new owner seen from inside: %d\n", u);
	r("new user parent from inside", ioctl(nfd, NS_GET_PARENT));
	r("old uts owner from inside", ioctl(utsfd, NS_GET_USERNS));
	r("setuid(0) unmapped", setuid(0));
	r("gid_map before setgroups deny", wr("/proc/self/gid_map", "0 65534 1"));
	char map[64];
	snprintf(map, sizeof(map), "0 %d 2", (int)st.st_uid == 0 ? 65534 : 65534);
	r("uid_map of two ids", wr("/proc/self/uid_map", map));
	r("setgroups deny", wr("/proc/self/setgroups", "deny"));
	show("/proc/self/setgroups");
	r("setgroups allow again", wr("/proc/self/setgroups", "allow"));
	r("sethostname in the initial uts ns", sethostname("inner", 5));
	r("unshare uts in it", unshare(CLONE_NEWUTS));
	r("sethostname", sethostname("inner", 5));
	r("setdomainname", setdomainname("dom", 3));
	r("sethostname too long", sethostname("x", 65));
	char host[64];
	r("gethostname", gethostname(host, sizeof(host)));
	printf("hostname %s\n", host);
	r("gethostname short", gethostname(host, 3));
	struct utsname un;
	uname(&un);
	printf("uname %s %s\n", un.nodename, un.domainname);
	int uts2 = open("/proc/self/ns/uts", O_RDONLY);
	int owner = ioctl(uts2, NS_GET_USERNS);
	r("new uts owner", owner);
	struct stat a, b;
	fstat(owner, &a);
	fstat(nfd, &b);
	printf("new uts owned by the new user ns: %d\n", a.st_ino == b.st_ino);
	printf("owner fd cloexec: %d\n", fcntl(owner, F_GETFD));

	r("pid_for_children before unshare", readlink("/proc/self/ns/pid_for_children", link, sizeof(link)));
	r("unshare pid", unshare(CLONE_NEWPID));
	r("pid_for_children before a child", readlink("/proc/self/ns/pid_for_children", link, sizeof(link)));
	r("unshare pid again", unshare(CLONE_NEWPID));
	printf("still in the initial pid ns: %d\n", ino("/proc/self/ns/pid") == init_pid);
	fields("NSpid");
	pid_t c = fork();
	if (c == 0) {
		printf("child: pid %d ppid %d\n", getpid(), getppid());
		fields("NSpid");
		printf("child in a new pid ns: %d\n", ino("/proc/self/ns/pid") != init_pid);
		int pfd = open("/proc/self/ns/pid", O_RDONLY);
		int parent = ioctl(pfd, NS_GET_PARENT);
		r("child's pid ns parent", parent);
		pid_t g = fork();
		if (g == 0)
			_exit(0);
		printf("grandchild: %d\n", g);
		printf("waited: %d\n", waitpid(g, NULL, 0) == g);
		_exit(3);
	}
	int ws;
	pid_t w = waitpid(c, &ws, 0);
	printf("waited: %d status %d\n", w == c, WEXITSTATUS(ws));
	int pfd = open("/proc/self/ns/pid", O_RDONLY);
	r("initial pid ns parent", ioctl(pfd, NS_GET_PARENT));
	c = fork();
	if (c == 0)
		_exit(0);
	r("fork once pid 1 has exited", c);
	return 0;
}
