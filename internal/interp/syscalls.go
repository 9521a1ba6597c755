package interp

import (
	"math"

	"github.com/mmapplayground/playground/internal/engine"
)

// The C library's thin system call wrappers beyond the core ones in
// libc.go, and syscall(2) itself. Each passes its arguments to the engine's
// call of the kernel's name; a call the engine does not model answers
// ENOSYS, as a kernel without it would, and the library says so once in a
// note.

// wrapper is one glibc function that is a system call.
type wrapper struct {
	proto string
	call  string // the kernel's name, as strace prints it
	path  int    // which argument is a path (read from memory), or -1
	// args rearranges the C arguments into the kernel's, when they differ
	// (getrlimit is prlimit64(0, resource, NULL, old)); nil passes them on.
	args func(a []int64) []int64
}

var wrappers = []wrapper{
	{proto: "int pipe(int fds[2])", call: "pipe2", path: -1, args: func(a []int64) []int64 { return []int64{a[0], 0} }},
	{proto: "int pipe2(int fds[2], int flags)", call: "pipe2", path: -1},
	{proto: "int dup(int fd)", call: "dup", path: -1},
	{proto: "int dup2(int fd, int fd2)", call: "dup2", path: -1},
	{proto: "int dup3(int fd, int fd2, int flags)", call: "dup3", path: -1},
	{proto: "int fcntl(int fd, int cmd, ...)", call: "fcntl", path: -1},
	{proto: "int ioctl(int fd, unsigned long req, ...)", call: "ioctl", path: -1},
	{proto: "int access(const char *path, int mode)", call: "access", path: 0},
	{proto: "int faccessat(int dirfd, const char *path, int mode, int flags)", call: "faccessat2", path: 1},
	{proto: "int fchmodat(int dirfd, const char *path, unsigned int mode, int flags)", call: "fchmodat2", path: 1},
	{proto: "int mkdirat(int dirfd, const char *path, unsigned int mode)", call: "mkdirat", path: 1},
	{proto: "unsigned int umask(unsigned int mask)", call: "umask", path: -1},
	{proto: "int chmod(const char *path, unsigned int mode)", call: "chmod", path: 0},
	{proto: "int fchmod(int fd, unsigned int mode)", call: "fchmod", path: -1},
	{proto: "int truncate(const char *path, long len)", call: "truncate", path: 0},
	{proto: "int rename(const char *from, const char *to)", call: "rename", path: 0},
	{proto: "int mkdir(const char *path, unsigned int mode)", call: "mkdir", path: 0},
	{proto: "int rmdir(const char *path)", call: "rmdir", path: 0},
	{proto: "long readlink(const char *path, char *buf, unsigned long n)", call: "readlink", path: 0},
	{proto: "int symlink(const char *target, const char *path)", call: "symlink", path: 1},
	{proto: "int link(const char *from, const char *to)", call: "link", path: 0},
	{proto: "int chdir(const char *path)", call: "chdir", path: 0},
	{proto: "int fchdir(int fd)", call: "fchdir", path: -1},
	{proto: "int lstat(const char *path, struct stat *st)", call: "lstat", path: 0},
	{proto: "int fstatat(int dirfd, const char *path, struct stat *st, int flags)", call: "newfstatat", path: 1},
	{proto: "int unlinkat(int dirfd, const char *path, int flags)", call: "unlinkat", path: 1},
	{proto: "int fsync(int fd)", call: "fsync", path: -1},
	{proto: "int fdatasync(int fd)", call: "fdatasync", path: -1},
	{proto: "void sync(void)", call: "sync", path: -1},
	{proto: "int syncfs(int fd)", call: "syncfs", path: -1},
	{proto: "unsigned int alarm(unsigned int s)", call: "alarm", path: -1},
	{proto: "int getitimer(int which, struct itimerval *v)", call: "getitimer", path: -1},
	{proto: "int setitimer(int which, const struct itimerval *v, struct itimerval *old)", call: "setitimer", path: -1},
	{proto: "int socket(int domain, int type, int protocol)", call: "socket", path: -1},
	{proto: "int socketpair(int domain, int type, int protocol, int sv[2])", call: "socketpair", path: -1},
	{proto: "int poll(void *fds, unsigned long n, int timeout)", call: "poll", path: -1},
	{proto: "int select(int n, void *r, void *w, void *e, struct timeval *t)", call: "select", path: -1},
	{proto: "unsigned int getuid(void)", call: "getuid", path: -1},
	{proto: "unsigned int geteuid(void)", call: "geteuid", path: -1},
	{proto: "unsigned int getgid(void)", call: "getgid", path: -1},
	{proto: "unsigned int getegid(void)", call: "getegid", path: -1},
	{proto: "int gettid(void)", call: "gettid", path: -1},
	{proto: "int getpgrp(void)", call: "getpgrp", path: -1},
	{proto: "int setsid(void)", call: "setsid", path: -1},
	{proto: "int setpgid(int pid, int pgid)", call: "setpgid", path: -1},
	{proto: "int setpgrp(void)", call: "setpgid", path: -1, args: func(a []int64) []int64 { return []int64{0, 0} }},
	{proto: "int setuid(unsigned int uid)", call: "setuid", path: -1},
	{proto: "int seteuid(unsigned int uid)", call: "setresuid", path: -1, args: func(a []int64) []int64 { return []int64{-1, a[0], -1} }},
	{proto: "int setegid(unsigned int gid)", call: "setresgid", path: -1, args: func(a []int64) []int64 { return []int64{-1, a[0], -1} }},
	{proto: "int setresuid(unsigned int r, unsigned int e, unsigned int s)", call: "setresuid", path: -1},
	{proto: "int setresgid(unsigned int r, unsigned int e, unsigned int s)", call: "setresgid", path: -1},
	{proto: "int mkfifo(const char *path, unsigned int mode)", call: "mknodat", path: 0,
		args: func(a []int64) []int64 { return []int64{engine.AT_FDCWD, a[0], a[1] | engine.S_IFIFO, 0} }},
	{proto: "int setgid(unsigned int gid)", call: "setgid", path: -1},
	{proto: "int mknod(const char *path, unsigned int mode, unsigned long dev)", call: "mknodat", path: 0,
		args: func(a []int64) []int64 { return []int64{engine.AT_FDCWD, a[0], a[1], a[2]} }},
	{proto: "int mknodat(int dirfd, const char *path, unsigned int mode, unsigned long dev)", call: "mknodat", path: 1},
	{proto: "int symlinkat(const char *target, int dirfd, const char *path)", call: "symlinkat", path: 2},
	{proto: "long readlinkat(int dirfd, const char *path, char *buf, unsigned long n)", call: "readlinkat", path: 1},
	{proto: "long send(int fd, const void *buf, unsigned long n, int flags)", call: "sendto", path: -1,
		args: func(a []int64) []int64 { return []int64{a[0], a[1], a[2], a[3], 0, 0} }},
	{proto: "long recv(int fd, void *buf, unsigned long n, int flags)", call: "recvfrom", path: -1,
		args: func(a []int64) []int64 { return []int64{a[0], a[1], a[2], a[3], 0, 0} }},
	{proto: "long sendto(int fd, const void *buf, unsigned long n, int flags, const void *addr, unsigned int addrlen)", call: "sendto", path: -1},
	{proto: "long recvfrom(int fd, void *buf, unsigned long n, int flags, void *addr, unsigned int *addrlen)", call: "recvfrom", path: -1},
	{proto: "int shutdown(int fd, int how)", call: "shutdown", path: -1},
	{proto: "int getpgid(int pid)", call: "getpgid", path: -1},
	{proto: "int getsid(int pid)", call: "getsid", path: -1},
	{proto: "int uname(struct utsname *buf)", call: "uname", path: -1},
	{proto: "int getrlimit(int resource, struct rlimit *old)", call: "prlimit64", path: -1,
		args: func(a []int64) []int64 { return []int64{0, a[0], 0, a[1]} }},
	{proto: "int setrlimit(int resource, const struct rlimit *new)", call: "prlimit64", path: -1,
		args: func(a []int64) []int64 { return []int64{0, a[0], a[1], 0} }},
	{proto: "int prlimit(int pid, int resource, const struct rlimit *new, struct rlimit *old)", call: "prlimit64", path: -1},
	{proto: "int memfd_create(const char *name, unsigned int flags)", call: "memfd_create", path: 0},
	{proto: "int statfs(const char *path, struct statfs *buf)", call: "statfs", path: 0},
	{proto: "int fstatfs(int fd, struct statfs *buf)", call: "fstatfs", path: -1},
	{proto: "long readv(int fd, const struct iovec *iov, int n)", call: "readv", path: -1},
	{proto: "long writev(int fd, const struct iovec *iov, int n)", call: "writev", path: -1},
	{proto: "int remap_file_pages(void *addr, unsigned long size, int prot, unsigned long pgoff, int flags)", call: "remap_file_pages", path: -1},
	{proto: "int mlock2(const void *addr, unsigned long len, unsigned int flags)", call: "mlock2", path: -1},
	{proto: "int pkey_alloc(unsigned int flags, unsigned int rights)", call: "pkey_alloc", path: -1},
	{proto: "int pkey_free(int pkey)", call: "pkey_free", path: -1},
	{proto: "int pkey_mprotect(void *addr, unsigned long len, int prot, int pkey)", call: "pkey_mprotect", path: -1},
	{proto: "int prctl(int option, ...)", call: "prctl", path: -1},
	{proto: "int sched_yield(void)", call: "sched_yield", path: -1},
	{proto: "int sched_get_priority_min(int policy)", call: "sched_get_priority_min", path: -1},
	{proto: "int sched_get_priority_max(int policy)", call: "sched_get_priority_max", path: -1},
	{proto: "int sched_getscheduler(int pid)", call: "sched_getscheduler", path: -1},
	{proto: "int sched_setscheduler(int pid, int policy, const struct sched_param *param)", call: "sched_setscheduler", path: -1},
	{proto: "int sched_getparam(int pid, struct sched_param *param)", call: "sched_getparam", path: -1},
	{proto: "int sched_setparam(int pid, const struct sched_param *param)", call: "sched_setparam", path: -1},
	{proto: "int eventfd(unsigned int initval, int flags)", call: "eventfd2", path: -1},
	{proto: "int fallocate(int fd, int mode, long off, long len)", call: "fallocate", path: -1},
	{proto: "long process_vm_readv(int pid, const struct iovec *l, unsigned long ln, const struct iovec *r, unsigned long rn, unsigned long flags)", call: "process_vm_readv", path: -1},
	{proto: "long process_vm_writev(int pid, const struct iovec *l, unsigned long ln, const struct iovec *r, unsigned long rn, unsigned long flags)", call: "process_vm_writev", path: -1},
	{proto: "int sysinfo(void *info)", call: "sysinfo", path: -1},
	{proto: "long getrandom(void *buf, unsigned long n, unsigned int flags)", call: "getrandom", path: -1},
	{proto: "int unshare(int flags)", call: "unshare", path: -1},
	{proto: "int epoll_create(int size)", call: "epoll_create", path: -1},
	{proto: "int epoll_create1(int flags)", call: "epoll_create1", path: -1},
	{proto: "int epoll_ctl(int epfd, int op, int fd, void *ev)", call: "epoll_ctl", path: -1},
	{proto: "int epoll_wait(int epfd, void *evs, int n, int timeout)", call: "epoll_wait", path: -1},
	{proto: "long vmsplice(int fd, const struct iovec *iov, unsigned long n, unsigned int flags)", call: "vmsplice", path: -1},
	{proto: "long splice(int in, long *offin, int out, long *offout, unsigned long len, unsigned int flags)", call: "splice", path: -1},
	{proto: "int mount(const char *src, const char *target, const char *fstype, unsigned long flags, const void *data)", call: "mount", path: 1},
	{proto: "int umount(const char *target)", call: "umount2", path: 0, args: func(a []int64) []int64 { return []int64{a[0], 0} }},
	{proto: "int umount2(const char *target, int flags)", call: "umount2", path: 0},
	{proto: "int setns(int fd, int nstype)", call: "setns", path: -1},
	{proto: "int sethostname(const char *name, unsigned long len)", call: "sethostname", path: -1},
	{proto: "int setdomainname(const char *name, unsigned long len)", call: "setdomainname", path: -1},
	{proto: "int pidfd_open(int pid, unsigned int flags)", call: "pidfd_open", path: -1},
	{proto: "int pidfd_getfd(int pidfd, int targetfd, unsigned int flags)", call: "pidfd_getfd", path: -1},
	{proto: "int waitid(int idtype, int id, siginfo_t *info, int options)", call: "waitid", path: -1,
		args: func(a []int64) []int64 { return []int64{a[0], a[1], a[2], a[3], 0} }},
	{proto: "int close_range(unsigned int first, unsigned int last, int flags)", call: "close_range", path: -1},
	{proto: "int kcmp(int pid1, int pid2, int type, unsigned long idx1, unsigned long idx2)", call: "kcmp", path: -1},
}

func init() {
	for _, w := range wrappers {
		w := w
		def(w.proto, func(m *machine, p *proc, a []int64) (int64, bres) {
			args := a
			if w.args != nil {
				args = w.args(a)
			}
			path := ""
			if w.path >= 0 {
				s, ok := m.str(p, a[w.path])
				if !ok {
					return 0, bExit
				}
				path = s
			}
			return m.sysCall(p, w.call, path, args...)
		})
	}
	// glibc's ptrace: the PEEK requests (PTRACE_PEEKTEXT, PEEKDATA,
	// PEEKUSER) pass the kernel a word of the library's to store into and
	// return that word, errno 0; the others return the call's result.
	def("long ptrace(int req, ...)", func(m *machine, p *proc, a []int64) (int64, bres) {
		req := arg(a, 0)
		if req < 1 || req > 3 {
			return m.sysCall(p, "ptrace", "", req, arg(a, 1), arg(a, 2), arg(a, 3))
		}
		sp := p.sp - 64 // below the caller's frame, as glibc's local is
		r, st := m.sysCall(p, "ptrace", "", req, arg(a, 1), arg(a, 2), int64(sp))
		if st != bOK || r < 0 {
			return r, st
		}
		v, ok := m.loadU64(p, sp)
		if !ok {
			return 0, bExit
		}
		p.setErrno(m, 0)
		return int64(v), bOK
	})
	// pause waits, while other threads or processes can run, as a sleep
	// longer than any other wait does, until a signal comes (a timer's,
	// as they run: EINTR, its handler run as pause returns); only when
	// nothing else can run is the call made (the engine's clock then
	// moves to the first timer, or nothing can wake it).
	def("int pause(void)", func(m *machine, p *proc, a []int64) (int64, bres) {
		signalled := func() bool { return (p.pending|p.sharedPending)&^p.blocked != 0 }
		w := p.resumed()
		switch {
		case w != nil && !w.timedOut:
			p.setErrno(m, engine.EINTR)
			return -1, bOK
		case w == nil && m.liveAll() >= 2:
			return m.block(p, &waiter{timeout: math.MaxInt64 / 2, ready: signalled})
		}
		return m.sysCall(p, "pause", "")
	})
	// fexecve is glibc's execveat(fd, "", argv, envp, AT_EMPTY_PATH). The
	// empty path it passes is the NULL that ends argv (eight zero bytes
	// in the caller's memory), for want of a string of the library's own.
	def("int fexecve(int fd, char *const argv[], char *const envp[])", func(m *machine, p *proc, a []int64) (int64, bres) {
		end := uint64(a[1])
		for i := 0; ; i++ {
			v, ok := m.loadU64(p, end)
			if !ok {
				return 0, bExit
			}
			if v == 0 {
				break
			}
			if i >= 1<<16 {
				p.setErrno(m, engine.E2BIG)
				return -1, bOK
			}
			end += 8
		}
		return m.sysCall(p, "execveat", "", a[0], int64(end), a[1], a[2], engine.AT_EMPTY_PATH)
	})
	// <unistd.h>'s syscall(2): the call by its x86-64 number (package
	// engine's table, as <sys/syscall.h> numbers them).
	def("long syscall(long nr, ...)", func(m *machine, p *proc, a []int64) (int64, bres) {
		nr := engine.Sysno(a[0])
		args := a[1:]
		name := nr.String()
		switch nr {
		case engine.SYS_fork, engine.SYS_vfork:
			return m.forkProc(p)
		case engine.SYS_exit, engine.SYS_exit_group:
			return builtins["_exit"].fn(m, p, args)
		case engine.SYS_wait4:
			return m.wait4(p, arg(args, 0), arg(args, 1), arg(args, 2))
		case engine.SYS_kill, engine.SYS_tgkill, engine.SYS_tkill:
			if nr != engine.SYS_kill {
				// The playground's processes have one thread each: a
				// thread's id is its process's.
				sig := arg(args, 1)
				if nr == engine.SYS_tgkill {
					sig = arg(args, 2)
				}
				return builtins["kill"].fn(m, p, []int64{arg(args, 0), sig})
			}
			return builtins["kill"].fn(m, p, []int64{arg(args, 0), arg(args, 1)})
		case engine.SYS_gettid:
			if p.thread != nil && p.thread.spawned {
				return int64(p.thread.tid), bOK
			}
			return ret(m.sys(p, "getpid"))
		case engine.SYS_futex:
			return m.futex(p, args) // threads.go: the model's threads wait there
		case engine.SYS_futex_waitv:
			return m.futexWaitv(p, args) // futex.go
		case engine.SYS_clone:
			return m.cloneProc(p, name, args, uint64(arg(args, 0)))
		case engine.SYS_clone3:
			return m.cloneProc(p, name, args, m.clone3Flags(p, arg(args, 0)))
		case engine.SYS_pidfd_send_signal:
			return builtins["pidfd_send_signal"].fn(m, p, []int64{arg(args, 0), arg(args, 1), arg(args, 2), arg(args, 3)})
		}
		path := ""
		if i, ok := syscallPathArg[nr]; ok {
			// The kernel copies the path in (strncpy_from_user): one it
			// cannot read is EFAULT, not a fault of the program's.
			s, err := m.cstring(p.pid, uint64(arg(args, i)), 1<<20)
			if err != nil {
				p.setErrno(m, engine.EFAULT)
				return -1, bOK
			}
			path = s
		}
		return m.sysCall(p, name, path, args...)
	})
}

func arg(a []int64, i int) int64 {
	if i < len(a) {
		return a[i]
	}
	return 0
}

// syscallPathArg says which argument of a system call is a path, for the
// calls syscall() may be asked to make by number.
var syscallPathArg = map[engine.Sysno]int{
	engine.SYS_open: 0, engine.SYS_openat: 1, engine.SYS_stat: 0, engine.SYS_lstat: 0, engine.SYS_newfstatat: 1,
	engine.SYS_unlink: 0, engine.SYS_unlinkat: 1, engine.SYS_access: 0, engine.SYS_faccessat: 1, engine.SYS_chmod: 0,
	engine.SYS_truncate: 0, engine.SYS_rename: 0, engine.SYS_mkdir: 0, engine.SYS_rmdir: 0, engine.SYS_readlink: 0,
	engine.SYS_readlinkat: 1, engine.SYS_chdir: 0, engine.SYS_statfs: 0, engine.SYS_memfd_create: 0, engine.SYS_creat: 0,
	engine.SYS_execve: 0, engine.SYS_openat2: 1, engine.SYS_mkdirat: 1, engine.SYS_mknod: 0, engine.SYS_mknodat: 1,
	engine.SYS_symlink: 1, engine.SYS_symlinkat: 2, engine.SYS_fchmodat: 1, engine.SYS_fchmodat2: 1,
	engine.SYS_faccessat2: 1, engine.SYS_execveat: 1,
}
