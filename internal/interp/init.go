package interp

import (
	"encoding/binary"
	"math"
)

// Initializers (C11 6.7.9): a brace list is flattened to the scalars it
// sets, each at its offset in the object, following designators (.a.b,
// [3], GNU's [1 ... 4]) and brace elision ({1, 2, 3} for a struct holding
// an array) as C does. A static object's items are folded into its data;
// an automatic one is zeroed and then stored item by item, as gcc -O0 does.

// initItem is one scalar (or a char array set from a string literal, or a
// struct from a struct value) of an object's initializer.
type initItem struct {
	off int64
	t   *ctype
	f   *field // a bit-field's layout; nil otherwise
	e   *expr
}

type initWalk struct {
	c     *compiler
	items []initItem
}

// initItems flattens e, the initializer of an object of type t; n is the
// length it gives an array declared with [].
func (c *compiler) initItems(t *ctype, e *expr) (items []initItem, n int64) {
	w := &initWalk{c: c}
	if e.op != eInitList {
		if t.k == kArray && w.isString(e, t) {
			w.items = append(w.items, initItem{t: t, e: e})
			return w.items, int64(len(e.sval)) + 1
		}
		if t.k == kArray || t.k == kStruct && !w.isStructOf(e, t) {
			c.errorAt(e.tok, "invalid initializer")
			return nil, 1
		}
		w.items = append(w.items, initItem{t: t, e: e})
		return w.items, 1
	}
	i := 0
	n = w.fill(t, 0, e.args, &i, true)
	return w.items, n
}

// initLen is the length an initializer gives an array declared with [].
func (c *compiler) initLen(e *expr, t *ctype) int64 {
	nd := len(*c.diags)
	_, n := c.initItems(t, e)
	*c.diags = (*c.diags)[:nd] // reported when the items are made again
	if n < 1 {
		n = 0
	}
	return n
}

func (w *initWalk) isString(e *expr, t *ctype) bool {
	return e.op == eStr && t.k == kArray && t.elem.size == 1 && t.elem.isInteger()
}

func (w *initWalk) isStructOf(e *expr, t *ctype) bool {
	if e.op == eInitList {
		return false
	}
	if w.c.fn == nil {
		return e.op == eCompound && e.t.k == kStruct && e.t.st == t.st
	}
	et := w.c.armType(e)
	return et.k == kStruct && et.st == t.st
}

// fill sets the object of type t at off from args[*i:]. braced says args
// is the object's own brace list; otherwise its braces were elided and it
// takes only what it needs. For an array it returns the length reached.
func (w *initWalk) fill(t *ctype, off int64, args []*expr, i *int, braced bool) int64 {
	c := w.c
	switch t.k {
	case kArray:
		if braced && *i == 0 && len(args) == 1 && len(args[0].desigs) == 0 && w.isString(args[0], t) {
			// char s[] = { "abc" }
			w.items = append(w.items, initItem{off: off, t: t, e: args[0]})
			*i = 1
			return int64(len(args[0].sval)) + 1
		}
		var idx, max int64
		for *i < len(args) {
			a := args[*i]
			if len(a.desigs) > 0 {
				if !braced {
					return max
				}
				d := a.desigs[0]
				if !d.index {
					c.errorAt(d.tok, "field name not in record or union initializer")
					*i++
					continue
				}
				if t.n >= 0 && d.hi >= t.n || d.lo < 0 || d.hi < d.lo {
					c.errorAt(d.tok, "array index in initializer exceeds array bounds")
					*i++
					continue
				}
				for k := d.lo; k <= d.hi; k++ {
					j := *i
					w.sub(t.elem, off+k*t.elem.size, args, &j, a.desigs[1:], nil)
					if k == d.hi {
						*i = j
					}
				}
				idx = d.hi + 1
				if idx > max {
					max = idx
				}
				continue
			}
			if t.n >= 0 && idx >= t.n {
				if !braced {
					return max
				}
				c.errorAt(a.tok, "excess elements in array initializer")
				*i = len(args)
				return max
			}
			w.sub(t.elem, off+idx*t.elem.size, args, i, nil, nil)
			idx++
			if idx > max {
				max = idx
			}
		}
		return max
	case kStruct:
		fields := t.st.fields
		fi := 0
		done := false // a union takes one member
		for *i < len(args) {
			a := args[*i]
			if len(a.desigs) > 0 {
				if !braced {
					return 0
				}
				d := a.desigs[0]
				if d.index {
					c.errorAt(d.tok, "array index in non-array initializer")
					*i++
					continue
				}
				k := -1
				for j, f := range fields {
					if f.name == d.field {
						k = j
					}
				}
				if k < 0 {
					if f, ok := t.field(d.field); ok { // in an anonymous member
						w.sub(f.t, off+f.off, args, i, a.desigs[1:], bitField(f))
						continue
					}
					c.errorAt(d.tok, "'%s' has no member named '%s'", t.String(), d.field)
					*i++
					continue
				}
				f := fields[k]
				w.sub(f.t, off+f.off, args, i, a.desigs[1:], bitField(f))
				fi, done = k+1, true
				continue
			}
			for fi < len(fields) && fields[fi].bitfield && fields[fi].name == "" {
				fi++ // unnamed bit-fields take no initializer
			}
			if fi >= len(fields) || t.st.union && done {
				if !braced {
					return 0
				}
				c.errorAt(a.tok, "excess elements in %s initializer", t.kindWord())
				*i = len(args)
				return 0
			}
			f := fields[fi]
			w.sub(f.t, off+f.off, args, i, nil, bitField(f))
			fi++
			done = true
		}
		return 0
	}
	// A scalar in braces: {5}.
	if *i < len(args) {
		w.sub(t, off, args, i, nil, nil)
		if braced && *i < len(args) {
			c.errorAt(args[*i].tok, "excess elements in scalar initializer")
			*i = len(args)
		}
	}
	return 0
}

func bitField(f field) *field {
	if f.bitfield {
		return &f
	}
	return nil
}

// sub sets the sub-object of type t at off from args[*i]; desigs are the
// rest of that initializer's designators (.a.b: after .a, .b).
func (w *initWalk) sub(t *ctype, off int64, args []*expr, i *int, desigs []designator, bf *field) {
	a := args[*i]
	if len(desigs) > 0 {
		na := *a
		na.desigs = desigs
		j := 0
		w.fill(t, off, []*expr{&na}, &j, true)
		*i++
		return
	}
	switch {
	case a.op == eInitList:
		j := 0
		if t.k != kArray && t.k != kStruct {
			if len(a.args) > 0 {
				w.sub(t, off, a.args, &j, a.args[0].desigs, bf)
			}
		} else {
			w.fill(t, off, a.args, &j, true)
		}
		*i++
	case t.k == kArray && w.isString(a, t):
		w.items = append(w.items, initItem{off: off, t: t, e: a})
		*i++
	case t.k == kStruct && w.isStructOf(a, t):
		w.items = append(w.items, initItem{off: off, t: t, e: a})
		*i++
	case t.k == kArray || t.k == kStruct:
		w.fill(t, off, args, i, false)
	default:
		w.items = append(w.items, initItem{off: off, t: t, f: bf, e: a})
		*i++
	}
}

// staticInit writes a constant initializer into data at off.
func (c *compiler) staticInit(off int64, t *ctype, e *expr) {
	items, _ := c.initItems(t, e)
	for _, it := range items {
		c.staticItem(off+it.off, it)
	}
}

func (c *compiler) staticItem(off int64, it initItem) {
	t, e := it.t, it.e
	put := func(off int64, size int64, v int64) {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], uint64(v))
		copy(c.data[off:off+size], b[:min(size, 8)]) // a long double's value is its first 8 bytes
	}
	switch {
	case t.k == kArray: // a string
		n := copy(c.data[off:off+t.size], e.sval)
		if int64(n) < t.size {
			c.data[off+int64(n)] = 0
		}
		return
	case t.k == kStruct:
		c.errorAt(e.tok, "initializer element is not constant")
		return
	}
	if t.k == kPtr || t.isInteger() && t.size == 8 {
		if ok := c.staticAddr(off, e); ok {
			return
		}
	}
	v, ok := c.constValueAs(e, t)
	if !ok {
		c.errorAt(e.tok, "initializer element is not constant")
		return
	}
	if it.f != nil {
		f := it.f
		var b [8]byte
		copy(b[:], c.data[off:off+t.size])
		u := binary.LittleEndian.Uint64(b[:])
		mask := uint64(1)<<f.width - 1
		u = u&^(mask<<f.shift) | (uint64(v)&mask)<<f.shift
		put(off, t.size, int64(u))
		return
	}
	if t.k == kFloat && t.size == 4 {
		v = int64(math.Float32bits(float32(b2f(v))))
	}
	put(off, t.size, v)
}

// staticAddr stores an address constant (a string's, a global's, a
// function's, plus or minus a constant) at off, and reports whether e was one.
func (c *compiler) staticAddr(off int64, e *expr) bool {
	target, kind, ok := c.addrConst(e)
	if !ok {
		return false
	}
	switch kind {
	case addrFunc:
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], uint64(target))
		copy(c.data[off:off+8], b[:])
	case addrRodata:
		c.relocs = append(c.relocs, reloc{off: off, target: target, rodata: true})
	case addrData:
		c.relocs = append(c.relocs, reloc{off: off, target: target})
	case addrBss:
		c.relocs = append(c.relocs, reloc{off: off, target: -1 - target})
	}
	return true
}

type addrKind uint8

const (
	addrFunc addrKind = iota
	addrRodata
	addrData
	addrBss
)

// addrConst folds an address constant: where it points (an offset in its
// section, or a function's address) and in which section.
func (c *compiler) addrConst(e *expr) (int64, addrKind, bool) {
	switch e.op {
	case eStr:
		return c.rodataString(e.sval), addrRodata, true
	case eCast:
		if e.t.k == kPtr || e.t.isInteger() && e.t.size == 8 {
			return c.addrConst(e.x)
		}
	case eIdent:
		s := c.lookup(e.name)
		if s == nil {
			return 0, 0, false
		}
		switch {
		case s.kind == symFunc:
			return funcAddrBase + int64(s.fn.idx)*16, addrFunc, true
		case s.kind == symGlobal && (s.t.k == kArray || s.t.k == kFunc):
			return globalAddr(s)
		}
	case eUnary:
		if e.opText == "&" {
			return c.objectAddr(e.x)
		}
	case eBinary:
		if e.opText != "+" && e.opText != "-" {
			return 0, 0, false
		}
		p, n := e.x, e.y
		if e.opText == "+" && c.armType(p).isInteger() {
			p, n = n, p
		}
		pt := c.armType(p)
		if pt.k != kPtr && pt.k != kArray {
			return 0, 0, false
		}
		v, ok := c.constValue(n)
		if !ok {
			return 0, 0, false
		}
		base, kind, ok := c.addrConst(p)
		if !ok || kind == addrFunc {
			return 0, 0, false
		}
		d := v * pt.elem.size
		if e.opText == "-" {
			d = -d
		}
		return base + d, kind, true
	}
	return 0, 0, false
}

func globalAddr(s *sym) (int64, addrKind, bool) {
	if s.ro {
		return s.off, addrRodata, true
	}
	if s.off >= 0 {
		return s.off, addrData, true
	}
	return -1 - s.off, addrBss, true
}

// objectAddr folds &x, &a[3], &s.f, &s.a[2].b for a global x, a or s.
func (c *compiler) objectAddr(e *expr) (int64, addrKind, bool) {
	switch e.op {
	case eIdent:
		s := c.lookup(e.name)
		if s == nil {
			return 0, 0, false
		}
		if s.kind == symFunc {
			return funcAddrBase + int64(s.fn.idx)*16, addrFunc, true
		}
		if s.kind == symGlobal {
			return globalAddr(s)
		}
	case eIndex:
		at := c.armType(e.x)
		if at.k != kArray {
			return 0, 0, false
		}
		v, ok := c.constValue(e.y)
		if !ok {
			return 0, 0, false
		}
		base, kind, ok := c.objectAddr(e.x)
		return base + v*at.elem.size, kind, ok
	case eMember:
		if e.opText != "." {
			return 0, 0, false
		}
		st := c.armType(e.x)
		f, ok := st.field(e.name)
		if !ok {
			return 0, 0, false
		}
		base, kind, ok := c.objectAddr(e.x)
		return base + f.off, kind, ok
	case eStr, eCompound:
		return c.addrConst(e)
	}
	return 0, 0, false
}

// initMem initializes the object of type t at base (a register) from e.
func (c *compiler) initMem(base int32, off int64, t *ctype, e *expr) {
	items, _ := c.initItems(t, e)
	addr := func(o int64) int32 {
		if off+o == 0 {
			return base
		}
		a := c.newReg()
		c.emit(opAddI, a, base, 0, off+o)
		return a
	}
	whole := len(items) == 1 && items[0].off == 0 && items[0].t == t && t.k != kArray && e.op != eInitList
	if !whole {
		c.emit(opMemzero, addr(0), 0, 0, t.size)
	}
	for _, it := range items {
		mark := c.nextReg
		switch {
		case it.t.k == kArray: // a string
			s := append([]byte(it.e.sval), 0)
			if int64(len(s)) > it.t.size {
				s = s[:it.t.size]
			}
			src := c.newReg()
			c.emit(opRAddr, src, 0, 0, c.rodataString(it.e.sval))
			c.emit(opMemcpy, addr(it.off), src, 0, int64(len(s)))
		case it.t.k == kStruct:
			v := c.gen(it.e)
			c.emit(opMemcpy, addr(it.off), v.reg, 0, it.t.size)
		case it.f != nil:
			v := c.convert(it.e, c.gen(it.e), it.t, "initialization")
			c.storeBits(addr(it.off), v.reg, it.f)
		default:
			v := c.convert(it.e, c.gen(it.e), it.t, "initialization")
			c.store(addr(it.off), v.reg, it.t)
		}
		c.nextReg = mark
	}
}
