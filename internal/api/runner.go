package api

import (
	"context"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/runner"
)

// Runner is what the server needs to run programs: package runner's Runner
// in production, another in a test (Config.Runner).
type Runner interface {
	// Start begins req and returns at once; events flow to sink from
	// another goroutine, never two at once (runner.Runner.Start).
	Start(ctx context.Context, req runner.Request, sink engine.Sink) (Run, error)
	// Available reports whether this host can run the named engine.
	Available(engine string) error
}

// Run is a started program run, as the server holds it.
type Run interface {
	queryable
	Wait() (runner.Result, error)
	Done() <-chan struct{}
	Close() error
}

// packageRunner is the Runner of package runner.
type packageRunner struct{ r *runner.Runner }

func (p packageRunner) Start(ctx context.Context, req runner.Request, sink engine.Sink) (Run, error) {
	r, err := p.r.Start(ctx, req, sink)
	if err != nil {
		return nil, err // not a typed nil in the interface
	}
	return r, nil
}

func (p packageRunner) Available(name string) error { return p.r.Available(name) }
