package sim

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// TestPrlimit64 holds prlimit64 to do_prlimit's checks, in the kernel's
// order, as an unprivileged user meets them.
func TestPrlimit64(t *testing.T) {
	inf := int64(-1)
	tests := []struct {
		desc             string
		resource         int64
		cur, max         int64 // the new limit; no new limit when both are 0
		errno            engine.Errno
		wantCur, wantMax int64 // what a get reads afterwards
	}{
		{desc: "get stack", resource: engine.RLIMIT_STACK, wantCur: 8 << 20, wantMax: inf},
		{desc: "get memlock", resource: engine.RLIMIT_MEMLOCK, wantCur: 8 << 20, wantMax: 8 << 20},
		{desc: "lower both", resource: engine.RLIMIT_MEMLOCK, cur: 4096, max: 8192, wantCur: 4096, wantMax: 8192},
		{desc: "soft above hard", resource: engine.RLIMIT_MEMLOCK, cur: 8193, max: 8192, errno: engine.EINVAL, wantCur: 4096, wantMax: 8192},
		{desc: "raise the hard limit", resource: engine.RLIMIT_MEMLOCK, cur: 4096, max: 8193, errno: engine.EPERM, wantCur: 4096, wantMax: 8192},
		{desc: "nofile past nr_open", resource: engine.RLIMIT_NOFILE, cur: 1, max: nrOpen + 1, errno: engine.EPERM, wantCur: 20000, wantMax: 20000},
		{desc: "no such resource", resource: engine.RLIMIT_NLIMITS, errno: engine.EINVAL},
		{desc: "a negative resource is a large unsigned one", resource: -1, errno: engine.EINVAL},
	}
	h := newHarness(t, engine.Options{})
	buf := h.mmap(0, pg, rw, ap, -1, 0)
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			newp := int64(0)
			if tc.cur != 0 || tc.max != 0 {
				var b [16]byte
				binary.LittleEndian.PutUint64(b[:8], uint64(tc.cur))
				binary.LittleEndian.PutUint64(b[8:], uint64(tc.max))
				h.store(h.pid, buf, b[:])
				newp = int64(buf)
			}
			r := h.call("prlimit64", 0, tc.resource, newp, 0)
			assert.Equal(t, tc.errno, r.Errno)
			if tc.errno == engine.EINVAL && tc.wantCur == 0 {
				return
			}
			require.Zero(t, h.call("getrlimit", tc.resource, int64(buf)+16).Errno)
			got := h.load(h.pid, buf+16, 16)
			assert.Equal(t, tc.wantCur, int64(binary.LittleEndian.Uint64(got[:8])), "cur")
			assert.Equal(t, tc.wantMax, int64(binary.LittleEndian.Uint64(got[8:])), "max")
		})
	}
	assert.Equal(t, engine.EFAULT, h.call("prlimit64", 0, engine.RLIMIT_CORE, 8, 0).Errno, "an unreadable new limit")
	assert.Equal(t, engine.ESRCH, h.call("prlimit64", 99999, engine.RLIMIT_CORE, 0, int64(buf)).Errno)

	child := int(h.ok("fork"))
	r := h.e.Syscall(child, engine.Call{Name: "getrlimit", Args: []int64{engine.RLIMIT_MEMLOCK, int64(buf)}})
	require.Zero(t, r.Errno)
	got := h.load(child, buf, 16)
	assert.Equal(t, int64(4096), int64(binary.LittleEndian.Uint64(got[:8])), "fork copies the limits")
	// RLIMIT_NPROC is the kernel's from the RAM: a sixty-fourth of its pages.
	require.Zero(t, h.call("getrlimit", engine.RLIMIT_NPROC, int64(buf)).Errno)
	assert.Equal(t, h.e.mem.total/64, binary.LittleEndian.Uint64(h.load(h.pid, buf, 8)))
}
