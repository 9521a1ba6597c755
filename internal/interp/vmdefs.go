package interp

// opcode is one VM instruction's operation. Operands a, b, c are register
// numbers in the current frame unless the comment says otherwise; imm is
// an immediate (a constant, an offset, a jump target, a callee).
type opcode uint8

const (
	opNop    opcode = iota
	opMov           // a = b
	opAdd           // a = b + c
	opAddI          // a = b + imm
	opSub           // a = b - c
	opMul           // a = b * c
	opDivS          // a = b / c (signed; SIGFPE on 0)
	opDivU          // a = b / c (unsigned)
	opModS          // a = b % c
	opModU          // a = b % c (unsigned)
	opAnd           // a = b & c
	opOr            // a = b | c
	opXor           // a = b ^ c
	opShl           // a = b << c
	opShrS          // a = b >> c (arithmetic)
	opShrU          // a = b >> c (logical)
	opShl32         // a = b << (c & 31)
	opShrS32        // a = b >> (c & 31)
	opShrU32        // a = b >> (c & 31)
	opNeg           // a = -b
	opNot           // a = !b
	opBNot          // a = ^b
	opEq            // a = b == c
	opNe            // a = b != c
	opLtS           // a = b < c
	opLtU           // a = b < c (unsigned)
	opLeS           // a = b <= c
	opLeU           // a = b <= c (unsigned)
	opSext8         // a = int8(b)
	opSext16
	opSext32
	opZext8
	opZext16
	opZext32
	opBool  // a = b != 0
	opJmp   // pc = imm
	opJz    // if b == 0 { pc = imm }
	opJnz   // if b != 0 { pc = imm }
	opJLtS  // if b < c { pc = imm }
	opJLtU  // if b < c (unsigned) { pc = imm }
	opLd8s  // a = *(int8 *)(b + imm)
	opLd8u  // a = *(uint8 *)(b + imm)
	opLd16s //
	opLd16u
	opLd32s
	opLd32u
	opLd64
	opSt8 // *(uint8 *)(a + imm) = b
	opSt16
	opSt32
	opSt64
	opMemcpy  // memcpy(a, b, imm)
	opMemzero // memset(a, 0, imm)
	opLAddr   // a = fp + imm
	opGAddr   // a = data + imm
	opRAddr   // a = rodata + imm
	opCall    // a = funcs[imm](regs b .. b+c-1)
	opCallB   // a = builtin imm(regs b .. b+c-1)
	opCallP   // a = (*regs[imm])(regs b .. b+c-1): a function pointer
	opFAddr   // a = the address of function imm
	opRet     // return b (b < 0: no value)
	opVaStart // a = the frame's variadic arguments (va_start)

	// Floating point: registers hold float64 bits (a float's value is
	// rounded to float32 and kept as a float64).
	opFAdd  // a = b + c
	opFSub  // a = b - c
	opFMul  // a = b * c
	opFDiv  // a = b / c
	opFNeg  // a = -b
	opFEq   // a = b == c
	opFNe   // a = b != c
	opFLt   // a = b < c
	opFLe   // a = b <= c
	opFBool // a = b != 0.0
	opI2F   // a = (double)(int64)b
	opU2F   // a = (double)(uint64)b
	opF2I   // a = (int64)b, truncating
	opF2U   // a = (uint64)b, truncating
	opF2F32 // a = (float)b
	opLdF32 // a = *(float *)b
	opStF32 // *(float *)a = b

	opGetSP  // a = the stack pointer
	opSetSP  // the stack pointer = b (a block's variable length arrays end)
	opAlloca // sp = (sp - b) &^ 15; a = sp (a variable length array's memory)
	opTrap   // ud2: SIGILL (__builtin_trap)

	// Indexed loads and stores: the address is b + c*imm (a[i] in one
	// instruction instead of three).
	opLdX8s  // a = *(int8 *)(b + c*imm)
	opLdX8u  //
	opLdX16s //
	opLdX16u //
	opLdX32s //
	opLdX32u //
	opLdX64  //
	opStX8   // *(uint8 *)(a + c*imm) = b
	opStX16  //
	opStX32  //
	opStX64  //

	// Fused loop steps: a += b; if a < c { pc = imm } (the 32-bit ones
	// wrap a to int or unsigned int first).
	opIncJLtS
	opIncJLtU
	opIncJLtS32
	opIncJLtU32

	// Read-modify-write of an array element: *(T *)(a + c*b) += imm.
	opAddX8
	opAddX16
	opAddX32
	opAddX64

	opBitOp        // a = bitOp(imm, b): __builtin_popcount and friends
	opOverflow     // a = b op c wrapped to the result type (__builtin_*_overflow; imm: ovfImm)
	opOverflowFlag // a = whether b op c overflowed the result type
)

type instr struct {
	op        opcode
	a, b, c   int32
	imm       int64
	line, col int32
}

// function is a compiled C function.
type function struct {
	name    string
	idx     int
	code    []instr
	nregs   int     // registers for locals and temporaries
	consts  []int64 // constant registers, after nregs
	frame   int64   // bytes of [stack] for address-taken locals, arrays, structs
	nparams int
	t       *ctype
	defined bool
	used    bool
	tok     token
}

func (f *function) nslots() int { return f.nregs + len(f.consts) }

// Function pointers are these fake addresses (in no area, so calling
// anything else faults).
const funcAddrBase = 0x1000
