package interp

import (
	"encoding/binary"
	"math"

	"github.com/mmapplayground/playground/internal/engine"
)

// frame is one activation: the function, where it is, its registers (a
// window of the process's register stack) and its part of [stack].
type frame struct {
	fn   *function
	pc   int
	base int       // first register in proc.regs
	fp   uint64    // the frame's memory: locals at fp+off (off < 0)
	sp   uint64    // the caller's stack pointer, restored on return
	dst  int32     // the caller's register for the return value; -1: none
	sig  *sigFrame // a signal handler's frame: what its return restores
	va   uint64    // a variadic function's extra arguments, 8 bytes each
}

// proc is one thread's VM state: its frames, registers and stack, and
// the process it belongs to (shared by the process's threads). It is plain
// data, so fork copies it (the calling thread only, as fork does).
type proc struct {
	*process
	frames []frame
	regs   []int64
	sp     uint64
	lo     uint64 // lowest address the stack may use
	rodata uint64
	data   uint64
	bss    uint64
	// The thread's signal mask, the signals sent to it (raise, tgkill)
	// and not yet delivered, with each one's si_code, and its alternate
	// signal stack.
	blocked, pending uint64
	pendCode         [65]int32
	alt              altStack
	// rawSyscall: the system call being made is an asm syscall
	// instruction's, whose failure leaves errno as it was; setErrno keeps
	// the errno in rawErrno instead.
	rawSyscall bool
	rawErrno   engine.Errno
	// eflags are the flags the program wrote with popf (asm.go), or a
	// handler's return took from its frame; stepArmed, the instruction
	// running began with TF: the trap follows it (sigcontext.go).
	eflags    uint64
	stepArmed bool
	// The thread's last exception, for its signal frames; atCall, the
	// signal being delivered interrupts a call through a pointer at the
	// called address; redirect, where that call goes when it runs again.
	trap     trapState
	atCall   bool
	redirect *callRedirect
	// sigsuspend's: the mask its first handler's return restores.
	suspendMask uint64
	suspended   bool
	sigGen      int     // counts handler calls, so the VM sees a new frame
	errnoAt     uint64  // the thread's errno, in its TLS block (errnoAddr); 0 until asked
	thread      *thread // pthread state; nil for a process's first thread until it asks (threads.go)
	// flt is the thread's minor and major faults (task->min_flt and
	// maj_flt): those made in its turns (chargeFaults).
	flt   [2]uint64
	slice int // step chunks run in the current time slice
	// The stack of frames running (ucontext.go): 0 the thread's own, else
	// a makecontext's, and that context's uc_link.
	stackID int
	ucLink  uint64
	// cloneFn marks the first thread of a child glibc's clone(3) made
	// (clone.go): its function's return is the exit system call.
	cloneFn bool
	// traceSig is the signal the thread stopped for in a signal-delivery
	// stop (ptrace.go), with its siginfo; nil when in none.
	traceSig *engine.Signal
	// faultWait: the thread's last access faulted into a userfaultfd
	// range and sleeps until the handler resolves it (engine.ErrFaultWait):
	// its instruction (or library call) is made again once others have run.
	faultWait bool
	// faultSlept: its last run ended so too, the fault already handed to
	// the handler; a run that ends in a fault wait after one that did not
	// handed it over, which is progress (the handler has a message to
	// read) however few steps it took.
	faultSlept bool
}

// process is what a process's threads share: its stdio, heap, signal
// dispositions and how it ended.
type process struct {
	pid    int
	stdout []byte // glibc's stdout buffer (fully buffered, as to a pipe)
	// stdoutMode is stdout's buffering as setvbuf set it, plus one:
	// _IOFBF (1), _IOLBF (2) or _IONBF (3); 0 until setvbuf is called.
	stdoutMode int
	stdin      *stream
	// The streams fopen opened, in order, and their FILE * addresses.
	files     []*stream
	fileAddrs []int64
	heap      heap
	arenas    arenas // the thread arenas (arena.go)
	exited    bool
	// Signal dispositions (signal, sigaction): a handler's function
	// address, or sigDfl/sigIgn; sigFlags are sa_flags, sigMasks sa_mask.
	handlers [65]int64
	sigFlags [65]int64
	sigMasks [65]uint64
	// The signals sent to the process (kill) and not yet delivered, with
	// each one's si_code: a thread that does not block one takes it.
	sharedPending uint64
	sharedCode    [65]int32
	rand          randState
	status        int // exit status, or 128+signal
	signal        int
	parent        int
	threads       int           // threads made (threads.go), the first counted: 0 until pthread_create
	stacks        []*stackBlock // thread stacks glibc mapped (threads.go), in the order it mapped them
	// exit(3)'s work (exit.go): the atexit functions registered, and once
	// exit has begun, its status and how many destructors have run.
	atexit     []*function
	exiting    bool
	exitStatus int
	dtorsRun   int
	// selfFlt is all its threads' faults, the ended ones' too (getrusage's
	// RUSAGE_SELF); childFlt its reaped children's (signal->cmin_flt and
	// cmaj_flt: RUSAGE_CHILDREN); reaped marks it counted in its parent's.
	selfFlt, childFlt [2]uint64
	reaped            bool
}

// clone is fork's copy of p: a new process with p as its only thread.
func (p *proc) clone(pid int) *proc {
	c := *p
	pr := *p.process
	c.process = &pr
	c.pid = pid
	c.thread = nil
	if p.thread != nil {
		c.thread = &thread{self: p.thread.self, tid: pid, spawned: p.thread.spawned}
	}
	c.threads = 0
	// fork's child counts its own faults from none (copy_process).
	c.flt, c.process.selfFlt, c.process.childFlt = [2]uint64{}, [2]uint64{}, [2]uint64{}
	// fork's child starts with no signals pending (its mask and
	// alternate stack are the parent's).
	c.pending, c.sharedPending = 0, 0
	c.stacks = nil
	for _, b := range p.stacks {
		// The calling thread's stack stays in use in the child; the
		// others' threads are gone, their stacks free for reuse.
		nb := *b
		nb.inUse = p.thread != nil && p.thread.stack == b
		c.stacks = append(c.stacks, &nb)
		if nb.inUse {
			c.thread.stack = &nb
		}
	}
	c.frames = append([]frame(nil), p.frames...)
	c.regs = append([]int64(nil), p.regs...)
	c.stdout = append([]byte(nil), p.stdout...)
	if p.stdin != nil {
		c.stdin = p.stdin.clone()
	}
	c.files = make([]*stream, len(p.files))
	for i, s := range p.files {
		c.files[i] = s.clone()
	}
	c.fileAddrs = append([]int64(nil), p.fileAddrs...)
	c.atexit = append([]*function(nil), p.atexit...)
	c.heap = p.heap.clone()
	c.arenas = p.arenas
	c.arenas.list, c.arenas.free = nil, nil
	clones := map[*heap]*heap{&p.heap: &c.heap}
	for _, h := range p.arenas.list {
		nh := h.clone()
		clones[h] = &nh
		c.arenas.list = append(c.arenas.list, &nh)
	}
	for _, h := range p.arenas.free {
		c.arenas.free = append(c.arenas.free, clones[h])
	}
	if c.thread != nil && p.thread.arena != nil {
		c.thread.arena = clones[p.thread.arena]
	}
	c.parent = p.pid
	return &c
}

// result is why the VM stopped running a process.
type result uint8

const (
	resExit  result = iota // the process ended
	resBlock               // waiting (wait4): run others, then retry
	resAbort               // the run ends: a limit or an error
)

// builtin results.
type bres uint8

const (
	bOK bres = iota
	bBlock
	bExit
	bAbort
)

const stepChunk = 4096

// exec runs p until it exits, blocks, or the run is aborted.
func (m *machine) exec(p *proc) result {
	if p.traceSig != nil && m.traceResume(p) {
		return resExit // the signal its tracer let it take ended or stopped it
	}
	if (p.pending|p.sharedPending)&^p.blocked != 0 && m.deliverPending(p) && (p.exited || m.stoppedProc(p)) {
		return resExit // a signal another thread sent ended or stopped the process
	}
	fr := &p.frames[len(p.frames)-1]
	fn := fr.fn
	code := fn.code
	r := p.regs[fr.base : fr.base+fn.nslots()]
	pc := fr.pc
	budget := m.budget
	eng := m.eng
	tlb := &m.tlb
	tlb.use(p.pid)
	epoch := tlb.sync()
	if p.stepArmed || p.eflags&eflagsTF != 0 {
		m.stepArm(p) // TF: the budget is the machine's, another thread's since
		budget = m.budget
	}
	for {
		in := &code[pc]
		pc++
		budget--
		if budget <= 0 {
			fr.pc = pc - 1
			m.budget = budget
			if !m.refill(in) {
				return resAbort
			}
			if p.stepArmed {
				// The instruction that ran began with TF (sigcontext.go).
				m.stepTrap(p, 0, false)
				return resExit
			}
			if p.threads > 1 {
				// Another thread of the process may run (threads.go).
				if p.slice++; p.slice >= timeSlice {
					p.slice = 0
					return resBlock
				}
			}
			if (p.pending|p.sharedPending)&^p.blocked != 0 {
				// A timer's signal (fireTimers): delivered as exec
				// starts again.
				return resBlock
			}
			epoch = tlb.sync() // the runner may have served a system call
			budget = m.budget
			pc--
			continue
		}
		switch in.op {
		case opNop:
		case opMov:
			r[in.a] = r[in.b]
		case opAdd:
			r[in.a] = r[in.b] + r[in.c]
		case opAddI:
			r[in.a] = r[in.b] + in.imm
		case opSub:
			r[in.a] = r[in.b] - r[in.c]
		case opMul:
			r[in.a] = r[in.b] * r[in.c]
		case opDivS, opModS:
			d := r[in.c]
			n := r[in.b]
			if d == 0 || (d == -1 && n == -1<<63) {
				fr.pc = pc - 1
				if in.line != 0 {
					m.line, m.col = in.line, in.col
				}
				m.kill(p, &engine.Signal{Signo: engine.SIGFPE, Code: engine.FPE_INTDIV, Trap: true, TrapNr: engine.X86_TRAP_DE})
				return resExit
			}
			if in.op == opDivS {
				r[in.a] = n / d
			} else {
				r[in.a] = n % d
			}
		case opDivU, opModU:
			d := uint64(r[in.c])
			if d == 0 {
				fr.pc = pc - 1
				if in.line != 0 {
					m.line, m.col = in.line, in.col
				}
				m.kill(p, &engine.Signal{Signo: engine.SIGFPE, Code: engine.FPE_INTDIV, Trap: true, TrapNr: engine.X86_TRAP_DE})
				return resExit
			}
			if in.op == opDivU {
				r[in.a] = int64(uint64(r[in.b]) / d)
			} else {
				r[in.a] = int64(uint64(r[in.b]) % d)
			}
		case opAnd:
			r[in.a] = r[in.b] & r[in.c]
		case opOr:
			r[in.a] = r[in.b] | r[in.c]
		case opXor:
			r[in.a] = r[in.b] ^ r[in.c]
		case opShl:
			r[in.a] = r[in.b] << uint(r[in.c]&63)
		case opShrS:
			r[in.a] = r[in.b] >> uint(r[in.c]&63)
		case opShrU:
			r[in.a] = int64(uint64(r[in.b]) >> uint(r[in.c]&63))
		case opShl32:
			r[in.a] = r[in.b] << uint(r[in.c]&31)
		case opShrS32:
			r[in.a] = int64(int32(r[in.b]) >> uint(r[in.c]&31))
		case opShrU32:
			r[in.a] = int64(uint32(r[in.b]) >> uint(r[in.c]&31))
		case opNeg:
			r[in.a] = -r[in.b]
		case opNot:
			r[in.a] = b2i(r[in.b] == 0)
		case opBNot:
			r[in.a] = ^r[in.b]
		case opEq:
			r[in.a] = b2i(r[in.b] == r[in.c])
		case opNe:
			r[in.a] = b2i(r[in.b] != r[in.c])
		case opLtS:
			r[in.a] = b2i(r[in.b] < r[in.c])
		case opLtU:
			r[in.a] = b2i(uint64(r[in.b]) < uint64(r[in.c]))
		case opLeS:
			r[in.a] = b2i(r[in.b] <= r[in.c])
		case opLeU:
			r[in.a] = b2i(uint64(r[in.b]) <= uint64(r[in.c]))
		case opSext8:
			r[in.a] = int64(int8(r[in.b]))
		case opSext16:
			r[in.a] = int64(int16(r[in.b]))
		case opSext32:
			r[in.a] = int64(int32(r[in.b]))
		case opZext8:
			r[in.a] = int64(uint8(r[in.b]))
		case opZext16:
			r[in.a] = int64(uint16(r[in.b]))
		case opZext32:
			r[in.a] = int64(uint32(r[in.b]))
		case opBool:
			r[in.a] = b2i(r[in.b] != 0)
		case opJmp:
			pc = int(in.imm)
		case opJz:
			if r[in.b] == 0 {
				pc = int(in.imm)
			}
		case opJnz:
			if r[in.b] != 0 {
				pc = int(in.imm)
			}
		case opJLtS:
			if r[in.b] < r[in.c] {
				pc = int(in.imm)
			}
		case opJLtU:
			if uint64(r[in.b]) < uint64(r[in.c]) {
				pc = int(in.imm)
			}
		case opLd8u, opLdX8u:
			// Non-indexed loads and stores have c = imm = 0: one address
			// computation serves both.
			addr := uint64(r[in.b] + r[in.c]*in.imm)
			// The software TLB's hit: no engine call.
			te := &tlb.ent[(addr>>engine.PageShift)%tlbSize]
			if off := addr - te.base; off < uint64(len(te.data)) && te.epoch == epoch {
				r[in.a] = int64(te.data[off])
				continue
			}
			if !m.loadMiss(p, fr, pc, in, addr, r) {
				return resExit
			}
			epoch = tlb.sync()
		case opLd8s, opLd16s, opLd16u, opLd32s, opLd32u, opLd64, opLdF32,
			opLdX8s, opLdX16s, opLdX16u, opLdX32s, opLdX32u, opLdX64:
			addr := uint64(r[in.b] + r[in.c]*in.imm)
			te := &tlb.ent[(addr>>engine.PageShift)%tlbSize]
			if off := addr - te.base; off < uint64(len(te.data)) && off+uint64(loadSize[in.op]) <= uint64(len(te.data)) &&
				te.epoch == epoch {
				r[in.a] = decodeLoad(in.op, te.data[off:])
				continue
			}
			if !m.loadMiss(p, fr, pc, in, addr, r) {
				return resExit
			}
			epoch = tlb.sync()
		case opSt8, opStX8:
			addr := uint64(r[in.a] + r[in.c]*in.imm)
			te := &tlb.ent[(addr>>engine.PageShift)%tlbSize]
			if off := addr - te.base; off < uint64(len(te.data)) && te.writable && te.epoch == epoch {
				te.data[off] = byte(r[in.b])
				continue
			}
			if !m.storeMiss(p, fr, pc, in, addr, r[in.b]) {
				return resExit
			}
			epoch = tlb.sync()
		case opSt16, opSt32, opSt64, opStF32, opStX16, opStX32, opStX64:
			addr := uint64(r[in.a] + r[in.c]*in.imm)
			te := &tlb.ent[(addr>>engine.PageShift)%tlbSize]
			if off := addr - te.base; off < uint64(len(te.data)) && off+uint64(storeSize[in.op]) <= uint64(len(te.data)) && te.writable &&
				te.epoch == epoch {
				storeDirect(in.op, te.data[off:], r[in.b])
				continue
			}
			if !m.storeMiss(p, fr, pc, in, addr, r[in.b]) {
				return resExit
			}
			epoch = tlb.sync()
		case opMemcpy, opMemzero:
			if in.line != 0 {
				m.line, m.col = in.line, in.col
			}
			var err error
			if in.op == opMemcpy {
				err = m.memmove(p.pid, uint64(r[in.a]), uint64(r[in.b]), uint64(in.imm))
			} else {
				err = m.memset(p.pid, uint64(r[in.a]), 0, uint64(in.imm))
			}
			if err != nil {
				fr.pc = pc - 1
				m.fault(p, err)
				return resExit
			}
			epoch = tlb.sync()
		case opLAddr:
			r[in.a] = int64(fr.fp) + in.imm
		case opGAddr:
			if in.imm >= 0 {
				r[in.a] = int64(p.data) + in.imm
			} else {
				r[in.a] = int64(p.bss) + (-1 - in.imm)
			}
		case opRAddr:
			r[in.a] = int64(p.rodata) + in.imm
		case opFAddr:
			r[in.a] = funcAddrBase + in.imm*16
		case opCall, opCallP:
			var callee *function
			if in.line != 0 {
				// The library's own C (the prelude: qsort, getopt) has no
				// positions: its events carry its caller's, whatever the
				// software TLB held.
				m.line, m.col = in.line, in.col
			}
			if in.op == opCall {
				callee = m.prog.funcs[in.imm]
			} else {
				a := r[in.imm]
				redirected := false
				if p.redirect != nil && p.redirect.depth == len(p.frames) && p.redirect.pc == pc-1 {
					// A handler's return set RIP at this call (sigcontext.go).
					a, redirected, p.redirect = p.redirect.to, true, nil
				}
				idx := (a - funcAddrBase) / 16
				if a < funcAddrBase || (a-funcAddrBase)%16 != 0 || idx >= int64(len(m.prog.funcs)) || !m.prog.funcs[idx].defined {
					fr.pc = pc - 1
					if in.line != 0 {
						m.line, m.col = in.line, in.col
					}
					m.budget = budget
					if p.stepArmed && !redirected {
						// TF: the call has run, the trap is at the
						// called address, before the code there.
						m.stepTrap(p, uint64(a), true)
						return resExit
					}
					// Not the program's: perhaps the vDSO's (vdso.go).
					v, sig, ok := m.callVDSO(p, uint64(a), p.regs[fr.base+int(in.b):fr.base+int(in.b)+int(in.c)])
					if ok && sig == nil {
						r[in.a] = v
						fr.pc = pc
						epoch = tlb.sync()
						break
					}
					if sig == nil {
						// Code the interpreter cannot run, or no engine's.
						sig = &engine.Signal{Signo: engine.SIGSEGV, Code: engine.SEGV_MAPERR, Addr: uint64(a),
							Trap: true, TrapNr: engine.X86_TRAP_PF, ErrorCode: engine.X86_PF_USER | engine.X86_PF_INSTR}
					}
					// The fetch at the called address faulted there.
					p.atCall = sig.Trap && sig.ErrorCode&engine.X86_PF_INSTR != 0 && sig.Addr == uint64(a)
					m.kill(p, sig)
					p.atCall = false
					return resExit
				}
				callee = m.prog.funcs[idx]
			}
			if len(p.frames) >= m.maxDepth {
				fr.pc = pc - 1
				if in.line != 0 {
					m.line, m.col = in.line, in.col
				}
				m.abort("call depth limit exceeded (%d calls deep)", len(p.frames))
				return resAbort
			}
			fr.pc = pc
			base := fr.base + fn.nslots()
			need := base + callee.nslots()
			if need > len(p.regs) {
				nr := make([]int64, need*2)
				copy(nr, p.regs)
				p.regs = nr
			}
			args := p.regs[fr.base+int(in.b) : fr.base+int(in.b)+int(in.c)]
			copy(p.regs[base:base+callee.nparams], args)
			copy(p.regs[base+callee.nregs:need], callee.consts)
			callerSP := p.sp
			var va uint64
			if callee.t.variadic && int(in.c) > callee.nparams {
				// The extra arguments go on the stack, where va_arg reads
				// them.
				extra := args[callee.nparams:]
				va = (p.sp - uint64(8*len(extra))) &^ 15
				b := m.buffer(8 * len(extra))
				for i, x := range extra {
					binary.LittleEndian.PutUint64(b[8*i:], uint64(x))
				}
				if in.line != 0 {
					m.line, m.col = in.line, in.col
				}
				if err := eng.Store(p.pid, va, b); err != nil {
					fr.pc = pc - 1
					m.fault(p, err)
					return resExit
				}
				p.sp = va
				epoch = tlb.sync()
			}
			// 16 bytes for the return address and saved frame pointer, as
			// a real call uses, then the function's locals.
			sp := p.sp - 16 - uint64(callee.frame)
			p.frames = append(p.frames, frame{fn: callee, base: base, fp: p.sp - 16, sp: callerSP, dst: in.a, va: va})
			p.sp = sp
			fr = &p.frames[len(p.frames)-1]
			fn = callee
			code = fn.code
			r = p.regs[base:need]
			pc = 0
		case opCallB:
			fr.pc = pc - 1
			if in.line != 0 {
				m.line, m.col = in.line, in.col
			}
			m.budget = budget
			b := builtinList[in.imm]
			gen := p.sigGen
			v, st := b.fn(m, p, r[in.b:in.b+in.c])
			if p.sigGen != gen && !p.exited {
				return resExit // a handler runs: the scheduler resumes it
			}
			budget = m.budget
			switch st {
			case bBlock:
				return resBlock
			case bExit:
				return resExit
			case bAbort:
				return resAbort
			}
			if p.exited {
				return resExit
			}
			if m.aborted {
				return resAbort
			}
			// fork may have grown or replaced nothing of ours, but builtins
			// can call back into the engine only; registers stay put.
			fr = &p.frames[len(p.frames)-1]
			r = p.regs[fr.base : fr.base+fn.nslots()]
			r[in.a] = v
			fr.pc = pc
			if (p.pending|p.sharedPending)&^p.blocked != 0 && m.deliverPending(p) {
				return resExit // a signal the call sent: the scheduler resumes its handler
			}
			epoch = tlb.sync()
		case opRet:
			var v int64
			if in.b >= 0 {
				v = r[in.b]
			}
			done := p.frames[len(p.frames)-1]
			p.frames = p.frames[:len(p.frames)-1]
			p.sp = done.sp
			if len(p.frames) == 0 {
				// main returned: exit(v) (exit.go); a thread's start
				// routine returned: pthread_exit(v).
				m.budget = budget
				if in.line != 0 {
					m.line, m.col = in.line, in.col
				}
				if p.stackID != 0 {
					// A makecontext function returned (ucontext.go).
					if m.contextReturned(p) == bAbort {
						return resAbort
					}
					return resExit
				}
				if p.cloneFn {
					// glibc's clone: the function's result to exit(2),
					// stdio unflushed.
					p.stdout = nil
					if m.exitProc(p, int(int32(v))) {
						return resExit
					}
					return resAbort
				}
				if p.thread != nil && p.thread.spawned {
					if m.threadExit(p, v) == bAbort {
						return resAbort
					}
					return resExit
				}
				status := int(int32(v))
				if p.exiting {
					status = p.exitStatus // an atexit function or destructor returned
				}
				if m.exit(p, status) == bAbort {
					return resAbort
				}
				return resExit
			}
			if done.sig != nil {
				m.budget = budget
				if !m.sigreturn(p, done.sig) {
					if m.aborted {
						return resAbort
					}
					return resExit
				}
				budget = m.budget
			}
			fr = &p.frames[len(p.frames)-1]
			fn = fr.fn
			code = fn.code
			r = p.regs[fr.base : fr.base+fn.nslots()]
			pc = fr.pc
			if done.dst >= 0 {
				r[done.dst] = v
			}
			if done.sig != nil && (p.pending|p.sharedPending)&^p.blocked != 0 {
				m.budget = budget
				if m.deliverPending(p) {
					return resExit // a signal the handler's return unblocked
				}
			}
		case opVaStart:
			r[in.a] = int64(fr.va)
		case opFAdd:
			r[in.a] = f2b(b2f(r[in.b]) + b2f(r[in.c]))
		case opFSub:
			r[in.a] = f2b(b2f(r[in.b]) - b2f(r[in.c]))
		case opFMul:
			r[in.a] = f2b(b2f(r[in.b]) * b2f(r[in.c]))
		case opFDiv:
			r[in.a] = f2b(b2f(r[in.b]) / b2f(r[in.c]))
		case opFNeg:
			r[in.a] = f2b(-b2f(r[in.b]))
		case opFEq:
			r[in.a] = b2i(b2f(r[in.b]) == b2f(r[in.c]))
		case opFNe:
			r[in.a] = b2i(b2f(r[in.b]) != b2f(r[in.c]))
		case opFLt:
			r[in.a] = b2i(b2f(r[in.b]) < b2f(r[in.c]))
		case opFLe:
			r[in.a] = b2i(b2f(r[in.b]) <= b2f(r[in.c]))
		case opFBool:
			r[in.a] = b2i(b2f(r[in.b]) != 0)
		case opI2F:
			r[in.a] = f2b(float64(r[in.b]))
		case opU2F:
			r[in.a] = f2b(float64(uint64(r[in.b])))
		case opF2I:
			r[in.a] = f2i(b2f(r[in.b]))
		case opF2U:
			r[in.a] = int64(f2u(b2f(r[in.b])))
		case opF2F32:
			r[in.a] = f2b(float64(float32(b2f(r[in.b]))))
		case opAddX8, opAddX16, opAddX32, opAddX64:
			addr := uint64(r[in.a] + r[in.c]*int64(in.b))
			te := &tlb.ent[(addr>>engine.PageShift)%tlbSize]
			if off := addr - te.base; off < uint64(len(te.data)) && off+uint64(storeSize[in.op]) <= uint64(len(te.data)) && te.writable && te.epoch == epoch {
				addDirect(in.op, te.data[off:], in.imm)
				continue
			}
			// As the load and the store it stands for.
			if !m.addMiss(p, fr, pc, in, addr) {
				return resExit
			}
			epoch = tlb.sync()
		case opBitOp:
			r[in.a] = bitOp(in.imm, r[in.b])
		case opOverflow:
			r[in.a], _ = overflow(in.imm, r[in.b], r[in.c])
		case opOverflowFlag:
			_, o := overflow(in.imm, r[in.b], r[in.c])
			r[in.a] = b2i(o)
		case opIncJLtS:
			x := r[in.a] + int64(in.b)
			r[in.a] = x
			if x < r[in.c] {
				pc = int(in.imm)
			}
		case opIncJLtU:
			x := r[in.a] + int64(in.b)
			r[in.a] = x
			if uint64(x) < uint64(r[in.c]) {
				pc = int(in.imm)
			}
		case opIncJLtS32:
			x := int64(int32(r[in.a] + int64(in.b)))
			r[in.a] = x
			if x < r[in.c] {
				pc = int(in.imm)
			}
		case opIncJLtU32:
			x := int64(uint32(r[in.a] + int64(in.b)))
			r[in.a] = x
			if uint64(x) < uint64(r[in.c]) {
				pc = int(in.imm)
			}
		case opGetSP:
			r[in.a] = int64(p.sp)
		case opSetSP:
			p.sp = uint64(r[in.b])
		case opAlloca:
			p.sp = (p.sp - uint64(r[in.b])) &^ 15
			r[in.a] = int64(p.sp)
		case opTrap:
			fr.pc = pc - 1
			if in.line != 0 {
				m.line, m.col = in.line, in.col
			}
			m.kill(p, &engine.Signal{Signo: engine.SIGILL, Code: 2}) // ILL_ILLOPN
			return resExit
		default:
			m.abort("bad instruction %d", in.op)
			return resAbort
		}
	}
}

var loadSize = [...]int{opLd8s: 1, opLd8u: 1, opLd16s: 2, opLd16u: 2, opLd32s: 4, opLd32u: 4, opLd64: 8, opLdF32: 4,
	opLdX8s: 1, opLdX8u: 1, opLdX16s: 2, opLdX16u: 2, opLdX32s: 4, opLdX32u: 4, opLdX64: 8}
var storeSize = [...]int{opSt8: 1, opSt16: 2, opSt32: 4, opSt64: 8, opStF32: 4, opStX8: 1, opStX16: 2, opStX32: 4, opStX64: 8,
	opAddX8: 1, opAddX16: 2, opAddX32: 4, opAddX64: 8}

// addDirect adds k to the integer in a page the software TLB holds.
func addDirect(op opcode, b []byte, k int64) {
	switch op {
	case opAddX8:
		b[0] += byte(k)
	case opAddX16:
		binary.LittleEndian.PutUint16(b, binary.LittleEndian.Uint16(b)+uint16(k))
	case opAddX32:
		binary.LittleEndian.PutUint32(b, binary.LittleEndian.Uint32(b)+uint32(k))
	default:
		binary.LittleEndian.PutUint64(b, binary.LittleEndian.Uint64(b)+uint64(k))
	}
}

// storeDirect stores v into a page the software TLB holds.
func storeDirect(op opcode, b []byte, v int64) {
	switch op {
	case opSt8, opStX8:
		b[0] = byte(v)
	case opSt16, opStX16:
		binary.LittleEndian.PutUint16(b, uint16(v))
	case opSt32, opStX32:
		binary.LittleEndian.PutUint32(b, uint32(v))
	case opStF32:
		binary.LittleEndian.PutUint32(b, math.Float32bits(float32(b2f(v))))
	default:
		binary.LittleEndian.PutUint64(b, uint64(v))
	}
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func b2f(v int64) float64 { return math.Float64frombits(uint64(v)) }
func f2b(f float64) int64 { return int64(math.Float64bits(f)) }

// f2i and f2u convert as x86-64's cvttsd2si does: out of range (and NaN)
// gives the "integer indefinite" value.
func f2i(f float64) int64 {
	if f != f || f >= 9223372036854775808.0 || f < -9223372036854775808.0 {
		return -1 << 63
	}
	return int64(f)
}

func f2u(f float64) uint64 {
	switch {
	case f != f || f <= -1 || f >= 18446744073709551616.0:
		return 1 << 63
	case f >= 9223372036854775808.0:
		return uint64(f-9223372036854775808.0) + 1<<63
	case f < 0:
		return 0
	}
	return uint64(f)
}
