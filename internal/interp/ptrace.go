package interp

import "github.com/mmapplayground/playground/internal/engine"

// Traced processes (ptrace(2)): a process its tracer holds stops, instead
// of taking a signal, in a signal-delivery stop, as the kernel's
// get_signal does through ptrace_signal; the engine keeps the stop (so the
// tracer's wait4 reports it, and /proc/PID/status says "t (tracing
// stop)"), the scheduler runs none of its threads while it lasts, and as
// it runs again it takes the signal its tracer chose: the same (the
// fault's siginfo kept), another, or none (PTRACE_CONT with data 0: a
// fault's instruction runs again, and faults again).
//
// Not modelled: a signal ignored when sent is discarded (send), where the
// kernel queues it for a traced process (sig_ignored) to stop for.

// tracing is implemented by engines whose processes may be traced
// (package sim).
type tracing interface {
	SignalStop(pid, sig int) bool
	ResumeSignal(pid int) int
}

// returnFaults is implemented by engines that place a C library's code in
// the process's address space (package sim): the fetch of the instruction
// a system call's wrapper returns to faults once the call took that code
// away (munmap of everything).
type returnFaults interface {
	ReturnFault(pid int, call string) *engine.Signal
}

// returnFault is the fault p takes returning from call's wrapper, nil for
// none.
func (m *machine) returnFault(p *proc, call string) *engine.Signal {
	rf, ok := m.eng.(returnFaults)
	if !ok || p.exited {
		return nil
	}
	return rf.ReturnFault(p.pid, call)
}

// traceStop puts p in a signal-delivery stop for sig when its process is
// traced, and reports whether it did.
func (m *machine) traceStop(p *proc, sig *engine.Signal) bool {
	t, ok := m.eng.(tracing)
	if !ok || sig.Signo == engine.SIGKILL || !t.SignalStop(p.pid, sig.Signo) {
		return false
	}
	m.emit(&engine.Event{Type: engine.EvSignal, Pid: p.pid, Signal: engine.SignalName(sig.Signo), Code: sig.CodeName(),
		Addr: sig.Addr, Op: "ptrace-stop", Text: engine.SignalDescription(sig.Signo)})
	s := *sig
	p.traceSig = &s
	return true
}

// traceResume is the end of p's signal-delivery stop: the signal its
// tracer let it take (ptrace_signal's exit_code), delivered as
// get_signal goes on, a handler's or the default action; one blocked is
// made pending. It reports whether p's frames changed or p ended or
// stopped.
func (m *machine) traceResume(p *proc) bool {
	stopped := p.traceSig
	p.traceSig = nil
	t, ok := m.eng.(tracing)
	if !ok {
		return false
	}
	n := t.ResumeSignal(p.pid)
	if n <= 0 || n >= len(p.handlers) {
		return false
	}
	sig := &engine.Signal{Signo: n, Code: engine.SI_USER}
	if n == stopped.Signo {
		sig = stopped
	}
	if p.blocked&sigBit(n) != 0 {
		m.send(p, n, sig.Code, false)
		return false
	}
	switch {
	case m.ignored(p, n):
		return false
	case p.handlers[n] != sigDfl:
		if m.pushHandler(p, sig) {
			return true
		}
		// The frame does not fit (force_sigsegv): for SIGSEGV the end
		// (force_fatal_sig, which no tracer sees), for another a SIGSEGV.
		if n != engine.SIGSEGV {
			m.kill(p, &engine.Signal{Signo: engine.SIGSEGV, Code: engine.SI_KERNEL})
			return true
		}
		sig = &engine.Signal{Signo: engine.SIGSEGV, Code: engine.SI_KERNEL}
	case sigDefaultStop&sigBit(n) != 0 && m.stopSelf(p, n):
		return true
	}
	m.killHard(p, sig)
	return true
}
