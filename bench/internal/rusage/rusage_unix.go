//go:build unix

// Package rusage is the CPU time the benchmarks report beside wall time:
// getrusage(2)'s user plus system time, where the system has it.
package rusage

import (
	"syscall"
	"time"
)

// Self is this process's user and system time so far.
func Self() time.Duration { return get(syscall.RUSAGE_SELF) }

// Children is the user and system time of this process's waited-for
// children so far.
func Children() time.Duration { return get(syscall.RUSAGE_CHILDREN) }

func get(who int) time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(who, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
