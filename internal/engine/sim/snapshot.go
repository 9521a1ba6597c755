package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// Snapshots: the whole kernel copied, cheaply. Page contents are not
// copied: frames keep sharing them, and a frame writes to its contents only
// after taking its own copy (physmem.own), which it does when its contents
// are older than the current snapshot generation. Everything else (frames'
// bookkeeping, page tables, areas, files) is copied outright: for the 1 GiB
// program that is a few megabytes.

type snapshot struct{ e *Engine }

func (s *snapshot) Clock() uint64 { return s.e.clock }

// Snapshot returns an immutable copy of the engine's state.
func (e *Engine) Snapshot() engine.Snapshot {
	e.mem.snapGen++
	c := e.clone()
	return &snapshot{e: c}
}

// Restore returns the engine to s.
func (e *Engine) Restore(s engine.Snapshot) error {
	sn, ok := s.(*snapshot)
	if !ok || sn.e == nil {
		return engine.EINVAL
	}
	sink := e.sink
	gen := max(e.mem.snapGen, sn.e.mem.snapGen) + 1
	sn.e.mem.snapGen = gen
	*e = *sn.e.clone()
	e.mem.snapGen = gen
	e.sink = sink
	e.tlbGen++
	return nil
}

// clone deep-copies the engine, sharing only frame contents and swap slots'
// contents (never written in place).
func (e *Engine) clone() *Engine {
	c := *e
	c.sink = nil
	c.ev = engine.Event{}
	// Physical memory.
	c.mem.frames = append([]frame(nil), e.mem.frames...)
	c.mem.free = append([]int32(nil), e.mem.free...)
	c.mem.tables = make([]*ptable, len(e.mem.tables))
	tmap := make(map[*ptable]*ptable, len(e.mem.tables))
	for i, t := range e.mem.tables {
		nt := *t
		c.mem.tables[i] = &nt
		tmap[t] = &nt
	}
	c.swap.slots = append([]swapSlot(nil), e.swap.slots...)
	c.swap.free = append([]int32(nil), e.swap.free...)
	// Files.
	imap := make(map[*inode]*inode, len(e.fs.inodes))
	c.fs.inodes = make([]*inode, len(e.fs.inodes))
	for i, ino := range e.fs.inodes {
		if ino == nil {
			continue
		}
		n := *ino
		n.disk = append([]byte(nil), ino.disk...)
		n.cache = make(map[uint64]int32, len(ino.cache))
		for k, v := range ino.cache {
			n.cache[k] = v
		}
		c.fs.inodes[i] = &n
		imap[ino] = &n
	}
	c.fs.names = make(map[string]int32, len(e.fs.names))
	for k, v := range e.fs.names {
		c.fs.names[k] = v
	}
	fmap := map[*file]*file{}
	// Processes.
	c.procs = make([]*process, len(e.procs))
	for i, p := range e.procs {
		np := *p
		np.fds = make([]*file, len(p.fds))
		for j, f := range p.fds {
			if f == nil {
				continue
			}
			nf, ok := fmap[f]
			if !ok {
				x := *f
				x.ino = imap[f.ino]
				nf = &x
				fmap[f] = nf
			}
			np.fds[j] = nf
		}
		if p.mm != nil {
			nm := *p.mm
			nm.vmas = make([]*vma, len(p.mm.vmas))
			for j, v := range p.mm.vmas {
				nv := *v
				if v.file != nil {
					nv.file = imap[v.file]
				}
				nm.vmas[j] = &nv
			}
			nm.pgd = tmap[p.mm.pgd]
			nm.lastVMA, nm.lastPT = nil, nil
			nm.tlb.gen = ^uint64(0)
			np.mm = &nm
		}
		c.procs[i] = &np
	}
	return &c
}
