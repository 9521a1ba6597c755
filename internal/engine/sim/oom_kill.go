package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// process_mrelease(pidfd, flags), analogous to mm/oom_kill.c's: reap the
// memory of a process that is dying, before its own exit gets to it.
//
//	check                                                 errno
//	flags not 0                                           EINVAL
//	pidfd not open, or not a pidfd                        EBADF
//	the process reaped, or a zombie (find_lock_task_mm:   ESRCH
//	  no thread has an mm left)
//	the process not dying (task_will_free_mem), and not   EINVAL
//	  already reaped (MMF_OOM_SKIP)
//
// The model's SIGKILL ends a process at once, its address space torn down
// in the call that sent it, so a process is never found dying: what
// natively is a race between the reaper and the victim's own exit (which
// the reaper usually wins) is always lost here (ESRCH).
func (e *Engine) sysProcessMrelease(p *process, fd int64, flags uint32) (int64, engine.Errno) {
	if flags != 0 {
		return -1, engine.EINVAL
	}
	t, err := e.pidfdTask(p, fd)
	switch {
	case err != 0:
		return -1, err
	case t == nil || t.exited || t.mm == nil:
		return -1, engine.ESRCH
	}
	return -1, engine.EINVAL
}
