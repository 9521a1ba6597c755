package sandbox

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine/realkernel"
)

// The program's policy on the real engine: what gcc's build of a hostile
// program may do to what is not its own. Each test is a C program run in
// a worker, printing what the kernel answered.

// TestSignalsStayWithTheProgram: the program runs as the server's user, so
// only Landlock's signal scope keeps kill from reaching the worker, the
// server or another session's program; its own children it signals as in a
// terminal.
func TestSignalsStayWithTheProgram(t *testing.T) {
	if !realkernel.LandlockScopesSignals(realkernel.LandlockABI()) {
		t.Skip("this kernel's Landlock does not scope signals (ABI 6)")
	}
	outside := exec.Command("sleep", "60")
	require.NoError(t, outside.Start())
	t.Cleanup(func() { outside.Process.Kill(); outside.Wait() })
	src := fmt.Sprintf(`#include <stdio.h>
#include <signal.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
static void try(const char *what, int r) { printf("%%s: %%s\n", what, r ? strerror(errno) : "sent"); }
int main(void) {
	try("a process outside", kill(%d, SIGKILL));
	try("the worker", kill(getppid(), SIGKILL));
	pid_t c = fork();
	if (c == 0) { pause(); _exit(0); }
	try("its child", kill(c, SIGTERM));
	int s;
	waitpid(c, &s, 0);
	printf("the child ended by signal %%d\n", WTERMSIG(s));
	try("itself", kill(getpid(), 0));
	return 0;
}
`, outside.Process.Pid)
	evs, res := run(t, Job{Source: src})
	assert.Equal(t, `a process outside: Operation not permitted
the worker: Operation not permitted
its child: sent
the child ended by signal 15
itself: sent
`, stdout(evs), "errors: %s", messages(evs, "error"))
	assert.Equal(t, 0, res.Status)
	assert.NoError(t, outside.Process.Signal(syscall.Signal(0)), "the process outside is alive")
}

// TestProcessCallsStayWithTheProgram: the calls that name another process
// reach the program's own processes as in a terminal, and nothing else:
// the tracer checks the process-naming calls Landlock does not scope
// (priorities, limits, scheduling), Landlock the ptrace-level ones (kcmp,
// process_vm_readv); a process the tracer would not follow cannot be made,
// nor a namespace, while unshare's other flags work; a socket pair reaches
// only itself.
func TestProcessCallsStayWithTheProgram(t *testing.T) {
	if realkernel.LandlockABI() == 0 {
		t.Skip("no Landlock on this kernel: kcmp and process_vm_readv are refused whatever they name")
	}
	outside := exec.Command("sleep", "60")
	require.NoError(t, outside.Start())
	t.Cleanup(func() { outside.Process.Kill(); outside.Wait() })
	src := fmt.Sprintf(`#define _GNU_SOURCE
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <signal.h>
#include <sched.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/kcmp.h>
static char secret[16] = "the child's";
static void try(const char *what, long r) { printf("%%s: %%s\n", what, r < 0 ? strerror(errno) : "yes"); }
static void on(const char *who, pid_t pid) {
	char what[64];
	struct rlimit rl;
	struct sched_param sp = {0};
	snprintf(what, sizeof what, "prlimit64 of %%s", who);
	try(what, prlimit(pid, RLIMIT_NOFILE, NULL, &rl));
	snprintf(what, sizeof what, "setpriority of %%s", who);
	try(what, setpriority(PRIO_PROCESS, pid, 5));
	snprintf(what, sizeof what, "sched_setscheduler of %%s", who);
	try(what, sched_setscheduler(pid, SCHED_BATCH, &sp));
	snprintf(what, sizeof what, "kcmp with %%s", who);
	try(what, syscall(SYS_kcmp, getpid(), pid, KCMP_VM, 0, 0));
	char buf[16] = "";
	struct iovec l = {buf, sizeof buf}, r = {secret, sizeof secret};
	snprintf(what, sizeof what, "process_vm_readv of %%s", who);
	try(what, process_vm_readv(pid, &l, 1, &r, 1, 0));
}
int main(void) {
	on("a process outside", %d);
	on("the worker", getppid());
	pid_t c = fork();
	if (c == 0) { pause(); _exit(0); }
	on("its child", c);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	try("clone(CLONE_UNTRACED)", syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0));
	try("setpgid", setpgid(0, 0));
	try("unshare(CLONE_FILES)", unshare(CLONE_FILES));
	try("unshare(CLONE_NEWUSER)", unshare(CLONE_NEWUSER));
	try("clone(CLONE_NEWPID)", syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0));
	int sv[2];
	try("socketpair(AF_UNIX, SOCK_STREAM)", socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	try("socketpair(AF_UNIX, SOCK_SEQPACKET)", socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	try("socketpair(AF_UNIX, SOCK_DGRAM)", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	try("socket(AF_UNIX, SOCK_STREAM)", socket(AF_UNIX, SOCK_STREAM, 0));
	return 0;
}
`, outside.Process.Pid)
	evs, res := run(t, Job{Source: src})
	assert.Equal(t, `prlimit64 of a process outside: Operation not permitted
setpriority of a process outside: Operation not permitted
sched_setscheduler of a process outside: Operation not permitted
kcmp with a process outside: Operation not permitted
process_vm_readv of a process outside: Operation not permitted
prlimit64 of the worker: Operation not permitted
setpriority of the worker: Operation not permitted
sched_setscheduler of the worker: Operation not permitted
kcmp with the worker: Operation not permitted
process_vm_readv of the worker: Operation not permitted
prlimit64 of its child: yes
setpriority of its child: yes
sched_setscheduler of its child: yes
kcmp with its child: yes
process_vm_readv of its child: yes
clone(CLONE_UNTRACED): Operation not permitted
setpgid: yes
unshare(CLONE_FILES): yes
unshare(CLONE_NEWUSER): Operation not permitted
clone(CLONE_NEWPID): Operation not permitted
socketpair(AF_UNIX, SOCK_STREAM): yes
socketpair(AF_UNIX, SOCK_SEQPACKET): yes
socketpair(AF_UNIX, SOCK_DGRAM): Operation not permitted
socket(AF_UNIX, SOCK_STREAM): Operation not permitted
`, stdout(evs), "errors: %s", messages(evs, "error"))
	assert.Equal(t, 0, res.Status)
}

// TestSystemFilesTheProgramMayUse: what Landlock lets the program open
// beyond its directory, as a terminal's user opens them (the huge page
// settings to read; its own /proc/PID to write: /proc/self/mem), and what
// stays refused (writing the system's settings; a child's /proc/self is not
// the program's first process's directory, which it may read only).
func TestSystemFilesTheProgramMayUse(t *testing.T) {
	if realkernel.LandlockABI() == 0 {
		t.Skip("no Landlock on this kernel: the program's paths are not confined")
	}
	src := `#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
static void try(const char *p, int flags) {
	int fd = open(p, flags);
	printf("%s %s: %s\n", p, flags == O_RDONLY ? "read" : "write", fd < 0 ? strerror(errno) : "opened");
	if (fd >= 0)
		close(fd);
}
int main(void) {
	try("/sys/kernel/mm/transparent_hugepage/enabled", O_RDONLY);
	try("/sys/kernel/mm/transparent_hugepage/enabled", O_WRONLY);
	try("/proc/sys/vm/overcommit_memory", O_RDONLY);
	try("/proc/sys/vm/overcommit_memory", O_WRONLY);
	try("/proc/self/mem", O_RDWR);
	try("/proc/self/clear_refs", O_WRONLY);
	fflush(stdout);
	if (fork() == 0) {
		try("/proc/self/maps", O_RDONLY);
		try("/proc/self/mem", O_RDWR);
		fflush(stdout);
		_exit(0);
	}
	wait(NULL);
	return 0;
}
`
	evs, res := run(t, Job{Source: src})
	assert.Equal(t, `/sys/kernel/mm/transparent_hugepage/enabled read: opened
/sys/kernel/mm/transparent_hugepage/enabled write: Permission denied
/proc/sys/vm/overcommit_memory read: opened
/proc/sys/vm/overcommit_memory write: Permission denied
/proc/self/mem write: opened
/proc/self/clear_refs write: opened
/proc/self/maps read: opened
/proc/self/mem write: Permission denied
`, stdout(evs), "errors: %s", messages(evs, "error"))
	assert.Equal(t, 0, res.Status)
}

// TestTheProgramIsUnprivileged: gcc's build runs as an unprivileged user,
// owner of its directory: the worker's user, or nobody when the worker is
// root (a server run as root).
func TestTheProgramIsUnprivileged(t *testing.T) {
	src := `#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
int main(void) {
	gid_t groups[8];
	printf("uid %d gid %d, %d supplementary groups\n", (int)getuid(), (int)getgid(), getgroups(8, groups));
	int fd = open("made.txt", O_CREAT | O_WRONLY, 0644);
	printf("made.txt: %s\n", fd >= 0 && write(fd, "x", 1) == 1 ? "written" : "not written");
	int given = open("given.txt", O_WRONLY | O_APPEND);
	printf("given.txt: %s\n", given >= 0 && write(given, "y", 1) == 1 ? "written" : "not written");
	return 0;
}
`
	evs, res := run(t, Job{Source: src, Files: map[string]string{"given.txt": "x"}})
	uid, gid, groups := os.Getuid(), os.Getgid(), -1
	if uid == 0 {
		uid, gid, groups = programUser.UID, programUser.GID, 0
	}
	out := stdout(evs)
	if groups < 0 {
		// The worker's user keeps its own supplementary groups.
		out = regexp.MustCompile(`, \d+ supplementary`).ReplaceAllString(out, ", its supplementary")
		assert.Equal(t, fmt.Sprintf("uid %d gid %d, its supplementary groups\nmade.txt: written\ngiven.txt: written\n", uid, gid), out)
	} else {
		assert.Equal(t, fmt.Sprintf("uid %d gid %d, 0 supplementary groups\nmade.txt: written\ngiven.txt: written\n", uid, gid), out)
	}
	assert.Equal(t, 0, res.Status)
}

// TestTheProgramsOwnTmp: the program has a /tmp and a /dev/shm of its own
// (its directory's .tmp and a tmpfs, mounted over the host's in a mount
// namespace of its own): it writes there as in a terminal, and nothing of
// it reaches the host's /tmp, nor anything of the host's /tmp it.
func TestTheProgramsOwnTmp(t *testing.T) {
	host, err := os.CreateTemp("/tmp", "playground-host-*")
	require.NoError(t, err)
	host.Close()
	t.Cleanup(func() { os.Remove(host.Name()) })
	name := fmt.Sprintf("playground-own-tmp-%d", os.Getpid())
	t.Cleanup(func() { os.Remove("/tmp/" + name) })
	src := fmt.Sprintf(`#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>
static void try(const char *what, int r) { printf("%%s: %%s\n", what, r < 0 ? strerror(errno) : "yes"); }
int main(void) {
	try("create /tmp/%[1]s", open("/tmp/%[1]s", O_CREAT | O_WRONLY, 0600));
	try("tmpfile", tmpfile() ? 0 : -1);
	try("shm_open", shm_open("/%[1]s", O_CREAT | O_RDWR, 0600));
	try("the host's %[2]s", open("%[2]s", O_RDONLY));
	try("its directory by its absolute path", access(getcwd((char[4096]){0}, 4096), W_OK));
	struct statfs fs;
	if (statfs("/dev/shm", &fs) == 0)
		printf("/dev/shm: %%s of %%ld MiB\n", fs.f_type == 0x01021994 ? "a tmpfs" : "not a tmpfs", (long)(fs.f_blocks * fs.f_bsize >> 20));
	return 0;
}
`, name, host.Name())
	evs, res := run(t, Job{Source: src})
	if strings.Contains(messages(evs, "note"), "no /tmp nor /dev/shm for the program") {
		t.Skip("the host refused the program a mount namespace (or has no Landlock)")
	}
	assert.Equal(t, fmt.Sprintf(`create /tmp/%[1]s: yes
tmpfile: yes
shm_open: yes
the host's %[2]s: No such file or directory
its directory by its absolute path: yes
/dev/shm: a tmpfs of 16 MiB
`, name, host.Name()), stdout(evs), "errors: %s", messages(evs, "error"))
	assert.Equal(t, 0, res.Status)
	_, err = os.Stat("/tmp/" + name)
	assert.True(t, os.IsNotExist(err), "the program's /tmp/%s is not the host's", name)
}
