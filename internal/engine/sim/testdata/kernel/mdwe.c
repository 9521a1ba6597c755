// mdwe.c: PR_SET_MDWE (memory-deny-write-execute) as this machine's kernel
// answers it (sim's TestMDWE makes the same calls on the model). Each line
// is "name value".
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65 // Linux 6.3, past glibc 2.36's <sys/prctl.h>
#define PR_GET_MDWE 66
#endif
#define PG 4096
#define AP (MAP_PRIVATE | MAP_ANONYMOUS)

static const char *e(long r) {
	if (r >= 0) return "OK";
	switch (errno) {
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case EINVAL: return "EINVAL";
	}
	return strerror(errno);
}

static void child(const char *name) {
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		printf("%s %d\n", name, prctl(PR_GET_MDWE, 0, 0, 0, 0));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

int main(void) {
	printf("mdwe_get_none %d\n", prctl(PR_GET_MDWE, 0, 0, 0, 0));
	printf("mdwe_bad_bits %s\n", e(prctl(PR_SET_MDWE, 4, 0, 0, 0)));
	printf("mdwe_no_inherit_alone %s\n", e(prctl(PR_SET_MDWE, 2, 0, 0, 0)));
	printf("mdwe_arg3 %s\n", e(prctl(PR_SET_MDWE, 1, 1, 0, 0)));
	printf("mdwe_get_arg2 %s\n", e(prctl(PR_GET_MDWE, 1, 0, 0, 0)));
	void *wx = mmap(NULL, PG, PROT_WRITE | PROT_EXEC, AP, -1, 0);
	printf("mdwe_off_mmap_wx %s\n", wx == MAP_FAILED ? e(-1) : "OK");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		// NO_INHERIT: the process keeps MDWE, its children do not.
		printf("mdwe_set_no_inherit %s\n", e(prctl(PR_SET_MDWE, 3, 0, 0, 0)));
		printf("mdwe_get_no_inherit %d\n", prctl(PR_GET_MDWE, 0, 0, 0, 0));
		child("mdwe_child_no_inherit");
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	printf("mdwe_set %s\n", e(prctl(PR_SET_MDWE, 1, 0, 0, 0)));
	printf("mdwe_set_again %s\n", e(prctl(PR_SET_MDWE, 1, 0, 0, 0)));
	printf("mdwe_unset %s\n", e(prctl(PR_SET_MDWE, 0, 0, 0, 0)));
	printf("mdwe_add_no_inherit %s\n", e(prctl(PR_SET_MDWE, 3, 0, 0, 0)));
	printf("mdwe_get %d\n", prctl(PR_GET_MDWE, 0, 0, 0, 0));
	void *p = mmap(NULL, PG, PROT_WRITE | PROT_EXEC, AP, -1, 0);
	printf("mdwe_mmap_wx %s\n", p == MAP_FAILED ? e(-1) : "OK");
	p = mmap(NULL, PG, PROT_READ | PROT_EXEC, AP, -1, 0);
	printf("mdwe_mmap_rx %s\n", p == MAP_FAILED ? e(-1) : "OK");
	printf("mdwe_mprotect_stay_x %s\n", e(mprotect(p, PG, PROT_READ | PROT_EXEC)));
	printf("mdwe_mprotect_wx %s\n", e(mprotect(p, PG, PROT_READ | PROT_WRITE | PROT_EXEC)));
	void *q = mmap(NULL, PG, PROT_READ, AP, -1, 0);
	printf("mdwe_mprotect_add_x %s\n", e(mprotect(q, PG, PROT_READ | PROT_EXEC)));
	printf("mdwe_mprotect_none %s\n", e(mprotect(p, PG, PROT_NONE)));
	printf("mdwe_mprotect_back_x %s\n", e(mprotect(p, PG, PROT_EXEC)));
	void *f = mmap(q, PG, PROT_READ | PROT_EXEC, AP | MAP_FIXED, -1, 0);
	printf("mdwe_mmap_fixed_rx %s\n", f == MAP_FAILED ? e(-1) : "OK");
	printf("mdwe_wx_kept %s\n", e(mprotect(wx, PG, PROT_WRITE | PROT_EXEC)));
	child("mdwe_child");
	return 0;
}
