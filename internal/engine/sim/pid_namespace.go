package sim

import (
	"strconv"
	"strings"

	"github.com/mmapplayground/playground/internal/engine"
)

// Pid namespaces, analogous to kernel/pid_namespace.c and kernel/pid.c's
// alloc_pid: a process made in a pid namespace below the initial one has
// a number in it and in each namespace above it (struct pid's numbers);
// the engine's pid (what events and the interpreter name it by) is its
// number in the initial namespace. The first process made in a new
// namespace is its pid 1, its child reaper; once that one exits, the
// namespace takes no more processes (zap_pid_ns_processes'
// disable_pid_allocation: fork is ENOMEM).
//
//	initial pid ns (level 0)   pids 1000.. (the engine's)
//	  └ pid ns (level 1)        pids 1, 2, ... ; its processes have both

// maxPidNSLevel is MAX_PID_NS_LEVEL (clone.go), the deepest pid namespace.

// pidNS is struct pid_namespace's part beyond ns_common.
type pidNS struct {
	last   int  // the last number given (idr_alloc_cyclic's cursor)
	adding bool // PIDNS_ADDING: pid 1 has not exited
	reaper int  // the engine's pid of its pid 1 (child_reaper); 0 before
}

// createPidNS is create_pid_namespace: a pid namespace below parent,
// owned by user.
//
//	check                                           errno
//	user not parent's owner or below it (in_userns) EPERM
//	32 levels deep already                          ENOSPC
//	past max_pid_namespaces                         ENOSPC
func (e *Engine) createPidNS(user, parent *namespace) (*namespace, engine.Errno) {
	if !inUserNS(parent.owner, user) {
		return nil, engine.EPERM
	}
	if parent.level+1 > maxPidNSLevel {
		return nil, engine.ENOSPC
	}
	n, err := e.newNS(nsPid, user)
	if err != 0 {
		return nil, err
	}
	n.parent, n.level = parent, parent.level+1
	n.pid = &pidNS{adding: true}
	return n, 0
}

// allocPid is alloc_pid's part below the initial namespace: the child's
// numbers in ns and each namespace above it but the initial, from the
// deepest up; ENOMEM when a namespace takes no more (its pid 1 exited).
func (e *Engine) allocPid(ns *namespace) ([]int, engine.Errno) {
	if ns.level == 0 {
		return nil, 0
	}
	nr := make([]int, ns.level)
	for n := ns; n.level > 0; n = n.parent {
		if !n.pid.adding {
			return nil, engine.ENOMEM
		}
		nr[n.level-1] = e.nextNr(n)
	}
	return nr, 0
}

// nextNr is idr_alloc_cyclic over the numbers in use in n: the one after
// the last given, wrapping at pid_max.
func (e *Engine) nextNr(n *namespace) int {
	used := map[int]bool{}
	for _, t := range e.procs {
		if t.reaped {
			continue
		}
		if v := pidNrNS(t, e.nsOf(t, nsPid), n); v != 0 {
			used[v] = true
		}
	}
	for v := n.pid.last + 1; ; v++ {
		if v >= pidMax {
			v = 300 // RESERVED_PIDS
		}
		if !used[v] {
			n.pid.last = v
			return v
		}
	}
}

// pidNrNS is pid_nr_ns: t's number in ns (t lives in active), 0 when ns
// is not active or above it.
func pidNrNS(t *process, active, ns *namespace) int {
	if ns == nil || active == nil || ns.level > active.level {
		return 0
	}
	a := active
	for a.level > ns.level {
		a = a.parent
	}
	if a != ns {
		return 0
	}
	if ns.level == 0 {
		return t.pid
	}
	return t.sys.ns.nr[ns.level-1]
}

// pidVnr is pid_vnr: t's pid as p sees it (in p's pid namespace), 0
// when t is outside it.
func (e *Engine) pidVnr(p, t *process) int {
	if t == nil {
		return 0
	}
	if p.sys.ns.ns[nsPid] == nil {
		return t.pid
	}
	return pidNrNS(t, e.nsOf(t, nsPid), e.nsOf(p, nsPid))
}

// findVpid is find_task_by_vpid: the process p calls nr, nil when none
// of p's namespace has it.
func (e *Engine) findVpid(p *process, nr int) *process {
	if p.sys.ns.ns[nsPid] == nil {
		return e.proc(nr)
	}
	ns := e.nsOf(p, nsPid)
	for _, t := range e.procs {
		if !t.reaped && pidNrNS(t, e.nsOf(t, nsPid), ns) == nr {
			return t
		}
	}
	return nil
}

// pidVnrOf is pidVnr for an engine pid (0: none).
func (e *Engine) pidVnrOf(p *process, pid int) int {
	if p.sys.ns.ns[nsPid] == nil || pid <= 0 {
		return pid
	}
	return e.pidVnr(p, e.proc(pid))
}

// ppidVnr is getppid: the parent as p sees it, 0 when the parent is
// outside p's pid namespace (the pid 1 of a new one).
func (e *Engine) ppidVnr(p *process) int64 {
	if p.ppid == 0 {
		return 1 // reparented to init (an init of the initial namespace)
	}
	if p.sys.ns.ns[nsPid] == nil {
		return int64(p.ppid)
	}
	return int64(e.pidVnrOf(p, p.ppid))
}

// exitPidNS is the pid namespace's part of a process's exit: its reaper's
// exit stops the namespace taking processes (disable_pid_allocation).
// The others in it are not killed as zap_pid_ns_processes kills them:
// the interpreter runs them on.
func (e *Engine) exitPidNS(p *process) {
	if ns := p.sys.ns.ns[nsPid]; ns != nil && ns.pid.reaper == p.pid {
		ns.pid.adding = false
	}
}

// nsPidLine is status' NStgid and NSpid: the numbers from the reader's
// namespace (procfs's, the initial) down to t's own.
func (e *Engine) nsPidLine(t *process) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(t.pid))
	for _, n := range t.sys.ns.nr {
		b.WriteString("\t" + strconv.Itoa(n))
	}
	return b.String()
}
