package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// The page cache: each inode's address_space maps a page index to a frame.
// A page enters clean (read from disk: a major fault's disk read), becomes
// dirty when written through write() or a shared mapping, goes through
// writeback to the disk (msync, the flusher, reclaim) and leaves when
// reclaimed or truncated.

// pageCacheGet is filemap_get_folio plus, on a miss, the read from disk
// (filemap_read_folio). noRead skips the read when the caller overwrites
// the whole page.
func (e *Engine) pageCacheGet(p *process, ino *inode, idx uint64, noRead bool) (int32, engine.Errno) {
	fi, _, err := e.pageCacheRead(p, ino, idx, noRead)
	return fi, err
}

// pageCacheRead is pageCacheGet that also says whether the disk (or swap)
// was read: a major fault.
func (e *Engine) pageCacheRead(p *process, ino *inode, idx uint64, noRead bool) (fi int32, major bool, err engine.Errno) {
	if fi, ok := ino.cache[idx]; ok {
		return fi, false, 0
	}
	fi = e.allocFrame(useFile)
	if fi < 0 {
		return -1, false, engine.ENOMEM
	}
	f := e.mem.f(fi)
	f.ref = 1
	f.ino = ino.id
	f.index = idx
	off := idx << engine.PageShift
	read := false
	if slot, ok := ino.swapped[idx]; ok {
		// A shmem page back from swap (shmem_swapin_folio).
		s := &e.swap.slots[slot]
		f.mask, f.blk = s.mask, s.blk
		s.mask, s.blk = 0, -1
		delete(ino.swapped, idx)
		e.swapPut(slot)
		e.cnt.SwapIns++
		read = true
	} else if !noRead && ino.kind != kindShmem && off < ino.disk.len() {
		e.mem.setContents(fi, ino.disk.page(idx, &e.fs.pageBuf))
		read = true
	}
	ino.cache[idx] = fi
	e.mem.lruAdd(fi)
	pid := 0
	if p != nil {
		pid = p.pid
	}
	if read {
		e.cnt.DiskReads++
		e.advance(costDiskRead)
		if e.sink != nil {
			ev := e.newEvent(engine.EvDisk, pid)
			ev.Op = "read"
			ev.Why = "fault"
			if ino.kind == kindShmem {
				ev.Why = "swap"
			}
			ev.File = ino.name
			ev.Index = idx
			ev.PFN = pfnOf(fi)
			e.emit(ev)
		}
	}
	if e.sink != nil && ino.kind != kindImage {
		ev := e.newEvent(engine.EvPageCache, pid)
		ev.Op = "add"
		ev.File = ino.name
		ev.Index = idx
		ev.PFN = pfnOf(fi)
		ev.State = "clean"
		e.emit(ev)
	}
	return fi, read, 0
}

// readPages is a page-cache lookup that on a miss reads the window
// [first, last] around idx in one I/O (page_cache_ra_unbounded): the pages
// not cached yet and within i_size, those of a hole (past what the disk
// holds) zero-filled without touching the disk. major says the page was
// not cached: filemap_fault counts a major fault whether or not the disk
// was read.
func (e *Engine) readPages(p *process, ino *inode, idx, first, last uint64) (fi int32, major bool, err engine.Errno) {
	sizePages := pageAlign(fileSize(ino)) >> engine.PageShift
	if fi, ok := ino.cache[idx]; ok || ino.kind == kindShmem || idx >= sizePages {
		if ok {
			return fi, false, 0
		}
		return e.pageCacheRead(p, ino, idx, false)
	}
	diskPages := pageAlign(ino.disk.len()) >> engine.PageShift
	last = min(last, sizePages-1)
	first = min(first, idx)
	fi = e.allocFrame(useFile)
	if fi < 0 {
		return -1, false, engine.ENOMEM
	}
	e.addCachePage(ino, fi, idx)
	e.mem.f(fi).ref++ // held while the rest of the window is read
	n := 1
	lo, hi := idx, idx
	for j := first; j <= last; j++ {
		if _, ok := ino.cache[j]; ok || j == idx {
			continue
		}
		fj := e.allocFrame(useFile)
		if fj < 0 {
			break
		}
		e.addCachePage(ino, fj, j)
		n++
		lo, hi = min(lo, j), max(hi, j)
	}
	fromDisk := 0
	for j := lo; j <= hi; j++ {
		if _, ok := ino.cache[j]; ok && j < diskPages {
			fromDisk++
		}
	}
	e.mem.f(fi).ref--
	if fromDisk > 0 {
		e.cnt.DiskReads += uint64(fromDisk)
		e.advance(costDiskRead)
	}
	pid := 0
	if p != nil {
		pid = p.pid
	}
	if e.sink != nil {
		if fromDisk > 0 {
			ev := e.newEvent(engine.EvDisk, pid)
			ev.Op, ev.Why, ev.File, ev.Index, ev.PFN = "read", "fault", ino.name, lo, pfnOf(fi)
			if n > 1 {
				ev.Pages = fromDisk
				ev.Why = "readahead"
			}
			e.emit(ev)
		}
		for j := lo; j <= hi; j++ {
			fj, ok := ino.cache[j]
			if !ok {
				continue
			}
			ev := e.newEvent(engine.EvPageCache, pid)
			ev.Op, ev.File, ev.Index, ev.PFN, ev.State = "add", ino.name, j, pfnOf(fj), "clean"
			if j != idx {
				ev.Why = "readahead"
			}
			e.emit(ev)
		}
	}
	return fi, true, 0
}

// addCachePage fills frame fi with page idx of ino from disk and adds it
// to the cache and the LRU.
func (e *Engine) addCachePage(ino *inode, fi int32, idx uint64) {
	f := e.mem.f(fi)
	f.ref = 1
	f.ino = ino.id
	f.index = idx
	off := idx << engine.PageShift
	if off < ino.disk.len() {
		e.mem.setContents(fi, ino.disk.page(idx, &e.fs.pageBuf))
	}
	ino.cache[idx] = fi
	e.mem.lruAdd(fi)
}

// faultWindow is the readahead window of a fault on page idx of v
// (do_sync_mmap_readahead): none for MADV_RANDOM, ahead for
// MADV_SEQUENTIAL, around the page otherwise.
func (e *Engine) faultWindow(v *vma, idx uint64) (uint64, uint64) {
	ra := uint64(e.opts.ReadAround)
	switch {
	case ra <= 1 || v.flags&vmRandRead != 0:
		return idx, idx
	case v.flags&vmSeqRead != 0:
		return idx, idx + ra - 1
	}
	first := idx - min(idx, ra/2)
	return first, first + ra - 1
}

// setPageDirty is set_page_dirty / folio_mark_dirty.
func (e *Engine) setPageDirty(p *process, ino *inode, fi int32) {
	f := e.mem.f(fi)
	if f.flags&pgDirty != 0 || ino.kind == kindShmem {
		if ino.kind == kindShmem {
			f.flags |= pgDirty
		}
		return
	}
	f.flags |= pgDirty
	if ino.nDirty == 0 {
		ino.dirtiedWhen = e.clock
	}
	ino.nDirty++
	if e.sink != nil {
		pid := 0
		if p != nil {
			pid = p.pid
		}
		ev := e.newEvent(engine.EvPageCache, pid)
		ev.Op = "dirty"
		ev.File = ino.name
		ev.Index = f.index
		ev.PFN = pfnOf(fi)
		ev.State = "dirty"
		e.emit(ev)
	}
}

// zeroPage is a page of zeros to write from.
var zeroPage [engine.PageSize]byte

// writebackPage writes one dirty page to disk (writepage): PG_writeback,
// the disk write, then clean; every PTE mapping it is cleaned and
// write-protected first (folio_mkclean), so the next store faults again
// and redirties it.
func (e *Engine) writebackPage(p *process, ino *inode, fi int32, why string, sync bool) {
	f := e.mem.f(fi)
	if f.flags&pgDirty == 0 || ino.kind == kindShmem {
		return
	}
	e.mkclean(fi)
	pid := 0
	if p != nil {
		pid = p.pid
	}
	f.flags |= pgWriteback
	f.flags &^= pgDirty
	ino.nDirty--
	if e.sink != nil {
		ev := e.newEvent(engine.EvPageCache, pid)
		ev.Op = "writeback"
		ev.Why = why
		ev.File = ino.name
		ev.Index = f.index
		ev.PFN = pfnOf(fi)
		ev.State = "writeback"
		e.emit(ev)
	}
	off := f.index << engine.PageShift
	if off < ino.size {
		end := min(off+engine.PageSize, ino.size)
		buf := &e.fs.pageBuf
		e.mem.read(f, 0, buf[:])
		clear(buf[end-off:])
		ino.disk.store(f.index, buf, end)
		e.fs.diskPages++
		if tail := end - off; tail < engine.PageSize {
			// The bytes past end of file in the last page are zeroed as
			// the page is written (block_write_full_folio's
			// folio_zero_segment): a store there is lost.
			e.mem.write(f, int(tail), zeroPage[tail:])
		}
	}
	e.cnt.DiskWrites++
	if sync {
		e.clock += costDiskWrite
	}
	f = e.mem.f(fi)
	f.flags &^= pgWriteback
	if e.sink != nil {
		ev := e.newEvent(engine.EvDisk, pid)
		ev.Op = "write"
		ev.Why = why
		ev.File = ino.name
		ev.Index = f.index
		ev.PFN = pfnOf(fi)
		e.emit(ev)
		ev = e.newEvent(engine.EvPageCache, pid)
		ev.Op = "clean"
		ev.Why = why
		ev.File = ino.name
		ev.Index = f.index
		ev.PFN = pfnOf(fi)
		ev.State = "clean"
		e.emit(ev)
	}
}

// writebackRange writes back the dirty pages of ino with index in
// [first, last] (filemap_write_and_wait_range).
func (e *Engine) writebackRange(p *process, ino *inode, first, last uint64, why string) {
	if ino.nDirty == 0 {
		return
	}
	for _, idx := range ino.sortedIndices() {
		if idx < first || idx > last {
			continue
		}
		e.writebackPage(p, ino, ino.cache[idx], why, true)
	}
}

// dropCachePage removes a page from the page cache (delete_from_page_cache),
// the caller having unmapped it.
func (e *Engine) dropCachePage(ino *inode, fi int32, why string) {
	f := e.mem.f(fi)
	idx := f.index
	delete(ino.cache, idx)
	if f.flags&pgDirty != 0 {
		ino.nDirty--
	}
	if e.sink != nil {
		ev := e.newEvent(engine.EvPageCache, 0)
		ev.Op = "evict"
		ev.Why = why
		ev.File = ino.name
		ev.Index = idx
		ev.PFN = pfnOf(fi)
		ev.State = "evicted"
		e.emit(ev)
	}
	e.mem.put(fi)
}

// punchHole is fallocate(FALLOC_FL_PUNCH_HOLE) over pages [first, last]
// of ino (MADV_REMOVE): the pages leave every mapping and the cache, dirty
// or not, and the file reads zeros there.
func (e *Engine) punchHole(ino *inode, first, last uint64) {
	for _, idx := range ino.sortedIndices() {
		if idx < first || idx > last {
			continue
		}
		fi := ino.cache[idx]
		e.unmapFrame(fi, "MADV_REMOVE")
		if f := e.mem.f(fi); f.flags&pgDirty != 0 {
			f.flags &^= pgDirty
			ino.nDirty--
		}
		e.dropCachePage(ino, fi, "MADV_REMOVE")
	}
	for _, idx := range sortedKeys(ino.swapped) {
		if idx >= first && idx <= last {
			e.swapPut(ino.swapped[idx])
			delete(ino.swapped, idx)
		}
	}
	hi := ^uint64(0)
	if last < 1<<(64-engine.PageShift)-1 {
		hi = (last + 1) << engine.PageShift
	}
	ino.disk.clearRange(first<<engine.PageShift, hi)
}

// truncatePages drops the cached pages wholly past size from every
// mapping and the cache, and zeroes the rest of the last page
// (truncate_inode_pages_range after unmap_mapping_range).
func (e *Engine) truncatePages(ino *inode, size uint64) {
	first := pageAlign(size) >> engine.PageShift
	// unmap_mapping_range(..., even_cows): private copies of the pages
	// past the end go too, so every access there is SIGBUS.
	for _, p := range e.procs {
		if p.mm == nil {
			continue
		}
		for _, v := range p.mm.vmas {
			if v.file != ino || v.pgoff+v.pages() <= first {
				continue
			}
			start := v.start
			if first > v.pgoff {
				start = v.start + (first-v.pgoff)<<engine.PageShift
			}
			e.zapRange(p, v, start, v.end, "truncate")
		}
	}
	for _, idx := range ino.sortedIndices() {
		fi := ino.cache[idx]
		if idx >= first {
			e.unmapFrame(fi, "truncate")
			e.dropCachePage(ino, fi, "truncate")
			continue
		}
		if in := size & engine.PageMask; in != 0 && idx == size>>engine.PageShift {
			zero := make([]byte, engine.PageSize-in)
			e.mem.write(e.mem.f(fi), int(in), zero)
		}
	}
	// shmem_undo_range: a memfd's pages in swap past the end go too.
	for _, idx := range sortedKeys(ino.swapped) {
		if idx >= first {
			e.swapPut(ino.swapped[idx])
			delete(ino.swapped, idx)
		}
	}
}
