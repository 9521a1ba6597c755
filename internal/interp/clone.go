package interp

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// clone(2) and clone3(2) by number, and the calls that act on another
// process through a pidfd: the engine makes the process (its checks, its
// descriptor table, its pidfd), and here the child gets a copy of the
// caller's interpreter state in which the call returns 0, as fork's does.

// cloneProc makes the clone or clone3 call c; flags are the clone flags
// (CLONE_CLEAR_SIGHAND resets the child's handlers, SIG_IGN kept).
func (m *machine) cloneProc(p *proc, name string, args []int64, flags uint64) (int64, bres) {
	res := m.syscall(p.pid, engine.Call{Name: name, Args: args})
	if res.Errno != 0 {
		if res.Errno == engine.ENOSYS {
			m.noteENOSYS(p, name)
		}
		p.setErrno(m, res.Errno)
		return -1, bOK
	}
	child := p.clone(taskOf(res))
	if flags&engine.CLONE_CLEAR_SIGHAND != 0 {
		for i, h := range child.handlers {
			if h != sigIgn {
				child.handlers[i] = sigDfl
			}
		}
	}
	fr := &child.frames[len(child.frames)-1]
	in := fr.fn.code[fr.pc]
	child.regs[fr.base+int(in.a)] = 0
	fr.pc++
	m.procs = append(m.procs, child)
	return res.Ret, bOK
}

// taskOf is the engine's id of the process a fork or clone made: Ret,
// the child's pid as the caller sees it, unless the engine says otherwise
// (a caller in a pid namespace of its own).
func taskOf(res engine.Result) int {
	if res.Task != 0 {
		return res.Task
	}
	return int(res.Ret)
}

// clone3Flags reads clone3's flags from its struct clone_args (0 when it
// cannot be read: the engine then answers EFAULT).
func (m *machine) clone3Flags(p *proc, uargs int64) uint64 {
	var b [8]byte
	if m.eng.Load(p.pid, uint64(uargs), b[:]) != nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b[:])
}

// noteSignalled marks the processes a signal sent through the engine
// (pidfd_send_signal) has ended: those whose address space is gone.
func (m *machine) noteSignalled(p *proc, sig int64) {
	if sig == 0 {
		return
	}
	for _, q := range m.procs {
		if q.pid != p.pid && !q.exited && len(m.eng.Maps(q.pid)) == 0 {
			q.exited, q.signal, q.status = true, int(sig), 128+int(sig)
		}
	}
}

// glibcClone is glibc's clone(3): clone(2) with the program's stack, the
// child calling fn(arg) on it and exiting with its result. A child of its
// own address space (no CLONE_VM) is a fork whose one thread starts at fn;
// CLONE_VM (a thread of the model's making) the engine refuses (ENOSYS),
// as clone(2) by number.
//
//	check (glibc's, then the kernel's)     errno
//	fn or stack NULL                       EINVAL
//	clone(2)'s (sim's clone.go)
func (m *machine) glibcClone(p *proc, a []int64) (int64, bres) {
	fa, stack := a[0], uint64(a[1])
	if fa == 0 || stack == 0 {
		p.setErrno(m, engine.EINVAL)
		return -1, bOK
	}
	idx := (fa - funcAddrBase) / 16
	if fa < funcAddrBase || (fa-funcAddrBase)%16 != 0 || idx >= int64(len(m.prog.funcs)) || !m.prog.funcs[idx].defined {
		m.kill(p, &engine.Signal{Signo: engine.SIGSEGV, Code: engine.SEGV_MAPERR, Addr: uint64(fa)})
		return 0, bExit
	}
	fn := m.prog.funcs[idx]
	flags := uint64(uint32(a[2]))
	// clone(fn, stack, flags, arg, parent_tid, tls, child_tid) is
	// clone(2)'s (flags, stack, parent_tid, child_tid, tls).
	ptid, tls, ctid := arg(a, 4), arg(a, 5), arg(a, 6)
	res := m.eng.Syscall(p.pid, engine.Call{Name: "clone", Args: []int64{int64(flags), int64(stack), ptid, ctid, tls}})
	if res.Errno != 0 {
		if res.Errno == engine.ENOSYS {
			m.noteENOSYS(p, "clone")
		}
		p.setErrno(m, res.Errno)
		return -1, bOK
	}
	child := p.clone(taskOf(res))
	child.thread = nil // its process's first thread
	sp := stack &^ 15
	child.regs = make([]int64, 256+fn.nslots())
	copy(child.regs[fn.nregs:], fn.consts)
	if fn.nparams >= 1 {
		child.regs[0] = a[3]
	}
	child.frames = []frame{{fn: fn, fp: sp - 16, sp: sp, dst: -1}}
	child.sp = sp - 16 - uint64(fn.frame)
	child.lo = 0 // the program's own stack: how far it goes is the program's to know
	child.stackID, child.cloneFn = 0, true
	m.procs = append(m.procs, child)
	return res.Ret, bOK
}

// gethostname is glibc's: uname(2)'s nodename, cut at len, and
// ENAMETOOLONG when it (with its NUL) is longer.
func (m *machine) gethostname(p *proc, name, n int64) (int64, bres) {
	const utsLen = 65
	tmp, ok := m.malloc(p, 6*utsLen)
	if !ok {
		return 0, bExit
	}
	r, st := m.sysCall(p, "uname", "", int64(tmp))
	if st != bOK || r < 0 {
		if !m.free(p, tmp) {
			return 0, bExit
		}
		return r, st
	}
	node, ok := m.str(p, int64(tmp)+utsLen)
	if !ok || !m.free(p, tmp) {
		return 0, bExit
	}
	b := append([]byte(node), 0)
	if int64(len(b)) > n {
		if n > 0 && !m.storeBytes(p, uint64(name), b[:n]) {
			return 0, bExit
		}
		p.setErrno(m, engine.ENAMETOOLONG)
		return -1, bOK
	}
	if !m.storeBytes(p, uint64(name), b) {
		return 0, bExit
	}
	return 0, bOK
}

func init() {
	def("int gethostname(char *name, unsigned long len)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.gethostname(p, a[0], a[1])
	})
	def("int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.glibcClone(p, a)
	})
	def("int pidfd_send_signal(int pidfd, int sig, void *info, unsigned int flags)", func(m *machine, p *proc, a []int64) (int64, bres) {
		r, ok := m.sys(p, "pidfd_send_signal", a[0], a[1], a[2], a[3])
		if ok && r == 0 {
			m.noteSignalled(p, a[1])
		}
		return ret(r, ok)
	})
}
