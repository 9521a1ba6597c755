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

// TestEpoll holds epoll_create1, epoll_ctl and epoll_wait (their checks,
// what is ready and in what order, EPOLLONESHOT, an item's end with its
// file) to this machine's kernel: testdata/kernel/epoll.c run as an
// unprivileged user, and the same calls on the model.
func TestEpoll(t *testing.T) {
	native := runAsUser(t, "testdata/kernel/epoll.c")
	h := newHarness(t, engine.Options{})
	buf := h.mmap(0, pg, rw, ap, -1, 0)
	evs := buf + 1024
	got := map[string]string{}
	var order []string
	r := func(name string, res engine.Result) {
		v := rc(res)
		if res.Errno == 0 {
			v = strconv.FormatInt(res.Ret, 10)
		}
		got[name], order = v, append(order, name)
	}
	const (
		add, del, mod  = 1, 2, 3
		in, out, pri   = 1, 4, 2
		exclusive      = 1 << 28
		oneshot        = 1 << 30
		epollCloexecFl = engine.O_CLOEXEC
	)
	ctl := func(ep int64, op int64, fd int64, events uint32, data uint64) engine.Result {
		b := make([]byte, 12)
		binary.LittleEndian.PutUint32(b, events)
		binary.LittleEndian.PutUint64(b[4:], data)
		h.store(h.pid, buf, b)
		return h.call("epoll_ctl", ep, op, fd, int64(buf))
	}
	wait := func(name string, ep int64, max int64) {
		res := h.call("epoll_wait", ep, int64(evs), max, 0)
		require.False(t, res.Block)
		if res.Errno != 0 {
			r(name, res)
			return
		}
		s := strconv.FormatInt(res.Ret, 10)
		b := h.load(h.pid, evs, int(res.Ret)*12)
		for i := 0; i < int(res.Ret); i++ {
			s += fmt.Sprintf(" %x:%d", binary.LittleEndian.Uint32(b[i*12:]), binary.LittleEndian.Uint64(b[i*12+4:]))
		}
		got[name], order = s, append(order, name)
	}
	file := h.open("data.bin", engine.O_RDWR|engine.O_CREAT)
	h.ok("pipe2", int64(buf), 0)
	fds := h.load(h.pid, buf, 8)
	r0, w1 := int64(binary.LittleEndian.Uint32(fds)), int64(binary.LittleEndian.Uint32(fds[4:]))
	r("create1_bad_flags", h.call("epoll_create1", 1))
	r("create_zero", h.call("epoll_create", 0))
	ep := h.ok("epoll_create1", epollCloexecFl)
	r("cloexec", h.call("fcntl", ep, engine.F_GETFD))
	r("getfl", h.call("fcntl", ep, engine.F_GETFL))
	r("add_file", ctl(ep, add, file, in, 0))
	r("add_dir", ctl(ep, add, h.open(".", engine.O_RDONLY), in, 0))
	r("add_self", ctl(ep, add, ep, in, 0))
	r("add_not_epoll", ctl(r0, add, w1, in, 0))
	r("add_badfd", ctl(ep, add, 99, in, 0))
	r("add_bad_epfd", ctl(99, add, r0, in, 0))
	r("add_fault", h.call("epoll_ctl", ep, add, r0, 8))
	r("del_fault_ignored", h.call("epoll_ctl", ep, del, r0, 8))
	r("add_exclusive_pri", ctl(ep, add, r0, exclusive|pri, 0))
	r("add", ctl(ep, add, r0, in, 7))
	r("add_again", ctl(ep, add, r0, in, 7))
	r("mod_missing", ctl(ep, mod, w1, out, 0))
	r("del_missing", ctl(ep, del, w1, 0, 0))
	r("mod_exclusive", ctl(ep, mod, r0, in|exclusive, 0))
	r("bad_op", ctl(ep, 99, r0, in, 0))
	wait("wait_none", ep, 8)
	wait("wait_max0", ep, 0)
	wait("wait_badfd", 99, 8)
	wait("wait_not_epoll", r0, 8)
	r("wait_fault", h.call("epoll_wait", ep, -4096, 8, 0))
	h.store(h.pid, buf, []byte("x"))
	h.ok("write", w1, int64(buf), 1)
	wait("wait_readable", ep, 8)
	r("add_write_end", ctl(ep, add, w1, out, 8))
	wait("wait_two", ep, 8)
	wait("wait_max1", ep, 1)
	r("mod", ctl(ep, mod, r0, out, 9))
	wait("wait_modded", ep, 8)
	efd := h.ok("eventfd2", 1, 0)
	r("add_oneshot", ctl(ep, add, efd, in|oneshot, 10))
	wait("wait_oneshot", ep, 8)
	wait("wait_oneshot_disarmed", ep, 8)
	r("del", ctl(ep, del, w1, 0, 0))
	h.store(h.pid, buf, []byte{byte(ep), 0, 0, 0, in, 0, 0, 0})
	r("poll_epoll", h.call("poll", int64(buf), 1, 0))
	got["poll_epoll_revents"], order = strconv.Itoa(int(binary.LittleEndian.Uint16(h.load(h.pid, buf+6, 2)))), append(order, "poll_epoll_revents")
	r("mod_back", ctl(ep, mod, r0, in, 11))
	wait("wait_mod_back", ep, 8)
	h.ok("close", r0)
	wait("wait_closed", ep, 8)

	require.ElementsMatch(t, order, keys(native), "epoll.c prints what the test asks the model")
	for _, name := range order {
		assert.Equal(t, native[name], got[name], "the kernel says %s %s", name, native[name])
	}
	assert.True(t, strings.HasPrefix(h.readFile("/proc/self/fdinfo/"+strconv.FormatInt(ep, 10)), "pos:\t0\nflags:\t02000002\n"))
}
