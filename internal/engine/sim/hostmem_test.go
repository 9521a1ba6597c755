package sim

import (
	"bytes"
	"testing"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHostMemoryBounded holds the engine to what a program's counts may
// cost the host: a count a program chooses (a terabyte) costs what the
// program touched, not what it asked for, and the answers are Linux's.
func TestHostMemoryBounded(t *testing.T) {
	const tb = 1 << 40
	tests := []struct {
		name string
		run  func(h *harness, buf uint64) engine.Result
		// want is the call's answer: Ret (or -1) and Errno.
		wantRet   int64
		wantErrno engine.Errno
		// maxHost bounds HostBytes after the call.
		maxHost uint64
	}{
		{"write of 1 TiB from one page: the page, then EFAULT's short write", func(h *harness, buf uint64) engine.Result {
			fd := h.open("f", engine.O_RDWR|engine.O_CREAT)
			return h.call("write", fd, int64(buf), tb)
		}, pg, 0, 4 << 20},
		{"read of 1 TiB of /dev/zero into one page: a short read", func(h *harness, buf uint64) engine.Result {
			fd := h.open("/dev/zero", engine.O_RDONLY)
			return h.call("read", fd, int64(buf), tb)
		}, pg, 0, 4 << 20},
		{"read of a 1 TiB sparse file into one page", func(h *harness, buf uint64) engine.Result {
			fd := h.open("f", engine.O_RDWR|engine.O_CREAT)
			h.ok("ftruncate", fd, tb)
			return h.call("read", fd, int64(buf), tb)
		}, pg, 0, 4 << 20},
		{"pwrite at 1 TiB and a minute's sleep: one page on disk", func(h *harness, buf uint64) engine.Result {
			fd := h.open("f", engine.O_RDWR|engine.O_CREAT)
			r := h.call("pwrite64", fd, int64(buf), 1, tb)
			h.ok("nanosleep", 60e9)
			return r
		}, 1, 0, 4 << 20},
		{"write to stdout of 1 TiB from one page: the page", func(h *harness, buf uint64) engine.Result {
			return h.call("write", 1, int64(buf), tb)
		}, pg, 0, 4 << 20},
		{"mincore over 2^47 bytes runs into the first hole", func(h *harness, buf uint64) engine.Result {
			return h.call("mincore", int64(buf), 1<<47, int64(buf))
		}, -1, engine.ENOMEM, 4 << 20},
		{"a write past ext4's largest file", func(h *harness, buf uint64) engine.Result {
			fd := h.open("f", engine.O_RDWR|engine.O_CREAT)
			return h.call("pwrite64", fd, int64(buf), 1, 17<<40)
		}, -1, engine.EFBIG, 4 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// No C library: nothing is mapped above the buffer for the copy to run into.
			h := newHarness(t, engine.Options{Libc: "none"})
			buf := h.mmap(0, pg, rw, ap, -1, 0)
			h.store(h.pid, buf, []byte("x"))
			r := tt.run(h, buf)
			assert.Equal(t, tt.wantErrno, r.Errno)
			assert.Equal(t, tt.wantRet, r.Ret)
			assert.LessOrEqual(t, h.e.HostBytes(), tt.maxHost)
		})
	}
}

// TestSparseDisk: what is on disk of a file written far out and truncated
// back reads as Linux's would.
func TestSparseDisk(t *testing.T) {
	h := newHarness(t, engine.Options{})
	buf := h.mmap(0, pg, rw, ap, -1, 0)
	h.store(h.pid, buf, bytes.Repeat([]byte("z"), pg))
	fd := h.open("f", engine.O_RDWR|engine.O_CREAT)
	h.ok("pwrite64", fd, int64(buf), pg, 3*pg)
	h.ok("pwrite64", fd, int64(buf), 10, 100)
	h.ok("fsync", fd)
	disk, err := h.e.ReadFile("f")
	require.NoError(t, err)
	want := make([]byte, 4*pg)
	copy(want[100:], bytes.Repeat([]byte("z"), 10))
	copy(want[3*pg:], bytes.Repeat([]byte("z"), pg))
	assert.Equal(t, want, disk)
	// Truncated into the last page, then grown again: the cut bytes read
	// as zeros.
	h.ok("ftruncate", fd, 3*pg+5)
	h.ok("ftruncate", fd, 4*pg)
	h.ok("fsync", fd)
	disk, err = h.e.ReadFile("f")
	require.NoError(t, err)
	clear(want[3*pg+5:])
	assert.Equal(t, want, disk)
}

// TestUniformPages: a memset page costs no block, and reads back right
// after a store makes it uneven.
func TestUniformPages(t *testing.T) {
	h := newHarness(t, engine.Options{})
	const n = 256 * pg
	a := h.mmap(0, n, rw, ap, -1, 0)
	before := h.e.HostBytes()
	h.store(h.pid, a, bytes.Repeat([]byte{7}, n))
	assert.Less(t, h.e.HostBytes()-before, uint64(n/8), "256 uniform pages")
	h.store(h.pid, a+pg+3, []byte{9})
	got := h.load(h.pid, a+pg, 8)
	assert.Equal(t, []byte{7, 7, 7, 9, 7, 7, 7, 7}, got)
	assert.Equal(t, []byte{7, 7}, h.load(h.pid, a+n-2, 2))
}

// TestLongSleeps: a sleep of a century costs what one of a second does,
// and sleeps past CLOCK_MONOTONIC's range stop the clock there.
func TestLongSleeps(t *testing.T) {
	h := newHarness(t, engine.Options{WritebackInterval: 1})
	fd := h.file("f", []byte("a"))
	a := h.mmap(0, pg, rw, engine.MAP_SHARED, fd, 0)
	h.store(h.pid, a, []byte("b"))
	h.ok("nanosleep", 4e18) // a century and more, a centisecond a wake
	disk, err := h.e.ReadFile("f")
	require.NoError(t, err)
	assert.Equal(t, byte('b'), disk[0], "the flusher ran on the way")
	for range 4 {
		h.ok("nanosleep", 1<<63-1)
	}
	assert.Equal(t, uint64(clockMax), h.e.Now())
}

// TestSparsePageTables: one byte read in each of many 1 GiB areas (as
// virtual_address_range does, 128 Ki of them) costs the host what those
// tables hold, not 4 KiB a table; the walk shows each page as the MMU
// would find it, and unmapping frees the tables and what they held.
func TestSparsePageTables(t *testing.T) {
	const (
		gib   = 1 << 30
		areas = 4096
	)
	h := newHarness(t, engine.Options{Libc: "none"})
	h.e.SetSink(nil) // thousands of areas: no recorder
	before := h.e.HostBytes()
	tablesBefore, chunksBefore := len(h.e.mem.tables), h.e.mem.tableChunks
	starts := make([]uint64, areas)
	for i := range starts {
		starts[i] = h.mmap(0, gib, rw, ap, -1, 0)
		h.load(h.pid, starts[i]+pg*uint64(i%511), 1)
	}
	tables := len(h.e.mem.tables) - tablesBefore
	assert.GreaterOrEqual(t, tables, 2*areas, "a PMD and a PTE table for each area")
	perArea := (h.e.HostBytes() - before) / areas
	assert.Less(t, perArea, uint64(1200), "host bytes an area's two tables of one entry cost")
	for i, a := range starts {
		if i%64 != 0 && i != areas-1 {
			continue // a walk counts the area's pages: a sample of them
		}
		w := h.e.Walk(h.pid, a+pg*uint64(i%511))
		require.Len(t, w.Levels, 4)
		assert.True(t, w.Levels[3].Present, "the PTE of area %d", i)
		assert.Equal(t, engine.PageZero.String(), w.State)
		assert.False(t, h.e.Walk(h.pid, a+pg*uint64(i%511+1)).Levels[3].Present)
	}
	for _, a := range starts {
		h.ok("munmap", int64(a), gib)
	}
	assert.Equal(t, tablesBefore, len(h.e.mem.tables), "free_pgtables freed them")
	assert.LessOrEqual(t, h.e.mem.tableChunks, chunksBefore+1, "and what they held (a PGD chunk may stay)")
}
