package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// mmap and the calls that change an address space, analogous to
// mm/mmap.c, mm/vma.c, mm/mprotect.c, mm/mremap.c, mm/madvise.c,
// mm/mlock.c, mm/mincore.c and mm/msync.c.

// maxFileBytes is MAX_LFS_FILESIZE on 64-bit: what file_mmap_ok allows.
const maxFileBytes = 1<<63 - 1

// sysMmap is sys_mmap and do_mmap, making its checks in the order the
// kernel makes them (seed 003 walks them):
//
//	sys_mmap:         offset not page-aligned                  EINVAL
//	ksys_mmap_pgoff:  fd of a file mapping not open            EBADF
//	                  MAP_HUGETLB on a file (not hugetlbfs)    EINVAL
//	do_mmap:          length 0                                 EINVAL
//	                  length rounds past the address space     ENOMEM
//	                  pgoff + pages wraps                      EOVERFLOW
//	                  more areas than vm.max_map_count         ENOMEM
//	get_unmapped_area: no room, or MAP_FIXED past TASK_SIZE    ENOMEM
//	                  MAP_FIXED address not page-aligned       EINVAL
//	                  MAP_FIXED_NOREPLACE over an area         EEXIST
//	                  MAP_LOCKED, RLIMIT_MEMLOCK 0             EPERM
//	                  a locked area past RLIMIT_MEMLOCK        EAGAIN
//	                  (mlock_future_ok)
//	file:             offset past the file's limit             EOVERFLOW
//	                  MAP_SHARED_VALIDATE with unknown flags   EOPNOTSUPP
//	                  MAP_SHARED, PROT_WRITE, fd not writable  EACCES
//	                  fd not readable (O_WRONLY)               EACCES
//	                  no mmap handler (a directory, a tty,     ENODEV
//	                  /dev/null)
//	                  neither MAP_SHARED nor MAP_PRIVATE       EINVAL
//	                  MAP_SHARED and PROT_WRITE on a           EPERM
//	                  write-sealed memfd (F_SEAL_WRITE,
//	                  F_SEAL_FUTURE_WRITE)
//	anonymous:        neither MAP_SHARED, MAP_PRIVATE nor      EINVAL
//	                  MAP_DROPPABLE (MAP_SHARED_VALIDATE included)
//	                  MAP_DROPPABLE with MAP_LOCKED,           EINVAL
//	                  MAP_HUGETLB or MAP_GROWSDOWN
//	                  MAP_HUGETLB: no huge pages reserved      ENOMEM
//	mmap_region:      writable and executable under MDWE       EACCES
//	call_mmap:        the driver refuses (demo_dev too large)  EINVAL
func (e *Engine) sysMmap(p *process, addr, length uint64, prot, flags int64, fd int64, off int64, path *[]string) (uint64, engine.Errno) {
	*path = append(*path, "do_mmap")
	mm := p.mm
	if off&engine.PageMask != 0 {
		return 0, engine.EINVAL
	}
	var f *file
	if flags&engine.MAP_ANONYMOUS == 0 {
		f = p.fd(fd)
		if f == nil {
			return 0, engine.EBADF
		}
		// ksys_mmap_pgoff: MAP_HUGETLB on a file not on hugetlbfs.
		if flags&engine.MAP_HUGETLB != 0 {
			return 0, engine.EINVAL
		}
	}
	if length == 0 {
		return 0, engine.EINVAL
	}
	if flags&engine.MAP_FIXED == 0 && addr != 0 && addr < mmapMinAddr {
		addr = mmapMinAddr // round_hint_to_min
	}
	length = pageAlign(length)
	if length == 0 {
		return 0, engine.ENOMEM
	}
	pgoff := uint64(off) >> engine.PageShift
	if pgoff+length>>engine.PageShift < pgoff {
		return 0, engine.EOVERFLOW
	}
	if len(mm.vmas) > e.opts.MaxMapCount {
		return 0, engine.ENOMEM
	}
	fixed := flags&(engine.MAP_FIXED|engine.MAP_FIXED_NOREPLACE) != 0
	*path = append(*path, "get_unmapped_area")
	// The free-area hint moves only for an area that is made: a call
	// refused after get_unmapped_area (EACCES, ENODEV, EINVAL, a driver's
	// refusal) leaves the range free, so the next mmap lands there, as on
	// Linux, whose gap search keeps no hint.
	var area *inode
	if f != nil {
		area = f.ino
	}
	var addrErr engine.Errno
	if fixed {
		addr, addrErr = mm.getUnmappedArea(addr, length, true)
	} else {
		addr, addrErr = mm.getArea(area, flags&engine.MAP_TYPE != engine.MAP_PRIVATE, addr, length, pgoff)
	}
	if addrErr != 0 {
		return 0, addrErr
	}
	made := false
	defer func() {
		if !made {
			mm.resetFreeCache()
		}
	}()
	if flags&engine.MAP_FIXED_NOREPLACE != 0 && mm.findIntersection(addr, addr+length) != nil {
		return 0, engine.EEXIST
	}
	vmFlags := calcVMProt(prot) | vmMayRead | vmMayWrite | vmMayExec | mm.defFlags
	if flags&engine.MAP_LOCKED != 0 {
		if !canDoMlock(p) {
			return 0, engine.EPERM
		}
		vmFlags |= vmLocked
	}
	if !mlockFutureOK(p, vmFlags, length) {
		return 0, engine.EAGAIN
	}
	if flags&engine.MAP_GROWSDOWN != 0 {
		vmFlags |= vmGrowsDown
	}
	// calc_vm_flag_bits: a thread's stack (MAP_STACK) takes no huge pages
	// (Linux 6.7+), so it does not merge with a neighbour made without.
	if flags&engine.MAP_STACK != 0 {
		vmFlags |= vmNoHugePage
	}
	var ino *inode
	if f != nil {
		ino = f.ino
		if ino.isReg() && (pgoff > maxFileBytes>>engine.PageShift || length > maxFileBytes-pgoff<<engine.PageShift) {
			return 0, engine.EOVERFLOW
		}
		switch flags & engine.MAP_TYPE {
		case engine.MAP_SHARED_VALIDATE:
			if flags&^legacyMapMask != 0 {
				return 0, engine.EOPNOTSUPP
			}
			fallthrough
		case engine.MAP_SHARED:
			if prot&engine.PROT_WRITE != 0 && !f.canWrite() {
				return 0, engine.EACCES
			}
			vmFlags |= vmShared | vmMayShare
			if !f.canWrite() {
				vmFlags &^= vmMayWrite | vmShared
			}
			fallthrough
		case engine.MAP_PRIVATE:
			if !f.canRead() {
				return 0, engine.EACCES
			}
			if !hasMmap(ino) {
				return 0, engine.ENODEV
			}
			if vmFlags&vmGrowsDown != 0 {
				return 0, engine.EINVAL
			}
			// A MFD_HUGETLB memfd is hugetlbfs's: with no huge pages
			// reserved its mmap fails (hugetlb_reserve_pages).
			if ino.memfdHugetlb {
				*path = append(*path, "hugetlbfs_file_mmap", "hugetlb_reserve_pages")
				return 0, engine.ENOMEM
			}
		default:
			return 0, engine.EINVAL
		}
		// memfd_check_seals_mmap: a write-sealed file maps shared only
		// read-only, and never writable later (VM_MAYWRITE cleared).
		if ino.writeSealed() && vmFlags&vmShared != 0 {
			if vmFlags&vmWrite != 0 {
				return 0, engine.EPERM
			}
			vmFlags &^= vmMayWrite
		}
	} else {
		switch flags & engine.MAP_TYPE {
		case engine.MAP_SHARED:
			if vmFlags&vmGrowsDown != 0 {
				return 0, engine.EINVAL
			}
			pgoff = 0
			vmFlags |= vmShared | vmMayShare
		case engine.MAP_DROPPABLE:
			// Its pages go at reclaim whatever their state, so it is
			// never locked, a stack or hugetlb, never reserved, copied
			// to a child nor dumped.
			if flags&(engine.MAP_LOCKED|engine.MAP_HUGETLB) != 0 || vmFlags&vmGrowsDown != 0 {
				return 0, engine.EINVAL
			}
			vmFlags |= vmDroppable | vmNoReserve | vmWipeOnFork | vmDontDump
			pgoff = addr >> engine.PageShift
		case engine.MAP_PRIVATE:
			pgoff = addr >> engine.PageShift
		default:
			return 0, engine.EINVAL
		}
		// MAP_HUGETLB: the model has no huge page pool (vm.nr_hugepages is
		// 0, as on this project's machine), so hugetlbfs cannot reserve
		// the pages and the mapping is refused as Linux refuses it.
		if flags&engine.MAP_HUGETLB != 0 {
			*path = append(*path, "hugetlb_reserve_pages")
			return 0, engine.ENOMEM
		}
	}
	if flags&engine.MAP_NORESERVE != 0 {
		vmFlags |= vmNoReserve
	}
	populate := vmFlags&vmLocked != 0 || flags&(engine.MAP_POPULATE|engine.MAP_NONBLOCK) == engine.MAP_POPULATE
	v, err := e.mmapRegion(p, ino, addr, length, vmFlags, pgoff, path)
	if err != 0 {
		return 0, err
	}
	made = true
	if populate {
		*path = append(*path, "__mm_populate")
		e.populate(p, v.start, v.start+length)
	}
	return addr, 0
}

// legacyMapMask is LEGACY_MAP_MASK: the flags MAP_SHARED_VALIDATE accepts
// (ext4 adds MAP_SYNC only on DAX, which the model has not).
const legacyMapMask = engine.MAP_SHARED | engine.MAP_PRIVATE | engine.MAP_FIXED | engine.MAP_ANONYMOUS |
	engine.MAP_DENYWRITE | engine.MAP_EXECUTABLE | 0x4000000 /* MAP_UNINITIALIZED */ | engine.MAP_GROWSDOWN |
	engine.MAP_LOCKED | engine.MAP_NORESERVE | engine.MAP_POPULATE | engine.MAP_NONBLOCK | engine.MAP_STACK |
	engine.MAP_HUGETLB | engine.MAP_FIXED_NOREPLACE

// mapDenyWriteExec is map_deny_write_exec: under PR_SET_MDWE's
// REFUSE_EXEC_GAIN an area may not become writable and executable, nor
// executable when it was not (old and new are its flags before and after;
// a new area's are both its own).
func mapDenyWriteExec(mm *mm, old, new uint64) bool {
	if mm.mdwe&engine.PR_MDWE_REFUSE_EXEC_GAIN == 0 || new&vmExec == 0 {
		return false
	}
	return new&vmWrite != 0 || old&vmExec == 0
}

// calcVMProt is calc_vm_prot_bits.
func calcVMProt(prot int64) uint64 {
	var f uint64
	if prot&engine.PROT_READ != 0 {
		f |= vmRead
	}
	if prot&engine.PROT_WRITE != 0 {
		f |= vmWrite
	}
	if prot&engine.PROT_EXEC != 0 {
		f |= vmExec
	}
	return f
}

// hasMmap reports whether the file has an f_op->mmap.
func hasMmap(ino *inode) bool {
	switch ino.kind {
	case kindReg, kindZero, kindDemo, kindImage, kindShmem:
		return true // /dev/null's null_fops has no mmap: ENODEV
	}
	return false
}

// mmapRegion is mmap_region: unmap what MAP_FIXED covers, merge with a
// neighbour or make a new area, call the file's mmap handler, link it.
func (e *Engine) mmapRegion(p *process, ino *inode, addr, length, vmFlags, pgoff uint64, path *[]string) (*vma, engine.Errno) {
	*path = append(*path, "mmap_region")
	mm := p.mm
	if mapDenyWriteExec(mm, vmFlags, vmFlags) {
		return nil, engine.EACCES
	}
	end := addr + length
	if mm.findIntersection(addr, end) != nil {
		*path = append(*path, "do_vmi_munmap")
		if err := e.unmapRange(p, addr, end, "MAP_FIXED"); err != 0 {
			return nil, err
		}
	}
	if vmFlags&(vmNoReserve|vmShared|vmWrite) == vmWrite {
		vmFlags |= vmAccount // accountable_mapping
	}
	v := &vma{start: addr, end: end, flags: vmFlags | vmSoftDirty, pgoff: pgoff, file: ino}
	if ino != nil {
		switch ino.kind {
		case kindZero:
			// mmap_zero: private /dev/zero is anonymous memory; shared is
			// shmem (shmem_zero_setup).
			if vmFlags&vmShared == 0 && vmFlags&vmMayShare == 0 {
				v.file, v.zeroFile = nil, ino
				v.pgoff = addr >> engine.PageShift
			} else {
				v.file = e.shmemInode(length)
				v.pgoff = 0
			}
		}
	} else if vmFlags&vmShared != 0 {
		*path = append(*path, "shmem_zero_setup")
		v.file = e.shmemInode(length)
	}
	if v.file != nil && v.file.secret {
		*path = append(*path, "secretmem_mmap")
		if vmFlags&(vmShared|vmMayShare) == 0 {
			return nil, engine.EINVAL
		}
		v.flags |= vmDontDump
	}
	if v.file != nil && v.file.kind != kindShmem {
		*path = append(*path, "call_mmap")
		if v.file.kind == kindDemo {
			if err := e.demoMmapCheck(v); err != 0 {
				return nil, err
			}
		}
	}
	// Merge with a neighbour when the new area continues it (vma_merge).
	if v.flags&vmSpecial == 0 {
		i := mm.vmaIndex(addr)
		var prev, next *vma
		if i > 0 {
			prev = mm.vmas[i-1]
		}
		if i < len(mm.vmas) {
			next = mm.vmas[i]
		}
		if (prev != nil && canMerge(prev, v)) || (next != nil && canMerge(v, next)) {
			mm.insert(v)
			e.emitVMA(p, "add", "mmap", v, nil)
			*path = append(*path, "vma_merge")
			nv := e.mergeAround(p, v, nil)
			e.afterMap(p, nv, addr, end)
			return nv, 0
		}
	}
	mm.insert(v)
	*path = append(*path, "vma_link")
	e.emitVMA(p, "add", "mmap", v, nil)
	if v.file != nil && v.file.kind == kindDemo {
		*path = append(*path, "demo_dev_mmap", "remap_pfn_range")
		e.demoMmap(p, v)
	}
	e.afterMap(p, v, addr, end)
	return v, 0
}

func (e *Engine) afterMap(p *process, v *vma, start, end uint64) {
	if v.flags&vmLocked != 0 {
		p.mm.lockedVM += (end - start) >> engine.PageShift
	}
}

// shmemInode makes the object behind a shared anonymous mapping.
func (e *Engine) shmemInode(length uint64) *inode {
	ino := e.fs.newInode("/dev/zero (deleted)", kindShmem)
	ino.size = length
	ino.nlink = 0
	return ino
}

// populate faults in [start, end) as __mm_populate does: writes for
// private writable areas (breaking COW), reads otherwise; errors ignored.
//
// It reports whether every page could be faulted in: mlock fails with
// ENOMEM when not (PROT_NONE, past the end of a file), as
// __mlock_posix_error_return turns get_user_pages' EFAULT into ENOMEM.
func (e *Engine) populate(p *process, start, end uint64) bool {
	for a := start; a < end; a += engine.PageSize {
		v := p.mm.findVMA(a)
		if v == nil {
			return true
		}
		if v.start > a {
			a = v.start - engine.PageSize
			continue
		}
		// populate_vma_page_range: a lock-on-fault area's pages wait
		// for their faults.
		if v.flags&(vmIO|vmPFNMap|vmLockOnFault) != 0 {
			a = v.end - engine.PageSize
			continue
		}
		if v.flags&(vmRead|vmWrite|vmExec) == 0 {
			return false
		}
		write := v.flags&(vmWrite|vmShared) == vmWrite
		if pte, _ := e.lookupPTE(p, a); pte&ptePresent != 0 && (!write || pte&pteRW != 0) {
			continue
		}
		access := "read"
		if write {
			access = "write"
		}
		if e.handleMMFault(p, a, access, false, false) != nil {
			return false
		}
	}
	return true
}

// unmapRange is do_vmi_munmap: split the areas at the ends, zap their
// PTEs, unlink them and free the page tables left empty.
func (e *Engine) unmapRange(p *process, start, end uint64, why string) engine.Errno {
	mm := p.mm
	v := mm.findIntersection(start, end)
	if v == nil {
		return 0
	}
	mm.updateHiwater()
	// Splitting the first or last area needs room for one more area.
	last := mm.findVMA(end - 1)
	splitLast := last != nil && last.start < end && last.end > end
	if (v.start < start || splitLast) && len(mm.vmas) >= e.opts.MaxMapCount {
		return engine.ENOMEM
	}
	// vms_gather_munmap_vmas: a sealed area anywhere in the range refuses
	// the whole unmap; the first area is split before the others are
	// looked at, and stays split.
	if v.start < start {
		if !canModifyVMA(v) {
			return engine.EPERM
		}
		e.splitVMA(p, v, start)
	}
	for i := mm.vmaIndex(start); i < len(mm.vmas) && mm.vmas[i].start < end; i++ {
		if !canModifyVMA(mm.vmas[i]) {
			return engine.EPERM
		}
	}
	if splitLast {
		e.splitVMA(p, mm.findVMA(end-1), end)
	}
	i := mm.vmaIndex(start)
	var victims []*vma
	for ; i < len(mm.vmas) && mm.vmas[i].start < end; i++ {
		victims = append(victims, mm.vmas[i])
	}
	for _, v := range victims {
		e.zapRange(p, v, v.start, v.end, why)
		defer func(v *vma) {
			if v.file != nil {
				e.maybeEvictInode(v.file)
			}
		}(v)
		if v.flags&vmLocked != 0 {
			mm.lockedVM -= min(v.pages(), mm.lockedVM)
		}
		old := e.snapVMA(p, v)
		mm.remove(v)
		if e.sink != nil {
			ev := e.newEvent(engine.EvVMA, p.pid)
			ev.Op, ev.Why, ev.VMA = "remove", why, old
			e.emit(ev)
		}
	}
	e.freeEmptyTables(p, start, end)
	return 0
}

// zapRange clears the PTEs of v in [start, end) (zap_pte_range),
// dropping the frames' references and moving dirty bits to the page
// cache. It tells it as one range event.
//
// Only the unmapping of areas (ZAP_FLAG_DROP_MARKER: munmap, exit) drops
// userfaultfd's markers; MADV_DONTNEED keeps them, and in a file area
// registered for write-protection it leaves one where a write-protected
// page was (zap_install_uffd_wp_if_needed).
func (e *Engine) zapRange(p *process, v *vma, start, end uint64, why string) int {
	n, freed := 0, 0
	m := &e.mem
	keepMarkers := why == "MADV_DONTNEED"
	e.forEachPTE(p, start, end, func(addr uint64, pp *uint64, t *ptable) {
		pte := *pp
		if isPTEMarker(pte) && keepMarkers {
			return
		}
		*pp = 0
		t.used--
		if keepMarkers && pteUffdWPOf(pte) && !v.vmaIsAnonymous() && v.userfaultfdWP() {
			*pp = pteMarkerUffdWP
			t.used++
		}
		if pte&pteSwap != 0 {
			e.swapPut(swapSlotOf(pte))
			n++
			return
		}
		if pte&ptePresent == 0 {
			return
		}
		n++
		p.mm.rss--
		e.countPresent(p, addr, lvlPTE, -1)
		if v.flags&vmPFNMap != 0 {
			return
		}
		fi := idxOf(ptePFN(pte))
		f := m.f(fi)
		if f.use == useZero {
			return
		}
		f.mapcnt--
		if f.use == useFile && pte&pteDirty != 0 && v.flags&vmShared != 0 {
			e.setPageDirty(p, e.fs.inodes[f.ino], fi)
		}
		if f.mapcnt == 0 {
			f.flags &^= pgMlocked
		}
		m.put(fi)
		if m.f(fi).use == useFree {
			freed++
		}
	})
	if n > 0 {
		e.tlbGen++
		p.mm.lastPT = nil
		if e.sink != nil {
			ev := e.newEvent(engine.EvPTE, p.pid)
			ev.Op, ev.Why, ev.Addr, ev.Pages = "clear", why, start, spanPages(start, end) // the range cleared; n of its pages had entries
			e.emit(ev)
			if freed > 0 {
				// The frames that went back to the free lists with them.
				ev := e.newEvent(engine.EvFrame, p.pid)
				ev.Op, ev.Why, ev.Pages = "free", why, freed
				e.emit(ev)
			}
		}
	}
	return n
}

func (e *Engine) sysMunmap(p *process, addr, length uint64, path *[]string) engine.Errno {
	*path = append(*path, "__vm_munmap", "do_vmi_munmap")
	if addr&engine.PageMask != 0 || addr > engine.TaskSize || length > engine.TaskSize-addr {
		return engine.EINVAL
	}
	length = pageAlign(length)
	if length == 0 {
		return engine.EINVAL
	}
	return e.unmapRange(p, addr, addr+length, "munmap")
}

// sysMprotect is do_mprotect_pkey and mprotect_fixup (pkey_mprotect's
// pkey, -1 for mprotect: this machine's CPU has no protection keys, so
// no other key is ever allocated and any other is EINVAL). A sealed area
// is EPERM (mseal.go) where mprotect_fixup meets it, the areas before it
// changed already.
func (e *Engine) sysMprotect(p *process, start, length uint64, prot, pkey int64, path *[]string) engine.Errno {
	*path = append(*path, "do_mprotect_pkey")
	const protGrows = 0x01000000 | 0x02000000
	if start&engine.PageMask != 0 {
		return engine.EINVAL
	}
	if prot&^(engine.PROT_READ|engine.PROT_WRITE|engine.PROT_EXEC|protGrows) != 0 {
		return engine.EINVAL
	}
	length = pageAlign(length)
	end := start + length
	if end < start {
		return engine.ENOMEM
	}
	if end == start {
		return 0
	}
	if pkey != -1 {
		return engine.EINVAL // !mm_pkey_is_allocated
	}
	mm := p.mm
	v := mm.findVMA(start)
	if v == nil || v.start > start {
		return engine.ENOMEM
	}
	newProt := calcVMProt(prot)
	for nstart := start; nstart < end; {
		v = mm.findVMA(nstart)
		if v == nil || v.start > nstart {
			return engine.ENOMEM
		}
		newFlags := newProt | v.flags&^(vmRead|vmWrite|vmExec)
		// Each bit needs its VM_MAY bit.
		if newFlags&^(newFlags>>4)&(vmRead|vmWrite|vmExec) != 0 {
			return engine.EACCES
		}
		if mapDenyWriteExec(mm, v.flags, newFlags) {
			return engine.EACCES
		}
		tmp := min(v.end, end)
		*path = append(*path, "mprotect_fixup")
		if !canModifyVMA(v) {
			return engine.EPERM
		}
		e.mprotectFixup(p, v, nstart, tmp, newFlags, path)
		nstart = tmp
	}
	return 0
}

func (e *Engine) mprotectFixup(p *process, v *vma, start, end, newFlags uint64, path *[]string) {
	if newFlags == v.flags {
		return
	}
	if newFlags&vmWrite != 0 && v.flags&(vmAccount|vmWrite|vmShared|vmNoReserve) == 0 {
		newFlags |= vmAccount
	}
	v = e.modifyFlags(p, v, start, end, newFlags, "mprotect", path)
	e.changeProtection(p, v, start, end)
}

// modifyFlags gives [start, end) of v the flags newFlags, splitting v and
// merging the result with its neighbours (vma_modify_flags).
func (e *Engine) modifyFlags(p *process, v *vma, start, end, newFlags uint64, why string, path *[]string) *vma {
	if v.start < start {
		*path = append(*path, "split_vma")
		v = e.splitVMA(p, v, start)
	}
	if v.end > end {
		*path = append(*path, "split_vma")
		e.splitVMA(p, v, end)
	}
	old := e.snapVMA(p, v)
	v.flags = newFlags
	e.emitVMA(p, "change", why, v, old)
	return e.mergeAround(p, v, path)
}

// changeProtection rewrites the PTEs of [start, end) for v's new flags
// (change_protection): write permission is taken away at once, and given
// back only to pages this process owns alone (can_change_pte_writable);
// the others fault in do_wp_page.
func (e *Engine) changeProtection(p *process, v *vma, start, end uint64) {
	n := 0
	e.forEachPTE(p, start, end, func(addr uint64, pp *uint64, _ *ptable) {
		pte := *pp
		if pte&ptePresent == 0 {
			return
		}
		npte := pte | pteUser
		if v.flags&(vmRead|vmWrite|vmExec) == 0 {
			npte &^= pteUser
		}
		if v.flags&vmExec == 0 {
			npte |= pteNX
		} else {
			npte &^= pteNX
		}
		if v.flags&vmWrite == 0 {
			npte &^= pteRW
		} else if pte&pteRW == 0 && v.flags&vmPFNMap == 0 && !userfaultfdPTEWP(v, pte) {
			f := e.mem.f(idxOf(ptePFN(pte)))
			if (v.flags&vmShared == 0 && f.use == useAnon && f.ref == 1) ||
				(v.flags&vmShared != 0 && pte&pteDirty != 0) {
				npte |= pteRW
			}
		} else if v.flags&vmPFNMap != 0 {
			npte |= pteRW
		}
		if npte != pte {
			*pp = npte
			n++
		}
	})
	if n > 0 {
		e.tlbGen++
		if e.sink != nil {
			ev := e.newEvent(engine.EvPTE, p.pid)
			ev.Op, ev.Why, ev.Addr, ev.Pages = "change", "mprotect", start, spanPages(start, end)
			e.emit(ev)
		}
	}
}

// sysMremap is mremap: shrink in place, grow in place when the pages above
// are free, or move (MREMAP_MAYMOVE) keeping the pages.
func (e *Engine) sysMremap(p *process, old, oldLen, newLen uint64, flags int64, newAddr uint64, path *[]string) (uint64, engine.Errno) {
	*path = append(*path, "do_mremap")
	mm := p.mm
	// check_mremap_params: the arguments alone, before the area is looked up.
	if err := engine.CheckMremap(old, oldLen, newLen, flags, newAddr); err != 0 {
		return 0, err
	}
	oldLen = pageAlign(oldLen)
	newLen = pageAlign(newLen)
	v := mm.findVMA(old)
	if v == nil || v.start > old {
		return 0, engine.EFAULT
	}
	if !canModifyVMA(v) {
		return 0, engine.EPERM // check_prep_vma: a sealed area never moves or resizes
	}
	dontUnmap := flags&engine.MREMAP_DONTUNMAP != 0
	if dontUnmap && v.flags&(vmDontExpand|vmPFNMap) != 0 {
		return 0, engine.EINVAL // vma_to_resize: any other kind of area may be moved so
	}
	if flags&engine.MREMAP_FIXED != 0 {
		if newAddr&engine.PageMask != 0 {
			return 0, engine.EINVAL
		}
		if old+oldLen > v.end {
			return 0, engine.EFAULT
		}
		*path = append(*path, "mremap_to")
		return e.moveVMA(p, v, old, oldLen, newLen, newAddr, true, dontUnmap, path)
	}
	if dontUnmap {
		// new_address is a hint here, and must be aligned.
		if newAddr&engine.PageMask != 0 {
			return 0, engine.EINVAL
		}
		addr, err := mm.getArea(v.file, v.flags&vmMayShare != 0, newAddr, newLen, v.pgoffAt(old))
		if err != 0 {
			return 0, err
		}
		return e.moveVMA(p, v, old, oldLen, newLen, addr, false, true, path)
	}
	if oldLen == 0 {
		return 0, engine.EINVAL
	}
	if newLen <= oldLen {
		if newLen < oldLen {
			*path = append(*path, "do_vmi_munmap")
			e.unmapRange(p, old+newLen, old+oldLen, "mremap")
		}
		return old, 0
	}
	if old+oldLen > v.end {
		return 0, engine.EFAULT
	}
	if v.flags&(vmDontExpand|vmPFNMap) != 0 {
		return 0, engine.EFAULT
	}
	if old+oldLen == v.end {
		delta := newLen - oldLen
		if v.end+delta <= engine.TaskSize && v.end+delta > v.end && mm.findIntersection(v.end, v.end+delta) == nil &&
			(v.file == nil || v.file.kind != kindShmem) {
			*path = append(*path, "vma_merge_extend")
			o := e.snapVMA(p, v)
			grown := v.end
			v.end += delta
			e.emitVMA(p, "change", "mremap", v, o)
			// vma_merge_extend: the grown area merges with the next one
			// when it now touches it and may.
			v = e.mergeAround(p, v, path)
			if v.flags&vmLocked != 0 {
				mm.lockedVM += delta >> engine.PageShift
				e.populate(p, grown, grown+delta)
			}
			return old, 0
		}
	}
	if flags&engine.MREMAP_MAYMOVE == 0 {
		return 0, engine.ENOMEM
	}
	addr, err := mm.getArea(v.file, v.flags&vmMayShare != 0, 0, newLen, v.pgoffAt(old))
	if err != 0 {
		return 0, err
	}
	return e.moveVMA(p, v, old, oldLen, newLen, addr, false, false, path)
}

// moveVMA is move_vma: a copy of the area at newAddr, the PTEs moved
// (move_page_tables), the old range unmapped.
func (e *Engine) moveVMA(p *process, v *vma, old, oldLen, newLen, newAddr uint64, fixed, dontUnmap bool, path *[]string) (uint64, engine.Errno) {
	mm := p.mm
	if fixed {
		if newAddr+newLen > engine.TaskSize || (newAddr < old+oldLen && old < newAddr+newLen) {
			return 0, engine.EINVAL
		}
		if err := e.unmapRange(p, newAddr, newAddr+newLen, "mremap"); err != 0 {
			return 0, err // the destination sealed
		}
		if newLen < oldLen {
			e.unmapRange(p, old+newLen, old+oldLen, "mremap")
			oldLen = newLen
		}
		// vrm_set_new_addr: get_unmapped_area(MAP_FIXED) checks the
		// destination as mmap would (below vm.mmap_min_addr: EPERM).
		if _, err := mm.getUnmappedArea(newAddr, newLen, true); err != 0 {
			return 0, err
		}
		v = mm.findVMA(old)
	}
	if v.start < old {
		v = e.splitVMA(p, v, old)
	}
	if v.end > old+oldLen {
		e.splitVMA(p, v, old+oldLen)
	}
	nv := &vma{start: newAddr, end: newAddr + newLen, flags: v.flags, pgoff: v.pgoff, file: v.file, anon: v.anon, name: v.name}
	*path = append(*path, "copy_vma", "move_page_tables")
	// Move the PTEs.
	type moved struct {
		addr uint64
		pte  uint64
	}
	var ptes []moved
	// The destination's tables first: making them may reclaim, which must
	// still find every page where it is mapped.
	e.forEachPTE(p, old, old+oldLen, func(addr uint64, _ *uint64, _ *ptable) {
		if newAddr < old+oldLen && old < newAddr+newLen {
			return // overlapping ranges are refused above
		}
		e.pteTable(p, addr-old+newAddr, true)
	})
	e.forEachPTE(p, old, old+oldLen, func(addr uint64, pp *uint64, t *ptable) {
		ptes = append(ptes, moved{addr, *pp})
		if *pp&ptePresent != 0 {
			p.mm.rss--
			e.countPresent(p, addr, lvlPTE, -1)
		}
		*pp = 0
		t.used--
	})
	if !dontUnmap {
		o := e.snapVMA(p, v)
		mm.remove(v)
		if e.sink != nil {
			ev := e.newEvent(engine.EvVMA, p.pid)
			ev.Op, ev.Why, ev.VMA = "remove", "mremap", o
			e.emit(ev)
		}
	} else {
		// move_vma with MREMAP_DONTUNMAP: the old area stays, emptied. It
		// loses VM_LOCKED (its locked pages are the new area's now) and its
		// anon_vma, so it faults as a new area would: zeros when anonymous,
		// the file's pages when it maps a file (a private copy moved away).
		// mm->locked_vm is left as it was.
		locked := v.flags&(vmLocked|vmLockOnFault) != 0
		o := e.snapVMA(p, v)
		v.flags &^= vmLocked | vmLockOnFault
		v.anon = 0
		if v.file == nil {
			v.pgoff = v.start >> engine.PageShift
		}
		if locked {
			e.emitVMA(p, "change", "mremap", v, o)
		}
	}
	e.freeEmptyTables(p, old, old+oldLen)
	mm.insert(nv)
	e.emitVMA(p, "add", "mremap", nv, nil)
	for _, m := range ptes {
		e.setPTE(p, m.addr-old+newAddr, m.pte)
	}
	e.tlbGen++
	if len(ptes) > 0 && e.sink != nil {
		ev := e.newEvent(engine.EvPTE, p.pid)
		ev.Op, ev.Why, ev.Addr, ev.Pages = "set", "mremap", newAddr, len(ptes)
		e.emit(ev)
	}
	e.mergeAround(p, nv, path)
	return newAddr, 0
}

// sysMadvise is madvise.
func (e *Engine) sysMadvise(p *process, start, length uint64, advice int64, path *[]string) engine.Errno {
	*path = append(*path, "do_madvise")
	switch advice {
	case engine.MADV_NORMAL, engine.MADV_RANDOM, engine.MADV_SEQUENTIAL, engine.MADV_WILLNEED,
		engine.MADV_DONTNEED, engine.MADV_FREE, engine.MADV_REMOVE, engine.MADV_DONTFORK, engine.MADV_DOFORK,
		engine.MADV_HUGEPAGE, engine.MADV_NOHUGEPAGE, engine.MADV_COLD, engine.MADV_PAGEOUT, engine.MADV_POPULATE_READ, engine.MADV_POPULATE_WRITE,
		engine.MADV_WIPEONFORK, engine.MADV_KEEPONFORK, engine.MADV_DONTDUMP, engine.MADV_DODUMP:
	default:
		return engine.EINVAL
	}
	if start&engine.PageMask != 0 {
		return engine.EINVAL
	}
	length = pageAlign(length)
	end := start + length
	if end < start {
		return engine.EINVAL
	}
	if end == start {
		return 0
	}
	mm := p.mm
	var unmapped engine.Errno
	for a := start; a < end; {
		v := mm.findVMA(a)
		if v == nil {
			return engine.ENOMEM
		}
		if v.start > a {
			unmapped = engine.ENOMEM
			if v.start >= end {
				break
			}
			a = v.start
		}
		s, t := a, min(v.end, end)
		if !canMadviseModify(v, advice) {
			return engine.EPERM
		}
		switch advice {
		case engine.MADV_DONTNEED:
			if v.flags&(vmLocked|vmPFNMap) != 0 {
				return engine.EINVAL
			}
			*path = append(*path, "zap_page_range_single")
			e.zapRange(p, v, s, t, "MADV_DONTNEED")
		case engine.MADV_FREE:
			if v.file != nil {
				return engine.EINVAL
			}
			if v.flags&(vmLocked|vmPFNMap) != 0 {
				return engine.EINVAL
			}
			*path = append(*path, "madvise_free_pte_range")
			e.lazyFree(p, s, t)
		case engine.MADV_REMOVE:
			if v.flags&vmShared == 0 || v.file == nil {
				return engine.EINVAL
			}
			*path = append(*path, "vfs_fallocate", "FALLOC_FL_PUNCH_HOLE")
			e.punchHole(v.file, v.pgoffAt(s), v.pgoffAt(t-1))
		case engine.MADV_WILLNEED:
			if v.file != nil {
				*path = append(*path, "vfs_fadvise", "force_page_cache_readahead")
				last := pageAlign(v.file.size) >> engine.PageShift
				for x := s; x < t; x += engine.PageSize {
					if idx := v.pgoffAt(x); idx < last {
						e.pageCacheGet(p, v.file, idx, false)
					}
				}
			}
		case engine.MADV_POPULATE_READ, engine.MADV_POPULATE_WRITE:
			access := "read"
			if advice == engine.MADV_POPULATE_WRITE {
				access = "write"
			}
			// Incompatible mappings or permissions are EINVAL
			// (check_vma_flags without FOLL_FORCE): a read needs
			// VM_READ, a write VM_WRITE, whatever else the area
			// allows (PROT_WRITE alone cannot be populated for read).
			need := uint64(vmRead)
			if access == "write" {
				need = vmWrite
			}
			if v.flags&(vmIO|vmPFNMap) != 0 || v.flags&need == 0 {
				return engine.EINVAL
			}
			*path = append(*path, "madvise_populate", "faultin_page")
			for x := s; x < t; x += engine.PageSize {
				if pte, _ := e.lookupPTE(p, x); pte&ptePresent != 0 && (access == "read" || pte&pteRW != 0) {
					continue
				}
				if sig := e.handleMMFault(p, x, access, false, false); sig != nil {
					if sig.Signo == engine.SIGBUS {
						return engine.EFAULT
					}
					return engine.ENOMEM
				}
			}
		case engine.MADV_PAGEOUT, engine.MADV_COLD:
			if v.flags&(vmLocked|vmPFNMap) != 0 {
				return engine.EINVAL
			}
			*path = append(*path, "madvise_cold_or_pageout_pte_range")
			e.pageout(p, v, s, t, advice == engine.MADV_PAGEOUT)
		default:
			nf := v.flags
			switch advice {
			case engine.MADV_NORMAL:
				nf &^= vmSeqRead | vmRandRead
			case engine.MADV_RANDOM:
				nf = nf&^vmSeqRead | vmRandRead
			case engine.MADV_SEQUENTIAL:
				nf = nf&^vmRandRead | vmSeqRead
			case engine.MADV_DONTFORK:
				if v.flags&vmIO != 0 {
					return engine.EINVAL
				}
				nf |= vmDontCopy
			case engine.MADV_DOFORK:
				if v.flags&vmIO != 0 {
					return engine.EINVAL
				}
				nf &^= vmDontCopy
			case engine.MADV_WIPEONFORK:
				// Anonymous memory only: not a file's, not private
				// /dev/zero's (its vm_file stays), not shared.
				if v.file != nil || v.zeroFile != nil || v.flags&vmShared != 0 {
					return engine.EINVAL
				}
				nf |= vmWipeOnFork
			case engine.MADV_KEEPONFORK:
				if v.flags&vmDroppable != 0 {
					return engine.EINVAL
				}
				nf &^= vmWipeOnFork
			case engine.MADV_DONTDUMP:
				nf |= vmDontDump
			case engine.MADV_DODUMP:
				if v.flags&vmSpecial != 0 || v.flags&vmDroppable != 0 {
					return engine.EINVAL
				}
				nf &^= vmDontDump
			case engine.MADV_HUGEPAGE:
				// hugepage_madvise: any area, whatever THP's mode; the
				// flag is what a fault and khugepaged then look at.
				nf = nf&^vmNoHugePage | vmHugePage
			case engine.MADV_NOHUGEPAGE:
				nf = nf&^vmHugePage | vmNoHugePage
			}
			if nf != v.flags {
				e.modifyFlags(p, v, s, t, nf, "madvise", path)
			}
		}
		a = t
	}
	return unmapped
}

// sysMlock is mlock, mlock2 and munlock (do_mlock, apply_vma_lock_flags):
// each area of the range gets the lock flags given (VM_LOCKED, with
// VM_LOCKONFAULT for mlock2's MLOCK_ONFAULT; none for munlock), then the
// pages are faulted in (__mm_populate, which leaves a lock-on-fault
// area's pages to their faults).
//
//	check                                   where                 errno
//	RLIMIT_MEMLOCK 0 (no CAP_IPC_LOCK)      can_do_mlock          EPERM
//	the range page-aligned around start     do_mlock
//	locked_vm + the range's pages not yet   do_mlock              ENOMEM
//	  locked past RLIMIT_MEMLOCK
//	every page of it mapped                 apply_vma_lock_flags  ENOMEM
//	VM_SPECIAL areas keep their flags       mlock_fixup
//	a page that cannot be faulted in        __mlock_posix_error_return ENOMEM
func (e *Engine) sysMlock(p *process, start, length uint64, lockFlags uint64, path *[]string) engine.Errno {
	lock := lockFlags&vmLocked != 0
	if lock {
		*path = append(*path, "do_mlock")
		if !canDoMlock(p) {
			return engine.EPERM
		}
		*path = append(*path, "apply_vma_lock_flags")
	} else {
		*path = append(*path, "apply_vma_lock_flags")
	}
	length = pageAlign(length + start&engine.PageMask)
	start &^= engine.PageMask
	end := start + length
	if end < start {
		return engine.EINVAL
	}
	if end == start {
		return 0
	}
	mm := p.mm
	if lock {
		limit := p.sys.rlim[engine.RLIMIT_MEMLOCK].cur >> engine.PageShift
		locked := length>>engine.PageShift + mm.lockedVM
		if locked > limit {
			// count_mm_mlocked_page_nr: pages locked already are not
			// counted twice.
			locked -= mm.lockedPages(start, end)
		}
		if locked > limit {
			return engine.ENOMEM
		}
	}
	// The whole range must be mapped.
	for a := start; a < end; {
		v := mm.findVMA(a)
		if v == nil || v.start > a {
			return engine.ENOMEM
		}
		a = v.end
	}
	for a := start; a < end; {
		v := mm.findVMA(a)
		t := min(v.end, end)
		nf := v.flags&^(vmLocked|vmLockOnFault) | lockFlags
		// mlock_fixup leaves VM_SPECIAL and droppable areas unlocked.
		if nf != v.flags && v.flags&(vmIO|vmPFNMap|vmDontExpand|vmDroppable) == 0 {
			e.lockFixup(p, v, a, t, nf, path)
		}
		a = t
	}
	if lock {
		*path = append(*path, "__mm_populate")
		if !e.populate(p, start, end) {
			return engine.ENOMEM
		}
	}
	return 0
}

// canDoMlock is can_do_mlock: any RLIMIT_MEMLOCK but 0 lets the user
// lock (the session's user has no CAP_IPC_LOCK).
func canDoMlock(p *process) bool { return p.sys.rlim[engine.RLIMIT_MEMLOCK].cur != 0 }

// mlockFutureOK is mlock_future_ok: an area of bytes made with flags
// (VM_LOCKED from MAP_LOCKED or mlockall(MCL_FUTURE)) keeps locked_vm
// within RLIMIT_MEMLOCK.
func mlockFutureOK(p *process, flags, bytes uint64) bool {
	if flags&vmLocked == 0 {
		return true
	}
	return bytes>>engine.PageShift+p.mm.lockedVM <= p.sys.rlim[engine.RLIMIT_MEMLOCK].cur>>engine.PageShift
}

// lockedPages is count_mm_mlocked_page_nr: the pages of [start, end) in
// VM_LOCKED areas.
func (mm *mm) lockedPages(start, end uint64) uint64 {
	var n uint64
	for _, v := range mm.vmas {
		if v.flags&vmLocked != 0 && v.start < end && v.end > start {
			n += (min(v.end, end) - max(v.start, start)) >> engine.PageShift
		}
	}
	return n
}

// lockFixup is mlock_fixup: the flags, and each present page marked or
// unmarked PG_mlocked (unevictable). locked_vm counts an area's pages
// when it becomes locked and uncounts them when it stops being locked.
func (e *Engine) lockFixup(p *process, v *vma, start, end, nf uint64, path *[]string) {
	lock := nf&vmLocked != 0
	pages := (end - start) >> engine.PageShift
	switch {
	case !lock:
		if v.flags&vmLocked != 0 {
			p.mm.lockedVM -= min(pages, p.mm.lockedVM)
		}
	case v.flags&vmLocked == 0:
		p.mm.lockedVM += pages
	}
	why := "munlock"
	if lock {
		why = "mlock"
	}
	e.modifyFlags(p, v, start, end, nf, why, path)
	e.forEachPTE(p, start, end, func(_ uint64, pp *uint64, _ *ptable) {
		if *pp&ptePresent == 0 {
			return
		}
		f := e.mem.f(idxOf(ptePFN(*pp)))
		if f.use != useAnon && f.use != useFile {
			return
		}
		if lock {
			f.flags |= pgMlocked
		} else {
			f.flags &^= pgMlocked
		}
	})
}

// sysMlockall is mlockall (apply_mlockall_flags): MCL_FUTURE sets the
// flags later areas start with; MCL_CURRENT sets VM_LOCKED (and, with
// MCL_ONFAULT, VM_LOCKONFAULT) on every area and faults their pages in.
func (e *Engine) sysMlockall(p *process, flags int64, path *[]string) engine.Errno {
	*path = append(*path, "apply_mlockall_flags")
	if flags == 0 || flags&^(engine.MCL_CURRENT|engine.MCL_FUTURE|engine.MCL_ONFAULT) != 0 || flags == engine.MCL_ONFAULT {
		return engine.EINVAL
	}
	if !canDoMlock(p) {
		return engine.EPERM
	}
	// MCL_CURRENT: the whole address space (total_vm) within
	// RLIMIT_MEMLOCK, or ENOMEM and nothing changes.
	if flags&engine.MCL_CURRENT != 0 && p.mm.totalVM() > p.sys.rlim[engine.RLIMIT_MEMLOCK].cur>>engine.PageShift {
		return engine.ENOMEM
	}
	onFault := uint64(0)
	if flags&engine.MCL_ONFAULT != 0 {
		onFault = vmLockOnFault
	}
	mm := p.mm
	mm.defFlags &^= vmLocked | vmLockOnFault
	if flags&engine.MCL_FUTURE != 0 {
		mm.defFlags |= vmLocked | onFault
	}
	if flags&engine.MCL_CURRENT != 0 {
		for _, v := range append([]*vma(nil), mm.vmas...) {
			nf := v.flags&^(vmLocked|vmLockOnFault) | vmLocked | onFault
			if v.flags&(vmIO|vmPFNMap|vmDontExpand|vmDroppable) != 0 || nf == v.flags {
				continue
			}
			e.lockFixup(p, v, v.start, v.end, nf, path)
		}
		*path = append(*path, "__mm_populate")
		e.populate(p, 0, engine.TaskSize)
	}
	return 0
}

func (e *Engine) sysMunlockall(p *process, path *[]string) engine.Errno {
	*path = append(*path, "apply_mlockall_flags")
	mm := p.mm
	mm.defFlags &^= vmLocked | vmLockOnFault
	for _, v := range append([]*vma(nil), mm.vmas...) {
		if v.flags&vmLocked != 0 {
			e.lockFixup(p, v, v.start, v.end, v.flags&^(vmLocked|vmLockOnFault), path)
		}
	}
	return 0
}

// sysMincore is mincore: one byte per page, 1 when the page is resident:
// for a file area, in the page cache whether mapped or not; for anonymous
// memory, a present PTE.
func (e *Engine) sysMincore(p *process, start, length, vec uint64, path *[]string) engine.Errno {
	*path = append(*path, "do_mincore")
	if start&engine.PageMask != 0 {
		return engine.EINVAL
	}
	// access_ok(start, len) before len is rounded: a length that runs
	// past the user address space is ENOMEM, even one that rounds to 0.
	if length > engine.TaskSize || start > engine.TaskSize-length {
		return engine.ENOMEM
	}
	length = pageAlign(length)
	end := start + length
	// do_mincore a page of answers at a time (4096 pages), each copied
	// out before the next: a range that runs into a hole fails with
	// ENOMEM there, the answers before it written.
	var out [engine.PageSize]byte
	mm := p.mm
	for cs := start; cs < end; {
		if cs > start && e.stopped() {
			return engine.EINTR
		}
		ce := min(end, cs+engine.PageSize<<engine.PageShift)
		n := 0
		hole := false
		for a := cs; a < ce; a += engine.PageSize {
			v := mm.findVMA(a)
			if v == nil || v.start > a {
				hole = true
				break
			}
			pte, _ := e.lookupPTE(p, a)
			out[n] = 0
			switch {
			case pte&ptePresent != 0:
				out[n] = 1
			case pte == 0 && v.file != nil && v.flags&vmPFNMap == 0:
				if _, ok := v.file.cache[v.pgoffAt(a)]; ok {
					out[n] = 1
				}
			}
			n++
		}
		if n > 0 {
			if err := e.access(p, vec+(cs-start)>>engine.PageShift, out[:n], true, true); err != nil {
				return engine.EFAULT
			}
		}
		if hole {
			return engine.ENOMEM
		}
		cs = ce
	}
	return 0
}

// sysMsync is msync: MS_SYNC writes the dirty pages of shared file areas
// in the range (vfs_fsync_range); MS_ASYNC does nothing since Linux
// 2.6.19, the pages being dirty already; MS_INVALIDATE fails on locked
// areas.
func (e *Engine) sysMsync(p *process, start, length uint64, flags int64, path *[]string) engine.Errno {
	*path = append(*path, "ksys_msync")
	if flags&^(engine.MS_ASYNC|engine.MS_INVALIDATE|engine.MS_SYNC) != 0 {
		return engine.EINVAL
	}
	if start&engine.PageMask != 0 {
		return engine.EINVAL
	}
	if flags&engine.MS_ASYNC != 0 && flags&engine.MS_SYNC != 0 {
		return engine.EINVAL
	}
	length = pageAlign(length)
	end := start + length
	if end < start {
		return engine.ENOMEM
	}
	if end == start {
		return 0
	}
	mm := p.mm
	var unmapped engine.Errno
	for start < end {
		v := mm.findVMA(start)
		if v == nil {
			return engine.ENOMEM
		}
		if start < v.start {
			if end <= v.start {
				return engine.ENOMEM
			}
			unmapped = engine.ENOMEM
			start = v.start
		}
		if flags&engine.MS_INVALIDATE != 0 && v.flags&vmLocked != 0 {
			return engine.EBUSY
		}
		t := min(v.end, end)
		if flags&engine.MS_SYNC != 0 && v.file != nil && v.flags&vmShared != 0 {
			*path = append(*path, "vfs_fsync_range", "filemap_write_and_wait_range")
			e.writebackRange(p, v.file, v.pgoffAt(start), v.pgoffAt(t-1), "msync")
		}
		start = t
	}
	return unmapped
}
