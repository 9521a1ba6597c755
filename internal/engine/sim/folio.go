package sim

import (
	"math/bits"

	"github.com/mmapplayground/playground/internal/engine"
)

// Large folios in the page cache, analogous to mm/filemap.c's: a folio is
// 1<<order pages of a file, aligned in it (index a multiple of its size),
// cached, dirtied and mapped together. The model keeps one frame per page,
// each knowing its folio's order (frame.order), so a large folio's frames
// need not be contiguous as the kernel's are; what the folio decides is
// what a read fault maps (faultAround).
//
// Where folios come from, as on this machine (ext4, Linux 6.18):
//
//	how the page got into the cache       folio                  on a read fault here
//	write() of N bytes                     up to N rounded down   1 MiB writes: 256 pages,
//	                                       to a power of two,     2 MiB or more: 512 (one PMD)
//	                                       aligned, <= MaxFolio
//	write() of 64 KiB or less              16 pages or fewer      the 16-page window
//	readahead (a fault, read(), fadvise)   4 KiB pages here       the 16-page window
//	shmem (tmpfs, shared anonymous)        4 KiB pages (huge=never) the 16-page window
//
// The kernel's readahead grows its folios as a file is read sequentially
// (page_cache_ra_order); the model's readahead makes 4 KiB pages (see
// docs/differences.md#fault-around).

// writeFolioOrder is the order of the folio a write makes at page idx of
// ino, where no page is cached (__filemap_get_folio with FGP_WRITEBEGIN and
// fgf_set_order(bytes)): the largest power of two of pages in bytes, at
// most MaxFolio, lowered until idx is aligned to it (__ffs(index)) and
// until no page of it is cached yet (filemap_add_folio's -EEXIST).
func (e *Engine) writeFolioOrder(ino *inode, idx, bytes uint64) uint8 {
	if ino.kind != kindReg || bytes < 2*engine.PageSize {
		return 0
	}
	order := bits.Len64(bytes>>engine.PageShift) - 1
	order = min(order, bits.Len(uint(e.opts.MaxFolio))-1)
	if idx != 0 {
		order = min(order, bits.TrailingZeros64(idx))
	}
	for ; order > 0; order-- {
		free := true
		for j := idx; j < idx+1<<order; j++ {
			if _, ok := ino.cache[j]; ok {
				free = false
				break
			}
		}
		if free {
			break
		}
	}
	return uint8(order)
}

// writeChunk is how many bytes of a write at pos generic_perform_write
// gives one write_begin: what is left of the write, up to the end of the
// largest folio's span (mapping_max_folio_size) that pos is in.
func (e *Engine) writeChunk(pos, left uint64) uint64 {
	chunk := uint64(e.opts.MaxFolio) << engine.PageShift
	return min(chunk-pos&(chunk-1), left)
}

// folioSpan is the virtual range of v that the cached folio holding the
// page mapped at a covers, when that folio is a large one.
func (e *Engine) folioSpan(v *vma, a uint64) (lo, hi uint64, ok bool) {
	if v.file == nil {
		return 0, 0, false
	}
	idx := v.pgoffAt(a)
	fi, cached := v.file.cache[idx]
	if !cached {
		return 0, 0, false
	}
	order := e.mem.f(fi).order
	if order == 0 {
		return 0, 0, false
	}
	head := idx &^ (1<<order - 1)
	lo = a - (idx-head)<<engine.PageShift
	if lo > a {
		return 0, 0, false // the folio would start below address 0
	}
	return lo, lo + (1<<order)<<engine.PageShift, true
}

// addWriteFolio puts the folio of 1<<order pages from idx in the cache for
// a write that covers all of it from byte in of its first page on: only a
// first page the write does not begin at the start of is read from disk
// (the rest is overwritten). Each page is held while the next ones are
// allocated, which may reclaim.
func (e *Engine) addWriteFolio(p *process, ino *inode, idx uint64, order uint8, in uint64) engine.Errno {
	n := uint64(1) << order
	var err engine.Errno
	got := idx
	for ; got < idx+n; got++ {
		var fi int32
		if fi, err = e.pageCacheGet(p, ino, got, got != idx || in == 0); err != 0 {
			break
		}
		e.mem.f(fi).ref++
	}
	for j := idx; j < got; j++ {
		f := e.mem.f(ino.cache[j])
		f.ref--
		if err == 0 {
			f.order = order
		}
	}
	return err
}
