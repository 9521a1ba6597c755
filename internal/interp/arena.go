package interp

import (
	"fmt"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// glibc 2.36's thread arenas (malloc/arena.c). The process's first thread
// allocates from the main arena, [heap]; a thread pthread_create made gets
// an arena of its own at its first malloc (arena_get2): one freed by a
// thread that ended (get_free_list), else a new one while there are no
// more than arena_test (8) arenas, or up to eight per CPU once there are,
// else one of the others in turn (reused_arena). A new arena is a heap of
// HEAP_MAX_SIZE, 64 MiB aligned to its size, mapped PROT_NONE and made
// writable as it grows (new_heap, grow_heap), as strace shows here:
//
//	mmap(NULL, 134217728, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7fffef400000
//	munmap(0x7fffef400000, 12582912) = 0
//	munmap(0x7ffff4000000, 54525952) = 0
//	mprotect(0x7ffff0000000, 135168, PROT_READ|PROT_WRITE) = 0
//
// Its first bytes are the heap_info (48) and the arena's malloc_state
// (2200); its chunks begin after them, aligned, and the first is the
// thread's tcache (0x290 bytes), so the thread's first malloc(100) is
// 0x7ffff0000b70, as natively.
const (
	heapMaxSize     = 64 << 20 // HEAP_MAX_SIZE: 2 * DEFAULT_MMAP_THRESHOLD_MAX
	heapMinSize     = 32 << 10 // HEAP_MIN_SIZE
	heapInfoSize    = 48       // sizeof (heap_info)
	mallocStateSize = 2200     // sizeof (struct malloc_state)
	tcacheChunk     = 0x290    // tcache_perthread_struct's chunk
	arenaTest       = 8        // mp_.arena_test: NARENAS_FROM_NCORES (1)
)

// subheap is one heap_info of a thread arena: its base, the bytes it uses
// (size) and those made writable (mprotect_size).
type subheap struct{ base, size, mprotect uint64 }

// arenas are the process's thread arenas besides the main one.
type arenas struct {
	// list is glibc's ring after main_arena, newest first (main_arena.next
	// is the arena made last); free the arenas no thread uses, the last
	// freed last (free_list's head).
	list, free []*heap
	next       int // reused_arena's next_to_use: an index into the ring main, list...
	limit      int // narenas_limit; 0 until there are more than arena_test
	aligned    uint64
}

// allArenas is the ring as malloc_info walks it: main_arena first.
func (pr *process) allArenas() []*heap {
	return append([]*heap{&pr.heap}, pr.arenas.list...)
}

// arenaOf is the arena that holds chunk ptr (the main arena for one mmapped
// or unknown).
func (pr *process) arenaOf(ptr uint64) *heap {
	if _, ok := pr.heap.sizes[ptr]; ok {
		return &pr.heap
	}
	for _, h := range pr.arenas.list {
		if _, ok := h.sizes[ptr]; ok {
			return h
		}
	}
	return &pr.heap
}

// arenaGet is arena_get: the calling thread's arena, chosen at its first
// malloc; nil (with ok) when no arena could be made (ENOMEM).
func (m *machine) arenaGet(p *proc) (*heap, bool) {
	if p.thread == nil || !p.thread.spawned {
		return &p.heap, true
	}
	if p.thread.arena != nil {
		return p.thread.arena, true
	}
	a := &p.arenas
	var h *heap
	if n := len(a.free); n > 0 {
		h = a.free[n-1]
		a.free = a.free[:n-1]
		h.attached++
	} else {
		narenas := 1 + len(a.list)
		if a.limit == 0 && narenas > arenaTest {
			n, _ := m.nprocs(p, "/sys/devices/system/cpu/online")
			a.limit = 8 * int(max(n, 1))
		}
		if a.limit == 0 || narenas <= a.limit-1 {
			var ok bool
			if h, ok = m.newArena(p); !ok {
				return nil, false
			}
		}
		if h == nil {
			ring := p.allArenas()
			h = ring[a.next%len(ring)]
			a.next = (a.next + 1) % len(ring)
			h.attached++
			for i, f := range a.free {
				if f == h {
					a.free = append(a.free[:i], a.free[i+1:]...)
					break
				}
			}
		}
	}
	p.thread.arena = h
	if h != &p.heap {
		// tcache_init: the thread's tcache, its first chunk in its arena.
		if _, ok := m.carveTcache(p, h); !ok {
			return nil, false
		}
	}
	return h, true
}

// carveTcache takes the tcache's chunk from arena h for a thread's first
// malloc (the first thread's is made in memory.go's first brk).
func (m *machine) carveTcache(p *proc, h *heap) (uint64, bool) {
	// The tcache a thread that ended freed: the next thread's tcache_init
	// finds it (an exact fit), before its own first malloc.
	for i, c := range h.free {
		if h.tcache != 0 && c.addr == h.tcache-16 {
			h.free = append(h.free[:i], h.free[i+1:]...)
			h.sizes[h.tcache] = tcacheChunk
			return h.tcache, true
		}
	}
	if h.top+tcacheChunk+minChunk > h.end && !m.growArena(p, h, tcacheChunk) {
		return 0, false
	}
	ptr := h.top + 16
	h.sizes[ptr] = tcacheChunk
	h.top += tcacheChunk
	if h.tcache == 0 {
		h.tcache = ptr
	}
	return ptr, true
}

// newArena is _int_new_arena: a new heap sized for the tcache with
// top_pad, then the arena at the head of the ring.
func (m *machine) newArena(p *proc) (*heap, bool) {
	sh, ok := m.newHeap(p, tcacheChunk-16+heapInfoSize+mallocStateSize+16, topPad)
	if !ok || sh.base == 0 {
		return nil, ok
	}
	top := sh.base + heapInfoSize + mallocStateSize
	if mis := (top + 16) & 15; mis != 0 {
		top += 16 - mis
	}
	h := &heap{inited: true, start: sh.base, top: top, end: sh.base + sh.size, heaps: []subheap{sh},
		sizes: map[uint64]uint64{}, mmapped: map[uint64]bool{}, maxSystem: sh.size, attached: 1}
	p.arenas.list = append([]*heap{h}, p.arenas.list...)
	return h, true
}

// newHeap is new_heap (alloc_new_heap): HEAP_MAX_SIZE aligned to itself,
// at the end of the last heap so aligned if there is one, else cut from a
// mapping of twice the size; size plus top_pad of it writable. A zero
// base (with ok) is a heap that could not be made.
func (m *machine) newHeap(p *proc, size, pad uint64) (subheap, bool) {
	switch {
	case size+pad < heapMinSize:
		size = heapMinSize
	case size+pad <= heapMaxSize:
		size += pad
	case size > heapMaxSize:
		return subheap{}, true
	default:
		size = heapMaxSize
	}
	size = (size + engine.PageMask) &^ engine.PageMask
	const prot, flags = engine.PROT_NONE, engine.MAP_PRIVATE | engine.MAP_ANONYMOUS | engine.MAP_NORESERVE
	a := &p.arenas
	var p2 int64 = -1
	if a.aligned != 0 {
		r, ok := m.sys(p, "mmap", int64(a.aligned), heapMaxSize, prot, flags, -1, 0)
		if !ok {
			return subheap{}, false
		}
		a.aligned = 0
		if r != -1 && r&(heapMaxSize-1) != 0 {
			if _, ok := m.sys(p, "munmap", r, heapMaxSize); !ok {
				return subheap{}, false
			}
			r = -1
		}
		p2 = r
	}
	if p2 == -1 {
		p1, ok := m.sys(p, "mmap", 0, heapMaxSize<<1, prot, flags, -1, 0)
		if !ok {
			return subheap{}, false
		}
		if p1 == -1 {
			return subheap{}, true
		}
		p2 = (p1 + heapMaxSize - 1) &^ (heapMaxSize - 1)
		ul := p2 - p1
		if ul != 0 {
			if _, ok := m.sys(p, "munmap", p1, ul); !ok {
				return subheap{}, false
			}
		} else {
			a.aligned = uint64(p2) + heapMaxSize
		}
		if _, ok := m.sys(p, "munmap", p2+heapMaxSize, heapMaxSize-ul); !ok {
			return subheap{}, false
		}
	}
	r, ok := m.sys(p, "mprotect", p2, int64(size), engine.PROT_READ|engine.PROT_WRITE)
	if !ok {
		return subheap{}, false
	}
	if r == -1 {
		_, ok := m.sys(p, "munmap", p2, heapMaxSize)
		return subheap{}, ok
	}
	return subheap{base: uint64(p2), size: size, mprotect: size}, true
}

// growArena is sysmalloc for a thread arena: its heap grown by what the
// request lacks (grow_heap), or a new heap after it whose old top is
// freed; the caller finds the top still short when neither could be had.
func (m *machine) growArena(p *proc, h *heap, nb uint64) bool {
	sh := &h.heaps[len(h.heaps)-1]
	old := h.end - h.top
	diff := (minChunk + nb - old + engine.PageMask) &^ engine.PageMask
	if newSize := sh.size + diff; newSize <= heapMaxSize {
		if newSize > sh.mprotect {
			r, ok := m.sys(p, "mprotect", int64(sh.base+sh.mprotect), int64(newSize-sh.mprotect), engine.PROT_READ|engine.PROT_WRITE)
			if !ok {
				return false
			}
			if r == -1 {
				return true
			}
			sh.mprotect = newSize
		}
		sh.size = newSize
		h.end = sh.base + sh.size
		h.maxSystem = max(h.maxSystem, h.system())
		return true
	}
	nh, ok := m.newHeap(p, nb+minChunk+heapInfoSize, topPad)
	if !ok || nh.base == 0 {
		return ok
	}
	// The old top, less its fenceposts, freed.
	if rest := (old - minChunk) &^ 15; old >= minChunk && rest >= minChunk {
		h.free = append(h.free, hchunk{addr: h.top, size: rest})
	}
	h.heaps = append(h.heaps, nh)
	h.top, h.end = nh.base+heapInfoSize, nh.base+nh.size
	h.maxSystem = max(h.maxSystem, h.system())
	return true
}

// system is the arena's system_mem: [heap]'s bytes for the main arena, its
// heaps' sizes for a thread arena.
func (h *heap) system() uint64 {
	if h.heaps == nil {
		if !h.inited {
			return 0
		}
		return h.end - h.start
	}
	var n uint64
	for _, sh := range h.heaps {
		n += sh.size
	}
	return n
}

// avail is the arena's system_mem, its free bytes with its top chunk's,
// and how many free chunks that is (the top counted: it always exists).
func (h *heap) avail() (system, free, n uint64) {
	if h.inited {
		free = h.end - h.top
	}
	for _, c := range h.free {
		free += c.size
	}
	return h.system(), free, uint64(len(h.free)) + 1
}

// arenaThreadFreeres is arena_thread_freeres at a thread's end: its tcache
// freed into its arena, and the arena on the free list once no thread
// uses it.
func (m *machine) arenaThreadFreeres(p *proc) bool {
	if p.thread == nil || p.thread.arena == nil {
		return true
	}
	h := p.thread.arena
	p.thread.arena = nil
	if h != &p.heap && h.tcache != 0 {
		// The arena's first tcache stands for each thread's (the model
		// keeps one chunk per arena for it).
		if _, ok := h.sizes[h.tcache]; ok {
			delete(h.sizes, h.tcache)
			h.free = append(h.free, hchunk{addr: h.tcache - 16, size: tcacheChunk})
		}
	}
	h.attached--
	if h.attached == 0 && h != &p.heap {
		p.arenas.free = append(p.arenas.free, h)
	}
	return true
}

// binIndex is glibc's bin_index for a free chunk of size sz (smallbin_index
// below MIN_LARGE_SIZE, largebin_index_64 above).
func binIndex(sz uint64) int {
	switch {
	case sz < 1024:
		return int(sz >> 4)
	case sz>>6 <= 48:
		return 48 + int(sz>>6)
	case sz>>9 <= 20:
		return 91 + int(sz>>9)
	case sz>>12 <= 10:
		return 110 + int(sz>>12)
	case sz>>15 <= 4:
		return 119 + int(sz>>15)
	case sz>>18 <= 2:
		return 124 + int(sz>>18)
	}
	return 126
}

// mallocInfo is malloc_info(0, fp)'s XML: each arena's free chunks by bin
// (the model keeps no fastbins nor unsorted chunks: a free chunk is in its
// sorted bin, as after malloc_consolidate), its totals and its address
// space, then the process's.
func (pr *process) mallocInfo() string {
	var b strings.Builder
	b.WriteString("<malloc version=\"1\">\n")
	var nblocks, avail, system, maxSystem, aspace, aspaceMprotect uint64
	for nr, h := range pr.allArenas() {
		fmt.Fprintf(&b, "<heap nr=\"%d\">\n<sizes>\n", nr)
		type bin struct{ from, to, total, count uint64 }
		var bins [128]bin // bins[1] is the unsorted bin
		for _, c := range h.free {
			// A free chunk's size as malloc_info reads it,
			// chunksize_nomask: with PREV_INUSE (a free chunk's
			// neighbour below is in use, or they would be one).
			sz := c.size | 1
			bn := &bins[1]
			if c.sorted {
				bn = &bins[binIndex(c.size)]
			}
			if bn.count == 0 || sz < bn.from {
				bn.from = sz
			}
			bn.to = max(bn.to, sz)
			bn.total += sz
			bn.count++
		}
		for _, bn := range bins[2:] {
			if bn.count != 0 {
				fmt.Fprintf(&b, "<size from=\"%d\" to=\"%d\" total=\"%d\" count=\"%d\"/>\n", bn.from, bn.to, bn.total, bn.count)
			}
		}
		if bn := bins[1]; bn.count != 0 {
			fmt.Fprintf(&b, "  <unsorted from=\"%d\" to=\"%d\" total=\"%d\" count=\"%d\"/>\n", bn.from, bn.to, bn.total, bn.count)
		}
		sys, free, n := h.avail()
		free += n - 1 // each free chunk's PREV_INUSE, as its size is read
		nblocks += n
		avail += free
		system += sys
		maxSystem += h.maxSystem
		fmt.Fprintf(&b, "</sizes>\n<total type=\"fast\" count=\"0\" size=\"0\"/>\n<total type=\"rest\" count=\"%d\" size=\"%d\"/>\n<system type=\"current\" size=\"%d\"/>\n<system type=\"max\" size=\"%d\"/>\n", n, free, sys, h.maxSystem)
		if h.heaps != nil {
			var size, mprot uint64
			for _, sh := range h.heaps {
				size += sh.size
				mprot += sh.mprotect
			}
			fmt.Fprintf(&b, "<aspace type=\"total\" size=\"%d\"/>\n<aspace type=\"mprotect\" size=\"%d\"/>\n<aspace type=\"subheaps\" size=\"%d\"/>\n", size, mprot, len(h.heaps))
			aspace += size
			aspaceMprotect += mprot
		} else {
			fmt.Fprintf(&b, "<aspace type=\"total\" size=\"%d\"/>\n<aspace type=\"mprotect\" size=\"%d\"/>\n", sys, sys)
			aspace += sys
			aspaceMprotect += sys
		}
		b.WriteString("</heap>\n")
	}
	fmt.Fprintf(&b, "<total type=\"fast\" count=\"0\" size=\"0\"/>\n<total type=\"rest\" count=\"%d\" size=\"%d\"/>\n<total type=\"mmap\" count=\"%d\" size=\"%d\"/>\n<system type=\"current\" size=\"%d\"/>\n<system type=\"max\" size=\"%d\"/>\n<aspace type=\"total\" size=\"%d\"/>\n<aspace type=\"mprotect\" size=\"%d\"/>\n</malloc>\n",
		nblocks, avail, pr.heap.mmaps, pr.heap.mmappedBytes, system, maxSystem, aspace, aspaceMprotect)
	return b.String()
}

// mallocStats is malloc_stats' report, which it writes to stderr.
func (pr *process) mallocStats() string {
	var b strings.Builder
	h := &pr.heap
	systemB, inUseB := h.mmappedBytes, h.mmappedBytes
	for i, a := range pr.allArenas() {
		sys, free, _ := a.avail()
		fmt.Fprintf(&b, "Arena %d:\nsystem bytes     = %10d\nin use bytes     = %10d\n", i, uint32(sys), uint32(sys-free))
		systemB += sys
		inUseB += sys - free
	}
	fmt.Fprintf(&b, "Total (incl. mmap):\nsystem bytes     = %10d\nin use bytes     = %10d\nmax mmap regions = %10d\nmax mmap bytes   = %10d\n", uint32(systemB), uint32(inUseB), uint32(h.maxMmaps), h.maxMmappedBytes)
	return b.String()
}

func init() {
	def("int malloc_info(int options, FILE *f)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if a[0] != 0 {
			return int64(engine.EINVAL), bOK
		}
		if !m.fileWrite(p, a[1], []byte(p.mallocInfo())) {
			return 0, bExit
		}
		return 0, bOK
	})
	def("void malloc_stats(void)", func(m *machine, p *proc, a []int64) (int64, bres) {
		if !m.stderrWrite(p, []byte(p.mallocStats())) {
			return 0, bExit
		}
		return 0, bOK
	})
}
