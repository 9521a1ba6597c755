package interp

import (
	"encoding/binary"
	"math"
)

// The compiler checks types and names and emits bytecode in one walk over
// the AST, reporting errors as gcc words them.

type symKind uint8

const (
	symReg symKind = iota // a local in a register
	symMem                // a local in the frame on [stack]
	symGlobal
	symFunc
	symBuiltin
)

type sym struct {
	name string
	kind symKind
	t    *ctype
	reg  int32
	off  int64
	fn   *function
	b    *builtin
	tok  token
}

// operand is an expression's value: in a register, or, for arrays and
// structs, their address in a register.
type operand struct {
	reg     int32
	t       *ctype
	isConst bool
	val     int64
	addr    bool // reg holds the address of an array or struct value
}

type lvKind uint8

const (
	lvReg lvKind = iota
	lvMem
)

type lvalue struct {
	kind lvKind
	reg  int32 // the variable's register, or the address's
	t    *ctype
}

type label struct {
	pos  int
	refs []int
}

type reloc struct {
	off    int64 // where in Data the pointer goes
	target int64
	rodata bool // target is in rodata, else in data
}

type compiler struct {
	diags     *[]Diagnostic
	scopes    []map[string]*sym
	globals   map[string]*sym
	funcs     []*function
	rodata    []byte
	strs      map[string]int64
	data      []byte
	bssSize   int64
	dataFull  bool // initialized data passed maxInitDataTotal (and was told)
	relocs    []reloc
	fn        *function
	fd        *funcDecl
	nextReg   int32
	maxReg    int32
	constIdx  map[int64]int32
	frameOff  int64
	addrTaken map[string]bool
	breaks    []*label
	conts     []*label
	switches  []*switchCtx
	labels    map[string]*label
	line, col int32
	reported  map[string]bool
}

type switchCtx struct {
	cases []caseLabel
	def   *label
	t     *ctype
}

type caseLabel struct {
	v int64
	l *label
}

const constFlag = 1 << 30

// maxInitData bounds a program's initialized globals (they are built in
// host memory; zero-initialized ones cost nothing).
const maxInitData = 16 << 20

// maxInitDataTotal bounds them all together.
const maxInitDataTotal = 64 << 20

func (c *compiler) errorAt(t token, format string, args ...any) {
	*c.diags = append(*c.diags, Diagnostic{Line: t.line, Col: t.col, Token: t.text, Message: sprintf(format, args...)})
}

// ---- registers and emission ----

func (c *compiler) newReg() int32 {
	r := c.nextReg
	c.nextReg++
	if c.nextReg > c.maxReg {
		c.maxReg = c.nextReg
	}
	return r
}

func (c *compiler) constReg(v int64) int32 {
	if r, ok := c.constIdx[v]; ok {
		return r
	}
	r := int32(constFlag + len(c.fn.consts))
	c.fn.consts = append(c.fn.consts, v)
	c.constIdx[v] = r
	return r
}

func (c *compiler) constOp(v int64, t *ctype) operand {
	v = truncTo(v, t)
	return operand{reg: c.constReg(v), t: t, isConst: true, val: v}
}

func (c *compiler) emit(op opcode, a, b, cc int32, imm int64) int {
	c.fn.code = append(c.fn.code, instr{op: op, a: a, b: b, c: cc, imm: imm, line: c.line, col: c.col})
	return len(c.fn.code) - 1
}

func (c *compiler) newLabel() *label { return &label{pos: -1} }

func (c *compiler) jump(op opcode, b, cc int32, l *label) {
	i := c.emit(op, 0, b, cc, int64(l.pos))
	if l.pos < 0 {
		l.refs = append(l.refs, i)
	}
}

func (c *compiler) place(l *label) {
	l.pos = len(c.fn.code)
	for _, i := range l.refs {
		c.fn.code[i].imm = int64(l.pos)
	}
	l.refs = nil
}

// ---- scopes ----

func (c *compiler) push() { c.scopes = append(c.scopes, map[string]*sym{}) }
func (c *compiler) pop()  { c.scopes = c.scopes[:len(c.scopes)-1] }

func (c *compiler) lookup(name string) *sym {
	for i := len(c.scopes) - 1; i >= 0; i-- {
		if s, ok := c.scopes[i][name]; ok {
			return s
		}
	}
	if s, ok := c.globals[name]; ok {
		return s
	}
	return nil
}

func (c *compiler) rodataString(s string) int64 {
	if off, ok := c.strs[s]; ok {
		return off
	}
	off := int64(len(c.rodata))
	c.rodata = append(c.rodata, s...)
	c.rodata = append(c.rodata, 0)
	c.strs[s] = off
	return off
}

// ---- the unit ----

func compileUnit(u *unit, diags *[]Diagnostic) *image {
	c := &compiler{diags: diags, globals: map[string]*sym{}, strs: map[string]int64{}}
	// errno is the first global.
	c.data = make([]byte, 8)
	c.globals["errno"] = &sym{name: "errno", kind: symGlobal, t: tInt, off: errnoOff}
	for name, b := range builtins {
		c.globals[name] = &sym{name: name, kind: symBuiltin, t: b.fnType(), b: b}
	}
	c.globals["stdout"] = &sym{name: "stdout", kind: symBuiltin, t: ptrTo(tFILE)}
	c.globals["stderr"] = &sym{name: "stderr", kind: symBuiltin, t: ptrTo(tFILE)}
	c.globals["stdin"] = &sym{name: "stdin", kind: symBuiltin, t: ptrTo(tFILE)}
	// Functions first, so that calls before a definition resolve.
	for _, it := range u.order {
		switch d := it.(type) {
		case *funcDecl:
			c.declareFunc(d.name, d.tok, d.t, true)
		case *decl:
			if d.t.k == kFunc {
				c.declareFunc(d.name, d.tok, d.t, false)
			}
		}
	}
	for _, it := range u.order {
		switch d := it.(type) {
		case *funcDecl:
			c.function(d)
		case *decl:
			if d.t.k != kFunc {
				c.global(d)
			}
		}
	}
	img := &image{rodata: c.rodata, data: c.data, bss: c.bssSize, relocs: c.relocs, funcs: c.funcs}
	if s := c.globals["main"]; s == nil || s.kind != symFunc || !s.fn.defined {
		if len(*diags) == 0 {
			*diags = append(*diags, Diagnostic{Line: 1, Col: 1, Message: "undefined reference to `main'"})
		}
	} else {
		img.main = s.fn
	}
	for _, f := range c.funcs {
		if !f.defined && f.used {
			*diags = append(*diags, Diagnostic{Line: f.tok.line, Col: f.tok.col, Token: f.name, Message: "undefined reference to `" + f.name + "'"})
		}
	}
	return img
}

func (c *compiler) declareFunc(name string, tok token, t *ctype, def bool) {
	if s, ok := c.globals[name]; ok && s.kind == symFunc {
		if def {
			if s.fn.defined {
				c.errorAt(tok, "redefinition of '%s'", name)
			}
			s.fn.defined = true
			s.fn.t = t
			s.t = t
		}
		return
	}
	f := &function{name: name, idx: len(c.funcs), t: t, defined: def, tok: tok}
	c.funcs = append(c.funcs, f)
	c.globals[name] = &sym{name: name, kind: symFunc, t: t, fn: f, tok: tok}
}

func align(v, a int64) int64 {
	if a <= 1 {
		return v
	}
	return (v + a - 1) / a * a
}

func (c *compiler) global(d *decl) {
	if d.st == stExtern && d.init == nil {
		if _, ok := c.globals[d.name]; ok {
			return
		}
	}
	if s, ok := c.globals[d.name]; ok && s.kind == symGlobal {
		if d.init == nil {
			return // a tentative definition again
		}
	}
	t := d.t
	if t.k == kArray && t.n < 0 && d.init != nil {
		t = arrayOf(t.elem, c.initLen(d.init, t))
	}
	if t.k == kVoid {
		c.errorAt(d.tok, "variable or field '%s' declared void", d.name)
		return
	}
	if t.size >= 1<<32 {
		c.errorAt(d.tok, "size of array '%s' is too large", d.name)
		return
	}
	s := &sym{name: d.name, kind: symGlobal, t: t, tok: d.tok}
	if d.init == nil {
		c.bssSize = align(c.bssSize, t.align)
		s.off = -1 - c.bssSize // bss offsets are resolved after data's size is known
		c.bssSize += t.size
	} else {
		if t.size > maxInitData {
			c.errorAt(d.tok, "initialized variable '%s' is too large for the playground (%d MiB at most)", d.name, maxInitData>>20)
			return
		}
		off := align(int64(len(c.data)), t.align)
		if off+t.size > maxInitDataTotal {
			// All of them together, too: the data segment is host memory,
			// in the compiler and again in every run. Said once.
			if !c.dataFull {
				c.errorAt(d.tok, "initialized variables are too large for the playground with '%s' (%d MiB at most in all)", d.name, maxInitDataTotal>>20)
			}
			c.dataFull = true
			return
		}
		if grow := off + t.size - int64(len(c.data)); grow > 0 {
			c.data = append(c.data, make([]byte, grow)...)
		}
		s.off = off
		c.staticInit(off, t, d.init)
	}
	c.globals[d.name] = s
}

// initLen is the length an initializer gives an array declared with [].
func (c *compiler) initLen(e *expr, t *ctype) int64 {
	if e.op == eStr && t.elem.size == 1 {
		return int64(len(e.sval)) + 1
	}
	if e.op == eInitList {
		n, max := int64(0), int64(0)
		for _, a := range e.args {
			if a.desig == "[]" {
				n = a.desigIdx
			}
			n++
			if n > max {
				max = n
			}
		}
		return max
	}
	return 1
}

// staticInit writes a constant initializer into data at off.
func (c *compiler) staticInit(off int64, t *ctype, e *expr) {
	put := func(off int64, size int64, v int64) {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], uint64(v))
		copy(c.data[off:off+size], b[:size])
	}
	switch {
	case t.k == kArray && e.op == eStr:
		copy(c.data[off:off+t.size], e.sval)
		return
	case t.k == kArray || t.k == kStruct:
		if e.op != eInitList {
			c.errorAt(e.tok, "invalid initializer")
			return
		}
		idx := 0
		for _, a := range e.args {
			if t.k == kArray {
				if a.desig == "[]" {
					idx = int(a.desigIdx)
				}
				if int64(idx) >= t.n {
					c.errorAt(a.tok, "excess elements in array initializer")
					return
				}
				c.staticInit(off+int64(idx)*t.elem.size, t.elem, a)
			} else {
				if a.desig != "" {
					for i, f := range t.st.fields {
						if f.name == a.desig {
							idx = i
						}
					}
				}
				if idx >= len(t.st.fields) {
					c.errorAt(a.tok, "excess elements in struct initializer")
					return
				}
				f := t.st.fields[idx]
				c.staticInit(off+f.off, f.t, a)
			}
			idx++
		}
		return
	}
	if e.op == eInitList {
		if len(e.args) > 0 {
			c.staticInit(off, t, e.args[0])
		}
		return
	}
	// A scalar: a constant, a string's address, or a global's address.
	if t.k == kPtr {
		if e.op == eStr {
			c.relocs = append(c.relocs, reloc{off: off, target: c.rodataString(e.sval), rodata: true})
			return
		}
		if e.op == eCast && e.x.op == eStr {
			c.relocs = append(c.relocs, reloc{off: off, target: c.rodataString(e.x.sval), rodata: true})
			return
		}
		var name string
		if e.op == eUnary && e.opText == "&" && e.x.op == eIdent {
			name = e.x.name
		} else if e.op == eIdent {
			if s := c.lookup(e.name); s != nil && s.t.k == kArray {
				name = e.name
			}
		}
		if name != "" {
			if s := c.lookup(name); s != nil && s.kind == symGlobal && s.off >= 0 {
				c.relocs = append(c.relocs, reloc{off: off, target: s.off})
				return
			}
			c.errorAt(e.tok, "initializer element is not constant")
			return
		}
	}
	v, ok := c.constValueAs(e, t)
	if !ok {
		c.errorAt(e.tok, "initializer element is not constant")
		return
	}
	if t.k == kFloat && t.size == 4 {
		v = int64(math.Float32bits(float32(b2f(v))))
	}
	put(off, t.size, v)
}

// constValueAs folds a constant expression converted to type t.
func (c *compiler) constValueAs(e *expr, t *ctype) (int64, bool) {
	save, saveIdx := c.fn, c.constIdx
	c.fn = &function{}
	c.constIdx = map[int64]int32{}
	defer func() { c.fn, c.constIdx = save, saveIdx }()
	nd := len(*c.diags)
	op := c.gen(e)
	if len(*c.diags) > nd {
		return 0, true // already reported
	}
	if !op.isConst || len(c.fn.code) != 0 {
		return 0, false
	}
	op = c.conv(op, t)
	return op.val, op.isConst
}

// constValue folds a constant expression, using the same rules as code.
func (c *compiler) constValue(e *expr) (int64, bool) {
	save := c.fn
	if c.fn == nil {
		c.fn = &function{}
		c.constIdx = map[int64]int32{}
		defer func() { c.fn = save }()
	}
	n := len(c.fn.code)
	nd := len(*c.diags)
	op := c.gen(e)
	if len(*c.diags) > nd {
		return 0, true // already reported
	}
	if !op.isConst || len(c.fn.code) != n {
		c.fn.code = c.fn.code[:n]
		return 0, false
	}
	return op.val, true
}

// ---- functions ----

func (c *compiler) function(d *funcDecl) {
	s := c.globals[d.name]
	f := s.fn
	if f.code != nil {
		return
	}
	c.fn, c.fd = f, d
	c.nextReg, c.maxReg = 0, 0
	c.constIdx = map[int64]int32{}
	c.frameOff = 0
	c.labels = map[string]*label{}
	c.reported = map[string]bool{}
	c.addrTaken = map[string]bool{}
	findAddrTaken(d.body, c.addrTaken)
	c.line, c.col = int32(d.tok.line), int32(d.tok.col)
	f.code = []instr{}
	f.nparams = len(d.params)
	c.push()
	// A function returning a struct gets the address to return it in as a
	// hidden first argument (the ABI's sret pointer).
	first := int32(0)
	if d.t.ret.k == kStruct {
		c.newReg()
		f.nparams++
		first = 1
	}
	for _, p := range d.params {
		r := c.newReg()
		if p.name == "" {
			continue
		}
		c.scopes[len(c.scopes)-1][p.name] = &sym{name: p.name, kind: symReg, t: p.t, reg: r, tok: p.tok}
	}
	// Parameters whose address is taken move to the frame.
	for i, p := range d.params {
		if p.name != "" && p.t.k == kStruct {
			// A struct argument arrives as its address: the callee's copy
			// goes into its frame, as passing by value makes one.
			sm := c.memLocal(p.name, p.t, p.tok)
			a := c.newReg()
			c.emit(opLAddr, a, 0, 0, sm.off)
			c.emit(opMemcpy, a, first+int32(i), 0, p.t.size)
			continue
		}
		if p.name != "" && c.addrTaken[p.name] {
			sm := c.memLocal(p.name, p.t, p.tok)
			a := c.newReg()
			c.emit(opLAddr, a, 0, 0, sm.off)
			c.store(a, first+int32(i), p.t)
		}
	}
	c.block(d.body, false)
	// Falling off the end returns 0 (main) or garbage (0 here).
	c.line, c.col = int32(d.body.end.line), int32(d.body.end.col)
	c.emit(opRet, 0, c.constReg(0), 0, 0)
	for name, l := range c.labels {
		if l.pos < 0 {
			c.errorAt(d.tok, "label '%s' used but not defined", name)
		}
	}
	c.pop()
	// Resolve constant registers.
	f.nregs = int(c.maxReg)
	fix := func(r *int32) {
		if *r >= constFlag {
			*r = *r - constFlag + int32(f.nregs)
		}
	}
	for i := range f.code {
		in := &f.code[i]
		fix(&in.a)
		fix(&in.b)
		if in.op != opCall && in.op != opCallB && in.op != opCallP {
			fix(&in.c)
		}
		if in.op == opCallP && in.imm >= constFlag {
			in.imm = in.imm - constFlag + int64(f.nregs)
		}
	}
	f.frame = align(-c.frameOff, 16)
	c.fn = nil
}

func findAddrTaken(s *stmt, m map[string]bool) {
	if s == nil {
		return
	}
	var ex func(e *expr)
	ex = func(e *expr) {
		if e == nil {
			return
		}
		if e.op == eUnary && e.opText == "&" {
			x := e.x
			for x.op == eMember && x.opText == "." || x.op == eIndex {
				x = x.x
			}
			if x.op == eIdent {
				m[x.name] = true
			}
		}
		ex(e.x)
		ex(e.y)
		ex(e.z)
		for _, a := range e.args {
			ex(a)
		}
	}
	ex(s.e)
	ex(s.post)
	for _, d := range s.decls {
		ex(d.init)
	}
	findAddrTaken(s.init, m)
	findAddrTaken(s.body, m)
	findAddrTaken(s.els, m)
	for _, x := range s.list {
		findAddrTaken(x, m)
	}
}

func (c *compiler) memLocal(name string, t *ctype, tok token) *sym {
	c.frameOff -= t.size
	a := t.align
	if t.k == kArray && t.size >= 16 {
		a = 16
	}
	c.frameOff = -align(-c.frameOff, a)
	s := &sym{name: name, kind: symMem, t: t, off: c.frameOff, tok: tok}
	c.scopes[len(c.scopes)-1][name] = s
	return s
}

// ---- statements ----

func (c *compiler) at(t token) {
	if t.line > 0 {
		c.line, c.col = int32(t.line), int32(t.col)
	}
}

func (c *compiler) block(s *stmt, scope bool) {
	if scope {
		c.push()
		defer c.pop()
	}
	for _, x := range s.list {
		c.stmt(x)
	}
}

func (c *compiler) stmt(s *stmt) {
	mark := c.nextReg
	defer func() {
		// Temporaries die with their statement; locals declared in it live on.
		if s.k != sDecl {
			c.nextReg = mark
		}
	}()
	c.at(s.tok)
	switch s.k {
	case sEmpty:
	case sExpr:
		c.gen(discarded(s.e))
	case sDecl:
		for _, d := range s.decls {
			c.localDecl(d)
		}
	case sBlock:
		c.block(s, true)
	case sIf:
		els, end := c.newLabel(), c.newLabel()
		c.cond(s.e, els)
		c.nextReg = mark
		c.stmt(s.body)
		if s.els != nil {
			c.jump(opJmp, 0, 0, end)
			c.place(els)
			c.stmt(s.els)
		} else {
			c.place(els)
		}
		c.place(end)
	case sWhile:
		top, end, cont := c.newLabel(), c.newLabel(), c.newLabel()
		c.place(top)
		c.place(cont)
		c.cond(s.e, end)
		c.nextReg = mark
		c.loopBody(s.body, end, cont)
		c.at(s.tok)
		c.jump(opJmp, 0, 0, top)
		c.place(end)
	case sDo:
		top, end, cont := c.newLabel(), c.newLabel(), c.newLabel()
		c.place(top)
		c.loopBody(s.body, end, cont)
		c.place(cont)
		c.at(s.tok)
		v := c.rvalue(c.gen(s.e))
		c.checkScalar(s.e, v)
		if v.t.k == kFloat {
			v = c.conv(v, tBool)
		}
		c.jump(opJnz, v.reg, 0, top)
		c.place(end)
	case sFor:
		c.push()
		if s.init != nil {
			c.stmt(s.init)
		}
		mark2 := c.nextReg
		top, end, cont, test := c.newLabel(), c.newLabel(), c.newLabel(), c.newLabel()
		c.jump(opJmp, 0, 0, test)
		c.place(top)
		c.loopBody(s.body, end, cont)
		c.place(cont)
		c.at(s.tok)
		if s.post != nil {
			c.gen(discarded(s.post))
			c.nextReg = mark2
		}
		c.place(test)
		if s.e != nil {
			c.condTrue(s.e, top)
		} else {
			c.jump(opJmp, 0, 0, top)
		}
		c.place(end)
		c.pop()
	case sReturn:
		ret := c.fd.t.ret
		if s.e == nil {
			if ret.k != kVoid {
				c.emit(opRet, 0, c.constReg(0), 0, 0)
			} else {
				c.emit(opRet, 0, -1, 0, 0)
			}
			return
		}
		v := c.gen(s.e)
		if ret.k == kVoid {
			c.emit(opRet, 0, -1, 0, 0)
			return
		}
		v = c.convert(s.e, v, ret, "return")
		if ret.k == kStruct {
			// Copy into the caller's space and return its address.
			c.emit(opMemcpy, 0, v.reg, 0, ret.size)
			c.emit(opRet, 0, 0, 0, 0)
			return
		}
		c.emit(opRet, 0, v.reg, 0, 0)
	case sBreak:
		if len(c.breaks) == 0 {
			c.errorAt(s.tok, "break statement not within loop or switch")
			return
		}
		c.jump(opJmp, 0, 0, c.breaks[len(c.breaks)-1])
	case sContinue:
		if len(c.conts) == 0 {
			c.errorAt(s.tok, "continue statement not within a loop")
			return
		}
		c.jump(opJmp, 0, 0, c.conts[len(c.conts)-1])
	case sSwitch:
		v := c.rvalue(c.gen(s.e))
		if !v.t.isInteger() {
			c.errorAt(s.e.tok, "switch quantity not an integer")
			return
		}
		v = c.convert(s.e, v, promote(v.t), "")
		// Keep the value in a register of its own past the body's temporaries.
		sv := c.newReg()
		c.emit(opMov, sv, v.reg, 0, 0)
		mark = c.nextReg
		dispatch, end := c.newLabel(), c.newLabel()
		c.jump(opJmp, 0, 0, dispatch)
		sw := &switchCtx{t: v.t}
		c.switches = append(c.switches, sw)
		c.breaks = append(c.breaks, end)
		c.stmt(s.body)
		c.breaks = c.breaks[:len(c.breaks)-1]
		c.switches = c.switches[:len(c.switches)-1]
		c.jump(opJmp, 0, 0, end)
		c.place(dispatch)
		t := c.newReg()
		for _, cs := range sw.cases {
			c.emit(opEq, t, sv, c.constReg(truncTo(cs.v, v.t)), 0)
			c.jump(opJnz, t, 0, cs.l)
		}
		if sw.def != nil {
			c.jump(opJmp, 0, 0, sw.def)
		}
		c.place(end)
	case sCase:
		if len(c.switches) == 0 {
			c.errorAt(s.tok, "case label not within a switch statement")
			return
		}
		v, ok := c.constValue(s.e)
		if !ok {
			c.errorAt(s.e.tok, "case label does not reduce to an integer constant")
		}
		sw := c.switches[len(c.switches)-1]
		for _, cs := range sw.cases {
			if cs.v == v {
				c.errorAt(s.tok, "duplicate case value")
			}
		}
		l := c.newLabel()
		c.place(l)
		sw.cases = append(sw.cases, caseLabel{v: v, l: l})
	case sDefault:
		if len(c.switches) == 0 {
			c.errorAt(s.tok, "'default' label not within a switch statement")
			return
		}
		l := c.newLabel()
		c.place(l)
		c.switches[len(c.switches)-1].def = l
	case sGoto:
		l := c.labels[s.label]
		if l == nil {
			l = c.newLabel()
			c.labels[s.label] = l
		}
		c.jump(opJmp, 0, 0, l)
	case sLabel:
		l := c.labels[s.label]
		if l == nil {
			l = c.newLabel()
			c.labels[s.label] = l
		}
		if l.pos >= 0 {
			c.errorAt(s.tok, "duplicate label '%s'", s.label)
		}
		c.place(l)
	}
}

func (c *compiler) loopBody(body *stmt, end, cont *label) {
	c.breaks = append(c.breaks, end)
	c.conts = append(c.conts, cont)
	c.stmt(body)
	c.breaks = c.breaks[:len(c.breaks)-1]
	c.conts = c.conts[:len(c.conts)-1]
}

func (c *compiler) checkScalar(e *expr, v operand) {
	if !v.t.isScalar() {
		if v.t.k == kVoid {
			c.errorAt(e.tok, "void value not ignored as it ought to be")
		} else {
			c.errorAt(e.tok, "used %s type value where scalar is required", v.t.kindWord())
		}
	}
}

func (t *ctype) kindWord() string {
	switch t.k {
	case kStruct:
		if t.st.union {
			return "union"
		}
		return "struct"
	case kArray:
		return "array"
	}
	return t.String()
}

// cond jumps to f when e is false.
func (c *compiler) cond(e *expr, f *label) {
	if e.op == eBinary && e.opText == "&&" {
		c.cond(e.x, f)
		c.cond(e.y, f)
		return
	}
	if e.op == eBinary && e.opText == "||" {
		t := c.newLabel()
		c.condTrue(e.x, t)
		c.cond(e.y, f)
		c.place(t)
		return
	}
	if e.op == eUnary && e.opText == "!" {
		c.condTrue(e.x, f)
		return
	}
	v := c.rvalue(c.gen(e))
	c.checkScalar(e, v)
	if v.t.k == kFloat {
		v = c.conv(v, tBool)
	}
	c.jump(opJz, v.reg, 0, f)
}

// condTrue jumps to t when e is true.
func (c *compiler) condTrue(e *expr, t *label) {
	if e.op == eBinary && e.opText == "||" {
		c.condTrue(e.x, t)
		c.condTrue(e.y, t)
		return
	}
	if e.op == eBinary && e.opText == "&&" {
		f := c.newLabel()
		c.cond(e.x, f)
		c.condTrue(e.y, t)
		c.place(f)
		return
	}
	if e.op == eUnary && e.opText == "!" {
		c.cond(e.x, t)
		return
	}
	if e.op == eBinary && (e.opText == "<" || e.opText == ">") {
		// Fused compare and branch, for loop conditions.
		l, r := c.rvalue(c.gen(e.x)), c.rvalue(c.gen(e.y))
		if e.opText == ">" {
			l, r = r, l
		}
		if l.t.isScalar() && r.t.isScalar() && l.t.k != kFloat && r.t.k != kFloat {
			ct, unsigned := c.compareType(e, l, r)
			l, r = c.convert(e.x, l, ct, ""), c.convert(e.y, r, ct, "")
			if unsigned {
				c.jump(opJLtU, l.reg, r.reg, t)
			} else {
				c.jump(opJLtS, l.reg, r.reg, t)
			}
			return
		}
	}
	v := c.rvalue(c.gen(e))
	c.checkScalar(e, v)
	if v.t.k == kFloat {
		v = c.conv(v, tBool)
	}
	c.jump(opJnz, v.reg, 0, t)
}

func (c *compiler) localDecl(d *decl) {
	c.at(d.tok)
	scope := c.scopes[len(c.scopes)-1]
	if old, ok := scope[d.name]; ok {
		c.errorAt(d.tok, "redeclaration of '%s' with no linkage", d.name)
		_ = old
	}
	t := d.t
	if t.k == kFunc {
		c.declareFunc(d.name, d.tok, t, false)
		return
	}
	if d.st == stExtern {
		if s := c.globals[d.name]; s != nil {
			scope[d.name] = s
		}
		return
	}
	if t.k == kArray && t.n < 0 {
		if d.init == nil {
			c.errorAt(d.tok, "array size missing in '%s'", d.name)
			t = arrayOf(t.elem, 1)
		} else {
			t = arrayOf(t.elem, c.initLen(d.init, t))
		}
	}
	if t.k == kVoid {
		c.errorAt(d.tok, "variable or field '%s' declared void", d.name)
		return
	}
	if t.k == kStruct && !t.st.complete {
		c.errorAt(d.tok, "storage size of '%s' isn't known", d.name)
		return
	}
	if t.size >= 1<<46 {
		c.errorAt(d.tok, "size of array '%s' is too large", d.name)
		return
	}
	if d.st == stStatic {
		// A static local is a global with a hidden name.
		g := &decl{name: d.name, tok: d.tok, t: t, init: d.init, st: stStatic}
		saveFn := c.fn
		saveIdx := c.constIdx
		c.fn = nil
		saved := c.globals[d.name]
		c.global(g)
		s := c.globals[d.name]
		if saved != nil {
			c.globals[d.name] = saved
		} else {
			delete(c.globals, d.name)
		}
		c.fn, c.constIdx = saveFn, saveIdx
		scope[d.name] = s
		return
	}
	if t.k == kArray || t.k == kStruct || c.addrTaken[d.name] {
		// Evaluate the initializer before the name is in scope? C puts the
		// name in scope at its declarator; we follow C.
		s := c.memLocal(d.name, t, d.tok)
		if d.init != nil {
			a := c.newReg()
			c.emit(opLAddr, a, 0, 0, s.off)
			c.initMem(a, 0, t, d.init)
		}
		return
	}
	// The name is in scope in its own initializer (int *v = malloc(n *
	// sizeof *v)).
	r := c.newReg()
	scope[d.name] = &sym{name: d.name, kind: symReg, t: t, reg: r, tok: d.tok}
	if d.init != nil {
		var v operand
		if d.init.op == eInitList {
			if len(d.init.args) == 0 {
				v = c.constOp(0, t)
			} else {
				v = c.gen(d.init.args[0])
			}
		} else {
			v = c.gen(d.init)
		}
		v = c.convert(d.init, v, t, "initialization")
		if v.reg != r {
			c.emit(opMov, r, v.reg, 0, 0)
		}
	}
}

// initMem initializes memory at base+off of type t from e.
func (c *compiler) initMem(base int32, off int64, t *ctype, e *expr) {
	addr := func() int32 {
		if off == 0 {
			return base
		}
		a := c.newReg()
		c.emit(opAddI, a, base, 0, off)
		return a
	}
	switch {
	case t.k == kArray && e.op == eStr:
		s := append([]byte(e.sval), 0)
		if int64(len(s)) > t.size {
			s = s[:t.size]
		}
		src := c.newReg()
		c.emit(opRAddr, src, 0, 0, c.rodataString(string(s[:len(s)-1])))
		c.emit(opMemzero, addr(), 0, 0, t.size)
		c.emit(opMemcpy, addr(), src, 0, int64(len(s)))
		return
	case t.k == kArray || t.k == kStruct:
		if e.op != eInitList {
			if t.k == kStruct {
				v := c.gen(e)
				if v.t.k == kStruct && v.t.st == t.st {
					c.emit(opMemcpy, addr(), v.reg, 0, t.size)
					return
				}
			}
			c.errorAt(e.tok, "invalid initializer")
			return
		}
		c.emit(opMemzero, addr(), 0, 0, t.size)
		idx := 0
		for _, a := range e.args {
			if t.k == kArray {
				if a.desig == "[]" {
					idx = int(a.desigIdx)
				}
				if int64(idx) >= t.n {
					c.errorAt(a.tok, "excess elements in array initializer")
					return
				}
				c.initMem(base, off+int64(idx)*t.elem.size, t.elem, a)
			} else {
				if a.desig != "" {
					found := false
					for i, f := range t.st.fields {
						if f.name == a.desig {
							idx, found = i, true
						}
					}
					if !found {
						c.errorAt(a.tok, "'%s' has no member named '%s'", t.String(), a.desig)
						return
					}
				}
				if idx >= len(t.st.fields) {
					c.errorAt(a.tok, "excess elements in struct initializer")
					return
				}
				f := t.st.fields[idx]
				c.initMem(base, off+f.off, f.t, a)
			}
			idx++
		}
		return
	}
	if e.op == eInitList {
		if len(e.args) == 0 {
			return
		}
		e = e.args[0]
	}
	v := c.convert(e, c.gen(e), t, "initialization")
	c.store(addr(), v.reg, t)
}

// ---- memory ----

func (c *compiler) load(dst, addr int32, t *ctype) {
	if t.k == kFloat && t.size == 4 {
		c.emit(opLdF32, dst, addr, 0, 0)
		return
	}
	var op opcode
	switch t.size {
	case 1:
		op = opLd8s
		if t.unsigned {
			op = opLd8u
		}
	case 2:
		op = opLd16s
		if t.unsigned {
			op = opLd16u
		}
	case 4:
		op = opLd32s
		if t.unsigned {
			op = opLd32u
		}
	default:
		op = opLd64
	}
	c.emit(op, dst, addr, 0, 0)
}

func (c *compiler) store(addr, val int32, t *ctype) {
	if t.k == kStruct {
		c.emit(opMemcpy, addr, val, 0, t.size)
		return
	}
	if t.k == kFloat && t.size == 4 {
		c.emit(opStF32, addr, val, 0, 0)
		return
	}
	var op opcode
	switch t.size {
	case 1:
		op = opSt8
	case 2:
		op = opSt16
	case 4:
		op = opSt32
	default:
		op = opSt64
	}
	c.emit(op, addr, val, 0, 0)
}

// discarded rewrites an expression whose value is not used: x++ becomes
// ++x, which needs no copy of the old value.
func discarded(e *expr) *expr {
	switch e.op {
	case ePostInc:
		c := *e
		c.op = ePreInc
		return &c
	case eComma:
		c := *e
		c.x, c.y = discarded(e.x), discarded(e.y)
		return &c
	}
	return e
}
