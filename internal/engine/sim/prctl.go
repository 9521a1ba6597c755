package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// prctl, analogous to kernel/sys.c's: the options the model answers; the
// others answer ENOSYS (the model does not make them), as before.
//
//	option       check (kernel/sys.c)                          errno
//	PR_SET_NAME  strncpy_from_user of TASK_COMM_LEN-1 bytes     EFAULT
//	PR_GET_NAME  copy_to_user of TASK_COMM_LEN bytes            EFAULT
//	PR_SET_MDWE  arg3-5 not 0, bits unknown, NO_INHERIT alone   EINVAL
//	             bits other than those already set              EPERM
//	PR_GET_MDWE  arg2-5 not 0                                   EINVAL
//	PR_SET_VMA   always, as on this machine, whose kernel is    EINVAL
//	             built without CONFIG_ANON_VMA_NAME (no [anon:name] areas)
//	PR_SET_PDEATHSIG  not a signal (valid_signal)                EINVAL
//	             (held and read back: the signal is not sent when the
//	             parent exits, the interpreter running the child on)
//	PR_GET_PDEATHSIG  put_user of an int                         EFAULT
//	PR_SET_DUMPABLE  arg2 neither SUID_DUMP_DISABLE nor         EINVAL
//	             SUID_DUMP_USER (the other arguments unread)
//	PR_GET_DUMPABLE  the mm's get_dumpable

// taskCommLen is TASK_COMM_LEN: comm's size with its NUL.
const taskCommLen = 16

func (e *Engine) sysPrctl(p *process, option int64, args [4]uint64, path *[]string) (int64, engine.Errno) {
	a2 := args[0]
	switch option {
	case engine.PR_SET_MDWE:
		*path = append(*path, "prctl_set_mdwe")
		bits := int64(a2)
		switch {
		case args[1] != 0 || args[2] != 0 || args[3] != 0,
			a2&^(engine.PR_MDWE_REFUSE_EXEC_GAIN|engine.PR_MDWE_NO_INHERIT) != 0,
			bits&engine.PR_MDWE_NO_INHERIT != 0 && bits&engine.PR_MDWE_REFUSE_EXEC_GAIN == 0:
			return -1, engine.EINVAL
		case p.mm.mdwe != 0 && p.mm.mdwe != bits:
			return -1, engine.EPERM // the flags cannot be unset
		}
		p.mm.mdwe = bits
		return 0, 0
	case engine.PR_GET_MDWE:
		if args != [4]uint64{} {
			return -1, engine.EINVAL
		}
		return p.mm.mdwe, 0
	case engine.PR_SET_VMA:
		return -1, engine.EINVAL
	case engine.PR_SET_PDEATHSIG:
		if a2 > 64 {
			return -1, engine.EINVAL
		}
		p.sys.pdeathSig = int(a2)
		return 0, 0
	case engine.PR_GET_PDEATHSIG:
		b := []byte{byte(p.sys.pdeathSig), 0, 0, 0}
		if err := e.copyToUser(p, a2, b, nil); err != 0 {
			return -1, err
		}
		return 0, 0
	case engine.PR_SET_DUMPABLE:
		if a2 != suidDumpDisable && a2 != suidDumpUser {
			return -1, engine.EINVAL
		}
		p.mm.dumpable = int(a2) // set_dumpable
		return 0, 0
	case engine.PR_GET_DUMPABLE:
		return int64(p.mm.dumpable), 0
	case engine.PR_SET_NAME:
		*path = append(*path, "__set_task_comm")
		name, err := e.strncpyFromUser(p, a2, taskCommLen-1)
		if err != 0 {
			return -1, err
		}
		p.comm = string(name)
		return 0, 0
	case engine.PR_GET_NAME:
		*path = append(*path, "__get_task_comm")
		var b [taskCommLen]byte
		copy(b[:], p.comm)
		if err := e.copyToUser(p, a2, b[:], nil); err != 0 {
			return -1, err
		}
		return 0, 0
	}
	return -1, engine.ENOSYS
}
