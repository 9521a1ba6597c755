package sim

import "github.com/mmapplayground/playground/internal/engine"

// copyFromUser is copy_from_user of len(b) bytes at addr for the calls of
// the task files (prctl, sched, pidfd, clone3): EFAULT when a byte cannot
// be read, counted and told as read and write tell theirs.
func (e *Engine) copyFromUser(p *process, addr uint64, b []byte) engine.Errno {
	if err := e.access(p, addr, b, false, true); err != nil {
		return engine.EFAULT
	}
	e.copyEvent(p, "copy_from_user", addr, len(b), nil)
	return 0
}

// strncpyFromUser is strncpy_from_user: the string at addr, at most n
// bytes; EFAULT when a byte before its end cannot be read.
func (e *Engine) strncpyFromUser(p *process, addr uint64, n int) ([]byte, engine.Errno) {
	out := make([]byte, 0, 16)
	var c [1]byte
	for len(out) < n {
		if err := e.access(p, addr+uint64(len(out)), c[:], false, true); err != nil {
			return nil, engine.EFAULT
		}
		if c[0] == 0 {
			break
		}
		out = append(out, c[0])
	}
	e.copyEvent(p, "copy_from_user", addr, len(out), nil)
	return out, 0
}
