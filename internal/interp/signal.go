package interp

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// Signal handlers, as signal(2) and sigaction(2) install them. A handled
// signal pushes a call of the handler on top of the interrupted frame; when
// the handler returns, the interrupted instruction runs again, as on Linux
// (so a handler that returns from a fault faults again).

const (
	sigDfl     = 0
	sigIgn     = 1
	saSiginfo  = 4
	saResethnd = 0x80000000
	saNodefer  = 0x40000000
)

// deliver runs p's handler for sig, if it has one; it reports whether it did.
func (m *machine) deliver(p *proc, sig *engine.Signal) bool {
	n := sig.Signo
	if n <= 0 || n >= len(p.handlers) || n == engine.SIGKILL {
		return false
	}
	h := p.handlers[n]
	if h == sigDfl || h == sigIgn || p.inSig[n] {
		// Linux forces the default action for a fault that is ignored or
		// blocked (its handler is running).
		return false
	}
	idx := (h - funcAddrBase) / 16
	if h < funcAddrBase || (h-funcAddrBase)%16 != 0 || idx >= int64(len(m.prog.funcs)) || !m.prog.funcs[idx].defined {
		return false
	}
	fn := m.prog.funcs[idx]
	if len(p.frames) >= m.maxDepth {
		return false
	}
	m.emit(&engine.Event{Type: engine.EvSignal, Pid: p.pid, Signal: engine.SignalName(n), Code: sig.CodeName(),
		Addr: sig.Addr, Op: "handler", Text: engine.SignalDescription(n)})
	flags := p.sigFlags[n]
	if flags&saResethnd != 0 {
		p.handlers[n] = sigDfl
	}
	if flags&saNodefer == 0 {
		p.inSig[n] = true
	}
	// The kernel's signal frame: a siginfo_t on the stack.
	sp := (p.sp - 256) &^ 15
	info := sp
	if flags&saSiginfo != 0 {
		var si [128]byte
		binary.LittleEndian.PutUint32(si[0:], uint32(n))
		binary.LittleEndian.PutUint32(si[8:], uint32(sig.Code))
		binary.LittleEndian.PutUint64(si[16:], sig.Addr)
		if err := m.eng.Store(p.pid, info, si[:]); err != nil {
			return false
		}
	}
	top := &p.frames[len(p.frames)-1]
	base := top.base + top.fn.nslots()
	need := base + fn.nslots()
	if need > len(p.regs) {
		nr := make([]int64, need*2)
		copy(nr, p.regs)
		p.regs = nr
	}
	args := []int64{int64(n), int64(info), 0}
	copy(p.regs[base:base+min(fn.nparams, 3)], args)
	copy(p.regs[base+fn.nregs:need], fn.consts)
	p.frames = append(p.frames, frame{fn: fn, base: base, fp: sp - 16, sp: p.sp, dst: -1, sig: n})
	p.sp = sp - 16 - uint64(fn.frame)
	p.sigGen++
	return true
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

func init() {
	def("void (*signal(int sig, void (*handler)(int)))(int)", func(m *machine, p *proc, a []int64) (int64, bres) {
		n := a[0]
		if n <= 0 || n >= 65 || n == engine.SIGKILL || n == 19 {
			p.setErrno(m, engine.EINVAL)
			return -1, bOK
		}
		old := p.handlers[n]
		p.handlers[n] = a[1]
		p.sigFlags[n] = 0x10000000 // SA_RESTART, as glibc's signal() sets
		return old, bOK
	})
	def("int sigaction(int sig, const struct sigaction *act, struct sigaction *old)", func(m *machine, p *proc, a []int64) (int64, bres) {
		n := a[0]
		if n <= 0 || n >= 65 || n == engine.SIGKILL || n == 19 {
			p.setErrno(m, engine.EINVAL)
			return -1, bOK
		}
		if a[2] != 0 {
			var b [152]byte
			binary.LittleEndian.PutUint64(b[0:], uint64(p.handlers[n]))
			binary.LittleEndian.PutUint32(b[136:], uint32(p.sigFlags[n]))
			if v, st := m.storeRet(p, a[2], b[:], 0); st != bOK {
				return v, st
			}
		}
		if a[1] != 0 {
			var b [152]byte
			if err := m.eng.Load(p.pid, uint64(a[1]), b[:]); err != nil {
				m.fault(p, err)
				return 0, bExit
			}
			p.handlers[n] = int64(binary.LittleEndian.Uint64(b[0:]))
			p.sigFlags[n] = int64(binary.LittleEndian.Uint32(b[136:]))
		}
		return 0, bOK
	})
	sigset := func(fill byte) func(m *machine, p *proc, a []int64) (int64, bres) {
		return func(m *machine, p *proc, a []int64) (int64, bres) {
			b := make([]byte, 128)
			for i := range b {
				b[i] = fill
			}
			return m.storeRet(p, a[0], b, 0)
		}
	}
	def("int sigemptyset(sigset_t *set)", sigset(0))
	def("int sigfillset(sigset_t *set)", sigset(0xff))
	def("int sigaddset(sigset_t *set, int sig)", func(m *machine, p *proc, a []int64) (int64, bres) { return 0, bOK })
	def("int sigdelset(sigset_t *set, int sig)", func(m *machine, p *proc, a []int64) (int64, bres) { return 0, bOK })
}
