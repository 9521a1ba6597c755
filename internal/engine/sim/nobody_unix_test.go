//go:build unix

package sim

import (
	"os"
	"os/exec"
	"syscall"
)

// asNobody makes cmd run as nobody (uid 65534) when the test runs as root,
// as the playground's user is unprivileged.
func asNobody(cmd *exec.Cmd) {
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
}
