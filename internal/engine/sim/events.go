package sim

import (
	"bytes"

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
	end := start + uint64(n)<<engine.PageShift
	// The pages with an entry, walked in the tables that exist (a range
	// cleared is mostly, or all, tables freed); the others are none.
	pte, _ := e.lookupPTE(p, start)
	first, bits := e.pageState(pte), pteBits(pte)
	mixed, sameBits, entries := false, true, 0
	if n == 1 {
		if pte != 0 {
			entries = 1
		}
	} else {
		e.forEachMapped(p, start, end, func(_, pt uint64, _ bool) {
			entries++
			mixed = mixed || e.pageState(pt) != first
			sameBits = sameBits && pteBits(pt) == bits
		})
	}
	if entries < n {
		mixed = mixed || first != engine.PageNone
		sameBits = sameBits && bits == 0
	}
	// A fault's PTE, and a range's when every page has the same bits.
	if ev.Bits == "" && ev.Op != "clear" && sameBits && bits != 0 {
		ev.Bits = bitString(pte)
	}
	if !mixed {
		ev.PageState = first.String()
		return
	}
	digits := bytes.Repeat([]byte{'0' + byte(engine.PageNone)}, n)
	e.forEachMapped(p, start, end, func(a, pt uint64, _ bool) {
		digits[(a-start)>>engine.PageShift] = '0' + byte(e.pageState(pt))
	})
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
