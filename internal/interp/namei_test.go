//go:build unix

package interp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNameiAsUser holds the model's file system (directories, symbolic
// links, modes and the access they give, mknod, getdents64 through
// opendir and readdir) to this machine's kernel: testdata/namei/namei.c
// run natively as an unprivileged user in an empty directory of its own,
// and on the model, print the same lines.
func TestNameiAsUser(t *testing.T) {
	src := "testdata/namei/namei.c"
	dir, bin, out, err := nobodyBuild(t, "namei-", src)
	require.NoError(t, err, "%s", out)
	work := filepath.Join(dir, "work")
	require.NoError(t, os.Mkdir(work, 0o777))
	require.NoError(t, os.Chmod(work, 0o777))
	cmd := nobodyCommand(bin, work)
	native, err := cmd.Output()
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
