//go:build linux && (amd64 || arm64)

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
// The numbers are this architecture's (x/sys/unix's SYS_ names are per
// GOARCH); archSyscalls adds the calls only one architecture has.
var workerSyscalls = append([]syscallName{
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
}, archSyscalls...)

// tracerSyscalls are what the worker needs beyond workerSyscalls when it
// traces gcc's build of the program: ptrace itself, reading the program's
// memory, its fault samples, whether a file the program would execute is
// on a noexec mount (fstatfs), and turning the stops at its faults on and
// off (ioctl with PERF_EVENT_IOC_ENABLE or _DISABLE, no other request).
// The program's own filter refuses the first three.
var tracerSyscalls = []syscallName{
	{"ptrace", unix.SYS_PTRACE},
	{"process_vm_readv", unix.SYS_PROCESS_VM_READV},
	{"perf_event_open", unix.SYS_PERF_EVENT_OPEN},
	{"fstatfs", unix.SYS_FSTATFS},
}

// tracerRules are the tracer's calls allowed with some arguments only.
var tracerRules = []argRule{
	{syscallName{"ioctl", unix.SYS_IOCTL}, []uint32{unix.PERF_EVENT_IOC_ENABLE, unix.PERF_EVENT_IOC_DISABLE}},
}

// syscallName is a system call by its name (as seccomp profiles and strace
// name it) and its number on this architecture.
type syscallName struct {
	name string
	nr   uint32
}

// argRule allows a call only when its second argument is one of arg1 (the
// kernel reads an ioctl's request as an unsigned int: its low 32 bits,
// which the filter checks).
type argRule struct {
	syscallName
	arg1 []uint32
}

// seccompData is struct seccomp_data (include/uapi/linux/seccomp.h), what
// a filter's absolute loads read.
type seccompData struct {
	Nr                 int32
	Arch               uint32
	InstructionPointer uint64
	Args               [6]uint64
}

// The filter's loads: the call number, the audit architecture, and the low
// 32 bits of the first argument (both architectures are little-endian).
var (
	offNr   = uint32(unsafe.Offsetof(seccompData{}.Nr))
	offArch = uint32(unsafe.Offsetof(seccompData{}.Arch))
	offArg0 = uint32(unsafe.Offsetof(seccompData{}.Args))
	offArg1 = offArg0 + 8
)

// The classic BPF instructions the filter uses (linux/filter.h, as
// x/sys/unix names them).
const (
	ldAbs  = unix.BPF_LD | unix.BPF_W | unix.BPF_ABS   // A = seccomp_data[k]
	jeqK   = unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K  // A == k
	jgeK   = unix.BPF_JMP | unix.BPF_JGE | unix.BPF_K  // A >= k
	jsetK  = unix.BPF_JMP | unix.BPF_JSET | unix.BPF_K // A & k != 0
	retK   = unix.BPF_RET | unix.BPF_K                 // return k
	errnoK = unix.SECCOMP_RET_ERRNO
)

func stmt(code uint16, k uint32) unix.SockFilter { return unix.SockFilter{Code: code, K: k} }
func jump(code uint16, k uint32, jt, jf uint8) unix.SockFilter {
	return unix.SockFilter{Code: code, Jt: jt, Jf: jf, K: k}
}

// seccompFilter assembles the classic BPF program for this architecture:
//
//	if arch != auditArch: kill
//	if nr >= 0x40000000 (x86-64's x32 ABI): EPERM
//	if nr == clone3: ENOSYS (so that threads are made with clone)
//	if nr == clone: allow only if args[0] & CLONE_THREAD
//	for each of rules: if nr == its call: allow only if args[1] is one of its
//	if nr in workerSyscalls or extra: allow
//	EPERM
func seccompFilter(extra []syscallName, rules []argRule) []unix.SockFilter {
	calls := append(append([]syscallName(nil), workerSyscalls...), extra...)
	eperm := uint32(errnoK) | uint32(unix.EPERM)
	f := []unix.SockFilter{
		stmt(ldAbs, offArch),
		jump(jeqK, auditArch, 1, 0),
		stmt(retK, unix.SECCOMP_RET_KILL_PROCESS),
		stmt(ldAbs, offNr),
	}
	if x32Bit != 0 {
		f = append(f,
			jump(jgeK, x32Bit, 0, 1),
			stmt(retK, eperm))
	}
	f = append(f,
		// clone3 cannot be filtered by its flags (they are behind a
		// pointer): ENOSYS makes glibc and Go fall back to clone.
		jump(jeqK, unix.SYS_CLONE3, 0, 1),
		stmt(retK, uint32(errnoK)|uint32(unix.ENOSYS)),
		jump(jeqK, unix.SYS_CLONE, 0, 3),
		stmt(ldAbs, offArg0),
		jump(jsetK, unix.CLONE_THREAD, 0, 1),
		stmt(retK, unix.SECCOMP_RET_ALLOW),
		// After the clone check the accumulator may hold args[0]: reload nr.
		stmt(ldAbs, offNr))
	for _, sc := range rules {
		// Not this call: on past the block, nr still in the accumulator.
		k := len(sc.arg1)
		f = append(f, jump(jeqK, sc.nr, 0, uint8(k+3)), stmt(ldAbs, offArg1))
		for j, v := range sc.arg1 {
			f = append(f, jump(jeqK, v, uint8(k-j), 0))
		}
		f = append(f, stmt(retK, eperm), stmt(retK, unix.SECCOMP_RET_ALLOW))
	}
	n := len(calls)
	for i, sc := range calls {
		// Jump to the ALLOW at the end when equal: (n-1-i) more tests, then
		// the EPERM, then ALLOW.
		f = append(f, jump(jeqK, sc.nr, uint8(n-i), 0))
	}
	return append(f, stmt(retK, eperm), stmt(retK, unix.SECCOMP_RET_ALLOW))
}

// installSeccomp sets the filter on every thread of the worker
// (SECCOMP_FILTER_FLAG_TSYNC), with extra calls allowed beside the
// worker's own (tracerSyscalls and tracerRules, when the worker traces
// gcc's build).
func installSeccomp(extra []syscallName, rules []argRule) error {
	f := seccompFilter(extra, rules)
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
