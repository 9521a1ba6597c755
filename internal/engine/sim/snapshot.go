package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// Snapshots: the whole kernel deep-copied. That is cheap because nothing
// in it is large: frames and page contents live in a few pointer-free slabs
// (frames.go) copied with memmove, and a page holds only what was written
// to it, so the 1 GiB program of the benchmarks snapshots in about 30 MB of
// copying.

type snapshot struct{ e *Engine }

func (s *snapshot) Clock() uint64 { return s.e.clock }

// Snapshot returns an immutable copy of the engine's state.
func (e *Engine) Snapshot() engine.Snapshot {
	c := e.clone()
	return &snapshot{e: c}
}

// Restore returns the engine to s.
func (e *Engine) Restore(s engine.Snapshot) error {
	sn, ok := s.(*snapshot)
	if !ok || sn.e == nil {
		return engine.EINVAL
	}
	sink, stop, grow, gen := e.sink, e.stop, e.onGrow, e.tlbGen
	*e = *sn.e.clone()
	e.sink, e.stop, e.onGrow = sink, stop, grow
	// The TLB generation only grows, so that nothing cached before the
	// restore (DirectPage's slices) is taken for valid after it.
	e.tlbGen = max(e.tlbGen, gen) + 1
	return nil
}

// clone deep-copies the engine.
func (e *Engine) clone() *Engine {
	c := *e
	c.sink = nil
	c.ev = engine.Event{}
	c.lastProc = nil
	// Physical memory.
	c.mem.segs = make([][]frame, len(e.mem.segs))
	for i, seg := range e.mem.segs {
		c.mem.segs[i] = append([]frame(nil), seg...)
	}
	c.mem.store = e.mem.store.clone()
	c.mem.free = append([]int32(nil), e.mem.free...)
	c.mem.tables = make([]*ptable, len(e.mem.tables))
	tmap := make(map[*ptable]*ptable, len(e.mem.tables))
	for i, t := range e.mem.tables {
		nt := *t
		for j, ch := range t.ent {
			if ch != nil {
				cc := *ch
				nt.ent[j] = &cc
			}
		}
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
		n.disk = ino.disk.clone()
		n.cache = make(map[uint64]int32, len(ino.cache))
		for k, v := range ino.cache {
			n.cache[k] = v
		}
		if ino.swapped != nil {
			n.swapped = make(map[uint64]int32, len(ino.swapped))
			for k, v := range ino.swapped {
				n.swapped[k] = v
			}
		}
		if ino.pipe != nil {
			ps := *ino.pipe
			ps.data = append([]byte(nil), ino.pipe.data...)
			n.pipe = &ps
		}
		if ino.sock != nil {
			us := *ino.sock
			us.queue = append([]unixSkb(nil), ino.sock.queue...)
			n.sock = &us
		}
		if ino.eventfd != nil {
			es := *ino.eventfd
			n.eventfd = &es
		}
		if ino.uffd != nil {
			n.uffd = ino.uffd.clone()
		}
		if ino.epoll != nil {
			n.epoll = &epollState{} // its items once the files are copied, below
		}
		n.locks = append([]fileLock(nil), ino.locks...)
		c.fs.inodes[i] = &n
		imap[ino] = &n
	}
	c.fs.proc = imap[e.fs.proc]
	for _, n := range c.fs.inodes[1:] {
		if n != nil && n.parent != nil {
			n.parent = imap[n.parent]
		}
	}
	if e.fs.libs != nil {
		c.fs.libs = make(map[string]*inode, len(e.fs.libs))
		for k, ino := range e.fs.libs {
			c.fs.libs[k] = imap[ino]
		}
	}
	c.fs.names = make(map[string]int32, len(e.fs.names))
	for k, v := range e.fs.names {
		c.fs.names[k] = v
	}
	// Namespaces (nsproxy.go).
	nc := &nsCloner{m: map[*namespace]*namespace{}, imap: imap}
	for k := range e.ns.init {
		c.ns.init[k] = nc.ns(e.ns.init[k])
	}
	if e.ns.dirs != nil {
		c.ns.dirs = make(map[int]int32, len(e.ns.dirs))
		for k, v := range e.ns.dirs {
			c.ns.dirs[k] = v
		}
	}
	for i, ino := range e.fs.inodes {
		if ino != nil && ino.ns != nil {
			c.fs.inodes[i].ns = nc.ns(ino.ns)
		}
	}
	c.forked = nil
	fmap := map[*file]*file{}
	fsmap := map[*filesStruct]*filesStruct{} // a table shared (CLONE_FILES) stays shared
	// Processes.
	c.procs = make([]*process, len(e.procs))
	for i, p := range e.procs {
		np := *p
		np.pending.list = append([]queuedSig(nil), p.pending.list...)
		np.sharedPending.list = append([]queuedSig(nil), p.sharedPending.list...)
		if p.files != nil {
			nfs, ok := fsmap[p.files]
			if !ok {
				nfs = &filesStruct{fd: make([]*file, len(p.files.fd)), cloexec: append([]bool(nil), p.files.cloexec...), count: p.files.count}
				fsmap[p.files] = nfs
			}
			np.files = nfs
		}
		for j, f := range p.filesFd() {
			if f == nil || np.files.fd[j] != nil {
				continue
			}
			nf, ok := fmap[f]
			if !ok {
				x := *f
				x.ino = imap[f.ino]
				if f.proc != nil {
					po := *f.proc
					po.buf = append([]byte(nil), f.proc.buf...)
					x.proc = &po
				}
				nf = &x
				fmap[f] = nf
			}
			np.files.fd[j] = nf
		}
		if p.pidfs != nil {
			np.pidfs = imap[p.pidfs]
		}
		nc.task(&np.sys.ns)
		if p.mm != nil {
			nm := *p.mm
			nm.vmas = make([]*vma, len(p.mm.vmas))
			for j, v := range p.mm.vmas {
				nv := *v
				if v.file != nil {
					nv.file = imap[v.file]
				}
				if v.zeroFile != nil {
					nv.zeroFile = imap[v.zeroFile]
				}
				if v.uffd != nil {
					nv.uffd = imap[v.uffd]
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
	// The epolls' items, on the copies of their files (one closed
	// everywhere is in no table, and gone).
	for i, ino := range e.fs.inodes {
		if ino == nil || ino.epoll == nil {
			continue
		}
		ep := c.fs.inodes[i].epoll
		for _, it := range ino.epoll.items {
			if nf, ok := fmap[it.f]; ok {
				x := *it
				x.f = nf
				ep.items = append(ep.items, &x)
			}
		}
	}
	return &c
}

// cloneFields is what clone does with each field of the kernel's
// structures that holds a reference (a pointer, slice, map or func):
//
//	deep    copied, and the pointers in the copy point into the copy
//	shared  left shared: immutable, or scratch that holds no state
//	reset   not part of a snapshot: cleared in the copy, kept by Restore
//	cache   a cache the copy marks invalid
//
// Fields that hold only values are copied with their struct.
// TestSnapshotCopiesEveryField fails when a structure reachable from the
// Engine has a reference field missing here, or when a copy shares memory
// with its original through a field not marked shared.
var cloneFields = map[string]string{
	"Engine.sink":     "reset",
	"Engine.ev":       "reset", // the event being built
	"Engine.lastProc": "reset", // a cache of proc's answer
	"Engine.stop":     "reset",
	"Engine.onGrow":   "reset",
	"Engine.iobuf":    "shared", // read's and write's scratch
	"Engine.procs":    "deep",
	"Engine.forked":   "reset", // the clone call in progress's child

	"nsState.init":           "deep",
	"nsState.dirs":           "deep",
	"taskNS.nr":              "deep",
	"taskNS.pidForChildren":  "deep",
	"taskNS.timeForChildren": "deep",
	"namespace.owner":        "deep",
	"namespace.parent":       "deep",
	"namespace.nsfs":         "deep",
	"namespace.user":         "deep",
	"namespace.pid":          "deep",
	"namespace.mnt":          "deep",
	"namespace.uts":          "deep",
	"userNS.uidMap":          "deep",
	"userNS.gidMap":          "deep",
	"mntNS.mounts":           "deep",
	"mount.pidNS":            "deep",
	"mount.sbUser":           "deep",
	"inode.ns":               "deep",

	"process.mm":          "deep",
	"process.pidfs":       "deep",
	"process.files":       "deep", // a table shared by two processes (CLONE_FILES) stays shared
	"filesStruct.fd":      "deep", // a file shared by two fds (fork, dup) stays shared between them
	"filesStruct.cloexec": "deep",
	"file.ino":            "deep",
	"file.proc":           "deep",
	"procOpen.file":       "shared", // an entry of the static procfs tables
	"procOpen.buf":        "deep",

	"mm.vmas":         "deep",
	"mm.pgd":          "deep",
	"mm.lastVMA":      "reset", // find_vma's cache
	"mm.lastPT":       "reset",
	"mm.tlb":          "cache",  // Load/Store's last-page cache: the copy's is invalid
	"mm.loaderRanges": "shared", // set by exec, never changed
	"vma.file":        "deep",
	"vma.zeroFile":    "deep",
	"vma.uffd":        "deep",

	"physmem.segs":    "deep",
	"physmem.free":    "deep",
	"physmem.tables":  "deep",
	"blockClass.segs": "deep",
	"blockClass.free": "deep",
	"swapdev.slots":   "deep",
	"swapdev.free":    "deep",

	"filesystem.inodes":      "deep",
	"filesystem.noSymfollow": "reset", // the call in progress's
	"filesystem.names":       "deep",
	"filesystem.proc":        "deep",
	"filesystem.libs":        "deep",
	"inode.cache":            "deep",
	"inode.swapped":          "deep",
	"inode.pipe":             "deep",
	"inode.eventfd":          "deep",
	"inode.uffd":             "deep",
	"uffdCtx.waits":          "deep",
	"uffdCtx.events":         "deep",
	"inode.epoll":            "deep",
	"epollState.items":       "deep",
	"epitem.f":               "deep", // the copy's file
	"inode.locks":            "deep",
	"inode.parent":           "deep", // the copy's directory
	"pipeState.data":         "deep",
	"sigPending.list":        "deep",
	"inode.sock":             "deep",
	"unixSock.queue":         "deep",
	"unixSkb.data":           "shared", // never changed once queued
	"diskFile.pages":         "deep",
}
