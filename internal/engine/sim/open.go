package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// File modes and access checks, analogous to fs/open.c: chmod, fchmod,
// fchmodat and fchmodat2 (do_fchmodat, chmod_common), access, faccessat
// and faccessat2 (do_faccessat), and umask (kernel/sys.c).

// sIALLUGO is S_IALLUGO: the permission bits with set-id and sticky.
const sIALLUGO = 0o7777

// sysFchmodat is do_fchmodat(dirfd, path, mode, flags), which chmod,
// fchmodat (flags 0) and fchmodat2 make:
//
//	check                                          where              errno
//	flags past AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH  do_fchmodat        EINVAL
//	"" without AT_EMPTY_PATH                       getname            ENOENT
//	"" with it: dirfd's file (fchmod's checks)     user_path_at       EBADF
//	the walk's (the last link not followed with    user_path_at       ENOENT, ENOTDIR, EACCES, ELOOP
//	  AT_SYMLINK_NOFOLLOW)
//	then chmod_common's
func (e *Engine) sysFchmodat(p *process, dirfd int64, path string, mode uint32, flags int64) (int64, engine.Errno) {
	if flags&^(engine.AT_SYMLINK_NOFOLLOW|engine.AT_EMPTY_PATH) != 0 {
		return -1, engine.EINVAL
	}
	if path == "" && flags&engine.AT_EMPTY_PATH != 0 {
		if dirfd == engine.AT_FDCWD {
			path = "."
		} else {
			f := p.fd(dirfd)
			if f == nil {
				return -1, engine.EBADF
			}
			return e.chmodCommon(f.ino, mode)
		}
	}
	follow := lookupFollow
	if flags&engine.AT_SYMLINK_NOFOLLOW != 0 {
		follow = 0
	}
	name, err := e.atPath(p, dirfd, path)
	if err != 0 {
		return -1, err
	}
	if isProcPath(name) {
		if _, err := e.procStatMode(p, name, follow); err != 0 {
			return -1, err
		}
		return -1, engine.EPERM // proc_setattr: no ATTR_MODE
	}
	nd, err := e.fs.walk(cwd, name, follow)
	if err != 0 {
		return -1, err
	}
	return e.chmodCommon(nd.ino, mode)
}

// sysFchmod is fchmod(fd, mode): an O_PATH descriptor is not one fdget
// gives (EBADF).
func (e *Engine) sysFchmod(p *process, fd int64, mode uint32) (int64, engine.Errno) {
	f := p.fd(fd)
	if f == nil || f.flags&engine.O_PATH != 0 {
		return -1, engine.EBADF
	}
	if f.ino.kind == kindProc || f.procDir != "" {
		return -1, engine.EPERM // proc_setattr
	}
	return e.chmodCommon(f.ino, mode)
}

// chmodCommon is chmod_common and notify_change for a new mode:
//
//	check                                          where                 errno
//	a symbolic link (fchmodat2's AT_SYMLINK_       notify_change         EOPNOTSUPP
//	  NOFOLLOW reaches one)
//	not the file's owner                           setattr_prepare       EPERM
//	a memfd sealed F_SEAL_EXEC, its exec bits      shmem_setattr         EPERM
//	  changing
func (e *Engine) chmodCommon(ino *inode, mode uint32) (int64, engine.Errno) {
	old := ino.fmode()
	switch {
	case ino.kind == kindSymlink:
		return -1, engine.EOPNOTSUPP
	case ino.rootOwned():
		return -1, engine.EPERM
	case ino.kind == kindShmem && ino.seals&engine.F_SEAL_EXEC != 0 && (old^mode)&0o111 != 0:
		return -1, engine.EPERM
	}
	ino.mode = mode&sIALLUGO | old&^sIALLUGO
	ino.ctime = e.clock
	return 0, 0
}

// sysFaccessat is do_faccessat(dirfd, path, mode, flags), which access,
// faccessat (flags 0) and faccessat2 make, as the session's user (real
// and effective ids are one):
//
//	check                                          where              errno
//	mode past R_OK|W_OK|X_OK                       do_faccessat       EINVAL
//	flags past AT_EACCESS, AT_SYMLINK_NOFOLLOW,    do_faccessat       EINVAL
//	  AT_EMPTY_PATH
//	the walk's                                     user_path_at       ENOENT, ENOTDIR, EACCES, ELOOP
//	the mode refuses it                            inode_permission   EACCES
func (e *Engine) sysFaccessat(p *process, dirfd int64, path string, mode, flags int64) (int64, engine.Errno) {
	const sIRWXO = 0o7
	if mode&^sIRWXO != 0 || flags&^(engine.AT_EACCESS|engine.AT_SYMLINK_NOFOLLOW|engine.AT_EMPTY_PATH) != 0 {
		return -1, engine.EINVAL
	}
	var ino *inode
	if path == "" && flags&engine.AT_EMPTY_PATH != 0 && dirfd != engine.AT_FDCWD {
		f := p.fd(dirfd)
		if f == nil {
			return -1, engine.EBADF
		}
		ino = f.ino
	} else {
		if path == "" && flags&engine.AT_EMPTY_PATH != 0 {
			path = "."
		}
		follow := lookupFollow
		if flags&engine.AT_SYMLINK_NOFOLLOW != 0 {
			follow = 0
		}
		name, err := e.atPath(p, dirfd, path)
		if err != 0 {
			return -1, err
		}
		if isProcPath(name) {
			m, err := e.procStatMode(p, name, follow)
			if err != 0 {
				return -1, err
			}
			if uint32(mode)&^(m>>6&7) != 0 {
				return -1, engine.EACCES
			}
			return 0, 0
		}
		nd, err := e.fs.walk(cwd, name, follow)
		if err != 0 {
			return -1, err
		}
		ino = nd.ino
	}
	if err := ino.permission(uint32(mode)); err != 0 {
		return -1, err
	}
	return 0, 0
}

// sysUmask is umask(mask): the old mask, the new one's permission bits
// kept.
func (e *Engine) sysUmask(p *process, mask uint32) int64 {
	old := p.sys.umask
	p.sys.umask = mask & 0o777
	return int64(old)
}
