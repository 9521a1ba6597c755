//go:build unix

package main

import (
	"syscall"
	"time"
)

// childrenCPU is the user and system time of this process's waited-for
// children so far.
func childrenCPU() time.Duration { return rusage(syscall.RUSAGE_CHILDREN) }

// selfCPU is this process's user and system time so far.
func selfCPU() time.Duration { return rusage(syscall.RUSAGE_SELF) }

func rusage(who int) time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(who, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
