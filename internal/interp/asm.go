package interp

import (
	"strconv"
	"strings"
)

// Inline assembly the interpreter runs: the two x86-64 instructions a
// test suite uses to reach the kernel without libc, written with GNU C's
// register constraints. Each is compiled to a call of a builtin below,
// its operands placed as the instruction finds them:
//
//	syscall         rax the number; rdi rsi rdx r10 r8 r9 the arguments;
//	                rax the result (-errno: no errno is set); rcx and r11
//	                are the instruction's, clobbered
//	call *%[op]     the operand the address; rdi rsi rdx rcx r8 r9 the
//	                arguments (the calling convention); rax the result.
//	                The interpreter runs no machine code: the address must
//	                be a vDSO function's or a vsyscall page's entry, which
//	                the engine runs (engine.VDSO)
//
// A register is named by its constraint letter ("a" rax, "b" rbx, "c"
// rcx, "d" rdx, "S" rsi, "D" rdi), by a local register variable's asm
// label (register long r10 asm("r10") = x; ... "r" (r10)), or by a
// matching constraint ("0": the register of output 0).

// asmOperand is one operand of an asm statement: [name] "constraint" (e).
type asmOperand struct {
	name, constraint string
	e                *expr
}

// asmOperands reads a comma-separated list of operands, up to the next
// ':' or ')'.
func (p *parser) asmOperands() []asmOperand {
	var ops []asmOperand
	for !p.is(":") && !p.is(")") && !p.eof() {
		var op asmOperand
		if p.accept("[") {
			op.name = p.advance().text
			p.expect("]")
		}
		for p.tok().kind == tString {
			s := p.advance().text
			if len(s) >= 2 {
				op.constraint += string(unescape(s[1 : len(s)-1]))
			}
		}
		p.expect("(")
		op.e = p.expr()
		p.expect(")")
		ops = append(ops, op)
		if !p.accept(",") {
			break
		}
	}
	return ops
}

// asmConstraintRegs are the x86 constraint letters that name one register.
var asmConstraintRegs = map[byte]string{'a': "rax", 'b': "rbx", 'c': "rcx", 'd': "rdx", 'S': "rsi", 'D': "rdi"}

// asmRegister is the register an operand is in, "" when its constraint
// lets the compiler choose one the parser cannot tell.
func (p *parser) asmRegister(op asmOperand, outs []asmOperand) string {
	c := strings.TrimLeft(op.constraint, "=+&")
	if c == "" {
		return ""
	}
	if r, ok := asmConstraintRegs[c[0]]; ok && len(c) == 1 {
		return r
	}
	if n, err := strconv.Atoi(c); err == nil && n < len(outs) {
		return p.asmRegister(outs[n], nil)
	}
	if op.e.op == eIdent && strings.ContainsAny(c, "rg") {
		return strings.TrimPrefix(p.regVars[op.e.name], "%")
	}
	return ""
}

// asmArgRegs are each instruction's argument registers, in order.
var asmArgRegs = map[string][]string{
	"syscall": {"rax", "rdi", "rsi", "rdx", "r10", "r8", "r9"},
	"call":    {"", "rdi", "rsi", "rdx", "rcx", "r8", "r9"}, // the first is the address
}

// asmInstruction is the call an asm statement's template compiles to, or
// nil when it is neither instruction or its operands are not in the
// registers the instruction reads (the run stops there, as for any asm).
func (p *parser) asmInstruction(t token, tmpl string, outs, ins []asmOperand) *expr {
	var kind string
	var target *expr
	switch {
	case tmpl == "syscall":
		kind = "syscall"
	case strings.HasPrefix(tmpl, "call *%") || strings.HasPrefix(tmpl, "call\t*%") || strings.HasPrefix(tmpl, "callq *%"):
		kind = "call"
		ref := tmpl[strings.Index(tmpl, "%")+1:]
		all := append(append([]asmOperand(nil), outs...), ins...)
		if name, ok := strings.CutPrefix(ref, "["); ok && strings.HasSuffix(name, "]") {
			name = strings.TrimSuffix(name, "]")
			for _, op := range all {
				if op.name == name {
					target = op.e
				}
			}
		} else if n, err := strconv.Atoi(ref); err == nil && n < len(all) {
			target = all[n].e
		}
		if target == nil {
			return nil
		}
	default:
		return nil
	}
	regs := asmArgRegs[kind]
	args := make([]*expr, len(regs))
	if kind == "call" {
		args[0] = target
	}
	// The inputs, and the outputs that are inputs too ("+a").
	var result *expr
	for i, op := range append(append([]asmOperand(nil), outs...), ins...) {
		r := p.asmRegister(op, outs)
		isOut := i < len(outs)
		if isOut {
			switch {
			case r == "rax":
				result = op.e
			case r == "rcx" || r == "r11":
				// Clobbered by the instruction: any value will do.
			default:
				return nil
			}
			if !strings.HasPrefix(op.constraint, "+") {
				continue
			}
		}
		found := false
		for j, reg := range regs {
			if reg == r && r != "" {
				args[j], found = op.e, true
			}
		}
		if !found && !(kind == "call" && op.e == target) {
			return nil
		}
	}
	for i, a := range args {
		if a == nil {
			a = &expr{op: eNum, tok: t, t: tLong}
		}
		args[i] = &expr{op: eCast, tok: t, t: tLong, x: a}
	}
	e := &expr{op: eCall, tok: t, x: &expr{op: eIdent, tok: t, name: "__playground_asm_" + kind}, args: args}
	if result != nil {
		to := tLong
		if rt := p.exprType(result); rt != nil && (rt.k == kPtr || rt.isInteger()) {
			to = rt
		}
		e = &expr{op: eAssign, tok: t, opText: "=", x: result, y: &expr{op: eCast, tok: t, t: to, x: e}, unused: true}
	}
	return e
}

func init() {
	// The syscall instruction: the kernel's answer as it leaves it in
	// rax, a failure's -errno, errno untouched (syscall() sets it; the
	// instruction does not).
	def("long __playground_asm_syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6)",
		func(m *machine, p *proc, a []int64) (int64, bres) {
			p.rawSyscall, p.rawErrno = true, 0
			r, st := builtins["syscall"].fn(m, p, a)
			p.rawSyscall = false
			if st == bOK && p.rawErrno != 0 {
				r = -int64(p.rawErrno)
			}
			return r, st
		})
	// call *%reg: the engine's vDSO or vsyscall function at the address.
	def("long __playground_asm_call(long addr, long a1, long a2, long a3, long a4, long a5, long a6)",
		func(m *machine, p *proc, a []int64) (int64, bres) {
			r, sig, ok := m.callVDSO(p, uint64(a[0]), a[1:])
			switch {
			case !ok:
				m.abort("inline assembly calls %#x, which is no vDSO or vsyscall entry: the playground runs no machine code", uint64(a[0]))
				return 0, bAbort
			case sig != nil:
				m.kill(p, sig)
				return 0, bExit
			}
			return r, bOK
		})
}

// The flags register as a user program reads and writes it (pushf, popf:
// GCC's __builtin_ia32_readeflags_u64 and __builtin_ia32_writeeflags_u64).
// At user level the model's flags are IF and the reserved bit 1 (0x202):
// the arithmetic flags are set by instructions the interpreter does not
// run, so they read clear. popf at CPL 3 with IOPL 0 changes only the bits
// in eflagsUserBits (IF, IOPL, VM, RF, VIF and VIP stay as they are).
// TF makes the VM single-step (sigcontext.go): a SIGTRAP after each
// instruction. AC is kept as written, and does nothing: the model does not
// check alignment (natively, with AC set, the next misaligned access is
// SIGBUS).
const (
	eflagsUser     = 0x202
	eflagsUserBits = 0x1<<0 | 1<<2 | 1<<4 | 1<<6 | 1<<7 | 1<<8 | 1<<10 | 1<<11 | 1<<14 | 1<<18 | 1<<21 // CF PF AF ZF SF TF DF OF NT AC ID
)

func init() {
	def("unsigned long long __builtin_ia32_readeflags_u64(void)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return int64(eflagsUser | p.eflags), bOK
	})
	def("void __builtin_ia32_writeeflags_u64(unsigned long long flags)", func(m *machine, p *proc, a []int64) (int64, bres) {
		p.eflags = uint64(a[0]) & eflagsUserBits
		if !p.stepArmed {
			// TF set now: the trap follows the next instruction (a popf
			// that began with TF set traps after itself).
			m.stepArm(p)
		}
		return 0, bOK
	})
}
