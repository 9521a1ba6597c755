package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// setns(fd, nstype), analogous to kernel/nsproxy.c's: join the namespaces
// of the process a pidfd names, or the one namespace an nsfs file is. The
// model's processes all live in the initial namespaces, owned by the
// initial user namespace, where the unprivileged user has no
// CAP_SYS_ADMIN; and it has no nsfs files (/proc/PID/ns).
//
//	check                                                 errno
//	fd not open                                           EBADF
//	fd neither an nsfs file nor a pidfd                   EINVAL
//	a pidfd: nstype 0, or bits past the CLONE_NEW* flags  EINVAL
//	  (check_setns_flags)
//	  the process exited (a zombie has no nsproxy)        ESRCH
//	  CLONE_NEWUSER: its user namespace is the caller's   EINVAL
//	    own (userns_install)
//	  any other: CAP_SYS_ADMIN in the owning (initial)    EPERM
//	    user namespace
func (e *Engine) sysSetns(p *process, fd int64, nstype int64) (int64, engine.Errno) {
	const newNS = engine.CLONE_NEWNS | engine.CLONE_NEWUTS | engine.CLONE_NEWIPC | engine.CLONE_NEWNET |
		engine.CLONE_NEWUSER | engine.CLONE_NEWPID | engine.CLONE_NEWCGROUP | engine.CLONE_NEWTIME
	f := p.fd(fd)
	switch {
	case f == nil:
		return -1, engine.EBADF
	case f.ino.kind != kindPidfd:
		return -1, engine.EINVAL
	case nstype == 0 || nstype&^newNS != 0:
		return -1, engine.EINVAL
	}
	if t := e.proc(f.ino.pid); t == nil || t.reaped || t.exited {
		return -1, engine.ESRCH
	}
	if nstype&engine.CLONE_NEWUSER != 0 {
		return -1, engine.EINVAL
	}
	return -1, engine.EPERM
}
