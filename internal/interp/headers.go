package interp

import (
	"fmt"
	"strings"
	"sync"

	"github.com/mmapplayground/playground/internal/engine"
)

// The built-in headers. Every value comes from package engine, so the
// programs, the model and the views agree on each constant.

var (
	libcOnce sync.Once
	libcDefs []string
)

func libcMacros() []string {
	libcOnce.Do(func() {
		d := func(name string, v int64) {
			libcDefs = append(libcDefs, fmt.Sprintf("%s %d", name, v))
		}
		h := func(name string, v uint64) {
			libcDefs = append(libcDefs, fmt.Sprintf("%s 0x%x", name, v))
		}
		for _, set := range engine.ConstSets() {
			def := d
			if set.Bits {
				def = func(name string, v int64) { h(name, uint64(v)) }
			}
			for _, c := range set.Consts {
				def(c.Name, c.Value)
			}
			for _, c := range set.Aliases {
				def(c.Name, c.Value)
				// memfd_create's hugetlb page sizes are mmap's
				// encoding (the kernel's HUGETLB_FLAG_ENCODE_*).
				if rest, ok := strings.CutPrefix(c.Name, "MAP_HUGE_"); ok {
					def("MFD_HUGE_"+rest, c.Value)
				}
			}
		}
		for _, c := range []struct {
			n string
			v int64
		}{
			{"S_IRWXU", 0o700}, {"S_IRUSR", 0o400}, {"S_IWUSR", 0o200}, {"S_IXUSR", 0o100},
			{"S_IRWXG", 0o70}, {"S_IRGRP", 0o40}, {"S_IWGRP", 0o20}, {"S_IXGRP", 0o10},
			{"S_IRWXO", 0o7}, {"S_IROTH", 0o4}, {"S_IWOTH", 0o2}, {"S_IXOTH", 0o1},
			{"STDIN_FILENO", 0}, {"STDOUT_FILENO", 1}, {"STDERR_FILENO", 2},
			{"EXIT_SUCCESS", 0}, {"EXIT_FAILURE", 1}, {"EOF", -1}, {"BUFSIZ", 8192},
			{"CHAR_BIT", 8}, {"SCHAR_MIN", -128}, {"SCHAR_MAX", 127}, {"UCHAR_MAX", 255}, {"CHAR_MIN", -128}, {"CHAR_MAX", 127},
			{"SHRT_MIN", -32768}, {"SHRT_MAX", 32767}, {"USHRT_MAX", 65535},
			{"INT_MAX", 2147483647}, {"PATH_MAX", 4096},
			{"INT8_MAX", 127}, {"INT16_MAX", 32767}, {"INT32_MAX", 2147483647}, {"UINT8_MAX", 255}, {"UINT16_MAX", 65535},
			{"true", 1}, {"false", 0}, {"__bool_true_false_are_defined", 1},
		} {
			d(c.n, c.v)
		}
		for _, e := range engine.Errnos() {
			d(e.Name(), int64(e))
		}
		libcDefs = append(libcDefs,
			"EWOULDBLOCK EAGAIN", "ENOTSUP EOPNOTSUPP",
			"NULL ((void *)0)",
			"MAP_FAILED ((void *)-1)",
			"INT_MIN (-INT_MAX - 1)", "UINT_MAX 4294967295U",
			"LONG_MAX 9223372036854775807L", "LONG_MIN (-LONG_MAX - 1L)", "ULONG_MAX 18446744073709551615UL",
			"LLONG_MAX 9223372036854775807LL", "LLONG_MIN (-LLONG_MAX - 1LL)", "ULLONG_MAX 18446744073709551615ULL",
			"INT8_MIN (-128)", "INT16_MIN (-32767-1)", "INT32_MIN (-2147483647-1)", "UINT32_MAX 4294967295U",
			"INT64_MAX 9223372036854775807L", "INT64_MIN (-INT64_MAX - 1)", "UINT64_MAX 18446744073709551615UL",
			"SIZE_MAX 18446744073709551615UL", "SSIZE_MAX 9223372036854775807L", "UINTPTR_MAX 18446744073709551615UL",
			"INTPTR_MAX 9223372036854775807L",
			"PRId8 \"d\"", "PRId16 \"d\"", "PRId32 \"d\"", "PRId64 \"ld\"", "PRIi64 \"li\"", "PRIu8 \"u\"", "PRIu16 \"u\"",
			"PRIu32 \"u\"", "PRIu64 \"lu\"", "PRIx8 \"x\"", "PRIx16 \"x\"", "PRIx32 \"x\"", "PRIx64 \"lx\"", "PRIX64 \"lX\"",
			"PRIxPTR \"lx\"", "PRIuPTR \"lu\"", "PRIdPTR \"ld\"", "PRIo64 \"lo\"",
			"UINT64_C(c) c ## UL", "INT64_C(c) c ## L", "UINT32_C(c) c ## U", "INT32_C(c) c",
			"HUGE_VAL (1e308 * 10)", "INFINITY (1e308 * 10)", "NAN (0.0 / 0.0)", "M_PI 3.14159265358979323846",
			"DBL_MAX 1.79769313486231570814527423731704357e+308", "FLT_MAX 3.40282346638528859811704183484516925e+38F",
			"DBL_EPSILON 2.22044604925031308084726333618164062e-16",
			"va_start(ap, last) ((ap) = __builtin_va_start())", "va_arg(ap, t) __builtin_va_arg(ap, t)",
			"va_end(ap) ((void)(ap))", "va_copy(d, s) ((d) = (s))",
			"RUSAGE_SELF 0", "RUSAGE_CHILDREN (-1)", "RUSAGE_THREAD 1",
			"bool _Bool", "RAND_MAX 2147483647", "CLOCK_REALTIME 0", "CLOCK_MONOTONIC 1", "CLOCKS_PER_SEC 1000000L",
			"SIG_DFL ((void (*)(int))0)", "SIG_IGN ((void (*)(int))1)", "SIG_ERR ((void (*)(int))-1)",
			"SA_SIGINFO 4", "SA_RESTART 0x10000000", "SA_NODEFER 0x40000000", "SA_RESETHAND 0x80000000", "SA_ONSTACK 0x08000000",
			"sa_handler sa_handler",
			"S_ISREG(m) (((m) & S_IFMT) == S_IFREG)", "S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)",
			"S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)", "S_ISBLK(m) (((m) & S_IFMT) == S_IFBLK)",
			"S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)", "S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)",
			"WEXITSTATUS(s) (((s) & 0xff00) >> 8)", "WTERMSIG(s) ((s) & 0x7f)",
			"WIFEXITED(s) (WTERMSIG(s) == 0)", "WIFSIGNALED(s) (((signed char) (((s) & 0x7f) + 1) >> 1) > 0)",
			"WIFSTOPPED(s) (((s) & 0xff) == 0x7f)", "WCOREDUMP(s) ((s) & 0x80)",
			"assert(e) ((e) ? (void)0 : __assert_fail(#e, __FILE__, __LINE__, __func__))",
			"offsetof(t, m) __builtin_offsetof(t, m)",
			"st_atime st_atim.tv_sec", "st_mtime st_mtim.tv_sec", "st_ctime st_ctim.tv_sec",
			"__restrict", "restrict", "__inline inline", "__extension__",
			"_GNU_SOURCE_BUILTIN 1",
		)
		libcDefs = append(libcDefs, libMacros...)  // libheaders.go
		libcDefs = append(libcDefs, mathMacros...) // math.go
	})
	return libcDefs
}

var (
	sysOnce sync.Once
	sysDefs []string
)

// syscallMacros are <sys/syscall.h>'s SYS_* and <asm/unistd.h>'s __NR_*,
// from package engine's table; defined only for a program that includes
// one of them (there are seven hundred).
func syscallMacros() []string {
	sysOnce.Do(func() {
		for _, nr := range engine.Syscalls() {
			sysDefs = append(sysDefs, fmt.Sprintf("__NR_%s %d", nr, int(nr)), fmt.Sprintf("SYS_%s %d", nr, int(nr)))
		}
	})
	return sysDefs
}
