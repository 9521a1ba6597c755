package interp

// The compiler checks types and names and emits bytecode in one walk over
// the AST, reporting errors as gcc words them.

type symKind uint8

const (
	symReg symKind = iota // a local in a register
	symMem                // a local in the frame on [stack]
	symGlobal
	symFunc
	symBuiltin
	symVLA // a variable length array: reg holds its address, size its size
	// symErr is a local whose declaration was refused (an incomplete
	// type): its uses are not reported again (gcc's error_mark_node).
	symErr
	// symSP is a global register variable of the stack pointer
	// (register unsigned long sp asm("rsp")): reading it reads the
	// thread's stack pointer.
	symSP
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
	size int32 // symVLA: the register holding its size in bytes
	// reserved: a global laid out at its first declaration whose
	// definition, with the initializer, comes later.
	reserved bool
	// ro: the global is in rodata (a const object: constObject), off its
	// offset there.
	ro bool
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
	bits *field // a bit-field: reg is its unit's address
	// indexed: the address is reg + idx*scale, computed by the load or
	// store itself (lvAddr computes it where an address is needed).
	indexed bool
	idx     int32
	scale   int64
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
	stop      *compileStop
	armTypes  map[*expr]*ctype // armType's answers
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
	defs      map[string]*decl // definingDecls: the declaration that lays out each global
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
	vlaSaves  []vlaSave
	poisoned  bool // an undeclared name was reported in the current statement
	// lastPlaced is where the last label went: no instruction fuses with
	// one before such a jump target.
	lastPlaced int
	// rawFor is the expression whose value only a narrower store takes:
	// its last operation leaves the high bits as they fall.
	rawFor *expr
}

// vlaSave is a block that allocated variable length arrays: reg holds the
// stack pointer from before them, put back when control leaves the block.
type vlaSave struct {
	reg           int32
	scope         int // len(c.scopes) in the block
	breaks, conts int
}

type switchCtx struct {
	cases []caseLabel
	def   *label
	t     *ctype
}

type caseLabel struct {
	v, hi int64 // hi > v: GNU's case v ... hi
	l     *label
}

const constFlag = 1 << 30

// maxInitData bounds a program's initialized globals (they are built in
// host memory; zero-initialized ones cost nothing).
const maxInitData = 16 << 20

// maxInitDataTotal bounds them all together.
const maxInitDataTotal = 64 << 20

func (c *compiler) errorAt(t token, format string, args ...any) {
	if c.poisoned {
		// An undeclared name was reported in this statement: what follows
		// from its unknown type is not reported too (gcc's error_mark_node).
		return
	}
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
	c.lastPlaced = l.pos
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

// compileUnit compiles u; stop, when not nil, can end it (CompileContext).
func compileUnit(u *unit, diags *[]Diagnostic, stop *compileStop) *image {
	c := &compiler{stop: stop, diags: diags, globals: map[string]*sym{}, strs: map[string]int64{}}
	// The data segment's first 8 bytes are unused (glibc's binaries have
	// __data_start there); errno is the thread's (__errno_location).
	c.data = make([]byte, 8)
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
	c.defs = definingDecls(u)
	for _, it := range u.order {
		switch d := it.(type) {
		case *funcDecl:
			c.function(d)
		case *decl:
			if d.t.k != kFunc {
				c.global(d, true)
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
	for _, name := range u.ctors {
		if s := c.globals[name]; s != nil && s.kind == symFunc && s.fn.defined {
			if s.fn.nparams > 0 {
				c.errorAt(s.fn.tok, "constructor '%s' takes arguments, which the playground does not pass", name)
				continue
			}
			s.fn.used = true
			img.ctors = append(img.ctors, s.fn)
		}
	}
	for _, name := range u.dtors {
		if s := c.globals[name]; s != nil && s.kind == symFunc && s.fn.defined {
			if s.fn.nparams > 0 {
				c.errorAt(s.fn.tok, "destructor '%s' takes arguments, which the playground does not pass", name)
				continue
			}
			s.fn.used = true
			img.dtors = append(img.dtors, s.fn)
		}
	}
	// gcc links only what compiled: with errors, no link errors follow.
	linkable := len(*diags) == 0
	for _, f := range c.funcs {
		if linkable && !f.defined && f.used {
			*diags = append(*diags, Diagnostic{Line: f.tok.line, Col: f.tok.col, Token: f.name, Message: "undefined reference to `" + f.name + "'"})
		}
	}
	return img
}

func (c *compiler) declareFunc(name string, tok token, t *ctype, def bool) {
	if s, ok := c.globals[name]; ok && s.kind == symBuiltin && s.b != nil && !def {
		return // a prototype of a library function: calls go to the library
	}
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

// definingDecls finds, for each object declared at file scope, the
// declaration that gives it its storage: the one with an initializer, else
// the first tentative definition (not extern) whose type is complete. All
// of a name's declarations are one object (C11 6.2.2, 6.9.2): its storage is
// laid out by that declaration when the first one is met, so an address
// taken before the definition (extern const T x; ... &x ...; const T x =
// {...};) is the defined object's.
func definingDecls(u *unit) map[string]*decl {
	defs := map[string]*decl{}
	for _, it := range u.order {
		d, ok := it.(*decl)
		if !ok || d.t.k == kFunc || d.st == stTypedef {
			continue
		}
		old := defs[d.name]
		switch {
		case old != nil && old.init != nil:
		case d.init != nil:
			defs[d.name] = d
		case old == nil && d.st != stExtern && !(d.t.k == kArray && d.t.n < 0 && d.t.vla == nil):
			defs[d.name] = d
		}
	}
	return defs
}

// stackPointerRegs are x86's names of the stack pointer in an asm label.
var stackPointerRegs = map[string]bool{"rsp": true, "%rsp": true, "esp": true, "%esp": true, "sp": true}

// global lays out an object of static storage: a file-scope declaration
// (fileScope) or a static local's hidden global.
func (c *compiler) global(d *decl, fileScope bool) {
	c.poisoned = false
	if s, ok := c.globals[d.name]; ok && s.kind == symGlobal {
		switch {
		case d.init == nil:
			return // declared again, or a tentative definition again
		case !s.reserved:
			c.errorAt(d.tok, "redefinition of '%s'", d.name)
			return
		}
		// The definition of an object laid out at its first declaration:
		// its initializer goes where the storage is.
		s.reserved = false
		s.t = c.resolve(d.t)
		if s.t.k == kArray && s.t.n < 0 {
			s.t = arrayOf(s.t.elem, c.initLen(d.init, s.t))
		}
		c.staticInit(s.off, s.t, d.init)
		return
	}
	if fileScope && stackPointerRegs[d.reg] {
		c.globals[d.name] = &sym{name: d.name, kind: symSP, t: c.resolve(d.t), tok: d.tok}
		return
	}
	def := d
	if fileScope {
		if dd := c.defs[d.name]; dd != nil {
			def = dd
		} else if d.st == stExtern {
			if _, ok := c.globals[d.name]; ok {
				return
			}
		}
	}
	t := c.resolve(def.t)
	if t.k == kArray && t.vla != nil {
		if c.fn == nil && c.fd == nil {
			c.errorAt(d.tok, "variably modified '%s' at file scope", d.name)
		} else {
			c.errorAt(d.tok, "storage size of '%s' isn't constant", d.name)
		}
		return
	}
	if t.k == kArray && t.n < 0 && def.init != nil {
		t = arrayOf(t.elem, c.initLen(def.init, t))
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
	if def.init == nil {
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
		c.globals[d.name] = s
		if def != d {
			// Laid out now, initialized where it is defined.
			s.reserved = true
			return
		}
		// The name is in scope in its own initializer (a list's head that
		// points at itself: .prev = &head).
		nrel := len(c.relocs)
		c.staticInit(off, t, d.init)
		c.toRodata(s, nrel)
	}
	c.globals[d.name] = s
}

// toRodata moves a const object just laid out in data to rodata, where gcc
// puts it (.rodata: a write to it is SIGSEGV), when its initializer needs
// no relocation. (gcc's PIE puts one that does in .data.rel.ro, which
// ld.so makes read-only once it relocated it, in the RELRO area: the model
// keeps it in data, writable.)
func (c *compiler) toRodata(s *sym, nrel int) {
	if !constObject(s.t) || len(c.relocs) != nrel || s.off+s.t.size != int64(len(c.data)) {
		return
	}
	off := align(int64(len(c.rodata)), s.t.align)
	c.rodata = append(c.rodata, make([]byte, off-int64(len(c.rodata)))...)
	c.rodata = append(c.rodata, c.data[s.off:]...)
	c.data = c.data[:s.off]
	s.off, s.ro = off, true
}

// constObject reports whether every byte of an object of type t is const:
// a const-qualified type, or an array of them.
func constObject(t *ctype) bool {
	for t.k == kArray && !t.cnst {
		t = t.elem
	}
	return t.cnst
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
	if s == nil || s.fn == nil {
		// The name is a variable (its declaration said so, with an
		// error, or says so now).
		c.errorAt(d.tok, "'%s' redeclared as different kind of symbol", d.name)
		return
	}
	f := s.fn
	if f.code != nil {
		return
	}
	c.fn, c.fd = f, d
	c.poisoned = false
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
	c.fn, c.fd = nil, nil
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

// vlaDecl declares a variable length array: its memory is taken from the
// stack below the frame when the declaration runs (as gcc's sub %rsp), and
// given back when its block ends.
func (c *compiler) vlaDecl(d *decl, t *ctype) {
	if d.st == stStatic || d.st == stExtern {
		c.errorAt(d.tok, "storage size of '%s' isn't constant", d.name)
		return
	}
	if d.init != nil {
		c.errorAt(d.init.tok, "variable-sized object may not be initialized")
		return
	}
	size := c.vlaSize(d.tok, t)
	sz := c.newReg()
	c.emit(opMov, sz, size.reg, 0, 0)
	if n := len(c.vlaSaves); n == 0 || c.vlaSaves[n-1].scope != len(c.scopes) {
		save := c.newReg()
		c.emit(opGetSP, save, 0, 0, 0)
		c.vlaSaves = append(c.vlaSaves, vlaSave{reg: save, scope: len(c.scopes), breaks: len(c.breaks), conts: len(c.conts)})
	}
	a := c.newReg()
	c.emit(opAlloca, a, sz, 0, 0)
	c.scopes[len(c.scopes)-1][d.name] = &sym{name: d.name, kind: symVLA, t: t, reg: a, size: sz, tok: d.tok}
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
	nv := len(c.vlaSaves)
	for _, x := range s.list {
		c.stmt(x)
	}
	if len(c.vlaSaves) > nv {
		// The block's variable length arrays end with it.
		c.emit(opSetSP, 0, c.vlaSaves[nv].reg, 0, 0)
		c.vlaSaves = c.vlaSaves[:nv]
	}
}

// leaveVLAs puts back the stack pointer of the variable length arrays
// that a break (or continue) leaves.
func (c *compiler) leaveVLAs(cont bool) {
	for _, v := range c.vlaSaves {
		if !cont && v.breaks >= len(c.breaks) || cont && v.conts >= len(c.conts) {
			c.emit(opSetSP, 0, v.reg, 0, 0)
			return
		}
	}
}

// resolve gives t its final form where the parser could not: typeof's
// expression's type, and array lengths that fold only here (sizeof of a
// variable). An array whose length does not fold stays a VLA (vla set).
func (c *compiler) resolve(t *ctype) *ctype {
	switch t.k {
	case kTypeof:
		if t.texpr == nil {
			return tInt
		}
		rt := c.typeOf(t.texpr)
		if t.cnst {
			rt = qualified(rt)
		}
		return rt
	case kPtr:
		if e := c.resolve(t.elem); e != t.elem {
			n := *t
			n.elem = e
			return &n
		}
	case kArray:
		e := c.resolve(t.elem)
		if t.vla != nil {
			if v, ok := c.constValue(t.vla); ok {
				if v < 0 {
					c.errorAt(t.vla.tok, "size of array is negative")
					v = 0
				}
				return arrayOf(e, v)
			}
			if e != t.elem {
				n := *t
				n.elem = e
				return &n
			}
			return t
		}
		if e != t.elem {
			n := arrayOf(e, t.n)
			n.cnst = t.cnst
			return n
		}
	}
	return t
}

// vlaSize is sizeof of a variable length array type: its length times its
// element's size, computed at run time.
func (c *compiler) vlaSize(at token, t *ctype) operand {
	if t.elem.vla != nil || t.elem.k == kArray && t.elem.n < 0 {
		c.errorAt(at, "multi-dimensional variable length arrays are not supported by the playground")
		return c.constOp(0, tULong)
	}
	n := c.conv(c.rvalue(c.gen(t.vla)), tULong)
	r := c.newReg()
	c.emit(opMul, r, n.reg, c.constReg(t.elem.size), 0)
	return operand{reg: r, t: tULong}
}

// typesCompatible is __builtin_types_compatible_p: the same type once
// top-level qualifiers are dropped (long and long long differ).
func typesCompatible(a, b *ctype) bool {
	if a.k != b.k {
		return false
	}
	switch a.k {
	case kPtr:
		return typesCompatible(a.elem, b.elem) && a.elem.cnst == b.elem.cnst
	case kArray:
		return typesCompatible(a.elem, b.elem) && (a.n < 0 || b.n < 0 || a.n == b.n)
	case kStruct:
		return a.st == b.st
	case kFunc:
		return typesCompatible(a.ret, b.ret)
	case kChar:
		return a.unsigned == b.unsigned && (a.name == "signed char") == (b.name == "signed char")
	}
	return a.unsigned == b.unsigned && a.size == b.size
}

// stmtExpr is GNU's ({ ... }): the block's statements, and the value of
// its last one if that is an expression.
func (c *compiler) stmtExpr(e *expr) operand {
	if c.fd == nil {
		c.errorAt(e.tok, "braced-group within expression allowed only inside a function")
		return c.constOp(0, tInt)
	}
	c.push()
	defer c.pop()
	nv := len(c.vlaSaves)
	list := e.body.list
	v := operand{reg: -1, t: tVoid}
	for i, x := range list {
		if i == len(list)-1 && x.k == sExpr {
			c.at(x.tok)
			v = c.gen(x.e)
			if v.t.k == kArray {
				v = c.rvalue(v)
			}
			break
		}
		c.stmt(x)
	}
	if len(c.vlaSaves) > nv {
		c.emit(opSetSP, 0, c.vlaSaves[nv].reg, 0, 0)
		c.vlaSaves = c.vlaSaves[:nv]
	}
	return v
}

func (c *compiler) stmt(s *stmt) {
	c.stop.poll()
	mark := c.nextReg
	defer func() {
		// Temporaries die with their statement; locals declared in it live on.
		if s.k != sDecl {
			c.nextReg = mark
		}
	}()
	c.at(s.tok)
	c.poisoned = false
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
		top, end, cont := c.newLabel(), c.newLabel(), c.newLabel()
		// The test is compiled at the top and again at the bottom (gcc's
		// loop inversion), so that the increment and the test back to the
		// top are adjacent and fuse (opIncJLt).
		if s.e != nil {
			c.cond(s.e, end)
			c.nextReg = mark2
		}
		c.place(top)
		c.loopBody(s.body, end, cont)
		c.place(cont)
		c.at(s.tok)
		if s.post != nil {
			c.gen(discarded(s.post))
			c.nextReg = mark2
		}
		if s.e != nil {
			nd, rep := len(*c.diags), c.reported
			c.reported = map[string]bool{}
			for k, v := range rep {
				c.reported[k] = v
			}
			c.condTrue(s.e, top)
			*c.diags, c.reported = (*c.diags)[:nd], rep // reported once, at the top
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
		c.leaveVLAs(false)
		c.jump(opJmp, 0, 0, c.breaks[len(c.breaks)-1])
	case sContinue:
		if len(c.conts) == 0 {
			c.errorAt(s.tok, "continue statement not within a loop")
			return
		}
		c.leaveVLAs(true)
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
			if cs.hi > cs.v {
				// (unsigned)(x - lo) <= hi - lo
				c.emit(opAddI, t, sv, 0, -truncTo(cs.v, v.t))
				c.emit(opLeU, t, t, c.constReg(truncTo(cs.hi, v.t)-truncTo(cs.v, v.t)), 0)
				c.jump(opJnz, t, 0, cs.l)
				continue
			}
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
		hi := v
		if s.post != nil {
			if hi, ok = c.constValue(s.post); !ok {
				c.errorAt(s.post.tok, "case label does not reduce to an integer constant")
			}
			if hi < v {
				c.errorAt(s.tok, "empty range specified")
				hi = v
			}
		}
		sw := c.switches[len(c.switches)-1]
		for _, cs := range sw.cases {
			if v <= cs.hi && cs.v <= hi {
				c.errorAt(s.tok, "duplicate case value")
			}
		}
		l := c.newLabel()
		c.place(l)
		sw.cases = append(sw.cases, caseLabel{v: v, hi: hi, l: l})
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

// fuseIncrement turns "x += k; if (x < r) goto t" into one instruction
// when the code just emitted is x's increment (with its 32-bit wrap, if
// any) and no jump lands after its first instruction.
func (c *compiler) fuseIncrement(x, r int32, unsigned bool, t *label) bool {
	code := c.fn.code
	n := len(code)
	if n == 0 {
		return false
	}
	i := n - 1
	wrap := opNop
	if op := code[i].op; (op == opSext32 || op == opZext32) && code[i].a == x && code[i].b == x {
		wrap = op
		i--
	}
	if i < 0 || code[i].op != opAddI || code[i].a != x || code[i].b != x || c.lastPlaced > i ||
		code[i].imm >= constFlag || code[i].imm <= -constFlag {
		return false
	}
	var op opcode
	switch {
	case wrap == opNop && unsigned:
		op = opIncJLtU
	case wrap == opNop:
		op = opIncJLtS
	case wrap == opSext32 && !unsigned:
		op = opIncJLtS32
	case wrap == opZext32 && unsigned:
		op = opIncJLtU32
	default:
		return false
	}
	k := code[i].imm
	in := code[i]
	c.fn.code = code[:i]
	c.line, c.col = in.line, in.col
	j := c.emit(op, x, int32(k), r, int64(t.pos))
	if t.pos < 0 {
		t.refs = append(t.refs, j)
	}
	return true
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
			if c.fuseIncrement(l.reg, r.reg, unsigned, t) {
				return
			}
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
	c.poisoned = false
	scope := c.scopes[len(c.scopes)-1]
	if old, ok := scope[d.name]; ok {
		c.errorAt(d.tok, "redeclaration of '%s' with no linkage", d.name)
		_ = old
	}
	t := d.t
	if t.k != kTypeof || t.texpr != nil {
		t = c.resolve(t)
	}
	if t.k == kTypeof { // __auto_type: the initializer's type
		if d.init == nil {
			c.errorAt(d.tok, "'__auto_type' requires an initialized data declaration")
			return
		}
		t = c.rvalue(operand{t: c.typeOf(d.init)}).t
	}
	if t.k == kFunc {
		c.declareFunc(d.name, d.tok, t, false)
		return
	}
	if t.k == kArray && t.vla != nil {
		c.vlaDecl(d, t)
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
		scope[d.name] = &sym{name: d.name, kind: symErr, t: t, tok: d.tok}
		return
	}
	if el := arrayElem(t); el.k == kStruct && !el.st.complete {
		c.errorAt(d.tok, "array type has incomplete element type '%s'", el)
		scope[d.name] = &sym{name: d.name, kind: symErr, t: t, tok: d.tok}
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
		delete(c.globals, d.name) // its own object, not a global's of its name
		c.global(g, false)
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

// arrayElem is an array's innermost element type (t itself if no array).
func arrayElem(t *ctype) *ctype {
	for t.k == kArray {
		t = t.elem
	}
	return t
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
	case ePostInc, ePreInc:
		c := *e
		c.op = ePreInc
		c.unused = true
		return &c
	case eComma:
		c := *e
		c.x, c.y = discarded(e.x), discarded(e.y)
		return &c
	case eAssign:
		c := *e
		c.unused = true
		return &c
	}
	return e
}
