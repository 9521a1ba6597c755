package sim

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// TestStopContinue holds job control (kill's stop and continue signals,
// what wait4 and waitid report of them, /proc/PID/status' State) to this
// machine's kernel: testdata/kernel/stop.c run as an unprivileged user,
// and the same calls on the model, each child's own calls made for it
// where the program's child makes them.
func TestStopContinue(t *testing.T) {
	native := runAsUser(t, "testdata/kernel/stop.c")
	h := newHarness(t, engine.Options{})
	buf := h.mmap(0, pg, rw, ap, -1, 0)
	got := map[string]string{}
	var order []string
	put := func(name, v string) { got[name], order = v, append(order, name) }
	sys := func(pid int, name string, args ...int64) engine.Result {
		return h.e.Syscall(pid, engine.Call{Name: name, Args: args})
	}
	child := func(self bool) int {
		pid := int(h.ok("fork"))
		if self {
			require.Zero(t, sys(pid, "kill", int64(pid), engine.SIGSTOP).Errno)
		}
		return pid
	}
	kill := func(pid, sig int) {
		require.Zero(t, h.call("kill", int64(pid), int64(sig)).Errno)
		if h.e.Dying(pid) {
			h.e.Terminate(pid, 0, sig) // its next run ends it, as the interpreter's scheduler does
		}
	}
	wid := func(name string, pid int, options int64) {
		h.store(h.pid, buf, make([]byte, 128))
		r := h.call("waitid", engine.P_PID, int64(pid), int64(buf), options)
		require.False(t, r.Block, "%s: waitid blocks where the kernel's returns", name)
		if r.Errno != 0 {
			put(name, rc(r))
			return
		}
		si := h.load(h.pid, buf, 128)
		le := binary.LittleEndian
		if le.Uint32(si[16:]) == 0 {
			put(name, "none")
			return
		}
		match := "other"
		if int(le.Uint32(si[16:])) == pid {
			match = "pid"
		}
		put(name, fmt.Sprintf("%d:%d:%s:%d", int32(le.Uint32(si[8:])), int32(le.Uint32(si[24:])), match, le.Uint32(si[0:])))
	}
	w4 := func(name string, pid int, options int64) {
		h.store(h.pid, buf, make([]byte, 4))
		r := h.call("wait4", int64(pid), int64(buf), options, 0)
		require.False(t, r.Block, "%s: wait4 blocks where the kernel's returns", name)
		switch {
		case r.Errno != 0:
			put(name, rc(r))
		case r.Ret == 0:
			put(name, "none")
		default:
			match := "other"
			if int(r.Ret) == pid {
				match = "pid"
			}
			put(name, strconv.FormatUint(uint64(binary.LittleEndian.Uint32(h.load(h.pid, buf, 4))), 16)+":"+match)
		}
	}
	state := func(name string, pid int) {
		for _, l := range strings.Split(h.readFile("/proc/"+strconv.Itoa(pid)+"/status"), "\n") {
			if v, ok := strings.CutPrefix(l, "State:\t"); ok {
				put(name, v)
			}
		}
	}

	a := child(true)
	wid("self_stop_nowait", a, engine.WSTOPPED|engine.WNOWAIT)
	state("self_stop_state", a)
	w4("self_stop_wait4", a, engine.WUNTRACED)
	w4("self_stop_wait4_again", a, engine.WUNTRACED|engine.WNOHANG)
	wid("self_stop_waitid_again", a, engine.WSTOPPED|engine.WNOHANG)
	wid("self_stop_not_continued", a, engine.WCONTINUED|engine.WNOHANG)
	w4("self_stop_exited_only", a, engine.WNOHANG)
	kill(a, engine.SIGSTOP)
	wid("self_stop_stopped_again", a, engine.WSTOPPED|engine.WNOHANG)
	kill(a, engine.SIGCONT)
	wid("self_stop_continued", a, engine.WCONTINUED)
	wid("self_stop_continued_again", a, engine.WCONTINUED|engine.WNOHANG)
	sys(a, "exit_group", 3)
	w4("self_stop_exit", a, 0)

	b := child(false)
	kill(b, engine.SIGTSTP)
	wid("tstp", b, engine.WSTOPPED)
	state("tstp_state", b)
	kill(b, engine.SIGCONT)
	w4("tstp_wait4_continued", b, engine.WCONTINUED)
	w4("tstp_wait4_continued_again", b, engine.WCONTINUED|engine.WNOHANG)
	kill(b, engine.SIGCONT)
	w4("cont_running", b, engine.WCONTINUED|engine.WNOHANG)
	kill(b, engine.SIGKILL)
	w4("tstp_killed", b, 0)

	c := child(false)
	kill(c, engine.SIGSTOP)
	wid("term_stop", c, engine.WSTOPPED|engine.WNOWAIT)
	kill(c, engine.SIGTERM)
	w4("term_pending", c, engine.WNOHANG)
	state("term_pending_state", c)
	kill(c, engine.SIGCONT)
	w4("term_after_cont", c, 0)

	d := child(false)
	kill(d, engine.SIGSTOP)
	wid("both_stop", d, engine.WSTOPPED|engine.WNOWAIT)
	kill(d, engine.SIGCONT)
	wid("both_stop_gone", d, engine.WSTOPPED|engine.WNOHANG)
	wid("both_continued", d, engine.WCONTINUED|engine.WNOHANG|engine.WNOWAIT)
	wid("both_continued_kept", d, engine.WCONTINUED|engine.WNOHANG)
	wid("both_continued_taken", d, engine.WCONTINUED|engine.WNOHANG)
	kill(d, engine.SIGKILL)
	wid("both_killed", d, engine.WEXITED)

	f := child(false)
	w4("wait4_wexited", f, engine.WEXITED|engine.WNOHANG)
	w4("wait4_wnowait", f, engine.WNOWAIT|engine.WNOHANG)
	w4("wait4_bad", f, 0x10000|engine.WNOHANG)
	wid("waitid_no_kind", f, engine.WNOHANG)
	pidfd := h.ok("pidfd_open", int64(f), engine.O_NONBLOCK)
	h.store(h.pid, buf, []byte{0: 0, 16: 1, 127: 0})
	put("pidfd_nonblock", rc(h.call("waitid", engine.P_PIDFD, pidfd, int64(buf), engine.WEXITED)))
	put("pidfd_nonblock_info", strconv.Itoa(int(binary.LittleEndian.Uint32(h.load(h.pid, buf+16, 4)))))
	put("pidfd_nonblock_wnohang", rc(h.call("waitid", engine.P_PIDFD, pidfd, int64(buf), engine.WEXITED|engine.WNOHANG)))
	kill(f, engine.SIGKILL)
	w4("f_killed", f, 0)

	require.ElementsMatch(t, order, keys(native), "stop.c prints what the test asks the model")
	for _, name := range order {
		assert.Equal(t, native[name], got[name], "the kernel says %s %s", name, native[name])
	}

	// The interpreter asks Stopped before it runs a process's threads.
	g := child(true)
	assert.True(t, h.e.Stopped(g))
	kill(g, engine.SIGCONT)
	assert.False(t, h.e.Stopped(g))
}
