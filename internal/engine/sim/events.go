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

// emit stamps ev with the logical clock and hands it to the sink. A fault
// or pte event carries the state its pages are in (and a fault its PTE's
// bits), as Pages would answer: what the page map draws.
func (e *Engine) emit(ev *engine.Event) {
	if e.sink == nil {
		return
	}
	ev.Time = e.clock
	if (ev.Type == engine.EvFault && ev.Result == "ok") || (ev.Type == engine.EvPTE && ev.Why != "exit") {
		e.stampPageStates(ev)
	}
	e.sink(ev)
}

// spanPages is how many pages [start, end) covers: the range of a pte event
// that changed some of them (docs/events.md: "pages" pages from "addr").
func spanPages(start, end uint64) int { return int((end - start) >> engine.PageShift) }

// stampPageStates sets ev.PageState (or PageStates) for the pages of its
// range: a fault's page, or a pte event's pages from Addr.
func (e *Engine) stampPageStates(ev *engine.Event) {
	p := e.proc(ev.Pid)
	if p == nil || p.mm == nil {
		return
	}
	n := ev.Pages
	if n < 1 || ev.Type == engine.EvFault {
		n = 1 // a fault's neighbours (fault-around) have their own pte events
	}
	start := ev.Addr &^ engine.PageMask
	stateAt := func(a uint64) (engine.PageState, uint64) {
		pte, _ := e.lookupPTE(p, a)
		return e.pageState(pte), pte
	}
	first, pte := stateAt(start)
	bits, sameBits := pteBits(pte), true
	mixed := false
	for i := 1; i < n && (!mixed || sameBits); i++ {
		st, pt := stateAt(start + uint64(i)<<engine.PageShift)
		mixed = mixed || st != first
		sameBits = sameBits && pteBits(pt) == bits
	}
	// A fault's PTE, and a range's when every page has the same bits.
	if ev.Bits == "" && ev.Op != "clear" && sameBits && bits != 0 {
		ev.Bits = bitString(pte)
	}
	if !mixed {
		ev.PageState = first.String()
		return
	}
	digits := make([]byte, n)
	for j := range n {
		st, _ := stateAt(start + uint64(j)<<engine.PageShift)
		digits[j] = '0' + byte(st)
	}
	ev.PageStates = string(digits)
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
