package sim

import "github.com/mmapplayground/playground/internal/engine"

// The userfaultfd ioctls that fill and move pages, analogous to
// mm/userfaultfd.c (userfaultfd.go is fs/userfaultfd.c: the file, the
// registration, the faults and their messages). A handler resolves a
// missing fault by filling the page (UFFDIO_COPY: a new page with the
// bytes of a buffer; UFFDIO_ZEROPAGE: the zero page; UFFDIO_CONTINUE: the
// shmem page already in the page cache) or by moving a page of its own
// there (UFFDIO_MOVE), then wakes the faulting thread:
//
//	UFFDIO_COPY     dst PTE none -> new anon page (private) or new shmem page in the cache (shared)
//	UFFDIO_ZEROPAGE dst PTE none -> zero page (private) or new zeroed shmem page (shared)
//	UFFDIO_CONTINUE dst PTE none -> the page cache's page at that offset (shmem)
//	UFFDIO_MOVE     src PTE -> dst PTE (anonymous, private, exclusive pages; a 2 MiB PMD whole)

// mfillMode is the uffd_flags_t mode of mfill_atomic.
type mfillMode int

const (
	mfillCopy mfillMode = iota
	mfillZeropage
	mfillContinue
)

// mfillAtomic is mfill_atomic: fill [dst, dst+length) of ctx's process
// page by page, the bytes of a copy read from the caller's src. It
// returns what it filled before the first failure, and that failure:
//
//	check                                                   errno
//	no area at dst (vma_lookup)                             ENOENT
//	the range beyond the area, or the area not registered   ENOENT (validate_dst_vma)
//	MODE_WP and the area not registered for WP              EINVAL
//	neither anonymous nor shmem; CONTINUE not on shmem      EINVAL
//	then for each page:
//	a huge PMD maps it                                      EEXIST
//	the source unreadable (COPY)                            EFAULT
//	past the file's end (shmem)                             EFAULT (mfill_file_over_size)
//	the page already there (in the cache for shared shmem,  EEXIST
//	  else a PTE; a uffd-wp marker is overwritten by COPY and
//	  CONTINUE, not ZEROPAGE)
//	no page in the cache (CONTINUE)                         EFAULT
func (e *Engine) mfillAtomic(p, t *process, dst, src, length uint64, mode mfillMode, wp bool) (uint64, engine.Errno) {
	v := t.mm.findVMA(dst)
	if v == nil || v.start > dst {
		return 0, engine.ENOENT
	}
	if v.flags&vmShared == 0 && v.flags&vmMayWrite != 0 {
		e.anonVMAPrepare(v) // find_vma_and_prepare_anon: a COW mapping's anon_vma
	}
	if dst+length > v.end || v.uffd == nil {
		return 0, engine.ENOENT
	}
	if wp && v.flags&vmUffdWP == 0 {
		return 0, engine.EINVAL
	}
	if !v.vmaIsAnonymous() && !v.isShmem() || mode == mfillContinue && !v.isShmem() {
		return 0, engine.EINVAL
	}
	var copied uint64
	buf := make([]byte, engine.PageSize)
	for copied < length {
		addr := dst + copied
		if pm := e.pmdEntry(t, addr); pm != nil && isHugePMD(*pm) {
			return copied, engine.EEXIST
		}
		if e.pteTable(t, addr, true) == nil {
			return copied, engine.ENOMEM
		}
		if mode == mfillCopy {
			if err := e.copyFromUser(p, src+copied, buf); err != 0 {
				return copied, err
			}
		}
		if err := e.mfillAtomicPTE(t, v, addr, buf, mode, wp); err != 0 {
			return copied, err
		}
		copied += engine.PageSize
	}
	return copied, 0
}

// mfillAtomicPTE is mfill_atomic_pte for one page: CONTINUE maps the page
// cache's page; a private area takes a new anonymous page (COPY) or the
// zero page (ZEROPAGE), not filling the file's hole (a MAP_PRIVATE shmem
// area's fault would have COWed it anyway); a shared shmem area takes a
// new page in the file (shmem_mfill_atomic_pte).
func (e *Engine) mfillAtomicPTE(t *process, v *vma, addr uint64, data []byte, mode mfillMode, wp bool) engine.Errno {
	old := e.pteAt(t, addr)
	pteNoneMostly := old == 0 || isPTEMarker(old) // pte_none_mostly: a marker may be overwritten
	overSize := v.file != nil && v.pgoffAt(addr) >= pageAlign(fileSize(v.file))>>engine.PageShift
	switch {
	case mode == mfillContinue:
		ino := v.file
		fi, ok := ino.cache[v.pgoffAt(addr)]
		if !ok {
			return engine.EFAULT // shmem_get_folio(SGP_NOALLOC) found none (or a swapped page, not read back)
		}
		if overSize {
			return engine.EFAULT
		}
		if !pteNoneMostly {
			return engine.EEXIST
		}
		return e.mfillInstallPTE(t, v, addr, fi, true, wp)
	case v.flags&vmShared == 0 && mode == mfillZeropage:
		if overSize {
			return engine.EFAULT
		}
		if old != 0 {
			return engine.EEXIST
		}
		e.setPTE(t, addr, pfnOf(e.mem.zero)<<engine.PageShift|basePTE(v)|pteSpecial)
		e.cnt.ZeroPageMaps++
		e.uffdPTEEvent(t, addr, "set")
		return 0
	case v.flags&vmShared == 0:
		e.anonVMAPrepare(v)
		fi := e.newAnonFrame(t, v, addr)
		if fi < 0 {
			return engine.ENOMEM
		}
		e.mem.setContents(fi, data)
		if overSize || !pteNoneMostly {
			e.mem.f(fi).mapcnt = 0
			e.mem.put(fi)
			if overSize {
				return engine.EFAULT
			}
			return engine.EEXIST
		}
		return e.mfillInstallPTE(t, v, addr, fi, false, wp)
	}
	// shmem_mfill_atomic_pte: a new page of the file, then its PTE.
	ino := v.file
	idx := v.pgoffAt(addr)
	if overSize {
		return engine.EFAULT
	}
	if _, ok := ino.cache[idx]; ok {
		return engine.EEXIST // shmem_add_to_page_cache: the slot is taken
	}
	if _, ok := ino.swapped[idx]; ok {
		return engine.EEXIST
	}
	if !pteNoneMostly {
		return engine.EEXIST // mfill_atomic_install_pte, the page taken out of the cache again
	}
	fi, _, err := e.pageCacheRead(t, ino, idx, true)
	if err != 0 {
		return engine.ENOMEM
	}
	if mode == mfillCopy {
		e.mem.setContents(fi, data)
	}
	return e.mfillInstallPTE(t, v, addr, fi, true, wp)
}

// mfillInstallPTE is mfill_atomic_install_pte: frame fi at addr, dirty,
// writable when the area is (a page-cache page in a private area never:
// the first write COWs it), uffd-wp (and so not writable) for MODE_WP.
func (e *Engine) mfillInstallPTE(t *process, v *vma, addr uint64, fi int32, inCache, wp bool) engine.Errno {
	pte := pfnOf(fi)<<engine.PageShift | basePTE(v) | pteDirty
	if v.flags&vmWrite != 0 && (!inCache || v.flags&vmShared != 0) {
		pte |= pteRW
	}
	if wp {
		pte = (pte | pteUffdWP) &^ pteRW
	}
	if inCache {
		if !e.mapFilePage(t, v, addr, fi, pte) {
			return engine.ENOMEM
		}
	} else if !e.setPTE(t, addr, pte) {
		e.mem.put(fi)
		return engine.ENOMEM
	}
	e.uffdPTEEvent(t, addr, "set")
	return 0
}

// pteAt is the PTE at addr, 0 when no table holds it.
func (e *Engine) pteAt(p *process, addr uint64) uint64 {
	if pp := e.pteOf(p, addr); pp != nil {
		return *pp
	}
	return 0
}

// uffdPTEEvent tells one PTE a userfaultfd ioctl wrote.
func (e *Engine) uffdPTEEvent(p *process, addr uint64, op string) {
	if e.sink == nil {
		return
	}
	ev := e.newEvent(engine.EvPTE, p.pid)
	ev.Op, ev.Why, ev.Addr = op, "userfaultfd", addr
	if pte, _ := e.lookupPTE(p, addr); pte&ptePresent != 0 {
		ev.PFN, ev.Bits = ptePFN(pte), bitString(pte)
	}
	e.emit(ev)
}

// The ioctls' modes (<linux/userfaultfd.h>).
const (
	uffdioCopyModeDontwake      = 1
	uffdioCopyModeWP            = 2
	uffdioZeropageModeDontwake  = 1
	uffdioContinueModeDontwake  = 1
	uffdioContinueModeWP        = 2
	uffdioMoveModeDontwake      = 1
	uffdioMoveModeAllowSrcHoles = 2
)

// vmAccessFlags are VM_ACCESS_FLAGS; vmMoveIncompatible the flags of
// areas whose pages may not move (vma_move_compatible: the model has no
// hugetlb or shadow-stack areas).
const (
	vmAccessFlags      = vmRead | vmWrite | vmExec
	vmMoveIncompatible = vmPFNMap | vmIO | vmMixedMap
)

// movePages is move_pages: move the pages of [src, src+length) to
// [dst, dst+length) in the caller's own address space, without copying:
// each PTE (or 2 MiB PMD) is taken from the source and set at the
// destination, the page's rmap index following it. It returns what it
// moved before the first failure, and that failure:
//
//	check                                                   errno
//	no area at dst or at src (vma_lookup)                   ENOENT
//	either area shared, or the range beyond it              EINVAL
//	the areas' access or mlock differ, the source not       EINVAL (validate_move_areas)
//	  writable, an area of special pages (PFNMAP, IO,
//	  MIXEDMAP), the destination not registered with this
//	  userfaultfd, either not anonymous
//	then for each PMD or page:
//	a huge PMD at the destination                           EEXIST
//	a PTE (or a marker) at the destination                  EEXIST
//	a hole at the source, without ALLOW_SRC_HOLES           ENOENT (with: moved as it is, a hole)
//	a page the source shares (fork), a special page         EBUSY (PageAnonExclusive; the model
//	                                                          takes a page mapped once as exclusive)
//	a marker at the source                                  EFAULT
//
// A huge PMD moves whole when both addresses are 2 MiB-aligned, 2 MiB
// remain and the destination's PMD is empty (move_pages_huge_pmd); else it
// is split and its pages move one by one.
func (e *Engine) movePages(p *process, ino *inode, dst, src, length, mode uint64) (uint64, engine.Errno) {
	mm := p.mm
	dv := mm.findVMA(dst)
	if dv == nil || dv.start > dst {
		return 0, engine.ENOENT
	}
	if dv.flags&vmShared == 0 && dv.flags&vmMayWrite != 0 {
		e.anonVMAPrepare(dv)
	}
	sv := dv
	if src < dv.start || src >= dv.end {
		if sv = mm.findVMA(src); sv == nil || sv.start > src {
			return 0, engine.ENOENT
		}
	}
	if sv.flags&vmShared != 0 || src+length > sv.end || dv.flags&vmShared != 0 || dst+length > dv.end {
		return 0, engine.EINVAL
	}
	switch {
	case sv.flags&vmAccessFlags != dv.flags&vmAccessFlags,
		sv.flags&vmLocked != dv.flags&vmLocked,
		sv.flags&vmWrite == 0,
		sv.flags&vmMoveIncompatible != 0 || dv.flags&vmMoveIncompatible != 0,
		dv.uffd != ino,
		!sv.vmaIsAnonymous() || !dv.vmaIsAnonymous():
		return 0, engine.EINVAL
	}
	holes := mode&uffdioMoveModeAllowSrcHoles != 0
	var moved uint64
	for moved < length {
		s, d := src+moved, dst+moved
		spt := e.pmdTable(p, s) // mm_find_pmd
		if spt == nil {
			if !holes {
				return moved, engine.ENOENT
			}
			if spt = e.pmdTables(p, s); spt == nil {
				return moved, engine.ENOMEM
			}
		}
		dpt := e.pmdTables(p, d)
		if dpt == nil {
			return moved, engine.ENOMEM
		}
		spm, dpm := e.mem.slot(spt, ptIndex(s, lvlPMD)), e.mem.slot(dpt, ptIndex(d, lvlPMD))
		if isHugePMD(*dpm) {
			return moved, engine.EEXIST
		}
		if isHugePMD(*spm) {
			if s&(hpageSize-1) != 0 || d&(hpageSize-1) != 0 || src+length-s < hpageSize || *dpm != 0 {
				fi := idxOf(ptePFN(*spm))
				if fi != e.mem.hugeZero && e.mem.f(fi).mapcnt != 1 {
					return moved, engine.EBUSY
				}
				if !e.splitHugePMD(p, spm, s) && isHugePMD(*spm) {
					return moved, engine.ENOMEM // no frame for the PTE table
				}
				continue
			}
			if err := e.moveHugePMD(p, dv, spt, dpt, spm, dpm, s, d); err != 0 {
				return moved, err
			}
			moved += hpageSize
			continue
		}
		if *spm == 0 && !holes {
			return moved, engine.ENOENT
		}
		if e.pteTable(p, s, true) == nil || e.pteTable(p, d, true) == nil {
			return moved, engine.ENOMEM
		}
		if err := e.movePagesPTE(p, dv, d, s, holes); err != 0 {
			return moved, err
		}
		moved += engine.PageSize
	}
	return moved, 0
}

// moveHugePMD is move_pages_huge_pmd: the source's 2 MiB leaf becomes the
// destination's, its folio's index the destination's, dirty and writable
// (as mremap leaves it); the huge zero page's moves as it is.
func (e *Engine) moveHugePMD(p *process, dv *vma, spt, dpt *ptable, spm, dpm *uint64, s, d uint64) engine.Errno {
	ent := *spm
	fi := idxOf(ptePFN(ent))
	nd := ent
	if fi != e.mem.hugeZero {
		if e.mem.f(fi).mapcnt != 1 {
			return engine.EBUSY
		}
		for i := int32(0); i < hugePages; i++ {
			e.mem.f(fi + i).index = dv.pgoffAt(d + uint64(i)<<engine.PageShift)
		}
		nd = pfnOf(fi)<<engine.PageShift | basePTE(dv) | pmdHuge | pteDirty | pteRW
	}
	*spm = 0
	spt.used--
	e.countPresent(p, s, lvlPMD, -hugePages)
	*dpm = nd
	dpt.used++
	e.countPresent(p, d, lvlPMD, hugePages)
	p.mm.lastPT = nil
	e.tlbGen++
	e.uffdPTEEvent(p, s, "clear")
	e.uffdPTEEvent(p, d, "set")
	return 0
}

// movePagesPTE is move_pages_pte for one page: a present page moves
// (move_present_pte: soft-dirty, writable, dirty if it was), the zero
// page's PTE is remade at the destination, a swap entry moves as it is.
func (e *Engine) movePagesPTE(p *process, dv *vma, d, s uint64, holes bool) engine.Errno {
	if e.pteAt(p, d) != 0 {
		return engine.EEXIST
	}
	pte := e.pteAt(p, s)
	switch {
	case pte == 0:
		if !holes {
			return engine.ENOENT
		}
		return 0
	case pte&ptePresent != 0 && idxOf(ptePFN(pte)) == e.mem.zero:
		e.setPTE(p, s, 0)
		e.setPTE(p, d, pfnOf(e.mem.zero)<<engine.PageShift|basePTE(dv)|pteSpecial)
	case pte&ptePresent != 0:
		fi := idxOf(ptePFN(pte))
		f := e.mem.f(fi)
		if pte&pteSpecial != 0 || f.use != useAnon || f.mapcnt != 1 {
			return engine.EBUSY
		}
		e.setPTE(p, s, 0)
		f.index = dv.pgoffAt(d)
		np := pfnOf(fi)<<engine.PageShift | basePTE(dv) | pteSoftDirty | pteRW | pte&pteDirty
		e.setPTE(p, d, np)
	case pte&pteSwap != 0:
		if e.swap.slots[swapSlotOf(pte)].refs != 1 { // pte_swp_exclusive: the model's is an entry no other PTE holds
			return engine.EBUSY
		}
		e.setPTE(p, s, 0)
		e.setPTE(p, d, pte)
	default:
		return engine.EFAULT // a marker: a non-swap entry
	}
	e.uffdPTEEvent(p, s, "clear")
	e.uffdPTEEvent(p, d, "set")
	return 0
}
