//go:build unix

package interp

import "testing"

// TestNameiAsUser holds the model's file system (directories, symbolic
// links, modes and the access they give, mknod, getdents64 through
// opendir and readdir) to this machine's kernel: testdata/namei/namei.c
// run natively as an unprivileged user in an empty directory of its own,
// and on the model, print the same lines.
func TestNameiAsUser(t *testing.T) {
	assertSameAsNobody(t, "namei-", "testdata/namei/namei.c")
}
