package browsertest

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// chromiumPath finds the browser: $CHROMIUM, then Debian's chromium.
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// browser is one headless Chromium with a fresh profile, and a tab in it.
type browser struct {
	t      *testing.T
	ctx    context.Context
	cancel context.CancelFunc
	logs   *strings.Builder
}

// newBrowser starts Chromium (the test is skipped when there is none) with
// a window of w×h CSS pixels.
func newBrowser(t *testing.T, w, h int) *browser {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		t.Skip("no chromium binary found (apt-get install chromium, or set $CHROMIUM)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("font-render-hinting", "none"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(w, h),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	logs := &strings.Builder{}
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, string(a.Value))
			}
			fmt.Fprintf(logs, "console.%s: %s\n", e.Type, strings.Join(parts, " "))
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			fmt.Fprintf(logs, "exception: %s (line %d)\n", msg, d.LineNumber)
		}
	}))
	b := &browser{t: t, ctx: ctx, logs: logs}
	b.cancel = func() { cancel(); acancel() }
	t.Cleanup(func() {
		if t.Failed() && logs.Len() > 0 {
			t.Logf("browser console:\n%s", logs.String())
		}
		b.cancel()
	})
	// Start the browser now, so the first step's timeout is the step's.
	require.NoError(t, chromedp.Do(ctx))
	// The window's size is the viewport's only once emulated: a headless
	// window is at least 500 px wide and keeps some of its height.
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(int64(w), int64(h))))
	return b
}

// run runs actions with a timeout.
func (b *browser) run(d time.Duration, actions ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(b.ctx, d)
	defer cancel()
	return chromedp.Do(ctx, actions...)
}

// must runs actions and fails the test on error.
func (b *browser) must(d time.Duration, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := b.run(d, actions...); err != nil {
		b.t.Fatalf("browser: %v\nconsole:\n%s", err, b.logs.String())
	}
}

// evalT evaluates a JS expression (awaiting a promise) into a T.
func evalT[T any](b *browser, js string) (T, error) {
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
}

// eval evaluates a JS expression into *v, failing the test on error.
func eval[T any](b *browser, js string, v *T) {
	b.t.Helper()
	r, err := evalT[T](b, js)
	if err != nil {
		b.t.Fatalf("eval %s: %v\nconsole:\n%s", js, err, b.logs.String())
	}
	*v = r
}

// click clicks the element with the data-testid.
func (b *browser) click(testid string) {
	b.t.Helper()
	b.must(10*time.Second, chromedp.Click(chromedp.CSS(`[data-testid="`+testid+`"]`)))
}

// waitJS polls a JS expression until it is true.
func (b *browser) waitJS(d time.Duration, js string) {
	b.t.Helper()
	deadline := time.Now().Add(d)
	for {
		ok, err := evalT[bool](b, "!!("+js+")")
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			status, _ := evalT[string](b, `(document.getElementById("status")||{}).textContent||""`)
			b.t.Fatalf("timed out after %v waiting for %s (status %q, err %v)\nconsole:\n%s", d, js, status, err, b.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// screenshot writes a PNG of the page (full height) to dir/name.png.
func (b *browser) screenshot(dir, name string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(b.t, err)
	p := filepath.Join(dir, name+".png")
	require.NoError(b.t, os.WriteFile(p, buf, 0o644))
	return p
}

// b64url encodes a program for a ?src= link.
func b64url(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// open navigates to url and waits for the page to be ready.
func (b *browser) open(url string) {
	b.t.Helper()
	b.must(20*time.Second, chromedp.Navigate(url))
	b.waitJS(15*time.Second, `document.body.dataset.ready === "1"`)
}

// evalVoid runs JS for its effect.
func (b *browser) evalVoid(js string) {
	b.t.Helper()
	if _, err := evalT[any](b, js); err != nil && !strings.Contains(err.Error(), "undefined") {
		b.t.Fatalf("eval %s: %v", js, err)
	}
}

// hoverPage moves the mouse over the i-th present page of the page map (or
// its first cell), so the hover card shows.
func (b *browser) hoverPage(i int) {
	b.t.Helper()
	b.evalVoid(fmt.Sprintf(`(() => {
		const pm = __pg.pagemap; if (!pm.vma) return;
		const c = document.querySelector('[data-testid="page-map"]');
		const r = c.getBoundingClientRect();
		const n = (pm.vma.end - pm.vma.start) / 4096;
		let k = 0, idx = 0;
		for (let j = 0; j < n; j++) { if (pm.proc.page(pm.vma.start / 4096 + j).st) { if (k++ === %d) { idx = j; break; } } }
		const cell = pm.cell / pm.dpr;
		const x = r.left + (idx %% pm.cols) * cell + cell / 2, y = r.top + Math.floor(idx / pm.cols) * cell + cell / 2;
		c.dispatchEvent(new MouseEvent("mousemove", {clientX: x, clientY: y, bubbles: true}));
	})()`, i))
}

// walkFirstPresent shows the page-table walk of the page map's first present page.
func (b *browser) walkFirstPresent() {
	b.t.Helper()
	b.evalVoid(`(() => {
		const pm = __pg.pagemap; if (!pm.vma) return;
		const n = (pm.vma.end - pm.vma.start) / 4096;
		for (let j = 0; j < n; j++) if (pm.proc.page(pm.vma.start / 4096 + j).st) { pm.onPick(pm.vma.start + j * 4096); return; }
		pm.onPick(pm.vma.start);
	})()`)
	b.settled()
}

// settled waits until the page has drawn what it scheduled and its CSS
// animations and transitions have ended: what a screenshot should show.
func (b *browser) settled() {
	b.t.Helper()
	b.frames()
	b.waitJS(10*time.Second, `__pg.idle() && document.getAnimations().every((a) => a.playState !== "running")`)
}

// frames waits until the page has drawn two more animation frames.
func (b *browser) frames() {
	b.t.Helper()
	b.evalVoid(`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
}

// waitRun waits until the run has ended and the page has drawn its end.
func (b *browser) waitRun(d time.Duration) {
	b.t.Helper()
	b.waitJS(d, `__pg.run().exited && __pg.run().done && __pg.idle()`)
	b.frames()
	b.waitJS(5*time.Second, `__pg.idle()`)
}
