package browsertest

import (
	"flag"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/mmapplayground/playground/examples"
)

var screenshots = flag.Bool("screenshots", false, "write screenshots of every view and lesson, in both languages, to $SCREENSHOTS or a temporary directory")

// TestScreenshots writes PNGs of the page's views and of every lesson in
// Chinese and English, for a person to look at. It runs with -screenshots
// (or $SCREENSHOTS set); the page's behaviour is tested elsewhere.
func TestScreenshots(t *testing.T) {
	if !*screenshots && os.Getenv("SCREENSHOTS") == "" {
		t.Skip("run with -screenshots to write screenshots")
	}
	base := serverURL(t)
	dir := shotDir(t)
	t.Logf("screenshots in %s", dir)
	b := newBrowser(t, 1600, 1000)

	for _, lang := range []string{"en", "zh"} {
		// The page as a student first sees it.
		b.open(base + "/?lang=" + lang)
		b.waitJS(10*time.Second, `document.getElementById("source").value.length > 0`)
		b.frames()
		b.screenshot(dir, "start-"+lang)

		// The page with a run finished, every view filled in.
		b.open(base + "/?example=shared_private_cow&lang=" + lang)
		b.click("run")
		b.waitRun(30 * time.Second)
		b.settled() // the address space's animation
		// A page of the map hovered, its walk shown, an event chosen.
		b.walkFirstPresent()
		b.hoverPage(0)
		b.frames()
		b.screenshot(dir, "page-"+lang)
		b.evalVoid(`(() => { const r = __pg.run(); const i = r.events.findIndex(e => e.type === "fault"); if (i >= 0) __pg.showAt(i); })()`)
		b.settled()
		b.screenshot(dir, "event-chosen-"+lang)

		// The embed page.
		b.open(base + "/embed?example=split_areas&run=1&lang=" + lang)
		b.waitRun(30 * time.Second)
		b.settled()
		b.screenshot(dir, "embed-"+lang)

		// Both engines, side by side, their differences marked.
		b.open(base + "/?example=split_areas&engine=both&run=1&lang=" + lang)
		b.waitRun(60 * time.Second)
		b.frames()
		b.screenshot(dir, "both-engines-"+lang)

		// A compile error marked in the editor.
		b.open(base + "/?src=" + b64url("#include <stdio.h>\nint main(void)\n{\n\tint x = y + 1;\n\treturn x;\n}\n") + "&run=1&lang=" + lang)
		b.waitRun(30 * time.Second)
		b.settled()
		b.screenshot(dir, "compile-error-"+lang)

		// Every lesson, run to the end, its first notice pointed at.
		for _, l := range examples.Lessons() {
			b.open(base + "/?lesson=" + l.ID + "&lang=" + lang)
			b.waitJS(10*time.Second, `document.getElementById("source").value.length > 0`)
			b.click("run")
			b.waitRun(60 * time.Second)
			b.settled()
			b.evalVoid(`(() => { const li = document.querySelector('[data-testid="notice-0"]'); if (li) li.click(); window.scrollTo(0, 0); })()`)
			b.settled()
			b.screenshot(dir, "lesson-"+l.ID+"-"+lang)
		}
	}
}

// serverURL is the real server when it can be built into the test, else the
// scripted one; see realServer.
func serverURL(t *testing.T) string {
	if h := realHandler(t); h != nil {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return srv.URL
	}
	srv := httptest.NewServer(fakeAPI())
	t.Cleanup(srv.Close)
	return srv.URL
}
