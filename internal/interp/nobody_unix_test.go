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

// assertSameAsNobody builds src with gcc (and args), runs it natively as
// an unprivileged user in an empty directory of its own that user may
// write, runs it on the model, and holds the model's output to the native
// run's line by line.
func assertSameAsNobody(t *testing.T, prefix, src string, args ...string) {
	t.Helper()
	dir, bin, out, err := nobodyBuild(t, prefix, src, args...)
	require.NoError(t, err, "%s", out)
	work := filepath.Join(dir, "work")
	require.NoError(t, os.Mkdir(work, 0o777))
	require.NoError(t, os.Chmod(work, 0o777))
	native, err := nobodyCommand(bin, work).Output()
	require.NoError(t, err)
	r := runProgram(t, readFile(t, src), nil, nil)
	require.Equal(t, 0, r.exit.Status, r.exit.Err)
	want, got := strings.Split(string(native), "\n"), strings.Split(r.stdout, "\n")
	for i := range max(len(want), len(got)) {
		w, g := "", ""
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		assert.Equal(t, w, g, "line %d", i+1)
	}
}
