package sim

import (
	"strconv"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// /proc/PID/maps, smaps and smaps_rollup, analogous to fs/proc/task_mmu.c:
// show_map_vma's header line, smaps_pte_range's accounting of each present
// page and swap entry, and __show_smap's fields, in this machine's kernel's
// order (6.18: no ProtectionKey line without pkeys, no "sd" flag without
// CONFIG_MEM_SOFT_DIRTY).

// Devices of the model's files as stat and maps show them: the working
// directory's disk (254:0, this machine's root disk /dev/vda, whose ext4
// holds /home and /tmp), shmem's internal mount (0:1), devtmpfs (0:6, as
// this machine mounts it on /dev).
const (
	devDisk  = 0xfe00
	devShmem = 0x001
	devDev   = 0x006
)

// vmFlagMnemonics are smaps' VmFlags names by bit (show_smap_vma_flags).
var vmFlagMnemonics = []struct {
	bit  uint64
	name string
}{
	{vmRead, "rd"}, {vmWrite, "wr"}, {vmExec, "ex"}, {vmShared, "sh"},
	{vmMayRead, "mr"}, {vmMayWrite, "mw"}, {vmMayExec, "me"}, {vmMayShare, "ms"},
	{vmGrowsDown, "gd"}, {vmUffdMissing, "um"}, {vmPFNMap, "pf"}, {vmUffdWP, "uw"}, {vmLocked, "lo"}, {vmIO, "io"},
	{vmSeqRead, "sr"}, {vmRandRead, "rr"}, {vmDontCopy, "dc"}, {vmDontExpand, "de"},
	{vmLockOnFault, "lf"}, {vmAccount, "ac"}, {vmNoReserve, "nr"}, {vmWipeOnFork, "wf"}, {vmDontDump, "dd"},
	{vmMixedMap, "mm"}, {vmHugePage, "hg"}, {vmNoHugePage, "nh"}, {vmUffdMinor, "ui"}, {vmDroppable, "dp"}, {vmSealed, "sl"},
}

// mapsName is the name show_map_vma prints for v (get_vma_name): the
// file's path, " (deleted)" once unlinked; [heap], [stack]; or nothing.
func (e *Engine) mapsName(p *process, v *vma) string {
	if v.file != nil {
		ino := v.file
		switch ino.kind {
		case kindReg, kindImage:
			name := ino.name
			if name[0] != '/' {
				name = cwd + "/" + name // the working directory's files, the program's
			}
			if ino.nlink == 0 {
				name += " (deleted)"
			}
			return name
		}
		return ino.name // "/dev/zero (deleted)", "/dev/demo_dev"
	}
	if v.zeroFile != nil {
		return v.zeroFile.name // private /dev/zero
	}
	return v.name // [heap], [stack], or none
}

// mapsHeader appends show_vma_header_prefix and the name of v.
func (e *Engine) mapsHeader(b []byte, p *process, v *vma) []byte {
	var dev, ino, off uint64
	if v.zeroFile != nil {
		dev, ino = devDev, v.zeroFile.ino
	}
	if v.file != nil {
		ino, off = v.file.ino, v.pgoff<<engine.PageShift
		switch v.file.kind {
		case kindShmem:
			dev = devShmem
		case kindReg, kindImage:
			dev = devDisk
		default:
			dev = devDev
		}
	}
	return mapsLine(b, v.start, v.end, v.flags, off, dev, ino, e.mapsName(p, v))
}

// mapsLine is one line of maps: the prefix, padded to column 73 when a
// name follows (seq_setwidth(m, 25 + 6*sizeof(void *) - 1), seq_pad).
func mapsLine(b []byte, start, end, flags, off, dev, ino uint64, name string) []byte {
	lineStart := len(b)
	b = appendHex(b, start, 8)
	b = append(b, '-')
	b = appendHex(b, end, 8)
	b = append(b, ' ')
	b = append(b, permChar(flags, vmRead, 'r'), permChar(flags, vmWrite, 'w'), permChar(flags, vmExec, 'x'))
	if flags&vmMayShare != 0 {
		b = append(b, 's')
	} else {
		b = append(b, 'p')
	}
	b = append(b, ' ')
	b = appendHex(b, off, 8)
	b = append(b, ' ')
	b = appendHex(b, dev>>8, 2)
	b = append(b, ':')
	b = appendHex(b, dev&0xff, 2)
	b = append(b, ' ')
	b = strconv.AppendUint(b, ino, 10)
	b = append(b, ' ')
	if name != "" {
		for len(b)-lineStart < 25+6*8-1 {
			b = append(b, ' ')
		}
		b = append(b, ' ')
		b = append(b, name...)
	}
	return append(b, '\n')
}

func permChar(flags, bit uint64, c byte) byte {
	if flags&bit != 0 {
		return c
	}
	return '-'
}

// appendHex is seq_put_hex_ll: lower-case hex, at least width digits.
func appendHex(b []byte, x uint64, width int) []byte {
	s := strconv.FormatUint(x, 16)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// areaFrom is the first area of t ending above next, or nil: where a maps
// read goes on from (m_start finds the area after the last one shown).
func areaFrom(t *process, next uint64) *vma {
	if t.mm == nil {
		return nil
	}
	vs := t.mm.vmas
	lo, hi := 0, len(vs)
	for lo < hi {
		m := (lo + hi) / 2
		if vs[m].end <= next {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == len(vs) {
		return nil
	}
	return vs[lo]
}

// gateArea is the [vsyscall] page every x86-64 process shows last in maps
// (the gate area, which is no VMA of the mm: smaps_rollup leaves it out).
var gateArea = vma{start: 0xffffffffff600000, end: 0xffffffffff601000, flags: vmExec, name: "[vsyscall]"}

// showMaps is show_map: one area per record, then the gate area.
func showMaps(e *Engine, _, t *process, next uint64) ([]byte, uint64, bool) {
	if next == gateArea.start {
		return e.mapsHeader(nil, t, &gateArea), 0, true
	}
	v := areaFrom(t, next)
	if v == nil {
		if t.mm == nil {
			return nil, 0, true
		}
		return e.mapsHeader(nil, t, &gateArea), 0, true
	}
	return e.mapsHeader(nil, t, v), nextOrGate(t, v), false
}

func nextOrGate(t *process, v *vma) uint64 {
	if areaFrom(t, v.end) == nil {
		return gateArea.start
	}
	return v.end
}

// memSize is smaps' mem_size_stats: bytes, and the proportional sizes in
// bytes << pssShift.
type memSize struct {
	resident, privateClean, privateDirty, sharedClean, sharedDirty uint64
	referenced, anonymous, lazyfree, anonHuge, swap                uint64
	pss, pssDirty, pssAnon, pssFile, pssShmem, pssLocked, swapPss  uint64
}

// pssShift keeps PSS's fractions (PSS_SHIFT).
const pssShift = 12

// smapsAccount is smaps_pte_range and smaps_account over v: every present
// page the area maps normally (not the zero page, not a PFN mapping) and
// every swap entry.
func (e *Engine) smapsAccount(t *process, v *vma, mss *memSize) {
	m := &e.mem
	locked := v.flags&vmLocked != 0
	e.forEachMapped(t, v.start, v.end, func(_ uint64, pte uint64, huge bool) {
		if pte&pteSwap != 0 {
			mss.swap += engine.PageSize
			refs := uint64(max(e.swap.slots[swapSlotOf(pte)].refs, 1))
			mss.swapPss += engine.PageSize << pssShift / refs
			return
		}
		if pte&ptePresent == 0 || v.flags&vmPFNMap != 0 {
			return
		}
		fi := idxOf(ptePFN(pte))
		f := m.f(fi)
		if f.use != useAnon && f.use != useFile {
			return // vm_normal_page: the zero page is no page of the area's
		}
		const size = engine.PageSize
		anon := f.use == useAnon
		shmem := !anon && e.fs.inodes[f.ino].kind == kindShmem
		dirty := pte&pteDirty != 0 || f.flags&pgDirty != 0
		if anon {
			mss.anonymous += size
			if huge {
				mss.anonHuge += size // PMD-mapped
			}
			if f.flags&pgLazyFree != 0 && !dirty {
				mss.lazyfree += size
			}
		}
		mss.resident += size
		if pte&pteAccessed != 0 || f.flags&pgReferenced != 0 {
			mss.referenced += size
		}
		mapcount := uint64(max(f.mapcnt, 1))
		pss := uint64(size) << pssShift / mapcount
		private := mapcount < 2
		mss.pss += pss
		switch {
		case anon:
			mss.pssAnon += pss
		case shmem:
			mss.pssShmem += pss
		default:
			mss.pssFile += pss
		}
		if locked {
			mss.pssLocked += pss
		}
		switch {
		case dirty && private:
			mss.pssDirty += pss
			mss.privateDirty += size
		case dirty:
			mss.pssDirty += pss
			mss.sharedDirty += size
		case private:
			mss.privateClean += size
		default:
			mss.sharedClean += size
		}
	})
	if v.file != nil && v.file.kind == kindShmem {
		// shmem's swapped pages are the object's, not PTEs
		// (shmem_swap_usage over the area's range).
		for idx := range v.file.swapped {
			if idx >= v.pgoff && idx < v.pgoff+v.pages() {
				mss.swap += engine.PageSize
				mss.swapPss += engine.PageSize << pssShift
			}
		}
	}
}

// showSmapsFields is __show_smap: the fields after the header.
func showSmapsFields(b *strings.Builder, mss *memSize, rollup bool) {
	f := func(label string, bytes uint64) { kB(b, label, 16, bytes) }
	f("Rss:", mss.resident)
	f("Pss:", mss.pss>>pssShift)
	f("Pss_Dirty:", mss.pssDirty>>pssShift)
	if rollup {
		f("Pss_Anon:", mss.pssAnon>>pssShift)
		f("Pss_File:", mss.pssFile>>pssShift)
		f("Pss_Shmem:", mss.pssShmem>>pssShift)
	}
	f("Shared_Clean:", mss.sharedClean)
	f("Shared_Dirty:", mss.sharedDirty)
	f("Private_Clean:", mss.privateClean)
	f("Private_Dirty:", mss.privateDirty)
	f("Referenced:", mss.referenced)
	f("Anonymous:", mss.anonymous)
	f("KSM:", 0)
	f("LazyFree:", mss.lazyfree)
	f("AnonHugePages:", mss.anonHuge)
	f("ShmemPmdMapped:", 0)
	f("FilePmdMapped:", 0)
	f("Shared_Hugetlb:", 0)
	f("Private_Hugetlb:", 0)
	f("Swap:", mss.swap)
	f("SwapPss:", mss.swapPss>>pssShift)
	f("Locked:", mss.pssLocked>>pssShift)
}

// showSmaps is show_smap: the header, the sizes, THPeligible and VmFlags
// of one area per record.
func showSmaps(e *Engine, _, t *process, next uint64) ([]byte, uint64, bool) {
	v := areaFrom(t, next)
	gate := next == gateArea.start || v == nil
	if gate {
		if t.mm == nil {
			return nil, 0, true
		}
		v = &gateArea
	}
	var mss memSize
	if !gate {
		e.smapsAccount(t, v, &mss)
	}
	var b strings.Builder
	b.Write(e.mapsHeader(nil, t, v))
	kB(&b, "Size:", 16, v.end-v.start)
	kB(&b, "KernelPageSize:", 16, engine.PageSize)
	kB(&b, "MMUPageSize:", 16, engine.PageSize)
	showSmapsFields(&b, &mss, false)
	b.WriteString("THPeligible:    ")
	padNum(&b, bit01(!gate && e.thpEligible(v)), 8)
	b.WriteString("\nVmFlags: ")
	for _, m := range vmFlagMnemonics {
		if v.flags&m.bit != 0 {
			b.WriteString(m.name)
			b.WriteByte(' ')
		}
	}
	b.WriteByte('\n')
	if gate {
		return []byte(b.String()), 0, true
	}
	return []byte(b.String()), nextOrGate(t, v), false
}

func bit01(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// showSmapsRollup is show_smaps_rollup: every area's sizes summed, under a
// header spanning them (an mm with no area: 00000000-00000000 and zeros,
// its empty_set).
func showSmapsRollup(e *Engine, _, t *process) string {
	if t.mm == nil {
		return ""
	}
	var mss memSize
	for _, v := range t.mm.vmas {
		e.smapsAccount(t, v, &mss)
	}
	var b strings.Builder
	var start, end uint64
	if vs := t.mm.vmas; len(vs) > 0 {
		start, end = vs[0].start, vs[len(vs)-1].end
	}
	b.Write(mapsLine(nil, start, end, 0, 0, 0, 0, "[rollup]"))
	showSmapsFields(&b, &mss, true)
	return b.String()
}
