package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// Reverse mapping, analogous to mm/rmap.c: from a frame to the PTEs that
// map it. As in Linux, a file page is found through its file's mappings
// (the address_space's i_mmap: every area of the file covering its index)
// and an anonymous page through the areas that could hold its linear
// index (anon_vma); both then check the PTE at the computed address.

// rmapWalk calls fn for each PTE mapping frame fi, in pid and address
// order.
func (e *Engine) rmapWalk(fi int32, fn func(p *process, v *vma, addr uint64, pp *uint64)) {
	f := e.mem.f(fi)
	if f.mapcnt == 0 || (f.use != useAnon && f.use != useFile) {
		return
	}
	pfn := pfnOf(fi)
	idx := f.index
	var ino *inode
	if f.use == useFile {
		ino = e.fs.inodes[f.ino]
	}
	for _, p := range e.procs {
		if p.mm == nil {
			continue
		}
		for _, v := range p.mm.vmas {
			if ino != nil && v.file != ino {
				continue
			}
			if ino == nil && (v.flags&vmShared != 0 || v.flags&vmPFNMap != 0) {
				continue
			}
			if idx < v.pgoff || idx >= v.pgoff+v.pages() {
				continue
			}
			addr := v.start + (idx-v.pgoff)<<engine.PageShift
			pp := e.pteOf(p, addr)
			if pp == nil || *pp&ptePresent == 0 || ptePFN(*pp) != pfn {
				continue
			}
			fn(p, v, addr, pp)
		}
	}
}

// mappers lists the pids mapping frame fi.
func (e *Engine) mappers(fi int32) []int {
	var out []int
	e.rmapWalk(fi, func(p *process, _ *vma, _ uint64, _ *uint64) {
		if len(out) == 0 || out[len(out)-1] != p.pid {
			out = append(out, p.pid)
		}
	})
	return out
}

// mkclean is folio_mkclean: every PTE mapping the page loses its dirty and
// write bits, moving a dirty bit to the page.
func (e *Engine) mkclean(fi int32) {
	e.rmapWalk(fi, func(p *process, v *vma, addr uint64, pp *uint64) {
		if *pp&(pteRW|pteDirty) == 0 {
			return
		}
		*pp &^= pteRW | pteDirty
		e.tlbGen++
		if e.sink != nil {
			ev := e.newEvent(engine.EvPTE, p.pid)
			ev.Op, ev.Why, ev.Addr, ev.PFN, ev.Bits = "change", "mkclean", addr, pfnOf(fi), bitString(*pp)
			e.emit(ev)
		}
	})
}

// unmapFrame is try_to_unmap: clear every PTE mapping fi, or when swapPTE
// is not 0 replace it with that swap entry.
func (e *Engine) unmapFrame(fi int32, why string) {
	e.unmapFrameTo(fi, 0, why)
}

func (e *Engine) unmapFrameTo(fi int32, swapPTE uint64, why string) {
	e.rmapWalk(fi, func(p *process, v *vma, addr uint64, pp *uint64) {
		f := e.mem.f(fi)
		pte := *pp
		if f.use == useFile && pte&pteDirty != 0 {
			e.setPageDirty(p, e.fs.inodes[f.ino], fi)
		}
		t := e.pteTable(p, addr, false)
		switch {
		case swapPTE != 0:
			*pp = swapPTE | pte&pteUffdWP // pte_swp_mkuffd_wp
			e.swap.slots[swapSlotOf(swapPTE)].refs++
		case pteUffdWPOf(pte) && v.userfaultfdWP() && !v.vmaIsAnonymous():
			*pp = pteMarkerUffdWP // pte_install_uffd_wp_if_needed
		default:
			*pp = 0
			t.used--
		}
		p.mm.rss--
		e.countPresent(p, addr, lvlPTE, -1)
		f.mapcnt--
		e.mem.put(fi)
		e.tlbGen++
		if e.sink != nil {
			ev := e.newEvent(engine.EvPTE, p.pid)
			ev.Op, ev.Why, ev.Addr, ev.PFN = "clear", why, addr, pfnOf(fi)
			e.emit(ev)
		}
	})
}
