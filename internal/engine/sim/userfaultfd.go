package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// userfaultfd(2), analogous to fs/userfaultfd.c: the checks the model makes
// before the file it does not yet make.
//
//	check                                           where                            errno
//	no UFFD_USER_MODE_ONLY, vm.unprivileged_        userfaultfd_syscall_allowed      EPERM
//	userfaultfd 0 and no CAP_SYS_PTRACE (the
//	session's user, as this machine answers him)
//	flags other than O_CLOEXEC, O_NONBLOCK and      new_userfaultfd                  EINVAL
//	UFFD_USER_MODE_ONLY
//	the file of a user-mode-only userfaultfd        (not modelled)                   ENOSYS
func (e *Engine) sysUserfaultfd(p *process, flags int64, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "userfaultfd")
	if flags&engine.UFFD_USER_MODE_ONLY == 0 {
		*path = append(*path, "userfaultfd_syscall_allowed")
		return -1, engine.EPERM
	}
	*path = append(*path, "new_userfaultfd")
	if flags&^(engine.O_CLOEXEC|engine.O_NONBLOCK|engine.UFFD_USER_MODE_ONLY) != 0 {
		return -1, engine.EINVAL
	}
	return -1, engine.ENOSYS
}
