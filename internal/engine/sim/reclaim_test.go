package sim

import (
	"bytes"
	"testing"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReclaim(t *testing.T) {
	const ram = 1 << 20 // 256 frames
	tests := []struct {
		name  string
		run   func(h *harness)
		check func(t *testing.T, h *harness, c engine.Counters)
	}{
		{"anonymous pages go to swap and come back intact", func(h *harness) {
			a := h.mmap(0, 2<<20, rw, ap, -1, 0)
			for i := uint64(0); i < 512; i++ {
				h.store(h.pid, a+i*pg, []byte{byte(i), byte(i >> 8)})
			}
			for i := uint64(0); i < 512; i++ {
				require.Equal(h.t, []byte{byte(i), byte(i >> 8)}, h.load(h.pid, a+i*pg, 2), "page %d", i)
			}
		}, func(t *testing.T, h *harness, c engine.Counters) {
			assert.NotZero(t, c.SwapOuts)
			assert.NotZero(t, c.SwapIns)
			assert.Equal(t, c.SwapIns, c.MajorFaults)
			assert.NotEmpty(t, h.rec.ofType(engine.EvReclaim))
		}},
		{"clean file pages are dropped and read again", func(h *harness) {
			data := make([]byte, 2<<20)
			for i := range data {
				data[i] = byte(i / pg)
			}
			fd := h.file("big", data)
			a := h.mmap(0, 2<<20, engine.PROT_READ, engine.MAP_SHARED, fd, 0)
			for pass := 0; pass < 2; pass++ {
				for i := uint64(0); i < 512; i++ {
					require.Equal(h.t, []byte{byte(i)}, h.load(h.pid, a+i*pg, 1))
				}
			}
		}, func(t *testing.T, h *harness, c engine.Counters) {
			assert.Zero(t, c.SwapOuts)
			assert.Greater(t, c.DiskReads, uint64(512), "the second pass reads evicted pages again")
			assert.Less(t, c.MajorFaults, c.DiskReads, "read-around reads 32 pages a major fault")
			assert.NotZero(t, c.PagesReclaimed)
		}},
		{"dirty file pages are written back before they go", func(h *harness) {
			fd := h.file("big", make([]byte, 2<<20))
			a := h.mmap(0, 2<<20, rw, engine.MAP_SHARED, fd, 0)
			for i := uint64(0); i < 512; i++ {
				h.store(h.pid, a+i*pg, []byte{1})
			}
		}, func(t *testing.T, h *harness, c engine.Counters) {
			assert.NotZero(t, c.DiskWrites)
			disk, err := h.e.ReadFile("big")
			require.NoError(t, err)
			assert.Equal(t, byte(1), disk[0], "the first page reached the disk when it was reclaimed")
		}},
		{"mlocked pages stay", func(h *harness) {
			a := h.mmap(0, 64*pg, rw, ap|engine.MAP_LOCKED, -1, 0)
			b := h.mmap(0, 2<<20, rw, ap, -1, 0)
			for i := uint64(0); i < 512; i++ {
				h.store(h.pid, b+i*pg, []byte{1})
			}
			for _, pi := range h.e.Pages(h.pid, a, a+64*pg) {
				assert.Equal(h.t, engine.PageLocked, pi.State)
			}
		}, func(t *testing.T, h *harness, c engine.Counters) {
			assert.NotZero(t, c.SwapOuts)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, engine.Options{RAM: ram})
			tt.run(h)
			tt.check(t, h, h.e.State().Counters)
			assert.LessOrEqual(t, h.e.mem.used, h.e.mem.total)
		})
	}
}

func TestReclaimOutOfMemory(t *testing.T) {
	h := newHarness(t, engine.Options{RAM: 1 << 20, Swap: 1 << 20})
	a := h.mmap(0, 4<<20, rw, ap, -1, 0)
	var err error
	for i := uint64(0); i < 1024 && err == nil; i++ {
		err = h.e.Store(h.pid, a+i*pg, []byte{1})
	}
	require.Error(t, err)
	assert.Equal(t, engine.SIGKILL, err.(*engine.Signal).Signo)
}

func TestMadvisePageoutFile(t *testing.T) {
	h := newHarness(t, engine.Options{})
	fd := h.file("f", bytes.Repeat([]byte("a"), 2*pg))
	a := h.mmap(0, 2*pg, rw, engine.MAP_SHARED, fd, 0)
	h.store(h.pid, a, []byte("b"))
	h.ok("madvise", int64(a), 2*pg, engine.MADV_PAGEOUT)
	disk, _ := h.e.ReadFile("f")
	assert.Equal(t, byte('b'), disk[0], "a dirty page is written before it is dropped")
	h.rec.reset()
	assert.Equal(t, []byte("b"), h.load(h.pid, a, 1))
	assert.Equal(t, []engine.FaultKind{kindFileMajor}, h.rec.faults())
}

func TestShmemSwaps(t *testing.T) {
	h := newHarness(t, engine.Options{RAM: 1 << 20})
	s := h.mmap(0, 2<<20, rw, engine.MAP_SHARED|engine.MAP_ANONYMOUS, -1, 0)
	for i := uint64(0); i < 512; i++ {
		h.store(h.pid, s+i*pg, []byte{byte(i), 7})
	}
	h.rec.reset()
	for i := uint64(0); i < 512; i++ {
		require.Equal(t, []byte{byte(i), 7}, h.load(h.pid, s+i*pg, 2), "page %d", i)
	}
	c := h.e.State().Counters
	assert.NotZero(t, c.SwapOuts)
	assert.NotZero(t, c.SwapIns)
	assert.Contains(t, h.rec.faults(), kindSwap)
	h.ok("munmap", int64(s), 2<<20)
	// What swap is left is the process's own anonymous pages' (the
	// loader's, swapped out to make room).
	var own uint64
	for _, v := range h.e.Maps(h.pid) {
		for _, pi := range h.e.Pages(h.pid, v.Start, v.End) {
			if pi.State == engine.PageSwapped {
				own++
			}
		}
	}
	assert.Equal(t, own, h.e.State().Memory.SwapUsed, "the object's swap went with it")
	checkInvariants(t, h.e)
}
