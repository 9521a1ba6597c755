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
	// signalStop says the stop is a signal-delivery stop (ptrace_signal),
	// for sig; resume is the signal the tracee delivers when it runs again
	// (task->exit_code as the stop leaves it: what PTRACE_CONT or
	// PTRACE_DETACH passed, the stop's own signal after the tracer's exit).
	signalStop bool
	resume     int
}

// sysPtrace is ptrace(request, pid, addr, data), kernel/ptrace.c's: the
// requests the model makes; the others are ENOSYS, as before.
//
//	request          check (ptrace_traceme, ptrace_attach,           errno
//	                   ptrace_check_attach)
//	PTRACE_TRACEME   already traced                                  EPERM
//	                 then the parent is the tracer (pid, addr and data
//	                 unread); a parent outside the model (the first
//	                 process's) never traces: 0, and not traced, as the
//	                 kernel answers a child whose parent is exiting
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
//	                 then data is the signal a signal-delivery stop
//	                 delivers (0: none)
//	KILL             SIGKILL to the tracee
//	PEEKSIGINFO      the tracee's queued signals (sigqueue.go)
//
// A traced process that is to take a signal (but SIGKILL) stops in a
// signal-delivery stop instead (get_signal's ptrace_signal: SignalStop),
// which its tracer's wait4 reports as WIFSTOPPED with the signal; when it
// runs again it takes the signal its tracer chose (ResumeSignal). A
// tracer's exit detaches its tracees (exit_ptrace), which run again, a
// signal-delivery stop's signal still theirs to take. Not modelled: the
// stops at exec and exit, SIGCHLD to the tracer, and the stop of only the
// thread that takes the signal (the model stops the process).
func (e *Engine) sysPtrace(p *process, req, pid int64, addr, data uint64, path *[]string) (int64, engine.Errno) {
	*path = append(*path, "ptrace")
	if req == engine.PTRACE_TRACEME {
		*path = append(*path, "ptrace_traceme")
		if p.pt.tracer != 0 {
			return -1, engine.EPERM
		}
		if par := e.proc(p.ppid); par != nil && !par.exited {
			p.pt.tracer = par.pid
		}
		return 0, 0
	}
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
		t.pt = ptraceState{signalStop: t.pt.signalStop, resume: int(data)}
		return 0, 0
	}
	t.pt.stopped, t.pt.report, t.pt.resume = false, false, int(data)
	return 0, 0
}

// exitPtrace is exit_ptrace: a tracer's tracees are let go, and run.
func (e *Engine) exitPtrace(p *process) {
	for _, c := range e.procs {
		if c.pt.tracer == p.pid {
			// A stop's exit_code stays the tracee's to take; one its
			// tracer let go already takes what the tracer chose.
			resume := c.pt.resume
			if c.pt.stopped {
				resume = c.pt.sig
			}
			c.pt = ptraceState{signalStop: c.pt.signalStop, resume: resume}
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

// SignalStop is get_signal's ptrace_signal for process pid, which is to
// take sig: traced (and sig not SIGKILL), it stops in a signal-delivery
// stop that its tracer's wait4 reports, and SignalStop reports true (the
// interpreter tells the signal, with its siginfo, as a ptrace-stop
// event); the interpreter runs it again once the tracer let it go, and asks
// ResumeSignal then what it takes.
func (e *Engine) SignalStop(pid, sig int) bool {
	t := e.proc(pid)
	if t == nil || t.exited || t.sys.killed || t.pt.tracer == 0 || sig == engine.SIGKILL {
		return false
	}
	t.pt = ptraceState{tracer: t.pt.tracer, stopped: true, report: true, sig: sig, signalStop: true}
	return true
}

// ResumeSignal is the signal process pid takes as its signal-delivery stop
// ends (ptrace_signal's current->exit_code), taken once: 0 for none, as
// PTRACE_CONT with data 0 discards the signal.
func (e *Engine) ResumeSignal(pid int) int {
	t := e.proc(pid)
	if t == nil || !t.pt.signalStop || t.pt.stopped {
		return 0
	}
	sig := t.pt.resume
	t.pt.signalStop, t.pt.resume = false, 0
	return sig
}
