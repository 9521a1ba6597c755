package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// The calls of kernel/sys.c the model answers: uname, the user and group
// ids, process groups and sessions, and (resource.go) prlimit64.

// taskSys is what of task_struct and signal_struct these calls keep for a
// process; fork copies it.
type taskSys struct {
	rlim      [engine.RLIMIT_NLIMITS]rlimit // signal->rlim
	pgid, sid int                           // the process group and session
	cpus      uint64                        // cpus_mask (sched.go); 0: every CPU
	call      taskCall                      // the call it is in (proc_base.go)
	// exitSignal is what the parent is sent at exit (clone's; fork's is
	// SIGCHLD).
	exitSignal int
	// jobctl is the process's stopped or continued state (signal.go),
	// which fork does not copy.
	jobctl jobCtl
	// started is the logical time the process was made (its CPU clock's
	// zero: time.go).
	started uint64
	// ns are its namespaces and credentials' user namespace (nsproxy.go).
	ns taskNS
	// pdeathSig is PR_SET_PDEATHSIG's signal (prctl.go).
	pdeathSig int
	// killed is SIGNAL_GROUP_EXIT by a SIGKILL another process sent
	// (signal.go): the process is dying, and exits when it next runs.
	killed bool
	// umask is fs->umask (namei.go), which fork copies.
	umask uint32
	// cwd is fs->pwd, the working directory's absolute path (namei.go's
	// chdir); "" is the session's directory, where every process starts.
	cwd string
	// itimer are signal_struct's interval timers, by ITIMER_* (itimer.go).
	itimer [3]itimer
}

// The session's one user, as the working directory /home/student is his:
// an unprivileged uid and gid, the first Debian gives a user.
const (
	studentUID = 1000
	studentGID = 1000
)

// utsname is what uname(2) reports (struct new_utsname): the kernel the
// model is held to, on a machine named for the playground.
var utsname = [6]string{"Linux", "playground", "6.18.0", "#1 SMP PREEMPT_DYNAMIC", "x86_64", "(none)"}

// newUTSLen is __NEW_UTS_LEN + 1, each field's size.
const newUTSLen = 65

// initTask is the first process's: the limits of resource.go, and the
// process group and session of what started it (whose pid, one less, is
// not a process of the model), as a program run by a non-interactive shell
// or a test harness is in its parent's group, not one of its own.
func (e *Engine) initTask(pid int) taskSys {
	return taskSys{rlim: e.initRlimits(), pgid: pid - 1, sid: pid - 1, started: e.clock, umask: defaultUmask}
}

// sysUname is newuname: struct new_utsname copied to the user.
func (e *Engine) sysUname(p *process, buf uint64) (int64, engine.Errno) {
	b := make([]byte, 6*newUTSLen)
	for i, s := range utsname {
		copy(b[i*newUTSLen:], s)
	}
	if u := e.nsOf(p, nsUts).uts; u != nil {
		// The names a uts namespace set (nsproxy.go: sethostname).
		copy(b[1*newUTSLen:2*newUTSLen], make([]byte, newUTSLen))
		copy(b[1*newUTSLen:], u.nodename)
		copy(b[5*newUTSLen:6*newUTSLen], make([]byte, newUTSLen))
		copy(b[5*newUTSLen:], u.domainname)
	}
	if err := e.copyToUser(p, buf, b, nil); err != 0 {
		return -1, err
	}
	return 0, 0
}

// sysSetpgid is setpgid(pid, pgid): pid 0 is the caller, pgid 0 is pid.
// The kernel's checks: pgid < 0 is EINVAL; the process must be the caller
// or its child (ESRCH), in the caller's session (EPERM); a session leader
// cannot move (EPERM); the group joined must exist in the same session
// unless it is the process's own (EPERM).
func (e *Engine) sysSetpgid(p *process, pid, pgid int64) (int64, engine.Errno) {
	if pid == 0 {
		pid = int64(p.pid)
	}
	if pgid == 0 {
		pgid = pid
	}
	if pgid < 0 {
		return -1, engine.EINVAL
	}
	t := e.proc(int(pid))
	if t == nil || t.reaped || (t != p && t.ppid != p.pid) {
		return -1, engine.ESRCH
	}
	if t.sys.sid != p.sys.sid || t.sys.sid == t.pid {
		return -1, engine.EPERM
	}
	if int(pgid) != t.pid {
		ok := false
		for _, q := range e.procs {
			if !q.reaped && q.sys.pgid == int(pgid) && q.sys.sid == p.sys.sid {
				ok = true
				break
			}
		}
		if !ok {
			return -1, engine.EPERM
		}
	}
	t.sys.pgid = int(pgid)
	return 0, 0
}

// sysGetpgid is getpgid(pid) (getpgrp is getpgid(0)); getsid likewise.
func (e *Engine) sysGetpgid(p *process, pid int64, session bool) (int64, engine.Errno) {
	t := p
	if pid != 0 {
		t = e.proc(int(pid))
		if t == nil || t.reaped {
			return -1, engine.ESRCH
		}
	}
	if session {
		return int64(t.sys.sid), 0
	}
	return int64(t.sys.pgid), 0
}

// sysSetsid is setsid(): a process group leader, or a process whose pid
// names another's group, cannot start a session (EPERM).
func (e *Engine) sysSetsid(p *process) (int64, engine.Errno) {
	for _, q := range e.procs {
		if !q.reaped && q.sys.pgid == p.pid {
			return -1, engine.EPERM
		}
	}
	p.sys.pgid, p.sys.sid = p.pid, p.pid
	return int64(p.pid), 0
}
