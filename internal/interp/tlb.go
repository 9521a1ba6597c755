package interp

import (
	"encoding/binary"
	"math"

	"github.com/mmapplayground/playground/internal/engine"
)

// The interpreter's side of the software TLB: a small cache of pages whose
// host bytes the engine handed out (sim's DirectPage) for loads and stores
// that would be TLB hits changing nothing. Every other access (a first
// touch, a write to a clean, read-only or copy-on-write page, a page the
// engine keeps sparse) goes through engine.Load and engine.Store as
// before, so the engine sees and tells every access that can fault or
// change its state. An entry is valid while the engine's two generations
// keep the values they had when it was filled.

// directMemory is implemented by engines that can hand out memory
// (package sim); others (the real kernel, across a process boundary) are
// accessed through Load and Store only.
type directMemory interface {
	DirectPage(pid int, addr uint64) (data []byte, base uint64, writable bool, tlbGen, moves *uint64)
}

const (
	tlbSize = 64
	// tlbRetries bounds the fill attempts that fail in a row for one page
	// (one the engine keeps sparse or zero), until its generations change.
	tlbRetries = 8
)

// tlbEntry holds user memory [base, base+len(data)) of the page vpn,
// valid in the cache's epoch it was filled in.
type tlbEntry struct {
	base     uint64
	data     []byte // nil: the engine said no
	vpn      uint64
	epoch    uint64
	writable bool
	tries    uint8
}

// softTLB is the cache. Its epoch moves on whenever either of the engine's
// generations has changed since it last looked (sync), which the VM does
// after everything that may call the engine.
type softTLB struct {
	dm                 directMemory
	pid                int
	gen, moves         *uint64
	seenGen, seenMoves uint64
	epoch              uint64
	ent                [tlbSize]tlbEntry
}

var noGen uint64 // the generations of an engine without DirectPage (its entries stay empty)

func (t *softTLB) init(eng engine.Engine) {
	t.gen, t.moves = &noGen, &noGen
	t.epoch = 1
	if dm, ok := eng.(directMemory); ok {
		t.dm = dm
	}
}

// sync is the current epoch, after a look at the engine's generations.
func (t *softTLB) sync() uint64 {
	if *t.gen != t.seenGen || *t.moves != t.seenMoves {
		t.seenGen, t.seenMoves = *t.gen, *t.moves
		t.epoch++
	}
	return t.epoch
}

// use makes the cache pid's (it holds one process's memory at a time).
func (t *softTLB) use(pid int) {
	if t.pid != pid {
		t.pid = pid
		t.ent = [tlbSize]tlbEntry{}
	}
}

// fill asks the engine for the memory at addr after a slow access to it.
func (t *softTLB) fill(addr uint64, write bool) {
	if t.dm == nil {
		return
	}
	vpn := addr >> engine.PageShift
	e := &t.ent[vpn%tlbSize]
	if e.vpn == vpn && e.epoch == t.sync() {
		if addr-e.base < uint64(len(e.data)) && (!write || e.writable) {
			return
		}
		if e.tries >= tlbRetries {
			return
		}
	} else {
		*e = tlbEntry{vpn: vpn}
	}
	data, base, w, gen, moves := t.dm.DirectPage(t.pid, addr)
	t.gen, t.moves = gen, moves
	e.epoch, e.data, e.base, e.writable = t.sync(), data, base, w
	if data == nil {
		e.tries++
	} else {
		e.tries = 0
	}
}

// load is a load that missed the cache: through the engine, then a fill.
func (m *machine) loadSlow(p *proc, op opcode, addr uint64) (int64, error) {
	n := loadSize[op]
	buf := m.scratch[:]
	if err := m.eng.Load(p.pid, addr, buf[:n]); err != nil {
		return 0, err
	}
	m.tlb.fill(addr, false)
	return decodeLoad(op, buf), nil
}

func decodeLoad(op opcode, buf []byte) int64 {
	switch op {
	case opLd8s, opLdX8s:
		return int64(int8(buf[0]))
	case opLd8u, opLdX8u:
		return int64(buf[0])
	case opLd16s, opLdX16s:
		return int64(int16(binary.LittleEndian.Uint16(buf)))
	case opLd16u, opLdX16u:
		return int64(binary.LittleEndian.Uint16(buf))
	case opLd32s, opLdX32s:
		return int64(int32(binary.LittleEndian.Uint32(buf)))
	case opLd32u, opLdX32u:
		return int64(binary.LittleEndian.Uint32(buf))
	case opLdF32:
		return f2b(float64(math.Float32frombits(binary.LittleEndian.Uint32(buf))))
	}
	return int64(binary.LittleEndian.Uint64(buf))
}

// storeSlow is a store that missed the cache.
func (m *machine) storeSlow(p *proc, op opcode, addr uint64, v int64) error {
	n := storeSize[op]
	buf := m.scratch[:]
	if op == opStF32 {
		binary.LittleEndian.PutUint32(buf, math.Float32bits(float32(b2f(v))))
	} else {
		binary.LittleEndian.PutUint64(buf, uint64(v))
	}
	if err := m.eng.Store(p.pid, addr, buf[:n]); err != nil {
		return err
	}
	m.tlb.fill(addr, true)
	return nil
}

// loadMiss is a load the software TLB does not hold: through the engine,
// with the instruction's position for the events it may tell. It reports
// false when the load faulted (the process is ending or in a handler).
func (m *machine) loadMiss(p *proc, fr *frame, pc int, in *instr, addr uint64, r []int64) bool {
	if in.line != 0 {
		m.line, m.col = in.line, in.col
	}
	v, err := m.loadSlow(p, in.op, addr)
	if err != nil {
		fr.pc = pc - 1
		m.fault(p, err)
		return false
	}
	r[in.a] = v
	return true
}

// storeMiss is loadMiss for a store.
func (m *machine) storeMiss(p *proc, fr *frame, pc int, in *instr, addr uint64, v int64) bool {
	if in.line != 0 {
		m.line, m.col = in.line, in.col
	}
	if err := m.storeSlow(p, in.op, addr, v); err != nil {
		fr.pc = pc - 1
		m.fault(p, err)
		return false
	}
	return true
}

// addMiss is opAddX's load and store through the engine, in that order,
// as the instructions it stands for make them.
func (m *machine) addMiss(p *proc, fr *frame, pc int, in *instr, addr uint64) bool {
	if in.line != 0 {
		m.line, m.col = in.line, in.col
	}
	ld, st := opLd64, opSt64
	switch in.op {
	case opAddX8:
		ld, st = opLd8u, opSt8
	case opAddX16:
		ld, st = opLd16u, opSt16
	case opAddX32:
		ld, st = opLd32u, opSt32
	}
	v, err := m.loadSlow(p, ld, addr)
	if err == nil {
		err = m.storeSlow(p, st, addr, v+in.imm)
	}
	if err != nil {
		fr.pc = pc - 1
		m.fault(p, err)
		return false
	}
	return true
}
