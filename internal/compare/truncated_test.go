package compare

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mmapplayground/playground/internal/engine"
)

// TestTruncatedStreamsExplainFaults: fault counts over streams the runner
// cut at KeptEvents are not the run's, so their difference is explained;
// over whole streams it is not.
func TestTruncatedStreamsExplainFaults(t *testing.T) {
	stream := func(faults, extra int) []engine.Event {
		evs := []engine.Event{{Type: engine.EvExec, Pid: 1, Name: "prog"}}
		for i := 0; i < extra; i++ {
			evs = append(evs, engine.Event{Type: engine.EvPTE, Pid: 1, Op: "set"})
		}
		for i := 0; i < faults; i++ {
			evs = append(evs, engine.Event{Type: engine.EvFault, Pid: 1, Kind: engine.FaultAnon, Result: "ok", Addr: 0x7f0000000000 + uint64(i)<<12})
		}
		vma := engine.VMA{Start: 0x7f0000000000, End: 0x7f0000000000 + 1<<30, Perms: "rw-p"}
		return append(evs, engine.Event{Type: engine.EvExit, Pid: 1, VMAs: []engine.VMA{vma}})
	}
	tests := []struct {
		name      string
		sim, real []engine.Event
		explained string
	}{
		{"cut at KeptEvents", stream(KeptEvents-20, 20), stream(KeptEvents-5, 5), ExplainTruncated},
		{"whole streams", stream(100, 20), stream(90, 5), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *Difference
			for _, d := range Diff(tt.sim, tt.real) {
				if d.Field == "faults" {
					got = &d
				}
			}
			if assert.NotNil(t, got, "a faults difference") {
				assert.Equal(t, tt.explained, got.Explained)
			}
		})
	}
}
