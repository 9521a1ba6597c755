package sim

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mmapplayground/playground/internal/engine"
)

// TestItimers holds alarm, setitimer and getitimer to what
// interp/testdata/libc_alarm.c finds natively, and their expiry to the
// clock: Expired gives a timer's signal once it is due, rearmed by its
// interval; a sleep ends at it (EINTR); fork's child has none.
func TestItimers(t *testing.T) {
	h := newHarness(t, engine.Options{})
	buf := h.mmap(0, engine.PageSize, engine.PROT_READ|engine.PROT_WRITE, engine.MAP_PRIVATE|engine.MAP_ANONYMOUS, -1, 0)
	itv := func(iv, v uint64) {
		h.store(h.pid, buf, le(iv/1e6, iv%1e6, v/1e6, v%1e6))
	}
	assert.Equal(t, int64(0), h.ok("alarm", 5))
	h.e.Stepped(1_400_000_000) // 3.6 s left: 4
	assert.Equal(t, int64(4), h.ok("alarm", 2))
	h.e.Stepped(1_999_000_000) // 1 ms left: 1
	assert.Equal(t, int64(1), h.ok("alarm", 0))
	assert.Zero(t, h.e.Expired(h.pid))

	// A 50 ms interval timer: due at 50 ms, then every 50 ms; getitimer
	// shows the interval and what is left.
	itv(50_000, 50_000)
	h.ok("setitimer", engine.ITIMER_REAL, int64(buf), 0)
	h.ok("getitimer", engine.ITIMER_REAL, int64(buf+32))
	got := h.load(h.pid, buf+32, 32)
	assert.Equal(t, []uint64{0, 50_000, 0, 50_000}, []uint64{binary.LittleEndian.Uint64(got), binary.LittleEndian.Uint64(got[8:]),
		binary.LittleEndian.Uint64(got[16:]), binary.LittleEndian.Uint64(got[24:])})
	assert.Zero(t, h.e.Expired(h.pid))
	h.e.Stepped(50_000_000)
	assert.Equal(t, engine.SIGALRM, h.e.Expired(h.pid))
	assert.Zero(t, h.e.Expired(h.pid), "rearmed for 50 ms on")
	h.e.Stepped(120_000_000) // two expiries passed: one signal
	assert.Equal(t, engine.SIGALRM, h.e.Expired(h.pid))
	assert.Zero(t, h.e.Expired(h.pid))

	// A sleep past the next expiry ends there.
	before := h.e.Now()
	r := h.call("nanosleep", 1e9)
	assert.Equal(t, engine.EINTR, r.Errno)
	assert.Less(t, h.e.Now()-before, uint64(50_000_000+costWakeup+costSyscall))
	assert.Equal(t, engine.SIGALRM, h.e.Expired(h.pid))

	// Disarmed by a NULL value; the checks' errnos.
	h.ok("setitimer", engine.ITIMER_REAL, 0, 0)
	for _, tc := range []struct {
		name     string
		which    int64
		iv, usec uint64
		want     engine.Errno
		isGet    bool
	}{
		{"which 3", 3, 0, 1000, engine.EINVAL, false},
		{"usec 1000000", engine.ITIMER_REAL, 1_000_000, 0, engine.EINVAL, false},
		{"getitimer 5", 5, 0, 0, engine.EINVAL, true},
	} {
		name := "setitimer"
		if tc.isGet {
			name = "getitimer"
		} else {
			h.store(h.pid, buf, le(uint64(0), tc.iv, uint64(0), tc.usec))
		}
		assert.Equal(t, tc.want, h.call(name, tc.which, int64(buf), 0).Errno, tc.name)
	}
	assert.Equal(t, engine.EFAULT, h.call("setitimer", engine.ITIMER_REAL, 8, 0).Errno)

	// fork's child has no timers.
	h.ok("alarm", 1)
	child := int(h.ok("fork"))
	h.e.Stepped(2e9)
	assert.Zero(t, h.e.Expired(child))
	assert.Equal(t, engine.SIGALRM, h.e.Expired(h.pid))
}
