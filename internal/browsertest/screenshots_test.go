package browsertest

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/mmapplayground/playground/examples"
)

var (
	screenshots = flag.Bool("screenshots", false, "write screenshots of every view and lesson, in both languages, to $SCREENSHOTS or a temporary directory")
	measure     = flag.Bool("measure", false, "measure Run→drawn for each lesson's program in the browser and log the figures")
)

// shotSizes are the screens a class sees: a laptop, a projector, a phone.
var shotSizes = []struct {
	name string
	w, h int
}{{"laptop", 1440, 900}, {"projector", 1920, 1080}, {"phone", 390, 844}}

// dark asks the page for the system's dark theme (prefers-color-scheme).
func (b *browser) dark(on bool) {
	b.t.Helper()
	v := "light"
	if on {
		v = "dark"
	}
	b.must(5*time.Second, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: v}}})
		return err
	}))
}

// TestScreenshots writes PNGs of the page's views at laptop, projector and
// phone sizes, and of every lesson, in Chinese and English, for a person to
// look at. It runs with -screenshots (or $SCREENSHOTS set); the page's
// behaviour is tested elsewhere.
func TestScreenshots(t *testing.T) {
	if !*screenshots && os.Getenv("SCREENSHOTS") == "" {
		t.Skip("run with -screenshots to write screenshots")
	}
	base := serverURL(t)
	dir := shotDir(t)
	t.Logf("screenshots in %s", dir)
	for _, sz := range shotSizes {
		b := newBrowser(t, sz.w, sz.h)
		shot := func(name string) { b.screenshot(dir, fmt.Sprintf("%s-%s", sz.name, name)) }
		for _, lang := range []string{"en", "zh"} {
			// The page as a student first sees it.
			b.open(base + "/?lang=" + lang)
			b.waitJS(10*time.Second, `document.getElementById("source").value.length > 0`)
			b.frames()
			shot("start-" + lang)

			// A run finished, every view filled in, an event chosen.
			b.open(base + "/?example=shared_private_cow&run=1&lang=" + lang)
			b.waitRun(30 * time.Second)
			b.settled()
			b.walkFirstPresent()
			shot("run-" + lang)
			b.evalVoid(`(() => { const r = __pg.run(); const i = r.events.findIndex(e => e.type === "fault" && e.kind === "cow"); if (i >= 0) __pg.showAt(i); })()`)
			b.settled()
			b.hoverPage(0)
			shot("fault-chosen-" + lang)
			b.evalVoid(`document.querySelector('[data-testid="tab-frames"]').click()`)
			b.frames()
			shot("frames-" + lang)

			// Projector mode, and the dark theme.
			b.click("big-text")
			b.settled()
			shot("projector-mode-" + lang)
			b.click("big-text")
			b.dark(true)
			b.open(base + "/?example=fork_share&run=1&lang=" + lang)
			b.waitRun(30 * time.Second)
			b.settled()
			shot("dark-" + lang)
			b.dark(false)

			// A crash, located.
			b.open(base + "/?example=sigbus_past_eof&run=1&lang=" + lang)
			b.waitRun(30 * time.Second)
			b.settled()
			shot("crash-" + lang)

			// Both engines, side by side: the outputs, then the counters.
			b.open(base + "/?example=split_areas&engine=both&run=1&lang=" + lang)
			b.waitRun(60 * time.Second)
			b.settled()
			shot("both-engines-" + lang)
			b.evalVoid(`document.querySelector('[data-testid="tab-counters"]').click()`)
			b.settled()
			shot("both-counters-" + lang)

			// The keys, the share box, and the editor with long lines wrapped
			// and a bracket matched.
			b.open(base + "/?example=mmap_errors&lang=" + lang)
			b.waitJS(10*time.Second, `document.getElementById("source").value.length > 0`)
			b.evalVoid(`document.querySelector('[data-testid="keys-help"]') && document.querySelector('[data-testid="keys-help"]').click()`)
			b.settled()
			shot("keys-" + lang)
			b.evalVoid(`document.querySelector('[data-testid="keys-help"]') && document.querySelector('[data-testid="keys-help"]').click()`)
			b.evalVoid(`document.querySelector('[data-testid="share"]') && document.querySelector('[data-testid="share"]').click()`)
			b.settled()
			shot("share-" + lang)
			b.evalVoid(`(() => { const c = document.getElementById("share-close"); if (c) c.click(); document.querySelector('[data-testid="wrap"]').click();
				const ta = document.getElementById("source"); ta.focus(); const k = ta.value.indexOf("mmap(") + 4; ta.setSelectionRange(k, k); ta.dispatchEvent(new Event("keyup")); })()`)
			b.settled()
			shot("editor-wrap-" + lang)
			b.evalVoid(`document.querySelector('[data-testid="wrap"]').click()`)

			// A compile error marked in the editor.
			b.open(base + "/?src=" + b64url("#include <stdio.h>\nint main(void)\n{\n\tint x = y + 1;\n\treturn x;\n}\n") + "&run=1&lang=" + lang)
			b.waitRun(30 * time.Second)
			b.settled()
			shot("compile-error-" + lang)

			// The embed page with three panels.
			b.open(base + "/embed?example=three_phases&panels=code,pagemap,log&run=1&lang=" + lang)
			b.waitRun(30 * time.Second)
			b.settled()
			shot("embed-" + lang)

			// Every lesson, run, its notices followed to the last.
			for _, l := range examples.Lessons() {
				if sz.name == "phone" && l.ID != "three-phases" && l.ID != "fork-cow" {
					continue // two are enough to judge the phone
				}
				b.open(base + "/?lesson=" + l.ID + "&lang=" + lang)
				b.waitJS(10*time.Second, `document.getElementById("source").value.length > 0`)
				b.click("run")
				b.waitRun(90 * time.Second)
				b.settled()
				shot("lesson-" + l.ID + "-" + lang)
				if sz.name == "laptop" {
					b.evalVoid(`(() => { const li = document.querySelector('[data-testid="notice-1"]') || document.querySelector('[data-testid="notice-0"]'); if (li) li.click(); })()`)
					b.settled()
					shot("lesson-" + l.ID + "-notice-" + lang)
				}
			}
		}
	}
}

// TestScreenshotsEmbed writes PNGs of the embed page in an 800x600 iframe's
// window, with chosen panels and with all, in both languages (-screenshots).
func TestScreenshotsEmbed(t *testing.T) {
	if !*screenshots && os.Getenv("SCREENSHOTS") == "" {
		t.Skip("run with -screenshots to write screenshots")
	}
	base := serverURL(t)
	dir := shotDir(t)
	b := newBrowser(t, 800, 600)
	for _, lang := range []string{"en", "zh"} {
		for _, c := range []struct{ name, query string }{
			{"code-pagemap-log", "example=three_phases&panels=code,pagemap,log"},
			{"pagemap-walk", "example=lazy_vs_populate&panels=pagemap,walk"},
			{"code-output-areas", "example=fork_share&panels=code,output,areas"},
			{"all", "example=shared_private_cow"},
			{"lesson", "lesson=fork-cow&panels=code,pagemap,output"},
		} {
			b.open(base + "/embed?" + c.query + "&run=1&lang=" + lang)
			b.waitRun(60 * time.Second)
			b.settled()
			b.screenshot(dir, fmt.Sprintf("embed800-%s-%s", c.name, lang))
		}
	}
}

// TestRunToDrawn measures, in the browser, how long each lesson's program
// takes from the click on Run to the page map drawn after the exit event,
// and logs the figures (with -measure; a measurement, not a pass/fail).
func TestRunToDrawn(t *testing.T) {
	if !*measure {
		t.Skip("run with -measure")
	}
	base := serverURL(t)
	b := newBrowser(t, 1440, 900)
	type fig struct {
		lesson         string
		events         int
		exit, drawn    float64
		parse, applyMs float64
	}
	var figs []fig
	for _, l := range examples.Lessons() {
		b.open(base + "/?lesson=" + l.ID + "&lang=en")
		b.waitJS(10*time.Second, `document.getElementById("source").value.length > 0`)
		var best fig
		for try := 0; try < 3; try++ { // the median of three
			b.click("reset")
			b.click("run")
			b.waitRun(90 * time.Second)
			b.waitJS(10*time.Second, `__playground.drawnAt > 0 || __pg.run().model.errors.length > 0`)
			var r struct {
				StartAt, ExitAt, DrawnAt, ParseMs, ApplyMs float64
				Events                                     int
			}
			eval(b, `({StartAt: __playground.startAt, ExitAt: __playground.exitAt, DrawnAt: __playground.drawnAt || __playground.exitAt, Events: __playground.events, ParseMs: __playground.parseMs || 0, ApplyMs: __playground.applyMs || 0})`, &r)
			f := fig{l.ID, r.Events, r.ExitAt - r.StartAt, r.DrawnAt - r.StartAt, r.ParseMs, r.ApplyMs}
			figs = append(figs, f)
			best = f
		}
		_ = best
	}
	sort.SliceStable(figs, func(i, j int) bool { return figs[i].lesson < figs[j].lesson })
	var out strings.Builder
	for i := 0; i+2 < len(figs); i += 3 {
		d := []float64{figs[i].drawn, figs[i+1].drawn, figs[i+2].drawn}
		sort.Float64s(d)
		fmt.Fprintf(&out, "%-22s %7d events  Run→drawn median %6.0f ms (runs %4.0f %4.0f %4.0f)\n", figs[i].lesson, figs[i].events, d[1], d[0], d[1], d[2])
	}
	t.Logf("Run→drawn for each lesson's program (Chromium headless, 1440x900):\n%s", out.String())
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
