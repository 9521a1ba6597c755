package interp

import (
	"encoding/binary"
	"errors"

	"github.com/mmapplayground/playground/internal/engine"
)

// Bulk memory through the engine, in chunks, so a memset over a mapping
// faults page by page as the CPU's would.

const chunk = 64 << 10

// errAborted is what a bulk copy returns when the run was ended part way
// (work said so, with its own error event).
var errAborted = errors.New("run ended")

func (m *machine) buffer(n int) []byte {
	if cap(m.big) < n {
		m.big = make([]byte, n)
	}
	return m.big[:n]
}

func (m *machine) memset(pid int, dst uint64, c byte, n uint64) error {
	for n > 0 {
		k := n
		if k > chunk {
			k = chunk
		}
		if !m.work(k) {
			return errAborted
		}
		b := m.buffer(int(k))
		for i := range b {
			b[i] = c
		}
		if err := m.eng.Store(pid, dst, b); err != nil {
			return err
		}
		dst += k
		n -= k
	}
	return nil
}

func (m *machine) memmove(pid int, dst, src, n uint64) error {
	if n == 0 {
		return nil
	}
	if n <= chunk || dst <= src || dst >= src+n {
		for off := uint64(0); off < n; {
			k := n - off
			if k > chunk {
				k = chunk
			}
			if !m.work(k) {
				return errAborted
			}
			b := m.buffer(int(k))
			if err := m.eng.Load(pid, src+off, b); err != nil {
				return err
			}
			if err := m.eng.Store(pid, dst+off, b); err != nil {
				return err
			}
			off += k
		}
		return nil
	}
	// Overlapping with dst above src: copy backwards.
	for end := n; end > 0; {
		k := end
		if k > chunk {
			k = chunk
		}
		if !m.work(k) {
			return errAborted
		}
		b := m.buffer(int(k))
		if err := m.eng.Load(pid, src+end-k, b); err != nil {
			return err
		}
		if err := m.eng.Store(pid, dst+end-k, b); err != nil {
			return err
		}
		end -= k
	}
	return nil
}

// cstring reads a NUL-terminated string (at most max bytes).
func (m *machine) cstring(pid int, addr uint64, max int) (string, error) {
	var out []byte
	for len(out) < max {
		k := engine.PageSize - int(addr&engine.PageMask)
		if k > 256 {
			k = 256
		}
		if k > max-len(out) {
			k = max - len(out)
		}
		b := m.buffer(k)
		if err := m.eng.Load(pid, addr, b); err != nil {
			return "", err
		}
		for i, c := range b {
			if c == 0 {
				return string(append(out, b[:i]...)), nil
			}
		}
		out = append(out, b...)
		addr += uint64(k)
	}
	return string(out[:max]), nil
}

// heap is glibc malloc's main arena in miniature: chunks carved from the
// top of [heap] (grown with brk), freed chunks reused first fit, and
// requests of 128 KiB or more served by their own mmap, as glibc does.
type heap struct {
	start, top, end uint64
	inited          bool
	free            []hchunk
	sizes           map[uint64]uint64 // user pointer -> chunk size (mmapped: mapping length)
	mmapped         map[uint64]bool
	aligned         map[uint64]uint64 // memalign's pointers -> their chunks
	strerr          uint64            // strerror's static buffer
	timeBuf         uint64            // gmtime's, localtime's and asctime's static storage (localtime.go)
	strtokSave      uint64            // strtok's saved position
	stdoutBuf       uint64            // stdout's buffer
	// A thread arena's heaps (arena.go), the first first; nil for the
	// main arena, which is [heap].
	heaps     []subheap
	maxSystem uint64 // max_system_mem
	attached  int    // the threads whose arena it is
	tcache    uint64 // a thread arena's first chunk, its first thread's tcache
	// The main arena's record of the chunks mmapped (mp_.n_mmaps,
	// mmapped_mem, and their highest).
	mmaps, maxMmaps               int
	mmappedBytes, maxMmappedBytes uint64
}

// hchunk is a free chunk; sorted once a malloc has looked at it (glibc
// takes a freed chunk into the unsorted bin, and the next malloc that
// scans the bin puts each in its sized bin: malloc_info tells the two).
type hchunk struct {
	addr, size uint64
	sorted     bool
}

const (
	mmapThreshold = 128 << 10
	topPad        = 128 << 10 // DEFAULT_TOP_PAD: what sysmalloc asks for beyond the request
	minChunk      = 32        // MINSIZE
)

func (h *heap) init(brk uint64) {
	h.start, h.top, h.end = brk, brk, brk
	h.sizes = map[uint64]uint64{}
	h.mmapped = map[uint64]bool{}
}

func (h heap) clone() heap {
	c := h
	c.free = append([]hchunk(nil), h.free...)
	c.sizes = make(map[uint64]uint64, len(h.sizes))
	for k, v := range h.sizes {
		c.sizes[k] = v
	}
	if h.aligned != nil {
		c.aligned = make(map[uint64]uint64, len(h.aligned))
		for k, v := range h.aligned {
			c.aligned[k] = v
		}
	}
	c.heaps = append([]subheap(nil), h.heaps...)
	c.mmapped = make(map[uint64]bool, len(h.mmapped))
	for k, v := range h.mmapped {
		c.mmapped[k] = v
	}
	return c
}

// malloc returns a user pointer, 0 on failure (errno set).
func (m *machine) malloc(p *proc, n uint64) (uint64, bool) {
	ptr, _, ok := m.mallocChunk(p, n)
	return ptr, ok
}

// mallocChunk is malloc, and says whether the chunk is fresh: carved from
// the top of its arena (or mmapped), whose bytes no one has written.
func (m *machine) mallocChunk(p *proc, n uint64) (uint64, bool, bool) {
	if n >= mmapThreshold {
		h := &p.heap
		length := (n + 16 + engine.PageMask) &^ engine.PageMask
		r, ok := m.sys(p, "mmap", 0, int64(length), engine.PROT_READ|engine.PROT_WRITE, engine.MAP_PRIVATE|engine.MAP_ANONYMOUS, -1, 0)
		if !ok {
			return 0, false, false
		}
		if r == -1 {
			return 0, false, true
		}
		ptr := uint64(r) + 16
		h.sizes[ptr] = length
		h.mmapped[ptr] = true
		h.mmaps++
		h.mmappedBytes += length
		h.maxMmaps = max(h.maxMmaps, h.mmaps)
		h.maxMmappedBytes = max(h.maxMmappedBytes, h.mmappedBytes)
		return ptr, true, true
	}
	h, ok := m.arenaGet(p)
	if !ok || h == nil {
		return 0, false, ok
	}
	size := (n + 8 + 15) &^ 15
	if size < 32 {
		size = 32
	}
	for i, c := range h.free {
		if c.size >= size {
			h.free = append(h.free[:i], h.free[i+1:]...)
			ptr := c.addr + 16
			h.sizes[ptr] = c.size
			return ptr, false, true
		}
	}
	for i := range h.free {
		h.free[i].sorted = true
	}
	if !h.inited {
		h.inited = true
		r, ok := m.sys(p, "brk", 0)
		if !ok {
			return 0, false, false
		}
		h.start, h.top, h.end = uint64(r), uint64(r), uint64(r)
		h.top += 0x290 // glibc's tcache_perthread_struct comes first
	}
	// sysmalloc: the top chunk serves a request while MINSIZE is left
	// after it.
	if h.top+size+minChunk > h.end {
		if h.heaps != nil {
			if !m.growArena(p, h, size) {
				return 0, false, false
			}
			if h.top+size+minChunk > h.end {
				p.setErrno(m, engine.ENOMEM)
				return 0, false, true
			}
		} else {
			want := (h.top + size + minChunk + topPad + engine.PageMask) &^ engine.PageMask
			r, ok := m.sys(p, "brk", int64(want))
			if !ok {
				return 0, false, false
			}
			if uint64(r) < want {
				p.setErrno(m, engine.ENOMEM)
				return 0, false, true
			}
			h.end = uint64(r)
			h.maxSystem = max(h.maxSystem, h.end-h.start)
		}
	}
	ptr := h.top + 16
	h.sizes[ptr] = size
	h.top += size
	return ptr, true, true
}

// memalign is posix_memalign's allocation: an over-sized chunk whose
// aligned address is remembered, so free finds the chunk from it.
func (m *machine) memalign(p *proc, align, n uint64) (uint64, bool) {
	if align <= 16 {
		return m.malloc(p, n)
	}
	raw, ok := m.malloc(p, n+align)
	if !ok || raw == 0 {
		return raw, ok
	}
	a := (raw + align - 1) &^ (align - 1)
	if a != raw {
		if p.heap.aligned == nil {
			p.heap.aligned = map[uint64]uint64{}
		}
		p.heap.aligned[a] = raw
	}
	return a, true
}

// free releases a user pointer; it reports false if the run ended.
func (m *machine) free(p *proc, ptr uint64) bool {
	if ptr == 0 {
		return true
	}
	if raw, ok := p.heap.aligned[ptr]; ok {
		delete(p.heap.aligned, ptr)
		ptr = raw
	}
	h := p.arenaOf(ptr)
	size, ok := h.sizes[ptr]
	if !ok {
		msg := "free(): invalid pointer\n"
		for _, c := range h.free {
			// A chunk freed twice: glibc 2.36 finds it in the tcache (chunks
			// up to 1032 bytes; the tcache holds seven of each size, the
			// second free's check is tcache_double_free_verify's).
			if c.addr == ptr-16 && c.size <= 1040 {
				msg = "free(): double free detected in tcache 2\n"
				break
			}
		}
		m.stderrWrite(p, []byte(msg))
		m.killHard(p, &engine.Signal{Signo: engine.SIGABRT})
		return false
	}
	delete(h.sizes, ptr)
	if h.mmapped[ptr] {
		delete(h.mmapped, ptr)
		h.mmaps--
		h.mmappedBytes -= size
		_, ok := m.sys(p, "munmap", int64(ptr-16), int64(size))
		return ok
	}
	h.free = append(h.free, hchunk{addr: ptr - 16, size: size})
	return true
}

// mallinfo is glibc's __libc_mallinfo2: int_mallinfo over every arena
// (arena.go): the bytes each has from the system (arena), its free chunks
// with its top chunk (ordblks, fordblks), what is in use (uordblks); the
// main arena's top (keepcost); and the mmapped chunks (hblks, hblkhd).
// This allocator has no tcache or fastbins: a chunk glibc would keep
// there (and count as in use) is a free chunk here.
func (pr *process) mallinfo() [10]uint64 {
	var arena, ordblks, fordblks uint64
	for _, h := range pr.allArenas() {
		system, free, n := h.avail()
		arena += system
		ordblks += n
		fordblks += free
	}
	var keepcost uint64
	if h := &pr.heap; h.inited {
		keepcost = h.end - h.top
	}
	h := &pr.heap
	// arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost
	return [10]uint64{arena, ordblks, 0, uint64(h.mmaps), h.mmappedBytes, 0, 0, arena - fordblks, fordblks, keepcost}
}

func init() {
	mallinfo := func(width int) func(m *machine, p *proc, a []int64) (int64, bres) {
		return func(m *machine, p *proc, a []int64) (int64, bres) {
			b := make([]byte, 10*width)
			for i, v := range p.mallinfo() {
				if width == 4 {
					binary.LittleEndian.PutUint32(b[4*i:], uint32(v))
				} else {
					binary.LittleEndian.PutUint64(b[8*i:], v)
				}
			}
			return m.storeRet(p, a[0], b, a[0])
		}
	}
	def("struct mallinfo mallinfo(void)", mallinfo(4))
	def("struct mallinfo2 mallinfo2(void)", mallinfo(8))
}
