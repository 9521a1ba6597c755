//go:build linux && !amd64

package sandbox

import (
	"errors"
	"runtime"
)

// installSeccomp: the worker's filter is written for x86-64 (its system
// call numbers and AUDIT_ARCH_X86_64); elsewhere the worker runs without it
// and its note says so, never claiming the filter.
func installSeccomp() error {
	return errors.New("the filter is written for x86-64, not " + runtime.GOARCH)
}
