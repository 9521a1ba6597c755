package sim

import (
	"fmt"
	"testing"

	"github.com/mmapplayground/playground/internal/engine"
	"github.com/stretchr/testify/assert"
)

// TestMaxFolio: the setting bounds the folios a write makes, so one read
// fault of a file written 1 MiB at a time maps the smaller of the folio and
// the 16-page fault-around window (TestKernelFacts' folio_* facts hold the
// default, 512, to this machine's kernel).
func TestMaxFolio(t *testing.T) {
	tests := []struct {
		maxFolio    int
		mapped, lo  string
		faultAround int
	}{
		{maxFolio: 1, mapped: "16", lo: "96"},
		{maxFolio: 16, mapped: "16", lo: "96"},
		{maxFolio: 64, mapped: "64", lo: "64"},
		{maxFolio: 512, mapped: "256", lo: "0"},
		{maxFolio: 1, faultAround: 1, mapped: "1", lo: "100"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("max_folio=%d,fault_around=%d", tt.maxFolio, tt.faultAround), func(t *testing.T) {
			x := newFactEnv(t, engine.Options{MaxFolio: tt.maxFolio, FaultAround: tt.faultAround})
			fd := x.folioFile("f.bin", 1<<20, 4)
			n, lo := x.folioFault(x.folioAligned(), fd, 0, 1024, 100)
			assert.Equal(t, tt.mapped, n, "pages mapped")
			assert.Equal(t, tt.lo, lo, "first page mapped")
		})
	}
}
