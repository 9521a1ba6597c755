//go:build unix

package sim

import (
	"os"
	"os/exec"
	"syscall"
)

// asNobody makes cmd run as nobody (uid 65534) when the test runs as root,
// as the playground's user is unprivileged, and in a process group of its
// own, as a shell runs a job: in the group of a test started without job
// control (CI's setsid bash: an orphaned group) the kernel discards
// SIGTSTP, SIGTTIN and SIGTTOU, and stop.c's wait for its stopped child
// never returned.
func asNobody(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if os.Geteuid() == 0 {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: 65534, Gid: 65534}
	}
}
