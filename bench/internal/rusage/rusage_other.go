//go:build !unix

// Package rusage is the CPU time the benchmarks report beside wall time:
// getrusage(2)'s user plus system time, where the system has it (here it
// does not: the figures are 0).
package rusage

import "time"

// Self is 0: this system has no getrusage.
func Self() time.Duration { return 0 }

// Children is 0: this system has no getrusage.
func Children() time.Duration { return 0 }
