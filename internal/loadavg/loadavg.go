// Package loadavg stretches a time bound set for an idle machine by how
// loaded this one is, for tests whose bound is a promise about wall time
// (a run ends near its limit; a program finishes within its allowance)
// on a machine shared with other work.
package loadavg

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Slowdown is the 1-minute load average over the CPUs when above 1 (the
// share of a CPU a runnable thread gets is about its inverse), else 1.
func Slowdown() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 1
	}
	return slowdown(string(b), runtime.NumCPU())
}

// slowdown reads /proc/loadavg's text for a machine of cpus CPUs.
func slowdown(loadavg string, cpus int) float64 {
	f := strings.Fields(loadavg)
	if len(f) == 0 || cpus < 1 {
		return 1
	}
	load, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return 1
	}
	return max(1, load/float64(cpus))
}

// Stretch is d times Slowdown: d itself on an idle machine, 10 times d at
// load 20 on two CPUs.
func Stretch(d time.Duration) time.Duration {
	return time.Duration(float64(d) * Slowdown())
}

// Text is /proc/loadavg's three load averages ("0.48 0.52 0.61"), or
// "unknown", for a benchmark to print before and after it runs.
func Text() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
