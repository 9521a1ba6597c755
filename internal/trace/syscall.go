package trace

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

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
	nr, _ := engine.SyscallByName(e.Name)
	f := nr.Format()
	for i, how := range f.Args {
		switch how {
		case "":
		case engine.ArgPtr:
			arg(i, ptr)
		case engine.ArgOctal:
			arg(i, func(v int64) string { return fmt.Sprintf("%#o", v) })
		default:
			arg(i, engine.ConstSetByName(how).Format)
		}
	}
	s := e.Name + "(" + strings.Join(args, ", ") + ") = "
	if e.Errno != "" {
		text := engine.ErrnoByName(e.Errno).Error()
		return s + strconv.FormatInt(e.Ret, 10) + " " + e.Errno + " (" + text + ")"
	}
	if f.RetPtr {
		return s + ptr(e.Ret)
	}
	return s + strconv.FormatInt(e.Ret, 10)
}
