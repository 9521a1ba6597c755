package realkernel

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/mmapplayground/playground/internal/engine"
)

var (
	_ engine.Engine       = (*Engine)(nil)
	_ engine.FaultCounter = (*Engine)(nil)
)

// Engine is the real kernel behind engine.Engine, for one program in this
// process. It is used from the goroutine that called New, which New locks to
// its OS thread: the fault counters it reads are that thread's.
type Engine struct {
	opts  Options
	caps  Capabilities
	perf  *perfFaults
	sink  engine.Sink
	start time.Time
	pid   int

	root      *os.File // the session directory
	rootPath  string   // its absolute, symlink-free path
	pagemapFD int
	kflagsFD  int
	kcountFD  int

	rec   record
	known knownPages
	fds   map[int]*fileDesc
	calls uint64 // memory-changing calls made, numbering the record

	execd     bool
	exited    bool
	brkStart  uint64
	brk       uint64
	stackTop  uint64
	smapsGen  uint64 // bumped by every call that can change the areas
	smapsAt   uint64
	smapsMemo []mapsLine

	counters engine.Counters
	ev       engine.Event
	pmBuf    []uint64
	pmBefore []uint64
	samples  []uint64
	notes    []string
	pending  []engine.Event
	raise    *engine.Signal // a signal the call raised against the caller (kill)
}

// New makes a real engine for a program whose files live in opts.Dir. It
// locks the calling goroutine to its OS thread until Close.
func New(opts Options) (*Engine, error) {
	if opts.Dir == "" {
		return nil, fmt.Errorf("realkernel: no working directory")
	}
	dir, err := filepath.Abs(opts.Dir)
	if err == nil {
		dir, err = filepath.EvalSymlinks(dir)
	}
	if err != nil {
		return nil, fmt.Errorf("realkernel: working directory: %w", err)
	}
	root, err := os.OpenFile(dir, os.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("realkernel: working directory: %w", err)
	}
	if opts.Devices == nil {
		opts.Devices = DefaultDevices
	}
	runtime.LockOSThread()
	debug.SetPanicOnFault(true)
	e := &Engine{
		opts: opts, start: time.Now(), pid: os.Getpid(),
		root: root, rootPath: dir,
		pagemapFD: -1, kflagsFD: -1, kcountFD: -1,
		fds: map[int]*fileDesc{},
	}
	e.initStdio()
	if fd, err := unix.Open("/proc/self/pagemap", unix.O_RDONLY|unix.O_CLOEXEC, 0); err == nil {
		e.pagemapFD = fd
	}
	e.caps, e.perf = probe(e.pagemapFD, opts.Observe)
	if e.caps.KPageFlags {
		e.kflagsFD, _ = unix.Open("/proc/kpageflags", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if e.kcountFD, err = unix.Open("/proc/kpagecount", unix.O_RDONLY|unix.O_CLOEXEC, 0); err != nil {
			e.kcountFD = -1
		}
	}
	e.notes = e.caps.Missing()
	return e, nil
}

// Capabilities reports what New found this host allows.
func (e *Engine) Capabilities() Capabilities { return e.caps }

// Name is "real".
func (e *Engine) Name() string { return "real" }

// Now is the time since the engine started.
func (e *Engine) Now() uint64 { return uint64(time.Since(e.start)) }

// SetSink sets where events go.
func (e *Engine) SetSink(s engine.Sink) { e.sink = s }

// emit stamps and delivers e.ev, then clears it.
func (e *Engine) emit() {
	if e.sink != nil {
		e.ev.Time = e.Now()
		if e.ev.Pid == 0 {
			e.ev.Pid = e.pid
		}
		e.sink(&e.ev)
	}
	e.ev = engine.Event{}
}

func (e *Engine) note(msg string) {
	e.ev = engine.Event{Type: engine.EvNote, Message: msg}
	e.emit()
}

// Image placement: where a PIE's image and heap sit on x86-64 Linux, and a
// stack near the top of user space. Both are far from the Go runtime's
// arenas (0xc000000000...) and its top-down mmaps; if taken, the kernel
// chooses.
const (
	imageBase = 0x555555554000
	stackTop  = 0x7ff000000000
)

// Exec creates the program's image, heap and stack as real anonymous
// mappings, named so that /proc/self/maps tells them apart.
func (e *Engine) Exec(img engine.Image) (engine.Process, error) {
	if e.execd {
		return engine.Process{}, fmt.Errorf("realkernel: one program per engine: %w", engine.ErrUnsupported)
	}
	e.execd = true
	e.ev = engine.Event{Type: engine.EvNote, Message: "real engine: the host's Linux kernel; fault tiers: " + e.caps.Tiers()}
	e.emit()
	for _, n := range e.notes {
		e.note(n)
	}

	name := filepath.Base(img.Name)
	if name == "" || name == "." {
		name = "prog"
	}
	roLen := pageUp(uint64(len(img.Rodata)))
	if roLen == 0 {
		roLen = engine.PageSize
	}
	dataLen := pageUp(uint64(len(img.Data)) + img.Bss)
	if dataLen == 0 {
		dataLen = engine.PageSize
	}
	base, err := e.mapFixedOrAnywhere(imageBase, roLen+dataLen, unix.PROT_READ|unix.PROT_WRITE)
	if err != nil {
		return engine.Process{}, fmt.Errorf("realkernel: mapping the program image: %w", err)
	}
	copyOut(base, img.Rodata)
	copyOut(base+roLen, img.Data)
	if err := unix.Mprotect(unsafeSlice(base, roLen), unix.PROT_READ); err != nil {
		return engine.Process{}, fmt.Errorf("realkernel: mprotect of .rodata: %w", err)
	}
	e.calls++
	e.rec.insert(&area{start: base, end: base + roLen, prot: unix.PROT_READ, flags: unix.MAP_PRIVATE | unix.MAP_ANONYMOUS, anon: true, label: name, call: "exec", seq: e.calls})
	e.rec.insert(&area{start: base + roLen, end: base + roLen + dataLen, prot: unix.PROT_READ | unix.PROT_WRITE, flags: unix.MAP_PRIVATE | unix.MAP_ANONYMOUS, anon: true, label: name, call: "exec", seq: e.calls})
	// The image's areas are named after the program, like an ELF's; the two
	// stay apart as the kernel keeps .rodata and .data apart (different
	// permissions).
	_ = nameArea(base, roLen+dataLen, "image "+sanitizeName(name))
	// The heap starts a page past the end of .bss: Linux randomises the gap;
	// one page keeps the kernel from merging the heap into .data.
	e.brkStart = base + roLen + dataLen + engine.PageSize
	e.brk = e.brkStart

	stackLen := uint64(engine.DefaultStackLimit)
	sbase, err := e.mapFixedOrAnywhere(stackTop-stackLen, stackLen, unix.PROT_READ|unix.PROT_WRITE)
	if err != nil {
		return engine.Process{}, fmt.Errorf("realkernel: mapping the stack: %w", err)
	}
	e.calls++
	e.rec.insert(&area{start: sbase, end: sbase + stackLen, prot: unix.PROT_READ | unix.PROT_WRITE, flags: unix.MAP_PRIVATE | unix.MAP_ANONYMOUS, anon: true, label: "[stack]", call: "exec", seq: e.calls})
	_ = nameArea(sbase, stackLen, "stack")
	e.stackTop = sbase + stackLen
	e.smapsGen++

	p := engine.Process{
		Pid: e.pid, RodataAddr: base, DataAddr: base + roLen, Brk: e.brk,
		StackTop: e.stackTop, StackLimit: sbase,
	}
	e.ev = engine.Event{Type: engine.EvExec, Name: img.Name, Addr: base}
	e.emit()
	for _, v := range e.Maps(e.pid) {
		v := v
		e.ev = engine.Event{Type: engine.EvVMA, Op: "add", Why: "exec", VMA: &v}
		e.emit()
	}
	return p, nil
}

// sanitizeName keeps what PR_SET_VMA_ANON_NAME accepts: printable, no
// brackets, backslash, dollar or backquote.
func sanitizeName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c >= 0x7f || strings.IndexByte("[]\\$`", c) >= 0 {
			b[i] = '_'
		}
	}
	if len(b) > 60 {
		b = b[:60]
	}
	return string(b)
}

// mapFixedOrAnywhere maps anonymous memory at addr if it is free there,
// else wherever the kernel chooses.
func (e *Engine) mapFixedOrAnywhere(addr, length uint64, prot int) (uint64, error) {
	r, _, errno := unix.Syscall6(unix.SYS_MMAP, uintptr(addr), uintptr(length), uintptr(prot),
		uintptr(unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_FIXED_NOREPLACE), ^uintptr(0), 0)
	if errno == 0 && uint64(r) == addr {
		return addr, nil
	}
	if errno == 0 {
		// An old kernel took the flag as a hint and placed it elsewhere.
		return uint64(r), nil
	}
	r, _, errno = unix.Syscall6(unix.SYS_MMAP, 0, uintptr(length), uintptr(prot),
		uintptr(unix.MAP_PRIVATE|unix.MAP_ANONYMOUS), ^uintptr(0), 0)
	if errno != 0 {
		return 0, errno
	}
	return uint64(r), nil
}

func pageUp(n uint64) uint64 { return (n + engine.PageMask) &^ engine.PageMask }

func unsafeSlice(addr, n uint64) []byte { return unsafeBytesAt(addr, n) }

// Terminate ends the program: its areas are unmapped and its files closed.
// A second program cannot follow in this engine.
func (e *Engine) Terminate(pid int, status, sig int) {
	if e.exited {
		return
	}
	e.exited = true
	for _, a := range e.rec.areas {
		unix.Syscall(unix.SYS_MUNMAP, uintptr(a.start), uintptr(a.end-a.start), 0)
	}
	e.rec = record{}
	e.known.forgetAll()
	for fd, f := range e.fds {
		f.close()
		delete(e.fds, fd)
	}
	e.ev = engine.Event{Type: engine.EvProcess, Op: "exit", Status: status, Signal: engine.SignalName(sig)}
	e.emit()
}

// Close releases the engine's files and perf events and unlocks the thread.
func (e *Engine) Close() error {
	if e.root == nil {
		return nil
	}
	e.Terminate(e.pid, 0, 0)
	e.perf.close()
	for _, fd := range []int{e.pagemapFD, e.kflagsFD, e.kcountFD} {
		if fd >= 0 {
			unix.Close(fd)
		}
	}
	err := e.root.Close()
	e.root = nil
	runtime.UnlockOSThread()
	return err
}

// Maps lists the program's areas as the kernel's /proc/self/maps shows them,
// clipped to the ranges the program mapped (with Options.ShowRuntime, every
// area of the worker).
func (e *Engine) Maps(pid int) []engine.VMA {
	lines := e.kernelAreas()
	var out []engine.VMA
	for _, l := range lines {
		if e.opts.ShowRuntime {
			v := e.vmaOf(l, l.start, l.end)
			out = append(out, v)
			continue
		}
		for _, p := range e.rec.pieces(l.start, l.end) {
			out = append(out, e.vmaOf(l, p[0], p[1]))
		}
	}
	return out
}

// kernelAreas reads smaps, cached until a call changes the areas.
func (e *Engine) kernelAreas() []mapsLine {
	if e.smapsMemo != nil && e.smapsAt == e.smapsGen {
		return e.smapsMemo
	}
	lines, err := readMaps(true)
	if err != nil {
		lines, _ = readMaps(false)
	}
	e.smapsMemo, e.smapsAt = lines, e.smapsGen
	return lines
}

var vmFlagNames = map[string]string{
	"mr": "MAYREAD", "mw": "MAYWRITE", "me": "MAYEXEC", "ms": "MAYSHARE",
	"gd": "GROWSDOWN", "pf": "PFNMAP", "lo": "LOCKED", "io": "IO",
	"sr": "SEQ_READ", "rr": "RAND_READ", "dc": "DONTCOPY", "de": "DONTEXPAND",
	"ac": "ACCOUNT", "nr": "NORESERVE", "ht": "HUGETLB", "sd": "SOFTDIRTY",
	"mm": "MIXEDMAP", "hg": "HUGEPAGE", "nh": "NOHUGEPAGE", "mg": "MERGEABLE",
	"dd": "DONTDUMP", "wf": "WIPEONFORK",
}

// vmaOf turns a kernel line, clipped to [start, end), into a VMA named as
// the program knows it.
func (e *Engine) vmaOf(l mapsLine, start, end uint64) engine.VMA {
	v := engine.VMA{Start: start, End: end, Perms: l.perms, Offset: l.offset + (start - l.start), File: l.path}
	for _, f := range l.vmflags {
		if n, ok := vmFlagNames[f]; ok {
			v.Flags = append(v.Flags, n)
		}
	}
	if a := e.rec.find(start); a != nil {
		switch {
		case a.label != "":
			v.File = a.label
		case !a.anon && a.file != "":
			v.File = a.file
		case a.anon && !a.shared:
			v.File = ""
		}
	} else if strings.HasPrefix(v.File, e.rootPath+"/") {
		v.File = strings.TrimPrefix(v.File, e.rootPath+"/")
	}
	v.PresentPages = e.countPresent(start, end)
	return v
}

// countPresent counts the pages of [start, end) with a present PTE.
func (e *Engine) countPresent(start, end uint64) int {
	if e.pagemapFD < 0 {
		return 0
	}
	n := 0
	for s := start; s < end; {
		t := min(end, s+(8<<20))
		pm, _ := pagemap(e.pagemapFD, s, t, e.pmBuf)
		e.pmBuf = pm
		for _, x := range pm {
			if x&pmPresent != 0 {
				n++
			}
		}
		s = t
	}
	return n
}

// Pages describes each page of [start, end) from pagemap, as the kernel's
// page table has it (PTE bits beyond present come from the engine's record).
func (e *Engine) Pages(pid int, start, end uint64) []engine.PageInfo {
	start &^= engine.PageMask
	end = pageUp(end)
	if end <= start || end-start > 1<<36 {
		return nil
	}
	out := make([]engine.PageInfo, 0, (end-start)>>engine.PageShift)
	var pm []uint64
	if e.pagemapFD >= 0 {
		pm, _ = pagemap(e.pagemapFD, start, end, nil)
	}
	for i, addr := 0, start; addr < end; i, addr = i+1, addr+engine.PageSize {
		var x uint64
		if i < len(pm) {
			x = pm[i]
		}
		out = append(out, e.pageInfo(addr, x))
	}
	return out
}

// pageInfo interprets one pagemap entry for the page at addr.
func (e *Engine) pageInfo(addr, x uint64) engine.PageInfo {
	p := engine.PageInfo{Addr: addr}
	a := e.rec.find(addr)
	if a == nil && !e.opts.ShowRuntime {
		p.Flags = ""
		return p
	}
	switch {
	case x&pmPresent != 0:
		p.Bits = engine.PTEPresent | engine.PTEUser | engine.PTEAccessed
		pfn := x & pmPFNMask
		p.PFN = pfn
		fileBacked := x&pmFileShared != 0
		// kpageflags and kpagecount (root) cost a read each: only for pages
		// that can be shared or dirty in the page cache.
		var flags uint64
		var haveFlags bool
		if fileBacked {
			flags, haveFlags = readUint64At(e.kflagsFD, pfn)
		}
		switch {
		case e.caps.PFN && pfn == e.caps.ZeroPFN || haveFlags && flags&kpfZeroPage != 0:
			p.State = engine.PageZero
			p.Bits |= engine.PTESpecial
		case a != nil && a.locked:
			p.State = engine.PageLocked
		case fileBacked && a != nil && !a.anon:
			p.InPageCache = true
			p.State = engine.PageClean
			if haveFlags && flags&kpfDirty != 0 || e.known.has(addr, true) {
				p.State = engine.PageDirty
			}
		case !fileBacked && a != nil && !a.anon:
			// A private file page the program wrote: its own anonymous copy.
			p.State = engine.PageDirty
		default:
			// An anonymous page has no file to go back to: the kernel must
			// swap it to free it, as it would a dirty page.
			p.State = engine.PageDirty
		}
		if a != nil && a.prot&unix.PROT_WRITE != 0 && e.known.has(addr, true) {
			p.Bits |= engine.PTEWrite
		}
		if p.State == engine.PageDirty {
			p.Bits |= engine.PTEDirty
		}
		if a != nil && a.prot&unix.PROT_EXEC == 0 {
			p.Bits |= engine.PTENoExec
		}
		if x&pmExclusive != 0 {
			p.MapCount = 1
		} else if c, ok := readUint64At(e.kcountFD, pfn); ok && pfn != 0 && fileBacked {
			p.MapCount = int(c)
		}
		if p.MapCount > 0 {
			p.Mappers = []int{e.pid}
		}
	case x&pmSwapped != 0:
		p.State = engine.PageSwapped
	}
	if x&pmSoftDirty != 0 {
		p.Bits |= engine.PTESoftDirty
	}
	p.Flags = bitsString(p.Bits)
	return p
}

// bitNames holds PTEBits.String for the 256 combinations (a 1 GiB area is
// 262,144 pages).
var bitNames [256]string

func init() {
	for i := range bitNames {
		bitNames[i] = engine.PTEBits(i).String()
	}
}

func bitsString(b engine.PTEBits) string {
	if b >= 256 {
		return b.String()
	}
	return bitNames[b]
}

// Walk is what the real engine can see of the walk for addr: the four
// indexes, and the last level from pagemap. The upper levels' entries are
// the kernel's and no interface shows them.
func (e *Engine) Walk(pid int, addr uint64) engine.Walk {
	w := engine.Walk{Addr: addr}
	page := e.Pages(pid, addr, addr+1)
	var p engine.PageInfo
	if len(page) == 1 {
		p = page[0]
	}
	present := p.Bits&engine.PTEPresent != 0
	for i, lvl := range []string{"PGD", "PUD", "PMD", "PTE"} {
		shift := 39 - 9*uint(i)
		l := engine.WalkLevel{Level: lvl, Index: int(addr>>shift) & 511, Present: present}
		if lvl == "PTE" {
			l.PFN = p.PFN
		}
		w.Levels = append(w.Levels, l)
	}
	w.Bits, w.PFN, w.State = p.Flags, p.PFN, p.State.String()
	for _, v := range e.Maps(pid) {
		if addr >= v.Start && addr < v.End {
			v := v
			w.VMA = &v
		}
	}
	w.Note = "real engine: the levels above the PTE are not visible from user space (only their indexes are shown); the PTE comes from /proc/self/pagemap"
	if !e.caps.PFN {
		w.Note += "; frame numbers need CAP_SYS_ADMIN and are not shown here"
	}
	return w
}

// Faults is the fault counts of the accesses made so far
// (engine.FaultCounter).
func (e *Engine) Faults() (minor, major uint64) {
	return e.counters.MinorFaults, e.counters.MajorFaults
}

// State is the program's areas and pages, the host's memory
// (/proc/meminfo) and the session's files with their page-cache residency.
func (e *Engine) State() engine.State {
	s := engine.State{Engine: "real", Clock: e.Now(), Counters: e.counters}
	ps := engine.ProcessState{Pid: e.pid, Exited: e.exited, VMAs: e.Maps(e.pid)}
	for _, v := range ps.VMAs {
		ps.RSS += uint64(v.PresentPages)
	}
	s.Processes = []engine.ProcessState{ps}
	if m := meminfo(); m != nil {
		pg := func(k string) uint64 { return m[k] / 4 }
		s.Memory = engine.MemoryState{
			TotalPages: pg("MemTotal"), FreePages: pg("MemFree"), AnonPages: pg("AnonPages"),
			FilePages: pg("Cached"), PageTablePages: pg("PageTables"),
			SwapPages: pg("SwapTotal"), SwapUsed: pg("SwapTotal") - pg("SwapFree"),
			ActiveAnon: pg("Active(anon)"), InactiveAnon: pg("Inactive(anon)"),
			ActiveFile: pg("Active(file)"), InactiveFile: pg("Inactive(file)"),
		}
	}
	s.Files = e.fileStates()
	s.Notes = append(s.Notes, e.notes...)
	if e.caps.Cachestat {
		for _, f := range s.Files {
			if c, ok := cachestat(filepath.Join(e.rootPath, f.Name)); ok {
				s.Notes = append(s.Notes, fmt.Sprintf("%s: cachestat: %d pages cached, %d dirty, %d under writeback, %d evicted", f.Name, c[0], c[1], c[2], c[3]))
			}
		}
	}
	s.Notes = append(s.Notes, "memory figures are the whole host's, from /proc/meminfo")
	s.Notes = append(s.Notes, e.recordNotes()...)
	return s
}

// recordNotes is the engine's record beside the kernel's areas: which call
// made which range (the kernel may have merged several into one area).
func (e *Engine) recordNotes() []string {
	out := []string{"the engine's record (each mapping call's range; the kernel may merge adjacent ones):"}
	for _, a := range e.rec.areas {
		out = append(out, "  "+a.describe())
	}
	return out
}

// Record is the engine's own record of which call made which range, one
// line per range, in address order.
func (e *Engine) Record() []string {
	var out []string
	for _, a := range e.rec.areas {
		out = append(out, a.describe())
	}
	return out
}

// fileStates lists the session's files with their page-cache residency.
func (e *Engine) fileStates() []engine.FileState {
	ents, err := os.ReadDir(e.rootPath)
	if err != nil {
		return nil
	}
	var out []engine.FileState
	for _, d := range ents {
		if !d.Type().IsRegular() {
			continue
		}
		info, err := d.Info()
		if err != nil {
			continue
		}
		fs := engine.FileState{Name: d.Name(), Size: uint64(info.Size())}
		fs.Pages = residency(filepath.Join(e.rootPath, d.Name()), uint64(info.Size()))
		out = append(out, fs)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// residency is mincore over a private read-only view of the file: which of
// its pages are in the page cache. (The view is the engine's, not the
// program's, and never shown.)
func residency(path string, size uint64) []engine.CachePage {
	if size == 0 || size > 1<<32 {
		return nil
	}
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
	if err != nil {
		return nil
	}
	defer unix.Close(fd)
	m, err := unix.Mmap(fd, 0, int(size), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil
	}
	defer unix.Munmap(m)
	vec := make([]byte, pageUp(size)>>engine.PageShift)
	if _, _, en := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(len(m)), uintptr(unsafe.Pointer(&vec[0]))); en != 0 {
		return nil
	}
	var out []engine.CachePage
	for i, v := range vec {
		if v&1 != 0 {
			out = append(out, engine.CachePage{Index: uint64(i), State: "clean"})
		}
	}
	return out
}

// cachestat asks the kernel (Linux 6.5) how much of a file is cached:
// nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted.
func cachestat(path string) ([5]uint64, bool) {
	var out [5]uint64
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
	if err != nil {
		return out, false
	}
	defer unix.Close(fd)
	rng := [2]uint64{0, 0} // the whole file
	_, _, en := unix.Syscall6(unix.SYS_CACHESTAT, uintptr(fd), uintptr(unsafe.Pointer(&rng[0])), uintptr(unsafe.Pointer(&out[0])), 0, 0, 0)
	return out, en == 0
}
