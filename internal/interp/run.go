package interp

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/mmapplayground/playground/internal/engine"
)

// machine is one run: the processes, the scheduler and the limits.
type machine struct {
	ctx      context.Context
	prog     *Program
	eng      engine.Engine
	sink     engine.Sink
	cfg      Config
	procs    []*proc
	mainPid  int
	steps    uint64
	maxSteps uint64
	// stepper is the engine told the steps run (engine.Stepper), nil
	// when its clock moves by itself; told is the step count it was last
	// told of (steps-budget then).
	stepper engine.Stepper
	told    uint64
	// timers is the engine that keeps the interval timers, whose
	// signals the interpreter delivers (engine.Timers); nil for one that
	// signals by itself.
	timers engine.Timers
	// faults is the engine's fault counts (engine.FaultCounter), charged
	// to the thread that ran after each turn; nil for one that tells them
	// only in its State, which getrusage alone asks (the faults since are
	// the caller's). charged is the minor and major counts when they were
	// last charged to a thread (chargeFaults).
	faults   engine.FaultCounter
	charged  [2]uint64
	budget   int
	maxDepth int
	maxOut   int
	terminal bool // Config.Terminal
	output   int
	line     int32
	col      int32
	scratch  [8]byte
	big      []byte
	tlb      softTLB

	aborted  bool
	errMsg   string
	mainDone bool
	mainExit Exit
	exitVMAs []engine.VMA
	haveVMAs bool
	// lib is the C library's own state for the run (libstate.go).
	lib libState
	// threads is the threads' futex queues and barriers (threads.go).
	threads threadState
	// uctxs are the contexts getcontext and makecontext saved, by their
	// ucontext_t's address; stackRegs each stack's latest registers
	// (ucontext.go).
	uctxs     map[futexKey]*uctx
	stackRegs map[int][]int64
	nextStack int
}

func newMachine(ctx context.Context, p *Program, eng engine.Engine, cfg Config, sink engine.Sink) *machine {
	m := &machine{ctx: ctx, prog: p, eng: eng, sink: sink, cfg: cfg, budget: stepChunk}
	m.tlb.init(eng)
	m.stepper, _ = eng.(engine.Stepper)
	m.timers, _ = eng.(engine.Timers)
	m.faults, _ = eng.(engine.FaultCounter)
	m.told = m.steps - uint64(m.budget)
	m.maxSteps = cfg.MaxSteps
	if m.maxSteps == 0 {
		m.maxSteps = DefaultMaxSteps
	}
	m.maxDepth = cfg.MaxCallDepth
	if m.maxDepth == 0 {
		m.maxDepth = DefaultMaxCallDepth
	}
	m.maxOut = cfg.MaxOutput
	m.terminal = cfg.Terminal
	if m.maxOut == 0 {
		m.maxOut = DefaultMaxOutput
	}
	// A long system call (a read of a gigabyte) stops between chunks when
	// the run is ending.
	if st, ok := eng.(interface{ SetStop(func() bool) }); ok {
		st.SetStop(func() bool { return ctx.Err() != nil })
	}
	eng.SetSink(func(e *engine.Event) {
		if e.Line == 0 {
			e.Line, e.Col = int(m.line), int(m.col)
		}
		m.sink(e)
	})
	return m
}

// tellSteps tells an engine whose clock is the model's the steps run since
// it was last told, so that its clock has moved with the program's work
// when the program makes a system call or reads a clock. The count is the
// steps the program ran, so the time a run sees is the same on every run.
func (m *machine) tellSteps() {
	if m.stepper == nil {
		return
	}
	if now := m.steps - uint64(m.budget); now != m.told {
		m.stepper.Stepped(now - m.told)
		m.told = now
		m.fireTimers()
	}
}

// fireTimers sends each process the signals of its interval timers that
// have expired by the engine's clock (it_real_fn's kill_pid_info: a
// process-directed signal, SI_KERNEL), to be delivered as a signal sent
// by another process is.
func (m *machine) fireTimers() {
	if m.timers == nil {
		return
	}
	for _, q := range m.procs {
		if q.gone() {
			continue // a process's threads share its timers: the first asks
		}
		for sig := m.timers.Expired(q.pid); sig != 0; sig = m.timers.Expired(q.pid) {
			m.send(q, sig, engine.SI_KERNEL, true)
		}
	}
}

// syscall is the engine's system call, at the time the program's steps
// have brought its clock to; a timer that expired meanwhile (a sleep, a
// pause) signals after it.
func (m *machine) syscall(pid int, c engine.Call) engine.Result {
	m.tellSteps()
	r := m.eng.Syscall(pid, c)
	m.fireTimers()
	return r
}

// now is the engine's clock, moved on by the program's steps.
func (m *machine) now() uint64 {
	m.tellSteps()
	return m.eng.Now()
}

// emit sends one of the interpreter's own events.
func (m *machine) emit(e *engine.Event) {
	e.Time = m.now()
	if e.Line == 0 && e.Type != engine.EvExit {
		e.Line, e.Col = int(m.line), int(m.col)
	}
	m.sink(e)
}

// abort ends the run with an error event; the exit event follows.
func (m *machine) abort(format string, args ...any) {
	if m.aborted {
		return
	}
	m.aborted = true
	m.errMsg = fmt.Sprintf(format, args...)
	m.emit(&engine.Event{Type: engine.EvError, Message: m.errMsg, Line: int(m.line), Col: int(m.col)})
}

// refill is called every stepChunk instructions: the step limit, the
// context, and the runner's Yield.
func (m *machine) refill(in *instr) bool {
	m.steps += stepChunk
	m.budget = stepChunk
	if in.line != 0 {
		m.line, m.col = in.line, in.col
	}
	m.tellSteps() // the clock moves with a loop that makes no call, and its timers expire
	if m.steps > m.maxSteps {
		m.abort("step limit exceeded (%d steps)", m.maxSteps)
		return false
	}
	if err := m.ctx.Err(); err != nil {
		m.abortCtx(err)
		return false
	}
	if m.cfg.Yield != nil {
		m.cfg.Yield()
	}
	return true
}

// abortCtx ends the run whose context is done, saying why: the time
// limit, or the cause the context was cancelled with (a memory budget
// names itself), or a plain cancel (the client went, the session ended).
func (m *machine) abortCtx(err error) {
	cause := context.Cause(m.ctx)
	switch {
	case err == context.DeadlineExceeded && (cause == nil || cause == err):
		m.abort("time limit exceeded")
	case cause != nil && cause != context.Canceled && cause != context.DeadlineExceeded:
		m.abort("%v", cause)
	default:
		m.abort("run cancelled")
	}
}

// bytesPerStep is what a builtin that moves memory (memset, memcpy, read,
// write) counts as one step: a cache line.
const bytesPerStep = 64

// work counts n bytes a builtin moves as steps and checks the step limit
// and the context, as refill does between instructions, so that a loop of
// 256 MiB memsets ends at its limits like any other loop. False when the
// run must end (it has been aborted).
func (m *machine) work(n uint64) bool {
	if m.aborted {
		return false
	}
	m.steps += n / bytesPerStep
	if m.steps > m.maxSteps {
		m.abort("step limit exceeded (%d steps)", m.maxSteps)
		return false
	}
	if err := m.ctx.Err(); err != nil {
		m.abortCtx(err)
		return false
	}
	return true
}

// start loads the image and sets up main's frame with argc and argv.
func (m *machine) start() {
	img := m.prog.img
	data := append([]byte(nil), img.data...)
	for len(data)%16 != 0 {
		data = append(data, 0)
	}
	name := m.prog.name
	pr, err := m.eng.Exec(engine.Image{Name: trimC(name), Rodata: img.rodata, Data: data, Bss: uint64(img.bss)})
	if err != nil {
		m.abort("exec: %v", err)
		return
	}
	p := &proc{process: &process{pid: pr.Pid}, rodata: pr.RodataAddr, data: pr.DataAddr, bss: pr.DataAddr + uint64(len(data)),
		sp: pr.StackTop, lo: pr.StackLimit}
	p.heap.init(pr.Brk)
	m.mainPid = p.pid
	m.procs = append(m.procs, p)
	// Pointers in initialized globals.
	for _, r := range img.relocs {
		var v uint64
		switch {
		case r.rodata:
			v = p.rodata + uint64(r.target)
		case r.target >= 0:
			v = p.data + uint64(r.target)
		default:
			v = p.bss + uint64(-1-r.target)
		}
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], v)
		if err := m.eng.Store(p.pid, p.data+uint64(r.off), b[:]); err != nil {
			m.abort("relocation: %v", err)
			return
		}
	}
	// argv: the strings at the top of the stack, then the pointer array.
	args := append([]string{"./" + trimC(name)}, m.cfg.Args...)
	sp := p.sp - 8
	ptrs := make([]uint64, len(args))
	for i := len(args) - 1; i >= 0; i-- {
		sp -= uint64(len(args[i]) + 1)
		ptrs[i] = sp
		if err := m.eng.Store(p.pid, sp, append([]byte(args[i]), 0)); err != nil {
			m.abort("argv: %v", err)
			return
		}
	}
	sp &^= 15
	sp -= uint64(8 * (len(args) + 1))
	sp &^= 15
	argv := sp
	buf := make([]byte, 8*(len(args)+1))
	for i, a := range ptrs {
		binary.LittleEndian.PutUint64(buf[8*i:], a)
	}
	if err := m.eng.Store(p.pid, argv, buf); err != nil {
		m.abort("argv: %v", err)
		return
	}
	p.sp = sp
	mf := img.main
	p.regs = make([]int64, 256+mf.nslots())
	copy(p.regs[mf.nregs:], mf.consts)
	if mf.nparams >= 1 {
		p.regs[0] = int64(len(args))
	}
	if mf.nparams >= 2 {
		p.regs[1] = int64(argv)
	}
	if mf.nparams >= 3 {
		// envp follows argv's NULL, as on Linux; the environment is empty.
		p.regs[2] = int64(argv) + int64(8*len(args))
	}
	p.frames = []frame{{fn: mf, fp: p.sp - 16, sp: p.sp, dst: 0}}
	p.sp -= 16 + uint64(mf.frame)
	// Constructors run first, as the loader's .init_array: their frames
	// go above main's, the first to run on top, each returning into the
	// next and the last into main's first instruction.
	base := mf.nslots()
	for i := len(img.ctors) - 1; i >= 0; i-- {
		f := img.ctors[i]
		need := base + f.nslots()
		if need > len(p.regs) {
			nr := make([]int64, need*2)
			copy(nr, p.regs)
			p.regs = nr
		}
		copy(p.regs[base+f.nregs:need], f.consts)
		p.frames = append(p.frames, frame{fn: f, base: base, fp: p.sp - 16, sp: p.sp, dst: -1})
		p.sp -= 16 + uint64(f.frame)
		base = need
	}
}

func trimC(name string) string {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '/' {
			name = name[i+1:]
			break
		}
	}
	if len(name) > 2 && name[len(name)-2:] == ".c" {
		return name[:len(name)-2]
	}
	return name
}

// schedule runs the processes and their threads deterministically: the
// current one until it ends, blocks (wait4, a futex, a join...) or has used
// its time slice, then the next runnable one in creation order. A thread
// that only asked again for what it waits for (one step) has not moved;
// when none can move, time passes (threads.go's timeout), or the run is
// deadlocked.
func (m *machine) schedule() {
	cur := 0
	for !m.aborted {
		n := len(m.procs)
		progressed := false
		for k := 0; k < n && !m.aborted; k++ {
			i := (cur + k) % n
			p := m.procs[i]
			if !p.gone() && m.dyingProc(p) {
				progressed, cur = true, 0
				break
			}
			if p.gone() || !p.runnable() || m.stoppedProc(p) {
				continue
			}
			m.takeQueued(p)
			before := m.steps - uint64(m.budget)
			res := m.exec(p)
			if m.faults != nil {
				m.chargeFaults(p)
			}
			if res == resAbort {
				return
			}
			handedOver := false
			if p.faultWait {
				// Its fault sleeps (a userfaultfd's): it waits as a
				// blocked call does, at the faulting instruction.
				p.faultWait = false
				res = resBlock
				handedOver = !p.faultSlept
				p.faultSlept = true
			} else {
				p.faultSlept = false
			}
			if res == resBlock && !handedOver && m.steps-uint64(m.budget)-before <= 1 && len(m.procs) == n {
				continue // it asked again and still waits
			}
			progressed = true
			if res == resBlock {
				// Someone else must run: continue with the next process.
				cur = (i + 1) % n
				if len(m.procs) != n {
					cur = 0
				}
				break
			}
			// Exited: start over from the lowest pid still running.
			cur = 0
			break
		}
		if !progressed {
			alive := false
			for _, p := range m.procs {
				if !p.gone() {
					alive = true
				}
			}
			if !alive {
				return
			}
			if m.timeout() {
				cur = 0
				continue
			}
			m.abort("deadlock: every process is waiting")
			return
		}
	}
}

// finish tears down what is left and sends the exit event.
func (m *machine) finish() Exit {
	ex := m.mainExit
	if m.aborted {
		if m.mainDone {
			// main had ended; a limit stopped the processes it left.
			ex.Err = m.errMsg
		} else {
			ex = Exit{Status: 128 + engine.SIGKILL, Signal: engine.SIGKILL, Err: m.errMsg}
		}
	}
	if !m.haveVMAs && m.mainPid != 0 {
		m.exitVMAs = m.eng.Maps(m.mainPid)
	}
	for _, p := range m.procs {
		if !p.exited {
			p.exited = true
			if m.aborted {
				m.eng.Terminate(p.pid, 0, engine.SIGKILL)
			} else {
				m.eng.Terminate(p.pid, 0, 0)
			}
		}
	}
	st := m.eng.State()
	ev := &engine.Event{Type: engine.EvExit, Pid: m.mainPid, Status: ex.Status, Signal: engine.SignalName(ex.Signal),
		VMAs: m.exitVMAs, Counters: &st.Counters, Message: ex.Err}
	if ev.VMAs == nil {
		ev.VMAs = []engine.VMA{}
	}
	m.emit(ev)
	return ex
}

// fault ends p with the signal a memory access raised.
func (m *machine) fault(p *proc, err error) {
	if err == engine.ErrFaultWait {
		p.faultWait = true // the caller returns; schedule sees a blocked thread
		return
	}
	if sig, ok := err.(*engine.Signal); ok {
		m.kill(p, sig)
		return
	}
	m.abort("memory access: %v", err)
}

// kill ends p by a signal: the signal event, then the engine tears it down.
func (m *machine) kill(p *proc, sig *engine.Signal) {
	if m.traceStop(p, sig) || m.deliver(p, sig) {
		return
	}
	m.killHard(p, sig)
}

// killHard ends p by a signal no handler may catch (abort's SIGABRT after
// its handler, SIGKILL).
func (m *machine) killHard(p *proc, sig *engine.Signal) {
	m.emit(&engine.Event{Type: engine.EvSignal, Pid: p.pid, Signal: engine.SignalName(sig.Signo), Code: sig.CodeName(),
		Addr: sig.Addr, Text: engine.SignalDescription(sig.Signo)})
	m.die(p, sig)
}

// die ends p's process by sig, whose signal event is told.
func (m *machine) die(p *proc, sig *engine.Signal) {
	p.exited = true
	p.signal = sig.Signo
	p.status = 128 + sig.Signo
	if p.pid == m.mainPid {
		m.exitVMAs = m.eng.Maps(p.pid)
		m.haveVMAs = true
		m.mainExit = Exit{Status: 128 + sig.Signo, Signal: sig.Signo}
		m.mainDone = true
	}
	m.eng.Terminate(p.pid, 0, sig.Signo)
}

// exitProc is exit(status): stdio is flushed, then exit_group. It reports
// false when the run was aborted on the way.
func (m *machine) exitProc(p *proc, status int) bool {
	if !m.flush(p) || !m.flushAll(p) {
		return !m.aborted
	}
	if p.pid == m.mainPid {
		m.exitVMAs = m.eng.Maps(p.pid)
		m.haveVMAs = true
		m.mainExit = Exit{Status: status & 0xff}
		m.mainDone = true
	}
	p.exited = true
	p.status = status & 0xff
	m.syscall(p.pid, engine.Call{Name: "exit_group", Args: []int64{int64(status)}})
	m.eng.Terminate(p.pid, status, 0)
	return true
}
