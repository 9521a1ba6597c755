package interp

import (
	"encoding/binary"
	"math/bits"

	"github.com/mmapplayground/playground/internal/engine"
)

// Signal handlers, as signal(2) and sigaction(2) install them, and each
// thread's signal mask, pending signals and alternate signal stack. A
// signal a fault raises is delivered at once: its handler's call goes on
// top of the interrupted frame, and when the handler returns the faulting
// instruction runs again, as on Linux (so a handler that returns from a
// fault faults again); a blocked or ignored fault kills, as the kernel's
// force_sig does. A signal sent (raise, kill or tgkill of oneself, a write
// to a pipe with no reader) is made pending, and delivered when the
// library call that sent it returns, as the kernel delivers on the return
// to user space: unblocked, in the kernel's order, each handler's frame
// on top of the last; blocked, when sigprocmask, a handler's return or
// siglongjmp unblocks it.

const (
	sigDfl       = 0
	sigIgn       = 1
	saSiginfo    = 4
	saOnstack    = 0x08000000
	saResethnd   = 0x80000000
	saNodefer    = 0x40000000
	ssOnstack    = 1
	ssDisable    = 2
	ssAutodisarm = 1 << 31
	// sigCantMask are the signals no mask blocks (SIGKILL, SIGSTOP).
	sigCantMask = 1<<(engine.SIGKILL-1) | 1<<(engine.SIGSTOP-1)
	// sigDefaultIgnored are the signals whose default action is to do
	// nothing (SIGCONT's, to continue, is nothing to a running process).
	sigDefaultIgnored = 1<<(engine.SIGCHLD-1) | 1<<(engine.SIGCONT-1) | 1<<(engine.SIGURG-1) | 1<<(engine.SIGWINCH-1)
	// sigDefaultStop are the signals whose default action is to stop the
	// process (sig_kernel_stop).
	sigDefaultStop = 1<<(engine.SIGSTOP-1) | 1<<(engine.SIGTSTP-1) | 1<<(engine.SIGTTIN-1) | 1<<(engine.SIGTTOU-1)
	// sigSynchronous are the signals the kernel takes first from the
	// pending set (SYNCHRONOUS_MASK).
	sigSynchronous = 1<<(engine.SIGSEGV-1) | 1<<(engine.SIGBUS-1) | 1<<(engine.SIGILL-1) | 1<<(engine.SIGTRAP-1) |
		1<<(engine.SIGFPE-1) | 1<<(engine.SIGSYS-1)
)

// sigBit is sig's bit in a mask (the first word of a sigset_t).
func sigBit(sig int) uint64 { return 1 << uint(sig-1) }

// altStack is a thread's alternate signal stack (sigaltstack): its base
// and size (0: none), and SS_AUTODISARM.
type altStack struct {
	sp, size uint64
	flags    uint32
}

// on reports whether sp is on the stack (the kernel's on_sig_stack).
func (a altStack) on(sp uint64) bool { return a.size != 0 && sp > a.sp && sp-a.sp <= a.size }

// sigFrame is what the kernel's signal frame keeps for sigreturn: the
// signal, the frame's address (its ucontext_t holds the mask, flags and
// RIP the handler's return takes back: sigcontext.go), the RIP it gave,
// whether it interrupted a call through a pointer at the called address,
// and the alternate stack the return restores.
type sigFrame struct {
	sig    int
	frame  uint64
	rip    uint64
	atCall bool
	alt    altStack
}

// deliver runs p's handler for a signal a fault raised, if it has one and
// the signal is not blocked; it reports whether it did.
func (m *machine) deliver(p *proc, sig *engine.Signal) bool {
	n := sig.Signo
	if n <= 0 || n >= len(p.handlers) || n == engine.SIGKILL {
		return false
	}
	h := p.handlers[n]
	if h == sigDfl || h == sigIgn || p.blocked&sigBit(n) != 0 {
		// Linux forces the default action for a fault that is ignored or
		// blocked (as while its handler runs).
		return false
	}
	return m.pushHandler(p, sig)
}

// pushHandler puts the call of p's handler for sig on top of p's frames,
// on the alternate stack when the handler asks for it (SA_ONSTACK), with
// its frame (sigcontext.go) below. It reports false when the handler is
// not a function of the program, or its frame does not fit.
func (m *machine) pushHandler(p *proc, sig *engine.Signal) bool {
	n := sig.Signo
	h := p.handlers[n]
	idx := (h - funcAddrBase) / 16
	if h < funcAddrBase || (h-funcAddrBase)%16 != 0 || idx >= int64(len(m.prog.funcs)) || !m.prog.funcs[idx].defined {
		return false
	}
	fn := m.prog.funcs[idx]
	if len(p.frames) >= m.maxDepth {
		return false
	}
	flags := p.sigFlags[n]
	// The kernel's signal frame (get_sigframe); one the alternate stack
	// cannot hold is SIGSEGV instead.
	at, ok := sigFrameAt(p, flags&saOnstack != 0)
	if !ok {
		return false
	}
	if sig.Trap {
		// The thread's exception, for this frame and the next ones.
		p.trap.nr, p.trap.err = uint64(sig.TrapNr), sig.ErrorCode
		if sig.TrapNr == engine.X86_TRAP_PF {
			p.trap.cr2 = sig.Addr
		}
	}
	old := p.blocked
	if p.suspended {
		old, p.suspended = p.suspendMask, false // sigsuspend's mask is the one to restore
	}
	atCall := p.atCall
	rip, ok := m.writeSigFrame(p, at, sig, flags&saSiginfo != 0, old, atCall)
	if !ok {
		return false
	}
	m.emit(&engine.Event{Type: engine.EvSignal, Pid: p.pid, Signal: engine.SignalName(n), Code: sig.CodeName(),
		Addr: sig.Addr, Op: "handler", Text: engine.SignalDescription(n)})
	sf := &sigFrame{sig: n, frame: at, rip: rip, atCall: atCall, alt: p.alt}
	if flags&saResethnd != 0 {
		p.handlers[n] = sigDfl
	}
	p.blocked |= p.sigMasks[n]
	if flags&saNodefer == 0 {
		p.blocked |= sigBit(n)
	}
	p.blocked &^= sigCantMask
	if p.alt.flags&ssAutodisarm != 0 {
		p.alt = altStack{} // __save_altstack: any delivery disarms it
	}
	// The handler runs without TF and DF (handle_signal).
	p.eflags &^= eflagsTF | eflagsDF
	p.stepArmed = false
	top := &p.frames[len(p.frames)-1]
	base := top.base + top.fn.nslots()
	need := base + fn.nslots()
	if need > len(p.regs) {
		nr := make([]int64, need*2)
		copy(nr, p.regs)
		p.regs = nr
	}
	args := []int64{int64(n), int64(at + rtFrameInfo), int64(at + rtFrameUC)}
	copy(p.regs[base:base+min(fn.nparams, 3)], args)
	copy(p.regs[base+fn.nregs:need], fn.consts)
	// The handler's return address is the frame's pretcode: its locals
	// below.
	p.frames = append(p.frames, frame{fn: fn, base: base, fp: at - 8, sp: p.sp, dst: -1, sig: sf})
	p.sp = at - 8 - uint64(fn.frame)
	p.sigGen++
	return true
}

// send makes sig pending for p's thread (raise, tgkill, a write's SIGPIPE)
// or, shared, for its process (kill): it is delivered when the library
// call returns (deliverPending). A signal ignored when sent is discarded,
// unless blocked (the kernel's sig_ignored). A standard signal already
// pending in the same set is not sent again.
func (m *machine) send(p *proc, sig, code int, shared bool) {
	if sig <= 0 || sig >= len(p.handlers) {
		return
	}
	if p.blocked&sigBit(sig) == 0 && m.ignored(p, sig) {
		return
	}
	set, codes := &p.pending, &p.pendCode
	if shared {
		set, codes = &p.sharedPending, &p.sharedCode
	}
	if *set&sigBit(sig) == 0 {
		*set |= sigBit(sig)
		codes[sig] = int32(code)
	}
}

// ignored reports whether sig's disposition in p is to do nothing.
func (m *machine) ignored(p *proc, sig int) bool {
	h := p.handlers[sig]
	return h == sigIgn || h == sigDfl && sigDefaultIgnored&sigBit(sig) != 0
}

// deliverPending delivers p's pending signals that are not blocked, as the
// kernel does on the way back to user space (get_signal, handle_signal):
// the synchronous ones first, then by number, each handler's call on top
// of the last (so the last delivered runs first), an ignored one
// discarded, one whose default is to end the process ending it. It
// reports whether p's frames changed or p ended.
func (m *machine) deliverPending(p *proc) bool {
	changed := false
	for !p.exited {
		// dequeue_signal: the thread's own signals, then the process's.
		set, codes := &p.pending, &p.pendCode
		ready := p.pending &^ p.blocked
		if ready == 0 {
			set, codes = &p.sharedPending, &p.sharedCode
			ready = p.sharedPending &^ p.blocked
		}
		if ready == 0 {
			break
		}
		if ready&sigSynchronous != 0 {
			ready &= sigSynchronous
		}
		n := bits.TrailingZeros64(ready) + 1
		*set &^= sigBit(n)
		sig := &engine.Signal{Signo: n, Code: int(codes[n])}
		if m.traceStop(p, sig) { // ptrace.go
			return true
		}
		if m.ignored(p, n) {
			continue
		}
		if p.handlers[n] == sigDfl {
			if sigDefaultStop&sigBit(n) != 0 && m.stopSelf(p, n) { // jobctl.go
				return true
			}
			m.killHard(p, sig)
			return true
		}
		if !m.pushHandler(p, sig) {
			// The frame does not fit (force_sigsegv): SIGSEGV, to its
			// handler if that can run, else the end.
			if n == engine.SIGSEGV {
				p.handlers[n] = sigDfl
			}
			if !m.deliver(p, &engine.Signal{Signo: engine.SIGSEGV, Code: engine.SI_KERNEL}) {
				m.killHard(p, &engine.Signal{Signo: engine.SIGSEGV, Code: engine.SI_KERNEL})
				return true
			}
		}
		changed = true
	}
	return changed
}

// The real-time signals glibc leaves to programs: 32 and 33 are its own
// (cancellation, setxid), so SIGRTMIN is 34 (__libc_current_sigrtmin).
const (
	sigRTMin = 34
	sigRTMax = 64
)

func init() {
	libMacros = append(libMacros, "SIGRTMIN (__libc_current_sigrtmin ())", "SIGRTMAX (__libc_current_sigrtmax ())",
		"SIG_BLOCK 0", "SIG_UNBLOCK 1", "SIG_SETMASK 2")
	def("int __libc_current_sigrtmin(void)", func(m *machine, p *proc, a []int64) (int64, bres) { return sigRTMin, bOK })
	def("int __libc_current_sigrtmax(void)", func(m *machine, p *proc, a []int64) (int64, bres) { return sigRTMax, bOK })
}

// glibc's own signals (SIGCANCEL, SIGSETXID: 32 and 33), which its
// sigaddset, sigfillset, sigprocmask and sigaction keep from programs.
const sigInternal = 1<<(32-1) | 1<<(33-1)

// saRestorer is the flag glibc's sigaction adds to every action it sets
// (its sa_restorer returns through rt_sigreturn); the kernel reports it.
const saRestorer = 0x04000000

// sigsetSize is glibc's sigset_t (1024 bits); the kernel's is its first
// 8 bytes, the only part the library reads or writes beyond sigfillset
// and sigemptyset.
const sigsetSize = 128

// loadMask reads a sigset_t's first word (the kernel's sigset).
func (m *machine) loadMask(p *proc, addr int64) (uint64, bool) {
	b, ok := m.load(p, uint64(addr), 8)
	if !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint64(b), true
}

// storeMask writes a sigset_t's first word, as the kernel's copy of its
// 8-byte sigset does (the rest is left as it was).
func (m *machine) storeMask(p *proc, addr int64, mask uint64) bool {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], mask)
	if err := m.eng.Store(p.pid, uint64(addr), b[:]); err != nil {
		m.fault(p, err)
		return false
	}
	return true
}

// setAction is the kernel's do_sigaction for a new disposition: SIGKILL
// and SIGSTOP leave every mask, and a signal now ignored is discarded
// from the pending sets of the process's threads.
func (m *machine) setAction(p *proc, n int, handler int64, flags int64, mask uint64) {
	p.handlers[n], p.sigFlags[n], p.sigMasks[n] = handler, flags, mask&^sigCantMask
	if m.ignored(p, n) {
		for _, q := range m.procs {
			if q.process == p.process {
				q.pending &^= sigBit(n)
			}
		}
		p.sharedPending &^= sigBit(n)
	}
}

// sigprocmask is rt_sigprocmask as glibc calls it: how applies set
// (without glibc's own signals, and never SIGKILL or SIGSTOP) to the
// mask; old gets the mask before. It returns the errno, or 0.
func (m *machine) sigprocmask(p *proc, how, set, old int64) (engine.Errno, bool) {
	var mask uint64
	if set != 0 {
		v, ok := m.loadMask(p, set)
		if !ok {
			return 0, false
		}
		mask = v &^ sigInternal &^ sigCantMask
		if how < 0 || how > 2 {
			return engine.EINVAL, true
		}
	}
	prev := p.blocked
	if old != 0 && !m.storeMask(p, old, prev) {
		return 0, false
	}
	if set != 0 {
		switch how {
		case 0: // SIG_BLOCK
			p.blocked |= mask
		case 1: // SIG_UNBLOCK
			p.blocked &^= mask
		case 2: // SIG_SETMASK
			p.blocked = mask
		}
	}
	return 0, true
}

func init() {
	// A global register variable of the stack pointer reads this: the
	// stack pointer of the function reading it (below its frame).
	def("unsigned long __pg_stack_pointer(void)", func(m *machine, p *proc, a []int64) (int64, bres) { return int64(p.sp), bOK })
	def("void (*signal(int sig, void (*handler)(int)))(int)", func(m *machine, p *proc, a []int64) (int64, bres) {
		n := int(a[0])
		if n <= 0 || n >= 65 || n == engine.SIGKILL || n == engine.SIGSTOP || sigInternal&sigBit(n) != 0 {
			p.setErrno(m, engine.EINVAL)
			return -1, bOK
		}
		old := p.handlers[n]
		// glibc's signal() is BSD's: SA_RESTART, and the signal blocked
		// while its handler runs.
		m.setAction(p, n, a[1], 0x10000000|saRestorer, sigBit(n))
		return old, bOK
	})
	def("int sigaction(int sig, const struct sigaction *act, struct sigaction *old)", func(m *machine, p *proc, a []int64) (int64, bres) {
		n := int(a[0])
		if n <= 0 || n >= 65 || sigInternal&sigBit(n) != 0 || a[1] != 0 && (n == engine.SIGKILL || n == engine.SIGSTOP) {
			p.setErrno(m, engine.EINVAL)
			return -1, bOK
		}
		var act [152]byte
		if a[1] != 0 {
			if err := m.eng.Load(p.pid, uint64(a[1]), act[:]); err != nil {
				m.fault(p, err)
				return 0, bExit
			}
		}
		var old [152]byte
		binary.LittleEndian.PutUint64(old[0:], uint64(p.handlers[n]))
		binary.LittleEndian.PutUint64(old[8:], p.sigMasks[n])
		binary.LittleEndian.PutUint32(old[136:], uint32(p.sigFlags[n]))
		if a[1] != 0 {
			le := binary.LittleEndian
			m.setAction(p, n, int64(le.Uint64(act[0:])), int64(le.Uint32(act[136:]))|saRestorer, le.Uint64(act[8:]))
		}
		if a[2] != 0 {
			return m.storeRet(p, a[2], old[:], 0)
		}
		return 0, bOK
	})
	sigset := func(first uint64) func(m *machine, p *proc, a []int64) (int64, bres) {
		return func(m *machine, p *proc, a []int64) (int64, bres) {
			b := make([]byte, sigsetSize)
			binary.LittleEndian.PutUint64(b, first)
			return m.storeRet(p, a[0], b, 0)
		}
	}
	def("int sigemptyset(sigset_t *set)", sigset(0))
	// glibc 2.36's sigfillset: signals 1 to 64 but its own.
	def("int sigfillset(sigset_t *set)", sigset(^uint64(0)&^sigInternal))
	// sigaddset, sigdelset and sigismember: EINVAL for a number outside 1
	// to 64 (and, adding or removing, for glibc's own signals).
	member := func(op int) func(m *machine, p *proc, a []int64) (int64, bres) {
		return func(m *machine, p *proc, a []int64) (int64, bres) {
			n := int(a[1])
			if a[0] == 0 || n <= 0 || n >= 65 || op != 0 && sigInternal&sigBit(n) != 0 {
				p.setErrno(m, engine.EINVAL)
				return -1, bOK
			}
			w, ok := m.loadMask(p, a[0])
			if !ok {
				return 0, bExit
			}
			switch op {
			case 0:
				if w&sigBit(n) != 0 {
					return 1, bOK
				}
				return 0, bOK
			case 1:
				w |= sigBit(n)
			case 2:
				w &^= sigBit(n)
			}
			return ret(0, m.storeMask(p, a[0], w))
		}
	}
	def("int sigismember(const sigset_t *set, int sig)", member(0))
	def("int sigaddset(sigset_t *set, int sig)", member(1))
	def("int sigdelset(sigset_t *set, int sig)", member(2))
	def("int sigisemptyset(const sigset_t *set)", func(m *machine, p *proc, a []int64) (int64, bres) {
		w, ok := m.loadMask(p, a[0])
		if !ok {
			return 0, bExit
		}
		if w == 0 {
			return 1, bOK
		}
		return 0, bOK
	})
	combine := func(f func(x, y uint64) uint64) func(m *machine, p *proc, a []int64) (int64, bres) {
		return func(m *machine, p *proc, a []int64) (int64, bres) {
			x, ok := m.loadMask(p, a[1])
			if !ok {
				return 0, bExit
			}
			y, ok := m.loadMask(p, a[2])
			if !ok {
				return 0, bExit
			}
			return ret(0, m.storeMask(p, a[0], f(x, y)))
		}
	}
	def("int sigandset(sigset_t *dst, const sigset_t *a, const sigset_t *b)", combine(func(x, y uint64) uint64 { return x & y }))
	def("int sigorset(sigset_t *dst, const sigset_t *a, const sigset_t *b)", combine(func(x, y uint64) uint64 { return x | y }))
	def("int sigprocmask(int how, const sigset_t *set, sigset_t *old)", func(m *machine, p *proc, a []int64) (int64, bres) {
		e, ok := m.sigprocmask(p, a[0], a[1], a[2])
		if !ok {
			return 0, bExit
		}
		if e != 0 {
			p.setErrno(m, e)
			return -1, bOK
		}
		return 0, bOK
	})
	def("int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)", func(m *machine, p *proc, a []int64) (int64, bres) {
		e, ok := m.sigprocmask(p, a[0], a[1], a[2])
		if !ok {
			return 0, bExit
		}
		return int64(e), bOK
	})
	def("int sigpending(sigset_t *set)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return ret(0, m.storeMask(p, a[0], (p.pending|p.sharedPending)&p.blocked))
	})
	// sigsuspend waits with the mask it is given for a signal to deliver:
	// one pending that the mask lets through is delivered with the mask
	// in force, and the old mask is back when its handler returns. With
	// none pending, no other process sends the model's threads signals:
	// the wait would never end.
	def("int sigsuspend(const sigset_t *set)", func(m *machine, p *proc, a []int64) (int64, bres) {
		mask, ok := m.loadMask(p, a[0])
		if !ok {
			return 0, bExit
		}
		mask &^= sigCantMask
		deliverable := false
		for sig := 1; sig < 65; sig++ {
			if (p.pending|p.sharedPending)&^mask&sigBit(sig) != 0 && !m.ignored(p, sig) {
				deliverable = true
			}
		}
		if !deliverable {
			m.abort("sigsuspend waits for a signal nothing will send: the model's processes send each other no signals but SIGKILL's end")
			return 0, bAbort
		}
		// Delivered as the call returns, with the mask given; the first
		// handler's return restores the mask before (the kernel's saved
		// sigmask).
		p.suspendMask, p.suspended = p.blocked, true
		p.blocked = mask
		p.setErrno(m, engine.EINTR)
		return -1, bOK
	})
	// sigaltstack: the thread's alternate signal stack, as the kernel's
	// do_sigaltstack checks and keeps it.
	def("int sigaltstack(const stack_t *ss, stack_t *old)", func(m *machine, p *proc, a []int64) (int64, bres) {
		le := binary.LittleEndian
		var nss [24]byte
		if a[0] != 0 {
			if err := m.eng.Load(p.pid, uint64(a[0]), nss[:]); err != nil {
				m.fault(p, err)
				return 0, bExit
			}
		}
		var old [24]byte
		le.PutUint64(old[0:], p.alt.sp)
		le.PutUint64(old[16:], p.alt.size)
		flags := p.alt.flags
		switch {
		case p.alt.size == 0:
			flags |= ssDisable
		case p.alt.on(p.sp):
			flags |= ssOnstack
		}
		le.PutUint32(old[8:], flags)
		if a[0] != 0 {
			sp, nflags, size := le.Uint64(nss[0:]), le.Uint32(nss[8:]), le.Uint64(nss[16:])
			mode := nflags &^ ssAutodisarm
			switch {
			case p.alt.on(p.sp):
				p.setErrno(m, engine.EPERM)
				return -1, bOK
			case mode != ssDisable && mode != ssOnstack && mode != 0:
				p.setErrno(m, engine.EINVAL)
				return -1, bOK
			case mode == ssDisable:
				p.alt = altStack{}
			case size < 2048: // MINSIGSTKSZ, the kernel's
				p.setErrno(m, engine.ENOMEM)
				return -1, bOK
			default:
				p.alt = altStack{sp: sp, size: size, flags: nflags & ssAutodisarm}
			}
		}
		if a[1] != 0 {
			return m.storeRet(p, a[1], old[:], 0)
		}
		return 0, bOK
	})
}
