package nativec

import (
	"os/exec"
	"runtime"

	"golang.org/x/sys/unix"
)

// startNoASLR starts cmd with address-space randomisation off, as
// `setarch -R` would run it, so the native run's addresses repeat and line
// up with the model's (which lays a process out as Linux does with ASLR
// off). A persona is a thread's and is inherited by the children it forks:
// the goroutine is locked to its thread while the persona is set, the
// child is forked from that thread, and the old persona is put back.
// Where personality fails, the program runs with ASLR as the host has it.
func startNoASLR(cmd *exec.Cmd) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	old, _, errno := unix.RawSyscall(unix.SYS_PERSONALITY, personalityQuery, 0, 0)
	if errno != 0 {
		return cmd.Start()
	}
	if _, _, errno := unix.RawSyscall(unix.SYS_PERSONALITY, old|addrNoRandomize, 0, 0); errno != 0 {
		return cmd.Start()
	}
	defer unix.RawSyscall(unix.SYS_PERSONALITY, old, 0, 0)
	return cmd.Start()
}

// From <linux/personality.h>; x/sys/unix has the call's number only.
const (
	personalityQuery = 0xffffffff // personality(0xffffffff) returns the persona, changing nothing
	addrNoRandomize  = 0x0040000  // ADDR_NO_RANDOMIZE
)
