package browsertest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestBothEnginesColumns: a run on both engines shows each engine's output
// in its own labelled column.
func TestBothEnginesColumns(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1440, 900)
	b.open(base + "/?example=split_areas&engine=both&run=1&lang=en")
	var real string
	eval(b, `document.body.dataset.real`, &real)
	if real != "1" {
		t.Skip("this host offers no real engine")
	}
	b.waitRun(90 * time.Second)
	var sim, rl, ha, hb string
	eval(b, `document.querySelector('[data-testid="stdout"]').textContent`, &sim)
	eval(b, `document.querySelector('[data-testid="stdout-real"]').textContent`, &rl)
	eval(b, `document.getElementById("out-engine-a").textContent`, &ha)
	eval(b, `document.getElementById("out-engine-b").textContent`, &hb)
	assert.Contains(t, ha, "Simulated kernel")
	assert.Contains(t, hb, "Real kernel")
	assert.Contains(t, sim, "area(s)")
	assert.Contains(t, rl, "area(s)")
	assert.NotEqual(t, sim+rl, sim, "the real engine's output is in its own column")
	b.screenshot("/tmp/shots", "both-1440x900")
}
