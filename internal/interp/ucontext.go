package interp

import "encoding/binary"

// <ucontext.h>'s contexts (getcontext, makecontext, swapcontext,
// setcontext) on the interpreter's frames. A context is an activation to
// resume (the frames, the register stack they use, the stack pointer),
// kept by the run under its ucontext_t's address: the frames and registers
// cannot live in the program's 968 bytes. makecontext starts a new stack of
// frames on the program's own memory (uc_stack), whose function returning
// resumes uc_link, or exits when that is NULL, as glibc's __start_context.
// A context keeps the signal mask too (uc_sigmask), which setcontext
// restores. As with setjmp, locals keep their latest values.

// uctx is one saved context.
type uctx struct {
	frames  []frame
	regs    []int64
	sp, lo  uint64
	stackID int    // which stack of frames: 0 the thread's own, else a makecontext's
	dst     int32  // the register getcontext/swapcontext returns 0 in; -1 none
	link    uint64 // for a makecontext stack: its uc_link
	mask    uint64 // uc_sigmask: the signal mask setcontext restores
}

// ucontext_t's fields as glibc lays them out on x86-64.
const (
	ucLink    = 8
	ucStackSP = 16
	ucStackSz = 32
)

// saveContext keeps p's current activation as the context at u: resumed,
// the call returns 0.
func (m *machine) saveContext(p *proc, u int64) {
	fr := p.frames[len(p.frames)-1]
	in := fr.fn.code[fr.pc]
	frames := append([]frame(nil), p.frames...)
	frames[len(frames)-1].pc = fr.pc + 1
	if m.uctxs == nil {
		m.uctxs = map[futexKey]*uctx{}
		m.stackRegs = map[int][]int64{}
	}
	m.uctxs[futexKey{pid: p.pid, addr: uint64(u)}] = &uctx{frames: frames, regs: p.regs, sp: p.sp, lo: p.lo,
		stackID: p.stackID, dst: in.a, link: p.ucLink, mask: p.blocked}
}

// resumeContext makes the context at u p's current one.
func (m *machine) resumeContext(p *proc, u uint64) bres {
	c := m.uctxs[futexKey{pid: p.pid, addr: u}]
	if c == nil {
		m.abort("setcontext or swapcontext to a ucontext_t that getcontext or makecontext did not fill")
		return bAbort
	}
	m.stackRegs[p.stackID] = p.regs // the latest registers of the stack left
	regs := c.regs
	if r, ok := m.stackRegs[c.stackID]; ok {
		regs = r
	}
	if c.stackID == p.stackID {
		regs = p.regs
	}
	p.frames = append(p.frames[:0:0], c.frames...)
	p.regs = regs
	p.sp, p.lo, p.stackID, p.ucLink = c.sp, c.lo, c.stackID, c.link
	p.blocked = c.mask
	if c.dst >= 0 {
		top := p.frames[len(p.frames)-1]
		p.regs[top.base+int(c.dst)] = 0
	}
	p.sigGen++ // the VM resumes at the frame now on top
	return bOK
}

// contextReturned is a makecontext function's return: to uc_link, or the
// thread's end.
func (m *machine) contextReturned(p *proc) bres {
	if p.ucLink != 0 {
		return m.resumeContext(p, p.ucLink)
	}
	if p.thread != nil && p.thread.spawned {
		return m.threadExit(p, 0)
	}
	return m.exit(p, 0)
}

func init() {
	def("int getcontext(ucontext_t *uc)", func(m *machine, p *proc, a []int64) (int64, bres) {
		m.saveContext(p, a[0])
		return 0, bOK
	})
	def("int setcontext(const ucontext_t *uc)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return 0, m.resumeContext(p, uint64(a[0]))
	})
	def("int swapcontext(ucontext_t *old, const ucontext_t *uc)", func(m *machine, p *proc, a []int64) (int64, bres) {
		m.saveContext(p, a[0])
		return 0, m.resumeContext(p, uint64(a[1]))
	})
	def("void makecontext(ucontext_t *uc, void (*fn)(void), int argc, ...)", func(m *machine, p *proc, a []int64) (int64, bres) {
		fa := a[1]
		idx := (fa - funcAddrBase) / 16
		if fa < funcAddrBase || (fa-funcAddrBase)%16 != 0 || idx >= int64(len(m.prog.funcs)) || !m.prog.funcs[idx].defined {
			m.abort("makecontext of something that is not a function")
			return 0, bAbort
		}
		fn := m.prog.funcs[idx]
		b, ok := m.load(p, uint64(a[0]), ucStackSz+8)
		if !ok {
			return 0, bExit
		}
		link := binary.LittleEndian.Uint64(b[ucLink:])
		ss := binary.LittleEndian.Uint64(b[ucStackSP:])
		size := binary.LittleEndian.Uint64(b[ucStackSz:])
		top := (ss + size) &^ 15
		regs := make([]int64, 256+fn.nslots())
		copy(regs[fn.nregs:], fn.consts)
		args := a[3:]
		for i := 0; i < int(a[2]) && i < len(args) && i < fn.nparams; i++ {
			regs[i] = args[i]
		}
		if m.uctxs == nil {
			m.uctxs = map[futexKey]*uctx{}
			m.stackRegs = map[int][]int64{}
		}
		m.nextStack++
		mask := p.blocked // getcontext's, which makecontext keeps
		if old := m.uctxs[futexKey{pid: p.pid, addr: uint64(a[0])}]; old != nil {
			mask = old.mask
		}
		m.uctxs[futexKey{pid: p.pid, addr: uint64(a[0])}] = &uctx{mask: mask,
			frames: []frame{{fn: fn, fp: top - 16, sp: top, dst: -1}}, regs: regs,
			sp: top - 16 - uint64(fn.frame), lo: ss, stackID: m.nextStack, dst: -1, link: link}
		m.stackRegs[m.nextStack] = regs
		return 0, bOK
	})
}
