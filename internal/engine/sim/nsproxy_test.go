package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// TestSetns holds setns to this machine's kernel as an unprivileged user
// in the initial namespaces meets it: testdata/kernel/setns.c run as
// nobody, and the same calls on the model.
func TestSetns(t *testing.T) {
	native := runAsUser(t, "testdata/kernel/setns.c")
	h := newHarness(t, engine.Options{})
	buf := h.mmap(0, pg, rw, ap, -1, 0)
	got := map[string]string{}
	var order []string
	r := func(name string, fd, nstype int64) {
		got[name], order = rc(h.call("setns", fd, nstype)), append(order, name)
	}
	mfd := h.e.Syscall(h.pid, engine.Call{Name: "memfd_create", Path: "x", Args: []int64{0, 0}}).Ret
	h.ok("pipe2", int64(buf), 0)
	r0 := int64(h.load(h.pid, buf, 1)[0])
	r("bad_fd", 99, 0)
	r("memfd", mfd, 0)
	r("memfd_flags", mfd, engine.CLONE_NEWUTS)
	r("pipe", r0, 0)
	c := h.ok("fork")
	pidfd := h.ok("pidfd_open", c, 0)
	r("pidfd_0", pidfd, 0)
	r("pidfd_bad", pidfd, 1)
	r("pidfd_uts", pidfd, engine.CLONE_NEWUTS)
	r("pidfd_user", pidfd, engine.CLONE_NEWUSER)
	r("pidfd_user_uts", pidfd, engine.CLONE_NEWUSER|engine.CLONE_NEWUTS)
	r("pidfd_mnt", pidfd, engine.CLONE_NEWNS)
	r("pidfd_pid", pidfd, engine.CLONE_NEWPID)
	r("pidfd_net", pidfd, engine.CLONE_NEWNET)
	r("pidfd_all", pidfd, engine.CLONE_NEWNS|engine.CLONE_NEWUTS|engine.CLONE_NEWIPC|engine.CLONE_NEWNET|
		engine.CLONE_NEWPID|engine.CLONE_NEWCGROUP|engine.CLONE_NEWTIME)
	self := h.ok("pidfd_open", int64(h.pid), 0)
	r("self_uts", self, engine.CLONE_NEWUTS)
	r("self_user", self, engine.CLONE_NEWUSER)
	r("self_time", self, engine.CLONE_NEWTIME)
	r("self_cgroup", self, engine.CLONE_NEWCGROUP)
	h.ok("kill", c, engine.SIGKILL)
	h.e.Terminate(int(c), 0, engine.SIGKILL) // the dying child's next run ends it
	r("zombie_uts", pidfd, engine.CLONE_NEWUTS)
	h.ok("wait4", c, 0, 0, 0)
	r("reaped_uts", pidfd, engine.CLONE_NEWUTS)
	r("reaped_bad", pidfd, 1)

	require.ElementsMatch(t, order, keys(native), "setns.c prints what the test asks the model")
	for _, name := range order {
		assert.Equal(t, native[name], got[name], "the kernel says %s %s", name, native[name])
	}
}
