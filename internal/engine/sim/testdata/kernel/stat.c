// stat.c: stat, lstat and newfstatat as this machine's kernel answers
// them (sim's TestFstatat makes the same calls on the model). Each line is
// "name value": the device of what was statted, or the errno's name.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <stdlib.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static void show(const char *name, long r, struct stat *st) {
	if (r == 0) {
		printf("%s %x:%x\n", name, major(st->st_dev), minor(st->st_dev));
		return;
	}
	switch (errno) {
	case EINVAL: printf("%s EINVAL\n", name); return;
	case ENOENT: printf("%s ENOENT\n", name); return;
	case EBADF: printf("%s EBADF\n", name); return;
	case ENOTDIR: printf("%s ENOTDIR\n", name); return;
	case EFAULT: printf("%s EFAULT\n", name); return;
	}
	printf("%s %s\n", name, strerror(errno));
}

static void at(const char *name, int dirfd, const char *path, int flags) {
	struct stat st;
	show(name, syscall(SYS_newfstatat, dirfd, path, &st, flags), &st);
}

int main(void) {
	struct stat st;
	// A directory of its own in /tmp (the test's is not the user's to
	// write), removed at the end.
	char tmp[] = "/tmp/statc-XXXXXX";
	if (!mkdtemp(tmp) || chdir(tmp) != 0)
		return 1;
	int fd = open("data.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
	int dir = open(".", O_RDONLY);
	show("stat", stat("data.bin", &st), &st);
	show("lstat", syscall(SYS_lstat, "data.bin", &st), &st);
	show("lstat_missing", syscall(SYS_lstat, "missing.bin", &st), &st);
	show("fstat", fstat(fd, &st), &st);
	show("stat_cwd", stat(".", &st), &st);
	at("at_cwd", AT_FDCWD, "data.bin", 0);
	at("at_nofollow", AT_FDCWD, "data.bin", AT_SYMLINK_NOFOLLOW);
	at("at_no_automount", AT_FDCWD, "data.bin", AT_NO_AUTOMOUNT);
	at("at_sync_type", AT_FDCWD, "data.bin", 0x6000);
	at("at_bad_flag", AT_FDCWD, "data.bin", 1);
	at("at_removedir_flag", AT_FDCWD, "data.bin", AT_REMOVEDIR);
	at("at_missing", AT_FDCWD, "missing.bin", 0);
	at("at_empty", AT_FDCWD, "", 0);
	at("at_empty_path_fd", fd, "", AT_EMPTY_PATH);
	at("at_empty_path_cwd", AT_FDCWD, "", AT_EMPTY_PATH);
	at("at_empty_path_badfd", 999, "", AT_EMPTY_PATH);
	at("at_dirfd", dir, "data.bin", 0);
	at("at_dirfd_bad", 999, "data.bin", 0);
	at("at_dirfd_notdir", fd, "data.bin", 0);
	at("at_dirfd_abs", 999, "/dev/null", 0);
	show("at_fault", syscall(SYS_newfstatat, AT_FDCWD, "data.bin", (void *)8, 0), &st);
	unlink("data.bin");
	rmdir(tmp);
	return 0;
}
