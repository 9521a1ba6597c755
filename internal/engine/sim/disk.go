package sim

import (
	"sort"
	"unsafe"

	"github.com/mmapplayground/playground/internal/engine"
)

// diskFile is a regular file's content on disk, sparse as ext4 keeps it: a
// page never written reads as zeros and costs nothing (a file ftruncated or
// pwritten to a terabyte holds only the pages written), and a page of one
// repeated byte costs one byte. Its host memory is bounded by the pages
// writeback wrote, never by the file's size.
type diskFile struct {
	// end is where the data on disk ends (i_size as writeback last left
	// it): a page cache read past it reads nothing from disk.
	end uint64
	// pages are the written pages by index: PageSize bytes, or 1 for a
	// page of that byte.
	pages map[uint64][]byte
}

func (d *diskFile) len() uint64 { return d.end }

// page returns page idx's bytes on disk, up to PageSize (fewer in the last
// page); nil when it holds none (a hole, or past the end). A uniform page
// is made in buf.
func (d *diskFile) page(idx uint64, buf *[engine.PageSize]byte) []byte {
	off := idx << engine.PageShift
	if off >= d.end {
		return nil
	}
	n := min(uint64(engine.PageSize), d.end-off)
	p := d.pages[idx]
	switch len(p) {
	case 0:
		return nil
	case 1:
		for i := range buf[:n] {
			buf[i] = p[0]
		}
		return buf[:n]
	}
	return p[:n]
}

// store writes page idx from a whole page of data, and moves the end to
// end when it is further.
func (d *diskFile) store(idx uint64, data *[engine.PageSize]byte, end uint64) {
	if d.pages == nil {
		d.pages = map[uint64][]byte{}
	}
	switch b, ok := uniformOf(data[:]); {
	case ok:
		d.pages[idx] = []byte{b}
	case isZero(data[:]):
		delete(d.pages, idx)
	default:
		p := d.pages[idx]
		if len(p) != engine.PageSize {
			p = make([]byte, engine.PageSize)
			d.pages[idx] = p
		}
		copy(p, data[:])
	}
	d.end = max(d.end, end)
}

// set replaces the content with data (a file placed before the run).
func (d *diskFile) set(data []byte) {
	d.pages = nil
	d.end = 0
	var buf [engine.PageSize]byte
	for off := 0; off < len(data); off += engine.PageSize {
		clear(buf[:])
		copy(buf[:], data[off:])
		d.store(uint64(off)>>engine.PageShift, &buf, uint64(min(off+engine.PageSize, len(data))))
	}
	d.end = uint64(len(data))
}

// truncate cuts the data on disk to size.
func (d *diskFile) truncate(size uint64) {
	if d.end <= size {
		return
	}
	d.end = size
	last := size >> engine.PageShift
	for idx := range d.pages {
		if idx > last || idx == last && size&engine.PageMask == 0 {
			delete(d.pages, idx)
		}
	}
	if in := size & engine.PageMask; in != 0 {
		if p, ok := d.pages[last]; ok {
			var buf [engine.PageSize]byte
			copy(buf[:], d.pageBytes(p))
			clear(buf[in:])
			d.store(last, &buf, 0)
		}
	}
}

// pageBytes is a stored page's PageSize bytes.
func (d *diskFile) pageBytes(p []byte) []byte {
	if len(p) == 1 {
		b := make([]byte, engine.PageSize)
		for i := range b {
			b[i] = p[0]
		}
		return b
	}
	return p
}

// clearRange zeroes [lo, hi) on disk (a hole punched).
func (d *diskFile) clearRange(lo, hi uint64) {
	hi = min(hi, d.end)
	for idx, p := range d.pages {
		start := idx << engine.PageShift
		end := start + engine.PageSize
		if end <= lo || start >= hi {
			continue
		}
		if start >= lo && end <= hi {
			delete(d.pages, idx)
			continue
		}
		var buf [engine.PageSize]byte
		copy(buf[:], d.pageBytes(p))
		clear(buf[max(lo, start)-start : min(hi, end)-start])
		d.store(idx, &buf, 0)
	}
}

// bytes is the whole content, for ReadFile.
func (d *diskFile) bytes() []byte {
	out := make([]byte, d.end)
	idxs := make([]uint64, 0, len(d.pages))
	for idx := range d.pages {
		idxs = append(idxs, idx)
	}
	sort.Slice(idxs, func(a, b int) bool { return idxs[a] < idxs[b] })
	var buf [engine.PageSize]byte
	for _, idx := range idxs {
		copy(out[idx<<engine.PageShift:], d.page(idx, &buf))
	}
	return out
}

func (d *diskFile) clone() diskFile {
	c := diskFile{end: d.end}
	if d.pages != nil {
		c.pages = make(map[uint64][]byte, len(d.pages))
		for idx, p := range d.pages {
			c.pages[idx] = append([]byte(nil), p...)
		}
	}
	return c
}

// hostBytes is the host memory the content holds.
func (d *diskFile) hostBytes() uint64 {
	var n uint64
	for _, p := range d.pages {
		n += uint64(len(p)) + 48 // and the map entry's
	}
	return n
}

// HostBytes is about how much host memory the engine holds for what the
// program did: page contents, the frame table, page tables, swap slots and
// files on disk. It grows with what a program writes, never with what it
// merely maps or ftruncates; the runner holds it to the run's budget.
func (e *Engine) HostBytes() uint64 {
	m := &e.mem
	n := uint64(len(m.segs)) * (1 << frameSegShift) * uint64(unsafe.Sizeof(frame{}))
	for i := range m.store.class {
		n += uint64(len(m.store.class[i].segs)) * storeSeg
	}
	n += uint64(len(m.tables))*uint64(unsafe.Sizeof(ptable{})+8) + uint64(m.tableChunks)*uint64(unsafe.Sizeof([ptChunk]uint64{}))
	n += uint64(len(e.swap.slots)) * uint64(unsafe.Sizeof(swapSlot{}))
	for _, ino := range e.fs.inodes[1:] {
		if ino != nil {
			n += ino.disk.hostBytes()
		}
	}
	return n
}
