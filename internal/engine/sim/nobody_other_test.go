//go:build !unix

package sim

import "os/exec"

// asNobody leaves cmd as it is: only unix has users to switch to.
func asNobody(*exec.Cmd) {}
