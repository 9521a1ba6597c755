//go:build linux && amd64

package sandbox

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// workerSyscalls are the calls the worker makes once the program runs: the
// Go runtime's (threads, signals, memory, timers, polling), the engine's
// (the program's own calls, /proc reads, getrusage) and the pipe to the
// parent. Anything else fails with EPERM. clone is allowed only to make
// threads (CLONE_THREAD), never processes; execve is not allowed at all.
var workerSyscalls = []syscallName{
	{"read", unix.SYS_READ},
	{"write", unix.SYS_WRITE},
	{"pread64", unix.SYS_PREAD64},
	{"pwrite64", unix.SYS_PWRITE64},
	{"readv", unix.SYS_READV},
	{"writev", unix.SYS_WRITEV},
	{"openat", unix.SYS_OPENAT},
	{"openat2", unix.SYS_OPENAT2},
	{"close", unix.SYS_CLOSE},
	{"lseek", unix.SYS_LSEEK},
	{"fstat", unix.SYS_FSTAT},
	{"newfstatat", unix.SYS_NEWFSTATAT},
	{"statx", unix.SYS_STATX},
	{"ftruncate", unix.SYS_FTRUNCATE},
	{"fsync", unix.SYS_FSYNC},
	{"fdatasync", unix.SYS_FDATASYNC},
	{"unlinkat", unix.SYS_UNLINKAT},
	{"getdents64", unix.SYS_GETDENTS64},
	{"fcntl", unix.SYS_FCNTL},
	{"readlinkat", unix.SYS_READLINKAT},
	{"mmap", unix.SYS_MMAP},
	{"munmap", unix.SYS_MUNMAP},
	{"mprotect", unix.SYS_MPROTECT},
	{"mremap", unix.SYS_MREMAP},
	{"madvise", unix.SYS_MADVISE},
	{"msync", unix.SYS_MSYNC},
	{"mlock", unix.SYS_MLOCK},
	{"mlock2", unix.SYS_MLOCK2},
	{"munlock", unix.SYS_MUNLOCK},
	{"mincore", unix.SYS_MINCORE},
	{"brk", unix.SYS_BRK},
	{"getrusage", unix.SYS_GETRUSAGE},
	{"prctl", unix.SYS_PRCTL},
	{"cachestat", unix.SYS_CACHESTAT},
	{"futex", unix.SYS_FUTEX},
	{"sched_yield", unix.SYS_SCHED_YIELD},
	{"nanosleep", unix.SYS_NANOSLEEP},
	{"clock_nanosleep", unix.SYS_CLOCK_NANOSLEEP},
	{"clock_gettime", unix.SYS_CLOCK_GETTIME},
	{"gettimeofday", unix.SYS_GETTIMEOFDAY},
	{"rt_sigaction", unix.SYS_RT_SIGACTION},
	{"rt_sigprocmask", unix.SYS_RT_SIGPROCMASK},
	{"rt_sigreturn", unix.SYS_RT_SIGRETURN},
	{"sigaltstack", unix.SYS_SIGALTSTACK},
	{"getpid", unix.SYS_GETPID},
	{"getppid", unix.SYS_GETPPID},
	{"gettid", unix.SYS_GETTID},
	{"tgkill", unix.SYS_TGKILL},
	{"kill", unix.SYS_KILL},
	{"exit", unix.SYS_EXIT},
	{"exit_group", unix.SYS_EXIT_GROUP},
	{"restart_syscall", unix.SYS_RESTART_SYSCALL},
	{"epoll_create1", unix.SYS_EPOLL_CREATE1},
	{"epoll_ctl", unix.SYS_EPOLL_CTL},
	{"epoll_pwait", unix.SYS_EPOLL_PWAIT},
	{"epoll_wait", unix.SYS_EPOLL_WAIT},
	{"eventfd2", unix.SYS_EVENTFD2},
	{"pipe2", unix.SYS_PIPE2},
	{"sched_getaffinity", unix.SYS_SCHED_GETAFFINITY},
	{"getrlimit", unix.SYS_GETRLIMIT},
	{"prlimit64", unix.SYS_PRLIMIT64},
	{"set_robust_list", unix.SYS_SET_ROBUST_LIST},
	{"rseq", unix.SYS_RSEQ},
	{"uname", unix.SYS_UNAME},
	{"getuid", unix.SYS_GETUID},
	{"geteuid", unix.SYS_GETEUID},
	{"getgid", unix.SYS_GETGID},
	{"getegid", unix.SYS_GETEGID},
	{"wait4", unix.SYS_WAIT4},
	{"waitid", unix.SYS_WAITID},
	{"timer_create", unix.SYS_TIMER_CREATE},
	{"timer_settime", unix.SYS_TIMER_SETTIME},
	{"timer_delete", unix.SYS_TIMER_DELETE},
	{"setitimer", unix.SYS_SETITIMER},
}

// syscallName is a system call by its name (as seccomp profiles and strace
// name it) and its x86-64 number.
type syscallName struct {
	name string
	nr   uint32
}

// BPF opcodes (linux/filter.h) and seccomp_data offsets.
const (
	bpfLD, bpfW, bpfABS = 0x00, 0x00, 0x20
	bpfJMP, bpfJEQ      = 0x05, 0x10
	bpfJSET, bpfK       = 0x40, 0x00
	bpfRET              = 0x06

	offNr   = 0
	offArch = 4
	offArg0 = 16 // args[0], low 32 bits on little-endian

	x32Bit = 0x40000000
)

func stmt(code uint16, k uint32) unix.SockFilter { return unix.SockFilter{Code: code, K: k} }
func jump(code uint16, k uint32, jt, jf uint8) unix.SockFilter {
	return unix.SockFilter{Code: code, Jt: jt, Jf: jf, K: k}
}

// seccompFilter assembles the classic BPF program:
//
//	if arch != x86_64: kill
//	if nr >= 0x40000000 (x32): EPERM
//	if nr == clone3: ENOSYS (so that threads are made with clone)
//	if nr == clone: allow only if args[0] & CLONE_THREAD
//	if nr in workerSyscalls: allow
//	EPERM
func seccompFilter() []unix.SockFilter {
	errno := uint32(unix.SECCOMP_RET_ERRNO) | uint32(unix.EPERM)
	f := []unix.SockFilter{
		stmt(bpfLD|bpfW|bpfABS, offArch),
		jump(bpfJMP|bpfJEQ|bpfK, unix.AUDIT_ARCH_X86_64, 1, 0),
		stmt(bpfRET|bpfK, unix.SECCOMP_RET_KILL_PROCESS),
		stmt(bpfLD|bpfW|bpfABS, offNr),
		jump(bpfJMP|0x30|bpfK, x32Bit, 0, 1), // JGE
		stmt(bpfRET|bpfK, errno),
		// clone3 cannot be filtered by its flags (they are behind a
		// pointer): ENOSYS makes glibc and Go fall back to clone.
		jump(bpfJMP|bpfJEQ|bpfK, unix.SYS_CLONE3, 0, 1),
		stmt(bpfRET|bpfK, uint32(unix.SECCOMP_RET_ERRNO)|uint32(unix.ENOSYS)),
		jump(bpfJMP|bpfJEQ|bpfK, unix.SYS_CLONE, 0, 3),
		stmt(bpfLD|bpfW|bpfABS, offArg0),
		jump(bpfJMP|bpfJSET|bpfK, unix.CLONE_THREAD, 0, 1),
		stmt(bpfRET|bpfK, unix.SECCOMP_RET_ALLOW),
	}
	// After the clone check the accumulator may hold args[0]: reload nr.
	f = append(f, stmt(bpfLD|bpfW|bpfABS, offNr))
	n := len(workerSyscalls)
	for i, sc := range workerSyscalls {
		nr := sc.nr
		// Jump to the ALLOW at the end when equal: (n-1-i) more tests, then
		// the EPERM, then ALLOW.
		f = append(f, jump(bpfJMP|bpfJEQ|bpfK, nr, uint8(n-i), 0))
	}
	f = append(f, stmt(bpfRET|bpfK, errno), stmt(bpfRET|bpfK, unix.SECCOMP_RET_ALLOW))
	return f
}

// installSeccomp sets no_new_privs and the filter on every thread of the
// worker (SECCOMP_FILTER_FLAG_TSYNC).
func installSeccomp() error {
	f := seccompFilter()
	if len(f) > 255 {
		return fmt.Errorf("seccomp filter too long for 8-bit jumps")
	}
	prog := unix.SockFprog{Len: uint16(len(f)), Filter: &f[0]}
	_, _, e := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, unix.SECCOMP_FILTER_FLAG_TSYNC, uintptr(unsafe.Pointer(&prog)))
	if e != 0 {
		return e
	}
	return nil
}
