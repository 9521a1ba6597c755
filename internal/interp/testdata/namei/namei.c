// namei.c: directories, symbolic links, file modes, mknod and
// getdents64 as this machine's kernel answers them for an unprivileged
// user, in an empty directory of its own (TestNameiAsUser runs it so, and
// on the model). Each line is "name value": 0 or the call's result, the
// errno's name, or a mode in octal.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020 // <linux/fcntl.h>, not in glibc 2.36's <fcntl.h>
#endif

static const char *ename(int e) {
	switch (e) {
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EBADF: return "EBADF";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case EFAULT: return "EFAULT";
	case EEXIST: return "EEXIST";
	case ENOTEMPTY: return "ENOTEMPTY";
	case ELOOP: return "ELOOP";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case EBUSY: return "EBUSY";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ERANGE: return "ERANGE";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case ESOCKTNOSUPPORT: return "ESOCKTNOSUPPORT";
	}
	return strerror(e);
}

static void show(const char *name, long r) {
	if (r < 0)
		printf("%s %s\n", name, ename(errno));
	else
		printf("%s %ld\n", name, r);
}

// mode shows what lstat (nofollow) or stat says of path's st_mode.
static void mode(const char *name, const char *path, int nofollow) {
	struct stat st;
	long r = nofollow ? lstat(path, &st) : stat(path, &st);
	if (r < 0)
		printf("%s %s\n", name, ename(errno));
	else
		printf("%s %o\n", name, st.st_mode);
}

static void openclose(const char *name, const char *path, int flags) {
	int fd = open(path, flags, 0644);
	show(name, fd < 0 ? -1 : 0);
	if (fd >= 0)
		close(fd);
}

// dents counts the entries getdents64 gives fd, or its errno.
static void dents(const char *name, int fd, unsigned count) {
	char buf[4096];
	long n = syscall(SYS_getdents64, fd, buf, count);
	if (n < 0) {
		show(name, n);
		return;
	}
	int k = 0;
	for (long off = 0; off < n;) {
		unsigned short reclen = *(unsigned short *)(buf + off + 16);
		k++;
		off += reclen;
	}
	printf("%s %d\n", name, k);
}

int main(void) {
	umask(022);
	show("umask", umask(022));

	// mkdir and rmdir (fs/namei.c's do_mkdirat, do_rmdir).
	show("mkdir", mkdir("d", 0777));
	mode("mkdir_mode", "d", 0);
	show("mkdir_again", mkdir("d", 0755));
	show("mkdir_missing_parent", mkdir("nodir/x", 0755));
	close(open("f", O_CREAT | O_WRONLY, 0666));
	mode("creat_mode", "f", 0);
	show("mkdir_under_file", mkdir("f/x", 0755));
	show("mkdir_trailing_slash", mkdir("e/", 0755));
	show("rmdir_trailing_slash", rmdir("e/"));
	show("mkdir_dot", mkdir(".", 0755));
	show("mkdir_empty", mkdir("", 0755));
	show("mkdirat_badfd", mkdirat(999, "x", 0755));
	int dfd = open("d", O_RDONLY | O_DIRECTORY);
	show("mkdirat_dirfd", mkdirat(dfd, "sub", 0700));
	mode("mkdirat_mode", "d/sub", 0);
	show("rmdir_notempty", rmdir("d"));
	show("rmdir_file", rmdir("f"));
	show("rmdir_missing", rmdir("nothere"));
	show("rmdir_dot", rmdir("d/sub/."));
	show("rmdir_dotdot", rmdir("d/sub/.."));
	show("unlink_dir", unlink("d/sub"));
	show("unlinkat_removedir", unlinkat(dfd, "sub", AT_REMOVEDIR));
	show("unlinkat_removedir_file", unlinkat(AT_FDCWD, "f", AT_REMOVEDIR));
	show("unlinkat_badflag", unlinkat(AT_FDCWD, "f", 1));
	show("mkdir_name_255", mkdir("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0755));
	show("mkdir_name_256", mkdir("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", 0755));
	openclose("open_dir_rdonly", "d", O_RDONLY);
	openclose("open_dir_creat", "d", O_RDONLY | O_CREAT);
	openclose("open_dir_path", "d", O_PATH);
	openclose("open_file_trailing_slash", "f/", O_RDONLY);
	openclose("open_creat_in_subdir", "d/g", O_RDWR | O_CREAT);
	openclose("open_dotdot", "d/../f", O_RDONLY);

	// getdents64 (fs/readdir.c).
	dents("getdents_dir", dfd, sizeof(char[4096]));
	dents("getdents_again", dfd, 4096);
	lseek(dfd, 0, SEEK_SET);
	dents("getdents_small", dfd, 8);
	int ffd = open("f", O_RDONLY);
	dents("getdents_file", ffd, 4096);
	int pfd = open("d", O_PATH);
	dents("getdents_opath", pfd, 4096);
	dents("getdents_badfd", 999, 4096);
	show("getdents_fault", syscall(SYS_getdents64, dfd, (void *)8, 4096));
	lseek(dfd, 0, SEEK_SET);
	show("getdents_fault_read", syscall(SYS_getdents64, dfd, (void *)8, 4096));

	// Symbolic links (fs/namei.c's do_symlinkat, pick_link).
	show("symlink", symlink("f", "l"));
	show("symlink_again", symlink("f", "l"));
	show("symlink_empty_target", symlink("", "l2"));
	mode("lstat_link", "l", 1);
	mode("stat_link", "l", 0);
	char lbuf[64];
	long n = readlink("l", lbuf, sizeof(lbuf));
	show("readlink", n);
	show("readlink_short", readlink("l", lbuf, 0));
	show("readlink_file", readlink("f", lbuf, sizeof(lbuf)));
	show("readlink_missing", readlink("nothere", lbuf, sizeof(lbuf)));
	openclose("open_link", "l", O_RDONLY);
	openclose("open_link_nofollow", "l", O_RDONLY | O_NOFOLLOW);
	openclose("open_link_nofollow_path", "l", O_PATH | O_NOFOLLOW);
	show("symlink_dangling", symlink("newtarget", "dl"));
	mode("stat_dangling", "dl", 0);
	openclose("open_dangling_creat", "dl", O_RDWR | O_CREAT);
	mode("stat_dangling_created", "newtarget", 0);
	openclose("open_dangling_excl", "dl", O_RDWR | O_CREAT | O_EXCL);
	show("symlink_loop", symlink("loop", "loop"));
	mode("stat_loop", "loop", 0);
	mode("lstat_loop", "loop", 1);
	openclose("open_loop", "loop", O_RDONLY);
	show("symlink_dir", symlink("d", "ld"));
	openclose("open_through_link", "ld/g", O_RDONLY);
	mode("stat_link_slash", "ld/", 1);
	show("unlink_link", unlink("ld"));
	// A chain of links: 40 is the most a lookup follows (MAXSYMLINKS).
	char a[16], b[16];
	show("chain_first", symlink("f", "c0"));
	for (int i = 1; i <= 41; i++) {
		snprintf(a, sizeof a, "c%d", i - 1);
		snprintf(b, sizeof b, "c%d", i);
		symlink(a, b);
	}
	mode("stat_chain40_links", "c39", 0);
	mode("stat_chain41_links", "c40", 0);
	show("fstatat_nofollow", fstatat(AT_FDCWD, "l", &(struct stat){0}, AT_SYMLINK_NOFOLLOW));

	// File modes (fs/open.c's chmod_common, fs/attr.c).
	show("chmod", chmod("f", 0600));
	mode("chmod_mode", "f", 0);
	show("chmod_all", chmod("f", 07777));
	mode("chmod_all_mode", "f", 0);
	show("fchmod", fchmod(ffd, 0640));
	mode("fchmod_mode", "f", 0);
	show("fchmod_opath", fchmod(pfd, 0700));
	show("fchmod_badfd", fchmod(999, 0700));
	show("chmod_link", chmod("l", 0604));
	mode("chmod_link_target", "f", 0);
	mode("chmod_link_self", "l", 1);
	show("chmod_missing", chmod("nothere", 0600));
	show("chmod_dev", chmod("/dev/null", 0600));
	show("fchmodat", syscall(SYS_fchmodat, AT_FDCWD, "f", 0644));
	show("fchmodat2", syscall(452, AT_FDCWD, "f", 0644, 0));
	show("fchmodat2_badflag", syscall(452, AT_FDCWD, "f", 0644, 1));
	show("fchmodat2_nofollow_file", syscall(452, AT_FDCWD, "f", 0600, AT_SYMLINK_NOFOLLOW));
	mode("fchmodat2_nofollow_file_mode", "f", 0);
	show("fchmodat2_nofollow_link", syscall(452, AT_FDCWD, "l", 0600, AT_SYMLINK_NOFOLLOW));
	mode("fchmodat2_nofollow_link_mode", "l", 1);
	show("fchmodat2_empty", syscall(452, ffd, "", 0644, AT_EMPTY_PATH));
	show("fchmodat2_empty_noflag", syscall(452, ffd, "", 0644, 0));
	show("chmod_dir", chmod("d", 0700));
	mode("chmod_dir_mode", "d", 0);

	// Access by mode, as the owner sees it (generic_permission).
	chmod("f", 0);
	openclose("open_mode0_read", "f", O_RDONLY);
	openclose("open_mode0_write", "f", O_WRONLY);
	show("access_mode0_f", access("f", F_OK));
	show("access_mode0_r", access("f", R_OK));
	chmod("f", 0400);
	openclose("open_mode0400_read", "f", O_RDONLY);
	openclose("open_mode0400_write", "f", O_WRONLY);
	show("access_mode0400_w", access("f", W_OK));
	show("access_mode0400_x", access("f", X_OK));
	chmod("f", 0644);
	show("access_rw", access("f", R_OK | W_OK));
	show("access_badmode", access("f", 8));
	show("access_dev_null", access("/dev/null", R_OK | W_OK));
	show("access_bin_true", access("/bin/true", X_OK));
	// root's home: only root may enter it.
	mode("stat_root_home", "/root", 0);
	show("access_root_home", access("/root", X_OK));
	openclose("creat_below_root_home", "/root/.cache/f", O_RDWR | O_CREAT);
	chmod("d", 0600);
	mode("stat_in_unsearchable", "d/g", 0);
	openclose("open_in_unsearchable", "d/g", O_RDONLY);
	chmod("d", 0500);
	openclose("creat_in_unwritable", "d/h", O_RDWR | O_CREAT);
	show("mkdir_in_unwritable", mkdir("d/h", 0755));
	show("unlink_in_unwritable", unlink("d/g"));
	chmod("d", 0755);

	// mknod (fs/namei.c's do_mknodat, may_mknod).
	show("mkfifo", mkfifo("p", 0644));
	mode("mkfifo_mode", "p", 0);
	show("mknod_reg", mknod("r", S_IFREG | 0600, 0));
	mode("mknod_reg_mode", "r", 0);
	show("mknod_zero_type", mknod("z", 0600, 0));
	mode("mknod_zero_type_mode", "z", 0);
	show("mknod_chr", mknod("c", S_IFCHR | 0600, makedev(1, 5)));
	show("mknod_blk", mknod("b", S_IFBLK | 0600, makedev(7, 0)));
	show("mknod_dir", mknod("dd", S_IFDIR | 0755, 0));
	show("mknod_badtype", mknod("bt", 0170000 | 0600, 0));
	show("mknod_exists", mknod("f", S_IFIFO | 0600, 0));
	show("mknod_exists_chr", mknod("f", S_IFCHR | 0600, 0));

	// exec of the other kinds of file (fs/exec.c's do_open_execat).
	char *argv[] = {"x", NULL}, *envp[] = {NULL};
	show("exec_dir", execve("d", argv, envp));
	show("exec_fifo", execve("p", argv, envp));
	show("exec_link_to_file", execve("dl", argv, envp));
	show("exec_loop", execve("loop", argv, envp));
	show("execveat_nofollow", syscall(SYS_execveat, AT_FDCWD, "l", argv, envp, AT_SYMLINK_NOFOLLOW));
	show("execveat_badflag", syscall(SYS_execveat, AT_FDCWD, "f", argv, envp, 0x4000));
	show("fexecve_dir", fexecve(dfd, argv, envp));
	show("fexecve_file", fexecve(ffd, argv, envp));
	show("fexecve_badfd", fexecve(999, argv, envp));
	show("symlink_true", symlink("/bin/true", "t"));
	pid_t pid = fork();
	if (pid == 0) {
		execve("t", argv, envp);
		_exit(99);
	}
	int status;
	waitpid(pid, &status, 0);
	show("exec_link_to_true_status", WIFEXITED(status) ? WEXITSTATUS(status) : -1);

	// socket(2): the kinds of socket the model makes (net/socket.c).
	int s = socket(AF_INET, SOCK_STREAM, 0);
	show("socket_inet_stream", s < 0 ? -1 : 0);
	struct stat sst;
	fstat(s, &sst);
	printf("socket_mode %o\n", sst.st_mode);
	show("fexecve_socket", fexecve(s, argv, envp));
	close(s);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	show("socket_inet_dgram", s < 0 ? -1 : 0);
	close(s);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	show("socket_unix_stream", s < 0 ? -1 : 0);
	close(s);
	show("socket_inet_raw", socket(AF_INET, SOCK_RAW, 0));
	show("socket_inet_stream_udp", socket(AF_INET, SOCK_STREAM, 17));
	show("socket_inet_seqpacket", socket(AF_INET, SOCK_SEQPACKET, 0));
	show("socket_unix_badproto", socket(AF_UNIX, SOCK_STREAM, 6));
	show("socket_badtype", socket(AF_INET, 11, 0));
	show("socket_badflag", socket(AF_INET, SOCK_STREAM | 0x100, 0));
	show("socket_badfamily", socket(46, SOCK_STREAM, 0));

	// A memfd's mode and its seals (mm/shmem.c's shmem_setattr,
	// mm/memfd.c's memfd_add_seals), and a reopen through /proc.
	int m = memfd_create("m", MFD_ALLOW_SEALING);
	char mpath[64];
	snprintf(mpath, sizeof mpath, "/proc/self/fd/%d", m);
	ftruncate(m, 4096);
	show("memfd_fchmod", fchmod(m, 0644));
	show("memfd_seal_exec", fcntl(m, F_ADD_SEALS, F_SEAL_EXEC));
	show("memfd_seals_no_wx", fcntl(m, F_GET_SEALS));
	show("memfd_fchmod_sealed_x", fchmod(m, 0755));
	show("memfd_fchmod_sealed_rw", fchmod(m, 0600));
	show("memfd_seal_shrink", fcntl(m, F_ADD_SEALS, F_SEAL_SHRINK));
	openclose("memfd_reopen_trunc", mpath, O_RDWR | O_TRUNC);
	openclose("memfd_reopen", mpath, O_RDWR);
	fchmod(m, 0);
	openclose("memfd_reopen_mode0", mpath, O_RDONLY);
	int m2 = memfd_create("m2", 0);
	show("memfd_wx_seals", fcntl(m2, F_ADD_SEALS, F_SEAL_EXEC));

	// The working directory (fs/open.c's chdir, fchdir; fs/d_path.c's
	// getcwd).
	char cwdbuf[512];
	long cwdlen = syscall(SYS_getcwd, cwdbuf, sizeof cwdbuf);
	show("getcwd_len_is_path_and_nul", cwdlen == (long)strlen(cwdbuf) + 1);
	show("getcwd_small", syscall(SYS_getcwd, cwdbuf, 2));
	show("getcwd_zero", syscall(SYS_getcwd, cwdbuf, 0));
	show("getcwd_fault", syscall(SYS_getcwd, (void *)8, 512));
	show("chdir_file", chdir("f"));
	show("chdir_missing", chdir("nothere"));
	show("fchdir_file", fchdir(ffd));
	show("fchdir_badfd", fchdir(999));
	int here = open(".", O_RDONLY);
	chmod("d", 0600);
	show("chdir_unsearchable", chdir("d"));
	chmod("d", 0755);
	show("chdir", chdir("d"));
	show("getcwd_below", getcwd(cwdbuf, sizeof cwdbuf) ? (long)strlen(cwdbuf) - cwdlen : -1);
	mode("stat_from_subdir", "g", 0);
	mode("stat_up", "../f", 0);
	openclose("creat_from_subdir", "h2", O_RDWR | O_CREAT);
	show("fchdir", fchdir(here));
	mode("stat_back", "d/h2", 0);
	mkdir("gone", 0755);
	show("chdir_gone", chdir("gone"));
	show("rmdir_cwd", rmdir("../gone"));
	show("getcwd_removed", syscall(SYS_getcwd, cwdbuf, sizeof cwdbuf));
	openclose("creat_in_removed", "x", O_RDWR | O_CREAT);
	show("chdir_up_from_removed", chdir(".."));
	mode("stat_after_removed", "d/h2", 0);
	show("chdir_link", chdir("ld2"));
	symlink("d", "ld2");
	show("chdir_link", chdir("ld2"));
	mode("stat_via_link_cwd", "g", 0);
	fchdir(here);
	unlink("ld2");
	unlink("d/h2");

	// The directory's entries now.
	DIR *dir = opendir(".");
	int entries = 0;
	while (readdir(dir))
		entries++;
	closedir(dir);
	show("readdir_entries", entries);
	return 0;
}
