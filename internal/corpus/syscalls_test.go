//go:build linux

package corpus

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/nativec"
)

// TestSyscallTable holds package engine's system call table (sysno.go) to
// the kernel's: every row of linux-source-6.12's syscall_64.tbl has its
// number and name there, and the calls engine numbers past that table's
// last (the ones Linux 6.13-6.18 added) are made on this kernel and answer
// something other than ENOSYS, while the number after engine's last one
// answers ENOSYS: the table ends where this machine's kernel does.
func TestSyscallTable(t *testing.T) {
	tree, err := OpenTree(CacheDir())
	require.NoError(t, err)
	if tree.Linux == "" {
		t.Skipf("%s is not installed (.ci/run installs it)", LinuxSource)
	}
	calls, err := ReadSyscallTable(filepath.Join(tree.Linux, "arch/x86/entry/syscalls/syscall_64.tbl"))
	require.NoError(t, err)
	require.NotEmpty(t, calls)
	last := 0
	for _, c := range calls {
		nr, ok := engine.SyscallByName(c.Name)
		if assert.True(t, ok, "engine's table lacks %s (%d)", c.Name, c.Nr) {
			assert.Equal(t, c.Nr, int(nr), c.Name)
		}
		last = max(last, c.Nr)
	}
	inTable := map[int]bool{}
	for _, c := range calls {
		inTable[c.Nr] = true
	}
	var newer []engine.Sysno
	for _, nr := range engine.Syscalls() {
		if !inTable[int(nr)] {
			assert.Greater(t, int(nr), last, "%s (%d) is not in the kernel's table", nr, nr)
			newer = append(newer, nr)
		}
	}
	all := engine.Syscalls()
	end := all[len(all)-1] + 1
	if !nativec.HaveGCC() {
		t.Skip("gcc is not installed: the calls past the 6.12 table are not checked on this kernel")
	}
	// Each call is made with arguments no call accepts as a request to do
	// something (-1 and NULLs), so the answer is an error; ENOSYS means
	// the kernel has no such call.
	var src strings.Builder
	src.WriteString("#include <errno.h>\n#include <stdio.h>\n#include <unistd.h>\nint main(void) {\n")
	for _, nr := range append(newer, end) {
		fmt.Fprintf(&src, "  errno = 0; syscall(%d, -1L, 0L, 0L, 0L, 0L, 0L); printf(\"%d %%d\\n\", errno == ENOSYS);\n", nr, nr)
	}
	src.WriteString("  return 0;\n}\n")
	out, err := exec.Command(nativec.Build(t, src.String())).Output()
	require.NoError(t, err)
	enosys := map[int]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		nr, v, _ := strings.Cut(sc.Text(), " ")
		n, _ := strconv.Atoi(nr)
		enosys[n] = v == "1"
	}
	for _, nr := range newer {
		assert.False(t, enosys[int(nr)], "%s (%d): this kernel answers ENOSYS", nr, nr)
	}
	assert.True(t, enosys[int(end)], "this kernel has a call %d, past engine's table", end)
}
