//go:build unix

package interp

import "testing"

// TestSysVShmAsUser holds the model's System V shared memory (shmget's
// checks, SHM_HUGETLB refused to an unprivileged user, the answers of
// shmat, shmdt and shmctl where no segment is) to this machine's kernel:
// testdata/sysvshm/shm.c run natively as an unprivileged user and on the
// model print the same lines.
func TestSysVShmAsUser(t *testing.T) {
	assertSameAsNobody(t, "sysvshm-", "testdata/sysvshm/shm.c")
}
