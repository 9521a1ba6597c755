package browsertest

import (
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
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
	b.waitJS(10*time.Second, `__playground.events > 0 && __pg.run().exited`)
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
