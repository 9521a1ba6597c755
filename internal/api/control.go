package api

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/internal/runner"
)

// control is a session run's stepping: the run's sink calls onEvent after
// each event, and onEvent blocks (pausing the program exactly there) when
// the client asked for a pause, a step that this event completes, or a
// replay that reached its event. Handlers change the mode and wait for the
// program to stop.
//
// control also keeps the run's time budget: the limit counts only time
// spent running, so a student may look at a paused step for as long as the
// session lives.
type control struct {
	mu      sync.Mutex
	mode    stepMode
	until   string // modeStep: the event type that ends the step ("" any)
	stopAt  uint64 // modeReplay: the Seq to pause at
	seq     uint64 // the last event's Seq
	paused  bool
	at      []byte        // the event paused at, encoded
	resume  chan struct{} // closed to let the paused program go on
	changed chan struct{} // closed and replaced when paused or done change
	done    bool
	result  runner.Result
	err     error

	budget    time.Duration // running time left when the timer is stopped
	resumedAt time.Time
	timer     *time.Timer
}

type stepMode int

const (
	modeRun    stepMode = iota // run freely
	modePause                  // stop at the next event
	modeStep                   // run until an event of type until, then pause
	modeReplay                 // run until Seq stopAt, then pause
)

// Step targets: which event a step runs to.
var stepUntil = map[string]string{
	"syscall":    engine.EvSyscall,
	"fault":      engine.EvFault,
	"checkpoint": engine.EvCheckpoint,
	"event":      "",
}

// errRunTime is a session run's error when its running time was spent.
type errRunTime struct{ limit time.Duration }

func (e errRunTime) Error() string {
	return fmt.Sprintf("the program ran for longer than the %v it may run (the run-time limit)", e.limit)
}

// errRealPause is a session's real-engine run's error when it lasted
// longer, paused at steps included, than its worker may hold a host
// process (--run-time plus --real-pause).
type errRealPause struct{ limit time.Duration }

func (e errRealPause) Error() string {
	return fmt.Sprintf("the real-engine run was ended after %v, paused time included: its worker holds a host process (the run-time limit plus --real-pause)", e.limit)
}

// newControl starts the run-time budget: when limit of running time has
// passed, stop is called.
func newControl(mode stepMode, stopAt uint64, limit time.Duration, stop func()) *control {
	c := &control{mode: mode, stopAt: stopAt, changed: make(chan struct{}), budget: limit, resumedAt: time.Now()}
	c.timer = time.AfterFunc(limit, stop)
	return c
}

// runContext is a session run's context. It ends as a deadline's does,
// with context.DeadlineExceeded, when the run has spent its running time
// (which a deadline cannot measure: time paused at a step does not count),
// so that the interpreter reports "time limit exceeded"; and with
// context.Canceled when the run is replaced, its session ends or the
// server shuts down.
type runContext struct {
	parent context.Context
	done   chan struct{}
	mu     sync.Mutex
	err    error
}

func newRunContext(parent context.Context) *runContext {
	c := &runContext{parent: parent, done: make(chan struct{})}
	context.AfterFunc(parent, func() { c.end(context.Canceled) })
	return c
}

func (c *runContext) Deadline() (time.Time, bool) { return c.parent.Deadline() }
func (c *runContext) Done() <-chan struct{}       { return c.done }
func (c *runContext) Value(key any) any           { return c.parent.Value(key) }

func (c *runContext) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// end ends the context with err, if it has not ended yet.
func (c *runContext) end(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil {
		c.err = err
		close(c.done)
	}
}

// onEvent is called by the run's sink after each event; it returns when
// the program may go on (or ctx ends).
func (c *control) onEvent(ctx context.Context, e *engine.Event) {
	c.mu.Lock()
	c.seq = e.Seq
	stop := false
	switch c.mode {
	case modePause:
		stop = true
	case modeStep:
		stop = c.until == "" || c.until == e.Type
	case modeReplay:
		stop = e.Seq >= c.stopAt
	}
	if !stop || e.Type == engine.EvExit {
		// The exit event ends the run: there is nothing to pause before.
		c.mu.Unlock()
		return
	}
	c.mode = modePause
	c.paused = true
	c.at = e.AppendJSON(c.at[:0])
	resume := make(chan struct{})
	c.resume = resume
	if c.timer.Stop() {
		c.budget -= time.Since(c.resumedAt)
	}
	c.broadcastLocked()
	c.mu.Unlock()

	select {
	case <-resume:
	case <-ctx.Done():
	}
}

func (c *control) broadcastLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// set changes the mode and lets a paused program go on.
func (c *control) set(mode stepMode, until string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mode, c.until = mode, until
	if mode == modePause || !c.paused || c.done {
		return
	}
	c.paused = false
	close(c.resume)
	c.resumedAt = time.Now()
	if c.budget <= 0 {
		c.budget = time.Nanosecond
	}
	c.timer.Reset(c.budget)
	c.broadcastLocked()
}

// finish records the run's end.
func (c *control) finish(res runner.Result, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.timer.Stop()
	c.done, c.paused = true, false
	c.result, c.err = res, err
	c.broadcastLocked()
}

// waitStopped waits until the program is paused or has ended, for at most
// d; it reports the status either way.
func (c *control) waitStopped(ctx context.Context, d time.Duration) runStatus {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		c.mu.Lock()
		if c.paused || c.done {
			st := c.statusLocked()
			c.mu.Unlock()
			return st
		}
		ch := c.changed
		c.mu.Unlock()
		select {
		case <-ch:
		case <-t.C:
			return c.status()
		case <-ctx.Done():
			return c.status()
		}
	}
}

// runStatus is a run's status as the API reports it.
type runStatus struct {
	// State is "running", "paused" or "exited".
	State string `json:"state"`
	// Seq is the last event's.
	Seq uint64 `json:"seq"`
	// Event is the event the program is paused at.
	Event jsonRaw `json:"event,omitempty"`
	// Result is how the run ended, once it has.
	Result *runner.Result `json:"result,omitempty"`
	// Error is why the run could not finish normally (its time was up).
	Error string `json:"error,omitempty"`
}

func (c *control) status() runStatus {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.statusLocked()
}

func (c *control) statusLocked() runStatus {
	st := runStatus{State: "running", Seq: c.seq}
	switch {
	case c.done:
		st.State = "exited"
		res := c.result
		st.Result = &res
		if c.err != nil {
			st.Error = publicRunError(c.err)
		}
	case c.paused:
		st.State = "paused"
		st.Event = append(jsonRaw(nil), c.at...)
	}
	return st
}

// publicRunError is what a client is told of a run's error.
func publicRunError(err error) string {
	var rt errRunTime
	if errors.As(err, &rt) {
		return rt.Error()
	}
	var rp errRealPause
	if errors.As(err, &rp) {
		return rp.Error()
	}
	if errors.Is(err, context.Canceled) {
		return "the run was stopped"
	}
	return "the run failed"
}

// jsonRaw is encoded JSON, written as it is (nil as nothing).
type jsonRaw []byte

func (r jsonRaw) MarshalJSON() ([]byte, error) {
	if len(r) == 0 {
		return []byte("null"), nil
	}
	return r, nil
}

// UnmarshalJSON keeps the JSON as it is (clients of the API's types: tests,
// the load test).
func (r *jsonRaw) UnmarshalJSON(b []byte) error {
	*r = append((*r)[:0], b...)
	return nil
}
