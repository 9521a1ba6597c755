//go:build unix

package api

import "syscall"

// fdStreamCap is how many streams the process's descriptors allow, with
// fdReserve kept back (each stream is one descriptor).
func fdStreamCap() int {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil || rl.Cur > 1<<30 {
		return 1 << 30
	}
	return max(int(rl.Cur)-fdReserve, 16)
}
