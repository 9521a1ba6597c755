package sim

import (
	"encoding/binary"

	"github.com/mmapplayground/playground/internal/engine"
)

// ptrace's access checks, analogous to kernel/ptrace.c's
// __ptrace_may_access with security/commoncap.c's cap_ptrace_access_check:
// what pidfd_getfd, process_vm_readv and PTRACE_ATTACH ask before touching
// another process. This machine's kernel has no Yama
// (/proc/sys/kernel/yama does not exist), so no ptrace_scope narrows it.
//
//	check (in order)                                           answer
//	the same thread group                                      allowed
//	the caller's real (REALCREDS) or fs uid and gid not the    refused (no CAP_SYS_PTRACE)
//	  target's: never here, every process being the user's
//	the target's mm not SUID_DUMP_USER (PR_SET_DUMPABLE 0),    refused (no CAP_SYS_PTRACE)
//	  or, exited, not so at its exit (task_still_dumpable)
//	the caller's permitted capabilities not a superset of the  refused
//	  target's: equal here (the user's none)
//	otherwise                                                  allowed

// The dumpable values (SUID_DUMP_*, include/linux/sched/coredump.h).
const (
	suidDumpDisable = 0
	suidDumpUser    = 1
)

// ptraceMayAccess is __ptrace_may_access == 0 for caller p and target t.
func ptraceMayAccess(p, t *process) bool {
	if p == t {
		return true
	}
	if t.mm == nil {
		return t.userDumpable
	}
	return t.mm.dumpable == suidDumpUser
}

// ptraceState is a tracee's side of ptrace (task->ptrace, its parent-as-
// tracer link and its ptrace stop).
type ptraceState struct {
	tracer int // the tracer's pid; 0: not traced
	// stopped is TASK_TRACED: in a ptrace stop, for signal sig; report
	// says the tracer's wait has not yet been told.
	stopped bool
	report  bool
	sig     int
}

// sysPtrace is ptrace(request, pid, addr, data), kernel/ptrace.c's: the
// requests the model makes; the others are ENOSYS, as before.
//
//	request          check (ptrace_attach, ptrace_check_attach)      errno
//	PTRACE_ATTACH    no such process                                 ESRCH
//	                 the caller itself (same_thread_group)           EPERM
//	                 ptrace_may_access(ATTACH_REALCREDS) refuses     EPERM
//	                 a zombie, or already traced                     EPERM
//	                 then SIGSTOP is sent: the tracee stops in a ptrace stop,
//	                 which the tracer's wait4 reports (WUNTRACED or not)
//	the others       not traced by the caller, or not in a ptrace    ESRCH
//	                 stop (PTRACE_KILL: stopped or not)
//	PEEKTEXT/DATA    the word cannot be read (access_process_vm:     EIO
//	                 unmapped, or secretmem); *data not writable     EFAULT
//	POKEDATA         the word cannot be written                      EIO
//	CONT, DETACH     data not a signal number                        EIO
//	KILL             SIGKILL to the tracee
//	PEEKSIGINFO      the tracee's queued signals (sigqueue.go)
//
// A tracer's exit detaches its tracees (exit_ptrace), which run again. Not
// modelled: a tracee's stops at its own signals, exec and exit (only
// PTRACE_ATTACH's SIGSTOP stops it), and the signal CONT and DETACH pass.
func (e *Engine) sysPtrace(p *process, req, pid int64, addr, data uint64, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "ptrace")
	t := e.proc(int(pid))
	switch req {
	case engine.PTRACE_ATTACH:
		*path = append(*path, "ptrace_attach")
		switch {
		case t == nil || t.reaped || pid <= 0:
			return -1, engine.ESRCH
		case t == p, !ptraceMayAccess(p, t), t.exited, t.pt.tracer != 0:
			return -1, engine.EPERM
		}
		t.pt.tracer = p.pid
		e.signalEvent(t, engine.SIGSTOP)
		t.pt = ptraceState{tracer: p.pid, stopped: true, report: true, sig: engine.SIGSTOP}
		return 0, 0
	case engine.PTRACE_PEEKTEXT, engine.PTRACE_PEEKDATA, engine.PTRACE_POKEDATA, engine.PTRACE_CONT, engine.PTRACE_KILL, engine.PTRACE_DETACH, engine.PTRACE_PEEKSIGINFO:
	default:
		return -1, engine.ENOSYS
	}
	if t == nil || t.reaped || t.exited || t.pt.tracer != p.pid || !t.pt.stopped && req != engine.PTRACE_KILL {
		return -1, engine.ESRCH
	}
	switch req {
	case engine.PTRACE_PEEKTEXT, engine.PTRACE_PEEKDATA:
		*path = append(*path, "ptrace_access_vm")
		var b [8]byte
		if t.secretIn(addr, 8) || e.access(t, addr, b[:], false, true) != nil {
			return -1, engine.EIO
		}
		if err := e.copyToUser(p, data, b[:], nil); err != 0 {
			return -1, err
		}
		return 0, 0
	case engine.PTRACE_POKEDATA:
		*path = append(*path, "ptrace_access_vm")
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], data)
		if t.secretIn(addr, 8) || e.access(t, addr, b[:], true, true) != nil {
			return -1, engine.EIO
		}
		return 0, 0
	case engine.PTRACE_PEEKSIGINFO:
		return e.ptracePeeksiginfo(p, t, addr, data)
	case engine.PTRACE_KILL:
		t.pt.stopped = false
		e.kill(p, t.pid, engine.SIGKILL)
		return 0, 0
	}
	if data > 64 {
		return -1, engine.EIO // valid_signal
	}
	if req == engine.PTRACE_DETACH {
		t.pt = ptraceState{}
		return 0, 0
	}
	t.pt.stopped, t.pt.report = false, false
	return 0, 0
}

// exitPtrace is exit_ptrace: a tracer's tracees are let go, and run.
func (e *Engine) exitPtrace(p *process) {
	for _, c := range e.procs {
		if c.pt.tracer == p.pid {
			c.pt = ptraceState{}
		}
	}
	p.pt = ptraceState{}
}

// ptraceReport is what the tracer p's wait finds of tracee c: its ptrace
// stop, once (taken unless WNOWAIT), as wait_task_stopped reports it.
func ptraceReport(p, c *process, options int64) (sig int) {
	if c.pt.tracer != p.pid || !c.pt.stopped || !c.pt.report {
		return 0
	}
	if options&engine.WNOWAIT == 0 {
		c.pt.report = false
	}
	return c.pt.sig
}
