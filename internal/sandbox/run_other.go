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
	Builds       *BuildCache
}

var errNotLinux = fmt.Errorf("sandbox: the real engine's worker runs on Linux and this host runs %s; use the simulated engine: %w", runtime.GOOS, engine.ErrUnsupported)

// Run reports that workers need Linux.
func (c Config) Run(ctx context.Context, job Job, sink engine.Sink) (Result, error) {
	return Result{}, errNotLinux
}

// WorkerMain reports that workers need Linux.
func WorkerMain(ctx context.Context, stdin io.Reader, stdout io.Writer) error { return errNotLinux }

// Worker is a started run; on this host none can start.
type Worker struct{}

// ErrRunEnded is returned by a query after the run has ended.
var ErrRunEnded = fmt.Errorf("sandbox: the run has ended")

// Start reports that workers need Linux.
func (c Config) Start(ctx context.Context, job Job, sink engine.Sink) (*Worker, error) {
	return nil, errNotLinux
}

// Wait reports that workers need Linux.
func (w *Worker) Wait() (Result, error) { return Result{}, errNotLinux }

// State reports that workers need Linux.
func (w *Worker) State(ctx context.Context) (engine.State, error) { return engine.State{}, errNotLinux }

// Walk reports that workers need Linux.
func (w *Worker) Walk(ctx context.Context, pid int, addr uint64) (engine.Walk, error) {
	return engine.Walk{}, errNotLinux
}

// Pages reports that workers need Linux.
func (w *Worker) Pages(ctx context.Context, pid int, start, end uint64) ([]engine.PageInfo, error) {
	return nil, errNotLinux
}

// SetFaultStops reports that workers need Linux.
func (w *Worker) SetFaultStops(ctx context.Context, on bool) error { return errNotLinux }
