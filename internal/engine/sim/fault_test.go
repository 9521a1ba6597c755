package sim

import (
	"bytes"
	"testing"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder keeps copies of the events a sink sees.
type recorder struct{ evs []engine.Event }

func (r *recorder) sink(ev *engine.Event) {
	c := *ev
	c.Path = append([]string(nil), ev.Path...)
	r.evs = append(r.evs, c)
}

func (r *recorder) reset() { r.evs = nil }

// faults are the fault events' kinds, in order.
func (r *recorder) faults() []engine.FaultKind {
	var out []engine.FaultKind
	for _, ev := range r.evs {
		if ev.Type == engine.EvFault {
			out = append(out, ev.Kind)
		}
	}
	return out
}

func (r *recorder) ofType(t string) []engine.Event {
	var out []engine.Event
	for _, ev := range r.evs {
		if ev.Type == t {
			out = append(out, ev)
		}
	}
	return out
}

// harness is an engine with one process, a recorder, and helpers that
// fail the test on unexpected errors.
type harness struct {
	t   *testing.T
	e   *Engine
	pid int
	rec *recorder
}

func newHarness(t *testing.T, opts engine.Options) *harness {
	e, pid := newProc(t, opts)
	h := &harness{t: t, e: e, pid: pid, rec: &recorder{}}
	e.SetSink(h.rec.sink)
	return h
}

func (h *harness) call(name string, args ...int64) engine.Result {
	return h.e.Syscall(h.pid, engine.Call{Name: name, Args: args})
}

func (h *harness) ok(name string, args ...int64) int64 {
	h.t.Helper()
	r := h.call(name, args...)
	require.Equal(h.t, engine.Errno(0), r.Errno, "%s%v", name, args)
	return r.Ret
}

func (h *harness) open(path string, flags int64) int64 {
	h.t.Helper()
	r := h.e.Syscall(h.pid, engine.Call{Name: "open", Path: path, Args: []int64{0, flags, 0o644}})
	require.Equal(h.t, engine.Errno(0), r.Errno, "open %s", path)
	return r.Ret
}

func (h *harness) mmap(addr uint64, length uint64, prot, flags, fd, off int64) uint64 {
	h.t.Helper()
	return uint64(h.ok("mmap", int64(addr), int64(length), prot, flags, fd, off))
}

func (h *harness) store(pid int, a uint64, b []byte) {
	h.t.Helper()
	require.NoError(h.t, h.e.Store(pid, a, b))
}

func (h *harness) load(pid int, a uint64, n int) []byte {
	h.t.Helper()
	b := make([]byte, n)
	require.NoError(h.t, h.e.Load(pid, a, b))
	return b
}

func (h *harness) file(name string, data []byte) int64 {
	h.t.Helper()
	require.NoError(h.t, h.e.WriteFile(name, data))
	return h.open(name, engine.O_RDWR)
}

func TestFaultKinds(t *testing.T) {
	page := bytes.Repeat([]byte("f"), 8*pg)
	tests := []struct {
		name string
		opts engine.Options
		run  func(h *harness)
		want []engine.FaultKind
	}{
		{"anonymous read maps the zero page", engine.Options{}, func(h *harness) {
			a := h.mmap(0, pg, rw, ap, -1, 0)
			h.load(h.pid, a, 1)
		}, []engine.FaultKind{kindAnonZero}},
		{"anonymous write gets a frame", engine.Options{}, func(h *harness) {
			a := h.mmap(0, pg, rw, ap, -1, 0)
			h.store(h.pid, a, []byte{1})
		}, []engine.FaultKind{kindAnon}},
		{"write after read copies the zero page", engine.Options{}, func(h *harness) {
			a := h.mmap(0, pg, rw, ap, -1, 0)
			h.load(h.pid, a, 1)
			h.store(h.pid, a, []byte{1})
		}, []engine.FaultKind{kindAnonZero, kindAnon}},
		{"no zero page on pvm_no_zero_page kernels", engine.Options{NoZeroPage: true}, func(h *harness) {
			a := h.mmap(0, pg, rw, ap, -1, 0)
			h.load(h.pid, a, 1)
			h.store(h.pid, a, []byte{1})
		}, []engine.FaultKind{kindAnon}},
		{"file read not cached is major", engine.Options{}, func(h *harness) {
			fd := h.file("f", page)
			a := h.mmap(0, pg, engine.PROT_READ, engine.MAP_SHARED, fd, 0)
			h.load(h.pid, a, 1)
		}, []engine.FaultKind{kindFileMajor}},
		{"file read cached is minor", engine.Options{}, func(h *harness) {
			fd := h.file("f", page)
			buf := h.mmap(0, pg, rw, ap, -1, 0)
			h.ok("read", fd, int64(buf), 1)
			a := h.mmap(0, pg, engine.PROT_READ, engine.MAP_SHARED, fd, 0)
			h.load(h.pid, a, 1)
		}, []engine.FaultKind{kindAnon, kindFileMinor}},
		{"fault-around maps the cached neighbours", engine.Options{}, func(h *harness) {
			fd := h.file("f", page)
			buf := h.mmap(0, 8*pg, rw, ap|engine.MAP_POPULATE, -1, 0)
			h.ok("read", fd, int64(buf), 8*pg)
			a := h.mmap(0, 8*pg, engine.PROT_READ, engine.MAP_PRIVATE, fd, 0)
			for i := uint64(0); i < 8; i++ {
				h.load(h.pid, a+i*pg, 1)
			}
		}, append(repeat(kindAnon, 8), kindFileMinor)},
		{"fault-around off: a fault per page", engine.Options{FaultAround: 1}, func(h *harness) {
			fd := h.file("f", page)
			buf := h.mmap(0, 8*pg, rw, ap|engine.MAP_POPULATE, -1, 0)
			h.ok("read", fd, int64(buf), 8*pg)
			h.rec.reset()
			a := h.mmap(0, 4*pg, engine.PROT_READ, engine.MAP_PRIVATE, fd, 0)
			for i := uint64(0); i < 4; i++ {
				h.load(h.pid, a+i*pg, 1)
			}
		}, repeat(kindFileMinor, 4)},
		{"private file write copies (do_cow_fault)", engine.Options{}, func(h *harness) {
			fd := h.file("f", page)
			a := h.mmap(0, pg, rw, engine.MAP_PRIVATE, fd, 0)
			h.store(h.pid, a, []byte{1})
		}, []engine.FaultKind{kindCOW}},
		{"private file read then write copies (do_wp_page)", engine.Options{}, func(h *harness) {
			fd := h.file("f", page)
			a := h.mmap(0, pg, rw, engine.MAP_PRIVATE, fd, 0)
			h.load(h.pid, a, 1)
			h.store(h.pid, a, []byte{1})
		}, []engine.FaultKind{kindFileMajor, kindCOW}},
		{"shared file write dirties the page", engine.Options{}, func(h *harness) {
			fd := h.file("f", page)
			a := h.mmap(0, pg, rw, engine.MAP_SHARED, fd, 0)
			h.store(h.pid, a, []byte{1})
		}, []engine.FaultKind{kindSharedWrite}},
		{"shared file read then write: write notify", engine.Options{}, func(h *harness) {
			fd := h.file("f", page)
			a := h.mmap(0, pg, rw, engine.MAP_SHARED, fd, 0)
			h.load(h.pid, a, 1)
			h.store(h.pid, a, []byte{1})
			h.store(h.pid, a+1, []byte{1}) // no fault: writable and dirty now
		}, []engine.FaultKind{kindFileMajor, kindSharedWrite}},
		{"after msync the next write faults again", engine.Options{}, func(h *harness) {
			fd := h.file("f", page)
			a := h.mmap(0, pg, rw, engine.MAP_SHARED, fd, 0)
			h.store(h.pid, a, []byte{1})
			h.ok("msync", int64(a), pg, engine.MS_SYNC)
			h.store(h.pid, a, []byte{2})
		}, []engine.FaultKind{kindSharedWrite, kindSharedWrite}},
		{"COW after fork, then reuse by the last owner", engine.Options{}, func(h *harness) {
			a := h.mmap(0, pg, rw, ap, -1, 0)
			h.store(h.pid, a, []byte{1})
			child := int(h.ok("fork"))
			h.store(child, a, []byte{2})
			h.store(h.pid, a, []byte{3})
		}, []engine.FaultKind{kindAnon, kindCOW, kindWPReuse}},
		{"unmapped address is SEGV_MAPERR", engine.Options{}, func(h *harness) {
			require.Error(h.t, h.e.Load(h.pid, 0x1000, make([]byte, 1)))
		}, []engine.FaultKind{kindMapErr}},
		{"write to read-only is SEGV_ACCERR", engine.Options{}, func(h *harness) {
			a := h.mmap(0, pg, engine.PROT_READ, ap, -1, 0)
			require.Error(h.t, h.e.Store(h.pid, a, []byte{1}))
		}, []engine.FaultKind{kindAccErr}},
		{"page wholly past EOF is SIGBUS", engine.Options{}, func(h *harness) {
			fd := h.file("f", page[:100])
			a := h.mmap(0, 2*pg, engine.PROT_READ, engine.MAP_SHARED, fd, 0)
			assert.Equal(h.t, []byte{'f', 0}, h.load(h.pid, a+99, 2))
			err := h.e.Load(h.pid, a+pg, make([]byte, 1))
			require.Error(h.t, err)
			assert.Equal(h.t, engine.SIGBUS, err.(*engine.Signal).Signo)
		}, []engine.FaultKind{kindFileMajor, kindSigbus}},
		{"swapped-out page comes back: a major fault", engine.Options{}, func(h *harness) {
			a := h.mmap(0, pg, rw, ap, -1, 0)
			h.store(h.pid, a, []byte{7})
			h.ok("madvise", int64(a), pg, engine.MADV_PAGEOUT)
			assert.Equal(h.t, []byte{7}, h.load(h.pid, a, 1))
		}, []engine.FaultKind{kindAnon, kindSwap}},
		{"stack grows down on a fault below it", engine.Options{}, func(h *harness) {
			h.store(h.pid, stackTop-stackInit-100, []byte{1})
		}, []engine.FaultKind{kindStack}},
		{"stack does not grow past RLIMIT_STACK", engine.Options{StackLimit: 256 << 10}, func(h *harness) {
			require.Error(h.t, h.e.Store(h.pid, stackTop-(300<<10), []byte{1}))
		}, []engine.FaultKind{kindMapErr}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.opts)
			tt.run(h)
			assert.Equal(t, tt.want, h.rec.faults())
		})
	}
}

func repeat(s engine.FaultKind, n int) []engine.FaultKind {
	out := make([]engine.FaultKind, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func TestFaultCounters(t *testing.T) {
	h := newHarness(t, engine.Options{})
	fd := h.file("f", bytes.Repeat([]byte("x"), pg))
	a := h.mmap(0, pg, rw, engine.MAP_PRIVATE, fd, 0)
	h.load(h.pid, a, 1)
	h.store(h.pid, a, []byte{1})
	z := h.mmap(0, pg, rw, ap, -1, 0)
	h.load(h.pid, z, 1)
	c := h.e.State().Counters
	assert.Equal(t, uint64(1), c.MajorFaults)
	assert.Equal(t, uint64(2), c.MinorFaults)
	assert.Equal(t, uint64(1), c.COWFaults)
	assert.Equal(t, uint64(1), c.ZeroPageMaps)
	assert.Equal(t, uint64(1), c.DiskReads)
}

func TestUserCopyFaultIsEFAULT(t *testing.T) {
	h := newHarness(t, engine.Options{})
	fd := h.file("f", []byte("hello"))
	ro := h.mmap(0, pg, engine.PROT_READ, ap, -1, 0)
	r := h.call("read", fd, int64(ro), 5)
	assert.Equal(t, engine.EFAULT, r.Errno)
	faults := h.rec.ofType(engine.EvFault)
	require.Len(t, faults, 1)
	assert.Equal(t, "EFAULT", faults[0].Result)
	assert.Equal(t, "", faults[0].Signal)
}

// TestFaultAroundEvents holds the fault-around pte events to what the
// fault mapped: together with the faulting page they cover exactly the
// pages that became present, each page once (docs/events.md). The number
// of pages is the kernel's (facts.c's faultaround_64_faults: one fault per
// aligned 16-page window of a cached file).
func TestFaultAroundEvents(t *testing.T) {
	tests := []struct {
		name      string
		fault     uint64 // the page read, within a 64 KiB-aligned mapping
		premapped []uint64
		want      int // pages the fault maps
	}{
		{"first page of the window", 0, nil, 16},
		{"middle of the window", 5, nil, 16},
		{"last page of the window", 15, nil, 16},
		{"holes already mapped", 5, []uint64{2, 9, 10}, 13},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, engine.Options{})
			fd := h.file("f", bytes.Repeat([]byte("f"), 32*pg))
			buf := h.mmap(0, 32*pg, rw, ap|engine.MAP_POPULATE, -1, 0)
			h.ok("read", fd, int64(buf), 32*pg)
			res := h.mmap(0, 48*pg, engine.PROT_NONE, ap, -1, 0)
			a := h.mmap((res+16*pg-1)&^(16*pg-1), 32*pg, engine.PROT_READ, engine.MAP_PRIVATE|engine.MAP_FIXED, fd, 0)
			if tt.premapped != nil {
				// Map the whole file, then unmap all but these pages.
				h.ok("madvise", int64(a), 32*pg, engine.MADV_POPULATE_READ)
				keep := map[uint64]bool{}
				for _, i := range tt.premapped {
					keep[i] = true
				}
				for i := uint64(0); i < 32; i++ {
					if !keep[i] {
						h.ok("madvise", int64(a+i*pg), pg, engine.MADV_DONTNEED)
					}
				}
			}
			before := presentSet(h, a)
			h.rec.reset()
			h.load(h.pid, a+tt.fault*pg, 1)
			covered := map[uint64]int{tt.fault: 1}
			for _, ev := range h.rec.ofType(engine.EvPTE) {
				require.Equal(t, "fault-around", ev.Why)
				for i := 0; i < ev.Pages; i++ {
					covered[(ev.Addr-a)>>engine.PageShift+uint64(i)]++
				}
			}
			after := presentSet(h, a)
			newly := map[uint64]int{}
			for pg := range after {
				if !before[pg] {
					newly[pg] = 1
				}
			}
			assert.Equal(t, newly, covered, "pages the events cover (count) against pages made present")
			faults := h.rec.ofType(engine.EvFault)
			require.Len(t, faults, 1)
			assert.Equal(t, tt.want, faults[0].Pages)
			assert.Len(t, newly, tt.want)
		})
	}
}

// presentSet is the present pages of the 32 pages at a, by page number.
func presentSet(h *harness, a uint64) map[uint64]bool {
	out := map[uint64]bool{}
	for i, pi := range h.e.Pages(h.pid, a, a+32*pg) {
		if pi.State != engine.PageNone {
			out[uint64(i)] = true
		}
	}
	return out
}

// TestStoreDirtiesCleanWritablePTE: a store through a writable PTE that is
// clean (a shared anonymous page read first, or a private page after
// MADV_FREE and a read) sets the dirty bit, even when the page was
// reached before without a fault (the software TLB).
func TestStoreDirtiesCleanWritablePTE(t *testing.T) {
	tests := []struct {
		name  string
		setup func(h *harness) uint64
	}{
		{"shared anonymous page read first", func(h *harness) uint64 {
			return h.mmap(0, pg, rw, engine.MAP_SHARED|engine.MAP_ANONYMOUS, -1, 0)
		}},
		{"private page after MADV_FREE", func(h *harness) uint64 {
			a := h.mmap(0, pg, rw, ap, -1, 0)
			h.store(h.pid, a, []byte{1})
			h.ok("madvise", int64(a), pg, engine.MADV_FREE)
			return a
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, engine.Options{})
			a := tt.setup(h)
			h.load(h.pid, a, 1)
			pi := h.e.Pages(h.pid, a, a+pg)[0]
			require.NotZero(t, pi.Bits&engine.PTEWrite, "the read maps the page writable")
			require.Zero(t, pi.Bits&engine.PTEDirty, "and clean")
			h.store(h.pid, a, []byte{2})
			assert.NotZero(t, h.e.Pages(h.pid, a, a+pg)[0].Bits&engine.PTEDirty, "the store dirties the PTE")
		})
	}
}
