package engine

// The constants of the Linux x86-64 ABI that programs, the model and the
// interpreter's headers share. Values are those of the kernel's uapi headers
// (asm-generic/mman-common.h, asm-generic/fcntl.h, asm-generic/errno*.h,
// asm/signal.h) as glibc exposes them on x86-64.

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

// mmap flags (MAP_*).
const (
	MAP_SHARED          = 0x01
	MAP_PRIVATE         = 0x02
	MAP_SHARED_VALIDATE = 0x03
	MAP_TYPE            = 0x0f
	MAP_FIXED           = 0x10
	MAP_ANONYMOUS       = 0x20
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
)

// MapFailed is MAP_FAILED, (void *)-1.
const MapFailed = ^uint64(0)

// msync flags (MS_*).
const (
	MS_ASYNC      = 1
	MS_INVALIDATE = 2
	MS_SYNC       = 4
)

// madvise advice (MADV_*).
const (
	MADV_NORMAL         = 0
	MADV_RANDOM         = 1
	MADV_SEQUENTIAL     = 2
	MADV_WILLNEED       = 3
	MADV_DONTNEED       = 4
	MADV_FREE           = 8
	MADV_REMOVE         = 9
	MADV_DONTFORK       = 10
	MADV_DOFORK         = 11
	MADV_COLD           = 20
	MADV_PAGEOUT        = 21
	MADV_POPULATE_READ  = 22
	MADV_POPULATE_WRITE = 23
)

// mremap flags (MREMAP_*).
const (
	MREMAP_MAYMOVE   = 1
	MREMAP_FIXED     = 2
	MREMAP_DONTUNMAP = 4
)

// mlock2 / mlockall flags.
const (
	MLOCK_ONFAULT = 1
	MCL_CURRENT   = 1
	MCL_FUTURE    = 2
	MCL_ONFAULT   = 4
)

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

// AT_FDCWD is the dirfd meaning "the working directory" for openat and friends.
const AT_FDCWD = -100

// lseek whence.
const (
	SEEK_SET  = 0
	SEEK_CUR  = 1
	SEEK_END  = 2
	SEEK_DATA = 3
	SEEK_HOLE = 4
)

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

// wait options.
const (
	WNOHANG   = 1
	WUNTRACED = 2
)

// sysconf names used by programs.
const (
	SC_PAGESIZE         = 30
	SC_PHYS_PAGES       = 85
	SC_NPROCESSORS_ONLN = 84
)

// Signal numbers on x86-64.
const (
	SIGHUP  = 1
	SIGINT  = 2
	SIGQUIT = 3
	SIGILL  = 4
	SIGTRAP = 5
	SIGABRT = 6
	SIGBUS  = 7
	SIGFPE  = 8
	SIGKILL = 9
	SIGUSR1 = 10
	SIGSEGV = 11
	SIGUSR2 = 12
	SIGPIPE = 13
	SIGALRM = 14
	SIGTERM = 15
	SIGCHLD = 17
	SIGXCPU = 24
	SIGXFSZ = 25
	SIGSYS  = 31
)

// si_code values for SIGSEGV and SIGBUS.
const (
	SEGV_MAPERR = 1 // address not mapped to object
	SEGV_ACCERR = 2 // invalid permissions for mapped object
	BUS_ADRALN  = 1
	BUS_ADRERR  = 2 // nonexistent physical address: past the end of a file
	BUS_OBJERR  = 3
	FPE_INTDIV  = 1
)

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
