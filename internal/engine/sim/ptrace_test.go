package sim

import (
	"encoding/binary"
	"strconv"
	"strings"
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

// TestTraceme holds PTRACE_TRACEME and the signal-delivery stop to this
// machine's kernel: testdata/kernel/traceme.c run as an unprivileged user,
// and the same calls on the model. Where the program's child faults (a
// store to NULL) the model is told so as the interpreter tells it
// (SignalStop); where the child runs again it does what the interpreter
// makes of ResumeSignal: none, the store again (and a stop again);
// SIGSEGV, its handler's exit(7); another signal, its default action.
func TestTraceme(t *testing.T) {
	native := runAsUser(t, "testdata/kernel/traceme.c")
	h := newHarness(t, engine.Options{})
	buf := h.mmap(0, pg, rw, ap, -1, 0)
	got := map[string]string{}
	var order []string
	put := func(name, v string) { got[name], order = v, append(order, name) }
	sys := func(pid int, name string, args ...int64) engine.Result {
		return h.e.Syscall(pid, engine.Call{Name: name, Args: args})
	}
	r := func(name string, res engine.Result) {
		v := rc(res)
		if res.Errno == 0 {
			v = strconv.FormatInt(res.Ret, 10)
		}
		put(name, v)
	}
	faulter := func(parent int, report bool) int {
		c := int(sys(parent, "fork").Ret)
		a := sys(c, "ptrace", engine.PTRACE_TRACEME, 0, 0, 0)
		b := sys(c, "ptrace", engine.PTRACE_TRACEME, 0, 0, 0)
		if report {
			r("traceme", a)
			r("traceme_again", b)
		}
		require.True(t, h.e.SignalStop(c, engine.SIGSEGV), "the traced child's fault stops it")
		return c
	}
	// run is the child's next run, as the interpreter makes it.
	run := func(c int) {
		if h.e.Stopped(c) {
			return
		}
		switch sig := h.e.ResumeSignal(c); sig {
		case 0:
			require.True(t, h.e.SignalStop(c, engine.SIGSEGV), "the store faults again")
		case engine.SIGSEGV:
			sys(c, "exit_group", 7)
		default:
			h.e.Terminate(c, 0, sig)
		}
	}
	w := func(name string, pid int, options int64) {
		h.store(h.pid, buf, make([]byte, 4))
		res := h.call("wait4", int64(pid), int64(buf), options, 0)
		require.False(t, res.Block, "%s: wait4 blocks where the kernel's returns", name)
		switch {
		case res.Errno != 0:
			put(name, rc(res))
		case res.Ret == 0:
			put(name, "none")
		case int(res.Ret) != pid:
			put(name, "pid "+strconv.FormatInt(res.Ret, 10))
		default:
			put(name, strconv.FormatUint(uint64(binary.LittleEndian.Uint32(h.load(h.pid, buf, 4))), 16))
		}
	}
	ptrace := func(name string, req int64, c int, data int64) {
		r(name, h.call("ptrace", req, int64(c), 0, data))
		run(c)
	}
	status := func(c int, label string) string {
		for _, l := range strings.Split(h.readFile("/proc/"+strconv.Itoa(c)+"/status"), "\n") {
			if v, ok := strings.CutPrefix(l, label+":\t"); ok {
				return v
			}
		}
		return "missing"
	}

	c := faulter(h.pid, true)
	w("wait_stopped", c, 0)
	w("wait_nohang_again", c, engine.WNOHANG)
	put("state", status(c, "State"))
	put("wchan", h.readFile("/proc/"+strconv.Itoa(c)+"/wchan"))
	put("tracerpid_is_parent", map[bool]string{true: "1", false: "0"}[status(c, "TracerPid") == strconv.Itoa(h.pid)])
	ptrace("cont_badsig", engine.PTRACE_CONT, c, 65)
	ptrace("cont_0", engine.PTRACE_CONT, c, 0)
	w("wait_refault", c, 0)
	ptrace("cont_segv", engine.PTRACE_CONT, c, engine.SIGSEGV)
	w("wait_handled", c, 0)

	c = faulter(h.pid, false)
	w("wait_stopped2", c, 0)
	ptrace("cont_usr1", engine.PTRACE_CONT, c, engine.SIGUSR1)
	w("wait_usr1", c, 0)

	c = faulter(h.pid, false)
	w("wait_stopped3", c, 0)
	r("kill", h.call("ptrace", engine.PTRACE_KILL, int64(c), 0, 0))
	if h.e.Dying(c) {
		h.e.Terminate(c, 0, engine.SIGKILL) // its next run ends it
	}
	w("wait_killed", c, 0)

	c = faulter(h.pid, false)
	w("wait_stopped4", c, 0)
	ptrace("detach_segv", engine.PTRACE_DETACH, c, engine.SIGSEGV)
	w("wait_detached", c, 0)

	// The middle process traces the grandchild, sees it stopped and exits.
	mid := int(h.ok("fork"))
	g := faulter(mid, false)
	require.Equal(t, engine.Errno(0), sys(mid, "wait4", int64(g), 0, 0, 0).Errno)
	sys(mid, "exit_group", 0)
	w("wait_tracer", mid, 0)
	handled := "-"
	if !h.e.Stopped(g) && h.e.ResumeSignal(g) == engine.SIGSEGV {
		handled = "7"
	}
	put("orphan_handled", handled)

	require.ElementsMatch(t, order, keys(native), "traceme.c prints what the test asks the model")
	for _, name := range order {
		assert.Equal(t, native[name], got[name], "the kernel says %s %s", name, native[name])
	}
}
