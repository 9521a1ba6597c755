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

func init() {
	def("int pidfd_send_signal(int pidfd, int sig, void *info, unsigned int flags)", func(m *machine, p *proc, a []int64) (int64, bres) {
		r, ok := m.sys(p, "pidfd_send_signal", a[0], a[1], a[2], a[3])
		if ok && r == 0 {
			m.noteSignalled(p, a[1])
		}
		return ret(r, ok)
	})
}
