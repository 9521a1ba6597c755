//go:build unix

package interp

import (
	"os/exec"
	"syscall"
)

// asJob runs cmd in a process group of its own, as a shell runs a job: in
// the group of a test started without job control (CI's setsid bash: an
// orphaned group) the kernel discards SIGTSTP, SIGTTIN and SIGTTOU, and
// libc_jobctl's wait for its stopped child never returned.
func asJob(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}
