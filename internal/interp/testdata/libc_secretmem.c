/* memfd_secret (mm/secretmem.c) and what reaches another process's or
 * the kernel's pages: a secret file's pages only its mappings reach, so
 * read and write are refused, and get_user_pages (vmsplice,
 * process_vm_readv, ptrace's PTRACE_PEEKDATA) refuses them; the same calls
 * on ordinary memory; ptrace's attach, its stop as wait reports it, and
 * PTRACE_KILL. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static void r(const char *name, long v)
{
	if (v < 0)
		printf("%s %s\n", name, strerror(errno));
	else
		printf("%s %ld\n", name, v);
	fflush(stdout);
}

int main(void)
{
	char buf[64];
	int pfd[2], sync[2];
	long word = 0x1122334455667788;

	r("flags", syscall(SYS_memfd_secret, 1));
	int fd = syscall(SYS_memfd_secret, O_CLOEXEC);
	r("cloexec", fcntl(fd, F_GETFD));
	r("getfl", fcntl(fd, F_GETFL) & O_ACCMODE);
	r("ftruncate", ftruncate(fd, 4096));
	r("read", read(fd, buf, sizeof(buf)));
	r("write", write(fd, buf, sizeof(buf)));
	r("private", mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) == MAP_FAILED ? -1 : 0);
	char *mem = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	r("shared", mem == MAP_FAILED ? -1 : 0);
	memset(mem, 0x55, 4096);
	r("touched", mem[100]);

	pipe(pfd);
	struct iovec iov = {mem, 4096}, plain = {&word, sizeof(word)}, out = {buf, sizeof(word)};
	r("vmsplice_secret", vmsplice(pfd[1], &iov, 1, 0));
	r("vmsplice_flags", vmsplice(pfd[1], &plain, 1, 0x10));
	r("vmsplice_notpipe", vmsplice(fd, &plain, 1, 0));
	r("vmsplice_none", vmsplice(pfd[1], &plain, 0, 0));
	r("vmsplice_plain", vmsplice(pfd[1], &plain, 1, 0));
	r("vmsplice_out", vmsplice(pfd[0], &out, 1, 0));
	r("vmsplice_out_word", memcmp(buf, &word, sizeof(word)) == 0);
	r("vmsplice_out_empty", vmsplice(pfd[0], &out, 1, SPLICE_F_NONBLOCK));

	struct iovec secret = {mem, 8}, local = {buf, 8}, self = {&word, 8};
	r("vm_readv_flags", process_vm_readv(getpid(), &local, 1, &self, 1, 1));
	r("vm_readv_self", process_vm_readv(getpid(), &local, 1, &self, 1, 0));
	r("vm_readv_secret_self", process_vm_readv(getpid(), &local, 1, &secret, 1, 0));
	r("vm_readv_nosuch", process_vm_readv(99999, &local, 1, &self, 1, 0));

	r("attach_self", ptrace(PTRACE_ATTACH, getpid(), 0, 0));
	r("attach_nosuch", ptrace(PTRACE_ATTACH, 99999, 0, 0));
	pipe(sync);
	pid_t c = fork();
	if (c == 0) {
		char b;
		read(sync[0], &b, 1);
		for (;;)
			pause();
	}
	r("peek_untraced", ptrace(PTRACE_PEEKDATA, c, &word, 0));
	r("vm_readv_child", process_vm_readv(c, &local, 1, &self, 1, 0));
	r("vm_readv_child_secret", process_vm_readv(c, &local, 1, &secret, 1, 0));
	r("attach", ptrace(PTRACE_ATTACH, c, 0, 0));
	r("attach_again", ptrace(PTRACE_ATTACH, c, 0, 0));
	int status;
	r("wait_stop", waitpid(c, &status, 0) == c);
	printf("stopped %d sig %d\n", WIFSTOPPED(status), WSTOPSIG(status));
	errno = 0;
	long v = ptrace(PTRACE_PEEKDATA, c, &word, 0);
	r("peek", v == word);
	r("peek_secret", ptrace(PTRACE_PEEKDATA, c, mem, 0));
	r("peek_unmapped", ptrace(PTRACE_PEEKDATA, c, (void *)8, 0));
	r("kill", ptrace(PTRACE_KILL, c, 0, 0));
	r("wait_kill", waitpid(c, &status, 0) == c);
	printf("signaled %d sig %d\n", WIFSIGNALED(status), WTERMSIG(status));
	return 0;
}
