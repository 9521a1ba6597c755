//go:build !linux

package sandbox

import (
	"context"
	"fmt"
	"io"
	"runtime"

	"github.com/mmapplayground/playground/internal/engine"
)

// Config says how workers are started; on this host none can be.
type Config struct {
	Root         string
	Command      []string
	Env          []string
	NoNamespaces bool
}

// Default is the configuration Run uses.
var Default Config

var errNotLinux = fmt.Errorf("sandbox: the real engine's worker runs on Linux and this host runs %s; use the simulated engine: %w", runtime.GOOS, engine.ErrUnsupported)

// Run reports that workers need Linux.
func Run(ctx context.Context, job Job, sink engine.Sink) (Result, error) {
	return Default.Run(ctx, job, sink)
}

// Run reports that workers need Linux.
func (c Config) Run(ctx context.Context, job Job, sink engine.Sink) (Result, error) {
	return Result{}, errNotLinux
}

// WorkerMain reports that workers need Linux.
func WorkerMain(ctx context.Context, stdin io.Reader, stdout io.Writer) error { return errNotLinux }
