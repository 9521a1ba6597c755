package sim

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// TestDumpable holds PR_SET_DUMPABLE, PR_GET_DUMPABLE and pidfd_getfd's
// ptrace_may_access to this machine's kernel: testdata/kernel/dumpable.c
// run as an unprivileged user, and the same calls on the model.
func TestDumpable(t *testing.T) {
	native := runAsUser(t, "testdata/kernel/dumpable.c")
	h := newHarness(t, engine.Options{})
	got := map[string]string{}
	var order []string
	put := func(name string, r engine.Result) {
		v := rc(r)
		if r.Errno == 0 {
			v = strconv.FormatInt(r.Ret, 10)
		}
		got[name], order = v, append(order, name)
	}
	prctl := func(pid int, args ...int64) engine.Result {
		return h.e.Syscall(pid, engine.Call{Name: "prctl", Args: args})
	}
	getfd := func(name string, pidfd, fd int64) {
		r := h.call("pidfd_getfd", pidfd, fd, 0)
		if r.Errno == 0 {
			h.ok("close", r.Ret)
			r.Ret = 0
		}
		put(name, r)
	}
	put("get_initial", prctl(h.pid, engine.PR_GET_DUMPABLE, 0, 0, 0, 0))
	put("set_2", prctl(h.pid, engine.PR_SET_DUMPABLE, 2, 0, 0, 0))
	put("set_neg", prctl(h.pid, engine.PR_SET_DUMPABLE, -1, 0, 0, 0))
	put("set_1_args", prctl(h.pid, engine.PR_SET_DUMPABLE, 1, 5, 5, 5))
	put("set_0", prctl(h.pid, engine.PR_SET_DUMPABLE, 0, 0, 0, 0))
	put("get_0", prctl(h.pid, engine.PR_GET_DUMPABLE, 0, 0, 0, 0))
	getfd("getfd_self_undumpable", h.ok("pidfd_open", int64(h.pid), 0), 0)
	c := int(h.ok("fork"))
	pidfd := h.ok("pidfd_open", int64(c), 0)
	put("child_inherits", prctl(c, engine.PR_GET_DUMPABLE, 0, 0, 0, 0))
	getfd("getfd_child_undumpable", pidfd, 0)
	getfd("getfd_child_undumpable_badfd", pidfd, 99)
	prctl(h.pid, engine.PR_SET_DUMPABLE, 1, 0, 0, 0)
	prctl(c, engine.PR_SET_DUMPABLE, 1, 0, 0, 0)
	getfd("getfd_child_dumpable", pidfd, 0)
	getfd("getfd_child_dumpable_badfd", pidfd, 99)
	prctl(c, engine.PR_SET_DUMPABLE, 0, 0, 0, 0)
	prctl(h.pid, engine.PR_SET_DUMPABLE, 0, 0, 0, 0)
	getfd("getfd_both_undumpable", pidfd, 0)
	h.e.Syscall(c, engine.Call{Name: "exit_group", Args: []int64{0}})
	getfd("getfd_zombie", pidfd, 0)
	h.ok("wait4", int64(c), 0, 0, 0)
	getfd("getfd_reaped", pidfd, 0)

	require.ElementsMatch(t, order, keys(native), "dumpable.c prints what the test asks the model")
	for _, name := range order {
		assert.Equal(t, native[name], got[name], "the kernel says %s %s", name, native[name])
	}
}
