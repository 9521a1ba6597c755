//go:build unix

package interp

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLibcap holds libcap's API (cap_get_proc, cap_set_flag, cap_set_proc,
// cap_dup, cap_free...) to gcc's build linked with libcap, run as an
// unprivileged user (nobody when the test runs as root), as the model's
// processes are.
func TestLibcap(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("no gcc")
	}
	src := "testdata/libcap/libcap.c"
	dir, err := os.MkdirTemp("", "libcap-") // not t.TempDir(): nobody runs what is built here
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	require.NoError(t, os.Chmod(dir, 0o755))
	bin := filepath.Join(dir, "prog")
	if out, err := exec.Command(gcc, "-w", "-o", bin, src, "-lcap").CombinedOutput(); err != nil {
		t.Skipf("libcap-dev is not installed: %s", out)
	}
	cmd := exec.Command(bin)
	cmd.Dir = dir
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	native, err := cmd.Output()
	require.NoError(t, err)
	r := runProgram(t, readFile(t, src), nil, nil)
	assert.Equal(t, string(native), r.stdout)
	assert.Equal(t, 0, r.exit.Status, r.exit.Err)
}
