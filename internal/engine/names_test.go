package engine_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/nativec"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		set  *engine.ConstSet
		v    int64
		want string
	}{
		{engine.ProtSet, 0, "PROT_NONE"},
		{engine.ProtSet, engine.PROT_READ | engine.PROT_WRITE, "PROT_READ|PROT_WRITE"},
		{engine.ProtSet, 0x10 | engine.PROT_EXEC, "PROT_EXEC|0x10"},
		{engine.MapSet, engine.MAP_PRIVATE | engine.MAP_ANONYMOUS, "MAP_PRIVATE|MAP_ANONYMOUS"},
		{engine.MapSet, engine.MAP_SHARED_VALIDATE | engine.MAP_SYNC, "MAP_SHARED_VALIDATE|MAP_SYNC"},
		{engine.MapSet, engine.MAP_SHARED | engine.MAP_EXECUTABLE | engine.MAP_DENYWRITE, "MAP_SHARED|MAP_DENYWRITE|MAP_EXECUTABLE"},
		{engine.MapSet, 0, "0"},
		{engine.MapSet, 0x5, "0x5"}, // no mapping type has the value 5
		{engine.OpenSet, 0, "O_RDONLY"},
		{engine.OpenSet, engine.O_RDWR | engine.O_CREAT | engine.O_LARGEFILE, "O_RDWR|O_CREAT"},
		{engine.OpenSet, engine.O_WRONLY | engine.O_SYNC, "O_WRONLY|O_SYNC"},
		{engine.OpenSet, engine.O_RDONLY | engine.O_DSYNC, "O_RDONLY|O_DSYNC"},
		{engine.OpenSet, engine.O_RDWR | engine.O_TMPFILE, "O_RDWR|O_TMPFILE"},
		{engine.MsyncSet, 0, "0"},
		{engine.MsyncSet, engine.MS_SYNC | engine.MS_INVALIDATE, "MS_INVALIDATE|MS_SYNC"},
		{engine.MadvSet, engine.MADV_PAGEOUT, "MADV_PAGEOUT"},
		{engine.MadvSet, 99, "99"},
		{engine.DirfdSet, engine.AT_FDCWD, "AT_FDCWD"},
		{engine.SeekSet, engine.SEEK_HOLE, "SEEK_HOLE"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.set.Format(tt.v))
		})
	}
}

func TestSyscallNames(t *testing.T) {
	for _, tt := range []struct {
		name string
		nr   engine.Sysno
		ok   bool
	}{
		{"read", 0, true}, {"mmap", 9, true}, {"madvise", 28, true}, {"mlock2", 325, true},
		{"pread", engine.SYS_pread64, true}, {"waitpid", engine.SYS_wait4, true},
		{"exit_group", 231, true}, {"process_mrelease", 448, true},
		{"mmap2", -1, false}, {"", -1, false}, {"sleep", -1, false},
	} {
		nr, ok := engine.SyscallByName(tt.name)
		assert.Equal(t, tt.ok, ok, tt.name)
		assert.Equal(t, tt.nr, nr, tt.name)
	}
	assert.Equal(t, "mmap", engine.SYS_mmap.String())
	assert.Equal(t, "syscall_9999", engine.Sysno(9999).String())
	// Every format names a set or a known way.
	for name, f := range engine.SyscallFormats() {
		_, ok := engine.SyscallByName(name)
		assert.True(t, ok, name)
		for _, how := range f.Args {
			if how != "" && how != engine.ArgPtr && how != engine.ArgOctal {
				assert.NotNil(t, engine.ConstSetByName(how), "%s: %s", name, how)
			}
		}
	}
}

// TestNamesAreGlibcs holds the table to the host's C library: every name
// has the value gcc gives it, every strsignal text is glibc's, every system
// call number is <sys/syscall.h>'s.
func TestNamesAreGlibcs(t *testing.T) {
	if !nativec.HaveGCC() {
		t.Skip("gcc is not installed")
	}
	var src strings.Builder
	src.WriteString(`#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/mman.h>
#include <linux/futex.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/prctl.h>
#include <linux/membarrier.h>
#include <linux/mempolicy.h>
#include <linux/userfaultfd.h>
#include <linux/close_range.h>
#include <linux/sched.h>
#include <linux/capability.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/random.h>
#include <sys/time.h>
int main(void) {
`)
	want := map[string]string{}
	// <linux/membarrier.h>'s commands are an enum, which #ifdef cannot
	// see: they are probed as they are (the one newer than the header,
	// GET_REGISTRATIONS, with #ifdef, and so undefined).
	// So are <linux/mempolicy.h>'s modes (its flags are macros); 6.9's
	// MPOL_WEIGHTED_INTERLEAVE is newer than the header.
	enum := func(name string) bool {
		for _, c := range engine.MpolSet.Consts {
			if c.Name == name {
				return name != "MPOL_WEIGHTED_INTERLEAVE"
			}
		}
		return strings.HasPrefix(name, "MEMBARRIER_CMD_") && name != "MEMBARRIER_CMD_GET_REGISTRATIONS"
	}
	probe := func(name string, v int64) {
		if enum(name) {
			fmt.Fprintf(&src, "  printf(\"%[1]s %%lld\\n\", (long long)(%[1]s));\n", name)
		} else {
			fmt.Fprintf(&src, "#ifdef %[1]s\n  printf(\"%[1]s %%lld\\n\", (long long)(%[1]s));\n#else\n  printf(\"%[1]s undefined\\n\");\n#endif\n", name)
		}
		want[name] = strconv.FormatInt(v, 10)
	}
	for _, s := range engine.ConstSets() {
		for _, c := range s.Consts {
			probe(c.Name, c.Value)
			if c.Text != "" {
				fmt.Fprintf(&src, "  printf(\"strsignal(%[1]s) %%s\\n\", strsignal(%[1]s));\n", c.Name)
				want["strsignal("+c.Name+")"] = c.Text
			}
		}
		for _, c := range s.Aliases {
			probe(c.Name, c.Value)
		}
	}
	// glibc 2.36's <sys/syscall.h> numbers the calls up to Linux 6.1's
	// (set_mempolicy_home_node, 450); the later ones (and 6.11's
	// uretprobe, 335) are held to the kernel's own table by the corpus's
	// TestSyscallTable.
	newer := map[string]bool{}
	for _, nr := range engine.Syscalls() {
		probe("SYS_"+nr.String(), int64(nr))
		if nr > engine.SYS_set_mempolicy_home_node || nr == engine.SYS_uretprobe {
			newer["SYS_"+nr.String()] = true
		}
	}
	// Names past this host's headers (linux-libc-dev 6.1), with the Linux
	// version that added them; linux-source-6.12's include/uapi gives the
	// values the table has.
	for _, name := range []string{
		"MPOL_WEIGHTED_INTERLEAVE",                                                     // 6.9
		"MAP_DROPPABLE",                                                                // 6.11
		"PR_SET_MDWE", "PR_GET_MDWE", "PR_MDWE_REFUSE_EXEC_GAIN", "PR_MDWE_NO_INHERIT", // 6.3
		"MEMBARRIER_CMD_GET_REGISTRATIONS",                          // 6.3
		"PR_GET_AUXV", "PR_SET_MEMORY_MERGE", "PR_GET_MEMORY_MERGE", // 6.4
		"F_DUPFD_QUERY", "F_CREATED_QUERY", // fcntl's queries of 6.10 and 6.12
		"F_SEAL_EXEC", "MFD_NOEXEC_SEAL", "MFD_EXEC", // 6.3
	} {
		newer[name] = true
	}
	for _, e := range engine.Errnos() {
		probe(e.Name(), int64(e))
		fmt.Fprintf(&src, "  printf(\"strerror(%[1]s) %%s\\n\", strerror(%[1]s));\n", e.Name())
		want["strerror("+e.Name()+")"] = e.Error()
	}
	src.WriteString("  return 0;\n}\n")
	bin := nativec.Build(t, src.String())
	out, err := exec.Command(bin).Output()
	require.NoError(t, err)
	got := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		name, val, _ := strings.Cut(sc.Text(), " ")
		got[name] = val
	}
	for name, v := range want {
		if newer[name] && got[name] == "undefined" {
			continue
		}
		assert.Equal(t, v, got[name], name)
	}
}

// TestMinSigStkSz holds the model's AT_MINSIGSTKSZ, and glibc's sysconf
// answers made from it, to this machine (the value is its CPU's signal
// frame size: another CPU's XSAVE area differs, and so does the answer).
func TestMinSigStkSz(t *testing.T) {
	bin := nativec.Build(t, `#define _GNU_SOURCE
#include <stdio.h>
#include <sys/auxv.h>
#include <unistd.h>
int main(void) {
	printf("%lu %ld %ld\n", getauxval(AT_MINSIGSTKSZ), sysconf(_SC_MINSIGSTKSZ), sysconf(_SC_SIGSTKSZ));
	return 0;
}
`)
	out, err := exec.Command(bin).Output()
	require.NoError(t, err)
	want := fmt.Sprintf("%d %d %d\n", engine.MinSigStkSz(), engine.MinSigStkSz(), max(4*engine.MinSigStkSz(), 8192))
	assert.Equal(t, want, string(out))
}
