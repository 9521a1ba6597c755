//go:build !unix

package interp

import "os/exec"

// asJob does nothing where there are no process groups.
func asJob(*exec.Cmd) {}
