// Package limits is the one definition of the limits a run shares across
// the layers that enforce them: the interpreter (steps, output, call
// depth), the runner (wall time, the real engine's address space, the
// program's size, host memory), the sandbox's worker, the CLI's flags and
// the server's settings (internal/api's Limits, whose table makes the
// flags, the environment variables and docs/limits.md). Each default is
// here once; the layers take it from here and never restate it.
package limits

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// The defaults of a run's limits: what `playground run` and a server with
// no settings both use.
const (
	// Steps is the interpreter's step budget (a builtin moving memory
	// counts a step a cache line): an endless loop ends here. A 1 GiB
	// page-by-page loop (262,144 iterations of a few statements) takes a
	// few million.
	Steps = 1_000_000_000
	// Output is the bytes of stdout and stderr a program may write.
	Output = 1 << 20
	// CallDepth is the deepest C call stack.
	CallDepth = 10_000
	// RunTime is the wall time a run may spend running.
	RunTime = 10 * time.Second
	// RealMapBytes is what a program on the real engine may map (its
	// worker's RLIMIT_AS above its own size): that memory is the host's,
	// so a classroom server sets less (the compose file: 256M).
	RealMapBytes = 2 << 30
	// ProgramBytes is the largest program source (a server counts its
	// input files in it too).
	ProgramBytes = 256 << 10
	// FileBytes is the largest total of a run's input files.
	FileBytes = 16 << 20
	// RunMemory is the host memory one run's simulated engine may hold.
	RunMemory = 256 << 20
	// RealDiskBytes is what a real-engine run's working directory may hold
	// in all (blocks allocated: a sparse file costs what it holds).
	RealDiskBytes = 64 << 20
)

// ParseSize parses a size as the settings write it: an integer with an
// optional K, M or G suffix (KiB, MiB, GiB; "16M" and "16MiB" alike),
// underscores allowed as in Go ("500_000_000").
func ParseSize(s string) (int64, error) {
	s = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), "_", ""))
	s = strings.TrimSuffix(strings.TrimSuffix(s, "B"), "I")
	shift := 0
	if n := len(s); n > 0 {
		switch s[n-1] {
		case 'K':
			shift = 10
		case 'M':
			shift = 20
		case 'G':
			shift = 30
		}
		if shift != 0 {
			s = s[:n-1]
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("not a number (want e.g. 500, 64K, 16M, 2G)")
	}
	if n > math.MaxInt64>>shift || n < math.MinInt64>>shift {
		return 0, fmt.Errorf("too large")
	}
	return n << shift, nil
}

// FormatSize writes n as ParseSize reads it, with the largest suffix that
// divides it: 256K, 16M, 2G, 500000000.
func FormatSize(n int64) string {
	for _, u := range []struct {
		shift  uint
		suffix string
	}{{30, "G"}, {20, "M"}, {10, "K"}} {
		if n != 0 && n%(1<<u.shift) == 0 {
			return strconv.FormatInt(n>>u.shift, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}
