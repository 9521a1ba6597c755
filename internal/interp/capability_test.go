//go:build unix

package interp

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLibcap holds libcap's API (cap_get_proc, cap_set_flag, cap_set_proc,
// cap_dup, cap_free...) to gcc's build linked with libcap, run as an
// unprivileged user (nobody when the test runs as root), as the model's
// processes are.
func TestLibcap(t *testing.T) {
	src := "testdata/libcap/libcap.c"
	dir, bin, out, err := nobodyBuild(t, "libcap-", src, "-lcap")
	if err != nil {
		t.Skipf("libcap-dev is not installed: %s", out)
	}
	cmd := nobodyCommand(bin, dir)
	native, err := cmd.Output()
	require.NoError(t, err)
	r := runProgram(t, readFile(t, src), nil, nil)
	assert.Equal(t, string(native), r.stdout)
	assert.Equal(t, 0, r.exit.Status, r.exit.Err)
}
