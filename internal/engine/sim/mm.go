package sim

import (
	"sort"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// process is a task, analogous to task_struct: a pid, a parent, an address
// space and open files.
type process struct {
	pid, ppid int
	comm      string // the program's name (task->comm), as status shows it
	exe       string // the program's file, as /proc/PID/exe links to it
	kthread   bool   // a kernel thread (kthread.go): no mm, status' Kthread: 1
	pidfs     *inode // the inode its pidfds share (pidfd.go), once one is made
	mm        *mm
	files     *filesStruct // the descriptors (fdtable.go); nil once exited
	exited    bool         // a zombie: exited, not yet reaped
	status    int          // wait status as wait4 reports it
	reaped    bool
	sys       taskSys // ids, limits, futex wait (sys.go)
	// userDumpable is task->user_dumpable: its mm was SUID_DUMP_USER when
	// it exited (exit_mm), which ptrace_may_access asks of a zombie.
	userDumpable bool
	// pt is its ptrace state as a tracee (ptrace.go).
	pt ptraceState
	// pending and sharedPending are its thread's and its group's queued
	// signals (sigqueue.go).
	pending, sharedPending sigPending
}

// mm is an address space, analogous to struct mm_struct.
type mm struct {
	vmas     []*vma // sorted by start, never overlapping (mm->mm_mt)
	pgd      *ptable
	tables   [4]int // page-table pages by level
	rss      uint64 // present PTEs
	startBrk uint64
	brk      uint64
	mmapBase uint64
	stackTop uint64
	// sysinfoEhdr is the auxiliary vector's AT_SYSINFO_EHDR: where exec
	// mapped the vDSO (vdso.go), 0 when it mapped none.
	sysinfoEhdr uint64
	// libcBase and ldsoBase are where ld.so mapped libc and itself (their
	// link_maps' l_addr: elfhdr.go), 0 for a static program.
	libcBase, ldsoBase uint64
	// startCode and endCode are mm->start_code and end_code: the
	// program's text as exec loaded it, which no unmap changes (statm's
	// text, status's VmExe).
	startCode, endCode uint64
	// stackLimit is the lowest address [stack] may grow to.
	stackLimit uint64
	// defFlags is mm->def_flags: VM_LOCKED after mlockall(MCL_FUTURE).
	defFlags uint64
	lockedVM uint64 // pages in VM_LOCKED areas
	// membarrier is mm->membarrier_state: the registrations of
	// membarrier.go.
	membarrier uint32
	// mdwe is mm->flags' MMF_HAS_MDWE and MMF_HAS_MDWE_NO_INHERIT, as
	// PR_SET_MDWE's bits (prctl.go): mmap and mprotect refuse what
	// mapDenyWriteExec denies.
	mdwe int64
	// dumpable is mm->flags' MMF_DUMPABLE bits (get_dumpable): SUID_DUMP_USER
	// from exec, what PR_SET_DUMPABLE sets (prctl.go); ptrace_may_access
	// refuses another process's access to an mm not SUID_DUMP_USER.
	dumpable int
	// hiwaterVM and hiwaterRSS are the sizes in pages before the last
	// unmap (update_hiwater_vm, update_hiwater_rss): VmPeak and VmHWM.
	// hiwaterRSS counts present PTEs, the zero page's too.
	hiwaterVM, hiwaterRSS uint64
	// loaderRanges are the ranges execve and the loader mapped (the areas
	// marked loader), adjacent ones joined.
	loaderRanges [][2]uint64

	// freeCache and holeAbove are get_unmapped_area's search hint: the
	// last area placed top-down, and the largest hole left above it.
	freeCache uint64
	holeAbove uint64

	lastVMA   *vma
	lastPT    *ptable
	lastPTKey uint64
	// tlb is the software TLB: the last page a Load/Store reached without
	// a fault, valid while gen equals the engine's tlbGen.
	tlb struct {
		vpn   uint64
		gen   uint64
		frame int32
		write bool
	}
}

func (e *Engine) newMM() *mm {
	m := &mm{mmapBase: mmapBase, stackTop: stackTop, stackLimit: stackTop - e.opts.StackLimit, dumpable: suidDumpUser}
	m.pgd = e.newTable(nil, lvlPGD, 0)
	if m.pgd == nil {
		return nil // no memory for the page directory
	}
	m.tables[lvlPGD] = 1
	m.tlb.gen = ^uint64(0)
	return m
}

// updateHiwater records the sizes before an unmap (update_hiwater_vm and
// update_hiwater_rss).
func (m *mm) updateHiwater() {
	var total uint64
	for _, v := range m.vmas {
		total += v.pages()
	}
	m.hiwaterVM = max(m.hiwaterVM, total)
	m.hiwaterRSS = max(m.hiwaterRSS, m.rss)
}

func pageAlign(x uint64) uint64 { return (x + engine.PageMask) &^ engine.PageMask }

// Exec creates the program's first process from img, as execve and the ELF
// loader would: rodata (r--p) then data and bss (rw-p), both private
// mappings of the program file, an empty [heap] at the break, and a
// 132 KiB [stack] that grows down on faults.
func (e *Engine) Exec(img engine.Image) (engine.Process, error) {
	pid := e.nextPid
	e.nextPid++
	p := &process{pid: pid, sys: e.initTask(pid)}
	p.mm = e.newMM()
	if p.mm == nil {
		return engine.Process{}, engine.ENOMEM
	}
	e.procs = append(e.procs, p)
	sort.Slice(e.procs, func(i, j int) bool { return e.procs[i].pid < e.procs[j].pid })
	p.files = newFiles([]*file{e.fs.tty(engine.O_RDONLY), e.fs.tty(engine.O_WRONLY), e.fs.tty(engine.O_WRONLY)})

	name := img.Name
	if name == "" {
		name = "prog"
	}
	p.comm = name[:min(len(name), 15)] // TASK_COMM_LEN - 1
	if path := e.opts.ProgramPath; path != "" {
		// The file's path as the run sets it (Options.ProgramPath);
		// comm is its last element, as __set_task_comm takes it.
		name = path
		base := path[strings.LastIndexByte(path, '/')+1:]
		p.comm = base[:min(len(base), 15)]
	}
	p.exe = name
	// atMain are the pages the loader makes present before main
	// (layout.go), mapped once the exec has been told.
	rodata, data, brk, atMain, errno := e.mapImage(p, img, name)
	if errno != 0 {
		return engine.Process{}, errno
	}
	if l := libLayouts[e.opts.Libc]; l != nil {
		atMain = append(atMain, e.mapLibc(p, l)...)
	}
	p.mm.startBrk = brk
	p.mm.brk = brk
	for _, v := range p.mm.vmas {
		if r := p.mm.loaderRanges; len(r) > 0 && r[len(r)-1][1] == v.start {
			r[len(r)-1][1] = v.end
		} else {
			p.mm.loaderRanges = append(r, [2]uint64{v.start, v.end})
		}
	}
	stack := &vma{start: stackTop - stackInit, end: stackTop, name: "[stack]", loader: true,
		flags: vmRead | vmWrite | vmMayRead | vmMayWrite | vmMayExec | vmGrowsDown | vmAccount}
	stack.pgoff = stack.start >> engine.PageShift
	p.mm.insert(stack)
	if e.opts.Libc != "none" {
		// The top two pages: argv, the environment and the auxiliary
		// vector, and the start-up code's frames down to main.
		atMain = append(atMain, resident{stack, [][2]uint64{{stackInit>>engine.PageShift - 2, 2}}})
	}

	e.advance(costSyscall)
	if e.sink != nil {
		ev := e.newEvent(engine.EvExec, pid)
		ev.Name = name
		ev.Path = pathExec
		e.emit(ev)
		for _, v := range p.mm.vmas {
			e.emitVMA(p, "add", "exec", v, nil)
		}
	}
	// Then what the loader and libc's start-up touch before main.
	for _, r := range atMain {
		e.residentAtMain(p, r)
	}
	return engine.Process{Pid: pid, RodataAddr: rodata, DataAddr: data, Brk: p.mm.brk,
		StackTop: stackTop, StackLimit: p.mm.stackLimit}, nil
}

var pathExec = []string{"do_execve", "load_elf_binary", "setup_arg_pages"}

// brk is sys_brk: move the break, growing or shrinking [heap]. It returns
// the new break, or the old one when the request fails, as the kernel does.
func (e *Engine) brk(p *process, addr uint64) (uint64, []string) {
	mm := p.mm
	path := []string{"sys_brk"}
	if addr < mm.startBrk {
		return mm.brk, path
	}
	newEnd, oldEnd := pageAlign(addr), pageAlign(mm.brk)
	switch {
	case newEnd == oldEnd:
	case newEnd < oldEnd:
		path = append(path, "do_vmi_munmap")
		e.unmapRange(p, newEnd, oldEnd, "brk")
	default:
		if mm.findIntersection(oldEnd, newEnd) != nil {
			return mm.brk, path
		}
		path = append(path, "do_brk_flags")
		var heap *vma
		if oldEnd > mm.startBrk {
			if v := mm.findVMA(oldEnd - 1); v != nil && v.name == "[heap]" && v.end == oldEnd {
				heap = v
			}
		}
		if heap != nil {
			old := e.snapVMA(p, heap)
			heap.end = newEnd
			e.emitVMA(p, "change", "brk", heap, old)
		} else {
			heap = &vma{start: oldEnd, end: newEnd, name: "[heap]", pgoff: oldEnd >> engine.PageShift,
				flags: vmRead | vmWrite | vmMayRead | vmMayWrite | vmMayExec | vmAccount | mm.defFlags}
			mm.insert(heap)
			e.emitVMA(p, "add", "brk", heap, nil)
		}
	}
	mm.brk = addr
	return addr, path
}

// exitMM tears an address space down (exit_mmap).
func (e *Engine) exitMM(p *process) {
	if p.mm == nil {
		return
	}
	if len(p.mm.vmas) > 0 {
		e.unmapRange(p, 0, engine.TaskSize, "exit")
	}
	e.freeEmptyTables(p, 0, engine.TaskSize)
	pg := p.mm.pgd
	m := &e.mem
	last := m.tables[len(m.tables)-1]
	pos := m.f(pg.frame).blk
	m.tables[pos] = last
	m.f(last.frame).blk = pos
	m.tables = m.tables[:len(m.tables)-1]
	m.f(pg.frame).ref = 0
	m.release(pg.frame)
	p.mm = nil
}

// Terminate ends pid as exit_group(status) or death by sig does.
func (e *Engine) Terminate(pid int, status, sig int) {
	p := e.proc(pid)
	if p == nil || p.exited {
		return
	}
	e.exit(p, status, sig)
}

func (e *Engine) exit(p *process, status, sig int) {
	e.exitPidNS(p) // pid_namespace.go
	e.exitPtrace(p)
	e.putFiles(p)
	p.userDumpable = p.mm != nil && p.mm.dumpable == suidDumpUser
	e.exitMM(p)
	p.exited = true
	if sig != 0 {
		p.status = sig & 0x7f
	} else {
		p.status = (status & 0xff) << 8
	}
	// Orphans are reparented to init and reaped by it at once.
	for _, c := range e.procs {
		if c.ppid == p.pid {
			c.ppid = 0
			if c.exited {
				c.reaped = true
			}
		}
	}
	if p.ppid == 0 {
		p.reaped = true
	}
	if e.sink != nil {
		ev := e.newEvent(engine.EvProcess, p.pid)
		ev.Op = "exit"
		ev.Status = status
		ev.Signal = engine.SignalName(sig)
		e.emit(ev)
	}
	e.dropReaped()
}

// dropReaped forgets reaped processes.
func (e *Engine) dropReaped() {
	out := e.procs[:0]
	for _, p := range e.procs {
		if !p.reaped {
			out = append(out, p)
		}
	}
	for i := len(out); i < len(e.procs); i++ {
		e.procs[i] = nil
	}
	e.procs = out
}

// totalVM is mm->total_vm: the pages of every area.
func (m *mm) totalVM() uint64 {
	var n uint64
	for _, v := range m.vmas {
		n += v.pages()
	}
	return n
}
