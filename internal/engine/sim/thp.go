package sim

import "github.com/mmapplayground/playground/internal/engine"

// Transparent huge pages, analogous to mm/huge_memory.c: the
// transparent_hugepage/enabled setting (Options.THP) and which areas may
// take a PMD-sized page.

// hpageSize is HPAGE_PMD_SIZE: one PMD entry maps 2 MiB.
const hpageSize = 1 << 21

// thpModes are the values of transparent_hugepage/enabled, in the order
// the file lists them.
var thpModes = []string{"always", "madvise", "never"}

// thpEligible is thp_vma_allowable_order(v, PMD_ORDER) as smaps asks it
// (TVA_SMAPS | TVA_ENFORCE_SYSFS): an anonymous private area that the
// setting allows (always, or madvise and VM_HUGEPAGE), not
// VM_NOHUGEPAGE, holding at least one 2 MiB-aligned range.
func (e *Engine) thpEligible(v *vma) bool {
	if v.file != nil || v.flags&(vmNoHugePage|vmSpecial) != 0 {
		return false
	}
	switch e.opts.THP {
	case "always":
	case "madvise":
		if v.flags&vmHugePage == 0 {
			return false
		}
	default:
		return false
	}
	h := (v.start + hpageSize - 1) &^ (hpageSize - 1)
	return h >= v.start && h+hpageSize <= v.end
}

// showTHPEnabled is enabled_show: the modes, the one in force bracketed.
func showTHPEnabled(e *Engine, _, _ *process) string {
	b := make([]byte, 0, 32)
	for i, m := range thpModes {
		if i > 0 {
			b = append(b, ' ')
		}
		if m == e.opts.THP {
			b = append(append(append(b, '['), m...), ']')
		} else {
			b = append(b, m...)
		}
	}
	return string(append(b, '\n'))
}

// showTHPDefrag is defrag_show with the kernel's default, which the model
// has no setting for (it never compacts).
func showTHPDefrag(*Engine, *process, *process) string {
	return "always defer defer+madvise [madvise] never\n"
}

// Kernel paths of huge-page faults.
var (
	pathHugeAnon = []string{"handle_mm_fault", "create_huge_pmd", "do_huge_pmd_anonymous_page"}
	pathHugeZero = []string{"handle_mm_fault", "create_huge_pmd", "do_huge_pmd_anonymous_page", "mm_get_huge_zero_folio"}
	pathHugeWP   = []string{"handle_mm_fault", "wp_huge_pmd", "do_huge_pmd_wp_page", "do_huge_zero_wp_pmd"}
	// pathHugeWPReuse is a write to a huge PMD fork write-protected,
	// taken back whole once the folio is the writer's alone.
	pathHugeWPReuse = []string{"handle_mm_fault", "wp_huge_pmd", "do_huge_pmd_wp_page", "reuse"}
)

// hugePages is the number of base pages in one PMD-sized page.
const hugePages = hpageSize >> 12

// thpFaultOK is the fault's question to thp_vma_allowable_order (in_pf):
// may the anonymous private area v take a PMD-sized page at haddr?
func (e *Engine) thpFaultOK(v *vma, haddr uint64) bool {
	if v.file != nil || v.flags&vmShared != 0 || v.flags&(vmNoHugePage|vmSpecial) != 0 {
		return false
	}
	switch e.opts.THP {
	case "always":
	case "madvise":
		if v.flags&vmHugePage == 0 {
			return false
		}
	default:
		return false
	}
	return haddr >= v.start && haddr+hpageSize <= v.end
}

// allocHuge takes 512 contiguous, 512-aligned frames (a PMD-sized folio)
// from frames never handed out, or -1: the model does not compact memory,
// so once RAM has been used all over, a fault falls back to small pages.
func (m *physmem) allocHuge(use uint8) int32 {
	start := (m.n + hugePages - 1) &^ (hugePages - 1)
	if uint64(start)+hugePages > m.total || m.used+hugePages > m.total {
		return -1
	}
	grow := func(i int32) {
		if int(i>>frameSegShift) == len(m.segs) {
			m.segs = append(m.segs, make([]frame, 1<<frameSegShift))
		}
	}
	for i := m.n; i < start; i++ {
		grow(i)
		*m.f(i) = frame{lruPrev: -1, lruNext: -1, blk: -1}
		m.free = append(m.free, i) // skipped for alignment: free for small pages
	}
	for i := start; i < start+hugePages; i++ {
		grow(i)
		*m.f(i) = frame{use: use, lruPrev: -1, lruNext: -1, blk: -1}
	}
	m.n = start + hugePages
	m.used += hugePages
	m.byUse[use] += hugePages
	return start
}

// hugeZeroFolio is the huge zero page (mm_get_huge_zero_folio), made on
// first use and kept; -1 when there is no room for it.
func (e *Engine) hugeZeroFolio() int32 {
	if e.mem.hugeZero == 0 {
		e.mem.hugeZero = -1
		if fi := e.mem.allocHuge(useZero); fi >= 0 {
			for i := fi; i < fi+hugePages; i++ {
				e.mem.f(i).ref = 1
			}
			e.mem.hugeZero = fi
		}
	}
	return e.mem.hugeZero
}

// newHugeAnon allocates and maps a PMD-sized anonymous folio for v at haddr.
func (e *Engine) newHugeAnon(p *process, v *vma, haddr uint64) int32 {
	fi := e.mem.allocHuge(useAnon)
	if fi < 0 {
		return -1
	}
	e.anonVMAPrepare(v)
	for i := int32(0); i < hugePages; i++ {
		f := e.mem.f(fi + i)
		f.ref, f.mapcnt = 1, 1
		f.index = v.pgoffAt(haddr + uint64(i)<<engine.PageShift)
		if v.flags&vmLocked != 0 {
			f.flags |= pgMlocked
		}
		e.mem.lruAdd(fi + i)
	}
	return fi
}

// doHugePMDFault is create_huge_pmd and wp_huge_pmd for an anonymous
// fault: on an empty PMD of an area that may take huge pages, a read maps
// the huge zero page and a write a new 2 MiB folio, both as one PMD leaf;
// a write to the huge zero page replaces it with a folio. It reports
// whether it handled the fault; if not, the fault goes on with small pages
// (a PTE table, which splits a huge PMD that is there).
func (e *Engine) doHugePMDFault(vmf *vmFault) (*engine.Signal, bool) {
	p, v := vmf.p, vmf.v
	haddr := vmf.addr &^ (hpageSize - 1)
	if !e.thpFaultOK(v, haddr) {
		return nil, false
	}
	// The upper tables, as __handle_mm_fault makes them (pud_alloc,
	// pmd_alloc).
	pt := e.pmdTables(p, haddr)
	if pt == nil {
		return nil, false
	}
	pm := e.mem.slot(pt, ptIndex(haddr, lvlPMD))
	if *pm == 0 {
		defer func() {
			if *pm != 0 {
				pt.used++ // the leaf is an entry of the PMD table
			}
		}()
	}
	switch {
	case *pm == 0:
	case isHugePMD(*pm) && vmf.write && userfaultfdPTEWP(v, *pm):
		// wp_huge_pmd: a write to a huge PMD write-protected for a
		// userfaultfd (PAGEMAP_SCAN's make_uffd_wp_pmd) is the handler's;
		// with WP_ASYNC the PMD is split, and the page written resolved
		// as a small one (VM_FAULT_FALLBACK).
		if !v.userfaultfdWPAsync() {
			return e.handleUserfault(vmf, vmUffdWP), true
		}
		return nil, false
	case isHugePMD(*pm) && vmf.write && *pm&pteRW == 0 && idxOf(ptePFN(*pm)) == e.mem.hugeZero:
	case isHugePMD(*pm) && vmf.write && *pm&pteRW == 0:
		// do_huge_pmd_wp_page on a folio fork shared: the writer takes it
		// back whole once nobody else maps it; else the PMD is split and
		// the fault copies one small page (VM_FAULT_FALLBACK).
		fi := idxOf(ptePFN(*pm))
		for i := fi; i < fi+hugePages; i++ {
			if f := e.mem.f(i); f.mapcnt != 1 || f.ref != 1 {
				return nil, false
			}
		}
		*pm |= pteRW | pteDirty | pteAccessed | pteSoftDirty
		p.mm.lastPT = nil
		e.tlbGen++
		e.faultDone(vmf, kindWPReuse, false, pfnOf(fi), *pm, pathHugeWPReuse)
		return nil, true
	default:
		return nil, false
	}
	if *pm == 0 && v.flags&vmUffdMissing != 0 {
		// do_huge_pmd_anonymous_page: a missing page of a registered
		// area is the handler's (the huge zero page's and a new folio's
		// paths alike), with no PTE table made.
		return e.handleUserfault(vmf, vmUffdMissing), true
	}
	base := basePTE(v) | pmdHuge
	if !vmf.write && *pm == 0 && !e.opts.NoZeroPage {
		hz := e.hugeZeroFolio()
		if hz < 0 {
			return nil, false
		}
		*pm = pfnOf(hz)<<engine.PageShift | base | pteSpecial
		e.countPresent(p, haddr, lvlPMD, hugePages)
		p.mm.lastPT = nil
		e.tlbGen++
		e.cnt.ZeroPageMaps++
		vmf.around = hugePages
		e.faultDone(vmf, kindAnonZero, false, pfnOf(hz), *pm, pathHugeZero)
		return nil, true
	}
	fi := e.newHugeAnon(p, v, haddr)
	if fi < 0 {
		return nil, false
	}
	path := pathHugeAnon
	if *pm != 0 {
		path = pathHugeWP // the huge zero page's PMD, replaced
	} else {
		e.countPresent(p, haddr, lvlPMD, hugePages)
	}
	*pm = pfnOf(fi)<<engine.PageShift | base | pteRW | pteDirty
	p.mm.lastPT = nil
	p.mm.rss += hugePages
	e.cnt.PTEsSet++
	e.tlbGen++
	vmf.around = hugePages
	e.faultDone(vmf, kindAnon, false, pfnOf(fi), *pm, path)
	return nil, true
}

// pmdTables makes the PUD and PMD tables down to addr's PMD entry and
// returns the PMD table.
func (e *Engine) pmdTables(p *process, addr uint64) *ptable {
	t := p.mm.pgd
	for level := lvlPGD; level < lvlPMD; level++ {
		i := ptIndex(addr, level)
		if t.get(i) == 0 {
			child := e.newTable(p, level+1, addr)
			if child == nil {
				return nil
			}
			*e.mem.slot(t, i) = pfnOf(child.frame)<<engine.PageShift | ptePresent | pteRW | pteUser | pteAccessed
			t.used++
			t = child
			continue
		}
		t = e.tableAt(t.get(i))
	}
	return t
}

// splitHugePMD is __split_huge_pmd: the leaf at *pmd becomes a PTE table
// of 512 entries mapping the same frames with the same bits (the folio
// stays whole, mapped by PTEs). The huge zero page's PMD is simply cleared:
// the next access faults its small page in; but one write-protected for a
// userfaultfd becomes 512 entries of the small zero page that keep uffd-wp
// (__split_huge_zero_page_pmd), so that a write to each is still caught.
func (e *Engine) splitHugePMD(p *process, pmd *uint64, addr uint64) bool {
	ent := *pmd
	haddr := addr &^ (hpageSize - 1)
	if idxOf(ptePFN(ent)) == e.mem.hugeZero && !pteUffdWPOf(ent) {
		*pmd = 0
		if t := e.pmdTable(p, haddr); t != nil {
			t.used--
			e.countPresent(p, haddr, lvlPMD, -hugePages)
		}
		p.mm.lastPT = nil
		e.tlbGen++
		if e.sink != nil {
			ev := e.newEvent(engine.EvPTE, p.pid)
			ev.Op, ev.Why, ev.Addr, ev.Pages = "clear", "split_huge_pmd", haddr, hugePages
			e.emit(ev)
		}
		return false
	}
	t := e.newTable(p, lvlPTE, haddr)
	if t == nil {
		return false
	}
	sub := ent &^ pmdHuge
	step := uint64(1) << engine.PageShift
	if idxOf(ptePFN(ent)) == e.mem.hugeZero {
		sub = sub&^pfnMask | pfnOf(e.mem.zero)<<engine.PageShift
		step = 0
		p.mm.rss += hugePages // as setPTE counts the zero page's PTEs
	}
	for i := 0; i < 512; i++ {
		*e.mem.slot(t, i) = sub + uint64(i)*step
	}
	t.used = 512
	t.present = hugePages // the PMD's pages, now its table's
	*pmd = pfnOf(t.frame)<<engine.PageShift | ptePresent | pteRW | pteUser | pteAccessed
	p.mm.lastPT = nil
	e.tlbGen++
	if e.sink != nil {
		ev := e.newEvent(engine.EvPTE, p.pid)
		ev.Op, ev.Why, ev.Addr, ev.Pages = "set", "split_huge_pmd", haddr, hugePages
		e.emit(ev)
	}
	return true
}

// The rest of /sys/kernel/mm/transparent_hugepage (mm/huge_memory.c's and
// mm/khugepaged.c's attributes), as this machine's kernel shows them, for
// the huge pages the model has: PMD-sized only (one hugepages-2048kB
// directory, its sizes inheriting the top-level setting: no mTHP), shmem
// without huge pages, and khugepaged, which the model does not run (no
// scans, nothing collapsed). All root's, 0644: the model's user reads them
// and may not open one for writing (EACCES).
var thpSysfsFiles = map[string]string{
	"shmem_enabled":                    "always within_size advise [never] deny force\n",
	"use_zero_page":                    "1\n",
	"hugepages-2048kB/enabled":         "always [inherit] madvise never\n",
	"hugepages-2048kB/shmem_enabled":   "always [inherit] within_size advise never\n",
	"khugepaged/defrag":                "1\n",
	"khugepaged/alloc_sleep_millisecs": "60000\n",
	"khugepaged/scan_sleep_millisecs":  "10000\n",
	"khugepaged/max_ptes_none":         "511\n",
	"khugepaged/max_ptes_swap":         "64\n",
	"khugepaged/max_ptes_shared":       "256\n",
	"khugepaged/pages_to_scan":         "4096\n",
	"khugepaged/full_scans":            "0\n",
	"khugepaged/pages_collapsed":       "0\n",
}

const thpSysfs = "/sys/kernel/mm/transparent_hugepage"

func init() {
	for name, text := range thpSysfsFiles {
		text := text
		procGlobalFiles[thpSysfs+"/"+name] = &procFile{record: whole(func(*Engine, *process, *process) string { return text })}
	}
	for _, d := range []string{"hugepages-2048kB", "khugepaged"} {
		procDirs[thpSysfs+"/"+d] = true
	}
}
