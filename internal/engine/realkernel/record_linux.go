package realkernel

import (
	"sort"
	"strconv"

	"github.com/mmapplayground/playground/internal/engine"
)

// area is one range of the engine's record: what the program mapped, by
// which call, with what protection. The kernel may merge adjacent areas into
// one vm_area_struct; the record keeps each call's range, so the two views
// can be shown side by side. Only ranges in the record are the program's:
// everything else in the worker's address space is the Go runtime's.
type area struct {
	start, end uint64
	prot       int
	flags      int    // MAP_* flags of the call
	shared     bool   // MAP_SHARED
	anon       bool   // anonymous (or /dev/zero)
	file       string // file name as the program opened it; "" for anonymous
	offset     uint64
	label      string // "[heap]", "[stack]", the image name, or ""
	call       string // the call that made it: "exec", "mmap", "brk", "mremap"
	seq        uint64 // that call's number among the engine's calls
	locked     bool
	huge       bool // MADV_HUGEPAGE: a fault may map a whole 2 MiB folio
}

func (a *area) kindName() string {
	switch {
	case a.label != "":
		return a.label
	case a.anon && a.shared:
		return "shared anonymous"
	case a.anon:
		return "anonymous"
	case a.shared:
		return "shared " + a.file
	}
	return "private " + a.file
}

// describe is the record's line for an area: "7f..-7f.. rw-p mmap #3 anonymous".
func (a *area) describe() string {
	v := engine.VMA{Start: a.start, End: a.end, Perms: permString(a.prot, a.shared), Offset: a.offset}
	return v.MapsLine() + "  <- " + a.call + " #" + strconv.FormatUint(a.seq, 10) + " (" + a.kindName() + ")"
}

func permString(prot int, shared bool) string {
	b := []byte("---p")
	if prot&engine.PROT_READ != 0 {
		b[0] = 'r'
	}
	if prot&engine.PROT_WRITE != 0 {
		b[1] = 'w'
	}
	if prot&engine.PROT_EXEC != 0 {
		b[2] = 'x'
	}
	if shared {
		b[3] = 's'
	}
	return string(b)
}

// record is the program's areas, sorted and disjoint.
type record struct {
	areas []*area
	last  *area
}

// find returns the area containing addr, or nil.
func (r *record) find(addr uint64) *area {
	if a := r.last; a != nil && addr >= a.start && addr < a.end {
		return a
	}
	i := sort.Search(len(r.areas), func(i int) bool { return r.areas[i].end > addr })
	if i < len(r.areas) && r.areas[i].start <= addr {
		r.last = r.areas[i]
		return r.areas[i]
	}
	return nil
}

// covered reports whether every byte of [start, end) is in the record.
func (r *record) covered(start, end uint64) bool {
	for start < end {
		a := r.find(start)
		if a == nil {
			return false
		}
		start = a.end
	}
	return true
}

// pieces returns the parts of [start, end) that are in the record.
func (r *record) pieces(start, end uint64) [][2]uint64 {
	var out [][2]uint64
	for _, a := range r.areas {
		if a.end <= start || a.start >= end {
			continue
		}
		s, e := max(a.start, start), min(a.end, end)
		if n := len(out); n > 0 && out[n-1][1] == s {
			out[n-1][1] = e
			continue
		}
		out = append(out, [2]uint64{s, e})
	}
	return out
}

// carve removes [start, end) from the record, splitting areas that straddle
// it, and returns the removed parts in address order.
func (r *record) carve(start, end uint64) []*area {
	var kept, removed []*area
	for _, a := range r.areas {
		if a.end <= start || a.start >= end {
			kept = append(kept, a)
			continue
		}
		if a.start < start {
			left := *a
			left.end = start
			kept = append(kept, &left)
		}
		mid := *a
		mid.start, mid.end = max(a.start, start), min(a.end, end)
		mid.offset = a.offset + (mid.start - a.start)
		removed = append(removed, &mid)
		if a.end > end {
			right := *a
			right.start = end
			right.offset = a.offset + (end - a.start)
			kept = append(kept, &right)
		}
	}
	r.areas = kept
	r.last = nil
	return removed
}

// insert adds a, which must not overlap the record.
func (r *record) insert(a *area) {
	i := sort.Search(len(r.areas), func(i int) bool { return r.areas[i].start >= a.end })
	r.areas = append(r.areas, nil)
	copy(r.areas[i+1:], r.areas[i:])
	r.areas[i] = a
	r.last = nil
}

// update applies f to the parts of [start, end) in the record, splitting
// areas at the edges (mprotect, mlock, madvise(MADV_HUGEPAGE)).
func (r *record) update(start, end uint64, f func(*area)) {
	for _, a := range r.carve(start, end) {
		f(a)
		r.insert(a)
	}
}

// knownPages remembers the pages the program has touched since its own calls
// last changed them: a page in r cannot take a read fault, a page in w
// cannot take a write fault. Forgetting a page is always safe (the next
// access is observed and finds no fault); remembering one wrongly loses a
// fault event, so every call that can unmap or write-protect a page clears
// it here.
type knownPages struct {
	chunks  map[uint64]*knownChunk
	lastKey uint64
	last    *knownChunk
}

// knownChunk covers 2 MiB: 512 pages, a bit each.
type knownChunk struct{ r, w [8]uint64 }

const chunkShift = 21

func (k *knownPages) chunk(addr uint64, make bool) *knownChunk {
	key := addr >> chunkShift
	if k.last != nil && k.lastKey == key {
		return k.last
	}
	c := k.chunks[key]
	if c == nil {
		if !make {
			return nil
		}
		if k.chunks == nil {
			k.chunks = map[uint64]*knownChunk{}
		}
		c = new(knownChunk)
		k.chunks[key] = c
	}
	k.lastKey, k.last = key, c
	return c
}

// has reports whether the page of addr is known for the access.
func (k *knownPages) has(addr uint64, write bool) bool {
	c := k.chunk(addr, false)
	if c == nil {
		return false
	}
	i := (addr >> engine.PageShift) & 511
	if write {
		return c.w[i>>6]&(1<<(i&63)) != 0
	}
	return c.r[i>>6]&(1<<(i&63)) != 0
}

// all reports whether every page of [addr, addr+n) is known for the access.
func (k *knownPages) all(addr, n uint64, write bool) bool {
	for p := addr &^ engine.PageMask; p < addr+n; p += engine.PageSize {
		if !k.has(p, write) {
			return false
		}
	}
	return true
}

// set marks the page of addr known for reads, and for writes when write.
func (k *knownPages) set(addr uint64, write bool) {
	c := k.chunk(addr, true)
	i := (addr >> engine.PageShift) & 511
	c.r[i>>6] |= 1 << (i & 63)
	if write {
		c.w[i>>6] |= 1 << (i & 63)
	}
}

// forget clears [start, end): both bits, or only the write bit.
func (k *knownPages) forget(start, end uint64, writeOnly bool) {
	start &^= engine.PageMask
	for p := start; p < end; {
		c := k.chunk(p, false)
		next := (p>>chunkShift + 1) << chunkShift
		if c == nil {
			p = next
			continue
		}
		for ; p < end && p < next; p += engine.PageSize {
			i := (p >> engine.PageShift) & 511
			c.w[i>>6] &^= 1 << (i & 63)
			if !writeOnly {
				c.r[i>>6] &^= 1 << (i & 63)
			}
		}
	}
}

// forgetAll clears everything (ftruncate can zap any file page).
func (k *knownPages) forgetAll() { *k = knownPages{} }
