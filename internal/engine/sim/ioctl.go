package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// sysIoctl is ioctl(fd, cmd, arg), analogous to fs/ioctl.c's do_vfs_ioctl
// then the file's unlocked_ioctl: the model answers the ioctls of
// userfaultfds, of /proc files, of nsfs files (nsfs.go) and pidfds'
// namespace ioctls; the others answer ENOSYS (not modelled), as before.
//
//	check                                   errno
//	fd not open                             EBADF
//	a userfaultfd: userfaultfd_ioctl (userfaultfd.go)
//	a /proc file: its ioctl (pagemap's do_pagemap_cmd, proc_pid_pagemap.go)
//	         a file without                 ENOTTY (vfs_ioctl)
//	         its process gone               ESRCH
//	an nsfs file: ns_ioctl (nsfs.go)
//	a pidfd: PIDFD_GET_*_NAMESPACE          (nsfs.go's pidfdNSIoctl)
//	         another                        ENOTTY
func (e *Engine) sysIoctl(p *process, fd int64, cmd uint32, arg uint64) (int64, engine.Errno) {
	f := p.fd(fd)
	switch {
	case f == nil:
		return -1, engine.EBADF
	case f.ino.uffd != nil:
		return e.userfaultfdIoctl(p, f, cmd, arg)
	case f.proc != nil:
		return e.procIoctl(p, f.proc, cmd, arg)
	case f.ino.kind == kindNsfs:
		return e.nsIoctl(p, f.ino.ns, cmd, arg)
	case f.ino.kind == kindPidfd:
		if cmd&^0xff == pidfdGetNS && cmd&0xff >= 1 && int(cmd&0xff) < len(pidfdNSEntries) {
			return e.pidfdNSIoctl(p, f.ino.pid, cmd&0xff, arg)
		}
		return -1, engine.ENOTTY
	}
	return -1, engine.ENOSYS
}
