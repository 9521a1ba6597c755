package sim

import (
	"github.com/mmapplayground/playground/internal/engine"
)

// newEvent resets the engine's one event for a new one of type t. The
// sink gets a pointer valid only during the call (engine.Sink's contract),
// so one Event serves them all and events cost no allocation.
func (e *Engine) newEvent(t string, pid int) *engine.Event {
	e.ev = engine.Event{Type: t, Pid: pid}
	return &e.ev
}

// emit stamps ev with the logical clock and hands it to the sink.
func (e *Engine) emit(ev *engine.Event) {
	if e.sink == nil {
		return
	}
	ev.Time = e.clock
	e.sink(ev)
}

// syscallArgs are the integer arguments as the event shows them.
func syscallArgs(c engine.Call) []engine.Arg {
	args := make([]engine.Arg, 0, len(c.Args))
	for i, a := range c.Args {
		if c.Path != "" && pathArg(c.Name) == i {
			args = append(args, engine.Arg{Str: c.Path, IsStr: true})
			continue
		}
		args = append(args, engine.Arg{Int: a})
	}
	return args
}

// pathArg is which argument of a call is its path.
func pathArg(name string) int {
	switch name {
	case "open", "stat", "unlink":
		return 0
	case "openat":
		return 1
	}
	return -1
}
