//go:build !linux

package nativec

import "os/exec"

// startNoASLR starts cmd; only Linux has personality(ADDR_NO_RANDOMIZE).
func startNoASLR(cmd *exec.Cmd) error { return cmd.Start() }
