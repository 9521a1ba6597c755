// mount.c: mount(2) in a mount namespace of a user namespace's making, as
// this machine's kernel lets an unprivileged user (interp's
// TestNamespaces runs it natively as nobody and on the model).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void r(const char *what, int v) {
	if (v < 0)
		printf("%s: %s\n", what, strerror(errno));
	else
		printf("%s: ok\n", what);
}

static void flags(const char *path) {
	struct statvfs s;
	if (statvfs(path, &s)) {
		printf("statvfs %s: %s\n", path, strerror(errno));
		return;
	}
	printf("%s flags %lx\n", path, s.f_flag);
}

static void enter(void) {
	char map[64];
	int uid = getuid(), gid = getgid();
	r("unshare user", unshare(CLONE_NEWUSER));
	int fd = open("/proc/self/setgroups", O_WRONLY);
	write(fd, "deny", 4);
	close(fd);
	snprintf(map, sizeof(map), "0 %d 1", uid);
	fd = open("/proc/self/uid_map", O_WRONLY);
	r("uid_map", write(fd, map, strlen(map)));
	close(fd);
	snprintf(map, sizeof(map), "0 %d 1", gid);
	fd = open("/proc/self/gid_map", O_WRONLY);
	r("gid_map", write(fd, map, strlen(map)));
	close(fd);
	printf("uid %d gid %d\n", getuid(), getgid());
	r("unshare mnt", unshare(CLONE_NEWNS));
}

int main(void) {
	setvbuf(stdout, NULL, _IONBF, 0);
	flags("/");
	flags("/proc");
	r("mount unprivileged", mount("none", "/tmp", "ramfs", 0, NULL));
	r("unshare mnt unprivileged", unshare(CLONE_NEWNS));
	pid_t c = fork();
	if (c == 0) {
		enter();
		r("mount ext4", mount("/dev/vda", "/tmp", "ext4", 0, NULL));
		r("mount of no such type", mount("x", "/tmp", "nosuchfs", 0, NULL));
		r("mount on no such path", mount("x", "/nosuchdir", "ramfs", 0, NULL));
		r("mount ramfs read-only", mount("testing", "/tmp", "ramfs", MS_RDONLY | MS_NOSUID, NULL));
		flags("/tmp");
		r("remount not a mount's root", mount("/tmp", "/home", "none", MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
		r("remount read-write", mount("/tmp", "/tmp", "none", MS_REMOUNT | MS_BIND, NULL));
		flags("/tmp");
		r("make / private", mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
		r("mount ramfs", mount("testing", "/tmp", "ramfs", 0, NULL));
		int fd = creat("/tmp/nsdata", 0);
		r("creat mode 0", fd);
		close(fd);
		r("open mode 0 as the namespace's root", fd = open("/tmp/nsdata", O_RDONLY));
		close(fd);
		r("symlink", symlink("/tmp/nsdata", "/tmp/nslink"));
		r("open through the link", fd = open("/tmp/nslink", O_RDONLY));
		close(fd);
		r("remount nosymfollow", mount("testing", "/tmp", "ramfs", MS_REMOUNT | MS_NOSYMFOLLOW, NULL));
		flags("/tmp");
		r("open through the link on nosymfollow", open("/tmp/nslink", O_RDONLY));
		char buf[64] = {0};
		r("readlink on nosymfollow", readlink("/tmp/nslink", buf, sizeof(buf) - 1));
		printf("link: %s\n", buf);
		char *rp = realpath("/tmp/nslink", NULL);
		printf("realpath: %s\n", rp ? rp : strerror(errno));
		rp = realpath("/tmp/../tmp/./nosuch", NULL);
		printf("realpath of nothing: %s\n", rp ? rp : strerror(errno));
		r("umount ramfs", umount2("/tmp", 0));
		r("private and shared", mount(NULL, "/", NULL, MS_PRIVATE | MS_SHARED, NULL));
		enter();
		r("remount of a locked read-only", mount("/tmp", "/tmp", "none", MS_REMOUNT | MS_BIND, NULL));
		r("remount keeping it", mount("/tmp", "/tmp", "none", MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID, NULL));
		r("remount changing atime", mount("/tmp", "/tmp", "none", MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NOATIME, NULL));
		r("remount adding noexec", mount("/tmp", "/tmp", "none", MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NOEXEC, NULL));
		flags("/tmp");
		r("umount a locked mount", umount2("/tmp", MNT_DETACH));
		r("umount with bad flags", umount2("/tmp", 0x100));
		r("bind /dev", mount("/dev", "/tmp", "none", MS_BIND | MS_REC, NULL));
		flags("/tmp");
		r("umount the bind", umount2("/tmp", MNT_DETACH));
		flags("/tmp");
		_exit(0);
	}
	waitpid(c, NULL, 0);
	return 0;
}
