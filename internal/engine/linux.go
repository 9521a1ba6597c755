package engine

// The constants of the Linux x86-64 ABI that programs, the model and the
// interpreter's headers share. Values are those of the kernel's uapi headers
// (asm-generic/mman-common.h, asm-generic/fcntl.h, asm-generic/errno*.h,
// asm/signal.h) as glibc exposes them on x86-64; TestNamesAreGlibcs holds
// them to the host's gcc.
//
// Each const block is followed by its ConstSet (names.go), the table of its
// names: a constant a program may name goes in both, in this file, and
// nowhere else; the headers, the trace and the page take it from here.

// Page geometry of x86-64 with 4 KiB pages and four-level paging.
const (
	PageShift = 12
	PageSize  = 1 << PageShift
	PageMask  = PageSize - 1
	// TaskSize is TASK_SIZE_MAX for four-level paging: the end of user space.
	TaskSize = 1<<47 - PageSize
)

// mmap prot bits (PROT_*).
const (
	PROT_NONE  = 0x0
	PROT_READ  = 0x1
	PROT_WRITE = 0x2
	PROT_EXEC  = 0x4
)

// ProtSet is the table of the PROT_* names above ("prot" in web/static/linux.js).
var ProtSet = &ConstSet{Name: "prot", Bits: true, Consts: []Const{
	{Name: "PROT_NONE", Value: PROT_NONE}, {Name: "PROT_READ", Value: PROT_READ},
	{Name: "PROT_WRITE", Value: PROT_WRITE}, {Name: "PROT_EXEC", Value: PROT_EXEC},
}}

// mmap flags (MAP_*).
const (
	MAP_SHARED          = 0x01
	MAP_PRIVATE         = 0x02
	MAP_SHARED_VALIDATE = 0x03
	MAP_DROPPABLE       = 0x08 // Linux 6.11
	MAP_TYPE            = 0x0f
	MAP_FIXED           = 0x10
	MAP_ANONYMOUS       = 0x20
	MAP_32BIT           = 0x40
	MAP_GROWSDOWN       = 0x0100
	MAP_DENYWRITE       = 0x0800
	MAP_EXECUTABLE      = 0x1000
	MAP_LOCKED          = 0x2000
	MAP_NORESERVE       = 0x4000
	MAP_POPULATE        = 0x8000
	MAP_NONBLOCK        = 0x10000
	MAP_STACK           = 0x20000
	MAP_HUGETLB         = 0x40000
	MAP_SYNC            = 0x80000
	MAP_FIXED_NOREPLACE = 0x100000
	MAP_UNINITIALIZED   = 0x4000000
	// MAP_HUGE_SHIFT: a MAP_HUGETLB mapping's page size, as its log2,
	// in the six bits (MAP_HUGE_MASK) above it; 0 is the default size.
	MAP_HUGE_SHIFT = 26
	MAP_HUGE_MASK  = 0x3f
)

// mapHuge is the MAP_HUGE_* encoding of a page size of 1<<log2 bytes.
func mapHuge(log2 int64) int64 { return log2 << MAP_HUGE_SHIFT }

// MapTypeSet is the table of the MAP_* names above ("map_type" in web/static/linux.js).
var MapTypeSet = &ConstSet{Name: "map_type", Consts: []Const{
	{Name: "MAP_SHARED", Value: MAP_SHARED}, {Name: "MAP_PRIVATE", Value: MAP_PRIVATE},
	{Name: "MAP_SHARED_VALIDATE", Value: MAP_SHARED_VALIDATE}, {Name: "MAP_DROPPABLE", Value: MAP_DROPPABLE},
}}

// MapSet is the table of the MAP_* names above ("map" in web/static/linux.js).
var MapSet = &ConstSet{Name: "map", Bits: true, Field: MapTypeSet, FieldMask: MAP_TYPE, Consts: []Const{
	{Name: "MAP_FIXED", Value: MAP_FIXED}, {Name: "MAP_ANONYMOUS", Value: MAP_ANONYMOUS},
	{Name: "MAP_32BIT", Value: MAP_32BIT}, {Name: "MAP_GROWSDOWN", Value: MAP_GROWSDOWN}, {Name: "MAP_DENYWRITE", Value: MAP_DENYWRITE},
	{Name: "MAP_EXECUTABLE", Value: MAP_EXECUTABLE}, {Name: "MAP_LOCKED", Value: MAP_LOCKED},
	{Name: "MAP_NORESERVE", Value: MAP_NORESERVE}, {Name: "MAP_POPULATE", Value: MAP_POPULATE},
	{Name: "MAP_NONBLOCK", Value: MAP_NONBLOCK}, {Name: "MAP_STACK", Value: MAP_STACK},
	{Name: "MAP_HUGETLB", Value: MAP_HUGETLB}, {Name: "MAP_SYNC", Value: MAP_SYNC},
	{Name: "MAP_FIXED_NOREPLACE", Value: MAP_FIXED_NOREPLACE}, {Name: "MAP_UNINITIALIZED", Value: MAP_UNINITIALIZED},
}, Aliases: []Const{{Name: "MAP_TYPE", Value: MAP_TYPE}, {Name: "MAP_ANON", Value: MAP_ANONYMOUS},
	{Name: "MAP_HUGE_SHIFT", Value: MAP_HUGE_SHIFT}, {Name: "MAP_HUGE_MASK", Value: MAP_HUGE_MASK},
	{Name: "MAP_HUGE_16KB", Value: mapHuge(14)}, {Name: "MAP_HUGE_64KB", Value: mapHuge(16)},
	{Name: "MAP_HUGE_512KB", Value: mapHuge(19)}, {Name: "MAP_HUGE_1MB", Value: mapHuge(20)},
	{Name: "MAP_HUGE_2MB", Value: mapHuge(21)}, {Name: "MAP_HUGE_8MB", Value: mapHuge(23)},
	{Name: "MAP_HUGE_16MB", Value: mapHuge(24)}, {Name: "MAP_HUGE_32MB", Value: mapHuge(25)},
	{Name: "MAP_HUGE_256MB", Value: mapHuge(28)}, {Name: "MAP_HUGE_512MB", Value: mapHuge(29)},
	{Name: "MAP_HUGE_1GB", Value: mapHuge(30)}, {Name: "MAP_HUGE_2GB", Value: mapHuge(31)},
	{Name: "MAP_HUGE_16GB", Value: mapHuge(34)},
}}

// MapFailed is MAP_FAILED, (void *)-1.
const MapFailed = ^uint64(0)

// msync flags (MS_*).
const (
	MS_ASYNC      = 1
	MS_INVALIDATE = 2
	MS_SYNC       = 4
)

// MsyncSet is the table of the MS_* names above ("msync" in web/static/linux.js).
var MsyncSet = &ConstSet{Name: "msync", Bits: true, Consts: []Const{
	{Name: "MS_ASYNC", Value: MS_ASYNC}, {Name: "MS_INVALIDATE", Value: MS_INVALIDATE}, {Name: "MS_SYNC", Value: MS_SYNC},
}}

// madvise advice (MADV_*).
const (
	MADV_NORMAL          = 0
	MADV_RANDOM          = 1
	MADV_SEQUENTIAL      = 2
	MADV_WILLNEED        = 3
	MADV_DONTNEED        = 4
	MADV_FREE            = 8
	MADV_REMOVE          = 9
	MADV_DONTFORK        = 10
	MADV_DOFORK          = 11
	MADV_MERGEABLE       = 12
	MADV_UNMERGEABLE     = 13
	MADV_HUGEPAGE        = 14
	MADV_NOHUGEPAGE      = 15
	MADV_DONTDUMP        = 16
	MADV_DODUMP          = 17
	MADV_WIPEONFORK      = 18
	MADV_KEEPONFORK      = 19
	MADV_COLD            = 20
	MADV_PAGEOUT         = 21
	MADV_POPULATE_READ   = 22
	MADV_POPULATE_WRITE  = 23
	MADV_DONTNEED_LOCKED = 24
	MADV_COLLAPSE        = 25
	MADV_HWPOISON        = 100
	MADV_SOFT_OFFLINE    = 101
)

// MadvSet is the table of the MADV_* names above ("madv" in web/static/linux.js).
var MadvSet = &ConstSet{Name: "madv", Consts: []Const{
	{Name: "MADV_NORMAL", Value: MADV_NORMAL}, {Name: "MADV_RANDOM", Value: MADV_RANDOM},
	{Name: "MADV_SEQUENTIAL", Value: MADV_SEQUENTIAL}, {Name: "MADV_WILLNEED", Value: MADV_WILLNEED},
	{Name: "MADV_DONTNEED", Value: MADV_DONTNEED}, {Name: "MADV_FREE", Value: MADV_FREE},
	{Name: "MADV_REMOVE", Value: MADV_REMOVE}, {Name: "MADV_DONTFORK", Value: MADV_DONTFORK},
	{Name: "MADV_DOFORK", Value: MADV_DOFORK},
	{Name: "MADV_MERGEABLE", Value: MADV_MERGEABLE}, {Name: "MADV_UNMERGEABLE", Value: MADV_UNMERGEABLE},
	{Name: "MADV_HUGEPAGE", Value: MADV_HUGEPAGE}, {Name: "MADV_NOHUGEPAGE", Value: MADV_NOHUGEPAGE},
	{Name: "MADV_DONTDUMP", Value: MADV_DONTDUMP}, {Name: "MADV_DODUMP", Value: MADV_DODUMP},
	{Name: "MADV_WIPEONFORK", Value: MADV_WIPEONFORK}, {Name: "MADV_KEEPONFORK", Value: MADV_KEEPONFORK},
	{Name: "MADV_COLD", Value: MADV_COLD}, {Name: "MADV_PAGEOUT", Value: MADV_PAGEOUT},
	{Name: "MADV_POPULATE_READ", Value: MADV_POPULATE_READ}, {Name: "MADV_POPULATE_WRITE", Value: MADV_POPULATE_WRITE},
	{Name: "MADV_DONTNEED_LOCKED", Value: MADV_DONTNEED_LOCKED}, {Name: "MADV_COLLAPSE", Value: MADV_COLLAPSE},
	{Name: "MADV_HWPOISON", Value: MADV_HWPOISON}, {Name: "MADV_SOFT_OFFLINE", Value: MADV_SOFT_OFFLINE},
}, Aliases: []Const{
	// <sys/mman.h>'s posix_madvise values; glibc's POSIX_MADV_DONTNEED
	// is a no-op, not MADV_DONTNEED.
	{Name: "POSIX_MADV_NORMAL", Value: 0}, {Name: "POSIX_MADV_RANDOM", Value: 1},
	{Name: "POSIX_MADV_SEQUENTIAL", Value: 2}, {Name: "POSIX_MADV_WILLNEED", Value: 3},
	{Name: "POSIX_MADV_DONTNEED", Value: 4},
}}

// mremap flags (MREMAP_*).
const (
	MREMAP_MAYMOVE   = 1
	MREMAP_FIXED     = 2
	MREMAP_DONTUNMAP = 4
)

// MremapSet is the table of the MREMAP_* names above ("mremap" in web/static/linux.js).
var MremapSet = &ConstSet{Name: "mremap", Bits: true, Consts: []Const{
	{Name: "MREMAP_MAYMOVE", Value: MREMAP_MAYMOVE}, {Name: "MREMAP_FIXED", Value: MREMAP_FIXED},
	{Name: "MREMAP_DONTUNMAP", Value: MREMAP_DONTUNMAP},
}}

// mlock2 / mlockall flags.
const (
	MLOCK_ONFAULT = 1
	MCL_CURRENT   = 1
	MCL_FUTURE    = 2
	MCL_ONFAULT   = 4
)

// MlockSet is the table of the MLOCK_* names above ("mlock" in web/static/linux.js).
var MlockSet = &ConstSet{Name: "mlock", Bits: true, Consts: []Const{{Name: "MLOCK_ONFAULT", Value: MLOCK_ONFAULT}}}

// MclSet is the table of the MCL_* names above ("mcl" in web/static/linux.js).
var MclSet = &ConstSet{Name: "mcl", Bits: true, Consts: []Const{
	{Name: "MCL_CURRENT", Value: MCL_CURRENT}, {Name: "MCL_FUTURE", Value: MCL_FUTURE}, {Name: "MCL_ONFAULT", Value: MCL_ONFAULT},
}}

// open flags (O_*), x86-64 values.
const (
	O_RDONLY    = 0x0
	O_WRONLY    = 0x1
	O_RDWR      = 0x2
	O_ACCMODE   = 0x3
	O_CREAT     = 0x40
	O_EXCL      = 0x80
	O_NOCTTY    = 0x100
	O_TRUNC     = 0x200
	O_APPEND    = 0x400
	O_NONBLOCK  = 0x800
	O_DSYNC     = 0x1000
	O_DIRECT    = 0x4000
	O_LARGEFILE = 0x8000
	O_DIRECTORY = 0x10000
	O_NOFOLLOW  = 0x20000
	O_NOATIME   = 0x40000
	O_CLOEXEC   = 0x80000
	O_SYNC      = 0x101000
	O_PATH      = 0x200000
	O_TMPFILE   = 0x410000
)

// OpenModeSet is the table of the O_* names above ("open_mode" in web/static/linux.js).
var OpenModeSet = &ConstSet{Name: "open_mode", Consts: []Const{
	{Name: "O_RDONLY", Value: O_RDONLY}, {Name: "O_WRONLY", Value: O_WRONLY},
	{Name: "O_RDWR", Value: O_RDWR}, {Name: "O_ACCMODE", Value: O_ACCMODE},
}}

// OpenSet is the table of the O_* names above ("open" in web/static/linux.js).
var OpenSet = &ConstSet{Name: "open", Bits: true, Field: OpenModeSet, FieldMask: O_ACCMODE, Hidden: O_LARGEFILE, Consts: []Const{
	{Name: "O_CREAT", Value: O_CREAT}, {Name: "O_EXCL", Value: O_EXCL}, {Name: "O_NOCTTY", Value: O_NOCTTY},
	{Name: "O_TRUNC", Value: O_TRUNC}, {Name: "O_APPEND", Value: O_APPEND}, {Name: "O_NONBLOCK", Value: O_NONBLOCK},
	{Name: "O_DSYNC", Value: O_DSYNC}, {Name: "O_DIRECT", Value: O_DIRECT},
	{Name: "O_DIRECTORY", Value: O_DIRECTORY}, {Name: "O_NOFOLLOW", Value: O_NOFOLLOW}, {Name: "O_NOATIME", Value: O_NOATIME},
	{Name: "O_CLOEXEC", Value: O_CLOEXEC}, {Name: "O_SYNC", Value: O_SYNC}, {Name: "O_PATH", Value: O_PATH},
	{Name: "O_TMPFILE", Value: O_TMPFILE},
}, Aliases: []Const{
	// glibc defines O_LARGEFILE as 0 on x86-64: the kernel sets the
	// bit itself on every open of a 64-bit process (force_o_largefile).
	{Name: "O_LARGEFILE", Value: 0},
}}

// AT_FDCWD is the dirfd meaning "the working directory" for openat and friends.
const AT_FDCWD = -100

// DirfdSet is the table of the AT_* names above ("dirfd" in web/static/linux.js).
var DirfdSet = &ConstSet{Name: "dirfd", Consts: []Const{{Name: "AT_FDCWD", Value: AT_FDCWD}}}

// The *at calls' flags (AT_*, <fcntl.h>).
const (
	AT_SYMLINK_NOFOLLOW = 0x100
	AT_REMOVEDIR        = 0x200
	AT_SYMLINK_FOLLOW   = 0x400
	AT_NO_AUTOMOUNT     = 0x800
	AT_EMPTY_PATH       = 0x1000
	// AT_EACCESS is faccessat's flag, with AT_REMOVEDIR's value.
	AT_EACCESS = 0x200
)

// AtSet is the table of the AT_* flags above ("at" in web/static/linux.js).
var AtSet = &ConstSet{Name: "at", Bits: true, Consts: []Const{
	{Name: "AT_SYMLINK_NOFOLLOW", Value: AT_SYMLINK_NOFOLLOW}, {Name: "AT_REMOVEDIR", Value: AT_REMOVEDIR},
	{Name: "AT_SYMLINK_FOLLOW", Value: AT_SYMLINK_FOLLOW}, {Name: "AT_NO_AUTOMOUNT", Value: AT_NO_AUTOMOUNT},
	{Name: "AT_EMPTY_PATH", Value: AT_EMPTY_PATH},
}, Aliases: []Const{{Name: "AT_EACCESS", Value: AT_EACCESS}}}

// lseek whence.
const (
	SEEK_SET  = 0
	SEEK_CUR  = 1
	SEEK_END  = 2
	SEEK_DATA = 3
	SEEK_HOLE = 4
)

// SeekSet is the table of the SEEK_* names above ("seek" in web/static/linux.js).
var SeekSet = &ConstSet{Name: "seek", Consts: []Const{
	{Name: "SEEK_SET", Value: SEEK_SET}, {Name: "SEEK_CUR", Value: SEEK_CUR}, {Name: "SEEK_END", Value: SEEK_END},
	{Name: "SEEK_DATA", Value: SEEK_DATA}, {Name: "SEEK_HOLE", Value: SEEK_HOLE},
}}

// File type bits of st_mode.
const (
	S_IFMT   = 0o170000
	S_IFDIR  = 0o040000
	S_IFCHR  = 0o020000
	S_IFREG  = 0o100000
	S_IFLNK  = 0o120000
	S_IFIFO  = 0o010000
	S_IFSOCK = 0o140000
	S_IFBLK  = 0o060000
)

// FileTypeSet is the table of the S_IF* names above ("file_type" in web/static/linux.js).
var FileTypeSet = &ConstSet{Name: "file_type", Consts: []Const{
	{Name: "S_IFDIR", Value: S_IFDIR}, {Name: "S_IFCHR", Value: S_IFCHR}, {Name: "S_IFREG", Value: S_IFREG},
	{Name: "S_IFLNK", Value: S_IFLNK}, {Name: "S_IFIFO", Value: S_IFIFO}, {Name: "S_IFSOCK", Value: S_IFSOCK},
	{Name: "S_IFBLK", Value: S_IFBLK},
}, Aliases: []Const{{Name: "S_IFMT", Value: S_IFMT}}}

// wait options (wait4's and waitid's).
const (
	WNOHANG    = 1
	WUNTRACED  = 2
	WSTOPPED   = WUNTRACED
	WEXITED    = 4
	WCONTINUED = 8
	WNOWAIT    = 0x01000000
)

// WaitSet is the table of the wait option names above ("wait" in web/static/linux.js).
var WaitSet = &ConstSet{Name: "wait", Bits: true, Consts: []Const{
	{Name: "WNOHANG", Value: WNOHANG}, {Name: "WUNTRACED", Value: WUNTRACED}, {Name: "WEXITED", Value: WEXITED},
	{Name: "WCONTINUED", Value: WCONTINUED}, {Name: "WNOWAIT", Value: WNOWAIT},
}, Aliases: []Const{{Name: "WSTOPPED", Value: WSTOPPED}}}

// waitid's id types (idtype_t, <sys/wait.h>): an enum in glibc, so not a
// ConstSet of macros; the C library's header declares them.
const (
	P_ALL   = 0
	P_PID   = 1
	P_PGID  = 2
	P_PIDFD = 3
)

// Clock ids (<linux/time.h>): clock_gettime's and clock_getres's first
// argument. Not a ConstSet: the C library's <time.h> defines them.
const (
	CLOCK_REALTIME           = 0
	CLOCK_MONOTONIC          = 1
	CLOCK_PROCESS_CPUTIME_ID = 2
	CLOCK_THREAD_CPUTIME_ID  = 3
	CLOCK_MONOTONIC_RAW      = 4
	CLOCK_REALTIME_COARSE    = 5
	CLOCK_MONOTONIC_COARSE   = 6
	CLOCK_BOOTTIME           = 7
	CLOCK_REALTIME_ALARM     = 8
	CLOCK_BOOTTIME_ALARM     = 9
	CLOCK_TAI                = 11
)

// ConfigHZ is this machine's kernel's CONFIG_HZ (Debian's): the tick of
// the coarse clocks and of CPU time accounting.
const ConfigHZ = 250

// sysconf names used by programs.
const (
	SC_PAGESIZE         = 30
	SC_PHYS_PAGES       = 85
	SC_NPROCESSORS_CONF = 83
	SC_NPROCESSORS_ONLN = 84
	SC_MINSIGSTKSZ      = 249
	SC_SIGSTKSZ         = 250
)

// SysconfSet is the table of the _SC_* names above ("sysconf" in web/static/linux.js).
var SysconfSet = &ConstSet{Name: "sysconf", Consts: []Const{
	{Name: "_SC_PAGESIZE", Value: SC_PAGESIZE}, {Name: "_SC_NPROCESSORS_CONF", Value: SC_NPROCESSORS_CONF},
	{Name: "_SC_NPROCESSORS_ONLN", Value: SC_NPROCESSORS_ONLN},
	{Name: "_SC_PHYS_PAGES", Value: SC_PHYS_PAGES},
	{Name: "_SC_MINSIGSTKSZ", Value: SC_MINSIGSTKSZ}, {Name: "_SC_SIGSTKSZ", Value: SC_SIGSTKSZ},
}, Aliases: []Const{{Name: "_SC_PAGE_SIZE", Value: SC_PAGESIZE}}}

// AT_MINSIGSTKSZ is the auxiliary vector's entry (<linux/auxvec.h>) for
// the smallest signal stack this machine's kernel accepts: the signal
// frame with the CPU's XSAVE area (get_sigframe_size), MinSigStkSz here.
// glibc's sysconf(_SC_MINSIGSTKSZ) is that, and sysconf(_SC_SIGSTKSZ)
// (SIGSTKSZ under _GNU_SOURCE) four times it, at least 8192.
const AT_MINSIGSTKSZ = 51

// DefaultMinSigStkSz is AT_MINSIGSTKSZ on an x86-64 CPU with AVX2 and no
// AVX-512 (an XSAVE area of 2696 bytes, with the frame around it); the
// model's is the host's where it can be read (MinSigStkSz, auxv.go).
const DefaultMinSigStkSz = 3376

// AT_SYSINFO_EHDR is the auxiliary vector's entry for the address of the
// vDSO's ELF header (arch/x86/include/asm/elf.h's ARCH_DLINFO).
const AT_SYSINFO_EHDR = 33

// VsyscallAddr is the x86-64 vsyscall page's fixed address
// (VSYSCALL_ADDR): gettimeofday at +0, time at +0x400, getcpu at +0x800.
// This machine's kernel (vsyscall=xonly) maps it execute-only: a call
// there faults and the kernel emulates the system call
// (emulate_vsyscall).
const VsyscallAddr = 0xffffffffff600000

// The x86 exceptions a user program's signals come from (the kernel's
// arch/x86/include/asm/trapnr.h): the vector the signal frame's
// sigcontext gives as trapno (REG_TRAPNO).
const (
	X86_TRAP_DE = 0  // divide error: SIGFPE
	X86_TRAP_DB = 1  // debug: SIGTRAP of a single step (TF)
	X86_TRAP_GP = 13 // general protection: SIGSEGV of a non-canonical address
	X86_TRAP_PF = 14 // page fault: SIGSEGV, SIGBUS
)

// A page fault's error code (arch/x86/include/asm/trap_pf.h), the
// sigcontext's err (REG_ERR): PROT the page was present (a protection
// fault, not a missing page), WRITE a store, USER from user mode, INSTR
// an instruction fetch. A user access to a kernel address always has
// PROT (the kernel's sanitize_error_code: it tells nothing of the
// kernel's page tables).
const (
	X86_PF_PROT  = 1 << 0
	X86_PF_WRITE = 1 << 1
	X86_PF_USER  = 1 << 2
	X86_PF_INSTR = 1 << 4
)

// Signal numbers on x86-64.
const (
	SIGHUP    = 1
	SIGINT    = 2
	SIGQUIT   = 3
	SIGILL    = 4
	SIGTRAP   = 5
	SIGABRT   = 6
	SIGBUS    = 7
	SIGFPE    = 8
	SIGKILL   = 9
	SIGUSR1   = 10
	SIGSEGV   = 11
	SIGUSR2   = 12
	SIGPIPE   = 13
	SIGALRM   = 14
	SIGTERM   = 15
	SIGSTKFLT = 16
	SIGCHLD   = 17
	SIGCONT   = 18
	SIGSTOP   = 19
	SIGTSTP   = 20
	SIGTTIN   = 21
	SIGTTOU   = 22
	SIGURG    = 23
	SIGXCPU   = 24
	SIGXFSZ   = 25
	SIGVTALRM = 26
	SIGPROF   = 27
	SIGWINCH  = 28
	SIGIO     = 29
	SIGPWR    = 30
	SIGSYS    = 31
)

// SignalSet is the table of the signal names above, with glibc's strsignal texts.
var SignalSet = &ConstSet{Name: "signal", Consts: []Const{
	{Name: "SIGHUP", Value: SIGHUP, Text: "Hangup"}, {Name: "SIGINT", Value: SIGINT, Text: "Interrupt"},
	{Name: "SIGQUIT", Value: SIGQUIT, Text: "Quit"}, {Name: "SIGILL", Value: SIGILL, Text: "Illegal instruction"},
	{Name: "SIGTRAP", Value: SIGTRAP, Text: "Trace/breakpoint trap"}, {Name: "SIGABRT", Value: SIGABRT, Text: "Aborted"},
	{Name: "SIGBUS", Value: SIGBUS, Text: "Bus error"}, {Name: "SIGFPE", Value: SIGFPE, Text: "Floating point exception"},
	{Name: "SIGKILL", Value: SIGKILL, Text: "Killed"}, {Name: "SIGUSR1", Value: SIGUSR1, Text: "User defined signal 1"},
	{Name: "SIGSEGV", Value: SIGSEGV, Text: "Segmentation fault"}, {Name: "SIGUSR2", Value: SIGUSR2, Text: "User defined signal 2"},
	{Name: "SIGPIPE", Value: SIGPIPE, Text: "Broken pipe"}, {Name: "SIGALRM", Value: SIGALRM, Text: "Alarm clock"},
	{Name: "SIGTERM", Value: SIGTERM, Text: "Terminated"}, {Name: "SIGCHLD", Value: SIGCHLD, Text: "Child exited"},
	{Name: "SIGXCPU", Value: SIGXCPU, Text: "CPU time limit exceeded"}, {Name: "SIGXFSZ", Value: SIGXFSZ, Text: "File size limit exceeded"},
	{Name: "SIGSYS", Value: SIGSYS, Text: "Bad system call"},
	{Name: "SIGSTKFLT", Value: SIGSTKFLT, Text: "Stack fault"}, {Name: "SIGCONT", Value: SIGCONT, Text: "Continued"},
	{Name: "SIGSTOP", Value: SIGSTOP, Text: "Stopped (signal)"}, {Name: "SIGTSTP", Value: SIGTSTP, Text: "Stopped"},
	{Name: "SIGTTIN", Value: SIGTTIN, Text: "Stopped (tty input)"}, {Name: "SIGTTOU", Value: SIGTTOU, Text: "Stopped (tty output)"},
	{Name: "SIGURG", Value: SIGURG, Text: "Urgent I/O condition"}, {Name: "SIGVTALRM", Value: SIGVTALRM, Text: "Virtual timer expired"},
	{Name: "SIGPROF", Value: SIGPROF, Text: "Profiling timer expired"}, {Name: "SIGWINCH", Value: SIGWINCH, Text: "Window changed"},
	{Name: "SIGIO", Value: SIGIO, Text: "I/O possible"}, {Name: "SIGPWR", Value: SIGPWR, Text: "Power failure"},
}, Aliases: []Const{{Name: "SIGPOLL", Value: SIGIO}, {Name: "SIGIOT", Value: SIGABRT}, {Name: "SIGCLD", Value: SIGCHLD}}}

// si_code values for SIGCHLD (CLD_*): how the child changed state.
const (
	CLD_EXITED    = 1
	CLD_KILLED    = 2
	CLD_DUMPED    = 3
	CLD_TRAPPED   = 4
	CLD_STOPPED   = 5
	CLD_CONTINUED = 6
)

// CldCodeSet is the table of the CLD_* codes above ("cld_code" in web/static/linux.js).
var CldCodeSet = &ConstSet{Name: "cld_code", Consts: []Const{
	{Name: "CLD_EXITED", Value: CLD_EXITED}, {Name: "CLD_KILLED", Value: CLD_KILLED}, {Name: "CLD_DUMPED", Value: CLD_DUMPED},
	{Name: "CLD_TRAPPED", Value: CLD_TRAPPED}, {Name: "CLD_STOPPED", Value: CLD_STOPPED}, {Name: "CLD_CONTINUED", Value: CLD_CONTINUED},
}}

// si_code values any signal may have (SI_*): who sent it.
const (
	SI_USER    = 0
	SI_KERNEL  = 0x80
	SI_QUEUE   = -1
	SI_TIMER   = -2
	SI_MESGQ   = -3
	SI_ASYNCIO = -4
	SI_SIGIO   = -5
	SI_TKILL   = -6
)

// SiCodeSet is the table of the SI_* codes above ("si_code" in web/static/linux.js).
var SiCodeSet = &ConstSet{Name: "si_code", Consts: []Const{
	{Name: "SI_USER", Value: SI_USER}, {Name: "SI_KERNEL", Value: SI_KERNEL}, {Name: "SI_QUEUE", Value: SI_QUEUE},
	{Name: "SI_TIMER", Value: SI_TIMER}, {Name: "SI_MESGQ", Value: SI_MESGQ}, {Name: "SI_ASYNCIO", Value: SI_ASYNCIO},
	{Name: "SI_SIGIO", Value: SI_SIGIO}, {Name: "SI_TKILL", Value: SI_TKILL},
}}

// si_code values for SIGSEGV and SIGBUS.
const (
	SEGV_MAPERR = 1 // address not mapped to object
	SEGV_ACCERR = 2 // invalid permissions for mapped object
	BUS_ADRALN  = 1
	BUS_ADRERR  = 2 // nonexistent physical address: past the end of a file
	BUS_OBJERR  = 3
	FPE_INTDIV  = 1
)

// SegvCodeSet is the table of the SEGV_* names above ("segv_code" in web/static/linux.js).
var SegvCodeSet = &ConstSet{Name: "segv_code", Consts: []Const{
	{Name: "SEGV_MAPERR", Value: SEGV_MAPERR}, {Name: "SEGV_ACCERR", Value: SEGV_ACCERR},
}}

// BusCodeSet is the table of the BUS_* names above ("bus_code" in web/static/linux.js).
var BusCodeSet = &ConstSet{Name: "bus_code", Consts: []Const{
	{Name: "BUS_ADRALN", Value: BUS_ADRALN}, {Name: "BUS_ADRERR", Value: BUS_ADRERR}, {Name: "BUS_OBJERR", Value: BUS_OBJERR},
}}

// si_code values for SIGTRAP (TRAP_*).
const (
	TRAP_BRKPT = 1 // process breakpoint (int3)
	TRAP_TRACE = 2 // process trace trap: a single step
)

// TrapCodeSet is the table of the TRAP_* names above ("trap_code" in web/static/linux.js).
var TrapCodeSet = &ConstSet{Name: "trap_code", Consts: []Const{
	{Name: "TRAP_BRKPT", Value: TRAP_BRKPT}, {Name: "TRAP_TRACE", Value: TRAP_TRACE},
}}

// FpeCodeSet is the table of the FPE_* names above ("fpe_code" in web/static/linux.js).
var FpeCodeSet = &ConstSet{Name: "fpe_code", Consts: []Const{{Name: "FPE_INTDIV", Value: FPE_INTDIV}}}

// SignalName returns "SIGSEGV" for 11, "" for 0, and "SIG<n>" for others.
func SignalName(sig int) string {
	if sig == 0 {
		return ""
	}
	if n, ok := SignalSet.Lookup(int64(sig)); ok {
		return n
	}
	return "SIG" + itoa(int64(sig))
}

// SignalNumber is the inverse of SignalName; 0 when unknown.
func SignalNumber(name string) int {
	if c, ok := SignalSet.Const(name); ok {
		return int(c.Value)
	}
	return 0
}

// SignalDescription is strsignal's text, as psignal and the shell print it.
func SignalDescription(sig int) string {
	for _, c := range SignalSet.Consts {
		if c.Value == int64(sig) {
			return c.Text
		}
	}
	return SignalName(sig)
}

func itoa(v int64) string {
	if v == 0 {
		return "0"
	}
	neg := v < 0
	if neg {
		v = -v
	}
	var b [20]byte
	i := len(b)
	for v > 0 {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// Resource limits (RLIMIT_*, <sys/resource.h>), the resource argument of
// prlimit64, getrlimit and setrlimit.
const (
	RLIMIT_CPU        = 0
	RLIMIT_FSIZE      = 1
	RLIMIT_DATA       = 2
	RLIMIT_STACK      = 3
	RLIMIT_CORE       = 4
	RLIMIT_RSS        = 5
	RLIMIT_NPROC      = 6
	RLIMIT_NOFILE     = 7
	RLIMIT_MEMLOCK    = 8
	RLIMIT_AS         = 9
	RLIMIT_LOCKS      = 10
	RLIMIT_SIGPENDING = 11
	RLIMIT_MSGQUEUE   = 12
	RLIMIT_NICE       = 13
	RLIMIT_RTPRIO     = 14
	RLIMIT_RTTIME     = 15
	RLIMIT_NLIMITS    = 16
	// RLIM_INFINITY is the value of a limit that is not one.
	RLIM_INFINITY = ^uint64(0)
)

// RlimitSet is the table of the RLIMIT_* names above ("rlimit" in web/static/linux.js).
var RlimitSet = &ConstSet{Name: "rlimit", Consts: []Const{
	{Name: "RLIMIT_CPU", Value: RLIMIT_CPU}, {Name: "RLIMIT_FSIZE", Value: RLIMIT_FSIZE},
	{Name: "RLIMIT_DATA", Value: RLIMIT_DATA}, {Name: "RLIMIT_STACK", Value: RLIMIT_STACK},
	{Name: "RLIMIT_CORE", Value: RLIMIT_CORE}, {Name: "RLIMIT_RSS", Value: RLIMIT_RSS},
	{Name: "RLIMIT_NPROC", Value: RLIMIT_NPROC}, {Name: "RLIMIT_NOFILE", Value: RLIMIT_NOFILE},
	{Name: "RLIMIT_MEMLOCK", Value: RLIMIT_MEMLOCK}, {Name: "RLIMIT_AS", Value: RLIMIT_AS},
	{Name: "RLIMIT_LOCKS", Value: RLIMIT_LOCKS}, {Name: "RLIMIT_SIGPENDING", Value: RLIMIT_SIGPENDING},
	{Name: "RLIMIT_MSGQUEUE", Value: RLIMIT_MSGQUEUE}, {Name: "RLIMIT_NICE", Value: RLIMIT_NICE},
	{Name: "RLIMIT_RTPRIO", Value: RLIMIT_RTPRIO}, {Name: "RLIMIT_RTTIME", Value: RLIMIT_RTTIME},
}, Aliases: []Const{{Name: "RLIMIT_NLIMITS", Value: RLIMIT_NLIMITS}, {Name: "RLIM_NLIMITS", Value: RLIMIT_NLIMITS},
	{Name: "RLIMIT_OFILE", Value: RLIMIT_NOFILE}}}

// futex operations (FUTEX_*, <linux/futex.h>): the command in the low bits,
// the flags above it.
const (
	FUTEX_WAIT            = 0
	FUTEX_WAKE            = 1
	FUTEX_FD              = 2
	FUTEX_REQUEUE         = 3
	FUTEX_CMP_REQUEUE     = 4
	FUTEX_WAKE_OP         = 5
	FUTEX_LOCK_PI         = 6
	FUTEX_UNLOCK_PI       = 7
	FUTEX_TRYLOCK_PI      = 8
	FUTEX_WAIT_BITSET     = 9
	FUTEX_WAKE_BITSET     = 10
	FUTEX_WAIT_REQUEUE_PI = 11
	FUTEX_CMP_REQUEUE_PI  = 12
	FUTEX_LOCK_PI2        = 13
	FUTEX_PRIVATE_FLAG    = 128
	FUTEX_CLOCK_REALTIME  = 256
	// FUTEX_CMD_MASK is the command's bits (the kernel's ~(PRIVATE|CLOCK_REALTIME)).
	FUTEX_CMD_MASK = 0x7f
)

// FutexCmdSet is the table of the futex commands above ("futex_cmd" in web/static/linux.js).
var FutexCmdSet = &ConstSet{Name: "futex_cmd", Consts: []Const{
	{Name: "FUTEX_WAIT", Value: FUTEX_WAIT}, {Name: "FUTEX_WAKE", Value: FUTEX_WAKE}, {Name: "FUTEX_FD", Value: FUTEX_FD},
	{Name: "FUTEX_REQUEUE", Value: FUTEX_REQUEUE}, {Name: "FUTEX_CMP_REQUEUE", Value: FUTEX_CMP_REQUEUE},
	{Name: "FUTEX_WAKE_OP", Value: FUTEX_WAKE_OP}, {Name: "FUTEX_LOCK_PI", Value: FUTEX_LOCK_PI},
	{Name: "FUTEX_UNLOCK_PI", Value: FUTEX_UNLOCK_PI}, {Name: "FUTEX_TRYLOCK_PI", Value: FUTEX_TRYLOCK_PI},
	{Name: "FUTEX_WAIT_BITSET", Value: FUTEX_WAIT_BITSET}, {Name: "FUTEX_WAKE_BITSET", Value: FUTEX_WAKE_BITSET},
	{Name: "FUTEX_WAIT_REQUEUE_PI", Value: FUTEX_WAIT_REQUEUE_PI}, {Name: "FUTEX_CMP_REQUEUE_PI", Value: FUTEX_CMP_REQUEUE_PI},
	{Name: "FUTEX_LOCK_PI2", Value: FUTEX_LOCK_PI2},
}}

// FutexSet is the table of the futex op flags, with the command as its
// field ("futex" in web/static/linux.js).
var FutexSet = &ConstSet{Name: "futex", Bits: true, Field: FutexCmdSet, FieldMask: FUTEX_CMD_MASK, Consts: []Const{
	{Name: "FUTEX_PRIVATE_FLAG", Value: FUTEX_PRIVATE_FLAG}, {Name: "FUTEX_CLOCK_REALTIME", Value: FUTEX_CLOCK_REALTIME},
}, Aliases: []Const{
	{Name: "FUTEX_WAIT_PRIVATE", Value: FUTEX_WAIT | FUTEX_PRIVATE_FLAG}, {Name: "FUTEX_WAKE_PRIVATE", Value: FUTEX_WAKE | FUTEX_PRIVATE_FLAG},
	{Name: "FUTEX_REQUEUE_PRIVATE", Value: FUTEX_REQUEUE | FUTEX_PRIVATE_FLAG},
	{Name: "FUTEX_CMP_REQUEUE_PRIVATE", Value: FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG},
	{Name: "FUTEX_WAIT_BITSET_PRIVATE", Value: FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG},
	{Name: "FUTEX_WAKE_BITSET_PRIVATE", Value: FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG},
	{Name: "FUTEX_LOCK_PI_PRIVATE", Value: FUTEX_LOCK_PI | FUTEX_PRIVATE_FLAG},
	{Name: "FUTEX_LOCK_PI2_PRIVATE", Value: FUTEX_LOCK_PI2 | FUTEX_PRIVATE_FLAG},
	{Name: "FUTEX_UNLOCK_PI_PRIVATE", Value: FUTEX_UNLOCK_PI | FUTEX_PRIVATE_FLAG},
	{Name: "FUTEX_TRYLOCK_PI_PRIVATE", Value: FUTEX_TRYLOCK_PI | FUTEX_PRIVATE_FLAG},
	{Name: "FUTEX_WAIT_REQUEUE_PI_PRIVATE", Value: FUTEX_WAIT_REQUEUE_PI | FUTEX_PRIVATE_FLAG},
	{Name: "FUTEX_CMP_REQUEUE_PI_PRIVATE", Value: FUTEX_CMP_REQUEUE_PI | FUTEX_PRIVATE_FLAG},
}}

// eventfd flags (EFD_*, <sys/eventfd.h>).
const (
	EFD_SEMAPHORE = 1
	EFD_NONBLOCK  = O_NONBLOCK
	EFD_CLOEXEC   = O_CLOEXEC
)

// EfdSet is the table of the EFD_* names above ("efd" in web/static/linux.js).
var EfdSet = &ConstSet{Name: "efd", Bits: true, Consts: []Const{
	{Name: "EFD_SEMAPHORE", Value: EFD_SEMAPHORE}, {Name: "EFD_NONBLOCK", Value: EFD_NONBLOCK},
	{Name: "EFD_CLOEXEC", Value: EFD_CLOEXEC},
}}

// prctl options (PR_*, <linux/prctl.h>): Linux 6.12's, those of other
// architectures left out. The model answers the ones prctl.go lists; the
// others answer ENOSYS there.
const (
	PR_SET_PDEATHSIG             = 1
	PR_GET_PDEATHSIG             = 2
	PR_GET_DUMPABLE              = 3
	PR_SET_DUMPABLE              = 4
	PR_GET_KEEPCAPS              = 7
	PR_SET_KEEPCAPS              = 8
	PR_GET_TIMING                = 13
	PR_SET_TIMING                = 14
	PR_SET_NAME                  = 15
	PR_GET_NAME                  = 16
	PR_GET_SECCOMP               = 21
	PR_SET_SECCOMP               = 22
	PR_CAPBSET_READ              = 23
	PR_CAPBSET_DROP              = 24
	PR_GET_TSC                   = 25
	PR_SET_TSC                   = 26
	PR_GET_SECUREBITS            = 27
	PR_SET_SECUREBITS            = 28
	PR_SET_TIMERSLACK            = 29
	PR_GET_TIMERSLACK            = 30
	PR_TASK_PERF_EVENTS_DISABLE  = 31
	PR_TASK_PERF_EVENTS_ENABLE   = 32
	PR_MCE_KILL                  = 33
	PR_MCE_KILL_GET              = 34
	PR_SET_MM                    = 35
	PR_SET_CHILD_SUBREAPER       = 36
	PR_GET_CHILD_SUBREAPER       = 37
	PR_SET_NO_NEW_PRIVS          = 38
	PR_GET_NO_NEW_PRIVS          = 39
	PR_GET_TID_ADDRESS           = 40
	PR_SET_THP_DISABLE           = 41
	PR_GET_THP_DISABLE           = 42
	PR_CAP_AMBIENT               = 47
	PR_GET_SPECULATION_CTRL      = 52
	PR_SET_SPECULATION_CTRL      = 53
	PR_SET_TAGGED_ADDR_CTRL      = 55
	PR_GET_TAGGED_ADDR_CTRL      = 56
	PR_SET_IO_FLUSHER            = 57
	PR_GET_IO_FLUSHER            = 58
	PR_SET_SYSCALL_USER_DISPATCH = 59
	PR_SCHED_CORE                = 62
	PR_SET_MDWE                  = 65
	PR_GET_MDWE                  = 66
	PR_SET_MEMORY_MERGE          = 67
	PR_GET_MEMORY_MERGE          = 68
	PR_SET_PTRACER               = 0x59616d61
	PR_SET_VMA                   = 0x53564d41
	PR_GET_AUXV                  = 0x41555856
)

// PrctlSet is the table of the PR_* options above ("prctl" in web/static/linux.js).
var PrctlSet = &ConstSet{Name: "prctl", Consts: []Const{
	{Name: "PR_SET_PDEATHSIG", Value: PR_SET_PDEATHSIG}, {Name: "PR_GET_PDEATHSIG", Value: PR_GET_PDEATHSIG},
	{Name: "PR_GET_DUMPABLE", Value: PR_GET_DUMPABLE}, {Name: "PR_SET_DUMPABLE", Value: PR_SET_DUMPABLE},
	{Name: "PR_GET_KEEPCAPS", Value: PR_GET_KEEPCAPS}, {Name: "PR_SET_KEEPCAPS", Value: PR_SET_KEEPCAPS},
	{Name: "PR_GET_TIMING", Value: PR_GET_TIMING}, {Name: "PR_SET_TIMING", Value: PR_SET_TIMING},
	{Name: "PR_SET_NAME", Value: PR_SET_NAME}, {Name: "PR_GET_NAME", Value: PR_GET_NAME},
	{Name: "PR_GET_SECCOMP", Value: PR_GET_SECCOMP}, {Name: "PR_SET_SECCOMP", Value: PR_SET_SECCOMP},
	{Name: "PR_CAPBSET_READ", Value: PR_CAPBSET_READ}, {Name: "PR_CAPBSET_DROP", Value: PR_CAPBSET_DROP},
	{Name: "PR_GET_TSC", Value: PR_GET_TSC}, {Name: "PR_SET_TSC", Value: PR_SET_TSC},
	{Name: "PR_GET_SECUREBITS", Value: PR_GET_SECUREBITS}, {Name: "PR_SET_SECUREBITS", Value: PR_SET_SECUREBITS},
	{Name: "PR_SET_TIMERSLACK", Value: PR_SET_TIMERSLACK}, {Name: "PR_GET_TIMERSLACK", Value: PR_GET_TIMERSLACK},
	{Name: "PR_TASK_PERF_EVENTS_DISABLE", Value: PR_TASK_PERF_EVENTS_DISABLE}, {Name: "PR_TASK_PERF_EVENTS_ENABLE", Value: PR_TASK_PERF_EVENTS_ENABLE},
	{Name: "PR_MCE_KILL", Value: PR_MCE_KILL}, {Name: "PR_MCE_KILL_GET", Value: PR_MCE_KILL_GET},
	{Name: "PR_SET_MM", Value: PR_SET_MM}, {Name: "PR_SET_CHILD_SUBREAPER", Value: PR_SET_CHILD_SUBREAPER},
	{Name: "PR_GET_CHILD_SUBREAPER", Value: PR_GET_CHILD_SUBREAPER}, {Name: "PR_SET_NO_NEW_PRIVS", Value: PR_SET_NO_NEW_PRIVS},
	{Name: "PR_GET_NO_NEW_PRIVS", Value: PR_GET_NO_NEW_PRIVS}, {Name: "PR_GET_TID_ADDRESS", Value: PR_GET_TID_ADDRESS},
	{Name: "PR_SET_THP_DISABLE", Value: PR_SET_THP_DISABLE}, {Name: "PR_GET_THP_DISABLE", Value: PR_GET_THP_DISABLE},
	{Name: "PR_CAP_AMBIENT", Value: PR_CAP_AMBIENT}, {Name: "PR_GET_SPECULATION_CTRL", Value: PR_GET_SPECULATION_CTRL},
	{Name: "PR_SET_SPECULATION_CTRL", Value: PR_SET_SPECULATION_CTRL}, {Name: "PR_SET_TAGGED_ADDR_CTRL", Value: PR_SET_TAGGED_ADDR_CTRL},
	{Name: "PR_GET_TAGGED_ADDR_CTRL", Value: PR_GET_TAGGED_ADDR_CTRL}, {Name: "PR_SET_IO_FLUSHER", Value: PR_SET_IO_FLUSHER},
	{Name: "PR_GET_IO_FLUSHER", Value: PR_GET_IO_FLUSHER}, {Name: "PR_SET_SYSCALL_USER_DISPATCH", Value: PR_SET_SYSCALL_USER_DISPATCH},
	{Name: "PR_SCHED_CORE", Value: PR_SCHED_CORE}, {Name: "PR_SET_MDWE", Value: PR_SET_MDWE},
	{Name: "PR_GET_MDWE", Value: PR_GET_MDWE}, {Name: "PR_SET_MEMORY_MERGE", Value: PR_SET_MEMORY_MERGE},
	{Name: "PR_GET_MEMORY_MERGE", Value: PR_GET_MEMORY_MERGE}, {Name: "PR_SET_PTRACER", Value: PR_SET_PTRACER},
	{Name: "PR_SET_VMA", Value: PR_SET_VMA}, {Name: "PR_GET_AUXV", Value: PR_GET_AUXV},
}}

// PR_SET_MDWE's flags (PR_MDWE_*, memory-deny-write-execute, Linux 6.3).
const (
	PR_MDWE_REFUSE_EXEC_GAIN = 1 << 0
	PR_MDWE_NO_INHERIT       = 1 << 1
)

// MdweSet is the table of the PR_MDWE_* flags above ("mdwe" in web/static/linux.js).
var MdweSet = &ConstSet{Name: "mdwe", Bits: true, Consts: []Const{
	{Name: "PR_MDWE_REFUSE_EXEC_GAIN", Value: PR_MDWE_REFUSE_EXEC_GAIN}, {Name: "PR_MDWE_NO_INHERIT", Value: PR_MDWE_NO_INHERIT},
}}

// membarrier commands (MEMBARRIER_CMD_*, <linux/membarrier.h>): each a
// bit, as MEMBARRIER_CMD_QUERY's answer lists the supported ones.
const (
	MEMBARRIER_CMD_QUERY                                = 0
	MEMBARRIER_CMD_GLOBAL                               = 1 << 0
	MEMBARRIER_CMD_GLOBAL_EXPEDITED                     = 1 << 1
	MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED            = 1 << 2
	MEMBARRIER_CMD_PRIVATE_EXPEDITED                    = 1 << 3
	MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED           = 1 << 4
	MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE          = 1 << 5
	MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE = 1 << 6
	MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ               = 1 << 7
	MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ      = 1 << 8
	MEMBARRIER_CMD_GET_REGISTRATIONS                    = 1 << 9

	// MEMBARRIER_CMD_FLAG_CPU is the one flag (of the RSEQ command).
	MEMBARRIER_CMD_FLAG_CPU = 1 << 0
)

// MembarrierSet is the table of the MEMBARRIER_CMD_* names above
// ("membarrier" in web/static/linux.js).
var MembarrierSet = &ConstSet{Name: "membarrier", Consts: []Const{
	{Name: "MEMBARRIER_CMD_QUERY", Value: MEMBARRIER_CMD_QUERY},
	{Name: "MEMBARRIER_CMD_GLOBAL", Value: MEMBARRIER_CMD_GLOBAL},
	{Name: "MEMBARRIER_CMD_GLOBAL_EXPEDITED", Value: MEMBARRIER_CMD_GLOBAL_EXPEDITED},
	{Name: "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED", Value: MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED},
	{Name: "MEMBARRIER_CMD_PRIVATE_EXPEDITED", Value: MEMBARRIER_CMD_PRIVATE_EXPEDITED},
	{Name: "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED", Value: MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED},
	{Name: "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE", Value: MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE},
	{Name: "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE", Value: MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE},
	{Name: "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ", Value: MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ},
	{Name: "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ", Value: MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ},
	{Name: "MEMBARRIER_CMD_GET_REGISTRATIONS", Value: MEMBARRIER_CMD_GET_REGISTRATIONS},
}, Aliases: []Const{
	{Name: "MEMBARRIER_CMD_SHARED", Value: MEMBARRIER_CMD_GLOBAL},
	{Name: "MEMBARRIER_CMD_FLAG_CPU", Value: MEMBARRIER_CMD_FLAG_CPU},
}}

// userfaultfd(2)'s own flag (<linux/userfaultfd.h>); the others are
// O_CLOEXEC and O_NONBLOCK.
const UFFD_USER_MODE_ONLY = 1

// UffdSet is the table of userfaultfd(2)'s flag ("uffd" in web/static/linux.js).
var UffdSet = &ConstSet{Name: "uffd", Bits: true, Consts: []Const{
	{Name: "UFFD_USER_MODE_ONLY", Value: UFFD_USER_MODE_ONLY},
}}

// fallocate modes (FALLOC_FL_*, <linux/falloc.h>).
const (
	FALLOC_FL_KEEP_SIZE      = 0x01
	FALLOC_FL_PUNCH_HOLE     = 0x02
	FALLOC_FL_COLLAPSE_RANGE = 0x08
	FALLOC_FL_ZERO_RANGE     = 0x10
	FALLOC_FL_INSERT_RANGE   = 0x20
	FALLOC_FL_UNSHARE_RANGE  = 0x40
)

// FallocSet is the table of the FALLOC_FL_* names above ("falloc" in web/static/linux.js).
var FallocSet = &ConstSet{Name: "falloc", Bits: true, Consts: []Const{
	{Name: "FALLOC_FL_KEEP_SIZE", Value: FALLOC_FL_KEEP_SIZE}, {Name: "FALLOC_FL_PUNCH_HOLE", Value: FALLOC_FL_PUNCH_HOLE},
	{Name: "FALLOC_FL_COLLAPSE_RANGE", Value: FALLOC_FL_COLLAPSE_RANGE}, {Name: "FALLOC_FL_ZERO_RANGE", Value: FALLOC_FL_ZERO_RANGE},
	{Name: "FALLOC_FL_INSERT_RANGE", Value: FALLOC_FL_INSERT_RANGE}, {Name: "FALLOC_FL_UNSHARE_RANGE", Value: FALLOC_FL_UNSHARE_RANGE},
}}

// fcntl commands (F_*, <fcntl.h> and <linux/fcntl.h>), and the
// descriptor flag and lock types they take (fcntl.go, locks.go).
const (
	F_DUPFD            = 0
	F_GETFD            = 1
	F_SETFD            = 2
	F_GETFL            = 3
	F_SETFL            = 4
	F_GETLK            = 5
	F_SETLK            = 6
	F_SETLKW           = 7
	F_SETOWN           = 8
	F_GETOWN           = 9
	F_SETSIG           = 10
	F_GETSIG           = 11
	F_SETOWN_EX        = 15
	F_GETOWN_EX        = 16
	F_OFD_GETLK        = 36
	F_OFD_SETLK        = 37
	F_OFD_SETLKW       = 38
	F_SETLEASE         = 1024
	F_GETLEASE         = 1025
	F_NOTIFY           = 1026
	F_DUPFD_QUERY      = 1027
	F_CREATED_QUERY    = 1028
	F_DUPFD_CLOEXEC    = 1030
	F_SETPIPE_SZ       = 1031
	F_GETPIPE_SZ       = 1032
	F_ADD_SEALS        = 1033
	F_GET_SEALS        = 1034
	F_GET_RW_HINT      = 1035
	F_SET_RW_HINT      = 1036
	F_GET_FILE_RW_HINT = 1037
	F_SET_FILE_RW_HINT = 1038

	FD_CLOEXEC = 1

	F_RDLCK = 0
	F_WRLCK = 1
	F_UNLCK = 2
)

// FcntlSet is the table of the F_* commands above ("fcntl" in web/static/linux.js).
var FcntlSet = &ConstSet{Name: "fcntl", Consts: []Const{
	{Name: "F_DUPFD", Value: F_DUPFD}, {Name: "F_GETFD", Value: F_GETFD}, {Name: "F_SETFD", Value: F_SETFD},
	{Name: "F_GETFL", Value: F_GETFL}, {Name: "F_SETFL", Value: F_SETFL}, {Name: "F_GETLK", Value: F_GETLK},
	{Name: "F_SETLK", Value: F_SETLK}, {Name: "F_SETLKW", Value: F_SETLKW}, {Name: "F_SETOWN", Value: F_SETOWN},
	{Name: "F_GETOWN", Value: F_GETOWN}, {Name: "F_SETSIG", Value: F_SETSIG}, {Name: "F_GETSIG", Value: F_GETSIG},
	{Name: "F_SETOWN_EX", Value: F_SETOWN_EX}, {Name: "F_GETOWN_EX", Value: F_GETOWN_EX},
	{Name: "F_OFD_GETLK", Value: F_OFD_GETLK},
	{Name: "F_OFD_SETLK", Value: F_OFD_SETLK}, {Name: "F_OFD_SETLKW", Value: F_OFD_SETLKW},
	{Name: "F_SETLEASE", Value: F_SETLEASE}, {Name: "F_GETLEASE", Value: F_GETLEASE}, {Name: "F_NOTIFY", Value: F_NOTIFY},
	{Name: "F_DUPFD_QUERY", Value: F_DUPFD_QUERY}, {Name: "F_CREATED_QUERY", Value: F_CREATED_QUERY},
	{Name: "F_DUPFD_CLOEXEC", Value: F_DUPFD_CLOEXEC},
	{Name: "F_SETPIPE_SZ", Value: F_SETPIPE_SZ}, {Name: "F_GETPIPE_SZ", Value: F_GETPIPE_SZ},
	{Name: "F_ADD_SEALS", Value: F_ADD_SEALS}, {Name: "F_GET_SEALS", Value: F_GET_SEALS},
	{Name: "F_GET_RW_HINT", Value: F_GET_RW_HINT}, {Name: "F_SET_RW_HINT", Value: F_SET_RW_HINT},
	{Name: "F_GET_FILE_RW_HINT", Value: F_GET_FILE_RW_HINT}, {Name: "F_SET_FILE_RW_HINT", Value: F_SET_FILE_RW_HINT},
}}

// File seals (F_ADD_SEALS, F_GET_SEALS), include/uapi/linux/fcntl.h.
const (
	F_SEAL_SEAL         = 0x01
	F_SEAL_SHRINK       = 0x02
	F_SEAL_GROW         = 0x04
	F_SEAL_WRITE        = 0x08
	F_SEAL_FUTURE_WRITE = 0x10 // Linux 5.1
	F_SEAL_EXEC         = 0x20 // Linux 6.3
)

// SealSet is the table of the file seals ("seal" in web/static/linux.js).
var SealSet = &ConstSet{Name: "seal", Bits: true, Consts: []Const{
	{Name: "F_SEAL_SEAL", Value: F_SEAL_SEAL}, {Name: "F_SEAL_SHRINK", Value: F_SEAL_SHRINK},
	{Name: "F_SEAL_GROW", Value: F_SEAL_GROW}, {Name: "F_SEAL_WRITE", Value: F_SEAL_WRITE},
	{Name: "F_SEAL_FUTURE_WRITE", Value: F_SEAL_FUTURE_WRITE}, {Name: "F_SEAL_EXEC", Value: F_SEAL_EXEC},
}}

// memfd_create's flags, include/uapi/linux/memfd.h.
const (
	MFD_CLOEXEC       = 0x01
	MFD_ALLOW_SEALING = 0x02
	MFD_HUGETLB       = 0x04
	MFD_NOEXEC_SEAL   = 0x08 // Linux 6.3
	MFD_EXEC          = 0x10 // Linux 6.3
)

// MfdSet is the table of memfd_create's flags ("mfd" in web/static/linux.js).
var MfdSet = &ConstSet{Name: "mfd", Bits: true, Consts: []Const{
	{Name: "MFD_CLOEXEC", Value: MFD_CLOEXEC}, {Name: "MFD_ALLOW_SEALING", Value: MFD_ALLOW_SEALING},
	{Name: "MFD_HUGETLB", Value: MFD_HUGETLB}, {Name: "MFD_NOEXEC_SEAL", Value: MFD_NOEXEC_SEAL},
	{Name: "MFD_EXEC", Value: MFD_EXEC},
}}

// The interval timers, include/uapi/linux/time.h.
const (
	ITIMER_REAL    = 0
	ITIMER_VIRTUAL = 1
	ITIMER_PROF    = 2
)

// ItimerSet is the table of setitimer's timers ("itimer" in web/static/linux.js).
var ItimerSet = &ConstSet{Name: "itimer", Consts: []Const{
	{Name: "ITIMER_REAL", Value: ITIMER_REAL}, {Name: "ITIMER_VIRTUAL", Value: ITIMER_VIRTUAL},
	{Name: "ITIMER_PROF", Value: ITIMER_PROF},
}}

// getrandom's flags, include/uapi/linux/random.h.
const (
	GRND_NONBLOCK = 0x0001
	GRND_RANDOM   = 0x0002
	GRND_INSECURE = 0x0004 // Linux 5.6
)

// GrndSet is the table of getrandom's flags ("grnd" in web/static/linux.js).
var GrndSet = &ConstSet{Name: "grnd", Bits: true, Consts: []Const{
	{Name: "GRND_NONBLOCK", Value: GRND_NONBLOCK}, {Name: "GRND_RANDOM", Value: GRND_RANDOM},
	{Name: "GRND_INSECURE", Value: GRND_INSECURE},
}}

// FdFlagSet is the table of the descriptor flags ("fd_flag" in web/static/linux.js).
var FdFlagSet = &ConstSet{Name: "fd_flag", Bits: true, Consts: []Const{{Name: "FD_CLOEXEC", Value: FD_CLOEXEC}}}

// LockTypeSet is the table of struct flock's l_type values ("lock_type" in web/static/linux.js).
var LockTypeSet = &ConstSet{Name: "lock_type", Consts: []Const{
	{Name: "F_RDLCK", Value: F_RDLCK}, {Name: "F_WRLCK", Value: F_WRLCK}, {Name: "F_UNLCK", Value: F_UNLCK},
}}

// close_range flags (CLOSE_RANGE_*, <linux/close_range.h>).
const (
	CLOSE_RANGE_UNSHARE = 1 << 1
	CLOSE_RANGE_CLOEXEC = 1 << 2
)

// CloseRangeSet is the table of the CLOSE_RANGE_* flags above ("close_range" in web/static/linux.js).
var CloseRangeSet = &ConstSet{Name: "close_range", Bits: true, Consts: []Const{
	{Name: "CLOSE_RANGE_UNSHARE", Value: CLOSE_RANGE_UNSHARE}, {Name: "CLOSE_RANGE_CLOEXEC", Value: CLOSE_RANGE_CLOEXEC},
}}

// clone and unshare flags (CLONE_*, <linux/sched.h>), and the sizes of
// struct clone_args's versions (clone.go).
const (
	CLONE_NEWTIME        = 0x80
	CLONE_VM             = 0x100
	CLONE_FS             = 0x200
	CLONE_FILES          = 0x400
	CLONE_SIGHAND        = 0x800
	CLONE_PIDFD          = 0x1000
	CLONE_PTRACE         = 0x2000
	CLONE_VFORK          = 0x4000
	CLONE_PARENT         = 0x8000
	CLONE_THREAD         = 0x10000
	CLONE_NEWNS          = 0x20000
	CLONE_SYSVSEM        = 0x40000
	CLONE_SETTLS         = 0x80000
	CLONE_PARENT_SETTID  = 0x100000
	CLONE_CHILD_CLEARTID = 0x200000
	CLONE_DETACHED       = 0x400000
	CLONE_UNTRACED       = 0x800000
	CLONE_CHILD_SETTID   = 0x1000000
	CLONE_NEWCGROUP      = 0x2000000
	CLONE_NEWUTS         = 0x4000000
	CLONE_NEWIPC         = 0x8000000
	CLONE_NEWUSER        = 0x10000000
	CLONE_NEWPID         = 0x20000000
	CLONE_NEWNET         = 0x40000000
	CLONE_IO             = 0x80000000
	CLONE_CLEAR_SIGHAND  = 0x100000000
	CLONE_INTO_CGROUP    = 0x200000000
	// CSIGNAL is the exit signal's bits of clone's flags.
	CSIGNAL = 0xff

	CLONE_ARGS_SIZE_VER0 = 64
	CLONE_ARGS_SIZE_VER1 = 80
	CLONE_ARGS_SIZE_VER2 = 88
)

// CloneSet is the table of the CLONE_* flags above ("clone" in
// web/static/linux.js) but CLONE_IO (bit 31), CLONE_CLEAR_SIGHAND and
// CLONE_INTO_CGROUP (past 32 bits), which the page's formatter, in 32-bit
// integers, cannot show: the C library's header declares those three.
var CloneSet = &ConstSet{Name: "clone", Bits: true, Consts: []Const{
	{Name: "CLONE_NEWTIME", Value: CLONE_NEWTIME}, {Name: "CLONE_VM", Value: CLONE_VM}, {Name: "CLONE_FS", Value: CLONE_FS},
	{Name: "CLONE_FILES", Value: CLONE_FILES}, {Name: "CLONE_SIGHAND", Value: CLONE_SIGHAND}, {Name: "CLONE_PIDFD", Value: CLONE_PIDFD},
	{Name: "CLONE_PTRACE", Value: CLONE_PTRACE}, {Name: "CLONE_VFORK", Value: CLONE_VFORK}, {Name: "CLONE_PARENT", Value: CLONE_PARENT},
	{Name: "CLONE_THREAD", Value: CLONE_THREAD}, {Name: "CLONE_NEWNS", Value: CLONE_NEWNS}, {Name: "CLONE_SYSVSEM", Value: CLONE_SYSVSEM},
	{Name: "CLONE_SETTLS", Value: CLONE_SETTLS}, {Name: "CLONE_PARENT_SETTID", Value: CLONE_PARENT_SETTID}, {Name: "CLONE_CHILD_CLEARTID", Value: CLONE_CHILD_CLEARTID},
	{Name: "CLONE_DETACHED", Value: CLONE_DETACHED}, {Name: "CLONE_UNTRACED", Value: CLONE_UNTRACED}, {Name: "CLONE_CHILD_SETTID", Value: CLONE_CHILD_SETTID},
	{Name: "CLONE_NEWCGROUP", Value: CLONE_NEWCGROUP}, {Name: "CLONE_NEWUTS", Value: CLONE_NEWUTS}, {Name: "CLONE_NEWIPC", Value: CLONE_NEWIPC},
	{Name: "CLONE_NEWUSER", Value: CLONE_NEWUSER}, {Name: "CLONE_NEWPID", Value: CLONE_NEWPID}, {Name: "CLONE_NEWNET", Value: CLONE_NEWNET},
}}

// CloneArgsSizeSet is the table of struct clone_args's sizes ("clone_args_size" in web/static/linux.js).
var CloneArgsSizeSet = &ConstSet{Name: "clone_args_size", Consts: []Const{
	{Name: "CLONE_ARGS_SIZE_VER0", Value: CLONE_ARGS_SIZE_VER0}, {Name: "CLONE_ARGS_SIZE_VER1", Value: CLONE_ARGS_SIZE_VER1},
	{Name: "CLONE_ARGS_SIZE_VER2", Value: CLONE_ARGS_SIZE_VER2},
}}

// poll events (POLL*, <poll.h>).
const (
	POLLIN     = 0x1
	POLLPRI    = 0x2
	POLLOUT    = 0x4
	POLLERR    = 0x8
	POLLHUP    = 0x10
	POLLNVAL   = 0x20
	POLLRDNORM = 0x40
	POLLRDBAND = 0x80
	POLLWRNORM = 0x100
	POLLWRBAND = 0x200
	POLLRDHUP  = 0x2000
)

// PollSet is the table of the POLL* events above ("poll" in web/static/linux.js).
var PollSet = &ConstSet{Name: "poll", Bits: true, Consts: []Const{
	{Name: "POLLIN", Value: POLLIN}, {Name: "POLLPRI", Value: POLLPRI}, {Name: "POLLOUT", Value: POLLOUT},
	{Name: "POLLERR", Value: POLLERR}, {Name: "POLLHUP", Value: POLLHUP}, {Name: "POLLNVAL", Value: POLLNVAL},
	{Name: "POLLRDNORM", Value: POLLRDNORM}, {Name: "POLLRDBAND", Value: POLLRDBAND},
	{Name: "POLLWRNORM", Value: POLLWRNORM}, {Name: "POLLWRBAND", Value: POLLWRBAND}, {Name: "POLLRDHUP", Value: POLLRDHUP},
}}

// kcmp types (enum kcmp_type, <linux/kcmp.h>): an enum, so not a
// ConstSet of macros; the C library's header declares them.
const (
	KCMP_FILE      = 0
	KCMP_VM        = 1
	KCMP_FILES     = 2
	KCMP_FS        = 3
	KCMP_SIGHAND   = 4
	KCMP_IO        = 5
	KCMP_SYSVSEM   = 6
	KCMP_EPOLL_TFD = 7
	KCMP_TYPES     = 8 // the count: the first type the kernel refuses
)

// NUMA memory policies (MPOL_*, <linux/mempolicy.h>), mbind's and
// set_mempolicy's modes, with the mode flags and mbind's flags as aliases.
const (
	MPOL_DEFAULT             = 0
	MPOL_PREFERRED           = 1
	MPOL_BIND                = 2
	MPOL_INTERLEAVE          = 3
	MPOL_LOCAL               = 4
	MPOL_PREFERRED_MANY      = 5
	MPOL_WEIGHTED_INTERLEAVE = 6

	MPOL_F_STATIC_NODES   = 1 << 15
	MPOL_F_RELATIVE_NODES = 1 << 14
	MPOL_F_NUMA_BALANCING = 1 << 13

	MPOL_MF_STRICT   = 1 << 0
	MPOL_MF_MOVE     = 1 << 1
	MPOL_MF_MOVE_ALL = 1 << 2
)

// MpolSet is the table of the MPOL_* names above ("mpol" in web/static/linux.js).
var MpolSet = &ConstSet{Name: "mpol", Consts: []Const{
	{Name: "MPOL_DEFAULT", Value: MPOL_DEFAULT}, {Name: "MPOL_PREFERRED", Value: MPOL_PREFERRED},
	{Name: "MPOL_BIND", Value: MPOL_BIND}, {Name: "MPOL_INTERLEAVE", Value: MPOL_INTERLEAVE},
	{Name: "MPOL_LOCAL", Value: MPOL_LOCAL}, {Name: "MPOL_PREFERRED_MANY", Value: MPOL_PREFERRED_MANY},
	{Name: "MPOL_WEIGHTED_INTERLEAVE", Value: MPOL_WEIGHTED_INTERLEAVE},
}, Aliases: []Const{
	{Name: "MPOL_F_STATIC_NODES", Value: MPOL_F_STATIC_NODES}, {Name: "MPOL_F_RELATIVE_NODES", Value: MPOL_F_RELATIVE_NODES},
	{Name: "MPOL_F_NUMA_BALANCING", Value: MPOL_F_NUMA_BALANCING},
	{Name: "MPOL_MF_STRICT", Value: MPOL_MF_STRICT}, {Name: "MPOL_MF_MOVE", Value: MPOL_MF_MOVE},
	{Name: "MPOL_MF_MOVE_ALL", Value: MPOL_MF_MOVE_ALL},
}}

// Capabilities (<linux/capability.h>): each a bit number of the sets that
// capget and capset carry, and the versions of their header.
const (
	CAP_CHOWN              = 0
	CAP_DAC_OVERRIDE       = 1
	CAP_DAC_READ_SEARCH    = 2
	CAP_FOWNER             = 3
	CAP_FSETID             = 4
	CAP_KILL               = 5
	CAP_SETGID             = 6
	CAP_SETUID             = 7
	CAP_SETPCAP            = 8
	CAP_LINUX_IMMUTABLE    = 9
	CAP_NET_BIND_SERVICE   = 10
	CAP_NET_BROADCAST      = 11
	CAP_NET_ADMIN          = 12
	CAP_NET_RAW            = 13
	CAP_IPC_LOCK           = 14
	CAP_IPC_OWNER          = 15
	CAP_SYS_MODULE         = 16
	CAP_SYS_RAWIO          = 17
	CAP_SYS_CHROOT         = 18
	CAP_SYS_PTRACE         = 19
	CAP_SYS_PACCT          = 20
	CAP_SYS_ADMIN          = 21
	CAP_SYS_BOOT           = 22
	CAP_SYS_NICE           = 23
	CAP_SYS_RESOURCE       = 24
	CAP_SYS_TIME           = 25
	CAP_SYS_TTY_CONFIG     = 26
	CAP_MKNOD              = 27
	CAP_LEASE              = 28
	CAP_AUDIT_WRITE        = 29
	CAP_AUDIT_CONTROL      = 30
	CAP_SETFCAP            = 31
	CAP_MAC_OVERRIDE       = 32
	CAP_MAC_ADMIN          = 33
	CAP_SYSLOG             = 34
	CAP_WAKE_ALARM         = 35
	CAP_BLOCK_SUSPEND      = 36
	CAP_AUDIT_READ         = 37
	CAP_PERFMON            = 38
	CAP_BPF                = 39
	CAP_CHECKPOINT_RESTORE = 40

	LINUX_CAPABILITY_VERSION_1 = 0x19980330 // one 32-bit word a set
	LINUX_CAPABILITY_VERSION_2 = 0x20071026 // two (deprecated)
	LINUX_CAPABILITY_VERSION_3 = 0x20080522 // two: the kernel's own
)

// CapSet is the table of the capabilities above ("cap" in web/static/linux.js).
var CapSet = &ConstSet{Name: "cap", Consts: []Const{
	{Name: "CAP_CHOWN", Value: CAP_CHOWN}, {Name: "CAP_DAC_OVERRIDE", Value: CAP_DAC_OVERRIDE},
	{Name: "CAP_DAC_READ_SEARCH", Value: CAP_DAC_READ_SEARCH}, {Name: "CAP_FOWNER", Value: CAP_FOWNER},
	{Name: "CAP_FSETID", Value: CAP_FSETID}, {Name: "CAP_KILL", Value: CAP_KILL}, {Name: "CAP_SETGID", Value: CAP_SETGID},
	{Name: "CAP_SETUID", Value: CAP_SETUID}, {Name: "CAP_SETPCAP", Value: CAP_SETPCAP},
	{Name: "CAP_LINUX_IMMUTABLE", Value: CAP_LINUX_IMMUTABLE}, {Name: "CAP_NET_BIND_SERVICE", Value: CAP_NET_BIND_SERVICE},
	{Name: "CAP_NET_BROADCAST", Value: CAP_NET_BROADCAST}, {Name: "CAP_NET_ADMIN", Value: CAP_NET_ADMIN},
	{Name: "CAP_NET_RAW", Value: CAP_NET_RAW}, {Name: "CAP_IPC_LOCK", Value: CAP_IPC_LOCK},
	{Name: "CAP_IPC_OWNER", Value: CAP_IPC_OWNER}, {Name: "CAP_SYS_MODULE", Value: CAP_SYS_MODULE},
	{Name: "CAP_SYS_RAWIO", Value: CAP_SYS_RAWIO}, {Name: "CAP_SYS_CHROOT", Value: CAP_SYS_CHROOT},
	{Name: "CAP_SYS_PTRACE", Value: CAP_SYS_PTRACE}, {Name: "CAP_SYS_PACCT", Value: CAP_SYS_PACCT},
	{Name: "CAP_SYS_ADMIN", Value: CAP_SYS_ADMIN}, {Name: "CAP_SYS_BOOT", Value: CAP_SYS_BOOT},
	{Name: "CAP_SYS_NICE", Value: CAP_SYS_NICE}, {Name: "CAP_SYS_RESOURCE", Value: CAP_SYS_RESOURCE},
	{Name: "CAP_SYS_TIME", Value: CAP_SYS_TIME}, {Name: "CAP_SYS_TTY_CONFIG", Value: CAP_SYS_TTY_CONFIG},
	{Name: "CAP_MKNOD", Value: CAP_MKNOD}, {Name: "CAP_LEASE", Value: CAP_LEASE}, {Name: "CAP_AUDIT_WRITE", Value: CAP_AUDIT_WRITE},
	{Name: "CAP_AUDIT_CONTROL", Value: CAP_AUDIT_CONTROL}, {Name: "CAP_SETFCAP", Value: CAP_SETFCAP},
	{Name: "CAP_MAC_OVERRIDE", Value: CAP_MAC_OVERRIDE}, {Name: "CAP_MAC_ADMIN", Value: CAP_MAC_ADMIN},
	{Name: "CAP_SYSLOG", Value: CAP_SYSLOG}, {Name: "CAP_WAKE_ALARM", Value: CAP_WAKE_ALARM},
	{Name: "CAP_BLOCK_SUSPEND", Value: CAP_BLOCK_SUSPEND}, {Name: "CAP_AUDIT_READ", Value: CAP_AUDIT_READ},
	{Name: "CAP_PERFMON", Value: CAP_PERFMON}, {Name: "CAP_BPF", Value: CAP_BPF},
	{Name: "CAP_CHECKPOINT_RESTORE", Value: CAP_CHECKPOINT_RESTORE},
}, Aliases: []Const{{Name: "CAP_LAST_CAP", Value: CAP_CHECKPOINT_RESTORE}}}

// CapVersionSet is the table of capget's and capset's header versions
// ("capversion" in web/static/linux.js).
var CapVersionSet = &ConstSet{Name: "capversion", Consts: []Const{
	{Name: "_LINUX_CAPABILITY_VERSION_1", Value: LINUX_CAPABILITY_VERSION_1},
	{Name: "_LINUX_CAPABILITY_VERSION_2", Value: LINUX_CAPABILITY_VERSION_2},
	{Name: "_LINUX_CAPABILITY_VERSION_3", Value: LINUX_CAPABILITY_VERSION_3},
}}

// Socket families, types and flags (<sys/socket.h>, <bits/socket_type.h>):
// socketpair's arguments.
const (
	AF_UNIX        = 1
	AF_INET        = 2
	SOCK_STREAM    = 1
	SOCK_DGRAM     = 2
	SOCK_RAW       = 3
	SOCK_RDM       = 4
	SOCK_SEQPACKET = 5
	SOCK_CLOEXEC   = 0x80000
	SOCK_NONBLOCK  = 0x800
	// SOCK_TYPE_MASK is the type without SOCK_CLOEXEC and SOCK_NONBLOCK.
	SOCK_TYPE_MASK = 0xf
)

// SockFamilySet is the table of the address families above ("sock_family" in web/static/linux.js).
var SockFamilySet = &ConstSet{Name: "sock_family", Consts: []Const{
	{Name: "AF_UNIX", Value: AF_UNIX}, {Name: "AF_INET", Value: AF_INET},
}}

// SockTypeSet is the table of the socket types and their flags above ("sock_type" in web/static/linux.js).
var SockTypeSet = &ConstSet{Name: "sock_type", Bits: true, Field: SockKindSet, FieldMask: SOCK_TYPE_MASK, Consts: []Const{
	{Name: "SOCK_CLOEXEC", Value: SOCK_CLOEXEC}, {Name: "SOCK_NONBLOCK", Value: SOCK_NONBLOCK},
}}

// SockKindSet is the table of the socket types alone ("sock_kind" in web/static/linux.js).
var SockKindSet = &ConstSet{Name: "sock_kind", Consts: []Const{
	{Name: "SOCK_STREAM", Value: SOCK_STREAM}, {Name: "SOCK_DGRAM", Value: SOCK_DGRAM},
	{Name: "SOCK_RAW", Value: SOCK_RAW}, {Name: "SOCK_RDM", Value: SOCK_RDM}, {Name: "SOCK_SEQPACKET", Value: SOCK_SEQPACKET},
}}

// send and recv flags (MSG_*, <bits/socket.h>).
const (
	MSG_OOB          = 0x1
	MSG_PEEK         = 0x2
	MSG_DONTROUTE    = 0x4
	MSG_CTRUNC       = 0x8
	MSG_TRUNC        = 0x20
	MSG_DONTWAIT     = 0x40
	MSG_EOR          = 0x80
	MSG_WAITALL      = 0x100
	MSG_NOSIGNAL     = 0x4000
	MSG_CMSG_CLOEXEC = 0x40000000
)

// MsgSet is the table of the MSG_* flags above ("msg" in web/static/linux.js).
var MsgSet = &ConstSet{Name: "msg", Bits: true, Consts: []Const{
	{Name: "MSG_OOB", Value: MSG_OOB}, {Name: "MSG_PEEK", Value: MSG_PEEK}, {Name: "MSG_DONTROUTE", Value: MSG_DONTROUTE},
	{Name: "MSG_CTRUNC", Value: MSG_CTRUNC}, {Name: "MSG_TRUNC", Value: MSG_TRUNC}, {Name: "MSG_DONTWAIT", Value: MSG_DONTWAIT},
	{Name: "MSG_EOR", Value: MSG_EOR}, {Name: "MSG_WAITALL", Value: MSG_WAITALL}, {Name: "MSG_NOSIGNAL", Value: MSG_NOSIGNAL},
	{Name: "MSG_CMSG_CLOEXEC", Value: MSG_CMSG_CLOEXEC},
}}

// shutdown's how (SHUT_*, <sys/socket.h>).
const (
	SHUT_RD   = 0
	SHUT_WR   = 1
	SHUT_RDWR = 2
)

// ShutSet is the table of shutdown's how ("shut" in web/static/linux.js).
var ShutSet = &ConstSet{Name: "shut", Consts: []Const{
	{Name: "SHUT_RD", Value: SHUT_RD}, {Name: "SHUT_WR", Value: SHUT_WR}, {Name: "SHUT_RDWR", Value: SHUT_RDWR},
}}

// vmsplice's and splice's flags (SPLICE_F_*, <fcntl.h> with _GNU_SOURCE).
const (
	SPLICE_F_MOVE     = 0x01
	SPLICE_F_NONBLOCK = 0x02
	SPLICE_F_MORE     = 0x04
	SPLICE_F_GIFT     = 0x08
)

// SpliceSet is the table of the SPLICE_F_* flags above ("splice" in web/static/linux.js).
var SpliceSet = &ConstSet{Name: "splice", Bits: true, Consts: []Const{
	{Name: "SPLICE_F_MOVE", Value: SPLICE_F_MOVE}, {Name: "SPLICE_F_NONBLOCK", Value: SPLICE_F_NONBLOCK},
	{Name: "SPLICE_F_MORE", Value: SPLICE_F_MORE}, {Name: "SPLICE_F_GIFT", Value: SPLICE_F_GIFT},
}}

// ptrace requests (enum __ptrace_request, <sys/ptrace.h>): an enum, so
// not a ConstSet of macros; the C library's header declares them.
const (
	PTRACE_TRACEME     = 0
	PTRACE_PEEKTEXT    = 1
	PTRACE_PEEKDATA    = 2
	PTRACE_POKEDATA    = 5
	PTRACE_CONT        = 7
	PTRACE_KILL        = 8
	PTRACE_ATTACH      = 16
	PTRACE_DETACH      = 17
	PTRACE_SEIZE       = 0x4206
	PTRACE_INTERRUPT   = 0x4207
	PTRACE_PEEKSIGINFO = 0x4209
	// PTRACE_PEEKSIGINFO_SHARED is struct ptrace_peeksiginfo_args' flag.
	PTRACE_PEEKSIGINFO_SHARED = 1
)
