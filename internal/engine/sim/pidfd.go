package sim

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// pidfds, analogous to kernel/pid.c, kernel/signal.c's pidfd_send_signal,
// fs/pidfs.c and kernel/exit.c's waitid(P_PIDFD): a descriptor that names
// a process. Each process has one pidfs inode, made when a pidfd first
// names it; the file is always close-on-exec, open O_RDWR, and poll says
// POLLIN once the process has exited (POLLHUP too once it is reaped).
//
//	call                check                                   errno
//	pidfd_open          flags other than PIDFD_NONBLOCK,        EINVAL
//	                    PIDFD_THREAD; pid <= 0
//	                    no such process                         ESRCH
//	pidfd_send_signal   fd not open                             EBADF
//	                    fd not a pidfd                          EBADF
//	                    flags other than the PIDFD_SIGNAL_*     EINVAL
//	                    a signal number past 64                 EINVAL
//	                    the process has exited                  ESRCH
//	pidfd_getfd         flags not 0                             EINVAL
//	                    fd not a pidfd                          EBADF
//	                    the process reaped                      ESRCH
//	                    ptrace_may_access(ATTACH_REALCREDS)     EPERM
//	                      refuses (ptrace.go)
//	                    the process has exited (PF_EXITING)     ESRCH
//	                    targetfd not open in it                 EBADF

// pidfd_open and pidfd_send_signal flags (<linux/pidfd.h>).
const (
	pidfdNonblock                                                      = engine.O_NONBLOCK
	pidfdThread                                                        = engine.O_EXCL
	pidfdSignalThread, pidfdSignalThreadGroup, pidfdSignalProcessGroup = 1, 2, 4
)

// pidfdInode is t's pidfs inode, made the first time.
func (e *Engine) pidfdInode(t *process) *inode {
	if t.pidfs == nil {
		t.pidfs = e.fs.newInode("anon_inode:[pidfd]", kindPidfd)
		t.pidfs.nlink = 0
		t.pidfs.pid = t.pid
	}
	return t.pidfs
}

// installPidfd puts a pidfd for t in p's descriptor n (-1: the lowest
// free).
func (e *Engine) installPidfd(p, t *process, n int, flags int) int {
	ino := e.pidfdInode(t)
	ino.opens++
	f := &file{ino: ino, flags: engine.O_RDWR | flags | engine.O_CLOEXEC, refs: 1}
	if n < 0 {
		return p.installFD(f)
	}
	p.files.installAt(n, f, true)
	return n
}

func (e *Engine) sysPidfdOpen(p *process, pid, flags int64, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "pidfd_create")
	if flags&^(pidfdNonblock|pidfdThread) != 0 || pid <= 0 {
		return -1, engine.EINVAL
	}
	t := e.proc(int(pid))
	if t == nil || t.reaped {
		return -1, engine.ESRCH
	}
	if n := p.files.unusedFd(0); uint64(n) >= p.nofile() {
		return -1, engine.EMFILE
	}
	return int64(e.installPidfd(p, t, -1, int(flags))), 0
}

// pidfdTask is the process a pidfd names: EBADF when fd is not a pidfd;
// nil when the process has been reaped.
func (e *Engine) pidfdTask(p *process, fd int64) (*process, engine.Errno) {
	f := p.fd(fd)
	if f == nil || f.ino.kind != kindPidfd {
		return nil, engine.EBADF
	}
	t := e.proc(f.ino.pid)
	if t != nil && t.reaped {
		t = nil
	}
	return t, 0
}

// sysPidfdSendSignal is pidfd_send_signal(pidfd, sig, info, flags): kill
// through the pidfd (info is the kernel's to fill when NULL; one given is
// taken as the signal's siginfo, which the model does not keep).
func (e *Engine) sysPidfdSendSignal(p *process, fd, sig int64, flags int64) engine.Result {
	fail := func(err engine.Errno) engine.Result { return engine.Result{Ret: -1, Errno: err} }
	if flags&^(pidfdSignalThread|pidfdSignalThreadGroup|pidfdSignalProcessGroup) != 0 || flags&(flags-1) != 0 {
		return fail(engine.EINVAL)
	}
	t, err := e.pidfdTask(p, fd)
	if err != 0 {
		return fail(err)
	}
	if sig < 0 || sig > 64 {
		return fail(engine.EINVAL)
	}
	if t == nil || t.exited {
		return fail(engine.ESRCH)
	}
	return e.kill(p, t.pid, int(sig))
}

// sysPidfdGetfd is pidfd_getfd(pidfd, targetfd, flags) (kernel/pid.c's
// __pidfd_fget): a duplicate of the process's descriptor targetfd in the
// caller, close-on-exec.
func (e *Engine) sysPidfdGetfd(p *process, fd, targetfd, flags int64) (int64, engine.Errno) {
	if flags != 0 {
		return -1, engine.EINVAL
	}
	t, err := e.pidfdTask(p, fd)
	if err != 0 {
		return -1, err
	}
	switch {
	case t == nil:
		return -1, engine.ESRCH
	case !ptraceMayAccess(p, t):
		return -1, engine.EPERM
	case t.exited:
		return -1, engine.ESRCH
	}
	f := t.fd(targetfd)
	if f == nil {
		return -1, engine.EBADF
	}
	return e.dupFrom(p, f, 0, true)
}

// pidfdPoll is pidfd_poll: POLLIN once the process has exited, POLLHUP
// with it once it is reaped.
func (e *Engine) pidfdPoll(ino *inode) int16 {
	t := e.proc(ino.pid)
	switch {
	case t == nil || t.reaped:
		return engine.POLLIN | engine.POLLHUP
	case t.exited:
		return engine.POLLIN
	}
	return 0
}

// showPidfdInfo is pidfd_show_fdinfo's lines: the pid in ns (the proc
// mount's pid namespace: 0 when the process is outside it, -1 once reaped)
// and its numbers in the namespaces below ns.
func (e *Engine) showPidfdInfo(ino *inode, ns *namespace) string {
	nr := -1
	t := e.proc(ino.pid)
	if t != nil && !t.reaped {
		nr = pidNrNS(t, e.nsOf(t, nsPid), ns)
	}
	b := "Pid:\t" + itoa(nr) + "\nNSpid:\t" + itoa(nr)
	if nr > 0 {
		// The numbers below the proc mount's namespace.
		for _, n := range t.sys.ns.nr[ns.level:] {
			b += "\t" + itoa(n)
		}
	}
	return b + "\n"
}

// The wait calls' flags past the WaitSet's (<linux/wait.h>).
const (
	wNothread = 0x20000000 // __WNOTHREAD
	wAll      = 0x40000000 // __WALL
	wClone    = 0x80000000 // __WCLONE
)

// siginfo's offsets (glibc's siginfo_t on x86-64) for waitid.
const (
	siginfoSize   = 128
	siginfoPid    = 16
	siginfoUID    = 20
	siginfoStatus = 24
)

// sysWaitid is waitid(idtype, id, infop, options, rusage): P_ALL, P_PID,
// P_PGID and P_PIDFD; WEXITED, WSTOPPED and WCONTINUED (signal.go's
// reports), WNOHANG, WNOWAIT. rusage is not filled.
func (e *Engine) sysWaitid(p *process, idtype, id int64, infop uint64, options int64) engine.Result {
	fail := func(err engine.Errno) engine.Result { return engine.Result{Ret: -1, Errno: err} }
	const known = engine.WNOHANG | engine.WEXITED | engine.WSTOPPED | engine.WCONTINUED | engine.WNOWAIT |
		wNothread | wAll | wClone
	if options&^known != 0 || options&(engine.WEXITED|engine.WSTOPPED|engine.WCONTINUED) == 0 {
		return fail(engine.EINVAL)
	}
	match := func(c *process) bool { return true }
	nonblock := false // a PIDFD_NONBLOCK pidfd: WNOHANG, and EAGAIN for nothing yet
	switch idtype {
	case engine.P_ALL:
	case engine.P_PID:
		if id <= 0 {
			return fail(engine.EINVAL)
		}
		match = func(c *process) bool { return int64(c.pid) == id }
	case engine.P_PGID:
		if id < 0 {
			return fail(engine.EINVAL)
		}
		pg := int(id)
		if id == 0 {
			pg = p.sys.pgid
		}
		match = func(c *process) bool { return c.sys.pgid == pg }
	case engine.P_PIDFD:
		f := p.fd(id)
		if f == nil || f.ino.kind != kindPidfd {
			return fail(engine.EBADF)
		}
		pid := f.ino.pid
		match = func(c *process) bool { return c.pid == pid }
		nonblock = f.flags&engine.O_NONBLOCK != 0
	default:
		return fail(engine.EINVAL)
	}
	found := false
	for _, c := range e.procs {
		if c.ppid != p.pid || c.reaped || !match(c) {
			continue
		}
		found = true
		var code, status int32
		switch {
		case !c.exited:
			cld, sig := childReport(c, options)
			if cld == 0 {
				continue
			}
			code, status = int32(cld), int32(sig)
		case options&engine.WEXITED == 0:
			continue
		default:
			code, status = engine.CLD_EXITED, int32(c.status>>8&0xff)
			if sig := c.status & 0x7f; sig != 0 {
				code, status = engine.CLD_KILLED, int32(sig)
				if c.status&0x80 != 0 {
					code = engine.CLD_DUMPED
				}
			}
		}
		var b [siginfoSize]byte
		binary.LittleEndian.PutUint32(b[0:], engine.SIGCHLD)
		binary.LittleEndian.PutUint32(b[8:], uint32(code))
		binary.LittleEndian.PutUint32(b[siginfoPid:], uint32(c.pid))
		binary.LittleEndian.PutUint32(b[siginfoUID:], studentUID)
		binary.LittleEndian.PutUint32(b[siginfoStatus:], uint32(status))
		if infop != 0 {
			if err := e.copyToUser(p, infop, b[:siginfoStatus+4], nil); err != 0 {
				return fail(engine.EFAULT)
			}
		}
		if options&engine.WNOWAIT == 0 && c.exited {
			c.reaped = true
			e.dropReaped()
		}
		return engine.Result{}
	}
	if !found {
		return fail(engine.ECHILD)
	}
	if options&engine.WNOHANG != 0 || nonblock {
		if infop != 0 {
			var b [siginfoStatus + 4]byte
			if err := e.copyToUser(p, infop, b[:], nil); err != 0 {
				return fail(engine.EFAULT)
			}
		}
		if options&engine.WNOHANG == 0 {
			return fail(engine.EAGAIN)
		}
		return engine.Result{}
	}
	return engine.Result{Block: true}
}
