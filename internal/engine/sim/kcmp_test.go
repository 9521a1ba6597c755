package sim

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// TestKcmp holds kcmp between a process and its forked child, and
// KCMP_EPOLL_TFD through an epoll instance, to this machine's kernel:
// testdata/kernel/kcmp.c run as an unprivileged user, and the same calls
// on the model.
func TestKcmp(t *testing.T) {
	native := runAsUser(t, "testdata/kernel/kcmp.c")
	h := newHarness(t, engine.Options{})
	buf := h.mmap(0, pg, rw, ap, -1, 0)
	h.ok("pipe2", int64(buf), 0)
	fds := h.load(h.pid, buf, 8)
	r0, w1 := int64(binary.LittleEndian.Uint32(fds)), int64(binary.LittleEndian.Uint32(fds[4:]))
	efd := h.ok("epoll_create1", 0)
	h.store(h.pid, buf, []byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}) // EPOLLIN
	h.ok("epoll_ctl", efd, 1, r0, int64(buf))
	h.ok("dup2", r0, 40)
	h.ok("epoll_ctl", efd, 1, 40, int64(buf))
	p := h.pid
	c := int(h.ok("fork"))
	sys := func(name, path string, args ...int64) engine.Result {
		return h.e.Syscall(c, engine.Call{Name: name, Path: path, Args: args})
	}
	fd := sys("open", "/dev/null", 0, engine.O_RDONLY).Ret
	got := map[string]string{}
	var order []string
	k := func(name string, a, b int, typ, i1, i2 int64) {
		r := sys("kcmp", "", int64(a), int64(b), typ, i1, i2)
		v := rc(r)
		switch {
		case r.Errno != 0:
		case r.Ret == 0:
			v = "eq"
		case r.Ret == 1 || r.Ret == 2:
			v = "ne"
		default:
			v = "bad"
		}
		got[name], order = v, append(order, name)
	}
	k("file_inherited", p, c, engine.KCMP_FILE, r0, r0)
	k("file_other", p, c, engine.KCMP_FILE, r0, w1)
	k("file_dup", c, c, engine.KCMP_FILE, r0, 40)
	k("file_own", p, c, engine.KCMP_FILE, r0, fd)
	k("file_badfd", p, c, engine.KCMP_FILE, r0, 99)
	k("files", p, c, engine.KCMP_FILES, 0, 0)
	k("vm", p, c, engine.KCMP_VM, 0, 0)
	k("vm_self", c, c, engine.KCMP_VM, 0, 0)
	k("fs", p, c, engine.KCMP_FS, 0, 0)
	k("sighand", p, c, engine.KCMP_SIGHAND, 0, 0)
	k("io", p, c, engine.KCMP_IO, 0, 0)
	k("sysvsem", p, c, engine.KCMP_SYSVSEM, 0, 0)
	k("types", p, c, engine.KCMP_TYPES, 0, 0)
	k("no_such_pid", p, 99999999, engine.KCMP_VM, 0, 0)
	slot := func(efd, tfd, toff int64) int64 {
		b := make([]byte, 12)
		binary.LittleEndian.PutUint32(b, uint32(efd))
		binary.LittleEndian.PutUint32(b[4:], uint32(tfd))
		binary.LittleEndian.PutUint32(b[8:], uint32(toff))
		require.NoError(t, h.e.Store(c, buf, b))
		return int64(buf)
	}
	k("epoll_tfd", c, p, engine.KCMP_EPOLL_TFD, r0, slot(efd, 40, 0))
	k("epoll_tfd_other", c, p, engine.KCMP_EPOLL_TFD, w1, slot(efd, 40, 0))
	k("epoll_tfd_toff", c, p, engine.KCMP_EPOLL_TFD, r0, slot(efd, 40, 1))
	k("epoll_tfd_unwatched", c, p, engine.KCMP_EPOLL_TFD, r0, slot(efd, w1, 0))
	k("epoll_not_epoll", c, p, engine.KCMP_EPOLL_TFD, r0, slot(r0, w1, 0))
	k("epoll_efd_bad", c, p, engine.KCMP_EPOLL_TFD, r0, slot(99, w1, 0))
	k("epoll_idx1_bad", c, p, engine.KCMP_EPOLL_TFD, 99, slot(99, w1, 0))
	k("epoll_slot_fault", c, p, engine.KCMP_EPOLL_TFD, r0, 8)

	require.ElementsMatch(t, order, keys(native), "kcmp.c prints what the test asks the model")
	for _, name := range order {
		assert.Equal(t, native[name], got[name], "the kernel says %s %s", name, native[name])
	}
}
