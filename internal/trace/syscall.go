package trace

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

type flagName struct {
	v    int64
	name string
}

var (
	protFlags = []flagName{{engine.PROT_READ, "PROT_READ"}, {engine.PROT_WRITE, "PROT_WRITE"}, {engine.PROT_EXEC, "PROT_EXEC"}}
	mapFlags  = []flagName{
		{engine.MAP_FIXED, "MAP_FIXED"}, {engine.MAP_ANONYMOUS, "MAP_ANONYMOUS"},
		{engine.MAP_GROWSDOWN, "MAP_GROWSDOWN"}, {engine.MAP_DENYWRITE, "MAP_DENYWRITE"},
		{engine.MAP_LOCKED, "MAP_LOCKED"}, {engine.MAP_NORESERVE, "MAP_NORESERVE"},
		{engine.MAP_POPULATE, "MAP_POPULATE"}, {engine.MAP_NONBLOCK, "MAP_NONBLOCK"},
		{engine.MAP_STACK, "MAP_STACK"}, {engine.MAP_HUGETLB, "MAP_HUGETLB"},
		{engine.MAP_SYNC, "MAP_SYNC"}, {engine.MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE"},
	}
	openFlags = []flagName{
		{engine.O_CREAT, "O_CREAT"}, {engine.O_EXCL, "O_EXCL"}, {engine.O_TRUNC, "O_TRUNC"},
		{engine.O_APPEND, "O_APPEND"}, {engine.O_NONBLOCK, "O_NONBLOCK"}, {engine.O_DIRECTORY, "O_DIRECTORY"},
		{engine.O_NOFOLLOW, "O_NOFOLLOW"}, {engine.O_CLOEXEC, "O_CLOEXEC"}, {engine.O_DIRECT, "O_DIRECT"},
		{engine.O_SYNC, "O_SYNC"},
	}
	msyncFlags  = []flagName{{engine.MS_ASYNC, "MS_ASYNC"}, {engine.MS_INVALIDATE, "MS_INVALIDATE"}, {engine.MS_SYNC, "MS_SYNC"}}
	mremapFlags = []flagName{{engine.MREMAP_MAYMOVE, "MREMAP_MAYMOVE"}, {engine.MREMAP_FIXED, "MREMAP_FIXED"}, {engine.MREMAP_DONTUNMAP, "MREMAP_DONTUNMAP"}}
	madvNames   = map[int64]string{
		engine.MADV_NORMAL: "MADV_NORMAL", engine.MADV_RANDOM: "MADV_RANDOM", engine.MADV_SEQUENTIAL: "MADV_SEQUENTIAL",
		engine.MADV_WILLNEED: "MADV_WILLNEED", engine.MADV_DONTNEED: "MADV_DONTNEED", engine.MADV_FREE: "MADV_FREE",
		engine.MADV_REMOVE: "MADV_REMOVE", engine.MADV_DONTFORK: "MADV_DONTFORK", engine.MADV_DOFORK: "MADV_DOFORK",
		engine.MADV_COLD: "MADV_COLD", engine.MADV_PAGEOUT: "MADV_PAGEOUT",
		engine.MADV_POPULATE_READ: "MADV_POPULATE_READ", engine.MADV_POPULATE_WRITE: "MADV_POPULATE_WRITE",
	}
	whenceNames = map[int64]string{engine.SEEK_SET: "SEEK_SET", engine.SEEK_CUR: "SEEK_CUR", engine.SEEK_END: "SEEK_END"}
)

func flags(v int64, names []flagName, zero string) string {
	if v == 0 {
		return zero
	}
	var parts []string
	for _, f := range names {
		if v&f.v == f.v && f.v != 0 {
			parts = append(parts, f.name)
			v &^= f.v
		}
	}
	if v != 0 {
		parts = append(parts, fmt.Sprintf("%#x", v))
	}
	return strings.Join(parts, "|")
}

func mmapFlags(v int64) string {
	var typ string
	switch v & engine.MAP_TYPE {
	case engine.MAP_SHARED:
		typ = "MAP_SHARED"
	case engine.MAP_PRIVATE:
		typ = "MAP_PRIVATE"
	case engine.MAP_SHARED_VALIDATE:
		typ = "MAP_SHARED_VALIDATE"
	}
	rest := flags(v&^engine.MAP_TYPE, mapFlags, "")
	switch {
	case typ == "" && rest == "":
		return "0"
	case typ == "":
		return rest
	case rest == "":
		return typ
	}
	return typ + "|" + rest
}

func openMode(v int64) string {
	acc := [...]string{"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"}[v&engine.O_ACCMODE]
	rest := flags(v&^engine.O_ACCMODE&^engine.O_LARGEFILE, openFlags, "")
	if rest == "" {
		return acc
	}
	return acc + "|" + rest
}

func ptr(v int64) string {
	if v == 0 {
		return "NULL"
	}
	return fmt.Sprintf("%#x", uint64(v))
}

// FormatSyscall is a syscall event as strace prints the call:
// `mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7ffff7ffe000`, or
// `= -1 EACCES (Permission denied)`.
func FormatSyscall(e *engine.Event) string {
	args := make([]string, len(e.Args))
	for i, a := range e.Args {
		if a.IsStr {
			args[i] = strconv.Quote(a.Str)
		} else {
			args[i] = strconv.FormatInt(a.Int, 10)
		}
	}
	arg := func(i int, f func(int64) string) {
		if i < len(e.Args) && !e.Args[i].IsStr {
			args[i] = f(e.Args[i].Int)
		}
	}
	prot := func(v int64) string { return flags(v, protFlags, "PROT_NONE") }
	switch e.Name {
	case "mmap":
		arg(0, ptr)
		arg(2, prot)
		arg(3, mmapFlags)
	case "munmap", "mlock", "munlock", "mincore":
		arg(0, ptr)
	case "mprotect":
		arg(0, ptr)
		arg(2, prot)
	case "msync":
		arg(0, ptr)
		arg(2, func(v int64) string { return flags(v, msyncFlags, "0") })
	case "madvise":
		arg(0, ptr)
		arg(2, func(v int64) string {
			if n, ok := madvNames[v]; ok {
				return n
			}
			return strconv.FormatInt(v, 10)
		})
	case "mremap":
		arg(0, ptr)
		arg(3, func(v int64) string { return flags(v, mremapFlags, "0") })
		arg(4, ptr)
	case "open":
		arg(1, openMode)
		arg(2, func(v int64) string { return fmt.Sprintf("%#o", v) })
	case "openat":
		arg(0, func(v int64) string {
			if v == engine.AT_FDCWD {
				return "AT_FDCWD"
			}
			return strconv.FormatInt(v, 10)
		})
		arg(2, openMode)
		arg(3, func(v int64) string { return fmt.Sprintf("%#o", v) })
	case "read", "write", "pread64", "pwrite64":
		arg(1, ptr)
	case "fstat":
		arg(1, ptr)
	case "lseek":
		arg(2, func(v int64) string {
			if n, ok := whenceNames[v]; ok {
				return n
			}
			return strconv.FormatInt(v, 10)
		})
	}
	s := e.Name + "(" + strings.Join(args, ", ") + ") = "
	if e.Errno != "" {
		text := engine.ErrnoByName(e.Errno).Error()
		return s + strconv.FormatInt(e.Ret, 10) + " " + e.Errno + " (" + text + ")"
	}
	switch e.Name {
	case "mmap", "mremap", "brk":
		return s + ptr(e.Ret)
	}
	return s + strconv.FormatInt(e.Ret, 10)
}
