package sim

import (
	"bytes"
	"testing"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestErrnos walks each errno of the issue with the model alone (the
// kernel facts test holds most of them to the real kernel too).
func TestErrnos(t *testing.T) {
	type env struct {
		h              *harness
		ro, wo, rw, dr int64
		demo           int64
		anon           uint64
	}
	tests := []struct {
		name string
		call func(x *env) engine.Result
		want engine.Errno
	}{
		{"mmap zero length", func(x *env) engine.Result { return x.h.call("mmap", 0, 0, rw, ap, -1, 0) }, engine.EINVAL},
		{"mmap neither shared nor private", func(x *env) engine.Result {
			return x.h.call("mmap", 0, pg, rw, engine.MAP_ANONYMOUS, -1, 0)
		}, engine.EINVAL},
		{"mmap unaligned offset", func(x *env) engine.Result {
			return x.h.call("mmap", 0, pg, engine.PROT_READ, engine.MAP_PRIVATE, x.ro, 100)
		}, engine.EINVAL},
		{"mmap unaligned MAP_FIXED address", func(x *env) engine.Result {
			return x.h.call("mmap", 0x10000123, pg, rw, ap|engine.MAP_FIXED, -1, 0)
		}, engine.EINVAL},
		// Checked natively (Linux 6.18, vm.nr_hugepages 0).
		{"mmap MAP_HUGETLB anonymous, no huge pages", func(x *env) engine.Result {
			return x.h.call("mmap", 0, 2<<20, engine.PROT_READ, ap|engine.MAP_HUGETLB, -1, 0)
		}, engine.ENOMEM},
		{"mmap MAP_HUGETLB shared anonymous", func(x *env) engine.Result {
			return x.h.call("mmap", 0, pg, engine.PROT_READ, engine.MAP_SHARED|engine.MAP_ANONYMOUS|engine.MAP_HUGETLB, -1, 0)
		}, engine.ENOMEM},
		{"mmap MAP_HUGETLB with no type", func(x *env) engine.Result {
			return x.h.call("mmap", 0, pg, engine.PROT_READ, engine.MAP_ANONYMOUS|engine.MAP_HUGETLB, -1, 0)
		}, engine.EINVAL},
		{"mmap MAP_HUGETLB of a regular file", func(x *env) engine.Result {
			return x.h.call("mmap", 0, pg, engine.PROT_READ, engine.MAP_PRIVATE|engine.MAP_HUGETLB, x.ro, 0)
		}, engine.EINVAL},
		{"mmap /dev/null (no mmap handler)", func(x *env) engine.Result {
			r := x.h.e.Syscall(x.h.pid, engine.Call{Name: "open", Path: "/dev/null", Args: []int64{0, engine.O_RDWR, 0}})
			return x.h.call("mmap", 0, pg, engine.PROT_READ, engine.MAP_PRIVATE, r.Ret, 0)
		}, engine.ENODEV},
		{"mmap MAP_FIXED below mmap_min_addr (an unprivileged user's answer)", func(x *env) engine.Result {
			return x.h.call("mmap", 0, pg, engine.PROT_READ, ap|engine.MAP_FIXED, -1, 0)
		}, engine.EPERM},
		{"mmap bad fd", func(x *env) engine.Result {
			return x.h.call("mmap", 0, pg, engine.PROT_READ, engine.MAP_PRIVATE, 42, 0)
		}, engine.EBADF},
		{"mmap shared writable of a read-only fd", func(x *env) engine.Result {
			return x.h.call("mmap", 0, pg, rw, engine.MAP_SHARED, x.ro, 0)
		}, engine.EACCES},
		{"mmap of a write-only fd", func(x *env) engine.Result {
			return x.h.call("mmap", 0, pg, engine.PROT_WRITE, engine.MAP_SHARED, x.wo, 0)
		}, engine.EACCES},
		{"mmap of a directory", func(x *env) engine.Result {
			return x.h.call("mmap", 0, pg, engine.PROT_READ, engine.MAP_PRIVATE, x.dr, 0)
		}, engine.ENODEV},
		{"mmap of a tty", func(x *env) engine.Result {
			return x.h.call("mmap", 0, pg, engine.PROT_READ, engine.MAP_SHARED, 1, 0)
		}, engine.EACCES},
		{"mmap length that cannot fit", func(x *env) engine.Result {
			return x.h.call("mmap", 0, 1<<47, rw, ap, -1, 0)
		}, engine.ENOMEM},
		{"mmap MAP_FIXED_NOREPLACE over a mapping", func(x *env) engine.Result {
			return x.h.call("mmap", int64(x.anon), pg, rw, ap|engine.MAP_FIXED_NOREPLACE, -1, 0)
		}, engine.EEXIST},
		{"mmap offset overflow", func(x *env) engine.Result {
			return x.h.call("mmap", 0, 2*pg, engine.PROT_READ, engine.MAP_PRIVATE, x.ro, 0x7ffffffffffff000)
		}, engine.EOVERFLOW},
		{"mmap demo_dev larger than its buffer", func(x *env) engine.Result {
			return x.h.call("mmap", 0, 2*pg, rw, engine.MAP_SHARED, x.demo, 0)
		}, engine.EINVAL},
		{"mmap demo_dev", func(x *env) engine.Result {
			return x.h.call("mmap", 0, 1024, rw, engine.MAP_SHARED, x.demo, 0)
		}, 0},
		{"munmap unaligned", func(x *env) engine.Result { return x.h.call("munmap", int64(x.anon)+1, pg) }, engine.EINVAL},
		{"munmap zero length", func(x *env) engine.Result { return x.h.call("munmap", int64(x.anon), 0) }, engine.EINVAL},
		{"munmap unmapped succeeds", func(x *env) engine.Result { return x.h.call("munmap", 0x10000, pg) }, 0},
		{"mprotect unmapped", func(x *env) engine.Result { return x.h.call("mprotect", 0x10000, pg, 1) }, engine.ENOMEM},
		{"mprotect write on a shared read-only fd", func(x *env) engine.Result {
			a := x.h.mmap(0, pg, engine.PROT_READ, engine.MAP_SHARED, x.ro, 0)
			return x.h.call("mprotect", int64(a), pg, rw)
		}, engine.EACCES},
		{"mremap unmapped", func(x *env) engine.Result {
			return x.h.call("mremap", 0x10000, pg, 2*pg, engine.MREMAP_MAYMOVE, 0)
		}, engine.EFAULT},
		{"mremap grow demo_dev (VM_DONTEXPAND)", func(x *env) engine.Result {
			a := x.h.mmap(0, pg, rw, engine.MAP_SHARED, x.demo, 0)
			return x.h.call("mremap", int64(a), pg, 2*pg, engine.MREMAP_MAYMOVE, 0)
		}, engine.EFAULT},
		{"madvise DONTNEED on demo_dev (VM_PFNMAP)", func(x *env) engine.Result {
			a := x.h.mmap(0, pg, rw, engine.MAP_SHARED, x.demo, 0)
			return x.h.call("madvise", int64(a), pg, engine.MADV_DONTNEED)
		}, engine.EINVAL},
		{"mlockall with no flags", func(x *env) engine.Result { return x.h.call("mlockall", 0) }, engine.EINVAL},
		{"msync both MS_SYNC and MS_ASYNC", func(x *env) engine.Result {
			return x.h.call("msync", int64(x.anon), pg, engine.MS_SYNC|engine.MS_ASYNC)
		}, engine.EINVAL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, engine.Options{})
			x := &env{h: h}
			require.NoError(t, h.e.WriteFile("f", bytes.Repeat([]byte("f"), 2*pg)))
			x.ro = h.open("f", engine.O_RDONLY)
			x.wo = h.open("f", engine.O_WRONLY)
			x.rw = h.open("f", engine.O_RDWR)
			x.dr = h.open(".", engine.O_RDONLY)
			x.demo = h.open("/dev/demo_dev", engine.O_RDWR)
			x.anon = h.mmap(0, pg, rw, ap, -1, 0)
			r := tt.call(x)
			assert.Equal(t, tt.want, r.Errno)
			if tt.want != 0 {
				assert.Equal(t, int64(-1), r.Ret)
			}
		})
	}
}

// TestRefusedMmapTakesNoAddressSpace: a mmap refused after
// get_unmapped_area (EACCES, ENODEV, EINVAL from a driver) leaves its range
// free, so the next mapping lands just below the last one, as on Linux
// (checked natively: a refused MAP_SHARED|PROT_WRITE of a read-only fd
// between two mappings leaves them one page apart).
func TestRefusedMmapTakesNoAddressSpace(t *testing.T) {
	refusals := []struct {
		name string
		call func(h *harness, ro, wo, dir, demo int64) engine.Result
	}{
		{"EACCES shared writable of read-only fd", func(h *harness, ro, wo, dir, demo int64) engine.Result {
			return h.call("mmap", 0, pg, rw, engine.MAP_SHARED, ro, 0)
		}},
		{"EACCES write-only fd", func(h *harness, ro, wo, dir, demo int64) engine.Result {
			return h.call("mmap", 0, pg, engine.PROT_READ, engine.MAP_SHARED, wo, 0)
		}},
		{"ENODEV directory", func(h *harness, ro, wo, dir, demo int64) engine.Result {
			return h.call("mmap", 0, pg, engine.PROT_READ, engine.MAP_PRIVATE, dir, 0)
		}},
		{"EINVAL no map type", func(h *harness, ro, wo, dir, demo int64) engine.Result {
			return h.call("mmap", 0, pg, engine.PROT_READ, 0, ro, 0)
		}},
		{"EINVAL demo_dev too large", func(h *harness, ro, wo, dir, demo int64) engine.Result {
			return h.call("mmap", 0, 2*pg, rw, engine.MAP_SHARED, demo, 0)
		}},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, engine.Options{})
			require.NoError(t, h.e.WriteFile("f", bytes.Repeat([]byte("f"), 2*pg)))
			ro := h.open("f", engine.O_RDONLY)
			wo := h.open("f", engine.O_WRONLY)
			dir := h.open(".", engine.O_RDONLY)
			demo := h.open("/dev/demo_dev", engine.O_RDWR)
			first := h.mmap(0, pg, engine.PROT_READ, engine.MAP_SHARED, ro, 0)
			r := tt.call(h, ro, wo, dir, demo)
			require.NotEqual(t, engine.Errno(0), r.Errno)
			second := h.mmap(0, pg, engine.PROT_READ, engine.MAP_SHARED, ro, 0)
			assert.Equal(t, first-pg, second, "the refused call's range stays free")
		})
	}
}

func TestMaxMapCount(t *testing.T) {
	h := newHarness(t, engine.Options{MaxMapCount: 10, Libc: "none"}) // six areas to start with
	var err engine.Errno
	n := len(h.e.Maps(h.pid))
	for i := 0; i < 20 && err == 0; i++ {
		// Alternate protections so that no two areas merge.
		prot := int64(engine.PROT_READ)
		if i%2 == 1 {
			prot = rw
		}
		err = h.call("mmap", 0, pg, prot, ap, -1, 0).Errno
		if err == 0 {
			n++
		}
	}
	assert.Equal(t, engine.ENOMEM, err)
	assert.Equal(t, 11, n, "do_mmap refuses once map_count > max_map_count")
}

func TestSplitAndMerge(t *testing.T) {
	h := newHarness(t, engine.Options{})
	a := h.mmap(0, 3*pg, rw, ap, -1, 0)
	count := func() int {
		n := 0
		for _, v := range h.e.Maps(h.pid) {
			if v.Start < a+3*pg && v.End > a {
				n++
			}
		}
		return n
	}
	h.rec.reset()
	h.ok("mprotect", int64(a+pg), pg, engine.PROT_READ)
	assert.Equal(t, 3, count())
	var whys []string
	for _, ev := range h.rec.ofType(engine.EvVMA) {
		whys = append(whys, ev.Op+"/"+ev.Why)
	}
	assert.Equal(t, []string{"change/split", "add/split", "change/split", "add/split", "change/mprotect"}, whys)
	h.rec.reset()
	h.ok("mprotect", int64(a+pg), pg, rw)
	assert.Equal(t, 1, count())
	whys = nil
	for _, ev := range h.rec.ofType(engine.EvVMA) {
		whys = append(whys, ev.Op+"/"+ev.Why)
	}
	assert.Equal(t, []string{"change/mprotect", "remove/merge", "change/merge", "remove/merge", "change/merge"}, whys)
	h.ok("munmap", int64(a+pg), pg)
	assert.Equal(t, 2, count())
	// The first mmap merged with nothing; a second lands just below and merges.
	b := h.mmap(0, pg, rw, ap, -1, 0)
	assert.Equal(t, a+pg, b, "the hole is the highest gap that fits")
	assert.Equal(t, 1, count())
}

func TestPageTablesMadeAndFreed(t *testing.T) {
	h := newHarness(t, engine.Options{})
	before := h.e.State().Processes[0].Tables
	c0 := h.e.State().Counters           // exec made the loader's tables
	a := h.mmap(0, 4<<20, rw, ap, -1, 0) // two PMD entries' worth
	h.store(h.pid, a, []byte{1})
	h.store(h.pid, a+(4<<20)-1, []byte{1})
	during := h.e.State().Processes[0].Tables
	assert.Greater(t, during["PTE"], before["PTE"])
	w := h.e.Walk(h.pid, a)
	require.Len(t, w.Levels, 4)
	for i, l := range w.Levels {
		assert.Equal(t, levelNames[i], l.Level)
		assert.True(t, l.Present)
		assert.Equal(t, ptIndex(a, i), l.Index)
	}
	assert.Equal(t, "dirty", w.State)
	assert.Contains(t, w.Bits, "dirty")
	require.NotNil(t, w.VMA)
	h.ok("munmap", int64(a), 4<<20)
	after := h.e.State().Processes[0].Tables
	assert.Equal(t, before, after, "tables left empty are freed")
	assert.NotEmpty(t, h.rec.ofType(engine.EvPgtable))
	c := h.e.State().Counters
	assert.Equal(t, c.TablesAlloc-c0.TablesAlloc, c.TablesFreed-c0.TablesFreed, "every table made for the area went with it")
}

func TestMremapKeepsData(t *testing.T) {
	h := newHarness(t, engine.Options{})
	a := h.mmap(0, 2*pg, rw, ap, -1, 0)
	h.store(h.pid, a, []byte("one"))
	h.store(h.pid, a+pg, []byte("two"))
	// The room above is taken, so growing moves the area.
	h.mmap(a+2*pg, pg, engine.PROT_READ, ap|engine.MAP_FIXED, -1, 0)
	b := uint64(h.ok("mremap", int64(a), 2*pg, 4*pg, engine.MREMAP_MAYMOVE, 0))
	assert.NotEqual(t, a, b)
	assert.Equal(t, []byte("one"), h.load(h.pid, b, 3))
	assert.Equal(t, []byte("two"), h.load(h.pid, b+pg, 3))
	assert.Error(t, h.e.Load(h.pid, a, make([]byte, 1)), "the old range is gone")
	// Shrink in place.
	assert.Equal(t, int64(b), h.ok("mremap", int64(b), 4*pg, pg, 0, 0))
	assert.Error(t, h.e.Load(h.pid, b+pg, make([]byte, 1)))
	// Grow in place into the freed pages.
	assert.Equal(t, int64(b), h.ok("mremap", int64(b), pg, 3*pg, 0, 0))
	assert.Equal(t, []byte{0}, h.load(h.pid, b+pg, 1))
	// MREMAP_FIXED.
	dst := uint64(0x200000000)
	assert.Equal(t, int64(dst), h.ok("mremap", int64(b), 3*pg, 3*pg, engine.MREMAP_MAYMOVE|engine.MREMAP_FIXED, int64(dst)))
	assert.Equal(t, []byte("one"), h.load(h.pid, dst, 3))
}

func TestMlockMincoreBrk(t *testing.T) {
	h := newHarness(t, engine.Options{})
	a := h.mmap(0, 4*pg, rw, ap, -1, 0)
	h.ok("mlock", int64(a), 2*pg)
	pages := h.e.Pages(h.pid, a, a+4*pg)
	assert.Equal(t, engine.PageLocked, pages[0].State)
	assert.Equal(t, engine.PageLocked, pages[1].State)
	assert.Equal(t, engine.PageNone, pages[2].State)
	assert.True(t, h.e.Maps(h.pid)[findArea(h.e.Maps(h.pid), a)].HasFlag("LOCKED"))
	vec := h.mmap(0, pg, rw, ap, -1, 0)
	h.ok("mincore", int64(a), 4*pg, int64(vec))
	assert.Equal(t, []byte{1, 1, 0, 0}, h.load(h.pid, vec, 4))
	h.ok("munlock", int64(a), 4*pg)
	assert.Equal(t, engine.PageDirty, h.e.Pages(h.pid, a, a+pg)[0].State)

	h.ok("mlockall", engine.MCL_CURRENT|engine.MCL_FUTURE)
	c := h.mmap(0, pg, rw, ap, -1, 0)
	assert.Equal(t, engine.PageLocked, h.e.Pages(h.pid, c, c+pg)[0].State, "MCL_FUTURE locks and populates new areas")
	h.ok("munlockall")

	brk0 := uint64(h.ok("brk", 0))
	brk1 := uint64(h.ok("brk", int64(brk0+10000)))
	assert.Equal(t, brk0+10000, brk1)
	maps := h.e.Maps(h.pid)
	heap := maps[findArea(maps, brk0)]
	assert.Equal(t, "[heap]", heap.File)
	assert.Equal(t, brk0+12288, heap.End)
	h.store(h.pid, brk0+9999, []byte{1})
	h.ok("brk", int64(brk0))
	assert.Error(t, h.e.Store(h.pid, brk0, []byte{1}))
}

func findArea(vmas []engine.VMA, a uint64) int {
	for i, v := range vmas {
		if v.Start <= a && a < v.End {
			return i
		}
	}
	return -1
}

// TestDemoDev is seed 000's driver: remap_pfn_range fills every PTE at mmap
// time, so no access faults; the VMA is VM_IO|VM_PFNMAP|VM_DONTEXPAND|
// VM_DONTDUMP; the buffer is the device's, seen by read() too.
func TestDemoDev(t *testing.T) {
	h := newHarness(t, engine.Options{})
	fd := h.open("/dev/demo_dev", engine.O_RDWR)
	h.rec.reset()
	a := h.mmap(0, 1024, rw, engine.MAP_SHARED, fd, 0)
	sys := h.rec.ofType(engine.EvSyscall)
	require.Len(t, sys, 1)
	assert.Contains(t, sys[0].Path, "remap_pfn_range")
	vmas := h.e.Maps(h.pid)
	v := vmas[findArea(vmas, a)]
	for _, f := range []string{"IO", "PFNMAP", "DONTEXPAND", "DONTDUMP"} {
		assert.True(t, v.HasFlag(f), f)
	}
	assert.Equal(t, 1, v.PresentPages, "filled at mmap time")
	h.rec.reset()
	h.store(h.pid, a, []byte("device"))
	assert.Empty(t, h.rec.faults(), "no fault on access")
	assert.Equal(t, engine.PageDevice, h.e.Pages(h.pid, a, a+1)[0].State)
	buf := h.mmap(0, pg, rw, ap, -1, 0)
	h.ok("pread64", fd, int64(buf), 6, 0)
	assert.Equal(t, []byte("device"), h.load(h.pid, buf, 6))
	h.ok("munmap", int64(a), pg)
}

func TestDevZero(t *testing.T) {
	h := newHarness(t, engine.Options{})
	fd := h.open("/dev/zero", engine.O_RDWR)
	p := h.mmap(0, pg, rw, engine.MAP_PRIVATE, fd, 0)
	s := h.mmap(0, pg, rw, engine.MAP_SHARED, fd, 0)
	h.store(h.pid, p, []byte{1})
	h.store(h.pid, s, []byte{2})
	vmas := h.e.Maps(h.pid)
	assert.Equal(t, "/dev/zero (deleted)", vmas[findArea(vmas, s)].File)
	assert.Equal(t, "rw-s", vmas[findArea(vmas, s)].Perms)
	assert.Equal(t, "rw-p", vmas[findArea(vmas, p)].Perms)
}

func TestUnlinkedFileStaysMapped(t *testing.T) {
	h := newHarness(t, engine.Options{})
	fd := h.file("gone", []byte("still here"))
	a := h.mmap(0, pg, engine.PROT_READ, engine.MAP_SHARED, fd, 0)
	require.Equal(t, engine.Errno(0), h.e.Syscall(h.pid, engine.Call{Name: "unlink", Path: "gone", Args: []int64{0}}).Errno)
	assert.Equal(t, []byte("still here"), h.load(h.pid, a, 10))
	vmas := h.e.Maps(h.pid)
	assert.Equal(t, "gone (deleted)", vmas[findArea(vmas, a)].File)
}

// TestObjectsFreedWhenUnreachable: shared anonymous memory and an unlinked
// file give their pages back once the last mapping and descriptor go.
func TestObjectsFreedWhenUnreachable(t *testing.T) {
	h := newHarness(t, engine.Options{})
	used := func() uint64 { m := h.e.State().Memory; return m.TotalPages - m.FreePages }
	base := used()
	s := h.mmap(0, 4*pg, rw, engine.MAP_SHARED|engine.MAP_ANONYMOUS, -1, 0)
	for i := uint64(0); i < 4; i++ {
		h.store(h.pid, s+i*pg, []byte{1})
	}
	assert.Greater(t, used(), base)
	h.ok("munmap", int64(s), 4*pg)
	assert.Equal(t, base, used(), "shmem's pages went with its last mapping")

	fd := h.file("tmp", bytes.Repeat([]byte("t"), 4*pg))
	m := h.mmap(0, 4*pg, rw, engine.MAP_SHARED, fd, 0)
	h.store(h.pid, m, []byte{1})
	require.Equal(t, engine.Errno(0), h.e.Syscall(h.pid, engine.Call{Name: "unlink", Path: "tmp", Args: []int64{0}}).Errno)
	h.ok("munmap", int64(m), 4*pg)
	assert.Greater(t, used(), base, "still open")
	h.ok("close", fd)
	assert.Equal(t, base, used(), "unlinked, closed and unmapped: evicted")
}

// TestFreeAreaCacheMatchesFullSearch: get_unmapped_area's search hint never
// changes the answer of a walk from mmap_base.
func TestFreeAreaCacheMatchesFullSearch(t *testing.T) {
	h := newHarness(t, engine.Options{})
	h.e.SetSink(nil)
	mm := h.e.proc(h.pid).mm
	rng := uint64(12345)
	next := func(n uint64) uint64 {
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return rng % n
	}
	var areas []uint64
	for i := 0; i < 3000; i++ {
		if next(3) == 0 && len(areas) > 0 {
			k := next(uint64(len(areas)))
			h.ok("munmap", int64(areas[k]), int64(1+next(4))*pg)
			areas = append(areas[:k], areas[k+1:]...)
			continue
		}
		length := (1 + next(6)) * pg
		fc, ha := mm.freeCache, mm.holeAbove
		want, ok := mm.topDown(mm.mmapBase, length)
		mm.freeCache, mm.holeAbove = fc, ha
		require.True(t, ok)
		prot := int64(engine.PROT_READ)
		if next(2) == 0 {
			prot = rw
		}
		got := h.mmap(0, length, prot, ap, -1, 0)
		require.Equal(t, want, got, "mmap %d of %d pages", i, length/pg)
		areas = append(areas, got)
	}
}

// TestMremapArgumentsBeforeArea: mremap's argument checks come before the
// area's lookup (Linux 6.18, checked natively): a bad argument is EINVAL
// even where nothing is mapped, and only a good one is EFAULT there.
func TestMremapArgumentsBeforeArea(t *testing.T) {
	h := newHarness(t, engine.Options{})
	a := h.mmap(0, 2*pg, rw, ap, -1, 0)
	u := h.mmap(0, pg, rw, ap, -1, 0)
	h.ok("munmap", int64(u), pg)
	for _, tt := range []struct {
		name string
		args []int64
		want engine.Errno
	}{
		{"fixed without maymove", []int64{int64(u), pg, pg, engine.MREMAP_FIXED, int64(a)}, engine.EINVAL},
		{"fixed unaligned new", []int64{int64(u), pg, pg, engine.MREMAP_FIXED | engine.MREMAP_MAYMOVE, int64(a) + 1}, engine.EINVAL},
		{"fixed overlapping", []int64{int64(u), 2 * pg, 2 * pg, engine.MREMAP_FIXED | engine.MREMAP_MAYMOVE, int64(u) + pg}, engine.EINVAL},
		{"new length past TASK_SIZE", []int64{int64(u), pg, 1 << 48, engine.MREMAP_MAYMOVE, 0}, engine.EINVAL},
		{"dontunmap unaligned hint", []int64{int64(u), pg, pg, engine.MREMAP_DONTUNMAP | engine.MREMAP_MAYMOVE, int64(a) + 1}, engine.EINVAL},
		{"good arguments, nothing mapped", []int64{int64(u), pg, 2 * pg, engine.MREMAP_MAYMOVE, 0}, engine.EFAULT},
		{"mapped, new length past TASK_SIZE", []int64{int64(a), pg, 1 << 48, engine.MREMAP_MAYMOVE, 0}, engine.EINVAL},
	} {
		assert.Equal(t, tt.want, h.call("mremap", tt.args...).Errno, tt.name)
	}
}
