package api

import (
	"context"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/runner"
)

// fakeRunner stands for package runner: each run sends the events its
// script gives, in order, and a script may block on the test's channels, so
// a test says exactly when a program does what.
type fakeRunner struct {
	script func(ctx context.Context, emit func(engine.Event))
}

func (f *fakeRunner) Available(string) error { return nil }

func (f *fakeRunner) Start(ctx context.Context, req runner.Request, sink engine.Sink) (Run, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	r := &fakeRun{done: make(chan struct{})}
	go func() {
		defer close(r.done)
		var seq uint64
		emit := func(e engine.Event) {
			seq++
			e.Seq = seq
			sink(&e)
		}
		f.script(ctx, emit)
		if ctx.Err() != nil {
			r.err = ctx.Err()
		}
		emit(engine.Event{Type: engine.EvExit, Counters: &engine.Counters{}})
		r.res = runner.Result{Events: seq}
	}()
	return r, nil
}

type fakeRun struct {
	done chan struct{}
	res  runner.Result
	err  error
}

func (r *fakeRun) Wait() (runner.Result, error) { <-r.done; return r.res, r.err }
func (r *fakeRun) Done() <-chan struct{}        { return r.done }
func (r *fakeRun) Close() error                 { <-r.done; return nil }
func (r *fakeRun) State() engine.State          { return engine.State{Engine: "fake"} }
func (r *fakeRun) Walk(int, uint64) engine.Walk { return engine.Walk{} }
func (r *fakeRun) Pages(int, uint64, uint64) []engine.PageInfo {
	return nil
}
