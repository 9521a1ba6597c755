package engine

import (
	"math/bits"
	"sort"
	"strconv"
	"strings"
)

// The one table of the ABI's names. Each constant of linux.go that a
// program may name is here once, in its family; from these sets the
// interpreter's headers define the macros, the trace writes arguments by
// name (strace's way), and the page's tables are generated
// (web/static/linux.js). Adding a constant means adding it to linux.go and to
// its set below, and nowhere else.

// Const is one named constant.
type Const struct {
	Name  string
	Value int64
	// Text is the description libc prints for it (strsignal), if any.
	Text string
}

// ConstSet is one family of constants: the values one argument takes.
type ConstSet struct {
	// Name names the set for the generated tables: "prot", "map", "madv".
	Name string
	// Bits: the values are flags or'ed together; otherwise an argument
	// takes exactly one of them.
	Bits bool
	// Field is an enumerated field inside a flags word, with its mask: the
	// mapping type of MAP_* (MAP_TYPE), the access mode of O_* (O_ACCMODE).
	Field     *ConstSet
	FieldMask int64
	// Hidden bits are left out when a value is written (O_LARGEFILE, which
	// glibc adds to every open on x86-64 and strace does not print).
	Hidden int64
	Consts []Const
	// Aliases are more names the headers define for values of the set;
	// they are never used to write a value (MAP_ANON, MAP_TYPE).
	Aliases []Const
}

// Lookup is the name of v in an enumerated set.
func (s *ConstSet) Lookup(v int64) (string, bool) {
	for _, c := range s.Consts {
		if c.Value == v {
			return c.Name, true
		}
	}
	return "", false
}

// Const is the constant named name, from Consts or Aliases.
func (s *ConstSet) Const(name string) (Const, bool) {
	for _, c := range s.Consts {
		if c.Name == name {
			return c, true
		}
	}
	for _, c := range s.Aliases {
		if c.Name == name {
			return c, true
		}
	}
	return Const{}, false
}

// Format writes v as strace does: an enumerated value by its name (or in
// decimal), flags as NAME|NAME with the unknown bits in hex, and 0 as the
// set's zero name ("PROT_NONE") or "0".
func (s *ConstSet) Format(v int64) string {
	if !s.Bits {
		if n, ok := s.Lookup(v); ok {
			return n
		}
		return strconv.FormatInt(v, 10)
	}
	var parts []string
	rest := v &^ s.Hidden
	if s.Field != nil {
		if n, ok := s.Field.Lookup(rest & s.FieldMask); ok {
			parts = append(parts, n)
			rest &^= s.FieldMask
		}
	}
	// The constants with the most bits are taken first, so O_SYNC is not
	// written O_DSYNC|0x100000; they are written in the table's order.
	var chosen []bool
	if rest != 0 {
		chosen = make([]bool, len(s.Consts))
		for _, i := range s.byBits() {
			if c := s.Consts[i].Value; c != 0 && rest&c == c {
				chosen[i] = true
				rest &^= c
			}
		}
	}
	for i, ok := range chosen {
		if ok {
			parts = append(parts, s.Consts[i].Name)
		}
	}
	if rest != 0 {
		parts = append(parts, "0x"+strconv.FormatUint(uint64(rest), 16))
	}
	if len(parts) == 0 {
		if n, ok := s.Lookup(0); ok {
			return n
		}
		return "0"
	}
	return strings.Join(parts, "|")
}

func (s *ConstSet) byBits() []int {
	idx := make([]int, len(s.Consts))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		return bits.OnesCount64(uint64(s.Consts[idx[a]].Value)) > bits.OnesCount64(uint64(s.Consts[idx[b]].Value))
	})
	return idx
}

// The sets, each in the order of its uapi header.
var (
	ProtSet = &ConstSet{Name: "prot", Bits: true, Consts: []Const{
		{Name: "PROT_NONE", Value: PROT_NONE}, {Name: "PROT_READ", Value: PROT_READ},
		{Name: "PROT_WRITE", Value: PROT_WRITE}, {Name: "PROT_EXEC", Value: PROT_EXEC},
	}}
	MapTypeSet = &ConstSet{Name: "map_type", Consts: []Const{
		{Name: "MAP_SHARED", Value: MAP_SHARED}, {Name: "MAP_PRIVATE", Value: MAP_PRIVATE},
		{Name: "MAP_SHARED_VALIDATE", Value: MAP_SHARED_VALIDATE},
	}}
	MapSet = &ConstSet{Name: "map", Bits: true, Field: MapTypeSet, FieldMask: MAP_TYPE, Consts: []Const{
		{Name: "MAP_FIXED", Value: MAP_FIXED}, {Name: "MAP_ANONYMOUS", Value: MAP_ANONYMOUS},
		{Name: "MAP_GROWSDOWN", Value: MAP_GROWSDOWN}, {Name: "MAP_DENYWRITE", Value: MAP_DENYWRITE},
		{Name: "MAP_EXECUTABLE", Value: MAP_EXECUTABLE}, {Name: "MAP_LOCKED", Value: MAP_LOCKED},
		{Name: "MAP_NORESERVE", Value: MAP_NORESERVE}, {Name: "MAP_POPULATE", Value: MAP_POPULATE},
		{Name: "MAP_NONBLOCK", Value: MAP_NONBLOCK}, {Name: "MAP_STACK", Value: MAP_STACK},
		{Name: "MAP_HUGETLB", Value: MAP_HUGETLB}, {Name: "MAP_SYNC", Value: MAP_SYNC},
		{Name: "MAP_FIXED_NOREPLACE", Value: MAP_FIXED_NOREPLACE},
	}, Aliases: []Const{{Name: "MAP_TYPE", Value: MAP_TYPE}, {Name: "MAP_ANON", Value: MAP_ANONYMOUS}}}
	MsyncSet = &ConstSet{Name: "msync", Bits: true, Consts: []Const{
		{Name: "MS_ASYNC", Value: MS_ASYNC}, {Name: "MS_INVALIDATE", Value: MS_INVALIDATE}, {Name: "MS_SYNC", Value: MS_SYNC},
	}}
	MadvSet = &ConstSet{Name: "madv", Consts: []Const{
		{Name: "MADV_NORMAL", Value: MADV_NORMAL}, {Name: "MADV_RANDOM", Value: MADV_RANDOM},
		{Name: "MADV_SEQUENTIAL", Value: MADV_SEQUENTIAL}, {Name: "MADV_WILLNEED", Value: MADV_WILLNEED},
		{Name: "MADV_DONTNEED", Value: MADV_DONTNEED}, {Name: "MADV_FREE", Value: MADV_FREE},
		{Name: "MADV_REMOVE", Value: MADV_REMOVE}, {Name: "MADV_DONTFORK", Value: MADV_DONTFORK},
		{Name: "MADV_DOFORK", Value: MADV_DOFORK},
		{Name: "MADV_COLD", Value: MADV_COLD}, {Name: "MADV_PAGEOUT", Value: MADV_PAGEOUT},
		{Name: "MADV_POPULATE_READ", Value: MADV_POPULATE_READ}, {Name: "MADV_POPULATE_WRITE", Value: MADV_POPULATE_WRITE},
	}, Aliases: []Const{
		// <sys/mman.h>'s posix_madvise values; glibc's POSIX_MADV_DONTNEED
		// is a no-op, not MADV_DONTNEED.
		{Name: "POSIX_MADV_NORMAL", Value: 0}, {Name: "POSIX_MADV_RANDOM", Value: 1},
		{Name: "POSIX_MADV_SEQUENTIAL", Value: 2}, {Name: "POSIX_MADV_WILLNEED", Value: 3},
		{Name: "POSIX_MADV_DONTNEED", Value: 4},
	}}
	MremapSet = &ConstSet{Name: "mremap", Bits: true, Consts: []Const{
		{Name: "MREMAP_MAYMOVE", Value: MREMAP_MAYMOVE}, {Name: "MREMAP_FIXED", Value: MREMAP_FIXED},
		{Name: "MREMAP_DONTUNMAP", Value: MREMAP_DONTUNMAP},
	}}
	MlockSet = &ConstSet{Name: "mlock", Bits: true, Consts: []Const{{Name: "MLOCK_ONFAULT", Value: MLOCK_ONFAULT}}}
	MclSet   = &ConstSet{Name: "mcl", Bits: true, Consts: []Const{
		{Name: "MCL_CURRENT", Value: MCL_CURRENT}, {Name: "MCL_FUTURE", Value: MCL_FUTURE}, {Name: "MCL_ONFAULT", Value: MCL_ONFAULT},
	}}
	OpenModeSet = &ConstSet{Name: "open_mode", Consts: []Const{
		{Name: "O_RDONLY", Value: O_RDONLY}, {Name: "O_WRONLY", Value: O_WRONLY},
		{Name: "O_RDWR", Value: O_RDWR}, {Name: "O_ACCMODE", Value: O_ACCMODE},
	}}
	OpenSet = &ConstSet{Name: "open", Bits: true, Field: OpenModeSet, FieldMask: O_ACCMODE, Hidden: O_LARGEFILE, Consts: []Const{
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
	DirfdSet = &ConstSet{Name: "dirfd", Consts: []Const{{Name: "AT_FDCWD", Value: AT_FDCWD}}}
	SeekSet  = &ConstSet{Name: "seek", Consts: []Const{
		{Name: "SEEK_SET", Value: SEEK_SET}, {Name: "SEEK_CUR", Value: SEEK_CUR}, {Name: "SEEK_END", Value: SEEK_END},
		{Name: "SEEK_DATA", Value: SEEK_DATA}, {Name: "SEEK_HOLE", Value: SEEK_HOLE},
	}}
	FileTypeSet = &ConstSet{Name: "file_type", Consts: []Const{
		{Name: "S_IFDIR", Value: S_IFDIR}, {Name: "S_IFCHR", Value: S_IFCHR}, {Name: "S_IFREG", Value: S_IFREG},
		{Name: "S_IFLNK", Value: S_IFLNK}, {Name: "S_IFIFO", Value: S_IFIFO}, {Name: "S_IFSOCK", Value: S_IFSOCK},
		{Name: "S_IFBLK", Value: S_IFBLK},
	}, Aliases: []Const{{Name: "S_IFMT", Value: S_IFMT}}}
	WaitSet = &ConstSet{Name: "wait", Bits: true, Consts: []Const{
		{Name: "WNOHANG", Value: WNOHANG}, {Name: "WUNTRACED", Value: WUNTRACED},
	}}
	SysconfSet = &ConstSet{Name: "sysconf", Consts: []Const{
		{Name: "_SC_PAGESIZE", Value: SC_PAGESIZE}, {Name: "_SC_NPROCESSORS_ONLN", Value: SC_NPROCESSORS_ONLN},
		{Name: "_SC_PHYS_PAGES", Value: SC_PHYS_PAGES},
	}, Aliases: []Const{{Name: "_SC_PAGE_SIZE", Value: SC_PAGESIZE}}}
	// SignalSet's texts are glibc's strsignal.
	SignalSet = &ConstSet{Name: "signal", Consts: []Const{
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
	}}
	// si_code values, one set per signal that has its own.
	SegvCodeSet = &ConstSet{Name: "segv_code", Consts: []Const{
		{Name: "SEGV_MAPERR", Value: SEGV_MAPERR}, {Name: "SEGV_ACCERR", Value: SEGV_ACCERR},
	}}
	BusCodeSet = &ConstSet{Name: "bus_code", Consts: []Const{
		{Name: "BUS_ADRALN", Value: BUS_ADRALN}, {Name: "BUS_ADRERR", Value: BUS_ADRERR}, {Name: "BUS_OBJERR", Value: BUS_OBJERR},
	}}
	FpeCodeSet = &ConstSet{Name: "fpe_code", Consts: []Const{{Name: "FPE_INTDIV", Value: FPE_INTDIV}}}
)

// ConstSets lists every set, for the headers and the generated tables.
func ConstSets() []*ConstSet {
	return []*ConstSet{ProtSet, MapTypeSet, MapSet, MsyncSet, MadvSet, MremapSet, MlockSet, MclSet,
		OpenModeSet, OpenSet, DirfdSet, SeekSet, FileTypeSet, WaitSet, SysconfSet, SignalSet,
		SegvCodeSet, BusCodeSet, FpeCodeSet}
}

// SigCodeName is the si_code's name for a signal: "SEGV_MAPERR" for
// (SIGSEGV, 1); "" when the table has none.
func SigCodeName(sig, code int) string {
	var s *ConstSet
	switch sig {
	case SIGSEGV:
		s = SegvCodeSet
	case SIGBUS:
		s = BusCodeSet
	case SIGFPE:
		s = FpeCodeSet
	default:
		return ""
	}
	n, _ := s.Lookup(int64(code))
	return n
}
