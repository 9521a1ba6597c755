package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// Signals between processes and job control, analogous to
// kernel/signal.c's prepare_signal, complete_signal and do_signal_stop.
// The model keeps no handlers (the interpreter runs a process's own):
// a signal sent to another process takes its default action there.
//
//	signal                    default action   here
//	SIGSTOP, SIGTSTP,         stop             the process stops (group stop);
//	  SIGTTIN, SIGTTOU                           its parent's wait4(WUNTRACED)
//	                                             or waitid(WSTOPPED) reports it
//	                                             once: CLD_STOPPED, the signal
//	SIGCONT                   continue         a stopped process runs again;
//	                                             WCONTINUED reports it once:
//	                                             CLD_CONTINUED, SIGCONT. A stop
//	                                             not yet reported is forgotten
//	SIGCHLD, SIGURG, SIGWINCH ignore           nothing
//	SIGKILL                   terminate        the process is dying
//	                                             (complete_signal's
//	                                             SIGNAL_GROUP_EXIT), stopped or
//	                                             not: it exits, its mm torn down
//	                                             (exit_mm), when it next runs,
//	                                             and process_mrelease may reap
//	                                             its memory before that
//	any other                 terminate        the process dies; a stopped one
//	                                             wants no signal but SIGKILL
//	                                             (wants_signal), so the signal
//	                                             waits until SIGCONT, which it
//	                                             dies of then
//
// A stop signal sent while stopped changes nothing (SIGCONT flushes it).

// jobCtl is signal_struct's job-control state.
type jobCtl struct {
	// stopped is SIGNAL_STOP_STOPPED: the process is in group stop.
	stopped bool
	// stopSig is group_exit_code, the signal it stopped with; reportStop
	// says its parent has not yet been told (the task's exit_code).
	stopSig    int
	reportStop bool
	// reportCont is SIGNAL_STOP_CONTINUED: continued, not yet told.
	reportCont bool
	// pending is a fatal signal sent while stopped, the first one.
	pending int
	// wchan is where the process slept when it stopped.
	wchan string
}

// sigKernelStop is sig_kernel_stop: the signals whose default action is
// to stop.
func sigKernelStop(sig int) bool {
	return sig == engine.SIGSTOP || sig == engine.SIGTSTP || sig == engine.SIGTTIN || sig == engine.SIGTTOU
}

// sigKernelIgnore is sig_kernel_ignore: the signals whose default action
// is to do nothing (SIGCONT's besides continuing).
func sigKernelIgnore(sig int) bool {
	return sig == engine.SIGCONT || sig == engine.SIGCHLD || sig == engine.SIGURG || sig == engine.SIGWINCH
}

// kill sends sig to pid (0 or -1: the caller, the model's processes being
// one group to the caller): to itself, a signal that would end it is
// returned for the caller (the interpreter) to deliver; job control and
// deaths of other processes happen here.
func (e *Engine) kill(p *process, pid, sig int) engine.Result {
	if sig < 0 || sig > 64 {
		return engine.Result{Ret: -1, Errno: engine.EINVAL}
	}
	var t *process
	if pid == 0 || pid == -1 {
		t = p
	} else {
		t = e.findVpid(p, pid) // pid_namespace.go
	}
	if t == nil || t.reaped {
		return engine.Result{Ret: -1, Errno: engine.ESRCH}
	}
	if sig == 0 || t.exited || t.sys.killed {
		return engine.Result{}
	}
	j := &t.sys.jobctl
	switch {
	case sig == engine.SIGKILL && t != p:
		// complete_signal: the group exits; a stopped process is woken
		// to (signal_wake_up's resume), its stop forgotten.
		e.signalEvent(t, sig)
		t.sys.killed = true
		if j.stopped {
			j.stopped, j.reportStop, j.pending = false, false, 0
			t.sys.call.wchan = j.wchan
		}
		return engine.Result{}
	case sig == engine.SIGCONT:
		e.signalEvent(t, sig)
		if j.stopped {
			e.cont(t)
		}
		return engine.Result{}
	case sigKernelStop(sig):
		if !j.stopped {
			e.signalEvent(t, sig)
			j.stopped, j.stopSig, j.reportStop, j.reportCont = true, sig, true, false
			j.wchan = t.sys.call.wchan
			t.sys.call.wchan = "do_signal_stop"
		}
		return engine.Result{}
	case sigKernelIgnore(sig):
		return engine.Result{}
	case j.stopped && sig != engine.SIGKILL:
		if j.pending == 0 {
			j.pending = sig
		}
		return engine.Result{}
	case t == p:
		return engine.Result{Signal: &engine.Signal{Signo: sig}}
	}
	e.signalEvent(t, sig)
	e.exit(t, 0, sig)
	return engine.Result{}
}

// cont continues a stopped t (prepare_signal's SIGCONT): a fatal signal
// that waited for it ends t now.
func (e *Engine) cont(t *process) {
	j := &t.sys.jobctl
	j.stopped, j.reportStop, j.reportCont = false, false, true
	t.sys.call.wchan = j.wchan
	if sig := j.pending; sig != 0 {
		j.pending = 0
		e.signalEvent(t, sig)
		e.exit(t, 0, sig)
	}
}

func (e *Engine) signalEvent(t *process, sig int) {
	if e.sink != nil {
		ev := e.newEvent(engine.EvSignal, t.pid)
		ev.Signal = engine.SignalName(sig)
		ev.Text = engine.SignalDescription(sig)
		e.emit(ev)
	}
}

// Stopped says whether process pid is stopped (job control): the
// interpreter runs none of its threads until it is continued.
func (e *Engine) Stopped(pid int) bool {
	t := e.proc(pid)
	return t != nil && !t.exited && (t.sys.jobctl.stopped || t.pt.stopped)
}

// Dying says whether process pid was sent SIGKILL and has not yet exited:
// the interpreter ends it (Terminate) instead of running it, as the
// kernel's get_signal does on its way back to user space.
func (e *Engine) Dying(pid int) bool {
	t := e.proc(pid)
	return t != nil && !t.exited && t.sys.killed
}

// childReport is what wait_task_stopped (WUNTRACED, WSTOPPED) or
// wait_task_continued (WCONTINUED) finds to report of a live child c for
// options: the CLD_* code and the signal (0: nothing). It takes the
// report unless WNOWAIT.
func childReport(c *process, options int64) (code int, sig int) {
	j := &c.sys.jobctl
	switch {
	case options&engine.WSTOPPED != 0 && j.stopped && j.reportStop:
		if options&engine.WNOWAIT == 0 {
			j.reportStop = false
		}
		return engine.CLD_STOPPED, j.stopSig
	case options&engine.WCONTINUED != 0 && j.reportCont:
		if options&engine.WNOWAIT == 0 {
			j.reportCont = false
		}
		return engine.CLD_CONTINUED, engine.SIGCONT
	}
	return 0, 0
}
