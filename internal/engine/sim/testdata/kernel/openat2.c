// openat2.c: openat2's checks of struct open_how, as this machine's kernel
// makes them (sim's TestOpenat2 makes the same calls on the model). Each
// line is "name value": F_GETFL's flags in hex of what was opened, or the
// errno's name. It runs in a directory of its own in /tmp.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct how {
	uint64_t flags, mode, resolve;
	uint64_t extra[4];
};

static void try(const char *name, int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve,
		size_t size, uint64_t extra) {
	struct how h = {flags, mode, resolve, {0, extra, 0, 0}};
	long fd = syscall(SYS_openat2, dirfd, path, &h, size);
	if (fd >= 0) {
		printf("%s %x\n", name, fcntl(fd, F_GETFL));
		close(fd);
		return;
	}
	const char *e = strerror(errno);
	switch (errno) {
	case EINVAL: e = "EINVAL"; break;
	case E2BIG: e = "E2BIG"; break;
	case EFAULT: e = "EFAULT"; break;
	case EBADF: e = "EBADF"; break;
	case ENOTDIR: e = "ENOTDIR"; break;
	case ENOENT: e = "ENOENT"; break;
	case EISDIR: e = "EISDIR"; break;
	case EEXIST: e = "EEXIST"; break;
	case ELOOP: e = "ELOOP"; break;
	}
	printf("%s %s\n", name, e);
}

int main(void) {
	char tmp[] = "/tmp/openat2c-XXXXXX";
	if (!mkdtemp(tmp) || chdir(tmp) != 0)
		return 1;
	close(open("data.bin", O_RDWR | O_CREAT, 0644));
	int dir = open(".", O_RDONLY), file = open("data.bin", O_RDONLY);
	const int v0 = 24;
	try("plain", AT_FDCWD, ".", O_RDONLY, 0, 0, v0, 0);
	try("size_0", AT_FDCWD, ".", O_RDONLY, 0, 0, 0, 0);
	try("size_23", AT_FDCWD, ".", O_RDONLY, 0, 0, 23, 0);
	try("size_bigger_zeroed", AT_FDCWD, ".", O_RDONLY, 0, 0, sizeof(struct how), 0);
	try("size_bigger_nonzero", AT_FDCWD, ".", O_RDONLY, 0, 0, sizeof(struct how), 1);
	try("size_page_plus", AT_FDCWD, ".", O_RDONLY, 0, 0, 4097, 0);
	try("file_rdwr", AT_FDCWD, "data.bin", O_RDWR, 0, 0, v0, 0);
	try("path_cloexec", AT_FDCWD, ".", O_PATH | O_CLOEXEC, 0, 0, v0, 0);
	try("path_directory", AT_FDCWD, ".", O_PATH | O_DIRECTORY, 0, 0, v0, 0);
	try("path_nofollow", AT_FDCWD, "data.bin", O_PATH | O_NOFOLLOW, 0, 0, v0, 0);
	try("path_rdwr", AT_FDCWD, ".", O_PATH | O_RDWR, 0, 0, v0, 0);
	try("path_creat", AT_FDCWD, ".", O_PATH | O_CREAT, 0, 0, v0, 0);
	try("path_largefile", AT_FDCWD, ".", O_PATH | 0x8000, 0, 0, v0, 0);
	try("path_mode", AT_FDCWD, ".", O_PATH, 0600, 0, v0, 0);
	try("tmpfile_path", AT_FDCWD, ".", O_TMPFILE | O_PATH | O_RDWR, 0, 0, v0, 0);
	try("tmpfile_creat", AT_FDCWD, ".", O_TMPFILE | O_CREAT | O_RDWR, 0, 0, v0, 0);
	try("tmpfile_rdonly", AT_FDCWD, ".", O_TMPFILE | O_RDONLY, 0600, 0, v0, 0);
	try("tmpfile", AT_FDCWD, ".", O_TMPFILE | O_RDWR, 0600, 0, v0, 0);
	try("tmpfile_bad_mode", AT_FDCWD, ".", O_TMPFILE | O_RDWR, 0x1337, 0, v0, 0);
	try("rdonly_mode", AT_FDCWD, ".", O_RDONLY, 0600, 0, v0, 0);
	try("creat", AT_FDCWD, "new.bin", O_CREAT | O_WRONLY, 0600, 0, v0, 0);
	try("creat_excl", AT_FDCWD, "new.bin", O_CREAT | O_EXCL | O_WRONLY, 0600, 0, v0, 0);
	try("creat_bad_mode", AT_FDCWD, "new.bin", O_CREAT, 0xffff, 0, v0, 0);
	try("creat_huge_mode", AT_FDCWD, "new.bin", O_CREAT, 0xC000000000000000ULL, 0, v0, 0);
	try("creat_directory", AT_FDCWD, "new2.bin", O_CREAT | O_DIRECTORY, 0600, 0, v0, 0);
	try("resolve_beneath_in_root", AT_FDCWD, ".", O_RDONLY, 0, 0x18, v0, 0);
	try("resolve_valid", AT_FDCWD, ".", O_RDONLY, 0, 0x07, v0, 0);
	try("resolve_bad", AT_FDCWD, ".", O_RDONLY, 0, 0x1337, v0, 0);
	try("flag_bit63", AT_FDCWD, ".", O_RDONLY | (1ULL << 63), 0, 0, v0, 0);
	try("flag_bit32", AT_FDCWD, ".", O_RDONLY | (1ULL << 32), 0, 0, v0, 0);
	try("dirfd", dir, "data.bin", O_RDONLY, 0, 0, v0, 0);
	try("dirfd_bad", 999, "data.bin", O_RDONLY, 0, 0, v0, 0);
	try("dirfd_notdir", file, "data.bin", O_RDONLY, 0, 0, v0, 0);
	try("missing", AT_FDCWD, "missing.bin", O_RDONLY, 0, 0, v0, 0);
	try("dir_wronly", AT_FDCWD, ".", O_WRONLY, 0, 0, v0, 0);
	symlink("data.bin", "ln");
	try("no_symlinks_link", AT_FDCWD, "ln", O_RDONLY, 0, 0x04, v0, 0);
	try("no_symlinks_file", AT_FDCWD, "data.bin", O_RDONLY, 0, 0x04, v0, 0);
	try("link_followed", AT_FDCWD, "ln", O_RDONLY, 0, 0, v0, 0);
	try("link_nofollow", AT_FDCWD, "ln", O_RDONLY | O_NOFOLLOW, 0, 0, v0, 0);
	printf("how_fault %s\n", syscall(SYS_openat2, AT_FDCWD, ".", (void *)8, 24) < 0 && errno == EFAULT ? "EFAULT" : "other");
	unlink("data.bin");
	unlink("new.bin");
	unlink("new2.bin");
	unlink("ln");
	rmdir(tmp);
	return 0;
}
