package interp

import (
	"encoding/binary"
	"strconv"

	"github.com/mmapplayground/playground/internal/engine"
)

// The signal frame (arch/x86/kernel/signal_64.c's struct rt_sigframe), as
// the kernel lays it out below the interrupted stack pointer: the return
// address (pretcode), the ucontext_t the handler's third argument points
// to, and the siginfo_t its second does; above them the XSAVE area. The
// handler's return is rt_sigreturn: the mask, the flags the kernel lets a
// program set (FIX_EFLAGS) and the instruction pointer are taken back from
// the frame, as the handler left them.
//
// The interpreter has no registers of the CPU's, so the frame's
// general registers are zero but for what the model has: RSP (the
// interrupted stack pointer), RIP, EFL (the flags a program reads with
// pushf: IF, the reserved bit and what popf set), CSGSFS (the user code
// and stack segments), ERR, TRAPNO and CR2 (the thread's last exception's,
// as the kernel keeps them: engine.Signal's), OLDMASK; and at a call
// through a pointer, the call's arguments in RDI, RSI, RDX, RCX, R8 and R9.
// RIP is the running function's address, as a pointer to it reads, at its
// first instruction, and one past it elsewhere; at a call through a pointer
// that faults or traps, the called address. A handler that changes RIP
// there makes the call go to the new address; anywhere else the
// interpreter has no instruction to resume at. There is no XSAVE area
// (fpregs is NULL, and uc_flags has no UC_FP_XSTATE).

// The frame's layout: ucontext_t at 8, siginfo_t after the kernel's
// struct ucontext (whose uc_sigmask is 8 bytes, glibc's 128).
const (
	rtFrameUC       = 8
	rtFrameInfo     = rtFrameUC + 304
	rtFrameSize     = rtFrameInfo + 128
	ucStackFlags    = 24
	ucGregs         = 40
	ucSigmask       = 296
	ucSigcontextSS  = 2 // UC_SIGCONTEXT_SS
	ucStrictRestore = 4 // UC_STRICT_RESTORE_SS
	// sigFPStateSize is the XSAVE area the kernel puts above the frame
	// (xstate_sigframe_size): this machine's 2816 bytes (the AMX tiles
	// are a process's only once it asks) and FP_XSTATE_MAGIC2.
	sigFPStateSize = 2820
	// userCSGSFS is REG_CSGSFS: __USER_CS (0x33), gs and fs 0, __USER_DS
	// (0x2b) as ss.
	userCSGSFS = 0x33 | 0x2b<<48
	// fixEflags are the flags sigreturn takes from the frame (FIX_EFLAGS:
	// AC OF DF TF SF ZF AF PF CF, and RF, which the model has not).
	fixEflags = 1<<18 | 1<<11 | 1<<10 | 1<<8 | 1<<7 | 1<<6 | 1<<4 | 1<<2 | 1<<0
	eflagsTF  = 1 << 8
	eflagsDF  = 1 << 10
)

// glibc's <sys/ucontext.h> (with _GNU_SOURCE): the indexes of gregs.
var gregNames = []string{"R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15", "RDI", "RSI", "RBP", "RBX",
	"RDX", "RAX", "RCX", "RSP", "RIP", "EFL", "CSGSFS", "ERR", "TRAPNO", "OLDMASK", "CR2"}

const (
	regRDI, regRSI, regRDX, regRCX, regR8, regR9 = 8, 9, 12, 14, 0, 1
	regRSP, regRIP, regEFL, regCSGSFS            = 15, 16, 17, 18
	regERR, regTRAPNO, regOLDMASK, regCR2        = 19, 20, 21, 22
)

func init() {
	for i, n := range gregNames {
		libMacros = append(libMacros, "REG_"+n+" "+strconv.Itoa(i))
	}
	libMacros = append(libMacros, "__NGREG 23", "NGREG __NGREG")
}

// trapState is what the kernel keeps of a thread's last exception for the
// signal frame (thread.trap_nr, error_code, cr2).
type trapState struct {
	nr, err, cr2 uint64
}

// callRedirect is where the call through a pointer at frame depth and pc
// goes when it runs again after a handler's return: RIP as the handler
// left it.
type callRedirect struct {
	depth, pc int
	to        int64
}

// codeAddr is the frame's RIP: its function's address at its first
// instruction, one past it elsewhere.
func codeAddr(fr *frame) uint64 {
	a := uint64(funcAddrBase + 16*fr.fn.idx)
	if fr.pc != 0 {
		a++
	}
	return a
}

// sigFrameAt is where get_sigframe puts the frame for a signal taken at
// p's stack pointer: below the red zone, or at the top of the alternate
// stack; the XSAVE area 64-aligned, the frame below it aligned as after a
// call. ok is false when the alternate stack cannot hold it.
func sigFrameAt(p *proc, onstack bool) (uint64, bool) {
	sp := p.sp - 128
	nested := p.alt.on(p.sp)
	entering := onstack && p.alt.size != 0 && !p.alt.on(sp)
	if entering {
		sp = p.alt.sp + p.alt.size
	}
	fx := (sp - sigFPStateSize) &^ 63
	frame := (fx-rtFrameSize)&^15 - 8
	if (nested || entering) && !p.alt.on(frame) {
		return 0, false
	}
	return frame, true
}

// writeSigFrame writes the handler's frame at frame for sig: the siginfo_t
// (for an SA_SIGINFO handler) and the ucontext_t, with old the mask the
// return restores. It returns the RIP it gave.
func (m *machine) writeSigFrame(p *proc, frame uint64, sig *engine.Signal, siginfo bool, old uint64, atCall bool) (uint64, bool) {
	le := binary.LittleEndian
	if siginfo {
		var si [128]byte
		le.PutUint32(si[0:], uint32(sig.Signo))
		le.PutUint32(si[8:], uint32(sig.Code))
		le.PutUint64(si[16:], sig.Addr)
		if err := m.eng.Store(p.pid, frame+rtFrameInfo, si[:]); err != nil {
			return 0, false
		}
	}
	var uc [ucSigmask + 8]byte
	le.PutUint64(uc[0:], ucSigcontextSS|ucStrictRestore)
	le.PutUint64(uc[16:], p.alt.sp)
	le.PutUint32(uc[ucStackFlags:], p.alt.flags)
	le.PutUint64(uc[32:], p.alt.size)
	greg := func(i int, v uint64) { le.PutUint64(uc[ucGregs+8*i:], v) }
	top := &p.frames[len(p.frames)-1]
	rip, sp := codeAddr(top), p.sp
	if atCall {
		// At the called address, the return address pushed; the
		// arguments in their registers.
		rip, sp = sig.Addr, p.sp-8
		in := &top.fn.code[top.pc]
		args := p.regs[top.base+int(in.b) : top.base+int(in.b)+int(in.c)]
		for i, r := range []int{regRDI, regRSI, regRDX, regRCX, regR8, regR9} {
			if i < len(args) {
				greg(r, uint64(args[i]))
			}
		}
	}
	greg(regRSP, sp)
	greg(regRIP, rip)
	greg(regEFL, eflagsUser|p.eflags)
	greg(regCSGSFS, userCSGSFS)
	greg(regERR, p.trap.err)
	greg(regTRAPNO, p.trap.nr)
	greg(regOLDMASK, old)
	greg(regCR2, p.trap.cr2)
	le.PutUint64(uc[ucSigmask:], old)
	if err := m.eng.Store(p.pid, frame+rtFrameUC, uc[:]); err != nil {
		return 0, false
	}
	return rip, true
}

// sigreturn is rt_sigreturn at the end of p's handler whose frame was
// sf: the mask, the flags and RIP from the frame. It reports false when
// the run ends (the frame unreadable: SIGSEGV; RIP moved where the
// interpreter cannot go: the run stops).
func (m *machine) sigreturn(p *proc, sf *sigFrame) bool {
	var uc [ucSigmask + 8]byte
	if err := m.eng.Load(p.pid, sf.frame+rtFrameUC, uc[:]); err != nil {
		m.kill(p, &engine.Signal{Signo: engine.SIGSEGV, Code: engine.SI_KERNEL})
		return false
	}
	le := binary.LittleEndian
	p.blocked = le.Uint64(uc[ucSigmask:]) &^ sigCantMask
	p.alt = sf.alt
	efl := le.Uint64(uc[ucGregs+8*regEFL:])
	p.eflags = p.eflags&^fixEflags | efl&fixEflags&eflagsUserBits
	rip := le.Uint64(uc[ucGregs+8*regRIP:])
	switch {
	case sf.atCall:
		top := &p.frames[len(p.frames)-1]
		p.redirect = &callRedirect{depth: len(p.frames), pc: top.pc, to: int64(rip)}
	case rip != sf.rip:
		m.abort("the signal handler moved RIP to %#x: the interpreter resumes a handler's return at the instruction it interrupted, or, for a call through a pointer, at the function RIP names", rip)
		return false
	}
	m.stepArm(p)
	return true
}

// The trap flag: with TF set, the CPU raises a debug exception after each
// instruction, SIGTRAP (TRAP_TRACE) to the program. The model's
// instructions are the interpreter's: the VM stops after each one it runs
// with TF set (its step budget cut to one), and a call through a pointer
// to code the model runs itself (the vDSO, the vsyscall page) traps at the
// called address first, as the CPU does after the call instruction, then
// once after the whole function, which it runs as one instruction.

// stepArm makes the VM stop after the next instruction when p's flags
// have TF: the budget of the step chunk cut to one step (the steps taken
// stay counted).
func (m *machine) stepArm(p *proc) {
	if p.eflags&eflagsTF == 0 {
		return
	}
	p.stepArmed = true
	m.steps = m.steps - uint64(m.budget) + 2
	m.budget = 2
}

// stepTrap is the single step's SIGTRAP, at the instruction the VM is to
// run next in p (or, atCall, at the called address addr).
func (m *machine) stepTrap(p *proc, addr uint64, atCall bool) {
	p.stepArmed = false
	if !atCall {
		addr = codeAddr(&p.frames[len(p.frames)-1])
	}
	p.atCall = atCall
	m.kill(p, &engine.Signal{Signo: engine.SIGTRAP, Code: engine.TRAP_TRACE, Addr: addr, Trap: true, TrapNr: engine.X86_TRAP_DB})
	p.atCall = false
}
