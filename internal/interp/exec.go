package interp

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// execve(2) and execv(3). The one program an engine runs in place of the
// caller is the model's /bin/true: when execve succeeds the program's image
// is gone (its stdio buffers and atexit handlers with it, as exec discards
// them) and the new image does what true(1) does, exit_group(0).

func init() {
	def("int execve(const char *path, char *const argv[], char *const envp[])", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.execve(p, a[0], a[1], a[2])
	})
	// execv is execve with the caller's environment, which is empty here
	// (run.go): envp is the NULL that ends argv's array would be, as for
	// a program started with none.
	def("int execv(const char *path, char *const argv[])", func(m *machine, p *proc, a []int64) (int64, bres) {
		return m.execve(p, a[0], a[1], 0)
	})
}

func (m *machine) execve(p *proc, path, argv, envp int64) (int64, bres) {
	s, ok := m.str(p, path)
	if !ok {
		return 0, bExit
	}
	r, st := m.sysCall(p, "execve", s, path, argv, envp)
	if st != bOK || r < 0 {
		return r, st
	}
	return 0, m.execTrue(p)
}

// execTrue is the new image, true(1): exit_group(0), nothing flushed.
func (m *machine) execTrue(p *proc) bres {
	if p.pid == m.mainPid {
		m.exitVMAs = m.eng.Maps(p.pid)
		m.haveVMAs = true
		m.mainExit = Exit{}
		m.mainDone = true
	}
	p.exited = true
	p.status = 0
	m.syscall(p.pid, engine.Call{Name: "exit_group", Args: []int64{0}})
	m.eng.Terminate(p.pid, 0, 0)
	return bExit
}
