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
var workerSyscalls = []uint32{
	unix.SYS_READ, unix.SYS_WRITE, unix.SYS_PREAD64, unix.SYS_PWRITE64, unix.SYS_READV, unix.SYS_WRITEV,
	unix.SYS_OPENAT, unix.SYS_OPENAT2, unix.SYS_CLOSE, unix.SYS_LSEEK, unix.SYS_FSTAT, unix.SYS_NEWFSTATAT,
	unix.SYS_STATX, unix.SYS_FTRUNCATE, unix.SYS_FSYNC, unix.SYS_FDATASYNC, unix.SYS_UNLINKAT,
	unix.SYS_GETDENTS64, unix.SYS_FCNTL, unix.SYS_READLINKAT,
	unix.SYS_MMAP, unix.SYS_MUNMAP, unix.SYS_MPROTECT, unix.SYS_MREMAP, unix.SYS_MADVISE,
	unix.SYS_MSYNC, unix.SYS_MLOCK, unix.SYS_MLOCK2, unix.SYS_MUNLOCK, unix.SYS_MINCORE, unix.SYS_BRK,
	unix.SYS_GETRUSAGE, unix.SYS_PRCTL, unix.SYS_CACHESTAT,
	unix.SYS_FUTEX, unix.SYS_SCHED_YIELD, unix.SYS_NANOSLEEP, unix.SYS_CLOCK_NANOSLEEP,
	unix.SYS_CLOCK_GETTIME, unix.SYS_GETTIMEOFDAY,
	unix.SYS_RT_SIGACTION, unix.SYS_RT_SIGPROCMASK, unix.SYS_RT_SIGRETURN, unix.SYS_SIGALTSTACK,
	unix.SYS_GETPID, unix.SYS_GETPPID, unix.SYS_GETTID, unix.SYS_TGKILL, unix.SYS_KILL,
	unix.SYS_EXIT, unix.SYS_EXIT_GROUP, unix.SYS_RESTART_SYSCALL,
	unix.SYS_EPOLL_CREATE1, unix.SYS_EPOLL_CTL, unix.SYS_EPOLL_PWAIT, unix.SYS_EPOLL_WAIT,
	unix.SYS_EVENTFD2, unix.SYS_PIPE2, unix.SYS_SCHED_GETAFFINITY, unix.SYS_GETRLIMIT, unix.SYS_PRLIMIT64,
	unix.SYS_SET_ROBUST_LIST, unix.SYS_RSEQ, unix.SYS_UNAME, unix.SYS_GETUID, unix.SYS_GETEUID,
	unix.SYS_GETGID, unix.SYS_GETEGID, unix.SYS_WAIT4, unix.SYS_WAITID, unix.SYS_TIMER_CREATE,
	unix.SYS_TIMER_SETTIME, unix.SYS_TIMER_DELETE, unix.SYS_SETITIMER,
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
	for i, nr := range workerSyscalls {
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
