package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// TestProcessMrelease holds process_mrelease's checks to this machine's
// kernel: testdata/kernel/mrelease.c run as an unprivileged user, and the
// same calls on the model.
func TestProcessMrelease(t *testing.T) {
	native := runAsUser(t, "testdata/kernel/mrelease.c")
	h := newHarness(t, engine.Options{})
	buf := h.mmap(0, pg, rw, ap, -1, 0)
	h.ok("pipe2", int64(buf), 0)
	r0 := int64(h.load(h.pid, buf, 1)[0])
	got := map[string]string{}
	var order []string
	r := func(name string, fd, flags int64) {
		got[name], order = rc(h.call("process_mrelease", fd, flags)), append(order, name)
	}
	r("bad_fd", -1, 0)
	r("not_pidfd", r0, 0)
	r("bad_fd_flags", -1, 1)
	c := h.ok("fork")
	pidfd := h.ok("pidfd_open", c, 0)
	r("flags", pidfd, 1)
	r("flags_all", pidfd, 0xffffffff)
	r("live", pidfd, 0)
	r("self", h.ok("pidfd_open", int64(h.pid), 0), 0)
	h.ok("kill", c, engine.SIGKILL)
	r("zombie", pidfd, 0)
	h.ok("wait4", c, 0, 0, 0)
	r("reaped", pidfd, 0)
	r("reaped_flags", pidfd, 1)

	require.ElementsMatch(t, order, keys(native), "mrelease.c prints what the test asks the model")
	for _, name := range order {
		assert.Equal(t, native[name], got[name], "the kernel says %s %s", name, native[name])
	}
}
