package sim

import (
	"sort"

	"github.com/mmapplayground/playground/internal/engine"
)

// vm_flags, with Linux's values (include/linux/mm.h).
const (
	vmRead        uint64 = 0x00000001
	vmWrite       uint64 = 0x00000002
	vmExec        uint64 = 0x00000004
	vmShared      uint64 = 0x00000008
	vmMayRead     uint64 = 0x00000010
	vmMayWrite    uint64 = 0x00000020
	vmMayExec     uint64 = 0x00000040
	vmMayShare    uint64 = 0x00000080
	vmGrowsDown   uint64 = 0x00000100
	vmUffdMissing uint64 = 0x00000200 // registered with a userfaultfd, UFFDIO_REGISTER_MODE_MISSING
	vmPFNMap      uint64 = 0x00000400
	vmUffdWP      uint64 = 0x00001000 // UFFDIO_REGISTER_MODE_WP
	vmLocked      uint64 = 0x00002000
	vmIO          uint64 = 0x00004000
	vmSeqRead     uint64 = 0x00008000
	vmRandRead    uint64 = 0x00010000
	vmDontCopy    uint64 = 0x00020000
	vmDontExpand  uint64 = 0x00040000
	vmLockOnFault uint64 = 0x00080000
	vmAccount     uint64 = 0x00100000
	vmNoReserve   uint64 = 0x00200000
	vmWipeOnFork  uint64 = 0x02000000 // MADV_WIPEONFORK, MAP_DROPPABLE
	vmDontDump    uint64 = 0x04000000
	vmSoftDirty   uint64 = 0x08000000
	vmMixedMap    uint64 = 0x10000000
	vmHugePage    uint64 = 0x20000000 // MADV_HUGEPAGE
	vmNoHugePage  uint64 = 0x40000000 // MADV_NOHUGEPAGE
	vmUffdMinor   uint64 = 1 << 38    // UFFDIO_REGISTER_MODE_MINOR (VM_UFFD_MINOR_BIT)
	vmDroppable   uint64 = 1 << 40    // MAP_DROPPABLE (VM_DROPPABLE_BIT)
	vmSealed      uint64 = 1 << 42    // mseal (VM_SEALED_BIT)

	// vmSpecial areas never merge (VM_SPECIAL).
	vmSpecial = vmIO | vmDontExpand | vmPFNMap | vmMixedMap
	// vmIgnoreMerge flags do not stop a merge (VM_IGNORE_MERGE).
	vmIgnoreMerge = vmSoftDirty
	// vmUffdFlags are a userfaultfd's registration modes (__VM_UFFD_FLAGS).
	vmUffdFlags = vmUffdMissing | vmUffdWP | vmUffdMinor
)

var vmFlagNames = []struct {
	bit  uint64
	name string
}{
	{vmMayRead, "MAYREAD"}, {vmMayWrite, "MAYWRITE"}, {vmMayExec, "MAYEXEC"}, {vmMayShare, "MAYSHARE"},
	{vmGrowsDown, "GROWSDOWN"}, {vmUffdMissing, "UFFD_MISSING"}, {vmPFNMap, "PFNMAP"}, {vmUffdWP, "UFFD_WP"},
	{vmLocked, "LOCKED"}, {vmIO, "IO"},
	{vmSeqRead, "SEQ_READ"}, {vmRandRead, "RAND_READ"}, {vmDontCopy, "DONTCOPY"},
	{vmDontExpand, "DONTEXPAND"}, {vmLockOnFault, "LOCKONFAULT"}, {vmAccount, "ACCOUNT"},
	{vmNoReserve, "NORESERVE"}, {vmWipeOnFork, "WIPEONFORK"}, {vmDontDump, "DONTDUMP"}, {vmSoftDirty, "SOFTDIRTY"},
	{vmMixedMap, "MIXEDMAP"}, {vmHugePage, "HUGEPAGE"}, {vmNoHugePage, "NOHUGEPAGE"},
	{vmUffdMinor, "UFFD_MINOR"}, {vmDroppable, "DROPPABLE"}, {vmSealed, "SEALED"},
}

// vma is one area of an address space, analogous to struct vm_area_struct.
type vma struct {
	start, end uint64
	flags      uint64
	pgoff      uint64 // in pages: file offset, or for private anon areas addr>>12
	file       *inode // the mapped file (vm_file), nil for anonymous memory
	// zeroFile is the vm_file of a private /dev/zero area, which mmap_zero
	// made anonymous (vma_set_anonymous keeps the file): maps, smaps and
	// map_files name it; the area is anonymous memory in every other way.
	zeroFile *inode
	// anon is the area's anon_vma, 0 until its first anonymous page (as
	// anon_vma_prepare makes it); areas split from one share it.
	anon uint64
	// name is what /proc/pid/maps shows for areas without a file:
	// "[heap]", "[stack]", or the program's name for its image.
	name string
	// uffd is the userfaultfd the area is registered with
	// (vm_userfaultfd_ctx: the file's inode, whose uffd is the
	// userfaultfd_ctx), nil when none; set exactly when a vmUffdFlags bit
	// is.
	uffd *inode
	// loader marks the areas execve and the dynamic loader made (the
	// image, the C library, the vDSO, the stack), which are not the
	// program's own doing.
	loader bool
}

func (v *vma) pages() uint64 { return (v.end - v.start) >> engine.PageShift }

// pgoffAt is the page offset of addr within the area's object.
func (v *vma) pgoffAt(addr uint64) uint64 { return v.pgoff + (addr-v.start)>>engine.PageShift }

func (v *vma) isAnon() bool { return v.file == nil }

func (v *vma) perms() string {
	b := []byte("---p")
	if v.flags&vmRead != 0 {
		b[0] = 'r'
	}
	if v.flags&vmWrite != 0 {
		b[1] = 'w'
	}
	if v.flags&vmExec != 0 {
		b[2] = 'x'
	}
	if v.flags&vmMayShare != 0 {
		b[3] = 's'
	}
	return string(b)
}

func (v *vma) displayName() string {
	if v.name != "" {
		return v.name
	}
	if v.file != nil {
		return v.file.name
	}
	if v.zeroFile != nil {
		return v.zeroFile.name
	}
	return ""
}

// vmaInfo is v as the engine's contract shows it.
func (e *Engine) vmaInfo(p *process, v *vma) engine.VMA {
	out := engine.VMA{Start: v.start, End: v.end, Perms: v.perms(), File: v.displayName(), Loader: v.loader}
	if v.file != nil {
		out.Offset = v.pgoff << engine.PageShift
	}
	for _, f := range vmFlagNames {
		if v.flags&f.bit != 0 {
			out.Flags = append(out.Flags, f.name)
		}
	}
	if p != nil {
		out.PresentPages = e.presentPages(p, v.start, v.end)
	}
	return out
}

func (e *Engine) vmaPtr(p *process, v *vma) *engine.VMA {
	x := e.vmaInfo(p, v)
	return &x
}

// Maps lists the process's areas in address order.
func (e *Engine) Maps(pid int) []engine.VMA {
	p := e.proc(pid)
	if p == nil || p.mm == nil {
		return nil
	}
	return e.maps(p)
}

func (e *Engine) maps(p *process) []engine.VMA {
	out := make([]engine.VMA, 0, len(p.mm.vmas))
	for _, v := range p.mm.vmas {
		out = append(out, e.vmaInfo(p, v))
	}
	return out
}

// findVMA is find_vma: the first area with end > addr, or nil.
func (mm *mm) findVMA(addr uint64) *vma {
	if v := mm.lastVMA; v != nil && v.start <= addr && addr < v.end {
		return v
	}
	i := mm.vmaIndex(addr)
	if i < len(mm.vmas) {
		v := mm.vmas[i]
		if v.start <= addr {
			mm.lastVMA = v
		}
		return v
	}
	return nil
}

// vmaIndex is the index of the first area with end > addr.
func (mm *mm) vmaIndex(addr uint64) int {
	return sort.Search(len(mm.vmas), func(i int) bool { return mm.vmas[i].end > addr })
}

// findIntersection returns the first area overlapping [start, end).
func (mm *mm) findIntersection(start, end uint64) *vma {
	v := mm.findVMA(start)
	if v != nil && v.start < end {
		return v
	}
	return nil
}

// insert links v into the sorted list (vma_link, without the event).
func (mm *mm) insert(v *vma) {
	i := mm.vmaIndex(v.start)
	mm.vmas = append(mm.vmas, nil)
	copy(mm.vmas[i+1:], mm.vmas[i:])
	mm.vmas[i] = v
}

// remove unlinks v, opening a hole: get_unmapped_area's hint is reset.
func (mm *mm) remove(v *vma) {
	mm.unlink(v)
	mm.resetFreeCache()
}

// unlink takes v out of the list. A merge unlinks the area it absorbs
// and opens no hole, so the search hint stands.
func (mm *mm) unlink(v *vma) {
	i := mm.vmaIndex(v.start)
	for i < len(mm.vmas) && mm.vmas[i] != v {
		i++
	}
	if i == len(mm.vmas) {
		return
	}
	copy(mm.vmas[i:], mm.vmas[i+1:])
	mm.vmas[len(mm.vmas)-1] = nil
	mm.vmas = mm.vmas[:len(mm.vmas)-1]
	if mm.lastVMA == v {
		mm.lastVMA = nil
	}
}

// canMerge reports whether a (below) and b (directly above) may be one
// area: is_mergeable_vma plus is_mergeable_anon_vma and the pgoff check of
// can_vma_merge_before/after.
func canMerge(a, b *vma) bool {
	if a.end != b.start {
		return false
	}
	if (a.flags^b.flags)&^vmIgnoreMerge != 0 || a.flags&vmSpecial != 0 {
		return false
	}
	if a.file != b.file || a.zeroFile != b.zeroFile || a.name != b.name || a.uffd != b.uffd {
		return false
	}
	if a.anon != 0 && b.anon != 0 && a.anon != b.anon {
		return false
	}
	if a.file != nil || a.flags&vmShared == 0 {
		if a.pgoff+a.pages() != b.pgoff {
			return false
		}
	}
	return true
}

// emitVMA tells of an area added, removed or changed.
func (e *Engine) emitVMA(p *process, op, why string, v *vma, old *engine.VMA) {
	if e.sink == nil {
		return
	}
	ev := e.newEvent(engine.EvVMA, p.pid)
	ev.Op = op
	ev.Why = why
	ev.VMA = e.vmaPtr(p, v)
	ev.Old = old
	e.emit(ev)
}

func (e *Engine) snapVMA(p *process, v *vma) *engine.VMA {
	if e.sink == nil {
		return nil
	}
	return e.vmaPtr(p, v)
}

// splitVMA is __split_vma: v becomes [v.start, addr) and a new area
// [addr, v.end) is returned, both linked.
func (e *Engine) splitVMA(p *process, v *vma, addr uint64) *vma {
	old := e.snapVMA(p, v)
	n := *v
	n.start = addr
	n.pgoff = v.pgoffAt(addr)
	v.end = addr
	// A piece of a program's area that was merged with a loader's may be
	// wholly the loader's again.
	v.loader = v.loader || p.mm.loaderMade(v.start, v.end)
	n.loader = n.loader || p.mm.loaderMade(n.start, n.end)
	p.mm.insert(&n)
	e.emitVMA(p, "change", "split", v, old)
	e.emitVMA(p, "add", "split", &n, nil)
	return &n
}

// loaderMade reports whether [start, end) lies within one of the ranges
// execve and the loader mapped.
func (m *mm) loaderMade(start, end uint64) bool {
	for _, r := range m.loaderRanges {
		if start >= r[0] && end <= r[1] {
			return true
		}
	}
	return false
}

// mergeAround tries to merge v with its neighbours (vma_merge after a
// change). It returns the area that now holds v's range.
func (e *Engine) mergeAround(p *process, v *vma, path *[]string) *vma {
	mm := p.mm
	i := mm.vmaIndex(v.start)
	if i+1 < len(mm.vmas) && canMerge(v, mm.vmas[i+1]) {
		next := mm.vmas[i+1]
		old := e.snapVMA(p, v)
		oldNext := e.snapVMA(p, next)
		if v.anon == 0 {
			v.anon = next.anon
		}
		v.end = next.end
		v.loader = v.loader && next.loader // a program's area merged into a loader's is the program's too
		mm.unlink(next)
		e.emitVMA(p, "remove", "merge", next, oldNext)
		e.emitVMA(p, "change", "merge", v, old)
		if path != nil {
			*path = append(*path, "vma_merge")
		}
	}
	if i > 0 && canMerge(mm.vmas[i-1], v) {
		prev := mm.vmas[i-1]
		old := e.snapVMA(p, prev)
		oldV := e.snapVMA(p, v)
		if prev.anon == 0 {
			prev.anon = v.anon
		}
		prev.end = v.end
		prev.loader = prev.loader && v.loader
		mm.unlink(v)
		e.emitVMA(p, "remove", "merge", v, oldV)
		e.emitVMA(p, "change", "merge", prev, old)
		if path != nil && (len(*path) == 0 || (*path)[len(*path)-1] != "vma_merge") {
			*path = append(*path, "vma_merge")
		}
		return prev
	}
	return v
}

// getUnmappedArea is get_unmapped_area with the top-down allocator
// (arch_get_unmapped_area_topdown): the hint if it is free, else the
// highest gap below mmap_base that fits, keeping stack_guard_gap below a
// VM_GROWSDOWN area. It returns an errno on failure.
func (mm *mm) getUnmappedArea(addr, length uint64, fixed bool) (uint64, engine.Errno) {
	if length > engine.TaskSize-mmapMinAddr {
		return 0, engine.ENOMEM
	}
	if fixed {
		if addr > engine.TaskSize-length {
			return 0, engine.ENOMEM
		}
		if addr&engine.PageMask != 0 {
			return 0, engine.EINVAL
		}
		// security_mmap_addr: below vm.mmap_min_addr only with
		// CAP_SYS_RAWIO, which the model's program, an ordinary user's,
		// has not (checked natively as an unprivileged user).
		if addr < mmapMinAddr {
			return 0, engine.EPERM
		}
		return addr, 0
	}
	if addr != 0 {
		addr = (addr + engine.PageMask) &^ engine.PageMask
		if addr <= engine.TaskSize-length && mm.gapFits(addr, length) {
			return addr, 0
		}
	}
	// Top down: walk the gaps from mmap_base downwards. As Linux 2.6's
	// free_area_cache did, start below the last area placed unless a hole
	// skipped above it could hold this request: the answer is the same
	// as a walk from the top, without walking 65530 areas each time.
	if mm.freeCache != 0 && length <= mm.holeAbove {
		mm.freeCache, mm.holeAbove = 0, 0
	}
	if mm.freeCache != 0 {
		if a, ok := mm.topDown(mm.freeCache, length); ok {
			mm.freeCache = a
			return a, 0
		}
		mm.freeCache, mm.holeAbove = 0, 0
	}
	if a, ok := mm.topDown(mm.mmapBase, length); ok {
		mm.freeCache = a
		return a, 0
	}
	mm.freeCache, mm.holeAbove = 0, 0
	return 0, engine.ENOMEM
}

// getArea is __get_unmapped_area for an area of file (nil: anonymous;
// shared: MAP_SHARED) at page offset pgoff. As Linux 6.x does, an
// anonymous private request of a whole number of 2 MiB with no hint, and
// any request on an ext4 file (thp_get_unmapped_area), is placed 2 MiB
// aligned when there is room; shmem and devices take the plain search.
func (mm *mm) getArea(file *inode, shared bool, addr, length, pgoff uint64) (uint64, engine.Errno) {
	switch {
	case file == nil && !shared && addr == 0 && length%hpageSize == 0:
		if a, ok := mm.thpArea(0, length, 0); ok {
			return a, 0
		}
	case file != nil && (file.kind == kindReg || file.kind == kindImage):
		if a, ok := mm.thpArea(addr, length, pgoff<<engine.PageShift); ok {
			return a, 0
		}
	}
	return mm.getUnmappedArea(addr, length, false)
}

// thpArea is __thp_get_unmapped_area: search for length plus 2 MiB, then
// move up to where the file offset off meets a 2 MiB boundary (top-down,
// an already aligned start moves up by a whole 2 MiB). It fails when the
// range holds no aligned 2 MiB of the file or the padded search fails.
func (mm *mm) thpArea(addr, length, off uint64) (uint64, bool) {
	offEnd := off + length
	offAlign := (off + hpageSize - 1) &^ (hpageSize - 1)
	if offEnd <= offAlign || offEnd-offAlign < hpageSize {
		return 0, false
	}
	pad := length + hpageSize
	if pad < length || off+pad < off {
		return 0, false
	}
	ret, err := mm.getUnmappedArea(addr, pad, false)
	if err != 0 {
		return 0, false
	}
	// The padding's holes either side are not the search hint's to skip.
	mm.resetFreeCache()
	if ret == addr {
		return addr, true
	}
	sub := (off - ret) & (hpageSize - 1)
	if sub == 0 {
		return ret + hpageSize, true
	}
	return ret + sub, true
}

// resetFreeCache forgets the search hint when a hole may have opened.
func (mm *mm) resetFreeCache() { mm.freeCache, mm.holeAbove = 0, 0 }

// topDown finds the highest gap below high that fits length, noting in
// holeAbove the largest gap it skipped.
func (mm *mm) topDown(high, length uint64) (uint64, bool) {
	i := mm.vmaIndex(high - 1)
	if i > len(mm.vmas) {
		i = len(mm.vmas)
	}
	for j := i; j >= 0; j-- {
		gapEnd := high
		if j < len(mm.vmas) {
			v := mm.vmas[j]
			top := v.start
			if v.flags&vmGrowsDown != 0 {
				if top > stackGuardGap {
					top -= stackGuardGap
				} else {
					top = 0
				}
			}
			if top < gapEnd {
				gapEnd = top
			}
		}
		gapStart := uint64(mmapMinAddr)
		if j > 0 && mm.vmas[j-1].end > gapStart {
			gapStart = mm.vmas[j-1].end
		}
		if gapEnd > gapStart && gapEnd-gapStart >= length {
			return gapEnd - length, true
		}
		if gapEnd > gapStart {
			mm.holeAbove = max(mm.holeAbove, gapEnd-gapStart)
		}
		high = gapStart
	}
	return 0, false
}

func (mm *mm) gapFits(addr, length uint64) bool {
	if addr < mmapMinAddr {
		return false
	}
	v := mm.findVMA(addr)
	if v == nil {
		return true
	}
	end := addr + length
	lim := v.start
	if v.flags&vmGrowsDown != 0 {
		if lim >= stackGuardGap {
			lim -= stackGuardGap
		} else {
			lim = 0
		}
	}
	return v.start > addr && end <= lim
}
