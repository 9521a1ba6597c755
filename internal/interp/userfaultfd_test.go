//go:build unix

package interp

import (
	"path/filepath"
	"strings"
	"testing"

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
			assertSameAsNobody(t, "uffd-", src, "-pthread")
		})
	}
}
