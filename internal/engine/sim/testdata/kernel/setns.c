// setns.c: setns as this machine's kernel answers an unprivileged user in
// the initial namespaces (sim's TestSetns makes the same calls on the model).
// Each line is "name value": OK or the errno's name.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
static void r(const char *n, int v){ printf("%s %s\n", n, v==0?"OK":errno==EINVAL?"EINVAL":errno==EPERM?"EPERM":errno==EBADF?"EBADF":errno==ESRCH?"ESRCH":strerror(errno)); }
int main(void){
 int mfd = memfd_create("x",0), pfd[2]; pipe(pfd);
 r("bad_fd", setns(99, 0));
 r("memfd", setns(mfd, 0));
 r("memfd_flags", setns(mfd, CLONE_NEWUTS));
 r("pipe", setns(pfd[0], 0));
 fflush(stdout);
 pid_t c = fork(); if (c==0){ char b; read(pfd[0],&b,1); _exit(0);}
 int pidfd = syscall(SYS_pidfd_open, c, 0);
 r("pidfd_0", setns(pidfd, 0));
 r("pidfd_bad", setns(pidfd, 1));
 r("pidfd_uts", setns(pidfd, CLONE_NEWUTS));
 r("pidfd_user", setns(pidfd, CLONE_NEWUSER));
 r("pidfd_user_uts", setns(pidfd, CLONE_NEWUSER|CLONE_NEWUTS));
 r("pidfd_mnt", setns(pidfd, CLONE_NEWNS));
 r("pidfd_pid", setns(pidfd, CLONE_NEWPID));
 r("pidfd_net", setns(pidfd, CLONE_NEWNET));
 r("pidfd_all", setns(pidfd, CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWNET|CLONE_NEWPID|CLONE_NEWCGROUP|CLONE_NEWTIME));
 int self = syscall(SYS_pidfd_open, getpid(), 0);
 r("self_uts", setns(self, CLONE_NEWUTS));
 r("self_user", setns(self, CLONE_NEWUSER));
 r("self_time", setns(self, CLONE_NEWTIME));
 r("self_cgroup", setns(self, CLONE_NEWCGROUP));
 kill(c, SIGKILL); siginfo_t si; waitid(P_PID, c, &si, WEXITED|WNOWAIT);
 r("zombie_uts", setns(pidfd, CLONE_NEWUTS));
 waitpid(c, 0, 0);
 r("reaped_uts", setns(pidfd, CLONE_NEWUTS));
 r("reaped_bad", setns(pidfd, 1));
}
