package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// Page tables, analogous to x86-64's four-level paging: PGD, PUD, PMD and
// PTE tables of 512 eight-byte entries, each indexed by 9 bits of the
// virtual address (47..39, 38..30, 29..21, 20..12). Each table is a frame of
// simulated RAM; a lower table is made on demand (__pte_alloc and friends)
// and freed when it has no entries left after munmap (free_pgtables).
//
// Entries are raw x86-64 entries: the frame number in bits 12..51 and the
// hardware bits below, so a walk shows what the MMU would read.

// x86-64 PTE bits (arch/x86/include/asm/pgtable_types.h).
const (
	ptePresent   uint64 = 1 << 0
	pteRW        uint64 = 1 << 1
	pteUser      uint64 = 1 << 2
	pteAccessed  uint64 = 1 << 5
	pteDirty     uint64 = 1 << 6
	pmdHuge      uint64 = 1 << 7  // _PAGE_PSE: a PMD entry that maps 2 MiB itself (thp.go)
	pteSpecial   uint64 = 1 << 9  // _PAGE_SPECIAL (_PAGE_BIT_SOFTW1)
	pteSwap      uint64 = 1 << 10 // the model's mark of a swap entry (not present)
	pteSoftDirty uint64 = 1 << 11 // _PAGE_SOFT_DIRTY (_PAGE_BIT_SOFTW3)
	pteNX        uint64 = 1 << 63
	pfnMask      uint64 = (1<<52 - 1) &^ engine.PageMask
)

// Table levels.
const (
	lvlPGD = iota
	lvlPUD
	lvlPMD
	lvlPTE
)

var levelNames = [...]string{"PGD", "PUD", "PMD", "PTE"}

// ptChunk is how many entries of a table the host makes at once. A table
// is a frame of simulated RAM all the same, but the host holds only the
// chunks of it that have had an entry: a sparse address space (a page
// touched in each of many gigabytes, so a PMD and a PTE table of one
// entry each) costs the host some 400 bytes a table, not 4 KiB.
const ptChunk = 32

// ptable is one page-table page.
type ptable struct {
	// ent holds the 512 entries, ptChunk at a time; a nil chunk is
	// ptChunk empty entries. get reads one; at points at one that may be
	// there (nil when its chunk is not); physmem.slot points at one to
	// set, making its chunk.
	ent [512 / ptChunk]*[ptChunk]uint64
	// present is how many present pages the table maps: its present
	// PTEs, 512 for each huge PMD, and its lower tables' counts; kept as
	// entries change (countPresent), so that an area's present pages are
	// counted from the tables wholly inside it (presentPages), not page
	// by page.
	present int64
	used    int32 // non-zero entries
	level   int8
	frame   int32
}

// get is entry i.
func (t *ptable) get(i int) uint64 {
	if c := t.ent[i/ptChunk]; c != nil {
		return c[i%ptChunk]
	}
	return 0
}

// at points at entry i, or is nil when its chunk was never made (the
// entry is empty).
func (t *ptable) at(i int) *uint64 {
	if c := t.ent[i/ptChunk]; c != nil {
		return &c[i%ptChunk]
	}
	return nil
}

// chunks is how many chunks t holds.
func (t *ptable) chunks() int {
	n := 0
	for _, c := range t.ent {
		if c != nil {
			n++
		}
	}
	return n
}

// slot points at entry i of t to be set, making its chunk if need be.
func (m *physmem) slot(t *ptable, i int) *uint64 {
	c := t.ent[i/ptChunk]
	if c == nil {
		c = new([ptChunk]uint64)
		t.ent[i/ptChunk] = c
		m.tableChunks++
	}
	return &c[i%ptChunk]
}

func ptIndex(addr uint64, level int) int {
	return int(addr>>(39-9*uint(level))) & 511
}

// pteBits converts raw bits to engine.PTEBits.
func pteBits(pte uint64) engine.PTEBits {
	var b engine.PTEBits
	if pte&ptePresent != 0 {
		b |= engine.PTEPresent
	}
	if pte&pteRW != 0 {
		b |= engine.PTEWrite
	}
	if pte&pteUser != 0 {
		b |= engine.PTEUser
	}
	if pte&pteAccessed != 0 {
		b |= engine.PTEAccessed
	}
	if pte&pteDirty != 0 {
		b |= engine.PTEDirty
	}
	if pte&pteNX != 0 {
		b |= engine.PTENoExec
	}
	if pte&pteSoftDirty != 0 {
		b |= engine.PTESoftDirty
	}
	if pte&pteSpecial != 0 {
		b |= engine.PTESpecial
	}
	return b
}

// bitNames caches PTEBits.String for every combination (eight bits).
var bitNames = func() (t [256]string) {
	for i := range t {
		t[i] = engine.PTEBits(i).String()
	}
	return
}()

func bitString(pte uint64) string { return bitNames[pteBits(pte)&0xff] }

func ptePFN(pte uint64) uint64 { return (pte & pfnMask) >> engine.PageShift }

// newTable allocates a page-table page (pte_alloc_one) for level.
func (e *Engine) newTable(p *process, level int, addr uint64) *ptable {
	fi := e.allocFrame(usePageTable)
	if fi < 0 {
		return nil
	}
	t := &ptable{level: int8(level), frame: fi}
	m := &e.mem
	m.f(fi).ref = 1
	m.f(fi).blk = int32(len(m.tables))
	m.tables = append(m.tables, t)
	if p != nil {
		p.mm.tables[level]++
		e.cnt.TablesAlloc++
		if e.sink != nil {
			ev := e.newEvent(engine.EvPgtable, p.pid)
			ev.Op = "alloc"
			ev.Level = levelNames[level]
			ev.Addr = addr &^ (1<<(39-9*uint(level)+9) - 1)
			ev.PFN = pfnOf(fi)
			e.emit(ev)
		}
	}
	return t
}

// freeTable frees a table page (pte_free).
func (e *Engine) freeTable(p *process, t *ptable, addr uint64) {
	m := &e.mem
	last := m.tables[len(m.tables)-1]
	pos := m.f(t.frame).blk
	m.tables[pos] = last
	m.f(last.frame).blk = pos
	m.tables = m.tables[:len(m.tables)-1]
	m.tableChunks -= t.chunks()
	fi := t.frame
	m.f(fi).ref = 0
	m.release(fi)
	p.mm.tables[t.level]--
	e.cnt.TablesFreed++
	if e.sink != nil {
		ev := e.newEvent(engine.EvPgtable, p.pid)
		ev.Op = "free"
		ev.Level = levelNames[t.level]
		ev.Addr = addr &^ (1<<(39-9*uint(t.level)+9) - 1)
		ev.PFN = pfnOf(fi)
		e.emit(ev)
	}
}

func (e *Engine) tableAt(entry uint64) *ptable {
	return e.mem.tables[e.mem.f(idxOf(ptePFN(entry))).blk]
}

// pteTable returns the PTE table covering addr, making missing tables when
// alloc is set. It caches the last table per process.
func (e *Engine) pteTable(p *process, addr uint64, alloc bool) *ptable {
	mm := p.mm
	key := addr >> 21
	if mm.lastPT != nil && mm.lastPTKey == key {
		return mm.lastPT
	}
	t := mm.pgd
	for level := lvlPGD; level < lvlPTE; level++ {
		i := ptIndex(addr, level)
		ent := t.get(i)
		if level == lvlPMD && isHugePMD(ent) {
			// A huge page maps this 2 MiB: no PTE table to find, unless
			// one is wanted, which splits it (split_huge_pmd).
			if !alloc {
				return nil
			}
			e.splitHugePMD(p, t.at(i), addr)
			if ent = t.get(i); isHugePMD(ent) {
				return nil // no frame for the PTE table
			}
		}
		if ent == 0 {
			if !alloc {
				return nil
			}
			child := e.newTable(p, level+1, addr)
			if child == nil {
				return nil
			}
			*e.mem.slot(t, i) = pfnOf(child.frame)<<engine.PageShift | ptePresent | pteRW | pteUser | pteAccessed
			t.used++
			t = child
			continue
		}
		t = e.tableAt(ent)
	}
	mm.lastPT, mm.lastPTKey = t, key
	return t
}

// pteOf returns a pointer to addr's PTE, or nil when no table holds it
// (nor the chunk of one: the entry is empty).
func (e *Engine) pteOf(p *process, addr uint64) *uint64 {
	t := e.pteTable(p, addr, false)
	if t == nil {
		return nil
	}
	return t.at(ptIndex(addr, lvlPTE))
}

// setPTE installs pte at addr (set_pte_at), making tables as needed.
// It returns false when no frame was left for a table.
func (e *Engine) setPTE(p *process, addr uint64, pte uint64) bool {
	t := e.pteTable(p, addr, true)
	if t == nil {
		return false
	}
	i := ptIndex(addr, lvlPTE)
	old := t.get(i)
	if old == 0 && pte != 0 {
		t.used++
	} else if old != 0 && pte == 0 {
		t.used--
	}
	if old&ptePresent != 0 {
		p.mm.rss--
	}
	if pte&ptePresent != 0 {
		p.mm.rss++
		e.cnt.PTEsSet++
	}
	if pte != 0 || old != 0 {
		*e.mem.slot(t, i) = pte
	}
	if d := int64(pte&ptePresent) - int64(old&ptePresent); d != 0 {
		e.countPresent(p, addr, lvlPTE, d)
	}
	e.tlbGen++
	return true
}

// countPresent adds d present pages to the tables over addr, from the
// PGD down to the table at level whose entry changed: a PTE that became
// present or stopped being (one page), a huge PMD made or cleared (512).
func (e *Engine) countPresent(p *process, addr uint64, level int, d int64) {
	t := p.mm.pgd
	for l := lvlPGD; ; l++ {
		t.present += d
		if l == level {
			return
		}
		t = e.tableAt(t.get(ptIndex(addr, l)))
	}
}

// presentPages is how many pages of [start, end) are present: what
// forEachMapped would count, from the counts of the tables wholly inside
// the range, walking only the tables at its ends.
func (e *Engine) presentPages(p *process, start, end uint64) int {
	if p.mm == nil || start >= end {
		return 0
	}
	return int(e.presentIn(p.mm.pgd, lvlPGD, 0, start, end))
}

func (e *Engine) presentIn(t *ptable, level int, base, start, end uint64) int64 {
	shift := 39 - 9*uint(level)
	if t.present == 0 || (start <= base && base+512<<shift <= end) {
		return t.present
	}
	span := uint64(1) << shift
	n := int64(0)
	for i := ptIndex(start, level); i < 512; i++ {
		a := base + uint64(i)*span
		if a >= end {
			break
		}
		if t.ent[i/ptChunk] == nil {
			i |= ptChunk - 1 // a chunk never made: ptChunk empty entries
			continue
		}
		ent := t.get(i)
		switch {
		case ent == 0:
		case level == lvlPTE:
			n += int64(ent & ptePresent)
		case level == lvlPMD && isHugePMD(ent):
			n += int64((min(end, a+span) - max(start, a)) >> engine.PageShift)
		default:
			n += e.presentIn(e.tableAt(ent), level+1, a, max(start, a), end)
		}
	}
	return n
}

// freeEmptyTables frees the tables under [start, end) that have no entries
// left, bottom up (free_pgtables).
func (e *Engine) freeEmptyTables(p *process, start, end uint64) {
	if start >= end {
		return
	}
	e.freeEmpty(p, p.mm.pgd, lvlPGD, 0, start, end)
	p.mm.lastPT = nil
}

func (e *Engine) freeEmpty(p *process, t *ptable, level int, base, start, end uint64) {
	span := uint64(1) << (39 - 9*uint(level))
	for i := ptIndex(start, level); i < 512; i++ {
		a := base + uint64(i)*span
		if a >= end {
			break
		}
		ent := t.get(i)
		if ent == 0 {
			continue
		}
		child := e.tableAt(ent)
		if level+1 < lvlPTE {
			s := start
			if s < a {
				s = a
			}
			e.freeEmpty(p, child, level+1, a, s, end)
		}
		if child.used == 0 {
			*t.at(i) = 0
			t.used--
			e.freeTable(p, child, a)
		}
	}
}

// forEachPTE calls fn for each non-empty PTE in [start, end), in address
// order, skipping missing tables quickly.
func (e *Engine) forEachPTE(p *process, start, end uint64, fn func(addr uint64, pte *uint64, t *ptable)) {
	if p.mm == nil || start >= end {
		return
	}
	e.walkRange(p, p.mm.pgd, lvlPGD, 0, start, end, true, fn)
}

// forEachSmallPTE is forEachPTE that leaves huge PMDs alone: fn sees
// only the PTEs of PTE tables (fork, which copies huge PMDs itself).
func (e *Engine) forEachSmallPTE(p *process, start, end uint64, fn func(addr uint64, pte *uint64, t *ptable)) {
	if p.mm == nil || start >= end {
		return
	}
	e.walkRange(p, p.mm.pgd, lvlPGD, 0, start, end, false, fn)
}

// walkRange walks the tables under t for [start, end). Whoever walks PTEs
// to change them wants PTEs: a huge PMD on the way is split first (unless
// split is false: then it is skipped), as Linux's callers split_huge_pmd
// before a PTE-level change (forEachMapped reads without splitting).
func (e *Engine) walkRange(p *process, t *ptable, level int, base, start, end uint64, split bool, fn func(uint64, *uint64, *ptable)) {
	span := uint64(1) << (39 - 9*uint(level))
	for i := ptIndex(start, level); i < 512; i++ {
		a := base + uint64(i)*span
		if a >= end {
			return
		}
		pp := t.at(i)
		if pp == nil || *pp == 0 {
			continue
		}
		if level == lvlPTE {
			fn(a, pp, t)
			continue
		}
		if level == lvlPMD && isHugePMD(*pp) {
			if !split {
				continue
			}
			if e.splitHugePMD(p, pp, a); *pp == 0 || isHugePMD(*pp) {
				continue
			}
		}
		s := start
		if s < a {
			s = a
		}
		e.walkRange(p, e.tableAt(*pp), level+1, a, s, end, split, fn)
	}
}

// forEachMapped calls fn for each non-empty entry of a page in [start,
// end) without changing anything: under a huge PMD, fn sees each page's
// share of it (the leaf with the page's frame) and huge set.
func (e *Engine) forEachMapped(p *process, start, end uint64, fn func(addr, pte uint64, huge bool)) {
	if p.mm == nil || start >= end {
		return
	}
	e.readRange(p.mm.pgd, lvlPGD, 0, start, end, fn)
}

func (e *Engine) readRange(t *ptable, level int, base, start, end uint64, fn func(uint64, uint64, bool)) {
	if t.used == 0 {
		return // an empty table (a sparse address space leaves many)
	}
	span := uint64(1) << (39 - 9*uint(level))
	for i := ptIndex(start, level); i < 512; i++ {
		a := base + uint64(i)*span
		if a >= end {
			return
		}
		if t.ent[i/ptChunk] == nil {
			i |= ptChunk - 1 // a chunk never made: ptChunk empty entries
			continue
		}
		ent := t.get(i)
		if ent == 0 {
			continue
		}
		if level == lvlPTE {
			fn(a, ent, false)
			continue
		}
		s := max(start, a)
		if level == lvlPMD && isHugePMD(ent) {
			for x := s; x < min(end, a+span); x += engine.PageSize {
				fn(x, hugeSubPTE(ent, x), true)
			}
			continue
		}
		e.readRange(e.tableAt(ent), level+1, a, s, end, fn)
	}
}

// pmdEntry is addr's PMD entry, or nil when no PMD table covers it.
func (e *Engine) pmdEntry(p *process, addr uint64) *uint64 {
	if t := e.pmdTable(p, addr); t != nil {
		return t.at(ptIndex(addr, lvlPMD))
	}
	return nil
}

// pmdTable is the PMD table covering addr, or nil.
func (e *Engine) pmdTable(p *process, addr uint64) *ptable {
	t := p.mm.pgd
	for level := lvlPGD; level < lvlPMD; level++ {
		ent := t.get(ptIndex(addr, level))
		if ent == 0 {
			return nil
		}
		t = e.tableAt(ent)
	}
	return t
}

func isHugePMD(ent uint64) bool { return ent&(pmdHuge|ptePresent) == pmdHuge|ptePresent }

// hugeSubPTE is the entry a huge PMD amounts to for the page at addr: its
// bits, and its frame moved on by the page's index in the 2 MiB.
func hugeSubPTE(pmd, addr uint64) uint64 {
	return pmd&^pmdHuge + (addr>>engine.PageShift&511)<<engine.PageShift
}

// lookupPTE is the entry an access to addr would use, and whether a huge
// PMD holds it; 0 when there is none. It changes nothing.
func (e *Engine) lookupPTE(p *process, addr uint64) (uint64, bool) {
	if pp := e.pteOf(p, addr); pp != nil {
		return *pp, false
	}
	if pm := e.pmdEntry(p, addr); pm != nil && isHugePMD(*pm) {
		return hugeSubPTE(*pm, addr), true
	}
	return 0, false
}

// Walk is the four-level walk for addr.
func (e *Engine) Walk(pid int, addr uint64) engine.Walk {
	w := engine.Walk{Addr: addr, State: "none"}
	p := e.proc(pid)
	if p == nil || p.mm == nil {
		w.Note = "no such process"
		return w
	}
	if v := p.mm.findVMA(addr); v != nil && v.start <= addr {
		vv := e.vmaInfo(p, v)
		w.VMA = &vv
	}
	t := p.mm.pgd
	for level := lvlPGD; level <= lvlPTE; level++ {
		i := ptIndex(addr, level)
		ent := t.get(i)
		wl := engine.WalkLevel{Level: levelNames[level], Index: i, Entry: ent, Present: ent&ptePresent != 0}
		if ent&ptePresent != 0 {
			wl.PFN = ptePFN(ent)
		}
		w.Levels = append(w.Levels, wl)
		if level == lvlPMD && isHugePMD(ent) {
			// A PMD leaf: the walk ends here, 2 MiB in one entry.
			sub := hugeSubPTE(ent, addr)
			w.Bits = bitString(sub) + "|huge"
			w.PFN = ptePFN(sub)
			w.State = e.pageState(sub).String()
			break
		}
		if level == lvlPTE {
			w.Bits = bitString(ent)
			if ent&ptePresent != 0 {
				w.PFN = ptePFN(ent)
			}
			w.State = e.pageState(ent).String()
			break
		}
		if ent == 0 {
			break
		}
		t = e.tableAt(ent)
	}
	return w
}

// pageState classifies a PTE for the page map.
func (e *Engine) pageState(pte uint64) engine.PageState {
	switch {
	case pte == 0:
		return engine.PageNone
	case pte&pteSwap != 0:
		return engine.PageSwapped
	case pte&ptePresent == 0:
		return engine.PageNone
	}
	pfn := ptePFN(pte)
	if pfn < pfnBase || int(idxOf(pfn)) >= int(e.mem.n) {
		return engine.PageDevice
	}
	f := e.mem.f(idxOf(pfn))
	switch {
	case f.use == useZero:
		return engine.PageZero
	case f.use == useDevice:
		return engine.PageDevice
	case f.flags&pgMlocked != 0:
		return engine.PageLocked
	case pte&pteRW == 0 && f.use == useAnon && f.ref > 1:
		return engine.PageCOW
	case pte&pteDirty != 0 || (f.flags&pgDirty != 0 && pte&pteRW != 0):
		return engine.PageDirty
	}
	return engine.PageClean
}

// Pages describes each page of [start, end).
func (e *Engine) Pages(pid int, start, end uint64) []engine.PageInfo {
	p := e.proc(pid)
	if p == nil || p.mm == nil || start >= end {
		return nil
	}
	start &^= engine.PageMask
	const maxPages = 1 << 20
	if (end-start)>>engine.PageShift > maxPages {
		end = start + maxPages<<engine.PageShift
	}
	out := make([]engine.PageInfo, 0, (end-start+engine.PageMask)>>engine.PageShift)
	for a := start; a < end; a += engine.PageSize {
		pi := engine.PageInfo{Addr: a}
		if pte, _ := e.lookupPTE(p, a); pte != 0 {
			pi.State = e.pageState(pte)
			pi.Bits = pteBits(pte)
			pi.Flags = bitString(pte)
			if pte&ptePresent != 0 {
				pi.PFN = ptePFN(pte)
				if fi := idxOf(pi.PFN); pi.PFN >= pfnBase && int(fi) < int(e.mem.n) {
					f := e.mem.f(fi)
					pi.MapCount = int(f.mapcnt)
					pi.InPageCache = f.use == useFile
					if f.mapcnt > 1 && f.use != useZero {
						pi.Mappers = e.mappers(fi)
					}
				}
			}
		}
		out = append(out, pi)
	}
	return out
}
