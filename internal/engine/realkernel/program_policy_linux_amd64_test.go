package realkernel

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mmapplayground/playground/internal/engine"
)

// TestPolicyEntry holds the tracer's checks to their table: a program of
// two processes (100, its threads 100 and 101; and 102), beside the
// worker (50) and a process of another session (7000), with and without
// Landlock's signal scope.
func TestPolicyEntry(t *testing.T) {
	p := &Program{
		procs:   map[int]*proc{100: {pid: 100}, 102: {pid: 102}, 103: {pid: 103, exited: true}},
		tracees: map[int]*tracee{100: {tid: 100}, 101: {tid: 101, pid: 100}, 102: {tid: 102}},
	}
	neg := func(v int) uint64 { return uint64(int64(v)) }
	const eperm = engine.EPERM
	cases := []struct {
		name     string
		nr       engine.Sysno
		args     []uint64
		scoped   engine.Errno // with Landlock's signal scope
		unscoped engine.Errno // without it
	}{
		{"prlimit64 of itself", engine.SYS_prlimit64, []uint64{0}, 0, 0},
		{"prlimit64 of its child", engine.SYS_prlimit64, []uint64{102}, 0, 0},
		{"prlimit64 of the worker", engine.SYS_prlimit64, []uint64{50}, eperm, eperm},
		{"prlimit64 of a process that exited", engine.SYS_prlimit64, []uint64{103}, eperm, eperm},
		{"setpriority of its thread", engine.SYS_setpriority, []uint64{prioProcess, 101, 19}, 0, 0},
		{"setpriority of another session", engine.SYS_setpriority, []uint64{prioProcess, 7000, 19}, eperm, eperm},
		{"setpriority of the caller's group (the worker's)", engine.SYS_setpriority, []uint64{prioPgrp, 0, 19}, eperm, eperm},
		{"setpriority of a group it leads", engine.SYS_setpriority, []uint64{prioPgrp, 102, 19}, 0, 0},
		{"setpriority of the user's processes", engine.SYS_setpriority, []uint64{2, 0, 19}, eperm, eperm},
		{"ioprio_set of itself", engine.SYS_ioprio_set, []uint64{ioprioWhoProcess, 0, 0}, 0, 0},
		{"ioprio_set of the user's processes", engine.SYS_ioprio_set, []uint64{3, 0, 0}, eperm, eperm},
		{"sched_setscheduler of the worker", engine.SYS_sched_setscheduler, []uint64{50, 5, 0}, eperm, eperm},
		{"sched_setaffinity of itself", engine.SYS_sched_setaffinity, []uint64{0, 8, 0}, 0, 0},
		{"move_pages of the worker", engine.SYS_move_pages, []uint64{50}, eperm, eperm},
		{"kcmp of its two processes", engine.SYS_kcmp, []uint64{100, 102, 0}, 0, 0},
		{"kcmp of itself and the worker", engine.SYS_kcmp, []uint64{100, 50, 0}, eperm, eperm},
		{"kill of its child", engine.SYS_kill, []uint64{102, 9}, 0, 0},
		{"kill of the worker", engine.SYS_kill, []uint64{50, 9}, 0, eperm},
		{"kill of the caller's group", engine.SYS_kill, []uint64{0, 9}, 0, eperm},
		{"kill of everyone", engine.SYS_kill, []uint64{neg(-1), 9}, 0, eperm},
		{"kill of a group it leads", engine.SYS_kill, []uint64{neg(-102), 9}, 0, 0},
		{"kill of the worker's group", engine.SYS_kill, []uint64{neg(-50), 9}, 0, eperm},
		{"tkill of its thread", engine.SYS_tkill, []uint64{101, 10}, 0, 0},
		{"tkill of another's thread", engine.SYS_tkill, []uint64{7001, 10}, 0, eperm},
		{"tgkill of another session", engine.SYS_tgkill, []uint64{7000, 7000, 10}, 0, eperm},
		{"rt_sigqueueinfo of the worker", engine.SYS_rt_sigqueueinfo, []uint64{50, 10, 0}, 0, eperm},
		{"pidfd_send_signal", engine.SYS_pidfd_send_signal, []uint64{3, 9, 0, 0}, 0, eperm},
		{"fcntl F_SETOWN", engine.SYS_fcntl, []uint64{3, fSetown, 50}, 0, eperm},
		{"fcntl F_GETFL", engine.SYS_fcntl, []uint64{3, 3}, 0, 0},
		{"ioctl FIOSETOWN", engine.SYS_ioctl, []uint64{3, fioSetown, 0}, 0, eperm},
		{"getpid", engine.SYS_getpid, nil, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := &tracee{tid: 100, pid: 100, nr: int64(c.nr)}
			copy(tr.args[:], c.args)
			p.signalsScoped = true
			assert.Equal(t, c.scoped, p.policyEntry(tr), "with the signal scope")
			p.signalsScoped = false
			assert.Equal(t, c.unscoped, p.policyEntry(tr), "without it")
		})
	}
}
