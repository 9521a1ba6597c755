package interp

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// glibcHeaders are the headers the probe of TestHeaderMacrosAreGlibcs
// includes: glibc 2.36's and Debian 12's Linux 6.1 user-space headers
// that define what the library's tables (libheaders.go, libuapi.go,
// math.go) name. (<sys/mount.h> and <linux/fs.h> conflict in glibc 2.36;
// the probe takes <sys/mount.h>.)
var glibcHeaders = []string{
	"errno.h", "fcntl.h", "signal.h", "stdio.h", "stdlib.h", "string.h", "unistd.h", "limits.h", "stdint.h",
	"inttypes.h", "math.h", "time.h", "pthread.h", "float.h", "sched.h", "dlfcn.h", "malloc.h", "poll.h", "dirent.h",
	"sys/mman.h", "sys/stat.h", "sys/wait.h", "sys/resource.h", "sys/prctl.h", "sys/socket.h", "sys/mount.h",
	"sys/epoll.h", "sys/ipc.h", "sys/shm.h", "sys/sem.h", "sys/ptrace.h", "sys/auxv.h", "sys/param.h", "sys/utsname.h",
	"sys/statvfs.h", "elf.h", "link.h", "asm/processor-flags.h", "linux/magic.h", "sys/eventfd.h", "sys/sysmacros.h", "linux/falloc.h", "linux/kcmp.h", "linux/futex.h",
	"linux/mempolicy.h", "linux/close_range.h", "linux/membarrier.h", "linux/userfaultfd.h", "linux/sched.h",
	"linux/memfd.h", "linux/mman.h", "mcheck.h", "linux/capability.h",
}

// newerThanHostHeaders are the table's names that Debian 12's headers (glibc
// 2.36, linux-libc-dev 6.1) do not define yet: Linux's later user-space
// API, with the value of linux-source-6.12's include/uapi (and 6.18's for
// the last ones), checked by hand there.
var newerThanHostHeaders = map[string]bool{
	"PR_SET_MDWE": true, "PR_GET_MDWE": true, "PR_MDWE_REFUSE_EXEC_GAIN": true, "PR_MDWE_NO_INHERIT": true, // 6.3
	"PR_GET_AUXV": true, "PR_SET_MEMORY_MERGE": true, "PR_GET_MEMORY_MERGE": true, // 6.4
	"MAP_DROPPABLE":               true, // 6.11
	"MPOL_WEIGHTED_INTERLEAVE":    true, // 6.9
	"UFFD_FEATURE_WP_UNPOPULATED": true, "UFFD_FEATURE_POISON": true, "UFFD_FEATURE_WP_ASYNC": true,
	"UFFD_FEATURE_MOVE": true, "_UFFDIO_MOVE": true, "_UFFDIO_POISON": true, "UFFDIO_MOVE": true, "UFFDIO_POISON": true,
	"UFFDIO_CONTINUE_MODE_WP": true, "UFFDIO_POISON_MODE_DONTWAKE": true, "UFFDIO_MOVE_MODE_DONTWAKE": true,
	"UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES": true,
	"MFD_HUGE_16KB":                    true, // 6.9
	"PAGEMAP_SCAN":                     true, "PAGE_IS_WPALLOWED": true, "PAGE_IS_WRITTEN": true, "PAGE_IS_FILE": true,
	"PAGE_IS_PRESENT": true, "PAGE_IS_SWAPPED": true, "PAGE_IS_PFNZERO": true, "PAGE_IS_HUGE": true,
	"PAGE_IS_SOFT_DIRTY": true, "PM_SCAN_WP_MATCHING": true, "PM_SCAN_CHECK_WPASYNC": true,
	"FICLONE": true, "FS_IOC_GETFLAGS": true, // <linux/fs.h>, which the probe leaves out
	"MFD_NOEXEC_SEAL": true, "MFD_EXEC": true, // 6.3
	"BCACHEFS_SUPER_MAGIC": true, // 6.7
	"PID_FS_MAGIC":         true, // 6.9
	"PAGE_IS_GUARD":        true, // 6.14
}

// objectMacro is a macro of the tables a probe can print as a number: an
// object-like macro whose value is an integer expression.
var objectMacro = regexp.MustCompile(`^([A-Z_][A-Z0-9_]*) ([-+~()0-9a-fA-FxXuUL |&<>*/A-Z_]+)$`)

// notProbed are numeric macros the probe leaves out: floating values
// (their conversion to long long is undefined), and glibc's SIGSTKSZ and
// MINSIGSTKSZ, which under _GNU_SOURCE are sysconf's answers for this
// machine's CPU (its signal frame's size), not constants.
var notProbed = map[string]bool{
	"HUGE_VAL": true, "HUGE_VALF": true, "INFINITY": true, "SIGSTKSZ": true, "MINSIGSTKSZ": true,
	// libcap's enumerators (libcap-dev's <sys/capability.h>, not always
	// installed): TestLibcap holds them to a gcc build linked with -lcap.
	"CAP_EFFECTIVE": true, "CAP_PERMITTED": true, "CAP_INHERITABLE": true, "CAP_CLEAR": true, "CAP_SET": true,
}

var undeclared = regexp.MustCompile(`error: ['‘]([A-Za-z0-9_]+)['’] undeclared`)

// TestHeaderMacrosAreGlibcs holds every numeric macro of the library's
// headers that is not package engine's (TestNamesAreGlibcs holds those)
// to the value gcc gives it with the host's headers: the same
// probe, built by gcc and run by the interpreter, prints the same lines.
// A name the host's headers do not define (gcc: undeclared) must be one
// of newerThanHostHeaders.
func TestHeaderMacrosAreGlibcs(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("no gcc")
	}
	var names []string
	seen := map[string]bool{}
	for _, set := range engine.ConstSets() {
		for _, c := range append(append([]engine.Const(nil), set.Consts...), set.Aliases...) {
			seen[c.Name] = true
		}
	}
	for _, e := range engine.Errnos() {
		seen[e.Name()] = true
	}
	all := libcMacros()
	for _, h := range []string{"elf.h", "link.h", "asm/processor-flags.h", "linux/magic.h"} {
		all = append(all, headerMacros[h]...)
	}
	for _, d := range all {
		m := objectMacro.FindStringSubmatch(d)
		if m == nil || seen[m[1]] || notProbed[m[1]] || strings.HasPrefix(m[1], "_GNU_SOURCE") {
			continue
		}
		seen[m[1]] = true
		names = append(names, m[1])
	}
	sort.Strings(names)
	probe := func(skip map[string]bool) string {
		var src strings.Builder
		src.WriteString("#define _GNU_SOURCE\n")
		for _, h := range glibcHeaders {
			fmt.Fprintf(&src, "#include <%s>\n", h)
		}
		src.WriteString("int main(void) {\n")
		for _, n := range names {
			if !skip[n] {
				fmt.Fprintf(&src, "  printf(\"%[1]s %%lld\\n\", (long long)(%[1]s));\n", n)
			}
		}
		src.WriteString("  return 0;\n}\n")
		return src.String()
	}
	// The first build finds the names gcc does not know (enumerators,
	// which #ifdef cannot see, are names too).
	dir := t.TempDir()
	first := probe(nil)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "probe.c"), []byte(first), 0o644))
	cmd := exec.Command(gcc, "-std=gnu11", "-fsyntax-only", "-w", filepath.Join(dir, "probe.c"))
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, _ := cmd.CombinedOutput()
	unknown := map[string]bool{}
	for _, m := range undeclared.FindAllStringSubmatch(string(out), -1) {
		unknown[m[1]] = true
	}
	for n := range unknown {
		assert.True(t, newerThanHostHeaders[n], "%s: the host's headers do not define it (list it in newerThanHostHeaders with its version, or remove it)", n)
	}
	probed := map[string]bool{}
	for _, n := range names {
		probed[n] = true
	}
	for n := range newerThanHostHeaders {
		assert.True(t, !probed[n] || unknown[n], "%s: the host's headers define it now: take it off newerThanHostHeaders", n)
	}
	src := probe(unknown)
	native := gccOutput(t, gcc, src)
	r := runProgram(t, src, nil, nil)
	want, got := strings.Split(native, "\n"), strings.Split(r.stdout, "\n")
	assert.Equal(t, len(want), len(got))
	for i := range min(len(want), len(got)) {
		assert.Equal(t, want[i], got[i])
	}
}
