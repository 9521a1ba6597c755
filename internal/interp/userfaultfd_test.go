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

// TestUserfaultfdAsUser holds the model's userfaultfd (its file, the
// ioctls' checks, the areas registration splits and merges, uffd-wp in
// pagemap, the faults a handler thread resolves) to this machine's
// kernel: each program of testdata/userfaultfd run natively as an
// unprivileged user (who may make only UFFD_USER_MODE_ONLY files) in an
// empty directory of its own, and on the model, prints the same lines.
func TestUserfaultfdAsUser(t *testing.T) {
	srcs, err := filepath.Glob("testdata/userfaultfd/*.c")
	require.NoError(t, err)
	require.NotEmpty(t, srcs)
	for _, src := range srcs {
		t.Run(strings.TrimSuffix(filepath.Base(src), ".c"), func(t *testing.T) {
			dir, bin, out, err := nobodyBuild(t, "uffd-", src, "-pthread")
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
		})
	}
}
