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
}

type hchunk struct{ addr, size uint64 }

const mmapThreshold = 128 << 10

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
	c.mmapped = make(map[uint64]bool, len(h.mmapped))
	for k, v := range h.mmapped {
		c.mmapped[k] = v
	}
	return c
}

// malloc returns a user pointer, 0 on failure (errno set).
func (m *machine) malloc(p *proc, n uint64) (uint64, bool) {
	h := &p.heap
	if n >= mmapThreshold {
		length := (n + 16 + engine.PageMask) &^ engine.PageMask
		r, ok := m.sys(p, "mmap", 0, int64(length), engine.PROT_READ|engine.PROT_WRITE, engine.MAP_PRIVATE|engine.MAP_ANONYMOUS, -1, 0)
		if !ok {
			return 0, false
		}
		if r == -1 {
			return 0, true
		}
		ptr := uint64(r) + 16
		h.sizes[ptr] = length
		h.mmapped[ptr] = true
		return ptr, true
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
			return ptr, true
		}
	}
	if !h.inited {
		h.inited = true
		r, ok := m.sys(p, "brk", 0)
		if !ok {
			return 0, false
		}
		h.start, h.top, h.end = uint64(r), uint64(r), uint64(r)
		h.top += 0x290 // glibc's tcache_perthread_struct comes first
	}
	if h.top+size+16 > h.end {
		want := (h.top + size + 16 + 128<<10 + engine.PageMask) &^ engine.PageMask
		r, ok := m.sys(p, "brk", int64(want))
		if !ok {
			return 0, false
		}
		if uint64(r) < want {
			p.setErrno(m, engine.ENOMEM)
			return 0, true
		}
		h.end = uint64(r)
	}
	ptr := h.top + 16
	h.sizes[ptr] = size
	h.top += size
	return ptr, true
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
	h := &p.heap
	if ptr == 0 {
		return true
	}
	if raw, ok := h.aligned[ptr]; ok {
		delete(h.aligned, ptr)
		ptr = raw
	}
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
		_, ok := m.sys(p, "munmap", int64(ptr-16), int64(size))
		return ok
	}
	h.free = append(h.free, hchunk{ptr - 16, size})
	return true
}

// mallinfo is glibc's int_mallinfo over this allocator's arena: the
// bytes brk gave it (arena), its free chunks with the top chunk
// (ordblks, fordblks; keepcost is the top's), what is in use (uordblks),
// and the mmapped chunks (hblks, hblkhd). This allocator has no tcache or
// fastbins: a chunk glibc would keep there (and count as in use) is a free
// chunk here.
func (h *heap) mallinfo() [10]uint64 {
	var free, top uint64
	if h.inited {
		top = h.end - h.top
	}
	for _, c := range h.free {
		free += c.size
	}
	var hblks, hblkhd uint64
	for ptr, mm := range h.mmapped {
		if mm {
			hblks++
			hblkhd += h.sizes[ptr]
		}
	}
	arena := h.end - h.start
	// arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost
	return [10]uint64{arena, uint64(len(h.free)) + 1, 0, hblks, hblkhd, 0, 0, arena - free - top, free + top, top}
}

func init() {
	mallinfo := func(width int) func(m *machine, p *proc, a []int64) (int64, bres) {
		return func(m *machine, p *proc, a []int64) (int64, bres) {
			b := make([]byte, 10*width)
			for i, v := range p.heap.mallinfo() {
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
