package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mmapplayground/playground/internal/engine"
)

// MADV_HUGEPAGE and MADV_NOHUGEPAGE as hugepage_madvise answers them: any
// area takes the flag (anonymous or file, private or shared, PROT_NONE,
// locked), whatever transparent_hugepage/enabled says; each clears the
// other; a range that covers part of an area splits it. The answers were
// checked natively on Linux 6.18 (THP "madvise"), reading smaps' VmFlags.
func TestMadviseHugepage(t *testing.T) {
	hg := func(h *harness, addr uint64) string {
		v := h.e.proc(h.pid).mm.findVMA(addr)
		switch {
		case v == nil || v.start > addr:
			return "unmapped"
		case v.flags&vmHugePage != 0 && v.flags&vmNoHugePage != 0:
			return "both"
		case v.flags&vmHugePage != 0:
			return "hg"
		case v.flags&vmNoHugePage != 0:
			return "nh"
		}
		return "-"
	}
	// step is one madvise: offset and length in pages, advice, its errno.
	type step struct {
		off, n, adv int64
		err         engine.Errno
	}
	tests := []struct {
		name  string
		prot  int64
		flags int64
		file  bool
		steps []step
		want  []string // per page of the four
	}{
		{"anon private", rw, ap, false, []step{{0, 4, engine.MADV_HUGEPAGE, 0}}, []string{"hg", "hg", "hg", "hg"}},
		{"NOHUGEPAGE clears HUGEPAGE", rw, ap, false, []step{{0, 4, engine.MADV_HUGEPAGE, 0}, {0, 4, engine.MADV_NOHUGEPAGE, 0}}, []string{"nh", "nh", "nh", "nh"}},
		{"part of an area splits it", rw, ap, false, []step{{0, 4, engine.MADV_NOHUGEPAGE, 0}, {0, 1, engine.MADV_HUGEPAGE, 0}}, []string{"hg", "nh", "nh", "nh"}},
		{"anon shared", rw, engine.MAP_SHARED | engine.MAP_ANONYMOUS, false, []step{{0, 4, engine.MADV_HUGEPAGE, 0}}, []string{"hg", "hg", "hg", "hg"}},
		{"file private", engine.PROT_READ, engine.MAP_PRIVATE, true, []step{{0, 4, engine.MADV_HUGEPAGE, 0}}, []string{"hg", "hg", "hg", "hg"}},
		{"file shared", rw, engine.MAP_SHARED, true, []step{{0, 4, engine.MADV_HUGEPAGE, 0}}, []string{"hg", "hg", "hg", "hg"}},
		{"PROT_NONE", engine.PROT_NONE, ap, false, []step{{0, 4, engine.MADV_HUGEPAGE, 0}}, []string{"hg", "hg", "hg", "hg"}},
		{"locked", rw, ap | engine.MAP_LOCKED, false, []step{{0, 4, engine.MADV_HUGEPAGE, 0}}, []string{"hg", "hg", "hg", "hg"}},
		{"zero length does nothing", rw, ap, false, []step{{0, 0, engine.MADV_HUGEPAGE, 0}}, []string{"-", "-", "-", "-"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, engine.Options{})
			fd := int64(-1)
			if tt.file {
				fd = h.file("f", make([]byte, 4*pg))
			}
			a := h.mmap(0, 4*pg, tt.prot, tt.flags, fd, 0)
			for _, s := range tt.steps {
				r := h.call("madvise", int64(a)+s.off*pg, s.n*pg, s.adv)
				assert.Equal(t, s.err, r.Errno, "madvise(+%d pages, %d pages, %d)", s.off, s.n, s.adv)
			}
			var got []string
			for i := uint64(0); i < 4; i++ {
				got = append(got, hg(h, a+i*pg))
			}
			assert.Equal(t, tt.want, got)
		})
	}

	t.Run("errors", func(t *testing.T) {
		h := newHarness(t, engine.Options{})
		a := h.mmap(0, 4*pg, rw, ap, -1, 0)
		assert.Equal(t, engine.EINVAL, h.call("madvise", int64(a)+1, pg, engine.MADV_HUGEPAGE).Errno, "unaligned")
		assert.Equal(t, engine.ENOMEM, h.call("madvise", 0x10000, pg, engine.MADV_NOHUGEPAGE).Errno, "unmapped")
		h.ok("munmap", int64(a)+pg, pg)
		// A hole is ENOMEM, and the areas around it still take the advice.
		assert.Equal(t, engine.ENOMEM, h.call("madvise", int64(a), 4*pg, engine.MADV_HUGEPAGE).Errno, "hole")
		assert.Equal(t, []string{"hg", "unmapped", "hg", "hg"}, []string{hg(h, a), hg(h, a+pg), hg(h, a+2*pg), hg(h, a+3*pg)})
	})
}
