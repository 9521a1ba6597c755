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

// TestSysVShmAsUser holds the model's System V shared memory (shmget's
// checks, SHM_HUGETLB refused to an unprivileged user, the answers of
// shmat, shmdt and shmctl where no segment is) to this machine's kernel:
// testdata/sysvshm/shm.c run natively as an unprivileged user and on the
// model print the same lines.
func TestSysVShmAsUser(t *testing.T) {
	src := "testdata/sysvshm/shm.c"
	dir, bin, out, err := nobodyBuild(t, "sysvshm-", src)
	require.NoError(t, err, "%s", out)
	work := filepath.Join(dir, "work")
	require.NoError(t, os.Mkdir(work, 0o777))
	require.NoError(t, os.Chmod(work, 0o777))
	native, err := nobodyCommand(bin, work).Output()
	require.NoError(t, err)
	r := runProgram(t, readFile(t, src), nil, nil)
	require.Equal(t, 0, r.exit.Status, r.exit.Err)
	assert.Equal(t, strings.Split(string(native), "\n"), strings.Split(r.stdout, "\n"))
}
