package browsertest

import (
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shotDir is where screenshots go: $SCREENSHOTS, or a temporary directory.
func shotDir(t *testing.T) string {
	if d := os.Getenv("SCREENSHOTS"); d != "" {
		os.MkdirAll(d, 0o755)
		return d
	}
	return t.TempDir()
}

// TestPageScripted runs the page against scripted event streams: the views
// fill in, and a 1 GiB page-by-page program finishes drawing soon after its
// exit event.
func TestPageScripted(t *testing.T) {
	srv := httptest.NewServer(fakeAPI())
	defer srv.Close()
	b := newBrowser(t, 1600, 1000)
	dir := shotDir(t)

	b.must(20*time.Second, chromedp.Navigate(srv.URL+"/?example=three_phases&lang=en"))
	b.waitJS(10*time.Second, `document.body.dataset.ready === "1" && document.getElementById("source").value.length > 0`)
	b.click("run")
	b.waitRun(10 * time.Second)
	b.waitJS(5*time.Second, `document.querySelector('[data-testid="stdout"]').textContent.includes("done")`)
	var nAreas int
	eval(b, `document.querySelectorAll('[data-testid="vma-list"] li[data-start]').length`, &nAreas)
	assert.Equal(t, 7, nAreas, "areas after the split")
	b.screenshot(dir, "scripted-small")

	// 1 GiB, page by page.
	src := "// 1 GiB\nint main(void) { return 0; }\n"
	b.must(20*time.Second, chromedp.Navigate(srv.URL+"/?src="+b64url(src)+"&engine=sim&run=1&lang=en"))
	b.waitJS(60*time.Second, `__playground.drawnAt > 0`)
	var res struct {
		ExitAt, DrawnAt float64
		Events          int
	}
	eval(b, `({ExitAt: __playground.exitAt, DrawnAt: __playground.drawnAt, Events: __playground.events})`, &res)
	t.Logf("scripted 1 GiB: %d events; page map drawn %.0f ms after the exit event", res.Events, res.DrawnAt-res.ExitAt)
	b.screenshot(dir, "scripted-1gib")
}

// TestLogLanguageShare: the event log stays virtual with half a million
// events and filters by type; the language choice is remembered; a Share
// link opens the same program.
func TestLogLanguageShare(t *testing.T) {
	srv := httptest.NewServer(fakeAPI())
	defer srv.Close()
	b := newBrowser(t, 1400, 1000)

	src := "// 1 GiB\nint main(void) { return 0; }\n"
	b.open(srv.URL + "/?src=" + b64url(src) + "&run=1&lang=en")
	b.waitJS(60*time.Second, `__playground.drawnAt > 0`)
	var n, rows int
	eval(b, `__pg.run().events.length`, &n)
	eval(b, `document.querySelectorAll('[data-testid="event-log"] .ev-row').length`, &rows)
	assert.Greater(t, n, 500000)
	assert.Less(t, rows, 60, "only the rows in view are in the DOM")

	// Zoom: bigger cells, and back.
	var z0, z1 string
	eval(b, `document.getElementById("zoom-level").textContent`, &z0)
	b.click("zoom-in")
	b.frames()
	eval(b, `document.getElementById("zoom-level").textContent`, &z1)
	assert.NotEqual(t, z0, z1, "zoom in changes the cell size")
	b.click("zoom-out")

	// Scroll to the middle: the rows there are drawn.
	b.evalVoid(`document.querySelector('[data-testid="event-log"]').scrollTop = 262144 * 22`)
	b.frames()
	var seqs []float64
	eval(b, `[...document.querySelectorAll('[data-testid="event-log"] .ev-row .seq')].map(s => +s.textContent)`, &seqs)
	require.NotEmpty(t, seqs)
	assert.InDelta(t, 262144, seqs[len(seqs)/2], 40)

	// Hide the PTE events: only faults and the rest remain.
	b.click("filter-pte")
	b.frames()
	var count string
	eval(b, `document.querySelector('[data-testid="ev-count"]').textContent`, &count)
	assert.Contains(t, count, "/", "the count says how many pass the filter: %q", count)
	var types []string
	eval(b, `[...new Set([...document.querySelectorAll('[data-testid="event-log"] .ev-row')].map(r => r.dataset.type))]`, &types)
	assert.NotContains(t, types, "pte")

	// Language: chosen once, remembered.
	b.open(srv.URL + "/?example=three_phases")
	b.click("lang-zh")
	b.open(srv.URL + "/?example=three_phases")
	var run string
	eval(b, `document.querySelector('[data-testid="run"]').textContent`, &run)
	assert.Equal(t, "运行", run)
	b.click("lang-en")

	// Share: the link holds the edited program.
	edited := "int main(void) { return 42; }\n"
	b.must(5*time.Second, chromedp.SetValue(chromedp.CSS(`[data-testid="source"]`), edited))
	b.evalVoid(`document.querySelector('[data-testid="source"]').dispatchEvent(new Event("input"))`)
	b.click("share")
	b.waitJS(5*time.Second, `document.querySelector('[data-testid="share-url"]').value !== ""`)
	var link string
	eval(b, `document.querySelector('[data-testid="share-url"]').value`, &link)
	assert.Contains(t, link, "z=", "the program compressed")
	assert.Contains(t, link, "run=1", "the link runs the program when opened")
	// The copy button works on plain http (no Clipboard API there).
	b.click("share-copy")
	b.waitJS(5*time.Second, `document.querySelector('[data-testid="share-copy"]').textContent === "Copied"`)
	b.open(link)
	var got string
	eval(b, `document.querySelector('[data-testid="source"]').value`, &got)
	assert.Equal(t, edited, got)
}

// TestStreamPauseStep pauses a streaming run in the page, steps to the next
// fault and the next system call there, steps back, and lets it finish.
func TestStreamPauseStep(t *testing.T) {
	srv := httptest.NewServer(fakeAPI())
	defer srv.Close()
	b := newBrowser(t, 1400, 1000)
	src := "// 1 GiB\n// slow\nint main(void) { return 0; }\n"
	b.open(srv.URL + "/?src=" + b64url(src) + "&lang=en")
	b.click("run")
	b.waitJS(20*time.Second, `__playground.events > 1000`)
	b.click("pause")
	b.frames()
	var n1, n2 int
	eval(b, `__pg.run().events.length`, &n1)
	// The stream goes on arriving; wait until a batch of it has queued up
	// (or the stream has ended), then nothing of it may have been applied.
	b.waitJS(20*time.Second, `(() => { const r = __pg.run(); return r.streamEnded || r.queue.length - r.qhead > 1000; })()`)
	b.frames()
	eval(b, `__pg.run().events.length`, &n2)
	assert.Equal(t, n1, n2, "nothing is applied while paused")
	var exited bool
	eval(b, `!!__pg.run().exited`, &exited)
	require.False(t, exited, "paused before the end")

	b.click("step-fault")
	b.frames()
	var last map[string]any
	eval(b, `(() => { const e = __pg.run().events; return e[e.length - 1]; })()`, &last)
	assert.Equal(t, "fault", last["type"])
	var status string
	eval(b, `document.getElementById("status").textContent`, &status)
	assert.Contains(t, status, "Paused at event")

	b.click("back")
	b.frames()
	var view int
	eval(b, `__pg.ui.viewIndex`, &view)
	assert.Less(t, view, n2+1, "stepped back to an earlier moment")

	b.click("continue")
	b.waitRun(60 * time.Second)
	// The views are redrawn up to a tenth of a second later.
	b.waitJS(5*time.Second, `document.querySelector('[data-testid="stdout"]').textContent !== ""`)
	var out string
	eval(b, `document.querySelector('[data-testid="stdout"]').textContent`, &out)
	assert.Equal(t, "touched 262144 pages\n", out)
}
