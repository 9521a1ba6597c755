//go:build unix

package interp

import (
	"path/filepath"
	"strings"
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
	files, err := filepath.Glob("testdata/ns/*.c")
	require.NoError(t, err)
	for _, src := range files {
		t.Run(filepath.Base(src), func(t *testing.T) {
			dir, bin, out, err := nobodyBuild(t, "ns-", src)
			require.NoError(t, err, "%s", out)
			cmd := nobodyCommand(bin, dir)
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
