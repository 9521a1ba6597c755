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
// A process another one sent SIGKILL is dying (signal.go) until it next
// runs: the reaper gets there first, as natively it usually does, and
// __oom_reap_task_mm zaps the pages of its private and anonymous areas
// (not hugetlb nor VM_PFNMAP ones); its areas stay for its exit.
func (e *Engine) sysProcessMrelease(p *process, fd int64, flags uint32, path *[]string) (int64, engine.Errno) {
	if flags != 0 {
		return -1, engine.EINVAL
	}
	t, err := e.pidfdTask(p, fd)
	switch {
	case err != 0:
		return -1, err
	case t == nil || t.exited || t.mm == nil:
		return -1, engine.ESRCH
	case !t.sys.killed:
		return -1, engine.EINVAL
	}
	*path = append(*path, "__oom_reap_task_mm")
	e.oomReapTaskMM(t)
	return 0, 0
}

// oomReapTaskMM is __oom_reap_task_mm.
func (e *Engine) oomReapTaskMM(t *process) {
	for _, v := range append([]*vma(nil), t.mm.vmas...) {
		if v.flags&vmPFNMap != 0 {
			continue
		}
		if v.isAnon() || v.flags&vmShared == 0 {
			e.zapRange(t, v, v.start, v.end, "process_mrelease")
		}
	}
}
