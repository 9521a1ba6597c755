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
	SYS_mmap:     {Args: []string{ArgPtr, "", ProtSet.Name, MapSet.Name, "", ""}, RetPtr: true},
	SYS_munmap:   {Args: []string{ArgPtr}},
	SYS_mlock:    {Args: []string{ArgPtr}},
	SYS_munlock:  {Args: []string{ArgPtr}},
	SYS_mincore:  {Args: []string{ArgPtr}},
	SYS_mprotect: {Args: []string{ArgPtr, "", ProtSet.Name}},
	SYS_msync:    {Args: []string{ArgPtr, "", MsyncSet.Name}},
	SYS_madvise:  {Args: []string{ArgPtr, "", MadvSet.Name}},
	SYS_mremap:   {Args: []string{ArgPtr, "", "", MremapSet.Name, ArgPtr}, RetPtr: true},
	SYS_brk:      {RetPtr: true},
	SYS_open:     {Args: []string{"", OpenSet.Name, ArgOctal}},
	SYS_openat:   {Args: []string{DirfdSet.Name, "", OpenSet.Name, ArgOctal}},
	SYS_read:     {Args: []string{"", ArgPtr}},
	SYS_write:    {Args: []string{"", ArgPtr}},
	SYS_pread64:  {Args: []string{"", ArgPtr}},
	SYS_pwrite64: {Args: []string{"", ArgPtr}},
	SYS_fstat:    {Args: []string{"", ArgPtr}},
	SYS_lseek:    {Args: []string{"", "", SeekSet.Name}},
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
