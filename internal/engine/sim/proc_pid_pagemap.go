package sim

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// /proc/PID/pagemap, analogous to fs/proc/task_mmu.c's pagemap_read: one
// 64-bit entry per virtual page. The model shows frame numbers, which the
// kernel shows only to CAP_SYS_ADMIN: the model has no secrets to keep.

// pagemap entry bits (PM_*).
const (
	pmPresent   = 1 << 63
	pmSwap      = 1 << 62
	pmFile      = 1 << 61 // a file page or shared anonymous
	pmUffdWP    = 1 << 57 // PM_UFFD_WP: write-protected for a userfaultfd
	pmExclusive = 1 << 56 // PM_MMAP_EXCLUSIVE: mapped once
	pmPFNMask   = 1<<55 - 1
	// Soft-dirty (bit 55) is 0: this machine's kernel has no
	// CONFIG_MEM_SOFT_DIRTY (docs/differences.md#soft-dirty).
)

// pagemapMax bounds one read (the kernel reads PAGEMAP_WALK_SIZE at a time
// but returns what the buffer holds; a buffer past this is cut short).
const pagemapMax = 1 << 20

// pagemapRead is pagemap_read: count bytes of entries from pos, both
// multiples of 8.
func pagemapRead(e *Engine, t *process, pos uint64, count int64) ([]byte, engine.Errno) {
	if pos%8 != 0 || count%8 != 0 {
		return nil, engine.EINVAL
	}
	if t.mm == nil {
		return nil, 0
	}
	count = min(count, pagemapMax)
	first := pos / 8
	end := uint64(engine.TaskSize >> engine.PageShift)
	if first >= end {
		return nil, 0
	}
	n := min(uint64(count)/8, end-first)
	out := make([]byte, n*8)
	m := &e.mem
	for i := uint64(0); i < n; i++ {
		addr := (first + i) << engine.PageShift
		pte, huge := e.lookupPTE(t, addr)
		if pte == 0 {
			continue
		}
		var ent uint64
		switch {
		case pte&pteSwap != 0:
			// swp_type 0 in bits 0-4, the offset above.
			ent = pmSwap | uint64(swapSlotOf(pte))<<5&pmPFNMask
		case isPTEMarker(pte):
			// A swap entry of type SWP_PTE_MARKER (31), offset
			// PTE_MARKER_UFFD_WP (1).
			ent = pmSwap | 31 | 1<<5
		case pte&ptePresent != 0:
			pfn := ptePFN(pte)
			ent = pmPresent | pfn&pmPFNMask
			v := t.mm.findVMA(addr)
			if v == nil || v.flags&vmPFNMap != 0 {
				break
			}
			f := m.f(idxOf(pfn))
			if f.use == useFile || (huge && f.use == useZero) {
				ent |= pmFile // the huge zero page is a page, not an anonymous one
			}
			if (f.use == useAnon || f.use == useFile) && f.mapcnt == 1 {
				ent |= pmExclusive
			}
		}
		if pteUffdWPOf(pte) {
			ent |= pmUffdWP
		}
		binary.LittleEndian.PutUint64(out[i*8:], ent)
	}
	return out, 0
}
