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

// The pagemap scan, analogous to fs/proc/task_mmu.c's do_pagemap_scan: the
// PAGEMAP_SCAN ioctl of a pagemap file (Linux 6.7) walks a range of the
// target's address space, sorts each page into categories, and writes the
// runs of pages whose categories match as page_regions; with
// PM_SCAN_WP_MATCHING it also write-protects the matching written pages
// through their areas' userfaultfd (WP_ASYNC), so that the next scan finds
// only the pages written since: a write to a write-protected page is
// resolved by the kernel at once, clearing uffd-wp (fault.go), which is
// how a page counts as written.
//
//	pm_scan_arg:  start, end, vec -> page_region[vec_len], max_pages,
//	              category_inverted, category_mask, category_anyof_mask,
//	              return_mask; walk_end written back
//	page_region:  {start, end, categories & return_mask}
//
// The walk goes as walk_page_range does: each area (test_walk), then its
// page tables level by level, a missing table a hole (pte_hole), a PMD
// entry that is there a pmd_entry (a huge PMD or a PTE table); the runs
// gather in a bounce buffer of at most 512 regions, copied out after each
// walk, which goes on from walk_end until the range, the output or
// max_pages is used up. The model has no hugetlbfs (no hugetlb_entry), no
// soft-dirty (PAGE_IS_SOFT_DIRTY is never set) and no guard regions
// (MADV_GUARD_INSTALL, Linux 6.13: PAGE_IS_GUARD, Linux 6.14, is taken in
// the masks and never set): docs/differences.md.

// <linux/fs.h>'s PAGEMAP_SCAN API.
const (
	pagemapScan = 0xc0606610 // _IOWR('f', 16, struct pm_scan_arg)

	pageIsWPAllowed = 1 << 0
	pageIsWritten   = 1 << 1
	pageIsFile      = 1 << 2
	pageIsPresent   = 1 << 3
	pageIsSwapped   = 1 << 4
	pageIsPFNZero   = 1 << 5
	pageIsHuge      = 1 << 6
	// PM_SCAN_CATEGORIES, PAGE_IS_SOFT_DIRTY (1 << 7) and PAGE_IS_GUARD
	// (1 << 8, Linux 6.14, as on this machine) among them.
	pmScanCategories = 1<<9 - 1

	pmScanWPMatching   = 1 << 0
	pmScanCheckWPAsync = 1 << 1
	pmScanFlags        = pmScanWPMatching | pmScanCheckWPAsync

	pmScanArgSize  = 96 // sizeof(struct pm_scan_arg)
	pmScanWalkEnd  = 32 // offsetof(struct pm_scan_arg, walk_end)
	pageRegionSize = 24 // sizeof(struct page_region)

	// pagemapWalkSize is PAGEMAP_WALK_SIZE (PMD_SIZE): the bounce buffer
	// holds that many pages' worth of regions.
	pagemapWalkSize = hpageSize
)

// pmScanArg is struct pm_scan_arg.
type pmScanArg struct {
	size, flags, start, end, walkEnd, vec, vecLen, maxPages       uint64
	categoryInverted, categoryMask, categoryAnyofMask, returnMask uint64
}

// pageRegion is struct page_region.
type pageRegion struct{ start, end, categories uint64 }

// pagemapScanPrivate is struct pagemap_scan_private: the arguments, the
// categories of the area being walked, and the bounce buffer (nil without
// an output vector) with its current region and the pages found.
type pagemapScanPrivate struct {
	e               *Engine
	p               *process // the target, whose tables are walked
	v               *vma     // walk->vma
	arg             pmScanArg
	masksOfInterest uint64
	curVMACategory  uint64
	vecBuf          []pageRegion
	vecBufIndex     uint64
	foundPages      uint64
	vecOut          uint64
}

// pagemapIoctl is do_pagemap_cmd: PAGEMAP_SCAN, and EINVAL for any other
// request, as this machine's kernel (6.18) answers (6.12's source says
// -ENOIOCTLCMD, ENOTTY).
func pagemapIoctl(e *Engine, caller, target *process, cmd uint32, arg uint64) (int64, engine.Errno) {
	if cmd != pagemapScan {
		return -1, engine.EINVAL
	}
	return e.doPagemapScan(caller, target, arg)
}

// accessOK is x86-64's __access_ok: [addr, addr+size) below the top of
// user space, not wrapping.
func accessOK(addr, size uint64) bool {
	sum := addr + size
	return sum <= engine.TaskSize && sum >= addr
}

// pagemapScanGetArgs is pagemap_scan_get_args:
//
//	check                                              errno
//	struct pm_scan_arg unreadable                      EFAULT
//	size is not sizeof(struct pm_scan_arg)             EINVAL
//	a flag other than PM_SCAN_FLAGS                    EINVAL
//	a mask with a bit other than PM_SCAN_CATEGORIES    EINVAL
//	start not page-aligned                             EINVAL
//	[start, end) not user memory (end before start)    EFAULT
//	vec_len without vec                                EINVAL
//	vec[vec_len] not user memory                       EFAULT
//	then end rounded up to a page, walk_end 0, max_pages 0 meaning no
//	limit.
func (e *Engine) pagemapScanGetArgs(p *process, uarg uint64) (pmScanArg, engine.Errno) {
	var b [pmScanArgSize]byte
	var a pmScanArg
	if err := e.copyFromUser(p, uarg, b[:]); err != 0 {
		return a, err
	}
	f := func(i int) uint64 { return binary.LittleEndian.Uint64(b[8*i:]) }
	a = pmScanArg{f(0), f(1), f(2), f(3), f(4), f(5), f(6), f(7), f(8), f(9), f(10), f(11)}
	switch {
	case a.size != pmScanArgSize,
		a.flags&^pmScanFlags != 0,
		(a.categoryInverted|a.categoryMask|a.categoryAnyofMask|a.returnMask)&^pmScanCategories != 0,
		a.start&engine.PageMask != 0:
		return a, engine.EINVAL
	case !accessOK(a.start, a.end-a.start):
		return a, engine.EFAULT
	case a.vec == 0 && a.vecLen != 0:
		return a, engine.EINVAL
	}
	if a.vec != 0 {
		n := a.vecLen * pageRegionSize // size_mul: saturating
		if a.vecLen != 0 && n/a.vecLen != pageRegionSize {
			n = ^uint64(0)
		}
		if !accessOK(a.vec, n) {
			return a, engine.EFAULT
		}
	}
	a.end = pageAlign(a.end)
	a.walkEnd = 0
	if a.maxPages == 0 {
		a.maxPages = ^uint64(0)
	}
	return a, 0
}

// doPagemapScan is do_pagemap_scan: the arguments checked, then walks of
// [walk_end, end) until one ends without filling the output (or fails),
// the output is full or max_pages found; each walk's regions copied out
// after it. It returns the number of regions written, and writes walk_end
// back: where the scan stopped, or end.
func (e *Engine) doPagemapScan(caller, target *process, uarg uint64) (int64, engine.Errno) {
	if target.mm == nil {
		return -1, engine.ESRCH // mmget_not_zero
	}
	arg, err := e.pagemapScanGetArgs(caller, uarg)
	if err != 0 {
		return -1, err
	}
	s := &pagemapScanPrivate{e: e, p: target, arg: arg}
	s.masksOfInterest = arg.categoryMask | arg.categoryAnyofMask | arg.returnMask
	if arg.vecLen != 0 {
		// pagemap_scan_init_bounce_buffer
		s.vecBuf = make([]pageRegion, min(pagemapWalkSize>>engine.PageShift, arg.vecLen))
		s.vecOut = arg.vec
	}
	var nRangesOut int64
	for walkStart := s.arg.start; walkStart < s.arg.end; walkStart = s.arg.walkEnd {
		err = s.walkPageRange(walkStart, s.arg.end)
		n, ferr := s.flushBuffer(caller)
		if ferr != 0 {
			err = ferr
		} else {
			nRangesOut += n
		}
		if err != engine.ENOSPC {
			break
		}
		if s.arg.vecLen == 0 || s.foundPages == s.arg.maxPages {
			break
		}
	}
	ret := nRangesOut
	if err != 0 && err != engine.ENOSPC {
		ret = -1
	} else {
		err = 0 // ENOSPC is the walk's early stop: the output is full
	}
	if s.arg.walkEnd == 0 {
		s.arg.walkEnd = s.arg.end // not set when nothing stopped the walk
	}
	var we [8]byte
	binary.LittleEndian.PutUint64(we[:], s.arg.walkEnd)
	if e.copyToUser(caller, uarg+pmScanWalkEnd, we[:], nil) != 0 {
		return -1, engine.EFAULT
	}
	return ret, err
}

// flushBuffer is pagemap_scan_flush_buffer: the bounce buffer's regions
// (the current one if it is not empty) copied to vec, which moves on past
// them; the buffer emptied and cut to what vec has left.
func (s *pagemapScanPrivate) flushBuffer(caller *process) (int64, engine.Errno) {
	if s.vecBuf == nil {
		return 0, 0
	}
	n := s.vecBufIndex
	if s.vecBuf[n].end != s.vecBuf[n].start {
		n++
	}
	if n == 0 {
		return 0, 0
	}
	out := make([]byte, n*pageRegionSize)
	for i, r := range s.vecBuf[:n] {
		binary.LittleEndian.PutUint64(out[i*pageRegionSize:], r.start)
		binary.LittleEndian.PutUint64(out[i*pageRegionSize+8:], r.end)
		binary.LittleEndian.PutUint64(out[i*pageRegionSize+16:], r.categories)
	}
	if err := s.e.copyToUser(caller, s.vecOut, out, nil); err != 0 {
		return 0, err
	}
	s.arg.vecLen -= n
	s.vecOut += n * pageRegionSize
	s.vecBufIndex = 0
	s.vecBuf = s.vecBuf[:min(uint64(len(s.vecBuf)), s.arg.vecLen)]
	if len(s.vecBuf) > 0 {
		s.vecBuf[0] = pageRegion{}
	}
	return int64(n), 0
}

// walkPageRange is walk_page_range with pagemap_scan_ops: the holes
// between areas are nothing to the scan; each area's part is tested
// (pagemap_scan_test_walk: skipped, or the walk fails) and its page
// tables walked. It stops at the first error (ENOSPC: the output is full).
func (s *pagemapScanPrivate) walkPageRange(start, end uint64) engine.Errno {
	mm := s.p.mm
	for start < end {
		v := mm.findVMA(start)
		if v == nil {
			return 0 // after the last area: a hole
		}
		if start < v.start {
			start = min(end, v.start) // outside any area: a hole
			continue
		}
		next := min(end, v.end)
		s.v = v
		skip, err := s.testWalk(v)
		if err != 0 {
			return err
		}
		if !skip {
			if err := s.walkLevel(mm.pgd, lvlPGD, start, next); err != 0 {
				return err
			}
		}
		start = next
	}
	return 0
}

// testWalk is pagemap_scan_test_walk: an area may be write-protected by
// the scan when its userfaultfd is WP_ASYNC and uses markers. Without
// that, PM_SCAN_CHECK_WPASYNC fails the scan (EPERM) and
// PM_SCAN_WP_MATCHING skips the area. A VM_PFNMAP area is skipped, and so
// is one whose categories (PAGE_IS_WPALLOWED) category_mask rules out.
func (s *pagemapScanPrivate) testWalk(v *vma) (skip bool, err engine.Errno) {
	wpAllowed := v.userfaultfdWPAsync() && v.userfaultfdWPUseMarkers()
	if !wpAllowed {
		if s.arg.flags&pmScanCheckWPAsync != 0 {
			return false, engine.EPERM
		}
		if s.arg.flags&pmScanWPMatching != 0 {
			return true, 0
		}
	}
	if v.flags&vmPFNMap != 0 {
		return true, 0
	}
	var cat uint64
	if wpAllowed {
		cat |= pageIsWPAllowed
	}
	// pagemap_scan_is_interesting_vma
	required := s.arg.categoryMask & pageIsWPAllowed
	if (cat^s.arg.categoryInverted)&required != required {
		return true, 0
	}
	s.curVMACategory = cat
	return false, 0
}

// walkLevel is walk_pgd_range, walk_pud_range and walk_pmd_range over
// [start, end) of table t: a missing entry is a hole, a PMD entry goes to
// pmdEntry, an upper one down a level.
func (s *pagemapScanPrivate) walkLevel(t *ptable, level int, start, end uint64) engine.Errno {
	span := uint64(1) << (39 - 9*uint(level))
	for addr := start; addr < end; {
		next := min((addr+span)&^(span-1), end)
		i := ptIndex(addr, level)
		var err engine.Errno
		switch ent := t.get(i); {
		case ent == 0:
			err = s.pteHole(addr, next)
		case level == lvlPMD:
			err = s.pmdEntry(t, i, addr, next)
		default:
			err = s.walkLevel(s.e.tableAt(ent), level+1, addr, next)
		}
		if err != 0 {
			return err
		}
		addr = next
	}
	return 0
}

// isInterestingPage is pagemap_scan_is_interesting_page: the categories,
// each inverted where category_inverted says, have all of category_mask
// and one of category_anyof_mask (when it is set).
func (s *pagemapScanPrivate) isInterestingPage(categories uint64) bool {
	categories ^= s.arg.categoryInverted
	if categories&s.arg.categoryMask != s.arg.categoryMask {
		return false
	}
	return s.arg.categoryAnyofMask == 0 || categories&s.arg.categoryAnyofMask != 0
}

// pushRange is pagemap_scan_push_range: [addr, end) joins the current
// region when it goes on from it with the same categories, else starts
// the next one; false when the buffer has no room for that.
func (s *pagemapScanPrivate) pushRange(categories, addr, end uint64) bool {
	cur := &s.vecBuf[s.vecBufIndex]
	if addr == cur.end && categories == cur.categories {
		cur.end = end
		return true
	}
	if cur.end != 0 {
		if s.vecBufIndex >= uint64(len(s.vecBuf))-1 {
			return false
		}
		s.vecBufIndex++
		cur = &s.vecBuf[s.vecBufIndex]
	}
	*cur = pageRegion{addr, end, categories}
	return true
}

// output is pagemap_scan_output: [addr, *end) of these categories goes to
// the buffer, cut short at max_pages, or not at all when the buffer is
// full; either is ENOSPC, with walk_end where the output stopped (*end).
// Without an output buffer it does nothing.
func (s *pagemapScanPrivate) output(categories, addr uint64, end *uint64) engine.Errno {
	if s.vecBuf == nil {
		return 0
	}
	categories &= s.arg.returnMask
	var err engine.Errno
	nPages := (*end - addr) >> engine.PageShift
	total := s.foundPages + nPages
	if total < s.foundPages || total > s.arg.maxPages {
		tooMuch := total - s.arg.maxPages
		*end -= tooMuch << engine.PageShift
		nPages -= tooMuch
		err = engine.ENOSPC
	}
	if !s.pushRange(categories, addr, *end) {
		*end = addr
		nPages = 0
		err = engine.ENOSPC
	}
	s.foundPages += nPages
	if err != 0 {
		s.arg.walkEnd = *end
	}
	return err
}

// backoutRange is pagemap_scan_backout_range: the pages [addr, end) just
// output are taken back (a huge page that is to be split and walked again
// as small ones).
func (s *pagemapScanPrivate) backoutRange(addr, end uint64) {
	if s.vecBuf == nil {
		return
	}
	cur := &s.vecBuf[s.vecBufIndex]
	if cur.start != addr {
		cur.end = addr
	} else {
		cur.start, cur.end = 0, 0
	}
	s.foundPages -= (end - addr) >> engine.PageShift
}

// pteHole is pagemap_scan_pte_hole: a range of the area with no table. In
// an area registered for write-protection it counts as written (the
// registration's markers are gone: the range was zapped); it is output
// and, with PM_SCAN_WP_MATCHING, write-protected (uffd_wp_range, which
// leaves markers).
func (s *pagemapScanPrivate) pteHole(addr, end uint64) engine.Errno {
	v := s.v
	categories := s.curVMACategory
	if v.userfaultfdWP() {
		categories |= pageIsWritten
	}
	if !s.isInterestingPage(categories) {
		return 0
	}
	err := s.output(categories, addr, &end)
	if addr == end || s.arg.flags&pmScanWPMatching == 0 {
		return err
	}
	s.e.uffdWPRange(s.p, v, addr, end, true)
	return err
}

// pageCategory is pagemap_page_category for a PTE of v: an empty one is
// written (not write-protected); a present page is present, written
// without uffd-wp, a file's page when it is a normal page that is not
// anonymous (asked only when PAGE_IS_FILE is of interest), the zero page
// PFNZERO; a swap entry or a marker is swapped, and written without
// uffd-wp.
func (s *pagemapScanPrivate) pageCategory(pte uint64) uint64 {
	if pte == 0 {
		return pageIsWritten
	}
	var c uint64
	if pte&ptePresent == 0 {
		c = pageIsSwapped
		if !pteUffdWPOf(pte) {
			c |= pageIsWritten
		}
		return c // the model's swap entries are of anonymous pages
	}
	c = pageIsPresent
	if !pteUffdWPOf(pte) {
		c |= pageIsWritten
	}
	pfn := ptePFN(pte)
	m := &s.e.mem
	if pfn < pfnBase || int(idxOf(pfn)) >= int(m.n) {
		return c
	}
	f := m.f(idxOf(pfn))
	if s.masksOfInterest&pageIsFile != 0 && pte&pteSpecial == 0 && f.use != useAnon && f.use != useZero {
		c |= pageIsFile
	}
	if idxOf(pfn) == m.zero {
		c |= pageIsPFNZero
	}
	return c
}

// thpCategory is pagemap_thp_category for a huge PMD: huge and present,
// written without uffd-wp, the huge zero page PFNZERO (and no file's: the
// model's huge pages are anonymous).
func (s *pagemapScanPrivate) thpCategory(pmd uint64) uint64 {
	c := uint64(pageIsHuge | pageIsPresent)
	if !pteUffdWPOf(pmd) {
		c |= pageIsWritten
	}
	if idxOf(ptePFN(pmd)) == s.e.mem.hugeZero {
		c |= pageIsPFNZero
	}
	return c
}

// thpEntry is pagemap_scan_thp_entry for the huge PMD *pm over [start,
// end): its categories output; with PM_SCAN_WP_MATCHING a written one is
// write-protected whole (make_uffd_wp_pmd), or, when only part of it is
// to be, split, taken back and walked again as PTEs: done is false then.
func (s *pagemapScanPrivate) thpEntry(pm *uint64, start, end uint64) (err engine.Errno, done bool) {
	categories := s.curVMACategory | s.thpCategory(*pm)
	if !s.isInterestingPage(categories) {
		return 0, true
	}
	err = s.output(categories, start, &end)
	if start == end || s.arg.flags&pmScanWPMatching == 0 || categories&pageIsWritten == 0 {
		return err, true
	}
	if end != start+hpageSize {
		s.e.splitHugePMD(s.p, pm, start)
		s.backoutRange(start, end)
		return 0, false
	}
	*pm = (*pm | pteUffdWP) &^ pteRW // make_uffd_wp_pmd
	s.e.tlbGen++
	return err, true
}

// pmdEntry is pagemap_scan_pmd_entry for the PMD entry i of t over
// [start, end): a huge PMD goes to thpEntry; a PTE table's entries are
// output and write-protected one by one. Three loops, as the kernel's:
// write-protecting without output (every PTE not protected yet), the
// plain "written pages" scan (every PTE not protected is written), and
// the general one (each PTE's categories).
func (s *pagemapScanPrivate) pmdEntry(t *ptable, i int, start, end uint64) engine.Errno {
	e, p := s.e, s.p
	if pm := t.at(i); isHugePMD(*pm) {
		if err, done := s.thpEntry(pm, start, end); done {
			return err
		}
		if *pm == 0 {
			return s.pteHole(start, end) // the huge zero page's PMD, split to nothing
		}
		if isHugePMD(*pm) {
			return engine.ENOMEM // no frame for the PTE table
		}
	}
	pt := e.tableAt(t.get(i))
	wp := s.arg.flags&pmScanWPMatching != 0
	protected := func(pte uint64) bool { return pte != 0 && pteUffdWPOf(pte) }
	flush := false
	defer func() {
		if flush {
			e.tlbGen++ // flush_tlb_range
		}
	}()
	if wp && s.vecOut == 0 {
		// The fast path of an exclusive write-protect.
		for addr := start; addr != end; addr += engine.PageSize {
			if !protected(pt.get(ptIndex(addr, lvlPTE))) {
				e.makeUffdWPPTE(p, addr)
				flush = true
			}
		}
		return 0
	}
	var err engine.Errno
	if s.arg.categoryAnyofMask == 0 && s.arg.categoryInverted == 0 &&
		s.arg.categoryMask == pageIsWritten && s.arg.returnMask == pageIsWritten {
		for addr := start; addr < end; addr += engine.PageSize {
			if protected(pt.get(ptIndex(addr, lvlPTE))) {
				continue
			}
			next := addr + engine.PageSize
			err = s.output(s.curVMACategory|pageIsWritten, addr, &next)
			if next == addr {
				break
			}
			if wp {
				e.makeUffdWPPTE(p, addr)
				flush = true
			}
		}
		return err
	}
	for addr := start; addr != end; addr += engine.PageSize {
		categories := s.curVMACategory | s.pageCategory(pt.get(ptIndex(addr, lvlPTE)))
		if !s.isInterestingPage(categories) {
			continue
		}
		next := addr + engine.PageSize
		err = s.output(categories, addr, &next)
		if next == addr {
			break
		}
		if wp && categories&pageIsWritten != 0 {
			e.makeUffdWPPTE(p, addr)
			flush = true
		}
	}
	return err
}

// makeUffdWPPTE is make_uffd_wp_pte: the page at addr, mapped by a PTE
// table, is write-protected for the handler: a present PTE loses write
// and gains uffd-wp, a swap entry gains uffd-wp, and an empty one becomes
// a marker.
func (e *Engine) makeUffdWPPTE(p *process, addr uint64) {
	pp := e.pteOf(p, addr)
	if pp == nil || *pp == 0 {
		e.setPTE(p, addr, pteMarkerUffdWP)
		return
	}
	if *pp&ptePresent != 0 {
		*pp = (*pp | pteUffdWP) &^ pteRW
	} else {
		*pp |= pteUffdWP
	}
}
