package sim

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// TestHugePMD: a write in a 2 MiB-aligned MADV_HUGEPAGE range maps one PMD
// leaf (the walk ends at the PMD, the page map shows 512 dirty pages, one
// fault), as the setting allows; a partial munmap splits it, leaving the
// other pages mapped where they were.
func TestHugePMD(t *testing.T) {
	tests := []struct {
		name     string
		thp      string
		madvise  bool
		wantHuge bool
	}{
		{"madvise, advised", "madvise", true, true},
		{"madvise, not advised", "madvise", false, false},
		{"always", "always", false, true},
		{"never, advised", "never", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, engine.Options{THP: tt.thp})
			res := h.mmap(0, 6<<20, rw, ap, -1, 0)
			a := (res + 2<<20 - 1) &^ (2<<20 - 1)
			if tt.madvise {
				h.ok("madvise", int64(a), 2<<20, engine.MADV_HUGEPAGE)
			}
			h.rec.reset()
			h.store(h.pid, a+pg, []byte{1})
			w := h.e.Walk(h.pid, a+pg)
			faults := h.rec.ofType(engine.EvFault)
			require.Len(t, faults, 1)
			if !tt.wantHuge {
				assert.Len(t, w.Levels, 4, "a PTE maps the page")
				assert.Equal(t, 0, faults[0].Pages)
				return
			}
			require.Len(t, w.Levels, 3, "the walk ends at a PMD leaf")
			assert.Contains(t, w.Bits, "huge")
			assert.Equal(t, 512, faults[0].Pages)
			pages := h.e.Pages(h.pid, a, a+2<<20)
			for i, pi := range pages {
				require.Equal(t, engine.PageDirty, pi.State, "page %d", i)
				require.Equal(t, pages[0].PFN+uint64(i), pi.PFN)
			}
			assert.Zero(t, pages[0].PFN%512, "the folio is 2 MiB-aligned")
			b := make([]byte, 1)
			require.NoError(t, h.e.Load(h.pid, a+pg, b))
			assert.Equal(t, byte(1), b[0])
			h.rec.reset()
			h.ok("munmap", int64(a+1<<20), 1<<20)
			splits := 0
			for _, ev := range h.rec.ofType(engine.EvPTE) {
				if ev.Why == "split_huge_pmd" {
					splits++
				}
			}
			assert.Equal(t, 1, splits)
			assert.Len(t, h.e.Walk(h.pid, a+pg).Levels, 4, "PTEs after the split")
			require.NoError(t, h.e.Load(h.pid, a+pg, b))
			assert.Equal(t, byte(1), b[0], "the data stays")
			assert.Equal(t, pages[1].PFN, h.e.Pages(h.pid, a+pg, a+2*pg)[0].PFN, "the same frame")
		})
	}
}

// TestMeminfoAnonHugePages: /proc/meminfo counts PMD-mapped anonymous memory.
func TestMeminfoAnonHugePages(t *testing.T) {
	h := newHarness(t, engine.Options{THP: "always"})
	res := h.mmap(0, 6<<20, rw, ap, -1, 0)
	a := (res + 2<<20 - 1) &^ (2<<20 - 1)
	h.store(h.pid, a, []byte{1})
	assert.Contains(t, h.readFile("/proc/meminfo"), "AnonHugePages:      2048 kB\n")
}

// TestHugePMDFork: fork copies a huge PMD (copy_huge_pmd): parent and child
// map the one folio with a PMD each, write-protected; the child's write
// splits its PMD and copies one page; once the child is gone the parent's
// write takes the folio back whole. The structures stay consistent at each
// step (TestKernelFacts' thp_fork_* facts hold the same to the kernel).
func TestHugePMDFork(t *testing.T) {
	h := newHarness(t, engine.Options{})
	res := h.mmap(0, 6<<20, rw, ap, -1, 0)
	a := (res + 2<<20 - 1) &^ (2<<20 - 1)
	h.ok("madvise", int64(a), 2<<20, engine.MADV_HUGEPAGE)
	h.store(h.pid, a, []byte("p"))
	child := int(h.ok("fork"))
	checkInvariants(t, h.e, "fork")
	for _, pid := range []int{h.pid, child} {
		w := h.e.Walk(pid, a+pg)
		require.Len(t, w.Levels, 3, "pid %d: a PMD leaf after fork", pid)
		assert.NotContains(t, w.Bits, "write", "pid %d: write-protected", pid)
	}
	h.rec.reset()
	h.store(child, a+pg, []byte("c"))
	checkInvariants(t, h.e, "child's write")
	faults := h.rec.ofType(engine.EvFault)
	require.Len(t, faults, 1)
	assert.Equal(t, engine.FaultCOW, faults[0].Kind)
	assert.Len(t, h.e.Walk(child, a+pg).Levels, 4, "the child's PMD is split")
	assert.Len(t, h.e.Walk(h.pid, a+pg).Levels, 3, "the parent's is not")
	assert.Equal(t, "p", string(h.load(child, a, 1)), "the child sees the parent's data")
	assert.Equal(t, []byte{0}, h.load(h.pid, a+pg, 1), "the parent does not see the child's write")
	h.e.Syscall(child, engine.Call{Name: "exit_group", Args: []int64{0}})
	h.ok("wait4", int64(child), 0, 0, 0)
	checkInvariants(t, h.e, "child's exit")
	h.rec.reset()
	h.store(h.pid, a+pg, []byte("q"))
	checkInvariants(t, h.e, "parent's write")
	faults = h.rec.ofType(engine.EvFault)
	require.Len(t, faults, 1)
	assert.Equal(t, engine.FaultWPReuse, faults[0].Kind)
	w := h.e.Walk(h.pid, a+pg)
	require.Len(t, w.Levels, 3, "the parent keeps its PMD leaf")
	assert.Contains(t, w.Bits, "write")
}

// TestTHPSysfsMatchesKernel holds the model's transparent_hugepage files to
// this machine's (but khugepaged's counters, which its daemon moves), and
// the model's user may read each and open none for writing, as here.
func TestTHPSysfsMatchesKernel(t *testing.T) {
	h := newHarness(t, engine.Options{})
	for name, text := range thpSysfsFiles {
		path := thpSysfs + "/" + name
		assert.Equal(t, text, h.readFile(path), name)
		r := h.e.Syscall(h.pid, engine.Call{Name: "open", Path: path, Args: []int64{0, engine.O_WRONLY, 0}})
		assert.Equal(t, engine.EACCES, r.Errno, name)
		if name == "khugepaged/full_scans" || name == "khugepaged/pages_collapsed" {
			continue
		}
		native, err := os.ReadFile(path)
		if err != nil {
			continue // a kernel without the file
		}
		assert.Equal(t, string(native), text, "%s: the kernel's", name)
	}
}
