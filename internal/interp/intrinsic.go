package interp

import (
	"math/big"
	"math/bits"
	"strings"
)

// GCC's built-in functions that compile to instructions (the bit
// operations, the overflow checks, prefetch), and __builtin_X for a
// library function X, which is X.

// Bit operations of opBitOp, by imm.
const (
	bitPopcount32 = iota
	bitPopcount64
	bitCtz32
	bitCtz64
	bitClz32
	bitClz64
	bitFfs32
	bitFfs64
	bitParity32
	bitParity64
	bitBswap16
	bitBswap32
	bitBswap64
)

var bitBuiltins = map[string]int64{
	"__builtin_popcount": bitPopcount32, "__builtin_popcountl": bitPopcount64, "__builtin_popcountll": bitPopcount64,
	"__builtin_ctz": bitCtz32, "__builtin_ctzl": bitCtz64, "__builtin_ctzll": bitCtz64,
	"__builtin_clz": bitClz32, "__builtin_clzl": bitClz64, "__builtin_clzll": bitClz64,
	"__builtin_ffs": bitFfs32, "__builtin_ffsl": bitFfs64, "__builtin_ffsll": bitFfs64,
	"__builtin_parity": bitParity32, "__builtin_parityl": bitParity64, "__builtin_parityll": bitParity64,
	"__builtin_bswap16": bitBswap16, "__builtin_bswap32": bitBswap32, "__builtin_bswap64": bitBswap64,
}

// bitOp is opBitOp's function.
func bitOp(op int64, v int64) int64 {
	u := uint64(v)
	switch op {
	case bitPopcount32:
		return int64(bits.OnesCount32(uint32(u)))
	case bitPopcount64:
		return int64(bits.OnesCount64(u))
	case bitCtz32:
		return int64(bits.TrailingZeros32(uint32(u)))
	case bitCtz64:
		return int64(bits.TrailingZeros64(u))
	case bitClz32:
		return int64(bits.LeadingZeros32(uint32(u)))
	case bitClz64:
		return int64(bits.LeadingZeros64(u))
	case bitFfs32:
		if uint32(u) == 0 {
			return 0
		}
		return int64(bits.TrailingZeros32(uint32(u))) + 1
	case bitFfs64:
		if u == 0 {
			return 0
		}
		return int64(bits.TrailingZeros64(u)) + 1
	case bitParity32:
		return int64(bits.OnesCount32(uint32(u)) & 1)
	case bitParity64:
		return int64(bits.OnesCount64(u) & 1)
	case bitBswap16:
		return int64(bits.ReverseBytes16(uint16(u)))
	case bitBswap32:
		return int64(bits.ReverseBytes32(uint32(u)))
	}
	return int64(bits.ReverseBytes64(u))
}

// The overflow checks' encoding in imm: the operation, each operand's
// signedness and the result's type.
const (
	ovfAdd = iota
	ovfSub
	ovfMul
)

func ovfImm(op int, x, y, res *ctype) int64 {
	imm := int64(op) | b2i(x.unsigned)<<2 | b2i(y.unsigned)<<3 | b2i(res.unsigned)<<4 | res.size<<5
	return imm
}

// overflow computes x op y in infinite precision, as GCC's
// __builtin_*_overflow do, and returns it wrapped to the result type and
// whether it did not fit.
func overflow(imm, x, y int64) (int64, bool) {
	toBig := func(v int64, unsigned bool) *big.Int {
		if unsigned {
			return new(big.Int).SetUint64(uint64(v))
		}
		return big.NewInt(v)
	}
	a, b := toBig(x, imm&4 != 0), toBig(y, imm&8 != 0)
	z := new(big.Int)
	switch imm & 3 {
	case ovfAdd:
		z.Add(a, b)
	case ovfSub:
		z.Sub(a, b)
	default:
		z.Mul(a, b)
	}
	unsigned, size := imm&16 != 0, uint(imm>>5)
	nbits := 8 * size
	lo, hi := new(big.Int), new(big.Int)
	if unsigned {
		hi.Lsh(big.NewInt(1), nbits).Sub(hi, big.NewInt(1))
	} else {
		hi.Lsh(big.NewInt(1), nbits-1).Sub(hi, big.NewInt(1))
		lo.Lsh(big.NewInt(1), nbits-1).Neg(lo)
	}
	over := z.Cmp(lo) < 0 || z.Cmp(hi) > 0
	mod := new(big.Int).Lsh(big.NewInt(1), nbits)
	w := new(big.Int).Mod(z, mod) // 0 <= w < 2^nbits
	v := int64(w.Uint64())
	if !unsigned && nbits < 64 && w.Bit(int(nbits-1)) == 1 {
		v -= int64(1) << nbits
	}
	return v, over
}

// intrinsic compiles a call of a GCC built-in; ok is false for any other.
func (c *compiler) intrinsic(e *expr) (operand, bool) {
	name := e.x.name
	if strings.HasPrefix(name, "__sync_") || strings.HasPrefix(name, "__atomic_") {
		return c.atomic(e)
	}
	if !strings.HasPrefix(name, "__builtin_") {
		return operand{}, false
	}
	if op, ok := bitBuiltins[name]; ok {
		if len(e.args) != 1 {
			c.errorAt(e.tok, "wrong number of arguments to function '%s'", name)
			return c.constOp(0, tInt), true
		}
		t := tUInt
		if strings.HasSuffix(name, "l") || strings.HasSuffix(name, "64") {
			t = tULong
		}
		v := c.convert(e.args[0], c.gen(e.args[0]), t, "passing")
		r := c.newReg()
		c.emit(opBitOp, r, v.reg, 0, op)
		switch op {
		case bitBswap16:
			return operand{reg: r, t: tUShort}, true
		case bitBswap32:
			return operand{reg: r, t: tUInt}, true
		case bitBswap64:
			return operand{reg: r, t: tULong}, true
		}
		return operand{reg: r, t: tInt}, true
	}
	switch name {
	case "__builtin_alloca":
		// Memory in the caller's frame, until it returns (<alloca.h>'s
		// alloca is this).
		if len(e.args) != 1 {
			c.errorAt(e.tok, "wrong number of arguments to function '%s'", name)
			return c.constOp(0, tInt), true
		}
		n := c.convert(e.args[0], c.gen(e.args[0]), tULong, "passing")
		r := c.newReg()
		c.emit(opAlloca, r, n.reg, 0, 0)
		return operand{reg: r, t: ptrTo(tVoid)}, true
	case "__builtin_prefetch":
		for _, a := range e.args {
			c.gen(a)
		}
		return operand{reg: -1, t: tVoid}, true
	case "__builtin_add_overflow", "__builtin_sub_overflow", "__builtin_mul_overflow":
		if len(e.args) != 3 {
			c.errorAt(e.tok, "wrong number of arguments to function '%s'", name)
			return c.constOp(0, tInt), true
		}
		x, y := c.rvalue(c.gen(e.args[0])), c.rvalue(c.gen(e.args[1]))
		p := c.rvalue(c.gen(e.args[2]))
		if !x.t.isInteger() || !y.t.isInteger() || p.t.k != kPtr || !p.t.elem.isInteger() || p.t.elem.k == kBool {
			c.errorAt(e.tok, "argument %d in call to function '%s' does not have integral type", 1, name)
			return c.constOp(0, tInt), true
		}
		op := map[string]int{"__builtin_add_overflow": ovfAdd, "__builtin_sub_overflow": ovfSub, "__builtin_mul_overflow": ovfMul}[name]
		imm := ovfImm(op, x.t, y.t, p.t.elem)
		v, f := c.newReg(), c.newReg()
		c.emit(opOverflow, v, x.reg, y.reg, imm)
		c.emit(opOverflowFlag, f, x.reg, y.reg, imm)
		if p.isConst {
			r := c.newReg()
			c.emit(opMov, r, p.reg, 0, 0)
			p.reg = r
		}
		c.store(p.reg, v, p.t.elem)
		return operand{reg: f, t: tBool}, true
	}
	if v, ok := c.atomic(e); ok {
		return v, true
	}
	// __builtin_memcpy and the like are the library's functions.
	if s := c.lookup(strings.TrimPrefix(name, "__builtin_")); s != nil && s.kind == symBuiltin && s.b != nil {
		n := *e
		x := *e.x
		x.name = strings.TrimPrefix(name, "__builtin_")
		n.x = &x
		return c.call(&n), true
	}
	return operand{}, false
}

// atomicOps are the read-modify-write operations of __sync_* and
// __atomic_*, by the name's middle part.
var atomicOps = map[string]string{"add": "+", "sub": "-", "or": "|", "and": "&", "xor": "^"}

// atomic compiles GCC's __sync_* and __atomic_* built-ins. A process runs
// alone until it blocks, so each is its loads and stores in order; the
// memory-order arguments are evaluated and change nothing.
func (c *compiler) atomic(e *expr) (operand, bool) {
	name := e.x.name
	args := e.args
	argc := func(n int) bool {
		if len(args) < n {
			c.errorAt(e.tok, "too few arguments to function '%s'", name)
			return false
		}
		for _, a := range args[n:] { // memory orders
			c.gen(a)
		}
		return true
	}
	ptr := func() (operand, *ctype, bool) {
		p := c.rvalue(c.gen(args[0]))
		if p.t.k != kPtr || !(p.t.elem.isInteger() || p.t.elem.k == kPtr) {
			c.errorAt(args[0].tok, "operand type '%s' is incompatible with argument 1 of '%s'", p.t, name)
			return p, tInt, false
		}
		if p.isConst {
			r := c.newReg()
			c.emit(opMov, r, p.reg, 0, 0)
			p.reg = r
		}
		return p, p.t.elem, true
	}
	void := operand{reg: -1, t: tVoid}
	switch name {
	case "__sync_synchronize", "__atomic_thread_fence", "__atomic_signal_fence":
		for _, a := range args {
			c.gen(a)
		}
		return void, true
	case "__atomic_load_n":
		if !argc(1) {
			return void, true
		}
		p, t, ok := ptr()
		if !ok {
			return c.constOp(0, tInt), true
		}
		r := c.newReg()
		c.load(r, p.reg, t)
		return operand{reg: r, t: t}, true
	case "__atomic_store_n", "__sync_lock_release":
		n := 2
		if name == "__sync_lock_release" {
			n = 1
		}
		if !argc(n) {
			return void, true
		}
		p, t, ok := ptr()
		if !ok {
			return void, true
		}
		v := c.constOp(0, t)
		if n == 2 {
			v = c.convert(args[1], c.gen(args[1]), t, "passing")
		}
		c.store(p.reg, v.reg, t)
		return void, true
	case "__atomic_exchange_n", "__sync_lock_test_and_set":
		if !argc(2) {
			return void, true
		}
		p, t, ok := ptr()
		if !ok {
			return c.constOp(0, tInt), true
		}
		v := c.convert(args[1], c.gen(args[1]), t, "passing")
		old := c.newReg()
		c.load(old, p.reg, t)
		c.store(p.reg, v.reg, t)
		return operand{reg: old, t: t}, true
	case "__sync_bool_compare_and_swap", "__sync_val_compare_and_swap", "__atomic_compare_exchange_n":
		if !argc(3) {
			return void, true
		}
		p, t, ok := ptr()
		if !ok {
			return c.constOp(0, tInt), true
		}
		var want operand
		var expected operand
		if name == "__atomic_compare_exchange_n" {
			expected = c.rvalue(c.gen(args[1]))
			if expected.t.k != kPtr {
				c.errorAt(args[1].tok, "argument 2 of '%s' must be a pointer type", name)
				return c.constOp(0, tInt), true
			}
			want = operand{reg: c.newReg(), t: t}
			c.load(want.reg, expected.reg, t)
		} else {
			want = c.convert(args[1], c.gen(args[1]), t, "passing")
		}
		nv := c.convert(args[2], c.gen(args[2]), t, "passing")
		old := c.newReg()
		c.load(old, p.reg, t)
		eq := c.newReg()
		c.emit(opEq, eq, old, want.reg, 0)
		fail, end := c.newLabel(), c.newLabel()
		c.jump(opJz, eq, 0, fail)
		c.store(p.reg, nv.reg, t)
		c.jump(opJmp, 0, 0, end)
		c.place(fail)
		if name == "__atomic_compare_exchange_n" {
			c.store(expected.reg, old, t) // *expected = what was there
		}
		c.place(end)
		if name == "__sync_val_compare_and_swap" {
			return operand{reg: old, t: t}, true
		}
		return operand{reg: eq, t: tBool}, true
	}
	// __sync_fetch_and_OP, __sync_OP_and_fetch, __atomic_fetch_OP,
	// __atomic_OP_fetch.
	var op string
	fetchFirst := false
	for k, o := range atomicOps {
		switch name {
		case "__sync_fetch_and_" + k, "__atomic_fetch_" + k:
			op, fetchFirst = o, true
		case "__sync_" + k + "_and_fetch", "__atomic_" + k + "_fetch":
			op = o
		}
	}
	if op == "" {
		return operand{}, false
	}
	if !argc(2) {
		return void, true
	}
	p, t, ok := ptr()
	if !ok || t.k == kPtr {
		if ok {
			c.errorAt(e.tok, "'%s' of a pointer is not supported by the playground", name)
		}
		return c.constOp(0, tInt), true
	}
	old := operand{reg: c.newReg(), t: t}
	c.load(old.reg, p.reg, t)
	v := c.rvalue(c.gen(args[1]))
	nv := c.conv(c.arith(e, op, old, v, -1), t)
	c.store(p.reg, nv.reg, t)
	if fetchFirst {
		return old, true
	}
	return nv, true
}

func init() {
	libMacros = append(libMacros, "alloca(size) __builtin_alloca (size)") // <alloca.h>
}
