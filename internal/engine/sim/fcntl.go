package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// fcntl, analogous to fs/fcntl.c's do_fcntl:
//
//	cmd                     what                                     errno
//	F_DUPFD, F_DUPFD_CLOEXEC f_dupfd from arg                         EINVAL arg past RLIMIT_NOFILE, EMFILE
//	F_DUPFD_QUERY           1 when arg's descriptor names the same   EBADF arg not open
//	                        open file, else 0
//	F_GETFD, F_SETFD        the close-on-exec bit
//	F_GETFL                 the file's flags, O_LARGEFILE with them
//	F_SETFL                 setfl: O_APPEND, O_NONBLOCK, O_DIRECT,  EPERM O_NOATIME on a file not the user's
//	                        O_NOATIME, FASYNC; the rest kept
//	F_CREATED_QUERY         1 when this open created the file
//	locks (F_*LK*)          locks.go
//	F_ADD_SEALS, F_GET_SEALS a shmem file's seals (memfd.go)
//	leases, owners, signals, pipe sizes, hints: not modelled        ENOSYS
//	anything else                                                    EINVAL
//
// A descriptor that is not open is EBADF before anything else (fdget_raw).

// fasync is FASYNC (O_ASYNC), which F_SETFL may set.
const fasync = 0x2000

// setflMask is SETFL_MASK: the flags F_SETFL changes.
const setflMask = engine.O_APPEND | engine.O_NONBLOCK | fasync | engine.O_DIRECT | engine.O_NOATIME

func (e *Engine) sysFcntl(p *process, fd, cmd, arg int64, path *[]string) engine.Result {
	switch cmd {
	case engine.F_GETLK, engine.F_SETLK, engine.F_SETLKW, engine.F_OFD_GETLK, engine.F_OFD_SETLK, engine.F_OFD_SETLKW:
		f := p.fd(fd)
		if f == nil {
			return engine.Result{Ret: -1, Errno: engine.EBADF}
		}
		r, err, block := e.fcntlLock(p, f, cmd, uint64(arg), path)
		if err != 0 {
			return engine.Result{Ret: -1, Errno: err}
		}
		return engine.Result{Ret: r, Block: block}
	}
	r, err := e.fcntl(p, fd, cmd, arg)
	if err != 0 {
		return engine.Result{Ret: -1, Errno: err}
	}
	return engine.Result{Ret: r}
}

func (e *Engine) fcntl(p *process, fd, cmd, arg int64) (int64, engine.Errno) {
	f := p.fd(fd)
	if f == nil {
		return -1, engine.EBADF
	}
	switch cmd {
	case engine.F_DUPFD, engine.F_DUPFD_CLOEXEC:
		if arg < 0 || uint64(arg) >= p.nofile() {
			return -1, engine.EINVAL
		}
		return e.dupFrom(p, f, arg, cmd == engine.F_DUPFD_CLOEXEC)
	case engine.F_DUPFD_QUERY:
		g := p.fd(arg)
		if g == nil {
			return -1, engine.EBADF
		}
		return int64(boolInt(f == g)), 0
	case engine.F_GETFD:
		return int64(boolInt(p.files.cloexec[fd])), 0
	case engine.F_SETFD:
		p.files.cloexec[fd] = arg&engine.FD_CLOEXEC != 0
		return 0, 0
	case engine.F_GETFL:
		fl := f.flags &^ (engine.O_CREAT | engine.O_EXCL | engine.O_NOCTTY | engine.O_TRUNC | engine.O_CLOEXEC)
		if f.ino.opened() && f.flags&engine.O_PATH == 0 {
			fl |= engine.O_LARGEFILE // force_o_largefile at open (O_PATH drops it: O_PATH_FLAGS)
		}
		return int64(fl), 0
	case engine.F_SETFL:
		if arg&engine.O_NOATIME != 0 && f.flags&engine.O_NOATIME == 0 && !f.ino.userOwned() {
			return -1, engine.EPERM // inode_owner_or_capable
		}
		f.flags = f.flags&^setflMask | int(arg)&setflMask
		return 0, 0
	case engine.F_ADD_SEALS, engine.F_GET_SEALS:
		return e.memfdFcntl(f, cmd, uint32(arg))
	case engine.F_CREATED_QUERY:
		return int64(boolInt(f.created)), 0
	case engine.F_SETOWN, engine.F_GETOWN, engine.F_SETSIG, engine.F_GETSIG, engine.F_SETOWN_EX, engine.F_GETOWN_EX,
		engine.F_SETLEASE, engine.F_GETLEASE, engine.F_NOTIFY, engine.F_SETPIPE_SZ, engine.F_GETPIPE_SZ,
		engine.F_GET_RW_HINT, engine.F_SET_RW_HINT,
		engine.F_GET_FILE_RW_HINT, engine.F_SET_FILE_RW_HINT:
		return -1, engine.ENOSYS
	}
	return -1, engine.EINVAL
}

// opened says whether the inode's files are made by open (which sets
// O_LARGEFILE), not by pipe2, eventfd2, epoll_create or pidfd_open.
func (i *inode) opened() bool {
	return i.pipe == nil && i.eventfd == nil && i.epoll == nil && i.sock == nil && i.uffd == nil && i.kind != kindPidfd
}

// userOwned says whether the model's user owns the inode: the files of
// the session's directory (and memfds, pipes, eventfds) are his; /dev and
// /proc's are root's.
func (i *inode) userOwned() bool {
	switch i.kind {
	case kindTTY, kindZero, kindNull, kindDemo, kindRandom, kindProc, kindImage:
		return false
	}
	return true
}
