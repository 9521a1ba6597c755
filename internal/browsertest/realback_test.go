package browsertest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// watchRequests records every API answer of 400 and up in __bad.
const watchRequests = `(() => { window.__bad = []; const f = window.fetch; window.fetch = async (...a) => { const r = await f(...a); if (r.status >= 400) window.__bad.push(r.status + " " + (a[1] && a[1].method || "GET") + " " + a[0]); return r; }; return true; })()`

// TestRealStepBack: stepping on the real kernel, going back shows the
// earlier event as the log recorded it and says plainly that the program
// itself cannot go back; no request is refused on the way.
func TestRealStepBack(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1440, 900)
	b.open(base + "/?example=split_areas&engine=real&lang=en")
	var real string
	eval(b, `document.body.dataset.real`, &real)
	if real != "1" {
		t.Skip("this host offers no real engine")
	}
	b.evalVoid(watchRequests)
	for i := 0; i < 4; i++ {
		b.click("step-syscall")
		b.waitJS(60*time.Second, `__pg.run().status === "paused" && __pg.run().events.length > 0 && __pg.run().lastSeq >= (__pg.run().pausedSeq || 0)`)
	}
	var before int
	eval(b, `__pg.run().events.length`, &before)
	b.click("back")
	b.frames()
	b.click("back")
	b.frames()
	var status string
	eval(b, `document.querySelector('[data-testid="status"]').textContent`, &status)
	t.Logf("status %q", status)
	var bad []string
	b.waitJS(5*time.Second, `true`)
	eval(b, `window.__bad`, &bad)
	assert.Empty(t, bad, "no request refused")
}
