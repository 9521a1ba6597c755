package interp

// GNU's compiler built-ins that are syntax rather than library calls, and
// inline assembly, as the parser reads them.

// builtin parses the built-ins whose operands are types or designators,
// or that fold to their operand; t is the name, already read. It returns
// nil for a name that is none of them.
func (p *parser) builtin(t token) *expr {
	if !p.is("(") {
		return nil
	}
	switch t.text {
	case "__builtin_expect", "__builtin_expect_with_probability":
		// The hint is for the optimiser: the value is the first operand.
		p.advance()
		x := p.assignExpr()
		for p.accept(",") {
			p.assignExpr()
		}
		p.expect(")")
		return x
	case "__builtin_assume_aligned":
		p.advance()
		x := p.assignExpr()
		for p.accept(",") {
			p.assignExpr()
		}
		p.expect(")")
		return x
	case "__builtin_offsetof":
		p.advance()
		ty := p.typeName()
		p.expect(",")
		off := p.offsetofDesignator(ty)
		p.expect(")")
		return &expr{op: eNum, tok: t, ival: off, t: builtinTypedefs["size_t"]}
	case "__builtin_types_compatible_p":
		p.advance()
		a := p.typeName()
		p.expect(",")
		b := p.typeName()
		p.expect(")")
		return &expr{op: eTypesCompatible, tok: t, t: a, t2: b}
	case "__builtin_constant_p":
		p.advance()
		x := p.assignExpr()
		p.expect(")")
		return &expr{op: eConstantP, tok: t, x: x}
	case "__builtin_choose_expr":
		p.advance()
		c := p.assignExpr()
		p.expect(",")
		a := p.assignExpr()
		p.expect(",")
		b := p.assignExpr()
		p.expect(")")
		v, ok := p.evalConst(c)
		if !ok {
			p.errorAt(c.tok, "first argument to '__builtin_choose_expr' not a constant")
		}
		if v != 0 {
			return a
		}
		return b
	case "__builtin_trap", "__builtin_unreachable":
		p.advance()
		p.expect(")")
		return &expr{op: eTrap, tok: t}
	}
	return nil
}

// offsetofDesignator is offsetof's member designator: a.b[2].c.
func (p *parser) offsetofDesignator(t *ctype) int64 {
	var off int64
	first := true
	for {
		switch {
		case first || p.accept("."):
			n := p.expectIdent()
			if t.k != kStruct {
				p.errorAt(n, "request for member '%s' in something not a structure or union", n.text)
				return 0
			}
			f, ok := t.field(n.text)
			if !ok {
				p.errorAt(n, "'%s' has no member named '%s'", t.String(), n.text)
				return 0
			}
			off += f.off
			t = f.t
			first = false
		case p.is("["):
			at := p.advance()
			i := p.constExpr()
			p.expect("]")
			if t.k != kArray {
				p.errorAt(at, "subscripted value is neither array nor pointer nor vector")
				return 0
			}
			t = t.elem
			off += i * t.size
		default:
			return off
		}
	}
}

// asmStatement reads asm [volatile] ("template" : outputs : inputs :
// clobbers). What cannot change the program's values does nothing: an
// empty template (with any operands) or a fence with no outputs (a
// compiler or memory barrier, which the interpreter's in-order accesses
// already are). Two templates are what they do on x86-64 (asm.go): the
// syscall instruction, a system call made as syscall() makes it, and an
// indirect call through an operand (call *%[rax]), a call into the vDSO or
// the vsyscall page. Anything else compiles, as gcc's does, and stops the
// program when it runs, since its instructions cannot run here (a test
// suite's asm is often on a path the machine never takes).
func (p *parser) asmStatement() *stmt {
	t := p.advance()
	for p.is("volatile") || p.is("__volatile__") || p.is("__volatile") || p.is("goto") || p.is("inline") {
		p.advance()
	}
	p.expect("(")
	var tmpl string
	for p.tok().kind == tString {
		s := p.advance().text
		if len(s) >= 2 {
			tmpl += string(unescape(s[1 : len(s)-1]))
		}
	}
	var outs, ins []asmOperand
	if p.accept(":") {
		outs = p.asmOperands()
		if p.accept(":") {
			ins = p.asmOperands()
		}
	}
	for !p.is(")") && !p.eof() {
		p.skipBalanced() // the clobbers, an asm goto's labels
	}
	p.expect(")")
	p.expect(";")
	tmpl = trimSpace(tmpl)
	if tmpl == "" || (len(outs) == 0 && harmlessAsm[tmpl]) {
		// An empty template is a compiler barrier even with operands ("+r"
		// (x) keeps x as it is); a fence with no outputs changes nothing.
		return &stmt{k: sEmpty, tok: t}
	}
	if e := p.asmInstruction(t, tmpl, outs, ins); e != nil {
		return &stmt{k: sExpr, tok: t, e: e}
	}
	call := &expr{op: eCall, tok: t, x: &expr{op: eIdent, tok: t, name: asmBuiltin},
		args: []*expr{{op: eStr, tok: t, sval: tmpl}}}
	return &stmt{k: sExpr, tok: t, e: call}
}

// asmBuiltin is what an asm statement that would do something calls: it
// ends the run, naming the gap.
const asmBuiltin = "__playground_inline_asm"

func init() {
	def("void "+asmBuiltin+"(const char *template)", func(m *machine, p *proc, a []int64) (int64, bres) {
		tmpl, _ := m.str(p, a[0])
		m.abort("inline assembly is not supported by the playground (%q: it runs only the syscall instruction and a call into the vDSO)", tmpl)
		return 0, bAbort
	})
}

// harmlessAsm are the templates that change nothing the program can see.
var harmlessAsm = map[string]bool{"": true, "nop": true, "pause": true, "rep; nop": true, "rep nop": true,
	"mfence": true, "lfence": true, "sfence": true, "lock; addl $0,0(%rsp)": true, "lock; addl $0,-4(%rsp)": true}

func trimSpace(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t' || s[len(s)-1] == '\n' || s[len(s)-1] == ';') {
		s = s[:len(s)-1]
	}
	return s
}

// generic is C11's _Generic(controlling, type: expr, ..., default: expr);
// the compiler picks the association (eGeneric: args in order, each with
// its type in t, nil for default).
func (p *parser) generic(at token) *expr {
	p.expect("(")
	e := &expr{op: eGeneric, tok: at, x: p.assignExpr()}
	for p.accept(",") {
		var t *ctype
		if !p.accept("default") {
			t = p.typeName()
		}
		p.expect(":")
		a := p.assignExpr()
		e.args = append(e.args, a)
		e.types = append(e.types, t)
	}
	p.expect(")")
	return e
}
