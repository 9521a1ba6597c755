package realkernel

import (
	"golang.org/x/sys/unix"

	"github.com/mmapplayground/playground/internal/engine"
)

// The program runs as the server's own user, so the kernel's same-user
// checks alone would let it act on the server, the worker and every other
// session's program. Landlock (see program_landlock) keeps ptrace-level
// access, and from ABI 6 signals, to the program's own processes. What it
// does not cover the tracer checks at each call's entry: a call that names
// a process, thread or group that is not the program's is refused with
// EPERM, as the kernel refuses it for another user's process. The numbers
// are the call's registers, not the program's memory, so a thread of the
// program cannot change them between the check and the call.
//
//	setpriority, ioprio_set     PROCESS: the program's; PGRP: one it leads; USER: refused
//	prlimit64, sched_set*, kcmp, migrate_pages, move_pages: 0 or the program's
//	without the signal scope: kill, sigqueue (a process or group of the program),
//	tkill, tgkill (its threads); pidfd_send_signal, F_SETOWN, FIOSETOWN refused
//
// The program shares the worker's process group, so "the caller's group"
// (0) is never its own.

// Arguments that name processes (include/uapi/linux/resource.h, ioprio.h,
// fcntl.h, sockios.h).
const (
	prioProcess      = 0      // PRIO_PROCESS
	prioPgrp         = 1      // PRIO_PGRP
	ioprioWhoProcess = 1      // IOPRIO_WHO_PROCESS
	ioprioWhoPgrp    = 2      // IOPRIO_WHO_PGRP
	fSetown          = 8      // F_SETOWN
	fSetownEx        = 15     // F_SETOWN_EX
	fioSetown        = 0x8901 // FIOSETOWN
	siocSpgrp        = 0x8902 // SIOCSPGRP
)

// policyEntry is the tracer's part of the program's policy at a call's
// entry: the errno the call is refused with, or 0 to let it run.
func (p *Program) policyEntry(t *tracee) engine.Errno {
	arg := func(i int) int { return int(int32(t.args[i])) }
	own := func(ok bool) engine.Errno {
		if ok {
			return 0
		}
		return engine.EPERM
	}
	switch engine.Sysno(t.nr) {
	case engine.SYS_setpriority:
		return own(p.ownWho(arg(0), arg(1), prioProcess, prioPgrp))
	case engine.SYS_ioprio_set:
		return own(p.ownWho(arg(0), arg(1), ioprioWhoProcess, ioprioWhoPgrp))
	case engine.SYS_prlimit64, engine.SYS_sched_setaffinity, engine.SYS_sched_setscheduler,
		engine.SYS_sched_setparam, engine.SYS_sched_setattr, engine.SYS_migrate_pages, engine.SYS_move_pages:
		return own(arg(0) == 0 || p.ownThread(arg(0)))
	case engine.SYS_kcmp:
		return own((arg(0) == 0 || p.ownProcess(arg(0))) && (arg(1) == 0 || p.ownProcess(arg(1))))
	}
	if p.signalsScoped {
		return 0
	}
	switch engine.Sysno(t.nr) {
	case engine.SYS_kill, engine.SYS_rt_sigqueueinfo:
		pid := arg(0)
		if pid < -1 {
			pid = -pid // a process group: one the program leads
		}
		return own(pid > 0 && p.ownProcess(pid))
	case engine.SYS_tkill:
		return own(p.ownThread(arg(0)))
	case engine.SYS_tgkill, engine.SYS_rt_tgsigqueueinfo:
		return own(p.ownProcess(arg(0)))
	case engine.SYS_pidfd_send_signal:
		// A pidfd names its process behind a file descriptor, which the
		// tracer cannot hold still while the call runs.
		return engine.EPERM
	case engine.SYS_fcntl:
		return own(t.args[1] != fSetown && t.args[1] != fSetownEx)
	case engine.SYS_ioctl:
		return own(uint32(t.args[1]) != fioSetown && uint32(t.args[1]) != siocSpgrp)
	}
	return 0
}

// ownWho is whether setpriority's or ioprio_set's (which, who) names the
// program's own: a thread of it (who 0 is the caller), or a process group
// one of its processes leads; never a user's every process.
func (p *Program) ownWho(which, who, process, pgrp int) bool {
	switch which {
	case process:
		return who == 0 || p.ownThread(who)
	case pgrp:
		return who != 0 && p.ownProcess(who)
	}
	return false
}

// ownProcess is whether pid is a live process of the program.
func (p *Program) ownProcess(pid int) bool {
	pr := p.procs[pid]
	return pr != nil && !pr.exited
}

// ownThread is whether tid is a thread of the program.
func (p *Program) ownThread(tid int) bool {
	_, ok := p.tracees[tid]
	return ok
}

// becomeUser makes the launcher's thread (the one that executes the
// program) the unprivileged user u, with no supplementary groups: the
// calls act on the calling thread only, which is the one that matters, as
// execve ends the others. Its capabilities go with its root user id.
func becomeUser(u UserID, fail func(string, error)) {
	if _, _, e := unix.RawSyscall(unix.SYS_SETGROUPS, 0, 0, 0); e != 0 {
		fail("setgroups", e)
	}
	if _, _, e := unix.RawSyscall(unix.SYS_SETRESGID, uintptr(u.GID), uintptr(u.GID), uintptr(u.GID)); e != 0 {
		fail("setresgid", e)
	}
	if _, _, e := unix.RawSyscall(unix.SYS_SETRESUID, uintptr(u.UID), uintptr(u.UID), uintptr(u.UID)); e != 0 {
		fail("setresuid", e)
	}
}
