package interp

import "github.com/mmapplayground/playground/internal/engine"

// Job control: a process stopped by SIGSTOP, SIGTSTP, SIGTTIN or SIGTTOU
// runs none of its threads until SIGCONT. The engine keeps the state (so
// its wait4 and waitid report it, and /proc/PID/status says "T
// (stopped)"); the scheduler asks it before running a process.

// jobControl is implemented by engines that stop processes (package sim).
type jobControl interface {
	Stopped(pid int) bool
}

// dying is implemented by engines that defer a SIGKILL's death to the
// victim's next run, as the kernel does (package sim).
type dying interface {
	Dying(pid int) bool
}

// dyingProc ends p's process when another sent it SIGKILL (its signal
// event the engine's), as the kernel's get_signal does on the victim's way
// back to user space, and reports whether it did.
func (m *machine) dyingProc(p *proc) bool {
	d, ok := m.eng.(dying)
	if !ok || !d.Dying(p.pid) {
		return false
	}
	for _, q := range m.procs {
		if q != p && q.pid == p.pid && !q.gone() {
			q.exited, q.signal, q.status = true, engine.SIGKILL, 128+engine.SIGKILL
		}
	}
	m.die(p, &engine.Signal{Signo: engine.SIGKILL})
	return true
}

// sigQueues is implemented by engines that queue signals one process
// sends another with its siginfo (rt_sigqueueinfo: package sim).
type sigQueues interface {
	TakeQueued(pid int, blocked uint64) (engine.QueuedSignal, bool)
}

// takeQueued makes pending for p the signals queued on its process that
// it does not block, as the kernel's dequeue_signal takes them on the
// way back to user space; the blocked ones stay queued.
func (m *machine) takeQueued(p *proc) {
	sq, ok := m.eng.(sigQueues)
	if !ok {
		return
	}
	for {
		q, ok := sq.TakeQueued(p.pid, p.blocked)
		if !ok {
			return
		}
		m.send(p, q.Sig, q.Code, q.Shared)
	}
}

// stoppedProc says p's process is stopped.
func (m *machine) stoppedProc(p *proc) bool {
	jc, ok := m.eng.(jobControl)
	return ok && jc.Stopped(p.pid)
}

// stopSelf takes a stop signal's default action for p, whose pending
// signal it is (deliverPending): the engine stops the process, through the
// kill the program made, and the scheduler runs it again once continued.
// It reports false for an engine without job control.
func (m *machine) stopSelf(p *proc, sig int) bool {
	if _, ok := m.eng.(jobControl); !ok {
		return false
	}
	m.sys(p, "kill", int64(p.pid), int64(sig))
	return true
}
