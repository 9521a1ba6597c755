package browsertest

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shapesJS reads, for each swatch of the page map's legend and for the
// first cell of each state on the page map, where it has its state's
// colour: the shape that tells the states apart without their colours.
const shapesJS = `(() => {
	const cs = getComputedStyle(document.documentElement);
	const rgb = (s) => { const n = parseInt(cs.getPropertyValue("--pg-" + s).trim().slice(1), 16); return [n >> 16, (n >> 8) & 255, n & 255]; };
	const shape = (d, w, x0, y0, n, c) => { let s = ""; for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) { const k = ((y0 + y) * w + x0 + x) * 4; s += d[k] === c[0] && d[k+1] === c[1] && d[k+2] === c[2] ? "1" : "0"; } return s; };
	const legend = {};
	for (const li of document.querySelectorAll('[data-testid="legend"] li')) {
		const cv = li.querySelector("canvas");
		if (!cv) continue;
		const d = cv.getContext("2d").getImageData(0, 0, cv.width, cv.height).data;
		legend[li.dataset.state] = shape(d, cv.width, 0, 0, cv.width, rgb(li.dataset.state));
	}
	const pm = __pg.pagemap, cv = document.querySelector('[data-testid="page-map"]');
	const d = cv.getContext("2d").getImageData(0, 0, cv.width, cv.height).data;
	const names = ["none","zero","clean","dirty","cow","swapped","locked","device"];
	const cells = {};
	const n = (pm.vma.end - pm.vma.start) / 4096, inner = pm.cell - (pm.cell >= 5 ? 1 : 0);
	for (let i = 0; i < n && i < pm.cols * 8; i++) {
		const st = names[pm.proc.page(pm.vma.start / 4096 + i).st];
		if (cells[st]) continue;
		cells[st] = shape(d, cv.width, (i % pm.cols) * pm.cell, Math.floor(i / pm.cols) * pm.cell, inner, rgb(st));
	}
	return {legend, cells, inner, forced: matchMedia("(forced-colors: active)").matches};
})()`

// TestForcedColors: in a high-contrast theme (forced-colors) the page
// states stay apart: each legend swatch has its own pattern as well as its
// colour, and the page map draws the same patterns, so no state is told
// from another by colour alone.
func TestForcedColors(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1440, 900)
	b.must(10*time.Second, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "forced-colors", Value: "active"}}})
		return err
	}))
	// fork-cow leaves pages dirty, copy-on-write and not present in its
	// mapping at the lesson's moment.
	b.open(base + "/?lesson=fork-cow&lang=en")
	b.waitJS(10*time.Second, `document.getElementById("source").value.length > 0`)
	b.click("run")
	b.waitRun(60 * time.Second)
	b.settled()
	var got struct {
		Legend, Cells map[string]string
		Inner         int
		Forced        bool
	}
	eval(b, shapesJS, &got)
	require.True(t, got.Forced, "the browser is in forced-colors mode")
	require.Len(t, got.Legend, 8, "a swatch per page state")
	seen := map[string]string{}
	for st, sh := range got.Legend {
		assert.Contains(t, sh, "1", "the %s swatch shows its colour", st)
		if other, ok := seen[sh]; ok {
			t.Errorf("the swatches of %s and %s have the same shape", st, other)
		}
		seen[sh] = st
	}
	require.GreaterOrEqual(t, got.Inner, 5, "the map's cells are large enough for patterns here")
	require.GreaterOrEqual(t, len(got.Cells), 2, "the map shows pages in more than one state: %v", got.Cells)
	cellSeen := map[string]string{}
	for st, sh := range got.Cells {
		if other, ok := cellSeen[sh]; ok {
			t.Errorf("the map's %s and %s cells have the same shape", st, other)
		}
		cellSeen[sh] = st
	}
	b.screenshot(shotDir(t), "forced-colors-1440x900")
}
