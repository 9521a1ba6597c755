package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// execve and execveat, analogous to fs/exec.c's do_execveat_common up to
// where the model stops: the file is looked up and checked as
// do_open_execat checks it. The one program the model runs is the
// system's /bin/true (binTrue): its execve succeeds (0), and the
// interpreter ends the new image as true(1) does, with exit_group(0). A
// file that could be executed otherwise answers ENOSYS, the model having no
// second program to load.
//
//	check                                          where              errno
//	flags past AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW  do_execveat_common EINVAL
//	  (execveat)
//	"" without AT_EMPTY_PATH                       getname            ENOENT
//	"" with it: dirfd not open                     do_open_execat     EBADF
//	the walk's                                     do_filp_open       ENOENT, ENOTDIR, EACCES, ELOOP
//	a link not followed (AT_SYMLINK_NOFOLLOW)      do_filp_open       ELOOP
//	not a regular file (a directory, a device, a   do_open_execat     EACCES
//	  FIFO, a socket, /proc's)
//	no exec permission                             may_open           EACCES
//	/bin/true                                                         0 (it runs)
//	another executable file                                           ENOSYS (not modelled)
func (e *Engine) sysExecve(p *process, path string, trace *[]string) (int64, engine.Errno) {
	return e.sysExecveat(p, engine.AT_FDCWD, path, 0, trace)
}

func (e *Engine) sysExecveat(p *process, dirfd int64, path string, flags int64, trace *[]string) (int64, engine.Errno) {
	*trace = append(*trace, "do_execveat_common", "do_open_execat")
	if flags&^(engine.AT_EMPTY_PATH|engine.AT_SYMLINK_NOFOLLOW) != 0 {
		return -1, engine.EINVAL
	}
	var ino *inode
	if path == "" && flags&engine.AT_EMPTY_PATH != 0 {
		f := p.fd(dirfd)
		if f == nil {
			return -1, engine.EBADF
		}
		if f.procDir != "" {
			return -1, engine.EACCES // a /proc directory
		}
		ino = f.ino
	} else {
		name, err := e.atPath(p, dirfd, path)
		if err != 0 {
			return -1, err
		}
		if isProcPath(name) {
			if _, err := e.procStatMode(p, name, lookupFollow); err != 0 {
				return -1, err
			}
			return -1, engine.EACCES // /proc's files are not executable
		}
		follow := lookupFollow
		if flags&engine.AT_SYMLINK_NOFOLLOW != 0 {
			follow = 0
		}
		nd, err := e.fs.walk(cwd, name, follow)
		if err != 0 {
			return -1, err
		}
		ino = nd.ino
	}
	switch {
	case ino.kind == kindSymlink:
		return -1, engine.ELOOP
	case ino.fmode()&engine.S_IFMT != engine.S_IFREG || ino.kind == kindProc:
		return -1, engine.EACCES
	case ino.permission(mayExec) != 0:
		return -1, engine.EACCES
	case ino.name == binTrue:
		return 0, 0
	}
	return -1, engine.ENOSYS
}
