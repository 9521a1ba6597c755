package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// Reclaim, analogous to mm/vmscan.c: when an allocation finds no free frame,
// shrink the inactive LRU lists from their tails. A referenced page gets a
// second chance on the active list; a clean file page is dropped (a later
// access reads it again: a major fault); a dirty one is written back
// first; an anonymous page is written to swap and its PTEs become swap
// entries (a later access is a major fault in do_swap_page). Mlocked pages
// are never taken.

// swapClusterMax is SWAP_CLUSTER_MAX: how many pages one reclaim pass frees.
const swapClusterMax = 32

// swapdev is the swap device: slots holding swapped-out contents.
type swapdev struct {
	slots []swapSlot
	free  []int32
	total uint64
	used  uint64
}

type swapSlot struct {
	mask uint64 // the contents, in the content store as a frame's are
	blk  int32
	refs int32 // swap entries pointing here (swap_map count)
}

func (s *swapdev) init(size uint64) { s.total = size >> engine.PageShift }

func (s *swapdev) alloc() int32 {
	if s.used >= s.total {
		return -1
	}
	s.used++
	if n := len(s.free); n > 0 {
		i := s.free[n-1]
		s.free = s.free[:n-1]
		return i
	}
	s.slots = append(s.slots, swapSlot{})
	return int32(len(s.slots) - 1)
}

// swapPut drops a reference to a swap slot (swap_free), freeing it and
// its contents at zero.
func (e *Engine) swapPut(i int32) {
	s := &e.swap
	sl := &s.slots[i]
	sl.refs--
	if sl.refs <= 0 {
		e.mem.store.free(sl.mask, sl.blk)
		*sl = swapSlot{blk: -1}
		s.free = append(s.free, i)
		s.used--
	}
}

func swapPTE(slot int32) uint64   { return uint64(slot+1)<<engine.PageShift | pteSwap }
func swapSlotOf(pte uint64) int32 { return int32(ptePFN(pte)) - 1 }

// allocFrame allocates a frame, reclaiming when RAM is full; -1 when
// nothing could be freed.
func (e *Engine) allocFrame(use uint8) int32 {
	if fi := e.mem.alloc(use); fi >= 0 {
		return fi
	}
	e.shrink(swapClusterMax, "alloc")
	return e.mem.alloc(use)
}

// shrink frees up to n frames (shrink_lruvec), telling it as one reclaim
// event.
func (e *Engine) shrink(n int, why string) int {
	freed, swapped, written := 0, 0, 0
	m := &e.mem
	// Scan at most every page on the lists twice.
	budget := 2 * int(m.lru[0].n+m.lru[1].n+m.lru[2].n+m.lru[3].n)
	for freed < n && budget > 0 {
		budget--
		list := lruInactiveFile
		if m.lru[list].n == 0 {
			list = lruInactiveAnon
		}
		if m.lru[list].n == 0 || (list == lruInactiveAnon && e.swap.used >= e.swap.total) {
			// Refill the inactive lists from the active ones.
			if !e.deactivate(lruActiveFile) && !e.deactivate(lruActiveAnon) {
				if m.lru[lruInactiveAnon].n == 0 || e.swap.used >= e.swap.total {
					break
				}
			}
			continue
		}
		fi := m.lru[list].tail
		f := m.f(fi)
		if f.flags&pgMlocked != 0 || f.flags&pgReferenced != 0 {
			f.flags &^= pgReferenced
			m.lruDel(fi)
			if f.flags&pgMlocked == 0 {
				f.flags |= pgActive
			}
			m.lruAdd(fi)
			continue
		}
		switch e.reclaimFrame(fi) {
		case reclaimKept:
			m.lruDel(fi)
			m.f(fi).flags |= pgActive
			m.lruAdd(fi)
		case reclaimFailed:
			budget = 0
		case reclaimSwapped:
			swapped++
			freed++
		case reclaimWritten:
			written++
			freed++
		case reclaimDropped:
			freed++
		}
	}
	e.cnt.PagesReclaimed += uint64(freed)
	if e.sink != nil {
		ev := e.newEvent(engine.EvReclaim, 0)
		ev.Why = why
		ev.Pages = freed
		ev.Message = reclaimMessage(freed, swapped, written)
		e.emit(ev)
	}
	return freed
}

func reclaimMessage(freed, swapped, written int) string {
	return "reclaimed " + itoa(freed) + " pages (" + itoa(swapped) + " swapped out, " + itoa(written) + " written back)"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// Outcomes of reclaimFrame.
const (
	reclaimDropped = iota // a clean file page left the cache
	reclaimWritten        // a dirty file page was written back, then dropped
	reclaimSwapped        // an anonymous page went to swap
	reclaimKept           // the page cannot go (shmem)
	reclaimFailed         // no swap left
)

// reclaimFrame unmaps one page from every process and frees it
// (shrink_folio_list for one folio).
func (e *Engine) reclaimFrame(fi int32) int {
	m := &e.mem
	f := m.f(fi)
	// A page someone holds beyond the cache and its mappings is busy
	// (folio_ref_freeze would fail): the fault or read using it now.
	if expected := f.mapcnt; (f.use == useFile && f.ref > expected+1) || (f.use == useAnon && f.ref > expected) {
		return reclaimKept
	}
	if f.use == useFile {
		ino := e.fs.inodes[f.ino]
		if ino.kind == kindShmem {
			return e.shmemWritepage(ino, fi)
		}
		e.unmapFrame(fi, "reclaim")
		res := reclaimDropped
		if m.f(fi).flags&pgDirty != 0 {
			e.writebackPage(nil, ino, fi, "reclaim", true)
			res = reclaimWritten
		}
		e.dropCachePage(ino, fi, "reclaim")
		return res
	}
	droppable := false
	e.rmapWalk(fi, func(_ *process, v *vma, _ uint64, _ *uint64) {
		droppable = droppable || v.flags&vmDroppable != 0
	})
	if droppable {
		// A MAP_DROPPABLE area's page is never swap-backed: reclaim
		// drops it, dirty or not, and the next access sees zeros
		// (try_to_unmap_one).
		f.flags &^= pgLazyFree
		e.unmapFrame(fi, "MAP_DROPPABLE")
		return reclaimDropped
	}
	if f.flags&pgLazyFree != 0 {
		dirty := false
		e.rmapWalk(fi, func(_ *process, _ *vma, _ uint64, pp *uint64) {
			dirty = dirty || *pp&pteDirty != 0
		})
		f.flags &^= pgLazyFree
		if !dirty {
			// Clean since MADV_FREE: dropped, the next access sees zeros.
			e.unmapFrame(fi, "MADV_FREE")
			return reclaimDropped
		}
	}
	slot := e.swap.alloc()
	if slot < 0 {
		return reclaimFailed
	}
	e.swap.slots[slot] = swapSlot{mask: f.mask, blk: f.blk}
	f.mask, f.blk = 0, -1
	e.cnt.SwapOuts++
	e.cnt.DiskWrites++
	e.clock += costDiskWrite
	if e.sink != nil {
		ev := e.newEvent(engine.EvDisk, 0)
		ev.Op, ev.Why, ev.PFN, ev.Index = "write", "swap", pfnOf(fi), uint64(slot)
		e.emit(ev)
	}
	e.unmapFrameTo(fi, swapPTE(slot), "swap-out")
	if e.swap.slots[slot].refs == 0 {
		e.swapPut(slot)
	}
	return reclaimSwapped
}

// shmemWritepage swaps a shmem page out (shmem_writeout): its PTEs are
// cleared, and the object keeps a swap entry at its index, so the next
// access faults in shmem_fault and reads it back.
func (e *Engine) shmemWritepage(ino *inode, fi int32) int {
	slot := e.swap.alloc()
	if slot < 0 {
		return reclaimFailed
	}
	e.unmapFrame(fi, "reclaim")
	f := e.mem.f(fi)
	e.swap.slots[slot] = swapSlot{mask: f.mask, blk: f.blk, refs: 1}
	f.mask, f.blk = 0, -1
	if ino.swapped == nil {
		ino.swapped = map[uint64]int32{}
	}
	ino.swapped[f.index] = slot
	e.cnt.SwapOuts++
	e.cnt.DiskWrites++
	e.clock += costDiskWrite
	if e.sink != nil {
		ev := e.newEvent(engine.EvDisk, 0)
		ev.Op, ev.Why, ev.File, ev.Index, ev.PFN = "write", "swap", ino.name, f.index, pfnOf(fi)
		e.emit(ev)
	}
	if f.flags&pgDirty != 0 {
		f.flags &^= pgDirty
	}
	e.dropCachePage(ino, fi, "reclaim")
	return reclaimSwapped
}

// lazyFree is madvise_free_pte_range: the private pages this process
// alone maps are made clean and old and marked lazily free; reclaim drops
// them rather than swapping them, unless a store dirties them first. Until
// then they keep their contents.
func (e *Engine) lazyFree(p *process, start, end uint64) {
	n := 0
	m := &e.mem
	e.forEachPTE(p, start, end, func(_ uint64, pp *uint64, _ *ptable) {
		if *pp&ptePresent == 0 {
			return
		}
		fi := idxOf(ptePFN(*pp))
		f := m.f(fi)
		if f.use != useAnon || f.mapcnt != 1 {
			return
		}
		*pp &^= pteDirty | pteAccessed
		f.flags &^= pgReferenced | pgActive
		f.flags |= pgLazyFree
		if f.flags&pgOnLRU != 0 { // to the inactive list, to go first
			m.lruDel(fi)
			m.f(fi).flags &^= pgActive
			m.lruAdd(fi)
		}
		n++
	})
	if n > 0 {
		e.tlbGen++
		if e.sink != nil {
			ev := e.newEvent(engine.EvPTE, p.pid)
			ev.Op, ev.Why, ev.Addr, ev.Pages = "change", "MADV_FREE", start, spanPages(start, end)
			e.emit(ev)
		}
	}
}

// deactivate moves the tail of an active list to its inactive list.
func (e *Engine) deactivate(list int) bool {
	m := &e.mem
	if m.lru[list].n == 0 {
		return false
	}
	moved := false
	for k := 0; k < swapClusterMax && m.lru[list].n > 0; k++ {
		fi := m.lru[list].tail
		m.lruDel(fi)
		f := m.f(fi)
		f.flags &^= pgActive | pgReferenced
		m.lruAdd(fi)
		moved = true
	}
	return moved
}

// pageout is MADV_PAGEOUT (reclaim these pages now) and MADV_COLD (move
// them to the inactive list).
func (e *Engine) pageout(p *process, v *vma, start, end uint64, out bool) {
	var frames []int32
	e.forEachPTE(p, start, end, func(_ uint64, pp *uint64, _ *ptable) {
		if *pp&ptePresent == 0 {
			return
		}
		fi := idxOf(ptePFN(*pp))
		f := e.mem.f(fi)
		if (f.use != useAnon && f.use != useFile) || f.flags&pgOnLRU == 0 || f.mapcnt > 1 {
			return
		}
		frames = append(frames, fi)
	})
	m := &e.mem
	for _, fi := range frames {
		f := m.f(fi)
		m.lruDel(fi)
		f.flags &^= pgActive | pgReferenced
		m.lruAdd(fi)
	}
	if !out || len(frames) == 0 {
		return
	}
	freed, swapped, written := 0, 0, 0
	for _, fi := range frames {
		if m.f(fi).flags&pgMlocked != 0 {
			continue
		}
		switch e.reclaimFrame(fi) {
		case reclaimSwapped:
			swapped++
			freed++
		case reclaimWritten:
			written++
			freed++
		case reclaimDropped:
			freed++
		}
	}
	e.cnt.PagesReclaimed += uint64(freed)
	if e.sink != nil {
		ev := e.newEvent(engine.EvReclaim, p.pid)
		ev.Why = "MADV_PAGEOUT"
		ev.Pages = freed
		ev.Message = reclaimMessage(freed, swapped, written)
		e.emit(ev)
	}
}
