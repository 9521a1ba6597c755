package interp

import "encoding/binary"

// setjmp and longjmp, on the interpreter's frames. setjmp keeps in the
// program's jmp_buf (glibc's is 200 bytes; the first eight words are used
// here) which activation called it and where it resumes: its depth in the
// thread's frames, its frame address, the instruction after the call, the
// register the call's value goes to, and the stack pointer. longjmp
// unwinds to that activation and returns there again with its value (1
// for 0). Locals keep the values they have when longjmp is called, as a
// gcc -O0 build keeps them in memory. sigsetjmp(env, 1) saves the signal
// mask and siglongjmp restores it: a siglongjmp out of a handler unblocks
// its signal; setjmp (glibc's _setjmp) does not, and the signal stays
// blocked, as on Linux.

const jmpMagic = 0x706a6d70 // "pmjp": a jmp_buf setjmp filled

const (
	jmpWMagic = iota
	jmpWDepth
	jmpWFP
	jmpWPC
	jmpWDst
	jmpWSP
	jmpWFn
	jmpWMask
	jmpWSaved // sigsetjmp's saved mask
	jmpWords
)

func (m *machine) setjmp(p *proc, env int64, savemask bool) (int64, bres) {
	fr := &p.frames[len(p.frames)-1]
	in := fr.fn.code[fr.pc] // the call, where the VM left pc
	var w [jmpWords]uint64
	w[jmpWMagic] = jmpMagic
	w[jmpWDepth] = uint64(len(p.frames))
	w[jmpWFP] = fr.fp
	w[jmpWPC] = uint64(fr.pc + 1)
	w[jmpWDst] = uint64(in.a)
	w[jmpWSP] = p.sp
	w[jmpWFn] = uint64(fr.fn.idx)
	if savemask {
		w[jmpWMask] = 1
		w[jmpWSaved] = p.blocked
	}
	b := make([]byte, 8*jmpWords)
	for i, v := range w {
		binary.LittleEndian.PutUint64(b[8*i:], v)
	}
	if err := m.eng.Store(p.pid, uint64(env), b); err != nil {
		m.fault(p, err)
		return 0, bExit
	}
	return 0, bOK
}

func (m *machine) longjmp(p *proc, env, val int64) (int64, bres) {
	b, ok := m.load(p, uint64(env), 8*jmpWords)
	if !ok {
		return 0, bExit
	}
	var w [jmpWords]uint64
	for i := range w {
		w[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	depth := int(w[jmpWDepth])
	if w[jmpWMagic] != jmpMagic || depth < 1 || depth > len(p.frames) || p.frames[depth-1].fp != w[jmpWFP] ||
		w[jmpWFn] >= uint64(len(m.prog.funcs)) || p.frames[depth-1].fn != m.prog.funcs[w[jmpWFn]] {
		m.abort("longjmp to a jmp_buf that setjmp did not fill, or whose function has returned")
		return 0, bAbort
	}
	if w[jmpWMask] != 0 {
		p.blocked = w[jmpWSaved] // sigsetjmp's mask (a handler's signal unblocked again)
	}
	p.frames = p.frames[:depth]
	p.redirect = nil // a call a handler's return redirected is not made
	top := &p.frames[depth-1]
	top.pc = int(w[jmpWPC])
	if val == 0 {
		val = 1
	}
	p.regs[top.base+int(w[jmpWDst])] = int64(int32(val))
	p.sp = w[jmpWSP]
	p.sigGen++ // the VM resumes at the frame now on top
	return 0, bOK
}

func init() {
	setjmp := func(m *machine, p *proc, a []int64) (int64, bres) { return m.setjmp(p, a[0], false) }
	def("int setjmp(long env[25])", setjmp)
	def("int _setjmp(long env[25])", setjmp)
	sigsetjmp := func(m *machine, p *proc, a []int64) (int64, bres) { return m.setjmp(p, a[0], a[1] != 0) }
	def("int sigsetjmp(long env[25], int save)", sigsetjmp)
	def("int __sigsetjmp(long env[25], int save)", sigsetjmp)
	longjmp := func(m *machine, p *proc, a []int64) (int64, bres) { return m.longjmp(p, a[0], a[1]) }
	def("void longjmp(long env[25], int v)", longjmp)
	def("void _longjmp(long env[25], int v)", longjmp)
	def("void siglongjmp(long env[25], int v)", longjmp)
}
