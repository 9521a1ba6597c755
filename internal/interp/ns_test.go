//go:build unix

package interp

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNamespaces holds the model's user and pid namespaces (unshare, the
// maps, the nsfs files and their ioctls, pid 1 of a new pid namespace and
// the ENOMEM after it) to this machine's kernel: testdata/ns/*.c built by
// gcc and run as an unprivileged user (nobody when the test runs as
// root), as the model's processes are, print what the model prints.
func TestNamespaces(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("no gcc")
	}
	files, err := filepath.Glob("testdata/ns/*.c")
	require.NoError(t, err)
	for _, src := range files {
		t.Run(filepath.Base(src), func(t *testing.T) {
			dir, err := os.MkdirTemp("", "ns-") // not t.TempDir(): nobody runs what is built here
			require.NoError(t, err)
			t.Cleanup(func() { os.RemoveAll(dir) })
			require.NoError(t, os.Chmod(dir, 0o755))
			bin := filepath.Join(dir, "prog")
			out, err := exec.Command(gcc, "-w", "-o", bin, src).CombinedOutput()
			require.NoError(t, err, "%s", out)
			cmd := exec.Command(bin)
			cmd.Dir = dir
			if os.Geteuid() == 0 {
				cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
			}
			native, err := cmd.Output()
			require.NoError(t, err)
			if userNSRefused(string(native)) {
				t.Skip("this kernel refuses an unprivileged user a user namespace (a sysctl, AppArmor or a container's seccomp profile): nothing to hold the model to")
			}
			r := runProgram(t, readFile(t, src), nil, nil)
			assert.Equal(t, string(native), r.stdout)
			assert.Equal(t, 0, r.exit.Status, r.exit.Err)
		})
	}
}

// userNSRefused reports whether the native run was refused its user
// namespaces (each program says so in the line of its first unshare or
// clone of one).
func userNSRefused(out string) bool {
	return strings.Contains(out, "unshare user: Operation not permitted") ||
		strings.Contains(out, "unshare user: No space left on device") || strings.Contains(out, "cloned: 0")
}
