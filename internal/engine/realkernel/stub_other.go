//go:build !linux

package realkernel

import (
	"fmt"
	"runtime"

	"github.com/mmapplayground/playground/internal/engine"
)

// Engine is the real engine; on this host it cannot be made.
type Engine struct{ engine.Engine }

// New reports that the real engine needs Linux.
func New(opts Options) (*Engine, error) {
	return nil, fmt.Errorf("realkernel: the real engine runs programs on the Linux kernel and this host runs %s; use the simulated engine: %w", runtime.GOOS, engine.ErrUnsupported)
}
