package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// execve, analogous to fs/exec.c's do_execveat_common up to where the
// model stops: the file is looked up and checked as do_open_execat checks
// it, and a file that could be executed answers ENOSYS, the model having
// no second program to load.
//
//	check                                          errno
//	the path does not exist                        ENOENT
//	a directory, a device, not executable          EACCES
//	an executable file                             ENOSYS (not modelled)
func (e *Engine) sysExecve(p *process, path string, trace *[]string) (int64, engine.Errno) {
	*trace = append(*trace, "do_execveat_common", "do_open_execat")
	if path == "" {
		return -1, engine.ENOENT
	}
	if isProcPath(path) {
		if _, _, _, err := e.procLookup(p, path); err != 0 {
			return -1, err
		}
		return -1, engine.EACCES // /proc's files are not executable
	}
	ino, _, err := e.fs.lookup(path)
	if ino == nil {
		if err == 0 {
			err = engine.ENOENT
		}
		return -1, err
	}
	if ino.kind != kindImage {
		// The session's files are made 0644 (open's mode is not
		// kept), the devices and directories are not regular files.
		return -1, engine.EACCES
	}
	return -1, engine.ENOSYS
}
