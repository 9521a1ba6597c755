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
	// The child dirties a page of its own; sent SIGKILL, it is dying
	// until it next runs, and the reaper takes its memory (natively a
	// race, so not among mrelease.c's lines): twice, as __oom_reap_task_mm
	// sets no MMF_OOM_SKIP.
	a := uint64(h.e.Syscall(int(c), engine.Call{Name: "mmap", Args: []int64{0, pg, rw, ap, -1, 0}}).Ret)
	h.store(int(c), a, []byte{1})
	h.ok("kill", c, engine.SIGKILL)
	require.True(t, h.e.Dying(int(c)))
	assert.Equal(t, "OK", rc(h.call("process_mrelease", pidfd, 0)), "dying")
	assert.Equal(t, "OK", rc(h.call("process_mrelease", pidfd, 0)), "dying, reaped before")
	assert.Zero(t, h.e.Pages(int(c), a, a+pg)[0].Bits&engine.PTEPresent, "the reaped page")
	h.e.Terminate(int(c), 0, engine.SIGKILL) // its next run: get_signal, do_exit
	r("zombie", pidfd, 0)
	h.ok("wait4", c, 0, 0, 0)
	r("reaped", pidfd, 0)
	r("reaped_flags", pidfd, 1)

	require.ElementsMatch(t, order, keys(native), "mrelease.c prints what the test asks the model")
	for _, name := range order {
		assert.Equal(t, native[name], got[name], "the kernel says %s %s", name, native[name])
	}
}
