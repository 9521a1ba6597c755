package browsertest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestKeyboardOnly uses the page with keys alone: Tab indents in the editor
// and Ctrl+Z undoes it, Esc leaves the editor, Ctrl+Enter runs from
// anywhere, an area takes focus and Enter shows its pages, and the page
// map's cursor walks a page with Enter.
func TestKeyboardOnly(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1440, 900)
	b.open(base + "/?example=lazy_vs_populate&lang=en")
	b.waitJS(10*time.Second, `document.getElementById("source").value.length > 0`)
	b.evalVoid(`(() => { const ta = document.getElementById("source"); ta.focus(); ta.setSelectionRange(0, 0); })()`)
	var before, after, undone string
	eval(b, `document.getElementById("source").value`, &before)
	b.must(5*time.Second, chromedp.KeyEvent(kb.Tab))
	eval(b, `document.getElementById("source").value`, &after)
	assert.Equal(t, "\t"+before, after, "Tab indents")
	b.must(5*time.Second, chromedp.KeyEvent("z", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	eval(b, `document.getElementById("source").value`, &undone)
	assert.Equal(t, before, undone, "Ctrl+Z undoes the Tab")
	b.must(5*time.Second, chromedp.KeyEvent(kb.Escape))
	var active string
	eval(b, `document.activeElement.id`, &active)
	assert.NotEqual(t, "source", active, "Esc leaves the editor")

	// Ctrl+Enter from outside the editor runs the program.
	b.must(5*time.Second, chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	b.waitRun(30 * time.Second)
	var out string
	eval(b, `document.querySelector('[data-testid="stdout"]').textContent`, &out)
	assert.Contains(t, out, "populated")

	// An area, by focus and Enter.
	b.evalVoid(`document.querySelectorAll('[data-testid="vma-list"] li[data-start]')[0].focus()`)
	b.must(5*time.Second, chromedp.KeyEvent(kb.ArrowDown))
	var focused string
	eval(b, `document.activeElement.dataset.start || ""`, &focused)
	require.NotEmpty(t, focused, "the arrow moved to the next area")
	b.must(5*time.Second, chromedp.KeyEvent(kb.Enter))
	b.frames()
	var shown float64
	eval(b, `__pg.pagemap.vma.start`, &shown)
	assert.Equal(t, focused, ftoa(shown), "Enter shows the area's pages")

	// The page map: focus, move, Enter walks the page.
	b.evalVoid(`document.querySelector('[data-testid="page-map"]').focus()`)
	b.must(5*time.Second, chromedp.KeyEvent(kb.ArrowRight))
	b.must(5*time.Second, chromedp.KeyEvent(kb.Enter))
	b.frames()
	var walk string
	eval(b, `document.querySelector('[data-testid="walk-addr"]').value`, &walk)
	var want string
	eval(b, `"0x" + (__pg.pagemap.vma.start + 4096).toString(16)`, &want)
	assert.Equal(t, want, walk, "Enter walks the page under the cursor")
}

func ftoa(f float64) string {
	return itoa(int(f))
}

// TestEmbedPanels: /embed in an 800x600 iframe shows the panels ?panels=
// asks for (without it, the embed's default four), with the picture in
// view, and runs with run=1.
func TestEmbedPanels(t *testing.T) {
	base := startReal(t)
	for _, tc := range []struct {
		name, panels    string
		shown, notShown []string
	}{
		{"asked", "&panels=code,pagemap,log", []string{"source", "pm-wrap", "event-log"}, []string{"vma-list", "stdout", "page-walk"}},
		{"default", "", []string{"source", "stdout", "pm-wrap", "event-log"}, []string{"vma-list", "page-walk"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBrowser(t, 800, 600)
			b.open(base + "/embed?example=three_phases" + tc.panels + "&run=1&lang=en")
			b.waitRun(30 * time.Second)
			var vis map[string]string
			ids, _ := json.Marshal(append(tc.shown, "run", "scrubber"))
			eval(b, visibleAll+`(`+string(ids)+`, 16)`, &vis)
			for k, v := range vis {
				assert.Equal(t, "ok", v, "%s is shown in the window", k)
			}
			var hidden []string
			gone, _ := json.Marshal(tc.notShown)
			eval(b, string(gone)+`.filter(n => { const e = document.querySelector('[data-testid="' + n + '"]'); return !e || e.getClientRects().length === 0; })`, &hidden)
			assert.ElementsMatch(t, tc.notShown, hidden, "the panels not asked for are not shown")
			var present int
			eval(b, `__pg.pagemap.proc.countPresent(__pg.pagemap.vma)`, &present)
			assert.Greater(t, present, 0, "the page map shows the mapping's page")
			b.screenshot(shotDir(t), "embed-800x600-"+tc.name)
		})
	}
}

// TestPastedProgramIsItsOwn: a program pasted over the whole editor loses
// the example's name, and the examples are listed in teaching order.
func TestPastedProgramIsItsOwn(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1440, 900)
	b.open(base + "/?example=split_areas&lang=en")
	b.waitJS(10*time.Second, `document.getElementById("source").value.length > 0`)
	b.evalVoid(`(() => { const ta = document.getElementById("source"); ta.focus(); ta.select(); ta.dispatchEvent(new ClipboardEvent("paste", {bubbles: true})); ta.value = "int main(void) { return 0; }\n"; ta.dispatchEvent(new Event("input")); })()`)
	var name string
	eval(b, `document.getElementById("file-name").textContent`, &name)
	assert.Equal(t, "prog.c", name)
	var first []string
	eval(b, `[...document.querySelectorAll("#example-select option")].slice(1, 3).map(o => o.value)`, &first)
	require.Len(t, first, 2)
	assert.Equal(t, []string{"three_phases", "file_vs_anon"}, first, "the lessons' order")
}
