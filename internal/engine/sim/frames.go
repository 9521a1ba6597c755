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
// nothing, and a page with one byte written costs 64 bytes.

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
)

// frame is one physical page, analogous to struct page.
type frame struct {
	mask uint64 // which chunks data holds
	data []byte // the chunks in mask, packed in ascending order
	// dataGen is the snapshot generation data belongs to: a frame whose
	// data is older than the engine's snapGen clones it before writing, so
	// snapshots share contents (snapshot.go).
	dataGen uint32
	ref     int32 // page_ref_count: PTEs, the page cache, a swap cache
	mapcnt  int32 // page_mapcount: PTEs mapping it
	ino     int32 // the inode (files.go) of a page-cache page, or 0
	index   uint64
	// index is the page's offset in its file, or for an anonymous page its
	// linear index (vma pgoff + page offset), which rmap uses to find it.
	dirtyAt uint64 // when it was dirtied, for the flusher
	aux     int32  // page-table pages: index in physmem.tables
	lruPrev int32
	lruNext int32
	use     uint8
	flags   uint8
}

// LRU lists, analogous to the lruvec's.
const (
	lruInactiveAnon = iota
	lruActiveAnon
	lruInactiveFile
	lruActiveFile
	nrLRU
)

type physmem struct {
	frames  []frame
	free    []int32 // free frame indices, a stack
	total   uint64  // frames of RAM
	used    uint64
	snapGen uint32
	tables  []*ptable // page-table pages, by frame.aux
	lru     [nrLRU]lruList
	zero    int32 // the shared zero page
	demo    int32 // demo_dev's buffer
	// counts by use
	byUse [len(useNames)]uint64
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
	m.frames = make([]frame, 0, 1024)
	m.zero = m.alloc(useZero)
	m.frames[m.zero].ref = 1
	m.demo = m.alloc(useDevice)
	m.frames[m.demo].ref = 1
}

func pfnOf(idx int32) uint64        { return uint64(idx) + pfnBase }
func idxOf(pfn uint64) int32        { return int32(pfn - pfnBase) }
func (m *physmem) f(i int32) *frame { return &m.frames[i] }

// alloc takes a free frame, or -1 when RAM is full (the caller reclaims).
func (m *physmem) alloc(use uint8) int32 {
	var i int32
	if n := len(m.free); n > 0 {
		i = m.free[n-1]
		m.free = m.free[:n-1]
	} else if uint64(len(m.frames)) < m.total {
		m.frames = append(m.frames, frame{})
		i = int32(len(m.frames) - 1)
	} else {
		return -1
	}
	m.frames[i] = frame{use: use, lruPrev: -1, lruNext: -1, dataGen: m.snapGen}
	m.used++
	m.byUse[use]++
	return i
}

// release frees a frame whose last reference went.
func (m *physmem) release(i int32) {
	f := &m.frames[i]
	if f.flags&pgOnLRU != 0 {
		m.lruDel(i)
	}
	m.byUse[f.use]--
	*f = frame{lruPrev: -1, lruNext: -1}
	m.used--
	m.free = append(m.free, i)
}

// put drops one reference; the frame is freed at zero.
func (m *physmem) put(i int32) {
	f := &m.frames[i]
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
	f := &m.frames[i]
	l := &m.lru[lruFor(f)]
	f.flags |= pgOnLRU
	f.lruPrev = -1
	f.lruNext = l.head
	if l.head >= 0 {
		m.frames[l.head].lruPrev = i
	} else {
		l.tail = i
	}
	l.head = i
	l.n++
}

func (m *physmem) lruDel(i int32) {
	f := &m.frames[i]
	l := &m.lru[lruFor(f)]
	if f.lruPrev >= 0 {
		m.frames[f.lruPrev].lruNext = f.lruNext
	} else {
		l.head = f.lruNext
	}
	if f.lruNext >= 0 {
		m.frames[f.lruNext].lruPrev = f.lruPrev
	} else {
		l.tail = f.lruPrev
	}
	f.lruPrev, f.lruNext = -1, -1
	f.flags &^= pgOnLRU
	l.n--
}

// activate moves a frame to its active list (mark_page_accessed twice).
func (m *physmem) activate(i int32) {
	f := &m.frames[i]
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
	f := &m.frames[i]
	if f.flags&pgReferenced != 0 {
		m.activate(i)
		return
	}
	f.flags |= pgReferenced
}

// Contents.

// writable makes f's data its own before a write (snapshots share it).
func (m *physmem) own(f *frame) {
	if f.dataGen != m.snapGen {
		if f.data != nil {
			f.data = append([]byte(nil), f.data...)
		}
		f.dataGen = m.snapGen
	}
}

func chunkPos(mask uint64, c uint) int {
	return bits.OnesCount64(mask&(1<<c-1)) << chunkShift
}

// read copies the page's bytes at off into buf.
func (f *frame) read(off int, buf []byte) {
	if f.mask == ^uint64(0) {
		copy(buf, f.data[off:])
		return
	}
	for len(buf) > 0 {
		c := uint(off >> chunkShift)
		in := off & (chunkSize - 1)
		n := chunkSize - in
		if n > len(buf) {
			n = len(buf)
		}
		if f.mask&(1<<c) != 0 {
			p := chunkPos(f.mask, c)
			copy(buf[:n], f.data[p+in:])
		} else {
			clear(buf[:n])
		}
		buf = buf[n:]
		off += n
	}
}

// write stores data at off, adding chunks as needed.
func (m *physmem) write(f *frame, off int, data []byte) {
	m.own(f)
	if f.mask == ^uint64(0) {
		copy(f.data[off:], data)
		return
	}
	for len(data) > 0 {
		c := uint(off >> chunkShift)
		in := off & (chunkSize - 1)
		n := chunkSize - in
		if n > len(data) {
			n = len(data)
		}
		if f.mask&(1<<c) == 0 {
			if isZero(data[:n]) {
				data = data[n:]
				off += n
				continue
			}
			f.addChunk(c)
		}
		p := chunkPos(f.mask, c)
		copy(f.data[p+in:], data[:n])
		data = data[n:]
		off += n
	}
}

func (f *frame) addChunk(c uint) {
	p := chunkPos(f.mask, c)
	n := len(f.data)
	if n+chunkSize > cap(f.data) {
		nc := 2 * cap(f.data)
		if nc < chunkSize {
			nc = chunkSize
		}
		if nc > engine.PageSize {
			nc = engine.PageSize
		}
		nd := make([]byte, n, nc)
		copy(nd, f.data)
		f.data = nd
	}
	f.data = f.data[:n+chunkSize]
	copy(f.data[p+chunkSize:], f.data[p:n])
	clear(f.data[p : p+chunkSize])
	f.mask |= 1 << c
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
	d, s := &m.frames[dst], &m.frames[src]
	d.mask = s.mask
	d.data = append([]byte(nil), s.data...)
	d.dataGen = m.snapGen
}

// setContents replaces a frame's contents with page (up to 4096 bytes).
func (m *physmem) setContents(i int32, page []byte) {
	f := &m.frames[i]
	f.mask, f.data, f.dataGen = 0, nil, m.snapGen
	m.write(f, 0, page)
}

// contents returns the whole page.
func (f *frame) contents() []byte {
	b := make([]byte, engine.PageSize)
	f.read(0, b)
	return b
}

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
	for i := range m.frames {
		f := &m.frames[i]
		if f.use == useFree || f.use == usePageTable {
			continue
		}
		if f.use == useAnon && f.mapcnt <= 1 {
			continue
		}
		fs := engine.FrameState{PFN: pfnOf(int32(i)), Use: useNames[f.use], RefCount: int(f.ref),
			MapCount: int(f.mapcnt), Dirty: f.flags&pgDirty != 0}
		if f.use == useFile {
			ino := e.fs.inodes[f.ino]
			fs.File = ino.name
			fs.Index = f.index
		}
		if f.mapcnt > 0 && f.use != useZero {
			fs.Mappers = e.mappers(int32(i))
		}
		ms.Frames = append(ms.Frames, fs)
	}
	return ms
}
