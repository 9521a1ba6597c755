package engine

import "strconv"

// The system calls by name. The engines dispatch on a Sysno, never on a
// name, so a misspelled call does not compile; the name is what strace
// prints and what a syscall event carries.

// sysAliases are the glibc wrapper names the engines accept for a kernel
// call whose kernel name differs: pread(3) is pread64(2), waitpid(3) is
// wait4(2).
var sysAliases = map[string]Sysno{
	"pread":    SYS_pread64,
	"pwrite":   SYS_pwrite64,
	"waitpid":  SYS_wait4,
	"newfstat": SYS_fstat,
	"newstat":  SYS_stat,
}

var sysByName = func() map[string]Sysno {
	m := make(map[string]Sysno, len(sysNames)+len(sysAliases))
	for nr, name := range sysNames {
		if name != "" {
			m[name] = Sysno(nr)
		}
	}
	for name, nr := range sysAliases {
		m[name] = nr
	}
	return m
}()

// SyscallByName is the call named as strace prints it ("mmap"), or by its
// glibc wrapper's name ("pread"); ok is false for a name Linux has not.
func SyscallByName(name string) (nr Sysno, ok bool) {
	nr, ok = sysByName[name]
	if !ok {
		return -1, false
	}
	return nr, true
}

// String is the kernel's name of the call, "mmap"; "syscall_400" for a
// number x86-64 does not assign.
func (n Sysno) String() string {
	if n >= 0 && int(n) < len(sysNames) && sysNames[n] != "" {
		return sysNames[n]
	}
	return "syscall_" + strconv.Itoa(int(n))
}

// Syscalls lists every x86-64 system call, by number, for the headers
// (<sys/syscall.h>) and the page.
func Syscalls() []Sysno {
	out := make([]Sysno, 0, len(sysNames))
	for nr, name := range sysNames {
		if name != "" {
			out = append(out, Sysno(nr))
		}
	}
	return out
}

// How a call's arguments are written, for the trace and the page: each is
// the Name of a ConstSet, ArgPtr, ArgOctal, or "" (decimal).
const (
	ArgPtr   = "ptr"   // an address: NULL or hex
	ArgOctal = "octal" // a file mode: 0644
)

// SyscallFormat is how strace writes one call.
type SyscallFormat struct {
	Args   []string `json:"args"`
	RetPtr bool     `json:"ret_ptr,omitempty"` // the return value is an address
}

var sysFormats = map[Sysno]SyscallFormat{
	SYS_mmap:        {Args: []string{ArgPtr, "", ProtSet.Name, MapSet.Name, "", ""}, RetPtr: true},
	SYS_munmap:      {Args: []string{ArgPtr}},
	SYS_mlock:       {Args: []string{ArgPtr}},
	SYS_munlock:     {Args: []string{ArgPtr}},
	SYS_mincore:     {Args: []string{ArgPtr}},
	SYS_mprotect:    {Args: []string{ArgPtr, "", ProtSet.Name}},
	SYS_msync:       {Args: []string{ArgPtr, "", MsyncSet.Name}},
	SYS_madvise:     {Args: []string{ArgPtr, "", MadvSet.Name}},
	SYS_mremap:      {Args: []string{ArgPtr, "", "", MremapSet.Name, ArgPtr}, RetPtr: true},
	SYS_brk:         {RetPtr: true},
	SYS_open:        {Args: []string{"", OpenSet.Name, ArgOctal}},
	SYS_openat:      {Args: []string{DirfdSet.Name, "", OpenSet.Name, ArgOctal}},
	SYS_read:        {Args: []string{"", ArgPtr}},
	SYS_write:       {Args: []string{"", ArgPtr}},
	SYS_pread64:     {Args: []string{"", ArgPtr}},
	SYS_pwrite64:    {Args: []string{"", ArgPtr}},
	SYS_fstat:       {Args: []string{"", ArgPtr}},
	SYS_lseek:       {Args: []string{"", "", SeekSet.Name}},
	SYS_fcntl:       {Args: []string{"", FcntlSet.Name}},
	SYS_prctl:       {Args: []string{PrctlSet.Name}},
	SYS_dup3:        {Args: []string{"", "", OpenSet.Name}},
	SYS_poll:        {Args: []string{ArgPtr}},
	SYS_socketpair:  {Args: []string{SockFamilySet.Name, SockTypeSet.Name, "", ArgPtr}},
	SYS_sendto:      {Args: []string{"", ArgPtr, "", MsgSet.Name, ArgPtr}},
	SYS_recvfrom:    {Args: []string{"", ArgPtr, "", MsgSet.Name, ArgPtr, ArgPtr}},
	SYS_shutdown:    {Args: []string{"", ShutSet.Name}},
	SYS_clone3:      {Args: []string{ArgPtr}},
	SYS_unshare:     {Args: []string{CloneSet.Name}},
	SYS_waitid:      {Args: []string{"", "", ArgPtr, WaitSet.Name, ArgPtr}},
	SYS_close_range: {Args: []string{"", "", CloseRangeSet.Name}},
}

// Format is how strace writes the call; the zero SyscallFormat (every
// argument in decimal) for a call the table does not describe.
func (n Sysno) Format() SyscallFormat { return sysFormats[n] }

// SyscallFormats is the whole table, by call name, for the page.
func SyscallFormats() map[string]SyscallFormat {
	out := make(map[string]SyscallFormat, len(sysFormats))
	for nr, f := range sysFormats {
		out[nr.String()] = f
	}
	return out
}

// ConstSetByName is the set a SyscallFormat names; nil for another name.
func ConstSetByName(name string) *ConstSet {
	for _, s := range ConstSets() {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// sysArgs is how many arguments the kernel's entry point of each call
// takes (its SYSCALL_DEFINEn), and which of them is a path, for a tracer
// that sees only six registers: the real engine's trace shows a call as
// strace does, with its own arguments and its path read from the program.
// A call not listed shows all six.
var sysArgs = map[Sysno]struct{ n, path int8 }{
	SYS_read: {3, -1}, SYS_write: {3, -1}, SYS_open: {3, 0}, SYS_close: {1, -1},
	SYS_stat: {2, 0}, SYS_fstat: {2, -1}, SYS_lstat: {2, 0}, SYS_poll: {3, -1},
	SYS_lseek: {3, -1}, SYS_mmap: {6, -1}, SYS_mprotect: {3, -1}, SYS_munmap: {2, -1},
	SYS_brk: {1, -1}, SYS_rt_sigaction: {4, -1}, SYS_rt_sigprocmask: {4, -1},
	SYS_rt_sigreturn: {0, -1}, SYS_ioctl: {3, -1}, SYS_pread64: {4, -1}, SYS_pwrite64: {4, -1},
	SYS_readv: {3, -1}, SYS_writev: {3, -1}, SYS_access: {2, 0}, SYS_pipe: {1, -1},
	SYS_sched_yield: {0, -1}, SYS_mremap: {5, -1}, SYS_msync: {3, -1}, SYS_mincore: {3, -1},
	SYS_madvise: {3, -1}, SYS_dup: {1, -1}, SYS_dup2: {2, -1}, SYS_pause: {0, -1},
	SYS_nanosleep: {2, -1}, SYS_getpid: {0, -1}, SYS_socket: {3, -1}, SYS_clone: {5, -1},
	SYS_fork: {0, -1}, SYS_vfork: {0, -1}, SYS_execve: {3, 0}, SYS_exit: {1, -1},
	SYS_wait4: {4, -1}, SYS_kill: {2, -1}, SYS_uname: {1, -1}, SYS_fcntl: {3, -1},
	SYS_fsync: {1, -1}, SYS_fdatasync: {1, -1}, SYS_truncate: {2, 0}, SYS_ftruncate: {2, -1},
	SYS_getcwd: {2, -1}, SYS_chdir: {1, 0}, SYS_rename: {2, 0}, SYS_mkdir: {2, 0},
	SYS_rmdir: {1, 0}, SYS_creat: {2, 0}, SYS_unlink: {1, 0}, SYS_readlink: {3, 0},
	SYS_chmod: {2, 0}, SYS_umask: {1, -1}, SYS_gettimeofday: {2, -1}, SYS_getrlimit: {2, -1},
	SYS_getrusage: {2, -1}, SYS_getuid: {0, -1}, SYS_getgid: {0, -1}, SYS_geteuid: {0, -1},
	SYS_getegid: {0, -1}, SYS_getppid: {0, -1}, SYS_setrlimit: {2, -1}, SYS_mlock: {2, -1},
	SYS_munlock: {2, -1}, SYS_mlockall: {1, -1}, SYS_munlockall: {0, -1}, SYS_prctl: {5, -1},
	SYS_arch_prctl: {2, -1}, SYS_gettid: {0, -1}, SYS_futex: {6, -1}, SYS_getdents64: {3, -1},
	SYS_set_tid_address: {1, -1}, SYS_fadvise64: {4, -1}, SYS_clock_gettime: {2, -1},
	SYS_clock_nanosleep: {4, -1}, SYS_exit_group: {1, -1}, SYS_tgkill: {3, -1},
	SYS_openat: {4, 1}, SYS_mkdirat: {3, 1}, SYS_newfstatat: {4, 1}, SYS_unlinkat: {3, 1},
	SYS_readlinkat: {4, 1}, SYS_faccessat: {3, 1}, SYS_set_robust_list: {2, -1},
	SYS_dup3: {3, -1}, SYS_pipe2: {2, -1}, SYS_prlimit64: {4, -1}, SYS_getrandom: {3, -1},
	SYS_memfd_create: {2, -1}, SYS_mlock2: {3, -1}, SYS_statx: {5, 1}, SYS_rseq: {4, -1},
	SYS_clone3: {2, -1}, SYS_faccessat2: {4, 1}, SYS_userfaultfd: {1, -1}, SYS_remap_file_pages: {5, -1},
	SYS_process_madvise: {5, -1}, SYS_shmget: {3, -1}, SYS_shmat: {3, -1}, SYS_shmdt: {1, -1},
	SYS_sysinfo: {1, -1}, SYS_sigaltstack: {2, -1}, SYS_getpgrp: {0, -1}, SYS_setpgid: {2, -1},
	SYS_setsid: {0, -1}, SYS_sched_getaffinity: {3, -1}, SYS_eventfd2: {2, -1},
	SYS_socketpair: {4, -1}, SYS_sendto: {6, -1}, SYS_recvfrom: {6, -1}, SYS_sendmsg: {3, -1},
	SYS_recvmsg: {3, -1}, SYS_shutdown: {2, -1}, SYS_ptrace: {4, -1},
	SYS_fchdir: {1, -1}, SYS_fchmod: {2, -1}, SYS_symlink: {2, 1}, SYS_symlinkat: {3, 2}, SYS_mknod: {3, 0},
	SYS_mknodat: {4, 1}, SYS_fchmodat: {3, 1}, SYS_fchmodat2: {4, 1}, SYS_execveat: {5, 1},
}

// NumArgs is how many arguments the call takes, and which one is a path
// (-1 for none); 6 and -1 for a call the table does not describe.
func (n Sysno) NumArgs() (count, path int) {
	if a, ok := sysArgs[n]; ok {
		return int(a.n), int(a.path)
	}
	return 6, -1
}
