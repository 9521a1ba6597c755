package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// membarrier(2), analogous to kernel/sched/membarrier.c. The model runs one
// thread at a time, so every barrier is already there: what it keeps is the
// address space's registrations (mm->membarrier_state), which decide what
// the expedited commands answer and what MEMBARRIER_CMD_GET_REGISTRATIONS
// reports. fork copies them (dup_mm copies the mm_struct whole), as this
// machine's kernel shows.

// membarrierState is mm->membarrier_state's bits (MEMBARRIER_STATE_*,
// include/linux/sched/mm.h): each registration sets its state and, once
// the other CPUs have seen it, its READY bit.
const (
	mbPrivateExpeditedReady         uint32 = 1 << 0
	mbPrivateExpedited              uint32 = 1 << 1
	mbGlobalExpeditedReady          uint32 = 1 << 2
	mbGlobalExpedited               uint32 = 1 << 3
	mbPrivateExpeditedSyncCoreReady uint32 = 1 << 4
	mbPrivateExpeditedSyncCore      uint32 = 1 << 5
	mbPrivateExpeditedRseqReady     uint32 = 1 << 6
	mbPrivateExpeditedRseq          uint32 = 1 << 7
)

// membarrierCmdMask is what MEMBARRIER_CMD_QUERY answers: every command,
// as a kernel with CONFIG_RSEQ and no nohz_full CPU (this machine's, 1023)
// supports them all.
const membarrierCmdMask = engine.MEMBARRIER_CMD_GLOBAL | engine.MEMBARRIER_CMD_GLOBAL_EXPEDITED |
	engine.MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED | engine.MEMBARRIER_CMD_PRIVATE_EXPEDITED |
	engine.MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED | engine.MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE |
	engine.MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE | engine.MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ |
	engine.MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ | engine.MEMBARRIER_CMD_GET_REGISTRATIONS

// membarrierRegistrations pairs each registration's state bits with the
// command that makes it (membarrier_get_registrations' two arrays).
var membarrierRegistrations = []struct {
	state uint32
	cmd   int64
}{
	{mbGlobalExpedited | mbGlobalExpeditedReady, engine.MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED},
	{mbPrivateExpedited | mbPrivateExpeditedReady, engine.MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED},
	{mbPrivateExpeditedSyncCore | mbPrivateExpeditedSyncCoreReady, engine.MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE},
	{mbPrivateExpeditedRseq | mbPrivateExpeditedRseqReady, engine.MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ},
}

// sysMembarrier is SYSCALL_DEFINE3(membarrier, cmd, flags, cpu_id), its
// checks in the kernel's order:
//
//	check                                         where                          errno
//	flags other than FLAG_CPU (RSEQ), any (else)  sys_membarrier                 EINVAL
//	QUERY                                         sys_membarrier                 the command mask
//	an expedited command not registered for       membarrier_private_expedited   EPERM
//	a command not in the mask                     sys_membarrier                 EINVAL
//
// Registering twice is no error; the barriers themselves succeed (one CPU
// runs the model's threads, one at a time).
func (e *Engine) sysMembarrier(p *process, cmd, flags int64, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "sys_membarrier")
	if cmd == engine.MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ {
		if flags&^engine.MEMBARRIER_CMD_FLAG_CPU != 0 {
			return -1, engine.EINVAL
		}
	} else if flags != 0 {
		return -1, engine.EINVAL
	}
	mm := p.mm
	register := func(ready, state uint32) (int64, engine.Errno) {
		*path = append(*path, "membarrier_register_private_expedited")
		mm.membarrier |= state | ready
		return 0, 0
	}
	expedited := func(ready uint32) (int64, engine.Errno) {
		*path = append(*path, "membarrier_private_expedited")
		if mm.membarrier&ready == 0 {
			return -1, engine.EPERM
		}
		return 0, 0
	}
	switch cmd {
	case engine.MEMBARRIER_CMD_QUERY:
		return membarrierCmdMask, 0
	case engine.MEMBARRIER_CMD_GLOBAL, engine.MEMBARRIER_CMD_GLOBAL_EXPEDITED:
		return 0, 0
	case engine.MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
		*path = append(*path, "membarrier_register_global_expedited")
		mm.membarrier |= mbGlobalExpedited | mbGlobalExpeditedReady
		return 0, 0
	case engine.MEMBARRIER_CMD_PRIVATE_EXPEDITED:
		return expedited(mbPrivateExpeditedReady)
	case engine.MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
		return register(mbPrivateExpeditedReady, mbPrivateExpedited)
	case engine.MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE:
		return expedited(mbPrivateExpeditedSyncCoreReady)
	case engine.MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE:
		return register(mbPrivateExpeditedSyncCoreReady, mbPrivateExpedited|mbPrivateExpeditedSyncCore)
	case engine.MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ:
		return expedited(mbPrivateExpeditedRseqReady)
	case engine.MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ:
		return register(mbPrivateExpeditedRseqReady, mbPrivateExpedited|mbPrivateExpeditedRseq)
	case engine.MEMBARRIER_CMD_GET_REGISTRATIONS:
		var mask int64
		for _, r := range membarrierRegistrations {
			if mm.membarrier&r.state != 0 {
				mask |= r.cmd
			}
		}
		return mask, 0
	}
	return -1, engine.EINVAL
}
