package sim

import (
	"math/bits"

	"github.com/mmapplayground/playground/internal/engine"
)

// Physical memory, analogous to Linux's mem_map of struct page: one frame per
// 4 KiB page of simulated RAM, kept in one slice of small structs without
// pointers to chase (a 1 GiB program holds a quarter of a million).
//
// Frame contents are sparse: a frame holds only the 64-byte chunks that were
// ever written (mask says which), packed in order, until all 64 are there.
// A frame with no chunks reads as zeros, so a zeroed anonymous page costs
// nothing, and a page with one byte written costs 64 bytes. A page whose
// 4096 bytes are all one byte (a memset's) is "uniform": every chunk, no
// block, the byte in blk (uniformBlk), so it costs nothing either.

// pfnBase is the first frame's number; lower frames are "the kernel's".
const pfnBase = 0x1000

const (
	chunkShift = 6
	chunkSize  = 1 << chunkShift
	chunks     = engine.PageSize / chunkSize // 64: one bit each in mask
)

// Frame uses.
const (
	useFree uint8 = iota
	useZero
	useAnon
	useFile // a page-cache page (also shmem's)
	useDevice
	usePageTable
)

var useNames = [...]string{"free", "zero", "anon", "file", "device", "pagetable"}

// Frame flags (PG_*).
const (
	pgDirty      uint8 = 1 << iota // PG_dirty
	pgWriteback                    // PG_writeback
	pgActive                       // PG_active
	pgReferenced                   // PG_referenced
	pgMlocked                      // PG_mlocked
	pgOnLRU                        // PG_lru
	pgLazyFree                     // MADV_FREE'd: reclaim may drop it unless written again
)

// frame is one physical page, analogous to struct page. It holds no Go
// pointers, so the garbage collector never scans the frame table.
type frame struct {
	mask uint64 // which 64-byte chunks of the page hold something
	// blk is the contents' block in the content store (its size class
	// follows from mask), or for a page-table page its index in
	// physmem.tables.
	blk    int32
	ref    int32 // page_ref_count: PTEs, the page cache, a swap cache
	mapcnt int32 // page_mapcount: PTEs mapping it
	ino    int32 // the inode (files.go) of a page-cache page, or 0
	// index is the page's offset in its file, or for an anonymous page its
	// linear index (vma pgoff + page offset), which rmap uses to find it.
	index   uint64
	lruPrev int32
	lruNext int32
	use     uint8
	flags   uint8
	// order is the folio order of a page-cache page (folio.go): the page
	// belongs to the 1<<order pages from index &^ (1<<order - 1).
	order uint8
}

// LRU lists, analogous to the lruvec's.
const (
	lruInactiveAnon = iota
	lruActiveAnon
	lruInactiveFile
	lruActiveFile
	nrLRU
)

// frameSegShift sizes the frame table's segments: it grows a segment at a
// time and never moves.
const frameSegShift = 12

type physmem struct {
	segs   [][]frame
	n      int32   // frames ever handed out
	free   []int32 // free frame indices, a stack
	total  uint64  // frames of RAM
	used   uint64
	tables []*ptable // page-table pages, by frame.blk
	// tableChunks is how many chunks of entries the tables hold
	// (ptable.ent), for HostBytes.
	tableChunks int
	lru         [nrLRU]lruList
	zero        int32 // the shared zero page
	// hugeZero is the first frame of the huge zero page (thp.go): 0 until
	// first wanted, -1 when there was no room for it.
	hugeZero int32
	demo     int32 // demo_dev's buffer
	// vdso are the vDSO image's pages (vdso.go), 0 until first mapped.
	vdso [vdsoCode]int32
	// vvar are the vDSO's data pages (datastore.go), 0 until first mapped.
	vvar  [vdsoVV + vdsoVC]int32
	byUse [len(useNames)]uint64
	store contentStore
}

type lruList struct {
	head, tail int32 // -1 when empty
	n          uint64
}

func (m *physmem) init(ram uint64) {
	m.total = ram >> engine.PageShift
	if m.total < 64 {
		m.total = 64
	}
	for i := range m.lru {
		m.lru[i] = lruList{head: -1, tail: -1}
	}
	m.zero = m.alloc(useZero)
	m.f(m.zero).ref = 1
	m.demo = m.alloc(useDevice)
	m.f(m.demo).ref = 1
}

func pfnOf(idx int32) uint64 { return uint64(idx) + pfnBase }
func idxOf(pfn uint64) int32 { return int32(pfn - pfnBase) }

// f is frame i.
func (m *physmem) f(i int32) *frame {
	return &m.segs[i>>frameSegShift][i&(1<<frameSegShift-1)]
}

// alloc takes a free frame, or -1 when RAM is full (the caller reclaims).
func (m *physmem) alloc(use uint8) int32 {
	var i int32
	if n := len(m.free); n > 0 {
		i = m.free[n-1]
		m.free = m.free[:n-1]
	} else if uint64(m.n) < m.total {
		i = m.n
		m.n++
		if int(i>>frameSegShift) == len(m.segs) {
			m.segs = append(m.segs, make([]frame, 1<<frameSegShift))
		}
	} else {
		return -1
	}
	*m.f(i) = frame{use: use, lruPrev: -1, lruNext: -1, blk: -1}
	m.used++
	m.byUse[use]++
	return i
}

// release frees a frame whose last reference went.
func (m *physmem) release(i int32) {
	f := m.f(i)
	if f.flags&pgOnLRU != 0 {
		m.lruDel(i)
	}
	if f.use != usePageTable {
		m.store.free(f.mask, f.blk)
	}
	m.byUse[f.use]--
	*f = frame{lruPrev: -1, lruNext: -1, blk: -1}
	m.used--
	m.free = append(m.free, i)
}

// put drops one reference; the frame is freed at zero.
func (m *physmem) put(i int32) {
	f := m.f(i)
	f.ref--
	if f.ref <= 0 && f.use != useZero && f.use != useDevice {
		m.release(i)
	}
}

func lruFor(f *frame) int {
	l := lruInactiveAnon
	if f.use == useFile {
		l = lruInactiveFile
	}
	if f.flags&pgActive != 0 {
		l++
	}
	return l
}

// lruAdd puts a frame at the head of its list, as lru_cache_add does.
func (m *physmem) lruAdd(i int32) {
	f := m.f(i)
	l := &m.lru[lruFor(f)]
	f.flags |= pgOnLRU
	f.lruPrev = -1
	f.lruNext = l.head
	if l.head >= 0 {
		m.f(l.head).lruPrev = i
	} else {
		l.tail = i
	}
	l.head = i
	l.n++
}

func (m *physmem) lruDel(i int32) {
	f := m.f(i)
	l := &m.lru[lruFor(f)]
	if f.lruPrev >= 0 {
		m.f(f.lruPrev).lruNext = f.lruNext
	} else {
		l.head = f.lruNext
	}
	if f.lruNext >= 0 {
		m.f(f.lruNext).lruPrev = f.lruPrev
	} else {
		l.tail = f.lruPrev
	}
	f.lruPrev, f.lruNext = -1, -1
	f.flags &^= pgOnLRU
	l.n--
}

// activate moves a frame to its active list.
func (m *physmem) activate(i int32) {
	f := m.f(i)
	if f.flags&pgActive != 0 {
		return
	}
	on := f.flags&pgOnLRU != 0
	if on {
		m.lruDel(i)
	}
	f.flags |= pgActive
	if on {
		m.lruAdd(i)
	}
}

// markAccessed is mark_page_accessed: referenced once, active twice.
func (m *physmem) markAccessed(i int32) {
	f := m.f(i)
	if f.flags&pgReferenced != 0 {
		m.activate(i)
		return
	}
	f.flags |= pgReferenced
}

// Contents.
//
// A page's contents are the 64-byte chunks named by its mask, packed in
// ascending order in one block of the content store. Blocks come in seven
// size classes (1, 2, 4 ... 64 chunks); a page moves to the next class when
// it outgrows its block. The store is slabs of bytes, so it holds no
// pointers either.

const storeSeg = 64 << 10 // bytes per slab

type contentStore struct {
	class [7]blockClass
	// moves counts changes of where a page's contents are kept (a block
	// given back, chunks shifted within one): a host slice of them that
	// DirectPage handed out is stale.
	moves uint64
}

type blockClass struct {
	segs [][]byte
	free []int32
	n    int32
}

// classOf is the size class for k chunks.
func classOf(k int) int { return bits.Len(uint(k - 1)) }

func (s *contentStore) block(class int, blk int32) []byte {
	size := chunkSize << class
	per := int32(storeSeg / size)
	seg := s.class[class].segs[blk/per]
	off := int(blk%per) * size
	return seg[off : off+size : off+size]
}

func (s *contentStore) alloc(class int) int32 {
	c := &s.class[class]
	if n := len(c.free); n > 0 {
		b := c.free[n-1]
		c.free = c.free[:n-1]
		return b
	}
	per := int32(storeSeg / (chunkSize << class))
	b := c.n
	c.n++
	if int(b/per) == len(c.segs) {
		c.segs = append(c.segs, make([]byte, storeSeg))
	}
	return b
}

// free returns the block of a page with mask.
func (s *contentStore) free(mask uint64, blk int32) {
	if mask == 0 || blk < 0 {
		return
	}
	c := classOf(bits.OnesCount64(mask))
	s.class[c].free = append(s.class[c].free, blk)
	s.moves++
}

func (s *contentStore) clone() contentStore {
	c := contentStore{moves: s.moves}
	for i := range s.class {
		src := &s.class[i]
		dst := &c.class[i]
		dst.n = src.n
		dst.free = append([]int32(nil), src.free...)
		dst.segs = make([][]byte, len(src.segs))
		for j, seg := range src.segs {
			dst.segs[j] = append([]byte(nil), seg...)
		}
	}
	return c
}

func chunkPos(mask uint64, c uint) int {
	return bits.OnesCount64(mask&(1<<c-1)) << chunkShift
}

// A uniform page's blk holds its byte: uniformBlk(b) is below -1 (the
// "no block" of an empty page).
func uniformBlk(b byte) int32 { return -2 - int32(b) }

func isUniform(mask uint64, blk int32) bool { return mask == ^uint64(0) && blk < -1 }

func uniformByte(blk int32) byte { return byte(-2 - blk) }

// uniformOf reports whether page is PageSize bytes of one nonzero byte.
func uniformOf(page []byte) (byte, bool) {
	if len(page) != engine.PageSize || page[0] == 0 {
		return 0, false
	}
	b := page[0]
	for _, x := range page {
		if x != b {
			return 0, false
		}
	}
	return b, true
}

// data is the packed chunks of a page (nil for a uniform one: callers
// look at isUniform first).
func (m *physmem) data(mask uint64, blk int32) []byte {
	if mask == 0 || blk < 0 {
		return nil
	}
	k := bits.OnesCount64(mask)
	return m.store.block(classOf(k), blk)[:k*chunkSize]
}

// read copies the page's bytes at off into buf.
func (m *physmem) read(f *frame, off int, buf []byte) {
	if f.mask == 0 {
		clear(buf)
		return
	}
	if isUniform(f.mask, f.blk) {
		b := uniformByte(f.blk)
		for i := range buf {
			buf[i] = b
		}
		return
	}
	data := m.data(f.mask, f.blk)
	if f.mask == ^uint64(0) {
		copy(buf, data[off:])
		return
	}
	for len(buf) > 0 {
		c := uint(off >> chunkShift)
		in := off & (chunkSize - 1)
		n := min(chunkSize-in, len(buf))
		if f.mask&(1<<c) != 0 {
			p := chunkPos(f.mask, c)
			copy(buf[:n], data[p+in:])
		} else {
			clear(buf[:n])
		}
		buf = buf[n:]
		off += n
	}
}

// write stores data at off, adding chunks as needed; zeros need none.
func (m *physmem) write(f *frame, off int, data []byte) {
	if off == 0 {
		if b, ok := uniformOf(data); ok {
			m.store.free(f.mask, f.blk)
			f.mask, f.blk = ^uint64(0), uniformBlk(b)
			return
		}
	}
	if isUniform(f.mask, f.blk) {
		b := uniformByte(f.blk)
		if same(data, b) {
			return
		}
		// Written unevenly: the page takes a block of its own.
		nb := m.store.alloc(classOf(chunks))
		blk := m.store.block(classOf(chunks), nb)
		for i := range blk {
			blk[i] = b
		}
		f.blk = nb
	}
	if f.mask == ^uint64(0) {
		copy(m.data(f.mask, f.blk)[off:], data)
		return
	}
	for len(data) > 0 {
		c := uint(off >> chunkShift)
		in := off & (chunkSize - 1)
		n := min(chunkSize-in, len(data))
		if f.mask&(1<<c) == 0 {
			if isZero(data[:n]) {
				data = data[n:]
				off += n
				continue
			}
			m.addChunk(f, c)
		}
		p := chunkPos(f.mask, c)
		copy(m.data(f.mask, f.blk)[p+in:], data[:n])
		data = data[n:]
		off += n
	}
}

// addChunk adds a zeroed chunk c to the page, moving it to a larger block
// when it has outgrown its own.
func (m *physmem) addChunk(f *frame, c uint) {
	k := bits.OnesCount64(f.mask)
	oldClass, newClass := classOf(k), classOf(k+1)
	nmask := f.mask | 1<<c
	p := chunkPos(nmask, c)
	if k == 0 || newClass != oldClass {
		nb := m.store.alloc(newClass)
		dst := m.store.block(newClass, nb)
		if k > 0 {
			src := m.data(f.mask, f.blk)
			copy(dst, src[:p])
			copy(dst[p+chunkSize:], src[p:])
			m.store.free(f.mask, f.blk)
		}
		clear(dst[p : p+chunkSize])
		f.blk = nb
		f.mask = nmask
		return
	}
	dst := m.store.block(oldClass, f.blk)
	copy(dst[p+chunkSize:(k+1)*chunkSize], dst[p:k*chunkSize])
	clear(dst[p : p+chunkSize])
	f.mask = nmask
	m.store.moves++
}

func same(data []byte, b byte) bool {
	for _, x := range data {
		if x != b {
			return false
		}
	}
	return true
}

func isZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}

// copyContents makes dst's contents a copy of src's (copy_user_highpage).
func (m *physmem) copyContents(dst, src int32) {
	d, s := m.f(dst), m.f(src)
	m.store.free(d.mask, d.blk)
	d.mask, d.blk = 0, -1
	if s.mask == 0 {
		return
	}
	if isUniform(s.mask, s.blk) {
		d.mask, d.blk = s.mask, s.blk
		return
	}
	k := bits.OnesCount64(s.mask)
	nb := m.store.alloc(classOf(k))
	copy(m.store.block(classOf(k), nb), m.data(s.mask, s.blk))
	d.mask, d.blk = s.mask, nb
}

// setContents replaces a frame's contents with page (up to 4096 bytes).
func (m *physmem) setContents(i int32, page []byte) {
	f := m.f(i)
	m.store.free(f.mask, f.blk)
	f.mask, f.blk = 0, -1
	m.write(f, 0, page)
}

// maxStateFrames bounds MemoryState.Frames, so that the state of a program
// with a gigabyte of file pages stays small.
const maxStateFrames = 16384

// MemoryState is physical memory for the views.
func (e *Engine) memoryState() engine.MemoryState {
	m := &e.mem
	ms := engine.MemoryState{
		TotalPages:     m.total,
		FreePages:      m.total - m.used,
		AnonPages:      m.byUse[useAnon],
		FilePages:      m.byUse[useFile],
		PageTablePages: m.byUse[usePageTable],
		DevicePages:    m.byUse[useDevice],
		SwapPages:      e.swap.total,
		SwapUsed:       e.swap.used,
		InactiveAnon:   m.lru[lruInactiveAnon].n,
		ActiveAnon:     m.lru[lruActiveAnon].n,
		InactiveFile:   m.lru[lruInactiveFile].n,
		ActiveFile:     m.lru[lruActiveFile].n,
	}
	for i := int32(0); i < m.n; i++ {
		f := m.f(i)
		if f.use == useFree || f.use == usePageTable {
			continue
		}
		if len(ms.Frames) == maxStateFrames {
			break
		}
		if f.use == useAnon && f.mapcnt <= 1 {
			continue
		}
		fs := engine.FrameState{PFN: pfnOf(i), Use: useNames[f.use], RefCount: int(f.ref),
			MapCount: int(f.mapcnt), Dirty: f.flags&pgDirty != 0}
		if f.use == useFile {
			ino := e.fs.inodes[f.ino]
			fs.File = ino.name
			fs.Index = f.index
		}
		if f.mapcnt > 0 && f.use != useZero {
			fs.Mappers = e.mappers(i)
		}
		ms.Frames = append(ms.Frames, fs)
	}
	return ms
}
