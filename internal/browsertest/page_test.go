// Package browsertest tests the page (package web) in a real headless
// Chromium driven by chromedp, against the real server (package api) started
// in-process. The tests are skipped when no chromium binary is found.
package browsertest

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func startReal(t *testing.T) string {
	srv := httptest.NewServer(realHandler(t))
	t.Cleanup(srv.Close)
	return srv.URL
}

// canvasColors reads the page map's pixels and counts them by page state
// (the colours the legend shows).
const canvasColors = `(() => {
	const c = document.querySelector('[data-testid="page-map"]');
	const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
	const cs = getComputedStyle(document.documentElement);
	const names = ["none","zero","clean","dirty","cow","swapped","locked","device"];
	const rgb = names.map(n => parseInt(cs.getPropertyValue("--pg-" + n).trim().slice(1), 16));
	const out = {};
	for (let i = 0; i < d.length; i += 4) {
		const v = (d[i] << 16) | (d[i+1] << 8) | d[i+2];
		const k = rgb.indexOf(v);
		if (k >= 0) out[names[k]] = (out[names[k]] || 0) + 1;
	}
	return out;
})()`

func TestDeepLinkRunsExample(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1400, 1000)
	b.open(base + "/?example=three_phases&run=1&lang=en")
	b.waitRun(30 * time.Second)

	var out string
	eval(b, `document.querySelector('[data-testid="stdout"]').textContent`, &out)
	assert.NotEmpty(t, out, "the program's output")

	var exit string
	eval(b, `document.querySelector('[data-testid="exit-status"]').textContent`, &exit)
	assert.Equal(t, "exit 0", exit)

	// The areas: at the end, the program's image and its stack.
	var areas []string
	eval(b, `[...document.querySelectorAll('[data-testid="vma-list"] li[data-start]')].map(li => li.textContent)`, &areas)
	require.NotEmpty(t, areas)
	assert.True(t, anyContains(areas, "[stack]"), "the stack in %q", areas)
	// The program unmaps data.bin before it ends: the state just after
	// its mmap, shown by clicking that event, lists the file's area.
	b.evalVoid(`__pg.showAt(__pg.run().events.findIndex(e => e.type === "syscall" && e.name === "mmap"))`)
	b.waitJS(5*time.Second, `[...document.querySelectorAll('[data-testid="vma-list"] li[data-start]')].some(li => li.textContent.includes("data.bin"))`)
	var title string
	eval(b, `document.getElementById("pm-title").textContent`, &title)
	assert.Contains(t, title, "data.bin", "the page map shows the new mapping")

	// From that moment, "next fault" steps through what happened: the
	// first read of the mapping, a major fault (data.bin was not cached).
	b.click("step-fault")
	b.frames()
	var ev map[string]any
	eval(b, `__pg.run().events[__pg.ui.viewIndex]`, &ev)
	assert.Equal(t, "fault", ev["type"])
	assert.Equal(t, "file-major", ev["kind"])
	var walk string
	eval(b, `document.querySelector('[data-testid="page-walk"]').textContent`, &walk)
	assert.Contains(t, walk, "PTE", "the faulting address's walk is shown")

	// The events: mmap's syscall and a fault with its kernel path.
	var kinds []string
	eval(b, `__pg.run().events.filter(e => e.type === "fault").map(e => e.kind)`, &kinds)
	assert.Contains(t, kinds, "file-major", "the first read of data.bin, which was not cached")
	var rows int
	eval(b, `document.querySelectorAll('[data-testid="event-log"] .ev-row').length`, &rows)
	assert.Greater(t, rows, 5, "rows drawn in the event log")
	var mmapRows int
	eval(b, `[...document.querySelectorAll('[data-testid="event-log"] .ev-row')].length && __pg.run().events.filter(e => e.type === "syscall" && e.name === "mmap").length`, &mmapRows)
	assert.GreaterOrEqual(t, mmapRows, 1)
}

func TestEditorRunAndStep(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1400, 1000)
	b.open(base + "/?lang=en")

	src := `#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
	char *p = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	for (int i = 0; i < 16; i += 2)
		p[i * 4096] = 'x';
	printf("first byte %c, page 1 reads %d\n", p[0], p[4096]);
	mprotect(p + 4 * 4096, 4096, PROT_READ);
	return 0;
}
`
	// Type into the editor as a student would (set the value, fire input).
	b.must(10*time.Second, chromedp.SetValue(chromedp.CSS(`[data-testid="source"]`), src))
	b.evalVoid(`document.querySelector('[data-testid="source"]').dispatchEvent(new Event("input"))`)
	b.click("run")
	b.waitRun(30 * time.Second)

	var out string
	eval(b, `document.querySelector('[data-testid="stdout"]').textContent`, &out)
	assert.Equal(t, "first byte x, page 1 reads 0\n", out)

	// mprotect of one page in the middle split the area in three.
	var perms []string
	eval(b, `__pg.run().model.procList()[0].vmas.filter(v => !v.file).map(v => v.perms)`, &perms)
	assert.Contains(t, perms, "r--p", "the mprotected page's area")

	// The page map shows the 16-page area: 8 written pages are dirty, one
	// read page maps the zero page.
	b.evalVoid(`(() => { const e = __pg.run().events.find(e => e.type === "syscall" && e.name === "mmap" && !e.errno); __pg.ui.vmaStart = e.ret; __pg.ui.vmaUser = true; __pg.update(true); })()`)
	b.frames()
	colors, err := evalT[map[string]int](b, canvasColors)
	require.NoError(t, err)
	t.Logf("page map pixels by state: %v", colors)
	assert.Greater(t, colors["dirty"], 0, "dirty pages drawn")

	// Stepping, on the server: to the first system call, then to the next
	// fault, then back.
	b.click("reset")
	b.click("step-syscall")
	b.waitJS(20*time.Second, `__pg.run().mode === "session" && __pg.run().status === "paused" && __pg.run().events.some(e => e.type === "syscall")`)
	var last map[string]any
	eval(b, `(() => { const ev = __pg.run().events; return ev[ev.length - 1]; })()`, &last)
	assert.Equal(t, "syscall", last["type"], "paused after a system call")

	b.click("step-fault")
	b.waitJS(20*time.Second, `(() => { const ev = __pg.run().events; return __pg.run().status === "paused" && ev[ev.length - 1].type === "fault"; })()`)
	var faultSeq float64
	eval(b, `(() => { const ev = __pg.run().events; return ev[ev.length - 1].seq; })()`, &faultSeq)

	b.click("back")
	b.waitJS(20*time.Second, fmt.Sprintf(`(() => { const ev = __pg.run().events; return __pg.run().status === "paused" && ev[ev.length - 1].seq < %v; })()`, faultSeq))

	b.click("continue")
	b.waitRun(30 * time.Second)
	eval(b, `document.querySelector('[data-testid="stdout"]').textContent`, &out)
	assert.Equal(t, "first byte x, page 1 reads 0\n", out, "the output after stepping")

	// Clicking an event shows the state at that moment: before the mmap
	// returned, its area is not there.
	var nBefore, nAfter int
	eval(b, `(() => { const ev = __pg.run().events; const i = ev.findIndex(e => e.type === "syscall" && e.name === "mmap"); __pg.showAt(i - 1); return __pg.run().events.length; })()`, &nAfter)
	b.frames()
	eval(b, `document.querySelectorAll('[data-testid="vma-list"] li[data-start]:not(.dying)').length`, &nBefore)
	var nEnd int
	b.evalVoid(`document.getElementById("live-link") && document.getElementById("live-link").click()`)
	b.frames()
	eval(b, `document.querySelectorAll('[data-testid="vma-list"] li[data-start]:not(.dying)').length`, &nEnd)
	if !assert.Less(t, nBefore, nEnd, "fewer areas before the mmap than at the end") {
		var dump string
		eval(b, `JSON.stringify({procs: __pg.run().model.procList().map(p => [p.key, p.vmas.length, p.exited]), n: __pg.run().events.length, types: __pg.run().events.map(e => e.seq + ":" + e.type + (e.why ? "/" + e.why : "") + (e.name ? "/" + e.name : "")).join(" "), view: __pg.ui.viewIndex})`, &dump)
		t.Log(dump)
	}
}

func TestCompileErrorMarked(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1200, 900)
	src := "#include <stdio.h>\nint main(void)\n{\n\tint x = y + 1;\n\treturn x;\n}\n"
	b.open(base + "/?src=" + b64url(src) + "&engine=sim&run=1&lang=en")
	b.waitRun(20 * time.Second)
	b.frames()
	var diags []string
	eval(b, `[...document.querySelectorAll('[data-testid="diagnostics"] li')].map(li => li.textContent)`, &diags)
	require.NotEmpty(t, diags)
	assert.True(t, strings.HasPrefix(diags[0], "4:"), "the error is on line 4: %q", diags)
	var marked int
	eval(b, `document.querySelectorAll('#highlight .hl-err').length`, &marked)
	assert.Equal(t, 1, marked, "the error's token underlined")
	var tok string
	eval(b, `document.querySelector('#highlight .hl-err').textContent`, &tok)
	assert.Equal(t, "y", tok, "the undeclared name is the token marked")
}

// TestOneGiBDrawing runs a program that writes each page of a 1 GiB area
// and measures, in the browser, how long after the exit event arrives the
// page map has drawn its last state.
func TestOneGiBDrawing(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	base := startReal(t)
	b := newBrowser(t, 1400, 1000)
	src := `#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
	long len = 1024L * 1024 * 1024;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	for (long off = 0; off < len; off += 4096)
		p[off] = 1;
	printf("touched %ld pages\n", len / 4096);
	return 0;
}
`
	b.open(base + "/?src=" + b64url(src) + "&engine=sim&run=1&lang=en")
	b.waitJS(120*time.Second, `__playground.drawnAt > 0`)
	var res struct {
		StartAt, ExitAt, DrawnAt, ParseMs, ApplyMs, ViewsMs float64
		Events                                              int
	}
	eval(b, `({StartAt: __playground.startAt, ExitAt: __playground.exitAt, DrawnAt: __playground.drawnAt, Events: __playground.events, ParseMs: __playground.parseMs || 0, ApplyMs: __playground.applyMs || 0, ViewsMs: __playground.viewsMs || 0})`, &res)
	ms := res.DrawnAt - res.ExitAt
	t.Logf("1 GiB page by page: %d events; run to exit %.0f ms (parse %.0f, apply %.0f, views %.0f ms); page map drawn %.0f ms after the exit event (a measurement: no assertion on a loaded machine)",
		res.Events, res.ExitAt-res.StartAt, res.ParseMs, res.ApplyMs, res.ViewsMs, ms)

	// The other views catch up on their next frame; wait for the output.
	b.waitJS(10*time.Second, `document.querySelector('[data-testid="stdout"]').textContent.length > 0`)
	var out string
	eval(b, `document.querySelector('[data-testid="stdout"]').textContent`, &out)
	assert.Equal(t, "touched 262144 pages\n", out)
	colors, err := evalT[map[string]int](b, canvasColors)
	require.NoError(t, err)
	// The map fills its pane at one pixel a page: every page in view dirty.
	assert.Greater(t, colors["dirty"], 100000, "pages drawn dirty: %v", colors)
	assert.Zero(t, colors["none"], "no page drawn not present: %v", colors)
}

func anyContains(list []string, s string) bool {
	for _, x := range list {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}

// TestSessionContinueBig steps into the 1 GiB program on the server, then
// lets it run: the websocket falls behind and the server skips events, and
// the page gets them back from a replay of the same run (the simulated
// engine is deterministic), so the page map ends complete.
func TestSessionContinueBig(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	base := startReal(t)
	b := newBrowser(t, 1400, 1000)
	src := `#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
	long len = 1024L * 1024 * 1024;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (long off = 0; off < len; off += 4096)
		p[off] = 1;
	printf("touched %ld pages\n", len / 4096);
	return 0;
}
`
	b.open(base + "/?src=" + b64url(src) + "&engine=sim&lang=en")
	b.click("step-syscall")
	b.waitJS(20*time.Second, `__pg.run().status === "paused"`)
	b.click("continue")
	b.waitJS(120*time.Second, `__pg.run().exited && !__pg.run().gap`)
	b.waitRun(10 * time.Second)
	b.frames()
	var dropped, n int
	eval(b, `__pg.run().dropped`, &dropped)
	eval(b, `__pg.run().model.procList()[0].countPresent(__pg.run().model.procList()[0].vmas.find(v => v.end - v.start === 1 << 30))`, &n)
	t.Logf("events still missing after the replay: %d; present pages: %d", dropped, n)
	assert.Equal(t, 262144, n, "every page present in the page's model")
	var out string
	eval(b, `document.querySelector('[data-testid="stdout"]').textContent`, &out)
	assert.Equal(t, "touched 262144 pages\n", out)
}

// TestLessonNotice opens a lesson in Chinese, runs its program, and follows
// a "what to notice" to its moment: the mmap call, with the new area shown.
func TestLessonNotice(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1400, 1000)
	b.open(base + "/?lesson=three-phases&lang=zh")
	b.waitJS(10*time.Second, `document.getElementById("source").value.length > 0`)
	var title string
	eval(b, `document.getElementById("lesson-title").textContent`, &title)
	assert.Contains(t, title, "mmap", "the lesson's title")
	assert.Regexp(t, `\p{Han}`, title, "in Chinese")
	b.click("run")
	b.waitRun(30 * time.Second)
	b.click("notice-0")
	b.frames()
	var ev map[string]any
	eval(b, `__pg.run().events[__pg.ui.viewIndex]`, &ev)
	assert.Equal(t, "syscall", ev["type"])
	assert.Equal(t, "mmap", ev["name"])
	var spot bool
	eval(b, `document.querySelector('[data-view="events"]').classList.contains("spot")`, &spot)
	assert.True(t, spot, "the event log is pointed at")
	var areas string
	eval(b, `document.querySelector('[data-testid="vma-list"]').textContent`, &areas)
	assert.Contains(t, areas, "data.bin", "the area the mmap made, at that moment")
}

// TestEmbed: the embed page has no header and runs a deep link.
func TestEmbed(t *testing.T) {
	base := startReal(t)
	b := newBrowser(t, 1000, 800)
	b.open(base + "/embed?example=split_areas&run=1&lang=en")
	b.waitRun(30 * time.Second)
	var header int
	eval(b, `document.querySelectorAll("header.top").length`, &header)
	assert.Equal(t, 0, header)
	var out string
	eval(b, `document.querySelector('[data-testid="stdout"]').textContent`, &out)
	assert.Contains(t, out, "area(s)")
}
