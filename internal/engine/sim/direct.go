package sim

import "github.com/mmapplayground/playground/internal/engine"

// DirectPage is the software TLB's hit path handed to the interpreter's
// loads and stores, so that a loop over memory it has already touched does
// not cross the Engine interface for every access: host bytes holding the
// user memory from base (the page at addr, or the 64-byte chunk of it that
// holds addr where the page is kept sparse), which the caller may read
// directly and, if writable, write; and the two generations under which
// they stay valid.
//
// It answers only where an access would be a TLB hit that changes nothing:
// the PTE present, user and accessed, and for writes also writable and
// already dirty (as the TLB caches write permission only once the PTE is
// dirty); and the bytes kept as they are (not the zero page's nothing, not
// a chunk not yet there, not a uniform page's single byte). Every access
// that can fault, set an accessed or dirty bit, or change how a page's
// contents are kept still goes through Load and Store, so the model's
// events and state are the same as without it.
//
// The bytes are valid while *tlbGen (any PTE change, a restore) and *moves
// (contents moved within the store) keep the values they had at the call.
// data is nil where there are no such bytes. It changes nothing.
func (e *Engine) DirectPage(pid int, addr uint64) (data []byte, base uint64, writable bool, tlbGen, moves *uint64) {
	tlbGen, moves = &e.tlbGen, &e.mem.store.moves
	p := e.proc(pid)
	if p == nil || p.mm == nil || addr >= engine.TaskSize {
		return nil, 0, false, tlbGen, moves
	}
	pp := e.pteOf(p, addr)
	if pp == nil {
		return nil, 0, false, tlbGen, moves
	}
	pte := *pp
	if pte&ptePresent == 0 || pte&pteUser == 0 || pte&pteAccessed == 0 {
		return nil, 0, false, tlbGen, moves
	}
	writable = pte&pteRW != 0 && pte&pteDirty != 0
	f := e.mem.f(idxOf(ptePFN(pte)))
	if f.mask == 0 || f.blk < 0 {
		return nil, 0, false, tlbGen, moves
	}
	page := addr &^ engine.PageMask
	all := e.mem.data(f.mask, f.blk)
	if f.mask == ^uint64(0) {
		return all[:engine.PageSize:engine.PageSize], page, writable, tlbGen, moves
	}
	c := uint((addr & engine.PageMask) >> chunkShift)
	if f.mask&(1<<c) == 0 {
		return nil, 0, false, tlbGen, moves
	}
	at := chunkPos(f.mask, c)
	return all[at : at+chunkSize : at+chunkSize], page + uint64(c)<<chunkShift, writable, tlbGen, moves
}
