// Package sim is the simulated kernel: a deterministic model of Linux x86-64
// memory management, small enough to read and fast enough to run a program
// that touches a gigabyte page by page.
//
// It models the structures the seeds talk about, named as Linux names them:
//
//	process (task_struct)          mm.go
//	  mm (mm_struct)
//	    vmas []*vma  ───────────────▶ vm_area_struct: [start,end) flags pgoff file   vma.go
//	    pgd ─▶ PUD ─▶ PMD ─▶ PTE table ─▶ pfn     four levels, 9 bits each    pagetable.go
//	  fds []*file ─▶ inode ─▶ address_space (page cache: index ─▶ pfn)      files.go pagecache.go
//	physmem: frames (struct page) in pointer-free segments: refcount,   frames.go
//	  mapcount, LRU links; contents in a slab store, 64-byte chunks, sparse
//	  rmap: frame ─▶ the PTEs mapping it, through the areas (i_mmap, anon_vma) rmap.go
//	reclaim and swap (vmscan), the flusher (writeback), fork, devices     reclaim.go writeback.go fork.go devices.go
//	/proc and /sys, written from this state at each read            procfs.go proc_pid_*.go proc_sys.go thp.go
//
// Before and after copy-on-write, drawn as gVisor's mm README draws it:
//
//	VMA: 0x7ffff7ffe000 -> data.bin:0x0 (private)   PTE: 0x7ffff7ffe000 -> pfn 0x1234 (file page, r--)
//	store to 0x7ffff7ffe000: do_wp_page -> wp_page_copy
//	VMA: 0x7ffff7ffe000 -> data.bin:0x0 (private)   PTE: 0x7ffff7ffe000 -> pfn 0x1300 (anon copy, rw-, dirty)
//
// Where kernels differ, the difference is a setting (engine.Options):
// fault-around (16 pages, folio sizes aside), readahead (read_ahead_kb/4),
// and the zero page (a kernel booted with pvm_no_zero_page=1 has none).
// kernel_test.go compiles testdata/kernel/facts.c, runs it on this machine
// and holds the model to what it prints.
//
// The process is laid out as this machine lays out a gcc-built PIE with
// glibc 2.36 under setarch -R (layout.go), so addresses match a native run.
//
// Transparent huge pages are modelled for anonymous private memory
// (thp.go): a PMD leaf, split to PTEs by any PTE-level change.
//
// Userfaultfd is modelled as the playground's unprivileged user has it
// (userfaultfd.go, userfaultfd_mm.go), but for its non-cooperative events
// (fork, which needs CAP_SYS_PTRACE, remap, remove, unmap) and
// UFFDIO_POISON.
//
// Not modelled: large folios in the page cache and shmem THPs, NUMA,
// KSM, memory cgroups, RLIMIT_MEMLOCK and RLIMIT_AS, hugetlbfs,
// O_DIRECT, and read()'s readahead ramp-up (a miss reads a fixed window).
//
// Every change is told as an engine.Event stamped with the logical clock;
// nothing depends on wall time or on Go's map order, so the same calls give
// the same events byte for byte. The Engine is used from one goroutine at a
// time (engine.Engine's contract), so nothing here is locked.
package sim

import (
	"sort"

	"github.com/mmapplayground/playground/internal/engine"
)

// Logical costs, in nanoseconds of the logical clock. They are rough orders
// of magnitude of a modern x86-64 machine, chosen so that the writeback
// timers of seed 000 (seconds) and a program's work (micro- and
// milliseconds) can be seen on one time line.
const (
	costSyscall    = 100
	costMinorFault = 250
	costDiskRead   = 100_000 // a page read from disk or swap
	costDiskWrite  = 20_000
	// costStep is one step of the interpreter's (a bytecode instruction:
	// a C operator, a fused loop test) run on the CPU: 1 ns, where gcc's
	// -O0 build of a loop of "s += j" takes 1.5 ns an iteration on this
	// machine and the interpreter 2 to 3 steps.
	costStep = 1
	// costSeqShow is a /proc file's ->show of one record (seq_read_iter):
	// a pread of /proc/uptime takes 3 us on this machine, of /dev/zero
	// 0.5 to 1 us.
	costSeqShow = 2_000
	// costWakeup is how long a sleeper a signal wakes takes to run again
	// (try_to_wake_up, the switch to it): 50 us, the default
	// timer_slack_ns (natively a sleep(3) that alarm(1) ends has 1.995 s
	// left here), so what is left of an interrupted sleep is under its
	// whole seconds, as natively.
	costWakeup = 50_000
)

// Layout of a new process, as Linux x86-64 without address randomisation
// (setarch -R) places it.
const (
	imageBase   = 0x555555554000
	stackTop    = 0x7ffffffff000
	stackInit   = 132 << 10 // the first [stack] area
	mmapBase    = 0x7ffff7fff000
	mmapMinAddr = 0x1000 // vm.mmap_min_addr, as on this machine (many distributions set 64 KiB)
	firstPid    = 1000
	// stackGuardGap is stack_guard_gap: 256 pages kept free below a
	// VM_GROWSDOWN area.
	stackGuardGap = 256 << engine.PageShift
)

// Engine is the simulated kernel. Create it with New.
type Engine struct {
	opts  engine.Options
	clock uint64
	// randPos is how many bytes the random generator has given
	// (devices.go): its whole state, beside its fixed key.
	randPos uint64
	// bootNS is the wall clock at boot (Options.BootTime), in
	// nanoseconds: CLOCK_REALTIME less the logical clock (time.go).
	bootNS uint64
	sink   engine.Sink
	ev     engine.Event // the event being built; the sink must copy it
	cnt    engine.Counters

	procs   []*process // by pid
	nextPid int
	// nextFileID numbers the open files and descriptor tables that own
	// OFD locks or that kcmp compares (locks.go, kcmp.go).
	nextFileID uint64

	mem  physmem
	fs   filesystem
	swap swapdev

	// nextFlush is when the flusher thread next wakes (writeback.go).
	nextFlush uint64
	// anonVMAs numbers anon_vma structures, so merges can compare them.
	anonVMAs uint64
	// tlbGen changes whenever any PTE changes, invalidating the software
	// TLB of every process (Load/Store's last-page cache).
	tlbGen uint64
	// inFlush says the flusher thread is running: its writeback advances
	// the clock, and a clock passing the flusher's timer must not start a
	// second one inside the first. The flusher's state, not a parameter.
	inFlush bool
	// lastProc caches proc's answer.
	lastProc *process
	// ns are the namespaces (nsproxy.go); forked is the child the clone
	// call in progress made.
	ns     nsState
	forked *process
	// iobuf is read's and write's scratch (ioChunk at most).
	iobuf []byte
	// stop, when set, says the run is being ended: long system calls
	// return what they have done so far, as a fatal signal makes them.
	stop func() bool
	// onGrow and grewSig: SetGrow's hook and what the engine held when it
	// was last called.
	onGrow  func()
	grewSig uint64
}

// SetStop sets what long system calls ask, between chunks of their work,
// to learn that the run is being ended (its context is done): a read of a
// gigabyte then returns what it has read so far, as Linux's does when a
// fatal signal is pending.
func (e *Engine) SetStop(stop func() bool) { e.stop = stop }

func (e *Engine) stopped() bool {
	e.noteGrowth()
	return e.stop != nil && e.stop()
}

// SetGrow sets what is called when the engine's host memory has grown
// (by a slab of page contents, a segment of the frame table, pages on
// disk): the runner then holds HostBytes to the run's budget, and ends the
// run (through the stop hook) when it is passed.
func (e *Engine) SetGrow(grow func()) { e.onGrow = grow }

// noteGrowth calls the grow hook when the engine holds more than when it
// last did; it is called after each store and system call and between the
// chunks of a long one, and costs a few additions.
func (e *Engine) noteGrowth() {
	if e.onGrow == nil {
		return
	}
	sig := uint64(len(e.mem.segs))<<32 + uint64(len(e.mem.tables))>>4 + e.fs.diskPages>>4
	for i := range e.mem.store.class {
		sig += uint64(len(e.mem.store.class[i].segs)) << 8
	}
	if sig != e.grewSig {
		e.grewSig = sig
		e.onGrow()
	}
}

var (
	_ engine.Engine       = (*Engine)(nil)
	_ engine.Snapshotter  = (*Engine)(nil)
	_ engine.Stepper      = (*Engine)(nil)
	_ engine.FaultCounter = (*Engine)(nil)
)

// New returns a simulated kernel with opts (zero fields take the defaults).
func New(opts engine.Options) *Engine {
	opts = opts.WithDefaults()
	opts.WritebackInterval = max(opts.WritebackInterval, engine.MinWritebackInterval)
	e := &Engine{opts: opts, nextPid: firstPid, bootNS: uint64(opts.BootTime) * 1e9}
	e.mem.init(opts.RAM)
	e.swap.init(opts.Swap)
	e.fs.init(e)
	e.nextFlush = opts.WritebackInterval
	return e
}

// Name is "sim".
func (e *Engine) Name() string { return "sim" }

// Now is the logical clock.
func (e *Engine) Now() uint64 { return e.clock }

// SetSink sets where events go.
func (e *Engine) SetSink(s engine.Sink) { e.sink = s }

// Close releases everything.
func (e *Engine) Close() error {
	e.procs = nil
	e.mem = physmem{}
	e.fs = filesystem{}
	return nil
}

// advance moves the logical clock and lets the flusher run when its timer
// has expired.
func (e *Engine) advance(ns uint64) {
	e.clock = clockAdd(e.clock, ns)
	if e.clock >= e.nextFlush {
		e.flusherWake()
	}
}

// Stepped is the CPU's running the program for steps of the interpreter's:
// the clocks move on by their time (engine.Stepper).
func (e *Engine) Stepped(steps uint64) {
	if steps > clockMax/costStep {
		steps = clockMax / costStep
	}
	e.advance(steps * costStep)
}

// proc finds a process (the last one asked for is cached: the
// interpreter's loads and stores come from one process at a time).
func (e *Engine) proc(pid int) *process {
	if p := e.lastProc; p != nil && p.pid == pid && !p.reaped {
		return p
	}
	i := sort.Search(len(e.procs), func(i int) bool { return e.procs[i].pid >= pid })
	if i < len(e.procs) && e.procs[i].pid == pid {
		e.lastProc = e.procs[i]
		return e.procs[i]
	}
	return nil
}

// Faults is the run's fault counts so far (engine.FaultCounter).
func (e *Engine) Faults() (minor, major uint64) { return e.cnt.MinorFaults, e.cnt.MajorFaults }

// State is the whole engine's state for the views.
func (e *Engine) State() engine.State {
	st := engine.State{Engine: "sim", Clock: e.clock, Counters: e.cnt}
	for _, p := range e.procs {
		ps := engine.ProcessState{Pid: p.pid, Parent: p.ppid, Exited: p.exited, Tables: map[string]int{}}
		if p.mm != nil {
			ps.VMAs = e.maps(p)
			ps.RSS = p.mm.rss
			for lvl := 1; lvl < 4; lvl++ {
				ps.Tables[levelNames[lvl]] = p.mm.tables[lvl]
			}
		}
		st.Processes = append(st.Processes, ps)
	}
	st.Memory = e.memoryState()
	if len(st.Memory.Frames) == maxStateFrames {
		st.Notes = append(st.Notes, "memory.frames lists the first "+itoa(maxStateFrames)+" frames only")
	}
	st.Files = e.fs.state(e)
	return st
}
