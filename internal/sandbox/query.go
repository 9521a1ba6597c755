package sandbox

import "github.com/mmapplayground/playground/internal/engine"

// Query is a question the parent asks the worker during a run, one JSON
// line on the worker's stdin after the job; the worker answers at the
// program's next step with {"type":"reply","id":N,"result":...}.
type Query struct {
	ID    uint64 `json:"id"`
	Q     string `json:"q"` // "state", "walk", "pages", "fault-stops"
	Pid   int    `json:"pid,omitempty"`
	Addr  uint64 `json:"addr,omitempty"`
	Start uint64 `json:"start,omitempty"`
	End   uint64 `json:"end,omitempty"`
	// On: "fault-stops" turns the stops at each fault on or off.
	On bool `json:"on,omitempty"`
}

// faultStopper is a run whose program can be stopped at each of its
// faults (gcc's build under the tracer, realkernel.Program).
type faultStopper interface {
	SetFaultStops(on bool) error
}

// faultStopsReply is the answer to "fault-stops": the error's text, or "".
type faultStopsReply struct {
	Error string `json:"error,omitempty"`
}

// pageWire is engine.PageInfo on the wire with its state and bits as
// numbers (PageInfo's own JSON writes them as names, for the page).
type pageWire struct {
	Addr        uint64 `json:"addr"`
	State       uint8  `json:"state"`
	Bits        uint16 `json:"bits"`
	PFN         uint64 `json:"pfn,omitempty"`
	MapCount    int    `json:"map_count,omitempty"`
	Mappers     []int  `json:"mappers,omitempty"`
	InPageCache bool   `json:"page_cache,omitempty"`
}

func toWire(p engine.PageInfo) pageWire {
	return pageWire{Addr: p.Addr, State: uint8(p.State), Bits: uint16(p.Bits), PFN: p.PFN, MapCount: p.MapCount, Mappers: p.Mappers, InPageCache: p.InPageCache}
}

func (p pageWire) info() engine.PageInfo {
	bits := engine.PTEBits(p.Bits)
	return engine.PageInfo{Addr: p.Addr, State: engine.PageState(p.State), Bits: bits, Flags: bits.String(), PFN: p.PFN, MapCount: p.MapCount, Mappers: p.Mappers, InPageCache: p.InPageCache}
}
