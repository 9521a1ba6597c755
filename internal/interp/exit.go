package interp

import "github.com/mmapplayground/playground/internal/engine"

// exit(3) as glibc's __run_exit_handlers runs it: the functions atexit
// registered, the last first (one that calls exit itself goes on with the
// rest, with its status), then the destructors (__attribute__((destructor)),
// .fini_array's order), then stdio's flush and exit_group (exitProc).
// _exit, _Exit and a fatal signal run none of them.

// exit begins or continues exit(status) for p. While functions are left
// it gives p a frame for the next (its other frames are gone: exit does
// not return) and the VM runs it; when it returns to nothing, exit is
// called again (vm.go's opRet). It reports bOK when a function is to
// run, else how exitProc ended.
func (m *machine) exit(p *proc, status int) bres {
	p.exiting, p.exitStatus = true, status
	var fn *function
	switch {
	case len(p.atexit) > 0:
		fn = p.atexit[len(p.atexit)-1]
		p.atexit = p.atexit[:len(p.atexit)-1]
	case p.dtorsRun < len(m.prog.img.dtors):
		fn = m.prog.img.dtors[p.dtorsRun]
		p.dtorsRun++
	}
	if fn == nil {
		if m.exitProc(p, status) {
			return bExit
		}
		return bAbort
	}
	// The function runs on the stack where exit was called, as glibc's do.
	sp := p.sp
	if len(p.frames) > 0 {
		sp = p.frames[len(p.frames)-1].sp
	}
	sp &^= 15
	need := 256 + fn.nslots()
	if len(p.regs) < need {
		p.regs = make([]int64, need)
	}
	copy(p.regs[fn.nregs:fn.nslots()], fn.consts)
	p.frames = append(p.frames[:0], frame{fn: fn, fp: sp - 16, sp: sp, dst: -1})
	p.sp = sp - 16 - uint64(fn.frame)
	p.sigGen++ // the VM sees a new frame (as for a signal handler)
	return bOK
}

func init() {
	def("int atexit(void (*fn)(void))", func(m *machine, p *proc, a []int64) (int64, bres) {
		idx := (a[0] - funcAddrBase) / 16
		if a[0] < funcAddrBase || (a[0]-funcAddrBase)%16 != 0 || idx >= int64(len(m.prog.funcs)) || !m.prog.funcs[idx].defined {
			// glibc calls it at exit and dies there; here it dies now.
			m.kill(p, &engine.Signal{Signo: engine.SIGSEGV, Code: engine.SEGV_MAPERR, Addr: uint64(a[0])})
			return 0, bExit
		}
		p.atexit = append(p.atexit, m.prog.funcs[idx])
		return 0, bOK
	})
}
