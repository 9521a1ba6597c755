//go:build unix

package interp

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// nobodyBuild builds src with gcc (and args after it) into a directory of
// its own that the unprivileged user can reach: not t.TempDir(), whose
// parents are the test's user's alone. It skips without gcc, and returns
// gcc's output and error for the caller to judge.
func nobodyBuild(t *testing.T, prefix, src string, args ...string) (dir, bin string, out []byte, err error) {
	t.Helper()
	gcc, lerr := exec.LookPath("gcc")
	if lerr != nil {
		t.Skip("no gcc")
	}
	dir, derr := os.MkdirTemp("", prefix)
	require.NoError(t, derr)
	t.Cleanup(func() { os.RemoveAll(dir) })
	require.NoError(t, os.Chmod(dir, 0o755))
	bin = filepath.Join(dir, "prog")
	out, err = exec.Command(gcc, append([]string{"-w", "-o", bin, src}, args...)...).CombinedOutput()
	return dir, bin, out, err
}

// nobodyCommand runs bin in dir as an unprivileged user, as the model's
// processes are: nobody when the test runs as root.
func nobodyCommand(bin, dir string) *exec.Cmd {
	cmd := exec.Command(bin)
	cmd.Dir = dir
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	return cmd
}
