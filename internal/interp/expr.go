package interp

// Expression code generation and type checking.

import "strings"

func (c *compiler) gen(e *expr) operand {
	c.stop.poll()
	switch e.op {
	case eNum:
		t := e.t
		if t == nil {
			t = tInt
		}
		return c.constOp(e.ival, t)
	case eStr:
		r := c.newReg()
		c.emit(opRAddr, r, 0, 0, c.rodataString(e.sval))
		return operand{reg: r, t: arrayOf(tChar, int64(len(e.sval))+1), addr: true}
	case eFuncName:
		r := c.newReg()
		name := ""
		if c.fd != nil {
			name = c.fd.name
		}
		c.emit(opRAddr, r, 0, 0, c.rodataString(name))
		return operand{reg: r, t: arrayOf(tChar, int64(len(name))+1), addr: true}
	case eIdent:
		return c.ident(e)
	case eSizeofType:
		t := c.resolve(e.t)
		if t.k == kFunc || t.k == kVoid {
			return c.constOp(1, tULong)
		}
		if t.vla != nil {
			return c.vlaSize(e.tok, t)
		}
		return c.constOp(t.size, tULong)
	case eSizeofExpr:
		if e.x.op == eIdent {
			if s := c.lookup(e.x.name); s != nil && s.kind == symVLA {
				return operand{reg: s.size, t: tULong}
			}
		}
		t := c.typeOf(e.x)
		if t.vla != nil {
			return c.vlaSize(e.tok, t)
		}
		return c.constOp(t.size, tULong)
	case eAlignofExpr:
		return c.constOp(c.typeOf(e.x).align, tULong)
	case eTypesCompatible:
		return c.constOp(b2i(typesCompatible(c.resolve(e.t), c.resolve(e.t2))), tInt)
	case eConstantP:
		_, ok := c.constValue(e.x)
		return c.constOp(b2i(ok), tInt)
	case eTrap:
		c.emit(opTrap, 0, 0, 0, 0)
		return operand{reg: -1, t: tVoid}
	case eStmtExpr:
		return c.stmtExpr(e)
	case eGeneric:
		// The controlling expression's type after lvalue conversion
		// (arrays and functions decay, qualifiers go); it is not evaluated.
		t := c.rvalue(operand{t: c.typeOf(e.x)}).t
		if t.k == kFunc {
			t = ptrTo(t)
		}
		var def *expr
		for i, at := range e.types {
			if at == nil {
				def = e.args[i]
				continue
			}
			if at = c.resolve(at); typesCompatible(unqualified(at), unqualified(t)) {
				return c.gen(e.args[i])
			}
		}
		if def != nil {
			return c.gen(def)
		}
		c.errorAt(e.tok, "'_Generic' selector of type '%s' is not compatible with any association", t)
		return c.constOp(0, tInt)
	case eCast:
		e.t = c.resolve(e.t)
		v := c.gen(e.x)
		if e.t.k == kVoid {
			return operand{reg: -1, t: tVoid}
		}
		v = c.rvalue(v)
		if !e.t.isScalar() {
			c.errorAt(e.tok, "conversion to non-scalar type requested")
			return c.constOp(0, tInt)
		}
		if !v.t.isScalar() {
			c.errorAt(e.tok, "invalid cast")
			return c.constOp(0, e.t)
		}
		if v.t.k == kFloat && e.t.k == kPtr {
			c.errorAt(e.tok, "cannot convert to a pointer type")
			return c.constOp(0, e.t)
		}
		if v.t.k == kPtr && e.t.k == kFloat {
			c.errorAt(e.tok, "pointer value used where a floating-point was expected")
			return c.constOp(0, e.t)
		}
		return c.conv(v, e.t)
	case eUnary:
		return c.unary(e)
	case ePreInc, ePostInc:
		return c.incdec(e)
	case eBinary:
		return c.binary(e)
	case eAssign:
		return c.assign(e)
	case eCond:
		return c.ternary(e)
	case eComma:
		c.gen(e.x)
		return c.gen(e.y)
	case eCall:
		return c.call(e)
	case eIndex, eMember:
		lv, ok := c.lval(e)
		if !ok {
			return c.constOp(0, tInt)
		}
		return c.loadLV(lv)
	case eVaStart:
		if c.fd == nil || !c.fd.t.variadic {
			c.errorAt(e.tok, "'va_start' used in function with fixed arguments")
			return c.constOp(0, ptrTo(tLong))
		}
		r := c.newReg()
		c.emit(opVaStart, r, 0, 0, 0)
		return operand{reg: r, t: ptrTo(tLong)}
	case eVaArg:
		return c.vaArg(e)
	case eCompound:
		r, t, ok := c.compoundLit(e)
		if !ok {
			return c.constOp(0, tInt)
		}
		if t.k == kArray || t.k == kStruct {
			return operand{reg: r, t: t, addr: true}
		}
		v := c.newReg()
		c.load(v, r, t)
		return operand{reg: v, t: t}
	case eInitList:
		c.errorAt(e.tok, "expected expression before '{' token")
		return c.constOp(0, tInt)
	}
	c.errorAt(e.tok, "unsupported expression")
	return c.constOp(0, tInt)
}

// compoundLit makes a compound literal, an unnamed object in the frame,
// and returns its address and type.
func (c *compiler) compoundLit(e *expr) (int32, *ctype, bool) {
	t := c.resolve(e.t)
	if t.k == kArray && t.n < 0 {
		t = arrayOf(t.elem, c.initLen(e.x, t))
	}
	if c.fd == nil {
		c.errorAt(e.tok, "initializer element is not constant")
		return 0, t, false
	}
	s := c.memLocal(sprintf(" lit%d", len(c.fn.code)), t, e.tok)
	a := c.newReg()
	c.emit(opLAddr, a, 0, 0, s.off)
	c.initMem(a, 0, t, e.x)
	r := c.newReg()
	c.emit(opLAddr, r, 0, 0, s.off)
	return r, t, true
}

// typeOf gives an expression's type without emitting code (sizeof).
func (c *compiler) typeOf(e *expr) *ctype {
	if c.fn == nil { // at file scope: in a scratch function
		c.fn = &function{}
		saveIdx := c.constIdx
		c.constIdx = map[int64]int32{}
		defer func() { c.fn, c.constIdx = nil, saveIdx }()
	}
	n := len(c.fn.code)
	nr := c.nextReg
	v := c.gen(e)
	c.fn.code = c.fn.code[:n]
	c.nextReg = nr
	return v.t
}

// unqualified is t without its top-level const.
func unqualified(t *ctype) *ctype {
	if !t.cnst {
		return t
	}
	c := *t
	c.cnst = false
	return &c
}

// armsType is the type of a conditional expression whose arms have types
// ta and tb.
func (c *compiler) armsType(ta, tb *ctype) *ctype {
	if ta.k == kArray {
		ta = ptrTo(ta.elem)
	}
	if tb.k == kArray {
		tb = ptrTo(tb.elem)
	}
	switch {
	case ta.k == kVoid || tb.k == kVoid:
		return tVoid
	case ta.k == kPtr:
		return ta
	case tb.k == kPtr:
		return tb
	case ta.k == kStruct:
		return ta
	case ta.k == kFunc:
		return ptrTo(ta)
	}
	return usual(ta, tb)
}

// armType is typeOf for an expression that is compiled again afterwards:
// its errors are reported then, not twice.
//
// The type is kept: the arms of nested conditionals would otherwise each
// compile their own arms again, twice a level (c ? 1 : c ? 2 : ... thirty
// deep took minutes).
func (c *compiler) armType(e *expr) *ctype {
	if t, ok := c.armTypes[e]; ok {
		return t
	}
	if c.armTypes == nil {
		c.armTypes = map[*expr]*ctype{}
	}
	nd := len(*c.diags)
	rep := make(map[string]bool, len(c.reported))
	for k, v := range c.reported {
		rep[k] = v
	}
	t := c.typeOf(e)
	*c.diags = (*c.diags)[:nd]
	c.reported = rep
	c.armTypes[e] = t
	return t
}

func (c *compiler) ident(e *expr) operand {
	s := c.lookup(e.name)
	if s == nil {
		if !c.reported[e.name] {
			c.reported[e.name] = true
			c.poisoned = false
			c.errorAt(e.tok, "'%s' undeclared (first use in this function)", e.name)
		}
		c.poisoned = true
		return c.constOp(0, tInt)
	}
	switch s.kind {
	case symErr:
		c.poisoned = true
		return c.constOp(0, tInt)
	case symReg:
		return operand{reg: s.reg, t: s.t}
	case symVLA:
		return operand{reg: s.reg, t: s.t, addr: true}
	case symSP:
		r := c.newReg()
		c.emit(opCallB, r, r, 0, int64(builtins["__pg_stack_pointer"].id))
		return c.conv(operand{reg: r, t: tULong}, s.t)
	case symFunc:
		r := c.newReg()
		s.fn.used = true
		c.emit(opFAddr, r, 0, 0, int64(s.fn.idx))
		return operand{reg: r, t: ptrTo(s.t)}
	case symBuiltin:
		switch s.name {
		case "stdout":
			return c.constOp(1, s.t)
		case "stderr":
			return c.constOp(2, s.t)
		case "stdin":
			return c.constOp(3, s.t)
		}
		c.errorAt(e.tok, "library function '%s' used as a value is not supported by the playground", s.name)
		return c.constOp(0, tInt)
	}
	lv, _ := c.lval(e)
	return c.loadLV(lv)
}

// lval evaluates an lvalue: a register variable, or an address.
func (c *compiler) lval(e *expr) (lvalue, bool) {
	switch e.op {
	case eIdent:
		s := c.lookup(e.name)
		if s == nil {
			c.ident(e)
			return lvalue{}, false
		}
		switch s.kind {
		case symErr:
			c.poisoned = true
			return lvalue{}, false
		case symReg:
			return lvalue{kind: lvReg, reg: s.reg, t: s.t}, true
		case symMem:
			r := c.newReg()
			c.emit(opLAddr, r, 0, 0, s.off)
			return lvalue{kind: lvMem, reg: r, t: s.t}, true
		case symGlobal:
			r := c.newReg()
			if s.ro {
				c.emit(opRAddr, r, 0, 0, s.off)
				return lvalue{kind: lvMem, reg: r, t: s.t}, true
			}
			c.emit(opGAddr, r, 0, 0, s.off)
			return lvalue{kind: lvMem, reg: r, t: s.t}, true
		case symVLA:
			return lvalue{kind: lvMem, reg: s.reg, t: s.t}, true
		case symSP:
			c.errorAt(e.tok, "the stack pointer's register variable '%s' is read only in the playground", e.name)
			return lvalue{}, false
		}
	case eUnary:
		if e.opText == "*" {
			v := c.rvalue(c.gen(e.x))
			if v.t.k != kPtr {
				c.errorAt(e.tok, "invalid type argument of unary '*' (have '%s')", v.t)
				return lvalue{}, false
			}
			if v.t.elem.k == kVoid {
				c.errorAt(e.tok, "dereferencing 'void *' pointer")
				return lvalue{}, false
			}
			if v.isConst {
				r := c.newReg()
				c.emit(opMov, r, v.reg, 0, 0)
				v.reg = r
			}
			return lvalue{kind: lvMem, reg: v.reg, t: v.t.elem}, true
		}
	case eIndex:
		b := c.rvalue(c.gen(e.x))
		i := c.rvalue(c.gen(e.y))
		if i.t.k == kPtr && b.t.isInteger() {
			b, i = i, b
		}
		if b.t.k != kPtr {
			c.errorAt(e.tok, "subscripted value is neither array nor pointer nor vector")
			return lvalue{}, false
		}
		if !i.t.isInteger() {
			c.errorAt(e.tok, "array subscript is not an integer")
			return lvalue{}, false
		}
		if et := b.t.elem; !i.isConst && !b.isConst && (et.isInteger() || et.k == kPtr || et.k == kFloat && et.size == 8) {
			// a[i] of a scalar: the address is left to the load or store
			// (opLdX, opStX), one instruction instead of three.
			i = c.conv(i, tLong)
			return lvalue{kind: lvMem, reg: b.reg, t: et, indexed: true, idx: i.reg, scale: et.size}, true
		}
		a := c.ptrAdd(b, i, false)
		if a.isConst {
			r := c.newReg()
			c.emit(opMov, r, a.reg, 0, 0)
			a.reg = r
		}
		return lvalue{kind: lvMem, reg: a.reg, t: b.t.elem}, true
	case eCompound: // &(struct rlimit){0}
		r, t, ok := c.compoundLit(e)
		return lvalue{kind: lvMem, reg: r, t: t}, ok
	case eMember:
		var base int32
		var st *ctype
		if e.opText == "->" {
			v := c.rvalue(c.gen(e.x))
			if v.t.k == kStruct {
				c.errorAt(e.tok, "invalid type argument of '->' (have '%s')", v.t)
				return lvalue{}, false
			}
			if v.t.k != kPtr || v.t.elem.k != kStruct {
				c.errorAt(e.tok, "request for member '%s' in something not a structure or union", e.name)
				return lvalue{}, false
			}
			base, st = v.reg, v.t.elem
		} else {
			v := c.gen(e.x)
			if v.t.k == kPtr && v.t.elem.k == kStruct {
				what := "expression"
				if e.x.op == eIdent {
					what = e.x.name
				}
				c.errorAt(e.tok, "'%s' is a pointer; did you mean to use '->'?", what)
				return lvalue{}, false
			}
			if v.t.k != kStruct {
				c.errorAt(e.tok, "request for member '%s' in something not a structure or union", e.name)
				return lvalue{}, false
			}
			base, st = v.reg, v.t
		}
		if st.st != nil && !st.st.complete {
			c.errorAt(e.tok, "invalid use of undefined type '%s'", st.String())
			return lvalue{}, false
		}
		f, ok := st.field(e.name)
		if !ok {
			var names []string
			for _, f := range st.st.fields {
				if f.name != "" && !strings.HasPrefix(f.name, "__") {
					names = append(names, f.name)
				}
			}
			msg := sprintf("'%s' has no member named '%s'", st.String(), e.name)
			if s := closest(e.name, names); s != "" {
				msg += sprintf("; did you mean '%s'?", s)
			}
			at := e.nameTok
			if e.opText == "->" {
				at = e.tok // gcc points at the arrow
			}
			c.errorAt(at, "%s", msg)
			return lvalue{}, false
		}
		r := c.newReg()
		c.emit(opAddI, r, base, 0, f.off)
		if f.bitfield {
			return lvalue{kind: lvMem, reg: r, t: f.t, bits: &f}, true
		}
		return lvalue{kind: lvMem, reg: r, t: f.t}, true
	}
	c.errorAt(e.tok, "lvalue required as left operand of assignment")
	return lvalue{}, false
}

// loadLV reads an lvalue's value; arrays and structs stay addresses.
func (c *compiler) loadLV(lv lvalue) operand {
	if lv.t == nil {
		return c.constOp(0, tInt)
	}
	if lv.kind == lvReg {
		return operand{reg: lv.reg, t: lv.t}
	}
	if lv.t.k == kArray || lv.t.k == kStruct || lv.t.k == kFunc {
		return operand{reg: c.lvAddr(lv), t: lv.t, addr: true}
	}
	r := c.newReg()
	if lv.bits != nil {
		return c.loadBits(r, lv.reg, lv.bits)
	}
	if lv.indexed {
		c.emit(indexedLoad(lv.t), r, lv.reg, lv.idx, lv.scale)
		return operand{reg: r, t: lv.t}
	}
	c.load(r, lv.reg, lv.t)
	return operand{reg: r, t: lv.t}
}

// lvAddr is the address of a memory lvalue, in a register.
func (c *compiler) lvAddr(lv lvalue) int32 {
	if !lv.indexed {
		return lv.reg
	}
	idx := lv.idx
	if lv.scale != 1 {
		idx = c.newReg()
		c.emit(opMul, idx, lv.idx, c.constReg(lv.scale), 0)
	}
	r := c.newReg()
	c.emit(opAdd, r, lv.reg, idx, 0)
	return r
}

func indexedLoad(t *ctype) opcode {
	switch {
	case t.size == 1 && t.unsigned:
		return opLdX8u
	case t.size == 1:
		return opLdX8s
	case t.size == 2 && t.unsigned:
		return opLdX16u
	case t.size == 2:
		return opLdX16s
	case t.size == 4 && t.unsigned:
		return opLdX32u
	case t.size == 4:
		return opLdX32s
	}
	return opLdX64
}

// storeLV stores v (already converted to lv's type) through lv.
func (c *compiler) storeLV(lv lvalue, v int32) {
	if lv.bits != nil {
		c.storeBits(lv.reg, v, lv.bits)
		return
	}
	if lv.indexed {
		op := map[int64]opcode{1: opStX8, 2: opStX16, 4: opStX32, 8: opStX64}[lv.t.size]
		c.emit(op, lv.reg, v, lv.idx, lv.scale)
		return
	}
	c.store(lv.reg, v, lv.t)
}

// bitsType is the type a bit-field's value has: int when int holds every
// value of it (the integer promotion of C11 6.3.1.1), else its own.
func bitsType(f *field) *ctype {
	if f.t.k == kBool {
		return tBool
	}
	if f.width < 32 || f.width == 32 && !f.t.unsigned {
		return tInt
	}
	return f.t
}

// loadBits reads bit-field f from its unit at addr into dst: the unit's
// load (as gcc -O0 reads it), then its bits, sign-extended if it is signed.
func (c *compiler) loadBits(dst, addr int32, f *field) operand {
	ut := *f.t
	ut.unsigned = true
	c.load(dst, addr, &ut)
	w := int64(f.width)
	if f.t.unsigned || f.t.k == kBool {
		if f.shift != 0 {
			c.emit(opShrU, dst, dst, c.constReg(int64(f.shift)), 0)
		}
		if w < 64 {
			c.emit(opAnd, dst, dst, c.constReg(int64(1)<<w-1), 0)
		}
	} else {
		if l := 64 - int64(f.shift) - w; l != 0 {
			c.emit(opShl, dst, dst, c.constReg(l), 0)
		}
		if w < 64 {
			c.emit(opShrS, dst, dst, c.constReg(64-w), 0)
		}
	}
	return operand{reg: dst, t: bitsType(f)}
}

// storeBits writes v's low bits into bit-field f of the unit at addr:
// read, merge, write the unit back.
func (c *compiler) storeBits(addr, v int32, f *field) {
	ut := *f.t
	ut.unsigned = true
	u := c.newReg()
	c.load(u, addr, &ut)
	mask := int64(-1)
	if f.width < 64 {
		mask = int64(1)<<f.width - 1
	}
	c.emit(opAnd, u, u, c.constReg(^(mask << f.shift)), 0)
	x := c.newReg()
	c.emit(opAnd, x, v, c.constReg(mask), 0)
	if f.shift != 0 {
		c.emit(opShl, x, x, c.constReg(int64(f.shift)), 0)
	}
	c.emit(opOr, u, u, x, 0)
	c.store(addr, u, &ut)
}

// rvalue decays arrays to pointers and functions to their addresses.
func (c *compiler) rvalue(v operand) operand {
	if v.t == nil {
		return c.constOp(0, tInt)
	}
	if v.t.k == kArray {
		return operand{reg: v.reg, t: ptrTo(v.t.elem)}
	}
	return v
}

// conv converts a scalar to type t, emitting what the change of width or
// signedness needs (constants fold).
func (c *compiler) conv(v operand, t *ctype) operand {
	if v.t == nil || v.reg < 0 {
		return c.constOp(0, t)
	}
	if v.t.k == kFloat || t.k == kFloat {
		return c.convFloat(v, t)
	}
	if v.isConst {
		return c.constOp(v.val, t)
	}
	if t.k == kBool {
		if v.t.k == kBool {
			return operand{reg: v.reg, t: t}
		}
		r := c.newReg()
		c.emit(opBool, r, v.reg, 0, 0)
		return operand{reg: r, t: t}
	}
	if !t.isInteger() || t.size == 8 {
		return operand{reg: v.reg, t: t}
	}
	if v.t.isInteger() && (v.t.size < t.size && (v.t.unsigned || !t.unsigned) || v.t.size == t.size && v.t.unsigned == t.unsigned) {
		return operand{reg: v.reg, t: t} // already in range
	}
	var op opcode
	switch t.size {
	case 1:
		op = opSext8
		if t.unsigned {
			op = opZext8
		}
	case 2:
		op = opSext16
		if t.unsigned {
			op = opZext16
		}
	default:
		op = opSext32
		if t.unsigned {
			op = opZext32
		}
	}
	r := c.newReg()
	c.emit(op, r, v.reg, 0, 0)
	return operand{reg: r, t: t}
}

// convert is conv for assignments, checking the types as gcc does (its
// errors only; its warnings are not errors here).
func (c *compiler) convert(e *expr, v operand, t *ctype, what string) operand {
	v = c.rvalue(v)
	if t.k == kStruct {
		if v.t.k != kStruct || v.t.st != t.st {
			c.errorAt(e.tok, "incompatible types when assigning to type '%s' from type '%s'", t, v.t)
		}
		return v
	}
	if v.t.k == kVoid {
		c.errorAt(e.tok, "void value not ignored as it ought to be")
		return c.constOp(0, t)
	}
	if !v.t.isScalar() || (v.t.k == kFloat && t.k == kPtr) || (v.t.k == kPtr && t.k == kFloat) {
		c.errorAt(e.tok, "incompatible types when assigning to type '%s' from type '%s'", t, v.t)
		return c.constOp(0, t)
	}
	return c.conv(v, t)
}

func (c *compiler) unary(e *expr) operand {
	switch e.opText {
	case "&":
		if e.x.op == eIdent {
			if s := c.lookup(e.x.name); s != nil && s.kind == symFunc {
				return c.rvalue(c.gen(e.x))
			}
		}
		if e.x.op == eUnary && e.x.opText == "*" {
			v := c.rvalue(c.gen(e.x.x))
			return v
		}
		lv, ok := c.lval(e.x)
		if !ok {
			return c.constOp(0, tVoidP)
		}
		if lv.kind == lvReg {
			c.errorAt(e.tok, "cannot take the address of a register variable")
			return c.constOp(0, tVoidP)
		}
		if lv.bits != nil {
			c.errorAt(e.tok, "cannot take address of bit-field '%s'", lv.bits.name)
			return c.constOp(0, tVoidP)
		}
		return operand{reg: c.lvAddr(lv), t: ptrTo(lv.t)}
	case "*":
		lv, ok := c.lval(e)
		if !ok {
			return c.constOp(0, tInt)
		}
		return c.loadLV(lv)
	}
	v := c.rvalue(c.gen(e.x))
	if e.opText == "!" {
		if !v.t.isScalar() {
			c.errorAt(e.tok, "wrong type argument to unary exclamation mark")
			return c.constOp(0, tInt)
		}
		if v.t.k == kFloat {
			v = c.conv(v, tBool)
		}
		if v.isConst {
			if v.val == 0 {
				return c.constOp(1, tInt)
			}
			return c.constOp(0, tInt)
		}
		r := c.newReg()
		c.emit(opNot, r, v.reg, 0, 0)
		return operand{reg: r, t: tInt}
	}
	if v.t.k == kFloat && e.opText != "~" {
		if e.opText == "+" {
			return v
		}
		if v.isConst {
			return c.constOp(f2b(-b2f(v.val)), v.t)
		}
		r := c.newReg()
		c.emit(opFNeg, r, v.reg, 0, 0)
		return operand{reg: r, t: v.t}
	}
	if !v.t.isInteger() {
		c.errorAt(e.tok, "wrong type argument to unary %s", map[string]string{"-": "minus", "+": "plus", "~": "complement"}[e.opText])
		return c.constOp(0, tInt)
	}
	t := promote(v.t)
	v = c.conv(v, t)
	switch e.opText {
	case "+":
		return v
	case "-":
		if v.isConst {
			return c.constOp(-v.val, t)
		}
		r := c.newReg()
		c.emit(opNeg, r, v.reg, 0, 0)
		return c.norm(r, t)
	case "~":
		if v.isConst {
			return c.constOp(^v.val, t)
		}
		r := c.newReg()
		c.emit(opBNot, r, v.reg, 0, 0)
		return c.norm(r, t)
	}
	return v
}

// norm brings a 64-bit result in r back into the range of type t.
func (c *compiler) norm(r int32, t *ctype) operand {
	if t.size == 8 || !t.isInteger() {
		return operand{reg: r, t: t}
	}
	var op opcode
	switch {
	case t.k == kBool:
		op = opBool
	case t.size == 1 && t.unsigned:
		op = opZext8
	case t.size == 1:
		op = opSext8
	case t.size == 2 && t.unsigned:
		op = opZext16
	case t.size == 2:
		op = opSext16
	case t.unsigned:
		op = opZext32
	default:
		op = opSext32
	}
	c.emit(op, r, r, 0, 0)
	return operand{reg: r, t: t}
}

// ptrAdd is p + i (or p - i) scaled by the pointee's size.
func (c *compiler) ptrAdd(p, i operand, sub bool) operand {
	size := p.t.elem.size
	if p.t.elem.k == kVoid || p.t.elem.k == kFunc {
		size = 1 // gcc's extension
	}
	i = c.conv(i, tLong)
	if i.isConst {
		d := i.val * size
		if sub {
			d = -d
		}
		if p.isConst {
			return c.constOp(p.val+d, p.t)
		}
		if d == 0 {
			return p
		}
		r := c.newReg()
		c.emit(opAddI, r, p.reg, 0, d)
		return operand{reg: r, t: p.t}
	}
	idx := i.reg
	if size != 1 {
		idx = c.newReg()
		c.emit(opMul, idx, i.reg, c.constReg(size), 0)
	}
	r := c.newReg()
	if sub {
		c.emit(opSub, r, p.reg, idx, 0)
	} else {
		c.emit(opAdd, r, p.reg, idx, 0)
	}
	return operand{reg: r, t: p.t}
}

func (c *compiler) binary(e *expr) operand {
	switch e.opText {
	case "&&", "||":
		r := c.newReg()
		f, end := c.newLabel(), c.newLabel()
		if e.opText == "&&" {
			c.cond(e, f)
			c.emit(opMov, r, c.constReg(1), 0, 0)
			c.jump(opJmp, 0, 0, end)
			c.place(f)
			c.emit(opMov, r, c.constReg(0), 0, 0)
		} else {
			c.condTrue(e, f)
			c.emit(opMov, r, c.constReg(0), 0, 0)
			c.jump(opJmp, 0, 0, end)
			c.place(f)
			c.emit(opMov, r, c.constReg(1), 0, 0)
		}
		c.place(end)
		return operand{reg: r, t: tInt}
	}
	l := c.rvalue(c.gen(e.x))
	r := c.rvalue(c.gen(e.y))
	return c.arith(e, e.opText, l, r, -1)
}

func (c *compiler) compareType(e *expr, l, r operand) (*ctype, bool) {
	if l.t.k == kPtr || r.t.k == kPtr {
		return tULong, true
	}
	if l.t.k == kFloat || r.t.k == kFloat {
		return usual(l.t, r.t), false
	}
	t := usual(l.t, r.t)
	return t, t.unsigned && t.size == 8 || t.unsigned
}

// arith computes l op r into dst (or a new register when dst < 0).
func (c *compiler) arith(e *expr, op string, l, r operand, dst int32) operand {
	if !l.t.isScalar() || !r.t.isScalar() {
		if l.t.k != kVoid && r.t.k != kVoid {
			c.errorAt(e.tok, "invalid operands to binary %s (have '%s' and '%s')", op, l.t, r.t)
		} else {
			c.errorAt(e.tok, "void value not ignored as it ought to be")
		}
		return c.constOp(0, tInt)
	}
	newReg := func() int32 {
		if dst >= 0 {
			return dst
		}
		return c.newReg()
	}
	switch op {
	case "==", "!=", "<", ">", "<=", ">=":
		ct, unsigned := c.compareType(e, l, r)
		l, r = c.conv(l, ct), c.conv(r, ct)
		if ct.k == kFloat {
			return c.floatCompare(op, l, r, newReg)
		}
		if l.isConst && r.isConst {
			a, b := l.val, r.val
			var v bool
			switch op {
			case "==":
				v = a == b
			case "!=":
				v = a != b
			case "<":
				v = a < b
				if unsigned {
					v = uint64(a) < uint64(b)
				}
			case ">":
				v = a > b
				if unsigned {
					v = uint64(a) > uint64(b)
				}
			case "<=":
				v = a <= b
				if unsigned {
					v = uint64(a) <= uint64(b)
				}
			case ">=":
				v = a >= b
				if unsigned {
					v = uint64(a) >= uint64(b)
				}
			}
			if v {
				return c.constOp(1, tInt)
			}
			return c.constOp(0, tInt)
		}
		d := newReg()
		switch op {
		case "==":
			c.emit(opEq, d, l.reg, r.reg, 0)
		case "!=":
			c.emit(opNe, d, l.reg, r.reg, 0)
		case "<", ">", "<=", ">=":
			a, b := l.reg, r.reg
			if op == ">" || op == ">=" {
				a, b = b, a
			}
			lt, le := opLtS, opLeS
			if unsigned {
				lt, le = opLtU, opLeU
			}
			if op == "<" || op == ">" {
				c.emit(lt, d, a, b, 0)
			} else {
				c.emit(le, d, a, b, 0)
			}
		}
		return operand{reg: d, t: tInt}
	}
	// Pointer arithmetic.
	if l.t.k == kPtr || r.t.k == kPtr {
		switch {
		case op == "+" && l.t.k == kPtr && r.t.isInteger():
			return c.ptrAdd(l, r, false)
		case op == "+" && r.t.k == kPtr && l.t.isInteger():
			return c.ptrAdd(r, l, false)
		case op == "-" && l.t.k == kPtr && r.t.isInteger():
			return c.ptrAdd(l, r, true)
		case op == "-" && l.t.k == kPtr && r.t.k == kPtr:
			d := newReg()
			c.emit(opSub, d, l.reg, r.reg, 0)
			if sz := l.t.elem.size; sz > 1 && l.t.elem.k != kVoid {
				c.emit(opDivS, d, d, c.constReg(sz), 0)
			}
			return operand{reg: d, t: tLong}
		}
		c.errorAt(e.tok, "invalid operands to binary %s (have '%s' and '%s')", op, l.t, r.t)
		return c.constOp(0, tInt)
	}
	if l.t.k == kFloat || r.t.k == kFloat {
		switch op {
		case "+", "-", "*", "/":
		default:
			c.errorAt(e.tok, "invalid operands to binary %s (have '%s' and '%s')", op, l.t, r.t)
			return c.constOp(0, tInt)
		}
		t := usual(l.t, r.t)
		l, r = c.conv(l, t), c.conv(r, t)
		if l.isConst && r.isConst {
			a, b := b2f(l.val), b2f(r.val)
			var v float64
			switch op {
			case "+":
				v = a + b
			case "-":
				v = a - b
			case "*":
				v = a * b
			case "/":
				v = a / b
			}
			return c.constOp(f2b(v), t)
		}
		o := map[string]opcode{"+": opFAdd, "-": opFSub, "*": opFMul, "/": opFDiv}[op]
		d := newReg()
		c.emit(o, d, l.reg, r.reg, 0)
		if t.size == 4 {
			c.emit(opF2F32, d, d, 0, 0)
		}
		return operand{reg: d, t: t}
	}
	var t *ctype
	if op == "<<" || op == ">>" {
		t = promote(l.t)
		r = c.conv(r, promote(r.t))
	} else {
		t = usual(l.t, r.t)
		r = c.conv(r, t)
	}
	l = c.conv(l, t)
	if r.isConst && (op == "/" || op == "%") && r.val == 0 && !l.isConst {
		// Division by a constant zero still traps at run time.
	} else if l.isConst && r.isConst && !((op == "/" || op == "%") && r.val == 0) {
		return c.constOp(foldArith(op, l.val, r.val, t), t)
	}
	var o opcode
	u := t.unsigned
	switch op {
	case "+":
		o = opAdd
	case "-":
		o = opSub
	case "*":
		o = opMul
	case "/":
		o = opDivS
		if u {
			o = opDivU
		}
	case "%":
		o = opModS
		if u {
			o = opModU
		}
	case "&":
		o = opAnd
	case "|":
		o = opOr
	case "^":
		o = opXor
	case "<<":
		o = opShl
		if t.size == 4 {
			o = opShl32
		}
	case ">>":
		switch {
		case t.size == 4 && u:
			o = opShrU32
		case t.size == 4:
			o = opShrS32
		case u:
			o = opShrU
		default:
			o = opShrS
		}
	}
	if o == opAdd && r.isConst {
		d := newReg()
		c.emit(opAddI, d, l.reg, 0, r.val)
		if c.rawFor == e {
			return operand{reg: d, t: t}
		}
		return c.norm(d, t)
	}
	d := newReg()
	c.emit(o, d, l.reg, r.reg, 0)
	if o == opAnd || o == opOr || o == opXor || o == opShrU32 || o == opShrS32 && t.size == 4 || ((o == opDivS || o == opModS) && t.size == 4) {
		return operand{reg: d, t: t} // stays in range
	}
	if c.rawFor == e {
		return operand{reg: d, t: t} // only its low bytes are stored
	}
	return c.norm(d, t)
}

func foldArith(op string, a, b int64, t *ctype) int64 {
	u := t.unsigned
	switch op {
	case "/":
		if u {
			if t.size == 4 {
				return int64(uint32(a) / uint32(b))
			}
			return int64(uint64(a) / uint64(b))
		}
		return a / b
	case "%":
		if u {
			if t.size == 4 {
				return int64(uint32(a) % uint32(b))
			}
			return int64(uint64(a) % uint64(b))
		}
		return a % b
	case ">>":
		if u {
			if t.size == 4 {
				return int64(uint32(a) >> uint(b&31))
			}
			return int64(uint64(a) >> uint(b&63))
		}
		if t.size == 4 {
			return int64(int32(a) >> uint(b&31))
		}
		return a >> uint(b&63)
	case "<<":
		if t.size == 4 {
			return int64(int32(a) << uint(b&31))
		}
		return a << uint(b&63)
	}
	return cBinary(op, a, b)
}

func (c *compiler) assign(e *expr) operand {
	switch e.x.op {
	case eIdent, eUnary, eIndex, eMember:
	default:
		c.gen(e.x)
		c.errorAt(e.tok, "lvalue required as left operand of assignment")
		return c.constOp(0, tInt)
	}
	lv, ok := c.lval(e.x)
	if !ok {
		c.gen(e.y)
		return c.constOp(0, tInt)
	}
	if lv.t.k == kArray {
		c.errorAt(e.tok, "assignment to expression with array type")
		return c.constOp(0, tInt)
	}
	if lv.t.cnst {
		c.readOnly(e.tok, "assignment", e.x)
	}
	if k, ok := c.addConstant(e); ok && c.addToMemory(lv, k) {
		return operand{reg: -1, t: tVoid}
	}
	if e.opText == "=" {
		if e.unused && lv.kind == lvMem && lv.bits == nil && lv.t.isInteger() && lv.t.k != kBool && lv.t.size <= 4 {
			// The store keeps only lv's low bytes: the value need not be
			// brought into its range first (no sign or zero extension).
			c.rawFor = e.y
			v := c.rvalue(c.gen(e.y))
			c.rawFor = nil
			if v.t.isInteger() && v.t.size >= lv.t.size {
				c.storeLV(lv, v.reg)
				return operand{reg: -1, t: tVoid}
			}
			v = c.convert(e.y, v, lv.t, "assignment")
			c.storeLV(lv, v.reg)
			return v
		}
		v := c.gen(e.y)
		v = c.convert(e.y, v, lv.t, "assignment")
		if lv.kind == lvReg {
			if v.reg != lv.reg {
				c.emit(opMov, lv.reg, v.reg, 0, 0)
			}
			return operand{reg: lv.reg, t: lv.t}
		}
		c.storeLV(lv, v.reg)
		if lv.bits != nil {
			return c.loadLV(lv)
		}
		return v
	}
	op := e.opText[:len(e.opText)-1]
	cur := c.loadLV(lv)
	r := c.rvalue(c.gen(e.y))
	dst := int32(-1)
	if lv.kind == lvReg && lv.t.isInteger() && r.t.isInteger() && op != "<<" && op != ">>" && sameType(usual(lv.t, r.t), lv.t) {
		dst = lv.reg // compute straight into the variable
	}
	res := c.arith(e, op, cur, r, dst)
	res = c.conv(res, lv.t)
	if lv.kind == lvReg {
		if res.reg != lv.reg {
			c.emit(opMov, lv.reg, res.reg, 0, 0)
		}
		return operand{reg: lv.reg, t: lv.t}
	}
	c.storeLV(lv, res.reg)
	return res
}

func (c *compiler) incdec(e *expr) operand {
	lv, ok := c.lval(e.x)
	if !ok {
		return c.constOp(0, tInt)
	}
	if !lv.t.isScalar() {
		c.errorAt(e.tok, "wrong type argument to %s", map[string]string{"++": "increment", "--": "decrement"}[e.opText])
		return c.constOp(0, tInt)
	}
	if lv.t.cnst {
		c.readOnly(e.tok, map[string]string{"++": "increment", "--": "decrement"}[e.opText], e.x)
	}
	if e.unused && lv.t.isInteger() {
		k := int64(1)
		if e.opText == "--" {
			k = -1
		}
		if c.addToMemory(lv, k) {
			return operand{reg: -1, t: tVoid}
		}
	}
	d := int64(1)
	if lv.t.k == kPtr {
		d = lv.t.elem.size
		if lv.t.elem.k == kVoid {
			d = 1
		}
	}
	if e.opText == "--" {
		d = -d
	}
	cur := c.loadLV(lv)
	if lv.t.k == kFloat {
		one := c.constOp(f2b(float64(d)), tDouble)
		var old int32 = -1
		if e.op == ePostInc {
			old = c.newReg()
			c.emit(opMov, old, cur.reg, 0, 0)
		}
		nv := c.newReg()
		if lv.kind == lvReg {
			nv = lv.reg
		}
		c.emit(opFAdd, nv, cur.reg, one.reg, 0)
		if lv.t.size == 4 {
			c.emit(opF2F32, nv, nv, 0, 0)
		}
		if lv.kind == lvMem {
			c.storeLV(lv, nv)
		}
		if old >= 0 {
			return operand{reg: old, t: lv.t}
		}
		return operand{reg: nv, t: lv.t}
	}
	var old int32 = -1
	if e.op == ePostInc {
		old = c.newReg()
		c.emit(opMov, old, cur.reg, 0, 0)
	}
	var nv int32
	if lv.kind == lvReg {
		nv = lv.reg
	} else {
		nv = c.newReg()
	}
	c.emit(opAddI, nv, cur.reg, 0, d)
	c.norm(nv, lv.t)
	if lv.kind == lvMem {
		c.storeLV(lv, nv)
	}
	if old >= 0 {
		return operand{reg: old, t: cur.t}
	}
	if lv.bits != nil {
		return c.loadLV(lv)
	}
	return operand{reg: nv, t: lv.t}
}

func (c *compiler) ternary(e *expr) operand {
	f, end := c.newLabel(), c.newLabel()
	y := e.y
	if y == nil { // GNU's x ?: z
		y = e.x
	}
	if v, ok := c.constValue(e.x); ok && e.y != nil {
		// A constant condition: only the arm it picks is compiled, so that
		// the whole folds when that arm does (array sizes, case labels).
		t := c.armsType(c.armType(e.y), c.armType(e.z))
		arm := e.z
		if v != 0 {
			arm = e.y
		}
		a := c.rvalue(c.gen(arm))
		if t.k == kVoid || t.k == kStruct {
			return a
		}
		return c.conv(a, t)
	}
	r := c.newReg()
	if e.y == nil {
		t := c.armsType(c.armType(e.x), c.armType(e.z))
		v := c.rvalue(c.gen(e.x))
		c.checkScalar(e.x, v)
		if t.k != kVoid && t.k != kStruct {
			v = c.conv(v, t)
		}
		c.emit(opMov, r, v.reg, 0, 0)
		c.jump(opJnz, r, 0, end)
		w := c.rvalue(c.gen(e.z))
		if t.k != kVoid && t.k != kStruct {
			w = c.conv(w, t)
		}
		c.emit(opMov, r, w.reg, 0, 0)
		c.place(end)
		return operand{reg: r, t: t}
	}
	c.cond(e.x, f)
	// Both arms must agree on a type; compute it first.
	ta, tb := c.armType(y), c.armType(e.z)
	if ta.k == kArray {
		ta = ptrTo(ta.elem)
	}
	if tb.k == kArray {
		tb = ptrTo(tb.elem)
	}
	t := c.armsType(ta, tb)
	arm := func(x *expr) {
		v := c.rvalue(c.gen(x))
		if t.k != kVoid && t.k != kStruct {
			v = c.conv(v, t)
		}
		if t.k != kVoid && v.reg >= 0 {
			c.emit(opMov, r, v.reg, 0, 0)
		}
	}
	arm(e.y)
	c.jump(opJmp, 0, 0, end)
	c.place(f)
	arm(e.z)
	c.place(end)
	return operand{reg: r, t: t, addr: t.k == kStruct}
}

func (c *compiler) call(e *expr) operand {
	var fnType *ctype
	var target *sym
	var fptr operand
	if e.x.op == eIdent {
		target = c.lookup(e.x.name)
		if target == nil {
			if v, ok := c.intrinsic(e); ok {
				return v
			}
		}
		if target == nil {
			c.errorAt(e.x.tok, "implicit declaration of function '%s'", e.x.name)
			for _, a := range e.args {
				c.gen(a)
			}
			return c.constOp(0, tInt)
		}
	}
	switch {
	case target != nil && target.kind == symFunc:
		fnType = target.t
		target.fn.used = true
	case target != nil && target.kind == symBuiltin && target.b != nil:
		fnType = target.t
	default:
		fptr = c.rvalue(c.gen(e.x))
		if fptr.t.k == kPtr && fptr.t.elem.k == kFunc {
			fnType = fptr.t.elem
		} else if fptr.t.k == kFunc {
			fnType = fptr.t
		} else {
			c.errorAt(e.tok, "called object is not a function or function pointer")
			return c.constOp(0, tInt)
		}
		target = nil
	}
	name := e.x.name
	np := len(fnType.params)
	if !fnType.noProto {
		if len(e.args) < np {
			c.errorAt(e.tok, "too few arguments to function '%s'", name)
		} else if len(e.args) > np && !fnType.variadic {
			c.errorAt(e.tok, "too many arguments to function '%s'", name)
		}
	}
	// A struct result goes to a temporary in the caller's frame, whose
	// address is the hidden first argument.
	var sret *sym
	if fnType.ret.k == kStruct {
		if !fnType.ret.st.complete {
			c.errorAt(e.tok, "invalid use of undefined type '%s'", fnType.ret)
			return c.constOp(0, tInt)
		}
		sret = c.memLocal(sprintf(" sret%d", len(c.fn.code)), fnType.ret, e.tok)
	}
	hidden := int32(0)
	if sret != nil {
		hidden = 1
		c.emit(opLAddr, c.newReg(), 0, 0, sret.off)
	}
	base := c.nextReg
	for range e.args {
		c.newReg()
	}
	// gcc evaluates arguments right to left on x86-64; so do we, so that
	// programs with side effects in arguments print what gcc's print.
	for i := len(e.args) - 1; i >= 0; i-- {
		a := e.args[i]
		v := c.gen(a)
		if i < np {
			v = c.convert(a, v, fnType.params[i], "passing")
		} else {
			v = c.rvalue(v)
			if v.t.k == kStruct && v.t.st.complete {
				// A struct passed through "...": a copy in the caller's
				// frame, whose address takes the argument's slot (va_arg
				// copies it out), as a struct parameter arrives by address.
				tmp := c.memLocal(sprintf(" va%d", len(c.fn.code)), v.t, a.tok)
				r := c.newReg()
				c.emit(opLAddr, r, 0, 0, tmp.off)
				c.emit(opMemcpy, r, v.reg, 0, v.t.size)
				v = operand{reg: r, t: ptrTo(v.t)}
			} else if v.t.k == kStruct || v.t.k == kVoid {
				c.errorAt(a.tok, "invalid use of void expression")
			} else if v.t.isInteger() {
				v = c.conv(v, promote(v.t))
			} else if v.t.k == kFloat {
				v = c.conv(v, tDouble)
			}
		}
		if v.reg >= 0 && v.reg != base+int32(i) {
			c.emit(opMov, base+int32(i), v.reg, 0, 0)
		}
	}
	dst := c.newReg()
	n := int32(len(e.args)) + hidden
	base -= hidden
	switch {
	case target != nil && target.kind == symFunc:
		c.emit(opCall, dst, base, n, int64(target.fn.idx))
	case target != nil:
		c.emit(opCallB, dst, base, n, int64(target.b.id))
	default:
		c.emit(opCallP, dst, base, n, int64(fptr.reg))
	}
	if sret != nil {
		return operand{reg: dst, t: fnType.ret, addr: true}
	}
	return operand{reg: dst, t: fnType.ret}
}

// closest is gcc's spelling suggestion: the candidate nearest to name by
// edit distance, if within a third of the longer length.
func closest(name string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := editDistance(name, c)
		n := len(name)
		if len(c) > n {
			n = len(c)
		}
		if d <= (n+2)/3 && d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Damerau-Levenshtein distance (adjacent swaps count
// one), as gcc's spellcheck computes it.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := 0; j <= len(b); j++ {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// convFloat converts to or from a floating type.
func (c *compiler) convFloat(v operand, t *ctype) operand {
	from := v.t
	if v.isConst {
		switch {
		case from.k == kFloat && t.k == kFloat:
			return c.constOp(v.val, t)
		case from.k == kFloat && t.k == kBool:
			return c.constOp(b2i(b2f(v.val) != 0), t)
		case from.k == kFloat && t.unsigned && t.size == 8:
			return c.constOp(int64(f2u(b2f(v.val))), t)
		case from.k == kFloat:
			return c.constOp(f2i(b2f(v.val)), t)
		case from.unsigned && from.size == 8:
			return c.constOp(f2b(float64(uint64(v.val))), t)
		default:
			return c.constOp(f2b(float64(v.val)), t)
		}
	}
	r := c.newReg()
	switch {
	case from.k == kFloat && t.k == kFloat:
		if t.size == 4 && from.size != 4 {
			c.emit(opF2F32, r, v.reg, 0, 0)
			return operand{reg: r, t: t}
		}
		return operand{reg: v.reg, t: t}
	case from.k == kFloat && t.k == kBool:
		c.emit(opFBool, r, v.reg, 0, 0)
		return operand{reg: r, t: t}
	case from.k == kFloat && t.isInteger():
		if t.unsigned && t.size == 8 {
			c.emit(opF2U, r, v.reg, 0, 0)
			return operand{reg: r, t: t}
		}
		c.emit(opF2I, r, v.reg, 0, 0)
		return c.norm(r, t)
	case from.isInteger():
		if from.unsigned && from.size == 8 {
			c.emit(opU2F, r, v.reg, 0, 0)
		} else {
			c.emit(opI2F, r, v.reg, 0, 0)
		}
		if t.size == 4 {
			c.emit(opF2F32, r, r, 0, 0)
		}
		return operand{reg: r, t: t}
	}
	return operand{reg: v.reg, t: t}
}

func (c *compiler) floatCompare(op string, l, r operand, newReg func() int32) operand {
	if l.isConst && r.isConst {
		a, b := b2f(l.val), b2f(r.val)
		var v bool
		switch op {
		case "==":
			v = a == b
		case "!=":
			v = a != b
		case "<":
			v = a < b
		case ">":
			v = a > b
		case "<=":
			v = a <= b
		case ">=":
			v = a >= b
		}
		return c.constOp(b2i(v), tInt)
	}
	d := newReg()
	a, b := l.reg, r.reg
	switch op {
	case "==":
		c.emit(opFEq, d, a, b, 0)
	case "!=":
		c.emit(opFNe, d, a, b, 0)
	case "<":
		c.emit(opFLt, d, a, b, 0)
	case ">":
		c.emit(opFLt, d, b, a, 0)
	case "<=":
		c.emit(opFLe, d, a, b, 0)
	case ">=":
		c.emit(opFLe, d, b, a, 0)
	}
	return operand{reg: d, t: tInt}
}

// vaArg is va_arg(ap, t): read the next 8-byte argument slot as t, then
// step ap past it.
func (c *compiler) vaArg(e *expr) operand {
	lv, ok := c.lval(e.x)
	if !ok {
		return c.constOp(0, tInt)
	}
	if lv.t.k != kPtr {
		c.errorAt(e.tok, "first argument to 'va_arg' not of type 'va_list'")
		return c.constOp(0, tInt)
	}
	isStruct := e.t.k == kStruct && e.t.st.complete
	if !e.t.isScalar() && !isStruct {
		c.errorAt(e.tok, "va_arg of a non-scalar type is not supported by the playground")
		return c.constOp(0, tInt)
	}
	cur := c.loadLV(lv)
	v := c.newReg()
	c.emit(opLd64, v, cur.reg, 0, 0)
	nv := c.newReg()
	c.emit(opAddI, nv, cur.reg, 0, 8)
	if lv.kind == lvReg {
		c.emit(opMov, lv.reg, nv, 0, 0)
	} else {
		c.storeLV(lv, nv)
	}
	if isStruct {
		// The slot holds the address of the caller's copy (call).
		tmp := c.memLocal(sprintf(" vaarg%d", len(c.fn.code)), e.t, e.tok)
		r := c.newReg()
		c.emit(opLAddr, r, 0, 0, tmp.off)
		c.emit(opMemcpy, r, v, 0, e.t.size)
		return operand{reg: r, t: e.t, addr: true}
	}
	if e.t.k == kFloat {
		if e.t.size == 4 {
			c.emit(opF2F32, v, v, 0, 0)
		}
		return operand{reg: v, t: e.t}
	}
	return c.norm(v, e.t)
}

// readOnly reports a write to a const object as gcc words it.
func (c *compiler) readOnly(at token, what string, x *expr) {
	switch x.op {
	case eIdent:
		c.errorAt(at, "%s of read-only variable '%s'", what, x.name)
	case eMember:
		c.errorAt(at, "%s of read-only member '%s'", what, x.name)
	default:
		c.errorAt(at, "%s of read-only location '%s'", what, exprText(x))
	}
}

// exprText renders an lvalue as gcc's messages do: p[1] is "*(p + 1)".
func exprText(e *expr) string {
	switch e.op {
	case eIdent:
		return e.name
	case eNum:
		return sprintf("%d", e.ival)
	case eUnary:
		return e.opText + exprText(e.x)
	case eIndex:
		if e.y.op == eNum && e.y.ival == 0 {
			return "*" + exprText(e.x)
		}
		return "*(" + exprText(e.x) + " + " + exprText(e.y) + ")"
	case eBinary:
		return exprText(e.x) + " " + e.opText + " " + exprText(e.y)
	case eMember:
		return exprText(e.x) + e.opText + e.name
	}
	return "expression"
}

// addConstant recognises an assignment whose value is not used and that
// adds a constant to its own target: a[i] += k, a[i] -= k, a[i] = a[i] + k.
func (c *compiler) addConstant(e *expr) (int64, bool) {
	if !e.unused {
		return 0, false
	}
	var k *expr
	neg := false
	switch {
	case e.opText == "+=" || e.opText == "-=":
		k, neg = e.y, e.opText == "-="
	case e.opText == "=" && e.y.op == eBinary && (e.y.opText == "+" || e.y.opText == "-") && sameObject(e.x, e.y.x):
		k, neg = e.y.y, e.y.opText == "-"
	default:
		return 0, false
	}
	if k.op != eNum || k.t == nil || !k.t.isInteger() {
		return 0, false
	}
	if neg {
		return -k.ival, true
	}
	return k.ival, true
}

// sameObject reports whether a and b designate the same object and
// evaluating them has no side effect (names, constants, subscripts,
// members, dereferences of such).
func sameObject(a, b *expr) bool {
	if a == nil || b == nil || a.op != b.op {
		return false
	}
	switch a.op {
	case eIdent:
		return a.name == b.name
	case eNum:
		return a.ival == b.ival
	case eIndex:
		return sameObject(a.x, b.x) && sameObject(a.y, b.y)
	case eMember:
		return a.opText == b.opText && a.name == b.name && sameObject(a.x, b.x)
	case eUnary:
		return a.opText == "*" && b.opText == "*" && sameObject(a.x, b.x)
	}
	return false
}

// addToMemory adds k to an integer array element in one instruction
// (opAddX: the load and the store of a[i] += k), when lv is one.
func (c *compiler) addToMemory(lv lvalue, k int64) bool {
	if !lv.indexed || !lv.t.isInteger() || lv.t.k == kBool || lv.scale >= constFlag {
		return false
	}
	op := map[int64]opcode{1: opAddX8, 2: opAddX16, 4: opAddX32, 8: opAddX64}[lv.t.size]
	c.emit(op, lv.reg, int32(lv.scale), lv.idx, k)
	return true
}
